//! ECS: clusters, task definitions, services, tasks and container
//! instances, through the control plane's actions (`control::ecs`) and the
//! Describe documents (`shapes::ecs`). Write handlers play the change out
//! on the account's clock before answering, as ECS's control plane works on
//! after a call.

mod clusters;
mod definitions;
mod services;
mod tasks;

use super::{input, pages};
use crate::dispatch::{read, write, Operation};
use crate::error::WireError;
use serde_json::{json, Value};

/// ECS's operations.
pub const OPERATIONS: &[Operation] = &[
    read("ListClusters", clusters::list_clusters),
    read("DescribeClusters", clusters::describe_clusters),
    write("CreateCluster", clusters::create_cluster),
    write("DeleteCluster", clusters::delete_cluster),
    read("ListContainerInstances", clusters::list_container_instances),
    read("DescribeContainerInstances", clusters::describe_container_instances),
    read("ListAccountSettings", clusters::list_account_settings),
    write("PutAccountSetting", clusters::put_account_setting),
    read("ListTagsForResource", clusters::list_tags_for_resource),
    write("TagResource", clusters::tag_resource),
    write("UntagResource", clusters::untag_resource),
    write("RegisterTaskDefinition", definitions::register_task_definition),
    write("DeregisterTaskDefinition", definitions::deregister_task_definition),
    read("DescribeTaskDefinition", definitions::describe_task_definition),
    read("ListTaskDefinitions", definitions::list_task_definitions),
    read("ListTaskDefinitionFamilies", definitions::list_task_definition_families),
    read("ListServices", services::list_services),
    read("DescribeServices", services::describe_services),
    write("CreateService", services::create_service),
    write("UpdateService", services::update_service),
    write("DeleteService", services::delete_service),
    read("ListTasks", tasks::list_tasks),
    read("DescribeTasks", tasks::describe_tasks),
    write("RunTask", tasks::run_task),
    write("StopTask", tasks::stop_task),
];

fn aws(e: &impl account::AwsError) -> WireError {
    WireError::from_aws(e)
}

/// ECS's refusal of a request member (its InvalidParameterException).
fn invalid(message: impl Into<String>) -> WireError {
    WireError::bad("InvalidParameterException", message)
}

/// The request as the control plane's type (ECS's members are its serde
/// names), after [`normalize`] filled in what ECS defaults.
fn request<T: serde::de::DeserializeOwned>(input: &Value) -> Result<T, WireError> {
    serde_json::from_value(normalize(input)).map_err(|e| invalid(e.to_string()))
}

/// The members whose wire form differs from the account's records:
/// `assignPublicIp` defaults to DISABLED (AWS doc: "AwsVpcConfiguration"),
/// and `deploymentConfiguration` nests its circuit breaker, which the
/// record keeps flat, with maximumPercent 200 and minimumHealthyPercent 100
/// when absent (AWS doc: "DeploymentConfiguration", replica services).
fn normalize(input: &Value) -> Value {
    let mut v = input.clone();
    if let Some(cfg) = v.pointer_mut("/networkConfiguration/awsvpcConfiguration").and_then(Value::as_object_mut) {
        cfg.entry("assignPublicIp").or_insert_with(|| json!("DISABLED"));
    }
    if let Some(d) = v.get("deploymentConfiguration").cloned() {
        let breaker = |m: &str| d.pointer(&format!("/deploymentCircuitBreaker/{m}")).and_then(Value::as_bool);
        v["deploymentConfiguration"] = json!({
            "maximumPercent": input::int(&d, "maximumPercent").unwrap_or(200),
            "minimumHealthyPercent": input::int(&d, "minimumHealthyPercent").unwrap_or(100),
            "circuitBreakerEnable": breaker("enable").unwrap_or(false),
            "circuitBreakerRollback": breaker("rollback").unwrap_or(false),
        });
    }
    v
}

/// The `cluster` member, ECS's `default` when absent.
fn cluster_of(input: &Value) -> String {
    input::text(input, "cluster").unwrap_or("default").to_string()
}

/// A page of `items` by ECS's `nextToken` and `maxResults` (1..=`max`,
/// `default` when absent; AWS doc: each List action's maxResults).
fn ecs_page<'a, T>(
    items: &'a [T],
    input: &Value,
    default: usize,
    max: usize,
) -> Result<(&'a [T], Option<String>), WireError> {
    let limits = pages::Limits { default, max };
    pages::page(items, input::text(input, "nextToken"), input::int(input, "maxResults"), limits, invalid)
}
