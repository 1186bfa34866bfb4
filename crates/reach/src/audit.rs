//! Who can reach what: for each destination, the sources, protocols and
//! ports that get there, summarized by the ingress rule that lets them in
//! (groups and CIDRs, not lists of addresses), and the usual dangers.
//!
//! One destination at a time, symbolically: the packets its groups' ingress
//! rules allow, intersected with what the sources' egress rules allow
//! towards it (every group's egress rules read once), then each source
//! subnet's network ACLs both ways. The internet's part is traced through
//! the internet gateway like any single question.

use crate::endpoint::Endpoint;
use crate::filters::{self, peer_addrs, protocol_ports, rule_declared, rule_text, RuleRef};
use crate::sets::{show_addrs, show_ports, AddrSet, Cube, PacketSet, PortSet};
use crate::topology::{cidr_set, internet, Topology};
use crate::trace::{leg, Flow, Place};
use account::{NetworkInterface, Peer};
use cfn::{Diagnostic, Pos};
use serde::Serialize;
use std::collections::BTreeMap;

/// TN5101: a database reachable from the internet.
pub const DATABASE_FROM_INTERNET: &str = "TN5101";
/// TN5102: 0.0.0.0/0 allowed on an administration port.
pub const ADMIN_PORT_OPEN: &str = "TN5102";

/// Ports whose exposure to 0.0.0.0/0 is a finding: SSH, RDP, databases, Docker.
const ADMIN_PORTS: &[(u16, &str)] = &[(22, "SSH"), (3389, "RDP"), (3306, "MySQL"), (5432, "PostgreSQL"), (1433, "SQL Server"), (6379, "Redis"), (27017, "MongoDB"), (2375, "Docker")];

/// One way in to a destination.
#[derive(Clone, Debug, Serialize)]
pub struct Access {
    /// The rule that lets it in.
    pub rule: RuleRef,
    /// `tcp`, `udp`, `icmp` or `all`.
    pub protocol: String,
    /// The ports that get through.
    pub ports: String,
    /// Source addresses that really get through (as CIDRs).
    pub sources: String,
    /// Who holds them: services, load balancers, instances, `internet`.
    pub holders: Vec<String>,
}

/// What reaches one destination.
#[derive(Clone, Debug, Serialize)]
pub struct Destination {
    /// The destination (a logical ID or an ENI).
    pub destination: String,
    /// Its ENIs.
    pub enis: usize,
    /// Every way in.
    pub access: Vec<Access>,
}

/// The audit's answer.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Per destination.
    pub destinations: Vec<Destination>,
    /// Dangers found.
    #[serde(skip)]
    pub findings: Vec<Diagnostic>,
}

/// Audits `to` (or every ENI, grouped by owner), optionally for one flow.
pub fn audit(topo: &Topology<'_>, to: Option<&Endpoint>, flow: Option<&Flow>) -> Report {
    let groups: Vec<(String, Vec<Place>)> = match to {
        Some(e) => vec![(e.label.clone(), e.places.clone())],
        None => by_owner(topo),
    };
    let ctx = Context::new(topo);
    let mut destinations = Vec::new();
    let mut findings = Vec::new();
    for (label, places) in groups {
        let mut access: Vec<Access> = Vec::new();
        let mut classes: BTreeMap<(Option<String>, Option<Vec<String>>), Vec<&Place>> = BTreeMap::new();
        for p in &places {
            classes.entry((p.subnet.clone(), p.groups.clone())).or_default().push(p);
        }
        for members in classes.values() {
            for a in ctx.destination(members, flow) {
                match access.iter_mut().find(|x| x.rule == a.rule && x.protocol == a.protocol && x.ports == a.ports) {
                    Some(x) => {
                        for h in a.holders {
                            if !x.holders.contains(&h) {
                                x.holders.push(h);
                            }
                        }
                    }
                    None => access.push(a),
                }
            }
        }
        dangers(topo, &label, &places, &access, &mut findings);
        destinations.push(Destination { destination: label, enis: places.len(), access });
    }
    Report { destinations, findings }
}

/// Every ENI, grouped by what owns it (a service's tasks together).
fn by_owner(topo: &Topology<'_>) -> Vec<(String, Vec<Place>)> {
    let mut out: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for eni in topo.account.network_interfaces.values() {
        let owner = owner_label(topo, eni);
        out.entry(owner).or_default().push(Place::eni(topo, eni));
    }
    out.into_iter().collect()
}

