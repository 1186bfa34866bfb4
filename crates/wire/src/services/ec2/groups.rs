//! Security groups and their rules: the request's permissions (the
//! `IpPermissions` list, or the older single-rule members) become the
//! account's rules, one per peer, and the account's actions check them.

use super::{aws, dry_run, tag_new};
use crate::dispatch::Write;
use crate::error::WireError;
use crate::services::input;
use account::{Account, Ipv4Cidr, Origin, Peer, SecurityGroupRule};
use serde_json::{json, Value};

/// The group a request names: `GroupId`, else `GroupName` in the default VPC.
fn group_of(account: &Account, input: &Value) -> Result<String, WireError> {
    if let Some(id) = input::text(input, "GroupId") {
        return Ok(id.to_string());
    }
    // Inferred text when neither is given.
    let name = input::text(input, "GroupName").ok_or_else(|| {
        WireError::bad("MissingParameter", "The request must contain the parameter groupName or groupId")
    })?;
    Ok(account.security_group_in_default_vpc(name).map_err(|e| aws(&e))?.group_id.clone())
}

/// An IPv4 block as a rule's peer. Recalled from users' reports, unverified:
/// `CIDR block X is malformed`.
fn cidr(text: &str) -> Result<Ipv4Cidr, WireError> {
    Ipv4Cidr::parse(text)
        .map_err(|_| WireError::bad("InvalidParameterValue", format!("CIDR block {text} is malformed")))
}

/// A peer group named by `GroupName` (the older form): in the rule's own VPC.
fn named_group(account: &Account, vpc_id: &str, name: &str) -> Result<String, WireError> {
    account
        .security_group_by_name(vpc_id, name)
        .map(|g| g.group_id.clone())
        .ok_or_else(|| aws(&account::Ec2Error::GroupNotFound(name.to_string())))
}

/// One rule of a permission for `peer`.
fn rule(
    protocol: &str,
    from: Option<i32>,
    to: Option<i32>,
    peer: Peer,
    description: Option<&str>,
) -> SecurityGroupRule {
    SecurityGroupRule {
        ip_protocol: protocol.to_string(),
        from_port: from,
        to_port: to,
        peer,
        description: description.map(str::to_string),
        origin: Origin::none(),
    }
}

/// The rules a request asks for, one per peer of each permission.
fn rules_of(account: &Account, group_id: &str, input: &Value) -> Result<Vec<SecurityGroupRule>, WireError> {
    let vpc_id = account.security_group(group_id).map_err(|e| aws(&e))?.vpc_id.clone();
    let port = |v: &Value, m: &str| input::int(v, m).and_then(|n| i32::try_from(n).ok());
    let mut rules = Vec::new();
    for p in input.get("IpPermissions").and_then(Value::as_array).into_iter().flatten() {
        let protocol = input::text(p, "IpProtocol").unwrap_or("-1");
        let (from, to) = (port(p, "FromPort"), port(p, "ToPort"));
        let list = |m: &str| p.get(m).and_then(Value::as_array).cloned().unwrap_or_default();
        let said = |v: &Value| v.get("Description").and_then(Value::as_str).map(str::to_string);
        for r in list("IpRanges") {
            let peer = Peer::Cidr(cidr(input::text(&r, "CidrIp").unwrap_or_default())?);
            rules.push(rule(protocol, from, to, peer, said(&r).as_deref()));
        }
        for r in list("Ipv6Ranges") {
            let peer = Peer::Ipv6Cidr(input::text(&r, "CidrIpv6").unwrap_or_default().to_string());
            rules.push(rule(protocol, from, to, peer, said(&r).as_deref()));
        }
        for r in list("PrefixListIds") {
            let peer = Peer::PrefixList(input::text(&r, "PrefixListId").unwrap_or_default().to_string());
            rules.push(rule(protocol, from, to, peer, said(&r).as_deref()));
        }
        for r in list("UserIdGroupPairs") {
            let id = match (input::text(&r, "GroupId"), input::text(&r, "GroupName")) {
                (Some(id), _) => id.to_string(),
                (None, Some(name)) => named_group(account, &vpc_id, name)?,
                // Inferred text.
                (None, None) => {
                    return Err(WireError::bad("MissingParameter", "A group pair must name a GroupId or GroupName"))
                }
            };
            rules.push(rule(protocol, from, to, Peer::SecurityGroup(id), said(&r).as_deref()));
        }
    }
    // The older form: one rule in top-level members.
    let protocol = input::text(input, "IpProtocol").unwrap_or("-1");
    let (from, to) = (port(input, "FromPort"), port(input, "ToPort"));
    if let Some(c) = input::text(input, "CidrIp") {
        rules.push(rule(protocol, from, to, Peer::Cidr(cidr(c)?), None));
    }
    if let Some(name) = input::text(input, "SourceSecurityGroupName") {
        let peer = Peer::SecurityGroup(named_group(account, &vpc_id, name)?);
        // A named source group without protocol means all of its traffic (the older API's rule).
        rules.push(rule(protocol, from, to, peer, None));
    }
    Ok(rules)
}

