//! VPC endpoints: CreateVpcEndpoint, ModifyVpcEndpoint, DeleteVpcEndpoints,
//! and the AWS-managed prefix lists of gateway endpoints (DescribePrefixLists).
//!
//! AWS doc: "CreateVpcEndpoint", "ModifyVpcEndpoint", "DeleteVpcEndpoints",
//! "DescribePrefixLists" (Amazon EC2 API Reference); "Access an AWS service
//! using an interface VPC endpoint" and "Gateway endpoints" (AWS PrivateLink
//! guide); "Control access to VPC endpoints using endpoint policies".
//!
//! An interface endpoint is an ENI per subnet (one subnet per zone) with the
//! endpoint's groups; a gateway endpoint is a route to the service's prefix
//! list in each chosen route table. Endpoints of AWS services are accepted at
//! once; AWS shows an interface endpoint `pending` for a minute or two before
//! `available` (seen: the CLI's create-vpc-endpoint example). tasknet makes it
//! `available` at once: nothing in the model waits on an endpoint (its ENIs
//! are made by the call), and a delay would hold every client that creates
//! one and then resolves the service in a reconciler for no behaviour gained.

use super::vpce_checks::{default_private_dns, dns_entries, type_mismatch};
use super::CreateNetworkInterface;
use crate::account::Account;
use crate::endpoints::{self, ServiceEndpoint};
use crate::error::Ec2Error;
use crate::ids::{self, prefix};
use crate::model::*;

/// The policy EC2 attaches when none is given (seen, the CLI's
/// describe-vpc-endpoints example; "Default endpoint policy" gives the same
/// statement without the version).
pub const DEFAULT_ENDPOINT_POLICY: &str =
    r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;

/// The parameters of CreateVpcEndpoint that tasknet models.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateVpcEndpoint {
    /// `VpcEndpointType` (the API's default: Gateway).
    pub vpc_endpoint_type: VpcEndpointType,
    /// `VpcId`.
    pub vpc_id: String,
    /// `ServiceName`: `com.amazonaws.<region>.<service>`.
    pub service_name: String,
    /// `PolicyDocument` (JSON text); none means the full-access default.
    pub policy_document: Option<String>,
    /// `RouteTableIds` (gateway endpoints).
    pub route_table_ids: Vec<String>,
    /// `SubnetIds` (interface endpoints).
    pub subnet_ids: Vec<String>,
    /// `SecurityGroupIds` (interface endpoints); none means the VPC's default group.
    pub security_group_ids: Vec<String>,
    /// `PrivateDnsEnabled`; none means the service's default (see `default_private_dns`).
    pub private_dns_enabled: Option<bool>,
}

impl CreateVpcEndpoint {
    /// A request for `service_name` in `vpc_id` with the API's defaults (a Gateway endpoint).
    pub fn new(vpc_id: &str, service_name: &str) -> Self {
        CreateVpcEndpoint {
            vpc_endpoint_type: VpcEndpointType::Gateway,
            vpc_id: vpc_id.to_string(),
            service_name: service_name.to_string(),
            policy_document: None,
            route_table_ids: Vec::new(),
            subnet_ids: Vec::new(),
            security_group_ids: Vec::new(),
            private_dns_enabled: None,
        }
    }
}

/// The parameters of ModifyVpcEndpoint that tasknet models.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModifyVpcEndpoint {
    /// `VpcEndpointId`.
    pub vpc_endpoint_id: String,
    /// `ResetPolicy`: back to the full-access default.
    pub reset_policy: bool,
    /// `PolicyDocument`.
    pub policy_document: Option<String>,
    /// `AddRouteTableIds`.
    pub add_route_table_ids: Vec<String>,
    /// `RemoveRouteTableIds`.
    pub remove_route_table_ids: Vec<String>,
    /// `AddSubnetIds`.
    pub add_subnet_ids: Vec<String>,
    /// `RemoveSubnetIds`.
    pub remove_subnet_ids: Vec<String>,
    /// `AddSecurityGroupIds`.
    pub add_security_group_ids: Vec<String>,
    /// `RemoveSecurityGroupIds`.
    pub remove_security_group_ids: Vec<String>,
    /// `PrivateDnsEnabled`.
    pub private_dns_enabled: Option<bool>,
}

/// One AWS-managed prefix list (`PrefixList` of DescribePrefixLists).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrefixList {
    /// `pl-…`.
    pub prefix_list_id: String,
    /// `com.amazonaws.<region>.<service>`.
    pub prefix_list_name: String,
    /// Its blocks.
    pub cidrs: Vec<String>,
}

/// InvalidParameter with AWS's text.
fn invalid(text: impl Into<String>) -> Ec2Error {
    Ec2Error::InvalidParameter(text.into())
}

