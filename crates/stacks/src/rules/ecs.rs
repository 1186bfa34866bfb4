//! ECS's create-time checks over the finished plan: each task definition
//! and service is turned into the request its properties make and judged by
//! `control::ecs::validate` (the same code RunTask and CreateService run);
//! this module only places each refusal at its property, with a finding code
//! and a fix. AWS doc: "CreateService", "RegisterTaskDefinition".

use crate::handlers::ecs::{service_request, task_definition_request};
use crate::planner::{Planner, ResolvedResource};
use crate::props::Props;
use account::{Account, TaskDefinition};
use cfn::{Diagnostic, Pos};
use control::ecs::{validate, CreateServiceRequest, EcsError, Field, LbMember, Rule};

/// CloudFormation's wrapping of CreateService errors (seen).
fn create_service(text: &str) -> String {
    format!("Invalid request provided: CreateService error: {text}")
}

/// Runs the ECS checks over every planned task definition and service.
pub fn check(p: &mut Planner) {
    let resources: Vec<ResolvedResource> = p.resolved.values().cloned().collect();
    let mut found = Vec::new();
    for r in &resources {
        let props = Props { logical_id: &r.logical_id, node: &r.properties, resource_pos: r.pos };
        match r.resource_type.as_str() {
            "AWS::ECS::TaskDefinition" => {
                let td = task_definition_request(&props, String::new());
                for e in validate::task_definition_request(&td).0 {
                    found.extend(task_definition_finding(&props, &td, &e));
                }
            }
            "AWS::ECS::Service" => {
                let Some(svc) = p.physical_id(&r.logical_id).and_then(|arn| p.account.services.get(arn)) else {
                    continue;
                };
                let req = service_request(&props, svc.service_name.clone());
                for e in validate::create_service(&p.account, &req).0 {
                    found.extend(service_finding(&p.account, &props, &req, &e));
                }
            }
            _ => {}
        }
    }
    for d in found {
        p.report(d);
    }
}

/// A finding at `path` (under the resource's properties) and `pos`.
fn finding(props: &Props<'_>, code: &'static str, message: String, path: &str, pos: Pos, hint: &str) -> Diagnostic {
    Diagnostic::error(code, message)
        .resource(props.logical_id)
        .path(format!("Resources/{}/Properties/{path}", props.logical_id))
        .at(pos)
        .hint(hint)
}

/// A RegisterTaskDefinition refusal as a finding.
fn task_definition_finding(props: &Props<'_>, td: &TaskDefinition, e: &EcsError) -> Option<Diagnostic> {
    let text = e.message.clone();
    match (e.rule?, e.field?) {
        (Rule::TooManyContainers, _) => Some(finding(
            props,
            "TN2016",
            text,
            "ContainerDefinitions",
            props.pos("ContainerDefinitions"),
            "split the containers over more than one task definition (at most 10 each)",
        )),
        (Rule::HostPortMismatch, Field::HostPort { container, mapping }) => {
            let c = props.children("ContainerDefinitions").into_iter().nth(container)?;
            let m = c.children("PortMappings").into_iter().nth(mapping)?;
            let port = td.container_definitions.get(container)?.port_mappings.get(mapping)?.container_port;
            Some(finding(
                props,
                "TN2003",
                text,
                &format!("ContainerDefinitions/{container}/PortMappings/{mapping}/HostPort"),
                m.pos("HostPort"),
                &format!("remove HostPort (awsvpc has no dynamic port mapping) or set it to {port}"),
            ))
        }
        _ => None,
    }
}

