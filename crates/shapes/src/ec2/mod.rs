//! EC2's Describe operations: `DescribeNetworkInterfaces`, `DescribeSubnets`,
//! `DescribeNatGateways`, `DescribeRouteTables` (here), `DescribeSecurityGroups`
//! ([`groups`]), `DescribeSecurityGroupRules` ([`rules`]), `DescribeInstances`
//! ([`instances`]), `DescribeVpcs`, `DescribeInternetGateways`,
//! `DescribeNetworkAcls`, `DescribeAddresses` ([`vpcs`]), `DescribeVpcEndpoints`,
//! `DescribePrefixLists`, `DescribeVpcEndpointServices` ([`vpce`]) and the account-wide
//! `DescribeAvailabilityZones`, `DescribeAccountAttributes`, `DescribeTags`
//! ([`attributes`]).
//!
//! Each operation has two functions: the items in view, in the order the
//! document lists them (the text tables read the same list), and the document.
//!
//! Members are written in the order of botocore's model, not alphabetically
//! or as AWS's documentation examples have them: the aws CLI prints a
//! response in model order, so that is what users see from real AWS
//! (`serde_json` preserves insertion order here).

mod attributes;
mod groups;
mod instances;
mod rules;
mod vpce;
mod vpcs;

pub use attributes::{describe_account_attributes, describe_availability_zones, describe_tags};
pub use groups::{describe_security_groups, group_json, security_groups};
pub use instances::{describe_instances, instances};
pub use rules::{describe_security_group_rules, rule_json, security_group_rules};
pub use vpce::{
    describe_prefix_lists, describe_vpc_endpoint_services, describe_vpc_endpoints, prefix_list_json, vpc_endpoint_json,
    vpc_endpoints,
};
pub use vpcs::{
    address_json, addresses, describe_addresses, describe_internet_gateways, describe_network_acls, describe_vpcs,
    internet_gateway_json, internet_gateways, network_acl_json, network_acls, vpc_json, vpcs,
};

use crate::json::{ec2_tags, opt_timestamp, prune, to_value};
use crate::Selection;
use account::{Account, NatGateway, NetworkInterface, Route, RouteTable, RouteTarget, Subnet};
use serde_json::{json, Map, Value};

/// `[{"GroupId": …, "GroupName": …}]` (`GroupIdentifier`) for security group
/// IDs (the name is left out for a group the account lacks, rather than guessed).
pub fn group_refs(account: &Account, ids: &[String]) -> Vec<Value> {
    ids.iter()
        .map(|id| json!({"GroupId": id, "GroupName": account.security_groups.get(id).map(|g| &g.group_name)}))
        .collect()
}

/// One `NetworkInterface` of DescribeNetworkInterfaces (no IPv6 and no
/// secondary addresses are modelled, so those lists hold only the primary).
/// Absent optionals are `null`: pass the document through [`prune`].
pub fn interface_json(account: &Account, eni: &NetworkInterface) -> Value {
    let association = eni.association.as_ref().map(|a| {
        json!({
            "AllocationId": a.allocation_id,
            "AssociationId": a.association_id,
            "IpOwnerId": a.ip_owner_id,
            "PublicDnsName": a.public_dns_name,
            "PublicIp": a.public_ip.to_string(),
        })
    });
    let attachment = eni.attachment.as_ref().map(|a| {
        json!({
            "AttachmentId": a.attachment_id,
            "DeleteOnTermination": a.delete_on_termination,
            "DeviceIndex": a.device_index,
            "NetworkCardIndex": 0,
            "InstanceId": a.instance_id,
            "InstanceOwnerId": a.instance_owner_id,
            "Status": a.status,
        })
    });
    json!({
        "Association": association,
        "Attachment": attachment,
        "AvailabilityZone": eni.availability_zone,
        "Description": eni.description,
        "Groups": group_refs(account, &eni.groups),
        "InterfaceType": eni.interface_type,
        "Ipv6Addresses": [],
        "MacAddress": eni.mac_address,
        "NetworkInterfaceId": eni.network_interface_id,
        "OwnerId": eni.owner_id,
        "PrivateDnsName": eni.private_dns_name,
        "PrivateIpAddress": eni.private_ip_address.to_string(),
        "PrivateIpAddresses": [{
            "Association": association,
            "Primary": true,
            "PrivateDnsName": eni.private_dns_name,
            "PrivateIpAddress": eni.private_ip_address.to_string(),
        }],
        "RequesterId": eni.requester_id,
        "RequesterManaged": eni.requester_managed,
        "SourceDestCheck": eni.source_dest_check,
        "Status": eni.status,
        "SubnetId": eni.subnet_id,
        "TagSet": eni.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
        "VpcId": eni.vpc_id,
    })
}

