//! One question on the deployed example, and the example's whole audit.

#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use reach::endpoint::resolve;
use reach::query::{ask, parse_flow};
use reach::topology::Topology;

fn bench(c: &mut Criterion) {
    let a = support::example();
    let flow = parse_flow("tcp", "8000").expect("flow");
    c.bench_function("query/example (topology, names, trace)", |b| {
        b.iter(|| {
            let topo = Topology::new(&a);
            let from = resolve(&topo, "ApplicationLoadBalancer", None).expect("resolves");
            let to = resolve(&topo, "ApplicationService", None).expect("resolves");
            ask(&topo, &from, &to, &flow)
        })
    });
    let topo = Topology::new(&a);
    let from = resolve(&topo, "ApplicationLoadBalancer", None).expect("resolves");
    let to = resolve(&topo, "ApplicationService", None).expect("resolves");
    c.bench_function("query/example (trace only)", |b| b.iter(|| ask(&topo, &from, &to, &flow)));
    c.bench_function("audit/example (all destinations)", |b| b.iter(|| reach::audit::audit(&topo, None, None)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
