//! ECS resources, cased as the ECS API describes them (camelCase).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An ECS cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    /// `clusterName` (`default` when none is given).
    pub cluster_name: String,
    /// `arn:aws:ecs:REGION:ACCT:cluster/NAME`.
    pub cluster_arn: String,
    /// `ACTIVE`.
    pub status: String,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A port mapping of a container.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortMapping {
    /// The port inside the container.
    pub container_port: u16,
    /// The host port (must equal the container port with awsvpc).
    pub host_port: Option<u16>,
    /// `tcp` (default) or `udp`.
    pub protocol: String,
}

/// One environment variable of a container.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyValuePair {
    /// Variable name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// One container of a task definition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    /// Container name, unique in the task definition.
    pub name: String,
    /// The image, as given.
    pub image: Option<String>,
    /// Whether the task stops when it exits (default true).
    pub essential: bool,
    /// Port mappings.
    #[serde(default)]
    pub port_mappings: Vec<PortMapping>,
    /// CPU units reserved.
    pub cpu: Option<u32>,
    /// Hard memory limit in MiB.
    pub memory: Option<u32>,
    /// Soft memory limit in MiB.
    pub memory_reservation: Option<u32>,
    /// Environment variables.
    #[serde(default)]
    pub environment: Vec<KeyValuePair>,
}

/// A task definition revision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinition {
    /// The family.
    pub family: String,
    /// The revision, from 1.
    pub revision: u32,
    /// `…:task-definition/FAMILY:REV`.
    pub task_definition_arn: String,
    /// `awsvpc`, `bridge`, `host` or `none`.
    pub network_mode: String,
    /// `EC2`, `FARGATE`, …
    #[serde(default)]
    pub requires_compatibilities: Vec<String>,
    /// Task-level CPU, as given (units or e.g. `1 vCPU`).
    pub cpu: Option<String>,
    /// Task-level memory, as given.
    pub memory: Option<String>,
    /// Its containers.
    pub container_definitions: Vec<ContainerDefinition>,
    /// The task role ARN.
    pub task_role_arn: Option<String>,
    /// The execution role ARN.
    pub execution_role_arn: Option<String>,
    /// `ACTIVE` or `INACTIVE`.
    pub status: String,
}

/// `awsvpcConfiguration` of a service or RunTask.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsvpcConfiguration {
    /// Subnet IDs (at most 16).
    pub subnets: Vec<String>,
    /// Security group IDs (at most 5; none = the VPC's default group).
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// `ENABLED` or `DISABLED` (the default).
    pub assign_public_ip: String,
}

/// `networkConfiguration` of a service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkConfiguration {
    /// The awsvpc settings.
    pub awsvpc_configuration: Option<AwsvpcConfiguration>,
}

/// A service's load balancer entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceLoadBalancer {
    /// The target group's ARN.
    pub target_group_arn: Option<String>,
    /// A classic load balancer's name.
    pub load_balancer_name: Option<String>,
    /// The container receiving traffic.
    pub container_name: String,
    /// Its port.
    pub container_port: u16,
}

/// `deploymentConfiguration` of a service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentConfiguration {
    /// Default 200 for replica services (facts).
    pub maximum_percent: u32,
    /// Default 100 for replica services (facts).
    pub minimum_healthy_percent: u32,
    /// Whether the circuit breaker is on.
    #[serde(default)]
    pub circuit_breaker_enable: bool,
    /// Whether the circuit breaker rolls back.
    #[serde(default)]
    pub circuit_breaker_rollback: bool,
}

impl Default for DeploymentConfiguration {
    fn default() -> Self {
        // Facts: maximumPercent 200, minimumHealthyPercent 100 for replica services.
        DeploymentConfiguration { maximum_percent: 200, minimum_healthy_percent: 100, circuit_breaker_enable: false, circuit_breaker_rollback: false }
    }
}

/// An ECS service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    /// The name.
    pub service_name: String,
    /// `…:service/CLUSTER/NAME`.
    pub service_arn: String,
    /// The cluster's ARN.
    pub cluster_arn: String,
    /// The task definition revision's ARN.
    pub task_definition: String,
    /// Desired count.
    pub desired_count: u32,
    /// `EC2`, `FARGATE` or `EXTERNAL`; absent with a capacity provider strategy.
    pub launch_type: Option<String>,
    /// Network configuration (awsvpc).
    pub network_configuration: Option<NetworkConfiguration>,
    /// Load balancers.
    #[serde(default)]
    pub load_balancers: Vec<ServiceLoadBalancer>,
    /// `role` (only for non-awsvpc services behind a load balancer).
    pub role_arn: Option<String>,
    /// Deployment configuration.
    pub deployment_configuration: DeploymentConfiguration,
    /// `ACTIVE`, `DRAINING` or `INACTIVE`.
    pub status: String,
}
