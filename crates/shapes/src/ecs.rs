//! ECS's Describe operations: `DescribeServices`, `DescribeTasks`,
//! `DescribeContainerInstances` (and in [`definitions`] `DescribeClusters`
//! and `DescribeTaskDefinition`), and the answers of RunTask, StopTask and
//! UpdateService, which carry the same `Task` and `Service` shapes.

use crate::json::{opt_timestamp, prune, timestamp, to_value};
use crate::{ApiError, Selection};
use account::{
    Account, Container, ContainerDefinition, ContainerInstance, Deployment, InstanceResources, Service, Task,
};
use serde_json::{json, Value};

mod definitions;
pub use definitions::{cluster_json, describe_clusters, describe_task_definition, task_definition_json};

/// One `deployments` entry; launch type and network configuration are the
/// service's, as ECS copies them into each deployment.
fn deployment_json(s: &Service, d: &Deployment) -> Value {
    json!({
        "id": d.id,
        "status": d.status,
        "taskDefinition": d.task_definition,
        "desiredCount": d.desired_count,
        "pendingCount": d.pending_count,
        "runningCount": d.running_count,
        "failedTasks": d.failed_tasks,
        "createdAt": timestamp(d.created_at),
        "updatedAt": timestamp(d.updated_at),
        "launchType": s.launch_type,
        "networkConfiguration": s.network_configuration.as_ref().map(to_value),
        "rolloutState": d.rollout_state,
        "rolloutStateReason": d.rollout_state_reason,
    })
}

/// One `Service` of DescribeServices (UpdateService answers with the same
/// shape). Members tasknet does not model take the values of a service that
/// does not use them (no service registries, placement rules, tag
/// propagation or ECS Exec; the ECS deployment controller). Absent optionals
/// are `null`: pass the document through [`prune`].
pub fn service_json(s: &Service) -> Value {
    let c = &s.deployment_configuration;
    json!({
        "serviceArn": s.service_arn,
        "serviceName": s.service_name,
        "clusterArn": s.cluster_arn,
        "loadBalancers": s.load_balancers.iter().map(to_value).collect::<Vec<_>>(),
        "serviceRegistries": [],
        "status": s.status,
        "desiredCount": s.desired_count,
        "runningCount": s.running_count,
        "pendingCount": s.pending_count,
        "launchType": s.launch_type,
        "taskDefinition": s.task_definition,
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": c.circuit_breaker_enable, "rollback": c.circuit_breaker_rollback},
            "maximumPercent": c.maximum_percent,
            "minimumHealthyPercent": c.minimum_healthy_percent,
        },
        "deployments": s.deployments.iter().map(|d| deployment_json(s, d)).collect::<Vec<_>>(),
        "roleArn": s.role_arn,
        "events": s.events.iter().map(|e| json!({"id": e.id, "createdAt": timestamp(e.created_at), "message": e.message})).collect::<Vec<_>>(),
        "createdAt": timestamp(s.created_at),
        "placementConstraints": [],
        "placementStrategy": [],
        "networkConfiguration": s.network_configuration.as_ref().map(to_value),
        "schedulingStrategy": "REPLICA",
        "deploymentController": {"type": "ECS"},
        "enableECSManagedTags": false,
        "propagateTags": "NONE",
        "enableExecuteCommand": false,
    })
}

/// The services a DescribeServices call finds, and the ARN it reports
/// `MISSING` when a named service matches nothing.
#[derive(Clone, Debug)]
pub struct ServicesInView<'a> {
    /// The services, by cluster and name.
    pub services: Vec<&'a Service>,
    /// The `MISSING` failure's ARN: the name under the cluster asked for.
    pub missing: Option<String>,
}

