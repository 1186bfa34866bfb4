//! nftables rulesets: security groups and network ACLs in the router, the
//! NAT gateway's masquerade, the internet gateway's 1:1 translation.
//!
//! Every table is written whole and replaced in one `nft -f` transaction
//! (see [`replace`]), so a ruleset is never seen half-applied; conntrack
//! entries survive the swap, so established flows keep flowing. The
//! router's security group rules count in named counters of their rule IDs
//! (read with `nft -j list counters`, without listing the table), and its
//! table is swapped in place ([`swap`]) so those counters keep counting.

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
    let mut counters: BTreeSet<String> = BTreeSet::new();
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
                    // Counted in a named counter of the rule's ID, so the console can show which rule
                    // matches and read them all without listing the table.
                    let id = account::ec2::security_group_rule_id(g, egress, r);
                    let _ = writeln!(
                        group_chains,
                        "    {m}counter name \"{}\" {verdict} comment \"{id}\"",
                        counter_name(&id)
                    );
                    counters.insert(id);
                }
            }
            group_chains.push_str("  }\n");
        }
    }
    for id in &counters {
        let _ = writeln!(out, "  counter {} {{ packets 0 bytes 0 }}", counter_name(id));
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

/// Packets and bytes a counted rule has matched.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    /// Packets.
    pub packets: u64,
    /// Bytes.
    pub bytes: u64,
}

/// Rule ID (a security group rule's `sgr-` ID) → its count.
pub type Counts = BTreeMap<String, Count>;

/// The named counter of rule `id` (`sgr-0a1b…` → `c_sgr_0a1b…`).
fn counter_name(id: &str) -> String {
    format!("c_{}", nft_ident(id))
}

/// The rule ID of a named counter, when it is one of [`counter_name`]'s.
fn rule_of_counter(name: &str) -> Option<String> {
    name.strip_prefix("c_sgr_").map(|hex| format!("sgr-{hex}"))
}

/// The rules' counts in `nft -j list counters table` output, by rule ID.
pub fn counts_of_json(json: &str) -> Counts {
    let mut out = Counts::new();
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(json) else { return out };
    let items = doc.get("nftables").and_then(|v| v.as_array()).map(Vec::as_slice).unwrap_or_default();
    for c in items.iter().filter_map(|i| i.get("counter")) {
        let Some(id) = c.get("name").and_then(|n| n.as_str()).and_then(rule_of_counter) else { continue };
        let n = |k: &str| c.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
        let e = out.entry(id).or_default();
        e.packets += n("packets");
        e.bytes += n("bytes");
    }
    out
}

/// The `nft -f` text that turns the table `old` (a [`replace`] text this
/// module wrote, applied) into `new` without deleting the table, so the
/// rules' named counters that both declare keep their counts: every rule
/// flushed, then every chain and set of `old` and every counter `new` drops
/// deleted, then `new`'s body added (a counter declared again keeps its
/// value), in one transaction. Without an `old`, `new` itself.
pub fn swap(old: &str, new: &str) -> String {
    if old.is_empty() {
        return new.to_string();
    }
    let named = |text: &str, kind: &str| -> Vec<String> {
        let lead = format!("  {kind} ");
        text.lines()
            .filter_map(|l| l.strip_prefix(&lead).and_then(|r| r.split_whitespace().next()).map(str::to_string))
            .collect()
    };
    let kept: BTreeSet<String> = named(new, "counter").into_iter().collect();
    let mut out = format!("table {TABLE} {{}}\nflush table {TABLE}\n");
    for chain in named(old, "chain") {
        let _ = writeln!(out, "delete chain {TABLE} {chain}");
    }
    for set in named(old, "set") {
        let _ = writeln!(out, "delete set {TABLE} {set}");
    }
    for counter in named(old, "counter").into_iter().filter(|c| !kept.contains(c)) {
        let _ = writeln!(out, "delete counter {TABLE} {counter}");
    }
    // `new` without the header that would delete the table.
    let (empty, delete) = (format!("table {TABLE} {{}}\n"), format!("delete table {TABLE}\n"));
    for line in new.split_inclusive('\n').filter(|l| *l != delete && *l != empty) {
        out.push_str(line);
    }
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
/// (a port picked at random from 1024-65535), forwards only TCP, UDP and
/// ICMP, and only connections that start behind it.
///
/// AWS doc "NAT gateways": supports TCP, UDP and ICMP; the source becomes the
/// gateway's private address, then its Elastic IP at the internet gateway.
/// AWS doc "Network ACLs for your VPC": "A NAT gateway uses ports
/// 1024-65535"; how it picks one is not documented, so the port is drawn at
/// random (never the client's kept), and an ACL that lets replies through to
/// part of the range fails some connections, as `reach::packet::check` says.
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
    ip saddr != {own} meta l4proto {{ tcp, udp }} masquerade to :1024-65535 fully-random
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

#[cfg(test)]
mod tests {
    use super::*;

    const LISTED: &str = r#"{"nftables": [{"metainfo": {"version": "1.0.6"}},
{"counter": {"family": "ip", "name": "c_sgr_0123456789abcdef0", "table": "tn", "handle": 2, "packets": 5, "bytes": 300}},
{"counter": {"family": "ip", "name": "c_sgr_1111", "table": "tn", "handle": 3, "packets": 0, "bytes": 0}},
{"counter": {"family": "ip", "name": "someone_elses", "table": "tn", "handle": 4, "packets": 9, "bytes": 9}}]}"#;

    #[test]
    fn counts_are_read_by_counter_name_and_other_counters_are_left_out() {
        let c = counts_of_json(LISTED);
        assert_eq!(c.len(), 2);
        assert_eq!(c["sgr-0123456789abcdef0"], Count { packets: 5, bytes: 300 });
        assert_eq!(c["sgr-1111"], Count::default());
        assert!(counts_of_json("not json").is_empty());
        assert!(counts_of_json(r#"{"nftables": 3}"#).is_empty());
        assert_eq!(rule_of_counter(&counter_name("sgr-0a1b2c")).as_deref(), Some("sgr-0a1b2c"));
    }

    #[test]
    fn a_swap_flushes_and_deletes_what_the_old_table_had_but_keeps_the_counters_both_declare() {
        let old = replace("  counter c_sgr_1 { packets 0 bytes 0 }\n  counter c_sgr_2 { packets 0 bytes 0 }\n  set g_a {\n    type ipv4_addr;\n  }\n  chain sgin_a {\n    counter name \"c_sgr_1\" accept comment \"sgr-1\"\n  }\n  chain forward {\n    jump sgin_a\n  }\n");
        let new = replace("  counter c_sgr_1 { packets 0 bytes 0 }\n  chain sgin_b {\n    counter name \"c_sgr_1\" accept comment \"sgr-1\"\n  }\n");
        let text = swap(&old, &new);
        assert_eq!(
            text,
            "table ip tn {}\nflush table ip tn\ndelete chain ip tn sgin_a\ndelete chain ip tn forward\ndelete set ip tn g_a\ndelete counter ip tn c_sgr_2\ntable ip tn {\n  counter c_sgr_1 { packets 0 bytes 0 }\n  chain sgin_b {\n    counter name \"c_sgr_1\" accept comment \"sgr-1\"\n  }\n}\n"
        );
        assert!(!text.contains("delete table"), "the table and its counters stay");
        assert_eq!(swap("", &new), new, "a first table is the replace text itself");
    }
}
