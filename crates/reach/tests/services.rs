//! AWS's APIs as places: a task in a private subnet reaching Secrets
//! Manager, ECR and S3 through a NAT gateway, interface endpoints (their
//! groups' ingress) or a gateway endpoint's prefix-list route; and what a
//! task's start needs (`pulls`). The accounts are built directly (the EC2
//! actions for endpoints belong to another part).

use account::{
    Account, ContainerDefinition, ContainerSecret, CreateNetworkInterface, EniOwner, LogConfiguration, Peer,
    RouteTarget, SecurityGroupRule, TaskDefinition, VpcEndpoint, VpcEndpointType,
};
use reach::endpoint::{resolve, Endpoint};
use reach::packet::{check, Packet};
use reach::pulls::{needs, start_blockers};
use reach::query::{ask, parse_flow, Answer};
use reach::topology::Topology;
use reach::trace::Place;
use std::net::Ipv4Addr;
use testkit::gen::{nat_vpc, open_eni, s3_gateway_route, vpc_endpoint};

/// A VPC with a NAT gateway, a task ENI in its private subnet (a group with
/// the default egress), and a group for endpoints that allows nothing yet.
struct World {
    a: Account,
    vpc: String,
    private: String,
    table: String,
    task_eni: String,
    task_group: String,
    endpoint_group: String,
}

fn world() -> World {
    let n = nat_vpc();
    let mut a = n.account;
    let task_group = a.create_security_group(&n.vpc, "task", "task").expect("group").group_id;
    let endpoint_group = a.create_security_group(&n.vpc, "endpoints", "endpoints").expect("group").group_id;
    let task_eni = open_eni(&mut a, &n.private, &task_group, false).network_interface_id;
    let table = a
        .route_tables
        .values()
        .find(|t| t.associations.iter().any(|x| x.subnet_id.as_deref() == Some(n.private.as_str())))
        .expect("private table")
        .route_table_id
        .clone();
    World { a, vpc: n.vpc, private: n.private, table, task_eni, task_group, endpoint_group }
}

impl World {
    fn without_nat_route(mut self) -> Self {
        self.a.delete_route(&self.table, "0.0.0.0/0").expect("delete route");
        self
    }

    fn allow_443_from_tasks(&mut self) {
        let rule = SecurityGroupRule::tcp(443, 443, Peer::SecurityGroup(self.task_group.clone()));
        self.a.authorize_security_group_ingress(&self.endpoint_group, &[rule]).expect("ingress");
    }

    /// An interface endpoint for `service` with one ENI in the private subnet.
    fn interface_endpoint(&mut self, service: &str, private_dns: bool) -> (String, String) {
        let id = format!("vpce-{:017x}", self.a.vpc_endpoints.len() + 1);
        let mut req = CreateNetworkInterface::new(&self.private);
        req.groups = vec![self.endpoint_group.clone()];
        req.requester_managed = true;
        req.owner = EniOwner::VpcEndpoint { vpc_endpoint_id: id.clone() };
        let eni = self.a.create_network_interface(req).expect("eni").network_interface_id;
        self.a.vpc_endpoints.insert(
            id.clone(),
            endpoint(&id, &self.vpc, service, VpcEndpointType::Interface, |e| {
                e.subnet_ids = vec![self.private.clone()];
                e.security_group_ids = vec![self.endpoint_group.clone()];
                e.private_dns_enabled = private_dns;
                e.network_interface_ids = vec![eni.clone()];
            }),
        );
        (id, eni)
    }

    /// An S3 gateway endpoint on the private route table.
    fn s3_gateway_endpoint(&mut self) -> String {
        let id = "vpce-0000000000000a3s3".to_string();
        let table = self.table.clone();
        self.a.vpc_endpoints.insert(
            id.clone(),
            endpoint(&id, &self.vpc, "s3", VpcEndpointType::Gateway, |e| e.route_table_ids = vec![table.clone()]),
        );
        s3_gateway_route(&mut self.a, &table, &id);
        id
    }

    fn ask(&self, to: &str) -> Answer {
        let topo = Topology::new(&self.a);
        let from = resolve(&topo, &self.task_eni, None).expect("task ENI resolves");
        let to = resolve(&topo, to, None).expect("service resolves");
        ask(&topo, &from, &to, &parse_flow("tcp", "443").expect("flow"))
    }

    fn task_ip(&self) -> Ipv4Addr {
        self.a.network_interfaces[&self.task_eni].private_ip_address
    }
}

fn endpoint(
    id: &str,
    vpc: &str,
    service: &str,
    kind: VpcEndpointType,
    f: impl FnOnce(&mut VpcEndpoint),
) -> VpcEndpoint {
    let mut e = vpc_endpoint(id, vpc, service, kind);
    f(&mut e);
    e
}

