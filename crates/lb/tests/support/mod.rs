//! Test backends, an account builder and HTTP clients, all on 127.0.0.1.

#![allow(dead_code)]

use account::{
    Account, Action, HealthCheck, Listener, ListenerRule, TargetDescription, TargetGroup, TargetHealth,
    TargetHealthDescription,
};
use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use lb::{LbConfig, PlainConnector, Shared};
use serde_json::Value;
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// How long any single test step may take before the test fails (hangs only).
pub const STEP: Duration = Duration::from_secs(20);

/// What a backend does with requests.
#[derive(Clone)]
pub enum Behaviour {
    /// 200 with its own port as the body, request headers echoed as `x-echo-*`.
    Echo,
    /// This status, empty body.
    Status(u16),
    /// Reads the request, then closes without answering.
    CloseWithoutAnswer,
    /// Reads the request and never answers.
    NeverAnswer,
    /// Like `Echo`, but only after the gate is opened.
    Gate(Arc<Notify>),
    /// Answers one request `200 ok` (keep-alive by default), then closes.
    AnswerOnceThenClose,
    /// Answers bytes that are not HTTP.
    Garbage,
    /// 200 with a chunked body of this many chunks of `x` bytes.
    Chunked { chunks: usize, size: usize },
}

/// A body of `left` chunks of `size` bytes and no declared length.
pub struct Chunks {
    left: usize,
    size: usize,
}

impl hyper::body::Body for Chunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Infallible>>> {
        if self.left == 0 {
            return std::task::Poll::Ready(None);
        }
        self.left -= 1;
        std::task::Poll::Ready(Some(Ok(hyper::body::Frame::data(Bytes::from(vec![b'x'; self.size])))))
    }
}

/// A running backend.
pub struct Backend {
    pub addr: SocketAddrV4,
    /// Connections accepted so far.
    pub connections: Arc<AtomicUsize>,
    /// Connections open now.
    pub open: Arc<AtomicUsize>,
    /// Requests received so far.
    pub requests: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Decrements a counter when dropped (connection tasks end in any way).
struct OpenGuard(Arc<AtomicUsize>);
impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn answer(port: u16, behaviour: Behaviour, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let mut resp = match behaviour {
        Behaviour::Status(code) => {
            let mut r = Response::new(Full::new(Bytes::new()));
            *r.status_mut() = hyper::StatusCode::from_u16(code).unwrap();
            return Ok(r);
        }
        Behaviour::Gate(gate) => {
            gate.notified().await;
            Response::new(Full::new(Bytes::from(port.to_string())))
        }
        _ => Response::new(Full::new(Bytes::from(port.to_string()))),
    };
    for name in ["host", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-port", "connection", "x-custom"] {
        for v in req.headers().get_all(name) {
            resp.headers_mut()
                .append(format!("x-echo-{name}").parse::<hyper::header::HeaderName>().unwrap(), v.clone());
        }
    }
    resp.headers_mut().insert("x-echo-uri", req.uri().to_string().parse().unwrap());
    Ok(resp)
}

impl Backend {
    /// Starts a backend on an ephemeral port of 127.0.0.1.
    pub async fn start(behaviour: Behaviour) -> Backend {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let SocketAddr::V4(addr) = listener.local_addr().unwrap() else { panic!("not IPv4") };
        let connections = Arc::new(AtomicUsize::new(0));
        let open = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let (c, o, r) = (connections.clone(), open.clone(), requests.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else { continue };
                c.fetch_add(1, Ordering::SeqCst);
                o.fetch_add(1, Ordering::SeqCst);
                let guard = OpenGuard(o.clone());
                let (r, behaviour) = (r.clone(), behaviour.clone());
                tokio::spawn(async move {
                    let _guard = guard;
                    match behaviour {
                        Behaviour::AnswerOnceThenClose => {
                            let mut buf = [0u8; 4096];
                            let _ = stream.read(&mut buf).await;
                            r.fetch_add(1, Ordering::SeqCst);
                            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").await;
                        }
                        Behaviour::Garbage => {
                            let mut buf = [0u8; 4096];
                            let _ = stream.read(&mut buf).await;
                            r.fetch_add(1, Ordering::SeqCst);
                            let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\r\n").await;
                        }
                        Behaviour::Chunked { chunks, size } => {
                            let svc = service_fn(move |_req| {
                                r.fetch_add(1, Ordering::SeqCst);
                                async move { Ok::<_, Infallible>(Response::new(Chunks { left: chunks, size })) }
                            });
                            let _ = hyper::server::conn::http1::Builder::new()
                                .serve_connection(TokioIo::new(stream), svc)
                                .await;
                        }
                        Behaviour::CloseWithoutAnswer | Behaviour::NeverAnswer => {
                            let mut buf = [0u8; 4096];
                            let _ = stream.read(&mut buf).await;
                            r.fetch_add(1, Ordering::SeqCst);
                            if matches!(behaviour, Behaviour::NeverAnswer) {
                                tokio::time::sleep(Duration::from_secs(3600)).await;
                            }
                        }
                        _ => {
                            let svc = service_fn(move |req| {
                                r.fetch_add(1, Ordering::SeqCst);
                                answer(addr.port(), behaviour.clone(), req)
                            });
                            let _ = hyper::server::conn::http1::Builder::new()
                                .serve_connection(TokioIo::new(stream), svc)
                                .await;
                        }
                    }
                });
            }
        });
        Backend { addr, connections, open, requests, task }
    }
}

/// A port on 127.0.0.1 where nothing listens.
pub async fn closed_port() -> SocketAddrV4 {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let SocketAddr::V4(addr) = l.local_addr().unwrap() else { panic!("not IPv4") };
    addr
}

