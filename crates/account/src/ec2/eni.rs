//! Network interfaces: CreateNetworkInterface, AttachNetworkInterface, DeleteNetworkInterface.

use crate::account::Account;
use crate::error::Ec2Error;
use crate::ids::{self, prefix};
use crate::model::*;
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// The parameters of CreateNetworkInterface (plus what services set on their own interfaces).
#[derive(Clone, Debug, PartialEq)]
pub struct CreateNetworkInterface {
    /// The subnet.
    pub subnet_id: String,
    /// Security groups; empty means the VPC's default group.
    pub groups: Vec<String>,
    /// True for interfaces that carry no groups at all (NAT gateways).
    pub no_groups: bool,
    /// A chosen private address; none means the lowest free one.
    pub private_ip_address: Option<Ipv4Addr>,
    /// Free text.
    pub description: String,
    /// `interface` (default), `natGateway`, `load_balancer`, …
    pub interface_type: String,
    /// True when a service manages it.
    pub requester_managed: bool,
    /// Which service, for requester-managed interfaces.
    pub requester_id: Option<String>,
    /// Give it an auto-assigned public address (as MapPublicIpOnLaunch or AssignPublicIp do).
    pub assign_public_ip: bool,
    /// What it is made for (tasknet's record; services set it, the API does not).
    pub owner: crate::EniOwner,
}

impl CreateNetworkInterface {
    /// A request for a plain interface in `subnet_id`.
    pub fn new(subnet_id: &str) -> Self {
        CreateNetworkInterface {
            subnet_id: subnet_id.to_string(),
            groups: Vec::new(),
            no_groups: false,
            private_ip_address: None,
            description: String::new(),
            interface_type: "interface".into(),
            requester_managed: false,
            requester_id: None,
            assign_public_ip: false,
            owner: crate::EniOwner::None,
        }
    }
}

impl Account {
    /// Gives owners to interfaces saved before ENIs recorded them: what
    /// points at each interface (a task, a NAT gateway, an RDS instance, an
    /// instance's primary or trunk attachment) and, for load balancer nodes,
    /// the `ELB app/NAME/ID` description ELB writes. This is the one place
    /// that text is still read; interfaces made since carry their owner.
    pub fn backfill_eni_owners(&mut self) {
        // Every load calls this; a store written since owners were recorded costs one pass.
        if !self.network_interfaces.values().any(|e| e.owner.is_none()) {
            return;
        }
        let mut found: HashMap<String, crate::EniOwner> = HashMap::new();
        for t in self.tasks.values() {
            if let Some(e) = &t.eni_id {
                found.insert(e.clone(), crate::EniOwner::Task { task_arn: t.task_arn.clone() });
            }
        }
        for n in self.nat_gateways.values() {
            for a in n.nat_gateway_addresses.iter().filter_map(|a| a.network_interface_id.clone()) {
                found.insert(a, crate::EniOwner::NatGateway { nat_gateway_id: n.nat_gateway_id.clone() });
            }
        }
        for d in self.db_instances.values() {
            if let Some(e) = &d.network_interface_id {
                let owner = crate::EniOwner::DbInstance { db_instance_identifier: d.db_instance_identifier.clone() };
                found.insert(e.clone(), owner);
            }
        }
        let nodes: HashMap<String, String> = self
            .load_balancers
            .values()
            .map(|lb| (format!("ELB {}", lb.full_name()), lb.load_balancer_arn.clone()))
            .collect();
        for e in self.network_interfaces.values_mut().filter(|e| e.owner.is_none()) {
            let instance = e.attachment.as_ref().and_then(|a| a.instance_id.clone());
            e.owner = if let Some(owner) = found.remove(&e.network_interface_id) {
                owner
            } else if let Some(arn) = nodes.get(&e.description) {
                crate::EniOwner::LoadBalancer { load_balancer_arn: arn.clone() }
            } else if let Some(instance_id) =
                instance.clone().filter(|_| e.interface_type == super::TRUNK_INTERFACE_TYPE)
            {
                crate::EniOwner::Trunk { instance_id }
            } else if let Some(instance_id) = instance.filter(|_| !e.requester_managed) {
                crate::EniOwner::Instance { instance_id }
            } else {
                crate::EniOwner::None
            };
        }
    }

