//! `up`: the account's VPCs made real on this machine.
//!
//! `up` runs in the foreground (a front door may detach it): every tick it
//! opens the account under its lock, lets the control plane catch up with
//! wall time (the clock runs in real time), hands it what the data plane
//! saw (container exits, health checks), saves, and then makes the kernel
//! ([`dataplane`]) and the servers and processes ([`services`]) match the
//! account. Other commands change the account meanwhile; their changes show
//! up at the next tick.

mod lock;
pub mod services;

use crate::error::RuntimeError;
use crate::session::{self, Session};
use crate::state;
use dataplane::{Kernel, Wiring};
use services::{Report, Services};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use lock::{acquire, is_running, running, UpLock};

/// How often `up` reconciles (changes by other commands show up within this).
pub const TICK: Duration = Duration::from_millis(250);

/// The status file `up` keeps in its state folder while it runs (`pid`, `ready`, `scope`, `namespaces`, `forwards`).
pub const STATUS_FILE: &str = "up.json";

/// The log of a detached `up` in its state folder.
pub const LOG_FILE: &str = "up.log";

/// How `up` runs.
#[derive(Clone, Debug, Default)]
pub struct UpOptions {
    /// A runtime file mapping images to local commands (none: a stand-in per container).
    pub runtime: Option<PathBuf>,
    /// The first port on 127.0.0.1 forwarded to an internet-facing load balancer.
    pub publish: u16,
    /// Forward only to this stack's load balancers.
    pub stack: Option<String>,
    /// Stop after this long (none: until SIGINT or SIGTERM).
    pub duration: Option<Duration>,
    /// The wire endpoint serving beside `up` (127.0.0.1:<port>), where AWS's
    /// APIs on the emulated network forward to; none: nothing answers there.
    pub endpoint: Option<std::net::SocketAddr>,
    /// The log a detached start wrote before it owned the account: renamed to [`LOG_FILE`] once it does
    /// (so two starts at once never write over each other's log, nor over the running `up`'s).
    pub start_log: Option<PathBuf>,
}

/// Checks that this machine can run the data plane (root, ip, nft).
pub fn preflight() -> Result<(), RuntimeError> {
    dataplane::preflight::check().map_err(|e| RuntimeError::Refused(e.to_string()))
}

