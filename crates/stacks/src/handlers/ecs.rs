//! ECS clusters, task definitions and services: properties mapped to ECS's
//! requests and recorded through its actions. The checks ECS applies at
//! RegisterTaskDefinition and CreateService are `control::ecs::validate`'s;
//! `rules::ecs` runs them over the finished plan and places the findings.

use super::kind::{kind, svc, Kind, Moved, Wait};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{
    Account, AwsvpcConfiguration, ContainerDefinition, ContainerSecret, DeploymentConfiguration, KeyValuePair,
    LogConfiguration, NetworkConfiguration, PortMapping, ServiceLoadBalancer, TaskDefinition,
};
use control::ecs::{CapacityProviderStrategyItem, CreateServiceRequest};

/// The cluster name from a name or an ARN (`Cluster` takes either).
pub fn cluster_name(value: &str) -> &str {
    value.rsplit_once(":cluster/").map_or(value, |(_, n)| n)
}

/// AWS::ECS::Cluster: Ref is the name.
pub fn cluster(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("ClusterName").unwrap_or_else(|| p.generated_name(props.logical_id, 255));
    let tags: Vec<(String, String)> = props.tags().into_iter().collect();
    let arn = control::ecs::create_cluster(&mut p.account, &name, &tags).cluster_arn;
    Planned::new(name).attr("Arn", arn)
}

fn container(c: &Props<'_>) -> ContainerDefinition {
    let port_mappings = c
        .children("PortMappings")
        .iter()
        .filter_map(|m| {
            Some(PortMapping {
                container_port: u16::try_from(m.u32("ContainerPort")?).ok()?,
                host_port: m.u32("HostPort").and_then(|h| u16::try_from(h).ok()),
                protocol: m.str("Protocol").unwrap_or_else(|| "tcp".into()).to_ascii_lowercase(),
            })
        })
        .collect();
    ContainerDefinition {
        name: c.str("Name").unwrap_or_default(),
        image: c.str("Image"),
        essential: c.bool("Essential").unwrap_or(true),
        port_mappings,
        cpu: c.u32("Cpu"),
        memory: c.u32("Memory"),
        memory_reservation: c.u32("MemoryReservation"),
        environment: c
            .children("Environment")
            .iter()
            .filter_map(|e| Some(KeyValuePair { name: e.str("Name")?, value: e.str("Value").unwrap_or_default() }))
            .collect(),
        entry_point: c.strs("EntryPoint"),
        command: c.strs("Command"),
        log_configuration: c.child("LogConfiguration").map(|l| LogConfiguration {
            log_driver: l.str("LogDriver").unwrap_or_default(),
            options: l
                .get("Options")
                .and_then(cfn::Node::as_map)
                .map(|m| m.iter().filter_map(|(k, v)| Some((k.name.clone(), v.scalar_string()?))).collect())
                .unwrap_or_default(),
        }),
        secrets: c
            .children("Secrets")
            .iter()
            .filter_map(|e| Some(ContainerSecret { name: e.str("Name")?, value_from: e.str("ValueFrom")? }))
            .collect(),
    }
}

/// AWS::ECS::TaskDefinition: Ref is the ARN of the new revision.
pub fn task_definition(p: &mut Planner, props: &Props<'_>) -> Planned {
    let family = props.str("Family").unwrap_or_else(|| p.generated_name(props.logical_id, 255));
    let td = task_definition_request(props, family);
    let ports: Vec<String> = td
        .container_definitions
        .iter()
        .flat_map(|c| c.port_mappings.iter().map(move |m| format!("{}:{}", c.name, m.container_port)))
        .collect();
    let network_mode = td.network_mode.clone();
    // RegisterTaskDefinition picks the family's next revision and the ARN.
    let arn = p.account.register_task_definition(td).task_definition_arn;
    Planned::new(arn.clone())
        .attr("TaskDefinitionArn", arn)
        .detail("NetworkMode", network_mode)
        .detail("ContainerPorts", ports.join(", "))
}

