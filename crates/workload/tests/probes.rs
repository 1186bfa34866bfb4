//! Probes between scratch namespaces: delivered, refused, timed out (root only).

mod common;

use std::process::Command;
use std::time::Duration;

use common::{at, ip, require_root, Pair, A, B, NOBODY};
use workload::probe::lift_icmp_rate_limit;
use workload::{probe_tcp, probe_udp, ProbeResult, Responder};

const PATIENCE: Duration = Duration::from_secs(10);
/// Short, because waiting out a timed-out probe is the whole test.
const SHORT: Duration = Duration::from_millis(700);

fn any() -> std::net::SocketAddrV4 {
    at(std::net::Ipv4Addr::UNSPECIFIED, 0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs root: creates network namespaces"]
async fn tcp_and_udp_probes_see_delivered_refused_and_timed_out() {
    require_root();
    let (pair, _cleanup) = Pair::new("probe");
    let _responder = Responder::start(&pair.b, B, &[80, 8080], &[53, 9000]).unwrap();

    assert_eq!(probe_tcp(&pair.a, any(), at(B, 80), PATIENCE).await.unwrap(), ProbeResult::Delivered);
    assert_eq!(probe_tcp(&pair.a, at(A, 45_000), at(B, 8080), PATIENCE).await.unwrap(), ProbeResult::Delivered);
    assert_eq!(probe_tcp(&pair.a, any(), at(B, 81), PATIENCE).await.unwrap(), ProbeResult::Refused);
    assert_eq!(probe_tcp(&pair.a, any(), at(NOBODY, 80), SHORT).await.unwrap(), ProbeResult::TimedOut);

    assert_eq!(probe_udp(&pair.a, any(), at(B, 53), PATIENCE).await.unwrap(), ProbeResult::Delivered);
    assert_eq!(probe_udp(&pair.a, at(A, 45_001), at(B, 9000), PATIENCE).await.unwrap(), ProbeResult::Delivered);
    assert_eq!(probe_udp(&pair.a, any(), at(B, 54), PATIENCE).await.unwrap(), ProbeResult::Refused);
    assert_eq!(probe_udp(&pair.a, any(), at(NOBODY, 53), SHORT).await.unwrap(), ProbeResult::TimedOut);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs root: creates network namespaces"]
async fn a_source_the_namespace_does_not_hold_is_an_error_not_a_result() {
    require_root();
    let (pair, _cleanup) = Pair::new("badsrc");
    let _responder = Responder::start(&pair.b, B, &[80], &[]).unwrap();
    assert!(probe_tcp(&pair.a, at(B, 0), at(B, 80), PATIENCE).await.is_err());
    assert!(probe_udp(&pair.a, at(B, 0), at(B, 80), PATIENCE).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs root: creates network namespaces"]
async fn hundreds_of_concurrent_probes_agree() {
    require_root();
    let (pair, _cleanup) = Pair::new("many");
    let open: Vec<u16> = (10_000..10_050).collect();
    let _responder = Responder::start(&pair.b, B, &open, &open).unwrap();
    let mut probes = tokio::task::JoinSet::new();
    for port in 10_000..10_100u16 {
        let expected = if port < 10_050 { ProbeResult::Delivered } else { ProbeResult::Refused };
        for udp in [false, true] {
            let ns = pair.a.clone();
            probes.spawn(async move {
                let result = if udp {
                    probe_udp(&ns, any(), at(B, port), PATIENCE).await
                } else {
                    probe_tcp(&ns, any(), at(B, port), PATIENCE).await
                };
                (port, udp, result.unwrap(), expected)
            });
        }
    }
    let mut count = 0;
    while let Some(joined) = probes.join_next().await {
        let (port, udp, result, expected) = joined.unwrap();
        assert_eq!(result, expected, "port {port} udp {udp}");
        count += 1;
    }
    assert_eq!(count, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs root: creates network namespaces and nftables rules"]
async fn a_dropping_firewall_is_timed_out() {
    require_root();
    assert!(
        Command::new("nft").arg("--version").output().is_ok(),
        "install nft (scripts/install-deps.sh) to run this test"
    );
    let (pair, _cleanup) = Pair::new("nft");
    let _responder = Responder::start(&pair.b, B, &[80, 81], &[80, 81]).unwrap();
    // The rules live in b's namespace and vanish with it.
    ip(&["netns", "exec", &pair.b_name, "nft", "add table inet tn_test"]);
    ip(&["netns", "exec", &pair.b_name, "nft", "add chain inet tn_test in { type filter hook input priority 0; }"]);
    ip(&["netns", "exec", &pair.b_name, "nft", "add rule inet tn_test in tcp dport 81 drop"]);
    ip(&["netns", "exec", &pair.b_name, "nft", "add rule inet tn_test in udp dport 81 drop"]);
    assert_eq!(probe_tcp(&pair.a, any(), at(B, 80), PATIENCE).await.unwrap(), ProbeResult::Delivered);
    assert_eq!(probe_tcp(&pair.a, any(), at(B, 81), SHORT).await.unwrap(), ProbeResult::TimedOut);
    assert_eq!(probe_udp(&pair.a, any(), at(B, 80), PATIENCE).await.unwrap(), ProbeResult::Delivered);
    assert_eq!(probe_udp(&pair.a, any(), at(B, 81), SHORT).await.unwrap(), ProbeResult::TimedOut);
}

#[test]
#[ignore = "needs root: creates network namespaces"]
fn lifting_the_icmp_limit_stays_in_the_namespace() {
    require_root();
    let (pair, _cleanup) = Pair::new("icmp");
    let path = "/proc/sys/net/ipv4/icmp_ratemask";
    let host_before = std::fs::read_to_string(path).unwrap();
    lift_icmp_rate_limit(&pair.b).unwrap();
    let inside = pair.b.run(|| std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(inside.trim(), "0");
    assert_eq!(std::fs::read_to_string(path).unwrap(), host_before);
}
