//! DescribeSecurityGroups, with the rules grouped the way the API groups
//! them (one `IpPermission` per protocol and port range, its peers listed
//! under it by kind).

use crate::json::{ec2_tags, prune};
use crate::Selection;
use account::{Account, Peer, SecurityGroup, SecurityGroupRule};
use serde_json::{json, Value};

/// One `IpPermission`: the rules of `rules` with this protocol and ports,
/// peers sorted into IpRanges, Ipv6Ranges, PrefixListIds and UserIdGroupPairs.
fn permission_json(account: &Account, rules: &[&SecurityGroupRule]) -> Value {
    let Some(first) = rules.first() else { return Value::Null };
    let (mut v4, mut v6, mut lists, mut groups) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for r in rules {
        match &r.peer {
            Peer::Cidr(c) => v4.push(json!({"Description": r.description, "CidrIp": c.to_string()})),
            Peer::Ipv6Cidr(c) => v6.push(json!({"Description": r.description, "CidrIpv6": c})),
            Peer::PrefixList(p) => lists.push(json!({"Description": r.description, "PrefixListId": p})),
            Peer::SecurityGroup(g) => {
                // The peer group's owner; a group the account lacks is taken to be its own.
                let owner = account.security_groups.get(g).map_or(&account.account_id, |sg| &sg.owner_id);
                groups.push(json!({"Description": r.description, "UserId": owner, "GroupId": g}));
            }
        }
    }
    // "All traffic" carries no ports in the API's answer.
    let all = first.ip_protocol == "-1";
    json!({
        "IpProtocol": first.ip_protocol,
        "FromPort": if all { None } else { first.from_port },
        "ToPort": if all { None } else { first.to_port },
        "UserIdGroupPairs": groups,
        "IpRanges": v4,
        "Ipv6Ranges": v6,
        "PrefixListIds": lists,
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
pub fn group_json(account: &Account, g: &SecurityGroup) -> Value {
    json!({
        "GroupId": g.group_id,
        "IpPermissionsEgress": permissions_json(account, &g.egress),
        "Tags": ec2_tags(&g.tags),
        "VpcId": g.vpc_id,
        "OwnerId": g.owner_id,
        "GroupName": g.group_name,
        "Description": g.description,
        "IpPermissions": permissions_json(account, &g.ingress),
    })
}

/// The security groups in view, by VPC and name.
pub fn security_groups<'a>(sel: &Selection<'a>) -> Vec<&'a SecurityGroup> {
    let mut list: Vec<&SecurityGroup> =
        sel.account.security_groups.values().filter(|g| sel.owns(&g.group_id)).collect();
    list.sort_by_key(|g| (&g.vpc_id, &g.group_name, &g.group_id));
    list
}

/// DescribeSecurityGroups: `{"SecurityGroups": […]}`.
pub fn describe_security_groups(sel: &Selection) -> Value {
    let list: Vec<Value> = security_groups(sel).iter().map(|g| group_json(sel.account, g)).collect();
    prune(json!({ "SecurityGroups": list }))
}

#[cfg(test)]
mod tests;
