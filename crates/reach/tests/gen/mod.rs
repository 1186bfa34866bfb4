//! Random topologies for the reach property tests, built through the
//! account's own EC2 actions (so every topology is one EC2 would accept):
//! the default VPC plus one or two 10.x.0.0/16 VPCs, their subnets, route
//! tables, internet and NAT gateways, security groups, network ACLs and ENIs.
//!
//! A [`Spec`] is plain data made of small indices; building maps every
//! index onto what exists (modulo the count), so any shrunk spec still
//! builds. Calls EC2 refuses as duplicates (a route or rule that already
//! exists, a taken ACL rule number) are skipped, as a template author
//! would drop them.
//!
//! [`services_vpc`] builds the large, regular VPC the benchmarks audit.

#![allow(dead_code)]

use account::{
    Account, CreateNetworkInterface, Ec2Error, Ipv4Cidr, NetworkAclEntry, NetworkInterface, Origin, Peer, PortRange,
    RouteTarget, RuleAction, SecurityGroupRule, Task,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// Port ranges security group rules use.
pub const SG_PORTS: &[(i32, i32)] =
    &[(80, 80), (20, 25), (53, 53), (443, 443), (1000, 1100), (8000, 8000), (0, 65535), (1024, 65535)];
/// Port ranges network ACL entries use (some cover the ephemeral range, some part of it).
pub const ACL_PORTS: &[(u16, u16)] = &[
    (80, 80),
    (20, 25),
    (53, 53),
    (443, 443),
    (1000, 1100),
    (8000, 8000),
    (1024, 65535),
    (0, 65535),
    (32768, 65535),
    (0, 1023),
];
/// ICMP types rules and entries name (-1: every type).
pub const ICMP_TYPES: &[i32] = &[-1, 0, 8, 3];
/// Internet blocks routes and rules name (192.0.2.0/24 holds the public IPs the account hands out).
pub const INTERNET_BLOCKS: &[&str] = &["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "198.51.100.0/25"];
/// Internet hosts packets go to or come from.
pub const INTERNET_HOSTS: &[&str] = &["203.0.113.7", "203.0.113.200", "198.51.100.9", "198.51.100.201"];

/// What happens to a VPC's internet gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Igw {
    /// Created and attached.
    Attached,
    /// None at all.
    Missing,
    /// Created, attached, routed to, then detached (its routes are blackholes, a NAT gateway fails).
    Detached,
}

/// Where a route goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// No route.
    None,
    /// The VPC's internet gateway.
    Igw,
    /// The VPC's NAT gateway.
    Nat,
}

/// A route table: its 0.0.0.0/0 route and more specific routes to internet blocks.
#[derive(Clone, Debug)]
pub struct TableSpec {
    /// The default route's target.
    pub default_route: Target,
    /// (index into [`INTERNET_BLOCKS`], target).
    pub specific: Vec<(usize, Target)>,
}

/// One network ACL entry.
#[derive(Clone, Debug)]
pub struct EntrySpec {
    /// Rule number.
    pub number: u16,
    /// Outbound when true.
    pub egress: bool,
    /// 0 tcp, 1 udp, 2 icmp, 3 all.
    pub proto: u8,
    /// Allow or deny.
    pub allow: bool,
    /// Index into the CIDR choices.
    pub cidr: usize,
    /// Index into [`ACL_PORTS`].
    pub ports: usize,
    /// Index into [`ICMP_TYPES`].
    pub icmp: usize,
}

/// One of our VPCs (10.(i+1).0.0/16).
#[derive(Clone, Debug)]
pub struct VpcSpec {
    /// Its internet gateway.
    pub igw: Igw,
    /// A NAT gateway in its subnet number `n` (modulo its subnets).
    pub nat: Option<usize>,
    /// Give the NAT gateway's subnet a table of its own sending 0.0.0.0/0 to
    /// the internet gateway (a public subnet), whatever its spec says.
    pub nat_public: bool,
    /// Its route tables: the main one first, then custom ones.
    pub tables: Vec<TableSpec>,
    /// Custom network ACLs, each with its entries and whether it ends
    /// allowing the rest (entry 32000, both ways: a deny-list ACL).
    pub acls: Vec<(Vec<EntrySpec>, bool)>,
    /// Entries added to its default ACL.
    pub default_acl: Vec<EntrySpec>,
}

