//! Wiring benchmarks on the real kernel (root): one task's ENI added to a
//! running VPC (namespace, veth, addresses, routes, the router's nftables
//! table), p50 and p95 over many additions; 500 ENIs brought up at once; and
//! the kernel memory that costs per ENI. Prints its figures; bounded in count.
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

fn main() {
    if dataplane::preflight::check().is_err() {
        eprintln!("wiring bench skipped: needs root, ip and nft");
        return;
    }
    // A VPC of 100 ENIs in 10 groups, then one task ENI at a time.
    let mut a = gen::services_vpc(100);
    let subnet = a
        .subnets
        .values()
        .find(|s| s.cidr_block.to_string() == "10.0.7.0/24")
        .map(|s| s.subnet_id.clone())
        .unwrap_or_default();
    let group =
        a.security_groups.values().find(|g| g.group_name == "svc-1").map(|g| g.group_id.clone()).unwrap_or_default();
    let scope = Scope::test("bench1");
    let _ = dataplane::linux::sweep(&scope);
    let mut k = Kernel::new(scope.clone());
    let _ = k.apply(&Wiring::from_account(&a, &scope));
    let mut times = Vec::new();
    for _ in 0..60 {
        add_eni(&mut a, &subnet, &group);
        let t = Instant::now();
        let w = Wiring::from_account(&a, &scope);
        if let Err(e) = k.apply(&w) {
            eprintln!("{e}");
        }
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "wire one task ENI into a VPC of ~{} ENIs: p50 {:.1} ms, p95 {:.1} ms (n = {})",
        a.network_interfaces.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times.len()
    );
    let _ = k.teardown();

    // 500 task ENIs at once.
    let mut a = gen::services_vpc(10);
    let g = group_of(&a);
    for i in 0..500 {
        let s = a
            .subnets
            .values()
            .filter(|s| s.cidr_block.prefix() == 24)
            .nth(5 + i % 40)
            .map(|s| s.subnet_id.clone())
            .unwrap_or_default();
        add_eni(&mut a, &s, &g);
    }
    let scope = Scope::test("bench2");
    let _ = dataplane::linux::sweep(&scope);
    let mut k = Kernel::new(scope.clone());
    let before = mem_available_kib();
    let t = Instant::now();
    let w = Wiring::from_account(&a, &scope);
    let result = k.apply(&w);
    let took = t.elapsed();
    std::thread::sleep(Duration::from_millis(500));
    let used = before.saturating_sub(mem_available_kib());
    let n = w.enis.len();
    println!(
        "bring up {n} ENIs at once: {:.2} s ({})",
        took.as_secs_f64(),
        if result.is_ok() { "ok" } else { "with errors" }
    );
    println!(
        "kernel memory: {:.0} KiB per ENI namespace (MemAvailable drop {used} KiB over {n})",
        used as f64 / n.max(1) as f64
    );
    // What the console pays each second under `up`, and each table swap pays
    // to carry the counts over: reading every rule's counter.
    let mut reads = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let counts = dataplane::linux::rule_counts(&scope).map(|c| c.len()).unwrap_or(0);
        reads.push((t.elapsed(), counts));
    }
    let rules = reads.first().map_or(0, |r| r.1);
    let mut times: Vec<Duration> = reads.into_iter().map(|r| r.0).collect();
    times.sort();
    println!(
        "read the rule counters of a VPC of {n} ENIs ({rules} counted rules): p50 {:.1} ms, p95 {:.1} ms (n = {})",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times.len()
    );
    let t = Instant::now();
    let _ = k.teardown();
    println!("tear down {n} ENIs: {:.2} s", t.elapsed().as_secs_f64());
}

fn group_of(a: &Account) -> String {
    a.security_groups
        .values()
        .find(|g| g.group_name.starts_with("svc-"))
        .map(|g| g.group_id.clone())
        .unwrap_or_default()
}
