//! EC2 Auto Scaling: DescribeAutoScalingGroups and DescribeScalingActivities
//! over the account, UpdateAutoScalingGroup and SetDesiredCapacity through
//! the control plane (`control::ec2`), played out on the clock.

use super::{input, pages};
use crate::dispatch::{read, write, Operation, Read, Write};
use crate::error::WireError;
use account::{Account, AutoScalingGroup, ScalingActivity};
use serde_json::{json, Value};
use shapes::time::aws_cli as iso;

/// Auto Scaling's operations.
pub const OPERATIONS: &[Operation] = &[
    read("DescribeAutoScalingGroups", describe_auto_scaling_groups),
    read("DescribeScalingActivities", describe_scaling_activities),
    write("UpdateAutoScalingGroup", update_auto_scaling_group),
    write("SetDesiredCapacity", set_desired_capacity),
];

/// A page by Auto Scaling's `NextToken` and `MaxRecords` (its InvalidNextToken).
fn asg_page<'a, T>(items: &'a [T], input: &Value, default: usize) -> Result<(&'a [T], Option<String>), WireError> {
    let limits = pages::Limits { default, max: 100 };
    let bad = |m: String| WireError::bad("InvalidNextToken", m);
    pages::page(items, input::text(input, "NextToken"), input::int(input, "MaxRecords"), limits, bad)
}

/// One `Instance` of a group: its lifecycle state as the controller keeps
/// it; tasknet models no health checks failing, so Healthy.
fn instance_json(a: &Account, id: &str) -> Option<Value> {
    let i = a.instances.get(id)?;
    Some(json!({
        "InstanceId": i.instance_id,
        "InstanceType": i.instance_type,
        "AvailabilityZone": i.availability_zone,
        "LifecycleState": i.lifecycle_state.as_deref().unwrap_or("Pending"),
        "HealthStatus": "Healthy",
        "LaunchConfigurationName": i.launch_configuration_name,
        "ProtectedFromScaleIn": false,
    }))
}

/// One `AutoScalingGroup`. DefaultCooldown 300 and HealthCheckType EC2 are
/// the API's defaults (AWS doc: "CreateAutoScalingGroup"), which tasknet's
/// groups never change; TerminationPolicies likewise `Default`.
fn group_json(a: &Account, g: &AutoScalingGroup) -> Value {
    let mut zones: Vec<&str> =
        g.subnets.iter().filter_map(|s| a.subnets.get(s)).map(|s| s.availability_zone.as_str()).collect();
    zones.sort_unstable();
    zones.dedup();
    let instances: Vec<Value> = a
        .auto_scaling_instances(&g.auto_scaling_group_name)
        .iter()
        .filter_map(|i| instance_json(a, &i.instance_id))
        .collect();
    json!({
        "AutoScalingGroupName": g.auto_scaling_group_name,
        "AutoScalingGroupARN": g.auto_scaling_group_arn,
        "LaunchConfigurationName": g.launch_configuration_name,
        "LaunchTemplate": g.launch_template.as_ref().map(|(id, version)| json!({"LaunchTemplateId": id, "Version": version})),
        "MinSize": g.min_size,
        "MaxSize": g.max_size,
        "DesiredCapacity": g.desired(),
        "DefaultCooldown": 300,
        "AvailabilityZones": zones,
        "LoadBalancerNames": [],
        "TargetGroupARNs": g.target_group_arns,
        "HealthCheckType": "EC2",
        "HealthCheckGracePeriod": 0,
        "Instances": instances,
        "CreatedTime": iso(g.created_time),
        "SuspendedProcesses": g.suspended_processes.iter()
            .map(|p| json!({"ProcessName": p, "SuspensionReason": Value::Null})).collect::<Vec<_>>(),
        "VPCZoneIdentifier": g.subnets.join(","),
        "Status": g.status,
        "Tags": g.tags.iter().map(|t| json!({
            "ResourceId": g.auto_scaling_group_name,
            "ResourceType": "auto-scaling-group",
            "Key": t.key,
            "Value": t.value,
            "PropagateAtLaunch": t.propagate_at_launch,
        })).collect::<Vec<_>>(),
        "TerminationPolicies": ["Default"],
        "NewInstancesProtectedFromScaleIn": false,
    })
}

