//! Reading CloudFormation templates: a YAML/JSON loader that keeps positions,
//! parameters, intrinsic functions, conditions and the dependency graph.

pub mod codes;
pub mod diag;
pub mod funcs;
pub mod graph;
pub mod load;
pub mod node;
pub mod params;
pub mod quotas;
pub mod resolve;
pub mod spec;
pub mod template;

pub use diag::{Diagnostic, Severity};
pub use node::{Key, Map, Node, Pos, Value};
