//! Deleting what `services.rs` stores: load balancers, target groups,
//! listeners and rules (ELBv2), DB instances and subnet groups (RDS),
//! launch configurations and templates, ECS clusters and task definitions,
//! SSM parameters and inert resources, with each API's refusals.
//!
//! AWS doc: "DeleteLoadBalancer" (its listeners go with it), "DeleteTargetGroup",
//! "DeleteDBSubnetGroup", "DeleteLaunchConfiguration", "DeleteCluster"
//! (the cluster becomes INACTIVE) and "DeregisterTaskDefinition" (INACTIVE).

use crate::account::{inert_key, Account};
use crate::aws_error::AwsService;
use crate::error::{Ec2Error, ServiceError};

/// ELBv2's `ListenerNotFound` (inferred text).
pub fn listener_not_found() -> ServiceError {
    ServiceError::new(AwsService::Elbv2, "ListenerNotFound", "One or more listeners not found")
}

/// ELBv2's `RuleNotFound` (inferred text).
pub fn rule_not_found() -> ServiceError {
    ServiceError::new(AwsService::Elbv2, "RuleNotFound", "One or more rules not found")
}

/// RDS's `DBInstanceNotFound` (inferred text).
pub fn db_instance_not_found(identifier: &str) -> ServiceError {
    ServiceError::new(AwsService::Rds, "DBInstanceNotFound", format!("DBInstance {identifier} not found."))
}

/// RDS's `DBSubnetGroupNotFoundFault` (inferred text).
pub fn db_subnet_group_not_found(name: &str) -> ServiceError {
    ServiceError::new(AwsService::Rds, "DBSubnetGroupNotFoundFault", format!("DBSubnetGroup '{name}' not found."))
}

impl Account {
    /// Drops from every target group's LoadBalancerArns the balancers that
    /// no longer have a listener or rule forwarding to it.
    fn relink_target_groups(&mut self) {
        let mut links: Vec<(String, String)> = Vec::new();
        for l in self.listeners.values() {
            let rules = self
                .listener_rules
                .values()
                .filter(|r| r.listener_arn == l.listener_arn)
                .flat_map(|r| r.actions.iter());
            for action in l.default_actions.iter().chain(rules) {
                links.extend(
                    action.target_group_arns().into_iter().map(|tg| (tg.to_string(), l.load_balancer_arn.clone())),
                );
            }
        }
        for tg in self.target_groups.values_mut() {
            tg.load_balancer_arns.retain(|lb| links.iter().any(|(t, l)| *t == tg.target_group_arn && l == lb));
        }
    }

    /// DeleteLoadBalancer: its listeners and their rules go with it, and so
    /// do its interfaces. A balancer that does not exist is not an error
    /// (AWS doc: "DeleteLoadBalancer").
    pub fn delete_load_balancer(&mut self, arn: &str) -> Result<(), ServiceError> {
        let Some(lb) = self.load_balancers.remove(arn) else { return Ok(()) };
        let listeners: Vec<String> =
            self.listeners.values().filter(|l| l.load_balancer_arn == arn).map(|l| l.listener_arn.clone()).collect();
        for l in &listeners {
            self.listeners.remove(l);
            self.listener_rules.retain(|_, r| r.listener_arn != *l);
        }
        let enis: Vec<String> = self
            .network_interfaces
            .values()
            .filter(|n| matches!(&n.owner, crate::EniOwner::LoadBalancer { load_balancer_arn } if *load_balancer_arn == lb.load_balancer_arn))
            .map(|n| n.network_interface_id.clone())
            .collect();
        for eni in enis {
            self.force_delete_interface(&eni);
        }
        self.relink_target_groups();
        Ok(())
    }

    /// Deletes a service-managed interface whatever its attachment (the
    /// service detaches what users may not).
    fn force_delete_interface(&mut self, eni_id: &str) {
        if let Some(n) = self.network_interfaces.get_mut(eni_id) {
            n.attachment = None;
        }
        // The interface exists and is now detached, so this cannot fail.
        let _: Result<(), Ec2Error> = self.delete_network_interface(eni_id);
    }

