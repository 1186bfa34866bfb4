//! Building a [`Spec`] into an account, and describing an account for a failure's message.

use super::{
    Built, EndpointsSpec, EntrySpec, Igw, PeerSpec, Public, RuleSpec, Spec, Target, ACL_PORTS, ICMP_TYPES,
    INTERNET_BLOCKS, INTERNET_HOSTS, SG_PORTS,
};
use account::{
    Account, CreateNetworkInterface, CreateVpcEndpoint, Ec2Error, Ipv4Cidr, NetworkAclEntry, Origin, Peer, PortRange,
    RouteTarget, RuleAction, SecurityGroupRule, VpcEndpointType,
};
use std::fmt::Write as _;

/// Skips what EC2 refuses as a duplicate; anything else is a generator bug.
fn tolerate(r: Result<(), Ec2Error>) {
    match r {
        Ok(())
        | Err(
            Ec2Error::RouteAlreadyExists(_)
            | Ec2Error::PermissionDuplicate(_)
            | Ec2Error::NetworkAclEntryAlreadyExists(_),
        ) => {}
        Err(e) => panic!("the generator made a call EC2 refuses: {e}"),
    }
}

/// True when a port range neither covers 1024–65535 nor misses it entirely.
fn partial_ephemeral(r: (u16, u16)) -> bool {
    let covers = r.0 <= 1024 && r.1 == 65535;
    let misses = r.1 < 1024;
    !covers && !misses
}

fn protocol(p: u8) -> &'static str {
    ["tcp", "udp", "icmp", "-1"][usize::from(p % 4)]
}

/// A VPC's endpoints through CreateVpcEndpoint: S3's gateway endpoint in
/// the chosen tables, Secrets Manager's interface endpoint in the chosen subnet.
fn endpoints(a: &mut Account, vpc: &str, e: &EndpointsSpec, tables: &[String], subnets: &[String], groups: &[String]) {
    let region = a.region.clone();
    if let (Some(chosen), false) = (&e.s3_gateway, tables.is_empty()) {
        let mut req = CreateVpcEndpoint::new(vpc, &format!("com.amazonaws.{region}.s3"));
        for t in chosen {
            let t = &tables[t % tables.len()];
            if !req.route_table_ids.contains(t) {
                req.route_table_ids.push(t.clone());
            }
        }
        a.create_vpc_endpoint(req).expect("an S3 gateway endpoint");
    }
    if let (Some((subnet, chosen)), false) = (&e.interface, subnets.is_empty()) {
        let mut req = CreateVpcEndpoint::new(vpc, &format!("com.amazonaws.{region}.secretsmanager"));
        req.vpc_endpoint_type = VpcEndpointType::Interface;
        req.subnet_ids = vec![subnets[subnet % subnets.len()].clone()];
        req.private_dns_enabled = Some(false);
        if !groups.is_empty() {
            for g in chosen {
                let g = &groups[g % groups.len()];
                if !req.security_group_ids.contains(g) {
                    req.security_group_ids.push(g.clone());
                }
            }
        }
        a.create_vpc_endpoint(req).expect("a Secrets Manager interface endpoint");
    }
}

