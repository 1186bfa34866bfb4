//! EC2 API actions on the account, and the lookups rules and the planner use.
//!
//! Each action checks what EC2 checks, in the order we believe it does, and
//! fails with EC2's code and text (`Ec2Error`). Actions complete at once:
//! there is no `pending` here unless the facts call for it.

pub(crate) mod acl;
pub mod autoscaling;
pub mod delete;
mod delete_rules;
mod ecs_agent;
pub mod ecs_config;
mod eni;
pub(crate) mod groups;
pub mod instances;
mod modify;
pub use modify::VpcAttribute;
mod routing;
mod rules;
pub use rules::{group_rules, security_group_rule_id, GroupRule};
pub(crate) mod vpc;
mod vpce;
mod vpce_checks;
pub use vpce::{CreateVpcEndpoint, ModifyVpcEndpoint, PrefixList, DEFAULT_ENDPOINT_POLICY};

pub use ecs_agent::{AGENT_START_MS, DEFAULT_CLUSTER, RESERVED_PORTS, TRUNK_INTERFACE_TYPE, TRUNK_PROVISION_MS};
pub use eni::CreateNetworkInterface;
pub use groups::{canonical_protocol, describe_rule};
pub use instances::{InstanceStateChange, RunInstances};
pub use vpc::RESERVED_PER_SUBNET;

use crate::account::Account;
use crate::error::Ec2Error;
use crate::model::*;

impl Account {
    /// DescribeVpcs for one ID.
    pub fn vpc(&self, vpc_id: &str) -> Result<&Vpc, Ec2Error> {
        self.vpcs.get(vpc_id).ok_or_else(|| Ec2Error::VpcNotFound(vpc_id.to_string()))
    }

    /// DescribeSubnets for one ID.
    pub fn subnet(&self, subnet_id: &str) -> Result<&Subnet, Ec2Error> {
        self.subnets.get(subnet_id).ok_or_else(|| Ec2Error::SubnetNotFound(subnet_id.to_string()))
    }

    /// DescribeSecurityGroups for one ID.
    pub fn security_group(&self, group_id: &str) -> Result<&SecurityGroup, Ec2Error> {
        self.security_groups.get(group_id).ok_or_else(|| Ec2Error::GroupNotFound(group_id.to_string()))
    }

    /// A security group by name within a VPC (how EC2-Classic-style names resolve).
    pub fn security_group_by_name(&self, vpc_id: &str, name: &str) -> Option<&SecurityGroup> {
        // Name first: names differ early, while a VPC's groups all share its ID (every create scans this).
        self.security_groups.values().find(|g| g.group_name == name && g.vpc_id == vpc_id)
    }

    /// DescribeRouteTables for one ID.
    pub fn route_table(&self, route_table_id: &str) -> Result<&RouteTable, Ec2Error> {
        self.route_tables.get(route_table_id).ok_or_else(|| Ec2Error::RouteTableNotFound(route_table_id.to_string()))
    }

    /// DescribeInternetGateways for one ID.
    pub fn internet_gateway(&self, igw_id: &str) -> Result<&InternetGateway, Ec2Error> {
        self.internet_gateways.get(igw_id).ok_or_else(|| Ec2Error::InternetGatewayNotFound(igw_id.to_string()))
    }

    /// DescribeNatGateways for one ID.
    pub fn nat_gateway(&self, nat_id: &str) -> Result<&NatGateway, Ec2Error> {
        self.nat_gateways.get(nat_id).ok_or_else(|| Ec2Error::NatGatewayNotFound(nat_id.to_string()))
    }

    /// DescribeAddresses for one allocation ID.
    pub fn address(&self, allocation_id: &str) -> Result<&Address, Ec2Error> {
        self.addresses.get(allocation_id).ok_or_else(|| Ec2Error::AllocationNotFound(allocation_id.to_string()))
    }

    /// DescribeNetworkAcls for one ID.
    pub fn network_acl(&self, acl_id: &str) -> Result<&NetworkAcl, Ec2Error> {
        self.network_acls.get(acl_id).ok_or_else(|| Ec2Error::NetworkAclNotFound(acl_id.to_string()))
    }