/// The interfaces in view, a VPC's together in address order.
pub fn network_interfaces<'a>(sel: &Selection<'a>) -> Vec<&'a NetworkInterface> {
    let mut list: Vec<&NetworkInterface> =
        sel.account.network_interfaces.values().filter(|e| sel.owns_interface(e)).collect();
    list.sort_by_key(|e| (&e.vpc_id, e.private_ip_address));
    list
}

/// DescribeNetworkInterfaces: `{"NetworkInterfaces": […]}`.
pub fn describe_network_interfaces(sel: &Selection) -> Value {
    let list: Vec<Value> = network_interfaces(sel).iter().map(|e| interface_json(sel.account, e)).collect();
    prune(json!({ "NetworkInterfaces": list }))
}

/// One `Subnet` of DescribeSubnets (and CreateSubnet's answer); the IPv6, DNS64 and customer-owned-IP
/// members say "not in use", which is all tasknet models.
pub fn subnet_json(s: &Subnet) -> Value {
    json!({
        "AvailabilityZoneId": s.availability_zone_id,
        "MapCustomerOwnedIpOnLaunch": false,
        "OwnerId": s.owner_id,
        "AssignIpv6AddressOnCreation": false,
        "Ipv6CidrBlockAssociationSet": [],
        "Tags": ec2_tags(&s.tags),
        "SubnetArn": s.subnet_arn,
        "EnableDns64": false,
        "Ipv6Native": false,
        "SubnetId": s.subnet_id,
        "State": s.state,
        "VpcId": s.vpc_id,
        "CidrBlock": s.cidr_block.to_string(),
        "AvailableIpAddressCount": s.available_ip_address_count,
        "AvailabilityZone": s.availability_zone,
        "DefaultForAz": s.default_for_az,
        "MapPublicIpOnLaunch": s.map_public_ip_on_launch,
    })
}

/// The subnets in view, by VPC and block (the order of an address plan).
pub fn subnets<'a>(sel: &Selection<'a>) -> Vec<&'a Subnet> {
    let mut list: Vec<&Subnet> = sel.account.subnets.values().filter(|s| sel.owns(&s.subnet_id)).collect();
    list.sort_by_key(|s| (&s.vpc_id, s.cidr_block.network()));
    list
}

/// DescribeSubnets: `{"Subnets": […]}`.
pub fn describe_subnets(sel: &Selection) -> Value {
    prune(json!({"Subnets": subnets(sel).iter().map(|s| subnet_json(s)).collect::<Vec<_>>()}))
}

/// One `NatGateway` of DescribeNatGateways (and CreateNatGateway's answer).
pub fn nat_json(n: &NatGateway) -> Value {
    json!({
        "DeleteTime": opt_timestamp(n.delete_time),
        "FailureCode": n.failure_code,
        "FailureMessage": n.failure_message,
        "NatGatewayAddresses": n.nat_gateway_addresses.iter().map(to_value).collect::<Vec<_>>(),
        "NatGatewayId": n.nat_gateway_id,
        "State": to_value(&n.state),
        "SubnetId": n.subnet_id,
        "VpcId": n.vpc_id,
        "Tags": ec2_tags(&n.tags),
        "ConnectivityType": n.connectivity_type,
    })
}