fn steps(a: &Answer) -> Vec<String> {
    a.paths
        .iter()
        .flat_map(|p| p.hops.iter().map(|h| format!("{}{}", h.step, if h.blocked { "!" } else { "" })))
        .collect()
}

fn fixes(a: &Answer) -> Vec<String> {
    a.paths.iter().flat_map(|p| p.blockers.iter().map(|b| b.fix.clone())).collect()
}

#[test]
fn a_task_reaches_secrets_manager_through_the_nat_gateway() {
    let w = world();
    for name in ["secretsmanager", "secretsmanager.us-east-1.amazonaws.com", "com.amazonaws.us-east-1.secretsmanager"] {
        let ans = w.ask(name);
        assert!(ans.reachable, "{name}: {ans:#?}");
        assert_eq!(ans.to, "secretsmanager.us-east-1.amazonaws.com");
        let s = steps(&ans);
        assert_eq!(s.first().map(String::as_str), Some("dns"), "{s:?}");
        assert!(s.contains(&"nat-gateway".to_string()), "{s:?}");
        assert!(
            ans.paths[0].hops[0].detail.contains("203.0.113.135, the public endpoint"),
            "{:?}",
            ans.paths[0].hops[0]
        );
    }
}

#[test]
fn without_a_route_the_fix_names_the_nat_gateway_or_an_interface_endpoint() {
    let w = world().without_nat_route();
    let ans = w.ask("secretsmanager");
    assert!(!ans.reachable);
    let f = fixes(&ans);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].starts_with("add an AWS::EC2::Route {RouteTableId: rtb-"), "{f:?}");
    assert!(f[0].contains("NatGatewayId: nat-"), "{f:?}");
    assert!(
        f[0].contains("or add an interface VPC endpoint for com.amazonaws.us-east-1.secretsmanager in subnet-")
            && f[0].contains(&format!("allowing tcp 443 from {}", w.task_group)),
        "{f:?}"
    );
    let ans = w.ask("s3");
    assert!(fixes(&ans)[0].contains("or add a gateway endpoint for com.amazonaws.us-east-1.s3 to rtb-"), "{ans:#?}");
}

#[test]
fn an_interface_endpoint_with_private_dns_keeps_the_path_in_the_vpc() {
    let mut w = world().without_nat_route();
    w.allow_443_from_tasks();
    let (vpce, eni) = w.interface_endpoint("secretsmanager", true);
    let ans = w.ask("secretsmanager");
    assert!(ans.reachable, "{ans:#?}");
    let p = &ans.paths[0];
    assert_eq!(p.to.eni.as_deref(), Some(eni.as_str()));
    assert!(p.to.label.starts_with("secretsmanager.us-east-1.amazonaws.com at "), "{}", p.to.label);
    assert!(p.to.label.contains(&vpce), "the endpoint is named: {}", p.to.label);
    assert!(p.hops[0].detail.contains(&format!("interface endpoint {vpce}")), "{:?}", p.hops[0]);
    let s = steps(&ans);
    assert!(!s.iter().any(|x| x.starts_with("nat-gateway")), "{s:?}");
    let ingress = p.hops.iter().find(|h| h.step == "security-group-ingress").expect("the endpoint's ingress");
    assert_eq!(ingress.component, w.endpoint_group);
    // Other services still go to their public endpoints.
    assert!(!w.ask("ssm").reachable);
    let dot = reach::graph::dot(&Topology::new(&w.a), &reach::graph::GraphOptions { vpc_id: None, interactive: None });
    assert!(dot.contains("VPC endpoint: ") && dot.contains("com.amazonaws.us-east-1.secretsmanager"), "{dot}");
}

#[test]
fn the_endpoints_group_must_allow_443_from_the_task() {
    let mut w = world().without_nat_route();
    w.interface_endpoint("secretsmanager", true);
    let ans = w.ask("secretsmanager");
    assert!(!ans.reachable);
    let b = &ans.paths[0].blockers;
    assert_eq!(b.len(), 1, "{b:#?}");
    assert_eq!(b[0].step, "security-group-ingress");
    assert_eq!(
        b[0].fix,
        format!(
            "add an AWS::EC2::SecurityGroupIngress {{GroupId: {}, IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: {}}}",
            w.endpoint_group, w.task_group
        )
    );
}

#[test]
fn without_private_dns_the_name_is_the_public_endpoint() {
    let mut w = world().without_nat_route();
    w.allow_443_from_tasks();
    let (vpce, _) = w.interface_endpoint("secretsmanager", false);
    let ans = w.ask("secretsmanager");
    assert!(!ans.reachable);
    assert!(fixes(&ans)[0].contains(&format!("or set PrivateDnsEnabled: true on {vpce}")), "{:?}", fixes(&ans));
}