pub(super) fn create_security_group(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let account = &mut w.session.account;
    let vpc_id = match input::text(input, "VpcId") {
        Some(v) => v.to_string(),
        None => account.default_vpc().map(|v| v.vpc_id.clone()).ok_or_else(|| aws(&account::Ec2Error::NoDefaultVpc))?,
    };
    let name = input::text(input, "GroupName").unwrap_or_default();
    let description = input::text(input, "Description").unwrap_or_default();
    let group = account.create_security_group(&vpc_id, name, description).map_err(|e| aws(&e))?;
    tag_new(account, &group.group_id, input)?;
    let g = account.security_group(&group.group_id).map_err(|e| aws(&e))?;
    let tags: Vec<Value> = g.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
    let arn = format!("arn:aws:ec2:{}:{}:security-group/{}", account.region, g.owner_id, g.group_id);
    let mut out = json!({"GroupId": g.group_id, "SecurityGroupArn": arn});
    if !tags.is_empty() {
        out["Tags"] = Value::Array(tags);
    }
    Ok(out)
}

pub(super) fn delete_security_group(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let account = &mut w.session.account;
    let id = group_of(account, input)?;
    account.delete_security_group(&id).map_err(|e| aws(&e))?;
    Ok(json!({"Return": true, "GroupId": id}))
}

/// Authorize*: every rule added, or none (a duplicate fails the call with
/// `InvalidPermission.Duplicate`); the answer lists the rules added.
fn authorize(w: &mut Write<'_>, input: &Value, egress: bool) -> Result<Value, WireError> {
    dry_run(input)?;
    let account = &mut w.session.account;
    let group_id = group_of(account, input)?;
    let rules = rules_of(account, &group_id, input)?;
    if rules.is_empty() {
        // Inferred code and text: EC2 needs at least one permission to add.
        return Err(WireError::bad("MissingParameter", "The request must contain the parameter ipPermissions"));
    }
    let ids = account.authorize_security_group_rules(&group_id, egress, &rules).map_err(|e| aws(&e))?;
    let group = account.security_group(&group_id).map_err(|e| aws(&e))?;
    let added: Vec<Value> = account::ec2::group_rules(group)
        .filter(|r| ids.contains(&r.id))
        .map(|r| shapes::json::prune(shapes::ec2::rule_json(account, &r)))
        .collect();
    Ok(json!({"Return": true, "SecurityGroupRules": added}))
}

/// Revoke*: by `SecurityGroupRuleIds`, or by permissions (each must exist:
/// `InvalidPermission.NotFound` otherwise); the answer names the rules revoked.
fn revoke(w: &mut Write<'_>, input: &Value, egress: bool) -> Result<Value, WireError> {
    dry_run(input)?;
    let account = &mut w.session.account;
    let group_id = group_of(account, input)?;
    let by_id = input::texts(input, "SecurityGroupRuleIds");
    let ids = if by_id.is_empty() {
        let rules = rules_of(account, &group_id, input)?;
        account.revoke_security_group_permissions(&group_id, egress, &rules).map_err(|e| aws(&e))?
    } else {
        account.revoke_security_group_rules(&group_id, egress, &by_id).map_err(|e| aws(&e))?;
        by_id
    };
    let revoked: Vec<Value> =
        ids.iter().map(|id| json!({"SecurityGroupRuleId": id, "GroupId": group_id, "IsEgress": egress})).collect();
    Ok(json!({"Return": true, "RevokedSecurityGroupRules": revoked}))
}

pub(super) fn authorize_ingress(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    authorize(w, input, false)
}

pub(super) fn authorize_egress(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    authorize(w, input, true)
}

pub(super) fn revoke_ingress(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    revoke(w, input, false)
}

pub(super) fn revoke_egress(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    revoke(w, input, true)
}