/// A subnet of one of our VPCs.
#[derive(Clone, Debug)]
pub struct SubnetSpec {
    /// Which of our VPCs.
    pub vpc: usize,
    /// An explicit association with that VPC's table `n` (0: the main table, explicitly); none: the main table implicitly.
    pub table: Option<usize>,
    /// A custom ACL of the VPC (none: the default ACL).
    pub acl: Option<usize>,
}

/// Who a security group rule names.
#[derive(Clone, Copy, Debug)]
pub enum PeerSpec {
    /// Index into the CIDR choices.
    Cidr(usize),
    /// A group of the same VPC.
    Group(usize),
}

/// One security group rule.
#[derive(Clone, Debug)]
pub struct RuleSpec {
    /// 0 tcp, 1 udp, 2 icmp, 3 all.
    pub proto: u8,
    /// Index into [`SG_PORTS`].
    pub ports: usize,
    /// Index into [`ICMP_TYPES`].
    pub icmp: usize,
    /// The peer.
    pub peer: PeerSpec,
}

/// A security group.
#[derive(Clone, Debug)]
pub struct GroupSpec {
    /// Which VPC: one of ours, or (the last index) the default VPC.
    pub vpc: usize,
    /// Ingress rules.
    pub ingress: Vec<RuleSpec>,
    /// Egress rules added.
    pub egress: Vec<RuleSpec>,
    /// Revoke the allow-all egress rule.
    pub revoke_default_egress: bool,
}

/// A public address for an ENI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Public {
    /// None.
    None,
    /// Auto-assigned (AssignPublicIp).
    Auto,
    /// An Elastic IP associated.
    Elastic,
}

/// An ENI.
#[derive(Clone, Debug)]
pub struct EniSpec {
    /// Which subnet: ours, then two of the default VPC's.
    pub subnet: usize,
    /// Groups of its VPC (none: the default group).
    pub groups: Vec<usize>,
    /// Its public address.
    pub public: Public,
}

/// A whole topology.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Our VPCs.
    pub vpcs: Vec<VpcSpec>,
    /// Our subnets.
    pub subnets: Vec<SubnetSpec>,
    /// Security groups.
    pub groups: Vec<GroupSpec>,
    /// ENIs.
    pub enis: Vec<EniSpec>,
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![1 => Just(Target::None), 2 => Just(Target::Igw), 2 => Just(Target::Nat)]
}

fn table() -> impl Strategy<Value = TableSpec> {
    (target(), vec((0..INTERNET_BLOCKS.len(), target()), 0..=2))
        .prop_map(|(default_route, specific)| TableSpec { default_route, specific })
}

/// A CIDR choice: 0.0.0.0/0 (index 0) a third of the time.
fn cidr_choice() -> impl Strategy<Value = usize> {
    prop_oneof![1 => Just(0usize), 2 => 0usize..64]
}

fn entry() -> impl Strategy<Value = EntrySpec> {
    (
        1u16..=20,
        any::<bool>(),
        0u8..4,
        prop::bool::weighted(0.7),
        cidr_choice(),
        0..ACL_PORTS.len(),
        0..ICMP_TYPES.len(),
    )
        .prop_map(|(n, egress, proto, allow, cidr, ports, icmp)| EntrySpec {
            number: n * 10,
            egress,
            proto,
            allow,
            cidr,
            ports,
            icmp,
        })
}

fn vpc() -> impl Strategy<Value = VpcSpec> {
    let igw = prop_oneof![5 => Just(Igw::Attached), 1 => Just(Igw::Missing), 1 => Just(Igw::Detached)];
    (
        igw,
        option::weighted(0.8, 0usize..6),
        prop::bool::weighted(0.85),
        vec(table(), 1..=3),
        vec((vec(entry(), 0..=6), any::<bool>()), 0..=2),
        vec(entry(), 0..=3),
    )
        .prop_map(|(igw, nat, nat_public, tables, acls, default_acl)| VpcSpec {
            igw,
            nat,
            nat_public,
            tables,
            acls,
            default_acl,
        })
}

fn subnet() -> impl Strategy<Value = SubnetSpec> {
    (0usize..2, option::of(0usize..3), option::weighted(0.4, 0usize..2)).prop_map(|(vpc, table, acl)| SubnetSpec {
        vpc,
        table,
        acl,
    })
}

fn rule() -> impl Strategy<Value = RuleSpec> {
    let peer = prop_oneof![2 => cidr_choice().prop_map(PeerSpec::Cidr), 1 => (0usize..6).prop_map(PeerSpec::Group)];
    (0u8..4, 0..SG_PORTS.len(), 0..ICMP_TYPES.len(), peer).prop_map(|(proto, ports, icmp, peer)| RuleSpec {
        proto,
        ports,
        icmp,
        peer,
    })
}

