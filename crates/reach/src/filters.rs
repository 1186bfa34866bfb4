//! Security groups and network ACLs as packet sets.
//!
//! AWS doc "Security group rules": rules only allow, all rules of all the
//! ENI's groups are evaluated together, a rule naming a group matches the
//! private addresses of the ENIs in that group. AWS doc "Control subnet
//! traffic with network access control lists": entries are evaluated lowest
//! number first, the first match decides, anything unmatched is denied.

use crate::sets::{AddrSet, Cube, PacketSet, PortSet, ProtoSet, ICMP, TCP, UDP};
use crate::topology::{cidr_set, Topology};
use account::{NetworkAcl, NetworkAclEntry, Peer, RuleAction, SecurityGroupRule};
use serde::Serialize;

/// Where a rule was written: stack, resource, template path, line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Declaration {
    /// The stack.
    pub stack_name: String,
    /// The resource's logical ID.
    pub logical_id: String,
    /// The template path, e.g. `Resources/AppSg/Properties/SecurityGroupEgress/1`.
    pub path: String,
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
}

impl Declaration {
    /// Points a finding at this declaration: its resource, template path and line.
    pub fn locate(&self, d: cfn::Diagnostic) -> cfn::Diagnostic {
        d.resource(self.logical_id.clone()).path(self.path.clone()).at(cfn::Pos { line: self.line, col: self.column })
    }
}

/// A rule, route or entry that decided part of a packet set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    /// The rule as a person reads it.
    pub text: String,
    /// Where it was declared, when a template declared it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<Declaration>,
}

/// What a protocol and port pair from EC2 (`-1`, `tcp`, `6`, ICMP type and code) covers.
pub fn protocol_ports(protocol: &str, from: Option<i32>, to: Option<i32>) -> (ProtoSet, PortSet) {
    let ports = |from: Option<i32>, to: Option<i32>| match (from, to) {
        (Some(f), Some(t)) if f >= 0 && t >= 0 => {
            PortSet::range(u16::try_from(f).unwrap_or(u16::MAX), u16::try_from(t).unwrap_or(u16::MAX))
        }
        _ => PortSet::full(),
    };
    match account::ec2::canonical_protocol(protocol).as_str() {
        "-1" => (ProtoSet::full(), PortSet::full()),
        "tcp" => (ProtoSet::single(TCP), ports(from, to)),
        "udp" => (ProtoSet::single(UDP), ports(from, to)),
        // ICMP rules carry the type in FromPort (-1: every type); the code is not modelled.
        "icmp" => (ProtoSet::single(ICMP), ports(from, from)),
        other => match other.parse::<u8>() {
            Ok(n) => (ProtoSet::single(n), PortSet::full()),
            // icmpv6 and unknown names match no IPv4 packet.
            Err(_) => (ProtoSet::empty(), PortSet::empty()),
        },
    }
}

/// The addresses a rule's peer matches: a CIDR, or a group's members. IPv6
/// CIDRs match no IPv4 packet; prefix lists are not modelled (their entries
/// are not in the account), so they match nothing.
pub fn peer_addrs(topo: &Topology<'_>, peer: &Peer) -> AddrSet {
    match peer {
        Peer::Cidr(c) => cidr_set(c),
        Peer::SecurityGroup(g) => topo.members(g),
        // An AWS-managed prefix list (S3, DynamoDB) is its service's block; other lists are not modelled.
        Peer::PrefixList(pl) => crate::trace::gateway::prefix_list_service(topo, pl)
            .and_then(|s| s.gateway)
            .map_or_else(AddrSet::empty, |g| cidr_set(&g.cidr)),
        Peer::Ipv6Cidr(_) => AddrSet::empty(),
    }
}

/// The packets a rule allows: ingress rules match sources, egress rules destinations.
pub fn rule_cube(topo: &Topology<'_>, rule: &SecurityGroupRule, egress: bool) -> Cube {
    let (proto, ports) = protocol_ports(&rule.ip_protocol, rule.from_port, rule.to_port);
    let peer = peer_addrs(topo, &rule.peer);
    let mut c = Cube::full();
    if egress {
        c.dst = peer;
    } else {
        c.src = peer;
    }
    c.proto = proto;
    c.dst_ports = ports;
    c
}

/// A rule in words: `tcp 8000 from sg-… (AppSg)`.
pub fn rule_text(topo: &Topology<'_>, group_id: &str, rule: &SecurityGroupRule, egress: bool) -> String {
    let what = match account::ec2::canonical_protocol(&rule.ip_protocol).as_str() {
        "-1" => "all traffic".to_string(),
        p => {
            let (_, ports) = protocol_ports(p, rule.from_port, rule.to_port);
            format!("{p} {}", crate::sets::show_ports(&ports))
        }
    };
    let peer = match &rule.peer {
        Peer::SecurityGroup(g) => topo.named(g),
        other => other.to_string(),
    };
    let dir = if egress { "to" } else { "from" };
    format!("{}: {what} {dir} {peer}", topo.named(group_id))
}

