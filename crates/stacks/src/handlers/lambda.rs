//! AWS::Lambda::Function: created through the account's CreateFunction
//! (AWS doc "AWS::Lambda::Function": Ref is the name, `Arn` the function's
//! ARN; FunctionName's change replaces it, code and configuration change in
//! place). Lambda's refusals become findings at their property; a runtime
//! past its block-create date is TN2301, an error unless
//! `--allow-deprecated-runtimes` makes it a warning.

use super::kind::{kind, Kind, Moved};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::lambda::runtimes;
use account::{Account, ConfigurationUpdate, CreateFunction, FunctionCode, StackResource};
use cfn::Diagnostic;
use std::collections::BTreeMap;

/// How CloudFormation's registry handlers word a service's refusal (seen:
/// `Resource handler returned message: "The runtime parameter of nodejs12.x
/// is no longer supported … (Service: Lambda, Status Code: 400, Request ID:
/// …)" (RequestToken: …, HandlerErrorCode: InvalidRequest)`).
fn handler_message(p: &mut Planner, message: &str, status: u16) -> String {
    let request = account::ids::uuid(p.account.next_words("lambda-request"));
    let token = account::ids::uuid(p.account.next_words("lambda-token"));
    let code = if status == 409 {
        "AlreadyExists"
    } else if status == 404 {
        "NotFound"
    } else {
        "InvalidRequest"
    };
    format!(
        "Resource handler returned message: \"{message} (Service: Lambda, Status Code: {status}, Request ID: {request})\" (RequestToken: {token}, HandlerErrorCode: {code})"
    )
}

/// `Code`: `ZipFile` (inline source), or `S3Bucket`/`S3Key`; for tasknet's
/// own deploy also a local folder (`Code: ./src`, as `aws cloudformation
/// package` takes it before uploading), relative to the template.
fn code(p: &Planner, props: &Props<'_>) -> Option<FunctionCode> {
    if let Some(folder) = props.str("Code") {
        let base = p.template_dir.clone().unwrap_or_default();
        let path = base.join(folder);
        let path = path.canonicalize().unwrap_or(path);
        return Some(FunctionCode::Dir { path: path.to_string_lossy().into_owned() });
    }
    let c = props.child("Code")?;
    if let Some(source) = c.str("ZipFile") {
        return Some(FunctionCode::Inline { source });
    }
    Some(FunctionCode::S3 {
        bucket: c.str("S3Bucket")?,
        key: c.str("S3Key")?,
        object_version: c.str("S3ObjectVersion"),
    })
}

/// The warning that replaces the type error of a function's `Code` given as
/// a local folder that exists (relative to the template): tasknet's deploy
/// runs the code from there; CloudFormation needs it packaged first.
pub fn local_code_folder(p: &Planner, type_name: &str, props: &cfn::Node, d: &Diagnostic) -> Option<Diagnostic> {
    if type_name != "AWS::Lambda::Function" || d.code != "TN1005" || !d.path.ends_with("/Properties/Code") {
        return None;
    }
    let folder = props.get("Code")?.scalar_string()?;
    let path = p.template_dir.clone().unwrap_or_default().join(&folder);
    if !path.is_dir() {
        return None;
    }
    let mut w = d.clone();
    w.code = "TN2302";
    w.severity = cfn::Severity::Warning;
    w.message = format!("Code is the local folder {folder}: tasknet deploy runs the function from it; CloudFormation needs it packaged (aws cloudformation package uploads it and writes S3Bucket/S3Key)");
    w.hint = Some("run `aws cloudformation package` before deploying to AWS".into());
    Some(w)
}

/// `Environment.Variables`.
fn variables(props: &Props<'_>) -> Option<BTreeMap<String, String>> {
    let vars = props.child("Environment")?.get("Variables")?.as_map()?;
    Some(vars.iter().filter_map(|(k, v)| Some((k.name.clone(), v.scalar_string()?))).collect())
}

/// The CreateFunction request a function's properties make.
pub fn request(p: &Planner, props: &Props<'_>, name: String) -> CreateFunction {
    CreateFunction {
        function_name: name,
        runtime: props.str("Runtime"),
        role: props.str("Role").unwrap_or_default(),
        handler: props.str("Handler"),
        code: code(p, props),
        description: props.str("Description"),
        timeout: props.str("Timeout").and_then(|t| t.trim().parse().ok()),
        memory_size: props.str("MemorySize").and_then(|t| t.trim().parse().ok()),
        environment: variables(props),
        architectures: props.get("Architectures").map(|_| props.strs("Architectures")),
        tags: props.tags().into_iter().collect(),
    }
}

