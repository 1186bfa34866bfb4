//! ECS clusters, task definitions and services, recorded in the account.
//! The checks ECS applies at RegisterTaskDefinition and CreateService live in
//! `rules::ecs`, which reads what is recorded here.

use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{
    AwsvpcConfiguration, ContainerDefinition, DeploymentConfiguration, KeyValuePair, NetworkConfiguration, PortMapping,
    Service, ServiceLoadBalancer, TaskDefinition,
};

/// The cluster name from a name or an ARN (`Cluster` takes either).
pub fn cluster_name(value: &str) -> &str {
    value.rsplit_once(":cluster/").map_or(value, |(_, n)| n)
}

/// AWS::ECS::Cluster: Ref is the name.
pub fn cluster(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("ClusterName").unwrap_or_else(|| p.generated_name(props.logical_id, 255));
    let mut cluster = p.account.new_cluster(&name);
    cluster.tags = props.tags().into_iter().collect();
    let arn = cluster.cluster_arn.clone();
    p.account.put_cluster(cluster);
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
    }
}

/// AWS::ECS::TaskDefinition: Ref is the ARN of the new revision.
pub fn task_definition(p: &mut Planner, props: &Props<'_>) -> Planned {
    let family = props.str("Family").unwrap_or_else(|| p.generated_name(props.logical_id, 255));
    // AWS doc: "Task definition parameters": networkMode defaults to bridge on EC2.
    let network_mode = props.str("NetworkMode").unwrap_or_else(|| "bridge".into());
    let containers: Vec<ContainerDefinition> = props.children("ContainerDefinitions").iter().map(container).collect();
    let ports: Vec<String> = containers
        .iter()
        .flat_map(|c| c.port_mappings.iter().map(move |m| format!("{}:{}", c.name, m.container_port)))
        .collect();
    let td = TaskDefinition {
        family,
        revision: 0,
        task_definition_arn: String::new(),
        network_mode: network_mode.clone(),
        requires_compatibilities: props.strs("RequiresCompatibilities"),
        cpu: props.str("Cpu"),
        memory: props.str("Memory"),
        container_definitions: containers,
        task_role_arn: props.str("TaskRoleArn"),
        execution_role_arn: props.str("ExecutionRoleArn"),
        status: account::TaskDefinitionStatus::Active,
    };
    // RegisterTaskDefinition picks the family's next revision and the ARN.
    let arn = p.account.register_task_definition(td).task_definition_arn;
    Planned::new(arn.clone())
        .attr("TaskDefinitionArn", arn)
        .detail("NetworkMode", network_mode)
        .detail("ContainerPorts", ports.join(", "))
}

/// AWS::ECS::Service: Ref is the service ARN.
pub fn service(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("ServiceName").unwrap_or_else(|| p.generated_name(props.logical_id, 255));
    let cluster = props.str("Cluster").unwrap_or_else(|| "default".into());
    let cluster = cluster_name(&cluster).to_string();
    let arn = p.account.service_arn(&cluster, &name);
    let cluster_arn = p.account.new_cluster(&cluster).cluster_arn;
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
    let task_definition = props.str("TaskDefinition").unwrap_or_default();
    let task_definition =
        p.account.task_definition(&task_definition).map_or(task_definition, |t| t.task_definition_arn.clone());
    let subnets = network_configuration
        .as_ref()
        .and_then(|n| n.awsvpc_configuration.as_ref())
        .map(|a| a.subnets.join(", "))
        .unwrap_or_default();
    let desired = props.u32("DesiredCount").unwrap_or(1);
    let launch_type = props.str("LaunchType");
    let svc = Service {
        service_name: name.clone(),
        service_arn: arn.clone(),
        cluster_arn,
        task_definition,
        desired_count: desired,
        launch_type: launch_type.clone(),
        network_configuration,
        load_balancers,
        role_arn: props.str("Role"),
        deployment_configuration: deployment,
        status: account::ServiceStatus::Active,
        deployments: Vec::new(),
        events: Vec::new(),
        running_count: 0,
        pending_count: 0,
        created_at: p.account.clock_ms,
    };
    p.account.put_service(svc);
    let mut planned = Planned::new(arn.clone())
        .attr("ServiceArn", arn)
        .attr("Name", name)
        .detail("Cluster", cluster)
        .detail("DesiredCount", desired.to_string());
    if let Some(lt) = launch_type {
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
