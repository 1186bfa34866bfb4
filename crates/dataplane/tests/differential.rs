//! The data plane against the reach engine, packet by packet (root only).
//!
//! For each of `TASKNET_DIFF_CASES` (default 50) random topologies from
//! testkit's generator (`testkit::gen`: built through the account's EC2 actions, drawn
//! deterministically, no shrinking), the account is realized in namespaces of
//! a fresh scope, the internet hosts `gen` names are put on the internet
//! namespace's loopback, and responders listen (TCP and UDP echo on
//! [`PORTS`]) in every ENI namespace but the NAT gateways', at every
//! internet host, at the services' public addresses and in every gateway
//! endpoint. Then real packets, chosen as `reach/tests/brute.rs` chooses
//! them (ENI → ENI of the VPC, ENI → ENI of any VPC, ENI → internet host,
//! internet host → public IP, ENI → another ENI's public IP, internet host →
//! private IP, ENI → one of AWS's APIs: Secrets Manager's or S3's public
//! address, which a gateway endpoint's prefix-list route may take, or an
//! interface endpoint's ENI; the VPCs get endpoints drawn by
//! `gen::spec_with_endpoints`), each from a distinct explicit source port (≤1023,
//! 1024–32767 or 32768–65535, so that ACL entries on ephemeral ranges
//! matter), all at once with a short timeout. Each is "delivered" when the
//! TCP connection was accepted and the responder's byte read, or the UDP
//! echo came back; that must equal `reach::packet::check(..).allowed` for the
//! same packet. A refusal (RST, ICMP port unreachable) is "not delivered".
//!
//! A packet reach allows that timed out is tried once more on its own with a
//! longer timeout (same addresses and ports) before it counts as a
//! disagreement, so a busy machine does not fail the test; the summary says
//! how many needed that.
//!
//! Every disagreement of every topology is collected and the test fails at
//! the end, listing each with the packet, the real outcome, reach's verdict
//! and reasons, and `gen::describe` of the topology.
//!
//! `TASKNET_DIFF_CASES=N` sets the number of topologies; `TASKNET_DIFF_ONLY=K`
//! realizes only topology K (the same one as in a full run: the draws are the
//! same); `TASKNET_DIFF_SEED=S` draws another deterministic series;
//! `TASKNET_KEEP=1` leaves the namespaces in place (see `support`).

mod support;

use dataplane::{EniKind, Wiring};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
use reach::packet::Packet;
use reach::topology::Topology;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::{Duration, Instant};
use testkit::gen::{self, Kind};
use workload::{probe_tcp, probe_udp, NetNs, ProbeResult, Responder};

const TCP: u8 = 6;
const UDP: u8 = 17;

/// The ports responders listen on (TCP and UDP): the ports `gen`'s rules name.
const PORTS: &[u16] = &[22, 53, 80, 443, 1050, 8000];
/// The services whose public addresses `gen`'s packets to AWS's APIs name.
const SERVICES: &[&str] = &["secretsmanager", "s3"];
/// Packets per topology.
const PACKETS: usize = 60;
/// How long a probe waits for its answer.
const TIMEOUT: Duration = Duration::from_millis(400);
/// How long the second try of a timed-out probe waits.
const RETRY_TIMEOUT: Duration = Duration::from_millis(1500);

/// Source port bands: the well-known ports, the lower and upper halves of the ephemeral range.
const BANDS: &[(u16, u16)] = &[(1, 1023), (1024, 32767), (32768, 65535)];
/// Source ports at the edges of the ranges ACL entries name, per band.
const EDGES: &[&[u16]] = &[
    &[1023, 1000, 999, 1022, 25, 20, 19, 1],
    &[1024, 1100, 1101, 1049, 32767, 8001],
    &[32768, 65535, 65534, 40000, 60999, 61000],
];

