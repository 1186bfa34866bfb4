//! Every document the crate builds, checked against the output shapes of
//! botocore's service models (`fixtures/botocore-outputs.json`, written by
//! `scripts/gen/shapes.py`): each key is a member of the model's shape at
//! that path, keys come in the model's member order (the order the aws CLI
//! prints), and each value has its member's type (string, boolean, integer,
//! double, list, map, structure; timestamps as the CLI prints them).
//!
//! The account is the example deployed (a stack with nested resources, VPC
//! pieces, a NAT gateway, security groups, an Auto Scaling group's instances
//! registered to an ECS cluster, services behind a load balancer, tasks) with
//! one task stopped, so stopped tasks' members are checked too. The test
//! also requires every document to list items, so no check passes vacuously.

use account::Account;
use serde_json::Value;
use shapes::{cloudformation, ec2, ecs, elbv2, Query, Selection};
use std::collections::BTreeSet;

/// The model trees, by operation.
fn models() -> Value {
    let text = include_str!("fixtures/botocore-outputs.json");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("the fixture: {e}"))
}

/// True for a timestamp as the aws CLI prints it: `2026-01-01T00:00:00+00:00`
/// or with six fraction digits, `…:00.123000+00:00`.
fn is_cli_timestamp(s: &str) -> bool {
    let shape = |pattern: &str| {
        s.len() == pattern.len()
            && s.chars().zip(pattern.chars()).all(|(c, p)| if p == 'd' { c.is_ascii_digit() } else { c == p })
    };
    shape("dddd-dd-ddTdd:dd:dd+00:00") || shape("dddd-dd-ddTdd:dd:dd.dddddd+00:00")
}

/// Checks `value` against the model tree `node` at `path`, adding what does
/// not conform to `errors` (paths without list indices, so one mismatch of
/// many items is reported once).
fn check(path: &str, value: &Value, node: &Value, errors: &mut BTreeSet<String>) {
    let kind = node["type"].as_str().unwrap_or_default();
    let shape = node["shape"].as_str().unwrap_or_default();
    let ok = match kind {
        "structure" => {
            let Some(map) = value.as_object() else {
                errors.insert(format!("{path}: not a structure ({shape})"));
                return;
            };
            let members: Vec<(&str, &Value)> = node["members"]
                .as_array()
                .map(|m| m.iter().filter_map(|pair| Some((pair[0].as_str()?, &pair[1]))).collect())
                .unwrap_or_default();
            let mut last: Option<(usize, &str)> = None;
            for (key, v) in map {
                let Some(at) = members.iter().position(|(name, _)| name == key) else {
                    errors.insert(format!("{path}.{key}: not a member of {shape}"));
                    continue;
                };
                if let Some((before, prev)) = last {
                    if at < before {
                        errors.insert(format!("{path}.{key}: before {prev}, out of {shape}'s member order"));
                    }
                }
                last = Some((at, key));
                check(&format!("{path}.{key}"), v, members[at].1, errors);
            }
            return;
        }
        "list" => {
            let Some(items) = value.as_array() else {
                errors.insert(format!("{path}: not a list ({shape})"));
                return;
            };
            for item in items {
                check(&format!("{path}[]"), item, &node["member"], errors);
            }
            return;
        }
        "map" => {
            let Some(map) = value.as_object() else {
                errors.insert(format!("{path}: not a map ({shape})"));
                return;
            };
            for v in map.values() {
                check(&format!("{path}{{}}"), v, &node["value"], errors);
            }
            return;
        }
        "string" | "blob" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" | "long" => value.is_i64() || value.is_u64(),
        "double" | "float" => value.is_number(),
        "timestamp" => value.as_str().is_some_and(is_cli_timestamp),
        other => {
            errors.insert(format!("{path}: the model's type {other} is not checked here"));
            return;
        }
    };
    if !ok {
        errors.insert(format!("{path}: {value} is not a {kind} ({shape})"));
    }
}

/// The example deployed, one of its tasks stopped and gone to STOPPED.
fn account() -> Account {
    let mut a = testkit::example::example();
    let task = a.tasks.values().find(|t| t.is_live()).map(|t| (t.cluster_arn.clone(), t.task_arn.clone()));
    let (cluster, task) = task.unwrap_or_else(|| panic!("the example runs tasks"));
    let stop = control::ecs::StopTaskRequest { cluster: Some(cluster), task, reason: Some("conformance".into()) };
    control::ecs::stop_task(&mut a, &stop).unwrap_or_else(|e| panic!("{e}"));
    control::clock::advance_by(&mut a, 120_000);
    let stopped = a.tasks.get(&stop.task).map(|t| t.last_status);
    assert_eq!(stopped, Some(account::TaskStatus::Stopped), "the stopped task is there to be checked");
    a
}

