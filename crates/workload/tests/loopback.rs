//! The HTTP and UDP servers over 127.0.0.1 in the test's own namespace (no root needed).

mod common;

use std::net::Ipv4Addr;
use std::sync::Arc;

use common::{get, http_client};
use workload::standin::{self, Identity};

fn identity() -> Arc<Identity> {
    Arc::new(Identity {
        task_arn: "arn:aws:ecs:us-east-1:123456789012:task/demo/0123456789abcdef0123456789abcdef".into(),
        task_id: "0123456789abcdef0123456789abcdef".into(),
        container: "web".into(),
        address: Ipv4Addr::new(10, 0, 1, 5),
        port: 8080,
        cluster: "demo".into(),
        family_revision: "web:1".into(),
    })
}

async fn loopback_listener() -> tokio::net::TcpListener {
    tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback")
}

#[tokio::test]
async fn the_standin_answers_every_path_and_health_on_one_connection() {
    let listener = loopback_listener().await;
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(standin::serve_http(listener, identity()));

    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let local = stream.local_addr().unwrap();
    let mut client = http_client(stream).await;
    let (status, headers, body) = get(&mut client, "x", "/some/path").await;
    assert_eq!(status, 200);
    assert_eq!(headers["server"], "tasknet-standin");
    assert_eq!(body["task"], identity().task_arn.as_str());
    assert_eq!(body["container"], "web");
    assert_eq!(body["address"], "10.0.1.5");
    assert_eq!(body["port"], 8080);
    assert_eq!(body["client"], local.to_string());
    assert_eq!(body["method"], "GET");
    assert_eq!(body["path"], "/some/path");

    // Same connection: keep-alive.
    let (status, _, body) = get(&mut client, "x", "/health").await;
    assert_eq!(status, 200);
    assert_eq!(body, serde_json::json!({"status": "ok"}));
    server.abort();
}

#[tokio::test]
async fn stopping_the_standin_closes_open_connections() {
    let listener = loopback_listener().await;
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(standin::serve_http(listener, identity()));
    let mut client = http_client(tokio::net::TcpStream::connect(addr).await.unwrap()).await;
    let _ = get(&mut client, "x", "/").await;
    server.abort();
    let _ = server.await;
    // The keep-alive connection must be gone with the server.
    let request = hyper::Request::get("/").body(http_body_util::Empty::new()).unwrap();
    let answered = match client.ready().await {
        Ok(()) => client.send_request(request).await.is_ok(),
        Err(_) => false,
    };
    assert!(!answered);
}

#[tokio::test]
async fn the_standin_answers_udp_with_its_identity() {
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    let server = tokio::spawn(standin::serve_udp(socket, identity()));
    let client = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    client.send_to(b"hello", addr).await.unwrap();
    let mut buf = [0u8; 2048];
    let (len, from) = client.recv_from(&mut buf).await.unwrap();
    assert_eq!(from, addr);
    let body: serde_json::Value = serde_json::from_slice(&buf[..len]).unwrap();
    assert_eq!(body["container"], "web");
    assert_eq!(body["client"], client.local_addr().unwrap().to_string());
    server.abort();
}

#[tokio::test]
async fn the_echo_server_reports_the_source_and_host() {
    let listener = loopback_listener().await;
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(workload::internet::serve_echo(listener, "example.com".into()));
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let local = stream.local_addr().unwrap();
    let mut client = http_client(stream).await;
    let (status, headers, body) = get(&mut client, "example.com:443", "/where?x=1").await;
    assert_eq!(status, 200);
    assert_eq!(headers["x-seen-source"], "127.0.0.1");
    assert_eq!(body["server"], "example.com");
    assert_eq!(body["you"], "127.0.0.1");
    assert_eq!(body["your_port"], local.port());
    assert_eq!(body["path"], "/where");
    assert_eq!(body["host"], "example.com:443");
    server.abort();
}

#[tokio::test]
async fn the_echo_server_speaks_tls_to_a_handshake_and_plain_http_to_anything_else_on_one_port() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls;
    let dir = tempfile::tempdir().unwrap();
    let ca = workload::ca::LocalCa::open_or_create(dir.path()).unwrap();
    let tls = ca.server_config_for(&["example.com".into(), "203.0.113.10".into()]).unwrap();
    let listener = loopback_listener().await;
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(workload::internet::serve_echo_tls(listener, "example.com".into(), Some(tls)));
    // Plain HTTP first.
    let mut client = http_client(tokio::net::TcpStream::connect(addr).await.unwrap()).await;
    let (status, _, body) = get(&mut client, "example.com:443", "/plain").await;
    assert_eq!((status, body["path"].as_str()), (200, Some("/plain")));
    // Then TLS, trusting only the local CA, for the host's name and for its address.
    let mut roots = rustls::RootCertStore::empty();
    use rustls::pki_types::pem::PemObject as _;
    roots.add(rustls::pki_types::CertificateDer::from_pem_slice(ca.cert_pem().as_bytes()).unwrap()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(workload::ca::provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    for name in ["example.com", "203.0.113.10"] {
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let server_name = rustls::pki_types::ServerName::try_from(name.to_string()).unwrap();
        let mut s = connector.connect(server_name, tcp).await.unwrap_or_else(|e| panic!("{name}: {e}"));
        s.write_all(b"GET /secure HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n").await.unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out).await;
        assert!(out.starts_with("HTTP/1.1 200") && out.contains("\"path\":\"/secure\""), "{name}: {out}");
    }
    server.abort();
}