    /// DeleteTargetGroup: refused while a listener or rule forwards to it.
    pub fn delete_target_group(&mut self, arn: &str) -> Result<(), ServiceError> {
        if !self.target_groups.contains_key(arn) {
            // The text the ELB control plane uses for unknown groups.
            return Err(ServiceError::new(
                AwsService::Elbv2,
                "TargetGroupNotFound",
                format!("Target groups '{arn}' not found"),
            ));
        }
        let forwards = |actions: &[crate::model::Action]| actions.iter().any(|a| a.target_group_arns().contains(&arn));
        if self.listeners.values().any(|l| forwards(&l.default_actions))
            || self.listener_rules.values().any(|r| forwards(&r.actions))
        {
            // Seen text.
            return Err(ServiceError::new(
                AwsService::Elbv2,
                "ResourceInUse",
                format!("Target group '{arn}' is currently in use by a listener or a rule"),
            ));
        }
        self.target_groups.remove(arn);
        Ok(())
    }

    /// DeleteListener: its rules go with it.
    pub fn delete_listener(&mut self, arn: &str) -> Result<(), ServiceError> {
        if self.listeners.remove(arn).is_none() {
            return Err(listener_not_found());
        }
        self.listener_rules.retain(|_, r| r.listener_arn != arn);
        self.relink_target_groups();
        Ok(())
    }

    /// DeleteRule.
    pub fn delete_listener_rule(&mut self, arn: &str) -> Result<(), ServiceError> {
        if self.listener_rules.remove(arn).is_none() {
            return Err(rule_not_found());
        }
        self.relink_target_groups();
        Ok(())
    }

    /// DeleteDBInstance (without a final snapshot): its interface goes.
    pub fn delete_db_instance(&mut self, identifier: &str) -> Result<(), ServiceError> {
        let id = self
            .db_instance(identifier)
            .map(|d| d.db_instance_identifier.clone())
            .ok_or_else(|| db_instance_not_found(identifier))?;
        if let Some(eni) = self.db_instances.remove(&id).and_then(|d| d.network_interface_id) {
            self.force_delete_interface(&eni);
        }
        Ok(())
    }

    /// DeleteDBSubnetGroup: refused while a DB instance uses it.
    pub fn delete_db_subnet_group(&mut self, name: &str) -> Result<(), ServiceError> {
        let group = self
            .db_subnet_group(name)
            .map(|g| g.db_subnet_group_name.clone())
            .ok_or_else(|| db_subnet_group_not_found(name))?;
        if let Some(db) = self.db_instances.values().find(|d| d.db_subnet_group_name.as_deref() == Some(group.as_str()))
        {
            // Seen text.
            return Err(ServiceError::new(AwsService::Rds,
                "InvalidDBSubnetGroupStateFault",
                format!("Cannot delete the subnet group '{group}' because at least one database instance: {} is still using it.", db.db_instance_identifier),
            ));
        }
        self.db_subnet_groups.remove(&group);
        Ok(())
    }

    /// DeleteLaunchConfiguration: refused while a group uses it.
    pub fn delete_launch_configuration(&mut self, name: &str) -> Result<(), ServiceError> {
        let lc = self.launch_configuration(name).map(|l| l.launch_configuration_name.clone()).ok_or_else(|| {
            // Inferred text.
            ServiceError::new(
                AwsService::AutoScaling,
                "ValidationError",
                format!("Launch configuration name not found - Launch configuration {name} not found"),
            )
        })?;
        if let Some(g) =
            self.auto_scaling_groups.values().find(|g| g.launch_configuration_name.as_deref() == Some(lc.as_str()))
        {
            // Seen text.
            return Err(ServiceError::new(
                AwsService::AutoScaling,
                "ResourceInUse",
                format!(
                    "Cannot delete launch configuration {lc} because it is attached to AutoScalingGroup {}",
                    g.auto_scaling_group_name
                ),
            ));
        }
        self.launch_configurations.remove(&lc);
        Ok(())
    }

