//! CreateVpc and CreateSubnet.

use crate::account::Account;
use crate::cidr::Ipv4Cidr;
use crate::error::Ec2Error;
use crate::ids::{self, prefix};
use crate::model::*;

/// Addresses AWS reserves in every subnet: network, +1 router, +2 DNS, +3, broadcast.
// AWS doc: "Subnet CIDR blocks" — the first four and the last address are reserved.
pub const RESERVED_PER_SUBNET: u64 = 5;

/// CreateVpc's check of the block: /16 to /28.
// AWS doc: "VPC CIDR blocks".
pub(crate) fn check_vpc_block(cidr_block: &str) -> Result<Ipv4Cidr, Ec2Error> {
    // Inferred: CreateVpc rejects bad blocks with InvalidVpc.Range and the subnet-style text.
    let cidr = Ipv4Cidr::parse(cidr_block).map_err(|_| Ec2Error::VpcRange(cidr_block.to_string()))?;
    if !(16..=28).contains(&cidr.prefix()) {
        return Err(Ec2Error::VpcRange(cidr_block.to_string()));
    }
    Ok(cidr)
}

impl Account {
    /// CreateVpc: a VPC with its main route table (local route), default
    /// network ACL (allow all) and default security group.
    // AWS doc: "VPC CIDR blocks" — the block size is /16 to /28.
    pub fn create_vpc(&mut self, cidr_block: &str) -> Result<Vpc, Ec2Error> {
        let cidr = check_vpc_block(cidr_block)?;
        let vpc_id = self.new_id(prefix::VPC);
        let vpc = Vpc {
            vpc_id: vpc_id.clone(),
            cidr_block: cidr,
            is_default: false,
            state: "available".into(),
            owner_id: self.account_id.clone(),
            enable_dns_support: true,
            // AWS doc: "DNS attributes for your VPC" — off for non-default VPCs, on for the default VPC.
            enable_dns_hostnames: false,
            tags: Tags::new(),
        };
        self.vpcs.insert(vpc_id.clone(), vpc.clone());
        self.add_vpc_defaults(&vpc_id, cidr);
        Ok(vpc)
    }

    /// CreateSubnet: checks the VPC, the block (inside the VPC, /16 to /28,
    /// no overlap with another subnet) and the zone; associates the VPC's
    /// default network ACL. With no zone, the first of the region's is used
    /// (AWS picks one; which is not documented).
    // AWS doc: "Subnet CIDR blocks"
    pub fn create_subnet(
        &mut self,
        vpc_id: &str,
        cidr_block: &str,
        availability_zone: Option<&str>,
    ) -> Result<Subnet, Ec2Error> {
        let cidr = self.check_subnet_block(vpc_id, cidr_block)?;
        let zone = self.check_subnet_zone(availability_zone)?;
        let subnet_id = self.new_id(prefix::SUBNET);
        let subnet = Subnet {
            subnet_arn: ids::subnet_arn(&self.region, &self.account_id, &subnet_id),
            subnet_id: subnet_id.clone(),
            vpc_id: vpc_id.to_string(),
            cidr_block: cidr,
            availability_zone_id: self.zone_id(&zone),
            availability_zone: zone,
            available_ip_address_count: cidr.size().saturating_sub(RESERVED_PER_SUBNET),
            default_for_az: false,
            map_public_ip_on_launch: false,
            state: "available".into(),
            owner_id: self.account_id.clone(),
            tags: Tags::new(),
        };
        self.subnets.insert(subnet_id.clone(), subnet.clone());
        // A new subnet is associated with the VPC's default network ACL.
        let acl_id =
            self.network_acls.values().find(|a| a.vpc_id == vpc_id && a.is_default).map(|a| a.network_acl_id.clone());
        if let Some(acl_id) = acl_id {
            let assoc_id = self.new_id(prefix::NETWORK_ACL_ASSOCIATION);
            if let Some(acl) = self.network_acls.get_mut(&acl_id) {
                acl.associations
                    .push(NetworkAclAssociation { network_acl_association_id: assoc_id, subnet_id: subnet_id.clone() });
            }
        }
        Ok(subnet)
    }

