//! One execution environment: the runtime process, its Runtime API server and its output.

use crate::api::{Event, Posted, Server, Shared};
use crate::util::now_ms;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a runtime may take to initialize before its first invocation fails. Lambda's
/// init phase is limited to 10 seconds for on-demand functions ("Understanding the Lambda
/// execution environment lifecycle"); we give the function's timeout on top, as Lambda
/// re-runs a timed-out init inside the invoke phase (our simplification: one attempt).
const INIT_LIMIT: Duration = Duration::from_secs(10);
/// How often a running invocation's memory is sampled.
const MEMORY_POLL: Duration = Duration::from_millis(20);

/// What to start.
pub struct Launch {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub cwd: PathBuf,
    /// The complete environment (nothing is inherited); AWS_LAMBDA_RUNTIME_API is added.
    pub env: BTreeMap<String, String>,
}

/// How an invocation ended, before it is put in Lambda's terms.
pub enum Ended {
    Response(Vec<u8>),
    Error(Vec<u8>),
    InitError(Vec<u8>),
    /// The process exited before answering (`exit status 1`), during init or not.
    Exited {
        status: String,
        during_init: bool,
    },
    TimedOut,
    /// The process went over its MemorySize and was killed.
    OutOfMemory,
}

/// One finished run of an event in an environment.
pub struct Ran {
    pub ended: Ended,
    /// Output lines claimed by this invocation, START included.
    pub logs: Vec<(u64, String)>,
    pub duration: Duration,
    /// Set on the environment's first invocation.
    pub init_duration: Option<Duration>,
    pub max_memory_mb: u64,
    /// A warm environment's process was gone before it took the event (it died while idle):
    /// the invocation never ran and may be retried elsewhere.
    pub died_idle: bool,
}

/// A running environment.
pub struct Environment {
    shared: Arc<Shared>,
    server: Server,
    pid: i32,
    started: Instant,
    /// A duplicate of the output pipe's read end, only to ask how much is unread (FIONREAD).
    log_probe: OwnedFd,
    invocations: u64,
    /// The highest peak resident memory seen, in kB (kept, as a process that is gone has none).
    peak_kb: u64,
    dead: bool,
    /// The environment's log stream.
    pub log_stream_name: String,
}

fn pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: pipe2 succeeded, so both are fresh descriptors we own.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Go's rendering of a process's end, which Lambda's Runtime.ExitError texts use.
fn describe_exit(status: std::process::ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exit status {code}");
    }
    let sig = status.signal().unwrap_or(0);
    let name = match sig {
        libc::SIGKILL => "killed".to_string(),
        libc::SIGSEGV => "segmentation fault".to_string(),
        libc::SIGABRT => "aborted".to_string(),
        libc::SIGTERM => "terminated".to_string(),
        libc::SIGBUS => "bus error".to_string(),
        libc::SIGINT => "interrupt".to_string(),
        n => format!("signal {n}"),
    };
    format!("signal: {name}")
}

