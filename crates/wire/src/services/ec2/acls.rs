//! Network ACLs and their entries.

use super::{aws, dry_run, tag_new};
use crate::dispatch::Write;
use crate::error::WireError;
use crate::services::input;
use account::{Ipv4Cidr, NetworkAclEntry, Origin, PortRange, RuleAction};
use serde_json::{json, Value};
use shapes::json::prune;

/// The ACL, rule number and direction members of an entry call. A number
/// past the API's integer range is kept out of range, so the account's
/// check refuses it with EC2's text.
fn numbered(input: &Value) -> (&str, u16, bool) {
    let number = input::int(input, "RuleNumber").map_or(u16::MAX, |n| u16::try_from(n).unwrap_or(u16::MAX));
    (input::text(input, "NetworkAclId").unwrap_or_default(), number, input::boolean(input, "Egress").unwrap_or(false))
}

pub(super) fn create_network_acl(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let account = &mut w.session.account;
    let acl = account.create_network_acl(input::text(input, "VpcId").unwrap_or_default()).map_err(|e| aws(&e))?;
    tag_new(account, &acl.network_acl_id, input)?;
    let acl = account.network_acl(&acl.network_acl_id).map_err(|e| aws(&e))?;
    Ok(json!({ "NetworkAcl": prune(shapes::ec2::network_acl_json(acl)) }))
}

pub(super) fn delete_network_acl(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let id = input::text(input, "NetworkAclId").unwrap_or_default();
    w.session.account.delete_network_acl(id).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

/// CreateNetworkAclEntry: an IPv4 block (IPv6 entries are not modelled),
/// ports for TCP and UDP, type and code for ICMP.
pub(super) fn create_network_acl_entry(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let (acl, rule_number, egress) = numbered(input);
    let cidr = match input::text(input, "CidrBlock") {
        // Inferred text, EC2's pattern for a bad parameter value.
        Some(c) => Some(Ipv4Cidr::parse(c).map_err(|_| {
            WireError::bad("InvalidParameterValue", format!("Value ({c}) for parameter cidrBlock is invalid."))
        })?),
        None if input.get("Ipv6CidrBlock").is_some() => {
            return Err(WireError::bad("InvalidParameterValue", "tasknet does not model IPv6 network ACL entries"))
        }
        None => None,
    };
    let action = match input::text(input, "RuleAction") {
        Some("deny") => RuleAction::Deny,
        _ => RuleAction::Allow,
    };
    let port = |m: &str| input.get("PortRange").and_then(|p| input::int(p, m)).and_then(|n| u16::try_from(n).ok());
    let port_range = match (port("From"), port("To")) {
        (Some(from), Some(to)) => Some(PortRange { from, to }),
        _ => None,
    };
    let code = |m: &str| input.get("IcmpTypeCode").and_then(|c| input::int(c, m)).and_then(|n| i32::try_from(n).ok());
    let icmp = input.get("IcmpTypeCode").map(|_| (code("Type").unwrap_or(-1), code("Code").unwrap_or(-1)));
    let entry = NetworkAclEntry {
        rule_number,
        protocol: input::text(input, "Protocol").unwrap_or("-1").to_string(),
        rule_action: action,
        egress,
        cidr_block: cidr,
        ipv6_cidr_block: None,
        port_range,
        icmp_type_code: icmp,
        origin: Origin::none(),
    };
    w.session.account.create_network_acl_entry(acl, entry).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

pub(super) fn delete_network_acl_entry(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let (acl, rule_number, egress) = numbered(input);
    w.session.account.delete_network_acl_entry(acl, rule_number, egress).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

pub(super) fn replace_network_acl_association(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let association = input::text(input, "AssociationId").unwrap_or_default();
    let acl = input::text(input, "NetworkAclId").unwrap_or_default();
    let id = w.session.account.replace_network_acl_association(association, acl).map_err(|e| aws(&e))?;
    Ok(json!({ "NewAssociationId": id }))
}