/// DescribeAutoScalingGroups: the groups named (unknown names are left out,
/// not an error), or all. AWS doc: "DescribeAutoScalingGroups" (MaxRecords
/// up to 100, default 50). Filters are not evaluated and are refused.
fn describe_auto_scaling_groups(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    if input.get("Filters").and_then(Value::as_array).is_some_and(|f| !f.is_empty()) {
        return Err(WireError::bad("ValidationError", "tasknet does not evaluate Filters."));
    }
    let names = input::texts(input, "AutoScalingGroupNames");
    let groups: Vec<&AutoScalingGroup> = r
        .account
        .auto_scaling_groups
        .values()
        .filter(|g| names.is_empty() || names.contains(&g.auto_scaling_group_name))
        .collect();
    let (page, next) = asg_page(&groups, input, 50)?;
    let docs: Vec<Value> = page.iter().map(|g| group_json(r.account, g)).collect();
    Ok(shapes::json::prune(json!({ "AutoScalingGroups": docs, "NextToken": next })))
}

/// One `Activity`; Progress 100 once it ended, and Details as the
/// subnet and zone it happened in (the JSON text AWS puts there).
fn activity_json(g: &AutoScalingGroup, act: &ScalingActivity) -> Value {
    let mut details = serde_json::Map::new();
    if let Some(s) = &act.subnet_id {
        details.insert("Subnet ID".into(), json!(s));
    }
    if let Some(z) = &act.availability_zone {
        details.insert("Availability Zone".into(), json!(z));
    }
    json!({
        "ActivityId": act.activity_id,
        "AutoScalingGroupName": g.auto_scaling_group_name,
        "Description": act.description,
        "Cause": act.cause,
        "StartTime": iso(act.start_time),
        "EndTime": act.end_time.map(iso),
        "StatusCode": act.status_code,
        "StatusMessage": act.status_message,
        "Progress": if act.end_time.is_some() { 100 } else { 0 },
        "Details": Value::Object(details).to_string(),
        "AutoScalingGroupARN": g.auto_scaling_group_arn,
    })
}

/// DescribeScalingActivities: newest first, of one group or all, narrowed
/// to ActivityIds. AWS doc: "DescribeScalingActivities" (MaxRecords up to
/// 100, default 100). An unknown group has no activities (inferred).
fn describe_scaling_activities(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let group = input::text(input, "AutoScalingGroupName");
    let ids = input::texts(input, "ActivityIds");
    let mut list: Vec<(&AutoScalingGroup, &ScalingActivity)> = r
        .account
        .auto_scaling_groups
        .values()
        .filter(|g| group.is_none_or(|n| g.auto_scaling_group_name == n))
        .flat_map(|g| g.activities.iter().map(move |a| (g, a)))
        .filter(|(_, a)| ids.is_empty() || ids.contains(&a.activity_id))
        .collect();
    list.sort_by_key(|x| std::cmp::Reverse(x.1.start_time));
    let (page, next) = asg_page(&list, input, 100)?;
    let docs: Vec<Value> = page.iter().map(|(g, a)| activity_json(g, a)).collect();
    Ok(shapes::json::prune(json!({ "Activities": docs, "NextToken": next })))
}

/// A `u32` member (the model's integers; a negative one is refused).
fn count(input: &Value, name: &str) -> Result<Option<u32>, WireError> {
    match input::int(input, name) {
        None => Ok(None),
        Some(n) => u32::try_from(n)
            .map(Some)
            .map_err(|_| WireError::bad("ValidationError", format!("{name} must not be negative."))),
    }
}

/// The members of UpdateAutoScalingGroup tasknet applies; others are refused, not dropped.
const UPDATABLE: &[&str] = &["AutoScalingGroupName", "MinSize", "MaxSize", "DesiredCapacity"];

/// UpdateAutoScalingGroup of MinSize, MaxSize and DesiredCapacity, played out.
fn update_auto_scaling_group(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    if let Some(other) = input.as_object().and_then(|m| m.keys().find(|k| !UPDATABLE.contains(&k.as_str()))) {
        return Err(WireError::bad("ValidationError", format!("tasknet does not update {other} of a group.")));
    }
    let name = input::text(input, "AutoScalingGroupName").unwrap_or_default();
    let (min, max, desired) = (count(input, "MinSize")?, count(input, "MaxSize")?, count(input, "DesiredCapacity")?);
    control::ec2::update_auto_scaling_group(&mut w.session.account, name, min, max, desired)
        .map_err(|e| WireError::from_aws(&e))?;
    w.session.play_out_call();
    Ok(json!({}))
}

/// SetDesiredCapacity, played out (HonorCooldown has nothing to honour:
/// tasknet keeps no cooldowns).
fn set_desired_capacity(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let name = input::text(input, "AutoScalingGroupName").unwrap_or_default();
    let desired = count(input, "DesiredCapacity")?.unwrap_or_default();
    control::ec2::set_desired_capacity(&mut w.session.account, name, desired).map_err(|e| WireError::from_aws(&e))?;
    w.session.play_out_call();
    Ok(json!({}))
}
