//! The large, regular VPC the benchmarks audit.

use account::{Account, CreateNetworkInterface, Ipv4Cidr, Origin, Peer, RouteTarget, SecurityGroupRule, Task};

/// Subnets of [`services_vpc`]; the first `PUBLIC` route to the internet gateway.
const SUBNETS: usize = 50;
const PUBLIC: usize = 5;

fn port_rule(protocol: &str, from: i32, to: i32, peer: Peer) -> SecurityGroupRule {
    SecurityGroupRule {
        ip_protocol: protocol.into(),
        from_port: Some(from),
        to_port: Some(to),
        peer,
        description: None,
        origin: Origin::none(),
    }
}

fn cidr_peer(text: &str) -> Peer {
    Peer::Cidr(Ipv4Cidr::parse(text).expect("cidr"))
}

/// A large VPC for benchmarks, with `n` ENIs: n/10 services of 10 awsvpc
/// tasks each (task model structs name the services), n/10 security groups
/// with 10 rules each (n rules: group and CIDR peers, the usual ports), 50
/// subnets (5 public, 45 private behind a NAT gateway), the default ACL.
pub fn services_vpc(n: usize) -> Account {
    let mut a = Account::empty("123456789012", "us-east-1");
    let vpc = a.create_vpc("10.0.0.0/16").expect("vpc").vpc_id;
    let zones: Vec<String> = a.availability_zones.iter().map(|z| z.zone_name.clone()).collect();
    let subnets: Vec<String> = (0..SUBNETS)
        .map(|k| {
            a.create_subnet(&vpc, &format!("10.0.{k}.0/24"), zones.get(k % zones.len().max(1)).map(String::as_str))
                .expect("subnet")
                .subnet_id
        })
        .collect();
    let igw = a.create_internet_gateway().internet_gateway_id;
    a.attach_internet_gateway(&igw, &vpc).expect("attach");
    let public = a.create_route_table(&vpc).expect("table").route_table_id;
    a.create_route(&public, "0.0.0.0/0", RouteTarget::InternetGateway(igw)).expect("route");
    for s in &subnets[..PUBLIC] {
        a.associate_route_table(&public, s).expect("associate");
    }
    let eip = a.allocate_address().expect("eip").allocation_id;
    let nat = a.create_nat_gateway(&subnets[0], Some(&eip), "public").expect("nat").nat_gateway_id;
    let main = a.main_route_table(&vpc).expect("main").route_table_id.clone();
    a.create_route(&main, "0.0.0.0/0", RouteTarget::NatGateway(nat)).expect("route");
    // n/10 groups, 10 rules each: 7 ingress, 3 egress (one of them the default allow-all, or not).
    let g = (n / 10).max(1);
    let groups: Vec<String> = (0..g)
        .map(|k| a.create_security_group(&vpc, &format!("svc-{k}"), "service").expect("group").group_id)
        .collect();
    let sg = |k: usize| Peer::SecurityGroup(groups[k % g].clone());
    for (k, group) in groups.iter().enumerate() {
        let ingress = vec![
            port_rule("tcp", 8000, 8000, sg(k + 1)),
            port_rule("tcp", 8080, 8080, sg(k + 7)),
            port_rule("tcp", 443, 443, cidr_peer("10.0.0.0/16")),
            port_rule("tcp", 22, 22, cidr_peer(&format!("10.0.{}.0/24", k % SUBNETS))),
            if k % 10 == 0 {
                port_rule("tcp", 443, 443, cidr_peer("0.0.0.0/0"))
            } else {
                port_rule("tcp", 9000, 9100, sg(k * 13 + 5))
            },
            if k % 3 == 0 {
                port_rule("udp", 53, 53, cidr_peer("10.0.0.0/16"))
            } else {
                port_rule("tcp", 6379, 6379, sg(k + 3))
            },
            port_rule("tcp", 1024, 65535, cidr_peer(&format!("10.0.{}.0/24", (k * 7) % SUBNETS))),
        ];
        a.authorize_security_group_ingress(group, &ingress).expect("ingress");
        let egress = if k % 3 == 1 {
            a.revoke_security_group_egress(group, &[SecurityGroupRule::all_to_cidr(Ipv4Cidr::any())]).expect("revoke");
            vec![
                port_rule("tcp", 443, 443, cidr_peer("0.0.0.0/0")),
                port_rule("tcp", 8000, 8000, cidr_peer("10.0.0.0/16")),
                port_rule("udp", 53, 53, cidr_peer("10.0.0.0/16")),
            ]
        } else {
            vec![port_rule("tcp", 443, 443, cidr_peer("0.0.0.0/0")), port_rule("tcp", 5432, 5432, sg(k + 2))]
        };
        a.authorize_security_group_egress(group, &egress).expect("egress");
    }
    // n/10 services of 10 tasks, over three subnets each; every 100th service public.
    let region = a.region.clone();
    for i in 0..n {
        let k = i / 10;
        let public = k % 100 == 0;
        // Three subnets per service; which of them gets the fourth task rotates, so no /24 overflows.
        let third = (i % 10 + k / 15) % 3;
        let subnet = if public { (k / 100 + third) % PUBLIC } else { PUBLIC + 3 * (k % 15) + third };
        let mut req = CreateNetworkInterface::new(&subnets[subnet]);
        req.groups = vec![groups[k % g].clone()];
        if k % 4 == 0 {
            req.groups.push(groups[(k + 1) % g].clone());
        }
        req.assign_public_ip = public;
        let task_arn = format!("arn:aws:ecs:{region}:123456789012:task/bench/{i:032x}");
        req.owner = account::EniOwner::Task { task_arn: task_arn.clone() };
        let eni = a.create_network_interface(req).unwrap_or_else(|e| panic!("eni {i} of {n} in subnet {subnet}: {e}"));
        let task = Task {
            task_arn: task_arn.clone(),
            cluster_arn: format!("arn:aws:ecs:{region}:123456789012:cluster/bench"),
            task_definition_arn: format!("arn:aws:ecs:{region}:123456789012:task-definition/svc-{k}:1"),
            container_instance_arn: None,
            group: format!("service:svc-{k}"),
            started_by: None,
            launch_type: "FARGATE".into(),
            availability_zone: eni.availability_zone.clone(),
            last_status: account::TaskStatus::Running,
            desired_status: account::TaskStatus::Running,
            connectivity: "CONNECTED".into(),
            cpu: 256,
            memory: 512,
            created_at: 0,
            started_at: Some(0),
            stopping_at: None,
            stopped_at: None,
            execution_stopped_at: None,
            stop_code: None,
            stopped_reason: None,
            attachments: Vec::new(),
            containers: Vec::new(),
            eni_id: Some(eni.network_interface_id.clone()),
            service_arn: Some(format!("arn:aws:ecs:{region}:123456789012:service/bench/svc-{k}")),
            next_transition_at: None,
            start_pulls: account::StartPulls::Reach,
        };
        a.tasks.insert(task_arn, task);
    }
    a
}
