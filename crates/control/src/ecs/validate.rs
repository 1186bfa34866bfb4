//! The checks CreateService, UpdateService and RunTask apply before they
//! accept a request, with AWS's texts (shared/aws-facts.md; seen unless
//! marked inferred).
//!
//! AWS doc: "CreateService", "RunTask", "AwsVpcConfiguration", "Amazon ECS
//! task networking options for the EC2 launch type", "Use load balancing to
//! distribute Amazon ECS service traffic", "Amazon ECS service quotas".

use super::error::EcsError;
use account::{Account, AwsvpcConfiguration, Cluster, NetworkConfiguration, ServiceLoadBalancer, TaskDefinition};

/// The cluster a request names (name or ARN; `default` when absent).
pub fn cluster(account: &Account, given: Option<&str>) -> Result<Cluster, EcsError> {
    account.cluster(given.unwrap_or("default")).cloned().ok_or_else(EcsError::cluster_not_found)
}

/// The task definition a request names, ACTIVE or not (AWS still runs
/// INACTIVE revisions that are asked for by revision).
pub fn task_definition(account: &Account, reference: &str) -> Result<TaskDefinition, EcsError> {
    account.task_definition(reference).cloned().ok_or_else(EcsError::task_definition_not_found)
}

/// The launch type a request means: `EC2` unless given (no capacity
/// provider strategies in tasknet); an unknown one is refused.
pub fn launch_type(given: Option<&str>) -> Result<String, EcsError> {
    match given.unwrap_or("EC2") {
        lt @ ("EC2" | "FARGATE" | "EXTERNAL") => Ok(lt.to_string()),
        // Inferred text (the API's enum check).
        other => Err(EcsError::invalid_parameter(format!(
            "launchType {other} is not a valid launch type. Valid values: EC2, FARGATE, EXTERNAL."
        ))),
    }
}

/// Fargate takes only awsvpc task definitions that list FARGATE.
pub fn fargate_compatible(td: &TaskDefinition, launch_type: &str) -> Result<(), EcsError> {
    if launch_type != "FARGATE" {
        return Ok(());
    }
    if td.network_mode != "awsvpc" || !td.requires_compatibilities.iter().any(|c| c == "FARGATE") {
        // Inferred text.
        return Err(EcsError::invalid_parameter("Task definition does not support launch_type FARGATE."));
    }
    Ok(())
}

/// The awsvpc settings of a request, checked against the task definition's
/// network mode and the account's subnets and groups.
pub fn network(
    account: &Account,
    td: &TaskDefinition,
    launch_type: &str,
    nc: Option<&NetworkConfiguration>,
) -> Result<Option<AwsvpcConfiguration>, EcsError> {
    let awsvpc = td.network_mode == "awsvpc";
    let cfg = nc.and_then(|n| n.awsvpc_configuration.clone());
    match (awsvpc, cfg) {
        (true, None) => Err(EcsError::invalid_parameter(
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        )),
        (false, Some(_)) => Err(EcsError::invalid_parameter(
            "Network Configuration is not valid for the given networkMode of this task definition.",
        )),
        (false, None) => Ok(None),
        (true, Some(cfg)) => {
            awsvpc_configuration(account, &cfg, launch_type)?;
            Ok(Some(cfg))
        }
    }
}

