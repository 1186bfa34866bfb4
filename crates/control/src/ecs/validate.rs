//! The checks CreateService, UpdateService, RunTask and
//! RegisterTaskDefinition apply before they accept a request, with AWS's
//! texts (shared/aws-facts.md; seen unless marked inferred). Each check
//! collects every refusal, named by [`Rule`] and [`Field`]: the API answers
//! with the first, a template door reports them all.
//!
//! AWS doc: "CreateService", "RunTask", "RegisterTaskDefinition",
//! "AwsVpcConfiguration", "Amazon ECS task networking options for the EC2
//! launch type", "Use load balancing to distribute Amazon ECS service
//! traffic", "Amazon ECS service quotas".

use super::api::{CreateServiceRequest, RunTaskRequest};
use super::error::EcsError;
use super::rule::{Field, LbMember, Rule};
use account::{Account, Cluster, NetworkConfiguration, ServiceLoadBalancer, TaskDefinition};

/// The refusals of one request, in the order ECS checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refusals(pub Vec<EcsError>);

impl Refusals {
    fn add(&mut self, rule: Rule, field: Field, e: EcsError) {
        self.0.push(e.about(rule, field));
    }

    /// `Ok` when nothing was refused, else the first refusal (what the API answers).
    pub fn first(self) -> Result<(), EcsError> {
        self.0.into_iter().next().map_or(Ok(()), Err)
    }
}

/// The cluster a request names (name or ARN; `default` when absent).
pub fn cluster(account: &Account, given: Option<&str>) -> Result<Cluster, EcsError> {
    account
        .cluster(given.unwrap_or("default"))
        .cloned()
        .ok_or_else(|| EcsError::cluster_not_found().about(Rule::ClusterNotFound, Field::Cluster))
}

/// The task definition a request names, ACTIVE or not (AWS still runs
/// INACTIVE revisions that are asked for by revision).
pub fn task_definition(account: &Account, reference: &str) -> Result<TaskDefinition, EcsError> {
    account
        .task_definition(reference)
        .cloned()
        .ok_or_else(|| EcsError::task_definition_not_found().about(Rule::TaskDefinitionNotFound, Field::TaskDefinition))
}

/// The launch type a request means: `EC2` unless given; an unknown one is refused.
pub fn launch_type(given: Option<&str>) -> Result<String, EcsError> {
    match given.unwrap_or("EC2") {
        lt @ ("EC2" | "FARGATE" | "EXTERNAL") => Ok(lt.to_string()),
        // Inferred text (the API's enum check).
        other => Err(EcsError::invalid_parameter(format!(
            "launchType {other} is not a valid launch type. Valid values: EC2, FARGATE, EXTERNAL."
        ))
        .about(Rule::InvalidLaunchType, Field::LaunchType)),
    }
}

/// The launch type a service's tasks get: the one given, else FARGATE for a
/// strategy of Fargate capacity providers, else EC2.
pub fn service_launch_type(req: &CreateServiceRequest) -> Result<String, EcsError> {
    if req.launch_type.is_none() && !req.capacity_provider_strategy.is_empty() {
        let fargate = req.capacity_provider_strategy.iter().all(|c| c.capacity_provider.starts_with("FARGATE"));
        return Ok(if fargate { "FARGATE" } else { "EC2" }.into());
    }
    launch_type(req.launch_type.as_deref())
}

/// Fargate takes only awsvpc task definitions that list FARGATE.
fn fargate_compatible(out: &mut Refusals, td: &TaskDefinition, launch_type: &str) {
    if launch_type == "FARGATE"
        && (td.network_mode != "awsvpc" || !td.requires_compatibilities.iter().any(|c| c == "FARGATE"))
    {
        // Inferred text.
        let e = EcsError::invalid_parameter("Task definition does not support launch_type FARGATE.");
        out.add(Rule::FargateIncompatible, Field::LaunchType, e);
    }
}