/// Runs `up` for the state folder `state_dir` (the default one when `None`) until stopped.
pub fn run(state_dir: Option<&Path>, opts: &UpOptions) -> Result<(), RuntimeError> {
    preflight()?;
    let dir = state::state_dir(state_dir)?;
    // Bad input fails before the account is touched.
    let runtime = opts
        .runtime
        .as_deref()
        .map(workload::RuntimeFile::load)
        .transpose()
        .map_err(|e| RuntimeError::BadInput(e.to_string()))?;
    let _lock = lock::acquire(&dir)?;
    if let Some(start_log) = &opts.start_log {
        // This `up` owns the account now: its log is the account's `up.log`.
        if let Err(e) = std::fs::rename(start_log, dir.join(LOG_FILE)) {
            tracing::warn!("cannot rename {} to {LOG_FILE}: {e}", start_log.display());
        }
    }
    let status_path = dir.join(STATUS_FILE);
    // A killed `up`'s status is not this one's.
    let _ = std::fs::remove_file(&status_path);
    let scope = state::scope(&dir);
    let logs = dir.join("logs");
    if let Err(e) = std::fs::create_dir_all(&logs) {
        tracing::warn!("cannot create {} for the containers' logs: {e}", logs.display());
    }
    match dataplane::linux::sweep(&scope) {
        Ok(swept) if !swept.is_empty() => {
            eprintln!("tasknet up: removed {} namespace(s) an earlier run left", swept.len())
        }
        Ok(_) => {}
        Err(e) => tracing::warn!("cannot remove what an earlier run left: {e}"),
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| RuntimeError::System(e.to_string()))?;
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        rt.spawn(async move {
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = async { if let Some(t) = term.as_mut() { t.recv().await; } else { std::future::pending::<()>().await } } => {}
            }
            stop.store(true, Ordering::SeqCst);
        });
    }
    let prefix = scope.prefix().to_string();
    let mut kernel = Kernel::new(scope);
    let planned = runtime.clone();
    let mut services = Services::new(rt.handle().clone(), runtime, logs, opts.publish, opts.stack.clone())
        .map_err(|e| RuntimeError::System(e.to_string()))?;
    services.serve_api(&dir, opts.endpoint);
    if let (Some(_), Some(ca)) = (opts.endpoint, services.ca_path()) {
        eprintln!("tasknet up: AWS's APIs answer inside the VPCs over HTTPS; trust {} (AWS_CA_BUNDLE)", ca.display());
    }
    let deadline = opts.duration.map(|d| Instant::now() + d);
    let mut printed = Vec::new();
    let mut result = Ok(());
    // Until the first tick, a busy account stops `up` at once (like any
    // command); after it, a busy account only delays ticks.
    let mut wired = false;
    let mut busy_since: Option<Instant> = None;
    while !stop.load(Ordering::SeqCst) && deadline.is_none_or(|d| Instant::now() < d) {
        let started = Instant::now();
        // A running `up` waits about a tick for the lock and then lets the servers run on.
        let wait = if wired { TICK } else { session::GRACE };
        match tick(&dir, &mut kernel, &mut services, planned.as_ref(), wait) {
            Ok(summary) => {
                wired = true;
                if let Some(since) = busy_since.take() {
                    tracing::info!(
                        "the account is free again after {:.1} s; ticks go on",
                        since.elapsed().as_secs_f64()
                    );
                }
                let forwards = services.forwards();
                if forwards != printed {
                    for f in &forwards {
                        println!("{}  →  {} ({}) port {}", f.url(), f.load_balancer, f.dns_name, f.listener_port);
                    }
                    printed = forwards.clone();
                }
                let status = serde_json::json!({
                    "pid": std::process::id(),
                    "ready": true,
                    "scope": prefix,
                    "namespaces": summary,
                    "forwards": forwards.iter().map(|f| serde_json::json!({"url": f.url(), "loadBalancer": f.load_balancer, "dnsName": f.dns_name, "listenerPort": f.listener_port})).collect::<Vec<_>>(),
                });
                if let Err(e) = write_status(&status_path, &status.to_string()) {
                    tracing::warn!("cannot write {}: {e}", status_path.display());
                }
            }
            Err(e) if e.is_busy() && wired => {
                if busy_since.is_none() {
                    tracing::warn!("{e}; the data plane runs on and ticks are skipped until the account is free");
                    busy_since = Some(Instant::now());
                }
            }
            Err(e) => {
                if e.is_busy() || matches!(e, RuntimeError::Refused(_)) {
                    result = Err(e);
                    break;
                }
                eprintln!("tasknet up: {e}");
            }
        }
        std::thread::sleep(TICK.saturating_sub(started.elapsed()));
    }
    eprintln!("tasknet up: stopping, removing the namespaces");
    rt.block_on(services.stop_all());
    let _ = std::fs::remove_file(&status_path);
    if let Err(e) = kernel.teardown() {
        eprintln!("tasknet up: {e}");
    }
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}

