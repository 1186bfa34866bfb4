//! Deleting VPCs, subnets, route tables and routes, internet gateways,
//! Elastic IPs and NAT gateways, with EC2's DependencyViolation checks.
//!
//! AWS doc: "Delete your VPC" (what must go first), "Delete a subnet",
//! "Delete a route table", "Detach an internet gateway", "Release an
//! Elastic IP address" and "Delete a NAT gateway" (deleting → deleted; the
//! entry stays listed for about an hour).

use crate::account::Account;
use crate::error::Ec2Error;
use crate::model::*;

/// How long a NAT gateway stays `deleting`; tasknet's choice (AWS says it can take a few minutes).
pub const NAT_DELETE_MS: u64 = 60_000;
/// How long a deleted NAT gateway stays listed. AWS doc "Delete a NAT
/// gateway": its entry remains visible "usually an hour".
pub const NAT_DELETED_LISTED_MS: u64 = 60 * 60 * 1000;

/// `DependencyViolation` in the `The KIND 'ID' has dependencies and cannot be
/// deleted.` form (seen for vpc, subnet, routeTable and internetGateway).
fn has_dependencies(kind: &str, id: &str) -> Ec2Error {
    Ec2Error::DependencyViolation(format!("The {kind} '{id}' has dependencies and cannot be deleted."))
}

impl Account {
    /// DeleteVpc: refused while it has subnets, an attached internet
    /// gateway, non-main route tables, non-default security groups or
    /// network ACLs; its main route table, default ACL and default security
    /// group go with it.
    pub fn delete_vpc(&mut self, vpc_id: &str) -> Result<(), Ec2Error> {
        self.vpc(vpc_id)?;
        let blocked = self.subnets.values().any(|s| s.vpc_id == vpc_id)
            || self.internet_gateway_for_vpc(vpc_id).is_some()
            || self.route_tables.values().any(|t| t.vpc_id == vpc_id && !t.is_main())
            || self.security_groups.values().any(|g| g.vpc_id == vpc_id && g.group_name != "default")
            || self.network_acls.values().any(|a| a.vpc_id == vpc_id && !a.is_default)
            || self.network_interfaces.values().any(|n| n.vpc_id == vpc_id)
            || self.vpc_endpoints.values().any(|e| e.vpc_id == vpc_id)
            || self
                .nat_gateways
                .values()
                .any(|n| n.vpc_id == vpc_id && !matches!(n.state, NatGatewayState::Deleted | NatGatewayState::Failed));
        if blocked {
            // Seen text.
            return Err(has_dependencies("vpc", vpc_id));
        }
        self.route_tables.retain(|_, t| t.vpc_id != vpc_id);
        self.network_acls.retain(|_, a| a.vpc_id != vpc_id);
        self.security_groups.retain(|_, g| g.vpc_id != vpc_id);
        self.vpcs.remove(vpc_id);
        Ok(())
    }

    /// DeleteSubnet: refused while interfaces (of instances, tasks, load
    /// balancers, NAT gateways, databases) remain in it; its route table and
    /// network ACL associations go with it.
    pub fn delete_subnet(&mut self, subnet_id: &str) -> Result<(), Ec2Error> {
        self.subnet(subnet_id)?;
        if self.network_interfaces.values().any(|n| n.subnet_id == subnet_id) {
            // Seen text.
            return Err(has_dependencies("subnet", subnet_id));
        }
        for t in self.route_tables.values_mut() {
            t.associations.retain(|a| a.subnet_id.as_deref() != Some(subnet_id));
        }
        for a in self.network_acls.values_mut() {
            a.associations.retain(|s| s.subnet_id != subnet_id);
        }
        self.subnets.remove(subnet_id);
        Ok(())
    }

    /// DeleteRouteTable: the main table and tables with subnet associations
    /// are refused (seen text for both), and so is a table a gateway
    /// endpoint routes through (the same text, inferred).
    pub fn delete_route_table(&mut self, route_table_id: &str) -> Result<(), Ec2Error> {
        let table = self.route_table(route_table_id)?;
        let endpoint_route = table.routes.iter().any(|r| matches!(r.target, RouteTarget::VpcEndpoint(_)));
        if !table.associations.is_empty() || endpoint_route {
            return Err(has_dependencies("routeTable", route_table_id));
        }
        self.route_tables.remove(route_table_id);
        Ok(())
    }