/// AwsvpcConfiguration: at most 16 subnets of one VPC, at most 5 groups of
/// that VPC, no public IP on EC2.
fn awsvpc_configuration(account: &Account, cfg: &AwsvpcConfiguration, launch_type: &str) -> Result<(), EcsError> {
    if cfg.assign_public_ip == "ENABLED" && launch_type == "EC2" {
        return Err(EcsError::invalid_parameter("Assign public IP is not supported for this launch type."));
    }
    if cfg.subnets.is_empty() {
        // Inferred text.
        return Err(EcsError::invalid_parameter("subnets can not be empty."));
    }
    if cfg.subnets.len() > 16 {
        return Err(EcsError::invalid_parameter("subnets can have at most 16 items."));
    }
    if cfg.security_groups.len() > 5 {
        // Inferred text: the limit is documented, the wording follows the subnets one.
        return Err(EcsError::invalid_parameter("securityGroups can have at most 5 items."));
    }
    let mut vpc: Option<(&str, &str)> = None;
    for s in &cfg.subnets {
        let subnet = account.subnet(s).map_err(|e| retrieval("subnet", s, &e))?;
        match vpc {
            None => vpc = Some((subnet.vpc_id.as_str(), s.as_str())),
            // Inferred text: one VPC is required; AWS's wording is not in our facts.
            Some((v, first)) if v != subnet.vpc_id => {
                return Err(EcsError::invalid_parameter(format!(
                    "Subnets {first} and {s} belong to different networks."
                )))
            }
            Some(_) => {}
        }
    }
    for g in &cfg.security_groups {
        let group = account.security_group(g).map_err(|e| retrieval("security group", g, &e))?;
        if let Some((v, first)) = vpc {
            if group.vpc_id != v {
                // Seen: EC2's InvalidParameter text.
                return Err(EcsError::invalid_parameter(format!(
                    "Security group {g} and subnet {first} belong to different networks."
                )));
            }
        }
    }
    Ok(())
}

/// ECS's wrapping of an EC2 lookup error. Inferred from the seen
/// `Error retrieving security group information for [sg-…]: … (ErrorCode: …)`.
fn retrieval(kind: &str, id: &str, e: &account::Ec2Error) -> EcsError {
    EcsError::invalid_parameter(format!(
        "Error retrieving {kind} information for [{id}]: {e} (ErrorCode: {})",
        e.code()
    ))
}

/// A service's load balancers and role against its task definition.
pub fn load_balancers(
    account: &Account,
    td: &TaskDefinition,
    lbs: &[ServiceLoadBalancer],
    role: Option<&str>,
) -> Result<(), EcsError> {
    let awsvpc = td.network_mode == "awsvpc";
    if role.is_some() {
        if awsvpc {
            return Err(EcsError::invalid_parameter(
                "You cannot specify an IAM role for services that require a service linked role.",
            ));
        }
        if lbs.is_empty() {
            return Err(EcsError::invalid_parameter(
                "IAM roles are only valid for services configured to use load balancers.",
            ));
        }
    }
    if lbs.len() > 5 {
        // Inferred text: the quota of 5 target groups per service is documented.
        return Err(EcsError::invalid_parameter("loadBalancers can have at most 5 items."));
    }
    for lb in lbs {
        let Some(container) = td.container_definitions.iter().find(|c| c.name == lb.container_name) else {
            // Inferred text.
            return Err(EcsError::invalid_parameter(format!(
                "The container {} does not exist in the task definition.",
                lb.container_name
            )));
        };
        if !container.port_mappings.iter().any(|m| m.container_port == lb.container_port) {
            // Inferred text.
            return Err(EcsError::invalid_parameter(format!(
                "The container {} did not have a container port {} defined.",
                container.name, lb.container_port
            )));
        }
        let Some(tg_arn) = &lb.target_group_arn else {
            continue;
        };
        let Some(tg) = account.target_groups.get(tg_arn) else {
            // Inferred text.
            return Err(EcsError::invalid_parameter(format!("The target group {tg_arn} does not exist.")));
        };
        let mode = td.network_mode.as_str();
        if awsvpc && tg.target_type == "instance" {
            return Err(EcsError::invalid_parameter(format!(
                "The provided target group {tg_arn} has target type instance, which is incompatible with the awsvpc network mode specified in the task definition."
            )));
        }
        if (mode == "bridge" || mode == "host") && tg.target_type == "ip" {
            return Err(EcsError::invalid_parameter(format!(
                "The provided target group {tg_arn} has target type ip, which is incompatible with the {mode} network mode specified in the task definition."
            )));
        }
        if tg.load_balancer_arns.is_empty() {
            return Err(EcsError::invalid_parameter(format!(
                "The target group with targetGroupArn {tg_arn} does not have an associated load balancer."
            )));
        }
    }
    Ok(())
}
