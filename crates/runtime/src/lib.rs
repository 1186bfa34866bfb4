//! tasknet's application layer: what every front door shares (the CLI
//! today; the AWS wire endpoint, Lambda and the console next), so that each
//! of them is only a way of asking and of showing answers.
//!
//! - [`state`]: where the account lives (the state folder, its store, the
//!   data plane's namespace scope) and reading it without changing it;
//! - [`session`]: a unit of work that changes the account: the OS lock, the
//!   repair of what a dead writer left, saves with checkpoint spacing;
//! - [`clock`]: the one clock policy (simulated jumps only while no `up`
//!   runs the account in real time), for commands, sessions and the
//!   CloudFormation engine's waits alike;
//! - [`cloudformation`]: the engine's operations run inside a session;
//! - [`up`]: the data plane's runtime: the tick, and the servers and
//!   processes that run in the namespaces.
//!
//! Why a library and not the binary: a wire endpoint must open the same
//! sessions, obey the same clock and run the same `up` as the CLI, and the
//! `up` runtime can be tested without a process in between.

pub mod clock;
pub mod cloudformation;
pub mod custom;
pub mod error;
pub mod functions;
pub mod lock;
pub mod oneoff;
pub mod session;
pub mod state;
pub mod up;

pub use error::{Holder, RuntimeError};
pub use session::Session;
