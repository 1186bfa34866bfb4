//! `up`, `down` and `exec`: the account's VPCs made real on this machine.
//!
//! `up` runs in the foreground (or detached): every tick it opens the account
//! under its lock, lets the control plane catch up with wall time (the clock
//! runs in real time), hands it what the data plane saw (container exits,
//! health checks), saves, and then makes the kernel ([`dataplane`]) and the
//! servers and processes ([`services`]) match the account. Other commands
//! change the account meanwhile; their changes show up at the next tick.

mod lock;
pub mod services;

use crate::cli::{Cli, DownArgs, ExecArgs, UpArgs};
use crate::error::CliError;
use crate::session::{self, Session};
use crate::state;
use dataplane::{Kernel, Wiring};
use services::{Report, Services};
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often `up` reconciles (changes by other commands show up within this).
const TICK: Duration = Duration::from_millis(250);

/// How long `up --detach` waits for its child to be wired.
const DETACH_WAIT: Duration = Duration::from_secs(60);

/// Set for the child of `up --detach`: the log it writes until it holds the
/// account's `up` lock, then renames to `up.log` (so two starts at once never
/// write over each other's log, nor over the running `up`'s).
const START_LOG_ENV: &str = "TASKNET_UP_START_LOG";

/// The pid of the `up` running this account (commands that would run the clock ahead leave time to it).
pub fn running(cli: &Cli) -> Option<u32> {
    let dir = state::state_dir(cli.state_dir.as_deref()).ok()?;
    lock::running(&dir)
}

