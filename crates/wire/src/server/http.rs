//! The HTTP side: hyper on tokio, each request's handler on a blocking
//! thread (the handlers and the store are synchronous).

use super::{command, Config, ServeError, State, LAMBDA_MAX_BODY, MAX_BODY};
use crate::dispatch::{self, HttpRequest, HttpResponse};
use crate::error::WireError;
use crate::services;
use bytes::Bytes;
use http_body_util::channel::Channel;
use http_body_util::{BodyExt, Either, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use std::net::SocketAddr;
use std::sync::Arc;

/// Every answer's body: whole, or a stream (the console's live pages); no box per answer.
pub(super) type Body = Either<Full<Bytes>, Channel<Bytes>>;

async fn answer(state: Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, std::convert::Infallible> {
    let (parts, body) = req.into_parts();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let mut req = HttpRequest {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers,
        body: Vec::new(),
    };
    // S3 carries objects: its requests have a limit of their own.
    let s3 = services::s3::is_s3(&req);
    let limit = if s3 { services::s3::MAX_BODY } else { body_limit(&req.headers) };
    req.body = match Limited::new(body, limit).collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) if s3 => return Ok(to_s3_response(services::s3::too_large())),
        Err(_) => {
            let e = WireError::new(413, "RequestEntityTooLarge", format!("Request body is larger than {limit} bytes"));
            return Ok(to_response(&dispatch::respond_error(&e, None, &dispatch::request_id())));
        }
    };
    if webconsole::Console::is_console(&req.path) {
        return Ok(super::console::answer(state, req).await);
    }
    if s3 {
        let out = match tokio::task::spawn_blocking(move || state.handle_s3(&req)).await {
            Ok(out) => out,
            Err(e) => {
                tracing::error!("an S3 request handler failed: {e}");
                services::s3::S3Response { status: 500, headers: Vec::new(), body: Vec::new() }
            }
        };
        return Ok(to_s3_response(out));
    }
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

/// How large a body may be: Lambda's packages are larger than any other request.
fn body_limit(headers: &[(String, String)]) -> usize {
    let signed_for_lambda =
        headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("authorization") && v.contains("/lambda/aws4_request"));
    if signed_for_lambda {
        LAMBDA_MAX_BODY
    } else {
        MAX_BODY
    }
}

pub(super) fn to_response(r: &HttpResponse) -> Response<Body> {
    let mut resp = Response::new(Either::Left(Full::new(Bytes::copy_from_slice(r.bytes()))));
    *resp.status_mut() = hyper::StatusCode::from_u16(r.status).unwrap_or(hyper::StatusCode::BAD_REQUEST);
    let h = resp.headers_mut();
    h.insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static(r.content_type));
    if let Ok(v) = hyper::header::HeaderValue::from_str(&r.request_id) {
        h.insert("x-amzn-RequestId", v);
    }
    append_headers(h, &r.headers);
    resp
}

/// Adds `headers` to an answer, leaving out any that are not valid HTTP.
pub(super) fn append_headers(h: &mut hyper::HeaderMap, headers: &[(String, String)]) {
    for (name, value) in headers {
        if let (Ok(n), Ok(v)) =
            (hyper::header::HeaderName::from_bytes(name.as_bytes()), hyper::header::HeaderValue::from_str(value))
        {
            h.append(n, v);
        }
    }
}

fn to_s3_response(r: services::s3::S3Response) -> Response<Body> {
    let mut resp = Response::new(Either::Left(Full::new(Bytes::from(r.body))));
    *resp.status_mut() = hyper::StatusCode::from_u16(r.status).unwrap_or(hyper::StatusCode::BAD_REQUEST);
    append_headers(resp.headers_mut(), &r.headers);
    resp
}

/// Resolves when the process is told to stop (SIGINT or SIGTERM).
async fn stopped() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
    }
}

/// Accepts connections on `config.bind` for `state` until the process is told to stop.
fn run(state: &Arc<State>, config: &Config, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    run_until(state, config, ready, stopped())
}

/// Accepts connections on `config.bind` for `state` until `stop` resolves.
fn run_until(
    state: &Arc<State>,
    config: &Config,
    ready: impl FnOnce(SocketAddr),
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), ServeError> {
    if !config.bind.ip().is_loopback() && state.only_default_key() {
        return Err(ServeError::Exposed(config.bind));
    }
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
        state.set_address(addr);
        let server_file = command::write_server_file(state, addr);
        ready(addr);
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
                    let state = Arc::clone(state);
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
    state.runner().shutdown();
    Ok(())
}

/// `tasknet serve`: runs the endpoint, holding the account, until the
/// process is told to stop (SIGINT/SIGTERM); `ready` is called with the
/// bound address once it accepts connections.
pub fn serve(config: &Config, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let state = State::open(config)?;
    run(&state, config, ready)
}

/// The endpoint beside `tasknet up`, which owns the account (real time):
/// until the process is told to stop.
pub fn serve_beside_up(config: &Config, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let state = State::beside_up(config)?;
    run(&state, config, ready)
}

/// An endpoint a command serves for its own run (its custom resources'
/// functions call it): beside the account like `up`'s, on a port the kernel
/// picks on loopback; stopped when dropped.
pub struct Background {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serves the account of `config`'s state folder on a thread of its own
/// (sessions per request, as beside `up`), until the returned handle is dropped.
pub fn serve_in_background(config: &Config) -> Result<Background, ServeError> {
    let state = State::beside_up(config)?;
    let mut config = config.clone();
    config.bind = SocketAddr::from(([127, 0, 0, 1], 0));
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<SocketAddr, String>>();
    let failed = ready_tx.clone();
    let thread = std::thread::Builder::new()
        .name("tasknet-endpoint".into())
        .spawn(move || {
            let stop = async move {
                let _ = stop_rx.await;
            };
            if let Err(e) = run_until(&state, &config, |addr| drop(ready_tx.send(Ok(addr))), stop) {
                let _ = failed.send(Err(e.to_string()));
            }
        })
        .map_err(|source| ServeError::Listen { addr: SocketAddr::from(([127, 0, 0, 1], 0)), source })?;
    let addr = match ready_rx.recv() {
        Ok(Ok(addr)) => addr,
        other => {
            let why = match other {
                Ok(Err(e)) => e,
                _ => "the endpoint's thread ended before listening".to_string(),
            };
            let _ = thread.join();
            return Err(ServeError::Listen {
                addr: SocketAddr::from(([127, 0, 0, 1], 0)),
                source: std::io::Error::other(why),
            });
        }
    };
    Ok(Background { addr, stop: Some(stop_tx), thread: Some(thread) })
}