    /// CreateSubnet's check of the block: the VPC exists, the block is /16 to
    /// /28 inside it and overlaps no other subnet of it.
    pub(crate) fn check_subnet_block(&self, vpc_id: &str, cidr_block: &str) -> Result<Ipv4Cidr, Ec2Error> {
        let vpc = self.vpc(vpc_id)?;
        // Brief/facts: malformed blocks get the InvalidSubnet.Range text too.
        let cidr = Ipv4Cidr::parse(cidr_block).map_err(|_| Ec2Error::SubnetRange(cidr_block.to_string()))?;
        if !(16..=28).contains(&cidr.prefix()) || !vpc.cidr_block.contains(&cidr) {
            return Err(Ec2Error::SubnetRange(cidr_block.to_string()));
        }
        if self.subnets.values().any(|s| s.vpc_id == vpc_id && s.cidr_block.overlaps(&cidr)) {
            return Err(Ec2Error::SubnetConflict(cidr_block.to_string()));
        }
        Ok(cidr)
    }

    /// CreateSubnet's zone: one of the region's, the first when none is given
    /// (AWS picks one; which is not documented).
    pub(crate) fn check_subnet_zone(&self, availability_zone: Option<&str>) -> Result<String, Ec2Error> {
        match availability_zone {
            Some(z) => {
                if !self.availability_zones.is_empty() && self.zone_id(z).is_none() {
                    // Inferred text: the facts give none for an unknown zone.
                    return Err(Ec2Error::InvalidParameterValue(format!(
                        "Value ({z}) for parameter availabilityZone is invalid. Subnet can't be created in the availability zone '{z}'"
                    )));
                }
                Ok(z.to_string())
            }
            None => Ok(self
                .availability_zones
                .first()
                .map(|z| z.zone_name.clone())
                .unwrap_or_else(|| format!("{}a", self.region))),
        }
    }

    /// The private addresses in use in a subnet (by interfaces), sorted.
    pub fn used_addresses(&self, subnet_id: &str) -> Vec<std::net::Ipv4Addr> {
        let mut used: Vec<_> = self.interfaces_in(subnet_id).map(|n| n.private_ip_address).collect();
        used.sort();
        used
    }

