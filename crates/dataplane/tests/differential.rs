//! The data plane against the reach engine, packet by packet (root only).
//!
//! For each of `TASKNET_DIFF_CASES` (default 50) random topologies from
//! reach's generator (`gen`: built through the account's EC2 actions, drawn
//! deterministically, no shrinking), the account is realized in namespaces of
//! a fresh scope, the internet hosts `gen` names are put on the internet
//! namespace's loopback, and responders listen (TCP and UDP echo on
//! [`PORTS`]) in every ENI namespace but the NAT gateways' and at every
//! internet host. Then real packets, chosen as `reach/tests/brute.rs` chooses
//! them (ENI → ENI of the VPC, ENI → ENI of any VPC, ENI → internet host,
//! internet host → public IP, ENI → another ENI's public IP, internet host →
//! private IP), each from a distinct explicit source port (≤1023,
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

#[path = "../../reach/tests/gen/mod.rs"]
mod gen;
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
use workload::{probe_tcp, probe_udp, NetNs, ProbeResult, Responder};

const TCP: u8 = 6;
const UDP: u8 = 17;

/// The ports responders listen on (TCP and UDP): the ports `gen`'s rules name.
const PORTS: &[u16] = &[22, 53, 80, 443, 1050, 8000];
/// Packets per topology.
const PACKETS: usize = 60;
/// How long a probe waits for its answer.
const TIMEOUT: Duration = Duration::from_millis(400);
/// How long the second try of a timed-out probe waits.
const RETRY_TIMEOUT: Duration = Duration::from_millis(1500);

/// Source port bands: the well-known ports, the lower and upper halves of the ephemeral range.
const BANDS: &[(u16, u16)] = &[(1, 1023), (1024, 32767), (32768, 65535)];
/// Source ports at the edges of the ranges ACL entries name, per band.
const EDGES: &[&[u16]] = &[&[1023, 1000, 999, 1022, 25, 20, 19, 1], &[1024, 1100, 1101, 1049, 32767, 8001], &[32768, 65535, 65534, 40000, 60999, 61000]];

