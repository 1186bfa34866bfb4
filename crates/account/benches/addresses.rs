//! Address allocation and release as a subnet fills: the cost of one
//! CreateNetworkInterface + DeleteNetworkInterface in a /20 (4,091 usable
//! addresses) that is 10 %, 50 %, 90 % and 99 % full.

use account::{Account, CreateNetworkInterface};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;

/// An account with one /20 filled to `percent` of its usable addresses.
fn filled(percent: u64) -> (Account, String) {
    let mut a = Account::empty("123456789012", "us-east-1");
    let vpc = a.create_vpc("10.0.0.0/16").expect("vpc");
    let subnet = a.create_subnet(&vpc.vpc_id, "10.0.0.0/20", None).expect("subnet").subnet_id;
    let usable = a.subnets[&subnet].available_ip_address_count;
    for _ in 0..usable * percent / 100 {
        a.create_network_interface(CreateNetworkInterface::new(&subnet)).expect("address");
    }
    (a, subnet)
}

fn create_and_delete(c: &mut Criterion) {
    let mut group = c.benchmark_group("eni_create_delete_in_a_20");
    for percent in [10, 50, 90, 99] {
        let (mut a, subnet) = filled(percent);
        group.bench_with_input(BenchmarkId::from_parameter(format!("{percent}%")), &percent, |b, _| {
            b.iter(|| {
                let eni = a.create_network_interface(CreateNetworkInterface::new(&subnet)).expect("address");
                a.delete_network_interface(black_box(&eni.network_interface_id)).expect("delete");
            })
        });
    }
    group.finish();
}

fn fill_whole_subnet(c: &mut Criterion) {
    let mut group = c.benchmark_group("fill_a_20");
    group.sample_size(10);
    group.bench_function("4091_interfaces", |b| b.iter(|| black_box(filled(100))));
    group.finish();
}

criterion_group!(benches, create_and_delete, fill_whole_subnet);
criterion_main!(benches);
