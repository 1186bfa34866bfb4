//! ECS services: `aws ecs describe-services`, with a service's deployments
//! and latest events under it in the text view.

use super::json::{timestamp, to_value};
use super::table::{arn_tail, or_none, task_definition_name, Table};
use super::{time, ApiError, Doc, Scope};
use crate::cli::DescribeFormat;
use account::{Deployment, Service};
use serde_json::{json, Value};

/// How many events the text view shows under a named service (the console
/// shows the latest first, a page at a time).
const TEXT_EVENTS: usize = 10;

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
/// are `null`: pass the document through [`super::json::prune`].
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

/// The ARN DescribeServices reports as `MISSING` for a service it cannot
/// find: the name under the cluster asked for (ECS's `default` when none).
fn missing_arn(scope: &Scope, cluster_arn: Option<&str>, service: &str) -> String {
    if service.starts_with("arn:") {
        return service.to_string();
    }
    scope.account.service_arn(cluster_arn.map_or("default", arn_tail), service)
}

/// `describe services`: `{"services": […], "failures": […]}`. A `--service`
/// that matches nothing is a `MISSING` failure, not an error, as in ECS.
pub fn services(scope: &Scope, format: DescribeFormat) -> Result<Doc, ApiError> {
    let cluster = scope.cluster_arn()?;
    let mut services: Vec<&Service> = scope
        .account
        .services
        .values()
        .filter(|s| {
            Scope::in_cluster(cluster, &s.cluster_arn)
                && scope.is_service(&s.service_name, &s.service_arn)
                && scope.owns(&s.service_arn)
        })
        .collect();
    services.sort_by(|a, b| (&a.cluster_arn, &a.service_name).cmp(&(&b.cluster_arn, &b.service_name)));
    let missing = match &scope.query.service {
        Some(name) if services.is_empty() => Some(missing_arn(scope, cluster, name)),
        _ => None,
    };
    Ok(Doc::of(
        format,
        || {
            let failures: Vec<Value> = missing.iter().map(|arn| json!({"arn": arn, "reason": "MISSING"})).collect();
            json!({"services": services.iter().map(|s| service_json(s)).collect::<Vec<_>>(), "failures": failures})
        },
        || {
            if let Some(arn) = &missing {
                return format!("no service {arn} (MISSING)\n");
            }
            let mut t = Table::new(&[
                "NAME",
                "STATUS",
                "DESIRED",
                "RUNNING",
                "PENDING",
                "TASK DEFINITION",
                "LAUNCH TYPE",
                "CLUSTER",
            ]);
            for s in &services {
                t.row(vec![
                    s.service_name.clone(),
                    s.status.to_string(),
                    s.desired_count.to_string(),
                    s.running_count.to_string(),
                    s.pending_count.to_string(),
                    task_definition_name(&s.task_definition).to_string(),
                    or_none(s.launch_type.as_deref()),
                    arn_tail(&s.cluster_arn).to_string(),
                ]);
            }
            let mut out = t.render_or("no services");
            if scope.query.service.is_some() {
                for s in &services {
                    if services.len() > 1 {
                        out.push_str(&format!("\nservice {} (cluster {})\n", s.service_name, arn_tail(&s.cluster_arn)));
                    }
                    out.push_str(&details_text(s));
                }
            }
            out
        },
    ))
}

/// A named service's deployments and latest events, as sections under its row.
fn details_text(s: &Service) -> String {
    let mut deployments = Table::new(&[
        "DEPLOYMENT",
        "STATUS",
        "TASK DEFINITION",
        "DESIRED",
        "PENDING",
        "RUNNING",
        "FAILED",
        "ROLLOUT",
        "UPDATED",
    ]);
    for d in &s.deployments {
        deployments.row(vec![
            d.id.clone(),
            d.status.to_string(),
            task_definition_name(&d.task_definition).to_string(),
            d.desired_count.to_string(),
            d.pending_count.to_string(),
            d.running_count.to_string(),
            d.failed_tasks.to_string(),
            d.rollout_state.to_string(),
            time::text(d.updated_at),
        ]);
    }
    let mut events = Table::new(&["EVENT TIME", "MESSAGE"]);
    // The model keeps events newest first, as DescribeServices lists them.
    for e in s.events.iter().take(TEXT_EVENTS) {
        events.row(vec![time::text(e.created_at), e.message.clone()]);
    }
    format!("\n{}\n{}", deployments.render_or("no deployments"), events.render_or("no events"))
}
