//! CloudFormation views: `describe-stacks`, `describe-stack-events`,
//! `describe-stack-resources`.

use super::json::{non_empty, opt_timestamp, timestamp};
use super::select::{find_stack, stack_not_found, DELETE_COMPLETE};
use super::table::{or_none, Table};
use super::{time, ApiError, Doc, Query};
use crate::cli::DescribeFormat;
use account::{Account, Stack, StackEvent};
use serde_json::{json, Value};

/// The stacks a view covers: `--stack-name`'s stack, else every stack
/// (deleted ones only with `--all`), newest first.
fn stacks_in_view<'a>(
    account: &'a Account,
    query: &Query,
    operation: &'static str,
) -> Result<Vec<&'a Stack>, ApiError> {
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
        "Tags": [],
        "EnableTerminationProtection": false,
        "ParentId": s.parent_id,
        "RootId": root_id(account, s),
        "DriftInformation": {"StackDriftStatus": "NOT_CHECKED"},
    })
}

/// `describe stacks`: `{"Stacks": […]}`, or a table with the stack's
/// parameters and outputs under it when one stack is named.
pub fn stacks(account: &Account, query: &Query, format: DescribeFormat) -> Result<Doc, ApiError> {
    let stacks = stacks_in_view(account, query, "DescribeStacks")?;
    Ok(Doc::of(
        format,
        || json!({"Stacks": stacks.iter().map(|s| stack_json(account, s)).collect::<Vec<_>>()}),
        || {
            let mut t = Table::new(&["NAME", "STATUS", "CREATED", "UPDATED", "REASON"]);
            for s in &stacks {
                t.row(vec![
                    s.stack_name.clone(),
                    s.stack_status.to_string(),
                    time::text(s.creation_time),
                    or_none(s.last_updated_time.map(time::text)),
                    or_none(s.stack_status_reason.as_deref()),
                ]);
            }
            let mut out = t.render_or("no stacks");
            if let (Some(_), [one]) = (&query.stack_name, stacks.as_slice()) {
                out.push_str(&details_text(one));
            }
            out
        },
    ))
}

/// A named stack's parameters and outputs, as sections under its row.
fn details_text(s: &Stack) -> String {
    let mut out = String::new();
    if !s.parameters.is_empty() {
        let mut t = Table::new(&["PARAMETER", "VALUE"]);
        for (k, v) in &s.parameters {
            t.row(vec![k.clone(), v.clone()]);
        }
        out.push('\n');
        out.push_str(&t.render());
    }
    if !s.outputs.is_empty() {
        let mut t = Table::new(&["OUTPUT", "VALUE", "EXPORT", "DESCRIPTION"]);
        for o in &s.outputs {
            t.row(vec![
                o.output_key.clone(),
                o.output_value.clone(),
                or_none(o.export_name.as_deref()),
                or_none(o.description.as_deref()),
            ]);
        }
        out.push('\n');
        out.push_str(&t.render());
    }
    out
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

/// The events of `stacks`, newest first; events of the same instant keep
/// their recorded order reversed (the later one was recorded last).
fn newest_first<'a>(stacks: &[&'a Stack]) -> Vec<&'a StackEvent> {
    let mut events: Vec<&StackEvent> = stacks.iter().flat_map(|s| s.events.iter()).collect();
    events.reverse();
    // A stable sort, so the reversal above decides ties.
    events.sort_by_key(|e| std::cmp::Reverse(e.timestamp));
    events
}

/// `describe stack-events`: `{"StackEvents": […]}` newest first, as the
/// console and the API list them; without `--stack-name`, every shown stack's.
pub fn events(account: &Account, query: &Query, format: DescribeFormat) -> Result<Doc, ApiError> {
    let stacks = stacks_in_view(account, query, "DescribeStackEvents")?;
    let events = newest_first(&stacks);
    let one_stack = query.stack_name.is_some();
    Ok(Doc::of(
        format,
        || json!({"StackEvents": events.iter().map(|e| event_json(e)).collect::<Vec<_>>()}),
        || {
            let mut header = vec!["TIMESTAMP", "LOGICAL ID", "TYPE", "STATUS", "REASON"];
            if !one_stack {
                header.insert(0, "STACK");
            }
            let mut t = Table::new(&header);
            for e in &events {
                let mut row = vec![
                    time::text(e.timestamp),
                    e.logical_resource_id.clone(),
                    e.resource_type.clone(),
                    e.resource_status.clone(),
                    or_none(e.resource_status_reason.as_deref()),
                ];
                if !one_stack {
                    row.insert(0, e.stack_name.clone());
                }
                t.row(row);
            }
            t.render_or("no stack events")
        },
    ))
}

/// `describe stack-resources`: `{"StackResources": […]}` in creation order.
pub fn resources(account: &Account, query: &Query, format: DescribeFormat) -> Result<Doc, ApiError> {
    let stacks = stacks_in_view(account, query, "DescribeStackResources")?;
    let one_stack = query.stack_name.is_some();
    Ok(Doc::of(
        format,
        || {
            let list: Vec<Value> = stacks
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
            json!({"StackResources": list})
        },
        || {
            let mut header = vec!["LOGICAL ID", "TYPE", "PHYSICAL ID", "STATUS", "UPDATED", "REASON"];
            if !one_stack {
                header.insert(0, "STACK");
            }
            let mut t = Table::new(&header);
            for s in &stacks {
                for r in &s.resources {
                    let mut row = vec![
                        r.logical_resource_id.clone(),
                        r.resource_type.clone(),
                        or_none(r.physical_resource_id.as_deref()),
                        r.resource_status.clone(),
                        time::text(r.last_updated_timestamp),
                        or_none(r.resource_status_reason.as_deref()),
                    ];
                    if !one_stack {
                        row.insert(0, s.stack_name.clone());
                    }
                    t.row(row);
                }
            }
            t.render_or("no stack resources")
        },
    ))
}
