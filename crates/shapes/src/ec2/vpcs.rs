//! DescribeVpcs, DescribeInternetGateways, DescribeNetworkAcls and
//! DescribeAddresses.

use crate::json::{ec2_tags, prune};
use crate::Selection;
use account::{Address, InternetGateway, NetworkAcl, NetworkAclEntry, Vpc};
use serde_json::{json, Value};

/// One `Vpc` (also CreateVpc's answer). One IPv4 block per VPC and no
/// IPv6, dedicated tenancy, DHCP option sets or Block Public Access are
/// modelled, so those members say so or are left out (`DhcpOptionsId`:
/// tasknet has no DHCP option sets to name).
pub fn vpc_json(v: &Vpc) -> Value {
    let block = v.cidr_block.to_string();
    json!({
        "OwnerId": v.owner_id,
        "InstanceTenancy": "default",
        "CidrBlockAssociationSet": [{
            "AssociationId": account::ids::vpc_cidr_association_id(&v.vpc_id),
            "CidrBlock": block,
            "CidrBlockState": {"State": "associated"},
        }],
        "IsDefault": v.is_default,
        "Tags": ec2_tags(&v.tags),
        "BlockPublicAccessStates": {"InternetGatewayBlockMode": "off"},
        "VpcId": v.vpc_id,
        "State": v.state,
        "CidrBlock": block,
    })
}

/// The VPCs in view, by ID.
pub fn vpcs<'a>(sel: &Selection<'a>) -> Vec<&'a Vpc> {
    sel.account.vpcs.values().filter(|v| sel.owns(&v.vpc_id)).collect()
}

/// DescribeVpcs: `{"Vpcs": […]}`.
pub fn describe_vpcs(sel: &Selection) -> Value {
    prune(json!({"Vpcs": vpcs(sel).iter().map(|v| vpc_json(v)).collect::<Vec<_>>()}))
}

/// One `InternetGateway` (also CreateInternetGateway's answer).
pub fn internet_gateway_json(g: &InternetGateway) -> Value {
    let attachments: Vec<Value> = g.attachments.iter().map(|a| json!({"State": a.state, "VpcId": a.vpc_id})).collect();
    json!({
        "Attachments": attachments,
        "InternetGatewayId": g.internet_gateway_id,
        "OwnerId": g.owner_id,
        "Tags": g.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
    })
}

/// The internet gateways in view, by ID.
pub fn internet_gateways<'a>(sel: &Selection<'a>) -> Vec<&'a InternetGateway> {
    sel.account.internet_gateways.values().filter(|g| sel.owns(&g.internet_gateway_id)).collect()
}

/// DescribeInternetGateways: `{"InternetGateways": […]}`.
pub fn describe_internet_gateways(sel: &Selection) -> Value {
    let list: Vec<Value> = internet_gateways(sel).iter().map(|g| internet_gateway_json(g)).collect();
    prune(json!({ "InternetGateways": list }))
}

/// One `NetworkAclEntry`.
fn acl_entry_json(e: &NetworkAclEntry) -> Value {
    json!({
        "CidrBlock": e.cidr_block.map(|c| c.to_string()),
        "Egress": e.egress,
        "IcmpTypeCode": e.icmp_type_code.map(|(t, c)| json!({"Code": c, "Type": t})),
        "Ipv6CidrBlock": e.ipv6_cidr_block,
        "PortRange": e.port_range.map(|p| json!({"From": p.from, "To": p.to})),
        "Protocol": e.protocol,
        "RuleAction": e.rule_action,
        "RuleNumber": e.rule_number,
    })
}

/// One `NetworkAcl`.
pub fn network_acl_json(a: &NetworkAcl) -> Value {
    let associations: Vec<Value> = a
        .associations
        .iter()
        .map(|s| {
            json!({
                "NetworkAclAssociationId": s.network_acl_association_id,
                "NetworkAclId": a.network_acl_id,
                "SubnetId": s.subnet_id,
            })
        })
        .collect();
    json!({
        "Associations": associations,
        "Entries": a.entries.iter().map(acl_entry_json).collect::<Vec<_>>(),
        "IsDefault": a.is_default,
        "NetworkAclId": a.network_acl_id,
        "Tags": a.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>(),
        "VpcId": a.vpc_id,
        "OwnerId": a.owner_id,
    })
}

/// The network ACLs in view, a VPC's default first.
pub fn network_acls<'a>(sel: &Selection<'a>) -> Vec<&'a NetworkAcl> {
    let mut list: Vec<&NetworkAcl> =
        sel.account.network_acls.values().filter(|a| sel.owns(&a.network_acl_id)).collect();
    list.sort_by_key(|a| (&a.vpc_id, !a.is_default, &a.network_acl_id));
    list
}

/// DescribeNetworkAcls: `{"NetworkAcls": […]}`.
pub fn describe_network_acls(sel: &Selection) -> Value {
    prune(json!({"NetworkAcls": network_acls(sel).iter().map(|a| network_acl_json(a)).collect::<Vec<_>>()}))
}

/// One `Address` (Elastic IP). Its pool and border group are Amazon's
/// pool and the region, as for an address allocated without options.
pub fn address_json(account: &account::Account, a: &Address) -> Value {
    let eni = a.network_interface_id.as_ref().and_then(|id| account.network_interfaces.get(id));
    json!({
        "AllocationId": a.allocation_id,
        "AssociationId": a.association_id,
        "Domain": a.domain,
        "NetworkInterfaceId": a.network_interface_id,
        "NetworkInterfaceOwnerId": eni.map(|e| &e.owner_id),
        "PrivateIpAddress": a.private_ip_address.map(|ip| ip.to_string()),
        "Tags": ec2_tags(&a.tags),
        "PublicIpv4Pool": "amazon",
        "NetworkBorderGroup": account.region,
        "InstanceId": a.instance_id,
        "PublicIp": a.public_ip.to_string(),
    })
}

/// The Elastic IPs in view, by address.
pub fn addresses<'a>(sel: &Selection<'a>) -> Vec<&'a Address> {
    let mut list: Vec<&Address> = sel.account.addresses.values().filter(|a| sel.owns(&a.allocation_id)).collect();
    list.sort_by_key(|a| a.public_ip);
    list
}

/// DescribeAddresses: `{"Addresses": […]}`.
pub fn describe_addresses(sel: &Selection) -> Value {
    let list: Vec<Value> = addresses(sel).iter().map(|a| address_json(sel.account, a)).collect();
    prune(json!({ "Addresses": list }))
}
