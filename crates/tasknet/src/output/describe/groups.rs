//! The security groups table: one line per rule, grouped by group.

use super::table::Table;
use account::{Account, Peer, SecurityGroupRule};
use shapes::Selection;

/// A rule's protocol for people: `all` for `-1`, else the API's name.
fn protocol_text(r: &SecurityGroupRule) -> String {
    if r.ip_protocol == "-1" {
        "all".into()
    } else {
        r.ip_protocol.clone()
    }
}

/// A rule's ports for people: `80`, `1024-65535`, `all`; ICMP type and code.
fn ports_text(r: &SecurityGroupRule) -> String {
    let one = |p: Option<i32>| match p {
        None | Some(-1) => "all".to_string(),
        Some(n) => n.to_string(),
    };
    match r.ip_protocol.as_str() {
        "-1" => "all".into(),
        "icmp" | "icmpv6" => format!("type {} code {}", one(r.from_port), one(r.to_port)),
        _ if r.from_port == r.to_port => one(r.from_port),
        _ => format!("{}-{}", one(r.from_port), one(r.to_port)),
    }
}

/// A rule's peer for people; a group peer carries its name when known.
fn peer_text(account: &Account, peer: &Peer) -> String {
    match peer {
        Peer::SecurityGroup(id) => match account.security_groups.get(id) {
            Some(g) => format!("{id} ({})", g.group_name),
            None => id.clone(),
        },
        other => other.to_string(),
    }
}

/// `describe security-groups`: one line per rule (a group without rules
/// gets one line saying so).
pub fn security_groups(sel: &Selection) -> String {
    let account = sel.account;
    let mut t = Table::new(&["GROUP", "NAME", "VPC", "DIRECTION", "PROTOCOL", "PORTS", "PEER", "DESCRIPTION"]);
    for g in shapes::ec2::security_groups(sel) {
        let head = || vec![g.group_id.clone(), g.group_name.clone(), g.vpc_id.clone()];
        let rules = g.ingress.iter().map(|r| ("in", r)).chain(g.egress.iter().map(|r| ("out", r)));
        let mut any = false;
        for (direction, r) in rules {
            any = true;
            let mut row = head();
            row.extend([
                direction.to_string(),
                protocol_text(r),
                ports_text(r),
                peer_text(account, &r.peer),
                r.description.clone().unwrap_or_default(),
            ]);
            t.row(row);
        }
        if !any {
            let mut row = head();
            row.push("no rules".into());
            t.row(row);
        }
    }
    t.render_or("no security groups")
}

#[cfg(test)]
mod tests {
    use super::*;
    use account::Ipv4Cidr;

    fn cidr(s: &str) -> Ipv4Cidr {
        Ipv4Cidr::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn rule_text() {
        let icmp = SecurityGroupRule {
            ip_protocol: "icmp".into(),
            from_port: Some(8),
            to_port: Some(-1),
            peer: Peer::Cidr(cidr("0.0.0.0/0")),
            description: None,
            origin: account::Origin::none(),
        };
        assert_eq!(ports_text(&icmp), "type 8 code all");
        assert_eq!(ports_text(&SecurityGroupRule::tcp(1024, 65535, Peer::PrefixList("pl-1".into()))), "1024-65535");
        assert_eq!(ports_text(&SecurityGroupRule::all_to_cidr(cidr("0.0.0.0/0"))), "all");
        assert_eq!(protocol_text(&SecurityGroupRule::all_to_cidr(cidr("0.0.0.0/0"))), "all");
    }
}