/// Writes `up.json` whole (a new file renamed over the old one), so a
/// reader never sees it half written.
fn write_status(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

/// One pass: the account catches up and hears reports, then the kernel and
/// the services follow it. Returns how many namespaces there are.
fn tick(
    dir: &Path,
    kernel: &mut Kernel,
    services: &mut Services,
    runtime: Option<&workload::RuntimeFile>,
    wait: Duration,
) -> Result<usize, RuntimeError> {
    let account = {
        let mut session = Session::open_waiting(Some(dir), "up", wait)?;
        for name in &session.repaired {
            eprintln!("{}", session::repaired_notice(name));
        }
        let a = &mut session.account;
        // What the data plane saw; a report about a task or target that is gone since is moot.
        services.take_pull_reports();
        apply_reports(a, services.reports.drain(..));
        // Tasks starting from now on connect for real before their containers start.
        let starting: Vec<String> = a
            .tasks
            .values()
            .filter(|t| matches!(t.last_status, account::TaskStatus::Provisioning | account::TaskStatus::Pending))
            .map(|t| t.task_arn.clone())
            .collect();
        for arn in starting {
            if a.tasks.get(&arn).is_some_and(|t| !control::ecs::pulls::needs(a, t).is_empty()) {
                control::ecs::pulls::hand_to_data_plane(a, &arn);
            }
        }
        for ((tg, id, port), outcome) in services.health() {
            if let Err(e) = control::elb::observe_health_check(a, &tg, &id, port, outcome) {
                tracing::debug!("a health check of {id}:{port} in {tg} was dropped: {e}");
            }
        }
        // One-off containers the runtime file maps run as processes; the others exit on the clock.
        crate::oneoff::plan(a, runtime, true);
        control::reconcile(a);
        // ECS's and EC2's keys for task roles and instance profiles, renewed ahead of expiry.
        a.refresh_credentials(crate::clock::wall_clock_ms());
        session.save()?;
        session.account
    };
    let wiring = Wiring::from_account(&account, kernel.scope());
    if let Err(e) = kernel.apply(&wiring) {
        tracing::warn!("wiring the namespaces: {e}");
    }
    services.sync(&account, &wiring);
    Ok(wiring.namespaces().len())
}

/// Hands the data plane's reports to the control plane: container exits and
/// failed starts to ECS, containers' output to their awslogs streams
/// (`account::logs::awslogs::append`, through PutLogEvents' rules).
pub fn apply_reports(a: &mut account::Account, reports: impl IntoIterator<Item = Report>) {
    for r in reports {
        let (task_arn, result) = match r {
            Report::Exited { task_arn, container, exit_code } => {
                let result =
                    control::ecs::container_exited(a, &task_arn, &container, exit_code).map_err(|e| e.to_string());
                (task_arn, result)
            }
            Report::CannotStart { task_arn, container, reason } => {
                let result = control::ecs::container_failed_to_start(a, &task_arn, &container, &reason)
                    .map_err(|e| e.to_string());
                (task_arn, result)
            }
            Report::PullsConnected { task_arn } => {
                control::ecs::pulls::connected(a, &task_arn);
                (task_arn, Ok(()))
            }
            Report::PullBlocked { task_arn, blocker } => {
                control::ecs::pulls::failed(a, &task_arn, &blocker);
                (task_arn, Ok(()))
            }
            Report::Output { task_arn, container, lines } => {
                let result = match account::logs::awslogs::append(a, &task_arn, &container, &lines) {
                    Some(Err(e)) => Err(e.to_string()),
                    _ => Ok(()),
                };
                (task_arn, result)
            }
        };
        if let Err(e) = result {
            tracing::debug!("a container report about {task_arn} was dropped: {e}");
        }
    }
}

/// `up.json` of the state folder `dir`, if it is there and whole.
pub fn read_status(dir: &Path) -> Option<serde_json::Value> {
    serde_json::from_str(&std::fs::read_to_string(dir.join(STATUS_FILE)).ok()?).ok()
}

/// What each security group rule of the account in `dir` has matched in
/// the running data plane, by rule ID; `None` when no `up` runs it.
pub fn rule_counts(dir: &Path) -> Option<dataplane::Counts> {
    if !is_running(dir) {
        return None;
    }
    match dataplane::linux::rule_counts(&state::scope(dir)) {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::debug!("cannot read the data plane's rule counters: {e}");
            None
        }
    }
}

