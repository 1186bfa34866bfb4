//! nftables rulesets: security groups and network ACLs in the router, the
//! NAT gateway's masquerade, the internet gateway's 1:1 translation.
//!
//! Every table is written whole and replaced in one `nft -f` transaction
//! (see [`replace`]), so a ruleset is never seen half-applied; conntrack
//! entries survive the swap, so established flows keep flowing.

use super::EniNs;
use crate::names::nft_ident;
use account::{Account, NetworkAclEntry, Peer, RuleAction, SecurityGroupRule};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// The table every namespace's ruleset lives in.
pub const TABLE: &str = "ip tn";

/// `nft -f` text that replaces the table with `body` atomically.
pub fn replace(body: &str) -> String {
    format!("table {TABLE} {{}}\ndelete table {TABLE}\ntable {TABLE} {{\n{body}}}\n")
}

/// The router's security groups and network ACLs.
///
/// AWS doc "Control traffic to your AWS resources using security groups":
/// stateful, allow rules only, all rules of all groups together; a rule naming
/// a group matches its members' private addresses. AWS doc "Control subnet
/// traffic with network access control lists": stateless, numbered rules,
/// first match wins, implicit deny, applied only when a packet enters or
/// leaves the subnet. Inbound: ACL then security group; outbound: security
/// group then ACL (the order does not change the verdict, both must allow).
/// Traffic to the router itself (the `.1`s and the resolver) takes the input
/// path and is never filtered, as AWS leaves Amazon DNS unfiltered.
pub fn router(account: &Account, enis: &[&EniNs]) -> String {
    let mut out = String::new();
    let mut group_sets: BTreeSet<String> = BTreeSet::new();
    let mut group_chains = String::new();
    let mut used_groups: BTreeSet<&str> = BTreeSet::new();
    for e in enis.iter().filter(|e| e.filtered()) {
        used_groups.extend(e.groups.iter().map(String::as_str));
    }
    for g in &used_groups {
        let Some(sg) = account.security_groups.get(*g) else { continue };
        for (egress, rules) in [(true, &sg.egress), (false, &sg.ingress)] {
            let name = format!("{}_{}", if egress { "sgout" } else { "sgin" }, nft_ident(g));
            let _ = writeln!(group_chains, "  chain {name} {{");
            let verdict = if egress { "goto ingress" } else { "accept" };
            for r in rules {
                if let Some(m) = sg_match(r, egress, &account.region, &mut group_sets) {
                    let _ = writeln!(group_chains, "    {m}{verdict}");
                }
            }
            group_chains.push_str("  }\n");
        }
    }
    // Group members: every ENI of the account holding the group (as `tasknet reach` counts them).
    let mut members: BTreeMap<&str, BTreeSet<Ipv4Addr>> = BTreeMap::new();
    for eni in account.network_interfaces.values() {
        for g in &eni.groups {
            members.entry(g.as_str()).or_default().insert(eni.private_ip_address);
        }
    }
    for g in &group_sets {
        let _ = writeln!(out, "  set g_{} {{\n    type ipv4_addr;", nft_ident(g));
        if let Some(m) = members.get(g.as_str()).filter(|m| !m.is_empty()) {
            let list: Vec<String> = m.iter().map(Ipv4Addr::to_string).collect();
            let _ = writeln!(out, "    elements = {{ {} }}", list.join(", "));
        }
        out.push_str("  }\n");
    }
    // Subnets: their interfaces and their ACL's chains.
    let mut by_subnet: BTreeMap<&str, Vec<&EniNs>> = BTreeMap::new();
    for e in enis {
        by_subnet.entry(e.subnet_id.as_str()).or_default().push(e);
    }
    let mut acls: BTreeMap<String, &account::NetworkAcl> = BTreeMap::new();
    let mut from_map = Vec::new();
    let mut to_map = Vec::new();
    for (subnet, list) in &by_subnet {
        let s = nft_ident(subnet);
        let names: Vec<String> = list.iter().map(|e| format!("\"{}\"", e.host_if)).collect();
        let _ = writeln!(out, "  set if_{s} {{\n    type ifname;\n    elements = {{ {} }}\n  }}", names.join(", "));
        let Ok(acl) = account.network_acl_for_subnet(subnet) else { continue };
        let a = nft_ident(&acl.network_acl_id);
        acls.insert(a.clone(), acl);
        let _ = writeln!(out, "  chain from_{s} {{\n    oifname @if_{s} return\n    jump acl_out_{a}\n  }}");
        let _ = writeln!(out, "  chain to_{s} {{\n    iifname @if_{s} return\n    jump acl_in_{a}\n  }}");
        for e in list {
            from_map.push(format!("\"{}\" : jump from_{s}", e.host_if));
            to_map.push(format!("\"{}\" : jump to_{s}", e.host_if));
        }
    }
    for (a, acl) in &acls {
        for egress in [true, false] {
            let _ = writeln!(out, "  chain acl_{}_{a} {{", if egress { "out" } else { "in" });
            let mut entries: Vec<&NetworkAclEntry> = acl.entries.iter().filter(|e| e.egress == egress).collect();
            entries.sort_by_key(|e| e.rule_number);
            for e in entries {
                if let Some(m) = acl_match(e) {
                    let v = if e.rule_action == RuleAction::Allow { "return" } else { "drop" };
                    let _ = writeln!(out, "    {m}{v}");
                }
            }
            out.push_str("    drop\n  }\n");
        }
    }
    // Per ENI: source/destination check and its groups.
    let mut out_map = Vec::new();
    let mut in_map = Vec::new();
    for e in enis.iter().filter(|e| e.filtered()) {
        let i = &e.host_if;
        let _ = writeln!(out, "  chain out_{i} {{\n    ip saddr != {} drop", e.address);
        for g in e.groups.iter().filter(|g| account.security_groups.contains_key(*g)) {
            let _ = writeln!(out, "    jump sgout_{}", nft_ident(g));
        }
        out.push_str("    drop\n  }\n");
        let _ = writeln!(out, "  chain in_{i} {{");
        for g in e.groups.iter().filter(|g| account.security_groups.contains_key(*g)) {
            let _ = writeln!(out, "    jump sgin_{}", nft_ident(g));
        }
        out.push_str("    drop\n  }\n");
        out_map.push(format!("\"{i}\" : jump out_{i}"));
        in_map.push(format!("\"{i}\" : goto in_{i}"));
    }
    out.push_str(&group_chains);
    out.push_str("  chain ingress {\n");
    if !in_map.is_empty() {
        let _ = writeln!(out, "    oifname vmap {{ {} }}", in_map.join(", "));
    }
    out.push_str("    accept\n  }\n");
    out.push_str("  chain forward {\n    type filter hook forward priority filter; policy drop;\n");
    for (map, what) in [(&from_map, "iifname"), (&to_map, "oifname")] {
        if !map.is_empty() {
            let _ = writeln!(out, "    {what} vmap {{ {} }}", map.join(", "));
        }
    }
    out.push_str("    ct state established,related accept\n");
    if !out_map.is_empty() {
        let _ = writeln!(out, "    iifname vmap {{ {} }}", out_map.join(", "));
    }
    out.push_str("    jump ingress\n  }\n");
    out
}

