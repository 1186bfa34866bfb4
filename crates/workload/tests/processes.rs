//! Container processes in scratch namespaces: spawning, exits, stopping (root only).

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{require_root, Pair};
use workload::process::{STOP_CODE_FAILED_TO_START, TASK_FAILED_TO_START};
use workload::{ContainerSpec, Exited, Launch, RuntimeFile, SpawnError, Supervisor};

const TASK: &str = "arn:aws:ecs:us-east-1:123456789012:task/demo/0123456789abcdef0123456789abcdef";

const RUNTIME: &str = r#"
[images."demo/netdev"]
entry_point = ["sh", "-c"]
command = ["cat /proc/self/net/dev; echo to-stderr >&2"]

[images."demo/exit3"]
command = ["sh", "-c", "exit 3"]

[images."demo/sleeper"]
command = ["sleep", "600"]

[images."demo/stubborn"]
# Says "ready" only once the trap is in place: a SIGTERM before that would end it as 143.
command = ["sh", "-c", "trap '' TERM; echo ready; sleep 600 & wait"]

[images."demo/broken"]
command = ["surely-not-installed-tasknet-app", "--serve"]

[images."demo/resolv"]
command = ["sh", "-c", "cat /etc/resolv.conf"]

[images."demo/env"]
command = ["sh", "-c", "echo A=$A B=$B META=${ECS_CONTAINER_METADATA_URI-unset}"]
[images."demo/env".environment]
A = "image"
B = "image"
"#;

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch_dir(tag: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("tn-test-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

fn launch(image: &str, environment: Vec<(String, String)>) -> Launch {
    let file = RuntimeFile::parse(RUNTIME).unwrap();
    let spec =
        ContainerSpec { name: "app".into(), image: image.into(), environment, essential: true, ..Default::default() };
    Launch::resolve(file.lookup(image).expect("runtime entry"), &spec, &[]).unwrap()
}

/// Polls until the supervisor reports an exit; the deadline only keeps a broken test from hanging.
fn wait_exit(supervisor: &mut Supervisor) -> Vec<Exited> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let exits = supervisor.poll_exits();
        if !exits.is_empty() || Instant::now() > deadline {
            return exits;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until `log` holds `line`; the deadline only keeps a broken test from hanging.
fn wait_line(log: &Path, line: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(log).is_ok_and(|t| t.lines().any(|l| l == line)) {
        assert!(Instant::now() < deadline, "{} never said {line:?}", log.display());
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
#[ignore = "needs root: creates network namespaces"]
fn a_process_sees_the_namespace_interfaces_and_logs_both_streams() {
    require_root();
    let (pair, _cleanup) = Pair::new("spawn");
    let dir = scratch_dir("spawn");
    let log = dir.0.join("app.log");
    std::fs::write(&log, "earlier line\n").unwrap();
    let mut supervisor = Supervisor::new().unwrap();
    supervisor.spawn(TASK, &pair.b, &launch("demo/netdev", vec![]), &log).unwrap();
    let exits = wait_exit(&mut supervisor);
    assert_eq!(exits, [Exited { task_arn: TASK.into(), container: "app".into(), exit_code: 0 }]);

    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.starts_with("earlier line\n"), "appended, not truncated: {text}");
    assert!(text.contains("to-stderr"), "{text}");
    let interfaces: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(name, _)| name.trim())
        .filter(|n| !n.contains(' '))
        .collect();
    assert!(interfaces.contains(&"vb"), "{text}");
    // None of the host's own interfaces but lo.
    let host = std::fs::read_to_string("/proc/self/net/dev").unwrap();
    for line in host.lines().skip(2) {
        if let Some((name, _)) = line.split_once(':') {
            let name = name.trim();
            if name != "lo" {
                assert!(!interfaces.contains(&name), "host interface {name} visible: {text}");
            }
        }
    }
}

#[test]
#[ignore = "needs root: creates network namespaces"]
fn exit_codes_are_reported_once() {
    require_root();
    let (pair, _cleanup) = Pair::new("exit");
    let dir = scratch_dir("exit");
    let mut supervisor = Supervisor::new().unwrap();
    supervisor.spawn(TASK, &pair.a, &launch("demo/exit3", vec![]), &dir.0.join("log")).unwrap();
    assert_eq!(wait_exit(&mut supervisor)[0].exit_code, 3);
    assert!(supervisor.poll_exits().is_empty());
    assert!(supervisor.is_empty());
}

#[test]
#[ignore = "needs root: creates network namespaces"]
fn the_task_environment_overrides_the_image_and_no_metadata_uri_is_set() {
    require_root();
    let (pair, _cleanup) = Pair::new("env");
    let dir = scratch_dir("env");
    let log = dir.0.join("log");
    let mut supervisor = Supervisor::new().unwrap();
    supervisor.spawn(TASK, &pair.a, &launch("demo/env", vec![("B".into(), "task".into())]), &log).unwrap();
    wait_exit(&mut supervisor);
    assert_eq!(std::fs::read_to_string(&log).unwrap().trim(), "A=image B=task META=unset");
}

#[test]
#[ignore = "needs root: creates network namespaces"]
fn a_missing_command_gives_ecs_stopped_reason() {
    require_root();
    let (pair, _cleanup) = Pair::new("missing");
    let dir = scratch_dir("missing");
    let mut supervisor = Supervisor::new().unwrap();
    let err = supervisor.spawn(TASK, &pair.a, &launch("demo/broken", vec![]), &dir.0.join("log")).unwrap_err();
    assert!(matches!(err, SpawnError::ExecutableNotFound(_)), "{err}");
    assert_eq!(
        err.stopped_reason(),
        "CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: \
         failed to create shim task: OCI runtime create failed: runc create failed: unable to start container \
         process: exec: \"surely-not-installed-tasknet-app\": executable file not found in $PATH: unknown"
    );
    assert_eq!(err.exit_code(), None);
    assert_eq!((STOP_CODE_FAILED_TO_START, TASK_FAILED_TO_START), ("TaskFailedToStart", "Task failed to start"));
    assert!(supervisor.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs root: creates network namespaces"]
async fn stopping_sends_sigterm_then_sigkill_after_the_grace() {
    require_root();
    let (pair, _cleanup) = Pair::new("stop");
    let dir = scratch_dir("stop");
    let mut supervisor = Supervisor::new().unwrap();
    let other = "arn:aws:ecs:us-east-1:123456789012:task/demo/ffffffffffffffffffffffffffffffff";
    let sleeper = launch("demo/sleeper", vec![]);
    supervisor.spawn(TASK, &pair.a, &sleeper, &dir.0.join("a")).unwrap();
    supervisor.spawn(other, &pair.a, &launch("demo/stubborn", vec![]), &dir.0.join("b")).unwrap();
    // Stopping before its trap is set would see it die of SIGTERM, not of the SIGKILL after the grace.
    wait_line(&dir.0.join("b"), "ready");
    assert!(supervisor.spawn(TASK, &pair.a, &sleeper, &dir.0.join("c")).is_err(), "one process per container");

    let exits = supervisor.stop_task(TASK, Duration::from_secs(30)).await;
    assert_eq!(exits, [Exited { task_arn: TASK.into(), container: "app".into(), exit_code: 143 }]);
    assert!(supervisor.pid(other, "app").is_some(), "the other task keeps running");

    // This one ignores SIGTERM, so only SIGKILL ends it.
    let exits = supervisor.stop_all(Duration::from_millis(200)).await;
    assert_eq!(exits, [Exited { task_arn: other.into(), container: "app".into(), exit_code: 137 }]);
    assert!(supervisor.is_empty());
}

#[test]
#[ignore = "needs root: creates network namespaces"]
fn dropping_the_supervisor_kills_its_processes() {
    require_root();
    let (pair, _cleanup) = Pair::new("drop");
    let dir = scratch_dir("drop");
    let mut supervisor = Supervisor::new().unwrap();
    let pid = supervisor.spawn(TASK, &pair.a, &launch("demo/sleeper", vec![]), &dir.0.join("log")).unwrap();
    drop(supervisor);
    // Reaped by the drop, so the pid no longer names our child.
    let alive = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).is_ok_and(|c| c.starts_with("sleep"));
    assert!(!alive);
}

#[test]
#[ignore = "needs root: creates network namespaces and mount namespaces"]
fn a_process_sees_its_own_resolv_conf_and_the_host_keeps_its_own() {
    require_root();
    let (pair, _cleanup) = Pair::new("resolv");
    let dir = scratch_dir("resolv");
    let conf = dir.0.join("resolv.conf");
    std::fs::write(&conf, "nameserver 10.99.0.2\n").unwrap();
    let host_before = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    // Other tests add namespaces (mounts under /run/netns) meanwhile: only resolv.conf's count.
    let resolv_mounts = || {
        let all = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
        all.lines().filter(|l| l.contains("resolv.conf")).map(str::to_string).collect::<Vec<_>>()
    };
    let mounts_before = resolv_mounts();
    let log = dir.0.join("log");
    let mut supervisor = Supervisor::new().unwrap();
    let mut l = launch("demo/resolv", vec![]);
    l.resolv_conf = Some(conf.clone());
    supervisor.spawn(TASK, &pair.a, &l, &log).unwrap();
    assert_eq!(wait_exit(&mut supervisor)[0].exit_code, 0);
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "nameserver 10.99.0.2\n");
    // Nothing leaked into the host's mount namespace.
    assert_eq!(std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default(), host_before);
    assert_eq!(resolv_mounts(), mounts_before);
    // A launch without one sees the host's.
    let log = dir.0.join("log2");
    supervisor.spawn(TASK, &pair.a, &launch("demo/resolv", vec![]), &log).unwrap();
    wait_exit(&mut supervisor);
    assert_eq!(std::fs::read_to_string(&log).unwrap(), host_before);
    // A file that is not there: the container cannot start, with the reason.
    let mut l = launch("demo/resolv", vec![]);
    l.resolv_conf = Some(dir.0.join("absent"));
    let err = supervisor.spawn(TASK, &pair.a, &l, &dir.0.join("log3")).unwrap_err();
    assert!(matches!(err, SpawnError::ResolvConf { .. }), "{err}");
    assert!(err.stopped_reason().starts_with("CannotStartContainerError: cannot use "), "{}", err.stopped_reason());
}