    /// DeleteLaunchTemplate (EC2 does not check whether groups use it).
    pub fn delete_launch_template(&mut self, id_or_name: &str) -> Result<(), ServiceError> {
        let id = self.launch_template(id_or_name).map(|t| t.launch_template_id.clone()).ok_or_else(|| {
            // Inferred text.
            ServiceError::new(
                AwsService::Ec2,
                "InvalidLaunchTemplateId.NotFound",
                format!("The specified launch template, with template ID {id_or_name}, does not exist."),
            )
        })?;
        self.launch_templates.remove(&id);
        Ok(())
    }

    /// DeleteCluster: refused while services are ACTIVE or DRAINING, while
    /// container instances are registered, or while tasks run (the order of
    /// the checks is inferred); the cluster becomes INACTIVE.
    pub fn delete_cluster(&mut self, name_or_arn: &str) -> Result<(), ServiceError> {
        let cluster = self
            .cluster(name_or_arn)
            .filter(|c| c.status != crate::ClusterStatus::Inactive)
            .map(|c| (c.cluster_name.clone(), c.cluster_arn.clone()))
            // The text ECS returns for an unknown cluster.
            .ok_or_else(|| ServiceError::new(AwsService::Ecs, "ClusterNotFoundException", "Cluster not found."))?;
        let (name, arn) = cluster;
        // Seen texts, all three.
        if self.services.values().any(|s| {
            s.cluster_arn == arn && matches!(s.status, crate::ServiceStatus::Active | crate::ServiceStatus::Draining)
        }) {
            return Err(ServiceError::new(
                AwsService::Ecs,
                "ClusterContainsServicesException",
                "The Cluster cannot be deleted while Services are active.",
            ));
        }
        if self
            .container_instances
            .values()
            .any(|c| c.cluster_arn == arn && c.status != crate::ContainerInstanceStatus::Inactive)
        {
            return Err(ServiceError::new(
                AwsService::Ecs,
                "ClusterContainsContainerInstancesException",
                "The Cluster cannot be deleted while Container Instances are active or draining.",
            ));
        }
        if self.tasks.values().any(|t| t.cluster_arn == arn && t.is_live()) {
            return Err(ServiceError::new(
                AwsService::Ecs,
                "ClusterContainsTasksException",
                "The Cluster cannot be deleted while Tasks are active.",
            ));
        }
        if let Some(c) = self.clusters.get_mut(&name) {
            c.status = crate::ClusterStatus::Inactive;
        }
        Ok(())
    }

    /// DeregisterTaskDefinition: the revision becomes INACTIVE (it stays
    /// describable; tasks and services using it keep running).
    pub fn deregister_task_definition(&mut self, arn: &str) -> Result<(), ServiceError> {
        let key = self.task_definition(arn).map(|t| t.task_definition_arn.clone()).ok_or_else(|| {
            // Inferred text.
            ServiceError::new(AwsService::Ecs, "ClientException", "The specified task definition does not exist.")
        })?;
        if let Some(t) = self.task_definitions.get_mut(&key) {
            t.status = crate::TaskDefinitionStatus::Inactive;
        }
        Ok(())
    }

    /// DeleteParameter.
    pub fn delete_ssm_parameter(&mut self, name: &str) -> Result<(), ServiceError> {
        if self.ssm_parameters.remove(name).is_none() {
            // SSM's ParameterNotFound carries no message text (inferred).
            return Err(ServiceError::new(AwsService::Ssm, "ParameterNotFound", ""));
        }
        Ok(())
    }

    /// Forgets a resource without behaviour; true when there was one.
    pub fn delete_inert(&mut self, resource_type: &str, physical_id: &str) -> bool {
        self.inert.remove(&inert_key(resource_type, physical_id)).is_some()
    }
}

#[cfg(test)]
mod tests;
