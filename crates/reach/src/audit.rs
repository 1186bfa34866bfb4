//! Who can reach what: for each destination, the sources, protocols and
//! ports that get there, summarized by the ingress rule that lets them in
//! (groups and CIDRs, not lists of addresses), and the usual dangers.
//!
//! One destination at a time, symbolically: the packets its groups' ingress
//! rules allow, intersected with what the sources' egress rules allow
//! towards it (every group's egress rules read once and merged by what
//! they allow), then the network ACLs both ways, once per ACL the source
//! subnets use. The internet's part is traced through
//! the internet gateway like any single question.

use crate::endpoint::Endpoint;
use crate::filters::{self, peer_addrs, protocol_ports, rule_declared, rule_text, RuleRef};
use crate::sets::{show_addrs, show_ports, AddrSet, Cube, PacketSet, PortSet, ProtoSet};
use crate::topology::{cidr_set, internet, Topology};
use crate::trace::{leg, Flow, Place};
use account::{NetworkAcl, NetworkInterface, Peer};
use cfn::Diagnostic;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// TN5101: a database reachable from the internet.
pub const DATABASE_FROM_INTERNET: &str = "TN5101";
/// TN5102: 0.0.0.0/0 allowed on an administration port.
pub const ADMIN_PORT_OPEN: &str = "TN5102";

/// Ports whose exposure to 0.0.0.0/0 is a finding: SSH, RDP, databases, Docker.
const ADMIN_PORTS: &[(u16, &str)] = &[
    (22, "SSH"),
    (3389, "RDP"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (1433, "SQL Server"),
    (6379, "Redis"),
    (27017, "MongoDB"),
    (2375, "Docker"),
];

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
        let mut found: Vec<Found> = Vec::new();
        // Each way in's holders as a set (by label), to merge the next class's quickly.
        let mut seen: Vec<Vec<bool>> = Vec::new();
        let mut classes: Classes<'_> = BTreeMap::new();
        for p in &places {
            classes.entry((p.subnet.clone(), p.groups.clone())).or_default().push(p);
        }
        for members in classes.values() {
            for a in ctx.destination(members, flow) {
                match found.iter().position(|x| x.rule == a.rule && x.protocol == a.protocol && x.ports == a.ports) {
                    Some(i) => {
                        for h in a.holders {
                            if !seen[i][h] {
                                seen[i][h] = true;
                                found[i].holders.push(h);
                            }
                        }
                    }
                    None => {
                        let mut set = vec![false; ctx.labels.len()];
                        a.holders.iter().for_each(|h| set[*h] = true);
                        seen.push(set);
                        found.push(a);
                    }
                }
            }
        }
        let access: Vec<Access> = found.into_iter().map(|f| ctx.access(f)).collect();
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
        EniRole::Instance { instance_id } | EniRole::Trunk { instance_id } => a
            .instances
            .get(instance_id)
            .and_then(|i| i.auto_scaling_group_name.clone())
            .map_or_else(|| topo.short(instance_id), |g| topo.short(&g)),
        EniRole::LoadBalancer { load_balancer_arn } => topo.short(load_balancer_arn),
        EniRole::NatGateway { nat_gateway_id } => topo.short(nat_gateway_id),
        EniRole::Database { db_instance_identifier } => topo.short(db_instance_identifier),
        EniRole::VpcEndpoint { vpc_endpoint_id } => topo.short(vpc_endpoint_id),
        EniRole::Other => eni.network_interface_id.clone(),
    }
}

