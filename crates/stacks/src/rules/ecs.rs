//! ECS's create-time checks: RegisterTaskDefinition and CreateService.
//! AWS doc: "Amazon ECS task networking options for the EC2 launch type",
//! "Task definition parameters", "CreateService". Texts marked seen are in
//! shared/aws-facts.md; the others are marked inferred where they stand.

use crate::planner::{Planner, ResolvedResource};
use crate::props::Props;
use account::{Account, Service, TaskDefinition};
use cfn::Diagnostic;

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
            "AWS::ECS::TaskDefinition" => task_definition(&props, &mut found),
            "AWS::ECS::Service" => {
                let Some(arn) = p.physical_id(&r.logical_id) else {
                    continue;
                };
                let Some(svc) = p.account.services.get(arn) else {
                    continue;
                };
                service(&p.account, &props, svc, &mut found);
            }
            _ => {}
        }
    }
    for d in found {
        p.report(d);
    }
}

fn at(props: &Props<'_>, code: &'static str, message: String, property: &str, hint: &str) -> Diagnostic {
    Diagnostic::error(code, message)
        .resource(props.logical_id)
        .path(props.path(property))
        .at(props.pos(property))
        .hint(hint)
}

/// RegisterTaskDefinition checks.
fn task_definition(props: &Props<'_>, out: &mut Vec<Diagnostic>) {
    let awsvpc = props.str("NetworkMode").as_deref() == Some("awsvpc");
    let containers = props.children("ContainerDefinitions");
    // AWS doc: "Amazon ECS service quotas": 10 containers per task definition.
    if containers.len() > 10 {
        out.push(at(
            props,
            "TN2016",
            // Inferred text: the quota is documented, the API's wording for it is not in our facts.
            format!(
                "Too many containers in task definition: {} (a task definition can have at most 10 containers).",
                containers.len()
            ),
            "ContainerDefinitions",
            "split the containers over more than one task definition (at most 10 each)",
        ));
    }
    if !awsvpc {
        return;
    }
    for (ci, c) in containers.iter().enumerate() {
        for (mi, m) in c.children("PortMappings").iter().enumerate() {
            let (Some(container), Some(host)) = (m.u32("ContainerPort"), m.u32("HostPort")) else {
                continue;
            };
            if container != host {
                // Seen: RegisterTaskDefinition ClientException.
                out.push(
                    Diagnostic::error(
                        "TN2003",
                        "When networkMode=awsvpc, the host ports and container ports in port mappings must match.",
                    )
                    .resource(props.logical_id)
                    .path(format!(
                        "Resources/{}/Properties/ContainerDefinitions/{ci}/PortMappings/{mi}/HostPort",
                        props.logical_id
                    ))
                    .at(m.pos("HostPort"))
                    .hint(format!("remove HostPort (awsvpc has no dynamic port mapping) or set it to {container}")),
                );
            }
        }
    }
}

/// The VPC of a subnet or a group, if the account has it.
fn vpc_of_subnet<'a>(a: &'a Account, id: &str) -> Option<&'a str> {
    a.subnets.get(id).map(|s| s.vpc_id.as_str())
}

/// CreateService checks.
fn service(a: &Account, props: &Props<'_>, svc: &Service, out: &mut Vec<Diagnostic>) {
    let Some(td) = a.task_definition(&svc.task_definition) else {
        return;
    };
    let awsvpc = td.network_mode == "awsvpc";
    let awsvpc_config = svc.network_configuration.as_ref().and_then(|n| n.awsvpc_configuration.as_ref());
    if awsvpc && awsvpc_config.is_none() {
        out.push(at(
            props,
            "TN2001",
            create_service("Network Configuration must be provided when networkMode 'awsvpc' is specified."),
            "NetworkConfiguration",
            "add NetworkConfiguration: AwsvpcConfiguration: {Subnets: [...], SecurityGroups: [...]} to the service",
        ));
    }
    if !awsvpc && svc.network_configuration.is_some() {
        out.push(at(
            props,
            "TN2002",
            create_service("Network Configuration is not valid for the given networkMode of this task definition."),
            "NetworkConfiguration",
            &format!(
                "remove NetworkConfiguration, or set NetworkMode: awsvpc on the task definition (it is {})",
                td.network_mode
            ),
        ));
    }
    if svc.role_arn.is_some() {
        if awsvpc {
            out.push(at(
                props,
                "TN2006",
                create_service("You cannot specify an IAM role for services that require a service linked role."),
                "Role",
                "remove Role: awsvpc services use the ECS service-linked role",
            ));
        } else if svc.load_balancers.is_empty() {
            out.push(at(
                props,
                "TN2007",
                create_service("IAM roles are only valid for services configured to use load balancers."),
                "Role",
                "remove Role, or give the service LoadBalancers",
            ));
        }
    }
    if let Some(cfg) = awsvpc_config {
        awsvpc_configuration(a, props, svc, cfg, out);
    }
    load_balancers(
        a,
        props,
        svc,
        td,
        awsvpc_config.and_then(|c| c.subnets.iter().find_map(|s| vpc_of_subnet(a, s))),
        out,
    );
}

