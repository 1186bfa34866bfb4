//! New task records: IDs, containers, host port bindings and the ENI
//! attachment, as DescribeTasks shows a task that has just been placed.
//!
//! AWS doc: "Amazon ECS task lifecycle" (awsvpc tasks start in PROVISIONING,
//! others in PENDING), "DescribeTasks" (attachment shape, `group`,
//! `startedBy`, `connectivity`), shared/aws-facts.md (seen captures).

use super::lifecycle::{PENDING_MS, PROVISIONING_MS};
use super::resources::TaskNeeds;
use account::{
    ids, Account, AttachmentDetail, AwsvpcConfiguration, Container, NetworkBinding, SimulatedExit, Task,
    TaskAttachment, TaskDefinition, TaskStatus,
};

/// Where a task goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An EC2 container instance (its ARN) in `zone`, with the host port
    /// given to each port mapping (bridge/host), and the subnet of its ENI (awsvpc).
    Ec2 {
        /// The container instance's ARN.
        container_instance_arn: String,
        /// Its zone.
        zone: String,
        /// Host ports, one per (container, port mapping) in task definition order.
        host_ports: Vec<u16>,
        /// The ENI's subnet, for awsvpc.
        subnet_id: Option<String>,
    },
    /// Fargate: the ENI's subnet and its zone.
    Fargate {
        /// The subnet.
        subnet_id: String,
        /// Its zone.
        zone: String,
    },
}

/// What a new task is started for.
#[derive(Clone, Debug)]
pub struct LaunchSpec<'a> {
    /// The cluster's ARN.
    pub cluster_arn: &'a str,
    /// The task definition revision.
    pub task_definition: &'a TaskDefinition,
    /// `EC2` or `FARGATE`.
    pub launch_type: &'a str,
    /// `service:NAME` or `family:FAMILY` (or the caller's group).
    pub group: &'a str,
    /// The deployment ID for service tasks, or RunTask's startedBy.
    pub started_by: Option<&'a str>,
    /// The service, for service tasks.
    pub service_arn: Option<&'a str>,
    /// CPU units it holds on its instance.
    pub cpu: u32,
    /// Memory in MiB it holds on its instance.
    pub memory: u32,
}

impl<'a> LaunchSpec<'a> {
    /// A standalone task of `task_definition` in `group`, holding `needs`
    /// (set `started_by` and `service_arn` for other kinds).
    pub fn new(
        cluster_arn: &'a str,
        task_definition: &'a TaskDefinition,
        launch_type: &'a str,
        group: &'a str,
        needs: &TaskNeeds,
    ) -> Self {
        LaunchSpec {
            cluster_arn,
            task_definition,
            launch_type,
            group,
            started_by: None,
            service_arn: None,
            cpu: needs.cpu,
            memory: needs.memory,
        }
    }
}

/// The cluster name in a cluster ARN.
pub fn cluster_name(cluster_arn: &str) -> &str {
    cluster_arn.rsplit_once(":cluster/").map_or(cluster_arn, |(_, n)| n)
}

