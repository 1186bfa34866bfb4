//! CloudFormation: stacks, their events and resources, change sets and
//! templates, over the engine (`stacks::engine` through `runtime`).
//!
//! Writes that AWS answers before the work is done (ExecuteChangeSet,
//! CreateStack, UpdateStack, DeleteStack) do their own part in the call,
//! so the state saved with the 200 is AWS's (the stack *_IN_PROGRESS), and
//! leave the rest to a [`crate::dispatch::Job`].

mod change_sets;
mod errors;
mod paging;
mod stacks;
mod templates;

use super::input;
use crate::dispatch::{read, write, Operation, Read};
use crate::error::WireError;
use paging::page;
use serde_json::Value;
use shapes::Query;

/// CloudFormation's operations.
pub const OPERATIONS: &[Operation] = &[
    read("DescribeStacks", describe_stacks),
    read("DescribeStackEvents", describe_stack_events),
    read("DescribeStackResources", describe_stack_resources),
    read("DescribeStackResource", describe_stack_resource),
    read("ListStackResources", list_stack_resources),
    read("ListStacks", list_stacks),
    read("ListExports", list_exports),
    read("ListImports", list_imports),
    read("GetTemplate", templates::get_template),
    read("GetTemplateSummary", templates::get_template_summary),
    read("ValidateTemplate", templates::validate_template),
    read("DescribeChangeSet", change_sets::describe_change_set),
    read("ListChangeSets", change_sets::list_change_sets),
    write("CreateChangeSet", change_sets::create_change_set),
    write("ExecuteChangeSet", change_sets::execute_change_set),
    write("DeleteChangeSet", change_sets::delete_change_set),
    write("CreateStack", stacks::create_stack),
    write("UpdateStack", stacks::update_stack),
    write("DeleteStack", stacks::delete_stack),
];

fn query(input: &Value) -> Query {
    Query { stack_name: input::text(input, "StackName").map(str::to_string), ..Query::default() }
}

fn aws(e: &shapes::ApiError) -> WireError {
    WireError::from_aws(e)
}

/// DescribeStacks: a live stack by name, any stack by ID (AWS finds a
/// deleted stack by its ID only).
fn describe_stacks(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let q = query(input);
    let doc = shapes::cloudformation::describe_stacks(r.account, &q).map_err(|e| aws(&e))?;
    page(doc, "Stacks", input)
}

fn describe_stack_events(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let q = query(input);
    let doc = shapes::cloudformation::describe_stack_events(r.account, &q).map_err(|e| aws(&e))?;
    page(doc, "StackEvents", input)
}

fn describe_stack_resources(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let q = query(input);
    let mut doc = shapes::cloudformation::describe_stack_resources(r.account, &q).map_err(|e| aws(&e))?;
    // The logical or physical ID the caller narrowed the list to.
    let logical = input::text(input, "LogicalResourceId");
    let physical = input::text(input, "PhysicalResourceId");
    if let Some(list) = doc.get_mut("StackResources").and_then(Value::as_array_mut) {
        list.retain(|r| {
            logical.is_none_or(|l| r["LogicalResourceId"] == l) && physical.is_none_or(|p| r["PhysicalResourceId"] == p)
        });
    }
    Ok(doc)
}

fn describe_stack_resource(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let logical = input::text(input, "LogicalResourceId").unwrap_or_default();
    let q = query(input);
    shapes::cloudformation::describe_stack_resource(r.account, &q, logical).map_err(|e| aws(&e))
}

fn list_stack_resources(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let q = query(input);
    let doc = shapes::cloudformation::list_stack_resources(r.account, &q).map_err(|e| aws(&e))?;
    page(doc, "StackResourceSummaries", input)
}

fn list_stacks(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let filter = input::texts(input, "StackStatusFilter");
    page(shapes::cloudformation::list_stacks(r.account, &filter), "StackSummaries", input)
}

fn list_exports(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    page(shapes::cloudformation::list_exports(r.account), "Exports", input)
}

fn list_imports(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let export = input::text(input, "ExportName").unwrap_or_default();
    let doc = shapes::cloudformation::list_imports(r.account, export).map_err(|e| aws(&e))?;
    page(doc, "Imports", input)
}
