//! The endpoint's HTTP server and its one writer.
//!
//! The account lives in memory for the server's life, in one open
//! [`runtime::Session`] (so the store's lock is held: no other command
//! changes it meanwhile). Reads share it; a mutation takes it alone, runs,
//! and is saved before its answer is sent, so a write that got a 200
//! survives `kill -9`. Work that AWS does after the call returned
//! (CreateStack, ExecuteChangeSet) runs as a [`Job`] on its own thread; a
//! request that arrives meanwhile waits for it (in simulated time a stack is
//! done in milliseconds, so a waiter's first poll finds it done).

use crate::dispatch::{self, Caller, Checks, Handler, HttpRequest, HttpResponse, Job, Read, Write};
use crate::error::WireError;
use crate::services;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};

/// The largest request body accepted (CloudFormation's TemplateBody is at
/// most 51,200 bytes; form encoding can triple it).
pub const MAX_BODY: usize = 1 << 20;

/// The default access key and secret, as the other emulators' users expect.
pub const DEFAULT_KEY: (&str, &str) = ("test", "test");

/// How `tasknet serve` runs.
#[derive(Clone)]
pub struct Config {
    /// Where to listen.
    pub bind: SocketAddr,
    /// The state folder (`None`: the default).
    pub state_dir: Option<PathBuf>,
    /// Access keys and their secrets.
    pub keys: BTreeMap<String, String>,
    /// Runs tasknet's own commands sent by its CLI (`None`: they are refused).
    pub commands: Option<CommandRunner>,
}

/// A tasknet command its CLI sent to the running server (the one writer).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct CommandRequest {
    /// The arguments after the program's name.
    pub args: Vec<String>,
    /// The caller's working folder (relative paths are its).
    pub cwd: PathBuf,
}

/// What a forwarded command printed, and its exit code.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CommandOutput {
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
    /// Its exit code.
    pub code: u8,
}

/// Runs a forwarded command on the server's session (lent for the run,
/// handed back with the output).
pub type CommandRunner =
    Arc<dyn Fn(&CommandRequest, runtime::Session) -> (runtime::Session, CommandOutput) + Send + Sync>;

/// The file in the state folder that tells tasknet's CLI where the server
/// listens (`{"addr", "pid", "token"}`, readable by its owner only).
pub const SERVER_FILE: &str = "serve.json";

/// The header carrying the token of [`SERVER_FILE`].
pub const TOKEN_HEADER: &str = "x-tasknet-token";

/// Where a running server of a state folder listens.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ServerFile {
    /// Its address.
    pub addr: SocketAddr,
    /// Its process.
    pub pid: u32,
    /// The secret a command must carry (whoever can read the file may command the server).
    pub token: String,
}

/// A fresh secret for [`ServerFile`] (not guessable: keyed by the hasher's random keys, the time and the pid).
fn token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut parts = Vec::new();
    for _ in 0..4 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        h.write_u32(std::process::id());
        parts.push(format!("{:016x}", h.finish()));
    }
    crate::sigv4::sha256_hex(parts.concat().as_bytes())
}

/// The answer while the account is lent to a forwarded command (never seen:
/// the command holds the same mutex); a 4xx so SDKs do not retry into a stall.
fn unavailable() -> WireError {
    WireError::bad("Throttling", "Rate exceeded")
}

impl Config {
    /// Listening on `bind` with the default key only.
    pub fn new(bind: SocketAddr, state_dir: Option<PathBuf>) -> Config {
        let keys = BTreeMap::from([(DEFAULT_KEY.0.to_string(), DEFAULT_KEY.1.to_string())]);
        Config { bind, state_dir, keys, commands: None }
    }
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The account could not be opened.
    #[error(transparent)]
    Runtime(#[from] runtime::RuntimeError),
    /// The address could not be bound, or the runtime not started.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Only the default key exists and the address is not loopback.
    #[error("refusing to listen on {0}: only the default access key (test/test) exists, so anyone who can reach that address could change the account; bind to 127.0.0.1, or declare keys of your own")]
    Exposed(SocketAddr),
}

/// The server's state: the account and the jobs about to take it.
pub struct State {
    /// A mutex, not a read-write lock: the session's store connection is
    /// not `Sync`, and reads take microseconds. `None` only while a
    /// forwarded command owns it, under this same mutex.
    session: Mutex<Option<runtime::Session>>,
    commands: Option<CommandRunner>,
    token: String,
    /// Jobs handed out that have not taken the account yet.
    pending: Mutex<usize>,
    started: Condvar,
    keys: BTreeMap<String, String>,
    region: String,
}

impl State {
    /// Opens the account of `config`'s state folder for the server's life.
    pub fn open(config: &Config) -> Result<Arc<State>, ServeError> {
        let session = runtime::Session::open(config.state_dir.as_deref(), "serve", true)?;
        for name in &session.repaired {
            tracing::warn!("{}", runtime::session::repaired_notice(name));
        }
        let region = session.account.region.clone();
        Ok(Arc::new(State {
            session: Mutex::new(Some(session)),
            commands: config.commands.clone(),
            token: token(),
            pending: Mutex::new(0),
            started: Condvar::new(),
            keys: config.keys.clone(),
            region,
        }))
    }

