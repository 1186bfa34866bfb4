//! Stacks: a template, its parameters and an account in; diagnostics and a
//! plan out. The plan is made by creating the stack's resources in a scratch
//! copy of the account through the account's own actions, so whatever AWS
//! would refuse at create time is refused here with the same words, and the
//! rules then read the same model the later layers (deploy, reach, the data
//! plane) will read.

pub mod analyze;
pub mod delete;
pub mod dynamic;
pub mod engine;
pub mod handlers;
pub mod plan;
pub mod planner;
pub mod props;
pub mod rules;
pub mod stack_name;
pub mod synthetic;
pub mod template_url;

pub use analyze::{analyze, analyze_with, Analysis, Hooks, InputError, NoHooks, StackInput, Step};
pub use plan::{Plan, PlannedOutput, PlannedResource};
pub use stack_name::check_stack_name;
