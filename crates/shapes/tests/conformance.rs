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
//! one task stopped, so stopped tasks' members are checked too, and with
//! what the example never has filled in (rule descriptions, IPv6 and
//! prefix-list peers, an instance's Elastic IP), so those members' order is
//! checked as well. RunTask's, StopTask's and UpdateService's answers come
//! from those actions taken on a copy of it. The test also requires every
//! document to hold items, so no check passes vacuously.

use account::{Account, NetworkInterfaceAssociation, Peer, SecurityGroupRule};
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
    fill_in(&mut a);
    a
}

/// Sets what the example leaves out, since a member that is never written
/// is never checked: the descriptions come first in their shapes, and an
/// instance's association has fewer members than its interface's.
fn fill_in(a: &mut Account) {
    for g in a.security_groups.values_mut() {
        for peer in [Peer::Ipv6Cidr("::/0".into()), Peer::PrefixList("pl-0123456789abcdef0".into())] {
            g.ingress.push(SecurityGroupRule::tcp(443, 443, peer));
        }
        for r in g.ingress.iter_mut().chain(g.egress.iter_mut()) {
            r.description = Some("conformance".into());
        }
    }
    let eni = a.instances.values().find_map(|i| i.network_interface_ids.first().cloned());
    let eni = eni.and_then(|id| a.network_interfaces.get_mut(&id));
    let eni = eni.unwrap_or_else(|| panic!("the example's instances have interfaces"));
    eni.association = Some(NetworkInterfaceAssociation {
        public_ip: std::net::Ipv4Addr::new(203, 0, 113, 10),
        public_dns_name: "ec2-203-0-113-10.compute-1.amazonaws.com".into(),
        allocation_id: Some("eipalloc-0123456789abcdef0".into()),
        association_id: Some("eipassoc-0123456789abcdef0".into()),
        ip_owner_id: "123456789012".into(),
    });
    // VPC endpoints of both types, tagged, in the default VPC (the prefix-list
    // route lands in its main table, so DescribeRouteTables checks it too).
    let vpc = a.default_vpc().map(|v| v.vpc_id.clone()).unwrap_or_else(|| panic!("the example's default VPC"));
    let subnet = a.subnets_of_vpc(&vpc).first().map(|s| s.subnet_id.clone()).unwrap_or_default();
    let mut interface = account::CreateVpcEndpoint::new(&vpc, "com.amazonaws.us-east-1.secretsmanager");
    interface.vpc_endpoint_type = account::VpcEndpointType::Interface;
    interface.subnet_ids = vec![subnet];
    let e = a.create_vpc_endpoint(interface).unwrap_or_else(|e| panic!("{e}"));
    a.create_tags(&[e.vpc_endpoint_id], &[("Name".into(), "conformance".into())]).unwrap_or_else(|e| panic!("{e}"));
    let main = a.main_route_table(&vpc).map(|t| t.route_table_id.clone()).unwrap_or_else(|e| panic!("{e}"));
    let mut gateway = account::CreateVpcEndpoint::new(&vpc, "com.amazonaws.us-east-1.s3");
    gateway.route_table_ids = vec![main];
    a.create_vpc_endpoint(gateway).unwrap_or_else(|e| panic!("{e}"));
}

