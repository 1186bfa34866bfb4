//! EC2: the Describe calls of the VPC, filtered as EC2 filters.

use super::filters;
use crate::dispatch::{read, Operation, Read};
use crate::error::WireError;
use serde_json::Value;
use shapes::{Query, Selection};

/// EC2's operations.
pub const OPERATIONS: &[Operation] = &[
    read("DescribeSubnets", describe_subnets),
    read("DescribeNatGateways", describe_nat_gateways),
    read("DescribeRouteTables", describe_route_tables),
    read("DescribeSecurityGroups", describe_security_groups),
    read("DescribeNetworkInterfaces", describe_network_interfaces),
];

/// How one Describe call narrows its list: the list member, the ID
/// parameter and member, the not-found code and noun, and its filters.
struct Narrowing {
    list: &'static str,
    ids_param: &'static str,
    id_member: &'static str,
    not_found: &'static str,
    noun: &'static str,
    filters: &'static [(&'static str, &'static str)],
}

/// Narrows `doc` by the request's IDs (each must exist: EC2's NotFound
/// otherwise) and filters.
fn narrow(mut doc: Value, input: &Value, n: &Narrowing) -> Result<Value, WireError> {
    let ids = super::input::texts(input, n.ids_param);
    if let Some(items) = doc.get_mut(n.list).and_then(Value::as_array_mut) {
        if !ids.is_empty() {
            for id in &ids {
                if !items.iter().any(|i| i.get(n.id_member).and_then(Value::as_str) == Some(id)) {
                    return Err(WireError::bad(n.not_found, format!("The {} '{id}' does not exist", n.noun)));
                }
            }
            items.retain(|i| i.get(n.id_member).and_then(Value::as_str).is_some_and(|v| ids.iter().any(|w| w == v)));
        }
    }
    filters::apply(&mut doc, n.list, &filters::of(input), n.filters)?;
    Ok(doc)
}

fn everything(r: &Read<'_>, f: impl FnOnce(&Selection<'_>) -> Value) -> Result<Value, WireError> {
    let query = Query::default();
    let sel = Selection::new(r.account, &query, "Describe").map_err(|e| WireError::from_aws(&e))?;
    Ok(f(&sel))
}

// EC2 API reference, "DescribeSubnets": Filters.
const SUBNET_FILTERS: &[(&str, &str)] = &[
    ("availability-zone", "AvailabilityZone"),
    ("availability-zone-id", "AvailabilityZoneId"),
    ("available-ip-address-count", "AvailableIpAddressCount"),
    ("cidr-block", "CidrBlock"),
    ("default-for-az", "DefaultForAz"),
    ("map-public-ip-on-launch", "MapPublicIpOnLaunch"),
    ("owner-id", "OwnerId"),
    ("state", "State"),
    ("subnet-arn", "SubnetArn"),
    ("subnet-id", "SubnetId"),
    ("vpc-id", "VpcId"),
];

fn describe_subnets(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let doc = everything(r, shapes::ec2::describe_subnets)?;
    let n = Narrowing {
        list: "Subnets",
        ids_param: "SubnetIds",
        id_member: "SubnetId",
        not_found: "InvalidSubnetID.NotFound",
        noun: "subnet ID",
        filters: SUBNET_FILTERS,
    };
    narrow(doc, input, &n)
}

// EC2 API reference, "DescribeNatGateways": Filter.
const NAT_FILTERS: &[(&str, &str)] =
    &[("nat-gateway-id", "NatGatewayId"), ("state", "State"), ("subnet-id", "SubnetId"), ("vpc-id", "VpcId")];

fn describe_nat_gateways(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let doc = everything(r, shapes::ec2::describe_nat_gateways)?;
    let n = Narrowing {
        list: "NatGateways",
        ids_param: "NatGatewayIds",
        id_member: "NatGatewayId",
        not_found: "NatGatewayNotFound",
        noun: "NAT gateway",
        filters: NAT_FILTERS,
    };
    narrow(doc, input, &n)
}

