//! Route tables and routes, internet gateways, NAT gateways and Elastic IPs.

use super::{aws, done, dry_run, needed, tag_new, unmodelled};
use crate::dispatch::Write;
use crate::error::WireError;
use crate::services::input;
use account::RouteTarget;
use serde_json::{json, Value};
use shapes::json::prune;

pub(super) fn create_route_table(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let account = &mut w.session.account;
    let table = account.create_route_table(input::text(input, "VpcId").unwrap_or_default()).map_err(|e| aws(&e))?;
    tag_new(account, &table.route_table_id, input)?;
    let table = account.route_table(&table.route_table_id).map_err(|e| aws(&e))?;
    Ok(json!({ "RouteTable": prune(shapes::ec2::route_table_json(table)) }))
}

pub(super) fn delete_route_table(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let id = input::text(input, "RouteTableId").unwrap_or_default();
    w.session.account.delete_route_table(id).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

/// The one target of a CreateRoute/ReplaceRoute request. `GatewayId` names
/// an internet gateway by its `igw-` prefix, anything else (virtual private
/// gateways, endpoints) as a gateway without behaviour here. Inferred: the
/// code and text when none or several are given.
fn target(input: &Value) -> Result<RouteTarget, WireError> {
    let text = |m: &str| input::text(input, m).map(str::to_string);
    let given: Vec<RouteTarget> = [
        text("GatewayId").map(|g| {
            if g.starts_with("igw-") {
                RouteTarget::InternetGateway(g)
            } else if g.starts_with("vpce-") {
                RouteTarget::VpcEndpoint(g)
            } else {
                RouteTarget::OtherGateway(g)
            }
        }),
        text("NatGatewayId").map(RouteTarget::NatGateway),
        text("NetworkInterfaceId").map(RouteTarget::NetworkInterface),
        text("InstanceId").map(RouteTarget::Instance),
        text("VpcPeeringConnectionId").map(RouteTarget::VpcPeeringConnection),
        text("TransitGatewayId").map(RouteTarget::TransitGateway),
        text("VpcEndpointId").map(RouteTarget::VpcEndpoint),
        text("EgressOnlyInternetGatewayId").map(RouteTarget::OtherGateway),
        text("CarrierGatewayId").map(RouteTarget::OtherGateway),
        text("LocalGatewayId").map(RouteTarget::OtherGateway),
    ]
    .into_iter()
    .flatten()
    .collect();
    match <[RouteTarget; 1]>::try_from(given) {
        Ok([one]) => Ok(one),
        Err(v) if v.is_empty() => Err(WireError::bad("MissingParameter", "The request must contain a route target")),
        Err(_) => Err(WireError::bad("InvalidParameterCombination", "A route can have only one target")),
    }
}

/// The route's IPv4 destination: tasknet routes no IPv6 or prefix-list destinations.
fn destination(input: &Value) -> Result<&str, WireError> {
    if input::text(input, "DestinationCidrBlock").is_none()
        && (input.get("DestinationIpv6CidrBlock").is_some() || input.get("DestinationPrefixListId").is_some())
    {
        return Err(WireError::bad(
            "InvalidParameterValue",
            "tasknet models only IPv4 route destinations (DestinationCidrBlock)",
        ));
    }
    needed(input, "DestinationCidrBlock")
}

pub(super) fn create_route(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let table = input::text(input, "RouteTableId").unwrap_or_default();
    let (dest, target) = (destination(input)?, target(input)?);
    w.session.account.create_route(table, dest, target).map_err(|e| aws(&e))?;
    Ok(done())
}

pub(super) fn delete_route(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let table = input::text(input, "RouteTableId").unwrap_or_default();
    w.session.account.delete_route(table, destination(input)?).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

pub(super) fn replace_route(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let table = input::text(input, "RouteTableId").unwrap_or_default();
    let (dest, target) = (destination(input)?, target(input)?);
    w.session.account.replace_route(table, dest, target, account::Origin::none()).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

/// AssociateRouteTable with a subnet (gateway route tables are not modelled).
pub(super) fn associate_route_table(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    if input.get("GatewayId").is_some() || input.get("PublicIpv4Pool").is_some() {
        return Err(WireError::bad("InvalidParameterValue", "tasknet models only subnet route table associations"));
    }
    let table = input::text(input, "RouteTableId").unwrap_or_default();
    let id = w.session.account.associate_route_table(table, needed(input, "SubnetId")?).map_err(|e| aws(&e))?;
    Ok(json!({"AssociationId": id, "AssociationState": {"State": "associated"}}))
}

pub(super) fn disassociate_route_table(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let id = input::text(input, "AssociationId").unwrap_or_default();
    w.session.account.disassociate_route_table(id).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

pub(super) fn create_internet_gateway(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let account = &mut w.session.account;
    let igw = account.create_internet_gateway();
    tag_new(account, &igw.internet_gateway_id, input)?;
    let igw = account.internet_gateway(&igw.internet_gateway_id).map_err(|e| aws(&e))?;
    Ok(json!({ "InternetGateway": prune(shapes::ec2::internet_gateway_json(igw)) }))
}

/// The gateway and VPC members of Attach/DetachInternetGateway.
fn gateway_and_vpc(input: &Value) -> (&str, &str) {
    (input::text(input, "InternetGatewayId").unwrap_or_default(), input::text(input, "VpcId").unwrap_or_default())
}

pub(super) fn attach_internet_gateway(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let (igw, vpc) = gateway_and_vpc(input);
    w.session.account.attach_internet_gateway(igw, vpc).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

pub(super) fn detach_internet_gateway(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let (igw, vpc) = gateway_and_vpc(input);
    w.session.account.detach_internet_gateway(igw, vpc).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

pub(super) fn delete_internet_gateway(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let id = input::text(input, "InternetGatewayId").unwrap_or_default();
    w.session.account.delete_internet_gateway(id).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

/// CreateNatGateway in a subnet (regional NAT gateways, secondary
/// addresses and chosen private addresses are not modelled).
pub(super) fn create_nat_gateway(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    unmodelled(
        input,
        &[
            "AvailabilityMode",
            "AvailabilityZoneAddresses",
            "SecondaryAllocationIds",
            "SecondaryPrivateIpAddresses",
            "SecondaryPrivateIpAddressCount",
            "PrivateIpAddress",
        ],
    )?;
    let subnet = needed(input, "SubnetId")?;
    let connectivity = input::text(input, "ConnectivityType").unwrap_or("public");
    let account = &mut w.session.account;
    let nat =
        account.create_nat_gateway(subnet, input::text(input, "AllocationId"), connectivity).map_err(|e| aws(&e))?;
    tag_new(account, &nat.nat_gateway_id, input)?;
    let nat = account.nat_gateway(&nat.nat_gateway_id).map_err(|e| aws(&e))?;
    let mut out = json!({ "NatGateway": prune(shapes::ec2::nat_json(nat)) });
    if let Some(token) = input::text(input, "ClientToken") {
        out["ClientToken"] = json!(token);
    }
    Ok(out)
}

/// DeleteNatGateway: `deleting` now, `deleted` as the clock moves on.
pub(super) fn delete_nat_gateway(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let id = input::text(input, "NatGatewayId").unwrap_or_default();
    let nat = w.session.account.delete_nat_gateway(id).map_err(|e| aws(&e))?;
    w.session.play_out_call();
    Ok(json!({"NatGatewayId": nat.nat_gateway_id}))
}

/// AllocateAddress: a VPC address from Amazon's pool (BYOIP pools, chosen
/// addresses and customer-owned pools are not modelled).
pub(super) fn allocate_address(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    unmodelled(input, &["Address", "CustomerOwnedIpv4Pool", "IpamPoolId"])?;
    if input::text(input, "PublicIpv4Pool").is_some_and(|p| p != "amazon") {
        return Err(WireError::bad("InvalidParameterValue", "tasknet models only Amazon's address pool"));
    }
    let account = &mut w.session.account;
    let address = account.allocate_address().map_err(|e| aws(&e))?;
    tag_new(account, &address.allocation_id, input)?;
    Ok(json!({
        "AllocationId": address.allocation_id,
        "PublicIpv4Pool": "amazon",
        "NetworkBorderGroup": account.region,
        "Domain": address.domain,
        "PublicIp": address.public_ip.to_string(),
    }))
}

/// The allocation ID a request names by `AllocationId`, or by `PublicIp`.
fn allocation_of(account: &account::Account, input: &Value) -> Result<String, WireError> {
    if let Some(id) = input::text(input, "AllocationId") {
        return Ok(id.to_string());
    }
    let Some(ip) = input::text(input, "PublicIp") else {
        return Err(WireError::bad("MissingParameter", "The request must contain the parameter AllocationId"));
    };
    account
        .addresses
        .values()
        .find(|a| a.public_ip.to_string() == ip)
        .map(|a| a.allocation_id.clone())
        // Inferred code and text for an unknown public address.
        .ok_or_else(|| WireError::bad("InvalidAddress.NotFound", format!("Address '{ip}' not found.")))
}

/// AssociateAddress with an interface, or with an instance (its primary
/// interface). With `AllowReassociation`, an associated address moves.
pub(super) fn associate_address(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    unmodelled(input, &["PrivateIpAddress"])?;
    let account = &mut w.session.account;
    let allocation = allocation_of(account, input)?;
    let eni = match (input::text(input, "NetworkInterfaceId"), input::text(input, "InstanceId")) {
        (Some(eni), _) => eni.to_string(),
        (None, Some(instance)) => {
            let i = account.instance(instance).map_err(|e| aws(&e))?;
            // Inferred text: an instance without an interface has nothing to take the address.
            i.network_interface_ids.first().cloned().ok_or_else(|| {
                WireError::bad("InvalidInstanceID", format!("The instance {instance} has no network interface"))
            })?
        }
        (None, None) => {
            return Err(WireError::bad(
                "MissingParameter",
                "The request must contain the parameter InstanceId or NetworkInterfaceId",
            ))
        }
    };
    let current = account.address(&allocation).map_err(|e| aws(&e))?.association_id.clone();
    if let (Some(assoc), Some(true)) = (current, input::boolean(input, "AllowReassociation")) {
        account.disassociate_address(&assoc).map_err(|e| aws(&e))?;
    }
    let id = account.associate_address(&allocation, &eni).map_err(|e| aws(&e))?;
    Ok(json!({ "AssociationId": id }))
}

pub(super) fn disassociate_address(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let account = &mut w.session.account;
    let association = match input::text(input, "AssociationId") {
        Some(a) => a.to_string(),
        None => {
            let allocation = allocation_of(account, input)?;
            let address = account.address(&allocation).map_err(|e| aws(&e))?;
            // Inferred text: the address is not associated, so nothing names the association.
            address.association_id.clone().ok_or_else(|| {
                WireError::bad(
                    "InvalidAssociationID.NotFound",
                    format!("The address {} is not associated", address.public_ip),
                )
            })?
        }
    };
    account.disassociate_address(&association).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

pub(super) fn release_address(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let account = &mut w.session.account;
    let allocation = allocation_of(account, input)?;
    account.release_address(&allocation).map_err(|e| aws(&e))?;
    Ok(json!({}))
}
