//! IAM: GetRole and ListRoles over the roles the account records (the
//! `AWS::IAM::Role` resources stacks made; tasknet gives them no behaviour,
//! so only what their records and their stacks hold is answered).

use super::{input, pages};
use crate::dispatch::{read, Operation, Read};
use crate::error::WireError;
use crate::model::Service;
use account::{Account, InertResource, StackResource};
use serde_json::{json, Value};

/// IAM's operations.
pub const OPERATIONS: &[Operation] = &[read("GetRole", get_role), read("ListRoles", list_roles)];

/// The type roles are recorded under.
const ROLE: &str = "AWS::IAM::Role";

/// IAM's NoSuchEntity with its model's status (404); the text is seen from
/// GetRole: `The role with name NAME cannot be found.`
fn no_such_role(name: &str) -> WireError {
    let status = Service::Iam.model().error_code("NoSuchEntityException").and_then(|(_, s)| s).unwrap_or(404);
    WireError::new(status, "NoSuchEntity", format!("The role with name {name} cannot be found."))
}

/// The roles, by name.
fn roles(a: &Account) -> Vec<&InertResource> {
    let mut list: Vec<&InertResource> = a.inert.values().filter(|r| r.resource_type == ROLE).collect();
    list.sort_by(|x, y| x.physical_id.cmp(&y.physical_id));
    list
}

/// The stack resource that made the role, and when it was created (its
/// stack's first event for it).
fn origin<'a>(a: &'a Account, name: &str) -> (Option<&'a StackResource>, Option<u64>) {
    let made_by = |r: &StackResource| r.resource_type == ROLE && r.physical_resource_id.as_deref() == Some(name);
    for s in a.stacks.values().filter(|s| s.stack_status != account::StackStatus::DeleteComplete) {
        if let Some(r) = s.resources.iter().find(|r| made_by(r)) {
            let created = s
                .events
                .iter()
                .filter(|e| e.logical_resource_id == r.logical_resource_id && e.resource_type == ROLE)
                .map(|e| e.timestamp)
                .min();
            return (Some(r), created);
        }
    }
    (None, None)
}

/// One `Role`. The path is the ARN's; the trust policy (URL-encoded, as IAM
/// returns policy documents), description and session duration are the
/// template's properties (MaxSessionDuration defaults to 3600 s; AWS doc:
/// "AWS::IAM::Role"). Roles no stack made carry only what their record has.
fn role_json(a: &Account, r: &InertResource) -> Value {
    let name = r.physical_id.as_str();
    let arn = r.arn.clone().unwrap_or_default();
    let path = arn.split_once(":role").map_or("/", |(_, rest)| rest.strip_suffix(name).unwrap_or("/"));
    let (resource, created) = origin(a, name);
    let props = resource.map(|x| &x.properties);
    let prop = |k: &str| props.and_then(|p| p.get(k));
    let policy = prop("AssumeRolePolicyDocument").map(|d| match d {
        Value::String(s) => crate::sigv4::uri_encode(s, false),
        other => crate::sigv4::uri_encode(&other.to_string(), false),
    });
    shapes::json::prune(json!({
        "Path": path,
        "RoleName": name,
        "RoleId": r.attributes.get("RoleId"),
        "Arn": arn,
        "CreateDate": created.map(shapes::time::aws_cli),
        "AssumeRolePolicyDocument": policy,
        "Description": prop("Description"),
        "MaxSessionDuration": prop("MaxSessionDuration").cloned().unwrap_or(json!(3600)),
    }))
}

fn get_role(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let name = input::text(input, "RoleName").unwrap_or_default();
    let role = roles(r.account).into_iter().find(|x| x.physical_id == name).ok_or_else(|| no_such_role(name))?;
    Ok(json!({ "Role": role_json(r.account, role) }))
}

/// ListRoles under `PathPrefix` (default `/`). AWS doc: "ListRoles"
/// (MaxItems 1..=1000, default 100; IsTruncated and Marker page it).
fn list_roles(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let prefix = input::text(input, "PathPrefix").unwrap_or("/");
    let docs: Vec<Value> = roles(r.account)
        .into_iter()
        .map(|x| role_json(r.account, x))
        .filter(|d| d["Path"].as_str().is_some_and(|p| p.starts_with(prefix)))
        .collect();
    let limits = pages::Limits { default: 100, max: 1000 };
    let bad = |m: String| WireError::validation(Service::Iam, m);
    let (page, next) = pages::page(&docs, input::text(input, "Marker"), input::int(input, "MaxItems"), limits, bad)?;
    Ok(shapes::json::prune(json!({ "Roles": page, "IsTruncated": next.is_some(), "Marker": next })))
}