/// The RegisterTaskDefinition request a task definition's properties make.
pub fn task_definition_request(props: &Props<'_>, family: String) -> TaskDefinition {
    TaskDefinition {
        family,
        revision: 0,
        task_definition_arn: String::new(),
        // AWS doc: "Task definition parameters": networkMode defaults to bridge on EC2.
        network_mode: props.str("NetworkMode").unwrap_or_else(|| "bridge".into()),
        requires_compatibilities: props.strs("RequiresCompatibilities"),
        cpu: props.str("Cpu"),
        memory: props.str("Memory"),
        container_definitions: props.children("ContainerDefinitions").iter().map(container).collect(),
        task_role_arn: props.str("TaskRoleArn"),
        execution_role_arn: props.str("ExecutionRoleArn"),
        status: account::TaskDefinitionStatus::Active,
    }
}

/// The CreateService request a service's properties make (also what the
/// rules check, so a template and an API call are judged by the same code).
pub fn service_request(props: &Props<'_>, name: String) -> CreateServiceRequest {
    let cluster = props.str("Cluster").unwrap_or_else(|| "default".into());
    let network_configuration = props.child("NetworkConfiguration").map(|n| NetworkConfiguration {
        awsvpc_configuration: n.child("AwsvpcConfiguration").map(|a| AwsvpcConfiguration {
            subnets: a.strs("Subnets"),
            security_groups: a.strs("SecurityGroups"),
            // AWS doc: "AwsVpcConfiguration": AssignPublicIp defaults to DISABLED.
            assign_public_ip: a.str("AssignPublicIp").unwrap_or_else(|| "DISABLED".into()),
        }),
    });
    let load_balancers = props
        .children("LoadBalancers")
        .iter()
        .map(|lb| ServiceLoadBalancer {
            target_group_arn: lb.str("TargetGroupArn"),
            load_balancer_name: lb.str("LoadBalancerName"),
            container_name: lb.str("ContainerName").unwrap_or_default(),
            container_port: lb.u32("ContainerPort").and_then(|x| u16::try_from(x).ok()).unwrap_or(0),
        })
        .collect();
    let mut deployment = DeploymentConfiguration::default();
    if let Some(d) = props.child("DeploymentConfiguration") {
        deployment.maximum_percent = d.u32("MaximumPercent").unwrap_or(deployment.maximum_percent);
        deployment.minimum_healthy_percent =
            d.u32("MinimumHealthyPercent").unwrap_or(deployment.minimum_healthy_percent);
        if let Some(cb) = d.child("DeploymentCircuitBreaker") {
            deployment.circuit_breaker_enable = cb.bool("Enable").unwrap_or(false);
            deployment.circuit_breaker_rollback = cb.bool("Rollback").unwrap_or(false);
        }
    }
    let capacity_provider_strategy = props
        .children("CapacityProviderStrategy")
        .iter()
        .map(|c| CapacityProviderStrategyItem {
            capacity_provider: c.str("CapacityProvider").unwrap_or_default(),
            weight: c.u32("Weight"),
            base: c.u32("Base"),
        })
        .collect();
    CreateServiceRequest {
        cluster: Some(cluster_name(&cluster).to_string()),
        service_name: name,
        task_definition: props.str("TaskDefinition").unwrap_or_default(),
        desired_count: Some(props.u32("DesiredCount").unwrap_or(1)),
        launch_type: props.str("LaunchType"),
        capacity_provider_strategy,
        network_configuration,
        load_balancers,
        role: props.str("Role"),
        deployment_configuration: Some(deployment),
    }
}

