//! In-place updates ("Update requires: No interruption" in the resource
//! reference). The resource's handler runs on a scratch copy of the account,
//! so the new properties are read exactly as a create would read them; the
//! settings that can change in place are then carried over to the real
//! resource, which keeps its physical ID.

use crate::handlers;
use crate::planner::{Planner, ResolvedResource};
use account::{Account, InertResource};

/// Updates the resource `physical_id` in place to `r`'s properties. An `Err`
/// is the reason the update failed, in AWS's words where AWS has them.
pub fn update_in_place(p: &mut Planner, r: &ResolvedResource, physical_id: &str) -> Result<(), String> {
    let scratch = p.account.clone();
    let real = std::mem::replace(&mut p.account, scratch);
    let errors_before = p.diagnostics.len();
    let planned = handlers::plan(p, r);
    let scratch = std::mem::replace(&mut p.account, real);
    // The handler's findings about the new properties are the update's failure.
    let failure = p.diagnostics[errors_before..]
        .iter()
        .find(|d| d.is_error() && d.resource.as_deref() == Some(r.logical_id.as_str()))
        .map(|d| d.message.clone());
    p.diagnostics.truncate(errors_before);
    if let Some(reason) = failure {
        return Err(reason);
    }
    let declarer = (p.pseudo.stack_name.clone(), r.logical_id.clone());
    transplant(&mut p.account, &scratch, &r.resource_type, &planned.ref_value, physical_id, &declarer)
}

/// Whether a rule of a group was declared by another resource than the group
/// itself (an `AWS::EC2::SecurityGroupIngress`/`Egress`, maybe of another stack).
fn declared_elsewhere(rule: &account::SecurityGroupRule, group: &(String, String)) -> bool {
    rule.origin.declared().is_some_and(|d| (&d.stack_name, &d.logical_id) != (&group.0, &group.1))
}

/// A group's new rule list: the rules other resources added, then the new
/// inline rules (one per permission, as EC2 keeps them).
fn reconcile_inline(
    real: &[account::SecurityGroupRule],
    inline: Vec<account::SecurityGroupRule>,
    group: &(String, String),
) -> Vec<account::SecurityGroupRule> {
    let mut rules: Vec<_> = real.iter().filter(|r| declared_elsewhere(r, group)).cloned().collect();
    for rule in inline {
        if !rules.iter().any(|r| r.same_permission(&rule)) {
            rules.push(rule);
        }
    }
    rules
}