/// A packet to send, as indices into what the topology has.
#[derive(Clone, Debug)]
struct Seed {
    kind: u8,
    a: usize,
    b: usize,
    udp: bool,
    band: usize,
    edge: Option<usize>,
    sport: u16,
    dport: usize,
}

fn seed() -> impl Strategy<Value = Seed> {
    (
        gen::kind_number_with_services(),
        0usize..64,
        0usize..64,
        any::<bool>(),
        0..BANDS.len(),
        proptest::option::of(0usize..8),
        any::<u16>(),
        0..PORTS.len(),
    )
        .prop_map(|(kind, a, b, udp, band, edge, sport, dport)| Seed { kind, a, b, udp, band, edge, sport, dport })
}

/// One probe: the packet, where it starts, and what kind it is.
#[derive(Clone, Debug)]
struct Probe {
    kind: Kind,
    packet: Packet,
    /// The namespace it is sent from.
    ns: String,
}

/// A source port in the seed's band that no other packet of the topology uses and no responder holds.
fn source_port(s: &Seed, used: &mut BTreeSet<u16>) -> u16 {
    let (lo, hi) = BANDS[s.band];
    let edges = EDGES[s.band];
    let mut port = match s.edge {
        Some(i) if i < edges.len() => edges[i],
        _ => lo + s.sport % (hi - lo + 1),
    };
    // At most one pass over the band.
    for _ in 0..=(hi - lo) {
        if !used.contains(&port) && !PORTS.contains(&port) {
            break;
        }
        port = if port == hi { lo } else { port + 1 };
    }
    used.insert(port);
    port
}

/// The packet a seed stands for in this topology (as `brute.rs` picks them), if it has the ends it needs.
fn probe_of(w: &Wiring, built: &gen::Built, internet_ns: &str, s: &Seed, used: &mut BTreeSet<u16>) -> Option<Probe> {
    let (kind, src_eni, src, dst) = gen::packet_ends(&built.account, &built.enis, s.kind, s.a, s.b)?;
    let ns = match src_eni {
        Some(id) => w.enis.get(&id)?.ns.clone(),
        None => internet_ns.to_string(),
    };
    let protocol = if s.udp { UDP } else { TCP };
    let packet = Packet { src, dst, protocol, src_port: source_port(s, used), dst_port: PORTS[s.dport] };
    Some(Probe { kind, packet, ns })
}

/// Sends one probe.
async fn send(ns: NetNs, p: Packet, timeout: Duration) -> std::io::Result<ProbeResult> {
    let src = SocketAddrV4::new(p.src, p.src_port);
    let dst = SocketAddrV4::new(p.dst, p.dst_port);
    if p.protocol == TCP {
        probe_tcp(&ns, src, dst, timeout).await
    } else {
        probe_udp(&ns, src, dst, timeout).await
    }
}

fn show(p: &Packet) -> String {
    let proto = match p.protocol {
        TCP => "tcp",
        UDP => "udp",
        _ => "?",
    };
    format!("{proto} {}:{} → {}:{}", p.src, p.src_port, p.dst, p.dst_port)
}

/// Totals over the run.
#[derive(Default)]
struct Totals {
    topologies: usize,
    packets: usize,
    delivered: usize,
    timed_out: usize,
    refused: usize,
    errors: usize,
    retried: usize,
    rescued: usize,
    disagreements: usize,
    /// Packets whose fate depends on the source port a NAT gateway picks (either outcome agrees).
    nat_dependent: usize,
    /// (kind, delivered) → count.
    by_kind: BTreeMap<(Kind, bool), usize>,
    /// Packets to AWS's APIs: (the way reach sends them, delivered) → count.
    to_aws: BTreeMap<(&'static str, bool), usize>,
    /// What blocks the packets reach does not allow: hop kind → packets it blocks
    /// (a packet counts under each kind that blocks it; "no path": refused before any hop).
    blocked_by: BTreeMap<&'static str, usize>,
}

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// How a packet to one of AWS's APIs goes: to an interface endpoint's ENI,
/// through a gateway endpoint (reach's path has its hop), or to the public address.
fn aws_way(account: &account::Account, d: &reach::packet::Decision, dst: Ipv4Addr) -> &'static str {
    let endpoint_eni = account
        .vpc_endpoints
        .values()
        .flat_map(|e| &e.network_interface_ids)
        .any(|id| account.network_interfaces.get(id).is_some_and(|n| n.private_ip_address == dst));
    if endpoint_eni {
        "interface endpoint"
    } else if d.paths.iter().any(|x| x.hops.iter().any(|h| h.step == "vpc-endpoint")) {
        "gateway endpoint"
    } else {
        "public address"
    }
}