// EC2 API reference, "DescribeRouteTables": Filters.
const ROUTE_TABLE_FILTERS: &[(&str, &str)] = &[
    ("association.route-table-association-id", "Associations[].RouteTableAssociationId"),
    ("association.route-table-id", "Associations[].RouteTableId"),
    ("association.subnet-id", "Associations[].SubnetId"),
    ("association.gateway-id", "Associations[].GatewayId"),
    ("association.main", "Associations[].Main"),
    ("owner-id", "OwnerId"),
    ("route-table-id", "RouteTableId"),
    ("route.destination-cidr-block", "Routes[].DestinationCidrBlock"),
    ("route.gateway-id", "Routes[].GatewayId"),
    ("route.nat-gateway-id", "Routes[].NatGatewayId"),
    ("route.instance-id", "Routes[].InstanceId"),
    ("route.origin", "Routes[].Origin"),
    ("route.state", "Routes[].State"),
    ("route.vpc-peering-connection-id", "Routes[].VpcPeeringConnectionId"),
    ("vpc-id", "VpcId"),
];

fn describe_route_tables(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let doc = everything(r, shapes::ec2::describe_route_tables)?;
    let n = Narrowing {
        list: "RouteTables",
        ids_param: "RouteTableIds",
        id_member: "RouteTableId",
        not_found: "InvalidRouteTableID.NotFound",
        noun: "routeTable ID",
        filters: ROUTE_TABLE_FILTERS,
    };
    narrow(doc, input, &n)
}

// EC2 API reference, "DescribeSecurityGroups": Filters.
const GROUP_FILTERS: &[(&str, &str)] = &[
    ("description", "Description"),
    ("egress.ip-permission.cidr", "IpPermissionsEgress[].IpRanges[].CidrIp"),
    ("egress.ip-permission.from-port", "IpPermissionsEgress[].FromPort"),
    ("egress.ip-permission.group-id", "IpPermissionsEgress[].UserIdGroupPairs[].GroupId"),
    ("egress.ip-permission.protocol", "IpPermissionsEgress[].IpProtocol"),
    ("egress.ip-permission.to-port", "IpPermissionsEgress[].ToPort"),
    ("group-id", "GroupId"),
    ("group-name", "GroupName"),
    ("ip-permission.cidr", "IpPermissions[].IpRanges[].CidrIp"),
    ("ip-permission.from-port", "IpPermissions[].FromPort"),
    ("ip-permission.group-id", "IpPermissions[].UserIdGroupPairs[].GroupId"),
    ("ip-permission.protocol", "IpPermissions[].IpProtocol"),
    ("ip-permission.to-port", "IpPermissions[].ToPort"),
    ("owner-id", "OwnerId"),
    ("vpc-id", "VpcId"),
];

fn describe_security_groups(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let doc = everything(r, shapes::ec2::describe_security_groups)?;
    let n = Narrowing {
        list: "SecurityGroups",
        ids_param: "GroupIds",
        id_member: "GroupId",
        not_found: "InvalidGroup.NotFound",
        noun: "security group",
        filters: GROUP_FILTERS,
    };
    narrow(doc, input, &n)
}

// EC2 API reference, "DescribeNetworkInterfaces": Filters.
const ENI_FILTERS: &[(&str, &str)] = &[
    ("addresses.private-ip-address", "PrivateIpAddresses[].PrivateIpAddress"),
    ("association.public-ip", "Association.PublicIp"),
    ("attachment.attachment-id", "Attachment.AttachmentId"),
    ("attachment.device-index", "Attachment.DeviceIndex"),
    ("attachment.instance-id", "Attachment.InstanceId"),
    ("attachment.status", "Attachment.Status"),
    ("availability-zone", "AvailabilityZone"),
    ("description", "Description"),
    ("group-id", "Groups[].GroupId"),
    ("group-name", "Groups[].GroupName"),
    ("interface-type", "InterfaceType"),
    ("mac-address", "MacAddress"),
    ("network-interface-id", "NetworkInterfaceId"),
    ("owner-id", "OwnerId"),
    ("private-ip-address", "PrivateIpAddress"),
    ("requester-id", "RequesterId"),
    ("requester-managed", "RequesterManaged"),
    ("status", "Status"),
    ("subnet-id", "SubnetId"),
    ("vpc-id", "VpcId"),
];

fn describe_network_interfaces(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let doc = everything(r, shapes::ec2::describe_network_interfaces)?;
    let n = Narrowing {
        list: "NetworkInterfaces",
        ids_param: "NetworkInterfaceIds",
        id_member: "NetworkInterfaceId",
        not_found: "InvalidNetworkInterfaceID.NotFound",
        noun: "networkInterface ID",
        filters: ENI_FILTERS,
    };
    narrow(doc, input, &n)
}