    /// DeleteRoute of an IPv4 destination; the local route cannot go.
    pub fn delete_route(&mut self, route_table_id: &str, destination: &str) -> Result<(), Ec2Error> {
        let table = self.route_table(route_table_id)?;
        let dest = crate::cidr::Ipv4Cidr::parse(destination).ok();
        let Some(pos) =
            table.routes.iter().position(|r| r.destination_cidr_block.is_some() && r.destination_cidr_block == dest)
        else {
            // Inferred text.
            return Err(Ec2Error::RouteNotFound(format!(
                "no route with destination-cidr-block {destination} in route table {route_table_id}"
            )));
        };
        if table.routes[pos].target == RouteTarget::Local {
            // Inferred text.
            return Err(Ec2Error::InvalidParameterValue(format!(
                "cannot remove local route {destination} in route table {route_table_id}"
            )));
        }
        if let Some(t) = self.route_tables.get_mut(route_table_id) {
            t.routes.remove(pos);
        }
        Ok(())
    }

    /// DisassociateRouteTable: the subnet falls back to the main table; the
    /// main association itself cannot be removed.
    pub fn disassociate_route_table(&mut self, association_id: &str) -> Result<(), Ec2Error> {
        let (table_id, main) = self
            .route_tables
            .values()
            .find_map(|t| {
                t.associations
                    .iter()
                    .find(|a| a.route_table_association_id == association_id)
                    .map(|a| (t.route_table_id.clone(), a.main))
            })
            .ok_or_else(|| Ec2Error::AssociationNotFound(association_id.to_string()))?;
        if main {
            // Inferred text.
            return Err(Ec2Error::InvalidParameterValue(format!(
                "cannot disassociate the main route table association {association_id}"
            )));
        }
        if let Some(t) = self.route_tables.get_mut(&table_id) {
            t.associations.retain(|a| a.route_table_association_id != association_id);
        }
        Ok(())
    }

    /// DetachInternetGateway: refused while any interface of the VPC has a
    /// public or Elastic IP mapped through it.
    pub fn detach_internet_gateway(&mut self, igw_id: &str, vpc_id: &str) -> Result<(), Ec2Error> {
        if self.internet_gateway(igw_id)?.vpc_id() != Some(vpc_id) {
            self.vpc(vpc_id)?;
            // Inferred text.
            return Err(Ec2Error::GatewayNotAttached(format!("resource {igw_id} is not attached to network {vpc_id}")));
        }
        if self.network_interfaces.values().any(|n| n.vpc_id == vpc_id && n.association.is_some()) {
            // Seen text.
            return Err(Ec2Error::DependencyViolation(format!(
                "Network {vpc_id} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway."
            )));
        }
        if let Some(g) = self.internet_gateways.get_mut(igw_id) {
            g.attachments.clear();
        }
        Ok(())
    }

    /// DeleteInternetGateway: it must be detached first (seen text).
    pub fn delete_internet_gateway(&mut self, igw_id: &str) -> Result<(), Ec2Error> {
        if self.internet_gateway(igw_id)?.vpc_id().is_some() {
            return Err(has_dependencies("internetGateway", igw_id));
        }
        self.internet_gateways.remove(igw_id);
        Ok(())
    }

    /// DisassociateAddress: the Elastic IP leaves its interface.
    pub fn disassociate_address(&mut self, association_id: &str) -> Result<(), Ec2Error> {
        let (alloc, eni) = self
            .addresses
            .values()
            .find(|a| a.association_id.as_deref() == Some(association_id))
            .map(|a| (a.allocation_id.clone(), a.network_interface_id.clone()))
            .ok_or_else(|| Ec2Error::AssociationNotFound(association_id.to_string()))?;
        if let Some(a) = self.addresses.get_mut(&alloc) {
            a.association_id = None;
            a.network_interface_id = None;
            a.private_ip_address = None;
            a.instance_id = None;
        }
        if let Some(n) = eni.and_then(|e| self.network_interfaces.get_mut(&e)) {
            if n.association.as_ref().is_some_and(|x| x.association_id.as_deref() == Some(association_id)) {
                n.association = None;
            }
        }
        Ok(())
    }