/// Realizes `account` in a scope of its own (tagged `tag`), starts the
/// responders, sends the packets `probes` picks (given the wiring and the
/// internet's namespace) and compares each outcome with reach's verdict.
/// Returns the disagreements' report, if any; the scope is swept on return.
fn run_account(
    rt: &tokio::runtime::Runtime,
    tag: &str,
    account: &account::Account,
    probes: impl FnOnce(&Wiring, &str) -> Vec<Probe>,
    totals: &mut Totals,
) -> Option<String> {
    let mut s = support::Scoped::new(tag);
    let w = Wiring::from_account(account, s.kernel.scope());
    if let Err(e) = s.kernel.apply(&w) {
        return Some(format!("the data plane does not apply: {e}"));
    }
    let internet_ns = w.internet.ns.clone();
    // The internet hosts gen's packets use.
    for h in gen::INTERNET_HOSTS {
        let addr = format!("{h}/32");
        if let Err(e) = dataplane::linux::ip_in(&internet_ns, &["addr", "add", &addr, "dev", "lo"]) {
            return Some(format!("cannot add the internet host {h}: {e}"));
        }
    }
    let probes = probes(&w, &internet_ns);
    let topo = Topology::new(account);
    let verdicts: Vec<reach::packet::Decision> =
        probes.iter().map(|p| reach::packet::check(&topo, &p.packet)).collect();

    let outcomes: Vec<std::io::Result<ProbeResult>> = rt.block_on(async {
        // Responders: every ENI but the NAT gateways', every internet host.
        let mut responders = Vec::new();
        for e in w.enis.values().filter(|e| !matches!(e.kind, EniKind::NatGateway { .. })) {
            let ns = NetNs::open(&e.ns).expect("an ENI namespace");
            responders.push(
                Responder::start(&ns, e.address, PORTS, PORTS)
                    .unwrap_or_else(|err| panic!("responder in {}: {err}", e.ns)),
            );
        }
        let inet = NetNs::open(&internet_ns).expect("the internet namespace");
        for h in gen::INTERNET_HOSTS {
            let ip: Ipv4Addr = h.parse().expect("host");
            responders.push(
                Responder::start(&inet, ip, PORTS, PORTS).unwrap_or_else(|err| panic!("responder at {ip}: {err}")),
            );
        }
        // AWS's APIs: at their public addresses on the internet, and in each
        // gateway endpoint at every address of its prefix list a packet may name.
        for ip in SERVICES.iter().filter_map(|n| account::endpoints::by_name(n)).map(|s| s.address) {
            responders.push(
                Responder::start(&inet, ip, PORTS, PORTS).unwrap_or_else(|err| panic!("responder at {ip}: {err}")),
            );
        }
        for g in w.gateway_endpoints.values() {
            let ns = NetNs::open(&g.ns).expect("a gateway endpoint's namespace");
            let hosts = gen::INTERNET_HOSTS.iter().filter_map(|h| h.parse::<Ipv4Addr>().ok());
            for ip in std::iter::once(g.address).chain(hosts.filter(|h| g.block.contains_addr(*h) && *h != g.address)) {
                responders.push(
                    Responder::start(&ns, ip, PORTS, PORTS)
                        .unwrap_or_else(|err| panic!("responder at {ip} in {}: {err}", g.ns)),
                );
            }
        }
        let mut handles = Vec::new();
        for p in &probes {
            let ns = NetNs::open(&p.ns).expect("the probe's namespace");
            handles.push(tokio::spawn(send(ns, p.packet, TIMEOUT)));
        }
        let mut out = Vec::new();
        for h in handles {
            out.push(h.await.unwrap_or_else(|e| Err(std::io::Error::other(e))));
        }
        // Timed out where reach says it gets through: once more, alone, with more time.
        for (i, p) in probes.iter().enumerate() {
            if verdicts[i].allowed && matches!(out[i], Ok(ProbeResult::TimedOut)) {
                totals.retried += 1;
                let ns = NetNs::open(&p.ns).expect("the probe's namespace");
                let again = send(ns, p.packet, RETRY_TIMEOUT).await;
                if matches!(again, Ok(ProbeResult::Delivered)) {
                    totals.rescued += 1;
                }
                out[i] = again;
            }
        }
        drop(responders);
        out
    });

    let mut report = String::new();
    let mut count = 0;
    for ((p, d), outcome) in probes.iter().zip(&verdicts).zip(&outcomes) {
        totals.packets += 1;
        let delivered = matches!(outcome, Ok(ProbeResult::Delivered));
        match outcome {
            Ok(ProbeResult::Delivered) => totals.delivered += 1,
            Ok(ProbeResult::TimedOut) => totals.timed_out += 1,
            Ok(ProbeResult::Refused) => totals.refused += 1,
            Err(_) => totals.errors += 1,
        }
        *totals.by_kind.entry((p.kind, delivered)).or_default() += 1;
        if p.kind == Kind::ToAwsService {
            *totals.to_aws.entry((aws_way(account, d, p.packet.dst), delivered)).or_default() += 1;
        }
        if !d.allowed {
            let steps: BTreeSet<&str> = d.paths.iter().flat_map(|x| x.blockers.iter().map(|b| b.step)).collect();
            if steps.is_empty() {
                *totals.blocked_by.entry("no path").or_default() += 1;
            }
            for step in steps {
                *totals.blocked_by.entry(step).or_default() += 1;
            }
        }
        if d.depends_on_nat_port {
            totals.nat_dependent += 1;
        }
        // A packet whose fate hangs on the NAT gateway's port choice may go either way.
        if outcome.is_err() || (delivered != d.allowed && !d.depends_on_nat_port) {
            count += 1;
            let real = match outcome {
                Ok(r) => format!("{r:?}"),
                Err(e) => format!("probe error: {e}"),
            };
            let _ = writeln!(
                report,
                "  {:?} {} (from {}): real {real}, reach allowed={}",
                p.kind,
                show(&p.packet),
                p.ns,
                d.allowed
            );
            for r in &d.reasons {
                let _ = writeln!(report, "      reach: {r}");
            }
        }
    }
    totals.disagreements += count;
    totals.topologies += 1;
    drop(s);
    (count > 0).then(|| format!("{count} disagreement(s) of {} packets\n{report}", probes.len()))
}