/// The match part of a security group rule (ending in a space), or None when
/// it matches no IPv4 packet (IPv6 peers, prefix lists other than AWS's
/// service ones, icmpv6). An AWS-managed service prefix list (S3's, DynamoDB's)
/// matches its block (AWS doc "Gateway endpoints for Amazon S3": outbound
/// rules may name the prefix list to let traffic reach the endpoint).
fn sg_match(r: &SecurityGroupRule, egress: bool, region: &str, sets: &mut BTreeSet<String>) -> Option<String> {
    let dir = if egress { "daddr" } else { "saddr" };
    let addr = match &r.peer {
        Peer::Cidr(c) if c.prefix() == 0 => String::new(),
        Peer::Cidr(c) => format!("ip {dir} {c} "),
        Peer::SecurityGroup(g) => {
            sets.insert(g.clone());
            format!("ip {dir} @g_{} ", nft_ident(g))
        }
        Peer::PrefixList(id) => {
            let block = account::endpoints::SERVICES
                .iter()
                .find(|s| s.prefix_list_id(region).as_deref() == Some(id.as_str()))
                .and_then(|s| s.gateway)?;
            format!("ip {dir} {} ", block.cidr)
        }
        Peer::Ipv6Cidr(_) => return None,
    };
    let proto = proto_match(&r.ip_protocol, r.from_port, r.to_port)?;
    Some(format!("{addr}{proto}"))
}

/// The match part of an ACL entry, or None when it matches no IPv4 packet.
fn acl_match(e: &NetworkAclEntry) -> Option<String> {
    let c = e.cidr_block?;
    let dir = if e.egress { "daddr" } else { "saddr" };
    let addr = if c.prefix() == 0 { String::new() } else { format!("ip {dir} {c} ") };
    let proto = match (account::ec2::canonical_protocol(&e.protocol).as_str(), e.icmp_type_code) {
        ("icmp", Some((t, _))) => proto_match("icmp", Some(t), Some(t))?,
        (p, _) => {
            let (from, to) = e.port_range.map_or((None, None), |r| (Some(i32::from(r.from)), Some(i32::from(r.to))));
            proto_match(p, from, to)?
        }
    };
    Some(format!("{addr}{proto}"))
}

