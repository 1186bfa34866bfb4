//! Security group rules as items of their own: the `sgr-…` IDs that
//! DescribeSecurityGroupRules lists and RevokeSecurityGroupIngress/Egress
//! accept (`SecurityGroupRuleIds`).
//!
//! Why derived, not stored: a rule is identified by its group, direction,
//! protocol, ports and peer (EC2 refuses a second rule with the same ones),
//! so hashing those gives every rule one stable ID without a field every
//! rule constructor would have to fill. The description is left out, as an
//! AWS rule keeps its ID when its description changes.

use crate::account::Account;
use crate::ec2::groups::normalize;
use crate::error::Ec2Error;
use crate::ids::{self, prefix};
use crate::model::*;

/// The `sgr-…` ID of `rule` in `group_id`'s ingress (or egress) rules.
pub fn security_group_rule_id(group_id: &str, egress: bool, rule: &SecurityGroupRule) -> String {
    let ports = |p: Option<i32>| p.map_or_else(|| "-".to_string(), |n| n.to_string());
    let peer = match &rule.peer {
        Peer::Cidr(c) => format!("cidr:{c}"),
        Peer::Ipv6Cidr(c) => format!("cidr6:{c}"),
        Peer::SecurityGroup(g) => format!("group:{g}"),
        Peer::PrefixList(p) => format!("list:{p}"),
    };
    let key = format!(
        "{}/{}/{}/{}/{peer}",
        if egress { "egress" } else { "ingress" },
        rule.ip_protocol,
        ports(rule.from_port),
        ports(rule.to_port)
    );
    ids::ec2_id(prefix::SECURITY_GROUP_RULE, ids::hash_words(group_id, 0, &key))
}

/// One rule of one group, with its ID (what DescribeSecurityGroupRules lists).
#[derive(Clone, Debug)]
pub struct GroupRule<'a> {
    /// Its `sgr-…` ID.
    pub id: String,
    /// The group it belongs to.
    pub group: &'a SecurityGroup,
    /// True for an outbound rule.
    pub egress: bool,
    /// The rule.
    pub rule: &'a SecurityGroupRule,
}

/// The rules of `group`, ingress first, each with its ID.
pub fn group_rules(group: &SecurityGroup) -> impl Iterator<Item = GroupRule<'_>> {
    let ingress = group.ingress.iter().map(move |rule| (false, rule));
    let egress = group.egress.iter().map(move |rule| (true, rule));
    ingress.chain(egress).map(move |(egress, rule)| GroupRule {
        id: security_group_rule_id(&group.group_id, egress, rule),
        group,
        egress,
        rule,
    })
}

impl Account {
    /// AuthorizeSecurityGroupIngress/Egress, answering the IDs of the rules
    /// added (in the order given), as the API's `SecurityGroupRules` lists them.
    pub fn authorize_security_group_rules(
        &mut self,
        group_id: &str,
        egress: bool,
        rules: &[SecurityGroupRule],
    ) -> Result<Vec<String>, Ec2Error> {
        self.authorize(group_id, rules, egress)?;
        Ok(rules.iter().map(|r| security_group_rule_id(group_id, egress, &normalize(r))).collect())
    }

    /// RevokeSecurityGroupIngress/Egress by permissions, answering the IDs
    /// of the rules removed.
    pub fn revoke_security_group_permissions(
        &mut self,
        group_id: &str,
        egress: bool,
        rules: &[SecurityGroupRule],
    ) -> Result<Vec<String>, Ec2Error> {
        let group = self.security_group(group_id)?;
        let wanted: Vec<SecurityGroupRule> = rules.iter().map(normalize).collect();
        let ids = group_rules(group)
            .filter(|g| g.egress == egress && wanted.iter().any(|w| w.same_permission(g.rule)))
            .map(|g| g.id)
            .collect();
        self.revoke(group_id, rules, egress)?;
        Ok(ids)
    }

    /// A security group named in the default VPC (the API's `GroupName`
    /// parameters), with EC2's errors when there is none of that name or no default VPC.
    pub fn security_group_in_default_vpc(&self, name: &str) -> Result<&SecurityGroup, Ec2Error> {
        let vpc = self.default_vpc().ok_or(Ec2Error::NoDefaultVpc)?;
        self.security_group_by_name(&vpc.vpc_id, name)
            .ok_or_else(|| Ec2Error::GroupNotFoundInDefaultVpc(name.to_string(), vpc.vpc_id.clone()))
    }

