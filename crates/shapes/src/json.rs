//! Helpers for building the API's JSON: absent optionals are left out (as the
//! aws CLI prints responses), EC2 tag lists, timestamps.

use crate::time;
use account::Tags;
use serde_json::{json, Value};

/// Drops every `null` member, recursively. Views build documents with
/// `json!` and write `null` for an absent optional; AWS's responses never
/// carry nulls, they leave the member out.
pub fn prune(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, prune(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(prune).collect()),
        other => other,
    }
}

/// A timestamp as the aws CLI prints it (see [`time::aws_cli`]).
pub fn timestamp(ms: u64) -> Value {
    Value::String(time::aws_cli(ms))
}

/// An optional timestamp; `null` (left out) when absent.
pub fn opt_timestamp(ms: Option<u64>) -> Value {
    ms.map_or(Value::Null, timestamp)
}

/// EC2's `[{"Key": …, "Value": …}]`; `null` (left out) when there are no
/// tags, as DescribeSubnets, DescribeSecurityGroups and the like omit them.
pub fn ec2_tags(tags: &Tags) -> Value {
    if tags.is_empty() {
        Value::Null
    } else {
        tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect()
    }
}

/// A list that the API leaves out when empty (CloudFormation's Parameters,
/// Outputs, Capabilities): `null` for none.
pub fn non_empty(items: Vec<Value>) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        Value::Array(items)
    }
}

/// Any serializable model value as JSON; `null` if it cannot be represented
/// (not reachable for the model's plain structs, but never a panic).
pub fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests;
