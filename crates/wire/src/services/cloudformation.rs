//! CloudFormation: stacks, their events and resources.

use super::input;
use crate::dispatch::{read, Operation, Read};
use crate::error::WireError;
use serde_json::Value;
use shapes::Query;

/// CloudFormation's operations.
pub const OPERATIONS: &[Operation] = &[
    read("DescribeStacks", describe_stacks),
    read("DescribeStackEvents", describe_stack_events),
    read("DescribeStackResources", describe_stack_resources),
];

fn query(input: &Value) -> Query {
    Query { stack_name: input::text(input, "StackName").map(str::to_string), ..Query::default() }
}

fn describe_stacks(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    shapes::cloudformation::describe_stacks(r.account, &query(input)).map_err(|e| WireError::from_aws(&e))
}

fn describe_stack_events(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    shapes::cloudformation::describe_stack_events(r.account, &query(input)).map_err(|e| WireError::from_aws(&e))
}

fn describe_stack_resources(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    shapes::cloudformation::describe_stack_resources(r.account, &query(input)).map_err(|e| WireError::from_aws(&e))
}
