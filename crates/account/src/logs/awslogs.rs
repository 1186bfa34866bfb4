//! ECS's `awslogs` log driver: which group and stream a task's container
//! writes to, and the check ECS makes before starting it.
//!
//! AWS doc "Send Amazon ECS logs to CloudWatch" (Using the awslogs log
//! driver): with `awslogs-stream-prefix` the stream is
//! `prefix-name/container-name/ecs-task-id`; `awslogs-create-group` `true`
//! creates a missing group, otherwise the group must exist.

use super::{batches, put_log_events, PutLogEventsOutput};
use crate::{Account, ServiceError, Task};

/// Where one container's output goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsLogsTarget {
    /// `awslogs-group`.
    pub group: String,
    /// The stream: `<awslogs-stream-prefix>/<container>/<task id>`.
    pub stream: String,
    /// `awslogs-create-group` is `true`.
    pub create_group: bool,
}

/// The task's ID: the last part of its ARN.
pub fn task_id(task_arn: &str) -> &str {
    task_arn.rsplit('/').next().unwrap_or(task_arn)
}

/// The awslogs target of `container` of `task`, when its definition uses the `awslogs` driver.
pub fn target(a: &Account, task: &Task, container: &str) -> Option<AwsLogsTarget> {
    let td = a.task_definitions.get(&task.task_definition_arn)?;
    let c = td.container_definitions.iter().find(|c| c.name == container)?;
    let cfg = c.log_configuration.as_ref().filter(|l| l.log_driver == "awslogs")?;
    let group = cfg.options.get("awslogs-group")?.clone();
    let id = task_id(&task.task_arn);
    let stream = match cfg.options.get("awslogs-stream-prefix") {
        Some(prefix) => format!("{prefix}/{container}/{id}"),
        // Without a prefix ECS names the stream after the Docker container
        // ID, which tasknet does not have: `<container>/<task id>` instead (tasknet's choice).
        None => format!("{container}/{id}"),
    };
    let create_group = cfg.options.get("awslogs-create-group").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    Some(AwsLogsTarget { group, stream, create_group })
}

/// Every awslogs target of the task's containers, by container name.
pub fn targets(a: &Account, task: &Task) -> Vec<(String, AwsLogsTarget)> {
    task.containers.iter().filter_map(|c| Some((c.name.clone(), target(a, task, &c.name)?))).collect()
}

/// What the ECS agent does before starting the task's containers: creates
/// the groups marked `awslogs-create-group` and refuses a missing one
/// otherwise, with the text tasks stop with (seen in users' reports of
/// stopped tasks; the retry count is the agent's and may differ).
pub fn prepare(a: &mut Account, task: &Task) -> Result<(), String> {
    for (_, t) in targets(a, task) {
        if a.log_groups.contains_key(&t.group) {
            continue;
        }
        if !t.create_group {
            return Err("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1".into());
        }
        a.create_log_group(&t.group, None, Default::default()).map_err(|e| e.message)?;
    }
    Ok(())
}

/// Appends a container's captured output lines to its awslogs stream
/// (creating the stream, and the group only when `awslogs-create-group`
/// says so), as the driver does. `lines` are (timestamp ms, text) in the
/// order the container wrote them; they are sent in batches within
/// PutLogEvents' limits. Returns None when the container has no awslogs driver.
pub fn append(
    a: &mut Account,
    task_arn: &str,
    container: &str,
    lines: &[(u64, String)],
) -> Option<Result<Vec<PutLogEventsOutput>, ServiceError>> {
    let task = a.tasks.get(task_arn)?.clone();
    let t = target(a, &task, container)?;
    if !t.create_group && !a.log_groups.contains_key(&t.group) {
        return Some(Err(super::group_not_found()));
    }
    let mut outs = Vec::new();
    for batch in batches(lines) {
        match put_log_events(a, &t.group, &t.stream, &batch, true) {
            Ok(out) => outs.push(out),
            Err(e) => return Some(Err(e)),
        }
    }
    Some(Ok(outs))
}
