//! nftables rulesets: security groups and network ACLs in the router, the
//! NAT gateway's masquerade, the internet gateway's 1:1 translation.
//!
//! Every change is one `nft -f` transaction, so a ruleset is never seen
//! half-applied; conntrack entries survive it, so established flows keep
//! flowing. The NAT gateway's and the link-local tables are loaded once,
//! whole ([`replace`]). The router's and the internet gateway's are
//! [`Table`]s, which change as ENIs come and go: [`Table::diff`] touches
//! only what changed, and [`swap`] replaces a table in place where a diff
//! cannot. The router's security group rules count in named counters of
//! their rule IDs (read with `nft -j list counters`, without listing the
//! table); a diff and a swap both leave their counts alone.

mod table;

pub use table::{Chain, Set, Table};

use super::EniNs;
use crate::names::nft_ident;
use account::{Account, NetworkAclEntry, Peer, RuleAction, SecurityGroupRule};
use std::collections::{BTreeMap, BTreeSet, HashMap};
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
///
/// Interfaces dispatch to their chains through named verdict maps
/// (`from_if`, `to_if`, `out_if`, `in_if`), so an ENI that comes or goes
/// changes elements and its own chains, never the base chain's rules.
pub fn router(account: &Account, enis: &[&EniNs]) -> Table {
    let mut t = Table::default();
    let mut group_sets: BTreeSet<String> = BTreeSet::new();
    let mut used_groups: BTreeSet<&str> = BTreeSet::new();
    for e in enis.iter().filter(|e| e.filtered()) {
        used_groups.extend(e.groups.iter().map(String::as_str));
    }
    for g in &used_groups {
        let Some(sg) = account.security_groups.get(*g) else { continue };
        let made = group_chains(g, sg, &account.region);
        t.counters.extend(made.counters.iter().cloned());
        group_sets.extend(made.referenced.iter().cloned());
        for (name, chain) in &made.chains {
            t.chains.insert(name.clone(), chain.clone());
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
        let elements = members.get(g.as_str()).into_iter().flatten().map(|a| (a.to_string(), None)).collect();
        t.sets.insert(format!("g_{}", nft_ident(g)), Set { decl: "type ipv4_addr;".into(), elements });
    }
    // Subnets: their interfaces and their ACL's chains.
    let mut by_subnet: BTreeMap<&str, Vec<&EniNs>> = BTreeMap::new();
    for e in enis {
        by_subnet.entry(e.subnet_id.as_str()).or_default().push(e);
    }
    let mut acls: BTreeMap<String, &account::NetworkAcl> = BTreeMap::new();
    let [mut from_if, mut to_if, mut out_if, mut in_if] = [(); 4].map(|()| verdict_map());
    for (subnet, list) in &by_subnet {
        let s = nft_ident(subnet);
        let quoted: Vec<String> = list.iter().map(|e| format!("\"{}\"", e.host_if)).collect();
        let elements = quoted.iter().map(|q| (q.clone(), None)).collect();
        t.sets.insert(format!("if_{s}"), Set { decl: "type ifname;".into(), elements });
        let Ok(acl) = account.network_acl_for_subnet(subnet) else { continue };
        let a = nft_ident(&acl.network_acl_id);
        acls.insert(a.clone(), acl);
        t.chains
            .insert(format!("from_{s}"), chain(&[&format!("oifname @if_{s} return"), &format!("jump acl_out_{a}")]));
        t.chains.insert(format!("to_{s}"), chain(&[&format!("iifname @if_{s} return"), &format!("jump acl_in_{a}")]));
        let (from, to) = (format!("jump from_{s}"), format!("jump to_{s}"));
        for q in quoted {
            from_if.elements.insert(q.clone(), Some(from.clone()));
            to_if.elements.insert(q, Some(to.clone()));
        }
    }
    for (a, acl) in &acls {
        for egress in [true, false] {
            let mut entries: Vec<&NetworkAclEntry> = acl.entries.iter().filter(|e| e.egress == egress).collect();
            entries.sort_by_key(|e| e.rule_number);
            let mut rules = Vec::new();
            for e in entries {
                if let Some(m) = acl_match(e) {
                    let v = if e.rule_action == RuleAction::Allow { "return" } else { "drop" };
                    rules.push(format!("{m}{v}"));
                }
            }
            rules.push("drop".into());
            t.chains.insert(format!("acl_{}_{a}", if egress { "out" } else { "in" }), Chain { hook: None, rules });
        }
    }
    // Per ENI: its source/destination check (its interface and address, one
    // set for all) and its groups, in chains shared by every ENI holding the
    // same groups in the same order, so an ENI coming or going changes only
    // set and map elements, and the table grows with the services, not the tasks.
    let mut src_ok = Set { decl: "type ifname . ipv4_addr;".into(), elements: BTreeMap::new() };
    // The map values of each group list, made once per list (services share them).
    let mut verdicts: BTreeMap<&[String], (String, String)> = BTreeMap::new();
    for e in enis.iter().filter(|e| e.filtered()) {
        let (out_v, in_v) = verdicts
            .entry(e.groups.as_slice())
            .or_insert_with(|| {
                let groups: Vec<String> = e
                    .groups
                    .iter()
                    .filter(|g| account.security_groups.contains_key(*g))
                    .map(|g| nft_ident(g))
                    .collect();
                let combo = groups_chain(&groups);
                let mut out = vec!["iifname . ip saddr != @src_ok drop".to_string()];
                out.extend(groups.iter().map(|g| format!("jump sgout_{g}")));
                out.push("drop".into());
                let mut inward: Vec<String> = groups.iter().map(|g| format!("jump sgin_{g}")).collect();
                inward.push("drop".into());
                t.chains.insert(format!("out_{combo}"), Chain { hook: None, rules: out });
                t.chains.insert(format!("in_{combo}"), Chain { hook: None, rules: inward });
                (format!("jump out_{combo}"), format!("goto in_{combo}"))
            })
            .clone();
        let q = format!("\"{}\"", e.host_if);
        src_ok.elements.insert(format!("{q} . {}", e.address), None);
        out_if.elements.insert(q.clone(), Some(out_v));
        in_if.elements.insert(q, Some(in_v));
    }
    t.sets.insert("src_ok".into(), src_ok);
    t.chains.insert("ingress".into(), chain(&["oifname vmap @in_if", "accept"]));
    let forward = [
        "iifname vmap @from_if",
        "oifname vmap @to_if",
        "ct state established,related accept",
        "iifname vmap @out_if",
        "jump ingress",
    ];
    let hook = Some("type filter hook forward priority filter; policy drop;".to_string());
    t.chains.insert("forward".into(), Chain { hook, ..chain(&forward) });
    for (name, map) in [("from_if", from_if), ("to_if", to_if), ("out_if", out_if), ("in_if", in_if)] {
        t.sets.insert(name.into(), map);
    }
    t
}

/// A security group's two chains (`sgout_…`, `sgin_…`), the counters their
/// rules count in, and the groups the rules name (whose member sets they use).
#[derive(Clone, Debug)]
struct GroupChains {
    chains: [(String, Chain); 2],
    counters: Vec<String>,
    referenced: Vec<String>,
}

/// [`GroupChains`] of a group, made once for each version of its rules: the
/// router's table is described on every pass, and its groups' rules, the
/// most text of it, rarely change (a memo per thread, of at most
/// [`GROUP_MEMO`] groups).
fn group_chains(g: &str, sg: &account::SecurityGroup, region: &str) -> std::rc::Rc<GroupChains> {
    type Memo = HashMap<String, (Vec<SecurityGroupRule>, Vec<SecurityGroupRule>, String, std::rc::Rc<GroupChains>)>;
    thread_local! {
        static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(HashMap::new());
    }
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if let Some((ingress, egress, r, made)) = memo.get(g) {
            if *ingress == sg.ingress && *egress == sg.egress && r == region {
                return made.clone();
            }
        }
        let made = std::rc::Rc::new(make_group_chains(g, sg, region));
        if memo.len() >= GROUP_MEMO {
            memo.clear();
        }
        memo.insert(g.to_string(), (sg.ingress.clone(), sg.egress.clone(), region.to_string(), made.clone()));
        made
    })
}