    /// ReleaseAddress: refused while the address is associated.
    pub fn release_address(&mut self, allocation_id: &str) -> Result<(), Ec2Error> {
        let a = self.address(allocation_id)?;
        if a.association_id.is_some() {
            return Err(Ec2Error::ElasticIpInUse(a.public_ip.to_string()));
        }
        self.addresses.remove(allocation_id);
        Ok(())
    }

    /// DeleteNatGateway: the gateway goes `deleting` now and `deleted` on
    /// the clock ([`Account::complete_nat_gateway_deletion`]), when its
    /// interface is deleted and its Elastic IP disassociated. A failed
    /// gateway has nothing to release and is deleted at once.
    pub fn delete_nat_gateway(&mut self, nat_id: &str) -> Result<NatGateway, Ec2Error> {
        self.nat_gateway(nat_id)?;
        let now = self.clock_ms;
        let nat = self.nat_gateways.get_mut(nat_id).ok_or_else(|| Ec2Error::NatGatewayNotFound(nat_id.to_string()))?;
        match nat.state {
            NatGatewayState::Deleting | NatGatewayState::Deleted => {}
            NatGatewayState::Failed => {
                nat.state = NatGatewayState::Deleted;
                nat.delete_time = Some(now);
            }
            NatGatewayState::Pending | NatGatewayState::Available => {
                nat.state = NatGatewayState::Deleting;
                nat.delete_time = Some(now + NAT_DELETE_MS);
            }
        }
        Ok(nat.clone())
    }

    /// deleting → deleted: the gateway's interfaces go (which disassociates
    /// their Elastic IPs and returns their addresses).
    pub fn complete_nat_gateway_deletion(&mut self, nat_id: &str) -> Result<(), Ec2Error> {
        let nat = self.nat_gateway(nat_id)?.clone();
        if nat.state != NatGatewayState::Deleting {
            return Ok(());
        }
        for eni in nat.nat_gateway_addresses.iter().filter_map(|a| a.network_interface_id.as_deref()) {
            if self.network_interfaces.contains_key(eni) {
                if let Some(n) = self.network_interfaces.get_mut(eni) {
                    n.attachment = None;
                }
                self.delete_network_interface(eni)?;
            }
        }
        if let Some(n) = self.nat_gateways.get_mut(nat_id) {
            n.state = NatGatewayState::Deleted;
        }
        Ok(())
    }

    /// The NAT gateways whose state is due to change at or before `now`.
    pub fn nat_gateways_due(&self, now: u64) -> Vec<String> {
        self.nat_gateways
            .values()
            .filter(|n| nat_due_at(n).is_some_and(|t| t <= now))
            .map(|n| n.nat_gateway_id.clone())
            .collect()
    }

    /// When the next NAT gateway changes state.
    pub fn next_nat_gateway_change(&self) -> Option<u64> {
        self.nat_gateways.values().filter_map(nat_due_at).min()
    }

    /// Moves one due NAT gateway on: deleting → deleted, or a long-deleted one out of the listing.
    pub fn advance_nat_gateway(&mut self, nat_id: &str) -> Result<(), Ec2Error> {
        match self.nat_gateway(nat_id)?.state {
            NatGatewayState::Deleting => self.complete_nat_gateway_deletion(nat_id),
            NatGatewayState::Deleted => {
                self.nat_gateways.remove(nat_id);
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// When a NAT gateway's state next changes.
fn nat_due_at(n: &NatGateway) -> Option<u64> {
    match n.state {
        NatGatewayState::Deleting => n.delete_time,
        NatGatewayState::Deleted => n.delete_time.map(|t| t + NAT_DELETED_LISTED_MS),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
