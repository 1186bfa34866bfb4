//! The endpoint's HTTP server and its one writer.
//!
//! Alone (`tasknet serve`), the account lives in memory for the server's
//! life in one open [`runtime::Session`] (so the store's lock is held: no
//! other process changes it meanwhile; tasknet's own commands are sent here,
//! [`command`]). Reads and mutations take it in turn; a mutation is saved
//! before its answer is sent, so a write that got a 200 survives `kill -9`.
//! Work that AWS does after the call returned (ExecuteChangeSet, CreateStack)
//! runs as a [`Job`] on its own thread; a request that arrives meanwhile
//! waits for it (in simulated time a stack is done in milliseconds, so a
//! waiter's first poll finds it done).
//!
//! Beside `tasknet up` the account is `up`'s, in real time: the server then
//! opens a session per mutation and per job, as any command does, and reads
//! the store `up` keeps saved ([`Backend::Shared`]), so `up`'s ticks and a
//! stack operation's real-time waits interleave as they do between commands.

pub mod command;
mod console;
mod custom;
mod http;
mod keys;
mod lambda;
mod lend;

pub use lambda::package;

pub use command::{CommandOutput, CommandRequest, CommandRunner, ServerFile, SERVER_FILE, TOKEN_HEADER};
pub use console::ConsoleHost;
pub use http::{serve, serve_beside_up, serve_in_background, Background};

use crate::dispatch::{self, Caller, Checks, Handler, HttpRequest, HttpResponse, Job, Outside, Read, Write};
use crate::error::WireError;
use crate::model::Service;
use crate::services;
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, OnceLock};

/// The largest request body accepted: a full PutLogEvents batch (1,048,576
/// bytes of messages plus 26 per event, AWS doc "PutLogEvents") in JSON,
/// whose escapes can more than double it (CloudFormation's TemplateBody is
/// at most 51,200 bytes; form encoding can triple it).
pub const MAX_BODY: usize = 4 << 20;

/// The largest body of a request signed for Lambda: CreateFunction takes a
/// 50 MB zip, base64 in its JSON (AWS doc "Lambda quotas": 50 MB zipped,
/// for direct upload), so about 67 MB.
pub const LAMBDA_MAX_BODY: usize = 70 << 20;

/// The default access key and secret, as the other emulators' users expect.
pub const DEFAULT_KEY: (&str, &str) = ("test", "test");

/// How long a request beside `up` waits for the account (as long as a command does).
const SHARED_WAIT: std::time::Duration = runtime::session::LOCK_WAIT;

/// How `tasknet serve` runs.
#[derive(Clone)]
pub struct Config {
    /// Where to listen.
    pub bind: SocketAddr,
    /// The state folder (`None`: the default).
    pub state_dir: Option<PathBuf>,
    /// Runs tasknet's own commands sent by its CLI (`None`: they are refused).
    pub commands: Option<CommandRunner>,
    /// Runs Lambda functions for the custom resources of stack operations (`None`: not run).
    pub functions: Option<Arc<dyn runtime::custom::FunctionHost>>,
    /// `--allow-deprecated-runtimes`: Lambda functions on runtimes past their
    /// block-create date may be created and run (with a warning each).
    pub allow_deprecated_runtimes: bool,
    /// The runtime file (`serve --runtime`): one-off containers' exit codes and run times.
    pub runtime: Option<Arc<runtime::oneoff::RuntimeFile>>,
}

