//! Wiring benchmarks on the real kernel (root), for the old path (`ip` and
//! `nft` processes, tables swapped whole) and the new (in process, tables by
//! difference) in one run: one task's ENI added to a running VPC of 500
//! (namespace, veth, addresses, routes, the router's nftables table), p50 and
//! p95 over many additions; one security group rule changed; 1,000 ENIs
//! brought up at once and torn down; the memory each ENI costs, the
//! kernel's and tasknet's own. Prints its figures; bounded in count.
//! Run with `cargo bench -p dataplane --bench wiring` (scripts/bench.sh).

use account::{Account, CreateNetworkInterface};
use dataplane::{Kernel, Scope, Wiring};
use std::time::{Duration, Instant};
use testkit::gen;

fn mem_available_kib() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemAvailable:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn add_eni(a: &mut Account, subnet: &str, group: &str) {
    let mut req = CreateNetworkInterface::new(subnet);
    req.groups = vec![group.to_string()];
    let _ = a.create_network_interface(req);
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

/// One path's figures.
struct Figures {
    /// (total p50, p95), (of which applying p50, p95), the VPC's size after.
    one: ((Duration, Duration), (Duration, Duration), usize),
    /// (total p50, p95), (of which applying p50, p95).
    rule: ((Duration, Duration), (Duration, Duration)),
    up: (Duration, usize, bool),
    /// Until the names are gone; until the kernel's freeing has settled.
    down: (Duration, Duration),
    kernel_kib: f64,
    own_kib: f64,
    counters: Option<(Duration, Duration, usize)>,
}

fn p50_p95(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Waits (bounded, 10 s) for the kernel to finish freeing namespaces torn
/// down before (MemAvailable steady for 250 ms), so memory reads are of one run.
fn settle() {
    let mut last = mem_available_kib();
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(250));
        let now = mem_available_kib();
        if now.abs_diff(last) < 512 {
            return;
        }
        last = now;
    }
}

/// Computes and applies `a`'s wiring, recording the whole and the applying's part.
fn timed_apply(k: &mut Kernel, a: &Account, scope: &Scope, times: &mut Vec<Duration>, applying: &mut Vec<Duration>) {
    let t = Instant::now();
    let w = Wiring::from_account(a, scope);
    let computed = t.elapsed();
    if let Err(e) = k.apply(&w) {
        eprintln!("{e}");
    }
    times.push(t.elapsed());
    applying.push(t.elapsed() - computed);
}