/// The NAT gateways in view, by VPC and subnet.
pub fn nat_gateways<'a>(sel: &Selection<'a>) -> Vec<&'a NatGateway> {
    let mut list: Vec<&NatGateway> =
        sel.account.nat_gateways.values().filter(|n| sel.owns(&n.nat_gateway_id)).collect();
    list.sort_by_key(|n| (&n.vpc_id, &n.subnet_id, &n.nat_gateway_id));
    list
}

/// DescribeNatGateways: `{"NatGateways": […]}`.
pub fn describe_nat_gateways(sel: &Selection) -> Value {
    prune(json!({"NatGateways": nat_gateways(sel).iter().map(|n| nat_json(n)).collect::<Vec<_>>()}))
}

/// The member naming a route's target, as the API spells it (the local
/// route is `GatewayId: local`).
fn target_member(target: &RouteTarget) -> &'static str {
    match target {
        RouteTarget::Local
        | RouteTarget::InternetGateway(_)
        | RouteTarget::VpcEndpoint(_)
        | RouteTarget::OtherGateway(_) => "GatewayId",
        RouteTarget::NatGateway(_) => "NatGatewayId",
        RouteTarget::NetworkInterface(_) => "NetworkInterfaceId",
        RouteTarget::Instance(_) => "InstanceId",
        RouteTarget::VpcPeeringConnection(_) => "VpcPeeringConnectionId",
        RouteTarget::TransitGateway(_) => "TransitGatewayId",
    }
}

/// One `Route`: its destination, its target's member, origin and state (the
/// model lists a peering connection's member after the state).
fn route_json(r: &Route) -> Value {
    let mut route = Map::new();
    if let Some(c) = r.destination_cidr_block {
        route.insert("DestinationCidrBlock".into(), json!(c.to_string()));
    }
    if let Some(c) = &r.destination_ipv6_cidr_block {
        route.insert("DestinationIpv6CidrBlock".into(), json!(c));
    }
    if let Some(p) = &r.destination_prefix_list_id {
        route.insert("DestinationPrefixListId".into(), json!(p));
    }
    let member = target_member(&r.target);
    let after_state = member == "VpcPeeringConnectionId";
    if !after_state {
        route.insert(member.into(), json!(r.target.id()));
    }
    route.insert("Origin".into(), json!(r.origin));
    route.insert("State".into(), json!(r.state));
    if after_state {
        route.insert(member.into(), json!(r.target.id()));
    }
    Value::Object(route)
}

/// One `RouteTable` of DescribeRouteTables (and CreateRouteTable's answer).
pub fn route_table_json(t: &RouteTable) -> Value {
    let associations: Vec<Value> = t
        .associations
        .iter()
        .map(|a| {
            json!({
                "Main": a.main,
                "RouteTableAssociationId": a.route_table_association_id,
                "RouteTableId": t.route_table_id,
                "SubnetId": a.subnet_id,
                "AssociationState": {"State": "associated"},
            })
        })
        .collect();
    json!({
        "Associations": associations,
        "PropagatingVgws": [],
        "RouteTableId": t.route_table_id,
        "Routes": t.routes.iter().map(route_json).collect::<Vec<_>>(),
        "Tags": t.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
        "VpcId": t.vpc_id,
        "OwnerId": t.owner_id,
    })
}

/// The route tables in view, a VPC's main table first, then its others.
pub fn route_tables<'a>(sel: &Selection<'a>) -> Vec<&'a RouteTable> {
    let mut list: Vec<&RouteTable> =
        sel.account.route_tables.values().filter(|t| sel.owns(&t.route_table_id)).collect();
    list.sort_by_key(|t| (&t.vpc_id, !t.is_main(), &t.route_table_id));
    list
}

/// DescribeRouteTables: `{"RouteTables": […]}`.
pub fn describe_route_tables(sel: &Selection) -> Value {
    prune(json!({"RouteTables": route_tables(sel).iter().map(|t| route_table_json(t)).collect::<Vec<_>>()}))
}

#[cfg(test)]
mod tests;
