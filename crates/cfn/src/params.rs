//! Template parameters: declarations, the values users give, and checks.

/// A parameter's value after parsing: lists for `List<…>` and
/// `CommaDelimitedList` types, a string for everything else.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A single value.
    String(String),
    /// A list value (given comma-separated).
    List(Vec<String>),
}