/// The name an ENI's owner goes by: a logical ID when a stack made it.
fn owner_label(topo: &Topology<'_>, eni: &NetworkInterface) -> String {
    use crate::role::EniRole;
    let a = topo.account;
    match topo.roles.of(&eni.network_interface_id) {
        EniRole::Task { service_arn: Some(s), .. } => topo.short(s),
        EniRole::Task { task_arn, .. } => topo.short(task_arn),
        EniRole::Instance { instance_id } | EniRole::Trunk { instance_id } => {
            a.instances.get(instance_id).and_then(|i| i.auto_scaling_group_name.clone()).map_or_else(|| topo.short(instance_id), |g| topo.short(&g))
        }
        EniRole::LoadBalancer { load_balancer_arn } => topo.short(load_balancer_arn),
        EniRole::NatGateway { nat_gateway_id } => topo.short(nat_gateway_id),
        EniRole::Database { db_instance_identifier } => topo.short(db_instance_identifier),
        EniRole::Other => eni.network_interface_id.clone(),
    }
}

/// Egress rules read once: for each group, its rules as packet boxes with
/// the group's members as sources.
struct Context<'t, 'a> {
    topo: &'t Topology<'a>,
    holders: BTreeMap<u32, String>,
}

impl<'t, 'a> Context<'t, 'a> {
    fn new(topo: &'t Topology<'a>) -> Self {
        let mut holders = BTreeMap::new();
        for eni in topo.account.network_interfaces.values() {
            holders.insert(u32::from(eni.private_ip_address), owner_label(topo, eni));
        }
        Context { topo, holders }
    }

    /// What the sources' egress rules allow towards `dst` (addresses `dst_addrs`, groups `dst_groups`).
    fn egress_towards(&self, dst_addrs: &AddrSet, dst_groups: &[String]) -> PacketSet {
        let mut out = PacketSet::empty();
        for g in self.topo.account.security_groups.values() {
            let members = self.topo.members(&g.group_id);
            if members.is_empty() {
                continue;
            }
            for rule in &g.egress {
                let reaches = match &rule.peer {
                    Peer::SecurityGroup(p) => dst_groups.contains(p),
                    other => !peer_addrs(self.topo, other).intersect(dst_addrs).is_empty(),
                };
                if !reaches {
                    continue;
                }
                let (proto, ports) = protocol_ports(&rule.ip_protocol, rule.from_port, rule.to_port);
                out.push(Cube { src: members.clone(), dst: AddrSet::full(), proto, src_ports: PortSet::full(), dst_ports: ports });
            }
        }
        out
    }

    /// The ways in to one class of ENIs (same subnet, same groups).
    fn destination(&self, members: &[&Place], flow: Option<&Flow>) -> Vec<Access> {
        let topo = self.topo;
        let Some(first) = members.first() else { return Vec::new() };
        let dst_addrs = members.iter().fold(AddrSet::empty(), |acc, p| acc.union(&p.addresses));
        let Some(groups) = first.groups.clone() else { return Vec::new() };
        let subnet = first.subnet.clone().unwrap_or_default();
        let vpc = first.vpc.clone().unwrap_or_default();
        let vpc_addrs = topo.vpc(&vpc).map(|v| cidr_set(&v.cidr_block)).unwrap_or_default();
        let egress = self.egress_towards(&dst_addrs, &groups);
        let limit = flow.map(|f| Cube { src: AddrSet::full(), dst: AddrSet::full(), proto: f.protocol, src_ports: PortSet::full(), dst_ports: f.ports.clone() });
        let mut out = Vec::new();
        for g in &groups {
            let Some(group) = topo.account.security_groups.get(g) else { continue };
            for rule in &group.ingress {
                let (proto, ports) = protocol_ports(&rule.ip_protocol, rule.from_port, rule.to_port);
                let peer = peer_addrs(topo, &rule.peer);
                let mut allowed = PacketSet::of(Cube { src: peer.clone(), dst: dst_addrs.clone(), proto, src_ports: PortSet::range(1024, 65535), dst_ports: ports });
                if let Some(l) = &limit {
                    allowed = allowed.restrict(l);
                }
                if allowed.is_empty() {
                    continue;
                }
                let rule_ref = RuleRef { text: rule_text(topo, g, rule, false), declared: rule_declared(rule) };
                // Inside the VPC: egress, then the ACLs of each source subnet and back.
                let inside = allowed.restrict(&Cube { src: vpc_addrs.clone(), ..Cube::full() }).intersect(&egress);
                let mut reached = PacketSet::empty();
                for s in topo.account.subnets.values().filter(|s| s.vpc_id == vpc) {
                    let part = inside.restrict(&Cube { src: cidr_set(&s.cidr_block), ..Cube::full() });
                    if part.is_empty() {
                        continue;
                    }
                    reached = reached.union(&self.across(&s.subnet_id, &subnet, &part));
                }
                let mut holders: Vec<String> = Vec::new();
                for c in reached.cubes() {
                    for &(lo, hi) in c.src.intervals() {
                        for (_, h) in self.holders.range(lo..=hi) {
                            if !holders.contains(h) {
                                holders.push(h.clone());
                            }
                        }
                    }
                }
                // The internet: traced through the gateway like a single question.
                let public = peer.intersect(&internet());
                if !public.is_empty() {
                    let f = Flow { protocol: allowed.protocols(), ports: allowed.dst_ports(), src_ports: PortSet::range(1024, 65535) };
                    let paths: Vec<_> = members.iter().flat_map(|m| leg(topo, &Place::internet(public.clone()), m, &f)).collect();
                    for p in paths.iter().filter(|p| p.reachable) {
                        reached = reached.union(&p.arrived);
                        if !holders.iter().any(|h| h == "internet") {
                            holders.push("internet".into());
                        }
                    }
                }
                if reached.is_empty() {
                    continue;
                }
                holders.sort();
                out.push(Access {
                    rule: rule_ref,
                    protocol: crate::query::protocol_text(&reached.protocols()),
                    ports: show_ports(&reached.dst_ports()),
                    sources: show_addrs(&reached.sources()),
                    holders,
                });
            }
        }
        out
    }

