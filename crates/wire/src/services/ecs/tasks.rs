//! ListTasks, DescribeTasks, RunTask and StopTask.

use super::{aws, cluster_of, ecs_page, input, request};
use crate::dispatch::{Read, Write};
use crate::error::WireError;
use control::ecs::{self, RunTaskRequest, StopTaskRequest};
use serde_json::{json, Value};
use shapes::{Query, Selection};

/// ListTasks: the cluster's tasks whose desired status is `desiredStatus`
/// (RUNNING unless given), narrowed by family, service, container instance,
/// startedBy and launch type. AWS doc: "ListTasks" (maxResults 1..=100, default 100).
pub fn list_tasks(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let status = input::text(input, "desiredStatus").unwrap_or("RUNNING");
    // Stopped tasks are in view only when the caller asks for STOPPED ones.
    let query = Query { cluster: Some(cluster_of(input)), all: status == "STOPPED", ..Query::default() };
    let sel = Selection::new(r.account, &query, "ListTasks").map_err(|e| aws(&e))?;
    let tasks = shapes::ecs::tasks(&sel).map_err(|e| aws(&e))?;
    let family = input::text(input, "family");
    let service = input::text(input, "serviceName");
    let instance = input::text(input, "containerInstance");
    let started_by = input::text(input, "startedBy");
    let launch_type = input::text(input, "launchType");
    let family_of = |arn: &str| arn.rsplit('/').next().and_then(|d| d.split(':').next()).map(str::to_string);
    let arns: Vec<&str> = tasks
        .iter()
        .filter(|t| family.is_none_or(|f| family_of(&t.task_definition_arn).as_deref() == Some(f)))
        .filter(|t| service.is_none_or(|s| t.group == format!("service:{s}") || t.service_arn.as_deref() == Some(s)))
        .filter(|t| {
            instance.is_none_or(|i| {
                t.container_instance_arn.as_deref().is_some_and(|c| c == i || c.rsplit('/').next() == Some(i))
            })
        })
        .filter(|t| started_by.is_none_or(|s| t.started_by.as_deref() == Some(s)))
        .filter(|t| launch_type.is_none_or(|l| t.launch_type == l))
        .filter(|t| t.desired_status == status)
        .map(|t| t.task_arn.as_str())
        .collect();
    let (page, next) = ecs_page(&arns, input, 100, 100)?;
    Ok(json!({ "taskArns": page, "nextToken": next }))
}

/// DescribeTasks: the tasks named (ARNs or IDs), stopped ones included, and
/// a `MISSING` failure for each unknown one (what boto3's `tasks_running`
/// waiter fails on).
pub fn describe_tasks(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let query = Query { cluster: Some(cluster_of(input)), all: true, ..Query::default() };
    let sel = Selection::new(r.account, &query, "DescribeTasks").map_err(|e| aws(&e))?;
    shapes::ecs::describe_tasks_named(&sel, &input::texts(input, "tasks")).map_err(|e| aws(&e))
}

/// RunTask, played out.
pub fn run_task(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let req: RunTaskRequest = request(input)?;
    let out = ecs::run_task(&mut w.session.account, &req).map_err(|e| aws(&e))?;
    w.session.play_out_call();
    // The tasks as the call returned them (PROVISIONING or PENDING), as ECS answers.
    Ok(shapes::ecs::run_task(&w.session.account, &out.tasks, &out.failures))
}

/// StopTask, played out.
pub fn stop_task(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let req: StopTaskRequest = request(input)?;
    let task = ecs::stop_task(&mut w.session.account, &req).map_err(|e| aws(&e))?;
    w.session.play_out_call();
    Ok(shapes::ecs::stop_task(&w.session.account, &task))
}
