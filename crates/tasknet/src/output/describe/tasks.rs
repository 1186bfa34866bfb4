//! ECS tasks and container instances: `aws ecs describe-tasks` and
//! `aws ecs describe-container-instances`.

use super::json::{opt_timestamp, timestamp, to_value};
use super::table::{arn_tail, or_none, Table};
use super::{ApiError, Doc, Scope};
use crate::cli::DescribeFormat;
use account::{Account, Container, ContainerDefinition, ContainerInstance, InstanceResources, Task};
use serde_json::{json, Value};

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
/// through [`super::json::prune`].
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

/// The tasks in view, ordered by cluster, group and creation.
fn tasks_in_view<'a>(scope: &Scope<'a>) -> Result<Vec<&'a Task>, ApiError> {
    let cluster = scope.cluster_arn()?;
    let mut tasks: Vec<&Task> = scope
        .account
        .tasks
        .values()
        .filter(|t| Scope::in_cluster(cluster, &t.cluster_arn) && scope.shows_task(t))
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

/// `describe tasks`: `{"tasks": […], "failures": []}`; STOPPED tasks only with `--all`.
pub fn tasks(scope: &Scope, format: DescribeFormat) -> Result<Doc, ApiError> {
    let tasks = tasks_in_view(scope)?;
    Ok(Doc::of(
        format,
        || json!({"tasks": tasks.iter().map(|t| task_json(scope.account, t)).collect::<Vec<_>>(), "failures": []}),
        || tasks_table(&tasks),
    ))
}

/// The tasks view's table (also what the ECS commands print after acting):
/// one line per task, its ID, service or group, statuses, zone, ENI, address,
/// where it runs and why it stopped; `no tasks` when there are none.
pub fn tasks_table(tasks: &[&Task]) -> String {
    let mut t = Table::new(&[
        "TASK",
        "SERVICE/GROUP",
        "LAST STATUS",
        "DESIRED",
        "AZ",
        "ENI",
        "PRIVATE IP",
        "CONTAINER INSTANCE",
        "STOPPED REASON",
    ]);
    for task in tasks {
        let group = task.group.strip_prefix("service:").unwrap_or(&task.group);
        let placement = match &task.container_instance_arn {
            Some(arn) => arn_tail(arn).to_string(),
            None => task.launch_type.clone(),
        };
        t.row(vec![
            arn_tail(&task.task_arn).to_string(),
            group.to_string(),
            task.last_status.to_string(),
            task.desired_status.to_string(),
            task.availability_zone.clone(),
            or_none(task_eni(task)),
            or_none(task_ip(task)),
            placement,
            or_none(task.stopped_reason.as_deref()),
        ]);
    }
    t.render_or("no tasks")
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

/// `describe container-instances`: `{"containerInstances": […], "failures": []}`.
pub fn container_instances(scope: &Scope, format: DescribeFormat) -> Result<Doc, ApiError> {
    let cluster = scope.cluster_arn()?;
    let mut list: Vec<&ContainerInstance> = scope
        .account
        .container_instances
        .values()
        .filter(|c| Scope::in_cluster(cluster, &c.cluster_arn) && scope.owns_instance(&c.ec2_instance_id))
        .collect();
    list.sort_by(|a, b| {
        (&a.cluster_arn, a.registered_at, &a.container_instance_arn).cmp(&(
            &b.cluster_arn,
            b.registered_at,
            &b.container_instance_arn,
        ))
    });
    Ok(Doc::of(
        format,
        || json!({"containerInstances": list.iter().map(|c| container_instance_json(c)).collect::<Vec<_>>(), "failures": []}),
        || {
            let mut t = Table::new(&[
                "CONTAINER INSTANCE",
                "EC2 INSTANCE",
                "STATUS",
                "AGENT",
                "RUNNING",
                "PENDING",
                "CPU FREE",
                "MEMORY FREE",
                "AZ",
                "CLUSTER",
            ]);
            for c in &list {
                let (free, total) = (&c.remaining_resources, &c.registered_resources);
                t.row(vec![
                    arn_tail(&c.container_instance_arn).to_string(),
                    c.ec2_instance_id.clone(),
                    c.status.to_string(),
                    if c.agent_connected { "connected".into() } else { "disconnected".into() },
                    c.running_tasks_count.to_string(),
                    c.pending_tasks_count.to_string(),
                    format!("{}/{}", free.cpu, total.cpu),
                    format!("{}/{} MiB", free.memory, total.memory),
                    or_none(c.attributes.get("ecs.availability-zone")),
                    arn_tail(&c.cluster_arn).to_string(),
                ]);
            }
            t.render_or("no container instances")
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_use_the_api_list_shape() {
        let r = InstanceResources { cpu: 2048, memory: 3955, ports: vec![22, 2376], ports_udp: vec![] };
        let v = resources_json(&r);
        assert_eq!(
            v[0],
            json!({"name": "CPU", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": 2048})
        );
        assert_eq!(v[2]["stringSetValue"], json!(["22", "2376"]));
        assert_eq!(v[3]["name"], "PORTS_UDP");
    }
}