/// Every refusal CreateService gives `req`.
pub fn create_service(account: &Account, req: &CreateServiceRequest) -> Refusals {
    let mut out = Refusals::default();
    if let Err(e) = cluster(account, req.cluster.as_deref()) {
        out.0.push(e);
    }
    let td = match task_definition(account, &req.task_definition) {
        Ok(td) => td,
        Err(e) => {
            out.0.push(e);
            return out;
        }
    };
    match service_launch_type(req) {
        Ok(launch) => {
            let body = ServiceBody {
                td: &td,
                launch_type: &launch,
                network: req.network_configuration.as_ref(),
                load_balancers: &req.load_balancers,
                role: req.role.as_deref(),
            };
            service(&mut out, account, &body);
        }
        Err(e) => out.0.push(e),
    }
    out
}

/// What CreateService and UpdateService check of a service's settings.
pub struct ServiceBody<'a> {
    /// The task definition the tasks run.
    pub td: &'a TaskDefinition,
    /// `EC2`, `FARGATE` or `EXTERNAL`.
    pub launch_type: &'a str,
    /// The awsvpc settings.
    pub network: Option<&'a NetworkConfiguration>,
    /// The target groups the tasks register in.
    pub load_balancers: &'a [ServiceLoadBalancer],
    /// The service role.
    pub role: Option<&'a str>,
}

/// The refusals of a service's settings, in the order a template reports them.
pub fn service(out: &mut Refusals, account: &Account, body: &ServiceBody<'_>) {
    fargate_compatible(out, body.td, body.launch_type);
    let awsvpc = network_mode(out, body.td, body.network);
    role(out, awsvpc, body.role, body.load_balancers);
    let vpc = body
        .network
        .and_then(|n| n.awsvpc_configuration.as_ref())
        .filter(|_| awsvpc)
        .and_then(|cfg| awsvpc_configuration(out, account, cfg, body.launch_type));
    load_balancers(out, account, body.td, body.load_balancers, vpc.as_deref());
}

/// Every refusal RunTask gives `req`.
pub fn run_task(account: &Account, req: &RunTaskRequest) -> Refusals {
    let mut out = Refusals::default();
    if let Err(e) = cluster(account, req.cluster.as_deref()) {
        out.0.push(e);
        return out;
    }
    let td = match task_definition(account, &req.task_definition) {
        Ok(td) => td,
        Err(e) => {
            out.0.push(e);
            return out;
        }
    };
    if !(1..=10).contains(&req.count.unwrap_or(1)) {
        // Inferred text: the limit of 10 tasks per call is documented.
        out.add(Rule::TaskCount, Field::Count, EcsError::invalid_parameter("count must be between 1 and 10."));
    }
    let launch = match launch_type(req.launch_type.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            out.0.push(e);
            return out;
        }
    };
    fargate_compatible(&mut out, &td, &launch);
    if network_mode(&mut out, &td, req.network_configuration.as_ref()) {
        if let Some(cfg) = req.network_configuration.as_ref().and_then(|n| n.awsvpc_configuration.as_ref()) {
            awsvpc_configuration(&mut out, account, cfg, &launch);
        }
    }
    out
}

/// Network configuration against the task definition's network mode; true
/// when the task definition is awsvpc and has a configuration to check further.
fn network_mode(out: &mut Refusals, td: &TaskDefinition, nc: Option<&NetworkConfiguration>) -> bool {
    let awsvpc = td.network_mode == "awsvpc";
    let has = nc.and_then(|n| n.awsvpc_configuration.as_ref()).is_some();
    let field = Field::NetworkConfiguration;
    if awsvpc && !has {
        let e = EcsError::invalid_parameter(
            "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
        );
        out.add(Rule::NetworkConfigurationRequired, field, e);
    }
    if !awsvpc && nc.is_some() {
        let e = EcsError::invalid_parameter(
            "Network Configuration is not valid for the given networkMode of this task definition.",
        );
        out.add(Rule::NetworkConfigurationNotValid, field, e);
    }
    awsvpc && has
}

/// A service role: only for services behind load balancers that are not awsvpc.
fn role(out: &mut Refusals, awsvpc: bool, role: Option<&str>, lbs: &[ServiceLoadBalancer]) {
    if role.is_none() {
        return;
    }
    if awsvpc {
        let e = EcsError::invalid_parameter(
            "You cannot specify an IAM role for services that require a service linked role.",
        );
        out.add(Rule::RoleWithServiceLinkedRole, Field::Role, e);
    } else if lbs.is_empty() {
        let e = EcsError::invalid_parameter("IAM roles are only valid for services configured to use load balancers.");
        out.add(Rule::RoleWithoutLoadBalancers, Field::Role, e);
    }
}