    /// CreateNetworkInterface: takes the lowest free address of the subnet
    /// (skipping the 5 reserved ones) unless one is given, and keeps the
    /// subnet's AvailableIpAddressCount true.
    pub fn create_network_interface(&mut self, req: CreateNetworkInterface) -> Result<NetworkInterface, Ec2Error> {
        let subnet = self.subnet(&req.subnet_id)?.clone();
        let groups = if req.no_groups {
            Vec::new()
        } else if req.groups.is_empty() {
            vec![self.default_security_group(&subnet.vpc_id)?.group_id.clone()]
        } else {
            for g in &req.groups {
                if self.security_group(g)?.vpc_id != subnet.vpc_id {
                    return Err(Ec2Error::group_subnet_different_networks(g, &subnet.subnet_id));
                }
            }
            req.groups.clone()
        };
        let ip = match req.private_ip_address {
            Some(ip) => {
                let offset = subnet.cidr_block.offset_of(ip);
                let reserved = |o: u64| o < 4 || o + 1 == subnet.cidr_block.size();
                match offset {
                    // Inferred text.
                    None => {
                        return Err(Ec2Error::InvalidParameterValue(format!(
                            "Address {ip} does not fall within the subnet's address range"
                        )))
                    }
                    Some(o) if reserved(o) => {
                        // Inferred text.
                        return Err(Ec2Error::InvalidParameterValue(format!(
                            "Address {ip} is in subnet's reserved address range"
                        )));
                    }
                    Some(_) if self.address_in_use(&subnet.subnet_id, ip) => return Err(Ec2Error::AddressInUse),
                    Some(_) => ip,
                }
            }
            None => self
                .next_free_address(&subnet.subnet_id)?
                .ok_or_else(|| Ec2Error::InsufficientFreeAddresses(subnet.subnet_id.clone()))?,
        };
        let association = if req.assign_public_ip {
            let public_ip = self.allocate_public_ip()?;
            Some(NetworkInterfaceAssociation {
                public_ip,
                public_dns_name: ids::public_dns_name(public_ip, &self.region),
                allocation_id: None,
                association_id: None,
                ip_owner_id: "amazon".into(),
            })
        } else {
            None
        };
        let eni_id = self.new_id(prefix::NETWORK_INTERFACE);
        let mac = ids::mac_address(self.next_words("mac"));
        let eni = NetworkInterface {
            network_interface_id: eni_id.clone(),
            subnet_id: subnet.subnet_id.clone(),
            vpc_id: subnet.vpc_id.clone(),
            availability_zone: subnet.availability_zone.clone(),
            private_ip_address: ip,
            private_dns_name: ids::private_dns_name(ip, &self.region),
            association,
            groups,
            mac_address: mac,
            interface_type: req.interface_type,
            description: req.description,
            // Service-managed interfaces are created attached and in use.
            status: if req.requester_managed { "in-use" } else { "available" }.into(),
            requester_managed: req.requester_managed,
            requester_id: req.requester_id,
            attachment: None,
            source_dest_check: true,
            owner: req.owner.clone(),
            owner_id: self.account_id.clone(),
            tags: Tags::new(),
        };
        self.network_interfaces.insert(eni_id, eni.clone());
        self.refresh_available_count(&subnet.subnet_id);
        Ok(eni)
    }

    /// AttachNetworkInterface to an instance (or, with no instance, to a
    /// service such as Fargate); returns `eni-attach-…`.
    pub fn attach_network_interface(
        &mut self,
        eni_id: &str,
        instance_id: Option<&str>,
        device_index: u32,
    ) -> Result<String, Ec2Error> {
        let eni = self.network_interface(eni_id)?;
        if let Some(a) = &eni.attachment {
            // Inferred text.
            return Err(Ec2Error::InvalidParameterValue(format!(
                "Interface: {eni_id} is currently in use by {}.",
                a.attachment_id
            )));
        }
        let owner = match instance_id {
            Some(i) => {
                self.instance(i)?;
                self.account_id.clone()
            }
            None => "amazon-aws".to_string(),
        };
        let attach_id = self.new_id(prefix::ENI_ATTACHMENT);
        if let Some(n) = self.network_interfaces.get_mut(eni_id) {
            n.attachment = Some(NetworkInterfaceAttachment {
                attachment_id: attach_id.clone(),
                instance_id: instance_id.map(str::to_string),
                instance_owner_id: Some(owner),
                device_index,
                status: "attached".into(),
                delete_on_termination: n.requester_managed,
            });
            n.status = "in-use".into();
        }
        if let Some(i) = instance_id.and_then(|i| self.instances.get_mut(i)) {
            i.network_interface_ids.push(eni_id.to_string());
        }
        Ok(attach_id)
    }

    /// DeleteNetworkInterface: frees its address (and releases an Elastic IP association).
    pub fn delete_network_interface(&mut self, eni_id: &str) -> Result<(), Ec2Error> {
        let eni = self.network_interface(eni_id)?.clone();
        if let Some(a) = &eni.attachment {
            // Inferred text (AWS's reads like this for an attached interface).
            return Err(Ec2Error::InvalidParameterValue(format!(
                "Network interface '{eni_id}' is currently in use. ({})",
                a.attachment_id
            )));
        }
        self.network_interfaces.remove(eni_id);
        for a in self.addresses.values_mut().filter(|a| a.network_interface_id.as_deref() == Some(eni_id)) {
            a.association_id = None;
            a.network_interface_id = None;
            a.private_ip_address = None;
            a.instance_id = None;
        }
        self.refresh_available_count(&eni.subnet_id);
        Ok(())
    }

    /// DetachNetworkInterface. Service-managed attachments (`ela-attach-…`)
    /// cannot be detached by the account (facts: OperationNotPermitted).
    pub fn detach_network_interface(&mut self, eni_id: &str) -> Result<(), Ec2Error> {
        let eni = self.network_interface(eni_id)?;
        if let Some(a) = &eni.attachment {
            if a.attachment_id.starts_with("ela-attach-") {
                return Err(Ec2Error::OperationNotPermitted(
                    "You are not allowed to manage 'ela-attach' attachments.".into(),
                ));
            }
        }
        if let Some(n) = self.network_interfaces.get_mut(eni_id) {
            if let Some(inst) = n.attachment.take().and_then(|a| a.instance_id) {
                if let Some(i) = self.instances.get_mut(&inst) {
                    i.network_interface_ids.retain(|x| x != eni_id);
                }
            }
            n.status = "available".into();
        }
        Ok(())
    }
}
