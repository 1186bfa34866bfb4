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
    pub status: super::ClusterStatus,
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
    /// `entryPoint`: replaces the image's ENTRYPOINT when given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry_point: Vec<String>,
    /// `command`: replaces the image's CMD when given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// `logConfiguration`: where the container's output goes (`awslogs`: CloudWatch Logs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_configuration: Option<LogConfiguration>,
    /// `secrets`: environment variables the agent fetches from Secrets Manager or SSM when the task starts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<ContainerSecret>,
}

/// One of a container's `secrets` (AWS doc "Secret", Amazon ECS API Reference).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerSecret {
    /// The environment variable's name.
    pub name: String,
    /// A Secrets Manager secret's ARN (optionally `:json-key:version-stage:version-id`),
    /// an SSM parameter's ARN, or a parameter's name in the task's region.
    pub value_from: String,
}

/// A container's `logConfiguration` (AWS doc "LogConfiguration", Amazon ECS API Reference).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogConfiguration {
    /// `awslogs`, `json-file`, `splunk`, … (only `awslogs` reaches CloudWatch Logs).
    pub log_driver: String,
    /// The driver's options (`awslogs-group`, `awslogs-stream-prefix`, `awslogs-create-group`, …).
    #[serde(default)]
    pub options: std::collections::BTreeMap<String, String>,
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
    pub status: super::TaskDefinitionStatus,
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
        DeploymentConfiguration {
            maximum_percent: 200,
            minimum_healthy_percent: 100,
            circuit_breaker_enable: false,
            circuit_breaker_rollback: false,
        }
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
    pub status: super::ServiceStatus,
    /// Its deployments, PRIMARY first (kept by the scheduler).
    #[serde(default)]
    pub deployments: Vec<Deployment>,
    /// Its events, newest first, as DescribeServices lists them.
    #[serde(default)]
    pub events: Vec<ServiceEvent>,
    /// Tasks RUNNING.
    #[serde(default)]
    pub running_count: u32,
    /// Tasks PENDING.
    #[serde(default)]
    pub pending_count: u32,
    /// When it was created (clock milliseconds).
    #[serde(default)]
    pub created_at: u64,
    /// Its tasks' consecutive failures to start, for the service throttle.
    #[serde(default, skip_serializing_if = "StartFailures::is_empty")]
    pub start_failures: StartFailures,
}

/// A service's consecutive failures to start tasks ("Amazon ECS service throttle logic").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartFailures {
    /// Tasks that went from PENDING to STOPPED since one last reached RUNNING.
    pub count: u32,
    /// The task definition they were of (a new one lifts the throttle).
    pub task_definition: String,
    /// When the scheduler may launch again (clock milliseconds).
    pub next_launch_at: Option<u64>,
}

impl StartFailures {
    /// True when nothing failed (what serde leaves out).
    pub fn is_empty(&self) -> bool {
        *self == StartFailures::default()
    }
}

/// CPU, memory and ports of a container instance (`registeredResources` / `remainingResources`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceResources {
    /// CPU units (1024 per vCPU).
    pub cpu: u32,
    /// Memory in MiB.
    pub memory: u32,
    /// TCP host ports in use (the agent's reserved ports included).
    #[serde(default)]
    pub ports: Vec<u16>,
    /// UDP host ports in use.
    #[serde(default)]
    pub ports_udp: Vec<u16>,
}

/// An EC2 instance registered with an ECS cluster by its agent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerInstance {
    /// `arn:aws:ecs:REGION:ACCT:container-instance/CLUSTER/32hex`.
    pub container_instance_arn: String,
    /// The EC2 instance.
    pub ec2_instance_id: String,
    /// The cluster it joined.
    pub cluster_arn: String,
    /// `REGISTERING` (trunk ENI being provisioned), `ACTIVE`, `DRAINING`, `DEREGISTERING`, `INACTIVE`.
    pub status: super::ContainerInstanceStatus,
    /// Whether the agent is connected.
    pub agent_connected: bool,
    /// What the instance offers.
    pub registered_resources: InstanceResources,
    /// What is left after the tasks on it.
    pub remaining_resources: InstanceResources,
    /// Attributes (`ecs.availability-zone`, `ecs.instance-type`, `ecs.awsvpc-trunk-id`, …).
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Tasks in RUNNING.
    pub running_tasks_count: u32,
    /// Tasks in PENDING (and earlier).
    pub pending_tasks_count: u32,
    /// When it registered (clock milliseconds).
    pub registered_at: u64,
}

