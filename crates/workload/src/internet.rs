//! The emulated internet's services: an echo web server that tells each
//! client which source address reached it, and a DNS server ([`crate::dns`]).
//!
//! On 443 the echo server speaks TLS to a client that starts a handshake
//! (with a certificate for the hosts' names and addresses from tasknet's
//! local CA, which the tasks and functions it runs trust) and plain HTTP to
//! one that does not, so reachability and source NAT can still be checked
//! with `curl http://203.0.113.10:443/`.

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE, HOST, SERVER};
use hyper::{Request, Response};

pub use crate::dns::{serve_dns, LiveZone, Zone};
use crate::http::{accept_loop_tls, json_str};

/// The header that carries the address the echo server saw the request from.
pub const SEEN_SOURCE: &str = "x-seen-source";

/// The `Server` header of the echo server.
pub const ECHO_SERVER: &str = "tasknet-internet";

/// Answers every HTTP/1.1 request with what it saw, until dropped.
pub async fn serve_echo(listener: tokio::net::TcpListener, server_name: String) {
    serve_echo_tls(listener, server_name, None).await
}

/// [`serve_echo`], over TLS with `tls` for clients that start a handshake.
pub async fn serve_echo_tls(
    listener: tokio::net::TcpListener,
    server_name: String,
    tls: Option<std::sync::Arc<tokio_rustls::rustls::ServerConfig>>,
) {
    let server = json_str(&server_name);
    accept_loop_tls(listener, tls, move |peer| {
        let server = server.clone();
        move |req: Request<Incoming>| {
            let response = echo(&server, peer, &req);
            async move { Ok::<_, Infallible>(response) }
        }
    })
    .await
}

fn echo(server_json: &str, peer: SocketAddr, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    let host = match req.headers().get(HOST).map(HeaderValue::to_str) {
        Some(Ok(host)) => json_str(host),
        // Absent, or not text: JSON null rather than a guess.
        _ => "null".to_string(),
    };
    let body = format!(
        "{{\"server\":{server_json},\"you\":\"{}\",\"your_port\":{},\"method\":{},\"path\":{},\"host\":{host}}}",
        peer.ip(),
        peer.port(),
        json_str(req.method().as_str()),
        json_str(req.uri().path()),
    );
    let mut response = Response::new(Full::new(Bytes::from(body)));
    let headers = response.headers_mut();
    headers.insert(SERVER, HeaderValue::from_static(ECHO_SERVER));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    // An IP address is always a valid header value.
    if let Ok(seen) = HeaderValue::from_str(&peer.ip().to_string()) {
        headers.insert(HeaderName::from_static(SEEN_SOURCE), seen);
    }
    response
}