    /// DescribeNetworkInterfaces for one ID.
    pub fn network_interface(&self, eni_id: &str) -> Result<&NetworkInterface, Ec2Error> {
        self.network_interfaces.get(eni_id).ok_or_else(|| Ec2Error::NetworkInterfaceNotFound(eni_id.to_string()))
    }

    /// DescribeInstances for one ID.
    pub fn instance(&self, instance_id: &str) -> Result<&Instance, Ec2Error> {
        self.instances.get(instance_id).ok_or_else(|| Ec2Error::InstanceNotFound(instance_id.to_string()))
    }

    /// The account's default VPC, if it has one.
    pub fn default_vpc(&self) -> Option<&Vpc> {
        self.vpcs.values().find(|v| v.is_default)
    }

    /// A VPC's default security group (named `default`).
    pub fn default_security_group(&self, vpc_id: &str) -> Result<&SecurityGroup, Ec2Error> {
        self.vpc(vpc_id)?;
        // Every VPC has one; an imported account may lack it, which reads as "not found".
        self.security_group_by_name(vpc_id, "default").ok_or_else(|| Ec2Error::GroupNotFound("default".to_string()))
    }

    /// A VPC's default network ACL.
    pub fn default_network_acl(&self, vpc_id: &str) -> Result<&NetworkAcl, Ec2Error> {
        self.vpc(vpc_id)?;
        self.network_acls
            .values()
            .find(|a| a.vpc_id == vpc_id && a.is_default)
            .ok_or_else(|| Ec2Error::NetworkAclNotFound(format!("default ACL of {vpc_id}")))
    }

    /// A VPC's main route table.
    // AWS doc: "Configure route tables" — subnets without an explicit association use the main route table.
    pub fn main_route_table(&self, vpc_id: &str) -> Result<&RouteTable, Ec2Error> {
        self.vpc(vpc_id)?;
        self.route_tables
            .values()
            .find(|t| t.vpc_id == vpc_id && t.is_main())
            .ok_or_else(|| Ec2Error::RouteTableNotFound(format!("main route table of {vpc_id}")))
    }

    /// The route table a subnet uses: its explicit association, else the VPC's main table.
    pub fn route_table_for_subnet(&self, subnet_id: &str) -> Result<&RouteTable, Ec2Error> {
        let subnet = self.subnet(subnet_id)?;
        let explicit = self
            .route_tables
            .values()
            .find(|t| t.associations.iter().any(|a| a.subnet_id.as_deref() == Some(subnet_id)));
        match explicit {
            Some(t) => Ok(t),
            None => self.main_route_table(&subnet.vpc_id),
        }
    }

    /// The network ACL a subnet uses (each subnet has exactly one).
    pub fn network_acl_for_subnet(&self, subnet_id: &str) -> Result<&NetworkAcl, Ec2Error> {
        let subnet = self.subnet(subnet_id)?;
        let explicit = self.network_acls.values().find(|a| a.associations.iter().any(|s| s.subnet_id == subnet_id));
        match explicit {
            Some(a) => Ok(a),
            // An imported account may omit the association; the VPC's default ACL then applies.
            None => self.default_network_acl(&subnet.vpc_id),
        }
    }

    /// The internet gateway attached to a VPC, if any.
    pub fn internet_gateway_for_vpc(&self, vpc_id: &str) -> Option<&InternetGateway> {
        self.internet_gateways.values().find(|g| g.vpc_id() == Some(vpc_id))
    }

    /// True when the subnet's route table sends 0.0.0.0/0 to an internet gateway.
    // AWS doc: "Subnets for your VPC" — a public subnet has a direct route to an internet gateway.
    pub fn is_public_subnet(&self, subnet_id: &str) -> Result<bool, Ec2Error> {
        let table = self.route_table_for_subnet(subnet_id)?;
        Ok(table.routes.iter().any(|r| {
            r.destination_cidr_block.is_some_and(|c| c.prefix() == 0)
                && matches!(r.target, RouteTarget::InternetGateway(_))
        }))
    }

    /// The subnets of a VPC, in ID order.
    pub fn subnets_of_vpc(&self, vpc_id: &str) -> Vec<&Subnet> {
        self.subnets.values().filter(|s| s.vpc_id == vpc_id).collect()
    }
}

#[cfg(test)]
mod tests;