/// Builds `spec` into `Account::default()` through EC2 actions.
pub fn build(spec: &Spec) -> Built {
    let mut a = Account::default();
    let default_vpc = a.default_vpc().expect("the default VPC").vpc_id.clone();
    let default_subnets: Vec<String> =
        a.subnets_of_vpc(&default_vpc).iter().take(2).map(|s| s.subnet_id.clone()).collect();
    let vpcs: Vec<String> =
        (0..spec.vpcs.len()).map(|i| a.create_vpc(&format!("10.{}.0.0/16", i + 1)).expect("vpc").vpc_id).collect();
    // Subnets: 10.(v+1).(k).0/24, k the subnet's index.
    let mut subnets: Vec<(usize, String)> = Vec::new();
    for (k, s) in spec.subnets.iter().enumerate() {
        let v = s.vpc % vpcs.len();
        let id = a.create_subnet(&vpcs[v], &format!("10.{}.{k}.0/24", v + 1), None).expect("subnet").subnet_id;
        subnets.push((v, id));
    }
    let of_vpc =
        |v: usize| -> Vec<String> { subnets.iter().filter(|(x, _)| *x == v).map(|(_, id)| id.clone()).collect() };
    // Gateways and routes.
    let mut igws: Vec<Option<String>> = Vec::new();
    let mut nats: Vec<Option<String>> = Vec::new();
    let mut tables: Vec<Vec<String>> = Vec::new();
    let mut public_nat_subnets: Vec<String> = Vec::new();
    for (v, vs) in spec.vpcs.iter().enumerate() {
        let vpc = &vpcs[v];
        let igw = (vs.igw != Igw::Missing).then(|| {
            let id = a.create_internet_gateway().internet_gateway_id;
            a.attach_internet_gateway(&id, vpc).expect("attach");
            id
        });
        let mut ts = vec![a.main_route_table(vpc).expect("main table").route_table_id.clone()];
        for _ in 1..vs.tables.len() {
            ts.push(a.create_route_table(vpc).expect("table").route_table_id);
        }
        let routes = |want: Target| -> Vec<(String, String)> {
            let mut out = Vec::new();
            for (t, spec) in ts.iter().zip(&vs.tables) {
                if spec.default_route == want {
                    out.push((t.clone(), "0.0.0.0/0".to_string()));
                }
                for (b, target) in &spec.specific {
                    if *target == want {
                        out.push((t.clone(), INTERNET_BLOCKS[b % INTERNET_BLOCKS.len()].to_string()));
                    }
                }
            }
            out
        };
        if let Some(g) = &igw {
            for (t, dst) in routes(Target::Igw) {
                tolerate(a.create_route(&t, &dst, RouteTarget::InternetGateway(g.clone())));
            }
        }
        let own = of_vpc(v);
        let nat_subnet = vs.nat.filter(|_| !own.is_empty()).map(|n| own[n % own.len()].clone());
        if let (Some(subnet), true, Some(g)) = (&nat_subnet, vs.nat_public, &igw) {
            let t = a.create_route_table(vpc).expect("table").route_table_id;
            tolerate(a.create_route(&t, "0.0.0.0/0", RouteTarget::InternetGateway(g.clone())));
            a.associate_route_table(&t, subnet).expect("associate");
            public_nat_subnets.push(subnet.clone());
        }
        if vs.igw == Igw::Detached {
            if let Some(g) = &igw {
                a.detach_internet_gateway(g, vpc).expect("detach (no public address mapped yet)");
            }
        }
        let nat = nat_subnet.map(|subnet| {
            let alloc = a.allocate_address().expect("eip").allocation_id;
            // Fails (state failed, Gateway.NotAttached) when the VPC has no attached gateway.
            a.create_nat_gateway(&subnet, Some(&alloc), "public").expect("nat").nat_gateway_id
        });
        if let Some(n) = &nat {
            for (t, dst) in routes(Target::Nat) {
                tolerate(a.create_route(&t, &dst, RouteTarget::NatGateway(n.clone())));
            }
        }
        igws.push(igw);
        nats.push(nat);
        tables.push(ts);
    }
    for ((v, id), s) in subnets.iter().zip(&spec.subnets) {
        if public_nat_subnets.contains(id) {
            continue;
        }
        if let Some(t) = s.table {
            let ts = &tables[*v];
            a.associate_route_table(&ts[t % ts.len()], id).expect("associate");
        }
    }
    // Custom ACLs and their associations (entries come once addresses are known).
    let mut acls: Vec<Vec<String>> = Vec::new();
    for (v, vs) in spec.vpcs.iter().enumerate() {
        acls.push(vs.acls.iter().map(|_| a.create_network_acl(&vpcs[v]).expect("acl").network_acl_id).collect());
    }
    for ((v, id), s) in subnets.iter().zip(&spec.subnets) {
        if let (Some(i), false) = (s.acl, acls[*v].is_empty()) {
            let assoc = a.network_acl_association_id(id).expect("association");
            a.replace_network_acl_association(&assoc, &acls[*v][i % acls[*v].len()]).expect("replace association");
        }
    }
    // Security groups (rules come once addresses are known).
    let all_vpcs: Vec<String> = vpcs.iter().cloned().chain([default_vpc.clone()]).collect();
    let mut groups: Vec<(String, String)> = Vec::new();
    for (i, g) in spec.groups.iter().enumerate() {
        let vpc = all_vpcs[g.vpc % all_vpcs.len()].clone();
        let id = a.create_security_group(&vpc, &format!("g{i}"), "generated").expect("group").group_id;
        if g.revoke_default_egress {
            a.revoke_security_group_egress(&id, &[SecurityGroupRule::all_to_cidr(Ipv4Cidr::any())]).expect("revoke");
        }
        groups.push((vpc, id));
    }
    let same_vpc =
        |vpc: &str| -> Vec<String> { groups.iter().filter(|(v, _)| v == vpc).map(|(_, g)| g.clone()).collect() };
    // ENIs.
    let all_subnets: Vec<String> = subnets.iter().map(|(_, s)| s.clone()).chain(default_subnets).collect();
    let mut enis = Vec::new();
    for e in &spec.enis {
        let subnet = all_subnets[e.subnet % all_subnets.len()].clone();
        let vpc = a.subnets[&subnet].vpc_id.clone();
        let choices = same_vpc(&vpc);
        let mut req = CreateNetworkInterface::new(&subnet);
        if !choices.is_empty() {
            for g in &e.groups {
                let id = choices[g % choices.len()].clone();
                if !req.groups.contains(&id) {
                    req.groups.push(id);
                }
            }
        }
        req.assign_public_ip = e.public == Public::Auto;
        let id = a.create_network_interface(req).expect("eni").network_interface_id;
        if e.public == Public::Elastic {
            let alloc = a.allocate_address().expect("eip").allocation_id;
            a.associate_address(&alloc, &id).expect("associate eip");
        }
        enis.push(id);
    }
    // VPC endpoints, after the ENIs so theirs take the next addresses.
    for (v, vs) in spec.vpcs.iter().enumerate() {
        endpoints(&mut a, &vpcs[v], &vs.endpoints, &tables[v], &of_vpc(v), &same_vpc(&vpcs[v]));
    }
    // The CIDRs rules and entries name: everything, the VPCs, the subnets,
    // each ENI's addresses, the NAT gateways' Elastic IPs and internet blocks and hosts.
    let mut cidrs: Vec<String> = vec!["0.0.0.0/0".into()];
    cidrs.extend(all_vpcs.iter().map(|v| a.vpcs[v].cidr_block.to_string()));
    cidrs.extend(all_subnets.iter().map(|s| a.subnets[s].cidr_block.to_string()));
    for id in &enis {
        let n = &a.network_interfaces[id];
        cidrs.push(format!("{}/32", n.private_ip_address));
        if let Some(p) = &n.association {
            cidrs.push(format!("{}/32", p.public_ip));
        }
    }
    for n in a.nat_gateways.values() {
        cidrs.extend(n.nat_gateway_addresses.iter().filter_map(|x| x.public_ip).map(|ip| format!("{ip}/32")));
    }
    cidrs.extend(INTERNET_BLOCKS.iter().map(|s| s.to_string()));
    cidrs.extend(INTERNET_HOSTS.iter().map(|s| format!("{s}/32")));
    cidrs.push("10.0.0.0/8".into());
    let cidr = |i: usize| Ipv4Cidr::parse(&cidrs[i % cidrs.len()]).expect("cidr");
    // Security group rules.
    for ((vpc, id), g) in groups.iter().zip(&spec.groups) {
        let peers = same_vpc(vpc);
        let make = |r: &RuleSpec| {
            let (from, to) = match r.proto % 4 {
                0 | 1 => {
                    let (f, t) = SG_PORTS[r.ports % SG_PORTS.len()];
                    (Some(f), Some(t))
                }
                2 => (Some(ICMP_TYPES[r.icmp % ICMP_TYPES.len()]), Some(-1)),
                _ => (None, None),
            };
            let peer = match r.peer {
                PeerSpec::Cidr(i) => Peer::Cidr(cidr(i)),
                PeerSpec::Group(i) => Peer::SecurityGroup(peers[i % peers.len()].clone()),
            };
            SecurityGroupRule {
                ip_protocol: protocol(r.proto).into(),
                from_port: from,
                to_port: to,
                peer,
                description: None,
                origin: Origin::none(),
            }
        };
        for r in &g.ingress {
            tolerate(a.authorize_security_group_ingress(id, &[make(r)]));
        }
        for r in &g.egress {
            tolerate(a.authorize_security_group_egress(id, &[make(r)]));
        }
    }
    // Network ACL entries. The NAT gateways' subnets' ACLs name port ranges
    // that cover the ephemeral range or miss it (see `partial_ephemeral`).
    let nat_acls: Vec<String> = a
        .nat_gateways
        .values()
        .filter_map(|n| a.network_acl_for_subnet(&n.subnet_id).ok().map(|x| x.network_acl_id.clone()))
        .collect();
    for (v, vs) in spec.vpcs.iter().enumerate() {
        let default_acl = a.default_network_acl(&vpcs[v]).expect("default acl").network_acl_id.clone();
        let lists = acls[v]
            .iter()
            .cloned()
            .zip(vs.acls.iter().map(|(e, rest)| (e, *rest)))
            .chain([(default_acl, (&vs.default_acl, false))]);
        let lists: Vec<(String, (&Vec<EntrySpec>, bool))> = lists.collect();
        for (acl, (entries, allow_rest)) in lists {
            let nat_safe = nat_acls.contains(&acl);
            if allow_rest {
                for egress in [false, true] {
                    let rest = NetworkAclEntry {
                        rule_number: 32000,
                        protocol: "-1".into(),
                        rule_action: RuleAction::Allow,
                        egress,
                        cidr_block: Some(Ipv4Cidr::any()),
                        ipv6_cidr_block: None,
                        port_range: None,
                        icmp_type_code: None,
                        origin: Origin::none(),
                    };
                    tolerate(a.create_network_acl_entry(&acl, rest));
                }
            }
            for e in entries {
                let (protocol, port_range, icmp_type_code) = match e.proto % 4 {
                    p @ (0 | 1) => {
                        let mut r = ACL_PORTS[e.ports % ACL_PORTS.len()];
                        if nat_safe && partial_ephemeral(r) {
                            r = (1024, 65535);
                        }
                        (if p == 0 { "6" } else { "17" }, Some(PortRange { from: r.0, to: r.1 }), None)
                    }
                    2 => ("1", None, Some((ICMP_TYPES[e.icmp % ICMP_TYPES.len()], -1))),
                    _ => ("-1", None, None),
                };
                let entry = NetworkAclEntry {
                    rule_number: e.number,
                    protocol: protocol.into(),
                    rule_action: if e.allow { RuleAction::Allow } else { RuleAction::Deny },
                    egress: e.egress,
                    cidr_block: Some(cidr(e.cidr)),
                    ipv6_cidr_block: None,
                    port_range,
                    icmp_type_code,
                    origin: Origin::none(),
                };
                tolerate(a.create_network_acl_entry(&acl, entry));
            }
        }
    }
    Built { account: a, enis, cidrs }
}

