//! Security groups and network ACLs: the resources that hold rules, each
//! type's create, refresh, in-place update and delete (`KINDS`).
//! AWS doc: "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress",
//! "AWS::EC2::NetworkAclEntry".

use super::kind::{ec2, kind, Kind, Moved};
use super::{ec2_error, origin, resource_origin};
use crate::delete::{attr, prop};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{
    Account, Ec2Error, Ipv4Cidr, NetworkAclEntry, Origin, Peer, PortRange, RuleAction, SecurityGroup,
    SecurityGroupRule, StackResource,
};
use cfn::Diagnostic;

/// A group's inline rule lists, with true for egress.
const INLINE_LISTS: [(&str, bool); 2] = [("SecurityGroupIngress", false), ("SecurityGroupEgress", true)];

/// Reads one rule (inline or standalone); `egress` picks the Destination* names.
fn read_rule(p: &Planner, props: &Props<'_>, egress: bool) -> Result<SecurityGroupRule, String> {
    let protocol = account::ec2::canonical_protocol(&props.str("IpProtocol").unwrap_or_default());
    let port = |name: &str| props.str(name).and_then(|s| s.trim().parse::<i32>().ok());
    let (group_key, prefix_key) = if egress {
        ("DestinationSecurityGroupId", "DestinationPrefixListId")
    } else {
        ("SourceSecurityGroupId", "SourcePrefixListId")
    };
    let peer = if let Some(c) = props.str("CidrIp") {
        Peer::Cidr(c.parse::<Ipv4Cidr>().map_err(|e| e.to_string())?)
    } else if let Some(c) = props.str("CidrIpv6") {
        Peer::Ipv6Cidr(c)
    } else if let Some(g) = props.str(group_key) {
        Peer::SecurityGroup(g)
    } else if let Some(name) = props.str("SourceSecurityGroupName").filter(|_| !egress) {
        // A group name means a group of the default VPC.
        let vpc = p.account.default_vpc().map(|v| v.vpc_id.clone()).unwrap_or_default();
        match p.account.security_group_by_name(&vpc, &name) {
            Some(g) => Peer::SecurityGroup(g.group_id.clone()),
            None => return Err(format!("The security group '{name}' does not exist in default VPC '{vpc}'")),
        }
    } else if let Some(pl) = props.str(prefix_key) {
        Peer::PrefixList(pl)
    } else {
        // AWS doc: a rule needs exactly one peer (CidrIp, CidrIpv6, a group or a prefix list).
        return Err("Either CIDR or Source Security Group must be specified".to_string());
    };
    let (from, to) = if protocol == "-1" { (None, None) } else { (port("FromPort"), port("ToPort")) };
    Ok(SecurityGroupRule {
        ip_protocol: protocol,
        from_port: from,
        to_port: to,
        peer,
        description: props.str("Description"),
        origin: Origin::none(),
    })
}

/// The inline rules of `list`, each with its origin (the item, numbered as
/// written); an `Err` is an unreadable item and why.
fn inline_rules<'a>(
    p: &Planner,
    props: &Props<'a>,
    list: &str,
    egress: bool,
) -> Vec<Result<SecurityGroupRule, (Props<'a>, String)>> {
    props
        .items(list)
        .into_iter()
        .map(|(resolved, item)| {
            let mut rule = read_rule(p, &item, egress).map_err(|m| (item.clone(), m))?;
            let pos = item.resource_pos;
            let index = p.written_index(props.logical_id, list, pos, resolved);
            rule.origin = origin(p, props, format!("{}/{index}", props.path(list)), pos);
            Ok(rule)
        })
        .collect()
}

/// A group's egress or ingress rules.
fn rules_of(g: &mut SecurityGroup, egress: bool) -> &mut [SecurityGroupRule] {
    if egress {
        &mut g.egress
    } else {
        &mut g.ingress
    }
}