fn group() -> impl Strategy<Value = GroupSpec> {
    (0usize..3, vec(rule(), 0..=5), vec(rule(), 0..=3), prop::bool::weighted(0.4)).prop_map(
        |(vpc, ingress, egress, revoke_default_egress)| GroupSpec { vpc, ingress, egress, revoke_default_egress },
    )
}

fn eni() -> impl Strategy<Value = EniSpec> {
    let public = prop_oneof![1 => Just(Public::None), 1 => Just(Public::Auto), 1 => Just(Public::Elastic)];
    (0usize..8, vec(0usize..6, 0..=3), public).prop_map(|(subnet, groups, public)| EniSpec { subnet, groups, public })
}

/// Any topology: 1–2 VPCs, 2–6 subnets, 2–6 groups, 4–12 ENIs.
pub fn spec() -> impl Strategy<Value = Spec> {
    (vec(vpc(), 1..=2), vec(subnet(), 2..=6), vec(group(), 2..=6), vec(eni(), 4..=12))
        .prop_map(|(vpcs, subnets, groups, enis)| Spec { vpcs, subnets, groups, enis })
}

/// A built topology.
pub struct Built {
    /// The account.
    pub account: Account,
    /// Our ENIs' IDs, in spec order.
    pub enis: Vec<String>,
    /// The CIDRs rules and entries chose from.
    pub cidrs: Vec<String>,
}

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
        let eni = a.create_network_interface(req).unwrap_or_else(|e| panic!("eni {i} of {n} in subnet {subnet}: {e}"));
        let task_arn = format!("arn:aws:ecs:{region}:123456789012:task/bench/{i:032x}");
        let task = Task {
            task_arn: task_arn.clone(),
            cluster_arn: format!("arn:aws:ecs:{region}:123456789012:cluster/bench"),
            task_definition_arn: format!("arn:aws:ecs:{region}:123456789012:task-definition/svc-{k}:1"),
            container_instance_arn: None,
            group: format!("service:svc-{k}"),
            started_by: None,
            launch_type: "FARGATE".into(),
            availability_zone: eni.availability_zone.clone(),
            last_status: "RUNNING".into(),
            desired_status: "RUNNING".into(),
            connectivity: "CONNECTED".into(),
            cpu: 256,
            memory: 512,
            created_at: 0,
            started_at: Some(0),
            stopping_at: None,
            stopped_at: None,
            stop_code: None,
            stopped_reason: None,
            attachments: Vec::new(),
            containers: Vec::new(),
            eni_id: Some(eni.network_interface_id.clone()),
            service_arn: Some(format!("arn:aws:ecs:{region}:123456789012:service/bench/svc-{k}")),
            next_transition_at: None,
        };
        a.tasks.insert(task_arn, task);
    }
    a
}

/// What kind of packet [`packet_ends`] made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// ENI to ENI of the same VPC.
    Private,
    /// ENI to an ENI of another VPC (by private address).
    CrossVpc,
    /// ENI to an internet host.
    ToInternet,
    /// Internet host to a public IP.
    FromInternet,
    /// Internet host to a private address.
    ToPrivateFromInternet,
    /// ENI to another ENI's public IP (out and back in).
    Hairpin,
}

/// Kind numbers for [`packet_ends`], weighted as the tests draw them.
pub fn kind_number() -> impl Strategy<Value = u8> {
    prop_oneof![3 => Just(0u8), 3 => Just(1u8), 2 => Just(2u8), 2 => Just(3u8), 1 => Just(4u8), 1 => Just(5u8)]
}

