//! The Describe calls of one kind of VPC resource each: the account's
//! document narrowed by the request's IDs and filters, then paged.

use super::{everything, narrow, tables, Narrowing};
use crate::dispatch::Read;
use crate::error::WireError;
use account::Ec2Error;
use serde_json::Value;

pub(super) fn describe_vpcs(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let n = Narrowing {
        op: "DescribeVpcs",
        list: "Vpcs",
        ids_param: "VpcIds",
        id_member: "VpcId",
        missing: Ec2Error::VpcNotFound,
        filters: tables::VPC,
    };
    narrow(everything(r, shapes::ec2::describe_vpcs)?, input, &n)
}

pub(super) fn describe_subnets(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let n = Narrowing {
        op: "DescribeSubnets",
        list: "Subnets",
        ids_param: "SubnetIds",
        id_member: "SubnetId",
        missing: Ec2Error::SubnetNotFound,
        filters: tables::SUBNET,
    };
    narrow(everything(r, shapes::ec2::describe_subnets)?, input, &n)
}

pub(super) fn describe_nat_gateways(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let n = Narrowing {
        op: "DescribeNatGateways",
        list: "NatGateways",
        ids_param: "NatGatewayIds",
        id_member: "NatGatewayId",
        missing: Ec2Error::NatGatewayNotFound,
        filters: tables::NAT_GATEWAY,
    };
    narrow(everything(r, shapes::ec2::describe_nat_gateways)?, input, &n)
}

pub(super) fn describe_route_tables(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let n = Narrowing {
        op: "DescribeRouteTables",
        list: "RouteTables",
        ids_param: "RouteTableIds",
        id_member: "RouteTableId",
        missing: Ec2Error::RouteTableNotFound,
        filters: tables::ROUTE_TABLE,
    };
    narrow(everything(r, shapes::ec2::describe_route_tables)?, input, &n)
}

pub(super) fn describe_internet_gateways(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let n = Narrowing {
        op: "DescribeInternetGateways",
        list: "InternetGateways",
        ids_param: "InternetGatewayIds",
        id_member: "InternetGatewayId",
        missing: Ec2Error::InternetGatewayNotFound,
        filters: tables::INTERNET_GATEWAY,
    };
    narrow(everything(r, shapes::ec2::describe_internet_gateways)?, input, &n)
}

pub(super) fn describe_network_acls(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let n = Narrowing {
        op: "DescribeNetworkAcls",
        list: "NetworkAcls",
        ids_param: "NetworkAclIds",
        id_member: "NetworkAclId",
        missing: Ec2Error::NetworkAclNotFound,
        filters: tables::NETWORK_ACL,
    };
    narrow(everything(r, shapes::ec2::describe_network_acls)?, input, &n)
}

/// DescribeSecurityGroups, by `GroupIds` and by `GroupNames` (names are
/// looked up in the default VPC, as EC2 does: the seen
/// `does not exist in default VPC` error otherwise).
pub(super) fn describe_security_groups(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let mut doc = everything(r, shapes::ec2::describe_security_groups)?;
    let names = crate::services::input::texts(input, "GroupNames");
    if !names.is_empty() {
        let mut ids = Vec::new();
        for name in &names {
            ids.push(r.account.security_group_in_default_vpc(name).map_err(|e| super::aws(&e))?.group_id.clone());
        }
        if let Some(items) = doc.get_mut("SecurityGroups").and_then(Value::as_array_mut) {
            items.retain(|g| g.get("GroupId").and_then(Value::as_str).is_some_and(|id| ids.iter().any(|i| i == id)));
        }
    }
    let n = Narrowing {
        op: "DescribeSecurityGroups",
        list: "SecurityGroups",
        ids_param: "GroupIds",
        id_member: "GroupId",
        missing: Ec2Error::GroupNotFound,
        filters: tables::SECURITY_GROUP,
    };
    narrow(doc, input, &n)
}

pub(super) fn describe_security_group_rules(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let n = Narrowing {
        op: "DescribeSecurityGroupRules",
        list: "SecurityGroupRules",
        ids_param: "SecurityGroupRuleIds",
        id_member: "SecurityGroupRuleId",
        missing: Ec2Error::SecurityGroupRuleNotFound,
        filters: tables::SECURITY_GROUP_RULE,
    };
    narrow(everything(r, shapes::ec2::describe_security_group_rules)?, input, &n)
}

pub(super) fn describe_network_interfaces(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let n = Narrowing {
        op: "DescribeNetworkInterfaces",
        list: "NetworkInterfaces",
        ids_param: "NetworkInterfaceIds",
        id_member: "NetworkInterfaceId",
        missing: Ec2Error::NetworkInterfaceNotFound,
        filters: tables::NETWORK_INTERFACE,
    };
    narrow(everything(r, shapes::ec2::describe_network_interfaces)?, input, &n)
}
