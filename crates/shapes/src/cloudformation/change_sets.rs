//! CloudFormation's change set documents: DescribeChangeSet, ListChangeSets.

use crate::json::{non_empty, prune, timestamp};
use account::{ChangeSet, ResourceChange, Stack};
use serde_json::{json, Value};

/// One `Change` (`{"Type": "Resource", "ResourceChange": …}`).
fn change_json(c: &ResourceChange) -> Value {
    let details: Vec<Value> = c
        .details
        .iter()
        .map(|d| {
            json!({
                "Target": {"Attribute": "Properties", "Name": d.name, "RequiresRecreation": d.requires_recreation},
                "Evaluation": d.evaluation,
                "ChangeSource": d.change_source,
            })
        })
        .collect();
    json!({
        "Type": "Resource",
        "ResourceChange": {
            "Action": c.action,
            "LogicalResourceId": c.logical_resource_id,
            "PhysicalResourceId": c.physical_resource_id,
            "ResourceType": c.resource_type,
            "Replacement": c.replacement,
            "Scope": c.scope,
            "Details": details,
        },
    })
}

/// DescribeChangeSet of `cs` on `stack`. Tasknet has no notifications,
/// rollback triggers, tags or nested change sets, so those members carry
/// the values of a change set that uses none.
pub fn describe_change_set(stack: &Stack, cs: &ChangeSet) -> Value {
    let parameters = cs.parameters.iter().map(|(k, v)| json!({"ParameterKey": k, "ParameterValue": v})).collect();
    prune(json!({
        "ChangeSetName": cs.change_set_name,
        "ChangeSetId": cs.change_set_id,
        "StackId": stack.stack_id,
        "StackName": stack.stack_name,
        "Description": cs.description,
        "Parameters": non_empty(parameters),
        "CreationTime": timestamp(cs.creation_time),
        "ExecutionStatus": cs.execution_status,
        "Status": cs.status,
        "StatusReason": cs.status_reason,
        "NotificationARNs": [],
        "RollbackConfiguration": {},
        "Capabilities": non_empty(cs.capabilities.iter().map(|c| json!(c)).collect()),
        "Tags": cs.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
        "Changes": cs.changes.iter().map(change_json).collect::<Vec<_>>(),
        "IncludeNestedStacks": false,
    }))
}

/// ListChangeSets of `stack`: `{"Summaries": […]}`, oldest first.
pub fn list_change_sets(stack: &Stack) -> Value {
    let summaries: Vec<Value> = stack
        .change_sets
        .iter()
        .map(|cs| {
            json!({
                "StackId": stack.stack_id,
                "StackName": stack.stack_name,
                "ChangeSetId": cs.change_set_id,
                "ChangeSetName": cs.change_set_name,
                "ExecutionStatus": cs.execution_status,
                "Status": cs.status,
                "StatusReason": cs.status_reason,
                "CreationTime": timestamp(cs.creation_time),
                "Description": cs.description,
                "IncludeNestedStacks": false,
            })
        })
        .collect();
    prune(json!({ "Summaries": summaries }))
}