/// What every destination shares, read once: the owners' labels by
/// address, the egress rules merged by what they allow, each VPC's subnets
/// grouped by network ACL, and the holders of source sets already named.
struct Context<'t, 'a> {
    topo: &'t Topology<'a>,
    /// Owner labels and `internet`, sorted and distinct.
    labels: Vec<String>,
    /// The index of `internet` in `labels`.
    internet_label: usize,
    /// Each private address with its owner's label (an index into `labels`), by address.
    by_addr: Vec<(u32, usize)>,
    /// Egress rules naming addresses, merged: (the addresses, protocols,
    /// ports) with the members of every group that has such a rule.
    to_addrs: Vec<(AddrSet, ProtoSet, PortSet, AddrSet)>,
    /// Egress rules naming a group, merged the same way, by the group named.
    to_groups: BTreeMap<String, Vec<(ProtoSet, PortSet, AddrSet)>>,
    /// Each VPC's subnets by network ACL: the ACL and the subnets' addresses.
    by_acl: BTreeMap<String, Vec<(Option<&'a NetworkAcl>, AddrSet)>>,
    /// The internet's addresses.
    internet: AddrSet,
    /// The holders (indices into `labels`) of source sets already named.
    named: RefCell<HashMap<AddrSet, Vec<usize>>>,
    /// Source sets already written as CIDRs.
    written: RefCell<HashMap<AddrSet, String>>,
}

/// A way in, its holders still indices into the context's labels.
struct Found {
    rule: RuleRef,
    protocol: String,
    ports: String,
    sources: String,
    holders: Vec<usize>,
}

/// A destination's places by (subnet, groups).
type Classes<'p> = BTreeMap<(Option<String>, Option<Vec<String>>), Vec<&'p Place>>;

/// An ACL and the address intervals of the subnets that use it, as gathered.
type Gathered<'a> = (Option<&'a NetworkAcl>, Vec<(u32, u32)>);

/// Normalizes lists of intervals gathered under one key.
fn merged<K: Ord>(m: BTreeMap<K, Vec<(u32, u32)>>) -> impl Iterator<Item = (K, AddrSet)> {
    m.into_iter().map(|(k, v)| (k, AddrSet::from_intervals(v)))
}

impl<'t, 'a> Context<'t, 'a> {
    fn new(topo: &'t Topology<'a>) -> Self {
        let a = topo.account;
        // One label per address (the last ENI read wins, as addresses are unique within a VPC).
        let mut at: BTreeMap<u32, String> = BTreeMap::new();
        for eni in a.network_interfaces.values() {
            at.insert(u32::from(eni.private_ip_address), owner_label(topo, eni));
        }
        let mut labels: Vec<String> = at.values().cloned().chain(["internet".to_string()]).collect();
        labels.sort();
        labels.dedup();
        let internet_label = labels.binary_search_by(|l| l.as_str().cmp("internet")).unwrap_or_default();
        let by_addr = at.iter().map(|(ip, l)| (*ip, labels.binary_search(l).unwrap_or_default())).collect();
        let mut to_addrs: BTreeMap<(AddrSet, ProtoSet, PortSet), Vec<(u32, u32)>> = BTreeMap::new();
        let mut to_groups: BTreeMap<(String, ProtoSet, PortSet), Vec<(u32, u32)>> = BTreeMap::new();
        for g in a.security_groups.values() {
            let members = topo.members(&g.group_id);
            if members.is_empty() {
                continue;
            }
            for rule in &g.egress {
                let (proto, ports) = protocol_ports(&rule.ip_protocol, rule.from_port, rule.to_port);
                let sources = match &rule.peer {
                    Peer::SecurityGroup(p) => to_groups.entry((p.clone(), proto, ports)).or_default(),
                    other => to_addrs.entry((peer_addrs(topo, other), proto, ports)).or_default(),
                };
                sources.extend_from_slice(members.intervals());
            }
        }
        let to_addrs = merged(to_addrs)
            .filter(|((peer, _, _), _)| !peer.is_empty())
            .map(|((peer, proto, ports), src)| (peer, proto, ports, src))
            .collect();
        let mut groups: BTreeMap<String, Vec<(ProtoSet, PortSet, AddrSet)>> = BTreeMap::new();
        for ((g, proto, ports), src) in merged(to_groups) {
            groups.entry(g).or_default().push((proto, ports, src));
        }
        let mut by_acl: BTreeMap<String, Vec<Gathered<'a>>> = BTreeMap::new();
        for s in a.subnets.values() {
            let acl = topo.network_acl(&s.subnet_id);
            let list = by_acl.entry(s.vpc_id.clone()).or_default();
            let same = |x: &&mut Gathered<'a>| x.0.map(|n| &n.network_acl_id) == acl.map(|n| &n.network_acl_id);
            let range = cidr_set(&s.cidr_block).intervals().to_vec();
            match list.iter_mut().find(same) {
                Some(x) => x.1.extend(range),
                None => list.push((acl, range)),
            }
        }
        let by_acl = by_acl
            .into_iter()
            .map(|(v, l)| (v, l.into_iter().map(|(acl, r)| (acl, AddrSet::from_intervals(r))).collect()))
            .collect();
        Context {
            topo,
            labels,
            internet_label,
            by_addr,
            to_addrs,
            to_groups: groups,
            by_acl,
            internet: internet(),
            named: RefCell::new(HashMap::new()),
            written: RefCell::new(HashMap::new()),
        }
    }

