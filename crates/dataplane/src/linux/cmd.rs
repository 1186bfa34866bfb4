//! Running `ip` and `nft`: batches fed on stdin, errors with the tool's own words.

use std::io::Write as _;
use std::process::{Command, Stdio};

/// A command that failed: what ran and what it said.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{command}` failed: {stderr}")]
pub struct CmdError {
    /// The command line (and the first line of its input, for batches).
    pub command: String,
    /// Its standard error, trimmed.
    pub stderr: String,
}

/// Runs `program args…` with `input` on stdin.
pub fn run(program: &str, args: &[&str], input: Option<&str>) -> Result<String, CmdError> {
    let label = || {
        let first = input.and_then(|i| i.lines().next()).map(|l| format!(" <<< {l} …")).unwrap_or_default();
        format!("{program} {}{first}", args.join(" "))
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| CmdError { command: label(), stderr: e.to_string() })?;
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin.write_all(text.as_bytes()).map_err(|e| CmdError { command: label(), stderr: e.to_string() })?;
    }
    let out = child.wait_with_output().map_err(|e| CmdError { command: label(), stderr: e.to_string() })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(CmdError { command: label(), stderr: String::from_utf8_lossy(&out.stderr).trim().to_string() })
    }
}

/// Runs an `ip` batch, in a namespace when `ns` is given. Empty batches cost nothing.
pub fn ip_batch(ns: Option<&str>, lines: &[String]) -> Result<(), CmdError> {
    if lines.is_empty() {
        return Ok(());
    }
    let text = lines.join("\n") + "\n";
    match ns {
        Some(ns) => run("ip", &["-n", ns, "-batch", "-"], Some(&text)),
        None => run("ip", &["-batch", "-"], Some(&text)),
    }
    .map(|_| ())
}

/// Loads an `nft -f` text into a namespace.
pub fn nft(ns: &str, text: &str) -> Result<(), CmdError> {
    run("ip", &["netns", "exec", ns, "nft", "-f", "-"], Some(text)).map(|_| ())
}

/// Sets sysctls (`key=value`) inside a namespace.
pub fn sysctl(ns: &str, settings: &[&str]) -> Result<(), CmdError> {
    let mut args = vec!["netns", "exec", ns, "sysctl", "-q", "-w"];
    args.extend_from_slice(settings);
    run("ip", &args, None).map(|_| ())
}

/// The processes inside a namespace.
pub fn pids(ns: &str) -> Vec<i32> {
    run("ip", &["netns", "pids", ns], None)
        .map(|o| o.lines().filter_map(|l| l.trim().parse().ok()).collect())
        .unwrap_or_default()
}
