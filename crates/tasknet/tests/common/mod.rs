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

/// `deploy` of the todobackend example with dev.cfg in state folder `state`, then `extra` flags.
pub fn deploy_example(state: &Path, extra: &[&str]) -> Run {
    run_in(&todobackend(), state, &deploy_example_args(extra))
}

/// The arguments of [`deploy_example`]: the custom resources' outputs come
/// from `custom-outputs.json`, so these tests run no Lambda function (the
/// functions themselves are tested by the wire tests and `custom_resources.rs`).
fn deploy_example_args(extra: &[&str]) -> Vec<String> {
    let mut a = args(&[
        "deploy",
        "--template-file",
        "stack.yml",
        "--stack-name",
        "todobackend",
        "--capabilities",
        "CAPABILITY_NAMED_IAM",
        "--custom-outputs",
        "file://custom-outputs.json",
        "--parameter-overrides",
    ]);
    a.extend(dev_cfg());
    a.extend(args(extra));
    a
}

/// Holds the account's lock as a live `tasknet deploy` (this test process) would.
pub fn hold_account_lock(state: &Path) -> std::fs::File {
    hold_lock(state, "account.lock", "deploy")
}

/// Holds the account's lock as `up`'s tick does (this test process's record, command `up`).
pub fn hold_account_lock_as_up(state: &Path) -> std::fs::File {
    hold_lock(state, "account.lock", "up")
}

/// Holds the account's `up.lock` as a running `tasknet up` (this test process)
/// would: the clock policy then runs the account in real time.
pub fn hold_up_lock(state: &Path) -> std::fs::File {
    hold_lock(state, "up.lock", "up")
}

/// Holds the lock file `name` of a state folder with this process's record as `command`.
fn hold_lock(state: &Path, name: &str, command: &str) -> std::fs::File {
    std::fs::create_dir_all(state).unwrap_or_else(|e| panic!("{e}"));
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(state.join(name))
        .unwrap_or_else(|e| panic!("{e}"));
    lock.lock().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(state.join(name), format!("{} {command}", std::process::id())).unwrap_or_else(|e| panic!("{e}"));
    lock
}

/// The machine's network namespaces whose names start with `prefix` (none for an empty prefix).
pub fn namespaces(prefix: &str) -> Vec<String> {
    let out = Command::new("ip")
        .args(["netns", "list"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    out.lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| !prefix.is_empty() && n.starts_with(prefix))
        .map(String::from)
        .collect()
}

/// The account in a state folder's store, if it has been saved (read as another process would).
pub fn stored_account(state: &Path) -> Option<account::Account> {
    let path = state.join("account.db");
    if !path.is_file() {
        return None;
    }
    account::Store::open(&path).ok()?.load_account().ok().flatten()
}

/// The deploy of the example as a child process, its output discarded.
pub fn spawn_deploy_example(state: &Path, extra: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_tasknet"))
        .args(deploy_example_args(extra))
        .current_dir(todobackend())
        .env("TASKNET_STATE_DIR", state)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run tasknet: {e}"))
}

/// Milliseconds since the Unix epoch, now.
pub fn wall_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}
