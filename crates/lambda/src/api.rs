//! The Runtime API of one execution environment ("Using the Lambda runtime API for custom
//! runtimes"): a loopback HTTP listener on its own threads, so callers need no async runtime.
//!
//! - `GET /2018-06-01/runtime/invocation/next` blocks until an event is handed in, then
//!   answers 200 with the event and the `Lambda-Runtime-*` headers.
//! - `POST /2018-06-01/runtime/invocation/{id}/response` and `…/{id}/error` → 202.
//! - `POST /2018-06-01/runtime/init/error` → 202.

use crate::http::{read_request, write_response, Request, MAX_BODY};
use crate::util::now_ms;
use std::io::BufReader;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

const PREFIX: &str = "/2018-06-01/runtime/";

/// An event waiting for the runtime's next `/invocation/next`.
pub struct Event {
    pub request_id: String,
    pub payload: Vec<u8>,
    pub timeout_ms: u64,
    pub function_arn: String,
    pub trace_id: String,
    /// The function version, for the START line.
    pub version: String,
    /// `Lambda-Runtime-Client-Context` / `-Cognito-Identity` (JSON), sent only when present.
    pub client_context: Option<String>,
    pub cognito_identity: Option<String>,
}

/// What the runtime posted for the invocation in flight.
pub enum Posted {
    /// `/invocation/{id}/response`.
    Response(Vec<u8>),
    /// `/invocation/{id}/error`.
    Error(Vec<u8>),
}

/// The environment's state, shared by the API threads, the log reader and the invoker.
#[derive(Default)]
pub struct State {
    /// The event handed in, not yet taken by `/next`.
    pub next: Option<Event>,
    /// The request id taken by `/next` and not answered yet.
    pub in_flight: Option<String>,
    /// When `/next` handed out the current event.
    pub picked_at: Option<Instant>,
    /// Its deadline, in ms since the epoch (`Lambda-Runtime-Deadline-Ms`).
    pub deadline_ms: u64,
    /// What the runtime posted for it, and when.
    pub result: Option<(Posted, Instant)>,
    /// `/init/error`'s body.
    pub init_error: Option<Vec<u8>>,
    /// When the runtime first asked for an event (its init is done).
    pub ready_at: Option<Instant>,
    /// How the process ended (`exit status 1`, `signal: killed`), once it has.
    pub exited: Option<String>,
    /// Log lines not yet claimed by an invocation.
    pub logs: Vec<(u64, String)>,
    /// The unfinished last line of output.
    pub partial: Vec<u8>,
    /// The output pipe is at end of file (every writer is gone).
    pub log_eof: bool,
    /// The environment is being torn down: `/next` stops waiting.
    pub closed: bool,
    /// Lambda resets the environment after this invocation (a response over the limit).
    pub reset: bool,
}

/// State plus its condition variable.
#[derive(Default)]
pub struct Shared {
    pub state: Mutex<State>,
    pub cv: Condvar,
    /// The log reader holds bytes it read but has not turned into lines yet.
    pub log_busy: AtomicBool,
}

impl Shared {
    /// Locks the state; a panicked holder cannot leave it half-changed in a way that matters here.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running Runtime API listener.
pub struct Server {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Binds 127.0.0.1:0 and serves `shared` on threads of its own.
    pub fn start(shared: Arc<Shared>) -> std::io::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        std::thread::Builder::new().name("lambda-rapi".into()).spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let shared = shared.clone();
                let _ = std::thread::Builder::new()
                    .name("lambda-rapi-conn".into())
                    .spawn(move || serve_connection(conn, &shared));
            }
        })?;
        Ok(Server { addr, stop })
    }

    /// Stops accepting connections (open ones end when the runtime process is gone).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve_connection(conn: TcpStream, shared: &Shared) {
    let _ = conn.set_nodelay(true);
    let Ok(mut w) = conn.try_clone() else { return };
    let mut r = BufReader::new(conn);
    while let Ok(Some(req)) = read_request(&mut r, &mut w) {
        let close = req.close;
        if handle(&req, &mut w, shared).is_err() || close {
            break;
        }
    }
}

fn json_error(w: &mut TcpStream, status: u16, error_type: &str, msg: &str) -> std::io::Result<()> {
    let body = serde_json::json!({"errorMessage": msg, "errorType": error_type}).to_string();
    write_response(w, status, &[("Content-Type", "application/json")], body.as_bytes())
}

