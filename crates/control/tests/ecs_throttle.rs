//! The service throttle (AWS doc "Amazon ECS service throttle logic"): a
//! service whose tasks can never start is relaunched less and less often,
//! says so once in an event, and a new task definition lifts it. Its tasks
//! fail here because a container secret names a parameter that does not
//! exist (ResourceInitializationError at PENDING).

use account::{Account, AwsvpcConfiguration, ContainerSecret, NetworkConfiguration};
use control::clock::run_until;
use control::ecs::{self, testkit, CreateServiceRequest, UpdateServiceRequest};

const HOUR: u64 = 3_600_000;

fn failing_service(a: &mut Account) -> String {
    testkit::cluster(a, "prod");
    let subnets = testkit::default_subnets(a);
    let mut c = testkit::container("app", 128, 80, None);
    c.secrets = vec![ContainerSecret { name: "DB".into(), value_from: "/nope/missing".into() }];
    testkit::task_definition(a, "web", "awsvpc", Some(("256", "512")), vec![c]);
    let req = CreateServiceRequest {
        cluster: Some("prod".into()),
        service_name: "web".into(),
        task_definition: "web".into(),
        desired_count: Some(1),
        launch_type: Some("FARGATE".into()),
        network_configuration: Some(NetworkConfiguration {
            awsvpc_configuration: Some(AwsvpcConfiguration {
                subnets: subnets[..1].to_vec(),
                security_groups: vec![],
                assign_public_ip: "ENABLED".into(),
            }),
        }),
        ..Default::default()
    };
    ecs::create_service(a, &req).expect("create").service_arn
}

/// Tasks of the service ever started: stopped ones are forgotten after an
/// hour, so count the task IDs the events name.
fn started(a: &Account, svc: &str) -> usize {
    a.services[svc].events.iter().filter(|e| e.message.contains(") has started 1 tasks")).count()
}

#[test]
fn a_service_that_cannot_start_is_throttled_and_a_new_task_definition_lifts_it() {
    let mut a = Account::default();
    let svc = failing_service(&mut a);
    let deadline = a.clock_ms + 3 * HOUR;
    run_until(&mut a, deadline, |_| false);
    let stopped: Vec<&account::Task> =
        a.tasks.values().filter(|t| t.stop_code.as_deref() == Some("TaskFailedToStart")).collect();
    assert!(stopped
        .iter()
        .all(|t| t.stopped_reason.as_deref().is_some_and(|r| r.starts_with("ResourceInitializationError"))));
    let n = started(&a, &svc);
    // 2 at once, then 30 s, 1, 2, 4, 8, 16 minutes and 27-minute waits: about a dozen in three hours.
    assert!((8..=16).contains(&n), "{n} launches in three hours");
    let throttled: Vec<&str> = a.services[&svc]
        .events
        .iter()
        .map(|e| e.message.as_str())
        .filter(|m| *m == "(service web) is unable to consistently start tasks successfully.")
        .collect();
    assert_eq!(throttled.len(), 1, "said once");

    // A new task definition revision (that can start): normal at once.
    let c = testkit::container("app", 128, 80, None);
    testkit::task_definition(&mut a, "web", "awsvpc", Some(("256", "512")), vec![c]);
    let before = started(&a, &svc);
    ecs::update_service(
        &mut a,
        &UpdateServiceRequest {
            cluster: Some("prod".into()),
            service: "web".into(),
            task_definition: Some("web".into()),
            ..Default::default()
        },
    )
    .expect("update");
    let deadline = a.clock_ms + 60_000;
    run_until(&mut a, deadline, |a| a.services[&svc].running_count == 1);
    assert_eq!(a.services[&svc].running_count, 1);
    assert_eq!(started(&a, &svc), before + 1, "launched at once");
}
