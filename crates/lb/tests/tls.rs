//! HTTPS listeners end to end on 127.0.0.1: the handshake with the
//! listener's certificate, the policy's TLS versions, and what HTTPS
//! changes in the answer (a `#{protocol}` redirect stays on https).

mod support;

use serde_json::json;
use std::sync::Arc;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::{self, pki_types::ServerName, version};

#[allow(deprecated)]
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A self-signed certificate for `app.example.com`: (PEM, key PEM, DER).
fn certificate() -> (String, String, rustls::pki_types::CertificateDer<'static>) {
    let c = rcgen::generate_simple_self_signed(vec!["app.example.com".to_string()]).expect("a certificate");
    (c.cert.pem(), c.signing_key.serialize_pem(), c.cert.der().clone())
}

async fn start_https(
    setup: &Setup,
    policy: &str,
) -> (std::net::SocketAddr, rustls::pki_types::CertificateDer<'static>, tokio::task::JoinHandle<()>) {
    let (pem, key, der) = certificate();
    let tls = lb::tls::server_config(provider(), &pem, &key, policy).expect("a server configuration");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    // The setup's listener, on 443.
    let mut config = setup.config();
    for l in &mut config.listeners {
        l.port = 443;
    }
    let shared = Arc::new(lb::Shared::new(config));
    let task = tokio::spawn(lb::serve(listener, 443, shared, Arc::new(lb::PlainConnector), Some(tls)));
    (addr, der, task)
}

/// GET `path` over TLS (only `versions`), trusting `root`: the answer's text, or the handshake's error.
async fn get_tls(
    addr: std::net::SocketAddr,
    root: &rustls::pki_types::CertificateDer<'static>,
    versions: &[&'static rustls::SupportedProtocolVersion],
    path: &str,
) -> Result<String, std::io::Error> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(root.clone()).expect("a root");
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(versions)
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(addr).await?;
    let name = ServerName::try_from("app.example.com").expect("a name");
    let mut tls = connector.connect(name, tcp).await?;
    let req = format!("GET {path} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");
    tls.write_all(req.as_bytes()).await?;
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out).await;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[tokio::test]
async fn an_https_listener_answers_over_tls_with_its_certificate() {
    let fixed = action(
        "fixed-response",
        json!({"FixedResponseConfig": {"StatusCode": "200", "ContentType": "text/plain", "MessageBody": "secure"}}),
    );
    let redirect = action("redirect", json!({"RedirectConfig": {"Path": "/new", "StatusCode": "HTTP_301"}}));
    let setup = Setup::new(fixed).rule(
        10,
        vec![json!({"Field": "path-pattern", "PathPatternConfig": {"Values": ["/old"]}})],
        redirect,
    );
    let (addr, root, task) = start_https(&setup, "ELBSecurityPolicy-TLS13-1-2-2021-06").await;
    let both = [&version::TLS12, &version::TLS13];
    let text = get_tls(addr, &root, &both, "/").await.expect("a TLS answer");
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(text.ends_with("secure"), "{text}");
    // The redirect keeps the listener's protocol: https, on port 443 (which a URL omits).
    let text = get_tls(addr, &root, &both, "/old").await.expect("a TLS answer");
    assert!(text.starts_with("HTTP/1.1 301"), "{text}");
    assert!(text.to_ascii_lowercase().contains("location: https://app.example.com:443/new"), "{text}");
    // Plain HTTP on the HTTPS port gets no HTTP answer.
    let mut plain = TcpStream::connect(addr).await.expect("connect");
    plain.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("write");
    let mut out = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), plain.read_to_end(&mut out)).await;
    assert!(!String::from_utf8_lossy(&out).contains("HTTP/1.1 200"));
    task.abort();
}

#[tokio::test]
async fn the_security_policy_decides_the_tls_versions() {
    let fixed = action("fixed-response", json!({"FixedResponseConfig": {"StatusCode": "200", "MessageBody": "ok"}}));
    let setup = Setup::new(fixed);
    let (addr, root, task) = start_https(&setup, "ELBSecurityPolicy-TLS13-1-3-2021-06").await;
    assert!(
        get_tls(addr, &root, &[&version::TLS12], "/").await.is_err(),
        "TLS 1.2 is refused by a TLS 1.3-only policy"
    );
    assert!(get_tls(addr, &root, &[&version::TLS13], "/").await.is_ok_and(|t| t.starts_with("HTTP/1.1 200")));
    task.abort();
    let (addr, root, task) = start_https(&setup, "ELBSecurityPolicy-TLS-1-2-2017-01").await;
    assert!(get_tls(addr, &root, &[&version::TLS13], "/").await.is_err(), "TLS 1.3 is refused by a TLS 1.2 policy");
    assert!(get_tls(addr, &root, &[&version::TLS12], "/").await.is_ok_and(|t| t.starts_with("HTTP/1.1 200")));
    task.abort();
}

#[tokio::test]
async fn a_client_that_asks_for_http2_gets_it_and_the_target_still_gets_http1() {
    use http_body_util::{BodyExt, Empty};
    let backend = Backend::start(Behaviour::Echo).await;
    let setup = Setup::new(forward("tg")).group("tg", &[(backend.addr, "healthy")]);
    let (addr, root, task) = start_https(&setup, "ELBSecurityPolicy-TLS13-1-2-2021-06").await;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(root).expect("a root");
    let mut config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec()];
    let tcp = TcpStream::connect(addr).await.expect("connect");
    let name = ServerName::try_from("app.example.com").expect("a name");
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await.expect("a handshake");
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]), "HTTP/2 negotiated");
    let (mut send, conn) =
        hyper::client::conn::http2::handshake(hyper_util::rt::TokioExecutor::new(), hyper_util::rt::TokioIo::new(tls))
            .await
            .expect("an HTTP/2 connection");
    tokio::spawn(conn);
    for _ in 0..3 {
        let req =
            hyper::Request::get("https://app.example.com/").body(Empty::<bytes::Bytes>::new()).expect("a request");
        let resp = send.send_request(req).await.expect("an answer");
        assert_eq!((resp.status(), resp.version()), (hyper::StatusCode::OK, hyper::Version::HTTP_2));
        // The target saw the ALB's headers: HTTPS, and the Host the :authority named.
        let echoed =
            |h: &str| resp.headers().get(format!("x-echo-{h}")).and_then(|v| v.to_str().ok()).map(str::to_string);
        assert_eq!(echoed("x-forwarded-proto").as_deref(), Some("https"), "{:?}", resp.headers());
        assert!(echoed("host").is_some_and(|h| h.starts_with("app.example.com")), "{:?}", resp.headers());
        let body = resp.into_body().collect().await.expect("a body").to_bytes();
        // The echo target answers with its own port: it was reached (over HTTP/1.1, the only version it speaks).
        assert_eq!(String::from_utf8_lossy(&body), backend.addr.port().to_string());
    }
    task.abort();
}