/// Gives each rule the origin of the fresh rule with the same permission (a
/// group has at most one rule per permission).
fn set_origins(rules: &mut [SecurityGroupRule], fresh: &[SecurityGroupRule]) {
    for rule in rules {
        if let Some(f) = fresh.iter().find(|f| f.same_permission(rule)) {
            rule.origin = f.origin.clone();
        }
    }
}

/// Points a kept group's inline rules at where the template now declares them.
pub(super) fn refresh_group(p: &mut Planner, props: &Props<'_>, gid: &str) {
    for (list, egress) in INLINE_LISTS {
        let fresh: Vec<_> = inline_rules(p, props, list, egress).into_iter().flatten().collect();
        if let Some(g) = p.account.security_groups.get_mut(gid) {
            set_origins(rules_of(g, egress), &fresh);
        }
    }
}

/// The group of an AWS::EC2::SecurityGroupIngress/Egress: GroupId, or
/// GroupName in the default VPC.
fn rule_group(p: &Planner, props: &Props<'_>) -> Option<String> {
    props.str("GroupId").or_else(|| {
        let vpc = p.account.default_vpc().map(|v| v.vpc_id.clone())?;
        let name = props.str("GroupName")?;
        p.account.security_group_by_name(&vpc, &name).map(|g| g.group_id.clone())
    })
}

/// Points a kept AWS::EC2::SecurityGroupIngress/Egress at where the template now declares it.
pub(super) fn refresh_rule(p: &mut Planner, props: &Props<'_>, egress: bool) {
    let (Some(gid), Ok(mut rule)) = (rule_group(p, props), read_rule(p, props, egress)) else {
        return;
    };
    rule.origin = resource_origin(p, props);
    if let Some(g) = p.account.security_groups.get_mut(&gid) {
        set_origins(rules_of(g, egress), &[rule]);
    }
}

fn rule_error(props: &Props<'_>, message: String) -> Diagnostic {
    Diagnostic::error("TN3000", message)
        .resource(props.logical_id)
        .path(format!("Resources/{}/Properties", props.logical_id))
        .at(props.resource_pos)
        .hint("give the rule one peer: CidrIp, CidrIpv6, a security group ID or a prefix list")
}

/// AWS::EC2::SecurityGroup. Ref is the group ID when VpcId is given, else
/// the group *name* (a group in the default VPC), as the resource reference says.
pub fn security_group(p: &mut Planner, props: &Props<'_>) -> Planned {
    let explicit_vpc = props.str("VpcId");
    let vpc = explicit_vpc.clone().or_else(|| p.account.default_vpc().map(|v| v.vpc_id.clone())).unwrap_or_default();
    let name = props.str("GroupName").unwrap_or_else(|| p.generated_name(props.logical_id, 255));
    let description = props.str("GroupDescription").unwrap_or_default();
    let group = match p.account.create_security_group(&vpc, &name, &description) {
        Ok(g) => g,
        Err(e) => {
            let prop = if explicit_vpc.is_some() { "VpcId" } else { "GroupName" };
            p.report(ec2_error(props, prop, &e));
            let id = p.failed_id("sg");
            return Planned::new(id.clone()).attr("GroupId", id).attr("VpcId", vpc);
        }
    };
    let gid = group.group_id.clone();
    super::ec2::tag(p, &gid, props);
    for (list, egress) in INLINE_LISTS {
        if egress && props.get(list).is_some() {
            // Listing egress rules replaces the default allow-all rule.
            let all = p.account.security_groups.get(&gid).map(|g| g.egress.clone()).unwrap_or_default();
            let _ = p.account.revoke_security_group_egress(&gid, &all);
        }
        let mut rules = Vec::new();
        for item in inline_rules(p, props, list, egress) {
            match item {
                Ok(r) => rules.push(r),
                Err((item, m)) => p.report(rule_error(&item, m).path(props.path(list)).at(props.pos(list))),
            }
        }
        let result = if egress {
            p.account.authorize_security_group_egress(&gid, &rules)
        } else {
            p.account.authorize_security_group_ingress(&gid, &rules)
        };
        if let Err(e) = result {
            p.report(ec2_error(props, list, &e));
        }
    }
    let reference = if explicit_vpc.is_some() { gid.clone() } else { name.clone() };
    let mut planned = Planned::new(reference).attr("GroupId", gid.clone()).attr("VpcId", vpc).detail("GroupId", gid);
    if explicit_vpc.is_none() {
        planned = planned.detail("Ref", "the group name (no VpcId: a group in the default VPC)");
    }
    planned
}

