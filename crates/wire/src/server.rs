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
use crate::model::Service;
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
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen.
    pub bind: SocketAddr,
    /// The state folder (`None`: the default).
    pub state_dir: Option<PathBuf>,
    /// Access keys and their secrets.
    pub keys: BTreeMap<String, String>,
}

impl Config {
    /// Listening on `bind` with the default key only.
    pub fn new(bind: SocketAddr, state_dir: Option<PathBuf>) -> Config {
        let keys = BTreeMap::from([(DEFAULT_KEY.0.to_string(), DEFAULT_KEY.1.to_string())]);
        Config { bind, state_dir, keys }
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
    /// not `Sync`, and reads take microseconds.
    session: Mutex<runtime::Session>,
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
            session: Mutex::new(session),
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
            let mut session = state.session.lock().unwrap_or_else(|p| p.into_inner());
            {
                let mut n = state.pending.lock().unwrap_or_else(|p| p.into_inner());
                *n = n.saturating_sub(1);
                state.started.notify_all();
            }
            job(&mut session);
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
        if req.method == "GET" && req.path == "/_tasknet/operations" {
            return HttpResponse {
                status: 200,
                content_type: "application/json",
                body: operations_json(),
                request_id: dispatch::request_id(),
            };
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
    pub fn read<T>(&self, caller: &Caller, f: impl FnOnce(&Read<'_>) -> T) -> T {
        self.wait_for_jobs();
        let mut s = self.session.lock().unwrap_or_else(|p| p.into_inner());
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
            let mut s = self.session.lock().unwrap_or_else(|p| p.into_inner());
            runtime::clock::catch_up(&mut s.account);
            let out = f(&mut Write { session: &mut s, caller, jobs: &mut jobs })?;
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

/// The name botocore gives `service` (`boto3.client(name)`).
pub fn botocore_name(service: Service) -> &'static str {
    match service {
        Service::CloudFormation => "cloudformation",
        Service::Ec2 => "ec2",
        Service::Ecs => "ecs",
        Service::Elbv2 => "elbv2",
        Service::AutoScaling => "autoscaling",
        Service::Rds => "rds",
        Service::Ssm => "ssm",
        Service::Sts => "sts",
        Service::Iam => "iam",
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
            (botocore_name(s).to_string(), serde_json::Value::Array(ops))
        })
        .collect();
    serde_json::Value::Object(listing).to_string()
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
        Ok::<(), ServeError>(())
    })?;
    // Jobs still running finish and save before the process ends.
    state.wait_for_jobs();
    drop(state.session.lock().unwrap_or_else(|p| p.into_inner()));
    Ok(())
}
