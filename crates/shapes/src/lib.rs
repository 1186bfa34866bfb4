//! The response documents of AWS's Describe/List operations (and of the ECS
//! actions the CLI takes: RunTask, StopTask, UpdateService), built from the
//! account: one public function per API operation
//! (`ec2::describe_network_interfaces` is `DescribeNetworkInterfaces`), each
//! returning the operation's output shape as JSON, with botocore's member
//! names, order and nesting.
//!
//! Why a library and not the CLI: the CLI's `--output json`, the coming wire
//! endpoint (which serializes these documents per protocol: EC2's query XML,
//! JSON 1.1, rest-json) and the web console must all read the same shapes, so
//! a member AWS renames or a nesting we get wrong is fixed once. The text
//! tables people read stay in the binary; they take the same selection of
//! items from here ([`Selection`]), so both views narrow the same way.
//!
//! `tests/conformance.rs` checks every document against the output shapes of
//! botocore's service models (`tests/fixtures/botocore-outputs.json`, written
//! by `scripts/gen/shapes.py`).

pub mod cloudformation;
pub mod ec2;
pub mod ecs;
pub mod elbv2;
pub mod error;
pub mod json;
pub mod select;
pub mod time;

pub use error::ApiError;
pub use select::{Query, Selection};
