//! Reading a decoded input (the model's member names): the value's text,
//! lists and numbers, without panics on whatever a client sent.

use crate::error::WireError;
use serde_json::Value;

/// The text member `name`, if present.
pub fn text<'v>(input: &'v Value, name: &str) -> Option<&'v str> {
    input.get(name).and_then(Value::as_str)
}

/// The text member `name`, required: the decoder checked required members,
/// so a missing one here is a member the handler requires beyond the model.
pub fn required<'v>(input: &'v Value, name: &str, error: impl FnOnce() -> WireError) -> Result<&'v str, WireError> {
    text(input, name).ok_or_else(error)
}

/// The list of text member `name` (empty when absent).
pub fn texts(input: &Value, name: &str) -> Vec<String> {
    input
        .get(name)
        .and_then(Value::as_array)
        .map_or_else(Vec::new, |a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
}

/// The integer member `name`.
pub fn int(input: &Value, name: &str) -> Option<i64> {
    input.get(name).and_then(Value::as_i64)
}

/// The boolean member `name`.
pub fn boolean(input: &Value, name: &str) -> Option<bool> {
    input.get(name).and_then(Value::as_bool)
}