#[test]
fn without_dns_support_the_name_does_not_resolve() {
    let mut w = world();
    w.a.vpcs.get_mut(&w.vpc).expect("vpc").enable_dns_support = false;
    let ans = w.ask("ecr.dkr");
    assert!(!ans.reachable);
    assert_eq!(ans.to, "123456789012.dkr.ecr.us-east-1.amazonaws.com");
    let b = &ans.paths[0].blockers[0];
    assert_eq!(b.step, "dns");
    assert!(b.reason.contains("enableDnsSupport off") && b.reason.contains("does not resolve"), "{b:?}");
    assert!(b.fix.starts_with(&format!("set EnableDnsSupport: true on {}", w.vpc)), "{b:?}");
}

#[test]
fn an_s3_gateway_endpoint_delivers_from_the_private_address() {
    let mut w = world().without_nat_route();
    let vpce = w.s3_gateway_endpoint();
    let ans = w.ask("s3");
    assert!(ans.reachable, "{ans:#?}");
    let p = &ans.paths[0];
    let route = p.hops.iter().find(|h| h.step == "route").expect("route hop");
    assert_eq!(route.rules[0].text, format!("pl-63a5400a (com.amazonaws.us-east-1.s3) → {vpce}"));
    assert!(p.hops.iter().any(|h| h.step == "vpc-endpoint" && h.component == vpce), "{:?}", steps(&ans));
    assert!(!p.hops.iter().any(|h| h.step == "nat-gateway" || h.step == "internet-gateway"));
    assert_eq!(p.arrived.sources(), reach::sets::AddrSet::single(u32::from(w.task_ip())), "no translation");
    // The same verdicts for single packets, the differential test's function.
    let topo = Topology::new(&w.a);
    let packet =
        |d: [u8; 4]| Packet { src: w.task_ip(), dst: Ipv4Addr::from(d), protocol: 6, src_port: 40000, dst_port: 443 };
    assert!(check(&topo, &packet([203, 0, 113, 193])).allowed);
    assert!(check(&topo, &packet([203, 0, 113, 200])).allowed, "anywhere in the prefix list's block");
    assert!(!check(&topo, &packet([203, 0, 113, 135])).allowed, "Secrets Manager has no gateway endpoint");
    let dot = reach::graph::dot(&topo, &reach::graph::GraphOptions { vpc_id: None, interactive: None });
    assert!(dot.contains("gateway endpoint") && dot.contains("pl-63a5400a"), "{dot}");
}

#[test]
fn a_vpc_endpoint_is_a_place_by_its_id() {
    let mut w = world().without_nat_route();
    w.allow_443_from_tasks();
    let (vpce, eni) = w.interface_endpoint("secretsmanager", false);
    // Its ENIs, whatever the VPC's DNS answers for the name.
    let ans = w.ask(&vpce);
    assert!(ans.reachable, "{ans:#?}");
    assert_eq!(ans.paths.len(), 1);
    assert_eq!(ans.paths[0].to.eni.as_deref(), Some(eni.as_str()));
    // A gateway endpoint stands for its service, through its route.
    let s3 = w.s3_gateway_endpoint();
    let ans = w.ask(&s3);
    assert!(ans.reachable, "{ans:#?}");
    assert!(ans.paths[0].hops.iter().any(|h| h.step == "vpc-endpoint" && h.component == s3), "{:?}", steps(&ans));
    // Without the route, the trace shows where the packets go instead.
    let table = w.table.clone();
    w.a.route_tables.get_mut(&table).expect("table").routes.retain(|r| r.destination_prefix_list_id.is_none());
    assert!(!w.ask(&s3).reachable);
}

#[test]
fn the_longest_prefix_wins_and_on_a_tie_the_static_route() {
    let mut w = world();
    w.s3_gateway_endpoint();
    // 0.0.0.0/0 → NAT is less specific than the prefix list's /28.
    assert!(steps(&w.ask("s3")).contains(&"vpc-endpoint".to_string()));
    let nat = w.a.nat_gateways.keys().next().cloned().expect("nat");
    w.a.create_route(&w.table, "203.0.113.192/28", RouteTarget::NatGateway(nat)).expect("route");
    let s = steps(&w.ask("s3"));
    assert!(s.contains(&"nat-gateway".to_string()) && !s.contains(&"vpc-endpoint".to_string()), "{s:?}");
}