impl Environment {
    /// Starts the API server and the runtime process.
    pub fn start(launch: Launch, log_stream_name: String) -> std::io::Result<Environment> {
        let shared = Arc::new(Shared::default());
        let server = Server::start(shared.clone())?;
        let (read_end, write_end) = pipe()?;
        let log_probe = read_end.try_clone()?;
        let mut cmd = Command::new(&launch.program);
        cmd.args(&launch.args)
            .current_dir(&launch.cwd)
            .env_clear()
            .envs(&launch.env)
            .env("AWS_LAMBDA_RUNTIME_API", server.addr.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::from(write_end.try_clone()?))
            .stderr(Stdio::from(write_end))
            // Its own process group, so a timeout kills whatever the handler started too.
            .process_group(0);
        let spawned = cmd.spawn();
        // Our copies of the write end must close, or the reader never sees end of file.
        drop(cmd);
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) => {
                server.stop();
                return Err(e);
            }
        };
        let pid = child.id() as i32;
        let reader = shared.clone();
        std::thread::Builder::new()
            .name("lambda-logs".into())
            .spawn(move || read_output(File::from(read_end), &reader))?;
        let waiter = shared.clone();
        std::thread::Builder::new().name("lambda-wait".into()).spawn(move || {
            let status = child.wait().map(describe_exit).unwrap_or_else(|e| format!("wait failed: {e}"));
            let mut st = waiter.lock();
            st.exited = Some(status);
            waiter.cv.notify_all();
        })?;
        Ok(Environment {
            shared,
            server,
            pid,
            started: Instant::now(),
            log_probe,
            invocations: 0,
            peak_kb: 0,
            dead: false,
            log_stream_name,
        })
    }

    /// The runtime process's id.
    pub fn pid(&self) -> u32 {
        self.pid as u32
    }

    /// Whether the environment can take another invocation.
    pub fn is_usable(&self) -> bool {
        !self.dead && self.shared.lock().exited.is_none()
    }

    /// Hands `event` to the runtime and waits until it answers, fails, or runs out of time.
    pub fn run(&mut self, event: Event, timeout: Duration, memory_mb: u32) -> Ran {
        let cold = self.invocations == 0;
        self.invocations += 1;
        let handed = Instant::now();
        let init_deadline = handed + INIT_LIMIT + timeout;
        let mut st = self.shared.lock();
        st.result = None;
        st.picked_at = None;
        st.next = Some(event);
        self.shared.cv.notify_all();
        // Phase 1: until the runtime takes the event (a cold one initializes first).
        let picked = loop {
            if let Some(body) = st.init_error.take() {
                break Err(Ended::InitError(body));
            }
            if let Some(p) = st.picked_at {
                break Ok(p);
            }
            if let Some(status) = st.exited.clone() {
                break Err(Ended::Exited { status, during_init: true });
            }
            let now = Instant::now();
            if now >= init_deadline {
                break Err(Ended::TimedOut);
            }
            st = self
                .shared
                .cv
                .wait_timeout(st, init_deadline - now)
                .map(|(g, _)| g)
                .unwrap_or_else(|p| p.into_inner().0);
        };
        let init_duration = if cold { st.ready_at.map(|r| r.saturating_duration_since(self.started)) } else { None };
        let (ended, end_at) = match picked {
            Err(e) => (e, Instant::now()),
            Ok(picked_at) => {
                let deadline = picked_at + timeout;
                let limit_kb = u64::from(memory_mb) * 1024;
                let (e, at) = loop {
                    if let Some((posted, at)) = st.result.take() {
                        break (
                            match posted {
                                Posted::Response(b) => Ended::Response(b),
                                Posted::Error(b) => Ended::Error(b),
                            },
                            at,
                        );
                    }
                    if let Some(status) = st.exited.clone() {
                        break (Ended::Exited { status, during_init: false }, Instant::now());
                    }
                    let now = Instant::now();
                    if now >= deadline {
                        break (Ended::TimedOut, now);
                    }
                    let (g, res) = self
                        .shared
                        .cv
                        .wait_timeout(st, (deadline - now).min(MEMORY_POLL))
                        .unwrap_or_else(|p| p.into_inner());
                    st = g;
                    if res.timed_out() {
                        let rss = rss_kb(self.pid, "VmRSS:");
                        self.peak_kb = self.peak_kb.max(rss);
                        if rss > limit_kb {
                            break (Ended::OutOfMemory, Instant::now());
                        }
                    }
                };
                (e, at.max(picked_at))
            }
        };
        let picked_at = st.picked_at;
        let reset = st.reset;
        drop(st);
        self.peak_kb = self.peak_kb.max(rss_kb(self.pid, "VmHWM:"));
        let max_memory_mb = self.peak_kb.div_ceil(1024);
        if matches!(ended, Ended::TimedOut | Ended::OutOfMemory) {
            self.kill();
            self.wait_exit(Duration::from_secs(2));
        }
        if reset || !matches!(ended, Ended::Response(_) | Ended::Error(_)) {
            self.dead = true;
        }
        self.drain_output();
        let mut st = self.shared.lock();
        if !st.partial.is_empty() {
            let line = String::from_utf8_lossy(&std::mem::take(&mut st.partial)).into_owned();
            st.logs.push((now_ms(), line));
        }
        let logs = std::mem::take(&mut st.logs);
        drop(st);
        let duration = picked_at.map(|p| end_at.saturating_duration_since(p)).unwrap_or_default();
        let died_idle = !cold && matches!(ended, Ended::Exited { during_init: true, .. });
        Ran { ended, logs, duration, init_duration, max_memory_mb, died_idle }
    }

    /// Waits (briefly) until every byte the runtime wrote before answering is a log line.
    fn drain_output(&self) {
        let give_up = Instant::now() + Duration::from_millis(200);
        loop {
            let mut pending: libc::c_int = 0;
            // SAFETY: FIONREAD writes one int; the descriptor is ours for our lifetime.
            let r = unsafe { libc::ioctl(self.log_probe.as_raw_fd(), libc::FIONREAD, &mut pending) };
            let unread = r == 0 && pending > 0;
            if !unread && !self.shared.log_busy.load(Ordering::SeqCst) {
                return;
            }
            if Instant::now() >= give_up {
                return;
            }
            std::thread::sleep(Duration::from_micros(50));
        }
    }

    fn kill(&self) {
        // SAFETY: signalling our child's process group; harmless if it is already gone.
        unsafe {
            libc::kill(-self.pid, libc::SIGKILL);
        }
    }

    fn wait_exit(&self, limit: Duration) {
        let until = Instant::now() + limit;
        let mut st = self.shared.lock();
        while st.exited.is_none() {
            let now = Instant::now();
            if now >= until {
                return;
            }
            st = self.shared.cv.wait_timeout(st, until - now).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
        }
    }
}

impl Drop for Environment {
    fn drop(&mut self) {
        {
            let mut st = self.shared.lock();
            st.closed = true;
            self.shared.cv.notify_all();
        }
        self.kill();
        self.server.stop();
    }
}

/// A `/proc/<pid>/status` field in kB (0 when the process is gone).
fn rss_kb(pid: i32, field: &str) -> u64 {
    let Ok(s) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return 0;
    };
    s.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Turns the runtime's output (stdout and stderr share one pipe, as they share one log
/// stream in Lambda) into timestamped lines.
fn read_output(mut f: File, shared: &Shared) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let mut pfd = libc::pollfd { fd: f.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        // SAFETY: one valid pollfd.
        let r = unsafe { libc::poll(&mut pfd, 1, -1) };
        if r < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            continue;
        }
        // Busy from before the read until its lines are stored, so the invoker's drain
        // check (nothing unread and not busy) cannot miss bytes in our hands.
        shared.log_busy.store(true, Ordering::SeqCst);
        let n = match f.read(&mut buf) {
            Ok(0) | Err(_) => {
                let mut st = shared.lock();
                st.log_eof = true;
                shared.log_busy.store(false, Ordering::SeqCst);
                return;
            }
            Ok(n) => n,
        };
        let mut st = shared.lock();
        // Stamped under the lock, so lines and START/END stay in time order.
        let at = now_ms();
        st.partial.extend_from_slice(&buf[..n]);
        while let Some(i) = st.partial.iter().position(|c| *c == b'\n') {
            let mut line: Vec<u8> = st.partial.drain(..=i).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            st.logs.push((at, String::from_utf8_lossy(&line).into_owned()));
        }
        drop(st);
        shared.log_busy.store(false, Ordering::SeqCst);
    }
}
