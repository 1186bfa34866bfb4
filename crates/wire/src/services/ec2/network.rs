//! VPCs, subnets, their attributes, tags and network interfaces.

use super::{aws, dry_run, needed, tag_new, unmodelled};
use crate::dispatch::Write;
use crate::error::WireError;
use crate::services::input;
use account::{CreateNetworkInterface, VpcAttribute};
use serde_json::{json, Value};
use shapes::json::prune;

/// `{"Value": bool}` (`AttributeBooleanValue`) of member `name`, if given.
fn flag(input: &Value, name: &str) -> Option<bool> {
    input.get(name).and_then(|v| v.get("Value")).and_then(Value::as_bool)
}

pub(super) fn create_vpc(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    unmodelled(
        input,
        &["Ipv6Pool", "Ipv6CidrBlock", "Ipv4IpamPoolId", "Ipv6IpamPoolId", "AmazonProvidedIpv6CidrBlock"],
    )?;
    if input::text(input, "InstanceTenancy").is_some_and(|t| t != "default") {
        return Err(WireError::bad("InvalidParameterValue", "tasknet models only the default instance tenancy"));
    }
    let account = &mut w.session.account;
    let vpc = account.create_vpc(needed(input, "CidrBlock")?).map_err(|e| aws(&e))?;
    tag_new(account, &vpc.vpc_id, input)?;
    let vpc = account.vpc(&vpc.vpc_id).map_err(|e| aws(&e))?;
    Ok(json!({ "Vpc": prune(shapes::ec2::vpc_json(vpc)) }))
}