/// One `name`/`value` detail of a task attachment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentDetail {
    /// e.g. `subnetId`, `networkInterfaceId`, `macAddress`, `privateDnsName`, `privateIPv4Address`.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// A task attachment (`ElasticNetworkInterface` for awsvpc tasks).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskAttachment {
    /// A UUID.
    pub id: String,
    /// `ElasticNetworkInterface`.
    #[serde(rename = "type")]
    pub attachment_type: String,
    /// PRECREATED, CREATED, ATTACHING, ATTACHED, DETACHING, DETACHED, DELETED, FAILED.
    pub status: String,
    /// Details in the API's order.
    #[serde(default)]
    pub details: Vec<AttachmentDetail>,
}

/// A host port bound for a container (bridge and host modes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkBinding {
    /// The address bound (`0.0.0.0`).
    pub bind_ip: String,
    /// The container's port.
    pub container_port: u16,
    /// The instance's port.
    pub host_port: u16,
    /// `tcp` or `udp`.
    pub protocol: String,
}

/// A container's interface in an awsvpc task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerNetworkInterface {
    /// The task attachment's ID.
    pub attachment_id: String,
    /// The ENI's address (`privateIpv4Address`, as the API spells it).
    pub private_ipv4_address: String,
}

/// A container of a running task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// `arn:aws:ecs:REGION:ACCT:container/CLUSTER/TASKID/UUID`.
    pub container_arn: String,
    /// Its name in the task definition.
    pub name: String,
    /// PENDING, RUNNING, STOPPED.
    pub last_status: super::TaskStatus,
    /// Exit code once stopped.
    pub exit_code: Option<i32>,
    /// Why it stopped.
    pub reason: Option<String>,
    /// Whether its exit stops the task.
    pub essential: bool,
    /// Host port bindings (bridge/host).
    #[serde(default)]
    pub network_bindings: Vec<NetworkBinding>,
    /// Interfaces (awsvpc).
    #[serde(default)]
    pub network_interfaces: Vec<ContainerNetworkInterface>,
    /// How a one-off container ends when nothing runs it for real (tasknet's
    /// own, never shown: see [`SimulatedExit`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulated_exit: Option<SimulatedExit>,
}

/// The exit a one-off container (a command, no port mappings, in a task not
/// started by a service) makes on the simulated clock when no real process
/// plays it: after `run_ms` of RUNNING, with `exit_code` (the runtime
/// file's entry for its image, else 0 after a few seconds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatedExit {
    /// How long it runs once the task is RUNNING (milliseconds).
    pub run_ms: u64,
    /// The code it exits with.
    pub exit_code: i32,
    /// When it exits (clock ms), set when the task reaches RUNNING.
    #[serde(default)]
    pub at: Option<u64>,
    /// The runtime file was consulted for it (so it is not planned twice).
    #[serde(default)]
    pub planned: bool,
}