#[test]
#[ignore = "needs root: realizes random topologies in network namespaces and sends real packets"]
fn real_packets_agree_with_reach() {
    support::require_root();
    let cases = env_usize("TASKNET_DIFF_CASES").unwrap_or(50);
    let only = env_usize("TASKNET_DIFF_ONLY");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    // A fixed seed: the same topologies and packets on every run (another with TASKNET_DIFF_SEED).
    let mut runner = match std::env::var("TASKNET_DIFF_SEED").ok().and_then(|v| v.trim().parse::<u64>().ok()) {
        None => TestRunner::deterministic(),
        Some(seed) => {
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            TestRunner::new_with_rng(
                proptest::test_runner::Config::default(),
                TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
            )
        }
    };
    let started = Instant::now();
    let mut totals = Totals::default();
    let mut failures = Vec::new();
    for n in 0..cases {
        let spec = gen::spec_with_endpoints().new_tree(&mut runner).expect("a spec").current();
        let seeds = vec(seed(), PACKETS).new_tree(&mut runner).expect("seeds").current();
        if only.is_some_and(|k| k != n) {
            continue;
        }
        let built = gen::build(&spec);
        let probes = |w: &Wiring, internet_ns: &str| {
            let mut used = BTreeSet::new();
            seeds.iter().filter_map(|x| probe_of(w, &built, internet_ns, x, &mut used)).collect()
        };
        if let Some(f) = run_account(&rt, &format!("d{n}"), &built.account, probes, &mut totals) {
            let f = format!("topology {n}: {f}topology {n}:\n{}", gen::describe(&built.account));
            eprintln!("{f}");
            failures.push(f);
        }
    }
    let elapsed = started.elapsed();
    let mut kinds = String::new();
    let all: BTreeSet<Kind> = totals.by_kind.keys().map(|(k, _)| *k).collect();
    for k in all {
        let yes = totals.by_kind.get(&(k, true)).copied().unwrap_or(0);
        let no = totals.by_kind.get(&(k, false)).copied().unwrap_or(0);
        let _ = write!(kinds, " {k:?} {yes}/{no};");
    }
    eprintln!(
        "differential: {} topologies, {} packets: {} delivered, {} dropped ({} timed out, {} refused, {} probe errors); \
         {} retried alone ({} then delivered); {} on a NAT gateway's port choice; {} disagreement(s) in {} topologies; {:.1}s\n  delivered/not by kind:{kinds}\n  \
         what reach says blocks the rest (hop kind: packets): {:?}\n  to AWS's APIs ((way, delivered): packets): {:?}",
        totals.topologies,
        totals.packets,
        totals.delivered,
        totals.packets - totals.delivered,
        totals.timed_out,
        totals.refused,
        totals.errors,
        totals.retried,
        totals.rescued,
        totals.nat_dependent,
        totals.disagreements,
        failures.len(),
        elapsed.as_secs_f64(),
        totals.blocked_by,
        totals.to_aws,
    );
    assert!(failures.is_empty(), "the data plane and reach disagree:\n\n{}", failures.join("\n"));
    // The default series must reach every kind of place for AWS's APIs, or the comparison says nothing of them.
    if only.is_none() && cases >= 50 {
        for way in ["interface endpoint", "gateway endpoint", "public address"] {
            for delivered in [true, false] {
                let n = totals.to_aws.get(&(way, delivered)).copied().unwrap_or(0);
                assert!(n > 0, "no packet to AWS's APIs by {way} with delivered={delivered}: {:?}", totals.to_aws);
            }
        }
    }
}

