//! Auto Scaling on the clock: a group launches its instances across its
//! zones, their ECS agents join the cluster the launch configuration's user
//! data names, lost instances are replaced, scale-in follows the default
//! termination policy, target groups get the instances, launches that fail
//! back off and stop after a day, and a forced delete empties the group.

use account::ec2::autoscaling::DELETE_IN_PROGRESS;
use account::{Account, AutoScalingGroup, AutoScalingTag, LaunchConfiguration};
use control::clock::{advance_by, run_until};
use control::ec2::{delete_auto_scaling_group, instances_in_service, set_desired_capacity, update_auto_scaling_group};

/// `#!/bin/bash` + `echo ECS_CLUSTER=web >> /etc/ecs/ecs.config`, as `Fn::Base64` leaves it.
const USER_DATA: &str = "IyEvYmluL2Jhc2gKZWNobyBFQ1NfQ0xVU1RFUj13ZWIgPj4gL2V0Yy9lY3MvZWNzLmNvbmZpZwo=";
const MINUTE: u64 = 60_000;

/// A VPC with a subnet in each of two zones (a /28 each when `tiny`), a
/// `web` cluster and a t2.micro launch configuration whose user data names it.
fn setup(tiny: bool, instance_type: &str) -> (Account, Vec<String>) {
    let mut a = Account::empty("123456789012", "us-east-1");
    let vpc = a.create_vpc("10.0.0.0/16").expect("vpc").vpc_id;
    let (x, y) = if tiny { ("10.0.1.0/28", "10.0.2.0/28") } else { ("10.0.1.0/24", "10.0.2.0/24") };
    let s1 = a.create_subnet(&vpc, x, Some("us-east-1a")).expect("subnet").subnet_id;
    let s2 = a.create_subnet(&vpc, y, Some("us-east-1b")).expect("subnet").subnet_id;
    let c = a.new_cluster("web");
    a.put_cluster(c);
    let arn = a.new_launch_configuration_arn("lc");
    a.put_launch_configuration(LaunchConfiguration {
        launch_configuration_name: "lc".into(),
        launch_configuration_arn: arn,
        instance_type: instance_type.into(),
        image_id: Some("ami-0b9a214f40c38d5eb".into()),
        user_data: Some(USER_DATA.into()),
        created_time: a.clock_ms,
        ..LaunchConfiguration::default()
    });
    (a, vec![s1, s2])
}

fn group(a: &mut Account, subnets: &[String], desired: u32, target_groups: Vec<String>) {
    let arn = a.new_auto_scaling_group_arn("asg");
    let g = AutoScalingGroup {
        auto_scaling_group_name: "asg".into(),
        auto_scaling_group_arn: arn,
        subnets: subnets.to_vec(),
        launch_configuration_name: Some("lc".into()),
        max_size: 4,
        desired_capacity: Some(desired),
        target_group_arns: target_groups,
        tags: vec![AutoScalingTag { key: "Name".into(), value: "app".into(), propagate_at_launch: true }],
        ..AutoScalingGroup::default()
    };
    a.create_auto_scaling_group(g).expect("group");
}

/// Runs the control plane until `done`, for at most ten minutes of clock.
fn wait(a: &mut Account, done: impl FnMut(&Account) -> bool) -> bool {
    let deadline = a.clock_ms + 10 * MINUTE;
    run_until(a, deadline, done)
}

fn running(a: &Account) -> Vec<&account::Instance> {
    a.instances
        .values()
        .filter(|i| i.auto_scaling_group_name.as_deref() == Some("asg") && i.state == "running")
        .collect()
}

fn free(a: &Account, subnets: &[String]) -> Vec<u64> {
    subnets.iter().map(|s| a.subnets[s].available_ip_address_count).collect()
}

