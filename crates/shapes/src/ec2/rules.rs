//! DescribeSecurityGroupRules: every rule of the groups in view as an item
//! of its own, with its `sgr-…` ID (`account::ec2::security_group_rule_id`).

use crate::json::prune;
use crate::Selection;
use account::ec2::{group_rules, GroupRule};
use account::{Account, Peer};
use serde_json::{json, Value};

/// One `SecurityGroupRule` (also what Authorize*'s answers list). An
/// all-protocol rule shows ports -1, as EC2 prints it in this shape
/// (DescribeSecurityGroupRules' examples in the EC2 API reference).
pub fn rule_json(account: &Account, r: &GroupRule<'_>) -> Value {
    let rule = r.rule;
    let all = rule.ip_protocol == "-1";
    let port = |p: Option<i32>| if all { Some(-1) } else { p };
    let (mut v4, mut v6, mut list, mut group) = (None, None, None, None);
    match &rule.peer {
        Peer::Cidr(c) => v4 = Some(c.to_string()),
        Peer::Ipv6Cidr(c) => v6 = Some(c.clone()),
        Peer::PrefixList(p) => list = Some(p.clone()),
        Peer::SecurityGroup(g) => {
            // The peer's owner; a group the account lacks is taken to be its own.
            let owner = account.security_groups.get(g).map_or(&account.account_id, |sg| &sg.owner_id);
            group = Some(json!({"GroupId": g, "UserId": owner}));
        }
    }
    json!({
        "SecurityGroupRuleId": r.id,
        "GroupId": r.group.group_id,
        "GroupOwnerId": r.group.owner_id,
        "IsEgress": r.egress,
        "IpProtocol": rule.ip_protocol,
        "FromPort": port(rule.from_port),
        "ToPort": port(rule.to_port),
        "CidrIpv4": v4,
        "CidrIpv6": v6,
        "PrefixListId": list,
        "ReferencedGroupInfo": group,
        "Description": rule.description,
        "Tags": [],
        "SecurityGroupRuleArn": format!(
            "arn:aws:ec2:{}:{}:security-group-rule/{}",
            account.region, r.group.owner_id, r.id
        ),
    })
}

/// The rules of the groups in view, group by group (ingress first).
pub fn security_group_rules<'a>(sel: &Selection<'a>) -> Vec<GroupRule<'a>> {
    super::security_groups(sel).into_iter().flat_map(group_rules).collect()
}

/// DescribeSecurityGroupRules: `{"SecurityGroupRules": […]}`.
pub fn describe_security_group_rules(sel: &Selection) -> Value {
    let list: Vec<Value> = security_group_rules(sel).iter().map(|r| rule_json(sel.account, r)).collect();
    prune(json!({ "SecurityGroupRules": list }))
}