/// Every operation's documents for `query`: (operation, document).
fn documents(a: &Account, query: &Query) -> Vec<(&'static str, Value)> {
    let sel = |op| Selection::new(a, query, op).unwrap_or_else(|e| panic!("{e}"));
    let ok = |r: Result<Value, shapes::ApiError>| r.unwrap_or_else(|e| panic!("{e}"));
    vec![
        ("DescribeNetworkInterfaces", ec2::describe_network_interfaces(&sel("DescribeNetworkInterfaces"))),
        ("DescribeSubnets", ec2::describe_subnets(&sel("DescribeSubnets"))),
        ("DescribeNatGateways", ec2::describe_nat_gateways(&sel("DescribeNatGateways"))),
        ("DescribeRouteTables", ec2::describe_route_tables(&sel("DescribeRouteTables"))),
        ("DescribeSecurityGroups", ec2::describe_security_groups(&sel("DescribeSecurityGroups"))),
        ("DescribeInstances", ec2::describe_instances(&sel("DescribeInstances"))),
        ("DescribeServices", ok(ecs::describe_services(&sel("DescribeServices")))),
        ("DescribeTasks", ok(ecs::describe_tasks(&sel("DescribeTasks")))),
        ("DescribeContainerInstances", ok(ecs::describe_container_instances(&sel("DescribeContainerInstances")))),
        ("DescribeTargetHealth", ok(elbv2::describe_target_health(&sel("DescribeTargetHealth")))),
        ("DescribeStacks", ok(cloudformation::describe_stacks(a, query))),
        ("DescribeStackEvents", ok(cloudformation::describe_stack_events(a, query))),
        ("DescribeStackResources", ok(cloudformation::describe_stack_resources(a, query))),
    ]
}

/// Where today's documents differ from the models: departures from what the
/// aws CLI prints, kept (the binary's output is preserved byte for byte)
/// until someone decides to fix them. The test fails on any other mismatch,
/// and when one of these is gone (then remove it here).
///
/// All are EC2's: the documents follow the member order of AWS's older
/// documentation examples, while the CLI prints today's model order; and an
/// instance's interfaces carry two members of `NetworkInterfaceAttachment`
/// that `InstanceNetworkInterfaceAttachment` lacks.
const KNOWN: &[&str] = &[
    // Not members at all.
    "DescribeInstances.Reservations[].Instances[].NetworkInterfaces[].Attachment.InstanceId: not a member of InstanceNetworkInterfaceAttachment",
    "DescribeInstances.Reservations[].Instances[].NetworkInterfaces[].Attachment.InstanceOwnerId: not a member of InstanceNetworkInterfaceAttachment",
    // Member order.
    "DescribeInstances.Reservations[].Instances[].ImageId: before AmiLaunchIndex, out of Instance's member order",
    "DescribeInstances.Reservations[].Instances[].InstanceId: before ImageId, out of Instance's member order",
    "DescribeInstances.Reservations[].Instances[].NetworkInterfaces: before VpcId, out of Instance's member order",
    "DescribeInstances.Reservations[].Instances[].NetworkInterfaces[].Attachment.Status: before NetworkCardIndex, out of InstanceNetworkInterfaceAttachment's member order",
    "DescribeInstances.Reservations[].Instances[].NetworkInterfaces[].Groups[].GroupId: before GroupName, out of GroupIdentifier's member order",
    "DescribeInstances.Reservations[].Instances[].NetworkInterfaces[].Ipv6Addresses: before InterfaceType, out of InstanceNetworkInterface's member order",
    "DescribeInstances.Reservations[].Instances[].Placement.GroupName: before AvailabilityZone, out of Placement's member order",
    "DescribeInstances.Reservations[].Instances[].PrivateDnsName: before Placement, out of Instance's member order",
    "DescribeInstances.Reservations[].Instances[].PublicDnsName: before PrivateIpAddress, out of Instance's member order",
    "DescribeInstances.Reservations[].Instances[].SecurityGroups[].GroupId: before GroupName, out of GroupIdentifier's member order",
    "DescribeInstances.Reservations[].Instances[].State: before PublicIpAddress, out of Instance's member order",
    "DescribeInstances.Reservations[].OwnerId: before Instances, out of Reservation's member order",
    "DescribeNetworkInterfaces.NetworkInterfaces[].Association.AllocationId: before PublicIp, out of NetworkInterfaceAssociation's member order",
    "DescribeNetworkInterfaces.NetworkInterfaces[].Groups[].GroupId: before GroupName, out of GroupIdentifier's member order",
    "DescribeNetworkInterfaces.NetworkInterfaces[].PrivateIpAddresses[].Association.AllocationId: before PublicIp, out of NetworkInterfaceAssociation's member order",
    "DescribeSecurityGroups.SecurityGroups[].GroupId: before OwnerId, out of SecurityGroup's member order",
    "DescribeSecurityGroups.SecurityGroups[].GroupName: before Description, out of SecurityGroup's member order",
    "DescribeSecurityGroups.SecurityGroups[].IpPermissionsEgress[].IpProtocol: before FromPort, out of IpPermission's member order",
    "DescribeSecurityGroups.SecurityGroups[].IpPermissionsEgress[].ToPort: before PrefixListIds, out of IpPermission's member order",
    "DescribeSecurityGroups.SecurityGroups[].IpPermissionsEgress[].UserIdGroupPairs: before PrefixListIds, out of IpPermission's member order",
    "DescribeSecurityGroups.SecurityGroups[].IpPermissionsEgress[].UserIdGroupPairs[].UserId: before GroupId, out of UserIdGroupPair's member order",
    "DescribeSecurityGroups.SecurityGroups[].IpPermissions[].IpProtocol: before FromPort, out of IpPermission's member order",
    "DescribeSecurityGroups.SecurityGroups[].IpPermissions[].ToPort: before PrefixListIds, out of IpPermission's member order",
    "DescribeSecurityGroups.SecurityGroups[].IpPermissions[].UserIdGroupPairs: before PrefixListIds, out of IpPermission's member order",
    "DescribeSecurityGroups.SecurityGroups[].IpPermissions[].UserIdGroupPairs[].UserId: before GroupId, out of UserIdGroupPair's member order",
    "DescribeSecurityGroups.SecurityGroups[].OwnerId: before IpPermissions, out of SecurityGroup's member order",
    "DescribeSubnets.Subnets[].AvailabilityZoneId: before AvailabilityZone, out of Subnet's member order",
    "DescribeSubnets.Subnets[].CidrBlock: before AvailableIpAddressCount, out of Subnet's member order",
    "DescribeSubnets.Subnets[].MapCustomerOwnedIpOnLaunch: before MapPublicIpOnLaunch, out of Subnet's member order",
    "DescribeSubnets.Subnets[].OwnerId: before VpcId, out of Subnet's member order",
    "DescribeSubnets.Subnets[].SubnetId: before State, out of Subnet's member order",
];