#[test]
fn two_instances_in_two_zones_join_the_cluster_from_user_data() {
    let (mut a, subnets) = setup(false, "t2.micro");
    let before = free(&a, &subnets);
    group(&mut a, &subnets, 2, vec![]);
    assert!(wait(&mut a, |a| instances_in_service(a, "asg") == 2));
    let instances = running(&a);
    let zones: Vec<&str> = instances.iter().map(|i| i.availability_zone.as_str()).collect();
    assert!(zones.contains(&"us-east-1a") && zones.contains(&"us-east-1b"), "{zones:?}");
    for i in &instances {
        assert_eq!(i.network_interface_ids.len(), 1);
        let eni = &a.network_interfaces[&i.network_interface_ids[0]];
        assert_eq!(
            (eni.private_ip_address, eni.attachment.as_ref().map(|x| x.device_index)),
            (i.private_ip_address, Some(0))
        );
        assert_eq!(i.tags.get("aws:autoscaling:groupName").map(String::as_str), Some("asg"));
        assert_eq!(i.tags.get("Name").map(String::as_str), Some("app"));
    }
    assert_eq!(free(&a, &subnets), vec![before[0] - 1, before[1] - 1]);
    advance_by(&mut a, MINUTE);
    let cluster_arn = a.clusters["web"].cluster_arn.clone();
    let registered: Vec<_> =
        a.container_instances.values().filter(|c| c.cluster_arn == cluster_arn && c.status == "ACTIVE").collect();
    assert_eq!(registered.len(), 2);
    assert!(registered.iter().all(|c| c.registered_resources.cpu == 1024 && c.registered_resources.memory == 998));
    let g = &a.auto_scaling_groups["asg"];
    assert_eq!(g.activities.len(), 2);
    assert!(g
        .activities
        .iter()
        .all(|x| x.status_code == "Successful" && x.description.starts_with("Launching a new EC2 instance: i-")));
    assert!(g.activities[0].cause.starts_with("At 2026-01-01T00:00:00Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 2.  At 2026-01-01T00:00:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from"));
}

#[test]
fn a_terminated_instance_is_replaced_and_scaling_to_zero_returns_every_address() {
    let (mut a, subnets) = setup(false, "t2.micro");
    let before = free(&a, &subnets);
    group(&mut a, &subnets, 2, vec![]);
    advance_by(&mut a, 2 * MINUTE);
    let victim = running(&a)[0].instance_id.clone();
    a.terminate_instances(std::slice::from_ref(&victim)).expect("terminate");
    assert!(wait(&mut a, |a| instances_in_service(a, "asg") == 2 && a.instances[&victim].state == "terminated"));
    assert!(!running(&a).iter().any(|i| i.instance_id == victim));
    let zones: Vec<String> = running(&a).iter().map(|i| i.availability_zone.clone()).collect();
    assert_ne!(zones[0], zones[1], "the replacement goes to the zone that lost one");
    let g = &a.auto_scaling_groups["asg"];
    assert!(g.activities.iter().any(
        |x| x.description == format!("Terminating EC2 instance: {victim}") && x.cause.contains("EC2 health check")
    ));
    assert!(g.activities[0].cause.contains("increasing the capacity from 1 to 2."));
    set_desired_capacity(&mut a, "asg", 0).expect("scale in");
    advance_by(&mut a, 5 * MINUTE);
    assert_eq!(free(&a, &subnets), before, "every address is back");
    assert!(a.network_interfaces.is_empty());
    assert!(a.container_instances.values().all(|c| c.status == "INACTIVE"));
    advance_by(&mut a, 61 * MINUTE);
    assert!(a.instances.is_empty(), "terminated instances stop being listed");
}

#[test]
fn scale_in_keeps_zones_balanced_and_target_groups_follow() {
    let (mut a, subnets) = setup(false, "t2.micro");
    let tg = control::ecs::testkit::target_group(&mut a, "web", "instance", 8080);
    let vpc = a.subnets[&subnets[0]].vpc_id.clone();
    if let Some(t) = a.target_groups.get_mut(&tg) {
        t.vpc_id = Some(vpc);
    }
    group(&mut a, &subnets, 3, vec![tg.clone()]);
    advance_by(&mut a, 2 * MINUTE);
    let targets = |a: &Account| {
        a.target_groups[&tg].targets.iter().map(|t| (t.target.id.clone(), t.target.port)).collect::<Vec<_>>()
    };
    assert_eq!(targets(&a).len(), 3);
    assert!(targets(&a).iter().all(|(_, port)| *port == 8080));
    update_auto_scaling_group(&mut a, "asg", None, None, Some(2)).expect("update");
    advance_by(&mut a, MINUTE);
    let zones: Vec<String> = running(&a).iter().map(|i| i.availability_zone.clone()).collect();
    assert_eq!(zones.len(), 2);
    assert_ne!(zones[0], zones[1], "the zone with two instances gave one up");
    let live: Vec<String> = running(&a).iter().map(|i| i.instance_id.clone()).collect();
    assert!(a.auto_scaling_groups["asg"].activities[0].cause.contains("a user request update of AutoScalingGroup constraints to min: 0, max: 4, desired: 2 changing the desired capacity from 3 to 2."));
    advance_by(&mut a, 10 * MINUTE);
    let ids: Vec<String> = targets(&a).into_iter().map(|(id, _)| id).collect();
    assert!(ids.iter().all(|id| live.contains(id)), "the terminated instance left the target group: {ids:?}");
    // A target group attached later gets the running instances.
    let other = control::ecs::testkit::target_group(&mut a, "api", "instance", 9090);
    let vpc = a.subnets[&subnets[0]].vpc_id.clone();
    if let Some(t) = a.target_groups.get_mut(&other) {
        t.vpc_id = Some(vpc);
    }
    if let Some(g) = a.auto_scaling_groups.get_mut("asg") {
        g.target_group_arns.push(other.clone());
    }
    advance_by(&mut a, 1_000);
    assert_eq!(a.target_groups[&other].targets.len(), 2);
    let e = update_auto_scaling_group(&mut a, "asg", None, None, Some(9)).expect_err("above max");
    assert_eq!(e.message, "Desired capacity:9 must be between the specified min size:0 and max size:4");
}

