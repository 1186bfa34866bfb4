//! SSM Parameter Store: GetParameter, GetParameters, GetParametersByPath
//! and PutParameter over the account's parameters (AWS's public ECS AMI
//! parameters among them).

use super::{input, pages};
use crate::dispatch::{read, write, Operation, Read, Write};
use crate::error::WireError;
use account::{Account, SsmParameter};
use serde_json::{json, Value};

/// SSM's operations.
pub const OPERATIONS: &[Operation] = &[
    read("GetParameter", get_parameter),
    read("GetParameters", get_parameters),
    read("GetParametersByPath", get_parameters_by_path),
    write("PutParameter", put_parameter),
];

/// SSM's ParameterNotFound: seen with an empty message (`An error occurred
/// (ParameterNotFound) when calling the GetParameter operation: `).
fn not_found() -> WireError {
    WireError::bad("ParameterNotFound", "")
}

/// A parameter's ARN (the account's rule).
fn arn(a: &Account, name: &str) -> String {
    a.ssm_parameter_arn(name)
}

/// One `Parameter`. tasknet keeps no modification dates, so
/// LastModifiedDate is left out. A SecureString's value is its ciphertext
/// (base64) unless the request asked `WithDecryption` (AWS doc: "GetParameter").
fn parameter_json(a: &Account, p: &SsmParameter, selector: Option<&str>, decrypt: bool) -> Result<Value, WireError> {
    let value = a.ssm_parameter_value(&p.name, decrypt).map_err(|e| WireError::from_aws(&e))?;
    Ok(json!({
        "Name": p.name,
        "Type": p.param_type,
        "Value": value,
        "Version": p.version,
        "Selector": selector,
        "ARN": arn(a, &p.name),
        // AWS doc: "PutParameter": DataType defaults to text.
        "DataType": "text",
    }))
}

fn with_decryption(input: &Value) -> bool {
    input::boolean(input, "WithDecryption").unwrap_or(false)
}

/// The parameter `name` names: `NAME` or `NAME:VERSION` (tasknet keeps only
/// the latest version, so an older one is ParameterVersionNotFound; its
/// text is inferred). Labels are not modelled and read as not found.
fn lookup<'a>(a: &'a Account, name: &str) -> Result<(&'a SsmParameter, Option<String>), WireError> {
    if let Some(p) = a.ssm_parameter(name) {
        return Ok((p, None));
    }
    let (base, selector) = name.rsplit_once(':').ok_or_else(not_found)?;
    let p = a.ssm_parameter(base).ok_or_else(not_found)?;
    match selector.parse::<u32>() {
        Ok(v) if v == p.version => Ok((p, Some(format!(":{selector}")))),
        Ok(_) => Err(WireError::bad(
            "ParameterVersionNotFound",
            format!("Systems Manager could not find version {selector} of {base}."),
        )),
        Err(_) => Err(not_found()),
    }
}

fn get_parameter(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let name = input::text(input, "Name").unwrap_or_default();
    let (p, selector) = lookup(r.account, name)?;
    Ok(json!({ "Parameter": parameter_json(r.account, p, selector.as_deref(), with_decryption(input))? }))
}

/// GetParameters: the parameters found, and the names not found as
/// InvalidParameters (not an error).
fn get_parameters(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let mut found = Vec::new();
    let mut invalid = Vec::new();
    for name in input::texts(input, "Names") {
        match lookup(r.account, &name) {
            Ok((p, selector)) => found.push(parameter_json(r.account, p, selector.as_deref(), with_decryption(input))?),
            Err(_) => invalid.push(name),
        }
    }
    Ok(json!({ "Parameters": found, "InvalidParameters": invalid }))
}

/// True when `name` is under `path`: directly, or at any depth with `recursive`.
fn under(name: &str, path: &str, recursive: bool) -> bool {
    let base = if path.ends_with('/') { path.to_string() } else { format!("{path}/") };
    name.strip_prefix(&base).is_some_and(|rest| !rest.is_empty() && (recursive || !rest.contains('/')))
}

/// GetParametersByPath. AWS doc: "GetParametersByPath" (MaxResults 1..=10,
/// default 10). ParameterFilters are not evaluated and are refused.
fn get_parameters_by_path(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let path = input::text(input, "Path").unwrap_or_default();
    if !path.starts_with('/') {
        // Inferred text: the API's rule that a hierarchy begins with a slash.
        return Err(WireError::bad("ValidationException", "The parameter path must begin with a forward slash (/)."));
    }
    if input.get("ParameterFilters").is_some_and(|f| f.as_array().is_some_and(|a| !a.is_empty())) {
        return Err(WireError::bad("ValidationException", "tasknet does not evaluate ParameterFilters."));
    }
    let recursive = input::boolean(input, "Recursive").unwrap_or(false);
    let list: Vec<&SsmParameter> =
        r.account.ssm_parameters.values().filter(|p| under(&p.name, path, recursive)).collect();
    let bad = |m: String| WireError::bad("InvalidNextToken", m);
    let limits = pages::Limits { default: 10, max: 10 };
    let (page, next) =
        pages::page(&list, input::text(input, "NextToken"), input::int(input, "MaxResults"), limits, bad)?;
    let params = page
        .iter()
        .map(|p| parameter_json(r.account, p, None, with_decryption(input)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(json!({ "Parameters": params, "NextToken": next }))
}

/// PutParameter (`Overwrite` for a new version of an existing one; `KeyId` for a SecureString's key).
fn put_parameter(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let name = input::text(input, "Name").unwrap_or_default();
    let value = input::text(input, "Value").unwrap_or_default();
    let overwrite = input::boolean(input, "Overwrite").unwrap_or(false);
    let version = w
        .session
        .account
        .put_parameter(name, input::text(input, "Type"), value, overwrite, input::text(input, "KeyId"))
        .map_err(|e| WireError::from_aws(&e))?;
    // tasknet's parameters are all in the Standard tier (the default; AWS doc: "PutParameter").
    Ok(json!({ "Version": version, "Tier": "Standard" }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_take_children_or_descendants() {
        assert!(under("/a/b", "/a", false));
        assert!(!under("/a/b/c", "/a", false));
        assert!(under("/a/b/c", "/a/", true));
        assert!(!under("/ab", "/a", true));
    }

    #[test]
    fn public_parameters_have_no_owner_and_versions_select() {
        let a = Account::default();
        let name = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id";
        assert!(arn(&a, name).starts_with("arn:aws:ssm:us-east-1::parameter/aws/service/"));
        assert!(lookup(&a, &format!("{name}:1")).is_ok());
        assert_eq!(lookup(&a, &format!("{name}:7")).err().map(|e| e.code), Some("ParameterVersionNotFound".into()));
        assert_eq!(lookup(&a, "/nope").err().map(|e| e.code), Some("ParameterNotFound".into()));
    }
}
