//! Scaling activities as DescribeScalingActivities shows them. Texts seen
//! in real activity histories: `Launching a new EC2 instance: i-…`,
//! `Terminating EC2 instance: i-…`, and for a failed launch the description
//! `Launching a new EC2 instance.  Status Reason: <EC2's text> Launching EC2
//! instance failed.` with the status message `<EC2's text> Launching EC2
//! instance failed.`; causes chain sentences with two spaces.

use account::{Account, AutoScalingGroup, ScalingActivity};

/// The cause of an activity: what changed the desired capacity (when that
/// is what started it), then `sentence`.
pub(super) fn with_pending_cause(g: &AutoScalingGroup, sentence: String) -> String {
    match &g.pending_cause {
        Some(c) => format!("{c}  {sentence}"),
        None => sentence,
    }
}

/// A new activity of `status` (end time set unless it is in progress),
/// placed where the instance is.
fn activity(
    account: &mut Account,
    description: String,
    cause: String,
    status: &str,
    instance_id: Option<&str>,
) -> ScalingActivity {
    let activity_id = account::ids::uuid(account.next_words("scaling-activity"));
    let now = account.clock_ms;
    let instance = instance_id.and_then(|id| account.instances.get(id));
    ScalingActivity {
        activity_id,
        description,
        cause,
        start_time: now,
        end_time: (status != "InProgress").then_some(now),
        status_code: status.to_string(),
        status_message: None,
        ec2_instance_id: instance_id.map(str::to_string),
        availability_zone: instance.map(|i| i.availability_zone.clone()),
        subnet_id: instance.map(|i| i.subnet_id.clone()),
    }
}

/// A launch in progress (it succeeds when the instance is InService).
pub(super) fn launching(account: &mut Account, group: &str, instance_id: &str, cause: String) {
    let a = activity(
        account,
        format!("Launching a new EC2 instance: {instance_id}"),
        cause,
        "InProgress",
        Some(instance_id),
    );
    account.record_scaling_activity(group, a);
}

/// A termination in progress (it succeeds when the instance is terminated).
pub(super) fn terminating(account: &mut Account, group: &str, instance_id: &str, cause: String) {
    let a =
        activity(account, format!("Terminating EC2 instance: {instance_id}"), cause, "InProgress", Some(instance_id));
    account.record_scaling_activity(group, a);
}

/// A launch that failed with EC2's `message` in `zone`/`subnet`.
pub(super) fn launch_failed(
    account: &mut Account,
    group: &str,
    message: &str,
    cause: String,
    zone: Option<String>,
    subnet: Option<String>,
) {
    let status = format!("{message} Launching EC2 instance failed.");
    let mut a =
        activity(account, format!("Launching a new EC2 instance.  Status Reason: {status}"), cause, "Failed", None);
    a.status_message = Some(status);
    a.availability_zone = zone;
    a.subnet_id = subnet;
    account.record_scaling_activity(group, a);
}

/// The instance's activity in progress is done.
pub(super) fn finish(account: &mut Account, group: &str, instance_id: &str) {
    let now = account.clock_ms;
    let Some(g) = account.auto_scaling_groups.get_mut(group) else { return };
    for a in g
        .activities
        .iter_mut()
        .filter(|a| a.status_code == "InProgress" && a.ec2_instance_id.as_deref() == Some(instance_id))
    {
        a.status_code = "Successful".into();
        a.end_time = Some(now);
    }
}
