//! The web console's door into the server: [`webconsole::Host`] over the
//! server's own reads and operations, so a page reads the account exactly
//! as a Describe call does and an action is exactly the API call.

use super::{Backend, State};
use crate::dispatch::{Caller, Handler, Outside};
use crate::error::WireError;
use crate::model::Service;
use crate::services;
use std::sync::Arc;
use webconsole::{ApiFailure, RuleCounters};

fn failure(e: WireError) -> ApiFailure {
    ApiFailure { code: e.code, message: e.message, status: e.status }
}

/// The server as the console's host.
pub struct ConsoleHost(pub Arc<State>);

impl webconsole::Host for ConsoleHost {
    fn read(&self, f: &mut dyn FnMut(&account::Account)) -> Result<(), ApiFailure> {
        let caller = Caller { access_key: String::new(), region: self.0.region.clone() };
        self.0
            .read(&caller, |r| {
                f(r.account);
                Ok(())
            })
            .map_err(failure)
    }

    fn call(
        &self,
        access_key: &str,
        service: &str,
        operation: &str,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiFailure> {
        let Some(svc) = Service::ALL.into_iter().find(|s| s.botocore_name() == service) else {
            return Err(failure(WireError::bad("UnknownService", format!("No service {service}"))));
        };
        let Some(op) = services::operations(svc).iter().find(|o| o.name == operation) else {
            return Err(failure(WireError::unknown_operation(svc, operation)));
        };
        let caller = Caller { access_key: access_key.to_string(), region: self.0.region.clone() };
        let request_id = crate::dispatch::request_id();
        let out = match op.handler {
            Handler::Read(f) => self.0.read(&caller, |r| f(r, &input)),
            Handler::Write(f) => self.0.write(&caller, |w| f(w, &input)),
            Handler::Outside(f) => f(&Outside { server: &self.0, caller: &caller, request_id: &request_id }, &input),
        };
        out.map_err(failure)
    }

    fn secret_of(&self, access_key: &str) -> Option<String> {
        // Temporary keys need their session token, which a login form does not take.
        self.0.key(access_key).filter(|k| k.session.is_none()).map(|k| k.secret)
    }

    fn rule_counters(&self) -> Option<RuleCounters> {
        self.0.rule_counters()
    }
}

/// How long a reading of the data plane's counters is shown before it is read again.
const COUNTERS_FRESH: std::time::Duration = std::time::Duration::from_secs(1);

impl State {
    /// The data plane's counters of security group rules, when `up` runs
    /// beside this server (its state folder's namespaces); else `None`.
    pub(super) fn rule_counters(&self) -> Option<RuleCounters> {
        let Backend::Shared(dir) = &self.backend else { return None };
        // Read at most once a second: every open security group page asks four times a second,
        // and each read lists every VPC router's table.
        let mut cache = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, c)) = cache.as_ref().filter(|(at, _)| at.elapsed() < COUNTERS_FRESH) {
            return c.clone();
        }
        let counts = runtime::up::rule_counts(dir).map(|c| {
            c.into_iter()
                .map(|(id, n)| (id, webconsole::RuleCounter { packets: n.packets, bytes: n.bytes }))
                .collect::<RuleCounters>()
        });
        *cache = Some((std::time::Instant::now(), counts.clone()));
        counts
    }

    /// The console of this server.
    pub fn console(&self) -> &webconsole::Console {
        &self.console
    }
}

/// At most this many live pages stream at once; one more is refused with a
/// 503 (its EventSource retries), so forgotten tabs cannot pile up.
const MAX_LIVE: usize = 64;

static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Answers a console request: its reads on a blocking thread (the account's
/// lock and the store are synchronous), a live page as a stream whose
/// waits are timers, not threads.
pub(super) async fn answer(state: Arc<State>, req: crate::dispatch::HttpRequest) -> hyper::Response<super::http::Body> {
    let host = Arc::new(ConsoleHost(Arc::clone(&state)));
    let h = Arc::clone(&host);
    let reply = tokio::task::spawn_blocking(move || {
        let r = webconsole::Request {
            method: &req.method,
            path: &req.path,
            query: &req.query,
            headers: &req.headers,
            body: &req.body,
        };
        h.0.console().handle(h.as_ref(), &r)
    })
    .await;
    let reply = match reply {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("a console request failed: {e}");
            webconsole::Reply::Full(webconsole::Response::text(500, "The console failed to answer."))
        }
    };
    let mut live = match reply {
        webconsole::Reply::Full(r) => return full(r),
        webconsole::Reply::Live(live) => live,
    };
    if LIVE.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= MAX_LIVE {
        LIVE.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        return full(webconsole::Response::text(503, "Too many live console pages are open."));
    }
    let (mut tx, body) = http_body_util::channel::Channel::<Bytes, std::convert::Infallible>::new(4);
    tokio::spawn(async move {
        loop {
            let h = Arc::clone(&host);
            let stepped = tokio::task::spawn_blocking(move || {
                let step = live.step(h.0.console(), h.as_ref());
                (live, step)
            })
            .await;
            let step = match stepped {
                Ok((l, step)) => {
                    live = l;
                    step
                }
                Err(_) => break,
            };
            match step {
                webconsole::live::Step::Send(text) => {
                    if tx.send_data(Bytes::from(text)).await.is_err() {
                        break;
                    }
                }
                webconsole::live::Step::Wait(d) => tokio::time::sleep(d).await,
                webconsole::live::Step::End => break,
            }
        }
        LIVE.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    });
    let mut resp = hyper::Response::new(http_body_util::Either::Right(body));
    let h = resp.headers_mut();
    h.insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static("text/event-stream"));
    h.insert(hyper::header::CACHE_CONTROL, hyper::header::HeaderValue::from_static("no-store"));
    resp
}

use bytes::Bytes;

fn full(r: webconsole::Response) -> hyper::Response<super::http::Body> {
    let mut resp = hyper::Response::new(http_body_util::Either::Left(http_body_util::Full::new(Bytes::from(r.body))));
    *resp.status_mut() = hyper::StatusCode::from_u16(r.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    h.insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static(r.content_type));
    super::http::append_headers(h, &r.headers);
    resp
}
