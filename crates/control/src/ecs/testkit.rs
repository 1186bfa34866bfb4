//! Builders for tests, benchmarks and examples: clusters, task definitions,
//! load balancers and container instances registered directly (as the EC2
//! controller does when an instance's agent starts), so ECS can be driven
//! without launching instances through Auto Scaling.

use account::{
    ec2::RESERVED_PORTS, instance_types, Account, ContainerDefinition, ContainerInstance, CreateNetworkInterface,
    HealthCheck, Instance, InstanceResources, LoadBalancer, PortMapping, TargetGroup, TaskDefinition,
};
use std::collections::BTreeMap;

/// Why a fixture could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TestkitError {
    /// An EC2 action refused.
    #[error("{0}")]
    Ec2(#[from] account::Ec2Error),
    /// The instance record could not be built.
    #[error("instance record: {0}")]
    Record(String),
}

/// Creates the cluster `name`; returns its ARN.
pub fn cluster(account: &mut Account, name: &str) -> String {
    let c = account.new_cluster(name);
    let arn = c.cluster_arn.clone();
    account.put_cluster(c);
    arn
}

/// RunTask of `family` on Fargate in `cluster`, in the default VPC's
/// subnets without a public IP; returns the task's ARN.
pub fn run_fargate_task(account: &mut Account, cluster: &str, family: &str) -> Result<String, super::EcsError> {
    let net = account::NetworkConfiguration {
        awsvpc_configuration: Some(account::AwsvpcConfiguration {
            subnets: default_subnets(account),
            security_groups: vec![],
            assign_public_ip: "DISABLED".into(),
        }),
    };
    let req = super::RunTaskRequest {
        cluster: Some(cluster.into()),
        task_definition: family.into(),
        launch_type: Some("FARGATE".into()),
        network_configuration: Some(net),
        ..Default::default()
    };
    let response = super::run_task(account, &req)?;
    Ok(response.tasks.first().map(|t| t.task_arn.clone()).unwrap_or_default())
}

/// The default VPC's subnets, in zone order.
pub fn default_subnets(account: &Account) -> Vec<String> {
    let Some(vpc) = account.default_vpc().map(|v| v.vpc_id.clone()) else {
        return Vec::new();
    };
    let mut subnets: Vec<&account::Subnet> = account.subnets_of_vpc(&vpc);
    subnets.sort_by(|a, b| a.availability_zone.cmp(&b.availability_zone));
    subnets.into_iter().map(|s| s.subnet_id.clone()).collect()
}

/// A running instance of `instance_type` in `subnet_id` whose agent joined
/// `cluster_name`, with the CPU and memory the agent registers for its type
/// (or 2048 units and 4096 MiB for a type tasknet does not know). With
/// `awsvpcTrunking` enabled on a type that supports it, the instance has a
/// trunk (`ecs.awsvpc-trunk-id`). Returns the container instance's ARN.
pub fn container_instance(
    account: &mut Account,
    cluster_name: &str,
    instance_type: &str,
    subnet_id: &str,
) -> Result<String, TestkitError> {
    let cpu = instance_types::ecs_registered_cpu(instance_type).unwrap_or(2048);
    let memory = instance_types::ecs_registered_memory(instance_type).unwrap_or(4096);
    container_instance_sized(account, cluster_name, instance_type, subnet_id, cpu, memory)
}

