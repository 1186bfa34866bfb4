//! CloudFormation's List documents (ListStacks, ListStackResources,
//! ListExports, ListImports), DescribeStackResource, GetTemplate, and what
//! GetTemplateSummary and ValidateTemplate say of a template.

use super::{root_id, stacks};
use crate::error::stack_not_found;
use crate::json::{non_empty, opt_timestamp, prune, timestamp};
use crate::{ApiError, Query};
use account::{Account, AwsService, StackResource, TemplateSummary};
use serde_json::{json, Value};

/// ListStacks: every stack, deleted ones included (AWS lists those for 90
/// days), newest first; only those whose status is in `filter` when it is
/// not empty.
pub fn list_stacks(account: &Account, filter: &[String]) -> Value {
    let all = Query { all: true, ..Query::default() };
    let summaries: Vec<Value> = stacks(account, &all, "ListStacks")
        .unwrap_or_default()
        .into_iter()
        .filter(|s| filter.is_empty() || filter.iter().any(|f| f == s.stack_status.as_str()))
        .map(|s| {
            json!({
                "StackId": s.stack_id,
                "StackName": s.stack_name,
                "TemplateDescription": s.description,
                "CreationTime": timestamp(s.creation_time),
                "LastUpdatedTime": opt_timestamp(s.last_updated_time),
                "DeletionTime": opt_timestamp(s.deletion_time),
                "StackStatus": s.stack_status,
                "StackStatusReason": s.stack_status_reason,
                "ParentId": s.parent_id,
                "RootId": root_id(account, s),
                "DriftInformation": {"StackDriftStatus": "NOT_CHECKED"},
            })
        })
        .collect();
    prune(json!({ "StackSummaries": summaries }))
}

/// DescribeStackResource: the resource `logical_id` of the stack named in `query`.
pub fn describe_stack_resource(account: &Account, query: &Query, logical_id: &str) -> Result<Value, ApiError> {
    const OP: &str = "DescribeStackResource";
    let name = query.stack_name.clone().unwrap_or_default();
    let stack = stacks(account, query, OP)?.into_iter().next().ok_or_else(|| stack_not_found(&name, OP))?;
    let r = stack.resource(logical_id).ok_or_else(|| ApiError {
        service: AwsService::CloudFormation,
        code: "ValidationError",
        operation: OP,
        // Seen (users' pasted CLI output of DescribeStackResource).
        message: format!("Resource {logical_id} does not exist for stack {}", stack.stack_name),
    })?;
    Ok(prune(json!({
        "StackResourceDetail": {
            "StackName": stack.stack_name,
            "StackId": stack.stack_id,
            "LogicalResourceId": r.logical_resource_id,
            "PhysicalResourceId": r.physical_resource_id,
            "ResourceType": r.resource_type,
            "LastUpdatedTimestamp": timestamp(r.last_updated_timestamp),
            "ResourceStatus": r.resource_status,
            "ResourceStatusReason": r.resource_status_reason,
            "DriftInformation": {"StackResourceDriftStatus": "NOT_CHECKED"},
        }
    })))
}

/// One `StackResourceSummary`.
fn resource_summary(r: &StackResource) -> Value {
    json!({
        "LogicalResourceId": r.logical_resource_id,
        "PhysicalResourceId": r.physical_resource_id,
        "ResourceType": r.resource_type,
        "LastUpdatedTimestamp": timestamp(r.last_updated_timestamp),
        "ResourceStatus": r.resource_status,
        "ResourceStatusReason": r.resource_status_reason,
        "DriftInformation": {"StackResourceDriftStatus": "NOT_CHECKED"},
    })
}

/// ListStackResources of the stack named in `query` (a deleted one by its ID).
pub fn list_stack_resources(account: &Account, query: &Query) -> Result<Value, ApiError> {
    let list: Vec<Value> = stacks(account, query, "ListStackResources")?
        .iter()
        .flat_map(|s| s.resources.iter().map(resource_summary))
        .collect();
    Ok(prune(json!({ "StackResourceSummaries": list })))
}

/// ListExports: every export of the account's stacks, by name.
pub fn list_exports(account: &Account) -> Value {
    let exports: Vec<Value> = account
        .exports
        .values()
        .map(|e| json!({"ExportingStackId": e.exporting_stack_id, "Name": e.name, "Value": e.value}))
        .collect();
    json!({ "Exports": exports })
}

/// ListImports: the names of the live stacks importing `export`. None is
/// the operation's error (seen in users' pasted CLI output: "Export 'NAME'
/// is not imported by any stack.").
pub fn list_imports(account: &Account, export: &str) -> Result<Value, ApiError> {
    let mut names: Vec<&str> = account
        .stacks
        .values()
        .filter(|s| s.stack_status != super::DELETE_COMPLETE && s.imports.iter().any(|i| i == export))
        .map(|s| s.stack_name.as_str())
        .collect();
    names.sort_unstable();
    if names.is_empty() {
        return Err(ApiError {
            service: AwsService::CloudFormation,
            code: "ValidationError",
            operation: "ListImports",
            message: format!("Export '{export}' is not imported by any stack."),
        });
    }
    Ok(json!({ "Imports": names }))
}

/// GetTemplate: a template's text (the stack's as last deployed, or a change set's).
pub fn get_template(body: &str) -> Value {
    json!({"TemplateBody": body, "StagesAvailable": ["Original", "Processed"]})
}

/// GetTemplateSummary of a template.
pub fn get_template_summary(s: &TemplateSummary) -> Value {
    let parameters: Vec<Value> = s
        .parameters
        .iter()
        .map(|p| {
            let constraints =
                if p.allowed_values.is_empty() { json!({}) } else { json!({"AllowedValues": p.allowed_values}) };
            json!({
                "ParameterKey": p.key,
                "DefaultValue": p.default,
                "ParameterType": p.ty,
                "NoEcho": p.no_echo,
                "Description": p.description,
                "ParameterConstraints": constraints,
            })
        })
        .collect();
    prune(json!({
        "Parameters": parameters,
        "Description": s.description,
        "Capabilities": non_empty(s.capabilities.iter().map(|c| json!(c)).collect()),
        "CapabilitiesReason": s.capabilities_reason,
        "ResourceTypes": s.resource_types,
        "Version": s.version,
        "DeclaredTransforms": s.transforms,
    }))
}

/// ValidateTemplate of a template.
pub fn validate_template(s: &TemplateSummary) -> Value {
    let parameters: Vec<Value> = s
        .parameters
        .iter()
        .map(|p| {
            json!({"ParameterKey": p.key, "DefaultValue": p.default, "NoEcho": p.no_echo, "Description": p.description})
        })
        .collect();
    prune(json!({
        "Parameters": parameters,
        "Description": s.description,
        "Capabilities": non_empty(s.capabilities.iter().map(|c| json!(c)).collect()),
        "CapabilitiesReason": s.capabilities_reason,
        "DeclaredTransforms": s.transforms,
    }))
}