/// Every operation's documents for `query`: (operation, document).
fn documents(a: &Account, query: &Query) -> Vec<(&'static str, Value)> {
    let sel = |op| Selection::new(a, query, op).unwrap_or_else(|e| panic!("{e}"));
    let ok = |r: Result<Value, shapes::ApiError>| r.unwrap_or_else(|e| panic!("{e}"));
    let cluster_names: Vec<String> = a.clusters.keys().cloned().collect();
    let task_definition = a.task_definitions.values().next().unwrap_or_else(|| panic!("the example registers one"));
    // Every listener's recorded rules and its default rule, so both kinds are checked.
    let rules: Vec<Value> = a
        .listener_rules
        .values()
        .map(elbv2::rule_json)
        .chain(a.listeners.values().map(elbv2::default_rule_json))
        .collect();
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
        ("DescribeClusters", ecs::describe_clusters(&sel("DescribeClusters"), &cluster_names, true)),
        ("DescribeTaskDefinition", ecs::describe_task_definition(task_definition)),
        ("DescribeLoadBalancers", elbv2::describe_load_balancers(a, &a.load_balancers.values().collect::<Vec<_>>())),
        ("DescribeTargetGroups", elbv2::describe_target_groups(&a.target_groups.values().collect::<Vec<_>>())),
        ("DescribeListeners", elbv2::describe_listeners(&a.listeners.values().collect::<Vec<_>>())),
        ("DescribeRules", elbv2::describe_rules(rules)),
        ("DescribeStacks", ok(cloudformation::describe_stacks(a, query))),
        ("DescribeStackEvents", ok(cloudformation::describe_stack_events(a, query))),
        ("DescribeStackResources", ok(cloudformation::describe_stack_resources(a, query))),
        ("ListStackResources", ok(cloudformation::list_stack_resources(a, query))),
        ("ListStacks", cloudformation::list_stacks(a, &[])),
        ("ListExports", cloudformation::list_exports(a)),
    ]
}

/// The documents of one stack's resource, change set and template: the
/// example's stack, its last change set, its template summarised.
fn stack_documents(a: &Account) -> Vec<(&'static str, Value)> {
    let stack = a.stacks.values().find(|s| s.stack_name == "todobackend");
    let stack = stack.unwrap_or_else(|| panic!("the example's stack"));
    let cs = stack.change_sets.last().unwrap_or_else(|| panic!("the deploy's change set"));
    let logical = stack.resources.first().map(|r| r.logical_resource_id.clone()).unwrap_or_default();
    let query = Query { stack_name: Some(stack.stack_name.clone()), ..Query::default() };
    let summary = stacks::engine::summary::template_summary(stack.template_body.as_bytes(), "GetTemplateSummary");
    let summary = summary.unwrap_or_else(|e| panic!("{e}"));
    let resource = cloudformation::describe_stack_resource(a, &query, &logical).unwrap_or_else(|e| panic!("{e}"));
    vec![
        ("DescribeStackResource", resource),
        ("DescribeChangeSet", cloudformation::describe_change_set(stack, cs)),
        ("ListChangeSets", cloudformation::list_change_sets(stack)),
        ("GetTemplate", cloudformation::get_template(&stack.template_body)),
        ("GetTemplateSummary", cloudformation::get_template_summary(&summary)),
        ("ValidateTemplate", cloudformation::validate_template(&summary)),
    ]
}

/// The documents of what a stack may not own (the example's stack uses the
/// default VPC, its gateway and ACLs), built for the whole account only.
fn account_documents(a: &Account) -> Vec<(&'static str, Value)> {
    let all = Query::default();
    let sel = |op| Selection::new(a, &all, op).unwrap_or_else(|e| panic!("{e}"));
    vec![
        ("DescribeVpcs", ec2::describe_vpcs(&sel("DescribeVpcs"))),
        ("DescribeInternetGateways", ec2::describe_internet_gateways(&sel("DescribeInternetGateways"))),
        ("DescribeNetworkAcls", ec2::describe_network_acls(&sel("DescribeNetworkAcls"))),
        ("DescribeAddresses", ec2::describe_addresses(&sel("DescribeAddresses"))),
        ("DescribeSecurityGroupRules", ec2::describe_security_group_rules(&sel("DescribeSecurityGroupRules"))),
        ("DescribeAvailabilityZones", ec2::describe_availability_zones(a)),
        ("DescribeAccountAttributes", ec2::describe_account_attributes(a)),
        ("DescribeTags", ec2::describe_tags(&sel("DescribeTags"))),
        ("DescribeVpcEndpoints", ec2::describe_vpc_endpoints(&sel("DescribeVpcEndpoints"))),
        ("DescribePrefixLists", ec2::describe_prefix_lists(a)),
        ("DescribeVpcEndpointServices", ec2::describe_vpc_endpoint_services(a)),
    ]
}

