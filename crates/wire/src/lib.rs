//! tasknet's AWS wire endpoint: the protocols botocore and every AWS SDK
//! speak (`query`, `ec2`, `json` 1.1, `rest-json`), on one address, over the account's
//! one implementation of each action.
//!
//! Why a crate of its own: the endpoint is a front door like the CLI. It
//! owns nothing but the translation: a request is checked ([`sigv4`]),
//! decoded by botocore's own model of its operation ([`model`], [`decode`]),
//! handed to the same action the CLI calls (`control`, `account`, `stacks`
//! through `runtime`), and the action's answer, the same document `shapes`
//! builds for `tasknet describe … --output json`, is encoded by the model
//! again ([`encode`]). Member names, list wrappers, timestamps and error
//! codes therefore come from the clients' models, not from our reading.
//!
//! - [`server`]: the HTTP server, one writer: the account lives in memory
//!   under a lock, every mutation is saved before it is answered;
//! - [`dispatch`]: request → service → operation → handler → response;
//! - [`rest`]: the `rest-json` protocol (Lambda): operations by method and path;
//! - [`services`]: the handlers, one module per service, each a table of
//!   operations (`read("DescribeSubnets", …)`) that
//!   `scripts/gen/wire-models.py` reads to cut botocore's models down.

pub mod auth;
pub mod decode;
pub mod dispatch;
pub mod encode;
pub mod error;
pub mod functions;
pub mod model;
pub mod rest;
pub mod server;
pub mod services;
pub mod sigv4;
pub mod time;

pub use dispatch::{Caller, Operation};
pub use error::WireError;
pub use model::{Protocol, Service};
pub use server::{serve, Config};
