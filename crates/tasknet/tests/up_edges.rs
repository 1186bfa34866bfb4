//! `up` and `down` at the edges, for real (root, ip and nft): accounts in two
//! state folders run side by side, `up --detach` answers only for its own
//! child and at once when it fails, a long-held account only delays `up`, a
//! deploy under `up` waits in wall time.
//!
//! Each test uses fresh state folders, so each `up` has its own namespace
//! scope (`tn-d<hash>-`); the guard runs `down` on them whatever happens,
//! which stops their `up`s and sweeps exactly those scopes.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// These tests are ignored unless asked for, and then must really run.
fn assert_can_run_up() {
    if let Err(e) = dataplane::preflight::check() {
        panic!("run as root, with ip and nft installed: {e}");
    }
}

fn tasknet(state: &Path, list: &[&str]) -> Run {
    run_in(&todobackend(), state, &args(list))
}

/// Runs `down` on every state folder, also when the test fails.
struct Down(Vec<PathBuf>);
impl Drop for Down {
    fn drop(&mut self) {
        for st in &self.0 {
            let _ = tasknet(st, &["down"]);
        }
    }
}

/// `up.json` of a state folder (Null while there is none).
fn status(state: &Path) -> serde_json::Value {
    std::fs::read_to_string(state.join("up.json")).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

/// The running `up`'s pid and namespace prefix, from its status.
fn pid_and_scope(state: &Path) -> (u32, String) {
    let s = status(state);
    let pid = s["pid"].as_u64().and_then(|p| u32::try_from(p).ok()).unwrap_or(0);
    let scope = s["scope"].as_str().unwrap_or_default().to_string();
    assert!(pid > 0 && scope.starts_with("tn-d") && scope.ends_with('-'), "{s}");
    (pid, scope)
}

/// Whether a process lives (a zombie does not).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(')').map(|(_, rest)| !rest.trim_start().starts_with('Z')))
        .unwrap_or(false)
}

/// Waits up to `limit` for `done`.
fn eventually(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    done()
}