/// Connections through a NAT gateway each get a port drawn from 1024–65535
/// (AWS doc "Network ACLs for your VPC": a NAT gateway uses ports
/// 1024–65535; how it picks one is not documented, the data plane draws it
/// at random). Where an ACL lets replies through to only part of that
/// range, reach says each packet depends on that draw (not delivered), and
/// of 24 real connections from one client some are delivered and some are
/// dropped; where it lets all through, reach says delivered and all are.
/// Two places see the gateway's port: the destination's subnet on a hairpin
/// (out through the NAT, back in to a public IP of the VPC), and the NAT
/// gateway's own subnet as replies come back in from the internet.
#[test]
#[ignore = "needs root: realizes NAT gateways in network namespaces and sends real connections"]
fn connections_through_a_nat_gateway_to_a_partial_ephemeral_acl_sometimes_fail_as_reach_says() {
    support::require_root();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    for (outbound, partial) in [((32768, 65535), true), ((1024, 65535), false)] {
        let gen::NatHairpin { account, client, server } = gen::nat_hairpin(outbound);
        let dst = server.association.as_ref().expect("a public IP").public_ip;
        let tag = if partial { "hpp" } else { "hpf" };
        let at = Responding::Eni(server.network_interface_id.clone(), server.private_ip_address);
        connections_through_nat(&rt, tag, &account, &client, dst, at, partial);
    }
    for (inbound, partial) in [((32768, 65535), true), ((1024, 65535), false)] {
        let gen::NatVpc { account: mut a, vpc, public, private, group, .. } = gen::nat_vpc();
        // In: the clients' packets to 80 and the replies to the gateway's ports; out: everything.
        let entries = [(10, true, "-1", None), (10, false, "6", Some(inbound)), (20, false, "6", Some((80, 80)))];
        gen::own_acl(&mut a, &vpc, &public, &entries);
        let client = gen::open_eni(&mut a, &private, &group, false);
        let host: Ipv4Addr = gen::INTERNET_HOSTS[0].parse().expect("an address");
        let tag = if partial { "nsp" } else { "nsf" };
        connections_through_nat(&rt, tag, &a, &client, host, Responding::Internet(host), partial);
    }
}

