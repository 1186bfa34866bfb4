//! 1,000 awsvpc tasks placed over 500 m5.large container instances (ENI
//! trunking on: 10 tasks each) and taken to RUNNING through the clock, as a
//! service of desired count 1,000. Target: under 2 s.

use account::{Account, AwsvpcConfiguration, NetworkConfiguration};
use control::clock::run_until;
use control::ecs::{self, testkit, CreateServiceRequest};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::time::Duration;

const INSTANCES: usize = 500;
const TASKS: u32 = 1_000;

/// The default account with a cluster of 500 trunked m5.large instances spread over the default subnets.
fn cluster() -> (Account, Vec<String>) {
    let mut a = Account::default();
    testkit::cluster(&mut a, "bench");
    if ecs::put_account_setting(&mut a, "awsvpcTrunking", "enabled").is_err() {
        return (a, Vec::new());
    }
    let subnets = testkit::default_subnets(&a);
    for i in 0..INSTANCES {
        if testkit::container_instance(&mut a, "bench", "m5.large", &subnets[i % subnets.len()]).is_err() {
            break;
        }
    }
    testkit::task_definition(&mut a, "web", "awsvpc", None, vec![testkit::container("app", 128, 80, None)]);
    (a, subnets)
}

/// Creates the service and runs the clock until every task is RUNNING.
fn place_all(a: &mut Account, subnets: &[String]) -> bool {
    let req = CreateServiceRequest {
        cluster: Some("bench".into()),
        service_name: "web".into(),
        task_definition: "web".into(),
        desired_count: Some(TASKS),
        network_configuration: Some(NetworkConfiguration {
            awsvpc_configuration: Some(AwsvpcConfiguration {
                subnets: subnets.to_vec(),
                security_groups: vec![],
                assign_public_ip: "DISABLED".into(),
            }),
        }),
        ..Default::default()
    };
    let Ok(svc) = ecs::create_service(a, &req) else {
        return false;
    };
    let deadline = a.clock_ms + 3_600_000;
    run_until(a, deadline, |a| a.services.get(&svc.service_arn).is_some_and(|s| s.running_count == TASKS))
}

fn bench(c: &mut Criterion) {
    let (base, subnets) = cluster();
    let mut check = base.clone();
    assert!(place_all(&mut check, &subnets), "all {TASKS} tasks should reach RUNNING");
    let mut group = c.benchmark_group("placement");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("1000 awsvpc tasks on 500 instances to RUNNING", |b| {
        b.iter_batched(|| base.clone(), |mut a| place_all(&mut a, &subnets), BatchSize::LargeInput)
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
