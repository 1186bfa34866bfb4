//! A task's start-time connections decided by the reachability engine (the
//! simulated world): examples/secret-reader's service, whose container takes
//! a Secrets Manager secret and logs to CloudWatch Logs, starts through the
//! NAT gateway; without the NAT route its tasks stop with ECS's
//! ResourceInitializationError, the circuit breaker fails the deployment
//! and the throttle says so; an interface endpoint with private DNS for
//! each service brings the tasks up without NAT.

use account::{Account, TaskStatus, VpcEndpointType};
use stacks::engine::{self, events::Quiet, DeployOptions, Outcome};
use stacks::StackInput;
use std::path::Path;

fn input(with_nat: &str, with_endpoints: &str) -> StackInput {
    StackInput {
        template_path: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/secret-reader/stack.yml"),
        stack_name: "sr".into(),
        overrides: vec![("WithNat".into(), with_nat.into()), ("WithEndpoints".into(), with_endpoints.into())],
        ..StackInput::default()
    }
}

fn planned(with_nat: &str) -> Account {
    let analysis = stacks::analyze(&input(with_nat, "false"), &Account::default()).expect("analyzed");
    assert!(!analysis.has_errors(), "{:#?}", analysis.diagnostics);
    analysis.plan.account
}

fn run(a: &mut Account, ms: u64) {
    let deadline = a.clock_ms + ms;
    control::clock::run_until(a, deadline, |_| false);
}

fn reasons(a: &Account) -> Vec<String> {
    a.tasks.values().filter_map(|t| t.stopped_reason.clone()).collect()
}

#[test]
fn through_the_nat_gateway_the_task_starts() {
    let mut a = planned("true");
    run(&mut a, 120_000);
    assert!(a.tasks.values().any(|t| t.last_status == TaskStatus::Running), "{:?}", reasons(&a));
    assert!(reasons(&a).is_empty(), "{:?}", reasons(&a));
}

#[test]
fn without_a_path_to_secrets_manager_the_tasks_cannot_start() {
    let mut a = planned("false");
    run(&mut a, 120_000);
    let r = reasons(&a);
    assert!(!r.is_empty() && a.tasks.values().all(|t| t.started_at.is_none()), "{r:?}");
    let secret = a.secret("secret-reader/db").expect("secret").arn.clone();
    assert!(
        r.iter().all(|x| x.starts_with(
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret "
        ) && x.contains(&secret) && x.ends_with("Please check your task network configuration.")),
        "{r:?}"
    );
    let svc = a.services.values().next().expect("service");
    let events: Vec<&str> = svc.events.iter().map(|e| e.message.as_str()).collect();
    assert!(events.iter().any(|e| e.ends_with("deployment failed: tasks failed to start.")), "{events:?}");
    assert!(
        events.contains(&"(service secret-reader) is unable to consistently start tasks successfully."),
        "{events:?}"
    );
}

#[test]
fn interface_endpoints_with_private_dns_replace_the_nat_gateway() {
    let mut a = planned("false");
    let vpc = a.vpcs.values().find(|v| !v.is_default).expect("vpc").vpc_id.clone();
    let subnet =
        a.subnets.values().find(|s| s.vpc_id == vpc && !s.map_public_ip_on_launch).expect("private").subnet_id.clone();
    let app = a
        .security_groups
        .values()
        .find(|g| g.vpc_id == vpc && g.description.starts_with("The application"))
        .expect("group")
        .group_id
        .clone();
    let sg = a.create_security_group(&vpc, "endpoints", "the endpoints").expect("group").group_id;
    let rule = account::SecurityGroupRule::tcp(443, 443, account::Peer::SecurityGroup(app));
    a.authorize_security_group_ingress(&sg, &[rule]).expect("rule");
    for service in ["secretsmanager", "logs"] {
        let mut req = account::ec2::CreateVpcEndpoint::new(&vpc, &format!("com.amazonaws.us-east-1.{service}"));
        req.vpc_endpoint_type = account::VpcEndpointType::Interface;
        req.subnet_ids = vec![subnet.clone()];
        req.security_group_ids = vec![sg.clone()];
        req.private_dns_enabled = Some(true);
        a.create_vpc_endpoint(req).expect("endpoint");
    }
    run(&mut a, 120_000);
    assert!(a.tasks.values().any(|t| t.last_status == TaskStatus::Running), "{:?}", reasons(&a));
}

#[test]
fn the_template_s_own_endpoints_are_deployed_used_and_deleted() {
    let analysis = stacks::analyze(&input("false", "true"), &Account::default()).expect("analyzed");
    assert!(!analysis.diagnostics.iter().any(|d| d.code == "TN5004"), "{:#?}", analysis.diagnostics);
    let mut a = Account::default();
    let opts = DeployOptions { capabilities: vec!["CAPABILITY_NAMED_IAM".into()], ..DeployOptions::default() };
    let out = engine::deploy(&mut a, &input("false", "true"), &opts, &mut Quiet).expect("deploys");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "CREATE_COMPLETE"), "{out:?}");
    assert!(a.tasks.values().any(|t| t.last_status == TaskStatus::Running), "{:?}", reasons(&a));
    let interface: Vec<_> =
        a.vpc_endpoints.values().filter(|e| e.vpc_endpoint_type == VpcEndpointType::Interface).collect();
    assert_eq!(interface.len(), 2);
    assert!(interface.iter().all(|e| e.private_dns_enabled && e.network_interface_ids.len() == 1));
    let s3 = a.vpc_endpoints.values().find(|e| e.vpc_endpoint_type == VpcEndpointType::Gateway).expect("gateway");
    let policy: serde_json::Value = serde_json::from_str(s3.policy_document.as_deref().unwrap_or("{}")).expect("JSON");
    assert_eq!(policy["Statement"][0]["Action"][0], "s3:GetObject");
    let table = &a.route_tables[&s3.route_table_ids[0]];
    assert!(table.routes.iter().any(|r| r.destination_prefix_list_id.as_deref() == Some("pl-63a5400a")));
    let stack = engine::find_stack(&a, "sr").expect("stack");
    let dns = stack.outputs.iter().find(|o| o.output_key == "SecretsManagerEndpointDns").expect("output");
    assert!(dns.output_value.contains(".secretsmanager.us-east-1.vpce.amazonaws.com"), "{}", dns.output_value);

    let endpoint_enis: Vec<String> = interface.iter().flat_map(|e| e.network_interface_ids.clone()).collect();
    engine::delete_stack(&mut a, "sr", &mut Quiet).expect("deletes");
    assert!(a.vpc_endpoints.is_empty());
    assert!(endpoint_enis.iter().all(|id| !a.network_interfaces.contains_key(id)), "the endpoints' ENIs go too");
}
