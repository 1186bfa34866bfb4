//! What each interface's box says: its owner by role, named by the stack's
//! logical IDs where a stack created it, and its security groups.

use super::model::EniBox;
use crate::role::EniRole;
use crate::topology::Topology;
use account::{Account, NetworkInterface};

/// Where the sort puts an interface in its subnet: the ways in and out first.
pub fn kind_rank(kind: &str) -> u8 {
    match kind {
        "nat-gateway" => 0,
        "load-balancer" => 1,
        "instance" => 2,
        "trunk" => 3,
        "task" => 4,
        "database" => 5,
        _ => 6,
    }
}

/// Title and second name of an interface by its role.
pub fn eni_box(account: &Account, names: &Topology<'_>, role: &EniRole, eni: &NetworkInterface) -> EniBox {
    let (title, detail) = match role {
        EniRole::Task { task_arn, service_arn } => {
            let task_id = tail(task_arn).to_string();
            match service_arn {
                Some(arn) => {
                    let service =
                        account.services.get(arn).map_or_else(|| tail(arn).to_string(), |s| s.service_name.clone());
                    (format!("task: {}", names.logical(arn).unwrap_or(&service)), Some(format!("task {task_id}")))
                }
                None => {
                    let family = account.tasks.get(task_arn).map(|t| tail(&t.task_definition_arn).to_string());
                    (format!("task: {task_id}"), family)
                }
            }
        }
        EniRole::Instance { instance_id } => {
            (format!("instance: {instance_id}"), instance_detail(account, names, instance_id))
        }
        EniRole::Trunk { instance_id } => {
            (format!("trunk: {instance_id}"), instance_detail(account, names, instance_id))
        }
        EniRole::LoadBalancer { load_balancer_arn } => {
            let name = account.load_balancers.get(load_balancer_arn).map_or("?", |l| l.load_balancer_name.as_str());
            named("load balancer", names.logical(load_balancer_arn), name)
        }
        EniRole::NatGateway { nat_gateway_id } => named("NAT gateway", names.logical(nat_gateway_id), nat_gateway_id),
        EniRole::Database { db_instance_identifier } => {
            named("database", names.logical(db_instance_identifier), db_instance_identifier)
        }
        EniRole::VpcEndpoint { vpc_endpoint_id } => {
            let service = account.vpc_endpoints.get(vpc_endpoint_id).map(|e| e.service_name.clone());
            (format!("VPC endpoint: {}", names.logical(vpc_endpoint_id).unwrap_or(vpc_endpoint_id)), service)
        }
        EniRole::Other => {
            let detail = Some(eni.description.chars().take(40).collect::<String>()).filter(|d| !d.is_empty());
            ("interface".to_string(), detail)
        }
    };
    let groups = eni.groups.iter().map(|g| group_name(account, names, g)).collect();
    EniBox {
        id: eni.network_interface_id.clone(),
        kind: role.kind(),
        title,
        detail,
        private_ip: eni.private_ip_address.to_string(),
        public_ip: eni.association.as_ref().map(|a| a.public_ip.to_string()),
        groups,
    }
}

/// `KIND: Logical` with the physical name below, or `KIND: physical` alone.
fn named(kind: &str, logical: Option<&str>, physical: &str) -> (String, Option<String>) {
    match logical {
        Some(l) => (format!("{kind}: {l}"), Some(physical.to_string())),
        None => (format!("{kind}: {physical}"), None),
    }
}

/// `t3.micro · ApplicationAutoscaling`: the type and the Auto Scaling group.
fn instance_detail(account: &Account, names: &Topology<'_>, instance_id: &str) -> Option<String> {
    let instance = account.instances.get(instance_id)?;
    let mut parts = vec![instance.instance_type.clone()];
    if let Some(asg) = &instance.auto_scaling_group_name {
        parts.push(names.short(asg));
    }
    Some(parts.join(" · "))
}

/// A group's logical ID when a stack created it, else its name.
fn group_name(account: &Account, names: &Topology<'_>, group_id: &str) -> String {
    match (names.logical(group_id), account.security_groups.get(group_id)) {
        (Some(l), _) => l.to_string(),
        (None, Some(g)) => g.group_name.clone(),
        (None, None) => group_id.to_string(),
    }
}

/// The last `/`-separated part of an ARN: a task's ID, a service's name.
pub fn tail(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}