impl Account {
    /// DescribeVpcEndpoints for one ID.
    pub fn vpc_endpoint(&self, id: &str) -> Result<&VpcEndpoint, Ec2Error> {
        self.vpc_endpoints.get(id).ok_or_else(|| Ec2Error::VpcEndpointNotFound(id.to_string()))
    }

    /// The AWS-managed prefix lists of the region's gateway endpoint services
    /// (S3, DynamoDB), by name.
    pub fn prefix_lists(&self) -> Vec<PrefixList> {
        endpoints::SERVICES
            .iter()
            .filter_map(|s| {
                let block = s.gateway?;
                Some(PrefixList {
                    prefix_list_id: s.prefix_list_id(&self.region)?,
                    prefix_list_name: s.service_name(&self.region),
                    cidrs: vec![block.cidr.to_string()],
                })
            })
            .collect()
    }

    /// The AWS service a VPC endpoint service name names in this region.
    pub(crate) fn endpoint_service(&self, service_name: &str) -> Result<&'static ServiceEndpoint, Ec2Error> {
        endpoints::for_service_name(service_name, &self.region)
            .ok_or_else(|| Ec2Error::InvalidServiceName(service_name.to_string()))
    }

    /// CreateVpcEndpoint: checks what EC2 checks, then makes the endpoint
    /// with its ENIs (interface) or prefix-list routes (gateway).
    pub fn create_vpc_endpoint(&mut self, req: CreateVpcEndpoint) -> Result<VpcEndpoint, Ec2Error> {
        self.vpc(&req.vpc_id)?;
        let service = self.endpoint_service(&req.service_name)?;
        let kind = req.vpc_endpoint_type;
        type_mismatch(kind, service)?;
        let interface = kind == VpcEndpointType::Interface;
        if kind != VpcEndpointType::Gateway && !req.route_table_ids.is_empty() {
            // Seen: ansible-collections/amazon.aws issue 576.
            return Err(invalid("Route table IDs are only supported for Gateway type VPC Endpoint."));
        }
        if kind == VpcEndpointType::Gateway && !req.subnet_ids.is_empty() {
            // Seen: nanlabs/terraform-aws-starter issue 18.
            return Err(invalid(
                "Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.",
            ));
        }
        if kind == VpcEndpointType::Gateway && !req.security_group_ids.is_empty() {
            // Inferred text, patterned on the subnet one.
            return Err(invalid("Security group IDs are only supported for Interface type VPC Endpoints."));
        }
        if let Some(doc) = &req.policy_document {
            check_policy(doc)?;
        }
        let prefix_list = service.prefix_list_id(&self.region).unwrap_or_default();
        if kind == VpcEndpointType::Gateway {
            self.check_endpoint_route_tables(&req.vpc_id, &prefix_list, &req.route_table_ids)?;
        }
        let private_dns = req.private_dns_enabled.unwrap_or_else(|| default_private_dns(kind, service));
        let groups = if interface {
            self.check_endpoint_subnets(&req.vpc_id, &req.subnet_ids, &[])?;
            let groups = self.endpoint_groups(&req.vpc_id, &req.security_group_ids)?;
            if private_dns {
                self.check_private_dns(&req.vpc_id, service, None)?;
            }
            groups
        } else {
            Vec::new()
        };
        let id = self.new_id(prefix::VPC_ENDPOINT);
        let token = format!("{id}-{}", ids::hex_chars(self.next_words("vpce-dns"), 8));
        let mut endpoint = VpcEndpoint {
            vpc_endpoint_id: id.clone(),
            vpc_endpoint_type: kind,
            vpc_id: req.vpc_id.clone(),
            service_name: req.service_name.clone(),
            state: "available".into(),
            policy_document: Some(req.policy_document.clone().unwrap_or_else(|| DEFAULT_ENDPOINT_POLICY.into())),
            route_table_ids: Vec::new(),
            subnet_ids: Vec::new(),
            security_group_ids: groups,
            private_dns_enabled: private_dns,
            network_interface_ids: Vec::new(),
            dns_entries: Vec::new(),
            creation_timestamp_ms: self.clock_ms,
            tags: Tags::new(),
        };
        if interface {
            for subnet in &req.subnet_ids {
                match self.add_endpoint_interface(&endpoint, subnet) {
                    Ok(eni) => {
                        endpoint.subnet_ids.push(subnet.clone());
                        endpoint.network_interface_ids.push(eni);
                    }
                    Err(e) => {
                        // Nothing of the endpoint stays when one interface cannot be made.
                        for eni in &endpoint.network_interface_ids {
                            let _ = self.delete_network_interface(eni);
                        }
                        return Err(e);
                    }
                }
            }
            endpoint.dns_entries = dns_entries(self, &token, service, &endpoint);
        } else {
            for table in &req.route_table_ids {
                self.add_endpoint_route(table, &prefix_list, &id);
                endpoint.route_table_ids.push(table.clone());
            }
        }
        self.vpc_endpoints.insert(id, endpoint.clone());
        Ok(endpoint)
    }

    /// The endpoint's interface in one subnet: requester-managed, of type
    /// `vpc_endpoint`, with the endpoint's groups.
    fn add_endpoint_interface(&mut self, endpoint: &VpcEndpoint, subnet_id: &str) -> Result<String, Ec2Error> {
        let mut req = CreateNetworkInterface::new(subnet_id);
        req.groups = endpoint.security_group_ids.clone();
        // Recalled from AWS consoles, not verified here: the description EC2 writes.
        req.description = format!("VPC Endpoint Interface {}", endpoint.vpc_endpoint_id);
        req.interface_type = "vpc_endpoint".into();
        req.requester_managed = true;
        req.owner = EniOwner::VpcEndpoint { vpc_endpoint_id: endpoint.vpc_endpoint_id.clone() };
        Ok(self.create_network_interface(req)?.network_interface_id)
    }

    /// The gateway endpoint's route in one table: the prefix list to the endpoint.
    fn add_endpoint_route(&mut self, table: &str, prefix_list: &str, endpoint_id: &str) {
        if let Some(t) = self.route_tables.get_mut(table) {
            t.routes.push(Route {
                destination_cidr_block: None,
                destination_ipv6_cidr_block: None,
                destination_prefix_list_id: Some(prefix_list.to_string()),
                target: RouteTarget::VpcEndpoint(endpoint_id.to_string()),
                // Recalled from describe-route-tables output, not verified here.
                origin: "CreateRoute".into(),
                state: "active".into(),
                template_origin: Origin::none(),
            });
        }
    }

    /// Removes the endpoint's route from one table.
    fn remove_endpoint_route(&mut self, table: &str, endpoint_id: &str) {
        if let Some(t) = self.route_tables.get_mut(table) {
            t.routes.retain(|r| !matches!(&r.target, RouteTarget::VpcEndpoint(e) if e == endpoint_id));
        }
    }

    /// ModifyVpcEndpoint: route tables (gateway), subnets, groups and private
    /// DNS (interface), the policy (both). All checks come before any change.
    pub fn modify_vpc_endpoint(&mut self, req: &ModifyVpcEndpoint) -> Result<(), Ec2Error> {
        let endpoint = self.vpc_endpoint(&req.vpc_endpoint_id)?.clone();
        let service = self.endpoint_service(&endpoint.service_name)?;
        let kind = endpoint.vpc_endpoint_type;
        let interface = kind == VpcEndpointType::Interface;
        let tables = !req.add_route_table_ids.is_empty() || !req.remove_route_table_ids.is_empty();
        if tables && kind != VpcEndpointType::Gateway {
            return Err(invalid("Route table IDs are only supported for Gateway type VPC Endpoint."));
        }
        let subnets = !req.add_subnet_ids.is_empty() || !req.remove_subnet_ids.is_empty();
        if subnets && kind == VpcEndpointType::Gateway {
            return Err(invalid(
                "Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.",
            ));
        }
        let groups = !req.add_security_group_ids.is_empty() || !req.remove_security_group_ids.is_empty();
        if groups && !interface {
            return Err(invalid("Security group IDs are only supported for Interface type VPC Endpoints."));
        }
        if req.reset_policy && req.policy_document.is_some() {
            // Inferred text: the API names the two as alternatives.
            return Err(invalid("ResetPolicy and PolicyDocument cannot be specified together."));
        }
        if let Some(doc) = &req.policy_document {
            check_policy(doc)?;
        }
        let prefix_list = service.prefix_list_id(&self.region).unwrap_or_default();
        let added_tables: Vec<String> =
            req.add_route_table_ids.iter().filter(|t| !endpoint.route_table_ids.contains(t)).cloned().collect();
        self.check_endpoint_route_tables(&endpoint.vpc_id, &prefix_list, &added_tables)?;
        for t in &req.remove_route_table_ids {
            self.route_table(t)?;
        }
        let kept: Vec<String> =
            endpoint.subnet_ids.iter().filter(|s| !req.remove_subnet_ids.contains(s)).cloned().collect();
        let added_subnets: Vec<String> =
            req.add_subnet_ids.iter().filter(|s| !endpoint.subnet_ids.contains(s)).cloned().collect();
        for s in &req.remove_subnet_ids {
            self.subnet(s)?;
        }
        self.check_endpoint_subnets(&endpoint.vpc_id, &added_subnets, &kept)?;
        let mut new_groups = endpoint.security_group_ids.clone();
        for g in &req.add_security_group_ids {
            if !new_groups.contains(g) {
                new_groups.push(g.clone());
            }
        }
        new_groups.retain(|g| !req.remove_security_group_ids.contains(g));
        if groups {
            if new_groups.is_empty() {
                // Inferred text (AWS keeps at least one group on an interface endpoint).
                return Err(invalid("An Interface VPC Endpoint must always have at least one Security Group."));
            }
            self.endpoint_groups(&endpoint.vpc_id, &new_groups)?;
        }
        let private_dns = match req.private_dns_enabled {
            Some(on) if interface => on,
            // Inferred text: private DNS belongs to interface endpoints only.
            Some(_) => return Err(invalid("Private DNS can only be enabled for Interface type VPC Endpoints.")),
            None => endpoint.private_dns_enabled,
        };
        if interface && private_dns && !endpoint.private_dns_enabled {
            self.check_private_dns(&endpoint.vpc_id, service, Some(&endpoint.vpc_endpoint_id))?;
        }

        let mut updated = endpoint.clone();
        for t in &added_tables {
            self.add_endpoint_route(t, &prefix_list, &endpoint.vpc_endpoint_id);
            updated.route_table_ids.push(t.clone());
        }
        for t in &req.remove_route_table_ids {
            self.remove_endpoint_route(t, &endpoint.vpc_endpoint_id);
        }
        updated.route_table_ids.retain(|t| !req.remove_route_table_ids.contains(t));
        updated.security_group_ids = new_groups;
        updated.private_dns_enabled = private_dns;
        for (subnet, eni) in endpoint.subnet_ids.iter().zip(&endpoint.network_interface_ids) {
            if req.remove_subnet_ids.contains(subnet) {
                let _ = self.delete_network_interface(eni);
            }
        }
        let (mut subnet_ids, mut enis) = (Vec::new(), Vec::new());
        for (subnet, eni) in endpoint.subnet_ids.iter().zip(&endpoint.network_interface_ids) {
            if !req.remove_subnet_ids.contains(subnet) {
                subnet_ids.push(subnet.clone());
                enis.push(eni.clone());
            }
        }
        for subnet in &added_subnets {
            let eni = self.add_endpoint_interface(&updated, subnet)?;
            subnet_ids.push(subnet.clone());
            enis.push(eni);
        }
        for eni in &enis {
            if let Some(n) = self.network_interfaces.get_mut(eni) {
                n.groups = updated.security_group_ids.clone();
            }
        }
        updated.subnet_ids = subnet_ids;
        updated.network_interface_ids = enis;
        if req.reset_policy {
            updated.policy_document = Some(DEFAULT_ENDPOINT_POLICY.into());
        } else if let Some(doc) = &req.policy_document {
            updated.policy_document = Some(doc.clone());
        }
        if interface {
            // The regional name keeps its token; zonal names follow the subnets.
            let token = endpoint
                .dns_entries
                .first()
                .and_then(|d| d.dns_name.trim_start_matches("*.").split('.').next())
                .map(str::to_string)
                .unwrap_or_else(|| endpoint.vpc_endpoint_id.clone());
            updated.dns_entries = dns_entries(self, &token, service, &updated);
        }
        self.vpc_endpoints.insert(updated.vpc_endpoint_id.clone(), updated);
        Ok(())
    }

    /// DeleteVpcEndpoints: each endpoint goes with its ENIs and routes; the
    /// IDs that name no endpoint come back with their error (the API's
    /// `Unsuccessful` items), the others are deleted.
    pub fn delete_vpc_endpoints(&mut self, ids: &[String]) -> Vec<(String, Ec2Error)> {
        let mut unsuccessful = Vec::new();
        for id in ids {
            let Some(endpoint) = self.vpc_endpoints.remove(id) else {
                unsuccessful.push((id.clone(), Ec2Error::VpcEndpointNotFound(id.clone())));
                continue;
            };
            for eni in &endpoint.network_interface_ids {
                let _ = self.delete_network_interface(eni);
            }
            for table in &endpoint.route_table_ids {
                self.remove_endpoint_route(table, id);
            }
        }
        unsuccessful
    }
}

/// The policy must be JSON text (AWS: "The policy must be in valid JSON format").
fn check_policy(doc: &str) -> Result<(), Ec2Error> {
    match serde_json::from_str::<serde_json::Value>(doc) {
        Ok(v) if v.is_object() => Ok(()),
        // Inferred code and text: AWS's answer to a malformed policy is not in our facts.
        _ => Err(Ec2Error::InvalidParameterValue("The policy document is not valid JSON.".into())),
    }
}

#[cfg(test)]
mod tests;
