//! Deleting one CloudFormation resource, for `delete-stack`, the rollback
//! of a failed create and the cleanup of an update: the account action of
//! its type on its physical ID (what Ref returned), or — for the
//! sub-resources (rules, entries, associations, attachments, routes) — on
//! the properties it was created with. A resource that is already gone
//! counts as deleted, as CloudFormation skips it; `DeletionPolicy: Retain`
//! leaves it. The error is AWS's text, which becomes the DELETE_FAILED reason.

use account::{Account, Ec2Error, Ipv4Cidr, NatGatewayState, Peer, SecurityGroupRule, StackResource};
use serde_json::Value;

/// A property as text (numbers and booleans too, as CloudFormation passes them).
fn prop(r: &StackResource, name: &str) -> Option<String> {
    match r.properties.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string attribute recorded at create time.
fn attr(r: &StackResource, name: &str) -> Option<String> {
    r.attributes.get(name).and_then(Value::as_str).map(str::to_string)
}

/// True for `DeletionPolicy: Retain`: CloudFormation leaves the resource.
fn retained(r: &StackResource) -> bool {
    r.deletion_policy.as_deref() == Some("Retain")
}

/// Starts deleting one resource. Asynchronous deletions (ECS services,
/// Auto Scaling groups, NAT gateways, instances) finish on the control
/// plane's clock: wait for [`deletion_complete`].
pub fn delete_resource(account: &mut Account, r: &StackResource) -> Result<(), String> {
    let Some(id) = r.physical_resource_id.clone() else {
        return Ok(());
    };
    if retained(r) {
        return Ok(());
    }
    let a = account;
    let ec2 = |res: Result<(), Ec2Error>| res.map_err(|e| e.to_string());
    let svc = |res: Result<(), account::ServiceError>| res.map_err(|e| e.to_string());
    match r.resource_type.as_str() {
        "AWS::EC2::VPC" if a.vpcs.contains_key(&id) => ec2(a.delete_vpc(&id)),
        "AWS::EC2::Subnet" if a.subnets.contains_key(&id) => ec2(a.delete_subnet(&id)),
        "AWS::EC2::RouteTable" if a.route_tables.contains_key(&id) => ec2(a.delete_route_table(&id)),
        "AWS::EC2::Route" => ec2(delete_route(a, r, &id)),
        "AWS::EC2::SubnetRouteTableAssociation" => match a.disassociate_route_table(&id) {
            Err(Ec2Error::AssociationNotFound(_)) => Ok(()),
            other => ec2(other),
        },
        "AWS::EC2::InternetGateway" if a.internet_gateways.contains_key(&id) => ec2(a.delete_internet_gateway(&id)),
        "AWS::EC2::VPCGatewayAttachment" => ec2(detach_gateway(a, r)),
        "AWS::EC2::EIP" => {
            let alloc = attr(r, "AllocationId").or_else(|| {
                a.addresses.values().find(|x| x.public_ip.to_string() == id).map(|x| x.allocation_id.clone())
            });
            match alloc.filter(|x| a.addresses.contains_key(x)) {
                Some(x) => ec2(a.release_address(&x)),
                None => Ok(()),
            }
        }
        "AWS::EC2::NatGateway" if a.nat_gateways.contains_key(&id) => ec2(a.delete_nat_gateway(&id).map(drop)),
        "AWS::EC2::SecurityGroup" => match group_id(a, r, &id) {
            Some(g) => ec2(a.delete_security_group(&g)),
            None => Ok(()),
        },
        "AWS::EC2::SecurityGroupIngress" => ec2(revoke(a, r, false)),
        "AWS::EC2::SecurityGroupEgress" => ec2(revoke(a, r, true)),
        "AWS::EC2::NetworkAcl" if a.network_acls.contains_key(&id) => ec2(a.delete_network_acl(&id)),
        "AWS::EC2::NetworkAclEntry" => ec2(delete_acl_entry(a, r)),
        "AWS::EC2::SubnetNetworkAclAssociation" => match a.reset_network_acl_association(&id) {
            Err(Ec2Error::AssociationNotFound(_)) => Ok(()),
            other => ec2(other.map(drop)),
        },
        "AWS::EC2::NetworkInterface" if a.network_interfaces.contains_key(&id) => ec2(a.delete_network_interface(&id)),
        "AWS::EC2::Instance" if a.instances.get(&id).is_some_and(|i| i.state != account::InstanceState::Terminated) => {
            ec2(a.terminate_instances(std::slice::from_ref(&id)).map(drop))
        }
        "AWS::EC2::LaunchTemplate" if a.launch_templates.contains_key(&id) => svc(a.delete_launch_template(&id)),
        "AWS::AutoScaling::AutoScalingGroup" if a.auto_scaling_groups.contains_key(&id) => {
            svc(control::ec2::delete_auto_scaling_group(a, &id, true))
        }
        "AWS::AutoScaling::LaunchConfiguration" if a.launch_configurations.contains_key(&id) => {
            svc(a.delete_launch_configuration(&id))
        }
        "AWS::ECS::Cluster" if a.clusters.get(&id).is_some_and(|c| c.status != account::ClusterStatus::Inactive) => {
            svc(a.delete_cluster(&id))
        }
        "AWS::ECS::TaskDefinition"
            if a.task_definitions.get(&id).is_some_and(|t| t.status == account::TaskDefinitionStatus::Active) =>
        {
            svc(a.deregister_task_definition(&id))
        }
        "AWS::ECS::Service" if a.services.get(&id).is_some_and(|s| s.status == account::ServiceStatus::Active) => {
            // `…:service/CLUSTER/NAME`: the cluster is the ARN's middle part.
            let cluster = id.rsplit('/').nth(1).unwrap_or("default").to_string();
            control::ecs::delete_service(a, &cluster, &id, true).map(drop).map_err(|e| e.message)
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => svc(a.delete_load_balancer(&id)),
        "AWS::ElasticLoadBalancingV2::TargetGroup" if a.target_groups.contains_key(&id) => {
            svc(a.delete_target_group(&id))
        }
        "AWS::ElasticLoadBalancingV2::Listener" if a.listeners.contains_key(&id) => svc(a.delete_listener(&id)),
        "AWS::ElasticLoadBalancingV2::ListenerRule" if a.listener_rules.contains_key(&id) => {
            svc(a.delete_listener_rule(&id))
        }
        "AWS::RDS::DBInstance" if a.db_instance(&id).is_some() => svc(a.delete_db_instance(&id)),
        "AWS::RDS::DBSubnetGroup" if a.db_subnet_group(&id).is_some() => svc(a.delete_db_subnet_group(&id)),
        "AWS::SSM::Parameter" => {
            a.delete_inert(&r.resource_type, &id);
            match a.ssm_parameters.contains_key(&id) {
                true => svc(a.delete_ssm_parameter(&id)),
                false => Ok(()),
            }
        }
        // Nested stacks are deleted by the engine, stack by stack.
        "AWS::CloudFormation::Stack" => Ok(()),
        other => {
            // The modelled types reach here only when already gone; the rest are inert.
            a.delete_inert(other, &id);
            Ok(())
        }
    }
}

/// True once an asynchronous deletion has finished (or the resource is gone).
pub fn deletion_complete(account: &Account, r: &StackResource) -> bool {
    let Some(id) = r.physical_resource_id.as_deref() else {
        return true;
    };
    if retained(r) {
        return true;
    }
    match r.resource_type.as_str() {
        "AWS::ECS::Service" => {
            let inactive = account.services.get(id).is_none_or(|s| s.status == account::ServiceStatus::Inactive);
            inactive && !account.tasks.values().any(|t| t.service_arn.as_deref() == Some(id) && t.is_live())
        }
        "AWS::AutoScaling::AutoScalingGroup" => !account.auto_scaling_groups.contains_key(id),
        "AWS::EC2::NatGateway" => account.nat_gateways.get(id).is_none_or(|n| n.state == NatGatewayState::Deleted),
        "AWS::EC2::Instance" => account.instances.get(id).is_none_or(|i| i.state == account::InstanceState::Terminated),
        _ => true,
    }
}

/// AWS::EC2::Route: physical ID `rtb-…|CIDR`; IPv6 and prefix-list routes were not modelled.
fn delete_route(a: &mut Account, r: &StackResource, id: &str) -> Result<(), Ec2Error> {
    let table = prop(r, "RouteTableId").or_else(|| id.split('|').next().map(str::to_string)).unwrap_or_default();
    let Some(dest) = prop(r, "DestinationCidrBlock") else {
        return Ok(());
    };
    let cidr = dest.parse::<Ipv4Cidr>().ok();
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

/// The ID of an AWS::EC2::SecurityGroup whose Ref is its ID, or its name
/// when it was created without VpcId (a group of the default VPC).
fn group_id(a: &Account, r: &StackResource, id: &str) -> Option<String> {
    if a.security_groups.contains_key(id) {
        return Some(id.to_string());
    }
    if let Some(g) = attr(r, "GroupId").filter(|g| a.security_groups.contains_key(g)) {
        return Some(g);
    }
    let vpc = a.default_vpc()?.vpc_id.clone();
    a.security_group_by_name(&vpc, id).map(|g| g.group_id.clone())
}

/// The rule an AWS::EC2::SecurityGroupIngress/Egress added, read back from
/// its properties; `None` when it had no peer (it never existed).
fn rule_of(a: &Account, r: &StackResource, egress: bool) -> Option<SecurityGroupRule> {
    let protocol = account::ec2::canonical_protocol(&prop(r, "IpProtocol").unwrap_or_default());
    let (group_key, prefix_key) = if egress {
        ("DestinationSecurityGroupId", "DestinationPrefixListId")
    } else {
        ("SourceSecurityGroupId", "SourcePrefixListId")
    };
    let peer = if let Some(c) = prop(r, "CidrIp") {
        Peer::Cidr(c.parse().ok()?)
    } else if let Some(c) = prop(r, "CidrIpv6") {
        Peer::Ipv6Cidr(c)
    } else if let Some(g) = prop(r, group_key) {
        Peer::SecurityGroup(g)
    } else if let Some(name) = prop(r, "SourceSecurityGroupName").filter(|_| !egress) {
        let vpc = a.default_vpc()?.vpc_id.clone();
        Peer::SecurityGroup(a.security_group_by_name(&vpc, &name)?.group_id.clone())
    } else {
        Peer::PrefixList(prop(r, prefix_key)?)
    };
    let port = |name: &str| prop(r, name).and_then(|p| p.trim().parse::<i32>().ok());
    let all = protocol == "-1";
    Some(SecurityGroupRule {
        from_port: port("FromPort").filter(|_| !all),
        to_port: port("ToPort").filter(|_| !all),
        ip_protocol: protocol,
        peer,
        description: None,
        origin: account::Origin::none(),
    })
}

/// Revokes the rule of an AWS::EC2::SecurityGroupIngress/Egress; a rule or group already gone is fine.
fn revoke(a: &mut Account, r: &StackResource, egress: bool) -> Result<(), Ec2Error> {
    let group = prop(r, "GroupId").or_else(|| {
        let vpc = a.default_vpc()?.vpc_id.clone();
        a.security_group_by_name(&vpc, &prop(r, "GroupName")?).map(|g| g.group_id.clone())
    });
    let (Some(group), Some(rule)) = (group.filter(|g| a.security_groups.contains_key(g)), rule_of(a, r, egress)) else {
        return Ok(());
    };
    let result = if egress {
        a.revoke_security_group_egress(&group, std::slice::from_ref(&rule))
    } else {
        a.revoke_security_group_ingress(&group, std::slice::from_ref(&rule))
    };
    match result {
        Err(Ec2Error::PermissionNotFound) => Ok(()),
        other => other,
    }
}

/// Deletes the entry of an AWS::EC2::NetworkAclEntry; one already gone is fine.
fn delete_acl_entry(a: &mut Account, r: &StackResource) -> Result<(), Ec2Error> {
    let Some(acl) = prop(r, "NetworkAclId").filter(|x| a.network_acls.contains_key(x)) else {
        return Ok(());
    };
    let Some(number) = prop(r, "RuleNumber").and_then(|n| n.trim().parse::<u16>().ok()) else {
        return Ok(());
    };
    let egress = prop(r, "Egress").is_some_and(|e| e.eq_ignore_ascii_case("true"));
    match a.delete_network_acl_entry(&acl, number, egress) {
        Err(Ec2Error::NetworkAclEntryNotFound(_)) => Ok(()),
        other => other,
    }
}

#[cfg(test)]
pub(crate) mod tests;
