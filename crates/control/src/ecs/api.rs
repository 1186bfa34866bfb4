//! Request and response shapes of the ECS actions, with the API's field
//! names (camelCase on the wire). AWS doc: Amazon ECS API Reference,
//! "CreateService", "UpdateService", "RunTask", "StopTask",
//! "PutAccountSetting". The Describe actions' answers are the `shapes`
//! crate's documents.

use account::{DeploymentConfiguration, NetworkConfiguration, ServiceLoadBalancer, Task};
use serde::{Deserialize, Serialize};

/// CreateService's parameters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateServiceRequest {
    /// Cluster name or ARN (`default` when absent).
    pub cluster: Option<String>,
    /// The service's name, unique among the cluster's ACTIVE and DRAINING services.
    pub service_name: String,
    /// `family`, `family:revision` or the revision's ARN.
    pub task_definition: String,
    /// How many tasks to keep running (AWS's default for replica services: 1 with CloudFormation, required by the API).
    pub desired_count: Option<u32>,
    /// `EC2` (the default without a capacity provider strategy) or `FARGATE`.
    pub launch_type: Option<String>,
    /// Capacity providers instead of a launch type (only their names matter here).
    #[serde(default)]
    pub capacity_provider_strategy: Vec<CapacityProviderStrategyItem>,
    /// Required for awsvpc task definitions.
    pub network_configuration: Option<NetworkConfiguration>,
    /// Target groups the tasks register in.
    #[serde(default)]
    pub load_balancers: Vec<ServiceLoadBalancer>,
    /// An IAM role, only for non-awsvpc services behind a load balancer.
    pub role: Option<String>,
    /// maximumPercent, minimumHealthyPercent and the circuit breaker.
    pub deployment_configuration: Option<DeploymentConfiguration>,
}

/// One item of a capacity provider strategy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityProviderStrategyItem {
    /// `FARGATE`, `FARGATE_SPOT` or an Auto Scaling group's provider.
    pub capacity_provider: String,
    /// Share of the tasks.
    pub weight: Option<u32>,
    /// Tasks placed here first.
    pub base: Option<u32>,
}

/// UpdateService's parameters (absent fields keep their value).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateServiceRequest {
    /// Cluster name or ARN (`default` when absent).
    pub cluster: Option<String>,
    /// The service's name or ARN.
    pub service: String,
    /// A new desired count.
    pub desired_count: Option<u32>,
    /// A new task definition: starts a deployment when it differs.
    pub task_definition: Option<String>,
    /// Start a deployment even when nothing else changed.
    #[serde(default)]
    pub force_new_deployment: bool,
    /// New deployment settings.
    pub deployment_configuration: Option<DeploymentConfiguration>,
    /// New network settings (used by the next deployment's tasks).
    pub network_configuration: Option<NetworkConfiguration>,
    /// New load balancers (used by the next deployment's tasks).
    pub load_balancers: Option<Vec<ServiceLoadBalancer>>,
}

/// RunTask's parameters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunTaskRequest {
    /// Cluster name or ARN (`default` when absent).
    pub cluster: Option<String>,
    /// `family`, `family:revision` or the revision's ARN.
    pub task_definition: String,
    /// 1..=10 (default 1).
    pub count: Option<u32>,
    /// `EC2` (default) or `FARGATE`.
    pub launch_type: Option<String>,
    /// Required for awsvpc task definitions.
    pub network_configuration: Option<NetworkConfiguration>,
    /// The task group (default `family:FAMILY`).
    pub group: Option<String>,
    /// Free text recorded on the tasks.
    pub started_by: Option<String>,
}

/// One task RunTask could not place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    /// The resource concerned (a container instance for placement failures).
    pub arn: Option<String>,
    /// e.g. `RESOURCE:ENI`, `RESOURCE:CPU`.
    pub reason: String,
    /// More detail, when there is any.
    pub detail: Option<String>,
}

/// RunTask's answer: the tasks started and the ones that could not be placed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunTaskResponse {
    /// Tasks created (PROVISIONING or PENDING).
    pub tasks: Vec<Task>,
    /// One entry per task that could not be placed.
    pub failures: Vec<Failure>,
}

/// StopTask's parameters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StopTaskRequest {
    /// Cluster name or ARN (`default` when absent).
    pub cluster: Option<String>,
    /// The task's ARN or ID.
    pub task: String,
    /// Why (becomes the task's stoppedReason).
    pub reason: Option<String>,
}

/// An account setting, as PutAccountSetting returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Setting {
    /// e.g. `awsvpcTrunking`.
    pub name: String,
    /// e.g. `enabled`.
    pub value: String,
    /// The principal it applies to (the account's root here).
    pub principal_arn: String,
}
