//! The data plane against the reach engine, packet by packet (root only).
//!
//! For each of `TASKNET_DIFF_CASES` (default 50) random topologies from
//! testkit's generator (`testkit::gen`: built through the account's EC2 actions, drawn
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
        gen::kind_number(),
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
    /// (kind, delivered) → count.
    by_kind: BTreeMap<(Kind, bool), usize>,
    /// What blocks the packets reach does not allow: hop kind → packets it blocks
    /// (a packet counts under each kind that blocks it; "no path": refused before any hop).
    blocked_by: BTreeMap<&'static str, usize>,
}

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
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
            if steps.is_empty() {
                *totals.blocked_by.entry("no path").or_default() += 1;
            }
            for step in steps {
                *totals.blocked_by.entry(step).or_default() += 1;
            }
        }
        if outcome.is_err() || delivered != d.allowed {
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
        let spec = gen::spec().new_tree(&mut runner).expect("a spec").current();
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
         {} retried alone ({} then delivered); {} disagreement(s) in {} topologies; {:.1}s\n  delivered/not by kind:{kinds}\n  \
         what reach says blocks the rest (hop kind: packets): {:?}",
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

/// A disagreement the random topologies have not drawn, awaiting a decision
/// (hence ignored): out through a NAT gateway and back in to a public IP of
/// the VPC, whose subnet's ACL lets replies out only to 32768–65535. reach
/// allows every source port (some gateway port in 1024–65535 passes that
/// ACL: "the port is the NAT's choice; reach answers for the whole range");
/// the data plane's masquerade keeps a client port ≥ 1024, so from port 1500
/// the replies are dropped by that ACL (a port below 1024 is mapped into
/// 1024–65535 as the kernel likes: from 900 it is dropped on some runs and
/// delivered on others). `gen` keeps the NAT gateway's own subnet's ACL
/// clear of partial ephemeral ranges for this reason, but not the
/// destination's. Run with `--ignored` to see it.
#[test]
#[ignore = "reach answers for any NAT gateway port, the data plane keeps the client's: awaiting a decision"]
fn a_hairpin_through_a_nat_gateway_to_a_subnet_with_a_partial_ephemeral_acl() {
    use account::{Ipv4Cidr, NetworkAclEntry, Origin, PortRange, RuleAction};
    support::require_root();
    let entry = |rule_number: u16, egress: bool, protocol: &str, ports: Option<(u16, u16)>| NetworkAclEntry {
        rule_number,
        protocol: protocol.into(),
        rule_action: RuleAction::Allow,
        egress,
        cidr_block: Some(Ipv4Cidr::any()),
        ipv6_cidr_block: None,
        port_range: ports.map(|(from, to)| PortRange { from, to }),
        icmp_type_code: None,
        origin: Origin::none(),
    };
    // 10.9.0.0/24 public (NAT gateway), 10.9.1.0/24 private (0.0.0.0/0 → NAT), 10.9.2.0/24 public with the ACL.
    let gen::NatVpc { account: mut a, vpc, private, public_table, group: sg, .. } = gen::nat_vpc();
    let other = a.create_subnet(&vpc, "10.9.2.0/24", None).expect("subnet").subnet_id;
    a.associate_route_table(&public_table, &other).expect("associate");
    let acl = a.create_network_acl(&vpc).expect("acl").network_acl_id;
    let assoc = a.network_acl_association_id(&other).expect("association");
    a.replace_network_acl_association(&assoc, &acl).expect("replace");
    for e in [
        entry(10, false, "-1", None),
        entry(10, true, "6", Some((32768, 65535))),
        entry(20, true, "17", Some((32768, 65535))),
    ] {
        a.create_network_acl_entry(&acl, e).expect("entry");
    }
    let client = gen::open_eni(&mut a, &private, &sg, false);
    let server = gen::open_eni(&mut a, &other, &sg, true);
    let dst = server.association.as_ref().expect("a public IP").public_ip;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    let probes = |w: &Wiring, _: &str| {
        let ns = w.enis[&client.network_interface_id].ns.clone();
        [(TCP, 1500), (TCP, 900), (TCP, 40000), (UDP, 1501), (UDP, 901), (UDP, 40001)]
            .into_iter()
            .map(|(protocol, src_port)| Probe {
                kind: Kind::Hairpin,
                packet: Packet { src: client.private_ip_address, dst, protocol, src_port, dst_port: 80 },
                ns: ns.clone(),
            })
            .collect()
    };
    let report = run_account(&rt, "dnat", &a, probes, &mut Totals::default());
    assert!(report.is_none(), "{}\n{}", report.unwrap_or_default(), gen::describe(&a));
}
