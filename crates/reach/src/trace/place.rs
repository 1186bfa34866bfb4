//! The two ends of a path: an ENI, addresses without an ENI, or the internet.

use crate::role::EniRole;
use crate::sets::{show_addrs, AddrSet};
use crate::topology::{usable, Topology};
use account::NetworkInterface;
use serde::Serialize;
use std::net::Ipv4Addr;

/// What kind of end it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// An ENI: its groups and subnet apply.
    Eni,
    /// Addresses inside a VPC that no ENI holds: no security group applies.
    Addresses,
    /// Addresses on the emulated internet.
    Internet,
}

/// One end of a path.
#[derive(Clone, Debug, Serialize)]
pub struct Place {
    /// How it is shown: `eni-… (task 1a2b… of ApplicationService, 172.31.96.4)`.
    pub label: String,
    /// ENI, addresses or internet.
    pub kind: PlaceKind,
    /// The ENI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eni: Option<String>,
    /// Its subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    /// Its VPC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    /// Its private addresses (internet: the public ones).
    pub addresses: AddrSet,
    /// The public IP or Elastic IP on the ENI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ipv4Addr>,
    /// Its security groups (`None`: addresses without an ENI, no group applies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
    /// task, instance, load-balancer, nat-gateway, database, eni, addresses, internet.
    pub role: String,
    /// An awsvpc task on an EC2 instance (such tasks never get a public IP).
    #[serde(skip)]
    pub ec2_task: bool,
    /// The load balancer, when this is one of its nodes.
    #[serde(skip)]
    pub load_balancer: Option<String>,
    /// True for a service's ENI that does not exist yet (no task placed):
    /// any address of its subnet, with the service's groups.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub prospective: bool,
}

impl Place {
    /// An ENI.
    pub fn eni(topo: &Topology<'_>, eni: &NetworkInterface) -> Place {
        let role = topo.roles.of(&eni.network_interface_id);
        let (what, ec2_task, lb) = describe_role(topo, role);
        let ip = eni.private_ip_address;
        Place {
            label: format!("{} ({what}, {ip})", eni.network_interface_id),
            kind: PlaceKind::Eni,
            eni: Some(eni.network_interface_id.clone()),
            subnet: Some(eni.subnet_id.clone()),
            vpc: Some(eni.vpc_id.clone()),
            addresses: AddrSet::single(u32::from(ip)),
            public_ip: eni.association.as_ref().map(|a| a.public_ip),
            groups: Some(eni.groups.clone()),
            role: role.kind().to_string(),
            ec2_task,
            load_balancer: lb,
            prospective: false,
        }
    }

    /// The internet, or part of it.
    pub fn internet(addresses: AddrSet) -> Place {
        let label = if addresses == crate::topology::internet() {
            "internet".to_string()
        } else {
            format!("internet ({})", show_addrs(&addresses))
        };
        Place {
            label,
            kind: PlaceKind::Internet,
            eni: None,
            subnet: None,
            vpc: None,
            addresses,
            public_ip: None,
            groups: None,
            role: "internet".into(),
            ec2_task: false,
            load_balancer: None,
            prospective: false,
        }
    }

    /// Addresses of a subnet that no ENI holds.
    pub fn addresses(topo: &Topology<'_>, subnet_id: &str, addresses: AddrSet) -> Place {
        let vpc = topo.subnet(subnet_id).map(|s| s.vpc_id.clone());
        Place {
            label: format!("{} (no ENI, in {})", show_addrs(&addresses), topo.named(subnet_id)),
            kind: PlaceKind::Addresses,
            subnet: Some(subnet_id.to_string()),
            vpc,
            role: "addresses".into(),
            ..Place::internet(addresses)
        }
    }

