//! Route tables, routes, internet gateways, Elastic IPs and NAT gateways.

use crate::account::Account;
use crate::cidr::Ipv4Cidr;
use crate::ec2::CreateNetworkInterface;
use crate::error::Ec2Error;
use crate::ids::prefix;
use crate::model::*;
use std::net::Ipv4Addr;

/// The documentation ranges (RFC 5737) emulated public addresses come from,
/// so they can never be mistaken for, or route to, real hosts.
const PUBLIC_RANGES: [[u8; 3]; 3] = [[192, 0, 2], [198, 51, 100], [203, 0, 113]];

/// Addresses the emulated internet's own hosts and AWS's service endpoints
/// use (`endpoints::SERVICES_BLOCK`, the internet's `.10`/`.20`/`.53`/`.100`
/// hosts), which a public IP must never shadow.
fn reserved_on_the_internet(ip: Ipv4Addr) -> bool {
    let [a, b, c, d] = ip.octets();
    crate::endpoints::SERVICES_BLOCK.contains_addr(ip)
        || ([a, b, c] == [203, 0, 113] && [10, 20].contains(&d))
        || ([a, b, c] == [198, 51, 100] && [10, 53, 100].contains(&d))
}

impl Account {
    /// CreateRouteTable: a new table with the VPC's local route.
    pub fn create_route_table(&mut self, vpc_id: &str) -> Result<RouteTable, Ec2Error> {
        let cidr = self.vpc(vpc_id)?.cidr_block;
        let rtb_id = self.new_id(prefix::ROUTE_TABLE);
        let table = self.new_route_table_value(vpc_id, &rtb_id, cidr);
        self.route_tables.insert(rtb_id, table.clone());
        Ok(table)
    }

    /// CreateRoute: one IPv4 route to a gateway, NAT gateway, interface or instance.
    // AWS doc: "Route table concepts" and the CreateRoute API reference.
    pub fn create_route(
        &mut self,
        route_table_id: &str,
        destination: &str,
        target: RouteTarget,
    ) -> Result<(), Ec2Error> {
        self.create_declared_route(route_table_id, destination, target, Origin::none())
    }

    /// CreateRoute for a route a template declared, remembering where.
    pub fn create_declared_route(
        &mut self,
        route_table_id: &str,
        destination: &str,
        target: RouteTarget,
        declared: Origin,
    ) -> Result<(), Ec2Error> {
        let table = self.route_table(route_table_id)?;
        let vpc_id = table.vpc_id.clone();
        // Inferred: a malformed destination gets EC2's generic parameter text.
        let dest = Ipv4Cidr::parse(destination).map_err(|_| {
            Ec2Error::InvalidParameterValue(format!(
                "Value ({destination}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block."
            ))
        })?;
        // Seen: the same text for an existing route and for the VPC's local block.
        if table.routes.iter().any(|r| r.destination_cidr_block == Some(dest)) {
            return Err(Ec2Error::RouteAlreadyExists(dest.to_string()));
        }
        self.check_route_target(route_table_id, &vpc_id, &target)?;
        let route = Route {
            destination_cidr_block: Some(dest),
            destination_ipv6_cidr_block: None,
            destination_prefix_list_id: None,
            target,
            origin: "CreateRoute".into(),
            state: "active".into(),
            template_origin: declared,
        };
        if let Some(t) = self.route_tables.get_mut(route_table_id) {
            t.routes.push(route);
        }
        Ok(())
    }