#[test]
#[ignore = "needs root: runs `up` in network namespaces"]
fn down_stops_only_its_own_accounts_up() {
    assert_can_run_up();
    let (a, b) = (state(), state());
    let _down = Down(vec![a.path().to_path_buf(), b.path().to_path_buf()]);
    // Two accounts with the same deterministic IDs, side by side.
    for st in [&a, &b] {
        let run = tasknet(st.path(), &["up", "--detach"]);
        assert_eq!(run.code, Some(0), "{}", run.all());
    }
    let (pid_a, scope_a) = pid_and_scope(a.path());
    let (pid_b, scope_b) = pid_and_scope(b.path());
    assert_ne!(scope_a, scope_b);
    let ns_a = namespaces(&scope_a);
    assert!(!ns_a.is_empty() && !namespaces(&scope_b).is_empty(), "{ns_a:?}");

    let run = tasknet(b.path(), &["down"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(eventually(Duration::from_secs(5), || !alive(pid_b)), "b's up stopped");
    assert!(namespaces(&scope_b).is_empty(), "{:?}", namespaces(&scope_b));
    // a's up runs on, untouched.
    assert!(alive(pid_a), "a's up still runs");
    assert_eq!(namespaces(&scope_a), ns_a);
    assert_eq!(status(a.path())["pid"].as_u64(), Some(u64::from(pid_a)));

    let run = tasknet(a.path(), &["down"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(eventually(Duration::from_secs(5), || !alive(pid_a)), "a's up stopped");
    assert!(namespaces(&scope_a).is_empty(), "{:?}", namespaces(&scope_a));
}

#[test]
#[ignore = "needs root: runs `up` in network namespaces"]
fn two_detached_ups_at_once_one_runs_and_the_other_says_why() {
    assert_can_run_up();
    let st = state();
    let _down = Down(vec![st.path().to_path_buf()]);
    let starts: Vec<_> = (0..2)
        .map(|_| {
            let dir = st.path().to_path_buf();
            std::thread::spawn(move || tasknet(&dir, &["up", "--detach"]))
        })
        .collect();
    let runs: Vec<Run> = starts.into_iter().map(|h| h.join().unwrap_or_else(|_| panic!("a start panicked"))).collect();
    let all = || runs.iter().map(Run::all).collect::<Vec<_>>().join("\n");
    let (ok, refused): (Vec<&Run>, Vec<&Run>) = runs.iter().partition(|r| r.code == Some(0));
    assert_eq!(ok.len(), 1, "exactly one start succeeds:\n{}", all());
    assert_eq!(refused[0].code, Some(3), "the other is busy:\n{}", all());
    assert!(refused[0].stderr.contains("already running"), "{}", all());
    // The one that said it runs names the `up` that does.
    let (pid, _) = pid_and_scope(st.path());
    assert!(ok[0].stdout.contains(&format!("tasknet up is running (pid {pid})")), "{}", all());
    assert!(alive(pid));
}

#[test]
#[ignore = "needs root: runs `up` in network namespaces"]
fn detach_fails_at_once_with_the_childs_reason() {
    assert_can_run_up();
    let st = state();
    let _down = Down(vec![st.path().to_path_buf()]);
    // "At once": well before the 60 s a detached start waits for its child.
    let soon = Duration::from_secs(20);

    let started = Instant::now();
    let run = tasknet(st.path(), &["up", "--detach", "--runtime", "/nonexistent/runtime.toml"]);
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(run.stderr.contains("cannot read runtime file /nonexistent/runtime.toml"), "{}", run.all());
    assert!(started.elapsed() < soon, "{:?}", started.elapsed());

    let lock = hold_account_lock(st.path());
    let started = Instant::now();
    let run = tasknet(st.path(), &["up", "--detach"]);
    assert_eq!(run.code, Some(3), "{}", run.all());
    let me = std::process::id();
    assert!(run.stderr.contains(&format!("`tasknet deploy` (pid {me}) is changing this account")), "{}", run.all());
    assert!(started.elapsed() < soon, "{:?}", started.elapsed());
    drop(lock);
    assert!(status(st.path()).is_null(), "nothing runs: {}", status(st.path()));

    let run = tasknet(st.path(), &["up", "--detach"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let run = tasknet(st.path(), &["up", "--detach"]);
    assert_eq!(run.code, Some(3), "{}", run.all());
    assert!(run.stderr.contains("already running"), "{}", run.all());
    // The failed starts left the running `up`'s log alone, and no log of their own.
    let log = std::fs::read_to_string(st.path().join("up.log")).unwrap_or_default();
    assert!(!log.contains("runtime.toml") && !log.contains("already running"), "{log}");
    let left: Vec<String> = std::fs::read_dir(st.path())
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    assert!(!left.iter().any(|n| n.starts_with("up.start-")), "{left:?}");
}

#[test]
#[ignore = "needs root: runs `up` in network namespaces; holds the account for over a minute"]
fn an_account_held_past_the_lock_wait_only_delays_up() {
    assert_can_run_up();
    let st = state();
    let _down = Down(vec![st.path().to_path_buf()]);
    let run = tasknet(st.path(), &["up", "--detach"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let (pid, scope) = pid_and_scope(st.path());
    let wired = namespaces(&scope);
    assert!(!wired.is_empty());

    // Longer than a command waits for the lock (60 s): a tick that gave up then stopped `up`.
    let lock = hold_account_lock(st.path());
    let held = Instant::now();
    while held.elapsed() < Duration::from_secs(65) {
        assert!(alive(pid), "up stopped after {:?} of a held account", held.elapsed());
        std::thread::sleep(Duration::from_secs(1));
    }
    assert_eq!(namespaces(&scope), wired, "the data plane ran on");
    drop(lock);
    let released = SystemTime::now();

    // Ticks go on: the status is written again.
    let fresh = || std::fs::metadata(st.path().join("up.json")).and_then(|m| m.modified()).is_ok_and(|t| t > released);
    assert!(eventually(Duration::from_secs(10), fresh), "up ticks again after the account is free");
    assert!(alive(pid));
    let log = std::fs::read_to_string(st.path().join("up.log")).unwrap_or_default();
    assert!(log.contains("ticks are skipped until the account is free"), "{log}");
    assert!(log.contains("the account is free again"), "{log}");
}

/// Asserts the stored clock is not ahead of wall time by more than up to
/// one of `up`'s ticks and the time between the save and the look.
fn assert_clock_not_ahead(state: &Path) {
    const SLACK_MS: u64 = 1_000;
    let clock = stored_account(state).map_or(0, |a| a.clock_ms);
    let wall = wall_ms();
    assert!(clock <= wall + SLACK_MS, "the clock ran {} ms ahead of wall time", clock.saturating_sub(wall));
}

/// The stack's status in the store.
fn stack_status(state: &Path) -> String {
    stored_account(state).and_then(|a| a.stacks.values().next().map(|s| s.stack_status.to_string())).unwrap_or_default()
}

#[test]
#[ignore = "needs root: runs `up` in network namespaces; the deploy under it takes minutes of wall time"]
fn a_deploy_while_up_runs_does_not_run_the_clock_ahead_of_wall_time() {
    assert_can_run_up();
    let st = state();
    let _down = Down(vec![st.path().to_path_buf()]);
    let run = tasknet(st.path(), &["up", "--detach"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let (pid, _) = pid_and_scope(st.path());

    // A create: its waits (instances, a steady service with healthy targets) pass in wall time.
    let run = deploy_example(st.path(), &["--quiet"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert_eq!(stack_status(st.path()), "CREATE_COMPLETE");
    assert_clock_not_ahead(st.path());
    assert!(alive(pid), "up runs on");

    // An update of the service.
    let run = deploy_example(st.path(), &["ApplicationDesiredCount=1", "--quiet"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert_eq!(stack_status(st.path()), "UPDATE_COMPLETE");
    assert_clock_not_ahead(st.path());
    assert!(alive(pid), "up runs on");
    assert_eq!(status(st.path())["ready"], true);
}