    /// The ENI a service would give a task in `subnet_id`, before it has one.
    pub fn prospective(
        topo: &Topology<'_>,
        label: &str,
        subnet_id: &str,
        groups: Vec<String>,
        ec2_task: bool,
    ) -> Place {
        let subnet = topo.subnet(subnet_id);
        let addresses = subnet.map_or_else(AddrSet::empty, |s| usable(&s.cidr_block));
        Place {
            label: format!("{label} (no task yet: any address of {})", topo.named(subnet_id)),
            kind: PlaceKind::Eni,
            eni: None,
            subnet: Some(subnet_id.to_string()),
            vpc: subnet.map(|s| s.vpc_id.clone()),
            addresses,
            public_ip: None,
            groups: Some(groups),
            role: "task".into(),
            ec2_task,
            load_balancer: None,
            prospective: true,
        }
    }

    /// An AWS service's public endpoint on the emulated internet, by its hostname.
    pub fn aws_service(host: &str, address: Ipv4Addr) -> Place {
        Place {
            label: format!("{host} ({address})"),
            role: "aws-service".into(),
            ..Place::internet(AddrSet::single(u32::from(address)))
        }
    }

    /// A link-local address (metadata, time sync): no VPC, no subnet.
    pub fn link_local(addresses: AddrSet) -> Place {
        Place {
            label: show_addrs(&addresses),
            kind: PlaceKind::Addresses,
            role: "link-local".into(),
            ..Place::internet(addresses)
        }
    }

    /// Where an address puts a packet: the ENI holding it (in `vpc`, or in
    /// any VPC), addresses of a subnet, a link-local service, or the internet.
    pub fn at(topo: &Topology<'_>, ip: Ipv4Addr, vpc: Option<&str>) -> Option<Place> {
        let eni = match vpc {
            Some(v) => topo.eni_at(v, ip),
            None => topo.eni_at_any(ip),
        };
        if let Some(e) = eni {
            return Some(Place::eni(topo, e));
        }
        let one = AddrSet::single(u32::from(ip));
        if let Some(v) = topo.vpc_holding(ip) {
            let s = topo.subnet_holding(&v.vpc_id, ip)?;
            return Some(Place::addresses(topo, &s.subnet_id, one));
        }
        if ip.is_link_local() {
            return Some(Place::link_local(one));
        }
        crate::topology::internet().contains(u32::from(ip)).then(|| Place::internet(one))
    }

    /// True for the internet.
    pub fn is_internet(&self) -> bool {
        self.kind == PlaceKind::Internet
    }
}

/// The owner in words, whether it is an awsvpc task on EC2, and the load balancer's ARN.
fn describe_role(topo: &Topology<'_>, role: &EniRole) -> (String, bool, Option<String>) {
    let a = topo.account;
    match role {
        EniRole::Task { task_arn, service_arn } => {
            let id = task_arn.rsplit('/').next().unwrap_or(task_arn);
            let short = id.get(..8).unwrap_or(id);
            let task = a.tasks.get(task_arn);
            let ec2 = task.is_some_and(|t| t.launch_type == "EC2");
            let of = match service_arn {
                Some(s) => format!(" of {}", topo.short(s)),
                None => String::new(),
            };
            (format!("task {short}{of}"), ec2, None)
        }
        EniRole::Instance { instance_id } | EniRole::Trunk { instance_id } => {
            let asg = a.instances.get(instance_id).and_then(|i| i.auto_scaling_group_name.clone());
            let of = asg.map(|g| format!(" of {}", topo.short(&g))).unwrap_or_default();
            (format!("{} {instance_id}{of}", role.kind()), false, None)
        }
        EniRole::LoadBalancer { load_balancer_arn } => {
            (format!("load balancer {} node", topo.short(load_balancer_arn)), false, Some(load_balancer_arn.clone()))
        }
        EniRole::NatGateway { nat_gateway_id } => (format!("NAT gateway {}", topo.named(nat_gateway_id)), false, None),
        EniRole::Database { db_instance_identifier } => {
            (format!("database {}", topo.short(db_instance_identifier)), false, None)
        }
        EniRole::VpcEndpoint { vpc_endpoint_id } => {
            let service = a.vpc_endpoints.get(vpc_endpoint_id).map(|e| e.service_name.as_str()).unwrap_or("?");
            (format!("VPC endpoint {} for {service}", topo.named(vpc_endpoint_id)), false, None)
        }
        EniRole::Other => ("ENI".to_string(), false, None),
    }
}