    /// The interfaces of one subnet.
    fn interfaces_in<'a>(&'a self, subnet_id: &'a str) -> impl Iterator<Item = &'a NetworkInterface> + 'a {
        self.network_interfaces.values().filter(move |n| n.subnet_id == subnet_id)
    }

    /// True when an interface of the subnet holds `ip`.
    pub fn address_in_use(&self, subnet_id: &str, ip: std::net::Ipv4Addr) -> bool {
        self.interfaces_in(subnet_id).any(|n| n.private_ip_address == ip)
    }

    /// The lowest free private address of a subnet, skipping the 5 reserved ones.
    ///
    /// One pass over the interfaces marks the used offsets in a bitmap (one
    /// bit per address of the block), then the first clear bit is the
    /// answer: linear in the interfaces, with no sorting, so filling a /20
    /// stays quick (see `benches/addresses.rs`).
    pub fn next_free_address(&self, subnet_id: &str) -> Result<Option<std::net::Ipv4Addr>, Ec2Error> {
        let cidr = self.subnet(subnet_id)?.cidr_block;
        let size = cidr.size();
        let mut bitmap = vec![0u64; size.div_ceil(64) as usize];
        let mut mark = |offset: u64| {
            if let Some(word) = bitmap.get_mut((offset / 64) as usize) {
                *word |= 1 << (offset % 64);
            }
        };
        // AWS doc: "Subnet CIDR blocks" — offsets 0..=3 and the last address are reserved.
        (0..4.min(size)).for_each(&mut mark);
        mark(size.saturating_sub(1));
        for n in self.interfaces_in(subnet_id) {
            if let Some(offset) = cidr.offset_of(n.private_ip_address) {
                mark(offset);
            }
        }
        let free = bitmap
            .iter()
            .enumerate()
            .find(|(_, w)| **w != u64::MAX)
            .map(|(i, w)| i as u64 * 64 + u64::from(w.trailing_ones()));
        Ok(free.filter(|o| *o < size).and_then(|o| cidr.nth(o)))
    }

    /// Recomputes a subnet's AvailableIpAddressCount from the interfaces in it.
    pub fn refresh_available_count(&mut self, subnet_id: &str) {
        let used = self.interfaces_in(subnet_id).count() as u64;
        if let Some(s) = self.subnets.get_mut(subnet_id) {
            s.available_ip_address_count = s.cidr_block.size().saturating_sub(RESERVED_PER_SUBNET).saturating_sub(used);
        }
    }

    /// ModifySubnetAttribute MapPublicIpOnLaunch.
    pub fn set_map_public_ip_on_launch(&mut self, subnet_id: &str, on: bool) -> Result<(), Ec2Error> {
        self.subnet(subnet_id)?;
        if let Some(s) = self.subnets.get_mut(subnet_id) {
            s.map_public_ip_on_launch = on;
        }
        Ok(())
    }

    /// Gives every VPC what AWS always gives one and an imported or declared
    /// account may leave out: a main route table, a default network ACL (which
    /// also takes every subnet without an ACL) and a default security group.
    pub fn ensure_vpc_defaults(&mut self) {
        let vpcs: Vec<(String, Ipv4Cidr)> = self.vpcs.values().map(|v| (v.vpc_id.clone(), v.cidr_block)).collect();
        for (vpc_id, cidr) in vpcs {
            self.add_vpc_defaults(&vpc_id, cidr);
        }
    }

    /// The main route table, default network ACL (taking every subnet that
    /// has no ACL) and default security group of one VPC, each only if missing.
    /// CreateVpc and `ensure_vpc_defaults` share it, so a VPC is completed one way.
    fn add_vpc_defaults(&mut self, vpc_id: &str, cidr: Ipv4Cidr) {
        if !self.route_tables.values().any(|t| t.vpc_id == vpc_id && t.is_main()) {
            let rtb_id = self.new_id(prefix::ROUTE_TABLE);
            let assoc_id = self.new_id(prefix::ROUTE_TABLE_ASSOCIATION);
            let mut main = self.new_route_table_value(vpc_id, &rtb_id, cidr);
            main.associations.push(RouteTableAssociation {
                route_table_association_id: assoc_id,
                subnet_id: None,
                main: true,
            });
            self.route_tables.insert(rtb_id, main);
        }
        let default_acl = match self.network_acls.values().find(|a| a.vpc_id == vpc_id && a.is_default) {
            Some(acl) => acl.network_acl_id.clone(),
            None => {
                let acl_id = self.new_id(prefix::NETWORK_ACL);
                let acl = NetworkAcl {
                    network_acl_id: acl_id.clone(),
                    vpc_id: vpc_id.to_string(),
                    is_default: true,
                    entries: crate::ec2::acl::default_acl_entries(),
                    associations: Vec::new(),
                    owner_id: self.account_id.clone(),
                    tags: Tags::new(),
                };
                self.network_acls.insert(acl_id.clone(), acl);
                acl_id
            }
        };
        let orphans: Vec<String> = self
            .subnets
            .values()
            .filter(|s| {
                s.vpc_id == vpc_id
                    && !self.network_acls.values().any(|a| a.associations.iter().any(|x| x.subnet_id == s.subnet_id))
            })
            .map(|s| s.subnet_id.clone())
            .collect();
        for subnet_id in orphans {
            let assoc_id = self.new_id(prefix::NETWORK_ACL_ASSOCIATION);
            if let Some(acl) = self.network_acls.get_mut(&default_acl) {
                acl.associations.push(NetworkAclAssociation { network_acl_association_id: assoc_id, subnet_id });
            }
        }
        if self.security_group_by_name(vpc_id, "default").is_none() {
            let sg_id = self.new_id(prefix::SECURITY_GROUP);
            self.security_groups.insert(sg_id.clone(), default_security_group(&sg_id, vpc_id, &self.account_id));
        }
    }

    /// A route table value with only the local route (not inserted).
    pub(crate) fn new_route_table_value(&self, vpc_id: &str, rtb_id: &str, vpc_cidr: Ipv4Cidr) -> RouteTable {
        RouteTable {
            route_table_id: rtb_id.to_string(),
            vpc_id: vpc_id.to_string(),
            routes: vec![Route {
                destination_cidr_block: Some(vpc_cidr),
                destination_ipv6_cidr_block: None,
                destination_prefix_list_id: None,
                target: RouteTarget::Local,
                origin: "CreateRouteTable".into(),
                state: "active".into(),
                template_origin: Origin::none(),
            }],
            associations: Vec::new(),
            owner_id: self.account_id.clone(),
            tags: Tags::new(),
        }
    }
}

/// A VPC's default security group.
// AWS doc: "Default security groups for your VPCs" — inbound from the group itself, all outbound.
fn default_security_group(sg_id: &str, vpc_id: &str, owner: &str) -> SecurityGroup {
    SecurityGroup {
        group_id: sg_id.to_string(),
        group_name: "default".into(),
        description: "default VPC security group".into(),
        vpc_id: vpc_id.to_string(),
        owner_id: owner.to_string(),
        ingress: vec![SecurityGroupRule {
            ip_protocol: "-1".into(),
            from_port: None,
            to_port: None,
            peer: Peer::SecurityGroup(sg_id.to_string()),
            description: None,
            origin: Origin::none(),
        }],
        egress: vec![SecurityGroupRule::all_to_cidr(Ipv4Cidr::any())],
        tags: Tags::new(),
    }
}