/// AWS::EC2::SecurityGroupIngress / SecurityGroupEgress: one rule added to a group.
pub fn security_group_rule(p: &mut Planner, props: &Props<'_>, egress: bool) -> Planned {
    let gid = rule_group(p, props);
    let physical = format!("sgr-{}", p.account.new_hex(props.logical_id, 17));
    let Some(gid) = gid else {
        p.report(
            rule_error(props, "The security group '' does not exist".into())
                .hint("give GroupId: !Ref <the security group>"),
        );
        return Planned::new(physical);
    };
    let rule = match read_rule(p, props, egress) {
        Ok(r) => SecurityGroupRule { origin: resource_origin(p, props), ..r },
        Err(m) => {
            p.report(rule_error(props, m));
            return Planned::new(physical);
        }
    };
    let shown = format!(
        "{} {} {}-{} {}",
        gid,
        rule.ip_protocol,
        rule.from_port.unwrap_or(-1),
        rule.to_port.unwrap_or(-1),
        rule.peer
    );
    let result = if egress {
        p.account.authorize_security_group_egress(&gid, std::slice::from_ref(&rule))
    } else {
        p.account.authorize_security_group_ingress(&gid, std::slice::from_ref(&rule))
    };
    if let Err(e) = result {
        let prop = if matches!(e, account::Ec2Error::GroupNotFound(_)) { "GroupId" } else { "IpProtocol" };
        p.report(ec2_error(props, prop, &e));
    }
    Planned::new(physical.clone()).attr("Id", physical).detail(if egress { "Egress" } else { "Ingress" }, shown)
}

/// AWS::EC2::NetworkAcl.
pub fn network_acl(p: &mut Planner, props: &Props<'_>) -> Planned {
    let vpc = props.str("VpcId").unwrap_or_default();
    match p.account.create_network_acl(&vpc) {
        Ok(acl) => Planned::new(acl.network_acl_id.clone()).attr("Id", acl.network_acl_id),
        Err(e) => {
            p.report(ec2_error(props, "VpcId", &e));
            Planned::new(p.failed_id("acl"))
        }
    }
}

/// AWS::EC2::NetworkAclEntry. Protocol is a number (-1 all, 6 tcp, 17 udp, 1 icmp).
pub fn network_acl_entry(p: &mut Planner, props: &Props<'_>) -> Planned {
    let (acl, egress, number) = entry_key(props);
    let action = match props.str("RuleAction").map(|s| s.to_ascii_lowercase()).as_deref() {
        Some("deny") => RuleAction::Deny,
        _ => RuleAction::Allow,
    };
    let cidr = match props.str("CidrBlock").map(|c| c.parse::<Ipv4Cidr>()) {
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => {
            p.report(rule_error(props, e.to_string()).path(props.path("CidrBlock")).at(props.pos("CidrBlock")));
            None
        }
        None => None,
    };
    let port_range = props.child("PortRange").and_then(|r| {
        let from = u16::try_from(r.u32("From")?).ok()?;
        let to = u16::try_from(r.u32("To")?).ok()?;
        Some(PortRange { from, to })
    });
    let icmp = props.child("Icmp").map(|i| {
        (
            i.str("Type").and_then(|s| s.parse().ok()).unwrap_or(-1),
            i.str("Code").and_then(|s| s.parse().ok()).unwrap_or(-1),
        )
    });
    let entry = NetworkAclEntry {
        rule_number: number,
        protocol: account::ec2::canonical_protocol(&props.str("Protocol").unwrap_or_else(|| "-1".into())),
        rule_action: action,
        egress,
        cidr_block: cidr,
        ipv6_cidr_block: props.str("Ipv6CidrBlock"),
        port_range,
        icmp_type_code: icmp,
        origin: resource_origin(p, props),
    };
    if let Err(e) = p.account.create_network_acl_entry(&acl, entry) {
        p.report(ec2_error(props, "RuleNumber", &e));
    }
    let physical = format!("{acl}|{}|{number}", if egress { "egress" } else { "ingress" });
    Planned::new(physical.clone()).attr("Id", physical)
}

