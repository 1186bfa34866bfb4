//! The ECS tasks and container instances tables.

use super::table::{arn_tail, or_none, Table};
use account::Task;
use shapes::ecs::{task_eni, task_ip};
use shapes::{ApiError, Selection};

/// `describe tasks`: STOPPED tasks only with `--all`.
pub fn tasks(sel: &Selection) -> Result<String, ApiError> {
    Ok(tasks_table(&shapes::ecs::tasks(sel)?))
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

/// `describe container-instances`: one line per container instance, its free CPU and memory.
pub fn container_instances(sel: &Selection) -> Result<String, ApiError> {
    let list = shapes::ecs::container_instances(sel)?;
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
    Ok(t.render_or("no container instances"))
}