/// AWS::ECS::Service: Ref is the service ARN. Recorded even when ECS would
/// refuse it (the rules report that), so what depends on it is planned too.
pub fn service(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("ServiceName").unwrap_or_else(|| p.generated_name(props.logical_id, 255));
    let req = service_request(props, name);
    let svc = control::ecs::record_service(&mut p.account, &req);
    let subnets = req
        .network_configuration
        .as_ref()
        .and_then(|n| n.awsvpc_configuration.as_ref())
        .map(|a| a.subnets.join(", "))
        .unwrap_or_default();
    let arn = svc.service_arn;
    let mut planned = Planned::new(arn.clone())
        .attr("ServiceArn", arn)
        .attr("Name", req.service_name)
        .detail("Cluster", req.cluster.unwrap_or_default())
        .detail("DesiredCount", svc.desired_count.to_string());
    if let Some(lt) = req.launch_type {
        planned = planned.detail("LaunchType", lt);
    }
    if !subnets.is_empty() {
        planned = planned.detail("TasksIn", task_subnets(&p.account, &subnets));
    }
    planned
}

/// Where the tasks' ENIs would land: each subnet with its CIDR, zone and
/// whether it routes to the internet directly.
fn task_subnets(account: &account::Account, subnets: &str) -> String {
    subnets
        .split(", ")
        .map(|s| match account.subnets.get(s) {
            Some(sub) => {
                let public = account.is_public_subnet(s).unwrap_or(false);
                format!(
                    "{s} ({}, {}, {})",
                    sub.cidr_block,
                    sub.availability_zone,
                    if public { "public" } else { "private" }
                )
            }
            None => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The ECS types' records.
pub(super) const KINDS: &[Kind] = &[
    Kind {
        replacing: &["ClusterName"],
        ..kind("AWS::ECS::Cluster", cluster, |a, _, id| {
            if a.clusters.get(id).is_some_and(|c| c.status != account::ClusterStatus::Inactive) {
                svc(a.delete_cluster(id))
            } else {
                Ok(())
            }
        })
    },
    Kind {
        replacing: &["*"],
        ..kind("AWS::ECS::TaskDefinition", task_definition, |a, _, id| {
            if a.task_definitions.get(id).is_some_and(|t| t.status == account::TaskDefinitionStatus::Active) {
                svc(a.deregister_task_definition(id))
            } else {
                Ok(())
            }
        })
    },
    Kind {
        replacing: &["Cluster", "Role", "ServiceName", "SchedulingStrategy", "LaunchType"],
        update: Some(update_service),
        deleted: |a, _, id| {
            let inactive = a.services.get(id).is_none_or(|s| s.status == account::ServiceStatus::Inactive);
            inactive && !a.tasks.values().any(|t| t.service_arn.as_deref() == Some(id) && t.is_live())
        },
        wait: Wait::SteadyService,
        ..kind("AWS::ECS::Service", service, |a, _, id| {
            if a.services.get(id).is_none_or(|s| s.status != account::ServiceStatus::Active) {
                return Ok(());
            }
            // `…:service/CLUSTER/NAME`: the cluster is the ARN's middle part.
            let cluster = id.rsplit('/').nth(1).unwrap_or("default").to_string();
            control::ecs::delete_service(a, &cluster, id, true).map(drop).map_err(|e| e.message)
        })
    },
];

/// AWS::ECS::Service in place: through UpdateService, so a new task definition starts a deployment.
fn update_service(a: &mut Account, scratch: &Account, m: &Moved<'_>) -> Result<(), String> {
    let Some(new) = scratch.services.get(m.new_id) else { return Ok(()) };
    let request = control::ecs::UpdateServiceRequest {
        cluster: Some(new.cluster_arn.clone()),
        service: m.id.to_string(),
        desired_count: Some(new.desired_count),
        task_definition: Some(new.task_definition.clone()),
        force_new_deployment: false,
        deployment_configuration: Some(new.deployment_configuration.clone()),
        network_configuration: new.network_configuration.clone(),
        load_balancers: Some(new.load_balancers.clone()),
    };
    control::ecs::update_service(a, &request)
        .map(drop)
        .map_err(|e| format!("Invalid request provided: UpdateService error: {}", e.message))
}