/// What names an AWS::EC2::NetworkAclEntry's entry: ACL, direction, rule number.
fn entry_key(props: &Props<'_>) -> (String, bool, u16) {
    let acl = props.str("NetworkAclId").unwrap_or_default();
    let egress = props.bool("Egress").unwrap_or(false);
    let number = props.u32("RuleNumber").and_then(|n| u16::try_from(n).ok()).unwrap_or(0);
    (acl, egress, number)
}

/// Points a kept AWS::EC2::NetworkAclEntry at where the template now declares it.
pub(super) fn refresh_entry(p: &mut Planner, props: &Props<'_>) {
    let (acl, egress, number) = entry_key(props);
    let origin = resource_origin(p, props);
    let entry = p
        .account
        .network_acls
        .get_mut(&acl)
        .and_then(|a| a.entries.iter_mut().find(|e| e.egress == egress && e.rule_number == number));
    if let Some(entry) = entry {
        entry.origin = origin;
    }
}

/// AWS::EC2::SubnetNetworkAclAssociation.
pub fn subnet_network_acl_association(p: &mut Planner, props: &Props<'_>) -> Planned {
    let subnet = props.str("SubnetId").unwrap_or_default();
    let acl = props.str("NetworkAclId").unwrap_or_default();
    let result = p
        .account
        .network_acl_association_id(&subnet)
        .and_then(|assoc| p.account.replace_network_acl_association(&assoc, &acl));
    match result {
        Ok(id) => Planned::new(id.clone()).attr("AssociationId", id),
        Err(e) => {
            let prop = if matches!(e, account::Ec2Error::SubnetNotFound(_)) { "SubnetId" } else { "NetworkAclId" };
            p.report(ec2_error(props, prop, &e));
            Planned::new(p.failed_id("aclassoc"))
        }
    }
}

/// The rule-holding types' records.
pub(super) const KINDS: &[Kind] = &[
    Kind {
        refresh: |p, props, kept| {
            // Ref is the group name for a group of the default VPC; GroupId is always the ID.
            if let Some(gid) = kept.attributes.get("GroupId").and_then(cfn::Node::scalar_string) {
                refresh_group(p, props, &gid);
            }
        },
        replacing: &["GroupDescription", "GroupName", "VpcId"],
        update: Some(update_group),
        ..kind("AWS::EC2::SecurityGroup", security_group, |a, r, id| match group_id(a, r, id) {
            Some(g) => ec2(a.delete_security_group(&g)),
            None => Ok(()),
        })
    },
    Kind {
        refresh: |p, props, _| refresh_rule(p, props, false),
        replacing: &["*"],
        ..kind(
            "AWS::EC2::SecurityGroupIngress",
            |p, props| security_group_rule(p, props, false),
            |a, r, _| ec2(revoke(a, r, false)),
        )
    },
    Kind {
        refresh: |p, props, _| refresh_rule(p, props, true),
        replacing: &["*"],
        ..kind(
            "AWS::EC2::SecurityGroupEgress",
            |p, props| security_group_rule(p, props, true),
            |a, r, _| ec2(revoke(a, r, true)),
        )
    },
    Kind {
        replacing: &["*"],
        ..kind("AWS::EC2::NetworkAcl", network_acl, |a, _, id| {
            if a.network_acls.contains_key(id) {
                ec2(a.delete_network_acl(id))
            } else {
                Ok(())
            }
        })
    },
    Kind {
        refresh: |p, props, _| refresh_entry(p, props),
        replacing: &["*"],
        ..kind("AWS::EC2::NetworkAclEntry", network_acl_entry, |a, r, _| ec2(delete_acl_entry(a, r)))
    },
    Kind {
        replacing: &["*"],
        ..kind("AWS::EC2::SubnetNetworkAclAssociation", subnet_network_acl_association, |a, _, id| {
            match a.reset_network_acl_association(id) {
                Err(Ec2Error::AssociationNotFound(_)) => Ok(()),
                other => ec2(other.map(drop)),
            }
        })
    },
];

