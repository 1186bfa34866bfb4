//! Task definitions: register, deregister, describe and list them.

use super::{aws, ecs_page, input, invalid, request};
use crate::dispatch::{Read, Write};
use crate::error::WireError;
use control::ecs::{self, RegisterTaskDefinitionRequest};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// RegisterTaskDefinition: the family's next revision.
pub fn register_task_definition(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let req: RegisterTaskDefinitionRequest = request(input)?;
    let td = ecs::register_task_definition(&mut w.session.account, req.definition()).map_err(|e| aws(&e))?;
    Ok(shapes::ecs::describe_task_definition(&td))
}

/// DeregisterTaskDefinition: the revision, now INACTIVE.
pub fn deregister_task_definition(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let reference = input::text(input, "taskDefinition").unwrap_or_default();
    let td = ecs::deregister_task_definition(&mut w.session.account, reference).map_err(|e| aws(&e))?;
    Ok(shapes::ecs::describe_task_definition(&td))
}

/// DescribeTaskDefinition.
pub fn describe_task_definition(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let reference = input::text(input, "taskDefinition").unwrap_or_default();
    let td = ecs::describe_task_definition(r.account, reference).map_err(|e| aws(&e))?;
    Ok(shapes::ecs::describe_task_definition(td))
}

/// The `status` member: ACTIVE unless given (AWS doc: "ListTaskDefinitions").
fn status_of(input: &Value, allowed: &[&str]) -> Result<String, WireError> {
    let status = input::text(input, "status").unwrap_or("ACTIVE");
    if allowed.contains(&status) {
        Ok(status.to_string())
    } else {
        // The model's enum check, in tasknet's words.
        Err(invalid(format!("status must be one of {}.", allowed.join(", "))))
    }
}

/// ListTaskDefinitions: revisions of `familyPrefix`'s families (a prefix, as
/// the name says) with `status`, by family and revision, `sort` DESC
/// reversing. AWS doc: "ListTaskDefinitions" (maxResults 1..=100, default 100).
pub fn list_task_definitions(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let status = status_of(input, &["ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS"])?;
    let prefix = input::text(input, "familyPrefix").unwrap_or("");
    let mut defs: Vec<&account::TaskDefinition> = r
        .account
        .task_definitions
        .values()
        .filter(|t| t.family.starts_with(prefix) && t.status.to_string() == status)
        .collect();
    defs.sort_by(|a, b| (&a.family, a.revision).cmp(&(&b.family, b.revision)));
    if input::text(input, "sort") == Some("DESC") {
        defs.reverse();
    }
    let arns: Vec<&str> = defs.iter().map(|t| t.task_definition_arn.as_str()).collect();
    let (page, next) = ecs_page(&arns, input, 100, 100)?;
    Ok(json!({ "taskDefinitionArns": page, "nextToken": next }))
}

/// ListTaskDefinitionFamilies: families with an ACTIVE revision (`status`
/// ACTIVE, the default), with only INACTIVE ones (INACTIVE), or all (ALL).
/// AWS doc: "ListTaskDefinitionFamilies" (maxResults 1..=100, default 100).
pub fn list_task_definition_families(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let status = status_of(input, &["ACTIVE", "INACTIVE", "ALL"])?;
    let prefix = input::text(input, "familyPrefix").unwrap_or("");
    let defs = || r.account.task_definitions.values().filter(|t| t.family.starts_with(prefix));
    let active: BTreeSet<&str> =
        defs().filter(|t| t.status == account::TaskDefinitionStatus::Active).map(|t| t.family.as_str()).collect();
    let all: BTreeSet<&str> = defs().map(|t| t.family.as_str()).collect();
    let families: Vec<&str> = match status.as_str() {
        "ACTIVE" => active.into_iter().collect(),
        "INACTIVE" => all.difference(&active).copied().collect(),
        _ => all.into_iter().collect(),
    };
    let (page, next) = ecs_page(&families, input, 100, 100)?;
    Ok(json!({ "families": page, "nextToken": next }))
}
