//! ECS's `DescribeClusters` and `DescribeTaskDefinition` documents (and
//! the `Cluster` and `TaskDefinition` shapes CreateCluster, DeleteCluster,
//! RegisterTaskDefinition and DeregisterTaskDefinition answer with).

use crate::json::prune;
use crate::Selection;
use account::{
    Account, Cluster, ContainerDefinition, ContainerInstanceStatus, ServiceStatus, TaskDefinition, TaskStatus,
};
use serde_json::{json, Value};

/// ECS's `[{"key": …, "value": …}]`.
fn tags_json(c: &Cluster) -> Vec<Value> {
    c.tags.iter().map(|(k, v)| json!({"key": k, "value": v})).collect()
}

/// One `Cluster`, its counts taken from the account: container instances
/// ACTIVE or DRAINING, tasks RUNNING and PENDING, services ACTIVE. Tags only
/// when asked for (`include` TAGS), as ECS leaves them out otherwise.
pub fn cluster_json(account: &Account, c: &Cluster, with_tags: bool) -> Value {
    let arn = c.cluster_arn.as_str();
    let instances = account
        .container_instances
        .values()
        .filter(|i| {
            i.cluster_arn == arn
                && matches!(i.status, ContainerInstanceStatus::Active | ContainerInstanceStatus::Draining)
        })
        .count();
    let tasks = || account.tasks.values().filter(|t| t.cluster_arn == arn);
    let running = tasks().filter(|t| t.last_status == TaskStatus::Running).count();
    let pending = tasks()
        .filter(|t| matches!(t.last_status, TaskStatus::Provisioning | TaskStatus::Pending | TaskStatus::Activating))
        .count();
    let services =
        account.services.values().filter(|s| s.cluster_arn == arn && s.status == ServiceStatus::Active).count();
    prune(json!({
        "clusterArn": arn,
        "clusterName": c.cluster_name,
        "status": c.status,
        "registeredContainerInstancesCount": instances,
        "runningTasksCount": running,
        "pendingTasksCount": pending,
        "activeServicesCount": services,
        "statistics": [],
        "tags": if with_tags { Value::Array(tags_json(c)) } else { Value::Null },
        "settings": [],
        "capacityProviders": [],
        "defaultCapacityProviderStrategy": [],
    }))
}

/// DescribeClusters: `{"clusters": […], "failures": […]}` for `names` (names
/// or ARNs; none means `default`, as ECS reads an empty list). An unknown
/// cluster is a `MISSING` failure with the ARN it would have.
pub fn describe_clusters(sel: &Selection, names: &[String], with_tags: bool) -> Value {
    let default = ["default".to_string()];
    let names = if names.is_empty() { &default[..] } else { names };
    let mut clusters = Vec::new();
    let mut failures = Vec::new();
    for name in names {
        match sel.account.cluster(name).filter(|c| sel.owns(&c.cluster_arn)) {
            Some(c) => clusters.push(cluster_json(sel.account, c, with_tags)),
            None => {
                let arn = if name.starts_with("arn:") {
                    name.clone()
                } else {
                    account::ids::cluster_arn(&sel.account.region, &sel.account.account_id, name)
                };
                failures.push(json!({"arn": arn, "reason": "MISSING"}));
            }
        }
    }
    json!({"clusters": clusters, "failures": failures})
}

/// One `containerDefinitions` entry, the members as registered.
fn container_definition_json(c: &ContainerDefinition) -> Value {
    json!({
        "name": c.name,
        "image": c.image,
        "cpu": c.cpu.unwrap_or(0),
        "memory": c.memory,
        "memoryReservation": c.memory_reservation,
        "portMappings": c.port_mappings.iter().map(|m| json!({
            "containerPort": m.container_port,
            "hostPort": m.host_port,
            "protocol": m.protocol,
        })).collect::<Vec<_>>(),
        "essential": c.essential,
        "entryPoint": (!c.entry_point.is_empty()).then_some(&c.entry_point),
        "command": (!c.command.is_empty()).then_some(&c.command),
        "environment": c.environment.iter().map(|e| json!({"name": e.name, "value": e.value})).collect::<Vec<_>>(),
        "mountPoints": [],
        "volumesFrom": [],
        "logConfiguration": c.log_configuration.as_ref().map(|l| json!({"logDriver": l.log_driver, "options": l.options})),
    })
}

/// One `TaskDefinition`. Members tasknet does not record (registeredAt,
/// compatibilities, requiresAttributes) are left out rather than guessed.
pub fn task_definition_json(td: &TaskDefinition) -> Value {
    prune(json!({
        "taskDefinitionArn": td.task_definition_arn,
        "containerDefinitions": td.container_definitions.iter().map(container_definition_json).collect::<Vec<_>>(),
        "family": td.family,
        "taskRoleArn": td.task_role_arn,
        "executionRoleArn": td.execution_role_arn,
        "networkMode": td.network_mode,
        "revision": td.revision,
        "volumes": [],
        "status": td.status,
        "placementConstraints": [],
        "requiresCompatibilities": td.requires_compatibilities,
        "cpu": td.cpu,
        "memory": td.memory,
    }))
}

/// DescribeTaskDefinition: `{"taskDefinition": {…}}`.
pub fn describe_task_definition(td: &TaskDefinition) -> Value {
    json!({ "taskDefinition": task_definition_json(td) })
}
