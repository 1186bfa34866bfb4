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
use crate::session::Session;
use crate::state;
use dataplane::{Kernel, Scope, Wiring};
use services::{Report, Services};
use std::os::unix::process::CommandExt as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often `up` reconciles (changes by other commands show up within this).
const TICK: Duration = Duration::from_millis(250);

/// The pid of a running `up` (commands that would run the clock ahead leave time to it).
pub fn running() -> Option<u32> {
    lock::running(&Scope::production())
}

/// Runs `up`.
pub fn up(cli: &Cli, args: &UpArgs) -> Result<u8, CliError> {
    dataplane::preflight::check().map_err(|e| CliError::Refused(e.to_string()))?;
    let scope = Scope::production();
    if args.detach {
        return detach(cli, &scope);
    }
    let _lock = lock::acquire(&scope)?;
    let dir = state::state_dir(cli.state_dir.as_deref())?;
    let runtime = args
        .runtime
        .as_deref()
        .map(workload::RuntimeFile::load)
        .transpose()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let logs = dir.join("logs");
    let _ = std::fs::create_dir_all(&logs);
    if let Ok(swept) = dataplane::linux::sweep(&scope) {
        if !swept.is_empty() {
            eprintln!("tasknet up: removed {} namespace(s) an earlier run left", swept.len());
        }
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
    let mut kernel = Kernel::new(scope.clone());
    let mut services = Services::new(rt.handle().clone(), runtime, logs, args.publish, args.stack.clone())
        .map_err(|e| CliError::Output(e.to_string()))?;
    let deadline = args.duration.map(|s| Instant::now() + Duration::from_secs(s));
    let mut printed = Vec::new();
    let status_path = dir.join("up.json");
    let mut result = Ok(0);
    while !stop.load(Ordering::SeqCst) && deadline.is_none_or(|d| Instant::now() < d) {
        let started = Instant::now();
        match tick(cli, &mut kernel, &mut services) {
            Ok(summary) => {
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
                    "namespaces": summary,
                    "forwards": forwards.iter().map(|f| serde_json::json!({"url": format!("http://127.0.0.1:{}/", f.local_port), "loadBalancer": f.load_balancer, "dnsName": f.dns_name, "listenerPort": f.listener_port})).collect::<Vec<_>>(),
                });
                let _ = std::fs::write(&status_path, status.to_string());
            }
            Err(e) => {
                eprintln!("tasknet up: {e}");
                if matches!(e, CliError::Refused(_)) {
                    result = Err(e);
                    break;
                }
            }
        }
        std::thread::sleep(TICK.saturating_sub(started.elapsed()));
    }
    eprintln!("tasknet up: stopping, removing the namespaces");
    let _ = rt.block_on(services.stop_all());
    let _ = std::fs::remove_file(&status_path);
    if let Err(e) = kernel.teardown() {
        eprintln!("tasknet up: {e}");
    }
    rt.shutdown_timeout(Duration::from_secs(1));
    result
}

/// One pass: the account catches up and hears reports, then the kernel and
/// the services follow it. Returns how many namespaces there are.
fn tick(cli: &Cli, kernel: &mut Kernel, services: &mut Services) -> Result<usize, CliError> {
    let account = {
        let mut session = Session::open(cli, "up", false)?;
        let a = &mut session.account;
        // What the data plane saw; a report about a task or target that is gone since is moot.
        for r in services.reports.drain(..) {
            let _ = match r {
                Report::Exited { task_arn, container, exit_code } => {
                    control::ecs::container_exited(a, &task_arn, &container, exit_code)
                }
                Report::CannotStart { task_arn, container, reason } => {
                    control::ecs::container_failed_to_start(a, &task_arn, &container, &reason)
                }
            };
        }
        for ((tg, id, port), outcome) in services.health() {
            let _ = control::elb::observe_health_check(a, &tg, &id, port, outcome);
        }
        control::reconcile(a);
        session.save()?;
        session.account
    };
    let wiring = Wiring::from_account(&account, kernel.scope());
    if let Err(e) = kernel.apply(&wiring) {
        eprintln!("tasknet up: {e}");
    }
    services.sync(&account, &wiring);
    Ok(wiring.namespaces().len())
}

/// `up --detach`: starts `up` in the background, waits until it is wired, prints where to curl.
fn detach(cli: &Cli, scope: &Scope) -> Result<u8, CliError> {
    if let Some(pid) = lock::running(scope) {
        return Err(CliError::Refused(format!("another `tasknet up` (pid {pid}) is already running this account's data plane; stop it with `tasknet down` first")));
    }
    let dir = state::state_dir(cli.state_dir.as_deref())?;
    let _ = std::fs::create_dir_all(&dir);
    let status = dir.join("up.json");
    let _ = std::fs::remove_file(&status);
    let log_path = dir.join("up.log");
    let log = std::fs::File::create(&log_path).map_err(|source| CliError::Read { path: log_path.clone(), source })?;
    let err = log.try_clone().map_err(|source| CliError::Read { path: log_path.clone(), source })?;
    let exe = std::env::current_exe().map_err(|e| CliError::Output(e.to_string()))?;
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--detach").collect();
    let child = std::process::Command::new(exe)
        .args(&args)
        .env("TASKNET_STATE_DIR", &dir)
        .stdin(std::process::Stdio::null())
        .stdout(log)
        .stderr(err)
        .process_group(0)
        .spawn()
        .map_err(|e| CliError::Output(e.to_string()))?;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(text) = std::fs::read_to_string(&status) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
                println!("tasknet up is running (pid {}), log: {}", child.id(), log_path.display());
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
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(CliError::Refused(format!("tasknet up did not come up within 60 s; see {}", log_path.display())))
}

/// Runs `down`: stops a running `up` and removes every namespace it made (also after a crash).
pub fn down(_cli: &Cli, _args: &DownArgs) -> Result<u8, CliError> {
    dataplane::preflight::check().map_err(|e| CliError::Refused(e.to_string()))?;
    let scope = Scope::production();
    if let Some(pid) = lock::running(&scope) {
        let _ = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status();
        let started = Instant::now();
        while lock::running(&scope).is_some() && started.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(100));
        }
        if lock::running(&scope).is_some() {
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
    let scope = Scope::production();
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
