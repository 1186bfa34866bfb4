//! In-place updates ("Update requires: No interruption" in the resource
//! reference). The resource's handler runs on a scratch copy of the account,
//! so the new properties are read exactly as a create would read them; the
//! settings that can change in place are then carried over to the real
//! resource, which keeps its physical ID, through the same actions the
//! API's Modify*/Update*/Set* calls are (no field is written here).

use crate::handlers;
use crate::planner::{Planner, ResolvedResource};
use account::{Account, InertResource, Peer, SecurityGroupRule, VpcAttribute};
use control::elb;

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
fn declared_elsewhere(rule: &SecurityGroupRule, group: &(String, String)) -> bool {
    rule.origin.declared().is_some_and(|d| (&d.stack_name, &d.logical_id) != (&group.0, &group.1))
}

/// Reconciles a group's inline rules with Revoke/Authorize: the group's own
/// rules that the new template drops are revoked, new ones authorized; the
/// rules other resources added stay (AWS::EC2::SecurityGroup: CloudFormation
/// reconciles only the inline lists).
fn reconcile_inline(
    a: &mut Account,
    id: &str,
    new: Vec<SecurityGroupRule>,
    egress: bool,
    group: &(String, String),
) -> Result<(), String> {
    let Some(g) = a.security_groups.get(id) else { return Ok(()) };
    let current = if egress { &g.egress } else { &g.ingress };
    let gone: Vec<SecurityGroupRule> = current
        .iter()
        .filter(|r| !declared_elsewhere(r, group) && !new.iter().any(|n| n.same_permission(r)))
        .cloned()
        .collect();
    let added: Vec<SecurityGroupRule> =
        new.iter().filter(|n| !current.iter().any(|r| r.same_permission(n))).cloned().collect();
    let text = |e: account::Ec2Error| e.to_string();
    if !gone.is_empty() {
        if egress { a.revoke_security_group_egress(id, &gone) } else { a.revoke_security_group_ingress(id, &gone) }
            .map_err(text)?;
    }
    if !added.is_empty() {
        if egress {
            a.authorize_security_group_egress(id, &added)
        } else {
            a.authorize_security_group_ingress(id, &added)
        }
        .map_err(text)?;
    }
    // UpdateSecurityGroupRuleDescriptions for the kept ones; their declaration moves with the template.
    if let Some(g) = a.security_groups.get_mut(id) {
        for rule in if egress { &mut g.egress } else { &mut g.ingress } {
            if let Some(n) = new.iter().find(|n| n.same_permission(rule)) {
                if !declared_elsewhere(rule, group) {
                    rule.description = n.description.clone();
                    rule.origin = n.origin.clone();
                }
            }
        }
    }
    Ok(())
}