/// RunTask's, StopTask's and UpdateService's answers, from those calls made
/// on a copy of the account: a service's task run again (its instances have
/// no interface left, so ECS reports a `RESOURCE:ENI` failure), the same on
/// Fargate (a task starts), that task stopped, and the service scaled up.
/// Both runs' tasks and failures make RunTask's answer, so it has both.
fn answers(account: &Account) -> Vec<(&'static str, Value)> {
    let mut a = account.clone();
    let service = a.services.values().next().cloned();
    let service = service.unwrap_or_else(|| panic!("the example runs services"));
    let mut run = control::ecs::RunTaskRequest {
        cluster: Some(service.cluster_arn.clone()),
        task_definition: service.task_definition.clone(),
        count: Some(1),
        launch_type: service.launch_type.clone(),
        network_configuration: service.network_configuration.clone(),
        group: None,
        started_by: Some("conformance".into()),
    };
    let full = control::ecs::run_task(&mut a, &run).unwrap_or_else(|e| panic!("{e}"));
    // The copy's task definition is let run on Fargate, where there is room.
    let td = a.task_definitions.get_mut(&service.task_definition);
    td.unwrap_or_else(|| panic!("the service's task definition")).requires_compatibilities.push("FARGATE".into());
    run.launch_type = Some("FARGATE".into());
    let ran = control::ecs::run_task(&mut a, &run).unwrap_or_else(|e| panic!("{e}"));
    let failures = [full.failures, ran.failures].concat();
    assert!(!failures.is_empty(), "a failure to check");
    let task = ran.tasks.first().map(|t| t.task_arn.clone());
    let task = task.unwrap_or_else(|| panic!("RunTask started none on Fargate: {failures:?}"));
    let stop = control::ecs::StopTaskRequest {
        cluster: Some(service.cluster_arn.clone()),
        task,
        reason: Some("conformance".into()),
    };
    let stopped = control::ecs::stop_task(&mut a, &stop).unwrap_or_else(|e| panic!("{e}"));
    let update = control::ecs::UpdateServiceRequest {
        cluster: Some(service.cluster_arn.clone()),
        service: service.service_name.clone(),
        desired_count: Some(service.desired_count + 1),
        ..control::ecs::UpdateServiceRequest::default()
    };
    let updated = control::ecs::update_service(&mut a, &update).unwrap_or_else(|e| panic!("{e}"));
    vec![
        ("RunTask", ecs::run_task(&a, &[full.tasks, ran.tasks].concat(), &failures)),
        ("StopTask", ecs::stop_task(&a, &stopped)),
        ("UpdateService", ecs::update_service(&updated)),
    ]
}

/// True when the document holds items: a non-empty list, or (StopTask's and
/// UpdateService's answers) a structure.
fn holds_items(doc: &Value) -> bool {
    doc.as_object().is_some_and(|m| m.values().any(|v| v.is_object() || v.as_array().is_some_and(|l| !l.is_empty())))
}

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
    let described = queries.iter().flat_map(|query| documents(&a, query).into_iter().map(move |d| (Some(query), d)));
    let whole = account_documents(&a).into_iter().map(|d| (Some(&queries[0]), d));
    let answered = answers(&a).into_iter().chain(stack_documents(&a)).map(|d| (None, d));
    for (query, (op, doc)) in described.chain(whole).chain(answered) {
        let model = &models["operations"][op]["output"];
        assert!(model.is_object(), "{op} is missing from the fixture: run scripts/gen/shapes.py");
        seen.insert(op);
        // Every document holds items, so the items' members are checked.
        assert!(holds_items(&doc), "{op} holds nothing for {query:?}: {doc}");
        check(op, &doc, model, &mut errors);
    }
    let fixture_ops: BTreeSet<&str> =
        models["operations"].as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
    assert_eq!(seen, fixture_ops, "every operation of the fixture is built and checked");
    // No tolerated departures: what the CLI would print from AWS is the contract.
    assert!(errors.is_empty(), "not as the models say:\n{errors:#?}");
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
