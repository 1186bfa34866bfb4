//! `plan`'s capacity prediction: computed from the account alone, without
//! running the clock.

use account::{
    Account, AutoScalingGroup, AwsvpcConfiguration, CreateNetworkInterface, DeploymentConfiguration,
    LaunchConfiguration, NetworkConfiguration,
};
use control::ecs::{self, capacity_findings, testkit, CapacityFinding, CreateServiceRequest, FindingKind};

fn setup() -> (Account, Vec<String>) {
    let mut a = Account::default();
    testkit::cluster(&mut a, "prod");
    let subnets = testkit::default_subnets(&a);
    testkit::task_definition(
        &mut a,
        "web",
        "awsvpc",
        Some(("256", "256")),
        vec![testkit::container("app", 128, 80, None)],
    );
    (a, subnets)
}

fn service(a: &mut Account, subnets: &[String], desired: u32, launch_type: &str, max: u32, min: u32) -> String {
    let req = CreateServiceRequest {
        cluster: Some("prod".into()),
        service_name: "web".into(),
        task_definition: "web".into(),
        desired_count: Some(desired),
        launch_type: Some(launch_type.into()),
        network_configuration: Some(NetworkConfiguration {
            awsvpc_configuration: Some(AwsvpcConfiguration {
                subnets: subnets.to_vec(),
                security_groups: vec![],
                assign_public_ip: "DISABLED".into(),
            }),
        }),
        deployment_configuration: Some(DeploymentConfiguration {
            maximum_percent: max,
            minimum_healthy_percent: min,
            ..Default::default()
        }),
        ..Default::default()
    };
    ecs::create_service(a, &req).expect("create").service_arn
}

fn messages(findings: &[CapacityFinding], kind: FindingKind) -> Vec<&str> {
    findings.iter().filter(|f| f.kind == kind).map(|f| f.message.as_str()).collect()
}

#[test]
fn the_eni_limit_of_present_instances() {
    let (mut a, subnets) = setup();
    testkit::container_instance(&mut a, "prod", "t2.micro", &subnets[0]).expect("instance");
    service(&mut a, &subnets[..1], 2, "EC2", 200, 100);
    let f = capacity_findings(&a);
    assert_eq!(messages(&f, FindingKind::Placement), ["desired 2 awsvpc tasks, room for 1 (1 × t2.micro: 2 ENIs − 1)"]);
    assert!(a.tasks.is_empty(), "nothing ran");
}

#[test]
fn room_for_only_the_desired_tasks_blocks_a_rolling_deployment() {
    let (mut a, subnets) = setup();
    testkit::container_instance(&mut a, "prod", "t2.micro", &subnets[0]).expect("instance");
    testkit::container_instance(&mut a, "prod", "t2.micro", &subnets[0]).expect("instance");
    service(&mut a, &subnets[..1], 2, "EC2", 200, 100);
    let f = capacity_findings(&a);
    assert_eq!(
        messages(&f, FindingKind::Deployment),
        ["a rolling deployment needs room for 4 tasks (2 running + 2 new, maximumPercent 200) but the cluster has room for 2; with minimumHealthyPercent 100 no running task may stop first, so the deployment cannot make progress"]
    );
    assert!(messages(&f, FindingKind::Placement).is_empty());
}

#[test]
fn percentages_that_allow_no_replacement() {
    let (mut a, subnets) = setup();
    service(&mut a, &subnets[..1], 2, "FARGATE", 100, 100);
    let f = capacity_findings(&a);
    assert_eq!(messages(&f, FindingKind::Deployment).len(), 1);
    assert!(messages(&f, FindingKind::Deployment)[0].starts_with("a rolling deployment cannot replace any task: minimumHealthyPercent 100 keeps all 2 tasks running and maximumPercent 100"));
}

#[test]
fn instances_an_auto_scaling_group_will_launch_into_the_cluster_count() {
    let (mut a, subnets) = setup();
    group(&mut a, &subnets[..1], 3);
    service(&mut a, &subnets[..1], 4, "EC2", 200, 50);
    let f = capacity_findings(&a);
    assert_eq!(
        messages(&f, FindingKind::Placement),
        ["desired 4 awsvpc tasks, room for 3 (3 × t2.micro from Auto Scaling group asg: 2 ENIs − 1)"]
    );
}

