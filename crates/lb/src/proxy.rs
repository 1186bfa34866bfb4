//! The HTTP/1.1 reverse proxy: accepts clients on one listener port,
//! routes each request, and relays it to a target over a pooled keep-alive
//! connection.
//!
//! AWS doc: "HTTP headers and Application Load Balancers" (X-Forwarded-For
//! appended, X-Forwarded-Proto, X-Forwarded-Port), "Troubleshoot your
//! Application Load Balancers" and shared/aws-facts.md (502/503/504).
//!
//! Requests hyper cannot parse get hyper's own `400 Bad Request` (empty
//! body, no `Server: awselb/2.0`): hyper offers no hook to write the ALB's
//! page there. Requests it parses but HTTP/1.1 forbids get the ALB's page.

use crate::actions::RedirectInput;
use crate::body::{LbBody, UpstreamBody};
use crate::conditions::{strip_port, RequestInfo};
use crate::config::LbConfig;
use crate::connector::Connector;
use crate::errors::{redirect_body, AlbError, SERVER_NAME};
use crate::pool::{Pool, Release, Upstream};
use crate::routing::{Decision, Snapshot};
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::header::{
    HeaderMap, HeaderName, HeaderValue, CONNECTION, CONTENT_TYPE, EXPECT, HOST, LOCATION, SERVER, TE, TRAILER, UPGRADE,
};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode, Uri, Version};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, SocketAddrV4};
use std::pin::Pin;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

static X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
static X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
static X_FORWARDED_PORT: HeaderName = HeaderName::from_static("x-forwarded-port");
static KEEP_ALIVE: HeaderName = HeaderName::from_static("keep-alive");
static PROXY_CONNECTION: HeaderName = HeaderName::from_static("proxy-connection");

/// The state every listener of one load balancer shares: the current
/// configuration, the round-robin positions and the connection pool.
#[derive(Debug)]
pub struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    positions: Mutex<HashMap<String, Arc<AtomicUsize>>>,
    pool: Arc<Pool>,
}

impl Shared {
    /// State serving `config`.
    pub fn new(config: LbConfig) -> Shared {
        let shared = Shared {
            snapshot: RwLock::new(Arc::new(Snapshot::new(LbConfig::empty(), &mut HashMap::new()))),
            positions: Mutex::new(HashMap::new()),
            pool: Arc::new(Pool::default()),
        };
        shared.update(config);
        shared
    }

    /// Serves `config` from the next request on; requests in flight finish
    /// as they started. Round-robin positions carry over by target group.
    pub fn update(&self, config: LbConfig) {
        let snapshot = {
            let mut positions = self.positions.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::new(Snapshot::new(config, &mut positions))
        };
        let live = snapshot.live_targets();
        *self.snapshot.write().unwrap_or_else(PoisonError::into_inner) = snapshot;
        self.pool.set_allowed(live);
    }

    /// A copy of the configuration being served.
    pub fn config(&self) -> LbConfig {
        self.current().config.clone()
    }