/// Groups [`group_chains`] remembers per thread before it starts again.
const GROUP_MEMO: usize = 10_000;

fn make_group_chains(g: &str, sg: &account::SecurityGroup, region: &str) -> GroupChains {
    let mut counters = Vec::new();
    let mut referenced = BTreeSet::new();
    let chains = [(true, &sg.egress), (false, &sg.ingress)].map(|(egress, rules)| {
        let name = format!("{}_{}", if egress { "sgout" } else { "sgin" }, nft_ident(g));
        let verdict = if egress { "goto ingress" } else { "accept" };
        let mut chain = Chain::default();
        for r in rules {
            if let Some(m) = sg_match(r, egress, region, &mut referenced) {
                // Counted in a named counter of the rule's ID, so the console can show which rule
                // matches and read them all without listing the table.
                let id = account::ec2::security_group_rule_id(g, egress, r);
                let counter = counter_name(&id);
                chain.rules.push(format!("{m}counter name \"{counter}\" {verdict} comment \"{id}\""));
                counters.push(counter);
            }
        }
        (name, chain)
    });
    GroupChains { chains, counters, referenced: referenced.into_iter().collect() }
}

/// The name (after `out_`/`in_`) of the chains of ENIs holding `groups`, in
/// that order: `c` and a stable hash (FNV-1a) of the list, short and the
/// same in every run.
fn groups_chain(groups: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in groups.join(",").bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("c{h:016x}")
}

