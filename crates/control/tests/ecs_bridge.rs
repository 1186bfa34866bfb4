//! Bridge and host network modes: dynamic host ports from the ephemeral
//! range, static ports and their conflicts, instance targets, and
//! CreateService's checks of target types and network configuration.

use account::{Account, AwsvpcConfiguration, NetworkConfiguration, ServiceLoadBalancer};
use control::clock::run_until;
use control::ecs::{self, testkit, CreateServiceRequest, RunTaskRequest};

fn setup() -> (Account, String) {
    let mut a = Account::default();
    testkit::cluster(&mut a, "prod");
    let subnets = testkit::default_subnets(&a);
    let ci = testkit::container_instance(&mut a, "prod", "m5.large", &subnets[0]).expect("instance");
    let instance = a.container_instances[&ci].ec2_instance_id.clone();
    (a, instance)
}

fn lb(tg: &str) -> Vec<ServiceLoadBalancer> {
    vec![ServiceLoadBalancer {
        target_group_arn: Some(tg.into()),
        load_balancer_name: None,
        container_name: "app".into(),
        container_port: 80,
    }]
}

#[test]
fn dynamic_host_ports_and_instance_targets() {
    let (mut a, instance) = setup();
    testkit::task_definition(&mut a, "web", "bridge", None, vec![testkit::container("app", 128, 80, None)]);
    let tg = testkit::target_group(&mut a, "web", "instance", 80);
    let req = CreateServiceRequest {
        cluster: Some("prod".into()),
        service_name: "web".into(),
        task_definition: "web".into(),
        desired_count: Some(2),
        load_balancers: lb(&tg),
        ..Default::default()
    };
    let svc = ecs::create_service(&mut a, &req).expect("create").service_arn;
    let deadline = a.clock_ms + 600_000;
    assert!(
        run_until(&mut a, deadline, |a| ecs::service_is_steady(a, &svc)),
        "{}",
        ecs::service_stability_report(&a, &svc)
    );
    let mut ports: Vec<u16> =
        a.tasks.values().flat_map(|t| t.containers[0].network_bindings.iter().map(|b| b.host_port)).collect();
    ports.sort_unstable();
    assert_eq!(ports, [32768, 32769]);
    let binding = &a.tasks.values().next().unwrap().containers[0].network_bindings[0];
    assert_eq!((binding.bind_ip.as_str(), binding.container_port, binding.protocol.as_str()), ("0.0.0.0", 80, "tcp"));
    let mut targets: Vec<(String, u16, String)> = a.target_groups[&tg]
        .targets
        .iter()
        .map(|t| (t.target.id.clone(), t.target.port, t.target_health.state.to_string()))
        .collect();
    targets.sort();
    assert_eq!(targets, [(instance.clone(), 32768, "healthy".to_string()), (instance, 32769, "healthy".to_string())]);
    assert!(a.tasks.values().all(|t| t.attachments.is_empty() && t.eni_id.is_none()));
}

#[test]
fn a_static_host_port_fits_once_per_instance() {
    let (mut a, _) = setup();
    testkit::task_definition(&mut a, "fixed", "bridge", None, vec![testkit::container("app", 128, 80, Some(8080))]);
    let out = ecs::run_task(
        &mut a,
        &RunTaskRequest {
            cluster: Some("prod".into()),
            task_definition: "fixed".into(),
            count: Some(2),
            ..Default::default()
        },
    )
    .expect("run");
    assert_eq!(out.tasks.len(), 1);
    assert_eq!(out.failures[0].reason, "RESOURCE:PORTS");
    assert_eq!(out.tasks[0].containers[0].network_bindings[0].host_port, 8080);
    let ci = a.container_instances.values().next().unwrap();
    assert!(ci.remaining_resources.ports.contains(&8080) && ci.remaining_resources.ports.contains(&22));
}

#[test]
fn host_mode_binds_the_container_port() {
    let (mut a, _) = setup();
    testkit::task_definition(&mut a, "host", "host", None, vec![testkit::container("app", 128, 9000, None)]);
    let out = ecs::run_task(
        &mut a,
        &RunTaskRequest { cluster: Some("prod".into()), task_definition: "host".into(), ..Default::default() },
    )
    .expect("run");
    assert_eq!(out.tasks[0].containers[0].network_bindings[0].host_port, 9000);
    assert_eq!(out.tasks[0].last_status, "PENDING", "only awsvpc tasks go through PROVISIONING");
}

#[test]
fn target_types_and_network_configuration_must_match_the_mode() {
    let (mut a, _) = setup();
    let bridge =
        testkit::task_definition(&mut a, "web", "bridge", None, vec![testkit::container("app", 128, 80, None)]);
    let awsvpc =
        testkit::task_definition(&mut a, "vpc", "awsvpc", None, vec![testkit::container("app", 128, 80, None)]);
    let ip_tg = testkit::target_group(&mut a, "ip", "ip", 80);
    let inst_tg = testkit::target_group(&mut a, "inst", "instance", 80);
    let subnets = testkit::default_subnets(&a);
    let nc = Some(NetworkConfiguration {
        awsvpc_configuration: Some(AwsvpcConfiguration {
            subnets: subnets[..1].to_vec(),
            security_groups: vec![],
            assign_public_ip: "DISABLED".into(),
        }),
    });
    let base = CreateServiceRequest {
        cluster: Some("prod".into()),
        service_name: "s".into(),
        desired_count: Some(1),
        ..Default::default()
    };
    let err = |a: &mut Account, r: CreateServiceRequest| ecs::create_service(a, &r).expect_err("refused").message;
    assert_eq!(
        err(&mut a, CreateServiceRequest { task_definition: bridge.clone(), load_balancers: lb(&ip_tg), ..base.clone() }),
        format!("The provided target group {ip_tg} has target type ip, which is incompatible with the bridge network mode specified in the task definition.")
    );
    assert_eq!(
        err(&mut a, CreateServiceRequest { task_definition: awsvpc.clone(), load_balancers: lb(&inst_tg), network_configuration: nc.clone(), ..base.clone() }),
        format!("The provided target group {inst_tg} has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.")
    );
    assert_eq!(
        err(
            &mut a,
            CreateServiceRequest { task_definition: bridge.clone(), network_configuration: nc, ..base.clone() }
        ),
        "Network Configuration is not valid for the given networkMode of this task definition."
    );
    assert_eq!(
        err(
            &mut a,
            CreateServiceRequest {
                task_definition: bridge.clone(),
                role: Some("arn:aws:iam::123456789012:role/ecs".into()),
                ..base.clone()
            }
        ),
        "IAM roles are only valid for services configured to use load balancers."
    );
    ecs::create_service(&mut a, &CreateServiceRequest { task_definition: bridge.clone(), ..base.clone() })
        .expect("first");
    assert_eq!(
        err(&mut a, CreateServiceRequest { task_definition: bridge, ..base }),
        "Creation of service was not idempotent."
    );
}
