//! Reachability benchmarks:
//! - `query/example`: one question on the deployed example
//!   (ApplicationLoadBalancer → ApplicationService, tcp 8000), with the
//!   topology read and both names resolved; `query/example-trace` the trace
//!   alone on a prebuilt topology and endpoints; `audit/example` its whole audit.
//! - `start/task`: one task start's question on the deployed example
//!   (`pulls::task_start_blockers`: the topology read, the task's needs, a
//!   trace to each of ecr.api, ecr.dkr, S3 and CloudWatch Logs on 443).
//! - `audit/generated/N`: the whole audit (every destination, every flow) of
//!   a generated VPC with N ENIs: N/10 services of 10 awsvpc tasks each,
//!   N/10 security groups with 10 rules each (N rules: group and CIDR peers,
//!   the usual ports), 50 subnets (5 public, 45 private behind a NAT
//!   gateway), the default network ACL. Building is not timed.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use reach::endpoint::resolve;
use reach::query::{ask, parse_flow};
use reach::topology::Topology;
use std::hint::black_box;
use std::time::Duration;
use testkit::example as support;
use testkit::gen;

fn example(c: &mut Criterion) {
    let a = support::example();
    let flow = parse_flow("tcp", "8000").expect("flow");
    let mut group = c.benchmark_group("query");
    group.bench_function("example", |b| {
        b.iter(|| {
            let topo = Topology::new(black_box(&a));
            let from = resolve(&topo, "ApplicationLoadBalancer", None).expect("resolves");
            let to = resolve(&topo, "ApplicationService", None).expect("resolves");
            ask(&topo, &from, &to, &flow).reachable
        })
    });
    let topo = Topology::new(&a);
    let from = resolve(&topo, "ApplicationLoadBalancer", None).expect("resolves");
    let to = resolve(&topo, "ApplicationService", None).expect("resolves");
    group.bench_function("example-trace", |b| b.iter(|| ask(&topo, black_box(&from), &to, &flow).reachable));
    group.finish();
    let task = a.tasks.values().find(|t| t.is_live()).expect("a task");
    let mut start = c.benchmark_group("start");
    start
        .bench_function("task", |b| b.iter(|| reach::pulls::task_start_blockers(black_box(&a), task).map(|v| v.len())));
    start.finish();
    let mut group = c.benchmark_group("audit");
    group
        .bench_function("example", |b| b.iter(|| reach::audit::audit(black_box(&topo), None, None).destinations.len()));
    group.finish();
}

fn audit_generated(c: &mut Criterion) {
    let mut group = c.benchmark_group("audit/generated");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    for n in [1000, 2500, 5000, 10_000] {
        let a = gen::services_vpc(n);
        let topo = Topology::new(&a);
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| reach::audit::audit(black_box(&topo), None, None).destinations.len())
        });
    }
    group.finish();
}

criterion_group!(benches, example, audit_generated);
criterion_main!(benches);
