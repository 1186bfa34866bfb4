//! What the kernel should hold for an account: pure, no side effects.
//!
//! [`Wiring::from_account`] describes every namespace, link, address, route
//! and nftables table; [`crate::linux::Kernel`] makes the kernel match it.

pub mod endpoints;
pub mod gateways;
pub(crate) mod nft;
pub mod route;
pub mod router;

pub use endpoints::GatewayEndpoint;
pub use gateways::{Igw, Internet, INTERNET_HOSTS};
pub use nft::{Chain, Count, Counts, Set, Table};
pub use router::Router;

use crate::names::{ifname, Scope};
use account::{Account, NetworkInterface};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// What an ENI belongs to, which decides what runs in its namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EniKind {
    /// An awsvpc task's ENI.
    Task {
        /// The task.
        task_arn: String,
    },
    /// A load balancer node.
    LoadBalancer {
        /// The load balancer.
        load_balancer_arn: String,
    },
    /// A NAT gateway's ENI: it translates, it has no security groups.
    NatGateway {
        /// The NAT gateway.
        nat_gateway_id: String,
    },
    /// An EC2 instance's primary ENI.
    Instance {
        /// The instance.
        instance_id: String,
    },
    /// A database's ENI.
    Database {
        /// The DB instance identifier.
        db_instance_identifier: String,
        /// Its port.
        port: u16,
    },
    /// An interface VPC endpoint's ENI: AWS's API answers on its address.
    VpcEndpoint {
        /// The endpoint.
        vpc_endpoint_id: String,
        /// Its service's short name (`secretsmanager`, `ecr.api`).
        service: String,
    },
    /// Any other ENI.
    Other,
}

/// One ENI's namespace and its veth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EniNs {
    /// `eni-…`.
    pub eni_id: String,
    /// Its namespace.
    pub ns: String,
    /// Its VPC's router namespace, which holds the other end of the veth.
    pub router_ns: String,
    /// The veth's name in the router.
    pub host_if: String,
    /// Its subnet.
    pub subnet_id: String,
    /// Its MAC address (as the account has it).
    pub mac: String,
    /// Its private address.
    pub address: Ipv4Addr,
    /// Its subnet's prefix length (`eth0` keeps the subnet's prefix, as on AWS).
    pub prefix: u8,
    /// The subnet's router address (`.1`).
    pub gateway: Ipv4Addr,
    /// Its public IP, if any.
    pub public_ip: Option<Ipv4Addr>,
    /// Its security groups.
    pub groups: Vec<String>,
    /// What it belongs to.
    pub kind: EniKind,
    /// The nftables table of its namespace (a NAT gateway's translation, or
    /// the link-local endpoints' port translation of a task's or an instance's).
    pub nft: Option<String>,
}

/// The ECS agent's credentials endpoint (AWS doc "Amazon ECS task IAM role").
pub const CREDENTIALS_ADDR: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 2);
/// Instance metadata (AWS doc "Access instance metadata for an EC2 instance").
pub const IMDS_ADDR: Ipv4Addr = Ipv4Addr::new(169, 254, 169, 254);
/// Where `up` serves the credentials endpoint: 169.254.170.2:80 is
/// translated there inside the namespace, as the ECS agent translates it to
/// its own port 51679 (the agent's source), so a container listening on
/// 0.0.0.0:80 does not collide with it.
pub const CREDENTIALS_PORT: u16 = 51679;
/// Where `up` serves instance metadata, 169.254.169.254:80 translated there
/// likewise (tasknet's choice: on AWS no socket of the instance holds it).
pub const IMDS_PORT: u16 = 51680;

/// The port `up` serves a link-local endpoint's address on.
pub fn link_local_port(addr: Ipv4Addr) -> u16 {
    if addr == IMDS_ADDR {
        IMDS_PORT
    } else {
        CREDENTIALS_PORT
    }
}

impl EniNs {
    /// Whether security groups filter it (a NAT gateway's ENI has none).
    pub fn filtered(&self) -> bool {
        !matches!(self.kind, EniKind::NatGateway { .. })
    }

    /// Whether instance metadata answers in its namespace: only an
    /// instance's own; every other namespace blackholes 169.254.169.254, as
    /// the ECS CNI plugin does for awsvpc tasks (AWS doc "Amazon ECS task
    /// networking options for EC2": tasks cannot reach instance metadata).
    pub fn serves_imds(&self) -> bool {
        matches!(self.kind, EniKind::Instance { .. })
    }

    /// The link-local addresses its `lo` carries, where `up` serves the
    /// endpoints AWS runs beside a workload: 169.254.170.2 for a task's and
    /// an instance's (its bridge and host tasks), 169.254.169.254 for an instance's.
    pub fn link_local(&self) -> Vec<Ipv4Addr> {
        match self.kind {
            EniKind::Instance { .. } => vec![CREDENTIALS_ADDR, IMDS_ADDR],
            EniKind::Task { .. } => vec![CREDENTIALS_ADDR],
            _ => Vec::new(),
        }
    }
}