impl Config {
    /// Listening on `bind`, running no forwarded commands.
    pub fn new(bind: SocketAddr, state_dir: Option<PathBuf>) -> Config {
        Config { bind, state_dir, commands: None, functions: None, allow_deprecated_runtimes: false, runtime: None }
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

/// Where the account is.
// One per server, for its life: its size does not matter.
#[allow(clippy::large_enum_variant)]
enum Backend {
    /// Held for the server's life. A mutex, not a read-write lock: the
    /// session's store connection is not `Sync`, and reads take microseconds.
    /// `None` only while a forwarded command owns it, under this same mutex.
    Held(Mutex<Option<runtime::Session>>),
    /// `up`'s: a session per mutation, the store for reads.
    Shared(PathBuf),
}

/// The server's state: the account and the jobs about to take it.
pub struct State {
    backend: Backend,
    /// Jobs handed out that have not taken the account yet.
    pending: Mutex<usize>,
    started: Condvar,
    /// Access key → secret (and session): the account's declared keys,
    /// else the default one, and its role sessions.
    keys: Mutex<BTreeMap<String, keys::Key>>,
    region: String,
    commands: Option<CommandRunner>,
    token: String,
    /// Held: the session is out of its mutex (a job or a forwarded command has it).
    lent: lend::Lent,
    /// Who runs Lambda functions for custom resources (set on every session handed out).
    functions: Option<Arc<dyn runtime::custom::FunctionHost>>,
    /// Runs Lambda functions, for the server's life.
    runner: Arc<::lambda::Runner>,
    /// Where the server listens, once it does.
    addr: Arc<OnceLock<SocketAddr>>,
    allow_deprecated: bool,
    /// Functions already warned about for their deprecated runtime.
    warned: Mutex<BTreeSet<String>>,
    /// The runtime file (`serve --runtime`), given to every session.
    runtime_file: Option<Arc<runtime::oneoff::RuntimeFile>>,
    /// The web console's sessions.
    console: ::webconsole::Console,
    /// The last reading of the data plane's rule counters (beside `up`), and when it was taken.
    counters: Mutex<Option<(std::time::Instant, Option<::webconsole::RuleCounters>)>>,
}

/// The answer while the account is lent to a forwarded command (never seen:
/// the command holds the same mutex); a 4xx so SDKs do not retry into a stall.
fn unavailable() -> WireError {
    WireError::bad("Throttling", "Rate exceeded")
}

/// A mutation's save failed: the caller must not believe it persisted.
fn not_saved(e: &runtime::RuntimeError) -> WireError {
    tracing::error!("cannot save the account: {e}");
    WireError::new(500, "InternalFailure", format!("The change could not be saved: {e}"))
}

/// The account could not be opened for a request beside `up`.
fn not_opened(e: &runtime::RuntimeError) -> WireError {
    // Busy past a command's wait: AWS's throttling answer, retried by SDKs with backoff.
    if e.is_busy() {
        return WireError::bad("Throttling", "Rate exceeded");
    }
    WireError::new(500, "InternalFailure", e.to_string())
}

impl State {
    fn new(backend: Backend, keys: BTreeMap<String, keys::Key>, region: String, config: &Config) -> Arc<State> {
        let runner = Arc::new(::lambda::Runner::new(::lambda::Runner::default_cache_dir()));
        let addr = Arc::new(OnceLock::new());
        // Custom resources' functions run here unless the caller brought its own host.
        let functions = config.functions.clone().or_else(|| {
            let host = crate::functions::Host::for_server(
                Arc::clone(&runner),
                Arc::clone(&addr),
                config.allow_deprecated_runtimes,
            );
            Some(Arc::new(host) as Arc<dyn runtime::custom::FunctionHost>)
        });
        Arc::new(State {
            backend,
            pending: Mutex::new(0),
            started: Condvar::new(),
            keys: Mutex::new(keys),
            region,
            commands: config.commands.clone(),
            token: command::token(),
            lent: lend::Lent::default(),
            functions,
            runner,
            addr,
            allow_deprecated: config.allow_deprecated_runtimes,
            warned: Mutex::new(BTreeSet::new()),
            runtime_file: config.runtime.clone(),
            console: ::webconsole::Console::new(),
            counters: Mutex::new(None),
        })
    }

    /// Opens the account of `config`'s state folder for the server's life.
    pub fn open(config: &Config) -> Result<Arc<State>, ServeError> {
        let mut session = runtime::Session::open(config.state_dir.as_deref(), "serve", true)?;
        session.runtime = config.runtime.clone();
        for name in &session.repaired {
            tracing::warn!("{}", runtime::session::repaired_notice(name));
        }
        let (keys, region) = (keys::keys_of(&session.account), session.account.region.clone());
        let dir = session.dir().to_path_buf();
        let state = State::new(Backend::Held(Mutex::new(Some(session))), keys, region, config);
        state.lent.set_dir(dir);
        if let Backend::Held(m) = &state.backend {
            if let Some(s) = m.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
                state.equip(s);
            }
        }
        Ok(state)
    }

    /// The server beside `up`, which owns the account of `config`'s state folder.
    pub fn beside_up(config: &Config) -> Result<Arc<State>, ServeError> {
        let dir = runtime::state::state_dir(config.state_dir.as_deref())?;
        let (account, _) = runtime::state::account_for_reading(Some(&dir), None)?;
        let mut config = config.clone();
        // Commands beside `up` open the account themselves, as always.
        config.commands = None;
        Ok(State::new(Backend::Shared(dir), keys::keys_of(&account), account.region, &config))
    }

    /// The state folder.
    fn dir(&self) -> Option<PathBuf> {
        match &self.backend {
            Backend::Held(_) => self.lent.dir(),
            Backend::Shared(dir) => Some(dir.clone()),
        }
    }

    /// Waits until every job handed out holds the account (then the lock
    /// itself makes the caller wait for it to finish). Beside `up` nothing
    /// waits: a stack operation there takes real minutes.
    fn wait_for_jobs(&self) {
        if matches!(self.backend, Backend::Shared(_)) {
            return;
        }
        let mut n = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        while *n > 0 {
            n = self.started.wait(n).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn job_started(&self) {
        let mut n = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        *n = n.saturating_sub(1);
        self.started.notify_all();
    }

    fn run_job(self: &Arc<State>, job: Job) {
        let state = Arc::clone(self);
        let spawned = std::thread::Builder::new().name("tasknet-job".into()).spawn(move || match &state.backend {
            Backend::Held(m) => {
                let ran = state.lend(
                    m,
                    || state.job_started(),
                    |mut session| {
                        job(&mut session);
                        if let Err(e) = session.save() {
                            tracing::error!("cannot save the account after a background operation: {e}");
                        }
                        (session, ())
                    },
                );
                if ran.is_none() {
                    state.job_started();
                }
            }
            Backend::Shared(dir) => {
                state.job_started();
                match runtime::Session::open_waiting(Some(dir), "serve", SHARED_WAIT) {
                    Ok(mut session) => {
                        state.equip(&mut session);
                        job(&mut session);
                        if let Err(e) = session.save() {
                            tracing::error!("cannot save the account after a background operation: {e}");
                        }
                    }
                    Err(e) => tracing::error!("a background operation could not open the account: {e}"),
                }
            }
        });
        if let Err(e) = spawned {
            tracing::error!("cannot start a thread for a background operation: {e}");
            self.job_started();
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
                ..HttpResponse::default()
            };
        }
        if req.method == "GET" && req.path == "/_tasknet/operations" {
            return HttpResponse {
                status: 200,
                content_type: "application/json",
                body: operations_json(),
                request_id: dispatch::request_id(),
                ..HttpResponse::default()
            };
        }
        if req.method == "POST" && req.path == "/_tasknet/command" {
            return self.command(req);
        }
        if let Some(answer) = self.custom_response(req) {
            return answer;
        }
        if req.method == "GET" && req.path.starts_with(lambda::CODE_PATH) {
            return self.serve_code(req);
        }
        let now_secs = i64::try_from(runtime::clock::wall_clock_ms() / 1000).unwrap_or(i64::MAX);
        let secret_of = |key: &str| self.key(key).map(|k| k.secret);
        let session_of = |key: &str| self.key(key).and_then(|k| k.session);
        let checks = Checks { now_secs, region: &self.region, secret_of: &secret_of, session_of: &session_of };
        if services::s3::is_s3(req) {
            // Only through `handle_s3`, which answers with raw bodies and S3's headers.
            let r = services::s3::handle(self, req, &checks);
            return HttpResponse {
                status: r.status,
                content_type: "application/xml",
                body: String::from_utf8_lossy(&r.body).into_owned(),
                request_id: r.header_value("x-amz-request-id").unwrap_or_default().to_string(),
                ..HttpResponse::default()
            };
        }
        let routed = match dispatch::route(req, &checks, &services::operations) {
            Ok(r) => r,
            Err(r) => return dispatch::respond_refused(&r),
        };
        let result = match routed.operation.handler {
            Handler::Read(f) => self.read(&routed.caller, |read| f(read, &routed.input)),
            Handler::Write(f) => self.write(&routed.caller, |w| f(w, &routed.input)),
            Handler::Outside(f) => {
                f(&Outside { server: self, caller: &routed.caller, request_id: &routed.request_id }, &routed.input)
            }
        };
        match result {
            Ok(out) => dispatch::respond(routed.service, routed.operation.name, &out, &routed.request_id),
            Err(e) => dispatch::respond_error(&e, Some(routed.service), &routed.request_id),
        }
    }

    /// Answers one S3 request (signed for `s3`): raw bodies, S3's headers.
    pub fn handle_s3(self: &Arc<State>, req: &HttpRequest) -> services::s3::S3Response {
        let now_secs = i64::try_from(runtime::clock::wall_clock_ms() / 1000).unwrap_or(i64::MAX);
        let secret_of = |key: &str| self.key(key).map(|k| k.secret);
        let session_of = |key: &str| self.key(key).and_then(|k| k.session);
        let checks = Checks { now_secs, region: &self.region, secret_of: &secret_of, session_of: &session_of };
        services::s3::handle(self, req, &checks)
    }

    /// Runs a read on the account as of now (alone, the control plane
    /// catches up with the wall first, as every command does when it opens
    /// the account; beside `up`, `up`'s ticks keep the store current).
    pub fn read<T>(&self, caller: &Caller, f: impl FnOnce(&Read<'_>) -> Result<T, WireError>) -> Result<T, WireError> {
        self.wait_for_jobs();
        match &self.backend {
            Backend::Held(m) => match self.held(m, false)? {
                lend::Turn::Held(mut guard) => {
                    let Some(s) = guard.as_mut() else { return Err(unavailable()) };
                    if runtime::clock::wall_clock_ms().saturating_sub(s.account.clock_ms) > CATCH_UP_MS {
                        runtime::clock::catch_up(&mut s.account);
                    }
                    f(&Read { account: &s.account, caller, server: self })
                }
                // Lent to an operation that let the account go: the store is as it left it.
                lend::Turn::Session(s) => f(&Read { account: &s.account, caller, server: self }),
                lend::Turn::Store(dir) => {
                    let (account, _) =
                        runtime::state::account_for_reading(Some(&dir), None).map_err(|e| not_opened(&e))?;
                    f(&Read { account: &account, caller, server: self })
                }
            },
            Backend::Shared(dir) => {
                let (account, _) = runtime::state::account_for_reading(Some(dir), None).map_err(|e| not_opened(&e))?;
                f(&Read { account: &account, caller, server: self })
            }
        }
    }

    /// Runs a mutation alone, saves it, then starts the work it left.
    pub fn write<T>(
        self: &Arc<State>,
        caller: &Caller,
        f: impl FnOnce(&mut Write<'_>) -> Result<T, WireError>,
    ) -> Result<T, WireError> {
        self.wait_for_jobs();
        let mut jobs: Vec<Job> = Vec::new();
        let run = |s: &mut runtime::Session| -> Result<T, WireError> {
            runtime::clock::catch_up(&mut s.account);
            let out = f(&mut Write { session: s, caller, jobs: &mut jobs, server: self })?;
            s.save().map_err(|e| not_saved(&e))?;
            // A write may have minted role sessions (AssumeRole).
            self.refresh_keys(&s.account);
            // Counted before the account is let go, so no request slips in before the job.
            *self.pending.lock().unwrap_or_else(|p| p.into_inner()) += jobs.len();
            Ok(out)
        };
        let out = match &self.backend {
            Backend::Held(m) => match self.held(m, true)? {
                lend::Turn::Held(mut guard) => {
                    let Some(s) = guard.as_mut() else { return Err(unavailable()) };
                    run(s)?
                }
                lend::Turn::Session(mut s) => run(&mut s)?,
                lend::Turn::Store(_) => return Err(unavailable()),
            },
            Backend::Shared(dir) => {
                let mut s =
                    runtime::Session::open_waiting(Some(dir), "serve", SHARED_WAIT).map_err(|e| not_opened(&e))?;
                self.equip(&mut s);
                run(&mut s)?
            }
        };
        for job in jobs {
            self.run_job(job);
        }
        Ok(out)
    }
}

/// `GET /_tasknet/operations`: `{"<botocore name>": ["Op", …]}` of what is
/// implemented, every service listed (an empty list when it has none yet),
/// so a client's tests walk exactly the operations that exist. Unsigned: it
/// tells nothing about the account.
pub fn operations_json() -> String {
    let listing: serde_json::Map<String, serde_json::Value> = Service::ALL
        .into_iter()
        .map(|s| {
            let ops = services::operations(s).iter().map(|o| serde_json::Value::from(o.name)).collect();
            (s.botocore_name().to_string(), serde_json::Value::Array(ops))
        })
        .collect();
    serde_json::Value::Object(listing).to_string()
}

/// How far behind the wall the account may be for a read to use it as it is.
const CATCH_UP_MS: u64 = 200;