/// The finding for a runtime past its block-create date, when it is.
fn runtime_finding(p: &mut Planner, props: &Props<'_>) -> Option<Diagnostic> {
    let runtime = props.str("Runtime")?;
    let r = runtimes::runtime(&runtime)?;
    let date = account::lambda::date_of(p.account.clock_ms);
    if !r.create_blocked_on(&date) {
        return None;
    }
    let since = r.block_create.unwrap_or_default();
    let fix = format!(
        "use {} (the newest {} runtime); {runtime} could no longer be used for new functions from {since} (AWS doc \"Lambda runtimes\")",
        r.newest(),
        family(r.id)
    );
    let d = if p.allow_deprecated_runtimes {
        Diagnostic::warning(
            "TN2301",
            format!("Runtime {runtime} is past its block-create date ({since}): AWS refuses new functions on it; tasknet creates and runs it because of --allow-deprecated-runtimes"),
        )
    } else {
        Diagnostic::error("TN2301", handler_message(p, &runtimes::blocked_text(r), 400))
    };
    Some(d.resource(props.logical_id).path(props.path("Runtime")).at(props.pos("Runtime")).hint(fix))
}

/// `python`, `nodejs`, `java`, …: a runtime's family.
fn family(id: &str) -> &str {
    id.split(|c: char| c.is_ascii_digit() || c == '.').next().unwrap_or(id)
}

/// AWS::Lambda::Function.
pub fn function(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("FunctionName").unwrap_or_else(|| p.generated_name(props.logical_id, 64));
    if let Some(d) = runtime_finding(p, props) {
        p.report(d);
    }
    // Created even when refused, so the resources that depend on it are checked too.
    let created = p.account.create_function(request(p, props, name.clone()), true);
    let arn = match created {
        Ok(f) => f.function_arn,
        Err(e) => {
            let status = account::AwsError::http_status(&e);
            let at = if e.message.contains("'role'") {
                "Role"
            } else if e.code == "ResourceConflictException" {
                "FunctionName"
            } else {
                "Code"
            };
            let message = handler_message(p, &e.message, status);
            p.report(
                Diagnostic::error("TN2300", message)
                    .resource(props.logical_id)
                    .path(props.path(at))
                    .at(props.pos(at))
                    .hint(format!("change the function so Lambda accepts it (Lambda error code {})", e.code)),
            );
            p.account.function_arn(&name)
        }
    };
    Planned::new(name).attr("Arn", arn)
}

/// Carries code and configuration from the scratch function to the real one.
fn update(a: &mut Account, scratch: &Account, m: &Moved<'_>) -> Result<(), String> {
    let Some(new) = scratch.functions.get(m.new_id) else { return Ok(()) };
    if !a.functions.contains_key(m.id) {
        return Ok(());
    }
    // The scratch create already passed the runtime check (or was allowed).
    let allow = true;
    if a.functions.get(m.id).is_some_and(|f| f.code_sha256 != new.code_sha256) {
        a.update_function_code(m.id, new.code.clone(), allow).map_err(|e| e.message)?;
    }
    let update = ConfigurationUpdate {
        runtime: Some(new.runtime.clone()),
        role: Some(new.role.clone()),
        handler: Some(new.handler.clone()),
        description: Some(new.description.clone()),
        timeout: Some(i64::from(new.timeout)),
        memory_size: Some(i64::from(new.memory_size)),
        environment: Some(new.environment.clone()),
    };
    a.update_function_configuration(m.id, update, allow).map(drop).map_err(|e| e.message)
}

fn delete(a: &mut Account, _: &StackResource, id: &str) -> Result<(), String> {
    match a.functions.contains_key(id) {
        true => a.delete_function(id).map(drop).map_err(|e| e.message),
        false => Ok(()),
    }
}

/// The Lambda types' records.
pub(super) const KINDS: &[Kind] = &[Kind {
    replacing: &["FunctionName", "PackageType"],
    update: Some(update),
    ..kind("AWS::Lambda::Function", function, delete)
}];