/// Creates and stores a task in its first status; returns its ARN.
pub fn create_task(account: &mut Account, spec: &LaunchSpec<'_>, target: Target) -> String {
    let cluster = cluster_name(spec.cluster_arn).to_string();
    let task_id = account.new_hex("ecs-task", 32);
    let task_arn = ids::ecs_task_arn(&account.region, &account.account_id, &cluster, &task_id);
    let td = spec.task_definition;
    let awsvpc = td.network_mode == "awsvpc";
    let (container_instance_arn, zone, host_ports, subnet) = match target {
        Target::Ec2 { container_instance_arn, zone, host_ports, subnet_id } => {
            (Some(container_instance_arn), zone, host_ports, subnet_id)
        }
        Target::Fargate { subnet_id, zone } => (None, zone, Vec::new(), Some(subnet_id)),
    };
    let mut ports = host_ports.into_iter();
    let mut containers = Vec::with_capacity(td.container_definitions.len());
    for c in &td.container_definitions {
        let uuid = ids::uuid(account.next_words("ecs-container"));
        let mut bindings = Vec::new();
        if td.network_mode == "bridge" || td.network_mode == "host" {
            for m in &c.port_mappings {
                let host_port = ports.next().unwrap_or(m.container_port);
                bindings.push(NetworkBinding {
                    bind_ip: "0.0.0.0".into(),
                    container_port: m.container_port,
                    host_port,
                    protocol: m.protocol.clone(),
                });
            }
        }
        containers.push(Container {
            container_arn: ids::ecs_container_arn(&account.region, &account.account_id, &cluster, &task_id, &uuid),
            name: c.name.clone(),
            last_status: TaskStatus::Pending,
            exit_code: None,
            reason: None,
            essential: c.essential,
            network_bindings: bindings,
            network_interfaces: Vec::new(),
            simulated_exit: one_off(spec, c).then_some(SimulatedExit {
                run_ms: ONE_OFF_RUN_MS,
                exit_code: 0,
                at: None,
                planned: false,
            }),
        });
    }
    let attachments = match (&subnet, awsvpc) {
        (Some(subnet_id), true) => vec![TaskAttachment {
            id: ids::uuid(account.next_words("ecs-attachment")),
            attachment_type: "ElasticNetworkInterface".into(),
            // Seen (Fargate capture): PRECREATED while the task is PROVISIONING.
            status: "PRECREATED".into(),
            details: vec![AttachmentDetail { name: "subnetId".into(), value: subnet_id.clone() }],
        }],
        _ => Vec::new(),
    };
    let now = account.clock_ms;
    let (last_status, due) = if awsvpc {
        (TaskStatus::Provisioning, now + PROVISIONING_MS)
    } else {
        (TaskStatus::Pending, now + PENDING_MS)
    };
    let task = Task {
        task_arn: task_arn.clone(),
        cluster_arn: spec.cluster_arn.to_string(),
        task_definition_arn: td.task_definition_arn.clone(),
        container_instance_arn,
        group: spec.group.to_string(),
        started_by: spec.started_by.map(str::to_string),
        launch_type: spec.launch_type.to_string(),
        availability_zone: zone,
        last_status,
        desired_status: TaskStatus::Running,
        connectivity: "CONNECTED".into(),
        cpu: spec.cpu,
        memory: spec.memory,
        created_at: now,
        started_at: None,
        stopping_at: None,
        stopped_at: None,
        execution_stopped_at: None,
        stop_code: None,
        stopped_reason: None,
        attachments,
        containers,
        eni_id: None,
        service_arn: spec.service_arn.map(str::to_string),
        next_transition_at: Some(due),
        start_pulls: account::StartPulls::Reach,
    };
    account.tasks.insert(task_arn.clone(), task);
    task_arn
}

/// How long a one-off container runs on the simulated clock unless the
/// runtime file says otherwise (tasknet's choice: a few seconds).
pub const ONE_OFF_RUN_MS: u64 = 5_000;

/// Whether container `c` of a task being started is a one-off: the task is
/// not a service's, and the container has a command and no port mappings
/// (a migration, a batch job). Such a container exits on the simulated
/// clock when nothing runs it for real (see [`SimulatedExit`]).
pub fn one_off(spec: &LaunchSpec<'_>, c: &account::ContainerDefinition) -> bool {
    spec.service_arn.is_none() && !c.command.is_empty() && c.port_mappings.is_empty()
}

/// The subnet an awsvpc task on an instance in `zone` gets: the first of the
/// configured subnets in that zone with a free address, else the first in
/// that zone (its task will then fail to start, as on AWS).
pub fn subnet_in_zone(account: &Account, cfg: &AwsvpcConfiguration, zone: &str) -> Option<String> {
    let in_zone: Vec<&account::Subnet> =
        cfg.subnets.iter().filter_map(|s| account.subnets.get(s)).filter(|s| s.availability_zone == zone).collect();
    in_zone.iter().find(|s| s.available_ip_address_count > 0).or(in_zone.first()).map(|s| s.subnet_id.clone())
}

/// The zones of the configured subnets, in order, without repeats.
pub fn subnet_zones(account: &Account, cfg: &AwsvpcConfiguration) -> Vec<String> {
    let mut zones: Vec<String> = Vec::new();
    for z in cfg.subnets.iter().filter_map(|s| account.subnets.get(s)).map(|s| s.availability_zone.clone()) {
        if !zones.contains(&z) {
            zones.push(z);
        }
    }
    zones
}

/// The subnet for a Fargate task of `group`: the one in the zone with the
/// fewest of the group's live tasks (spread over zones); ties go to the
/// first listed.
pub fn fargate_subnet(account: &Account, cfg: &AwsvpcConfiguration, group: &str) -> Option<(String, String)> {
    let live_in = |zone: &str| {
        account.tasks.values().filter(|t| t.group == group && t.wants_running() && t.availability_zone == zone).count()
    };
    cfg.subnets
        .iter()
        .filter_map(|s| account.subnets.get(s))
        .enumerate()
        .min_by_key(|(i, s)| (live_in(&s.availability_zone), *i))
        .map(|(_, s)| (s.subnet_id.clone(), s.availability_zone.clone()))
}