/// The topology in words, for a failure's message.
pub fn describe(a: &Account) -> String {
    let mut s = String::new();
    for v in a.vpcs.values() {
        let igw = a
            .internet_gateways
            .values()
            .find(|g| g.vpc_id() == Some(&v.vpc_id))
            .map_or("none".to_string(), |g| g.internet_gateway_id.clone());
        let _ = writeln!(s, "{} {} igw={igw}", v.vpc_id, v.cidr_block);
    }
    for g in a.internet_gateways.values().filter(|g| g.vpc_id().is_none()) {
        let _ = writeln!(s, "{} detached", g.internet_gateway_id);
    }
    for n in a.nat_gateways.values() {
        let addr = n.nat_gateway_addresses.first();
        let _ = writeln!(
            s,
            "{} in {} {:?} private={:?} public={:?}",
            n.nat_gateway_id,
            n.subnet_id,
            n.state,
            addr.and_then(|x| x.private_ip),
            addr.and_then(|x| x.public_ip)
        );
    }
    let mut used: Vec<&str> = a.network_interfaces.values().map(|n| n.subnet_id.as_str()).collect();
    used.extend(a.nat_gateways.values().map(|n| n.subnet_id.as_str()));
    for sub in a
        .subnets
        .values()
        .filter(|x| !x.vpc_id.is_empty() && (!a.vpcs[&x.vpc_id].is_default || used.contains(&x.subnet_id.as_str())))
    {
        let t = a.route_table_for_subnet(&sub.subnet_id).map(|t| t.route_table_id.clone()).unwrap_or_default();
        let acl = a.network_acl_for_subnet(&sub.subnet_id).map(|t| t.network_acl_id.clone()).unwrap_or_default();
        let _ = writeln!(s, "{} {} ({}) table={t} acl={acl}", sub.subnet_id, sub.cidr_block, sub.vpc_id);
    }
    for t in a.route_tables.values() {
        let routes: Vec<String> = t
            .routes
            .iter()
            .map(|r| {
                format!("{}→{}", r.destination_cidr_block.map(|c| c.to_string()).unwrap_or_default(), r.target.id())
            })
            .collect();
        let _ = writeln!(
            s,
            "{} ({}{}) {}",
            t.route_table_id,
            t.vpc_id,
            if t.is_main() { ", main" } else { "" },
            routes.join(" ")
        );
    }
    for acl in a.network_acls.values() {
        let mut entries: Vec<&NetworkAclEntry> = acl.entries.iter().collect();
        entries.sort_by_key(|e| (e.egress, e.rule_number));
        let text: Vec<String> = entries
            .iter()
            .map(|e| {
                let ports = match (e.port_range, e.icmp_type_code) {
                    (Some(r), _) => format!(" {}-{}", r.from, r.to),
                    (_, Some((t, _))) => format!(" type {t}"),
                    _ => String::new(),
                };
                format!(
                    "{}{} {:?} p{}{ports} {}",
                    if e.egress { "out" } else { "in" },
                    e.rule_number,
                    e.rule_action,
                    e.protocol,
                    e.cidr_block.map(|c| c.to_string()).unwrap_or_default()
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "{} ({}{}) {}",
            acl.network_acl_id,
            acl.vpc_id,
            if acl.is_default { ", default" } else { "" },
            text.join("; ")
        );
    }
    let rule = |r: &SecurityGroupRule| format!("{} {:?}-{:?} {}", r.ip_protocol, r.from_port, r.to_port, r.peer);
    for g in a.security_groups.values() {
        let ingress: Vec<String> = g.ingress.iter().map(rule).collect();
        let egress: Vec<String> = g.egress.iter().map(rule).collect();
        let _ = writeln!(
            s,
            "{} {} ({}) in[{}] out[{}]",
            g.group_id,
            g.group_name,
            g.vpc_id,
            ingress.join("; "),
            egress.join("; ")
        );
    }
    for n in a.network_interfaces.values() {
        let _ = writeln!(
            s,
            "{} {} in {} public={:?} groups={:?}",
            n.network_interface_id,
            n.private_ip_address,
            n.subnet_id,
            n.association.as_ref().map(|x| x.public_ip),
            n.groups
        );
    }
    s
}