pub(super) fn delete_vpc(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    w.session.account.delete_vpc(input::text(input, "VpcId").unwrap_or_default()).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

/// ModifyVpcAttribute: one attribute per call (AWS doc "ModifyVpcAttribute"
/// says so; the code and text for two at once, or none, are inferred).
pub(super) fn modify_vpc_attribute(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let vpc_id = input::text(input, "VpcId").unwrap_or_default();
    let given: Vec<VpcAttribute> = [
        flag(input, "EnableDnsSupport").map(VpcAttribute::EnableDnsSupport),
        flag(input, "EnableDnsHostnames").map(VpcAttribute::EnableDnsHostnames),
    ]
    .into_iter()
    .flatten()
    .collect();
    unmodelled(input, &["EnableNetworkAddressUsageMetrics"])?;
    let attribute = match given.as_slice() {
        [one] => *one,
        [] => return Err(WireError::bad("MissingParameter", "The request must contain an attribute to modify")),
        _ => return Err(WireError::bad("InvalidParameterCombination", "Only one attribute can be modified at a time")),
    };
    w.session.account.modify_vpc_attribute(vpc_id, attribute).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

pub(super) fn create_subnet(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    unmodelled(input, &["Ipv6CidrBlock", "OutpostArn", "Ipv4IpamPoolId", "Ipv6IpamPoolId"])?;
    if input::boolean(input, "Ipv6Native") == Some(true) {
        return Err(WireError::bad("InvalidParameterValue", "tasknet does not model IPv6-only subnets"));
    }
    let account = &mut w.session.account;
    // A zone ID names the zone as well as its name does.
    let zone = match (input::text(input, "AvailabilityZone"), input::text(input, "AvailabilityZoneId")) {
        (Some(z), _) => Some(z.to_string()),
        (None, Some(id)) => {
            Some(account.availability_zones.iter().find(|z| z.zone_id == id).map(|z| z.zone_name.clone()).ok_or_else(
                || {
                    // Inferred text, the zone name's pattern.
                    WireError::bad(
                        "InvalidParameterValue",
                        format!("Value ({id}) for parameter availabilityZoneId is invalid."),
                    )
                },
            )?)
        }
        (None, None) => None,
    };
    let vpc_id = input::text(input, "VpcId").unwrap_or_default();
    let subnet = account.create_subnet(vpc_id, needed(input, "CidrBlock")?, zone.as_deref()).map_err(|e| aws(&e))?;
    tag_new(account, &subnet.subnet_id, input)?;
    let subnet = account.subnet(&subnet.subnet_id).map_err(|e| aws(&e))?;
    Ok(json!({ "Subnet": prune(shapes::ec2::subnet_json(subnet)) }))
}

pub(super) fn delete_subnet(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    w.session.account.delete_subnet(input::text(input, "SubnetId").unwrap_or_default()).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

/// ModifySubnetAttribute: `MapPublicIpOnLaunch` is the attribute tasknet
/// models; the IPv6, customer-owned and DNS-name ones are refused.
pub(super) fn modify_subnet_attribute(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    unmodelled(
        input,
        &[
            "AssignIpv6AddressOnCreation",
            "MapCustomerOwnedIpOnLaunch",
            "CustomerOwnedIpv4Pool",
            "EnableDns64",
            "PrivateDnsHostnameTypeOnLaunch",
            "EnableResourceNameDnsARecordOnLaunch",
            "EnableResourceNameDnsAAAARecordOnLaunch",
            "EnableLniAtDeviceIndex",
            "DisableLniAtDeviceIndex",
        ],
    )?;
    let subnet_id = input::text(input, "SubnetId").unwrap_or_default();
    let account = &mut w.session.account;
    match flag(input, "MapPublicIpOnLaunch") {
        Some(on) => account.set_map_public_ip_on_launch(subnet_id, on).map_err(|e| aws(&e))?,
        // Nothing to change still needs the subnet to exist.
        None => {
            account.subnet(subnet_id).map_err(|e| aws(&e))?;
        }
    }
    Ok(json!({}))
}

/// The `Tags` member as (key, value) pairs, the value absent when not given.
fn tag_list(input: &Value) -> Vec<(String, Option<String>)> {
    input
        .get("Tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| {
            let key = t.get("Key").and_then(Value::as_str)?;
            Some((key.to_string(), t.get("Value").and_then(Value::as_str).map(str::to_string)))
        })
        .collect()
}

pub(super) fn create_tags(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let resources = input::texts(input, "Resources");
    // A tag without a value has the empty value (AWS doc "CreateTags": Value may be empty).
    let tags: Vec<(String, String)> = tag_list(input).into_iter().map(|(k, v)| (k, v.unwrap_or_default())).collect();
    w.session.account.create_tags(&resources, &tags).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

pub(super) fn delete_tags(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let resources = input::texts(input, "Resources");
    w.session.account.delete_tags_matching(&resources, &tag_list(input)).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

/// CreateNetworkInterface: one primary private address, the groups given
/// (the VPC's default group without), no IPv6 or prefixes.
pub(super) fn create_network_interface(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    unmodelled(
        input,
        &[
            "Ipv4Prefixes",
            "Ipv4PrefixCount",
            "Ipv6Prefixes",
            "Ipv6PrefixCount",
            "Ipv6Addresses",
            "Ipv6AddressCount",
            "PrivateIpAddresses",
            "SecondaryPrivateIpAddressCount",
        ],
    )?;
    let mut req = CreateNetworkInterface::new(input::text(input, "SubnetId").unwrap_or_default());
    req.groups = input::texts(input, "Groups");
    req.description = input::text(input, "Description").unwrap_or_default().to_string();
    if let Some(t) = input::text(input, "InterfaceType") {
        req.interface_type = t.to_string();
    }
    if let Some(ip) = input::text(input, "PrivateIpAddress") {
        // Inferred text, EC2's pattern for a bad parameter value.
        req.private_ip_address = Some(ip.parse().map_err(|_| {
            WireError::bad("InvalidParameterValue", format!("Value ({ip}) for parameter privateIpAddress is invalid."))
        })?);
    }
    let account = &mut w.session.account;
    let eni = account.create_network_interface(req).map_err(|e| aws(&e))?;
    tag_new(account, &eni.network_interface_id, input)?;
    let eni = account.network_interface(&eni.network_interface_id).map_err(|e| aws(&e))?;
    let doc = prune(shapes::ec2::interface_json(account, eni));
    Ok(json!({ "NetworkInterface": doc }))
}

pub(super) fn delete_network_interface(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let id = input::text(input, "NetworkInterfaceId").unwrap_or_default();
    w.session.account.delete_network_interface(id).map_err(|e| aws(&e))?;
    Ok(json!({}))
}
