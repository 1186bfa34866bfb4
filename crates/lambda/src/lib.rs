//! The execution side of AWS Lambda: per execution environment a Runtime API server on
//! loopback and a runtime process (Python through AWS's `awslambdaric`, Node.js through our
//! own bootstrap), warm pools per function, timeouts and Lambda's log lines.
//!
//! The crate knows nothing of the account: callers build a [`FunctionSpec`] from their
//! function record and hand each invocation an [`InvokeContext`].
//!
//! How tasknet's environments differ from Lambda's, on purpose or by necessity:
//! - **Credentials.** An environment's variables are fixed when it starts, so an invocation
//!   whose context (keys, session token, endpoint, region) differs from a warm environment's
//!   gets a fresh environment, and the old one is stopped.
//! - **MemorySize** is enforced by sampling the runtime process's resident memory every 20 ms
//!   while an invocation runs and killing it when over (Lambda's answer then is
//!   `Runtime.ExitError` "signal: killed"). It is not a hard limit: children of the runtime are
//!   not counted and a spike shorter than a sample can pass. `Max Memory Used` is the process's
//!   peak resident memory (VmHWM).
//! - **Runtimes.** `python3.x` runs on the exact `python3.x` on PATH when there is one, else on
//!   the machine's `python3`; `nodejs*` runs on the machine's `node`. Which one is logged.
//! - **Idle environments** are kept 15 minutes, 16 per function at most (Lambda's own figures
//!   are not published).
//! - **Node's cfn-response** honours the ResponseURL's scheme and port (AWS's always uses 443).

mod api;
mod code;
mod env;
mod error;
mod http;
mod node;
mod python;
mod runner;
mod util;

pub use code::check_zip;
pub use error::RunnerError;
pub use runner::Runner;

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where a function's code comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// CloudFormation's `Code.ZipFile`: the source, written to `index.<ext>` (py/js by runtime),
    /// with `cfnresponse.py` (Python) / `cfn-response` (Node) beside it, as CloudFormation does.
    Inline(String),
    /// A deployment package (zip bytes).
    Zip(Vec<u8>),
    /// A local folder (tasknet's own CLI), used as the task root as it is.
    Dir(PathBuf),
}

/// Everything needed to run one function version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionSpec {
    /// FunctionName.
    pub name: String,
    /// `arn:aws:lambda:<region>:<acct>:function:<name>`.
    pub arn: String,
    /// `$LATEST`.
    pub version: String,
    /// `python3.12`, `nodejs20.x`, ...
    pub runtime: String,
    /// `index.handler`.
    pub handler: String,
    /// The code.
    pub code: Code,
    /// Base64 SHA-256 of the package, as Lambda reports it (the cache key).
    pub code_sha256: String,
    /// Timeout in seconds (Lambda's default 3).
    pub timeout_s: u32,
    /// MemorySize in MB (Lambda's default 128).
    pub memory_mb: u32,
    /// Environment.Variables.
    pub environment: BTreeMap<String, String>,
}

/// What the caller hands each invocation: where the function's SDK calls go and as whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvokeContext {
    /// AWS_ENDPOINT_URL for the function (tasknet's endpoint).
    pub endpoint_url: String,
    /// AWS_REGION / AWS_DEFAULT_REGION.
    pub region: String,
    /// AWS_ACCESS_KEY_ID.
    pub access_key_id: String,
    /// AWS_SECRET_ACCESS_KEY.
    pub secret_access_key: String,
    /// AWS_SESSION_TOKEN.
    pub session_token: Option<String>,
    /// Given by the caller (Invoke's request ID), else generated.
    pub request_id: Option<String>,
}

/// How an invocation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The handler returned.
    Success,
    /// The handler raised (or the runtime exited during the invocation).
    FunctionError,
    /// The invocation ran past the function's Timeout.
    TimedOut,
    /// The environment failed to initialize (import error, missing handler, runtime exit).
    InitError,
}

/// One finished invocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    /// The request ID.
    pub request_id: String,
    /// How it ended.
    pub outcome: Outcome,
    /// The response payload (the handler's return value as JSON), or Lambda's error payload.
    pub payload: Vec<u8>,
    /// `X-Amz-Function-Error`: `Some("Unhandled")` for errors, as Lambda returns it.
    pub function_error: Option<String>,
    /// The stream these lines belong to: `YYYY/MM/DD/[$LATEST]<32 hex>` (one per environment).
    pub log_stream_name: String,
    /// stdout/stderr lines of this invocation plus Lambda's START/END/REPORT lines,
    /// each with its wall-clock time in ms since the epoch.
    pub log_lines: Vec<(u64, String)>,
    /// The invocation's duration in ms.
    pub duration_ms: f64,
    /// The environment's init duration in ms (cold starts only).
    pub init_duration_ms: Option<f64>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_runner_is_shareable_across_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<crate::Runner>();
    }
}
