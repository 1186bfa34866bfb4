//! Servers and clients in two scratch namespaces joined by a veth (root only).

mod common;

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use common::{at, get, http_client, require_root, Pair, A, B};
use workload::dns::{self, LiveZone, Zone};
use workload::standin::{self, Identity};
use workload::{connect_tcp, tcp_listener, udp_socket, NetNs};

const PATIENCE: Duration = Duration::from_secs(10);

fn netns_inode(path: &str) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).expect("stat netns").ino()
}

#[test]
#[ignore = "needs root: creates network namespaces"]
fn run_enters_the_namespace_and_restores_the_thread() {
    require_root();
    let (pair, _cleanup) = Pair::new("run");
    let before = netns_inode("/proc/thread-self/ns/net");
    let inside = pair.a.run(|| netns_inode("/proc/thread-self/ns/net")).unwrap();
    let after = netns_inode("/proc/thread-self/ns/net");
    assert_eq!(inside, netns_inode(&format!("/var/run/netns/{}", pair.a_name)));
    assert_ne!(inside, before);
    assert_eq!(after, before);
    // Restored even when the closure unwinds.
    let caught = std::panic::catch_unwind(|| pair.b.run(|| panic!("inside")));
    assert!(caught.is_err());
    assert_eq!(netns_inode("/proc/thread-self/ns/net"), before);
}

#[test]
#[ignore = "needs root: creates network namespaces"]
fn sockets_stay_in_the_namespace_they_were_made_in() {
    require_root();
    let (pair, _cleanup) = Pair::new("bind");
    // 10.99.0.2 exists only in b: binding it from a must fail, from b succeed.
    assert!(tcp_listener(&pair.a, at(B, 0)).is_err());
    assert!(tcp_listener(&pair.b, at(B, 0)).is_ok());
    assert!(udp_socket(&pair.a, at(A, 0)).is_ok());
    assert!(NetNs::open(&pair.a_name).is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs root: creates network namespaces"]
async fn the_standin_serves_another_namespace() {
    require_root();
    let (pair, _cleanup) = Pair::new("standin");
    let identity = Arc::new(Identity {
        task_arn: "arn:aws:ecs:us-east-1:123456789012:task/demo/0123456789abcdef0123456789abcdef".into(),
        task_id: "0123456789abcdef0123456789abcdef".into(),
        container: "web".into(),
        address: B,
        port: 8080,
        cluster: "demo".into(),
        family_revision: "web:1".into(),
    });
    let listener = tokio::net::TcpListener::from_std(tcp_listener(&pair.b, at(B, 8080)).unwrap()).unwrap();
    let server = tokio::spawn(standin::serve_http(listener, identity));

    let stream = connect_tcp(&pair.a, at(B, 8080), Some(at(A, 0)), PATIENCE).await.unwrap();
    let mut client = http_client(stream).await;
    let (status, headers, body) = get(&mut client, "10.99.0.2:8080", "/api/items").await;
    assert_eq!(status, 200);
    assert_eq!(headers["server"], "tasknet-standin");
    assert_eq!(body["address"], "10.99.0.2");
    assert!(body["client"].as_str().unwrap().starts_with("10.99.0.1:"), "{body}");
    assert_eq!(body["path"], "/api/items");
    let (_, _, health) = get(&mut client, "10.99.0.2:8080", "/health").await;
    assert_eq!(health["status"], "ok");
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs root: creates network namespaces"]
async fn the_echo_server_sees_the_client_address_on_80_and_443() {
    require_root();
    let (pair, _cleanup) = Pair::new("echo");
    let mut servers = Vec::new();
    for port in [80, 443] {
        let listener = tokio::net::TcpListener::from_std(tcp_listener(&pair.b, at(B, port)).unwrap()).unwrap();
        servers.push(tokio::spawn(workload::internet::serve_echo(listener, "example.com".into())));
    }
    for port in [80, 443] {
        let stream = connect_tcp(&pair.a, at(B, port), Some(at(A, 40_000 + port)), PATIENCE).await.unwrap();
        let mut client = http_client(stream).await;
        let (status, headers, body) = get(&mut client, "example.com", "/").await;
        assert_eq!(status, 200);
        assert_eq!(headers["x-seen-source"], "10.99.0.1");
        assert_eq!(body["you"], "10.99.0.1");
        assert_eq!(body["your_port"], 40_000 + port);
        assert_eq!(body["host"], "example.com");
    }
    servers.iter().for_each(|s| s.abort());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs root: creates network namespaces"]
async fn dns_answers_across_namespaces() {
    require_root();
    let (pair, _cleanup) = Pair::new("dns");
    let zone = Arc::new(LiveZone::new(Zone::new(vec![("checkip.example.com".into(), Ipv4Addr::new(198, 51, 100, 7))])));
    let server_socket = tokio::net::UdpSocket::from_std(udp_socket(&pair.b, at(B, 53)).unwrap()).unwrap();
    let server = tokio::spawn(dns::serve_dns(server_socket, zone));

    let client = tokio::net::UdpSocket::from_std(udp_socket(&pair.a, at(A, 0)).unwrap()).unwrap();
    client.connect(at(B, 53)).await.unwrap();
    for (name, rcode, answers) in [
        ("CheckIP.example.com.", dns::NOERROR, vec![(Ipv4Addr::new(198, 51, 100, 7), 60)]),
        ("nothing.example.com", dns::NXDOMAIN, vec![]),
    ] {
        client.send(&dns::build_query(77, name, dns::TYPE_A).unwrap()).await.unwrap();
        let mut buf = [0u8; 512];
        let len = tokio::time::timeout(PATIENCE, client.recv(&mut buf)).await.expect("a DNS answer").unwrap();
        let response = dns::parse_response(&buf[..len]).unwrap();
        assert_eq!((response.id, response.rcode, response.answers), (77, rcode, answers), "{name}");
    }
    server.abort();
}
