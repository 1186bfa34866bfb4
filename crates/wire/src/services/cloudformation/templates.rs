//! Templates: a request's `TemplateBody` kept as a file the engine reads
//! (`<state dir>/templates/<sha256>.template`), and the reads of templates
//! (GetTemplate, GetTemplateSummary, ValidateTemplate).

use super::errors::{engine, validation};
use super::input;
use crate::dispatch::Read;
use crate::error::WireError;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The largest TemplateBody CloudFormation takes (AWS doc "CreateStack":
/// TemplateBody, "Maximum length of 51,200 bytes").
pub const MAX_BODY: usize = 51_200;

/// The request's template text: `TemplateBody`, the object `TemplateURL`
/// names in the account's S3, or the stack's own with `UsePreviousTemplate`.
pub fn body_of<'i>(
    input: &'i Value,
    previous: Option<&'i str>,
    account: &account::Account,
) -> Result<Cow<'i, str>, WireError> {
    if let Some(body) = input::text(input, "TemplateBody") {
        if body.len() > MAX_BODY {
            // Seen (mbailey/bash-my-aws#100); whether AWS echoes the whole value is unverified.
            return Err(validation(format!(
                "1 validation error detected: Value '{body}' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to {MAX_BODY}"
            )));
        }
        return Ok(Cow::Borrowed(body));
    }
    if let Some(url) = input::text(input, "TemplateURL") {
        let bytes = stacks::template_url::read(account, url).map_err(|e| validation(e.to_string()))?;
        return String::from_utf8(bytes.to_vec())
            .map(Cow::Owned)
            // Inferred text: CloudFormation's answer to a template that is not text.
            .map_err(|_| validation("Template format error: unsupported structure."));
    }
    if input::boolean(input, "UsePreviousTemplate") == Some(true) {
        return previous.map(Cow::Borrowed).ok_or_else(|| validation("tasknet: the stack has no previous template"));
    }
    // Seen (AWS's answer to a CreateStack with neither).
    Err(validation("Either Template URL or Template Body must be specified."))
}

