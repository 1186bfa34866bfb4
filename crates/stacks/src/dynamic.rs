//! Dynamic references (AWS doc: "Get values stored in other services using
//! dynamic references"): `{{resolve:secretsmanager:…}}`,
//! `{{resolve:ssm:…}}` and `{{resolve:ssm-secure:…}}` inside any string of a
//! resource's resolved properties (alone, or in what `Fn::Sub`/`Fn::Join`
//! made), resolved against the account when the resource is created or
//! updated: the real account on deploy, the scratch one on plan and
//! validate, where a secret the template itself creates exists already
//! because its resource came first.
//!
//! The stack keeps the properties as written (CloudFormation never shows a
//! resolved secret: AWS doc "Get a secret or secret value from Secrets
//! Manager": neither Secrets Manager nor CloudFormation logs persist it), so
//! only the handler sees the values, and [`Resolved::mask`] takes them out
//! of what the handler hands back (attributes, plan details).

use account::Account;
use cfn::{Node, Value};

/// A reference that could not be resolved, in CloudFormation's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DynamicError {
    /// CloudFormation's message.
    pub message: String,
    /// Where the string holding the reference is.
    pub pos: cfn::Pos,
    /// The secret or parameter that was not found, when that is why.
    pub missing: Option<String>,
}

/// Properties with their references resolved, and what was put in.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The properties the handler reads.
    pub node: Node,
    /// Each value put in, with the reference it came from.
    pub values: Vec<(String, String)>,
}

impl Resolved {
    /// `text` with every resolved value replaced by its reference again.
    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (value, reference) in &self.values {
            if !value.is_empty() && out.contains(value.as_str()) {
                out = out.replace(value.as_str(), reference);
            }
        }
        out
    }
}

fn fail(message: impl Into<String>) -> DynamicError {
    DynamicError { message: message.into(), pos: cfn::Pos::default(), missing: None }
}

/// CloudFormation's wrapping of Secrets Manager's error (seen: `Secrets
/// Manager can't find the specified secret. (Service: AWSSecretsManager;
/// Status Code: 400; Error Code: ResourceNotFoundException; Request ID: …)`;
/// tasknet leaves out the request ID).
fn secrets_manager_error(e: &account::ServiceError) -> DynamicError {
    use account::AwsError as _;
    fail(format!(
        "{} (Service: AWSSecretsManager; Status Code: {}; Error Code: {})",
        e.message,
        e.http_status(),
        e.code
    ))
}

/// The ID at the front of `rest` (an ARN keeps its colons: `arn:aws:svc:region:acct:` + `parts` more).
fn split_id(rest: &str, arn_parts: usize) -> (String, Vec<String>) {
    let segs: Vec<&str> = rest.split(':').collect();
    let n = if rest.starts_with("arn:") { arn_parts.min(segs.len()) } else { 1 };
    (segs[..n].join(":"), segs[n..].iter().map(|s| s.to_string()).collect())
}

/// `secret-id:SecretString:json-key:version-stage:version-id`, each part after the ID optional.
fn secretsmanager(a: &Account, rest: &str) -> Result<String, DynamicError> {
    // An ARN is `arn:aws:secretsmanager:REGION:ACCT:secret:NAME-XXXXXX`: 7 parts.
    let (id, parts) = split_id(rest, 7);
    let part = |i: usize| parts.get(i).map(String::as_str).filter(|s| !s.is_empty());
    if let Some(kind) = part(0) {
        if kind != "SecretString" {
            // Inferred text: SecretString is the only value type CloudFormation reads.
            return Err(fail(format!(
                "Dynamic reference {{{{resolve:secretsmanager:{rest}}}}} is not valid: only SecretString is supported"
            )));
        }
    }
    let (json_key, stage, version) = (part(1), part(2), part(3));
    let (_, v) = a.get_secret_value(&id, version, if version.is_some() { None } else { stage }).map_err(|e| {
        DynamicError { missing: a.secret(&id).is_err().then(|| id.clone()), ..secrets_manager_error(&e) }
    })?;
    let text = match &v.value {
        account::SecretValue::String(s) => s.clone(),
        // Inferred text.
        account::SecretValue::Binary(_) => return Err(fail("Dynamic references cannot read a secret's SecretBinary")),
    };
    let Some(key) = json_key else { return Ok(text) };
    // Unverified text (CloudFormation's for a value that is not JSON).
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|_| fail("Could not parse SecretString JSON"))?;
    match doc.get(key) {
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(other) if !other.is_null() => Ok(other.to_string()),
        // Seen.
        _ => Err(fail("Could not find a value associated with JSONKey in SecretString")),
    }
}