/// An ECS task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// `arn:aws:ecs:REGION:ACCT:task/CLUSTER/32hex`.
    pub task_arn: String,
    /// The cluster's ARN.
    pub cluster_arn: String,
    /// The task definition revision's ARN.
    pub task_definition_arn: String,
    /// The container instance (EC2 launch type).
    pub container_instance_arn: Option<String>,
    /// `service:NAME` or `family:FAMILY`.
    pub group: String,
    /// `ecs-svc/<19 digits>` for service tasks.
    pub started_by: Option<String>,
    /// `EC2` or `FARGATE`.
    pub launch_type: String,
    /// Its zone.
    pub availability_zone: String,
    /// PROVISIONING, PENDING, ACTIVATING, RUNNING, DEACTIVATING, STOPPING, DEPROVISIONING, STOPPED.
    pub last_status: super::TaskStatus,
    /// RUNNING or STOPPED.
    pub desired_status: super::TaskStatus,
    /// `CONNECTED`.
    pub connectivity: String,
    /// Task-level CPU units reserved on the instance.
    pub cpu: u32,
    /// Memory in MiB reserved on the instance.
    pub memory: u32,
    /// When it was created (clock milliseconds).
    pub created_at: u64,
    /// When it reached RUNNING.
    pub started_at: Option<u64>,
    /// When it was asked to stop.
    pub stopping_at: Option<u64>,
    /// When it reached STOPPED.
    pub stopped_at: Option<u64>,
    /// When its containers had all stopped (`executionStoppedAt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_stopped_at: Option<u64>,
    /// TaskFailedToStart, EssentialContainerExited, UserInitiated, ServiceSchedulerInitiated, …
    pub stop_code: Option<String>,
    /// e.g. `Essential container in task exited`.
    pub stopped_reason: Option<String>,
    /// The ENI attachment (awsvpc).
    #[serde(default)]
    pub attachments: Vec<TaskAttachment>,
    /// Its containers.
    pub containers: Vec<Container>,
    /// The ENI, for awsvpc tasks (a copy of the attachment's detail, for quick lookup).
    pub eni_id: Option<String>,
    /// The service that started it.
    pub service_arn: Option<String>,
    /// When the control plane next moves it on (clock milliseconds).
    pub next_transition_at: Option<u64>,
    /// Who decides whether its start-time connections (secrets, registry auth, image) get through.
    #[serde(default, skip_serializing_if = "StartPulls::is_reach")]
    pub start_pulls: StartPulls,
}

/// Who decides a task's start-time pulls: the reachability engine (the
/// simulated world), or the data plane's real connections from the task's
/// network namespace while `up` runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartPulls {
    /// The control plane asks the reachability engine when the task reaches PENDING.
    #[default]
    Reach,
    /// `up` connects for real; PENDING waits for its report until the given clock time, then asks reach.
    DataPlane {
        /// When the control plane stops waiting (clock milliseconds).
        until: u64,
    },
    /// `up`'s connections got through.
    Connected,
}

impl StartPulls {
    /// True for [`StartPulls::Reach`] (what serde leaves out).
    pub fn is_reach(&self) -> bool {
        *self == StartPulls::Reach
    }
}

/// One deployment of a service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// `ecs-svc/<19 digits>`.
    pub id: String,
    /// PRIMARY, ACTIVE or INACTIVE.
    pub status: super::DeploymentStatus,
    /// Its task definition.
    pub task_definition: String,
    /// How many tasks it wants.
    pub desired_count: u32,
    /// Tasks before RUNNING.
    pub pending_count: u32,
    /// Tasks RUNNING.
    pub running_count: u32,
    /// Tasks that failed to start.
    pub failed_tasks: u32,
    /// IN_PROGRESS, COMPLETED or FAILED.
    pub rollout_state: super::RolloutState,
    /// e.g. `ECS deployment ecs-svc/N in progress.`
    pub rollout_state_reason: String,
    /// When it was created (clock milliseconds).
    pub created_at: u64,
    /// When it last changed.
    pub updated_at: u64,
}

/// A service event (DescribeServices `events`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEvent {
    /// A UUID.
    pub id: String,
    /// When (clock milliseconds).
    pub created_at: u64,
    /// The text, e.g. `(service S) has reached a steady state.`
    pub message: String,
}

impl Task {
    /// Not yet STOPPED: it still holds its ENI, its instance's resources and its place in counts.
    pub fn is_live(&self) -> bool {
        self.last_status != super::TaskStatus::Stopped
    }

    /// Asked to keep running (`desiredStatus` RUNNING).
    pub fn wants_running(&self) -> bool {
        self.desired_status == super::TaskStatus::Running
    }
}