/// The services in view. A `--service` that matches nothing is a `MISSING`
/// failure, not an error, as in ECS; an unknown cluster is an error.
pub fn services<'a>(sel: &Selection<'a>) -> Result<ServicesInView<'a>, ApiError> {
    let cluster = sel.cluster_arn()?;
    let mut services: Vec<&Service> = sel
        .account
        .services
        .values()
        .filter(|s| {
            Selection::in_cluster(cluster, &s.cluster_arn)
                && sel.is_service(&s.service_name, &s.service_arn)
                && sel.owns(&s.service_arn)
        })
        .collect();
    services.sort_by(|a, b| (&a.cluster_arn, &a.service_name).cmp(&(&b.cluster_arn, &b.service_name)));
    let missing = match &sel.query.service {
        Some(name) if services.is_empty() && name.starts_with("arn:") => Some(name.clone()),
        // ECS's `default` cluster when none is named.
        Some(name) if services.is_empty() => {
            let cluster_name = cluster.map_or("default", |arn| arn.rsplit('/').next().unwrap_or(arn));
            Some(sel.account.service_arn(cluster_name, name))
        }
        _ => None,
    };
    Ok(ServicesInView { services, missing })
}

/// DescribeServices: `{"services": […], "failures": […]}`.
pub fn describe_services(sel: &Selection) -> Result<Value, ApiError> {
    let found = services(sel)?;
    let failures: Vec<Value> = found.missing.iter().map(|arn| json!({"arn": arn, "reason": "MISSING"})).collect();
    let services: Vec<Value> = found.services.iter().map(|s| service_json(s)).collect();
    Ok(prune(json!({"services": services, "failures": failures})))
}

/// UpdateService: `{"service": {…}}`, the service as the call left it.
pub fn update_service(service: &Service) -> Value {
    prune(json!({ "service": service_json(service) }))
}

/// The `details` value named `name` of a task's ENI attachment.
fn attachment_detail<'a>(task: &'a Task, name: &str) -> Option<&'a str> {
    task.attachments.iter().flat_map(|a| &a.details).find(|d| d.name == name).map(|d| d.value.as_str())
}

/// The task's interface: the recorded ENI, else its attachment's detail.
pub fn task_eni(task: &Task) -> Option<&str> {
    task.eni_id.as_deref().or_else(|| attachment_detail(task, "networkInterfaceId"))
}

/// The task's private address: the attachment's detail, else a container's interface.
pub fn task_ip(task: &Task) -> Option<&str> {
    attachment_detail(task, "privateIPv4Address").or_else(|| {
        task.containers.iter().flat_map(|c| &c.network_interfaces).map(|n| n.private_ipv4_address.as_str()).next()
    })
}

/// One `containers` entry; image, CPU and memory come from the task
/// definition, as ECS reports them from it.
fn container_json(task: &Task, c: &Container, def: Option<&ContainerDefinition>) -> Value {
    json!({
        "containerArn": c.container_arn,
        "taskArn": task.task_arn,
        "name": c.name,
        "image": def.and_then(|d| d.image.as_deref()),
        "lastStatus": c.last_status,
        "exitCode": c.exit_code,
        "reason": c.reason,
        "networkBindings": c.network_bindings.iter().map(to_value).collect::<Vec<_>>(),
        "networkInterfaces": c.network_interfaces.iter().map(to_value).collect::<Vec<_>>(),
        // No container health checks are modelled, so ECS would say UNKNOWN.
        "healthStatus": "UNKNOWN",
        "cpu": def.map_or(0, |d| d.cpu.unwrap_or(0)).to_string(),
        "memory": def.and_then(|d| d.memory).map(|m| m.to_string()),
        "memoryReservation": def.and_then(|d| d.memory_reservation).map(|m| m.to_string()),
    })
}