    /// The target must exist and be in the table's VPC.
    pub(crate) fn check_route_target(
        &self,
        route_table_id: &str,
        vpc_id: &str,
        target: &RouteTarget,
    ) -> Result<(), Ec2Error> {
        match target {
            RouteTarget::Local => {
                Err(Ec2Error::InvalidParameterValue("Cannot create a route with a local target".into()))
            } // inferred text
            RouteTarget::InternetGateway(id) => {
                let igw = self.internet_gateway(id)?;
                // Seen text. An unattached gateway belongs to no network, so it gets the same text (inferred).
                if igw.vpc_id() != Some(vpc_id) {
                    return Err(Ec2Error::different_networks_gateway(route_table_id, id));
                }
                Ok(())
            }
            RouteTarget::NatGateway(id) => {
                // Inferred: the facts give this text only for internet gateways.
                if self.nat_gateway(id)?.vpc_id != vpc_id {
                    return Err(Ec2Error::different_networks_gateway(route_table_id, id));
                }
                Ok(())
            }
            RouteTarget::NetworkInterface(id) => {
                // Inferred text, patterned on the gateway one.
                if self.network_interface(id)?.vpc_id != vpc_id {
                    return Err(Ec2Error::InvalidParameterValue(format!(
                        "route table {route_table_id} and interface {id} belong to different networks"
                    )));
                }
                Ok(())
            }
            RouteTarget::Instance(id) => {
                // Inferred text, patterned on the gateway one.
                if self.instance(id)?.vpc_id != vpc_id {
                    return Err(Ec2Error::InvalidParameterValue(format!(
                        "route table {route_table_id} and instance {id} belong to different networks"
                    )));
                }
                Ok(())
            }
            RouteTarget::VpcEndpoint(id) => {
                // Inferred text, patterned on the gateway one.
                if self.vpc_endpoint(id)?.vpc_id != vpc_id {
                    return Err(Ec2Error::different_networks_gateway(route_table_id, id));
                }
                Ok(())
            }
            // Peering and transit gateways have no model here: accepted as given.
            RouteTarget::VpcPeeringConnection(_) | RouteTarget::TransitGateway(_) | RouteTarget::OtherGateway(_) => {
                Ok(())
            }
        }
    }

    /// AssociateRouteTable: an explicit association of a subnet; returns `rtbassoc-…`.
    pub fn associate_route_table(&mut self, route_table_id: &str, subnet_id: &str) -> Result<String, Ec2Error> {
        let table_vpc = self.route_table(route_table_id)?.vpc_id.clone();
        let subnet_vpc = self.subnet(subnet_id)?.vpc_id.clone();
        if table_vpc != subnet_vpc {
            // Inferred text, patterned on the gateway one.
            return Err(Ec2Error::InvalidParameterValue(format!(
                "Route table {route_table_id} and subnet {subnet_id} belong to different networks"
            )));
        }
        if self.route_tables.values().any(|t| t.associations.iter().any(|a| a.subnet_id.as_deref() == Some(subnet_id)))
        {
            // Inferred text.
            return Err(Ec2Error::AlreadyAssociated(format!(
                "the specified association for route table {route_table_id} conflicts with an existing association"
            )));
        }
        let assoc_id = self.new_id(prefix::ROUTE_TABLE_ASSOCIATION);
        if let Some(t) = self.route_tables.get_mut(route_table_id) {
            t.associations.push(RouteTableAssociation {
                route_table_association_id: assoc_id.clone(),
                subnet_id: Some(subnet_id.to_string()),
                main: false,
            });
        }
        Ok(assoc_id)
    }

    /// CreateInternetGateway: a detached gateway.
    pub fn create_internet_gateway(&mut self) -> InternetGateway {
        let id = self.new_id(prefix::INTERNET_GATEWAY);
        let igw = InternetGateway {
            internet_gateway_id: id.clone(),
            attachments: Vec::new(),
            owner_id: self.account_id.clone(),
            tags: Tags::new(),
        };
        self.internet_gateways.insert(id, igw.clone());
        igw
    }