/// An empty interface → verdict map.
fn verdict_map() -> Set {
    Set { decl: "type ifname : verdict;".into(), elements: BTreeMap::new() }
}

/// A regular chain of `rules`.
fn chain(rules: &[&str]) -> Chain {
    Chain { hook: None, rules: rules.iter().map(|r| r.to_string()).collect() }
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
/// and every map's elements flushed (map elements may jump to the chains),
/// then every chain, set and map of `old` and every counter `new` drops
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
    for map in named(old, "map") {
        let _ = writeln!(out, "flush map {TABLE} {map}");
    }
    for chain in named(old, "chain") {
        let _ = writeln!(out, "delete chain {TABLE} {chain}");
    }
    for set in named(old, "set") {
        let _ = writeln!(out, "delete set {TABLE} {set}");
    }
    for map in named(old, "map") {
        let _ = writeln!(out, "delete map {TABLE} {map}");
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
/// (Made once for each of the two lists ENIs have: it is asked for every ENI on every pass.)
pub fn link_local(addrs: &[Ipv4Addr]) -> String {
    static TASK: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    static INSTANCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    match addrs {
        [a] if *a == super::CREDENTIALS_ADDR => TASK.get_or_init(|| link_local_text(addrs)).clone(),
        [a, b] if *a == super::CREDENTIALS_ADDR && *b == super::IMDS_ADDR => {
            INSTANCE.get_or_init(|| link_local_text(addrs)).clone()
        }
        _ => link_local_text(addrs),
    }
}

fn link_local_text(addrs: &[Ipv4Addr]) -> String {
    let mut rules = String::new();
    for a in addrs {
        let port = super::link_local_port(*a);
        let _ = writeln!(rules, "    ip daddr {a} tcp dport 80 dnat to {a}:{port}");
    }
    replace(&format!("  chain output {{\n    type nat hook output priority -100; policy accept;\n{rules}  }}\n"))
}

/// An internet gateway's 1:1 translation between public and private addresses.
pub fn internet_gateway(mappings: &BTreeMap<Ipv4Addr, Ipv4Addr>) -> Table {
    let set = |decl: &str, elements: Vec<(Ipv4Addr, Option<Ipv4Addr>)>| Set {
        decl: decl.into(),
        elements: elements.into_iter().map(|(k, v)| (k.to_string(), v.map(|v| v.to_string()))).collect(),
    };
    let publics = mappings.keys().map(|p| (*p, None)).collect();
    let privates = mappings.values().map(|i| (*i, None)).collect();
    let to_private = mappings.iter().map(|(p, i)| (*p, Some(*i))).collect();
    let to_public = mappings.iter().map(|(p, i)| (*i, Some(*p))).collect();
    let base = |hook: &str, rules: &[&str]| Chain { hook: Some(hook.into()), ..chain(rules) };
    let (vpc, inet) = (super::gateways::VPC_IF, super::gateways::INET_IF);
    Table {
        counters: BTreeSet::new(),
        sets: BTreeMap::from([
            ("publics".into(), set("type ipv4_addr;", publics)),
            ("privates".into(), set("type ipv4_addr;", privates)),
            ("to_private".into(), set("type ipv4_addr : ipv4_addr;", to_private)),
            ("to_public".into(), set("type ipv4_addr : ipv4_addr;", to_public)),
        ]),
        chains: BTreeMap::from([
            (
                "prerouting".into(),
                base(
                    "type nat hook prerouting priority dstnat; policy accept;",
                    &["ip daddr @publics dnat to ip daddr map @to_private"],
                ),
            ),
            (
                "postrouting".into(),
                base(
                    "type nat hook postrouting priority srcnat; policy accept;",
                    &["ip saddr @privates snat to ip saddr map @to_public"],
                ),
            ),
            (
                "forward".into(),
                base(
                    "type filter hook forward priority filter; policy drop;",
                    &[
                        "ct state established,related accept",
                        &format!("iifname \"{vpc}\" ip saddr @privates accept"),
                        &format!("iifname \"{inet}\" ct status dnat accept"),
                    ],
                ),
            ),
        ]),
    }
}

#[cfg(test)]
mod tests;