    /// What the sources' egress rules allow towards `dst` (addresses
    /// `dst_addrs`, groups `dst_groups`): one box per protocol and ports,
    /// from every member of a group with such a rule.
    fn egress_towards(&self, dst_addrs: &AddrSet, dst_groups: &[String]) -> PacketSet {
        let mut by_key: BTreeMap<(ProtoSet, PortSet), Vec<(u32, u32)>> = BTreeMap::new();
        for (peer, proto, ports, src) in &self.to_addrs {
            if !peer.intersect(dst_addrs).is_empty() {
                by_key.entry((*proto, ports.clone())).or_default().extend_from_slice(src.intervals());
            }
        }
        for (proto, ports, src) in dst_groups.iter().filter_map(|g| self.to_groups.get(g)).flatten() {
            by_key.entry((*proto, ports.clone())).or_default().extend_from_slice(src.intervals());
        }
        let mut out = PacketSet::empty();
        for ((proto, dst_ports), src) in merged(by_key) {
            out.push(Cube { src, dst: AddrSet::full(), proto, src_ports: PortSet::full(), dst_ports });
        }
        out
    }

    /// The owners of the ENIs at `sources` (indices into `labels`), sorted.
    fn holders(&self, sources: &AddrSet) -> Vec<usize> {
        if let Some(h) = self.named.borrow().get(sources) {
            return h.clone();
        }
        let mut seen = vec![false; self.labels.len()];
        for &(lo, hi) in sources.intervals() {
            let from = self.by_addr.partition_point(|(ip, _)| *ip < lo);
            for (_, l) in self.by_addr[from..].iter().take_while(|(ip, _)| *ip <= hi) {
                seen[*l] = true;
            }
        }
        let found: Vec<usize> = (0..seen.len()).filter(|i| seen[*i]).collect();
        self.named.borrow_mut().insert(sources.clone(), found.clone());
        found
    }

    /// `sources` as CIDRs (see `show_addrs`).
    fn write(&self, sources: AddrSet) -> String {
        if let Some(w) = self.written.borrow().get(&sources) {
            return w.clone();
        }
        let w = show_addrs(&sources);
        self.written.borrow_mut().insert(sources, w.clone());
        w
    }

    /// A way in as the report gives it.
    fn access(&self, f: Found) -> Access {
        let holders = f.holders.iter().map(|i| self.labels[*i].clone()).collect();
        Access { rule: f.rule, protocol: f.protocol, ports: f.ports, sources: f.sources, holders }
    }