/// AwsvpcConfiguration: at most 16 subnets of one VPC, at most 5 groups of
/// that VPC, no public IP on EC2. Returns the subnets' VPC.
fn awsvpc_configuration(
    out: &mut Refusals,
    account: &Account,
    cfg: &account::AwsvpcConfiguration,
    launch_type: &str,
) -> Option<String> {
    if cfg.assign_public_ip == "ENABLED" && launch_type == "EC2" {
        let e = EcsError::invalid_parameter("Assign public IP is not supported for this launch type.");
        out.add(Rule::AssignPublicIp, Field::AssignPublicIp, e);
    }
    if cfg.subnets.is_empty() {
        // Inferred text.
        out.add(Rule::SubnetsEmpty, Field::Subnets(None), EcsError::invalid_parameter("subnets can not be empty."));
    }
    if cfg.subnets.len() > 16 {
        let e = EcsError::invalid_parameter("subnets can have at most 16 items.");
        out.add(Rule::TooManySubnets, Field::Subnets(None), e);
    }
    if cfg.security_groups.len() > 5 {
        // Inferred text: the limit is documented, the wording follows the subnets one.
        let e = EcsError::invalid_parameter("securityGroups can have at most 5 items.");
        out.add(Rule::TooManySecurityGroups, Field::SecurityGroups(None), e);
    }
    let mut vpc: Option<(&str, &str)> = None;
    for (i, s) in cfg.subnets.iter().enumerate() {
        let subnet = match account.subnet(s) {
            Ok(subnet) => subnet,
            Err(e) => {
                out.add(Rule::SubnetNotFound, Field::Subnets(Some(i)), retrieval("subnet", s, &e));
                continue;
            }
        };
        match vpc {
            None => vpc = Some((subnet.vpc_id.as_str(), s.as_str())),
            // Inferred text: one VPC is required; AWS's wording is not in our facts.
            Some((v, first)) if v != subnet.vpc_id => {
                let e = EcsError::invalid_parameter(format!("Subnets {first} and {s} belong to different networks."));
                out.add(Rule::DifferentNetworks, Field::Subnets(Some(i)), e);
            }
            Some(_) => {}
        }
    }
    for (i, g) in cfg.security_groups.iter().enumerate() {
        let group = match account.security_group(g) {
            Ok(group) => group,
            Err(e) => {
                out.add(
                    Rule::SecurityGroupNotFound,
                    Field::SecurityGroups(Some(i)),
                    retrieval("security group", g, &e),
                );
                continue;
            }
        };
        if let Some((v, first)) = vpc {
            if group.vpc_id != v {
                // Seen: EC2's InvalidParameter text.
                let e = EcsError::invalid_parameter(format!(
                    "Security group {g} and subnet {first} belong to different networks."
                ));
                out.add(Rule::DifferentNetworks, Field::SecurityGroups(Some(i)), e);
            }
        }
    }
    vpc.map(|(v, _)| v.to_string())
}

/// ECS's wrapping of an EC2 lookup error. Seen (CloudFormation's wrapping
/// of CreateService, 2022): `Error retrieving subnet information for
/// [birdzview]: The subnet ID 'birdzview' does not exist (ErrorCode:
/// InvalidSubnetID.NotFound)`; the security group form follows it.
fn retrieval(kind: &str, id: &str, e: &account::Ec2Error) -> EcsError {
    EcsError::invalid_parameter(format!(
        "Error retrieving {kind} information for [{id}]: {e} (ErrorCode: {})",
        e.code()
    ))
}

