//! `tasknet serve` as the one writer: tasknet's own commands that change the
//! account go to the running server (relative paths are the caller's), and
//! what they changed is what the server holds and saved.

mod common;

use common::{args, deploy_example, run_in, state, todobackend};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `tasknet serve` on an ephemeral port, stopped (SIGTERM, then
/// SIGKILL) when dropped, also when the test fails.
struct Server {
    child: Child,
}

impl Server {
    fn start(state: &Path) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_tasknet"))
            .args(["serve", "--port", "0"])
            .env("TASKNET_STATE_DIR", state)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start tasknet serve: {e}"));
        let server = Server { child };
        let file = state.join("serve.json");
        let started = Instant::now();
        while !file.is_file() {
            assert!(started.elapsed() < Duration::from_secs(20), "tasknet serve wrote no serve.json");
            std::thread::sleep(Duration::from_millis(10));
        }
        server
    }

    fn stop(mut self) -> Option<i32> {
        // SIGTERM, as a user stops it (std can only send SIGKILL).
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            if started.elapsed() > Duration::from_secs(10) {
                let _ = self.child.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn commands_that_change_the_account_run_in_the_server() {
    let st = state();
    let server = Server::start(st.path());
    // The store's lock is the server's for its whole life: this deploy could only
    // succeed by running in the server (and stack.yml is relative to the caller's folder).
    let run = deploy_example(st.path(), &[]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.contains("Successfully created/updated stack - todobackend"), "{}", run.all());
    let again = deploy_example(st.path(), &[]);
    assert!(again.stdout.contains("No changes to deploy. Stack todobackend is up to date"), "{}", again.all());
    // Reads see what the server saved.
    let described = run_in(&todobackend(), st.path(), &args(&["describe", "stacks", "--stack-name", "todobackend"]));
    assert!(described.stdout.contains("CREATE_COMPLETE"), "{}", described.all());
    assert_eq!(server.stop(), Some(0));
    assert!(!st.path().join("serve.json").exists(), "serve.json is removed when the server stops");
    // And the next command, with no server, opens the store itself and finds the stack.
    let after = deploy_example(st.path(), &[]);
    assert!(after.stdout.contains("No changes to deploy"), "{}", after.all());
}

#[test]
fn a_server_with_only_the_default_key_stays_on_loopback() {
    let st = state();
    let run = run_in(&todobackend(), st.path(), &args(&["serve", "--bind", "0.0.0.0", "--port", "0"]));
    assert_ne!(run.code, Some(0));
    assert!(run.stderr.contains("only the default access key (test/test) exists"), "{}", run.all());
}