/// Protocol and ports as EC2 gives them (`-1`, names or numbers; ICMP: the
/// type in `from`), in nftables words, ending in a space. Same reading as
/// `reach::filters::protocol_ports`.
fn proto_match(protocol: &str, from: Option<i32>, to: Option<i32>) -> Option<String> {
    let ports = match (from, to) {
        (Some(f), Some(t)) if f >= 0 && t >= 0 => {
            let (f, t) = (f.min(65535), t.min(65535));
            if f > t {
                return None;
            }
            if f == 0 && t == 65535 {
                String::new()
            } else if f == t {
                format!("th dport {f} ")
            } else {
                format!("th dport {f}-{t} ")
            }
        }
        _ => String::new(),
    };
    match account::ec2::canonical_protocol(protocol).as_str() {
        "-1" => Some(String::new()),
        "tcp" => Some(format!("meta l4proto tcp {ports}")),
        "udp" => Some(format!("meta l4proto udp {ports}")),
        "icmp" => match from {
            Some(t) if (0..=255).contains(&t) => Some(format!("meta l4proto icmp icmp type {t} ")),
            _ => Some("meta l4proto icmp ".into()),
        },
        other => other.parse::<u8>().ok().map(|n| format!("meta l4proto {n} ")),
    }
}

/// A NAT gateway: masquerades what its private side sends to its own address
/// (ports 1024-65535), forwards only TCP, UDP and ICMP, and only connections
/// that start behind it.
///
/// AWS doc "NAT gateways": supports TCP, UDP and ICMP; the source becomes the
/// gateway's private address, then its Elastic IP at the internet gateway.
pub fn nat_gateway(own: Ipv4Addr) -> String {
    replace(&format!(
        "  chain forward {{
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    ct state new ip saddr != {own} meta l4proto tcp tcp flags & (syn | ack) == syn accept
    ct state new ip saddr != {own} meta l4proto {{ udp, icmp }} accept
  }}
  chain postrouting {{
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr != {own} meta l4proto {{ tcp, udp }} masquerade to :1024-65535
    ip saddr != {own} meta l4proto icmp masquerade
  }}
"
    ))
}

/// A task's or an instance's namespace: its own connections to the
/// link-local endpoints' port 80 go to the ports `up` serves them on.
pub fn link_local(addrs: &[Ipv4Addr]) -> String {
    let mut rules = String::new();
    for a in addrs {
        let port = super::link_local_port(*a);
        let _ = writeln!(rules, "    ip daddr {a} tcp dport 80 dnat to {a}:{port}");
    }
    replace(&format!("  chain output {{\n    type nat hook output priority -100; policy accept;\n{rules}  }}\n"))
}

/// An internet gateway's 1:1 translation between public and private addresses.
pub fn internet_gateway(mappings: &BTreeMap<Ipv4Addr, Ipv4Addr>) -> String {
    let elements = |pairs: Vec<String>| {
        if pairs.is_empty() {
            String::new()
        } else {
            format!("\n    elements = {{ {} }}", pairs.join(", "))
        }
    };
    let publics = elements(mappings.keys().map(Ipv4Addr::to_string).collect());
    let privates = elements(mappings.values().map(Ipv4Addr::to_string).collect());
    let to_private = elements(mappings.iter().map(|(p, i)| format!("{p} : {i}")).collect());
    let to_public = elements(mappings.iter().map(|(p, i)| format!("{i} : {p}")).collect());
    replace(&format!(
        "  set publics {{
    type ipv4_addr;{publics}
  }}
  set privates {{
    type ipv4_addr;{privates}
  }}
  map to_private {{
    type ipv4_addr : ipv4_addr;{to_private}
  }}
  map to_public {{
    type ipv4_addr : ipv4_addr;{to_public}
  }}
  chain prerouting {{
    type nat hook prerouting priority dstnat; policy accept;
    ip daddr @publics dnat to ip daddr map @to_private
  }}
  chain postrouting {{
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr @privates snat to ip saddr map @to_public
  }}
  chain forward {{
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname \"{vpc}\" ip saddr @privates accept
    iifname \"{inet}\" ct status dnat accept
  }}
",
        vpc = super::gateways::VPC_IF,
        inet = super::gateways::INET_IF,
    ))
}
