//! The control plane: what AWS does after an API call returns. ECS places and
//! runs tasks, Auto Scaling launches instances, ELBv2 registers and health
//! checks targets, all on one clock that lives in the account
//! (`Account::clock_ms`).
//!
//! Every controller is a reconciler: it looks at the account, does all the
//! work due at the current time, and says when it next has work. The clock
//! ([`clock`]) jumps from one due time to the next, so `deploy` runs
//! minutes of AWS time in milliseconds and stays deterministic; the data
//! plane (a later issue) will drive the same functions in real time.
//!
//! The public functions named after AWS API actions (`run_task`,
//! `update_service`, `register_targets`, …) are the interface: the
//! CloudFormation engine and the CLI are both clients of them.

pub mod clock;
pub mod ec2;
pub mod ecs;
pub mod elb;

pub use clock::{advance_by, reconcile, run_until, settle, Wake};