/// The finding code and fix of a CreateService rule; `None` for rules a
/// service cannot break (RunTask's count).
fn code_and_fix(a: &Account, req: &CreateServiceRequest, e: &EcsError) -> Option<(&'static str, String)> {
    let td = || a.task_definition(&req.task_definition);
    let groups = || req.network_configuration.as_ref().and_then(|n| n.awsvpc_configuration.as_ref());
    let lb = |i: usize| req.load_balancers.get(i);
    let fix = |s: &str| s.to_string();
    Some(match e.rule? {
        // The ECS agent creates `default` when an instance registers without
        // ECS_CLUSTER, so whether it exists at CreateService depends on timing
        // a plan cannot know; other names must be the account's or the stack's.
        Rule::ClusterNotFound if req.cluster.as_deref() == Some("default") => return None,
        Rule::ClusterNotFound => ("TN4004", fix("create the cluster (AWS::ECS::Cluster) and name it in Cluster, or leave Cluster out only if the account has a default cluster")),
        Rule::TaskDefinitionNotFound => ("TN4005", fix("name a task definition the account has, or Ref the stack's own AWS::ECS::TaskDefinition")),
        Rule::InvalidLaunchType => ("TN2018", fix("use LaunchType EC2, FARGATE or EXTERNAL")),
        Rule::FargateIncompatible => ("TN2017", fix("give the task definition NetworkMode: awsvpc and RequiresCompatibilities: [FARGATE], or use LaunchType: EC2")),
        Rule::TaskCount => return None,
        Rule::NetworkConfigurationRequired => ("TN2001", fix("add NetworkConfiguration: AwsvpcConfiguration: {Subnets: [...], SecurityGroups: [...]} to the service")),
        Rule::NetworkConfigurationNotValid => ("TN2002", format!(
            "remove NetworkConfiguration, or set NetworkMode: awsvpc on the task definition (it is {})",
            td().map_or("unknown", |t| t.network_mode.as_str())
        )),
        Rule::RoleWithServiceLinkedRole => ("TN2006", fix("remove Role: awsvpc services use the ECS service-linked role")),
        Rule::RoleWithoutLoadBalancers => ("TN2007", fix("remove Role, or give the service LoadBalancers")),
        Rule::AssignPublicIp => ("TN2008", fix("remove AssignPublicIp (or set DISABLED): awsvpc tasks on EC2 get no public IP; give private subnets a NAT gateway route instead")),
        Rule::SubnetsEmpty => ("TN2019", fix("list the subnets the tasks' network interfaces go in")),
        Rule::TooManySubnets => ("TN2009", fix("list at most 16 subnets")),
        Rule::TooManySecurityGroups => ("TN2010", fix("list at most 5 security groups (merge rules into fewer groups)")),
        Rule::SubnetNotFound => ("TN4001", fix("use a subnet ID the account has (tasknet account show), or declare it in the account file")),
        Rule::SecurityGroupNotFound => {
            let g = match e.field {
                Some(Field::SecurityGroups(Some(i))) => groups().and_then(|c| c.security_groups.get(i)).cloned(),
                _ => None,
            }
            .unwrap_or_default();
            let hint = if g.starts_with("sg-") {
                fix("use a security group ID the account has, or declare it in the account file")
            } else {
                format!("'{g}' is a group name: Ref of a security group without VpcId returns its name; use !GetAtt <group>.GroupId or give the group a VpcId")
            };
            ("TN4003", hint)
        }
        Rule::DifferentNetworks => match e.field {
            Some(Field::SecurityGroups(_)) => ("TN2011", fix("use security groups of the subnets' VPC")),
            _ => ("TN2011", fix("list subnets of one VPC only")),
        },
        Rule::TooManyLoadBalancers => ("TN2021", fix("list at most 5 target groups in LoadBalancers")),
        Rule::ContainerNotFound => {
            let names: Vec<String> =
                td().map(|t| t.container_definitions.iter().map(|c| c.name.clone()).collect()).unwrap_or_default();
            ("TN2014", format!("ContainerName must be one of the task definition's containers: {}", names.join(", ")))
        }
        Rule::ContainerPortNotDefined => {
            let Some(Field::LoadBalancer(i, _)) = e.field else { return None };
            let c = td()?.container_definitions.iter().find(|c| Some(&c.name) == lb(i).map(|l| &l.container_name))?;
            let ports: Vec<String> = c.port_mappings.iter().map(|m| m.container_port.to_string()).collect();
            let ports = if ports.is_empty() { "none".to_string() } else { ports.join(", ") };
            ("TN2015", format!("ContainerPort must be one of {}'s container ports: {ports}", c.name))
        }
        Rule::TargetGroupNotFound => ("TN4006", fix("name a target group the account has, or Ref the stack's own AWS::ElasticLoadBalancingV2::TargetGroup")),
        Rule::TargetTypeInstance => ("TN2004", fix("set TargetType: ip on the target group (awsvpc tasks register by IP address)")),
        Rule::TargetTypeIp => ("TN2005", fix("remove TargetType: ip (use instance) or switch the task definition to NetworkMode: awsvpc")),
        Rule::TargetGroupWithoutLoadBalancer => ("TN2013", fix("attach the target group to a listener (DefaultActions forward) or listener rule, and make the service DependsOn that listener")),
        Rule::TargetGroupInOtherVpc => ("TN2012", fix("give the target group the VpcId of the service's subnets")),
        Rule::HostPortMismatch | Rule::TooManyContainers => return None,
    })
}

/// A CreateService refusal as a finding at the property its member came from.
fn service_finding(a: &Account, props: &Props<'_>, req: &CreateServiceRequest, e: &EcsError) -> Option<Diagnostic> {
    let (code, hint) = code_and_fix(a, req, e)?;
    let text = create_service(&e.message);
    let nc = "NetworkConfiguration";
    let awsvpc = props.child(nc).and_then(|n| n.child("AwsvpcConfiguration"));
    // A member of AwsvpcConfiguration: there when the template has it, else at NetworkConfiguration.
    let nested = |leaf: &str| {
        let pos = awsvpc.as_ref().map_or_else(|| props.pos(nc), |a| a.pos(leaf));
        (format!("{nc}/AwsvpcConfiguration/{leaf}"), pos)
    };
    let (path, pos) = match e.field? {
        Field::Cluster => ("Cluster".to_string(), props.pos("Cluster")),
        Field::TaskDefinition => ("TaskDefinition".to_string(), props.pos("TaskDefinition")),
        Field::LaunchType => ("LaunchType".to_string(), props.pos("LaunchType")),
        Field::NetworkConfiguration => (nc.to_string(), props.pos(nc)),
        Field::AssignPublicIp => nested("AssignPublicIp"),
        Field::Subnets(_) => nested("Subnets"),
        Field::SecurityGroups(_) => nested("SecurityGroups"),
        Field::Role => ("Role".to_string(), props.pos("Role")),
        Field::LoadBalancers => ("LoadBalancers".to_string(), props.pos("LoadBalancers")),
        Field::LoadBalancer(i, member) => {
            let leaf = match member {
                LbMember::ContainerName => "ContainerName",
                LbMember::ContainerPort => "ContainerPort",
                LbMember::TargetGroupArn => "TargetGroupArn",
            };
            let item = props.children("LoadBalancers").into_iter().nth(i).unwrap_or_else(|| props.clone());
            (format!("LoadBalancers/{i}/{leaf}"), item.pos(leaf))
        }
        Field::Count | Field::ContainerDefinitions | Field::HostPort { .. } => return None,
    };
    Some(finding(props, code, text, &path, pos, &hint))
}