fn run(tag: &str, kernel: &dyn Fn(Scope) -> Kernel) -> Figures {
    // A VPC of 500 ENIs in 50 groups, then one task ENI at a time.
    let mut a = gen::services_vpc(500);
    let subnet = a
        .subnets
        .values()
        .find(|s| s.cidr_block.to_string() == "10.0.7.0/24")
        .map(|s| s.subnet_id.clone())
        .unwrap_or_default();
    let group =
        a.security_groups.values().find(|g| g.group_name == "svc-1").map(|g| g.group_id.clone()).unwrap_or_default();
    let scope = Scope::test(&format!("b{tag}1"));
    let _ = dataplane::linux::sweep(&scope);
    let mut k = kernel(scope.clone());
    let _ = k.apply(&Wiring::from_account(&a, &scope));
    let (mut times, mut applying) = (Vec::new(), Vec::new());
    for _ in 0..60 {
        add_eni(&mut a, &subnet, &group);
        timed_apply(&mut k, &a, &scope, &mut times, &mut applying);
    }
    let size = a.network_interfaces.len();
    let one = (p50_p95(times), p50_p95(applying));
    // One security group rule added, then revoked, again and again.
    let (mut times, mut applying) = (Vec::new(), Vec::new());
    for i in 0..40 {
        let rule = account::SecurityGroupRule {
            ip_protocol: "tcp".into(),
            from_port: Some(7000 + i / 2),
            to_port: Some(7000 + i / 2),
            peer: account::Peer::Cidr(
                account::Ipv4Cidr::parse("10.0.0.0/16").unwrap_or_else(|_| account::Ipv4Cidr::any()),
            ),
            description: None,
            origin: account::Origin::none(),
        };
        let r = if i % 2 == 0 {
            a.authorize_security_group_ingress(&group, &[rule])
        } else {
            a.revoke_security_group_ingress(&group, &[rule])
        };
        if let Err(e) = r {
            eprintln!("{e}");
        }
        timed_apply(&mut k, &a, &scope, &mut times, &mut applying);
    }
    let rule = (p50_p95(times), p50_p95(applying));
    let _ = k.teardown();
    drop(a);

    // 1,000 task ENIs at once.
    let mut a = gen::services_vpc(10);
    let g = group_of(&a);
    for i in 0..1000 {
        let s = a
            .subnets
            .values()
            .filter(|s| s.cidr_block.prefix() == 24)
            .nth(5 + i % 40)
            .map(|s| s.subnet_id.clone())
            .unwrap_or_default();
        add_eni(&mut a, &s, &g);
    }
    let scope = Scope::test(&format!("b{tag}2"));
    let _ = dataplane::linux::sweep(&scope);
    let mut k = kernel(scope.clone());
    settle();
    let (before, rss) = (mem_available_kib(), rss_kib());
    let t = Instant::now();
    let w = Wiring::from_account(&a, &scope);
    let result = k.apply(&w);
    let took = t.elapsed();
    std::thread::sleep(Duration::from_millis(500));
    let n = w.enis.len();
    let kernel_kib = before.saturating_sub(mem_available_kib()) as f64 / n.max(1) as f64;
    let own_kib = rss_kib().saturating_sub(rss) as f64 / n.max(1) as f64;
    if let Err(e) = &result {
        eprintln!("{}", e.to_string().lines().take(5).collect::<Vec<_>>().join("\n"));
    }
    // What the console pays each second under `up`: reading every rule's counter (one path only).
    let counters = (tag == "new").then(|| {
        let mut reads = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            let counts = dataplane::linux::rule_counts(&scope).map(|c| c.len()).unwrap_or(0);
            reads.push((t.elapsed(), counts));
        }
        let rules = reads.first().map_or(0, |r| r.1);
        let (p50, p95) = p50_p95(reads.into_iter().map(|r| r.0).collect());
        (p50, p95, rules)
    });
    let t = Instant::now();
    let _ = k.teardown();
    let down = t.elapsed();
    // The kernel frees namespaces in the background (as after `ip netns del`): how long until
    // MemAvailable stops rising (not all comes back at once: slab caches keep some).
    settle();
    let freed = t.elapsed();
    Figures {
        one: (one.0, one.1, size),
        rule,
        up: (took, n, result.is_ok()),
        down: (down, freed),
        kernel_kib,
        own_kib,
        counters,
    }
}

fn main() {
    if dataplane::preflight::check().is_err() {
        eprintln!("wiring bench skipped: needs root, ip and nft");
        return;
    }
    let old = run("old", &|s| Kernel::with_driver(s, Box::new(dataplane::linux::driver::Commands)));
    settle();
    let new = run("new", &Kernel::new);
    println!("path: old = ip/nft processes, tables swapped whole; new = netlink, setns and libnftables in process, tables by difference");
    for (label, f) in [("old", &old), ("new", &new)] {
        println!(
            "{label}: wire one task ENI into a VPC of {}-{} ENIs: p50 {:.1} ms, p95 {:.1} ms; of which applying p50 {:.1} ms, p95 {:.1} ms (n = 60)",
            f.one.2 - 60,
            f.one.2,
            ms(f.one.0 .0),
            ms(f.one.0 .1),
            ms(f.one.1 .0),
            ms(f.one.1 .1)
        );
        println!(
            "{label}: add or revoke one security group rule in that VPC: p50 {:.1} ms, p95 {:.1} ms; of which applying p50 {:.1} ms, p95 {:.1} ms (n = 40)",
            ms(f.rule.0 .0),
            ms(f.rule.0 .1),
            ms(f.rule.1 .0),
            ms(f.rule.1 .1)
        );
        println!(
            "{label}: bring up {} ENIs at once: {:.2} s ({}); tear them down: {:.2} s (the kernel's freeing settled after {:.2} s)",
            f.up.1,
            f.up.0.as_secs_f64(),
            if f.up.2 { "ok" } else { "with errors" },
            f.down.0.as_secs_f64(),
            f.down.1.as_secs_f64()
        );
        println!(
            "{label}: memory per ENI: kernel {:.0} KiB (MemAvailable drop), tasknet {:.1} KiB (resident set growth)",
            f.kernel_kib, f.own_kib
        );
        if let Some((p50, p95, rules)) = f.counters {
            println!(
                "{label}: read the rule counters of that VPC ({rules} counted rules): p50 {:.1} ms, p95 {:.1} ms (n = 20)",
                ms(p50),
                ms(p95)
            );
        }
    }
}

fn group_of(a: &Account) -> String {
    a.security_groups
        .values()
        .find(|g| g.group_name.starts_with("svc-"))
        .map(|g| g.group_id.clone())
        .unwrap_or_default()
}
