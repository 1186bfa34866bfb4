//! EC2 networking resources: VPCs, subnets, route tables and routes,
//! gateways, Elastic IPs, network interfaces and instances — each type's
//! create, in-place update and delete (its [`Kind`] in `KINDS`).
//! Ref and GetAtt per the CloudFormation resource reference (facts table).

use super::kind::{ec2, kind, Kind, Moved};
use super::{ec2_error, resource_origin};
use crate::delete::{attr, prop};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{Account, CreateNetworkInterface, Ec2Error, NatGatewayState, RouteTarget, StackResource};
use cfn::Diagnostic;

/// CreateTags with the resource's `Tags` (a no-op when it has none).
pub(super) fn tag(p: &mut Planner, id: &str, props: &Props<'_>) {
    let tags: Vec<(String, String)> = props.tags().into_iter().collect();
    if !tags.is_empty() {
        // The resource was just created, so EC2 knows its ID.
        let _ = p.account.create_tags(&[id.to_string()], &tags);
    }
}

/// AWS::EC2::VPC.
pub fn vpc(p: &mut Planner, props: &Props<'_>) -> Planned {
    let cidr = props.str("CidrBlock").unwrap_or_default();
    match p.account.create_vpc(&cidr) {
        Ok(v) => {
            let id = v.vpc_id.clone();
            // What CloudFormation does after CreateVpc: one ModifyVpcAttribute per attribute.
            let support = props.bool("EnableDnsSupport").unwrap_or(true);
            let hostnames = props.bool("EnableDnsHostnames").unwrap_or(false);
            let _ = p.account.modify_vpc_attribute(&id, account::VpcAttribute::EnableDnsSupport(support));
            let _ = p.account.modify_vpc_attribute(&id, account::VpcAttribute::EnableDnsHostnames(hostnames));
            tag(p, &id, props);
            let sg = p.account.default_security_group(&id).map(|g| g.group_id.clone()).unwrap_or_default();
            let acl = p.account.default_network_acl(&id).map(|a| a.network_acl_id.clone()).unwrap_or_default();
            Planned::new(id.clone())
                .attr("VpcId", id)
                .attr("CidrBlock", cidr.clone())
                .attr("DefaultSecurityGroup", sg)
                .attr("DefaultNetworkAcl", acl)
                .attr_list("CidrBlockAssociations", &[])
                .attr_list("Ipv6CidrBlocks", &[])
                .detail("CidrBlock", cidr)
        }
        Err(e) => {
            p.report(ec2_error(props, "CidrBlock", &e));
            Planned::new(p.failed_id("vpc"))
        }
    }
}

/// AWS::EC2::Subnet.
pub fn subnet(p: &mut Planner, props: &Props<'_>) -> Planned {
    let vpc_id = props.str("VpcId").unwrap_or_default();
    let cidr = props.str("CidrBlock").unwrap_or_default();
    let zone = props.str("AvailabilityZone");
    match p.account.create_subnet(&vpc_id, &cidr, zone.as_deref()) {
        Ok(s) => {
            let id = s.subnet_id.clone();
            if props.bool("MapPublicIpOnLaunch").unwrap_or(false) {
                let _ = p.account.set_map_public_ip_on_launch(&id, true);
            }
            tag(p, &id, props);
            let assoc = p.account.network_acl_association_id(&id).unwrap_or_default();
            Planned::new(id.clone())
                .attr("SubnetId", id)
                .attr("VpcId", vpc_id)
                .attr("CidrBlock", cidr.clone())
                .attr("AvailabilityZone", s.availability_zone.clone())
                .attr("AvailabilityZoneId", s.availability_zone_id.clone().unwrap_or_default())
                .attr("NetworkAclAssociationId", assoc)
                .attr_list("Ipv6CidrBlocks", &[])
                .detail("CidrBlock", cidr)
                .detail("AvailabilityZone", s.availability_zone)
                .detail("AvailableIpAddressCount", s.available_ip_address_count.to_string())
        }
        Err(e) => {
            let prop = match e {
                Ec2Error::VpcNotFound(_) => "VpcId",
                Ec2Error::SubnetRange(_) | Ec2Error::SubnetConflict(_) => "CidrBlock",
                _ => "AvailabilityZone",
            };
            p.report(ec2_error(props, prop, &e));
            Planned::new(p.failed_id("subnet"))
        }
    }
}

