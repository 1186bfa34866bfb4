//! What the stand-in and the echo server share: the accept loop and JSON strings.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::task::JoinSet;

/// Pause after an accept error that will not clear at once (out of fds or memory).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(20);

/// Serves HTTP/1.1 keep-alive connections from `listener`, each with the
/// handler `make(peer)` gives. Dropping the future closes every connection
/// too: a stopped task must stop answering on open keep-alive connections.
pub(crate) async fn accept_loop<M, H, Fut>(listener: tokio::net::TcpListener, make: M)
where
    M: Fn(SocketAddr) -> H,
    H: Fn(Request<Incoming>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Response<Full<Bytes>>, Infallible>> + Send + 'static,
{
    accept_loop_tls(listener, None, make).await
}

/// [`accept_loop`], where a connection whose first byte starts a TLS
/// handshake (a ClientHello record, 0x16) is served over TLS with `tls`,
/// and any other in plain HTTP, so one port answers both.
pub(crate) async fn accept_loop_tls<M, H, Fut>(
    listener: tokio::net::TcpListener,
    tls: Option<std::sync::Arc<tokio_rustls::rustls::ServerConfig>>,
    make: M,
) where
    M: Fn(SocketAddr) -> H,
    H: Fn(Request<Incoming>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Response<Full<Bytes>>, Infallible>> + Send + 'static,
{
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    // Small answers: waiting for Nagle would only add latency.
                    let _ = stream.set_nodelay(true);
                    let service = service_fn(make(peer));
                    let acceptor = acceptor.clone();
                    connections.spawn(async move {
                        let mut first = [0u8; 1];
                        let hello = match &acceptor {
                            Some(_) => matches!(
                                tokio::time::timeout(TLS_SNIFF, stream.peek(&mut first)).await,
                                Ok(Ok(1)) if first[0] == 0x16
                            ),
                            None => false,
                        };
                        match acceptor.filter(|_| hello) {
                            Some(a) => {
                                if let Ok(Ok(tls)) = tokio::time::timeout(TLS_SNIFF, a.accept(stream)).await {
                                    let _ = http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(tls), service).await;
                                }
                            }
                            None => {
                                let _ = http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), service).await;
                            }
                        }
                    });
                }
                Err(e) => {
                    if is_resource_exhaustion(&e) {
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                    }
                }
            },
            // Reaps finished connections so the set does not grow without bound.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// How long a connection may take to send its first byte and finish a TLS handshake.
const TLS_SNIFF: std::time::Duration = std::time::Duration::from_secs(10);

fn is_resource_exhaustion(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM))
}

/// `s` as a JSON string literal, quotes included.
pub(crate) fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn json_str_round_trips(s in any::<String>()) {
            let back: String = serde_json::from_str(&json_str(&s)).unwrap();
            prop_assert_eq!(back, s);
        }
    }
}