/// `name:version` or `name` (the latest version). tasknet keeps only the
/// latest version of a parameter, so an older one is not found.
fn ssm(a: &Account, rest: &str, secure: bool) -> Result<String, DynamicError> {
    // An ARN is `arn:aws:ssm:REGION:ACCT:parameter/NAME`: 6 parts.
    let (name, parts) = split_id(rest, 6);
    let name = name.split_once(":parameter").map_or(name.clone(), |(_, n)| n.to_string());
    // Inferred: the same text as for a parameter of an SSM parameter type (seen there).
    let missing = || DynamicError {
        missing: Some(name.clone()),
        ..fail(format!("Parameters: [ssm{}:{name}] cannot be found.", if secure { "-secure" } else { "" }))
    };
    let p = a.ssm_parameter(&name).ok_or_else(missing)?;
    if let Some(v) = parts.first().filter(|v| !v.is_empty()) {
        if v.parse::<u32>().ok() != Some(p.version) {
            return Err(missing());
        }
    }
    if !secure && p.param_type == "SecureString" {
        // AWS doc: "Get a plaintext value from Systems Manager Parameter Store": ssm does not read SecureString (text inferred).
        return Err(fail(format!("Parameter {name} is a SecureString: use {{{{resolve:ssm-secure:{name}}}}}")));
    }
    a.ssm_parameter_value(&name, secure).map_err(|e| fail(format!("{} ({})", e.message, e.code)))
}

/// One reference's value: `body` is what stands between `{{resolve:` and `}}`.
fn reference(a: &Account, body: &str) -> Result<String, DynamicError> {
    match body.split_once(':') {
        Some(("secretsmanager", rest)) => secretsmanager(a, rest),
        Some(("ssm", rest)) => ssm(a, rest, false),
        Some(("ssm-secure", rest)) => ssm(a, rest, true),
        // Inferred text: the services CloudFormation knows are these three.
        _ => Err(fail(format!(
            "Dynamic reference {{{{resolve:{body}}}}} names a service CloudFormation does not resolve"
        ))),
    }
}

