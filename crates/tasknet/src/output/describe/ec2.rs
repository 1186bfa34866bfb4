//! EC2 network views: `describe-network-interfaces`, `describe-subnets`,
//! `describe-nat-gateways`, `describe-route-tables`.

use super::json::{ec2_tags, opt_timestamp, to_value};
use super::select::{owner, Owner};
use super::table::{arn_tail, or_none, yes_no, Table};
use super::{Doc, Scope};
use crate::cli::DescribeFormat;
use account::{Account, NatGateway, NetworkInterface, Route, RouteTable, RouteTarget, Subnet};
use serde_json::{json, Map, Value};

/// `[{"GroupName": …, "GroupId": …}]` for security group IDs (the name is
/// left out for a group the account lacks, rather than guessed).
pub fn group_refs(account: &Account, ids: &[String]) -> Vec<Value> {
    ids.iter()
        .map(|id| json!({"GroupName": account.security_groups.get(id).map(|g| &g.group_name), "GroupId": id}))
        .collect()
}

/// One `NetworkInterface` of DescribeNetworkInterfaces (no IPv6 and no
/// secondary addresses are modelled, so those lists hold only the primary).
pub fn interface_json(account: &Account, eni: &NetworkInterface) -> Value {
    let association = eni.association.as_ref().map(|a| {
        json!({
            "IpOwnerId": a.ip_owner_id,
            "PublicDnsName": a.public_dns_name,
            "PublicIp": a.public_ip.to_string(),
            "AllocationId": a.allocation_id,
            "AssociationId": a.association_id,
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

/// What an interface is attached to, for people: `task <ID>`, an instance,
/// a NAT gateway or `elb <NAME>`.
fn attached_to(account: &Account, eni: &NetworkInterface) -> String {
    match owner(account, eni) {
        Owner::Task(task) => format!("task {}", arn_tail(&task.task_arn)),
        Owner::Instance(id) | Owner::NatGateway(id) => id.to_string(),
        Owner::LoadBalancer(lb) => format!("elb {}", lb.load_balancer_name),
        Owner::Nobody => or_none(eni.attachment.as_ref().and_then(|a| a.instance_owner_id.as_deref())),
    }
}

/// `describe network-interfaces`: `{"NetworkInterfaces": […]}`.
pub fn network_interfaces(scope: &Scope, format: DescribeFormat) -> Doc {
    let account = scope.account;
    let mut list: Vec<&NetworkInterface> =
        account.network_interfaces.values().filter(|e| scope.owns_interface(e)).collect();
    // By network and address: a VPC's interfaces together, in address order.
    list.sort_by_key(|e| (&e.vpc_id, e.private_ip_address));
    Doc::of(
        format,
        || json!({"NetworkInterfaces": list.iter().map(|e| interface_json(account, e)).collect::<Vec<_>>()}),
        || {
            let mut t = Table::new(&[
                "ENI",
                "SUBNET",
                "AZ",
                "PRIVATE IP",
                "PUBLIC IP",
                "STATUS",
                "TYPE",
                "ATTACHED TO",
                "DESCRIPTION",
            ]);
            for e in &list {
                t.row(vec![
                    e.network_interface_id.clone(),
                    e.subnet_id.clone(),
                    e.availability_zone.clone(),
                    e.private_ip_address.to_string(),
                    or_none(e.association.as_ref().map(|a| a.public_ip)),
                    e.status.clone(),
                    e.interface_type.clone(),
                    attached_to(account, e),
                    e.description.clone(),
                ]);
            }
            t.render_or("no network interfaces")
        },
    )
}

/// One `Subnet` of DescribeSubnets; the IPv6, DNS64 and customer-owned-IP
/// members say "not in use", which is all tasknet models.
fn subnet_json(s: &Subnet) -> Value {
    json!({
        "AvailabilityZone": s.availability_zone,
        "AvailabilityZoneId": s.availability_zone_id,
        "AvailableIpAddressCount": s.available_ip_address_count,
        "CidrBlock": s.cidr_block.to_string(),
        "DefaultForAz": s.default_for_az,
        "MapPublicIpOnLaunch": s.map_public_ip_on_launch,
        "MapCustomerOwnedIpOnLaunch": false,
        "State": s.state,
        "SubnetId": s.subnet_id,
        "VpcId": s.vpc_id,
        "OwnerId": s.owner_id,
        "AssignIpv6AddressOnCreation": false,
        "Ipv6CidrBlockAssociationSet": [],
        "Tags": ec2_tags(&s.tags),
        "SubnetArn": s.subnet_arn,
        "EnableDns64": false,
        "Ipv6Native": false,
    })
}

/// Where a table's default route (0.0.0.0/0) goes, e.g. `igw-…` or `nat-…`.
fn default_route(table: &RouteTable) -> Option<&str> {
    table.routes.iter().find(|r| r.destination_cidr_block.is_some_and(|c| c.prefix() == 0)).map(|r| r.target.id())
}

/// `describe subnets`: `{"Subnets": […]}`; the text view adds the route
/// table each subnet uses and where its default route goes (public or NAT).
pub fn subnets(scope: &Scope, format: DescribeFormat) -> Doc {
    let account = scope.account;
    let mut list: Vec<&Subnet> = account.subnets.values().filter(|s| scope.owns(&s.subnet_id)).collect();
    // By VPC and block, the order people lay out their address plan in.
    list.sort_by_key(|s| (&s.vpc_id, s.cidr_block.network()));
    Doc::of(
        format,
        || json!({"Subnets": list.iter().map(|s| subnet_json(s)).collect::<Vec<_>>()}),
        || {
            let mut t = Table::new(&[
                "SUBNET",
                "VPC",
                "CIDR",
                "AZ",
                "AVAILABLE IPS",
                "MAP PUBLIC IP",
                "ROUTE TABLE",
                "DEFAULT ROUTE",
                "NAME",
            ]);
            for s in &list {
                let table = account.route_table_for_subnet(&s.subnet_id).ok();
                let table_name = table.map(|rt| {
                    let explicit = rt.associations.iter().any(|a| a.subnet_id.as_deref() == Some(s.subnet_id.as_str()));
                    if explicit {
                        rt.route_table_id.clone()
                    } else {
                        format!("{} (main)", rt.route_table_id)
                    }
                });
                t.row(vec![
                    s.subnet_id.clone(),
                    s.vpc_id.clone(),
                    s.cidr_block.to_string(),
                    s.availability_zone.clone(),
                    s.available_ip_address_count.to_string(),
                    yes_no(s.map_public_ip_on_launch),
                    or_none(table_name),
                    or_none(table.and_then(default_route)),
                    or_none(s.tags.get("Name")),
                ]);
            }
            t.render_or("no subnets")
        },
    )
}

/// One `NatGateway` of DescribeNatGateways.
fn nat_json(n: &NatGateway) -> Value {
    json!({
        "NatGatewayAddresses": n.nat_gateway_addresses.iter().map(to_value).collect::<Vec<_>>(),
        "NatGatewayId": n.nat_gateway_id,
        "State": to_value(&n.state),
        "SubnetId": n.subnet_id,
        "VpcId": n.vpc_id,
        "Tags": ec2_tags(&n.tags),
        "ConnectivityType": n.connectivity_type,
        "FailureCode": n.failure_code,
        "FailureMessage": n.failure_message,
        "DeleteTime": opt_timestamp(n.delete_time),
    })
}

/// `describe nat-gateways`: `{"NatGateways": […]}`.
pub fn nat_gateways(scope: &Scope, format: DescribeFormat) -> Doc {
    let mut list: Vec<&NatGateway> =
        scope.account.nat_gateways.values().filter(|n| scope.owns(&n.nat_gateway_id)).collect();
    list.sort_by_key(|n| (&n.vpc_id, &n.subnet_id, &n.nat_gateway_id));
    Doc::of(
        format,
        || json!({"NatGateways": list.iter().map(|n| nat_json(n)).collect::<Vec<_>>()}),
        || {
            let mut t = Table::new(&[
                "NAT GATEWAY",
                "STATE",
                "TYPE",
                "SUBNET",
                "VPC",
                "PUBLIC IP",
                "PRIVATE IP",
                "ENI",
                "FAILURE",
            ]);
            for n in &list {
                let address = n.nat_gateway_addresses.first();
                let failure = match (&n.failure_code, &n.failure_message) {
                    (Some(code), Some(message)) => Some(format!("{code}: {message}")),
                    (code, message) => code.clone().or_else(|| message.clone()),
                };
                let state = to_value(&n.state);
                t.row(vec![
                    n.nat_gateway_id.clone(),
                    state.as_str().unwrap_or_default().to_string(),
                    n.connectivity_type.clone(),
                    n.subnet_id.clone(),
                    n.vpc_id.clone(),
                    or_none(address.and_then(|a| a.public_ip)),
                    or_none(address.and_then(|a| a.private_ip)),
                    or_none(address.and_then(|a| a.network_interface_id.as_deref())),
                    or_none(failure),
                ]);
            }
            t.render_or("no NAT gateways")
        },
    )
}

/// The member naming a route's target, as the API spells it (the local
/// route is `GatewayId: local`).
fn target_member(target: &RouteTarget) -> &'static str {
    match target {
        RouteTarget::Local | RouteTarget::InternetGateway(_) | RouteTarget::OtherGateway(_) => "GatewayId",
        RouteTarget::NatGateway(_) => "NatGatewayId",
        RouteTarget::NetworkInterface(_) => "NetworkInterfaceId",
        RouteTarget::Instance(_) => "InstanceId",
        RouteTarget::VpcPeeringConnection(_) => "VpcPeeringConnectionId",
        RouteTarget::TransitGateway(_) => "TransitGatewayId",
    }
}

/// One `Route`: its destination, its target's member, origin and state.
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
    route.insert(target_member(&r.target).into(), json!(r.target.id()));
    route.insert("Origin".into(), json!(r.origin));
    route.insert("State".into(), json!(r.state));
    Value::Object(route)
}

/// A route's destination for people: the CIDR, IPv6 CIDR or prefix list.
fn destination(r: &Route) -> String {
    r.destination_cidr_block
        .map(|c| c.to_string())
        .or_else(|| r.destination_ipv6_cidr_block.clone())
        .or_else(|| r.destination_prefix_list_id.clone())
        .unwrap_or_default()
}

/// One `RouteTable` of DescribeRouteTables.
fn route_table_json(t: &RouteTable) -> Value {
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

/// `describe route-tables`: `{"RouteTables": […]}`; the text view has one
/// line per route, so `grep` finds a table's routes by its ID.
pub fn route_tables(scope: &Scope, format: DescribeFormat) -> Doc {
    let mut list: Vec<&RouteTable> =
        scope.account.route_tables.values().filter(|t| scope.owns(&t.route_table_id)).collect();
    // A VPC's main table first, then its others.
    list.sort_by_key(|t| (&t.vpc_id, !t.is_main(), &t.route_table_id));
    Doc::of(
        format,
        || json!({"RouteTables": list.iter().map(|t| route_table_json(t)).collect::<Vec<_>>()}),
        || {
            let mut t = Table::new(&["ROUTE TABLE", "VPC", "ASSOCIATED WITH", "DESTINATION", "TARGET", "STATE"]);
            for table in &list {
                let with: Vec<&str> = table
                    .associations
                    .iter()
                    .map(|a| if a.main { "main" } else { a.subnet_id.as_deref().unwrap_or_default() })
                    .collect();
                for r in &table.routes {
                    t.row(vec![
                        table.route_table_id.clone(),
                        table.vpc_id.clone(),
                        with.join(","),
                        destination(r),
                        r.target.id().to_string(),
                        r.state.clone(),
                    ]);
                }
            }
            t.render_or("no route tables")
        },
    )
}