fn accepted(w: &mut TcpStream) -> std::io::Result<()> {
    write_response(w, 202, &[("Content-Type", "application/json")], br#"{"status":"OK"}"#)
}

/// An error body: the runtime's JSON as it posted it; a body that is not JSON (a custom
/// runtime's plain text) is wrapped in Lambda's shape with the error-type header.
fn error_body(req: &Request) -> Vec<u8> {
    if serde_json::from_slice::<serde_json::Value>(&req.body).is_ok_and(|v| v.is_object()) {
        return req.body.clone();
    }
    let error_type = req.header("lambda-runtime-function-error-type").unwrap_or("Unhandled");
    serde_json::json!({
        "errorMessage": String::from_utf8_lossy(&req.body),
        "errorType": error_type,
    })
    .to_string()
    .into_bytes()
}

fn handle(req: &Request, w: &mut TcpStream, shared: &Shared) -> std::io::Result<()> {
    let Some(rest) = req.path.strip_prefix(PREFIX) else {
        return json_error(w, 404, "NotFound", "Unknown path");
    };
    match (req.method.as_str(), rest) {
        ("GET", "invocation/next") => next(w, shared),
        ("POST", "init/error") => {
            let mut st = shared.lock();
            st.init_error = Some(error_body(req));
            shared.cv.notify_all();
            drop(st);
            accepted(w)
        }
        ("POST", rest) if rest.starts_with("invocation/") => {
            let tail = &rest["invocation/".len()..];
            let (id, what) = match tail.rsplit_once('/') {
                Some((id, what @ ("response" | "error"))) => (id, what),
                _ => return json_error(w, 404, "NotFound", "Unknown path"),
            };
            let mut st = shared.lock();
            if st.in_flight.as_deref() != Some(id) {
                drop(st);
                // The Runtime API's answer for an id it did not hand out (RIE's
                // InvalidRequestID; unverified against AWS's own service).
                return json_error(w, 400, "InvalidRequestID", "Invalid request ID");
            }
            if req.too_large {
                // What Invoke returns for a response over the limit, and what the Runtime API
                // answers the runtime (both observed in public reports).
                let body = serde_json::json!({
                    "errorMessage": format!("Response payload size exceeded maximum allowed payload size ({MAX_BODY} bytes)."),
                    "errorType": "Function.ResponseSizeTooLarge",
                });
                st.result = Some((Posted::Error(body.to_string().into_bytes()), Instant::now()));
                st.in_flight = None;
                st.reset = true;
                shared.cv.notify_all();
                drop(st);
                let msg = format!("Exceeded maximum allowed payload size ({MAX_BODY} bytes).");
                return json_error(w, 413, "RequestEntityTooLarge", &msg);
            }
            let posted =
                if what == "response" { Posted::Response(req.body.clone()) } else { Posted::Error(error_body(req)) };
            st.result = Some((posted, Instant::now()));
            st.in_flight = None;
            shared.cv.notify_all();
            drop(st);
            accepted(w)
        }
        _ => json_error(w, 404, "NotFound", "Unknown path"),
    }
}

fn next(w: &mut TcpStream, shared: &Shared) -> std::io::Result<()> {
    let mut st = shared.lock();
    if st.ready_at.is_none() {
        st.ready_at = Some(Instant::now());
        shared.cv.notify_all();
    }
    let ev = loop {
        if st.closed {
            drop(st);
            return json_error(w, 500, "ServiceException", "The environment is shutting down");
        }
        if let Some(ev) = st.next.take() {
            break ev;
        }
        st = shared.cv.wait(st).unwrap_or_else(|p| p.into_inner());
    };
    let now = now_ms();
    st.in_flight = Some(ev.request_id.clone());
    st.picked_at = Some(Instant::now());
    st.deadline_ms = now + ev.timeout_ms;
    st.logs.push((now, format!("START RequestId: {} Version: {}", ev.request_id, ev.version)));
    shared.cv.notify_all();
    let deadline = st.deadline_ms.to_string();
    drop(st);
    let mut headers = vec![
        ("Content-Type", "application/json"),
        ("Lambda-Runtime-Aws-Request-Id", ev.request_id.as_str()),
        ("Lambda-Runtime-Deadline-Ms", deadline.as_str()),
        ("Lambda-Runtime-Invoked-Function-Arn", ev.function_arn.as_str()),
        ("Lambda-Runtime-Trace-Id", ev.trace_id.as_str()),
    ];
    if let Some(c) = &ev.client_context {
        headers.push(("Lambda-Runtime-Client-Context", c));
    }
    if let Some(c) = &ev.cognito_identity {
        headers.push(("Lambda-Runtime-Cognito-Identity", c));
    }
    write_response(w, 200, &headers, &ev.payload)
}