/// `text` with each reference replaced; the values put in are pushed to `values`.
fn resolve_text(a: &Account, text: &str, values: &mut Vec<(String, String)>) -> Result<String, DynamicError> {
    const OPEN: &str = "{{resolve:";
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + OPEN.len()..];
        let Some(end) = after.find("}}") else {
            // Not closed: not a reference; kept as written.
            out.push_str(&rest[i..]);
            return Ok(out);
        };
        let body = &after[..end];
        let value = reference(a, body)?;
        values.push((value.clone(), format!("{OPEN}{body}}}}}")));
        out.push_str(&value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn walk(a: &Account, n: &Node, values: &mut Vec<(String, String)>) -> Result<Node, DynamicError> {
    let value = match &n.value {
        Value::String(s) if s.contains("{{resolve:") => {
            Value::String(resolve_text(a, s, values).map_err(|e| DynamicError { pos: n.pos, ..e })?)
        }
        Value::List(items) => Value::List(items.iter().map(|i| walk(a, i, values)).collect::<Result<_, _>>()?),
        Value::Map(m) => {
            let mut out = cfn::Map::default();
            for (k, v) in m.iter() {
                out.insert(k.clone(), walk(a, v, values)?);
            }
            Value::Map(out)
        }
        other => other.clone(),
    };
    Ok(Node::new(value, n.pos))
}

/// True when `n` holds a dynamic reference anywhere.
pub fn has_references(n: &Node) -> bool {
    match &n.value {
        Value::String(s) => s.contains("{{resolve:"),
        Value::List(items) => items.iter().any(has_references),
        Value::Map(m) => m.iter().any(|(_, v)| has_references(v)),
        _ => false,
    }
}

/// Resolves every reference in `properties` against `a`.
pub fn resolve(a: &Account, properties: &Node) -> Result<Resolved, DynamicError> {
    let mut values = Vec::new();
    let node = walk(a, properties, &mut values)?;
    Ok(Resolved { node, values })
}

#[cfg(test)]
mod tests {
    use super::*;
    use account::{CreateSecret, SecretValue};

    fn account() -> Account {
        let mut a = Account::default();
        let req = CreateSecret {
            name: "app/creds".into(),
            value: Some(SecretValue::String(r#"{"MYSQL_PASSWORD":"pw1","PORT":3306}"#.into())),
            ..CreateSecret::default()
        };
        a.create_secret(&req).expect("secret");
        a.put_secret_value("app/creds", SecretValue::String(r#"{"MYSQL_PASSWORD":"pw2"}"#.into()), None, &[])
            .expect("v2");
        a.put_parameter("/plain", Some("String"), "hello", false, None).expect("plain");
        a.put_parameter("/secure", Some("SecureString"), "hidden", false, None).expect("secure");
        a
    }

    fn text(a: &Account, s: &str) -> Result<String, String> {
        resolve_text(a, s, &mut Vec::new()).map_err(|e| e.message)
    }

    #[test]
    fn every_optional_part_of_a_secret_reference() {
        let a = account();
        let arn = a.secret("app/creds").expect("secret").arn.clone();
        assert_eq!(text(&a, "{{resolve:secretsmanager:app/creds}}").as_deref(), Ok(r#"{"MYSQL_PASSWORD":"pw2"}"#));
        assert_eq!(text(&a, "{{resolve:secretsmanager:app/creds:SecretString:MYSQL_PASSWORD}}").as_deref(), Ok("pw2"));
        assert_eq!(
            text(&a, &format!("{{{{resolve:secretsmanager:{arn}:SecretString:MYSQL_PASSWORD}}}}")).as_deref(),
            Ok("pw2")
        );
        let previous = "{{resolve:secretsmanager:app/creds:SecretString:MYSQL_PASSWORD:AWSPREVIOUS}}";
        assert_eq!(text(&a, previous).as_deref(), Ok("pw1"));
        let v1 = a.get_secret_value("app/creds", None, Some("AWSPREVIOUS")).expect("v1").1.version_id.clone();
        let by_id = format!("{{{{resolve:secretsmanager:app/creds:SecretString:PORT::{v1}}}}}");
        assert_eq!(text(&a, &by_id).as_deref(), Ok("3306"));
        assert_eq!(
            text(&a, "jdbc://u:{{resolve:secretsmanager:app/creds:SecretString:MYSQL_PASSWORD}}@h").as_deref(),
            Ok("jdbc://u:pw2@h")
        );
        assert_eq!(
            text(&a, "{{resolve:secretsmanager:nope:SecretString:X}}"),
            Err("Secrets Manager can't find the specified secret. (Service: AWSSecretsManager; Status Code: 400; Error Code: ResourceNotFoundException)".into())
        );
        assert_eq!(
            text(&a, "{{resolve:secretsmanager:app/creds:SecretString:NOPE}}"),
            Err("Could not find a value associated with JSONKey in SecretString".into())
        );
    }

    #[test]
    fn parameters_plain_and_secure() {
        let a = account();
        assert_eq!(text(&a, "{{resolve:ssm:/plain}}").as_deref(), Ok("hello"));
        assert_eq!(text(&a, "{{resolve:ssm:/plain:1}}").as_deref(), Ok("hello"));
        assert_eq!(text(&a, "{{resolve:ssm:/plain:2}}"), Err("Parameters: [ssm:/plain] cannot be found.".into()));
        assert_eq!(text(&a, "{{resolve:ssm-secure:/secure:1}}").as_deref(), Ok("hidden"));
        assert!(text(&a, "{{resolve:ssm:/secure}}").is_err());
        assert_eq!(text(&a, "{{resolve:ssm:/none}}"), Err("Parameters: [ssm:/none] cannot be found.".into()));
        assert_eq!(text(&a, "no reference {{resolve:ssm:/plain").as_deref(), Ok("no reference {{resolve:ssm:/plain"));
    }

    #[test]
    fn nested_properties_are_resolved_and_masked_back() {
        let a = account();
        let props = Node::from_json(
            &serde_json::json!({"Env": [{"Value": "{{resolve:secretsmanager:app/creds:SecretString:MYSQL_PASSWORD}}"}], "N": 1}),
            cfn::Pos::new(3, 4),
        );
        assert!(has_references(&props));
        let r = resolve(&a, &props).expect("resolved");
        assert_eq!(r.node.to_json()["Env"][0]["Value"], "pw2");
        assert_eq!(r.node.pos, cfn::Pos::new(3, 4));
        assert_eq!(r.mask("password pw2"), "password {{resolve:secretsmanager:app/creds:SecretString:MYSQL_PASSWORD}}");
    }
}