/// Writes `body` to the state folder's templates, named by its SHA-256 (so
/// the same text is one file), and returns its path.
pub fn store(state_dir: &Path, body: &str) -> Result<PathBuf, WireError> {
    let digest = Sha256::digest(body.as_bytes());
    let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let dir = state_dir.join("templates");
    let path = dir.join(format!("{name}.template"));
    if path.exists() {
        return Ok(path);
    }
    let failed = |e: std::io::Error| {
        tracing::error!("cannot write a template under {}: {e}", dir.display());
        WireError::new(500, "InternalFailure", format!("The template could not be stored: {e}"))
    };
    std::fs::create_dir_all(&dir).map_err(failed)?;
    // Written whole, then renamed: a reader never sees half a template. The partial's name is
    // unique per write, so two requests storing the same template at once do not collide.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let partial = dir.join(format!("{name}.partial-{}-{n}", std::process::id()));
    let written = std::fs::write(&partial, body).and_then(|_| std::fs::rename(&partial, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(failed(e));
    }
    Ok(path)
}

/// GetTemplate: the stack's template, or its change set's.
pub fn get_template(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let stack_name = input::text(input, "StackName");
    if let Some(cs) = input::text(input, "ChangeSetName") {
        let (_, cs) = stacks::engine::execute::find_change_set(r.account, stack_name, cs, "GetTemplate")
            .map_err(|e| engine(&e))?;
        let body = cs.template_path.as_deref().and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default();
        return Ok(shapes::cloudformation::get_template(&body));
    }
    let Some(name) = stack_name else {
        // tasknet's words: the model requires neither member, AWS's text for none is unverified.
        return Err(validation("Either StackName or ChangeSetName must be specified."));
    };
    let stacks = shapes::cloudformation::stacks(r.account, &super::query(input), "GetTemplate")
        .map_err(|e| WireError::from_aws(&e))?;
    let body = stacks
        .first()
        .map(|s| template_of(s))
        .ok_or_else(|| validation(format!("Stack with id {name} does not exist")))?;
    Ok(shapes::cloudformation::get_template(&body))
}

/// A stack's template: as last deployed, or (a stack in REVIEW_IN_PROGRESS,
/// never executed) its newest change set's.
fn template_of(stack: &account::Stack) -> String {
    if !stack.template_body.is_empty() {
        return stack.template_body.clone();
    }
    let path = stack.change_sets.last().and_then(|c| c.template_path.as_deref());
    path.and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default()
}

/// GetTemplateSummary of a TemplateBody, or of a stack's template.
pub fn get_template_summary(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    const OP: &str = "GetTemplateSummary";
    let by_stack = input::text(input, "TemplateBody").is_none() && input::text(input, "TemplateURL").is_none();
    let body = match input::text(input, "StackName").filter(|_| by_stack) {
        Some(_) => {
            let stacks = shapes::cloudformation::stacks(r.account, &super::query(input), OP)
                .map_err(|e| WireError::from_aws(&e))?;
            stacks.first().map(|s| template_of(s)).unwrap_or_default()
        }
        None => body_of(input, None, r.account)?.into_owned(),
    };
    let summary = stacks::engine::summary::template_summary(body.as_bytes(), OP).map_err(|e| engine(&e))?;
    Ok(shapes::cloudformation::get_template_summary(&summary))
}

/// ValidateTemplate of a TemplateBody.
pub fn validate_template(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let body = body_of(input, None, r.account)?;
    let summary =
        stacks::engine::summary::template_summary(body.as_bytes(), "ValidateTemplate").map_err(|e| engine(&e))?;
    Ok(shapes::cloudformation::validate_template(&summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_template_is_stored_once_by_its_digest() {
        let dir = std::env::temp_dir().join(format!("tasknet-wire-templates-{}", std::process::id()));
        let a = store(&dir, "Resources: {}\n").unwrap_or_else(|e| panic!("{e}"));
        let b = store(&dir, "Resources: {}\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a, b);
        assert_eq!(std::fs::read_to_string(&a).ok().as_deref(), Some("Resources: {}\n"));
        assert!(a.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.len() == 64 + ".template".len()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_body_is_required_and_bounded() {
        let mut a = account::Account::empty("123456789012", "us-east-1");
        let e = body_of(&json!({}), None, &a).expect_err("no template");
        assert_eq!(e.message, "Either Template URL or Template Body must be specified.");
        let big = "x".repeat(MAX_BODY + 1);
        let e = body_of(&json!({"TemplateBody": big}), None, &a).expect_err("too large");
        assert!(e.message.ends_with("Member must have length less than or equal to 51200"));
        assert_eq!(body_of(&json!({"UsePreviousTemplate": true}), Some("t"), &a).ok().as_deref(), Some("t"));
        // A TemplateURL is read from the account's S3, whatever its size.
        a.create_bucket("tpl-bucket", None).unwrap_or_else(|e| panic!("{e}"));
        let long = format!("Description: {}\nResources: {{}}\n", "d".repeat(MAX_BODY));
        a.put_object("tpl-bucket", "big.yaml", long.clone().into_bytes(), Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let url = json!({"TemplateURL": "http://127.0.0.1:4566/tpl-bucket/big.yaml"});
        assert_eq!(body_of(&url, None, &a).ok().as_deref(), Some(long.as_str()));
        let e = body_of(&json!({"TemplateURL": "https://example.com/t.yaml"}), None, &a).expect_err("not S3");
        assert_eq!((e.code.as_str(), e.message.as_str()), ("ValidationError", "TemplateURL must be a supported URL."));
        let e = body_of(&json!({"TemplateURL": "https://s3.amazonaws.com/tpl-bucket/nope"}), None, &a)
            .expect_err("missing");
        assert!(e.message.starts_with("S3 error: The specified key does not exist."), "{}", e.message);
    }
}