pub const LB_ARN: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123456789abcdef";
pub const LISTENER: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/0123456789abcdef/1111111111111111";

/// Builds the account a test load balancer is read from.
pub struct Setup {
    pub account: Account,
}

pub fn forward(tg: &str) -> Action {
    Action {
        action_type: "forward".into(),
        order: None,
        target_group_arn: Some(tg.into()),
        forward_target_groups: vec![],
        config: None,
    }
}

pub fn action(kind: &str, config: Value) -> Action {
    Action {
        action_type: kind.into(),
        order: None,
        target_group_arn: None,
        forward_target_groups: vec![],
        config: Some(config),
    }
}

impl Setup {
    /// An account with one HTTP listener on port 80 doing `default`.
    pub fn new(default: Action) -> Setup {
        let mut account = Account::empty("123456789012", "us-east-1");
        account.listeners.insert(
            LISTENER.into(),
            Listener {
                listener_arn: LISTENER.into(),
                load_balancer_arn: LB_ARN.into(),
                port: 80,
                protocol: "HTTP".into(),
                default_actions: vec![default],
                certificates: Vec::new(),
                ssl_policy: None,
            },
        );
        Setup { account }
    }

    /// Adds (or replaces) a target group with these targets and states.
    pub fn group(mut self, arn: &str, targets: &[(SocketAddrV4, &str)]) -> Setup {
        self.set_group(arn, targets);
        self
    }

    pub fn set_group(&mut self, arn: &str, targets: &[(SocketAddrV4, &str)]) {
        let targets = targets
            .iter()
            .map(|(addr, state)| TargetHealthDescription {
                target: TargetDescription { id: addr.ip().to_string(), port: addr.port(), availability_zone: None },
                health_check_port: addr.port().to_string(),
                target_health: TargetHealth {
                    state: account::TargetHealthState::parse(state)
                        .unwrap_or_else(|| panic!("no target state {state}")),
                    reason: None,
                    description: None,
                },
                registered_at: 0,
                next_transition_at: None,
                check_streak: 0,
                check_outcome: None,
            })
            .collect();
        let tg = TargetGroup {
            target_group_arn: arn.into(),
            target_group_name: arn.into(),
            protocol: Some("HTTP".into()),
            port: Some(80),
            vpc_id: None,
            target_type: "ip".into(),
            health_check: HealthCheck::default(),
            deregistration_delay_seconds: 300,
            load_balancer_arns: vec![LB_ARN.into()],
            targets,
        };
        self.account.target_groups.insert(arn.into(), tg);
    }

    /// Adds a rule to the listener.
    pub fn rule(mut self, priority: u32, conditions: Vec<Value>, action: Action) -> Setup {
        let arn = format!("{LISTENER}/rule-{priority}");
        self.account.listener_rules.insert(
            arn.clone(),
            ListenerRule { rule_arn: arn, listener_arn: LISTENER.into(), priority, conditions, actions: vec![action] },
        );
        self
    }

    /// The load balancer's configuration, with a short idle timeout.
    pub fn config(&self) -> LbConfig {
        let mut cfg = LbConfig::from_account(&self.account, LB_ARN);
        cfg.idle_timeout = Duration::from_millis(500);
        cfg
    }
}

/// A running proxy for listener port 80, bound to an ephemeral port.
pub struct Lb {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for Lb {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn start_lb(config: LbConfig) -> Lb {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let shared = Arc::new(Shared::new(config));
    let task = tokio::spawn(lb::serve(listener, 80, shared.clone(), Arc::new(PlainConnector), None));
    Lb { addr, shared, task }
}

/// A response as it came over the wire.
#[derive(Debug)]
pub struct Raw {
    pub status_line: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn status(&self) -> u16 {
        self.status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
    }
}

/// Sends `request` as is on a new connection and reads until the server closes.
pub async fn raw(addr: SocketAddr, request: &[u8]) -> Raw {
    let text = tokio::time::timeout(STEP, async {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(request).await.unwrap();
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out).await;
        String::from_utf8_lossy(&out).into_owned()
    })
    .await
    .expect("the load balancer did not answer in time");
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("").to_string();
    let headers = lines.filter_map(|l| l.split_once(": ")).map(|(n, v)| (n.to_string(), v.to_string())).collect();
    Raw { status_line, headers, body: body.to_string() }
}

/// `GET path` with `Connection: close` and a Host header.
pub async fn get(addr: SocketAddr, path: &str) -> Raw {
    raw(addr, format!("GET {path} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n").as_bytes()).await
}

/// One client connection sending many requests.
pub struct KeepAlive {
    sender: hyper::client::conn::http1::SendRequest<Empty<Bytes>>,
}

impl KeepAlive {
    pub async fn connect(addr: SocketAddr) -> KeepAlive {
        let stream = TcpStream::connect(addr).await.unwrap();
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.unwrap();
        tokio::spawn(conn);
        KeepAlive { sender }
    }

    /// Status and body of `GET path`.
    pub async fn get(&mut self, path: &str) -> (u16, String) {
        tokio::time::timeout(STEP, async {
            self.sender.ready().await.unwrap();
            let req = Request::get(path).header("host", "app.example.com").body(Empty::new()).unwrap();
            let resp = self.sender.send_request(req).await.unwrap();
            let status = resp.status().as_u16();
            let body = resp.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8_lossy(&body).into_owned())
        })
        .await
        .expect("no answer in time")
    }
}

/// Polls `cond` until it holds; fails the test after `STEP`.
pub async fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + STEP;
    while !cond() {
        assert!(tokio::time::Instant::now() < deadline, "never happened: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// 127.0.0.1 as the targets' address.
pub fn localhost() -> Ipv4Addr {
    Ipv4Addr::LOCALHOST
}