/// Whether a rule of a group was declared by another resource than the group
/// itself (an `AWS::EC2::SecurityGroupIngress`/`Egress`, maybe of another stack).
fn declared_elsewhere(rule: &SecurityGroupRule, group: &(String, String)) -> bool {
    rule.origin.declared().is_some_and(|d| (&d.stack_name, &d.logical_id) != (&group.0, &group.1))
}

/// Reconciles a group's inline rules with Revoke/Authorize: the group's own
/// rules that the new template drops are revoked, new ones authorized; the
/// rules other resources added stay (AWS::EC2::SecurityGroup: CloudFormation
/// reconciles only the inline lists).
fn reconcile_inline(
    a: &mut Account,
    id: &str,
    new: Vec<SecurityGroupRule>,
    egress: bool,
    group: &(String, String),
) -> Result<(), String> {
    let Some(g) = a.security_groups.get(id) else { return Ok(()) };
    let current = if egress { &g.egress } else { &g.ingress };
    let gone: Vec<SecurityGroupRule> = current
        .iter()
        .filter(|r| !declared_elsewhere(r, group) && !new.iter().any(|n| n.same_permission(r)))
        .cloned()
        .collect();
    let added: Vec<SecurityGroupRule> =
        new.iter().filter(|n| !current.iter().any(|r| r.same_permission(n))).cloned().collect();
    if !gone.is_empty() {
        ec2(if egress {
            a.revoke_security_group_egress(id, &gone)
        } else {
            a.revoke_security_group_ingress(id, &gone)
        })?;
    }
    if !added.is_empty() {
        ec2(if egress {
            a.authorize_security_group_egress(id, &added)
        } else {
            a.authorize_security_group_ingress(id, &added)
        })?;
    }
    // UpdateSecurityGroupRuleDescriptions for the kept ones; their declaration moves with the template.
    if let Some(g) = a.security_groups.get_mut(id) {
        for rule in if egress { &mut g.egress } else { &mut g.ingress } {
            if let Some(n) = new.iter().find(|n| n.same_permission(rule)) {
                if !declared_elsewhere(rule, group) {
                    rule.description = n.description.clone();
                    rule.origin = n.origin.clone();
                }
            }
        }
    }
    Ok(())
}

/// AWS::EC2::SecurityGroup in place: its inline rules reconciled, its tags replaced.
fn update_group(a: &mut Account, scratch: &Account, m: &Moved<'_>) -> Result<(), String> {
    let Some(new) = scratch.security_groups.get(m.new_id) else { return Ok(()) };
    let fix = |rules: &[SecurityGroupRule]| -> Vec<SecurityGroupRule> {
        // Rules that name the group itself name the scratch copy's ID.
        rules
            .iter()
            .cloned()
            .map(|mut rule| {
                if rule.peer == Peer::SecurityGroup(m.new_id.to_string()) {
                    rule.peer = Peer::SecurityGroup(m.id.to_string());
                }
                rule
            })
            .collect()
    };
    reconcile_inline(a, m.id, fix(&new.ingress), false, m.declarer)?;
    reconcile_inline(a, m.id, fix(&new.egress), true, m.declarer)?;
    ec2(a.retag(m.id, &new.tags))
}

