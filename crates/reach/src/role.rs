//! What each ENI is for: a task's, an instance's, a load balancer node's,
//! a NAT gateway's, a database's. Reachability names endpoints by these
//! owners and the graph draws them.

use account::{Account, NetworkInterface};
use std::collections::BTreeMap;

/// The owner of an ENI, as far as the account tells.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EniRole {
    /// An awsvpc task's ENI.
    Task {
        /// The task.
        task_arn: String,
        /// The service that started it, if any.
        service_arn: Option<String>,
    },
    /// An EC2 instance's ENI (its primary one, or another attached by hand).
    Instance {
        /// The instance.
        instance_id: String,
    },
    /// The trunk ENI of an instance with `awsvpcTrunking`.
    Trunk {
        /// The instance.
        instance_id: String,
    },
    /// A load balancer node.
    LoadBalancer {
        /// The load balancer.
        load_balancer_arn: String,
    },
    /// A NAT gateway's ENI.
    NatGateway {
        /// The gateway.
        nat_gateway_id: String,
    },
    /// An RDS instance's ENI.
    Database {
        /// The DB instance identifier.
        db_instance_identifier: String,
    },
    /// An interface VPC endpoint's ENI in one subnet.
    VpcEndpoint {
        /// The endpoint.
        vpc_endpoint_id: String,
    },
    /// An ENI nothing in the account claims.
    Other,
}

impl EniRole {
    /// A short word for the kind: task, instance, trunk, load-balancer, nat-gateway, database, vpc-endpoint, eni.
    pub fn kind(&self) -> &'static str {
        match self {
            EniRole::Task { .. } => "task",
            EniRole::Instance { .. } => "instance",
            EniRole::Trunk { .. } => "trunk",
            EniRole::LoadBalancer { .. } => "load-balancer",
            EniRole::NatGateway { .. } => "nat-gateway",
            EniRole::Database { .. } => "database",
            EniRole::VpcEndpoint { .. } => "vpc-endpoint",
            EniRole::Other => "eni",
        }
    }
}

/// Every ENI's role, computed once for an account.
#[derive(Clone, Debug, Default)]
pub struct Roles {
    by_eni: BTreeMap<String, EniRole>,
}

impl Roles {
    /// Classifies every ENI of `account`.
    pub fn new(account: &Account) -> Self {
        let by_eni = account
            .network_interfaces
            .values()
            .filter_map(|eni| Some((eni.network_interface_id.clone(), role_of(account, eni)?)))
            .collect();
        Roles { by_eni }
    }

    /// The role of one ENI (`Other` when nothing claims it).
    pub fn of(&self, eni_id: &str) -> &EniRole {
        self.by_eni.get(eni_id).unwrap_or(&EniRole::Other)
    }
}

/// An ENI's role: the owner it records, while that owner is there (a task
/// until it stops), else trunks by type and instance ENIs by attachment.
fn role_of(account: &Account, eni: &NetworkInterface) -> Option<EniRole> {
    match &eni.owner {
        account::EniOwner::Task { task_arn } => {
            if let Some(task) = account.tasks.get(task_arn).filter(|t| t.is_live()) {
                return Some(EniRole::Task { task_arn: task.task_arn.clone(), service_arn: task.service_arn.clone() });
            }
        }
        account::EniOwner::NatGateway { nat_gateway_id } => {
            return Some(EniRole::NatGateway { nat_gateway_id: nat_gateway_id.clone() })
        }
        account::EniOwner::DbInstance { db_instance_identifier }
            if account.db_instances.contains_key(db_instance_identifier) =>
        {
            return Some(EniRole::Database { db_instance_identifier: db_instance_identifier.clone() })
        }
        account::EniOwner::VpcEndpoint { vpc_endpoint_id } if account.vpc_endpoints.contains_key(vpc_endpoint_id) => {
            return Some(EniRole::VpcEndpoint { vpc_endpoint_id: vpc_endpoint_id.clone() })
        }
        account::EniOwner::LoadBalancer { load_balancer_arn } => {
            let lb = account.load_balancers.get(load_balancer_arn)?;
            return Some(EniRole::LoadBalancer { load_balancer_arn: lb.load_balancer_arn.clone() });
        }
        _ => {}
    }
    let instance_id = eni.attachment.as_ref()?.instance_id.clone()?;
    if eni.interface_type == account::ec2::TRUNK_INTERFACE_TYPE {
        return Some(EniRole::Trunk { instance_id });
    }
    Some(EniRole::Instance { instance_id })
}
