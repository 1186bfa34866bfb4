//! ELBv2's `DescribeTargetHealth`, for one target group or all of them;
//! the load balancers', target groups', listeners' and rules' documents are
//! in [`describe`].

use crate::error::target_group_not_found;
use crate::json::prune;
use crate::{ApiError, Selection};
use account::{TargetGroup, TargetHealthDescription};
use serde_json::{json, Value};

mod describe;
pub use describe::{
    default_rule_arn, default_rule_json, describe_listeners, describe_load_balancers, describe_rules,
    describe_target_groups, listener_json, load_balancer_json, rule_json, target_group_json,
};

/// One `TargetHealthDescription` (a healthy target has no reason or description).
fn description_json(d: &TargetHealthDescription) -> Value {
    json!({
        "Target": {"Id": d.target.id, "Port": d.target.port, "AvailabilityZone": d.target.availability_zone},
        "HealthCheckPort": d.health_check_port,
        "TargetHealth": {"State": d.target_health.state, "Reason": d.target_health.reason, "Description": d.target_health.description},
    })
}

/// The target groups in view: `--target-group` (ARN or name) or all of them.
/// An unknown one is ELB's TargetGroupNotFound.
pub fn target_groups<'a>(sel: &Selection<'a>) -> Result<Vec<&'a TargetGroup>, ApiError> {
    let groups = sel.account.target_groups.values().filter(|g| sel.owns(&g.target_group_arn));
    match &sel.query.target_group {
        None => Ok(groups.collect()),
        Some(wanted) => {
            let found: Vec<&TargetGroup> =
                groups.filter(|g| &g.target_group_arn == wanted || &g.target_group_name == wanted).collect();
            if found.is_empty() {
                Err(target_group_not_found("DescribeTargetHealth"))
            } else {
                Ok(found)
            }
        }
    }
}

/// DescribeTargetHealth: `{"TargetHealthDescriptions": […]}`. Without
/// `--target-group` the descriptions of every group follow one another (the
/// API has no member naming the group).
pub fn describe_target_health(sel: &Selection) -> Result<Value, ApiError> {
    let list: Vec<Value> = target_groups(sel)?.iter().flat_map(|g| g.targets.iter().map(description_json)).collect();
    Ok(prune(json!({ "TargetHealthDescriptions": list })))
}

#[cfg(test)]
mod tests;