    /// Waits until every job handed out holds the account (then the lock
    /// itself makes the caller wait for it to finish).
    fn wait_for_jobs(&self) {
        let mut n = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        while *n > 0 {
            n = self.started.wait(n).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn run_job(self: &Arc<State>, job: Job) {
        let state = Arc::clone(self);
        let spawned = std::thread::Builder::new().name("tasknet-job".into()).spawn(move || {
            let mut guard = state.session.lock().unwrap_or_else(|p| p.into_inner());
            let Some(session) = guard.as_mut() else { return };
            {
                let mut n = state.pending.lock().unwrap_or_else(|p| p.into_inner());
                *n = n.saturating_sub(1);
                state.started.notify_all();
            }
            job(session);
            if let Err(e) = session.save() {
                tracing::error!("cannot save the account after a background operation: {e}");
            }
        });
        if let Err(e) = spawned {
            tracing::error!("cannot start a thread for a background operation: {e}");
            let mut n = self.pending.lock().unwrap_or_else(|p| p.into_inner());
            *n = n.saturating_sub(1);
            self.started.notify_all();
        }
    }

    /// Answers one request (blocking: the handlers are synchronous).
    pub fn handle(self: &Arc<State>, req: &HttpRequest) -> HttpResponse {
        if req.method == "GET" && req.path == "/_tasknet/health" {
            return HttpResponse {
                status: 200,
                content_type: "application/json",
                body: "{\"status\":\"running\"}".into(),
                request_id: dispatch::request_id(),
            };
        }
        if req.method == "POST" && req.path == "/_tasknet/command" {
            return self.command(req);
        }
        let now_secs = i64::try_from(runtime::clock::wall_clock_ms() / 1000).unwrap_or(i64::MAX);
        let secret_of = |key: &str| self.keys.get(key).cloned();
        let checks = Checks { now_secs, region: &self.region, secret_of: &secret_of };
        let routed = match dispatch::route(req, &checks, &services::operations) {
            Ok(r) => r,
            Err(r) => return dispatch::respond_error(&r.error, r.service, &r.request_id),
        };
        let result = match routed.operation.handler {
            Handler::Read(f) => self.read(&routed.caller, |read| f(read, &routed.input)),
            Handler::Write(f) => self.write(&routed.caller, |w| f(w, &routed.input)),
        };
        match result {
            Ok(out) => dispatch::respond(routed.service, routed.operation.name, &out, &routed.request_id),
            Err(e) => dispatch::respond_error(&e, Some(routed.service), &routed.request_id),
        }
    }

    /// Runs a read on the account as of now (the control plane caught up
    /// with the wall first, as every command does when it opens the account).
    pub fn read(
        &self,
        caller: &Caller,
        f: impl FnOnce(&Read<'_>) -> Result<serde_json::Value, WireError>,
    ) -> Result<serde_json::Value, WireError> {
        self.wait_for_jobs();
        let mut guard = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let Some(s) = guard.as_mut() else { return Err(unavailable()) };
        if runtime::clock::wall_clock_ms().saturating_sub(s.account.clock_ms) > CATCH_UP_MS {
            runtime::clock::catch_up(&mut s.account);
        }
        f(&Read { account: &s.account, caller })
    }

    /// Runs a mutation alone, saves it, then starts the work it left.
    pub fn write(
        self: &Arc<State>,
        caller: &Caller,
        f: impl FnOnce(&mut Write<'_>) -> Result<serde_json::Value, WireError>,
    ) -> Result<serde_json::Value, WireError> {
        self.wait_for_jobs();
        let mut jobs: Vec<Job> = Vec::new();
        let out = {
            let mut guard = self.session.lock().unwrap_or_else(|p| p.into_inner());
            let Some(s) = guard.as_mut() else { return Err(unavailable()) };
            runtime::clock::catch_up(&mut s.account);
            let out = f(&mut Write { session: s, caller, jobs: &mut jobs })?;
            s.save().map_err(|e| {
                tracing::error!("cannot save the account: {e}");
                WireError::new(500, "InternalFailure", format!("The change could not be saved: {e}"))
            })?;
            // Counted before the lock is let go, so no request slips in before the job.
            *self.pending.lock().unwrap_or_else(|p| p.into_inner()) += jobs.len();
            out
        };
        for job in jobs {
            self.run_job(job);
        }
        Ok(out)
    }
}

impl State {
    /// Runs a command tasknet's CLI forwarded, with the account lent to it.
    fn command(&self, req: &HttpRequest) -> HttpResponse {
        let answer = |status: u16, out: &CommandOutput| HttpResponse {
            status,
            content_type: "application/json",
            body: serde_json::to_string(out).unwrap_or_default(),
            request_id: dispatch::request_id(),
        };
        let refuse = |status: u16, why: &str| {
            answer(status, &CommandOutput { stderr: format!("tasknet: {why}\n"), code: 2, ..CommandOutput::default() })
        };
        let given = req.header(TOKEN_HEADER).unwrap_or_default();
        let same = given.len() == self.token.len()
            && given.bytes().zip(self.token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if !same {
            return refuse(403, "the server refused the command: wrong or missing token");
        }
        let Some(runner) = &self.commands else { return refuse(400, "this server does not run tasknet commands") };
        let Ok(request) = serde_json::from_slice::<CommandRequest>(&req.body) else {
            return refuse(400, "the server could not read the command");
        };
        self.wait_for_jobs();
        let mut guard = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let Some(session) = guard.take() else { return refuse(503, "the account is busy") };
        let (session, out) = runner(&request, session);
        *guard = Some(session);
        answer(200, &out)
    }
}

/// How far behind the wall the account may be for a read to use it as it is.
const CATCH_UP_MS: u64 = 200;

async fn answer(state: Arc<State>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, std::convert::Infallible> {
    let (parts, body) = req.into_parts();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) => {
            let e =
                WireError::new(413, "RequestEntityTooLarge", format!("Request body is larger than {MAX_BODY} bytes"));
            return Ok(to_response(&dispatch::respond_error(&e, None, &dispatch::request_id())));
        }
    };
    let req = HttpRequest {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers,
        body,
    };
    let out = match tokio::task::spawn_blocking(move || state.handle(&req)).await {
        Ok(out) => out,
        Err(e) => {
            tracing::error!("a request handler failed: {e}");
            let e = WireError::new(
                500,
                "InternalFailure",
                "The request processing has failed because of an unknown error.",
            );
            dispatch::respond_error(&e, None, &dispatch::request_id())
        }
    };
    Ok(to_response(&out))
}

fn to_response(r: &HttpResponse) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(r.body.clone())));
    *resp.status_mut() = hyper::StatusCode::from_u16(r.status).unwrap_or(hyper::StatusCode::BAD_REQUEST);
    let h = resp.headers_mut();
    h.insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static(r.content_type));
    if let Ok(v) = hyper::header::HeaderValue::from_str(&r.request_id) {
        h.insert("x-amzn-RequestId", v);
    }
    resp
}

/// Writes [`SERVER_FILE`] (owner-only) so tasknet's CLI sends its commands here; its path.
fn write_server_file(state: &State, addr: SocketAddr) -> Option<PathBuf> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt;
    state.commands.as_ref()?;
    let dir = state.session.lock().unwrap_or_else(|p| p.into_inner()).as_ref()?.dir().to_path_buf();
    let path = dir.join(SERVER_FILE);
    let text = serde_json::to_string(&ServerFile { addr, pid: std::process::id(), token: state.token.clone() }).ok()?;
    let _ = std::fs::remove_file(&path);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    match written {
        Ok(()) => Some(path),
        Err(e) => {
            tracing::warn!("cannot write {}: tasknet's commands will not reach this server: {e}", path.display());
            None
        }
    }
}

