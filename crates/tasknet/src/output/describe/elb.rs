//! Target health: `aws elbv2 describe-target-health`, for one target group
//! or all of them.

use super::table::{arn_tail, or_none, Table};
use super::tasks::task_ip;
use super::{ApiError, Doc, Scope};
use crate::cli::DescribeFormat;
use account::{TargetGroup, TargetHealthDescription};
use serde_json::{json, Value};

/// One `TargetHealthDescription` (a healthy target has no reason or description).
fn description_json(d: &TargetHealthDescription) -> Value {
    json!({
        "Target": {"Id": d.target.id, "Port": d.target.port, "AvailabilityZone": d.target.availability_zone},
        "HealthCheckPort": d.health_check_port,
        "TargetHealth": {"State": d.target_health.state, "Reason": d.target_health.reason, "Description": d.target_health.description},
    })
}

/// The target groups in view: `--target-group` (ARN or name) or all of them.
/// An unknown one is ELB's TargetGroupNotFound (inferred text).
fn groups_in_view<'a>(scope: &Scope<'a>) -> Result<Vec<&'a TargetGroup>, ApiError> {
    let groups = scope.account.target_groups.values().filter(|g| scope.owns(&g.target_group_arn));
    match &scope.query.target_group {
        None => Ok(groups.collect()),
        Some(wanted) => {
            let found: Vec<&TargetGroup> =
                groups.filter(|g| &g.target_group_arn == wanted || &g.target_group_name == wanted).collect();
            if found.is_empty() {
                Err(ApiError {
                    code: "TargetGroupNotFound",
                    operation: "DescribeTargetHealth",
                    message: "One or more target groups not found".into(),
                })
            } else {
                Ok(found)
            }
        }
    }
}

/// `describe target-health`: `{"TargetHealthDescriptions": […]}`. Without
/// `--target-group` the descriptions of every group follow one another (the
/// API has no member naming the group; the text view shows it).
pub fn target_health(scope: &Scope, format: DescribeFormat) -> Result<Doc, ApiError> {
    let groups = groups_in_view(scope)?;
    Ok(Doc::of(
        format,
        || json!({"TargetHealthDescriptions": groups.iter().flat_map(|g| g.targets.iter().map(description_json)).collect::<Vec<_>>()}),
        || {
            let mut t = Table::new(&["TARGET GROUP", "TARGET", "PORT", "AZ", "STATE", "REASON", "TASK", "DESCRIPTION"]);
            for g in &groups {
                for d in &g.targets {
                    // An ip target of an awsvpc service is a task's address: name the task.
                    let task = scope
                        .account
                        .tasks
                        .values()
                        .filter(|task| task.is_live() && task_ip(task) == Some(d.target.id.as_str()))
                        .max_by_key(|task| task.created_at);
                    t.row(vec![
                        g.target_group_name.clone(),
                        d.target.id.clone(),
                        d.target.port.to_string(),
                        or_none(d.target.availability_zone.as_deref()),
                        d.target_health.state.to_string(),
                        or_none(d.target_health.reason.as_deref()),
                        or_none(task.map(|task| arn_tail(&task.task_arn))),
                        or_none(d.target_health.description.as_deref()),
                    ]);
                }
            }
            t.render_or("no targets")
        },
    ))
}