/// One `Task` of DescribeTasks (RunTask and StopTask answer with the same
/// shape), members in the order the aws CLI prints them (alphabetical, as
/// ECS returns them). Absent optionals are `null`: pass the document
/// through [`prune`].
pub fn task_json(account: &Account, t: &Task) -> Value {
    let defs = account
        .task_definitions
        .get(&t.task_definition_arn)
        .map(|d| d.container_definitions.as_slice())
        .unwrap_or_default();
    let def_of = |name: &str| defs.iter().find(|d| d.name == name);
    json!({
        "attachments": t.attachments.iter().map(to_value).collect::<Vec<_>>(),
        "availabilityZone": t.availability_zone,
        "clusterArn": t.cluster_arn,
        "connectivity": t.connectivity,
        "containerInstanceArn": t.container_instance_arn,
        "containers": t.containers.iter().map(|c| container_json(t, c, def_of(&c.name))).collect::<Vec<_>>(),
        "cpu": t.cpu.to_string(),
        "createdAt": timestamp(t.created_at),
        "desiredStatus": t.desired_status,
        "enableExecuteCommand": false,
        "executionStoppedAt": opt_timestamp(t.execution_stopped_at),
        "group": t.group,
        "healthStatus": "UNKNOWN",
        "lastStatus": t.last_status,
        "launchType": t.launch_type,
        "memory": t.memory.to_string(),
        // What ECS reports for a task started without overrides.
        "overrides": {
            "containerOverrides": t.containers.iter().map(|c| json!({"name": c.name})).collect::<Vec<_>>(),
            "inferenceAcceleratorOverrides": [],
        },
        "startedAt": opt_timestamp(t.started_at),
        "startedBy": t.started_by,
        "stopCode": t.stop_code,
        "stoppedAt": opt_timestamp(t.stopped_at),
        "stoppedReason": t.stopped_reason,
        "stoppingAt": opt_timestamp(t.stopping_at),
        "tags": [],
        "taskArn": t.task_arn,
        "taskDefinitionArn": t.task_definition_arn,
    })
}

/// The tasks in view (STOPPED ones only with `--all`), by cluster, group and creation.
pub fn tasks<'a>(sel: &Selection<'a>) -> Result<Vec<&'a Task>, ApiError> {
    let cluster = sel.cluster_arn()?;
    let mut tasks: Vec<&Task> = sel
        .account
        .tasks
        .values()
        .filter(|t| Selection::in_cluster(cluster, &t.cluster_arn) && sel.shows_task(t))
        .collect();
    tasks.sort_by(|a, b| {
        (&a.cluster_arn, &a.group, a.created_at, &a.task_arn).cmp(&(
            &b.cluster_arn,
            &b.group,
            b.created_at,
            &b.task_arn,
        ))
    });
    Ok(tasks)
}

/// DescribeTasks: `{"tasks": […], "failures": []}`.
pub fn describe_tasks(sel: &Selection) -> Result<Value, ApiError> {
    let tasks: Vec<Value> = tasks(sel)?.iter().map(|t| task_json(sel.account, t)).collect();
    Ok(prune(json!({"tasks": tasks, "failures": []})))
}

/// The items named by `wanted` (ARNs or IDs, the ARN's last part), in
/// `wanted`'s order of first match, and a `MISSING` failure for each name
/// that matches none (ECS's Describe calls answer so; whether ECS expands an
/// ID to an ARN in the failure is unverified: it names what was asked).
fn named<'a, T>(items: Vec<&'a T>, arn_of: fn(&T) -> &str, wanted: &[String]) -> (Vec<&'a T>, Vec<Value>) {
    let is = |item: &T, w: &str| {
        let arn = arn_of(item);
        arn == w || arn.rsplit('/').next() == Some(w)
    };
    let found: Vec<&T> = items.into_iter().filter(|i| wanted.iter().any(|w| is(i, w))).collect();
    let failures = wanted
        .iter()
        .filter(|w| !found.iter().any(|i| is(i, w)))
        .map(|w| json!({"arn": w, "reason": "MISSING"}))
        .collect();
    (found, failures)
}

/// DescribeTasks of the tasks named by `wanted`, unknown ones `MISSING`
/// (only the named tasks are rendered: a cluster keeps its stopped tasks).
pub fn describe_tasks_named(sel: &Selection, wanted: &[String]) -> Result<Value, ApiError> {
    let (found, failures) = named(tasks(sel)?, |t: &Task| t.task_arn.as_str(), wanted);
    let tasks: Vec<Value> = found.iter().map(|t| task_json(sel.account, t)).collect();
    Ok(prune(json!({"tasks": tasks, "failures": failures})))
}