    fn current(&self) -> Arc<Snapshot> {
        self.snapshot.read().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// What one client connection knows about itself.
struct Conn {
    shared: Arc<Shared>,
    connector: Arc<dyn Connector>,
    port: u16,
    client: IpAddr,
    client_text: HeaderValue,
    port_text: HeaderValue,
    /// Whether the listener is HTTPS (X-Forwarded-Proto, redirects' `#{protocol}`).
    https: bool,
}

/// One listener port of a load balancer: what serves each client
/// connection accepted on it (the shared state, the way to targets, TLS).
/// Cheap to clone: one per connection.
#[derive(Clone)]
pub struct ListenerService {
    port: u16,
    port_text: HeaderValue,
    state: Arc<Shared>,
    connector: Arc<dyn Connector>,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
}

impl ListenerService {
    /// Serves the listener port `port`; with `tls` (an HTTPS listener, see
    /// [`crate::tls`]) each connection is a TLS handshake first.
    pub fn new(
        port: u16,
        state: Arc<Shared>,
        connector: Arc<dyn Connector>,
        tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
    ) -> ListenerService {
        ListenerService {
            port,
            port_text: HeaderValue::from(port),
            state,
            connector,
            acceptor: tls.map(tokio_rustls::TlsAcceptor::from),
        }
    }

    /// Serves one accepted client connection from `peer` until it ends (or
    /// stays idle for the idle timeout; a TLS handshake gets that long too).
    /// Needs a Tokio runtime with the time driver enabled.
    pub async fn serve_connection(self, stream: tokio::net::TcpStream, peer: SocketAddr) {
        let _ = stream.set_nodelay(true);
        let client = canonical(peer);
        let idle = self.state.current().config.idle_timeout;
        let conn = Arc::new(Conn {
            shared: self.state,
            connector: self.connector,
            port: self.port,
            client,
            client_text: HeaderValue::from_str(&client.to_string()).unwrap_or(HeaderValue::from_static("0.0.0.0")),
            port_text: self.port_text,
            https: self.acceptor.is_some(),
        });
        let mut http = hyper::server::conn::http1::Builder::new();
        // A client connection idle for the idle timeout is closed.
        http.timer(TokioTimer::new()).header_read_timeout(idle);
        let svc = service_fn(move |req| handle(conn.clone(), req));
        match self.acceptor {
            None => {
                let _ = http.serve_connection(TokioIo::new(stream), svc).await;
            }
            Some(a) => {
                let Ok(Ok(tls)) = tokio::time::timeout(idle, a.accept(stream)).await else { return };
                // AWS doc "HTTP/2 support" (Application Load Balancers): HTTPS listeners
                // speak HTTP/2 to clients that ask for it by ALPN; targets get HTTP/1.1.
                if tls.get_ref().1.alpn_protocol() == Some(b"h2") {
                    let mut h2 = hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new());
                    h2.timer(TokioTimer::new());
                    let _ = h2.serve_connection(TokioIo::new(tls), svc).await;
                } else {
                    let _ = http.serve_connection(TokioIo::new(tls), svc).await;
                }
            }
        }
    }
}

/// Accepts clients on `listener` for the listener port `port` until the
/// task running it is aborted; then its client connections end too. See
/// [`ListenerService`] for `tls`.
/// Needs a Tokio runtime with the time driver enabled (idle timeouts).
pub async fn serve(
    listener: TcpListener,
    port: u16,
    state: Arc<Shared>,
    connector: Arc<dyn Connector>,
    tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
) {
    let service = ListenerService::new(port, state, connector, tls);
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    conns.spawn(service.clone().serve_connection(stream, peer));
                }
                // Out of descriptors or a similar passing condition: wait
                // instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
}