    /// The ways in to one class of ENIs (same subnet, same groups).
    fn destination(&self, members: &[&Place], flow: Option<&Flow>) -> Vec<Found> {
        let topo = self.topo;
        let Some(first) = members.first() else { return Vec::new() };
        let dst_addrs = members.iter().fold(AddrSet::empty(), |acc, p| acc.union(&p.addresses));
        let Some(groups) = first.groups.clone() else { return Vec::new() };
        let subnet = first.subnet.clone().unwrap_or_default();
        let vpc = first.vpc.clone().unwrap_or_default();
        let vpc_addrs = topo.vpc(&vpc).map(|v| cidr_set(&v.cidr_block)).unwrap_or_default();
        let own = topo.subnet(&subnet).filter(|s| s.vpc_id == vpc).map(|s| cidr_set(&s.cidr_block)).unwrap_or_default();
        let dst_acl = topo.network_acl(&subnet);
        let egress = self.egress_towards(&dst_addrs, &groups);
        let limit = flow.map(|f| Cube {
            src: AddrSet::full(),
            dst: AddrSet::full(),
            proto: f.protocol,
            src_ports: PortSet::full(),
            dst_ports: f.ports.clone(),
        });
        let mut out = Vec::new();
        for g in &groups {
            let Some(group) = topo.account.security_groups.get(g) else { continue };
            for rule in &group.ingress {
                let (proto, ports) = protocol_ports(&rule.ip_protocol, rule.from_port, rule.to_port);
                let peer = peer_addrs(topo, &rule.peer);
                let mut allowed = PacketSet::of(Cube {
                    src: peer.clone(),
                    dst: dst_addrs.clone(),
                    proto,
                    src_ports: PortSet::range(1024, 65535),
                    dst_ports: ports,
                });
                if let Some(l) = &limit {
                    allowed = allowed.restrict(l);
                }
                if allowed.is_empty() {
                    continue;
                }
                let rule_ref = RuleRef { text: rule_text(topo, g, rule, false), declared: rule_declared(rule) };
                // Inside the VPC: egress, then (from other subnets) the ACLs
                // both ways; subnets sharing an ACL are filtered together.
                let inside = allowed.restrict(&Cube { src: vpc_addrs.clone(), ..Cube::full() }).intersect(&egress);
                let mut reached = inside.restrict(&Cube { src: own.clone(), ..Cube::full() });
                for (acl, addrs) in self.by_acl.get(&vpc).into_iter().flatten() {
                    let part = inside.restrict(&Cube { src: addrs.subtract(&own), ..Cube::full() });
                    if !part.is_empty() {
                        reached = reached.union(&self.across(*acl, dst_acl, &part));
                    }
                }
                let mut holders = if reached.is_empty() { Vec::new() } else { self.holders(&reached.sources()) };
                // The internet: traced through the gateway like a single question.
                let public = peer.intersect(&self.internet);
                if !public.is_empty() {
                    let f = Flow {
                        protocol: allowed.protocols(),
                        ports: allowed.dst_ports(),
                        src_ports: PortSet::range(1024, 65535),
                    };
                    let paths: Vec<_> =
                        members.iter().flat_map(|m| leg(topo, &Place::internet(public.clone()), m, &f)).collect();
                    for p in paths.iter().filter(|p| p.reachable) {
                        reached = reached.union(&p.arrived);
                        if !holders.contains(&self.internet_label) {
                            holders.push(self.internet_label);
                        }
                    }
                }
                if reached.is_empty() {
                    continue;
                }
                holders.sort_unstable();
                out.push(Found {
                    rule: rule_ref,
                    protocol: crate::query::protocol_text(&reached.protocols()),
                    ports: show_ports(&reached.dst_ports()),
                    sources: self.write(reached.sources()),
                    holders,
                });
            }
        }
        out
    }

    /// Packets from a subnet with ACL `from` to one with ACL `to`, and their replies, through both ACLs.
    fn across(&self, from: Option<&NetworkAcl>, to: Option<&NetworkAcl>, pkts: &PacketSet) -> PacketSet {
        let topo = self.topo;
        let pass = |acl: Option<&NetworkAcl>, egress: bool, p: &PacketSet| match acl {
            Some(acl) if !opens_everything(acl, egress) => filters::network_acl(topo, acl, egress, p).allowed,
            _ => p.clone(),
        };
        let fwd = pass(to, false, &pass(from, true, pkts));
        let back = pass(from, false, &pass(to, true, &fwd.reversed()));
        back.reversed()
    }
}

/// True when the ACL's first IPv4 entry one way allows all traffic from
/// (or to) 0.0.0.0/0, as the default ACL's rule 100 does: it lets every packet on.
fn opens_everything(acl: &NetworkAcl, egress: bool) -> bool {
    let first =
        acl.entries.iter().filter(|e| e.egress == egress && e.cidr_block.is_some()).min_by_key(|e| e.rule_number);
    first.is_some_and(|e| {
        e.rule_action == account::RuleAction::Allow
            && account::ec2::canonical_protocol(&e.protocol) == "-1"
            && e.cidr_block.is_some_and(|c| c.prefix() == 0)
    })
}

/// The usual dangers: a database reachable from the internet; 0.0.0.0/0 on an administration port.
fn dangers(topo: &Topology<'_>, label: &str, places: &[Place], access: &[Access], out: &mut Vec<Diagnostic>) {
    let at = |d: Diagnostic, rule: &RuleRef| match &rule.declared {
        Some(x) => x.locate(d),
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
                    let rref = RuleRef { text: rule_text(topo, &g, rule, false), declared: rule_declared(rule) };
                    let reached =
                        access.iter().any(|a| a.holders.iter().any(|h| h == "internet") && a.rule.text == rref.text);
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