/// Carries what may change in place from the scratch resource `new_id` to
/// the real resource `id`, through the API calls CloudFormation makes.
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
    let ec2 = |e: account::Ec2Error| e.to_string();
    match resource_type {
        "AWS::EC2::SecurityGroup" => {
            let Some(new) = scratch.security_groups.get(new_id) else { return Ok(()) };
            let fix = |rules: &[SecurityGroupRule]| -> Vec<SecurityGroupRule> {
                // Rules that name the group itself name the scratch copy's ID.
                rules
                    .iter()
                    .cloned()
                    .map(|mut rule| {
                        if rule.peer == Peer::SecurityGroup(new_id.to_string()) {
                            rule.peer = Peer::SecurityGroup(id.to_string());
                        }
                        rule
                    })
                    .collect()
            };
            reconcile_inline(a, id, fix(&new.ingress), false, declarer)?;
            reconcile_inline(a, id, fix(&new.egress), true, declarer)?;
            a.retag(id, &new.tags).map_err(ec2)?;
        }
        "AWS::EC2::Subnet" => {
            let Some(new) = scratch.subnets.get(new_id) else { return Ok(()) };
            a.set_map_public_ip_on_launch(id, new.map_public_ip_on_launch).map_err(ec2)?;
            a.retag(id, &new.tags).map_err(ec2)?;
        }
        "AWS::EC2::VPC" => {
            let Some(new) = scratch.vpcs.get(new_id) else { return Ok(()) };
            a.modify_vpc_attribute(id, VpcAttribute::EnableDnsSupport(new.enable_dns_support)).map_err(ec2)?;
            a.modify_vpc_attribute(id, VpcAttribute::EnableDnsHostnames(new.enable_dns_hostnames)).map_err(ec2)?;
            a.retag(id, &new.tags).map_err(ec2)?;
        }
        "AWS::EC2::Route" => {
            // Physical ID `rtb-…|DEST`: same table and destination, new target (and declaration).
            let Some((table, dest)) = id.split_once('|') else { return Ok(()) };
            let new = scratch
                .route_tables
                .get(table)
                .and_then(|t| t.routes.iter().find(|r| r.destination_cidr_block.is_some_and(|c| c.to_string() == dest)))
                .map(|r| (r.target.clone(), r.template_origin.clone()));
            if let Some((target, origin)) = new {
                a.replace_route(table, dest, target, origin).map_err(ec2)?;
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
            let hc = &new.health_check;
            let settings = elb::HealthCheckSettings {
                protocol: Some(hc.health_check_protocol.clone()),
                port: Some(hc.health_check_port.clone()),
                path: Some(hc.health_check_path.clone()),
                interval_seconds: Some(hc.health_check_interval_seconds),
                timeout_seconds: Some(hc.health_check_timeout_seconds),
                healthy_threshold_count: Some(hc.healthy_threshold_count),
                unhealthy_threshold_count: Some(hc.unhealthy_threshold_count),
                enabled: Some(hc.health_check_enabled),
                matcher: Some(hc.matcher.clone()),
            };
            elb::modify_target_group(a, id, &settings).map_err(|e| e.message)?;
            elb::modify_deregistration_delay(a, id, new.deregistration_delay_seconds).map_err(|e| e.message)?;
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
            // Changing subnets in place is not modelled.
            let Some(new) = scratch.load_balancers.get(new_id) else { return Ok(()) };
            elb::set_security_groups(a, id, &new.security_groups).map_err(|e| e.message)?;
        }
        "AWS::ElasticLoadBalancingV2::Listener" => {
            let Some(new) = scratch.listeners.get(new_id) else { return Ok(()) };
            let req = elb::ModifyListenerRequest {
                listener_arn: id.to_string(),
                port: Some(new.port),
                protocol: Some(new.protocol.clone()),
                default_actions: Some(new.default_actions.clone()),
            };
            elb::modify_listener(a, &req).map_err(|e| e.message)?;
        }
        "AWS::ElasticLoadBalancingV2::ListenerRule" => {
            let Some(new) = scratch.listener_rules.get(new_id) else { return Ok(()) };
            elb::modify_rule(a, id, new.priority, new.conditions.clone(), new.actions.clone())
                .map_err(|e| e.message)?;
        }
        "AWS::AutoScaling::AutoScalingGroup" => {
            let Some(new) = scratch.auto_scaling_groups.get(new_id) else { return Ok(()) };
            let new = new.clone();
            a.update_auto_scaling_group(id, Some(new.min_size), Some(new.max_size), new.desired_capacity)
                .map_err(|e| e.message)?;
            a.update_auto_scaling_group_sources(
                id,
                new.subnets,
                new.launch_configuration_name,
                new.launch_template,
                new.target_group_arns,
            )
            .map_err(|e| e.message)?;
        }
        "AWS::EC2::LaunchTemplate" => {
            // A data change is a new version of the same template.
            let Some(new) = scratch.launch_templates.get(new_id) else { return Ok(()) };
            if a.launch_templates.contains_key(id) {
                a.create_launch_template_version(id, new.clone()).map_err(ec2)?;
            }
        }
        "AWS::RDS::DBInstance" => {
            let Some(new) = scratch.db_instances.get(new_id) else { return Ok(()) };
            if a.db_instances.contains_key(id) {
                a.modify_db_instance(id, Some(&new.db_instance_class), Some(&new.vpc_security_groups))
                    .map_err(|e| e.message)?;
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