/// A group of `size` t2.micro instances in `subnets`, joining cluster prod.
fn group(a: &mut Account, subnets: &[String], size: u32) {
    let lc: LaunchConfiguration = serde_json::from_value(serde_json::json!({
        "LaunchConfigurationName": "lc",
        "LaunchConfigurationARN": "arn:aws:autoscaling:us-east-1:123456789012:launchConfiguration:1:launchConfigurationName/lc",
        "InstanceType": "t2.micro",
        "ImageId": "ami-0123",
        "AssociatePublicIpAddress": null,
        "IamInstanceProfile": null,
        "EcsCluster": "prod",
    }))
    .expect("launch configuration");
    a.put_launch_configuration(lc);
    let asg: AutoScalingGroup = serde_json::from_value(serde_json::json!({
        "AutoScalingGroupName": "asg",
        "AutoScalingGroupARN": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/asg",
        "Subnets": subnets,
        "LaunchConfigurationName": "lc",
        "LaunchTemplate": null,
        "MinSize": size,
        "MaxSize": size,
        "DesiredCapacity": null,
    }))
    .expect("group");
    a.put_auto_scaling_group(asg);
}

#[test]
fn only_instances_in_the_zones_of_the_service_subnets_count() {
    // Container instances in two zones, the service's subnet in one: an ENI
    // attaches only to an instance of its own zone.
    let (mut a, subnets) = setup();
    group(&mut a, &subnets[..2], 2);
    service(&mut a, &subnets[..1], 2, "EC2", 200, 50);
    let f = capacity_findings(&a);
    let zone_b = a.subnets[&subnets[1]].availability_zone.clone();
    assert_eq!(
        messages(&f, FindingKind::Placement),
        [format!(
            "desired 2 awsvpc tasks, room for 1 (1 × t2.micro from Auto Scaling group asg: 2 ENIs − 1, 1 × t2.micro from Auto Scaling group asg: in {zone_b}, where the service has no subnet)"
        )]
    );
    // What the control plane then does agrees: one task runs.
    let deadline = a.clock_ms + 600_000;
    control::clock::run_until(&mut a, deadline, |_| false);
    let running = a.tasks.values().filter(|t| t.last_status == account::TaskStatus::Running).count();
    assert_eq!(running, 1);
    let f = capacity_findings(&a);
    assert_eq!(
        messages(&f, FindingKind::Placement),
        [format!(
            "desired 2 awsvpc tasks, room for 1 (1 × t2.micro: 2 ENIs − 1, 1 × t2.micro: in {zone_b}, where the service has no subnet)"
        )],
        "the registered instances say the same"
    );
}

#[test]
fn no_capacity_at_all_is_said_plainly() {
    let (mut a, subnets) = setup();
    service(&mut a, &subnets[..1], 1, "EC2", 200, 100);
    let f = capacity_findings(&a);
    assert_eq!(
        messages(&f, FindingKind::Placement),
        ["desired 1 awsvpc tasks, room for 0 (cluster prod has no container instances and no Auto Scaling group launches instances into it)"]
    );
}

#[test]
fn fargate_needs_addresses_in_its_subnets() {
    let (mut a, _) = setup();
    let vpc = a.default_vpc().unwrap().vpc_id.clone();
    let small = a.create_subnet(&vpc, "172.31.96.0/28", Some("us-east-1a")).expect("subnet").subnet_id;
    service(&mut a, std::slice::from_ref(&small), 12, "FARGATE", 200, 100);
    let f = capacity_findings(&a);
    assert_eq!(
        messages(&f, FindingKind::Addresses),
        [format!("desired 12 awsvpc tasks need 12 more addresses for their ENIs, but the service's subnets have 11 free ({small} 11 free)").as_str()]
    );
    // Enough for the tasks, not for a deployment's extra ones.
    let mut b = Account::default();
    testkit::cluster(&mut b, "prod");
    testkit::task_definition(
        &mut b,
        "web",
        "awsvpc",
        Some(("256", "256")),
        vec![testkit::container("app", 128, 80, None)],
    );
    let vpc = b.default_vpc().unwrap().vpc_id.clone();
    let small = b.create_subnet(&vpc, "172.31.96.0/28", Some("us-east-1a")).expect("subnet").subnet_id;
    b.create_network_interface(CreateNetworkInterface::new(&small)).expect("eni");
    service(&mut b, std::slice::from_ref(&small), 8, "FARGATE", 200, 100);
    let f = capacity_findings(&b);
    assert_eq!(messages(&f, FindingKind::Addresses).len(), 1);
    assert!(messages(&f, FindingKind::Addresses)[0]
        .starts_with("a rolling deployment (maximumPercent 200) runs up to 16 tasks at once"));
}
