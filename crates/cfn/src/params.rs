//! Template parameters: declarations, the values users give, and checks.
//!
//! AWS doc: "Parameters" (CloudFormation User Guide, template anatomy).
//!
//! Three steps, one module each (with [`types`] for the type names and
//! private helpers for the constraint checks and Python-style printing):
//! - [`decl`]: what the template declares ([`read_decls`]);
//! - [`input`]: what the user gives, in the exact forms the aws CLI takes
//!   ([`parse_overrides`], [`parse_parameters_file`], [`parse_cfg_file`]);
//! - [`resolve`]: the values intrinsics will see and everything AWS would
//!   reject about them ([`resolve_parameters`]).
//!
//! Texts are CloudFormation's own where known. Each is marked in a comment
//! as **seen** (found verbatim in AWS documentation, the aws CLI / botocore
//! source, or real AWS output users pasted) or **inferred** (our best
//! reading, following the form of seen texts).

mod check;
pub mod decl;
pub mod input;
mod pyfmt;
pub mod resolve;
pub mod types;

pub use decl::{read_decls, ParamDecl};
pub use input::{parse_cfg_file, parse_overrides, parse_parameters_file, ParamInputError};
pub use resolve::{display_value, resolve_parameters, ParamLookup};
pub use types::{AwsType, ParamType, SsmInner};

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