#[test]
fn trunking_instances_register_then_go_active_with_their_trunk() {
    let (mut a, subnets) = setup(false, "c5.large");
    a.account_settings.insert("awsvpcTrunking".into(), "enabled".into());
    group(&mut a, &subnets, 1, vec![]);
    // Boot (15 s) and the agent's start (10 s): registering while the trunk is provisioned.
    advance_by(&mut a, 25_000);
    let ci = a.container_instances.values().next().expect("registered").clone();
    assert_eq!(ci.status, "REGISTERING");
    advance_by(&mut a, 10_000);
    let ci = &a.container_instances[&ci.container_instance_arn];
    assert_eq!(ci.status, "ACTIVE");
    let trunk = &a.network_interfaces[&ci.attributes["ecs.awsvpc-trunk-id"]];
    assert_eq!((trunk.interface_type.as_str(), trunk.attachment.as_ref().map(|x| x.device_index)), ("trunk", Some(1)));
}

#[test]
fn exhausted_subnets_fail_with_an_activity_back_off_and_stop_after_a_day() {
    // Two /28s: 11 addresses each, 22 in all; a group of 4 fits, then none.
    let (mut a, subnets) = setup(true, "t2.micro");
    for s in &subnets {
        while a.subnets[s].available_ip_address_count > 1 {
            a.create_network_interface(account::CreateNetworkInterface::new(s)).expect("fill");
        }
    }
    group(&mut a, &subnets, 4, vec![]);
    advance_by(&mut a, MINUTE);
    assert_eq!(a.auto_scaling_instances("asg").len(), 2, "one address left in each zone");
    let g = &a.auto_scaling_groups["asg"];
    let failed = g.activities.iter().find(|x| x.status_code == "Failed").expect("a failed launch");
    let text = format!("There are not enough free addresses in subnet '{}' to satisfy the requested number of instances. Launching EC2 instance failed.", subnets[0]);
    assert_eq!(failed.status_message.as_deref(), Some(text.as_str()));
    assert_eq!(failed.description, format!("Launching a new EC2 instance.  Status Reason: {text}"));
    // Retries are spaced out, so a day brings far fewer than one per pass.
    advance_by(&mut a, 25 * 60 * MINUTE);
    let g = &a.auto_scaling_groups["asg"];
    assert!(g.suspended_processes.contains(&"Launch".to_string()));
    let failures = g.activities.iter().filter(|x| x.status_code == "Failed").count();
    assert!((10..=400).contains(&failures), "{failures} failed launches in a day");
    assert_eq!(
        control::reconcile(&mut a).filter(|t| *t < a.clock_ms + 24 * 60 * MINUTE),
        None,
        "nothing left to retry"
    );
}

#[test]
fn delete_needs_force_and_then_empties_the_group() {
    let (mut a, subnets) = setup(false, "t2.micro");
    group(&mut a, &subnets, 2, vec![]);
    advance_by(&mut a, 2 * MINUTE);
    let e = delete_auto_scaling_group(&mut a, "asg", false).expect_err("instances");
    assert_eq!(e.message, "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.");
    delete_auto_scaling_group(&mut a, "asg", true).expect("force");
    assert_eq!(a.auto_scaling_groups["asg"].status.as_deref(), Some(DELETE_IN_PROGRESS));
    assert!(wait(&mut a, |a| !a.auto_scaling_groups.contains_key("asg")));
    assert!(a.instances.values().all(|i| i.state == "terminated"));
    assert!(a.network_interfaces.is_empty());
}

#[test]
fn an_agent_for_a_missing_cluster_registers_nowhere_until_it_exists() {
    let (mut a, subnets) = setup(false, "t2.micro");
    a.clusters.clear();
    group(&mut a, &subnets, 1, vec![]);
    advance_by(&mut a, 2 * MINUTE);
    assert_eq!(instances_in_service(&a, "asg"), 1, "the instance runs");
    assert!(a.container_instances.is_empty() && a.clusters.is_empty(), "a named cluster is never created by the agent");
    let c = a.new_cluster("web");
    a.put_cluster(c);
    advance_by(&mut a, 1_000);
    assert_eq!(a.container_instances.len(), 1);
}
