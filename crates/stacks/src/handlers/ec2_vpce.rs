//! AWS::EC2::VPCEndpoint: created through CreateVpcEndpoint, updated in
//! place through ModifyVpcEndpoint, deleted through DeleteVpcEndpoints.
//!
//! AWS doc: "AWS::EC2::VPCEndpoint" (CloudFormation template reference):
//! `Ref` is the endpoint's ID; `Fn::GetAtt` gives `Id`, `CreationTimestamp`,
//! `DnsEntries` (each `hostedzoneid:dnsname`, recalled from the reference's
//! example, not verified here) and `NetworkInterfaceIds`.

use super::ec2::tag;
use super::ec2_error;
use super::kind::{ec2, kind, Kind, Moved};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{Account, CreateVpcEndpoint, Ec2Error, ModifyVpcEndpoint, VpcEndpoint, VpcEndpointType};

/// `PolicyDocument` as the API takes it: a string as written, an object
/// (YAML or JSON in the template) as its JSON text, which is what
/// CloudFormation sends (the reference: "converts YAML policies to JSON").
fn policy(props: &Props<'_>) -> Option<String> {
    let node = props.get("PolicyDocument")?;
    Some(node.as_str().map(str::to_string).unwrap_or_else(|| node.to_json().to_string()))
}

/// The endpoint type a template names; `None` for one tasknet does not model.
fn endpoint_type(props: &Props<'_>) -> Option<VpcEndpointType> {
    match props.str("VpcEndpointType").as_deref() {
        // The type's default in CloudFormation is the API's: Gateway.
        None | Some("Gateway") => Some(VpcEndpointType::Gateway),
        Some("Interface") => Some(VpcEndpointType::Interface),
        Some("GatewayLoadBalancer") => Some(VpcEndpointType::GatewayLoadBalancer),
        Some(_) => None,
    }
}

/// The request CloudFormation makes from the properties.
fn request(props: &Props<'_>, kind: VpcEndpointType) -> CreateVpcEndpoint {
    let mut req =
        CreateVpcEndpoint::new(&props.str("VpcId").unwrap_or_default(), &props.str("ServiceName").unwrap_or_default());
    req.vpc_endpoint_type = kind;
    req.policy_document = policy(props);
    req.route_table_ids = props.strs("RouteTableIds");
    req.subnet_ids = props.strs("SubnetIds");
    req.security_group_ids = props.strs("SecurityGroupIds");
    // Recalled from the CloudFormation reference (PrivateDnsEnabled, "Default: false"), unlike the API's.
    req.private_dns_enabled = Some(props.bool("PrivateDnsEnabled").unwrap_or(false));
    req
}

/// The property an endpoint refusal is about.
fn property_of(e: &Ec2Error) -> &'static str {
    match e {
        Ec2Error::VpcNotFound(_) => "VpcId",
        Ec2Error::InvalidServiceName(_) => "ServiceName",
        Ec2Error::SubnetNotFound(_) | Ec2Error::DuplicateSubnetsInSameZone(_) => "SubnetIds",
        Ec2Error::GroupNotFound(_) => "SecurityGroupIds",
        Ec2Error::RouteTableNotFound(_) | Ec2Error::RouteAlreadyExists(_) => "RouteTableIds",
        Ec2Error::InsufficientFreeAddresses(_) => "SubnetIds",
        Ec2Error::InvalidParameterValue(m) if m.contains("policy") => "PolicyDocument",
        Ec2Error::InvalidParameter(m) if m.contains("Endpoint type") => "VpcEndpointType",
        Ec2Error::InvalidParameter(m) if m.contains("private DNS") || m.contains("private-dns") => "PrivateDnsEnabled",
        Ec2Error::InvalidParameter(m) if m.starts_with("Subnet") => "SubnetIds",
        Ec2Error::InvalidParameter(m) if m.starts_with("Security group") => "SecurityGroupIds",
        Ec2Error::InvalidParameter(m) if m.starts_with("Route table") => "RouteTableIds",
        _ => "ServiceName",
    }
}