#[test]
fn every_document_conforms_to_the_botocore_models() {
    let models = models();
    let a = account();
    let mut errors = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let queries = [
        Query::default(),
        Query { all: true, ..Query::default() },
        Query { stack_name: Some("todobackend".into()), ..Query::default() },
    ];
    for query in &queries {
        for (op, doc) in documents(&a, query) {
            let model = &models["operations"][op]["output"];
            assert!(model.is_object(), "{op} is missing from the fixture: run scripts/gen/shapes.py");
            seen.insert(op);
            // Every document lists items, so the items' members are checked.
            let lists =
                doc.as_object().map(|m| m.values().filter(|v| v.as_array().is_some_and(|l| !l.is_empty())).count());
            assert!(lists.unwrap_or(0) > 0, "{op} lists nothing for {query:?}: {doc}");
            check(op, &doc, model, &mut errors);
        }
    }
    let fixture_ops: BTreeSet<&str> =
        models["operations"].as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
    assert_eq!(seen, fixture_ops, "every operation of the fixture is built and checked");
    let known: BTreeSet<String> = KNOWN.iter().map(|s| s.to_string()).collect();
    let new: Vec<&String> = errors.difference(&known).collect();
    let gone: Vec<&String> = known.difference(&errors).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "not as the models say:\n{new:#?}\nknown but no longer seen:\n{gone:#?}"
    );
}

#[test]
fn the_checker_catches_misspelt_keys_wrong_order_and_types() {
    let models = models();
    let model = &models["operations"]["DescribeSubnets"]["output"];
    let mut errors = BTreeSet::new();
    let doc = serde_json::json!({"Subnets": [{"AvailabilityZone": "us-east-1a", "SubnetID": "subnet-1"}]});
    check("DescribeSubnets", &doc, model, &mut errors);
    assert_eq!(errors.into_iter().collect::<Vec<_>>(), ["DescribeSubnets.Subnets[].SubnetID: not a member of Subnet"]);
    let mut errors = BTreeSet::new();
    // The model lists AvailabilityZoneId before AvailabilityZone.
    let doc = serde_json::json!({"Subnets": [{"AvailabilityZone": 3, "AvailabilityZoneId": "use1-az1"}]});
    check("DescribeSubnets", &doc, model, &mut errors);
    assert_eq!(
        errors.into_iter().collect::<Vec<_>>(),
        [
            "DescribeSubnets.Subnets[].AvailabilityZone: 3 is not a string (String)",
            "DescribeSubnets.Subnets[].AvailabilityZoneId: before AvailabilityZone, out of Subnet's member order",
        ]
    );
    assert!(is_cli_timestamp("2026-01-01T00:00:00+00:00") && is_cli_timestamp("2026-01-01T00:00:00.001000+00:00"));
    assert!(!is_cli_timestamp("2026-01-01T00:00:00Z"));
}