/// Like [`container_instance`], with the registered CPU units and memory given.
pub fn container_instance_sized(
    account: &mut Account,
    cluster_name: &str,
    instance_type: &str,
    subnet_id: &str,
    cpu: u32,
    memory: u32,
) -> Result<String, TestkitError> {
    let subnet = account.subnet(subnet_id)?.clone();
    let eni = account.create_network_interface(CreateNetworkInterface::new(subnet_id))?;
    let instance_id = account.new_id(account::ids::prefix::INSTANCE);
    // Built through serde so fields other controllers add (all defaulted) need no mention here.
    let record = serde_json::json!({
        "InstanceId": instance_id,
        "InstanceType": instance_type,
        "ImageId": null,
        "SubnetId": subnet.subnet_id,
        "VpcId": subnet.vpc_id,
        "AvailabilityZone": subnet.availability_zone,
        "PrivateIpAddress": eni.private_ip_address,
        "PublicIpAddress": null,
        "NetworkInterfaceIds": [],
        "SecurityGroupIds": eni.groups,
        "State": "running",
    });
    let instance: Instance = serde_json::from_value(record).map_err(|e| TestkitError::Record(e.to_string()))?;
    account.instances.insert(instance_id.clone(), instance);
    account.attach_network_interface(&eni.network_interface_id, Some(&instance_id), 0)?;
    let cluster_arn =
        account.cluster(cluster_name).map(|c| c.cluster_arn.clone()).unwrap_or_else(|| cluster(account, cluster_name));
    let id = account.new_hex("container-instance", 32);
    let arn = account::ids::ecs_container_instance_arn(&account.region, &account.account_id, cluster_name, &id);
    let mut attributes = BTreeMap::new();
    attributes.insert("ecs.availability-zone".to_string(), subnet.availability_zone.clone());
    attributes.insert("ecs.instance-type".to_string(), instance_type.to_string());
    let opted_in = account.account_settings.get("awsvpcTrunking").map(String::as_str) == Some("enabled");
    if opted_in && instance_types::supports_trunking(instance_type) == Some(true) {
        // The trunk interface itself is the EC2 controller's business; its ID is what placement reads.
        attributes.insert("ecs.awsvpc-trunk-id".to_string(), account.new_id(account::ids::prefix::NETWORK_INTERFACE));
    }
    let resources = InstanceResources { cpu, memory, ports: RESERVED_PORTS.to_vec(), ports_udp: Vec::new() };
    account.container_instances.insert(
        arn.clone(),
        ContainerInstance {
            container_instance_arn: arn.clone(),
            ec2_instance_id: instance_id,
            cluster_arn,
            status: account::ContainerInstanceStatus::Active,
            agent_connected: true,
            registered_resources: resources.clone(),
            remaining_resources: resources,
            attributes,
            running_tasks_count: 0,
            pending_tasks_count: 0,
            registered_at: account.clock_ms,
        },
    );
    Ok(arn)
}

/// A container named `app` with `memory` MiB and one port mapping.
pub fn container(name: &str, memory: u32, container_port: u16, host_port: Option<u16>) -> ContainerDefinition {
    ContainerDefinition {
        name: name.into(),
        image: Some("public.ecr.aws/nginx/nginx:latest".into()),
        essential: true,
        port_mappings: vec![PortMapping { container_port, host_port, protocol: "tcp".into() }],
        cpu: None,
        memory: Some(memory),
        memory_reservation: None,
        environment: Vec::new(),
        entry_point: Vec::new(),
        command: Vec::new(),
        log_configuration: None,
        secrets: Vec::new(),
    }
}

/// Registers a task definition of `family` with the given mode, task size
/// and containers; returns its ARN.
pub fn task_definition(
    account: &mut Account,
    family: &str,
    network_mode: &str,
    size: Option<(&str, &str)>,
    containers: Vec<ContainerDefinition>,
) -> String {
    let fargate = network_mode == "awsvpc" && size.is_some();
    account
        .register_task_definition(TaskDefinition {
            family: family.into(),
            revision: 0,
            task_definition_arn: String::new(),
            network_mode: network_mode.into(),
            requires_compatibilities: if fargate { vec!["EC2".into(), "FARGATE".into()] } else { vec!["EC2".into()] },
            cpu: size.map(|s| s.0.to_string()),
            memory: size.map(|s| s.1.to_string()),
            container_definitions: containers,
            task_role_arn: None,
            execution_role_arn: None,
            status: account::TaskDefinitionStatus::Active,
        })
        .task_definition_arn
}

/// An application load balancer in the default VPC's first two subnets with
/// a target group of `target_type` on `port` forwarding to it; returns the
/// target group's ARN.
pub fn target_group(account: &mut Account, name: &str, target_type: &str, port: u16) -> String {
    let subnets = default_subnets(account);
    let vpc = account.default_vpc().map(|v| v.vpc_id.clone()).unwrap_or_default();
    let lb_arn = account.new_load_balancer_arn(name, "application");
    let dns = account.new_load_balancer_dns_name(name, "internet-facing");
    account.put_load_balancer(LoadBalancer {
        load_balancer_arn: lb_arn.clone(),
        load_balancer_name: name.into(),
        dns_name: dns,
        scheme: "internet-facing".into(),
        lb_type: "application".into(),
        subnets: subnets.into_iter().take(2).collect(),
        security_groups: Vec::new(),
        vpc_id: vpc.clone(),
        state: "active".into(),
    });
    let tg_arn = account.new_target_group_arn(name);
    account.put_target_group(TargetGroup {
        target_group_arn: tg_arn.clone(),
        target_group_name: name.into(),
        protocol: Some("HTTP".into()),
        port: Some(port),
        vpc_id: Some(vpc),
        target_type: target_type.into(),
        health_check: HealthCheck::default(),
        deregistration_delay_seconds: account::DEFAULT_DEREGISTRATION_DELAY_SECONDS,
        load_balancer_arns: vec![lb_arn],
        targets: Vec::new(),
    });
    tg_arn
}