/// Where the connections of [`connections_through_nat`] are answered.
enum Responding {
    /// An ENI (its ID and private address).
    Eni(String, Ipv4Addr),
    /// An internet host.
    Internet(Ipv4Addr),
}

/// 24 TCP connections from `client` to `dst`:80: reach's verdict for each,
/// then the real outcomes, some delivered and some not when `partial`, all when not.
fn connections_through_nat(
    rt: &tokio::runtime::Runtime,
    tag: &str,
    account: &account::Account,
    client: &account::NetworkInterface,
    dst: Ipv4Addr,
    at: Responding,
    partial: bool,
) {
    // Each draw ~51% likely a port the ACL lets through: 24 alike has odds of about 1 in 10⁷.
    const CONNECTIONS: u16 = 24;
    let packets: Vec<Packet> = (0..CONNECTIONS)
        .map(|i| Packet { src: client.private_ip_address, dst, protocol: TCP, src_port: 1500 + i, dst_port: 80 })
        .collect();
    let topo = Topology::new(account);
    for p in &packets {
        let d = reach::packet::check(&topo, p);
        assert_eq!((d.allowed, d.depends_on_nat_port), (!partial, partial), "{tag} {}: {:?}", show(p), d.reasons);
    }
    let mut s = support::Scoped::new(tag);
    let w = Wiring::from_account(account, s.kernel.scope());
    s.kernel.apply(&w).expect("applies");
    let (ns, addr) = match &at {
        Responding::Eni(id, addr) => (w.enis[id].ns.clone(), *addr),
        Responding::Internet(host) => {
            let lo = format!("{host}/32");
            dataplane::linux::ip_in(&w.internet.ns, &["addr", "add", &lo, "dev", "lo"]).expect("the host's address");
            (w.internet.ns.clone(), *host)
        }
    };
    let outcomes: Vec<bool> = rt.block_on(async {
        let rns = NetNs::open(&ns).expect("the responder's namespace");
        let _responder = Responder::start(&rns, addr, &[80], &[]).expect("a responder");
        let cns = NetNs::open(&w.enis[&client.network_interface_id].ns).expect("the client's namespace");
        let sent: Vec<_> = packets.iter().map(|p| tokio::spawn(send(cns.clone(), *p, RETRY_TIMEOUT))).collect();
        let mut out = Vec::new();
        for h in sent {
            out.push(matches!(h.await, Ok(Ok(ProbeResult::Delivered))));
        }
        out
    });
    drop(s);
    let delivered = outcomes.iter().filter(|d| **d).count();
    eprintln!("{tag}: {delivered} of {} connections through the NAT gateway delivered", outcomes.len());
    if partial {
        assert!(
            delivered > 0 && delivered < outcomes.len(),
            "{tag}: some connections get a port the ACL lets through, others not: {delivered} of {} delivered",
            outcomes.len()
        );
    } else {
        assert_eq!(delivered, outcomes.len(), "{tag}: every port of the gateway's gets through");
    }
}