fn canonical(peer: SocketAddr) -> IpAddr {
    match peer.ip() {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// Where a request is forwarded, and the limits that apply.
struct Forward {
    addr: SocketAddrV4,
    idle: Duration,
    connect: Duration,
}

async fn handle(conn: Arc<Conn>, req: Request<Incoming>) -> Result<Response<LbBody>, Infallible> {
    let host = match req.uri().authority() {
        Some(a) => Some(a.as_str()),
        None => req.headers().get(HOST).and_then(|h| h.to_str().ok()),
    };
    // RFC 9112 §3.2: an HTTP/1.1 request without Host is a bad request.
    // inferred: the ALB answers it with its 400 page.
    if host.is_none() && req.version() == Version::HTTP_11 {
        return Ok(AlbError::BadRequest.response());
    }
    let fwd = {
        let snapshot = conn.shared.current();
        let info = RequestInfo {
            method: req.method().as_str(),
            path: req.uri().path(),
            query: req.uri().query(),
            host,
            headers: req.headers(),
            client: conn.client,
        };
        match snapshot.decide(conn.port, &info) {
            Decision::Forward(addr) => {
                Forward { addr, idle: snapshot.config.idle_timeout, connect: snapshot.config.connect_timeout }
            }
            Decision::Error(e) => return Ok(e.response()),
            Decision::Fixed(f) => {
                let mut resp = Response::new(LbBody::full(Bytes::from(f.body.clone())));
                *resp.status_mut() = StatusCode::from_u16(f.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
                resp.headers_mut().insert(SERVER, HeaderValue::from_static(SERVER_NAME));
                if let Some(ct) = f.content_type.as_deref().and_then(|c| HeaderValue::from_str(c).ok()) {
                    resp.headers_mut().insert(CONTENT_TYPE, ct);
                }
                return Ok(resp);
            }
            Decision::Redirect(r) => {
                let input = RedirectInput {
                    protocol: if conn.https { "https" } else { "http" },
                    host: strip_port(host.unwrap_or(&snapshot.config.dns_name)),
                    port: conn.port,
                    path: req.uri().path(),
                    query: req.uri().query().unwrap_or(""),
                };
                let Ok(location) = HeaderValue::from_str(&r.location(&input)) else {
                    return Ok(AlbError::BadRequest.response());
                };
                let mut resp = Response::new(LbBody::full(Bytes::from_static(redirect_body(r.status).as_bytes())));
                *resp.status_mut() = if r.status == 301 { StatusCode::MOVED_PERMANENTLY } else { StatusCode::FOUND };
                let h = resp.headers_mut();
                h.insert(SERVER, HeaderValue::from_static(SERVER_NAME));
                h.insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
                h.insert(LOCATION, location);
                return Ok(resp);
            }
        }
    };
    Ok(forward(&conn, req, fwd).await)
}

/// Sends `req` to the target and relays its answer, or answers the error
/// the load balancer would.
async fn forward(conn: &Conn, mut req: Request<Incoming>, fwd: Forward) -> Response<LbBody> {
    prepare_request(conn, &mut req);
    let pool = &conn.shared.pool;
    let mut fresh = false;
    loop {
        let pooled = if fresh { None } else { pool.take(fwd.addr) };
        let mut up = match pooled {
            Some(up) => up,
            None => {
                fresh = true;
                match connect(conn.connector.as_ref(), fwd.addr, fwd.connect).await {
                    Ok(up) => up,
                    Err(e) => return e.response(),
                }
            }
        };
        let sent = up.sender.try_send_request(req);
        let mut alive = true;
        let answer = tokio::time::timeout(fwd.idle, drive(&mut up, &mut alive, sent)).await;
        match answer {
            // Dropping the request closes that connection, as it must.
            Err(_) => return AlbError::GatewayTimeout.response(),
            Ok(Ok(resp)) => return relay_response(resp, Release::new(pool.clone(), fwd.addr, up, alive)),
            Ok(Err(mut e)) => match e.take_message() {
                // Never written: the pooled connection had closed meanwhile.
                // Once more, on a new connection.
                Some(back) if !fresh => {
                    req = back;
                    fresh = true;
                }
                // Reset, closed with the request outstanding, or malformed.
                _ => return AlbError::BadGateway.response(),
            },
        }
    }
}

/// Polls the connection along with the request's answer until the answer
/// (or an error) is there; `alive` turns false if the connection ends.
async fn drive<F: Future>(up: &mut Upstream, alive: &mut bool, answer: F) -> F::Output {
    let mut answer = std::pin::pin!(answer);
    std::future::poll_fn(|cx| {
        if *alive && Pin::new(&mut up.conn).poll(cx).is_ready() {
            *alive = false;
        }
        answer.as_mut().poll(cx)
    })
    .await
}

/// Opens a connection to `addr`: 504 when that takes longer than
/// `timeout` (facts) or the target is unreachable, 502 when the target
/// refuses it (inferred from "resets": a refusal is a reset on connect).
async fn connect(connector: &dyn Connector, addr: SocketAddrV4, timeout: Duration) -> Result<Box<Upstream>, AlbError> {
    let stream = match tokio::time::timeout(timeout, connector.connect(addr)).await {
        Err(_) => return Err(AlbError::GatewayTimeout),
        Ok(Err(e)) => {
            return Err(match e.kind() {
                ErrorKind::ConnectionRefused | ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => {
                    AlbError::BadGateway
                }
                _ => AlbError::GatewayTimeout,
            })
        }
        Ok(Ok(s)) => s,
    };
    let _ = stream.set_nodelay(true);
    let (sender, conn) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|_| AlbError::BadGateway)?;
    Ok(Box::new(Upstream { sender, conn }))
}

/// Removes hop-by-hop headers: they describe one connection, not the message.
fn strip_hop_by_hop(headers: &mut HeaderMap) {
    if let Some(conn) = headers.get(CONNECTION) {
        let named: Vec<HeaderName> = conn
            .to_str()
            .unwrap_or("")
            .split(',')
            .filter_map(|n| HeaderName::from_bytes(n.trim().as_bytes()).ok())
            .collect();
        for n in named {
            headers.remove(n);
        }
        headers.remove(CONNECTION);
    }
    for h in [&KEEP_ALIVE, &PROXY_CONNECTION] {
        headers.remove(h);
    }
    headers.remove(UPGRADE);
    headers.remove(TE);
    headers.remove(TRAILER);
}

fn prepare_request(conn: &Conn, req: &mut Request<Incoming>) {
    // Targets get origin-form, whatever form the client used.
    if req.uri().authority().is_some() {
        let pq = req.uri().path_and_query().map_or("/", |p| p.as_str());
        if let Ok(uri) = pq.parse::<Uri>() {
            if req.headers().get(HOST).is_none() {
                if let Some(a) = req.uri().authority().and_then(|a| HeaderValue::from_str(a.as_str()).ok()) {
                    req.headers_mut().insert(HOST, a);
                }
            }
            *req.uri_mut() = uri;
        }
    }
    // Keep-alive to targets regardless of the client's version.
    *req.version_mut() = Version::HTTP_11;
    let h = req.headers_mut();
    strip_hop_by_hop(h);
    // hyper answers `Expect: 100-continue` on the client side.
    h.remove(EXPECT);
    host_with_port(h, conn.port);
    // Append mode, the default: "ip-address-1, ip-address-2, client-ip-address".
    let xff = if h.contains_key(&X_FORWARDED_FOR) {
        let mut all: Vec<&str> = h.get_all(&X_FORWARDED_FOR).iter().filter_map(|v| v.to_str().ok()).collect();
        let client = conn.client_text.to_str().unwrap_or("");
        all.push(client);
        HeaderValue::from_str(&all.join(", ")).unwrap_or_else(|_| conn.client_text.clone())
    } else {
        conn.client_text.clone()
    };
    h.insert(X_FORWARDED_FOR.clone(), xff);
    h.insert(X_FORWARDED_PROTO.clone(), HeaderValue::from_static(if conn.https { "https" } else { "http" }));
    h.insert(X_FORWARDED_PORT.clone(), conn.port_text.clone());
}

/// The ALB's default (`routing.http.preserve_host_header.enabled` false)
/// appends the listener port to the Host header (AWS re:Post "Launch
/// Announcement - New ALB enhancements provide options to specify how to
/// process Host header and X-Forwarded-For header": `Host: www.amazon.com`
/// becomes `Host: www.amazon.com:8443`). inferred: not for port 80, and not
/// when the header already names a port.
fn host_with_port(h: &mut HeaderMap, port: u16) {
    if port == 80 {
        return;
    }
    let Some(host) = h.get(HOST).and_then(|v| v.to_str().ok()) else { return };
    if strip_port(host).len() != host.len() || host.is_empty() {
        return;
    }
    if let Ok(v) = HeaderValue::from_str(&format!("{host}:{port}")) {
        h.insert(HOST, v);
    }
}

fn relay_response(resp: Response<Incoming>, release: Release) -> Response<LbBody> {
    let (mut parts, body) = resp.into_parts();
    // The client connection's persistence is the load balancer's business.
    strip_hop_by_hop(&mut parts.headers);
    Response::from_parts(parts, LbBody::Upstream(UpstreamBody::new(body, release)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host_after(host: &str, port: u16) -> String {
        let mut h = HeaderMap::new();
        h.insert(HOST, HeaderValue::from_str(host).unwrap());
        host_with_port(&mut h, port);
        h[HOST].to_str().unwrap().to_string()
    }

    #[test]
    fn listener_port_appended_to_host_unless_80_or_present() {
        assert_eq!(host_after("www.example.com", 8443), "www.example.com:8443");
        assert_eq!(host_after("www.example.com", 80), "www.example.com");
        assert_eq!(host_after("www.example.com:9000", 8443), "www.example.com:9000");
    }

    #[test]
    fn hop_by_hop_headers_and_those_connection_names_go() {
        let mut h = HeaderMap::new();
        h.insert(CONNECTION, HeaderValue::from_static("keep-alive, x-private"));
        h.insert("x-private", HeaderValue::from_static("1"));
        h.insert("keep-alive", HeaderValue::from_static("timeout=5"));
        h.insert("x-kept", HeaderValue::from_static("1"));
        strip_hop_by_hop(&mut h);
        assert_eq!(h.keys().map(|k| k.as_str()).collect::<Vec<_>>(), vec!["x-kept"]);
    }
}