    /// Packets from subnet `from` to subnet `to`, and their replies, through both ACLs.
    fn across(&self, from: &str, to: &str, pkts: &PacketSet) -> PacketSet {
        if from == to {
            return pkts.clone();
        }
        let topo = self.topo;
        let pass = |subnet: &str, egress: bool, p: &PacketSet| match topo.network_acl(subnet) {
            Some(acl) => filters::network_acl(topo, acl, egress, p).allowed,
            None => p.clone(),
        };
        let fwd = pass(to, false, &pass(from, true, pkts));
        let back = pass(from, false, &pass(to, true, &fwd.reversed()));
        back.reversed()
    }
}

/// The usual dangers: a database reachable from the internet; 0.0.0.0/0 on an administration port.
fn dangers(topo: &Topology<'_>, label: &str, places: &[Place], access: &[Access], out: &mut Vec<Diagnostic>) {
    let at = |d: Diagnostic, rule: &RuleRef| match &rule.declared {
        Some(x) => d.resource(x.logical_id.clone()).path(x.path.clone()).at(Pos { line: x.line, col: x.column }),
        None => d,
    };
    let is_db = places.iter().any(|p| p.role == "database");
    for a in access.iter().filter(|a| a.holders.iter().any(|h| h == "internet")) {
        if is_db {
            out.push(at(
                Diagnostic::warning(DATABASE_FROM_INTERNET, format!("the database {label} is reachable from the internet on {} {} ({})", a.protocol, a.ports, a.rule.text))
                    .resource(label.to_string())
                    .hint("allow the database port only from the application's security group (SourceSecurityGroupId), and set PubliclyAccessible: false"),
                &a.rule,
            ));
        }
    }
    // Rules open to 0.0.0.0/0 on admin ports, whether or not a route delivers today.
    let mut seen = Vec::new();
    for p in places {
        for g in p.groups.clone().unwrap_or_default() {
            let Some(group) = topo.account.security_groups.get(&g) else { continue };
            for rule in &group.ingress {
                let Peer::Cidr(c) = &rule.peer else { continue };
                if c.prefix() != 0 {
                    continue;
                }
                let (proto, ports) = protocol_ports(&rule.ip_protocol, rule.from_port, rule.to_port);
                if !proto.contains(crate::sets::TCP) {
                    continue;
                }
                for (port, what) in ADMIN_PORTS.iter().filter(|(port, _)| ports.contains(*port)) {
                    let key = (g.clone(), *port);
                    if seen.contains(&key) {
                        continue;
                    }
                    seen.push(key);
                    let reached = access.iter().any(|a| a.holders.iter().any(|h| h == "internet") && a.rule.text == rule_text(topo, &g, rule, false));
                    let rref = RuleRef { text: rule_text(topo, &g, rule, false), declared: rule_declared(rule) };
                    out.push(at(
                        Diagnostic::warning(
                            ADMIN_PORT_OPEN,
                            format!(
                                "{} allows {what} (tcp {port}) from 0.0.0.0/0 into {label}{}",
                                topo.short(&g),
                                if reached { ", and the internet reaches it" } else { " (no route from the internet delivers it today)" }
                            ),
                        )
                        .resource(topo.short(&g))
                        .hint("narrow the rule to the addresses that administer it (CidrIp: <your network>/32) or use Session Manager"),
                        &rref,
                    ));
                }
            }
        }
    }
}