/// A service's load balancers against its task definition and its tasks' VPC.
fn load_balancers(
    out: &mut Refusals,
    account: &Account,
    td: &TaskDefinition,
    lbs: &[ServiceLoadBalancer],
    service_vpc: Option<&str>,
) {
    if lbs.len() > 5 {
        // Inferred text: the quota of 5 target groups per service is documented.
        let e = EcsError::invalid_parameter("loadBalancers can have at most 5 items.");
        out.add(Rule::TooManyLoadBalancers, Field::LoadBalancers, e);
    }
    for (i, lb) in lbs.iter().enumerate() {
        let at = |m| Field::LoadBalancer(i, m);
        match td.container_definitions.iter().find(|c| c.name == lb.container_name) {
            // Inferred text.
            None => out.add(
                Rule::ContainerNotFound,
                at(LbMember::ContainerName),
                EcsError::invalid_parameter(format!(
                    "The container {} does not exist in the task definition.",
                    lb.container_name
                )),
            ),
            // Inferred text.
            Some(c) if !c.port_mappings.iter().any(|m| m.container_port == lb.container_port) => out.add(
                Rule::ContainerPortNotDefined,
                at(LbMember::ContainerPort),
                EcsError::invalid_parameter(format!(
                    "The container {} did not have a container port {} defined.",
                    c.name, lb.container_port
                )),
            ),
            Some(_) => {}
        }
        let Some(tg_arn) = &lb.target_group_arn else {
            continue;
        };
        let Some(tg) = account.target_groups.get(tg_arn) else {
            // Inferred text.
            let e = EcsError::invalid_parameter(format!("The target group {tg_arn} does not exist."));
            out.add(Rule::TargetGroupNotFound, at(LbMember::TargetGroupArn), e);
            continue;
        };
        let mode = td.network_mode.as_str();
        if mode == "awsvpc" && tg.target_type == "instance" {
            let e = EcsError::invalid_parameter(format!(
                "The provided target group {tg_arn} has target type instance, which is incompatible with the awsvpc network mode specified in the task definition."
            ));
            out.add(Rule::TargetTypeInstance, at(LbMember::TargetGroupArn), e);
        }
        if (mode == "bridge" || mode == "host") && tg.target_type == "ip" {
            let e = EcsError::invalid_parameter(format!(
                "The provided target group {tg_arn} has target type ip, which is incompatible with the {mode} network mode specified in the task definition."
            ));
            out.add(Rule::TargetTypeIp, at(LbMember::TargetGroupArn), e);
        }
        if tg.load_balancer_arns.is_empty() {
            let e = EcsError::invalid_parameter(format!(
                "The target group with targetGroupArn {tg_arn} does not have an associated load balancer."
            ));
            out.add(Rule::TargetGroupWithoutLoadBalancer, at(LbMember::TargetGroupArn), e);
        }
        if let (Some(tg_vpc), Some(svc_vpc)) = (tg.vpc_id.as_deref(), service_vpc) {
            if tg_vpc != svc_vpc {
                // tasknet's words: AWS fails this at target registration; its text is not in our facts.
                let e = EcsError::invalid_parameter(format!(
                    "The target group {tg_arn} is in VPC {tg_vpc}, but the service's tasks are in VPC {svc_vpc}."
                ));
                out.add(Rule::TargetGroupInOtherVpc, at(LbMember::TargetGroupArn), e);
            }
        }
    }
}

/// Every refusal RegisterTaskDefinition gives `td`.
pub fn task_definition_request(td: &TaskDefinition) -> Refusals {
    let mut out = Refusals::default();
    // AWS doc: "Amazon ECS service quotas": 10 containers per task definition.
    if td.container_definitions.len() > 10 {
        // Inferred text: the quota is documented, the API's wording for it is not in our facts.
        let e = EcsError::client(format!(
            "Too many containers in task definition: {} (a task definition can have at most 10 containers).",
            td.container_definitions.len()
        ));
        out.add(Rule::TooManyContainers, Field::ContainerDefinitions, e);
    }
    if td.network_mode != "awsvpc" {
        return out;
    }
    for (ci, c) in td.container_definitions.iter().enumerate() {
        for (mi, m) in c.port_mappings.iter().enumerate() {
            if m.host_port.is_some_and(|h| h != m.container_port) {
                // Seen: RegisterTaskDefinition ClientException.
                let e = EcsError::client(
                    "When networkMode=awsvpc, the host ports and container ports in port mappings must match.",
                );
                out.add(Rule::HostPortMismatch, Field::HostPort { container: ci, mapping: mi }, e);
            }
        }
    }
    out
}
