//! ListServices, DescribeServices, CreateService, UpdateService and DeleteService.

use super::{aws, cluster_of, ecs_page, input, request};
use crate::dispatch::{Read, Write};
use crate::error::WireError;
use control::ecs::{self, CreateServiceRequest, UpdateServiceRequest};
use serde_json::{json, Value};
use shapes::{Query, Selection};

/// ListServices: the cluster's ACTIVE and DRAINING services (inferred: an
/// INACTIVE service is no longer listed), by launch type when given.
/// AWS doc: "ListServices" (maxResults 1..=100, default 10).
pub fn list_services(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let query = Query { cluster: Some(cluster_of(input)), ..Query::default() };
    let sel = Selection::new(r.account, &query, "ListServices").map_err(|e| aws(&e))?;
    let found = shapes::ecs::services(&sel).map_err(|e| aws(&e))?;
    let launch_type = input::text(input, "launchType");
    // Every tasknet service is a REPLICA service.
    let strategy_ok = input::text(input, "schedulingStrategy").is_none_or(|s| s == "REPLICA");
    let arns: Vec<&str> = found
        .services
        .iter()
        .filter(|s| s.status != account::ServiceStatus::Inactive && strategy_ok)
        .filter(|s| launch_type.is_none_or(|l| s.launch_type.as_deref() == Some(l)))
        .map(|s| s.service_arn.as_str())
        .collect();
    let (page, next) = ecs_page(&arns, input, 10, 100)?;
    Ok(json!({ "serviceArns": page, "nextToken": next }))
}

/// DescribeServices: each service named, or its `MISSING` failure.
pub fn describe_services(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let cluster = cluster_of(input);
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

/// CreateService, played out (the scheduler starts its tasks).
pub fn create_service(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let req: CreateServiceRequest = request(input)?;
    let service = ecs::create_service(&mut w.session.account, &req).map_err(|e| aws(&e))?;
    w.session.play_out_call();
    // The service as the call left it, as ECS answers (CreateService, UpdateService
    // and DeleteService share UpdateService's `Service` document).
    Ok(shapes::ecs::update_service(&service))
}

/// UpdateService, played out: the events the scheduler posts (a placement
/// failure such as the ENI shortfall, `RESOURCE:ENI`) show in DescribeServices.
pub fn update_service(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let req: UpdateServiceRequest = request(input)?;
    let service = ecs::update_service(&mut w.session.account, &req).map_err(|e| aws(&e))?;
    w.session.play_out_call();
    // The service as the call left it, as ECS answers (CreateService, UpdateService
    // and DeleteService share UpdateService's `Service` document).
    Ok(shapes::ecs::update_service(&service))
}

/// DeleteService (`force` for one still scaled up), played out; the answer
/// is the service as the call left it (DRAINING), as ECS answers.
pub fn delete_service(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let service = input::text(input, "service").unwrap_or_default();
    let force = input::boolean(input, "force").unwrap_or(false);
    let deleted =
        ecs::delete_service(&mut w.session.account, &cluster_of(input), service, force).map_err(|e| aws(&e))?;
    w.session.play_out_call();
    Ok(shapes::ecs::update_service(&deleted))
}
