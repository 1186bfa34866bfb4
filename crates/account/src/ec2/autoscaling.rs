//! EC2 Auto Scaling API actions on groups: CreateAutoScalingGroup,
//! UpdateAutoScalingGroup, SetDesiredCapacity, DeleteAutoScalingGroup, and
//! the scaling activities (DescribeScalingActivities) the control plane
//! records. Launching and terminating instances is the control plane's
//! (`control::ec2`); these only change what the group wants.
//!
//! AWS doc: "Set scaling limits for your Auto Scaling group" (desired within
//! min..max) and the API reference of each action.

use crate::account::Account;
use crate::aws_error::AwsService;
use crate::error::ServiceError;
use crate::model::*;

/// How many activities a group keeps (AWS keeps six weeks of them; tasknet
/// bounds the list so a group that keeps failing cannot grow without end).
pub const MAX_ACTIVITIES: usize = 100;

/// The status of a group being force-deleted.
pub const DELETE_IN_PROGRESS: &str = "Delete in progress";

/// `2026-01-01T00:00:00Z`: clock milliseconds as activity causes print them.
pub fn iso_time(ms: u64) -> String {
    let secs = ms / 1000;
    let (mut days, rem) = (secs / 86_400, secs % 86_400);
    let mut year = 1970u64;
    loop {
        let len = if is_leap(year) { 366 } else { 365 };
        if days < len {
            break;
        }
        days -= len;
        year += 1;
    }
    let feb = if is_leap(year) { 29 } else { 28 };
    let months = [31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut month = 1;
    for len in months {
        if days < len {
            break;
        }
        days -= len;
        month += 1;
    }
    format!("{year:04}-{month:02}-{:02}T{:02}:{:02}:{:02}Z", days + 1, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Gregorian leap years.
fn is_leap(y: u64) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// `ValidationError` for a missing group (inferred text).
fn group_not_found(name: &str) -> ServiceError {
    ServiceError::new(
        AwsService::AutoScaling,
        "ValidationError",
        format!("AutoScalingGroup name not found - AutoScalingGroup '{name}' not found"),
    )
}

/// Checks min ≤ max and min ≤ desired ≤ max.
fn check_limits(min: u32, max: u32, desired: u32) -> Result<(), ServiceError> {
    if max < min {
        // Inferred text.
        return Err(ServiceError::new(
            AwsService::AutoScaling,
            "ValidationError",
            format!("Max bound, {max}, must be greater than or equal to min bound, {min}"),
        ));
    }
    if desired < min || desired > max {
        // Seen (CloudFormation events quoting the API).
        return Err(ServiceError::new(
            AwsService::AutoScaling,
            "ValidationError",
            format!("Desired capacity:{desired} must be between the specified min size:{min} and max size:{max}"),
        ));
    }
    Ok(())
}

impl Account {
    /// CreateAutoScalingGroup: checks the limits and the launch configuration
    /// or template, stamps the creation time and the cause the first launch
    /// activity quotes. DesiredCapacity defaults to MinSize.
    pub fn create_auto_scaling_group(&mut self, mut group: AutoScalingGroup) -> Result<(), ServiceError> {
        let name = group.auto_scaling_group_name.clone();
        if self.auto_scaling_groups.contains_key(&name) {
            // Inferred text.
            return Err(ServiceError::new(
                AwsService::AutoScaling,
                "AlreadyExists",
                format!("AutoScalingGroup by this name already exists - A group with the name {name} already exists"),
            ));
        }
        check_limits(group.min_size, group.max_size, group.desired())?;
        if let Some(lc) = &group.launch_configuration_name {
            if self.launch_configuration(lc).is_none() {
                // Inferred text.
                return Err(ServiceError::new(
                    AwsService::AutoScaling,
                    "ValidationError",
                    format!("Launch configuration name not found - Launch configuration {lc} not found"),
                ));
            }
        }
        if let Some((lt, _)) = &group.launch_template {
            if self.launch_template(lt).is_none() {
                // Inferred text.
                return Err(ServiceError::new(
                    AwsService::AutoScaling,
                    "ValidationError",
                    format!("The specified launch template, with template ID {lt}, does not exist."),
                ));
            }
        }
        let now = self.clock_ms;
        group.created_time = now;
        group.desired_capacity = Some(group.desired());
        // Seen: the cause of a new group's first launches.
        group.pending_cause = Some(format!(
            "At {} a user request created an AutoScalingGroup changing the desired capacity from 0 to {}.",
            iso_time(now),
            group.desired()
        ));
        self.put_auto_scaling_group(group);
        Ok(())
    }

    /// UpdateAutoScalingGroup of the limits and desired capacity. Without a
    /// new desired capacity, a new MinSize above it raises it and a new
    /// MaxSize below it lowers it (AWS doc: "UpdateAutoScalingGroup").
    pub fn update_auto_scaling_group(
        &mut self,
        name: &str,
        min: Option<u32>,
        max: Option<u32>,
        desired: Option<u32>,
    ) -> Result<(), ServiceError> {
        let g = self.auto_scaling_groups.get(name).ok_or_else(|| group_not_found(name))?;
        let (new_min, new_max) = (min.unwrap_or(g.min_size), max.unwrap_or(g.max_size));
        let old = g.desired();
        let new = desired.unwrap_or_else(|| {
            old.max(if min.is_some() { new_min } else { 0 }).min(if max.is_some() { new_max } else { u32::MAX })
        });
        check_limits(new_min, new_max, new)?;
        let at = iso_time(self.clock_ms);
        if let Some(g) = self.auto_scaling_groups.get_mut(name) {
            g.min_size = new_min;
            g.max_size = new_max;
            g.desired_capacity = Some(new);
            if new != old {
                // Seen in activity causes.
                g.pending_cause = Some(format!(
                    "At {at} a user request update of AutoScalingGroup constraints to min: {new_min}, max: {new_max}, desired: {new} changing the desired capacity from {old} to {new}."
                ));
            }
        }
        Ok(())
    }

    /// CreateLaunchConfiguration: refuses a second configuration of the same name.
    pub fn create_launch_configuration(&mut self, lc: LaunchConfiguration) -> Result<(), ServiceError> {
        let name = lc.launch_configuration_name.clone();
        if self.launch_configurations.contains_key(&name) {
            // Inferred text, patterned on the group's.
            return Err(ServiceError::new(
                AwsService::AutoScaling,
                "AlreadyExists",
                format!("Launch Configuration by this name already exists - A launch configuration already exists with the name {name}"),
            ));
        }
        self.put_launch_configuration(lc);
        Ok(())
    }

    /// UpdateAutoScalingGroup's VPCZoneIdentifier, LaunchConfigurationName and
    /// LaunchTemplate (new instances launch from them; running ones stay), and
    /// Attach/DetachLoadBalancerTargetGroups to `target_group_arns`.
    pub fn update_auto_scaling_group_sources(
        &mut self,
        name: &str,
        subnets: Vec<String>,
        launch_configuration_name: Option<String>,
        launch_template: Option<(String, String)>,
        target_group_arns: Vec<String>,
    ) -> Result<(), ServiceError> {
        let g = self.auto_scaling_groups.get_mut(name).ok_or_else(|| group_not_found(name))?;
        g.subnets = subnets;
        g.launch_configuration_name = launch_configuration_name;
        g.launch_template = launch_template;
        g.target_group_arns = target_group_arns;
        Ok(())
    }

    /// SetDesiredCapacity, within the group's limits.
    pub fn set_desired_capacity(&mut self, name: &str, desired: u32) -> Result<(), ServiceError> {
        let g = self.auto_scaling_groups.get(name).ok_or_else(|| group_not_found(name))?;
        // Seen texts (real API output users pasted).
        if desired > g.max_size {
            return Err(ServiceError::new(
                AwsService::AutoScaling,
                "ValidationError",
                format!(
                    "New SetDesiredCapacity value {desired} is above max value {} for the AutoScalingGroup.",
                    g.max_size
                ),
            ));
        }
        if desired < g.min_size {
            return Err(ServiceError::new(
                AwsService::AutoScaling,
                "ValidationError",
                format!(
                    "New SetDesiredCapacity value {desired} is below min value {} for the AutoScalingGroup.",
                    g.min_size
                ),
            ));
        }
        let old = g.desired();
        let at = iso_time(self.clock_ms);
        if let Some(g) = self.auto_scaling_groups.get_mut(name) {
            g.desired_capacity = Some(desired);
            if desired != old {
                // Seen in activity causes.
                g.pending_cause = Some(format!("At {at} a user request explicitly set group desired capacity changing the desired capacity from {old} to {desired}."));
            }
        }
        Ok(())
    }

    /// The group's instances that have not ended (EC2 state not terminated).
    pub fn auto_scaling_instances(&self, group_name: &str) -> Vec<&Instance> {
        self.instances
            .values()
            .filter(|i| {
                i.auto_scaling_group_name.as_deref() == Some(group_name) && i.state != crate::InstanceState::Terminated
            })
            .collect()
    }

    /// DeleteAutoScalingGroup. Without `force_delete` a group that still has
    /// instances is refused; with it, the group goes to `Delete in progress`
    /// with no desired capacity, the control plane terminates its instances
    /// and removes the group once they are gone (CloudFormation deletes with
    /// force). A group without instances goes at once.
    pub fn delete_auto_scaling_group(&mut self, name: &str, force_delete: bool) -> Result<(), ServiceError> {
        let g = self.auto_scaling_groups.get(name).ok_or_else(|| group_not_found(name))?;
        let old = g.desired();
        let has_instances = !self.auto_scaling_instances(name).is_empty();
        if !has_instances {
            self.auto_scaling_groups.remove(name);
            return Ok(());
        }
        if !force_delete {
            // Seen text.
            return Err(ServiceError::new(AwsService::AutoScaling,
                "ResourceInUse",
                "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.",
            ));
        }
        let at = iso_time(self.clock_ms);
        if let Some(g) = self.auto_scaling_groups.get_mut(name) {
            g.status = Some(DELETE_IN_PROGRESS.into());
            g.min_size = 0;
            g.max_size = 0;
            g.desired_capacity = Some(0);
            // Inferred text, patterned on the update cause.
            g.pending_cause = Some(format!(
                "At {at} a user request deleted the AutoScalingGroup changing the desired capacity from {old} to 0."
            ));
        }
        Ok(())
    }

    /// Records a scaling activity, newest first, keeping at most [`MAX_ACTIVITIES`].
    pub fn record_scaling_activity(&mut self, group_name: &str, activity: ScalingActivity) {
        if let Some(g) = self.auto_scaling_groups.get_mut(group_name) {
            g.activities.insert(0, activity);
            g.activities.truncate(MAX_ACTIVITIES);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, min: u32, max: u32, desired: Option<u32>) -> AutoScalingGroup {
        AutoScalingGroup {
            auto_scaling_group_name: name.into(),
            min_size: min,
            max_size: max,
            desired_capacity: desired,
            ..AutoScalingGroup::default()
        }
    }

    #[test]
    fn iso_times() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_time(crate::account::CLOCK_EPOCH_MS), "2026-01-01T00:00:00Z");
        assert_eq!(iso_time(951_782_400_000 + 3_723_000), "2000-02-29T01:02:03Z");
        assert_eq!(iso_time(1_709_251_199_000), "2024-02-29T23:59:59Z");
    }

    #[test]
    fn limits_and_their_texts() {
        let mut a = Account::empty("1", "us-east-1");
        let e = a.create_auto_scaling_group(group("g", 4, 10, Some(2))).expect_err("below min");
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("ValidationError", "Desired capacity:2 must be between the specified min size:4 and max size:10")
        );
        a.create_auto_scaling_group(group("g", 1, 4, None)).expect("ok");
        assert_eq!(a.auto_scaling_groups["g"].desired_capacity, Some(1));
        assert_eq!(
            a.auto_scaling_groups["g"].pending_cause.as_deref(),
            Some("At 2026-01-01T00:00:00Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 1.")
        );
        assert_eq!(
            a.create_auto_scaling_group(group("g", 1, 4, None)).map_err(|e| e.code),
            Err("AlreadyExists".to_string())
        );
        let e = a.set_desired_capacity("g", 5).expect_err("above");
        assert_eq!(e.message, "New SetDesiredCapacity value 5 is above max value 4 for the AutoScalingGroup.");
        let e = a.set_desired_capacity("g", 0).expect_err("below");
        assert_eq!(e.message, "New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.");
        a.set_desired_capacity("g", 3).expect("ok");
        assert!(a.auto_scaling_groups["g"].pending_cause.as_deref().is_some_and(
            |c| c.ends_with("explicitly set group desired capacity changing the desired capacity from 1 to 3.")
        ));
        // A new max below desired lowers it; a new min above raises it.
        a.update_auto_scaling_group("g", None, Some(2), None).expect("ok");
        assert_eq!(a.auto_scaling_groups["g"].desired(), 2);
        a.update_auto_scaling_group("g", Some(2), Some(6), None).expect("ok");
        assert_eq!(a.auto_scaling_groups["g"].desired(), 2);
        a.update_auto_scaling_group("g", Some(3), None, None).expect("ok");
        assert_eq!(a.auto_scaling_groups["g"].desired(), 3);
        let e = a.update_auto_scaling_group("g", Some(5), Some(4), None).expect_err("min > max");
        assert_eq!(e.code, "ValidationError");
        let e = a.update_auto_scaling_group("g", None, None, Some(9)).expect_err("outside");
        assert_eq!(e.message, "Desired capacity:9 must be between the specified min size:3 and max size:6");
        assert_eq!(a.set_desired_capacity("nope", 1).map_err(|e| e.code), Err("ValidationError".to_string()));
    }

    #[test]
    fn delete_needs_force_while_instances_remain() {
        let mut a = Account::empty("1", "us-east-1");
        a.create_auto_scaling_group(group("empty", 0, 2, None)).expect("ok");
        a.delete_auto_scaling_group("empty", false).expect("nothing in it");
        assert!(a.auto_scaling_groups.is_empty());
        a.create_auto_scaling_group(group("busy", 0, 2, Some(1))).expect("ok");
        let vpc = a.create_vpc("10.0.0.0/16").expect("vpc").vpc_id;
        let subnet = a.create_subnet(&vpc, "10.0.0.0/24", None).expect("subnet").subnet_id;
        let req = crate::ec2::RunInstances {
            subnet_id: subnet,
            auto_scaling_group_name: Some("busy".into()),
            ..Default::default()
        };
        let i = a.run_instances(req).expect("run");
        assert_eq!(i.tags.get("aws:autoscaling:groupName").map(String::as_str), Some("busy"));
        let e = a.delete_auto_scaling_group("busy", false).expect_err("in use");
        assert_eq!(e.code, "ResourceInUse");
        assert_eq!(e.message, "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.");
        a.delete_auto_scaling_group("busy", true).expect("forced");
        let g = &a.auto_scaling_groups["busy"];
        assert_eq!((g.status.as_deref(), g.desired()), (Some(DELETE_IN_PROGRESS), 0));
    }
}