/// What kind of packet, as `brute.rs` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Private,
    CrossVpc,
    ToInternet,
    FromInternet,
    ToPrivateFromInternet,
    Hairpin,
}

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
    let kind = prop_oneof![3 => Just(0u8), 3 => Just(1u8), 2 => Just(2u8), 2 => Just(3u8), 1 => Just(4u8), 1 => Just(5u8)];
    (kind, 0usize..64, 0usize..64, any::<bool>(), 0..BANDS.len(), proptest::option::of(0usize..8), any::<u16>(), 0..PORTS.len())
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
    let a = &built.account;
    let enis = &built.enis;
    let eni = |i: usize| &a.network_interfaces[&enis[i % enis.len()]];
    let src_eni = eni(s.a);
    let public: Vec<&account::NetworkInterface> = enis.iter().map(|id| &a.network_interfaces[id]).filter(|n| n.association.is_some()).collect();
    let host = |i: usize| gen::INTERNET_HOSTS[i % gen::INTERNET_HOSTS.len()].parse::<Ipv4Addr>().expect("host");
    let (kind, src, dst) = match s.kind {
        0 => {
            let peers: Vec<&account::NetworkInterface> =
                enis.iter().map(|id| &a.network_interfaces[id]).filter(|n| n.vpc_id == src_eni.vpc_id && n.network_interface_id != src_eni.network_interface_id).collect();
            let dst = peers.get(s.b % peers.len().max(1))?;
            (Kind::Private, src_eni.private_ip_address, dst.private_ip_address)
        }
        1 => (Kind::ToInternet, src_eni.private_ip_address, host(s.b)),
        2 => {
            let dst = public.get(s.b % public.len().max(1))?;
            (Kind::FromInternet, host(s.a), dst.association.as_ref()?.public_ip)
        }
        3 => {
            let others: Vec<&&account::NetworkInterface> = public.iter().filter(|n| n.network_interface_id != src_eni.network_interface_id).collect();
            let dst = others.get(s.b % others.len().max(1))?;
            (Kind::Hairpin, src_eni.private_ip_address, dst.association.as_ref()?.public_ip)
        }
        5 => (Kind::ToPrivateFromInternet, host(s.a), eni(s.b).private_ip_address),
        _ => {
            let dst = eni(s.b);
            if dst.network_interface_id == src_eni.network_interface_id {
                return None;
            }
            let kind = if dst.vpc_id == src_eni.vpc_id { Kind::Private } else { Kind::CrossVpc };
            (kind, src_eni.private_ip_address, dst.private_ip_address)
        }
    };
    let ns = match kind {
        Kind::FromInternet | Kind::ToPrivateFromInternet => internet_ns.to_string(),
        _ => w.enis.get(&src_eni.network_interface_id)?.ns.clone(),
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
    /// (kind, delivered) → count.
    by_kind: BTreeMap<(Kind, bool), usize>,
    /// What blocks the packets reach does not allow: the hop kinds of their blockers.
    blocked_by: BTreeMap<String, usize>,
}

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// Runs one topology; returns its disagreements' report, if any.
fn one_topology(rt: &tokio::runtime::Runtime, n: usize, built: &gen::Built, seeds: &[Seed], totals: &mut Totals) -> Option<String> {
    let account = &built.account;
    let mut s = support::Scoped::new(&format!("d{n}"));
    let w = Wiring::from_account(account, s.kernel.scope());
    if let Err(e) = s.kernel.apply(&w) {
        return Some(format!("topology {n}: the data plane does not apply: {e}\n{}", gen::describe(account)));
    }
    let internet_ns = w.internet.ns.clone();
    // The internet hosts gen's packets use.
    let lines: Vec<String> = gen::INTERNET_HOSTS.iter().map(|h| format!("addr add {h}/32 dev lo")).collect();
    for l in &lines {
        let args: Vec<&str> = l.split(' ').collect();
        if let Err(e) = dataplane::linux::ip_in(&internet_ns, &args) {
            return Some(format!("topology {n}: cannot add an internet host: {e}"));
        }
    }
    // The packets.
    let mut used = BTreeSet::new();
    let probes: Vec<Probe> = seeds.iter().filter_map(|x| probe_of(&w, built, &internet_ns, x, &mut used)).collect();
    let topo = Topology::new(account);
    let verdicts: Vec<reach::packet::Decision> = probes.iter().map(|p| reach::packet::check(&topo, &p.packet)).collect();

    let outcomes: Vec<std::io::Result<ProbeResult>> = rt.block_on(async {
        // Responders: every ENI but the NAT gateways', every internet host.
        let mut responders = Vec::new();
        for e in w.enis.values().filter(|e| !matches!(e.kind, EniKind::NatGateway { .. })) {
            let ns = NetNs::open(&e.ns).expect("an ENI namespace");
            responders.push(Responder::start(&ns, e.address, PORTS, PORTS).unwrap_or_else(|err| panic!("responder in {}: {err}", e.ns)));
        }
        let inet = NetNs::open(&internet_ns).expect("the internet namespace");
        for h in gen::INTERNET_HOSTS {
            let ip: Ipv4Addr = h.parse().expect("host");
            responders.push(Responder::start(&inet, ip, PORTS, PORTS).unwrap_or_else(|err| panic!("responder at {ip}: {err}")));
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
        if !d.allowed {
            let steps: BTreeSet<&str> = d.paths.iter().flat_map(|x| x.blockers.iter().map(|b| b.step)).collect();
            let key = if steps.is_empty() { "refused".to_string() } else { steps.into_iter().collect::<Vec<_>>().join("+") };
            *totals.blocked_by.entry(key).or_default() += 1;
        }
        if outcome.is_err() || delivered != d.allowed {
            count += 1;
            let real = match outcome {
                Ok(r) => format!("{r:?}"),
                Err(e) => format!("probe error: {e}"),
            };
            let _ = writeln!(report, "  {:?} {} (from {}): real {real}, reach allowed={}", p.kind, show(&p.packet), p.ns, d.allowed);
            for r in &d.reasons {
                let _ = writeln!(report, "      reach: {r}");
            }
        }
    }
    totals.disagreements += count;
    totals.topologies += 1;
    drop(s);
    (count > 0).then(|| format!("topology {n}: {count} disagreement(s) of {} packets\n{report}topology {n}:\n{}", probes.len(), gen::describe(account)))
}

#[test]
fn real_packets_agree_with_reach() {
    if !support::can_run() {
        return;
    }
    let cases = env_usize("TASKNET_DIFF_CASES").unwrap_or(50);
    let only = env_usize("TASKNET_DIFF_ONLY");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    // A fixed seed: the same topologies and packets on every run (another with TASKNET_DIFF_SEED).
    let mut runner = match std::env::var("TASKNET_DIFF_SEED").ok().and_then(|v| v.trim().parse::<u64>().ok()) {
        None => TestRunner::deterministic(),
        Some(seed) => {
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            TestRunner::new_with_rng(proptest::test_runner::Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
        }
    };
    let started = Instant::now();
    let mut totals = Totals::default();
    let mut failures = Vec::new();
    for n in 0..cases {
        let spec = gen::spec().new_tree(&mut runner).expect("a spec").current();
        let seeds = vec(seed(), PACKETS).new_tree(&mut runner).expect("seeds").current();
        if only.is_some_and(|k| k != n) {
            continue;
        }
        let built = gen::build(&spec);
        if let Some(f) = one_topology(&rt, n, &built, &seeds, &mut totals) {
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
         {} retried alone ({} then delivered); {} disagreement(s) in {} topologies; {:.1}s\n  delivered/not by kind:{kinds}\n  \
         what reach says blocks the rest: {:?}",
        totals.topologies,
        totals.packets,
        totals.delivered,
        totals.packets - totals.delivered,
        totals.timed_out,
        totals.refused,
        totals.errors,
        totals.retried,
        totals.rescued,
        totals.disagreements,
        failures.len(),
        elapsed.as_secs_f64(),
        totals.blocked_by,
    );
    assert!(failures.is_empty(), "the data plane and reach disagree:\n\n{}", failures.join("\n"));
}