fn awsvpc_configuration(
    a: &Account,
    props: &Props<'_>,
    svc: &Service,
    cfg: &account::AwsvpcConfiguration,
    out: &mut Vec<Diagnostic>,
) {
    let nc = "NetworkConfiguration";
    let awsvpc = props.child(nc).and_then(|n| n.child("AwsvpcConfiguration"));
    // Point at the exact property inside AwsvpcConfiguration.
    let nested = |p: &Props<'_>, d: Diagnostic, leaf: &str| {
        let d =
            d.path(format!("Resources/{}/Properties/NetworkConfiguration/AwsvpcConfiguration/{leaf}", p.logical_id));
        match &awsvpc {
            Some(a) => d.at(a.pos(leaf)),
            None => d,
        }
    };
    let launch_ec2 =
        svc.launch_type.as_deref().is_none_or(|l| l == "EC2") && props.get("CapacityProviderStrategy").is_none();
    if cfg.assign_public_ip == "ENABLED" && launch_ec2 {
        let d = at(props, "TN2008", create_service("Assign public IP is not supported for this launch type."), nc,
            "remove AssignPublicIp (or set DISABLED): awsvpc tasks on EC2 get no public IP; give private subnets a NAT gateway route instead");
        out.push(nested(props, d, "AssignPublicIp"));
    }
    if cfg.subnets.len() > 16 {
        let d =
            at(props, "TN2009", create_service("subnets can have at most 16 items."), nc, "list at most 16 subnets");
        out.push(nested(props, d, "Subnets"));
    }
    if cfg.security_groups.len() > 5 {
        // Inferred text: the limit of 5 is documented, the wording follows the subnets message.
        let d = at(
            props,
            "TN2010",
            create_service("securityGroups can have at most 5 items."),
            nc,
            "list at most 5 security groups (merge rules into fewer groups)",
        );
        out.push(nested(props, d, "SecurityGroups"));
    }
    let mut vpc: Option<&str> = None;
    let mut first_subnet = "";
    for s in &cfg.subnets {
        match a.subnets.get(s) {
            None => {
                let d = at(
                    props,
                    "TN4001",
                    create_service(&account::Ec2Error::SubnetNotFound(s.clone()).to_string()),
                    nc,
                    "use a subnet ID the account has (tasknet account show), or declare it in the account file",
                );
                out.push(nested(props, d, "Subnets"));
            }
            Some(sub) => match vpc {
                None => {
                    vpc = Some(&sub.vpc_id);
                    first_subnet = s;
                }
                Some(v) if v != sub.vpc_id => {
                    // Inferred text: AWS requires one VPC; its wording for subnets is not in our facts.
                    let d = at(
                        props,
                        "TN2011",
                        create_service(&format!("Subnets {first_subnet} and {s} belong to different networks.")),
                        nc,
                        "list subnets of one VPC only",
                    );
                    out.push(nested(props, d, "Subnets"));
                }
                Some(_) => {}
            },
        }
    }
    for g in &cfg.security_groups {
        match a.security_groups.get(g) {
            None => {
                let hint = if g.starts_with("sg-") {
                    "use a security group ID the account has, or declare it in the account file".to_string()
                } else {
                    format!("'{g}' is a group name: Ref of a security group without VpcId returns its name; use !GetAtt <group>.GroupId or give the group a VpcId")
                };
                let d = at(
                    props,
                    "TN4003",
                    create_service(&account::Ec2Error::GroupNotFound(g.clone()).to_string()),
                    nc,
                    &hint,
                );
                out.push(nested(props, d, "SecurityGroups"));
            }
            Some(group) => {
                if let Some(v) = vpc {
                    if group.vpc_id != v {
                        // Seen: EC2's InvalidParameter text.
                        let d = at(
                            props,
                            "TN2011",
                            create_service(&format!(
                                "Security group {g} and subnet {first_subnet} belong to different networks."
                            )),
                            nc,
                            "use security groups of the subnets' VPC",
                        );
                        out.push(nested(props, d, "SecurityGroups"));
                    }
                }
            }
        }
    }
}