/// RunTask: `{"tasks": […], "failures": […]}`, the tasks as the call
/// returned them and one failure per task it could not place. A failure is
/// anything that serializes to ECS's `Failure` members (`arn`, `reason`,
/// `detail`), so this crate need not know the control plane's type.
pub fn run_task<F: serde::Serialize>(account: &Account, tasks: &[Task], failures: &[F]) -> Value {
    let tasks: Vec<Value> = tasks.iter().map(|t| task_json(account, t)).collect();
    let failures: Vec<Value> = failures.iter().map(to_value).collect();
    prune(json!({"tasks": tasks, "failures": failures}))
}

/// StopTask: `{"task": {…}}`, the task as the call returned it.
pub fn stop_task(account: &Account, task: &Task) -> Value {
    prune(json!({ "task": task_json(account, task) }))
}

/// `registeredResources` / `remainingResources`: the API's list of typed
/// values (CPU and MEMORY integers, PORTS and PORTS_UDP string sets), with
/// the zero members ECS fills in for the types not used.
fn resources_json(r: &InstanceResources) -> Vec<Value> {
    let int = |name: &str, v: u32| json!({"name": name, "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": v});
    let set = |name: &str, ports: &[u16]| {
        let values: Vec<String> = ports.iter().map(u16::to_string).collect();
        json!({"name": name, "type": "STRINGSET", "doubleValue": 0.0, "longValue": 0, "integerValue": 0, "stringSetValue": values})
    };
    vec![int("CPU", r.cpu), int("MEMORY", r.memory), set("PORTS", &r.ports), set("PORTS_UDP", &r.ports_udp)]
}

/// One `ContainerInstance`; attributes without a value (capabilities) carry only a name.
fn container_instance_json(c: &ContainerInstance) -> Value {
    let attributes: Vec<Value> = c
        .attributes
        .iter()
        .map(|(name, value)| json!({"name": name, "value": (!value.is_empty()).then_some(value)}))
        .collect();
    json!({
        "containerInstanceArn": c.container_instance_arn,
        "ec2InstanceId": c.ec2_instance_id,
        "remainingResources": resources_json(&c.remaining_resources),
        "registeredResources": resources_json(&c.registered_resources),
        "status": c.status,
        "agentConnected": c.agent_connected,
        "runningTasksCount": c.running_tasks_count,
        "pendingTasksCount": c.pending_tasks_count,
        "attributes": attributes,
        "registeredAt": timestamp(c.registered_at),
        "tags": [],
    })
}

/// The container instances in view, by cluster and registration.
pub fn container_instances<'a>(sel: &Selection<'a>) -> Result<Vec<&'a ContainerInstance>, ApiError> {
    let cluster = sel.cluster_arn()?;
    let mut list: Vec<&ContainerInstance> = sel
        .account
        .container_instances
        .values()
        .filter(|c| Selection::in_cluster(cluster, &c.cluster_arn) && sel.owns_instance(&c.ec2_instance_id))
        .collect();
    list.sort_by(|a, b| {
        (&a.cluster_arn, a.registered_at, &a.container_instance_arn).cmp(&(
            &b.cluster_arn,
            b.registered_at,
            &b.container_instance_arn,
        ))
    });
    Ok(list)
}

/// DescribeContainerInstances: `{"containerInstances": […], "failures": []}`.
pub fn describe_container_instances(sel: &Selection) -> Result<Value, ApiError> {
    let list: Vec<Value> = container_instances(sel)?.iter().map(|c| container_instance_json(c)).collect();
    Ok(prune(json!({"containerInstances": list, "failures": []})))
}

/// DescribeContainerInstances of those named by `wanted`, unknown ones `MISSING`.
pub fn describe_container_instances_named(sel: &Selection, wanted: &[String]) -> Result<Value, ApiError> {
    let (found, failures) =
        named(container_instances(sel)?, |c: &ContainerInstance| c.container_instance_arn.as_str(), wanted);
    let list: Vec<Value> = found.iter().map(|c| container_instance_json(c)).collect();
    Ok(prune(json!({"containerInstances": list, "failures": failures})))
}

#[cfg(test)]
mod tests;