    /// AttachInternetGateway: one gateway per VPC, one VPC per gateway.
    pub fn attach_internet_gateway(&mut self, igw_id: &str, vpc_id: &str) -> Result<(), Ec2Error> {
        let igw = self.internet_gateway(igw_id)?;
        self.vpc(vpc_id)?;
        if let Some(attached) = igw.vpc_id() {
            // Inferred text.
            return Err(Ec2Error::AlreadyAssociated(format!(
                "resource {igw_id} is already attached to network {attached}"
            )));
        }
        if let Some(other) = self.internet_gateway_for_vpc(vpc_id) {
            // Inferred text.
            return Err(Ec2Error::AlreadyAssociated(format!(
                "Network {vpc_id} already has an internet gateway attached ({})",
                other.internet_gateway_id
            )));
        }
        if let Some(g) = self.internet_gateways.get_mut(igw_id) {
            g.attachments.push(InternetGatewayAttachment { vpc_id: vpc_id.to_string(), state: "available".into() });
        }
        Ok(())
    }

    /// The lowest public address not yet used by an Elastic IP or interface.
    pub fn allocate_public_ip(&self) -> Result<Ipv4Addr, Ec2Error> {
        let used = |ip: Ipv4Addr| {
            self.addresses.values().any(|a| a.public_ip == ip)
                || self.network_interfaces.values().any(|n| n.association.as_ref().is_some_and(|a| a.public_ip == ip))
        };
        PUBLIC_RANGES
            .iter()
            .flat_map(|[a, b, c]| (1..=254u8).map(move |d| Ipv4Addr::new(*a, *b, *c, d)))
            .find(|ip| !used(*ip) && !reserved_on_the_internet(*ip))
            .ok_or(Ec2Error::AddressLimitExceeded)
    }

    /// AllocateAddress: a VPC Elastic IP from the documentation ranges.
    pub fn allocate_address(&mut self) -> Result<Address, Ec2Error> {
        let public_ip = self.allocate_public_ip()?;
        let id = self.new_id(prefix::EIP_ALLOCATION);
        let address = Address {
            allocation_id: id.clone(),
            public_ip,
            domain: "vpc".into(),
            association_id: None,
            network_interface_id: None,
            private_ip_address: None,
            instance_id: None,
            tags: Tags::new(),
        };
        self.addresses.insert(id, address.clone());
        Ok(address)
    }

    /// AssociateAddress with an interface; returns `eipassoc-…`.
    pub fn associate_address(&mut self, allocation_id: &str, eni_id: &str) -> Result<String, Ec2Error> {
        self.associate_address_as(allocation_id, eni_id, None)
    }

    /// AssociateAddress, keeping a known association ID (account files, imports).
    pub(crate) fn associate_address_as(
        &mut self,
        allocation_id: &str,
        eni_id: &str,
        known_id: Option<&str>,
    ) -> Result<String, Ec2Error> {
        let address = self.address(allocation_id)?.clone();
        let eni = self.network_interface(eni_id)?.clone();
        if address.association_id.is_some() {
            // Seen text (NAT gateway failure message); reused for the direct call (inferred).
            return Err(Ec2Error::AlreadyAssociated(Ec2Error::already_associated_text(allocation_id)));
        }
        let assoc_id = match known_id {
            Some(id) => id.to_string(),
            None => self.new_id(prefix::EIP_ASSOCIATION),
        };
        if let Some(a) = self.addresses.get_mut(allocation_id) {
            a.association_id = Some(assoc_id.clone());
            a.network_interface_id = Some(eni_id.to_string());
            a.private_ip_address = Some(eni.private_ip_address);
            a.instance_id = eni.attachment.as_ref().and_then(|t| t.instance_id.clone());
        }
        let dns = crate::ids::public_dns_name(address.public_ip, &self.region);
        let owner = self.account_id.clone();
        if let Some(n) = self.network_interfaces.get_mut(eni_id) {
            n.association = Some(NetworkInterfaceAssociation {
                public_ip: address.public_ip,
                public_dns_name: dns,
                allocation_id: Some(allocation_id.to_string()),
                association_id: Some(assoc_id.clone()),
                ip_owner_id: owner,
            });
        }
        Ok(assoc_id)
    }

