//! ECS: clusters, services and tasks, through the control plane's actions.

use super::input;
use crate::dispatch::{read, write, Operation, Read, Write};
use crate::error::WireError;
use control::ecs::{self, RunTaskRequest, StopTaskRequest, UpdateServiceRequest};
use serde_json::{json, Value};
use shapes::{Query, Selection};

/// ECS's operations.
pub const OPERATIONS: &[Operation] = &[
    read("ListClusters", list_clusters),
    read("ListTasks", list_tasks),
    read("DescribeTasks", describe_tasks),
    read("DescribeServices", describe_services),
    write("UpdateService", update_service),
    write("RunTask", run_task),
    write("StopTask", stop_task),
];

fn aws(e: &impl account::AwsError) -> WireError {
    WireError::from_aws(e)
}

/// The request as the control plane's type (ECS's members are its serde names).
fn request<T: serde::de::DeserializeOwned>(input: &Value) -> Result<T, WireError> {
    serde_json::from_value(input.clone()).map_err(|e| WireError::bad("InvalidParameterException", e.to_string()))
}

fn list_clusters(r: &Read<'_>, _input: &Value) -> Result<Value, WireError> {
    let arns: Vec<&str> = r.account.clusters.values().map(|c| c.cluster_arn.as_str()).collect();
    Ok(json!({ "clusterArns": arns }))
}

fn list_tasks(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let query =
        Query { cluster: Some(input::text(input, "cluster").unwrap_or("default").to_string()), ..Query::default() };
    let sel = Selection::new(r.account, &query, "ListTasks").map_err(|e| aws(&e))?;
    let tasks = shapes::ecs::tasks(&sel).map_err(|e| aws(&e))?;
    let family = input::text(input, "family");
    let service = input::text(input, "serviceName");
    let status = input::text(input, "desiredStatus").unwrap_or("RUNNING");
    let arns: Vec<&str> = tasks
        .iter()
        .filter(|t| {
            family.is_none_or(|f| {
                t.task_definition_arn.rsplit('/').next().is_some_and(|d| d.split(':').next() == Some(f))
            })
        })
        .filter(|t| service.is_none_or(|s| t.group == format!("service:{s}")))
        .filter(|t| format!("{}", t.desired_status) == status)
        .map(|t| t.task_arn.as_str())
        .collect();
    Ok(json!({ "taskArns": arns }))
}

fn describe_tasks(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let query = Query {
        cluster: Some(input::text(input, "cluster").unwrap_or("default").to_string()),
        all: true,
        ..Query::default()
    };
    let sel = Selection::new(r.account, &query, "DescribeTasks").map_err(|e| aws(&e))?;
    let mut doc = shapes::ecs::describe_tasks(&sel).map_err(|e| aws(&e))?;
    let wanted = input::texts(input, "tasks");
    let is = |t: &Value, w: &str| {
        let arn = t.get("taskArn").and_then(Value::as_str).unwrap_or_default();
        arn == w || arn.rsplit('/').next() == Some(w)
    };
    let tasks: Vec<Value> = doc
        .get("tasks")
        .and_then(Value::as_array)
        .map(|all| all.iter().filter(|t| wanted.iter().any(|w| is(t, w))).cloned().collect())
        .unwrap_or_default();
    let failures: Vec<Value> = wanted
        .iter()
        .filter(|w| !tasks.iter().any(|t| is(t, w)))
        .map(|w| json!({"arn": w, "reason": "MISSING"}))
        .collect();
    doc["tasks"] = Value::Array(tasks);
    doc["failures"] = Value::Array(failures);
    Ok(doc)
}

fn describe_services(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let cluster = input::text(input, "cluster").unwrap_or("default").to_string();
    let mut services = Vec::new();
    let mut failures = Vec::new();
    for name in input::texts(input, "services") {
        let query = Query { cluster: Some(cluster.clone()), service: Some(name), ..Query::default() };
        let sel = Selection::new(r.account, &query, "DescribeServices").map_err(|e| aws(&e))?;
        let doc = shapes::ecs::describe_services(&sel).map_err(|e| aws(&e))?;
        services.extend(doc.get("services").and_then(Value::as_array).into_iter().flatten().cloned());
        failures.extend(doc.get("failures").and_then(Value::as_array).into_iter().flatten().cloned());
    }
    Ok(json!({"services": services, "failures": failures}))
}

fn update_service(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let req: UpdateServiceRequest = request(input)?;
    let service = ecs::update_service(&mut w.session.account, &req).map_err(|e| aws(&e))?;
    w.session.play_out();
    Ok(shapes::ecs::update_service(&service))
}

fn run_task(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let req: RunTaskRequest = request(input)?;
    let out = ecs::run_task(&mut w.session.account, &req).map_err(|e| aws(&e))?;
    w.session.play_out();
    Ok(shapes::ecs::run_task(&w.session.account, &out.tasks, &out.failures))
}

fn stop_task(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let req: StopTaskRequest = request(input)?;
    let task = ecs::stop_task(&mut w.session.account, &req).map_err(|e| aws(&e))?;
    w.session.play_out();
    Ok(shapes::ecs::stop_task(&w.session.account, &task))
}
