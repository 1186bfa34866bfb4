//! TN5004 on a planned template: the example with its container instances
//! in private subnets without a NAT route and a Secrets Manager secret, and
//! the same planned account fixed with VPC endpoints (built directly).

use account::{Account, CreateNetworkInterface, EniOwner, Peer, SecurityGroupRule, VpcEndpointType};
use reach::findings::stack_findings;
use reach::topology::{Owner, Topology};
use testkit::example::plan;
use testkit::gen::{s3_gateway_route, vpc_endpoint};

const FIXTURE: &str = "tests/fixtures/start/secret-without-nat.yml";

fn findings(a: &Account, owners: &[(String, Owner)]) -> Vec<cfn::Diagnostic> {
    let mut topo = Topology::new(a);
    for (id, o) in owners {
        topo.add_owner(id, o.clone());
    }
    stack_findings(&topo, "todobackend")
}

fn physical(owners: &[(String, Owner)], logical: &str) -> String {
    owners.iter().find(|(_, o)| o.logical_id == logical).map(|(id, _)| id.clone()).expect(logical)
}

#[test]
fn a_planned_service_whose_instances_cannot_reach_secrets_manager_or_ecr() {
    let (a, owners) = plan(FIXTURE);
    let mut out = String::new();
    for d in findings(&a, &owners) {
        out.push_str(&format!(
            "{} {} @ {}\n  {}\n  hint: {}\n",
            d.code,
            d.resource.as_deref().unwrap_or("-"),
            d.path,
            d.message,
            d.hint.as_deref().unwrap_or("-")
        ));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn the_start_runs_on_the_instances_the_auto_scaling_group_would_launch() {
    let (a, owners) = plan(FIXTURE);
    let mut topo = Topology::new(&a);
    for (id, o) in &owners {
        topo.add_owner(id, o.clone());
    }
    let service = a.services.values().next().expect("service");
    let blocked = reach::pulls::service_start_blockers(&topo, service).expect("task definition");
    assert!(!blocked.is_empty());
    assert!(blocked.iter().all(|b| b.from.starts_with("an instance of ApplicationAutoscaling")), "{blocked:#?}");
}

#[test]
fn interface_endpoints_and_an_s3_gateway_endpoint_clear_the_finding() {
    let (mut a, owners) = plan(FIXTURE);
    let vpc = a.subnets[&physical(&owners, "PrivateSubnet")].vpc_id.clone();
    let subnets = [physical(&owners, "PrivateSubnet"), physical(&owners, "PrivateSubnetB")];
    let instances = physical(&owners, "ApplicationAutoscalingSecurityGroup");
    let group = a.create_security_group(&vpc, "endpoints", "endpoints").expect("group").group_id;
    let rule = SecurityGroupRule::tcp(443, 443, Peer::SecurityGroup(instances));
    a.authorize_security_group_ingress(&group, &[rule]).expect("ingress");
    for (i, service) in ["secretsmanager", "ecr.api", "ecr.dkr", "logs"].into_iter().enumerate() {
        let id = format!("vpce-{:017x}", i + 1);
        let mut enis = Vec::new();
        for s in &subnets {
            let mut req = CreateNetworkInterface::new(s);
            req.groups = vec![group.clone()];
            req.owner = EniOwner::VpcEndpoint { vpc_endpoint_id: id.clone() };
            enis.push(a.create_network_interface(req).expect("eni").network_interface_id);
        }
        let mut e = vpc_endpoint(&id, &vpc, service, VpcEndpointType::Interface);
        e.subnet_ids = subnets.to_vec();
        e.security_group_ids = vec![group.clone()];
        e.private_dns_enabled = true;
        e.network_interface_ids = enis;
        a.vpc_endpoints.insert(id, e);
    }
    let before: Vec<String> = findings(&a, &owners).iter().map(|d| d.message.clone()).collect();
    assert!(
        before
            .iter()
            .any(|m| m.starts_with("ApplicationService's tasks cannot start: prod-us-east-1-starport-layer-bucket")),
        "S3 still has no path: {before:#?}"
    );
    let table = physical(&owners, "PrivateRouteTable");
    let s3 = "vpce-0000000000000000s3".to_string();
    let mut e = vpc_endpoint(&s3, &vpc, "s3", VpcEndpointType::Gateway);
    e.route_table_ids = vec![table.clone()];
    a.vpc_endpoints.insert(s3.clone(), e);
    s3_gateway_route(&mut a, &table, &s3);
    let after: Vec<String> = findings(&a, &owners).iter().map(|d| format!("{} {}", d.code, d.message)).collect();
    assert!(!after.iter().any(|m| m.starts_with("TN5004")), "{after:#?}");
}