/// Runs `up`.
pub fn up(cli: &Cli, args: &UpArgs) -> Result<u8, CliError> {
    dataplane::preflight::check().map_err(|e| CliError::Refused(e.to_string()))?;
    let dir = state::state_dir(cli.state_dir.as_deref())?;
    if args.detach {
        return detach(&dir);
    }
    // Bad input fails before the account is touched.
    let runtime = args
        .runtime
        .as_deref()
        .map(workload::RuntimeFile::load)
        .transpose()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let _lock = lock::acquire(&dir)?;
    if let Some(start_log) = std::env::var_os(START_LOG_ENV) {
        // This `up` owns the account now: its log is the account's `up.log`.
        if let Err(e) = std::fs::rename(&start_log, dir.join("up.log")) {
            tracing::warn!("cannot rename {} to up.log: {e}", Path::new(&start_log).display());
        }
    }
    let status_path = dir.join("up.json");
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
        .map_err(|e| CliError::Output(e.to_string()))?;
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
    let mut services = Services::new(rt.handle().clone(), runtime, logs, args.publish, args.stack.clone())
        .map_err(|e| CliError::Output(e.to_string()))?;
    let deadline = args.duration.map(|s| Instant::now() + Duration::from_secs(s));
    let mut printed = Vec::new();
    let mut result = Ok(0);
    // Until the first tick, a busy account stops `up` at once (like any
    // command); after it, a busy account only delays ticks.
    let mut wired = false;
    let mut busy_since: Option<Instant> = None;
    while !stop.load(Ordering::SeqCst) && deadline.is_none_or(|d| Instant::now() < d) {
        let started = Instant::now();
        // A running `up` waits about a tick for the lock and then lets the servers run on.
        let wait = if wired { TICK } else { session::GRACE };
        match tick(cli, &mut kernel, &mut services, wait) {
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
                        println!(
                            "http://127.0.0.1:{}/  →  {} ({}) port {}",
                            f.local_port, f.load_balancer, f.dns_name, f.listener_port
                        );
                    }
                    printed = forwards.clone();
                }
                let status = serde_json::json!({
                    "pid": std::process::id(),
                    "ready": true,
                    "scope": prefix,
                    "namespaces": summary,
                    "forwards": forwards.iter().map(|f| serde_json::json!({"url": format!("http://127.0.0.1:{}/", f.local_port), "loadBalancer": f.load_balancer, "dnsName": f.dns_name, "listenerPort": f.listener_port})).collect::<Vec<_>>(),
                });
                if let Err(e) = write_status(&status_path, &status.to_string()) {
                    tracing::warn!("cannot write {}: {e}", status_path.display());
                }
            }
            Err(e @ CliError::Busy(_)) if wired => {
                if busy_since.is_none() {
                    tracing::warn!("{e}; the data plane runs on and ticks are skipped until the account is free");
                    busy_since = Some(Instant::now());
                }
            }
            Err(e) => {
                if matches!(e, CliError::Refused(_) | CliError::Busy(_)) {
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
fn tick(cli: &Cli, kernel: &mut Kernel, services: &mut Services, wait: Duration) -> Result<usize, CliError> {
    let account = {
        let mut session = Session::open_waiting(cli, "up", wait)?;
        let a = &mut session.account;
        // What the data plane saw; a report about a task or target that is gone since is moot.
        for r in services.reports.drain(..) {
            let (task_arn, result) = match r {
                Report::Exited { task_arn, container, exit_code } => {
                    let result = control::ecs::container_exited(a, &task_arn, &container, exit_code);
                    (task_arn, result)
                }
                Report::CannotStart { task_arn, container, reason } => {
                    let result = control::ecs::container_failed_to_start(a, &task_arn, &container, &reason);
                    (task_arn, result)
                }
            };
            if let Err(e) = result {
                tracing::debug!("a container report about {task_arn} was dropped: {e}");
            }
        }
        for ((tg, id, port), outcome) in services.health() {
            if let Err(e) = control::elb::observe_health_check(a, &tg, &id, port, outcome) {
                tracing::debug!("a health check of {id}:{port} in {tg} was dropped: {e}");
            }
        }
        control::reconcile(a);
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

/// `up --detach`: starts `up` in the background and reports success only
/// once that child holds the account's `up` lock and is wired; if the child
/// stops first, fails at once with its reason and exit code.
fn detach(dir: &Path) -> Result<u8, CliError> {
    if let Some(pid) = lock::running(dir) {
        return Err(lock::already_running(Some(pid)));
    }
    std::fs::create_dir_all(dir).map_err(|source| CliError::Read { path: dir.to_path_buf(), source })?;
    let status = dir.join("up.json");
    let log_path = dir.join("up.log");
    let start_log = dir.join(format!("up.start-{}.log", std::process::id()));
    let log = std::fs::File::create(&start_log).map_err(|source| CliError::Read { path: start_log.clone(), source })?;
    let err = log.try_clone().map_err(|source| CliError::Read { path: start_log.clone(), source })?;
    let exe = std::env::current_exe().map_err(|e| CliError::Output(e.to_string()))?;
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--detach").collect();
    let mut child = std::process::Command::new(exe)
        .args(&args)
        .env("TASKNET_STATE_DIR", dir)
        .env(START_LOG_ENV, &start_log)
        .stdin(std::process::Stdio::null())
        .stdout(log)
        .stderr(err)
        .process_group(0)
        .spawn()
        .map_err(|e| CliError::Output(e.to_string()))?;
    let pid = child.id();
    let started = Instant::now();
    loop {
        // Another `up`'s status (one already running, or the winner of a race) is not this child's.
        if let Some(v) = read_status(&status).filter(|v| v["pid"].as_u64() == Some(u64::from(pid))) {
            println!("tasknet up is running (pid {pid}), log: {}", log_path.display());
            for f in v["forwards"].as_array().into_iter().flatten() {
                println!(
                    "{}  →  {} port {}",
                    f["url"].as_str().unwrap_or(""),
                    f["loadBalancer"].as_str().unwrap_or(""),
                    f["listenerPort"]
                );
            }
            return Ok(0);
        }
        match child.try_wait() {
            Ok(Some(exit)) => return Ok(child_failed(exit, &start_log, &log_path)),
            Ok(None) => {}
            Err(e) => return Err(CliError::Output(format!("cannot watch tasknet up (pid {pid}): {e}"))),
        }
        if started.elapsed() >= DETACH_WAIT {
            let log = if start_log.exists() { start_log } else { log_path };
            return Err(CliError::Refused(format!(
                "tasknet up (pid {pid}) did not come up within {} s; see {}",
                DETACH_WAIT.as_secs(),
                log.display()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `up.json`, if it is there and whole.
fn read_status(path: &Path) -> Option<serde_json::Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// The child of `up --detach` stopped before it was up: prints what it said
/// (its log: the start log, or `up.log` once it held the lock) and returns its exit code.
fn child_failed(exit: std::process::ExitStatus, start_log: &Path, log_path: &Path) -> u8 {
    let text = std::fs::read_to_string(start_log).or_else(|_| std::fs::read_to_string(log_path)).unwrap_or_default();
    let _ = std::fs::remove_file(start_log);
    if text.trim().is_empty() {
        eprintln!("error: tasknet up stopped before it was up ({exit})");
    } else {
        eprint!("{text}");
    }
    // A child that stopped cleanly before it was up (`--for 0`) still did not come up.
    exit.code().and_then(|c| u8::try_from(c).ok()).filter(|c| *c != 0).unwrap_or(1)
}

/// Runs `down`: stops this account's running `up` and removes every
/// namespace of its scope (also after a crash). Other accounts' `up`s run on.
pub fn down(cli: &Cli, _args: &DownArgs) -> Result<u8, CliError> {
    dataplane::preflight::check().map_err(|e| CliError::Refused(e.to_string()))?;
    let dir = state::state_dir(cli.state_dir.as_deref())?;
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
    let removed = dataplane::linux::sweep(&scope).map_err(|e| CliError::Refused(e.to_string()))?;
    println!("removed {} namespace(s)", removed.len());
    Ok(0)
}

/// Runs `exec`: a command inside an ENI's namespace (a task, a load balancer node, the internet).
pub fn exec(cli: &Cli, args: &ExecArgs) -> Result<u8, CliError> {
    dataplane::preflight::check().map_err(|e| CliError::Refused(e.to_string()))?;
    let scope = state::scope(&state::state_dir(cli.state_dir.as_deref())?);
    let ns = if args.target.eq_ignore_ascii_case("internet") {
        scope.ns("internet")
    } else {
        let (account, _) = state::account_for_reading(cli.state_dir.as_deref(), cli.account_file.as_deref())?;
        let topo = reach::topology::Topology::new(&account);
        let endpoint = reach::endpoint::resolve(&topo, &args.target, args.stack.as_deref())
            .map_err(|e| CliError::Usage(e.to_string()))?;
        let eni = endpoint.places.iter().find_map(|p| p.eni.clone()).ok_or_else(|| {
            CliError::Usage(format!("{} has no network interface to run a command in", endpoint.label))
        })?;
        scope.ns(&eni)
    };
    if !std::path::Path::new("/var/run/netns").join(&ns).exists() {
        return Err(CliError::Refused(format!("{ns} does not exist: is `tasknet up` running?")));
    }
    let status = std::process::Command::new("ip")
        .args(["netns", "exec", &ns])
        .args(&args.command)
        .status()
        .map_err(|e| CliError::Output(e.to_string()))?;
    Ok(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1))
}