/// Runs the endpoint until the process is told to stop (SIGINT/SIGTERM);
/// `ready` is called with the bound address once it accepts connections.
pub fn serve(config: &Config, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    if !config.bind.ip().is_loopback() && config.keys.keys().all(|k| k == DEFAULT_KEY.0) {
        return Err(ServeError::Exposed(config.bind));
    }
    let state = State::open(config)?;
    let listen = |source| ServeError::Listen { addr: config.bind, source };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(32)
        .enable_all()
        .build()
        .map_err(listen)?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.bind).await.map_err(listen)?;
        let addr = listener.local_addr().map_err(listen)?;
        let server_file = write_server_file(&state, addr);
        ready(addr);
        let stop = async {
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
            }
        };
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => break,
                accepted = listener.accept() => {
                    let (stream, _) = match accepted {
                        Ok(s) => s,
                        Err(e) => { tracing::warn!("accept failed: {e}"); continue; }
                    };
                    let _ = stream.set_nodelay(true);
                    let state = Arc::clone(&state);
                    tokio::spawn(async move {
                        let svc = hyper::service::service_fn(move |req| answer(Arc::clone(&state), req));
                        let io = hyper_util::rt::TokioIo::new(stream);
                        if let Err(e) = hyper::server::conn::http1::Builder::new().keep_alive(true).serve_connection(io, svc).await {
                            tracing::debug!("connection ended: {e}");
                        }
                    });
                }
            }
        }
        if let Some(path) = server_file {
            let _ = std::fs::remove_file(path);
        }
        Ok::<(), ServeError>(())
    })?;
    // Jobs still running finish and save before the process ends.
    state.wait_for_jobs();
    drop(state.session.lock().unwrap_or_else(|p| p.into_inner()).take());
    Ok(())
}