    /// RevokeSecurityGroupIngress/Egress by `SecurityGroupRuleIds`: every
    /// ID must name a rule of that group and direction (all or none go);
    /// returns the rules removed.
    pub fn revoke_security_group_rules(
        &mut self,
        group_id: &str,
        egress: bool,
        rule_ids: &[String],
    ) -> Result<Vec<SecurityGroupRule>, Ec2Error> {
        let group = self.security_group(group_id)?;
        let current = if egress { &group.egress } else { &group.ingress };
        let mut gone = Vec::new();
        for id in rule_ids {
            match current.iter().find(|r| security_group_rule_id(group_id, egress, r) == *id) {
                Some(r) => gone.push(r.clone()),
                None => return Err(Ec2Error::SecurityGroupRuleNotFound(id.clone())),
            }
        }
        if let Some(g) = self.security_groups.get_mut(group_id) {
            let list = if egress { &mut g.egress } else { &mut g.ingress };
            list.retain(|r| !gone.contains(r));
        }
        Ok(gone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cidr::Ipv4Cidr;

    #[test]
    fn a_rule_keeps_its_id_whatever_its_description_and_differs_by_direction() {
        let any = Peer::Cidr(Ipv4Cidr::any());
        let rule = SecurityGroupRule::tcp(80, 80, any);
        let described = SecurityGroupRule { description: Some("web".into()), ..rule.clone() };
        let id = security_group_rule_id("sg-1", false, &rule);
        assert!(ids::is_ec2_id("sgr", &id), "{id}");
        assert_eq!(id, security_group_rule_id("sg-1", false, &described));
        assert_ne!(id, security_group_rule_id("sg-1", true, &rule));
        assert_ne!(id, security_group_rule_id("sg-2", false, &rule));
    }

    #[test]
    fn revoking_by_id_removes_that_rule_and_refuses_an_unknown_one() {
        let mut a = Account::new_default();
        let vpc = a.create_vpc("10.0.0.0/16").unwrap_or_else(|e| panic!("{e}"));
        let g = a.create_security_group(&vpc.vpc_id, "web", "web").unwrap_or_else(|e| panic!("{e}"));
        let rules: Vec<_> = (1..=3).map(|p| SecurityGroupRule::tcp(p, p, Peer::Cidr(Ipv4Cidr::any()))).collect();
        a.authorize_security_group_ingress(&g.group_id, &rules).unwrap_or_else(|e| panic!("{e}"));
        let id = security_group_rule_id(&g.group_id, false, &rules[1]);
        let e = a.revoke_security_group_rules(&g.group_id, false, &["sgr-0".into()]).unwrap_err();
        assert_eq!(e.code(), "InvalidSecurityGroupRuleId.NotFound");
        let gone = a.revoke_security_group_rules(&g.group_id, false, &[id]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(gone, vec![rules[1].clone()]);
        let left = a.security_groups.get(&g.group_id).map(|g| g.ingress.len());
        assert_eq!(left, Some(2));
    }

    #[test]
    fn authorize_answers_the_ids_describe_lists_and_a_repeat_is_a_duplicate() {
        let mut a = Account::new_default();
        let vpc = a.create_vpc("10.0.0.0/16").unwrap_or_else(|e| panic!("{e}"));
        let g = a.create_security_group(&vpc.vpc_id, "web", "web").unwrap_or_else(|e| panic!("{e}"));
        let mut rule = SecurityGroupRule::tcp(443, 443, Peer::Cidr(Ipv4Cidr::any()));
        rule.ip_protocol = "6".into();
        let ids =
            a.authorize_security_group_rules(&g.group_id, false, &[rule.clone()]).unwrap_or_else(|e| panic!("{e}"));
        let listed: Vec<String> =
            a.security_groups.get(&g.group_id).into_iter().flat_map(group_rules).map(|r| r.id).collect();
        assert!(listed.contains(&ids[0]), "{ids:?} in {listed:?}");
        let e = a.authorize_security_group_rules(&g.group_id, false, &[rule.clone()]).unwrap_err();
        assert_eq!(e.code(), "InvalidPermission.Duplicate");
        let gone = a.revoke_security_group_permissions(&g.group_id, false, &[rule]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(gone, ids);
    }
}
