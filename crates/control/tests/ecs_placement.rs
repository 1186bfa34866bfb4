//! Placement on EC2 container instances: the ENI limit of awsvpc tasks, the
//! RESOURCE:ENI event verbatim, and a new instance letting the task place.

use account::{Account, AwsvpcConfiguration, NetworkConfiguration};
use control::clock::{advance_by, run_until};
use control::ecs::{self, testkit, CreateServiceRequest};

fn awsvpc(subnets: &[String]) -> Option<NetworkConfiguration> {
    Some(NetworkConfiguration {
        awsvpc_configuration: Some(AwsvpcConfiguration {
            subnets: subnets.to_vec(),
            security_groups: vec![],
            assign_public_ip: "DISABLED".into(),
        }),
    })
}

fn setup() -> (Account, Vec<String>) {
    let mut a = Account::default();
    testkit::cluster(&mut a, "prod");
    let subnets = testkit::default_subnets(&a);
    testkit::task_definition(&mut a, "web", "awsvpc", None, vec![testkit::container("app", 128, 80, None)]);
    (a, subnets)
}

fn service(a: &mut Account, subnets: &[String], desired: u32) -> String {
    let req = CreateServiceRequest {
        cluster: Some("prod".into()),
        service_name: "web".into(),
        task_definition: "web".into(),
        desired_count: Some(desired),
        network_configuration: awsvpc(&subnets[..1]),
        ..Default::default()
    };
    ecs::create_service(a, &req).expect("create").service_arn
}

#[test]
fn a_t2_micro_fits_exactly_one_awsvpc_task_and_a_second_instance_takes_the_next() {
    let (mut a, subnets) = setup();
    let ci = testkit::container_instance(&mut a, "prod", "t2.micro", &subnets[0]).expect("instance");
    let arn = service(&mut a, &subnets, 2);
    let deadline = a.clock_ms + 600_000;
    assert!(!run_until(&mut a, deadline, |a| ecs::service_is_steady(a, &arn)));
    let svc = &a.services[&arn];
    assert_eq!(svc.running_count, 1);
    let ci_id = ci.rsplit('/').next().unwrap();
    let expected = format!(
        "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance {ci_id}) encountered error \"RESOURCE:ENI\". For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
    );
    let placements: Vec<&str> =
        svc.events.iter().map(|e| e.message.as_str()).filter(|m| m.contains("unable to place")).collect();
    assert_eq!(placements, vec![expected.as_str()], "identical events are not repeated: {:#?}", svc.events);
    testkit::container_instance(&mut a, "prod", "t2.micro", &subnets[0]).expect("second instance");
    let deadline = a.clock_ms + 600_000;
    assert!(
        run_until(&mut a, deadline, |a| ecs::service_is_steady(a, &arn)),
        "{}",
        ecs::service_stability_report(&a, &arn)
    );
    let svc = &a.services[&arn];
    assert_eq!((svc.running_count, svc.pending_count), (2, 0));
    let messages: Vec<&str> = svc.events.iter().map(|e| e.message.as_str()).collect();
    assert!(messages[0] == "(service web) has reached a steady state.", "{messages:#?}");
    assert!(
        messages[1].starts_with("(service web) (deployment ecs-svc/")
            && messages[1].ends_with(") deployment completed.")
    );
}

#[test]
fn no_instances_and_unknown_types_are_reported() {
    let (mut a, subnets) = setup();
    let arn = service(&mut a, &subnets, 1);
    advance_by(&mut a, 1000);
    let first = a.services[&arn].events[0].message.clone();
    assert_eq!(
        first,
        "(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."
    );
    testkit::container_instance_sized(&mut a, "prod", "x9.huge", &subnets[0], 4096, 8192).expect("instance");
    advance_by(&mut a, 1000);
    let msg = &a.services[&arn].events[0].message;
    assert!(msg.contains("has instance type 'x9.huge', whose network interface limit tasknet does not know"), "{msg}");
}

#[test]
fn cpu_memory_and_zone_shortfalls_name_the_closest_instance() {
    let (mut a, subnets) = setup();
    testkit::task_definition(
        &mut a,
        "big",
        "awsvpc",
        Some(("4 vCPU", "512")),
        vec![testkit::container("app", 128, 80, None)],
    );
    let ci = testkit::container_instance(&mut a, "prod", "m5.large", &subnets[0]).expect("instance");
    let req = CreateServiceRequest {
        cluster: Some("prod".into()),
        service_name: "big".into(),
        task_definition: "big".into(),
        desired_count: Some(1),
        network_configuration: awsvpc(&subnets[..1]),
        ..Default::default()
    };
    let arn = ecs::create_service(&mut a, &req).expect("create").service_arn;
    advance_by(&mut a, 1000);
    let id = ci.rsplit('/').next().unwrap();
    assert!(a.services[&arn].events[0]
        .message
        .contains(&format!("The closest matching (container-instance {id}) has insufficient CPU units available.")));
    // An instance in a zone the service has no subnet in does not count.
    let (mut b, subnets) = setup();
    testkit::container_instance(&mut b, "prod", "m5.large", &subnets[1]).expect("instance");
    let arn = service(&mut b, &subnets, 1);
    advance_by(&mut b, 1000);
    assert!(b.services[&arn].events[0].message.contains("is missing an attribute required by your task."));
}

#[test]
fn trunking_raises_the_awsvpc_task_count() {
    let (mut a, subnets) = setup();
    ecs::put_account_setting(&mut a, "awsvpcTrunking", "enabled").expect("setting");
    testkit::container_instance(&mut a, "prod", "m5.large", &subnets[0]).expect("instance");
    let arn = service(&mut a, &subnets, 10);
    let deadline = a.clock_ms + 600_000;
    assert!(
        run_until(&mut a, deadline, |a| ecs::service_is_steady(a, &arn)),
        "{}",
        ecs::service_stability_report(&a, &arn)
    );
    ecs::update_service(
        &mut a,
        &ecs::UpdateServiceRequest {
            cluster: Some("prod".into()),
            service: "web".into(),
            desired_count: Some(11),
            ..Default::default()
        },
    )
    .expect("update");
    advance_by(&mut a, 60_000);
    assert!(a.services[&arn].events.iter().any(|e| e.message.contains("encountered error \"RESOURCE:ENI\"")));
    assert_eq!(a.services[&arn].running_count, 10);
}
