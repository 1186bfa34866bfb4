//! Security groups: `aws ec2 describe-security-groups`, with the rules
//! grouped the way the API groups them (one `IpPermission` per protocol and
//! port range, its peers listed under it by kind).

use super::json::ec2_tags;
use super::table::Table;
use super::{Doc, Scope};
use crate::cli::DescribeFormat;
use account::{Account, Peer, SecurityGroup, SecurityGroupRule};
use serde_json::{json, Value};

/// One `IpPermission`: the rules of `rules` with this protocol and ports,
/// peers sorted into IpRanges, Ipv6Ranges, PrefixListIds and UserIdGroupPairs.
fn permission_json(account: &Account, rules: &[&SecurityGroupRule]) -> Value {
    let Some(first) = rules.first() else { return Value::Null };
    let (mut v4, mut v6, mut lists, mut groups) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for r in rules {
        match &r.peer {
            Peer::Cidr(c) => v4.push(json!({"CidrIp": c.to_string(), "Description": r.description})),
            Peer::Ipv6Cidr(c) => v6.push(json!({"CidrIpv6": c, "Description": r.description})),
            Peer::PrefixList(p) => lists.push(json!({"Description": r.description, "PrefixListId": p})),
            Peer::SecurityGroup(g) => {
                // The peer group's owner; a group the account lacks is taken to be its own.
                let owner = account.security_groups.get(g).map_or(&account.account_id, |sg| &sg.owner_id);
                groups.push(json!({"Description": r.description, "GroupId": g, "UserId": owner}));
            }
        }
    }
    // "All traffic" carries no ports in the API's answer.
    let all = first.ip_protocol == "-1";
    json!({
        "FromPort": if all { None } else { first.from_port },
        "IpProtocol": first.ip_protocol,
        "IpRanges": v4,
        "Ipv6Ranges": v6,
        "PrefixListIds": lists,
        "ToPort": if all { None } else { first.to_port },
        "UserIdGroupPairs": groups,
    })
}

/// The rules grouped by protocol and port range, in order of first appearance.
fn permissions_json(account: &Account, rules: &[SecurityGroupRule]) -> Vec<Value> {
    let mut buckets: Vec<Vec<&SecurityGroupRule>> = Vec::new();
    for r in rules {
        let key = |x: &SecurityGroupRule| (x.ip_protocol.clone(), x.from_port, x.to_port);
        match buckets.iter_mut().find(|b| b.first().is_some_and(|f| key(f) == key(r))) {
            Some(bucket) => bucket.push(r),
            None => buckets.push(vec![r]),
        }
    }
    buckets.iter().map(|b| permission_json(account, b)).collect()
}

/// One `SecurityGroup` of DescribeSecurityGroups.
fn group_json(account: &Account, g: &SecurityGroup) -> Value {
    json!({
        "Description": g.description,
        "GroupName": g.group_name,
        "IpPermissions": permissions_json(account, &g.ingress),
        "OwnerId": g.owner_id,
        "GroupId": g.group_id,
        "IpPermissionsEgress": permissions_json(account, &g.egress),
        "Tags": ec2_tags(&g.tags),
        "VpcId": g.vpc_id,
    })
}

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

/// `describe security-groups`: `{"SecurityGroups": […]}`; the text view
/// has one line per rule (a group without rules gets one line saying so).
pub fn security_groups(scope: &Scope, format: DescribeFormat) -> Doc {
    let account = scope.account;
    let mut list: Vec<&SecurityGroup> = account.security_groups.values().filter(|g| scope.owns(&g.group_id)).collect();
    list.sort_by_key(|g| (&g.vpc_id, &g.group_name, &g.group_id));
    Doc::of(
        format,
        || json!({"SecurityGroups": list.iter().map(|g| group_json(account, g)).collect::<Vec<_>>()}),
        || {
            let mut t = Table::new(&["GROUP", "NAME", "VPC", "DIRECTION", "PROTOCOL", "PORTS", "PEER", "DESCRIPTION"]);
            for g in &list {
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
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use account::Ipv4Cidr;

    fn cidr(s: &str) -> Ipv4Cidr {
        Ipv4Cidr::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn rules_group_by_protocol_and_ports() {
        let account = Account::empty("111122223333", "us-east-1");
        let rules = vec![
            SecurityGroupRule::tcp(80, 80, Peer::Cidr(cidr("10.0.0.0/16"))),
            SecurityGroupRule::tcp(443, 443, Peer::Cidr(cidr("0.0.0.0/0"))),
            SecurityGroupRule::tcp(80, 80, Peer::SecurityGroup("sg-0123456789abcdef0".into())),
            SecurityGroupRule::all_to_cidr(cidr("0.0.0.0/0")),
        ];
        let p = permissions_json(&account, &rules);
        assert_eq!(p.len(), 3);
        let p = super::super::json::prune(Value::Array(p));
        assert_eq!(
            p[0],
            json!({
                "FromPort": 80, "IpProtocol": "tcp",
                "IpRanges": [{"CidrIp": "10.0.0.0/16"}], "Ipv6Ranges": [], "PrefixListIds": [],
                "ToPort": 80,
                "UserIdGroupPairs": [{"GroupId": "sg-0123456789abcdef0", "UserId": "111122223333"}]
            })
        );
        assert_eq!(
            p[2],
            json!({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []})
        );
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