/// The ID of an AWS::EC2::SecurityGroup whose Ref is its ID, or its name
/// when it was created without VpcId (a group of the default VPC).
fn group_id(a: &Account, r: &StackResource, id: &str) -> Option<String> {
    if a.security_groups.contains_key(id) {
        return Some(id.to_string());
    }
    if let Some(g) = attr(r, "GroupId").filter(|g| a.security_groups.contains_key(g)) {
        return Some(g);
    }
    let vpc = a.default_vpc()?.vpc_id.clone();
    a.security_group_by_name(&vpc, id).map(|g| g.group_id.clone())
}

/// The rule an AWS::EC2::SecurityGroupIngress/Egress added, read back from
/// its properties; `None` when it had no peer (it never existed).
fn rule_of(a: &Account, r: &StackResource, egress: bool) -> Option<SecurityGroupRule> {
    let protocol = account::ec2::canonical_protocol(&prop(r, "IpProtocol").unwrap_or_default());
    let (group_key, prefix_key) = if egress {
        ("DestinationSecurityGroupId", "DestinationPrefixListId")
    } else {
        ("SourceSecurityGroupId", "SourcePrefixListId")
    };
    let peer = if let Some(c) = prop(r, "CidrIp") {
        Peer::Cidr(c.parse().ok()?)
    } else if let Some(c) = prop(r, "CidrIpv6") {
        Peer::Ipv6Cidr(c)
    } else if let Some(g) = prop(r, group_key) {
        Peer::SecurityGroup(g)
    } else if let Some(name) = prop(r, "SourceSecurityGroupName").filter(|_| !egress) {
        let vpc = a.default_vpc()?.vpc_id.clone();
        Peer::SecurityGroup(a.security_group_by_name(&vpc, &name)?.group_id.clone())
    } else {
        Peer::PrefixList(prop(r, prefix_key)?)
    };
    let port = |name: &str| prop(r, name).and_then(|p| p.trim().parse::<i32>().ok());
    let all = protocol == "-1";
    Some(SecurityGroupRule {
        from_port: port("FromPort").filter(|_| !all),
        to_port: port("ToPort").filter(|_| !all),
        ip_protocol: protocol,
        peer,
        description: None,
        origin: Origin::none(),
    })
}

/// Revokes the rule of an AWS::EC2::SecurityGroupIngress/Egress; a rule or group already gone is fine.
fn revoke(a: &mut Account, r: &StackResource, egress: bool) -> Result<(), Ec2Error> {
    let group = prop(r, "GroupId").or_else(|| {
        let vpc = a.default_vpc()?.vpc_id.clone();
        a.security_group_by_name(&vpc, &prop(r, "GroupName")?).map(|g| g.group_id.clone())
    });
    let (Some(group), Some(rule)) = (group.filter(|g| a.security_groups.contains_key(g)), rule_of(a, r, egress)) else {
        return Ok(());
    };
    let result = if egress {
        a.revoke_security_group_egress(&group, std::slice::from_ref(&rule))
    } else {
        a.revoke_security_group_ingress(&group, std::slice::from_ref(&rule))
    };
    match result {
        Err(Ec2Error::PermissionNotFound) => Ok(()),
        other => other,
    }
}

/// Deletes the entry of an AWS::EC2::NetworkAclEntry; one already gone is fine.
fn delete_acl_entry(a: &mut Account, r: &StackResource) -> Result<(), Ec2Error> {
    let Some(acl) = prop(r, "NetworkAclId").filter(|x| a.network_acls.contains_key(x)) else {
        return Ok(());
    };
    let Some(number) = prop(r, "RuleNumber").and_then(|n| n.trim().parse::<u16>().ok()) else {
        return Ok(());
    };
    let egress = prop(r, "Egress").is_some_and(|e| e.eq_ignore_ascii_case("true"));
    match a.delete_network_acl_entry(&acl, number, egress) {
        Err(Ec2Error::NetworkAclEntryNotFound(_)) => Ok(()),
        other => other,
    }
}