/// The ends of a packet of kind number `kind` in a built topology, with `a`
/// and `b` as indices into what it has: the kind, the source ENI (none when
/// the packet comes from the internet), and the source and destination
/// addresses. None when the topology lacks the ends the kind needs.
pub fn packet_ends(
    a: &Account,
    enis: &[String],
    kind: u8,
    ia: usize,
    ib: usize,
) -> Option<(Kind, Option<String>, Ipv4Addr, Ipv4Addr)> {
    let eni = |i: usize| enis.get(i % enis.len().max(1)).and_then(|id| a.network_interfaces.get(id));
    let src_eni = eni(ia)?;
    let from_eni = Some(src_eni.network_interface_id.clone());
    let public: Vec<&NetworkInterface> =
        enis.iter().filter_map(|id| a.network_interfaces.get(id)).filter(|n| n.association.is_some()).collect();
    let host = |i: usize| INTERNET_HOSTS[i % INTERNET_HOSTS.len()].parse::<Ipv4Addr>().ok();
    Some(match kind {
        0 => {
            let peers: Vec<&NetworkInterface> = enis
                .iter()
                .filter_map(|id| a.network_interfaces.get(id))
                .filter(|n| n.vpc_id == src_eni.vpc_id && n.network_interface_id != src_eni.network_interface_id)
                .collect();
            let dst = peers.get(ib % peers.len().max(1))?;
            (Kind::Private, from_eni, src_eni.private_ip_address, dst.private_ip_address)
        }
        1 => (Kind::ToInternet, from_eni, src_eni.private_ip_address, host(ib)?),
        2 => {
            let dst = public.get(ib % public.len().max(1))?;
            (Kind::FromInternet, None, host(ia)?, dst.association.as_ref()?.public_ip)
        }
        3 => {
            let others: Vec<&&NetworkInterface> =
                public.iter().filter(|n| n.network_interface_id != src_eni.network_interface_id).collect();
            let dst = others.get(ib % others.len().max(1))?;
            (Kind::Hairpin, from_eni, src_eni.private_ip_address, dst.association.as_ref()?.public_ip)
        }
        5 => (Kind::ToPrivateFromInternet, None, host(ia)?, eni(ib)?.private_ip_address),
        _ => {
            let dst = eni(ib)?;
            if dst.network_interface_id == src_eni.network_interface_id {
                return None;
            }
            let kind = if dst.vpc_id == src_eni.vpc_id { Kind::Private } else { Kind::CrossVpc };
            (kind, from_eni, src_eni.private_ip_address, dst.private_ip_address)
        }
    })
}

/// The regression cases' VPC: 10.9.0.0/16 with a public subnet 10.9.0.0/24
/// (0.0.0.0/0 to the internet gateway, holding a NAT gateway), a private one
/// 10.9.1.0/24 (0.0.0.0/0 to the NAT gateway), and a group open to all inbound.
pub struct NatVpc {
    /// The account.
    pub account: Account,
    /// The VPC.
    pub vpc: String,
    /// The public subnet.
    pub public: String,
    /// The private subnet.
    pub private: String,
    /// The public subnet's route table.
    pub public_table: String,
    /// The open group.
    pub group: String,
}

/// Builds [`NatVpc`].
pub fn nat_vpc() -> NatVpc {
    let mut a = Account::default();
    let vpc = a.create_vpc("10.9.0.0/16").expect("vpc").vpc_id;
    let public = a.create_subnet(&vpc, "10.9.0.0/24", None).expect("subnet").subnet_id;
    let private = a.create_subnet(&vpc, "10.9.1.0/24", None).expect("subnet").subnet_id;
    let igw = a.create_internet_gateway().internet_gateway_id;
    a.attach_internet_gateway(&igw, &vpc).expect("attach");
    let public_table = a.create_route_table(&vpc).expect("table").route_table_id;
    a.create_route(&public_table, "0.0.0.0/0", RouteTarget::InternetGateway(igw)).expect("route");
    a.associate_route_table(&public_table, &public).expect("associate");
    let alloc = a.allocate_address().expect("eip").allocation_id;
    let nat = a.create_nat_gateway(&public, Some(&alloc), "public").expect("nat").nat_gateway_id;
    let private_table = a.create_route_table(&vpc).expect("table").route_table_id;
    a.create_route(&private_table, "0.0.0.0/0", RouteTarget::NatGateway(nat)).expect("route");
    a.associate_route_table(&private_table, &private).expect("associate");
    let group = a.create_security_group(&vpc, "open", "all").expect("group").group_id;
    a.authorize_security_group_ingress(&group, &[SecurityGroupRule::all_to_cidr(Ipv4Cidr::any())]).expect("ingress");
    NatVpc { account: a, vpc, public, private, public_table, group }
}

/// An ENI in `subnet` holding `group`, with a public IP when `public`.
pub fn open_eni(a: &mut Account, subnet: &str, group: &str, public: bool) -> account::NetworkInterface {
    let mut req = CreateNetworkInterface::new(subnet);
    req.groups = vec![group.to_string()];
    req.assign_public_ip = public;
    a.create_network_interface(req).expect("eni")
}