/// AWS::EC2::RouteTable.
pub fn route_table(p: &mut Planner, props: &Props<'_>) -> Planned {
    let vpc_id = props.str("VpcId").unwrap_or_default();
    match p.account.create_route_table(&vpc_id) {
        Ok(rt) => {
            tag(p, &rt.route_table_id, props);
            Planned::new(rt.route_table_id.clone()).attr("RouteTableId", rt.route_table_id)
        }
        Err(e) => {
            p.report(ec2_error(props, "VpcId", &e));
            Planned::new(p.failed_id("rtb"))
        }
    }
}

/// The target of an AWS::EC2::Route and the property that names it.
fn route_target(props: &Props<'_>) -> Option<(RouteTarget, &'static str)> {
    let pick = |name: &'static str| props.str(name).filter(|s| !s.is_empty()).map(|v| (v, name));
    if let Some((v, n)) = pick("GatewayId") {
        // GatewayId takes internet gateways and virtual private gateways.
        return Some((
            if v.starts_with("igw-") {
                RouteTarget::InternetGateway(v)
            } else if v.starts_with("vpce-") {
                RouteTarget::VpcEndpoint(v)
            } else {
                RouteTarget::OtherGateway(v)
            },
            n,
        ));
    }
    type MakeTarget = fn(String) -> RouteTarget;
    let kinds: [(&'static str, MakeTarget); 7] = [
        ("NatGatewayId", RouteTarget::NatGateway),
        ("VpcEndpointId", RouteTarget::VpcEndpoint),
        ("NetworkInterfaceId", RouteTarget::NetworkInterface),
        ("InstanceId", RouteTarget::Instance),
        ("VpcPeeringConnectionId", RouteTarget::VpcPeeringConnection),
        ("TransitGatewayId", RouteTarget::TransitGateway),
        ("EgressOnlyInternetGatewayId", RouteTarget::OtherGateway),
    ];
    kinds.iter().find_map(|(name, make)| pick(name).map(|(v, n)| (make(v), n)))
}

/// AWS::EC2::Route. Its physical ID (`rtb-…|0.0.0.0/0`) is inferred from
/// what CloudFormation shows for routes.
pub fn route(p: &mut Planner, props: &Props<'_>) -> Planned {
    let rtb = props.str("RouteTableId").unwrap_or_default();
    let dest = props.str("DestinationCidrBlock").or_else(|| props.str("DestinationIpv6CidrBlock")).unwrap_or_default();
    let physical = format!("{rtb}|{dest}");
    let Some((target, prop)) = route_target(props) else {
        p.report(
            Diagnostic::error("TN3000", "Exactly one of [GatewayId, NatGatewayId, NetworkInterfaceId, InstanceId, VpcPeeringConnectionId, TransitGatewayId, EgressOnlyInternetGatewayId] must be specified")
                .resource(props.logical_id)
                .path(format!("Resources/{}/Properties", props.logical_id))
                .at(props.resource_pos)
                .hint("give the route a target, e.g. GatewayId: !Ref InternetGateway"),
        );
        return Planned::new(physical);
    };
    if props.str("DestinationCidrBlock").is_none() {
        // IPv6 and prefix-list routes are accepted but not modelled.
        return Planned::new(physical).detail("Destination", dest);
    }
    let shown = format!("{dest} → {}", target.id());
    let origin = resource_origin(p, props);
    if let Err(e) = p.account.create_declared_route(&rtb, &dest, target, origin) {
        let prop = match e {
            Ec2Error::RouteTableNotFound(_) => "RouteTableId",
            Ec2Error::RouteAlreadyExists(_) => "DestinationCidrBlock",
            _ => prop,
        };
        p.report(ec2_error(props, prop, &e));
    }
    Planned::new(physical).detail("Route", shown)
}

/// Points a kept AWS::EC2::Route at where the template now declares it.
pub fn refresh_route(p: &mut Planner, props: &Props<'_>) {
    let rtb = props.str("RouteTableId").unwrap_or_default();
    let Some(dest) = props.str("DestinationCidrBlock").and_then(|d| d.parse::<account::Ipv4Cidr>().ok()) else {
        return;
    };
    let origin = resource_origin(p, props);
    let route = p
        .account
        .route_tables
        .get_mut(&rtb)
        .and_then(|t| t.routes.iter_mut().find(|r| r.destination_cidr_block == Some(dest)));
    if let Some(route) = route {
        route.template_origin = origin;
    }
}

/// AWS::EC2::SubnetRouteTableAssociation.
pub fn subnet_route_table_association(p: &mut Planner, props: &Props<'_>) -> Planned {
    let rtb = props.str("RouteTableId").unwrap_or_default();
    let subnet = props.str("SubnetId").unwrap_or_default();
    match p.account.associate_route_table(&rtb, &subnet) {
        Ok(id) => Planned::new(id.clone()).attr("Id", id),
        Err(e) => {
            let prop = if matches!(e, Ec2Error::SubnetNotFound(_)) { "SubnetId" } else { "RouteTableId" };
            p.report(ec2_error(props, prop, &e));
            Planned::new(p.failed_id("rtbassoc"))
        }
    }
}

/// AWS::EC2::InternetGateway.
pub fn internet_gateway(p: &mut Planner, props: &Props<'_>) -> Planned {
    let igw = p.account.create_internet_gateway();
    tag(p, &igw.internet_gateway_id, props);
    Planned::new(igw.internet_gateway_id.clone()).attr("InternetGatewayId", igw.internet_gateway_id)
}

/// AWS::EC2::VPCGatewayAttachment. Physical ID shape (`IGW|vpc-…`) inferred.
pub fn gateway_attachment(p: &mut Planner, props: &Props<'_>) -> Planned {
    let vpc = props.str("VpcId").unwrap_or_default();
    let Some(igw) = props.str("InternetGatewayId") else {
        // Virtual private gateways are not modelled.
        return Planned::new(format!("VGW|{vpc}"));
    };
    if let Err(e) = p.account.attach_internet_gateway(&igw, &vpc) {
        let prop = if matches!(e, Ec2Error::VpcNotFound(_)) { "VpcId" } else { "InternetGatewayId" };
        p.report(ec2_error(props, prop, &e));
    }
    Planned::new(format!("IGW|{vpc}")).detail("Attaches", format!("{igw} to {vpc}"))
}

/// AWS::EC2::EIP: Ref is the public address.
pub fn eip(p: &mut Planner, props: &Props<'_>) -> Planned {
    match p.account.allocate_address() {
        Ok(a) => {
            let ip = a.public_ip.to_string();
            tag(p, &a.allocation_id, props);
            Planned::new(ip.clone())
                .attr("AllocationId", a.allocation_id.clone())
                .attr("PublicIp", ip.clone())
                .detail("PublicIp", ip)
        }
        Err(e) => {
            p.report(ec2_error(props, "Domain", &e));
            Planned::new("0.0.0.0")
        }
    }
}

/// AWS::EC2::NatGateway. NAT gateways fail by state, not by error: a failed
/// one fails the resource with its FailureMessage.
pub fn nat_gateway(p: &mut Planner, props: &Props<'_>) -> Planned {
    let subnet = props.str("SubnetId").unwrap_or_default();
    let alloc = props.str("AllocationId");
    let kind = props.str("ConnectivityType").unwrap_or_else(|| "public".into());
    match p.account.create_nat_gateway(&subnet, alloc.as_deref(), &kind) {
        Ok(nat) => {
            let id = nat.nat_gateway_id.clone();
            if nat.state == NatGatewayState::Failed {
                let message = nat.failure_message.clone().unwrap_or_default();
                let code = nat.failure_code.clone().unwrap_or_default();
                let attachment_in_stack = code == "Gateway.NotAttached"
                    && p.resolved.values().any(|r| {
                        r.resource_type == "AWS::EC2::VPCGatewayAttachment" && !p.planned.contains_key(&r.logical_id)
                    });
                let d = if attachment_in_stack {
                    // The attachment exists in this template but is not ordered
                    // before the NAT gateway: in AWS it is a race.
                    Diagnostic::warning(
                        "TN3005",
                        format!("{message} (when the NAT gateway is created before the gateway attachment)"),
                    )
                    .hint("add DependsOn: <the VPCGatewayAttachment> to the NAT gateway")
                } else {
                    Diagnostic::error("TN3004", message).hint(format!("NAT gateway failure code {code}: place it in a public subnet of a VPC with an attached internet gateway and a free Elastic IP"))
                };
                p.report(d.resource(props.logical_id).path(props.path("SubnetId")).at(props.pos("SubnetId")));
            }
            let public = nat
                .nat_gateway_addresses
                .first()
                .and_then(|a| a.public_ip)
                .map(|ip| ip.to_string())
                .unwrap_or_default();
            let private = nat
                .nat_gateway_addresses
                .first()
                .and_then(|a| a.private_ip)
                .map(|ip| ip.to_string())
                .unwrap_or_default();
            let eni =
                nat.nat_gateway_addresses.first().and_then(|a| a.network_interface_id.clone()).unwrap_or_default();
            Planned::new(id.clone())
                .attr("NatGatewayId", id)
                .attr("EniId", eni)
                .detail("Subnet", subnet)
                .detail("PrivateIp", private)
                .detail("PublicIp", public)
        }
        Err(e) => {
            let prop = if matches!(e, Ec2Error::AllocationNotFound(_)) { "AllocationId" } else { "SubnetId" };
            p.report(ec2_error(props, prop, &e));
            Planned::new(p.failed_id("nat"))
        }
    }
}

/// AWS::EC2::NetworkInterface.
pub fn network_interface(p: &mut Planner, props: &Props<'_>) -> Planned {
    let subnet = props.str("SubnetId").unwrap_or_default();
    let mut req = CreateNetworkInterface::new(&subnet);
    req.groups = props.strs("GroupSet");
    req.description = props.str("Description").unwrap_or_default();
    req.private_ip_address = props.str("PrivateIpAddress").and_then(|s| s.parse().ok());
    match p.account.create_network_interface(req) {
        Ok(eni) => {
            let ip = eni.private_ip_address.to_string();
            Planned::new(eni.network_interface_id.clone())
                .attr("Id", eni.network_interface_id.clone())
                .attr("PrimaryPrivateIpAddress", ip.clone())
                .attr_list("SecondaryPrivateIpAddresses", &[])
                .detail("PrivateIp", ip)
        }
        Err(e) => {
            let prop = if matches!(e, Ec2Error::GroupNotFound(_)) { "GroupSet" } else { "SubnetId" };
            p.report(ec2_error(props, prop, &e));
            Planned::new(p.failed_id("eni"))
        }
    }
}

/// AWS::EC2::Instance through RunInstances: one primary ENI in its subnet
/// (the default subnet of its zone when none is given), a public IP when
/// the subnet maps one; it boots on the control plane's clock, and its ECS
/// agent (when it runs one) joins the cluster its user data or cfn-init
/// metadata configures.
pub fn instance(p: &mut Planner, props: &Props<'_>) -> Planned {
    let nic = props.children("NetworkInterfaces").into_iter().find(|n| n.u32("DeviceIndex").unwrap_or(0) == 0);
    let subnet = props
        .str("SubnetId")
        .or_else(|| nic.as_ref().and_then(|n| n.str("SubnetId")))
        .or_else(|| {
            let zone = props.str("AvailabilityZone");
            p.account
                .subnets
                .values()
                .find(|s| s.default_for_az && zone.as_ref().is_none_or(|z| *z == s.availability_zone))
                .map(|s| s.subnet_id.clone())
        })
        .unwrap_or_default();
    let mut groups = props.strs("SecurityGroupIds");
    if let Some(n) = &nic {
        groups.extend(n.strs("GroupSet"));
    }
    // AWS doc: "AWS::EC2::Instance" — InstanceType defaults to m1.small.
    let instance_type = props.str("InstanceType").unwrap_or_else(|| "m1.small".into());
    let user_data = props.str("UserData");
    let ecs_cluster = super::autoscaling::configured_ecs_cluster(p, props.logical_id, user_data.as_deref());
    let req = account::ec2::RunInstances {
        image_id: props.str("ImageId"),
        instance_type: instance_type.clone(),
        subnet_id: subnet,
        security_group_ids: groups,
        private_ip_address: props
            .str("PrivateIpAddress")
            .or_else(|| nic.as_ref().and_then(|n| n.str("PrivateIpAddress")))
            .and_then(|s| s.parse().ok()),
        associate_public_ip_address: nic.as_ref().and_then(|n| n.bool("AssociatePublicIpAddress")),
        user_data,
        tags: props.tags().into_iter().collect(),
        ecs_cluster: ecs_cluster.clone(),
        iam_instance_profile: props.str("IamInstanceProfile"),
        http_tokens: props.child("MetadataOptions").and_then(|m| m.str("HttpTokens")),
        ..Default::default()
    };
    match p.account.run_instances(req) {
        Ok(inst) => {
            let id = inst.instance_id.clone();
            let private_ip = inst.private_ip_address.to_string();
            let public_ip = inst.public_ip_address.map(|ip| ip.to_string()).unwrap_or_default();
            let planned = Planned::new(id.clone())
                .attr("InstanceId", id)
                .attr("AvailabilityZone", inst.availability_zone.clone())
                .attr("PrivateIp", private_ip.clone())
                .attr("PrivateDnsName", inst.private_dns_name.clone())
                .attr("PublicIp", public_ip.clone())
                .attr("PublicDnsName", inst.public_dns_name.clone().unwrap_or_default())
                .detail("InstanceType", instance_type)
                .detail("PrivateIp", private_ip)
                .detail("PublicIp", public_ip);
            super::autoscaling::with_ecs_cluster(planned, ecs_cluster.as_deref())
        }
        Err(e) => {
            let prop =
                if matches!(e, Ec2Error::GroupNotFound(_)) || e.to_string().contains("belong to different networks") {
                    "SecurityGroupIds"
                } else {
                    "SubnetId"
                };
            p.report(ec2_error(props, prop, &e));
            Planned::new(p.failed_id("i"))
        }
    }
}

/// The VPC pieces' records (security groups and ACLs are in `ec2_rules`).
pub(super) const KINDS: &[Kind] = &[
    Kind {
        replacing: &["CidrBlock"],
        update: Some(update_vpc),
        ..kind("AWS::EC2::VPC", vpc, |a, _, id| if a.vpcs.contains_key(id) { ec2(a.delete_vpc(id)) } else { Ok(()) })
    },
    Kind {
        replacing: &["VpcId", "AvailabilityZone", "CidrBlock"],
        update: Some(update_subnet),
        ..kind(
            "AWS::EC2::Subnet",
            subnet,
            |a, _, id| {
                if a.subnets.contains_key(id) {
                    ec2(a.delete_subnet(id))
                } else {
                    Ok(())
                }
            },
        )
    },
    Kind {
        replacing: &["VpcId"],
        ..kind("AWS::EC2::RouteTable", route_table, |a, _, id| {
            if a.route_tables.contains_key(id) {
                ec2(a.delete_route_table(id))
            } else {
                Ok(())
            }
        })
    },
    Kind {
        refresh: |p, props, _| refresh_route(p, props),
        replacing: &["RouteTableId", "DestinationCidrBlock"],
        update: Some(update_route),
        ..kind("AWS::EC2::Route", route, |a, r, id| ec2(delete_route(a, r, id)))
    },
    Kind {
        replacing: &["*"],
        ..kind("AWS::EC2::SubnetRouteTableAssociation", subnet_route_table_association, |a, _, id| {
            match a.disassociate_route_table(id) {
                Err(Ec2Error::AssociationNotFound(_)) => Ok(()),
                other => ec2(other),
            }
        })
    },
    Kind {
        replacing: &["*"],
        ..kind("AWS::EC2::InternetGateway", internet_gateway, |a, _, id| {
            if a.internet_gateways.contains_key(id) {
                ec2(a.delete_internet_gateway(id))
            } else {
                Ok(())
            }
        })
    },
    Kind {
        replacing: &["*"],
        ..kind("AWS::EC2::VPCGatewayAttachment", gateway_attachment, |a, r, _| ec2(detach_gateway(a, r)))
    },
    Kind { replacing: &["*"], ..kind("AWS::EC2::EIP", eip, release_eip) },
    Kind {
        replacing: &["SubnetId", "AllocationId", "ConnectivityType", "PrivateIpAddress"],
        deleted: |a, _, id| a.nat_gateways.get(id).is_none_or(|n| n.state == account::NatGatewayState::Deleted),
        ..kind("AWS::EC2::NatGateway", nat_gateway, |a, _, id| {
            if a.nat_gateways.contains_key(id) {
                ec2(a.delete_nat_gateway(id).map(drop))
            } else {
                Ok(())
            }
        })
    },
    Kind {
        replacing: &["*"],
        ..kind("AWS::EC2::NetworkInterface", network_interface, |a, _, id| {
            if a.network_interfaces.contains_key(id) {
                ec2(a.delete_network_interface(id))
            } else {
                Ok(())
            }
        })
    },
    Kind {
        deleted: |a, _, id| a.instances.get(id).is_none_or(|i| i.state == account::InstanceState::Terminated),
        ..kind("AWS::EC2::Instance", instance, |a, _, id| {
            if a.instances.get(id).is_some_and(|i| i.state != account::InstanceState::Terminated) {
                ec2(a.terminate_instances(&[id.to_string()]).map(drop))
            } else {
                Ok(())
            }
        })
    },
];

/// AWS::EC2::VPC in place: ModifyVpcAttribute per attribute, then its tags.
fn update_vpc(a: &mut Account, scratch: &Account, m: &Moved<'_>) -> Result<(), String> {
    let Some(new) = scratch.vpcs.get(m.new_id) else { return Ok(()) };
    let (support, hostnames) = (new.enable_dns_support, new.enable_dns_hostnames);
    a.modify_vpc_attribute(m.id, account::VpcAttribute::EnableDnsSupport(support)).map_err(|e| e.to_string())?;
    a.modify_vpc_attribute(m.id, account::VpcAttribute::EnableDnsHostnames(hostnames)).map_err(|e| e.to_string())?;
    ec2(a.retag(m.id, &new.tags))
}

/// AWS::EC2::Subnet in place: ModifySubnetAttribute, then its tags.
fn update_subnet(a: &mut Account, scratch: &Account, m: &Moved<'_>) -> Result<(), String> {
    let Some(new) = scratch.subnets.get(m.new_id) else { return Ok(()) };
    ec2(a.set_map_public_ip_on_launch(m.id, new.map_public_ip_on_launch))?;
    ec2(a.retag(m.id, &new.tags))
}

/// AWS::EC2::Route in place (physical ID `rtb-…|DEST`): ReplaceRoute to the new target.
fn update_route(a: &mut Account, scratch: &Account, m: &Moved<'_>) -> Result<(), String> {
    let Some((table, dest)) = m.id.split_once('|') else { return Ok(()) };
    let new = scratch
        .route_tables
        .get(table)
        .and_then(|t| t.routes.iter().find(|r| r.destination_cidr_block.is_some_and(|c| c.to_string() == dest)))
        .map(|r| (r.target.clone(), r.template_origin.clone()));
    match new {
        Some((target, origin)) => ec2(a.replace_route(table, dest, target, origin)),
        None => Ok(()),
    }
}

/// AWS::EC2::Route: physical ID `rtb-…|CIDR`; IPv6 and prefix-list routes were not modelled.
fn delete_route(a: &mut Account, r: &StackResource, id: &str) -> Result<(), Ec2Error> {
    let table = prop(r, "RouteTableId").or_else(|| id.split('|').next().map(str::to_string)).unwrap_or_default();
    let Some(dest) = prop(r, "DestinationCidrBlock") else {
        return Ok(());
    };
    let cidr = dest.parse::<account::Ipv4Cidr>().ok();
    let present = cidr.is_some()
        && a.route_tables.get(&table).is_some_and(|t| t.routes.iter().any(|x| x.destination_cidr_block == cidr));
    if !present {
        return Ok(());
    }
    a.delete_route(&table, &dest)
}

/// AWS::EC2::VPCGatewayAttachment: detaches the internet gateway (virtual
/// private gateways were not modelled).
fn detach_gateway(a: &mut Account, r: &StackResource) -> Result<(), Ec2Error> {
    let (Some(igw), Some(vpc)) = (prop(r, "InternetGatewayId"), prop(r, "VpcId")) else {
        return Ok(());
    };
    if a.internet_gateways.get(&igw).and_then(|g| g.vpc_id()) != Some(vpc.as_str()) {
        return Ok(());
    }
    a.detach_internet_gateway(&igw, &vpc)
}

/// AWS::EC2::EIP: Ref is the address; ReleaseAddress of its allocation.
fn release_eip(a: &mut Account, r: &StackResource, id: &str) -> Result<(), String> {
    let alloc = attr(r, "AllocationId")
        .or_else(|| a.addresses.values().find(|x| x.public_ip.to_string() == id).map(|x| x.allocation_id.clone()));
    match alloc.filter(|x| a.addresses.contains_key(x)) {
        Some(x) => ec2(a.release_address(&x)),
        None => Ok(()),
    }
}
