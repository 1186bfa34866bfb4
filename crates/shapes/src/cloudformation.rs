//! CloudFormation's `DescribeStacks`, `DescribeStackEvents` and
//! `DescribeStackResources` (with the change set and List documents in the
//! submodules). These take the query itself rather than a
//! [`crate::Selection`]: the stack name is their request parameter, and a
//! missing stack is an error of the operation asked for.

use crate::error::stack_not_found;
use crate::json::{non_empty, opt_timestamp, prune, timestamp};
use crate::select::{find_stack, DELETE_COMPLETE};
use crate::{ApiError, Query};
use account::{Account, Stack, StackEvent};
use serde_json::{json, Value};

mod change_sets;
mod lists;

pub use change_sets::{describe_change_set, list_change_sets};
pub use lists::{
    describe_stack_resource, get_template, get_template_summary, list_exports, list_imports, list_stack_resources,
    list_stacks, validate_template,
};

/// The stacks an operation covers: `--stack-name`'s stack, else every stack
/// (deleted ones only with `--all`), newest first.
pub fn stacks<'a>(account: &'a Account, query: &Query, operation: &'static str) -> Result<Vec<&'a Stack>, ApiError> {
    if let Some(name) = &query.stack_name {
        return find_stack(account, name, query.all).map(|s| vec![s]).ok_or_else(|| stack_not_found(name, operation));
    }
    let mut stacks: Vec<&Stack> =
        account.stacks.values().filter(|s| query.all || s.stack_status != DELETE_COMPLETE).collect();
    stacks.sort_by(|a, b| b.creation_time.cmp(&a.creation_time).then_with(|| a.stack_name.cmp(&b.stack_name)));
    Ok(stacks)
}

/// The top of a nested stack's parent chain (`RootId`); `None` for a root stack.
fn root_id<'a>(account: &'a Account, stack: &'a Stack) -> Option<&'a str> {
    let mut current = stack;
    let mut root = None;
    // Bounded by the number of stacks, so a malformed parent cycle ends.
    for _ in 0..account.stacks.len() {
        let Some(parent) = current.parent_id.as_deref() else { break };
        root = Some(parent);
        match account.stacks.values().find(|s| s.stack_id == parent) {
            Some(p) => current = p,
            None => break,
        }
    }
    root
}

/// One `Stack` of DescribeStacks, in the order the aws CLI prints its members.
/// Tasknet has no notifications, tags, termination protection or drift
/// detection, so those members carry the values of a stack that uses none.
fn stack_json(account: &Account, s: &Stack) -> Value {
    let parameters = s.parameters.iter().map(|(k, v)| json!({"ParameterKey": k, "ParameterValue": v})).collect();
    let outputs = s
        .outputs
        .iter()
        .map(|o| json!({"OutputKey": o.output_key, "OutputValue": o.output_value, "Description": o.description, "ExportName": o.export_name}))
        .collect();
    json!({
        "StackId": s.stack_id,
        "StackName": s.stack_name,
        "Description": s.description,
        "Parameters": non_empty(parameters),
        "CreationTime": timestamp(s.creation_time),
        "DeletionTime": opt_timestamp(s.deletion_time),
        "LastUpdatedTime": opt_timestamp(s.last_updated_time),
        "RollbackConfiguration": {},
        "StackStatus": s.stack_status,
        "StackStatusReason": s.stack_status_reason,
        "DisableRollback": s.disable_rollback,
        "NotificationARNs": [],
        "Capabilities": non_empty(s.capabilities.iter().map(|c| json!(c)).collect()),
        "Outputs": non_empty(outputs),
        "Tags": s.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
        "EnableTerminationProtection": false,
        "ParentId": s.parent_id,
        "RootId": root_id(account, s),
        "DriftInformation": {"StackDriftStatus": "NOT_CHECKED"},
    })
}

/// DescribeStacks: `{"Stacks": […]}`.
pub fn describe_stacks(account: &Account, query: &Query) -> Result<Value, ApiError> {
    let list: Vec<Value> = stacks(account, query, "DescribeStacks")?.iter().map(|s| stack_json(account, s)).collect();
    Ok(prune(json!({ "Stacks": list })))
}

/// One `StackEvent`.
fn event_json(e: &StackEvent) -> Value {
    json!({
        "StackId": e.stack_id,
        "EventId": e.event_id,
        "StackName": e.stack_name,
        "LogicalResourceId": e.logical_resource_id,
        "PhysicalResourceId": e.physical_resource_id,
        "ResourceType": e.resource_type,
        "Timestamp": timestamp(e.timestamp),
        "ResourceStatus": e.resource_status,
        "ResourceStatusReason": e.resource_status_reason,
    })
}

/// The events of the stacks in view, newest first, as the console and the
/// API list them; events of the same instant keep their recorded order
/// reversed (the later one was recorded last).
pub fn stack_events<'a>(account: &'a Account, query: &Query) -> Result<Vec<&'a StackEvent>, ApiError> {
    let stacks = stacks(account, query, "DescribeStackEvents")?;
    let mut events: Vec<&StackEvent> = stacks.iter().flat_map(|s| s.events.iter()).collect();
    events.reverse();
    // A stable sort, so the reversal above decides ties.
    events.sort_by_key(|e| std::cmp::Reverse(e.timestamp));
    Ok(events)
}

/// DescribeStackEvents: `{"StackEvents": […]}`; without a stack name, every
/// shown stack's.
pub fn describe_stack_events(account: &Account, query: &Query) -> Result<Value, ApiError> {
    let list: Vec<Value> = stack_events(account, query)?.iter().map(|e| event_json(e)).collect();
    Ok(prune(json!({ "StackEvents": list })))
}

/// DescribeStackResources: `{"StackResources": […]}` in creation order.
pub fn describe_stack_resources(account: &Account, query: &Query) -> Result<Value, ApiError> {
    let list: Vec<Value> = stacks(account, query, "DescribeStackResources")?
        .iter()
        .flat_map(|s| {
            s.resources.iter().map(move |r| {
                json!({
                    "StackName": s.stack_name,
                    "StackId": s.stack_id,
                    "LogicalResourceId": r.logical_resource_id,
                    "PhysicalResourceId": r.physical_resource_id,
                    "ResourceType": r.resource_type,
                    "Timestamp": timestamp(r.last_updated_timestamp),
                    "ResourceStatus": r.resource_status,
                    "ResourceStatusReason": r.resource_status_reason,
                    "DriftInformation": {"StackResourceDriftStatus": "NOT_CHECKED"},
                })
            })
        })
        .collect();
    Ok(prune(json!({ "StackResources": list })))
}

#[cfg(test)]
mod tests;