/// Where a security group rule was declared.
pub fn rule_declared(rule: &SecurityGroupRule) -> Option<Declaration> {
    rule.origin.declared().map(declaration)
}

/// The model's declaration as reach reports it.
pub fn declaration(d: &account::Declared) -> Declaration {
    Declaration {
        stack_name: d.stack_name.clone(),
        logical_id: d.logical_id.clone(),
        path: d.path.clone(),
        line: d.line,
        column: d.column,
    }
}

/// The outcome of a filter: what it lets on and the rules that decided.
#[derive(Clone, Debug)]
pub struct Filtered {
    /// Packets let on.
    pub allowed: PacketSet,
    /// The rules that allowed (or, for ACLs, denied) some of them.
    pub rules: Vec<RuleRef>,
    /// ACL entries that denied some packets (rule numbers).
    pub denied_by: Vec<u16>,
}

/// Security groups `groups` applied to `pkts` (egress or ingress).
pub fn security_groups(topo: &Topology<'_>, groups: &[String], egress: bool, pkts: &PacketSet) -> Filtered {
    let mut allowed = PacketSet::empty();
    let mut rules = Vec::new();
    for g in groups {
        let Some(group) = topo.account.security_groups.get(g) else { continue };
        let list = if egress { &group.egress } else { &group.ingress };
        for rule in list {
            let hit = pkts.restrict(&rule_cube(topo, rule, egress));
            if !hit.is_empty() {
                allowed = allowed.union(&hit);
                rules.push(RuleRef { text: rule_text(topo, g, rule, egress), declared: rule_declared(rule) });
            }
        }
    }
    Filtered { allowed, rules, denied_by: Vec::new() }
}

/// The packets an ACL entry matches.
fn entry_cube(e: &NetworkAclEntry) -> Cube {
    let mut c = Cube::full();
    let addrs = e.cidr_block.as_ref().map_or_else(AddrSet::empty, cidr_set);
    if e.egress {
        c.dst = addrs;
    } else {
        c.src = addrs;
    }
    let (proto, ports) = match (account::ec2::canonical_protocol(&e.protocol).as_str(), e.icmp_type_code) {
        ("icmp", Some((t, _))) => protocol_ports("icmp", Some(t), Some(t)),
        (p, _) => {
            let (from, to) = e.port_range.map_or((None, None), |r| (Some(i32::from(r.from)), Some(i32::from(r.to))));
            protocol_ports(p, from, to)
        }
    };
    c.proto = proto;
    c.dst_ports = ports;
    c
}

/// An entry in words: `rule 100 allow all traffic from 0.0.0.0/0`.
fn entry_text(acl_name: &str, e: &NetworkAclEntry) -> String {
    let action = match e.rule_action {
        RuleAction::Allow => "allow",
        RuleAction::Deny => "deny",
    };
    let what = match account::ec2::canonical_protocol(&e.protocol).as_str() {
        "-1" => "all traffic".to_string(),
        p => match e.port_range {
            Some(r) if r.from == r.to => format!("{p} {}", r.from),
            Some(r) => format!("{p} {}-{}", r.from, r.to),
            None => p.to_string(),
        },
    };
    let peer = e.cidr_block.map_or_else(|| "(IPv6 only)".to_string(), |c| c.to_string());
    let dir = if e.egress { "to" } else { "from" };
    let number = if e.rule_number == account::IMPLICIT_DENY_RULE { "*".to_string() } else { e.rule_number.to_string() };
    format!("{acl_name} rule {number}: {action} {what} {dir} {peer}")
}

/// A network ACL applied to `pkts` in one direction: entries by number,
/// the first match decides, the rest is denied.
pub fn network_acl(topo: &Topology<'_>, acl: &NetworkAcl, egress: bool, pkts: &PacketSet) -> Filtered {
    let mut entries: Vec<&NetworkAclEntry> = acl.entries.iter().filter(|e| e.egress == egress).collect();
    entries.sort_by_key(|e| e.rule_number);
    let name = topo.named(&acl.network_acl_id);
    let mut remaining = pkts.clone();
    let mut allowed = PacketSet::empty();
    let mut rules = Vec::new();
    let mut denied_by = Vec::new();
    for e in entries {
        if remaining.is_empty() {
            break;
        }
        let cube = entry_cube(e);
        let hit = remaining.restrict(&cube);
        if hit.is_empty() {
            continue;
        }
        match e.rule_action {
            RuleAction::Allow => allowed = allowed.union(&hit),
            RuleAction::Deny => denied_by.push(e.rule_number),
        }
        rules.push(RuleRef { text: entry_text(&name, e), declared: e.origin.declared().map(declaration) });
        remaining = remaining.subtract(&PacketSet::of(cube));
    }
    if !remaining.is_empty() {
        // AWS doc: the final `*` entry denies whatever no numbered entry matched.
        denied_by.push(account::IMPLICIT_DENY_RULE);
        rules.push(RuleRef { text: format!("{name} rule *: deny all traffic"), declared: None });
    }
    Filtered { allowed, rules, denied_by }
}
