//! Security groups: CreateSecurityGroup, Authorize/Revoke ingress and egress.

use crate::account::Account;
use crate::cidr::Ipv4Cidr;
use crate::error::Ec2Error;
use crate::ids::prefix;
use crate::model::*;

/// The canonical form of an `IpProtocol` value: names lowercase, `6`/`17`/`1`/`58`
/// as their names, `all` as `-1`. Inferred: the API documents names and
/// numbers as both accepted; that DescribeSecurityGroups prints the name for
/// 6, 17, 1 and 58 is our reading.
pub fn canonical_protocol(p: &str) -> String {
    match p.trim().to_ascii_lowercase().as_str() {
        "6" | "tcp" => "tcp".into(),
        "17" | "udp" => "udp".into(),
        "1" | "icmp" => "icmp".into(),
        "58" | "icmpv6" => "icmpv6".into(),
        "-1" | "all" => "-1".into(),
        other => other.to_string(),
    }
}

/// The rule as InvalidPermission.Duplicate quotes it. Seen in real output
/// (users' pastes, not the facts file): `peer: 0.0.0.0/0, TCP, from port: 80,
/// to port: 80, ALLOW`, `peer: sg-x, ALL, ALLOW` and `peer: 0.0.0.0/0, ICMP,
/// type: ALL, code: ALL, ALLOW`. UDP, numbered protocols and concrete ICMP
/// types follow the same pattern (inferred).
pub fn describe_rule(rule: &SecurityGroupRule) -> String {
    let peer = &rule.peer;
    let num = |p: Option<i32>| match p {
        None | Some(-1) => "ALL".to_string(),
        Some(n) => n.to_string(),
    };
    match rule.ip_protocol.as_str() {
        "-1" => format!("peer: {peer}, ALL, ALLOW"),
        "icmp" | "icmpv6" => format!(
            "peer: {peer}, {}, type: {}, code: {}, ALLOW",
            rule.ip_protocol.to_uppercase(),
            num(rule.from_port),
            num(rule.to_port)
        ),
        p => format!(
            "peer: {peer}, {}, from port: {}, to port: {}, ALLOW",
            p.to_uppercase(),
            num(rule.from_port),
            num(rule.to_port)
        ),
    }
}

impl Account {
    /// CreateSecurityGroup: a new group allows all egress and no ingress.
    // AWS doc: "Security group rules" — a new security group has an outbound rule allowing all traffic and no inbound rules.
    pub fn create_security_group(
        &mut self,
        vpc_id: &str,
        group_name: &str,
        description: &str,
    ) -> Result<SecurityGroup, Ec2Error> {
        self.check_new_group(vpc_id, group_name)?;
        let id = self.new_id(prefix::SECURITY_GROUP);
        let group = SecurityGroup {
            group_id: id.clone(),
            group_name: group_name.to_string(),
            description: description.to_string(),
            vpc_id: vpc_id.to_string(),
            owner_id: self.account_id.clone(),
            ingress: Vec::new(),
            egress: vec![SecurityGroupRule::all_to_cidr(Ipv4Cidr::any())],
            tags: Tags::new(),
        };
        self.security_groups.insert(id, group.clone());
        Ok(group)
    }

    /// CreateSecurityGroup's check: the VPC exists and has no group of that name.
    pub(crate) fn check_new_group(&self, vpc_id: &str, group_name: &str) -> Result<(), Ec2Error> {
        self.vpc(vpc_id)?;
        if self.security_group_by_name(vpc_id, group_name).is_some() {
            return Err(Ec2Error::GroupDuplicate(group_name.to_string(), vpc_id.to_string()));
        }
        Ok(())
    }

    /// AuthorizeSecurityGroupIngress.
    pub fn authorize_security_group_ingress(
        &mut self,
        group_id: &str,
        rules: &[SecurityGroupRule],
    ) -> Result<(), Ec2Error> {
        self.authorize(group_id, rules, false)
    }

    /// AuthorizeSecurityGroupEgress.
    pub fn authorize_security_group_egress(
        &mut self,
        group_id: &str,
        rules: &[SecurityGroupRule],
    ) -> Result<(), Ec2Error> {
        self.authorize(group_id, rules, true)
    }

