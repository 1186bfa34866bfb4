//! Running the built binary against the repository's examples and fixtures.
#![allow(dead_code)] // each test file uses a different part of this

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (the workspace is two levels above this crate).
pub fn root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// `examples/todobackend`.
pub fn todobackend() -> PathBuf {
    root().join("examples/todobackend")
}

/// `tests/fixtures/bad-input`.
pub fn bad_input() -> PathBuf {
    root().join("tests/fixtures/bad-input")
}

/// The words `$(cat FILE)` gives: split on spaces, tabs and newlines.
pub fn words_of(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.split([' ', '\t', '\n']).filter(|w| !w.is_empty()).map(String::from).collect()
}

/// `dev.cfg` as `--parameter-overrides $(cat dev.cfg)` would pass it.
pub fn dev_cfg() -> Vec<String> {
    words_of(&todobackend().join("dev.cfg"))
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    /// Exit code (None when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Both streams, for assertion messages.
    pub fn all(&self) -> String {
        format!("--- stdout\n{}--- stderr\n{}", self.stdout, self.stderr)
    }

    /// Stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.all()))
    }
}

/// Runs `tasknet args…` in `cwd` with its store in `state` and colours off.
pub fn run_in(cwd: &Path, state: &Path, args: &[String]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tasknet"))
        .args(args)
        .current_dir(cwd)
        .env("TASKNET_STATE_DIR", state)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run tasknet: {e}"));
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "tasknet panicked:\n{}", run.all());
    run
}

/// `args` as owned strings.
pub fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// A fresh state folder.
pub fn state() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

/// `validate` of a todobackend file with dev.cfg, in the todobackend folder.
pub fn validate_todobackend(file: &str, extra: &[&str]) -> Run {
    let st = state();
    let mut a = args(&["validate", "--template-file", file, "--parameter-overrides"]);
    a.extend(dev_cfg());
    a.extend(args(extra));
    run_in(&todobackend(), st.path(), &a)
}
