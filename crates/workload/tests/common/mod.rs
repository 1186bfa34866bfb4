//! Scratch namespaces for the root-only tests, deleted on drop even when a test fails.

#![allow(dead_code)]

use std::net::{Ipv4Addr, SocketAddrV4};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use workload::NetNs;

/// The address of side A's veth.
pub const A: Ipv4Addr = Ipv4Addr::new(10, 99, 0, 1);
/// The address of side B's veth.
pub const B: Ipv4Addr = Ipv4Addr::new(10, 99, 0, 2);
/// An address in the subnet that no one holds.
pub const NOBODY: Ipv4Addr = Ipv4Addr::new(10, 99, 0, 77);

/// Fails the test unless it runs as root. The root-only tests are
/// `#[ignore]`d, so a plain `cargo test` lists them as ignored; one run
/// with `--include-ignored` without root fails here, never passes silently.
pub fn require_root() {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    assert!(root, "run as root: this test creates network namespaces");
}

/// Runs `ip ARGS`, failing the test with its stderr if it fails.
pub fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("run ip");
    assert!(out.status.success(), "ip {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Two namespaces joined by a veth pair: `va` (10.99.0.1/24) in `a`, `vb` (10.99.0.2/24) in `b`.
pub struct Pair {
    /// Side A's namespace name.
    pub a_name: String,
    /// Side B's namespace name.
    pub b_name: String,
    /// Side A.
    pub a: NetNs,
    /// Side B.
    pub b: NetNs,
}

/// Deletes the namespaces it names; built before anything can fail.
pub struct Cleanup(Vec<String>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for name in &self.0 {
            let _ = Command::new("ip").args(["netns", "del", name]).status();
        }
    }
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl Pair {
    /// Creates the pair; the returned guard deletes it.
    pub fn new(tag: &str) -> (Pair, Cleanup) {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        // `tn-x` marks a test's namespace, which `tasknet up` and `down` (run by
        // other tests at the same time) do not sweep; no data plane test scope
        // is `tn-x-` (their tags are never empty).
        let a_name = format!("tn-x-{tag}-{}-{n}-a", std::process::id());
        let b_name = format!("tn-x-{tag}-{}-{n}-b", std::process::id());
        let cleanup = Cleanup(vec![a_name.clone(), b_name.clone()]);
        ip(&["netns", "add", &a_name]);
        ip(&["netns", "add", &b_name]);
        ip(&["link", "add", "va", "netns", &a_name, "type", "veth", "peer", "name", "vb", "netns", &b_name]);
        for (ns, dev, addr) in [(&a_name, "va", "10.99.0.1/24"), (&b_name, "vb", "10.99.0.2/24")] {
            ip(&["-n", ns, "addr", "add", addr, "dev", dev]);
            ip(&["-n", ns, "link", "set", dev, "up"]);
            ip(&["-n", ns, "link", "set", "lo", "up"]);
        }
        let a = NetNs::open(&a_name).expect("open a");
        let b = NetNs::open(&b_name).expect("open b");
        (Pair { a_name, b_name, a, b }, cleanup)
    }
}

/// `addr:port` as a socket address.
pub fn at(addr: Ipv4Addr, port: u16) -> SocketAddrV4 {
    SocketAddrV4::new(addr, port)
}

/// Sends `GET path` with a Host header over an open connection and gives status, headers and body.
pub async fn get(
    sender: &mut hyper::client::conn::http1::SendRequest<http_body_util::Empty<bytes::Bytes>>,
    host: &str,
    path: &str,
) -> (u16, hyper::HeaderMap, serde_json::Value) {
    use http_body_util::BodyExt;
    let request = hyper::Request::get(path).header("host", host).body(http_body_util::Empty::new()).unwrap();
    // The previous response must be fully read before the connection takes another request.
    sender.ready().await.expect("connection ready");
    let response = sender.send_request(request).await.expect("send request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.expect("read body").to_bytes();
    let json = serde_json::from_slice(&body).unwrap_or_else(|e| panic!("body {body:?}: {e}"));
    (status, headers, json)
}

/// An HTTP/1.1 client connection over `stream`.
pub async fn http_client(
    stream: tokio::net::TcpStream,
) -> hyper::client::conn::http1::SendRequest<http_body_util::Empty<bytes::Bytes>> {
    let (sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.expect("handshake");
    tokio::spawn(connection);
    sender
}