    /// RevokeSecurityGroupIngress.
    pub fn revoke_security_group_ingress(
        &mut self,
        group_id: &str,
        rules: &[SecurityGroupRule],
    ) -> Result<(), Ec2Error> {
        self.revoke(group_id, rules, false)
    }

    /// RevokeSecurityGroupEgress (e.g. CloudFormation dropping the allow-all rule).
    pub fn revoke_security_group_egress(
        &mut self,
        group_id: &str,
        rules: &[SecurityGroupRule],
    ) -> Result<(), Ec2Error> {
        self.revoke(group_id, rules, true)
    }

    pub(crate) fn authorize(
        &mut self,
        group_id: &str,
        rules: &[SecurityGroupRule],
        egress: bool,
    ) -> Result<(), Ec2Error> {
        let group = self.security_group(group_id)?;
        let existing = if egress { &group.egress } else { &group.ingress };
        let added: Vec<SecurityGroupRule> = rules.iter().map(normalize).collect();
        for rule in &added {
            if let Peer::SecurityGroup(peer) = &rule.peer {
                self.security_group(peer)?;
            }
        }
        if let Some((_, e)) = first_duplicate(existing, &added) {
            return Err(e);
        }
        if let Some(g) = self.security_groups.get_mut(group_id) {
            if egress {
                g.egress.extend(added);
            } else {
                g.ingress.extend(added);
            }
        }
        Ok(())
    }

    pub(crate) fn revoke(&mut self, group_id: &str, rules: &[SecurityGroupRule], egress: bool) -> Result<(), Ec2Error> {
        let group = self.security_group(group_id)?;
        let current = if egress { &group.egress } else { &group.ingress };
        let rules: Vec<_> = rules.iter().map(normalize).collect();
        if rules.iter().any(|r| !current.iter().any(|c| c.same_permission(r))) {
            return Err(Ec2Error::PermissionNotFound);
        }
        if let Some(g) = self.security_groups.get_mut(group_id) {
            let list = if egress { &mut g.egress } else { &mut g.ingress };
            list.retain(|c| !rules.iter().any(|r| c.same_permission(r)));
        }
        Ok(())
    }
}

/// The first of `rules` (normalized) that repeats a permission of
/// `existing` or of an earlier one of `rules`: the whole Authorize call
/// fails on it.
pub(crate) fn first_duplicate(
    existing: &[SecurityGroupRule],
    rules: &[SecurityGroupRule],
) -> Option<(usize, Ec2Error)> {
    for (i, rule) in rules.iter().enumerate() {
        if existing.iter().chain(&rules[..i]).any(|r| r.same_permission(rule)) {
            return Some((i, Ec2Error::PermissionDuplicate(describe_rule(rule))));
        }
    }
    None
}

/// Canonical protocol; no ports for all-protocol rules.
pub(crate) fn normalize(rule: &SecurityGroupRule) -> SecurityGroupRule {
    let mut r = rule.clone();
    r.ip_protocol = canonical_protocol(&r.ip_protocol);
    if r.ip_protocol == "-1" {
        r.from_port = None;
        r.to_port = None;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_rule_texts_seen_in_real_output() {
        let any = Peer::Cidr(Ipv4Cidr::any());
        assert_eq!(describe_rule(&SecurityGroupRule::all_to_cidr(Ipv4Cidr::any())), "peer: 0.0.0.0/0, ALL, ALLOW");
        let self_rule = SecurityGroupRule {
            ip_protocol: "-1".into(),
            from_port: None,
            to_port: None,
            peer: Peer::SecurityGroup("sg-0b2f992c6b3d46431".into()),
            description: None,
            origin: Origin::none(),
        };
        assert_eq!(describe_rule(&self_rule), "peer: sg-0b2f992c6b3d46431, ALL, ALLOW");
        let icmp = SecurityGroupRule {
            ip_protocol: "icmp".into(),
            from_port: Some(-1),
            to_port: Some(-1),
            peer: any.clone(),
            description: None,
            origin: Origin::none(),
        };
        assert_eq!(describe_rule(&icmp), "peer: 0.0.0.0/0, ICMP, type: ALL, code: ALL, ALLOW");
        assert_eq!(
            describe_rule(&SecurityGroupRule::tcp(80, 80, any)),
            "peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW"
        );
    }
}