/// `down`: stops the `up` running the state folder `state_dir` and removes
/// every namespace of its scope (also after a crash); returns the removed
/// namespaces. Other accounts' `up`s run on.
pub fn stop(state_dir: Option<&Path>) -> Result<Vec<String>, RuntimeError> {
    preflight()?;
    let dir = state::state_dir(state_dir)?;
    let scope = state::scope(&dir);
    // Pid 0 (unreadable) is never signalled: `kill 0` would hit this process group.
    if let Some(pid) = lock::running(&dir).filter(|p| *p > 0) {
        let _ = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status();
        let started = Instant::now();
        while lock::running(&dir).is_some() && started.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(100));
        }
        if lock::running(&dir).is_some() {
            let _ = std::process::Command::new("kill").args(["-KILL", &pid.to_string()]).status();
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    dataplane::linux::sweep(&scope).map_err(|e| RuntimeError::Refused(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use account::{Account, LogConfiguration};
    use control::ecs::{self, testkit, RunTaskRequest};

    /// A RUNNING Fargate task whose container `app` sends its output to `/ecs/web` with prefix `web`.
    fn running_task(driver: &str) -> (Account, String) {
        let mut a = Account::default();
        testkit::cluster(&mut a, "c");
        let mut c = testkit::container("app", 128, 80, None);
        let options =
            [("awslogs-group", "/ecs/web"), ("awslogs-stream-prefix", "web"), ("awslogs-create-group", "true")];
        c.log_configuration = Some(LogConfiguration {
            log_driver: driver.into(),
            options: options.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        });
        testkit::task_definition(&mut a, "web", "awsvpc", Some(("256", "512")), vec![c]);
        let net = account::NetworkConfiguration {
            awsvpc_configuration: Some(account::AwsvpcConfiguration {
                subnets: testkit::default_subnets(&a),
                security_groups: vec![],
                // The default VPC's subnets are public: CloudWatch Logs needs a public IP there.
                assign_public_ip: "ENABLED".into(),
            }),
        };
        let req = RunTaskRequest {
            cluster: Some("c".into()),
            task_definition: "web".into(),
            launch_type: Some("FARGATE".into()),
            network_configuration: Some(net),
            ..Default::default()
        };
        let arn = ecs::run_task(&mut a, &req).expect("runs").tasks[0].task_arn.clone();
        let deadline = a.clock_ms + 60_000;
        control::clock::run_until(&mut a, deadline, |a| a.tasks[&arn].last_status == account::TaskStatus::Running);
        (a, arn)
    }

    #[test]
    fn a_containers_lines_go_to_its_awslogs_stream() {
        let (mut a, arn) = running_task("awslogs");
        let now = a.clock_ms;
        let lines = vec!["Listening on 0.0.0.0:80".to_string(), "GET / 200".to_string()];
        let report = services::output_report(&a, &arn, "app", lines, now).expect("awslogs reports its lines");
        assert!(services::output_report(&a, &arn, "app", Vec::new(), now).is_none());
        apply_reports(&mut a, [report]);
        let id = arn.rsplit('/').next().unwrap_or_default();
        let stream = &a.log_streams[&account::logs::stream_key("/ecs/web", &format!("web/app/{id}"))];
        let got: Vec<&str> = stream.events.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(got, ["Listening on 0.0.0.0:80", "GET / 200"]);
        // The process's exit report stops the task as ECS does.
        apply_reports(&mut a, [Report::Exited { task_arn: arn.clone(), container: "app".into(), exit_code: 3 }]);
        let t = &a.tasks[&arn];
        assert_eq!((t.containers[0].exit_code, t.stop_code.as_deref()), (Some(3), Some("EssentialContainerExited")));
    }

    #[test]
    fn tasknet_logs_finds_a_tasks_awslogs_streams_by_id_or_arn() {
        let (mut a, arn) = running_task("awslogs");
        let now = a.clock_ms;
        let report = services::output_report(&a, &arn, "app", vec!["hello".into()], now).expect("a report");
        apply_reports(&mut a, [report]);
        let id = arn.rsplit('/').next().unwrap_or_default().to_string();
        for target in [id.as_str(), arn.as_str()] {
            let sources = account::logs::tail::resolve(&a, target).expect("the task's streams");
            assert_eq!(sources[0].group, "/ecs/web");
            assert_eq!(sources[0].streams, [format!("web/app/{id}")]);
            let events = account::logs::tail::events_since(&a, &sources, 0).expect("events");
            assert_eq!(events.iter().map(|e| e.message.as_str()).collect::<Vec<_>>(), ["hello"]);
        }
    }

    #[test]
    fn other_drivers_output_stays_out_of_cloudwatch_logs() {
        let (a, arn) = running_task("json-file");
        assert!(services::output_report(&a, &arn, "app", vec!["x".into()], a.clock_ms).is_none());
    }
}
