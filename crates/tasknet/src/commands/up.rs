//! `up`, `down` and `exec`: the account's VPCs made real on this machine.
//! The runtime is the application layer's (`runtime::up`); here are its
//! flags, `--detach` (which starts this same command again in the
//! background) and `exec`'s way into a namespace.

use crate::cli::{Cli, DownArgs, ExecArgs, UpArgs};
use crate::error::CliError;
use runtime::{state, up};
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// How long `up --detach` waits for its child to be wired.
const DETACH_WAIT: Duration = Duration::from_secs(60);

/// Set for the child of `up --detach`: the log it writes until it holds the
/// account's `up` lock, then renames to `up.log` (so two starts at once never
/// write over each other's log, nor over the running `up`'s).
const START_LOG_ENV: &str = "TASKNET_UP_START_LOG";

/// Runs `up`.
pub fn up(cli: &Cli, args: &UpArgs) -> Result<u8, CliError> {
    up::preflight()?;
    if args.detach {
        return detach(&state::state_dir(cli.state_dir.as_deref())?);
    }
    // Every tick changes the stored account.
    super::refuse_account_file(cli, "up")?;
    let opts = up::UpOptions {
        runtime: args.runtime.clone(),
        publish: args.publish,
        stack: args.stack.clone(),
        duration: args.duration.map(Duration::from_secs),
        start_log: std::env::var_os(START_LOG_ENV).map(Into::into),
        endpoint: (!args.no_endpoint).then(|| std::net::SocketAddr::from(([127, 0, 0, 1], args.endpoint_port))),
    };
    if !args.no_endpoint {
        // A second `up` is refused by `up::run`; it must not serve meanwhile.
        if let Some(pid) = up::running(&state::state_dir(cli.state_dir.as_deref())?) {
            return Err(runtime::RuntimeError::UpRunning { pid: Some(pid) }.into());
        }
        endpoint(cli, args.endpoint_port, args.allow_deprecated_runtimes);
    }
    up::run(cli.state_dir.as_deref(), &opts)?;
    Ok(0)
}

/// Serves the AWS endpoint beside `up` on a thread of its own (it stops
/// with the process); a port in use costs the endpoint, not the data plane.
fn endpoint(cli: &Cli, port: u16, allow_deprecated_runtimes: bool) {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut config = wire::Config::new(addr, cli.state_dir.clone());
    config.allow_deprecated_runtimes = allow_deprecated_runtimes;
    let spawned = std::thread::Builder::new().name("tasknet-endpoint".into()).spawn(move || {
        let served = wire::server::serve_beside_up(&config, |addr| {
            eprintln!("tasknet up: serving AWS on http://{addr} (AWS_ENDPOINT_URL=http://{addr}, keys test/test)");
            eprintln!("tasknet up: the console is at http://{addr}/_console/");
        });
        if let Err(e) = served {
            eprintln!("tasknet up: the AWS endpoint is not served: {e}");
        }
    });
    if let Err(e) = spawned {
        eprintln!("tasknet up: the AWS endpoint is not served: {e}");
    }
}

/// `up --detach`: starts `up` in the background and reports success only
/// once that child holds the account's `up` lock and is wired; if the child
/// stops first, fails at once with its reason and exit code.
fn detach(dir: &Path) -> Result<u8, CliError> {
    if let Some(pid) = up::running(dir) {
        return Err(runtime::RuntimeError::UpRunning { pid: Some(pid) }.into());
    }
    std::fs::create_dir_all(dir).map_err(|source| CliError::Read { path: dir.to_path_buf(), source })?;
    let log_path = dir.join(up::LOG_FILE);
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
        if let Some(v) = up::read_status(dir).filter(|v| v["pid"].as_u64() == Some(u64::from(pid))) {
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
    let removed = up::stop(cli.state_dir.as_deref())?;
    println!("removed {} namespace(s)", removed.len());
    Ok(0)
}

/// Runs `exec`: a command inside an ENI's namespace (a task, a load balancer node, the internet).
pub fn exec(cli: &Cli, args: &ExecArgs) -> Result<u8, CliError> {
    up::preflight()?;
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
