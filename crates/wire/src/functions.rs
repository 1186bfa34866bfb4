//! The Lambda functions behind custom resources: the [`FunctionHost`] every
//! session of a server (or of a command that runs stack operations itself)
//! carries, so CloudFormation's requests reach the functions' own code.
//! It prepares an invocation with the one implementation every door uses
//! (`runtime::functions`: the record, its role's credentials) and runs it in
//! a `lambda::Runner`; the function calls back into an endpoint: the
//! server's own, or one the command serves for its run ([`Host::for_command`]).

use crate::server::{serve_in_background, Background, Config};
use account::Account;
use runtime::custom::{Finished, FunctionHost, Prepared};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// Where the functions' calls go.
enum Endpoint {
    /// The server's own address, once it listens.
    Server(Arc<OnceLock<SocketAddr>>),
    /// A command's: an endpoint served on loopback from the first function on, for the command's life.
    Own { config: Config, started: Mutex<Option<Background>> },
}

/// Runs the functions of custom resources.
pub struct Host {
    runner: Arc<lambda::Runner>,
    endpoint: Endpoint,
    allow_deprecated: bool,
    warned: Mutex<BTreeSet<String>>,
}

/// The URL of an address (loopback when bound to every address).
pub(crate) fn url_of(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://127.0.0.1:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

impl Host {
    /// For a server listening at `addr` (set once bound), with its runner.
    pub(crate) fn for_server(
        runner: Arc<lambda::Runner>,
        addr: Arc<OnceLock<SocketAddr>>,
        allow_deprecated: bool,
    ) -> Host {
        Host { runner, endpoint: Endpoint::Server(addr), allow_deprecated, warned: Mutex::default() }
    }

    /// For a command that runs stack operations on the account of
    /// `state_dir` itself (`tasknet deploy` with no server): the functions'
    /// endpoint is served from the first function on, until the host goes.
    pub fn for_command(state_dir: Option<PathBuf>, allow_deprecated: bool) -> Host {
        let mut config = Config::new(SocketAddr::from(([127, 0, 0, 1], 0)), state_dir);
        config.allow_deprecated_runtimes = allow_deprecated;
        Host {
            runner: Arc::new(lambda::Runner::new(lambda::Runner::default_cache_dir())),
            endpoint: Endpoint::Own { config, started: Mutex::new(None) },
            allow_deprecated,
            warned: Mutex::default(),
        }
    }

    fn warn_once(&self, function: &str, runtime: &str) {
        if self.warned.lock().unwrap_or_else(|p| p.into_inner()).insert(function.to_string()) {
            tracing::warn!(
                "function {function} uses {runtime}, past its block-create date (AWS doc \"Lambda runtimes\"); it runs only because of --allow-deprecated-runtimes"
            );
        }
    }
}

impl FunctionHost for Host {
    fn endpoint_url(&self) -> String {
        match &self.endpoint {
            Endpoint::Server(addr) => addr.get().map_or_else(|| "http://127.0.0.1:9".to_string(), |a| url_of(*a)),
            Endpoint::Own { config, started } => {
                let mut started = started.lock().unwrap_or_else(|p| p.into_inner());
                if started.is_none() {
                    match serve_in_background(config) {
                        Ok(b) => *started = Some(b),
                        Err(e) => {
                            tracing::error!("cannot serve the endpoint the functions call: {e}");
                            return "http://127.0.0.1:9".to_string();
                        }
                    }
                }
                started.as_ref().map_or_else(String::new, |b| url_of(b.addr))
            }
        }
    }

    fn prepare(&self, a: &mut Account, function_arn: &str, payload: &[u8]) -> Result<Prepared, String> {
        let options = runtime::functions::Options {
            endpoint_url: self.endpoint_url(),
            now_ms: runtime::clock::wall_clock_ms(),
            request_id: None,
            allow_deprecated: self.allow_deprecated,
        };
        // tasknet's framing: CloudFormation's text for a provider Lambda refuses to invoke is unverified.
        let prepared = runtime::functions::prepare(a, function_arn, &options)
            .map_err(|e| format!("{} ({})", e.message(), e.code()))?;
        if let Some(rt) = &prepared.deprecated_runtime {
            self.warn_once(&prepared.spec.name, rt);
        }
        let runner = Arc::clone(&self.runner);
        let payload = payload.to_vec();
        Ok(Box::new(move || match runtime::functions::run(&runner, &prepared, &payload) {
            Ok(inv) => {
                let errored = inv.function_error.is_some() || !matches!(inv.outcome, lambda::Outcome::Success);
                let name = prepared.spec.name.clone();
                Finished { errored, record: Box::new(move |a: &mut Account| record(a, &name, &inv)) }
            }
            Err(e) => {
                tracing::warn!("a custom resource's function did not run: {} ({})", e.message(), e.code());
                Finished { errored: true, record: Box::new(|_| {}) }
            }
        }))
    }
}

/// Writes an invocation's lines to the function's log group, as Lambda does
/// (`/aws/lambda/<name>`, the environment's stream; created on first write).
pub fn record(a: &mut Account, function: &str, inv: &lambda::Invocation) {
    runtime::functions::record_logs(a, function, inv);
}