    /// CreateNatGateway. Problems other than a missing subnet do not fail
    /// the call: the gateway is created in state `failed` with AWS's code
    /// and message, as EC2 does (facts). `connectivity` is `public` or `private`.
    // AWS doc: "NAT gateways" — a public NAT gateway needs an Elastic IP and an internet gateway in its VPC.
    pub fn create_nat_gateway(
        &mut self,
        subnet_id: &str,
        allocation_id: Option<&str>,
        connectivity: &str,
    ) -> Result<NatGateway, Ec2Error> {
        let subnet = self.subnet(subnet_id)?.clone();
        let public = connectivity != "private";
        if public && allocation_id.is_none() {
            // Inferred text: AWS requires the allocation for public gateways.
            return Err(Ec2Error::InvalidParameter("AllocationId is required for a public NAT gateway".into()));
        }
        let nat_id = self.new_id(prefix::NAT_GATEWAY);
        // The order of these checks is inferred.
        let failure = if let Some(alloc) = allocation_id.filter(|_| public) {
            match self.addresses.get(alloc) {
                None => Some((
                    "InvalidAllocationID.NotFound",
                    format!("Elastic IP address {alloc} could not be associated with this NAT gateway"),
                )),
                Some(a) if a.association_id.is_some() => {
                    Some(("Resource.AlreadyAssociated", Ec2Error::already_associated_text(alloc)))
                }
                Some(_) if self.internet_gateway_for_vpc(&subnet.vpc_id).is_none() => {
                    Some(("Gateway.NotAttached", format!("Network {} has no Internet gateway attached", subnet.vpc_id)))
                }
                Some(_) => None,
            }
        } else {
            None
        };
        let failure = match failure {
            Some(f) => Some(f),
            None if self.next_free_address(subnet_id)?.is_none() => Some((
                "InsufficientFreeAddressesInSubnet",
                "Subnet has insufficient free addresses to create this NAT gateway".to_string(),
            )),
            None => None,
        };
        let mut nat = NatGateway {
            nat_gateway_id: nat_id.clone(),
            subnet_id: subnet_id.to_string(),
            vpc_id: subnet.vpc_id.clone(),
            state: NatGatewayState::Available,
            connectivity_type: if public { "public" } else { "private" }.into(),
            nat_gateway_addresses: Vec::new(),
            failure_code: None,
            failure_message: None,
            tags: Tags::new(),
            delete_time: None,
        };
        if let Some((code, message)) = failure {
            nat.state = NatGatewayState::Failed;
            nat.failure_code = Some(code.to_string());
            nat.failure_message = Some(message);
            self.nat_gateways.insert(nat_id, nat.clone());
            return Ok(nat);
        }
        let mut request = CreateNetworkInterface::new(subnet_id);
        request.interface_type = "natGateway".into();
        // Inferred description text.
        request.description = format!("Interface for NAT Gateway {nat_id}");
        request.requester_managed = true;
        request.no_groups = true;
        request.owner = crate::EniOwner::NatGateway { nat_gateway_id: nat_id.clone() };
        let eni = self.create_network_interface(request)?;
        let mut entry = NatGatewayAddress {
            allocation_id: None,
            network_interface_id: Some(eni.network_interface_id.clone()),
            private_ip: Some(eni.private_ip_address),
            public_ip: None,
            association_id: None,
        };
        if let Some(alloc) = allocation_id.filter(|_| public) {
            let assoc = self.associate_address(alloc, &eni.network_interface_id)?;
            entry.allocation_id = Some(alloc.to_string());
            entry.association_id = Some(assoc);
            entry.public_ip = self.addresses.get(alloc).map(|a| a.public_ip);
        }
        nat.nat_gateway_addresses.push(entry);
        self.nat_gateways.insert(nat_id, nat.clone());
        Ok(nat)
    }
}
