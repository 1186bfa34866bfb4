//! Warm execution environments per function.

use crate::{FunctionSpec, Invocation, InvokeContext, RunnerError};
use std::path::PathBuf;

/// Warm execution environments per function, reused across invocations like Lambda's.
pub struct Runner {
    cache_dir: PathBuf,
}

impl Runner {
    /// Environments are built and cached under `cache_dir`.
    pub fn new(cache_dir: PathBuf) -> Runner {
        Runner { cache_dir }
    }

    /// The default cache dir: $TASKNET_CACHE_DIR, else $XDG_CACHE_HOME/tasknet, else ~/.cache/tasknet.
    pub fn default_cache_dir() -> PathBuf {
        if let Some(d) = std::env::var_os("TASKNET_CACHE_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(d);
        }
        if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
            return PathBuf::from(d).join("tasknet");
        }
        let home = std::env::var_os("HOME").unwrap_or_else(|| "/tmp".into());
        PathBuf::from(home).join(".cache").join("tasknet")
    }

    /// Runs one invocation, blocking the calling thread until it ends.
    pub fn invoke(
        &self,
        spec: &FunctionSpec,
        ctx: &InvokeContext,
        payload: &[u8],
    ) -> Result<Invocation, RunnerError> {
        let _ = (spec, ctx, payload, &self.cache_dir);
        Err(RunnerError::Io("invoke: not yet implemented".into()))
    }

    /// Drops the warm environments of a function (its code or configuration changed, or it was deleted).
    pub fn retire(&self, function_name: &str) {
        let _ = function_name;
    }

    /// Stops every environment (the server is stopping). Also done on Drop.
    pub fn shutdown(&self) {}
}