/// Everything the data plane creates for an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wiring {
    /// The namespace prefix.
    pub scope: Scope,
    /// Router namespaces by VPC ID.
    pub routers: BTreeMap<String, Router>,
    /// ENI namespaces by ENI ID.
    pub enis: BTreeMap<String, EniNs>,
    /// Internet gateway namespaces by gateway ID (attached ones only).
    pub igws: BTreeMap<String, Igw>,
    /// Gateway VPC endpoint namespaces by endpoint ID (available ones only).
    pub gateway_endpoints: BTreeMap<String, GatewayEndpoint>,
    /// The emulated internet.
    pub internet: Internet,
}

impl Wiring {
    /// Describes the kernel state for `account`.
    pub fn from_account(account: &Account, scope: &Scope) -> Wiring {
        let mut enis = BTreeMap::new();
        for eni in account.network_interfaces.values() {
            if let Some(e) = eni_ns(account, scope, eni, kind_of(account, eni)) {
                enis.insert(eni.network_interface_id.clone(), e);
            }
        }
        let igws = gateways::igws(account, scope, &enis);
        let gateway_endpoints = endpoints::gateway_endpoints(account, scope);
        let mut routers = BTreeMap::new();
        for vpc in account.vpcs.values() {
            routers.insert(vpc.vpc_id.clone(), router::router(account, scope, vpc, &enis, &igws, &gateway_endpoints));
        }
        let internet = gateways::internet(scope, &igws);
        Wiring { scope: scope.clone(), routers, enis, igws, gateway_endpoints, internet }
    }

    /// Every namespace name, for sweeps and checks.
    pub fn namespaces(&self) -> Vec<String> {
        let mut all: Vec<String> = self.routers.values().map(|r| r.ns.clone()).collect();
        all.extend(self.enis.values().map(|e| e.ns.clone()));
        all.extend(self.igws.values().map(|g| g.ns.clone()));
        all.extend(self.gateway_endpoints.values().map(|g| g.ns.clone()));
        all.push(self.internet.ns.clone());
        all
    }
}

/// What runs in an ENI's namespace: the owner the interface records, while
/// that owner is still there (a task until it stops), else the instance it is
/// attached to.
fn kind_of(account: &Account, eni: &NetworkInterface) -> EniKind {
    let owned = match &eni.owner {
        account::EniOwner::Task { task_arn } => {
            account.tasks.get(task_arn).filter(|t| t.is_live()).map(|t| EniKind::Task { task_arn: t.task_arn.clone() })
        }
        account::EniOwner::LoadBalancer { load_balancer_arn } => account
            .load_balancers
            .contains_key(load_balancer_arn)
            .then(|| EniKind::LoadBalancer { load_balancer_arn: load_balancer_arn.clone() }),
        account::EniOwner::NatGateway { nat_gateway_id } => {
            Some(EniKind::NatGateway { nat_gateway_id: nat_gateway_id.clone() })
        }
        account::EniOwner::DbInstance { db_instance_identifier } => {
            account.db_instances.get(db_instance_identifier).map(|d| EniKind::Database {
                db_instance_identifier: d.db_instance_identifier.clone(),
                port: d.endpoint_port,
            })
        }
        account::EniOwner::VpcEndpoint { vpc_endpoint_id } => {
            account.vpc_endpoints.get(vpc_endpoint_id).and_then(|e| {
                let service = account::endpoints::for_service_name(&e.service_name, &account.region)?;
                Some(EniKind::VpcEndpoint {
                    vpc_endpoint_id: vpc_endpoint_id.clone(),
                    service: service.name.to_string(),
                })
            })
        }
        account::EniOwner::Instance { .. } | account::EniOwner::Trunk { .. } | account::EniOwner::None => None,
    };
    owned
        .or_else(|| {
            let instance_id = eni.attachment.as_ref()?.instance_id.as_ref()?;
            account.instances.contains_key(instance_id).then(|| EniKind::Instance { instance_id: instance_id.clone() })
        })
        .unwrap_or(EniKind::Other)
}

/// The namespace of one ENI, when its subnet exists.
fn eni_ns(account: &Account, scope: &Scope, eni: &NetworkInterface, kind: EniKind) -> Option<EniNs> {
    let subnet = account.subnets.get(&eni.subnet_id)?;
    let gateway = subnet.cidr_block.nth(1)?;
    let mut e = EniNs {
        eni_id: eni.network_interface_id.clone(),
        ns: scope.ns(&eni.network_interface_id),
        router_ns: scope.ns(&eni.vpc_id),
        host_if: ifname('e', &eni.network_interface_id),
        subnet_id: eni.subnet_id.clone(),
        mac: eni.mac_address.clone(),
        address: eni.private_ip_address,
        prefix: subnet.cidr_block.prefix(),
        gateway,
        public_ip: eni.association.as_ref().map(|a| a.public_ip),
        groups: eni.groups.clone(),
        kind,
        nft: None,
    };
    if matches!(e.kind, EniKind::NatGateway { .. }) {
        e.nft = Some(nft::nat_gateway(e.address));
    } else if !e.link_local().is_empty() {
        e.nft = Some(nft::link_local(&e.link_local()));
    }
    Some(e)
}