fn load_balancers(
    a: &Account,
    props: &Props<'_>,
    svc: &Service,
    td: &TaskDefinition,
    service_vpc: Option<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let items = props.children("LoadBalancers");
    for (i, lb) in svc.load_balancers.iter().enumerate() {
        let item = items.get(i).cloned().unwrap_or_else(|| props.clone());
        let place = |d: Diagnostic, leaf: &str| {
            d.path(format!("Resources/{}/Properties/LoadBalancers/{i}/{leaf}", props.logical_id)).at(item.pos(leaf))
        };
        match td.container_definitions.iter().find(|c| c.name == lb.container_name) {
            None => {
                // Inferred text.
                let names: Vec<&str> = td.container_definitions.iter().map(|c| c.name.as_str()).collect();
                let d = at(
                    props,
                    "TN2014",
                    create_service(&format!(
                        "The container {} does not exist in the task definition.",
                        lb.container_name
                    )),
                    "LoadBalancers",
                    &format!("ContainerName must be one of the task definition's containers: {}", names.join(", ")),
                );
                out.push(place(d, "ContainerName"));
            }
            Some(c) if !c.port_mappings.iter().any(|m| m.container_port == lb.container_port) => {
                // Inferred text.
                let ports: Vec<String> = c.port_mappings.iter().map(|m| m.container_port.to_string()).collect();
                let d = at(
                    props,
                    "TN2015",
                    create_service(&format!(
                        "The container {} did not have a container port {} defined.",
                        c.name, lb.container_port
                    )),
                    "LoadBalancers",
                    &format!(
                        "ContainerPort must be one of {}'s container ports: {}",
                        c.name,
                        if ports.is_empty() { "none".to_string() } else { ports.join(", ") }
                    ),
                );
                out.push(place(d, "ContainerPort"));
            }
            Some(_) => {}
        }
        let Some(tg_arn) = &lb.target_group_arn else {
            continue;
        };
        let Some(tg) = a.target_groups.get(tg_arn) else {
            continue;
        };
        let mode = td.network_mode.as_str();
        if mode == "awsvpc" && tg.target_type == "instance" {
            let d = at(props, "TN2004", create_service(&format!("The provided target group {tg_arn} has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.")), "LoadBalancers",
                "set TargetType: ip on the target group (awsvpc tasks register by IP address)");
            out.push(place(d, "TargetGroupArn"));
        }
        if (mode == "bridge" || mode == "host") && tg.target_type == "ip" {
            let d = at(props, "TN2005", create_service(&format!("The provided target group {tg_arn} has target type ip, which is incompatible with the {mode} network mode specified in the task definition.")), "LoadBalancers",
                "remove TargetType: ip (use instance) or switch the task definition to NetworkMode: awsvpc");
            out.push(place(d, "TargetGroupArn"));
        }
        if tg.load_balancer_arns.is_empty() {
            let d = at(props, "TN2013", create_service(&format!("The target group with targetGroupArn {tg_arn} does not have an associated load balancer.")), "LoadBalancers",
                "attach the target group to a listener (DefaultActions forward) or listener rule, and make the service DependsOn that listener");
            out.push(place(d, "TargetGroupArn"));
        }
        if let (Some(tg_vpc), Some(svc_vpc)) = (tg.vpc_id.as_deref(), service_vpc) {
            if tg_vpc != svc_vpc {
                // tasknet's words: AWS fails this at target registration, text not in our facts.
                let d = at(
                    props,
                    "TN2012",
                    create_service(&format!(
                        "The target group {tg_arn} is in VPC {tg_vpc}, but the service's tasks are in VPC {svc_vpc}."
                    )),
                    "LoadBalancers",
                    "give the target group the VpcId of the service's subnets",
                );
                out.push(place(d, "TargetGroupArn"));
            }
        }
    }
}