#[test]
fn a_prefix_list_egress_rule_allows_the_gateway_endpoints_block_only() {
    let mut w = world().without_nat_route();
    w.s3_gateway_endpoint();
    let g = w.a.security_groups.get_mut(&w.task_group).expect("group");
    g.egress = vec![SecurityGroupRule::tcp(443, 443, Peer::PrefixList("pl-63a5400a".into()))];
    assert!(w.ask("s3").reachable);
    let ans = w.ask("secretsmanager");
    assert_eq!(ans.paths[0].blockers[0].step, "security-group-egress", "{ans:#?}");
}

fn container(name: &str, image: &str) -> ContainerDefinition {
    serde_json::from_value(serde_json::json!({"name": name, "image": image, "essential": true})).expect("container")
}

fn task_definition(containers: Vec<ContainerDefinition>) -> TaskDefinition {
    let mut td: TaskDefinition = serde_json::from_value(serde_json::json!({
        "family": "app", "revision": 1, "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1",
        "networkMode": "awsvpc", "containerDefinitions": [], "status": "ACTIVE"
    }))
    .expect("task definition");
    td.container_definitions = containers;
    td
}

fn secret(name: &str, value_from: &str) -> ContainerSecret {
    ContainerSecret { name: name.into(), value_from: value_from.into() }
}

#[test]
fn a_start_needs_its_secrets_its_private_image_and_its_log_stream() {
    let a = Account::default();
    let mut app = container("app", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1");
    app.secrets = vec![
        secret("DB", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::"),
        secret("KEY", "arn:aws:ssm:us-east-1:123456789012:parameter/app/key"),
        secret("NAME", "app-name"),
    ];
    app.log_configuration = Some(LogConfiguration {
        log_driver: "awslogs".into(),
        options: [("awslogs-group".to_string(), "/app".to_string())].into_iter().collect(),
    });
    let sidecar = container("sidecar", "public.ecr.aws/nginx/nginx:latest");
    let n = needs(&a, &task_definition(vec![app, sidecar]));
    let hosts: Vec<(&str, &str, usize)> =
        n.iter().map(|x| (x.target.service.name, x.target.host.as_str(), x.purposes.len())).collect();
    assert_eq!(
        hosts,
        vec![
            ("secretsmanager", "secretsmanager.us-east-1.amazonaws.com", 1),
            ("ssm", "ssm.us-east-1.amazonaws.com", 2),
            ("ecr.api", "api.ecr.us-east-1.amazonaws.com", 1),
            ("ecr.dkr", "123456789012.dkr.ecr.us-east-1.amazonaws.com", 1),
            ("s3", "prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com", 1),
            ("logs", "logs.us-east-1.amazonaws.com", 1),
        ]
    );
}

#[test]
fn start_blockers_name_each_unreachable_service_until_endpoints_carry_them() {
    let mut w = world().without_nat_route();
    let mut app = container("app", "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1");
    app.secrets = vec![secret("DB", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf")];
    let td = task_definition(vec![app]);
    let blocked = |w: &World| {
        let topo = Topology::new(&w.a);
        let from = [Place::eni(&topo, &w.a.network_interfaces[&w.task_eni])];
        start_blockers(&topo, &td, &from)
    };
    let b = blocked(&w);
    let names: Vec<&str> = b.iter().map(|x| x.service).collect();
    assert_eq!(names, vec!["secretsmanager", "ecr.api", "ecr.dkr", "s3"]);
    assert!(b[0].reason.contains("has no route to 203.0.113.135"), "{:?}", b[0]);
    assert!(b[0].fix.contains("NatGatewayId") && b[0].fix.contains("interface VPC endpoint"), "{:?}", b[0]);
    for s in ["secretsmanager", "ecr.api", "ecr.dkr"] {
        w.interface_endpoint(s, true);
    }
    let b = blocked(&w);
    assert_eq!(b.len(), 4, "the endpoints' group allows nothing yet: {b:#?}");
    assert_eq!(b[0].blockers[0].step, "security-group-ingress");
    w.allow_443_from_tasks();
    assert_eq!(blocked(&w).iter().map(|x| x.service).collect::<Vec<_>>(), vec!["s3"]);
    w.s3_gateway_endpoint();
    assert!(blocked(&w).is_empty());
}

#[test]
fn a_service_name_as_the_source_is_its_public_endpoint() {
    let w = world();
    let topo = Topology::new(&w.a);
    let from: Endpoint = resolve(&topo, "sts", None).expect("sts resolves");
    assert_eq!(from.label, "sts.us-east-1.amazonaws.com");
    assert!(from.places[0].is_internet());
    let err = resolve(&topo, "nosuchservice", None).expect_err("unknown");
    assert!(err.to_string().contains("an AWS service (secretsmanager"), "{err}");
}
