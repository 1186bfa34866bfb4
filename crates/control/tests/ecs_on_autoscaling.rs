//! ECS on instances an Auto Scaling group launches: the EC2 controller
//! registers their container instances, the scheduler places on them, and
//! when one is terminated its task stops and the service cannot replace it.

use account::{Account, AutoScalingGroup, AwsvpcConfiguration, LaunchConfiguration, NetworkConfiguration};
use control::clock::run_until;
use control::ec2::set_desired_capacity;
use control::ecs::{self, testkit, CreateServiceRequest};

const MINUTE: u64 = 60_000;

fn account_with_group(desired: u32) -> (Account, Vec<String>) {
    let mut a = Account::default();
    testkit::cluster(&mut a, "web");
    let subnets = testkit::default_subnets(&a)[..2].to_vec();
    let lc: LaunchConfiguration = serde_json::from_value(serde_json::json!({
        "LaunchConfigurationName": "lc",
        "LaunchConfigurationARN": "arn:aws:autoscaling:us-east-1:123456789012:launchConfiguration:1:launchConfigurationName/lc",
        "InstanceType": "t2.micro",
        "ImageId": "ami-0b9a214f40c38d5eb",
        "AssociatePublicIpAddress": null,
        "IamInstanceProfile": null,
        "EcsCluster": "web",
    }))
    .expect("launch configuration");
    a.put_launch_configuration(lc);
    let asg: AutoScalingGroup = serde_json::from_value(serde_json::json!({
        "AutoScalingGroupName": "asg",
        "AutoScalingGroupARN": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:1:autoScalingGroupName/asg",
        "Subnets": subnets,
        "LaunchConfigurationName": "lc",
        "LaunchTemplate": null,
        "MinSize": 0,
        "MaxSize": 4,
        "DesiredCapacity": desired,
    }))
    .expect("group");
    a.put_auto_scaling_group(asg);
    (a, subnets)
}

#[test]
fn tasks_follow_the_instances_of_the_group() {
    let (mut a, subnets) = account_with_group(2);
    testkit::task_definition(
        &mut a,
        "app",
        "awsvpc",
        Some(("256", "256")),
        vec![testkit::container("app", 128, 80, None)],
    );
    let req = CreateServiceRequest {
        cluster: Some("web".into()),
        service_name: "app".into(),
        task_definition: "app".into(),
        desired_count: Some(2),
        network_configuration: Some(NetworkConfiguration {
            awsvpc_configuration: Some(AwsvpcConfiguration {
                subnets,
                security_groups: vec![],
                assign_public_ip: "DISABLED".into(),
            }),
        }),
        ..Default::default()
    };
    let svc = ecs::create_service(&mut a, &req).expect("create").service_arn;
    let findings = ecs::capacity_findings(&a);
    assert!(
        findings.iter().all(|f| f.kind != ecs::FindingKind::Placement),
        "two t2.micro from the group fit two tasks: {findings:?}"
    );
    let deadline = a.clock_ms + 30 * MINUTE;
    assert!(
        run_until(&mut a, deadline, |a| ecs::service_is_steady(a, &svc)),
        "{}",
        ecs::service_stability_report(&a, &svc)
    );
    set_desired_capacity(&mut a, "asg", 1).expect("scale in");
    let deadline = a.clock_ms + 30 * MINUTE;
    let stopped = |a: &Account| a.tasks.values().any(|t| t.last_status == "STOPPED");
    assert!(run_until(&mut a, deadline, stopped));
    let deadline = a.clock_ms + 10 * MINUTE;
    run_until(&mut a, deadline, |_| false);
    let s = &a.services[&svc];
    assert_eq!(s.running_count, 1);
    assert!(s.events.iter().any(|e| e.message.contains("encountered error \"RESOURCE:ENI\".")), "{:#?}", s.events);
}