/// `DnsEntries` as CloudFormation gives them: `hostedzoneid:dnsname`.
fn dns_attribute(e: &VpcEndpoint) -> Vec<String> {
    e.dns_entries.iter().map(|d| format!("{}:{}", d.hosted_zone_id, d.dns_name)).collect()
}

/// AWS::EC2::VPCEndpoint.
pub fn vpc_endpoint(p: &mut Planner, props: &Props<'_>) -> Planned {
    let Some(kind) = endpoint_type(props) else {
        let e = Ec2Error::InvalidParameterValue(format!(
            "tasknet does not model {} VPC endpoints",
            props.str("VpcEndpointType").unwrap_or_default()
        ));
        p.report(ec2_error(props, "VpcEndpointType", &e));
        return Planned::new(p.failed_id("vpce"));
    };
    match p.account.create_vpc_endpoint(request(props, kind)) {
        Ok(e) => {
            tag(p, &e.vpc_endpoint_id, props);
            let id = e.vpc_endpoint_id.clone();
            Planned::new(id.clone())
                .attr("Id", id)
                .attr("CreationTimestamp", account::ec2::autoscaling::iso_time(e.creation_timestamp_ms))
                .attr_list("DnsEntries", &dns_attribute(&e))
                .attr_list("NetworkInterfaceIds", &e.network_interface_ids)
                .detail("ServiceName", e.service_name.clone())
                .detail("VpcEndpointType", kind.as_str())
        }
        Err(e) => {
            p.report(ec2_error(props, property_of(&e), &e));
            Planned::new(p.failed_id("vpce"))
        }
    }
}

/// In place: ModifyVpcEndpoint with the differences between the real
/// endpoint and the scratch one the new properties made, then its tags.
fn update_vpc_endpoint(a: &mut Account, scratch: &Account, m: &Moved<'_>) -> Result<(), String> {
    let Some(new) = scratch.vpc_endpoints.get(m.new_id) else { return Ok(()) };
    let old = a.vpc_endpoint(m.id).map_err(|e| e.to_string())?.clone();
    let added = |now: &[String], was: &[String]| now.iter().filter(|x| !was.contains(x)).cloned().collect::<Vec<_>>();
    let req = ModifyVpcEndpoint {
        vpc_endpoint_id: m.id.to_string(),
        reset_policy: false,
        policy_document: (new.policy_document != old.policy_document).then(|| new.policy_document.clone()).flatten(),
        add_route_table_ids: added(&new.route_table_ids, &old.route_table_ids),
        remove_route_table_ids: added(&old.route_table_ids, &new.route_table_ids),
        add_subnet_ids: added(&new.subnet_ids, &old.subnet_ids),
        remove_subnet_ids: added(&old.subnet_ids, &new.subnet_ids),
        add_security_group_ids: added(&new.security_group_ids, &old.security_group_ids),
        remove_security_group_ids: added(&old.security_group_ids, &new.security_group_ids),
        private_dns_enabled: (new.vpc_endpoint_type == VpcEndpointType::Interface
            && new.private_dns_enabled != old.private_dns_enabled)
            .then_some(new.private_dns_enabled),
    };
    ec2(a.modify_vpc_endpoint(&req))?;
    ec2(a.retag(m.id, &new.tags))
}

/// The VPC endpoint's record.
pub(super) const KINDS: &[Kind] = &[Kind {
    // The schema's createOnlyProperties that tasknet models.
    replacing: &["VpcId", "ServiceName", "VpcEndpointType"],
    update: Some(update_vpc_endpoint),
    ..kind("AWS::EC2::VPCEndpoint", vpc_endpoint, |a, _, id| {
        let failed = a.delete_vpc_endpoints(&[id.to_string()]);
        match failed.first() {
            None | Some((_, Ec2Error::VpcEndpointNotFound(_))) => Ok(()),
            Some((_, e)) => Err(e.to_string()),
        }
    })
}];