/// Copies what may change in place from the scratch resource `new_id` to the real resource `id`.
///
/// `declarer` is the stack and logical ID of the resource being updated.
fn transplant(
    a: &mut Account,
    scratch: &Account,
    resource_type: &str,
    new_id: &str,
    id: &str,
    declarer: &(String, String),
) -> Result<(), String> {
    match resource_type {
        "AWS::EC2::SecurityGroup" => {
            let Some(new) = scratch.security_groups.get(new_id) else { return Ok(()) };
            let fix = |rules: &[account::SecurityGroupRule]| -> Vec<account::SecurityGroupRule> {
                // Rules that name the group itself name the scratch copy's ID.
                rules
                    .iter()
                    .cloned()
                    .map(|mut rule| {
                        if rule.peer == account::Peer::SecurityGroup(new_id.to_string()) {
                            rule.peer = account::Peer::SecurityGroup(id.to_string());
                        }
                        rule
                    })
                    .collect()
            };
            let (ingress, egress, tags) = (fix(&new.ingress), fix(&new.egress), new.tags.clone());
            // AWS::EC2::SecurityGroup: CloudFormation reconciles only the inline lists; rules
            // that AWS::EC2::SecurityGroupIngress/Egress resources added are theirs and stay.
            if let Some(g) = a.security_groups.get_mut(id) {
                g.ingress = reconcile_inline(&g.ingress, ingress, declarer);
                g.egress = reconcile_inline(&g.egress, egress, declarer);
                g.tags = tags;
            }
        }
        "AWS::EC2::Subnet" => {
            let Some(new) = scratch.subnets.get(new_id) else { return Ok(()) };
            if let Some(s) = a.subnets.get_mut(id) {
                s.map_public_ip_on_launch = new.map_public_ip_on_launch;
                s.tags = new.tags.clone();
            }
        }
        "AWS::EC2::VPC" => {
            let Some(new) = scratch.vpcs.get(new_id) else { return Ok(()) };
            if let Some(v) = a.vpcs.get_mut(id) {
                v.enable_dns_hostnames = new.enable_dns_hostnames;
                v.enable_dns_support = new.enable_dns_support;
                v.tags = new.tags.clone();
            }
        }
        "AWS::EC2::Route" => {
            // Physical ID `rtb-…|DEST`: same table and destination, new target (and declaration).
            let Some((table, dest)) = id.split_once('|') else { return Ok(()) };
            let new = scratch
                .route_tables
                .get(table)
                .and_then(|t| t.routes.iter().find(|r| r.destination_cidr_block.is_some_and(|c| c.to_string() == dest)))
                .map(|r| (r.target.clone(), r.template_origin.clone()));
            if let (Some((target, origin)), Some(t)) = (new, a.route_tables.get_mut(table)) {
                for route in
                    t.routes.iter_mut().filter(|r| r.destination_cidr_block.is_some_and(|c| c.to_string() == dest))
                {
                    route.target = target.clone();
                    route.template_origin = origin.clone();
                }
            }
        }
        "AWS::ECS::Service" => {
            // Through UpdateService, so a new task definition starts a deployment.
            let Some(new) = scratch.services.get(new_id) else { return Ok(()) };
            let request = control::ecs::UpdateServiceRequest {
                cluster: Some(new.cluster_arn.clone()),
                service: id.to_string(),
                desired_count: Some(new.desired_count),
                task_definition: Some(new.task_definition.clone()),
                force_new_deployment: false,
                deployment_configuration: Some(new.deployment_configuration.clone()),
                network_configuration: new.network_configuration.clone(),
                load_balancers: Some(new.load_balancers.clone()),
            };
            control::ecs::update_service(a, &request)
                .map_err(|e| format!("Invalid request provided: UpdateService error: {}", e.message))?;
        }
        "AWS::ElasticLoadBalancingV2::TargetGroup" => {
            let Some(new) = scratch.target_groups.get(new_id) else { return Ok(()) };
            if let Some(t) = a.target_groups.get_mut(id) {
                t.health_check = new.health_check.clone();
                t.deregistration_delay_seconds = new.deregistration_delay_seconds;
            }
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
            let Some(new) = scratch.load_balancers.get(new_id) else { return Ok(()) };
            let groups = new.security_groups.clone();
            if let Some(lb) = a.load_balancers.get_mut(id) {
                lb.security_groups = groups.clone();
            }
            // Its interfaces carry its groups. Changing subnets in place is not modelled.
            let owner = account::EniOwner::LoadBalancer { load_balancer_arn: id.to_string() };
            for eni in a.network_interfaces.values_mut().filter(|e| e.owner == owner) {
                eni.groups = groups.clone();
            }
        }
        "AWS::ElasticLoadBalancingV2::Listener" => {
            let Some(new) = scratch.listeners.get(new_id) else { return Ok(()) };
            let new = new.clone();
            if let Some(l) = a.listeners.get_mut(id) {
                l.port = new.port;
                l.protocol = new.protocol;
                l.default_actions = new.default_actions;
            }
        }
        "AWS::ElasticLoadBalancingV2::ListenerRule" => {
            let Some(new) = scratch.listener_rules.get(new_id) else { return Ok(()) };
            let new = new.clone();
            if let Some(l) = a.listener_rules.get_mut(id) {
                l.priority = new.priority;
                l.conditions = new.conditions;
                l.actions = new.actions;
            }
        }
        "AWS::AutoScaling::AutoScalingGroup" => {
            let Some(new) = scratch.auto_scaling_groups.get(new_id) else { return Ok(()) };
            let new = new.clone();
            if let Some(g) = a.auto_scaling_groups.get_mut(id) {
                g.min_size = new.min_size;
                g.max_size = new.max_size;
                g.desired_capacity = new.desired_capacity;
                g.subnets = new.subnets;
                g.launch_configuration_name = new.launch_configuration_name;
                g.launch_template = new.launch_template;
                g.target_group_arns = new.target_group_arns;
            }
        }
        "AWS::EC2::LaunchTemplate" => {
            let Some(new) = scratch.launch_templates.get(new_id) else { return Ok(()) };
            let new = new.clone();
            if let Some(t) = a.launch_templates.get_mut(id) {
                // A data change is a new version of the same template.
                let version = t.latest_version_number + 1;
                *t = account::LaunchTemplate {
                    launch_template_id: t.launch_template_id.clone(),
                    latest_version_number: version,
                    ..new
                };
            }
        }
        "AWS::RDS::DBInstance" => {
            let Some(new) = scratch.db_instances.get(new_id) else { return Ok(()) };
            let new = new.clone();
            let Some(d) = a.db_instances.get_mut(id) else { return Ok(()) };
            d.vpc_security_groups = new.vpc_security_groups.clone();
            d.db_instance_class = new.db_instance_class;
            let owner = account::EniOwner::DbInstance { db_instance_identifier: id.to_string() };
            for eni in a.network_interfaces.values_mut().filter(|e| e.owner == owner) {
                eni.groups = new.vpc_security_groups.clone();
            }
        }
        _ => {
            // Resources without behaviour: their attributes follow the new properties.
            let key = account::inert_key(resource_type, new_id);
            if let Some(new) = scratch.inert.get(&key) {
                let real_key = account::inert_key(resource_type, id);
                let updated = InertResource { physical_id: id.to_string(), ..new.clone() };
                if a.inert.contains_key(&real_key) {
                    a.inert.insert(real_key, updated);
                }
            }
        }
    }
    Ok(())
}
