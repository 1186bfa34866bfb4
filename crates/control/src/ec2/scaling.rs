//! The Auto Scaling controller: each group keeps its desired capacity of
//! instances, spread evenly over its zones, launched from its launch
//! configuration or template; it replaces instances that end unexpectedly,
//! scales in with the default termination policy, registers its instances
//! with its target groups, and records scaling activities.
//!
//! AWS doc: "Amazon EC2 Auto Scaling benefits" (balancing across
//! Availability Zones), "Health checks for instances in an Auto Scaling
//! group" (replacing terminated instances), "Suspend and resume Amazon EC2
//! Auto Scaling processes" (administrative suspension after a day of
//! failed launches). Launch template versions are not modelled: a group
//! launches the template as it is.

use super::activity;
use super::policy;
use crate::clock::Wake;
use account::ec2::RunInstances;
use account::{Account, AutoScalingGroup, Instance, TargetDescription};

/// The first retry delay after a failed launch; it doubles per failure up
/// to [`MAX_BACKOFF_MS`]. AWS retries with a growing delay it does not
/// document; these figures are tasknet's.
const FIRST_BACKOFF_MS: u64 = 10_000;
/// The longest delay between launch retries (tasknet's choice).
const MAX_BACKOFF_MS: u64 = 300_000;
/// After a day of launches without one success, AWS suspends the Launch
/// process (an "administrative suspension", documented).
const ADMINISTRATIVE_SUSPENSION_MS: u64 = 24 * 60 * 60 * 1000;

/// Lifecycle state of a group's launching instance (DescribeAutoScalingInstances).
const PENDING: &str = "Pending";
/// Running and counted.
const IN_SERVICE: &str = "InService";
/// Being terminated, no longer counted.
const TERMINATING: &str = "Terminating";
/// Gone.
const TERMINATED: &str = "Terminated";

/// Reconciles every group; returns when one next has work.
pub(super) fn reconcile(account: &mut Account) -> Wake {
    let names: Vec<String> = account.auto_scaling_groups.keys().cloned().collect();
    names.iter().fold(None, |wake, name| crate::clock::earliest(wake, reconcile_group(account, name)))
}

/// The group's instances that count towards its capacity.
pub(super) fn live<'a>(account: &'a Account, group: &str) -> Vec<&'a Instance> {
    account
        .instances
        .values()
        .filter(|i| {
            i.auto_scaling_group_name.as_deref() == Some(group)
                && matches!(i.lifecycle_state.as_deref(), Some(PENDING | IN_SERVICE))
        })
        .collect()
}

/// Follows the group's instances, removes a force-deleted group once empty,
/// and launches or terminates towards the desired capacity.
fn reconcile_group(account: &mut Account, name: &str) -> Wake {
    follow_instances(account, name);
    let g = account.auto_scaling_groups.get(name).cloned()?;
    let count = live(account, name).len() as u32;
    if g.status.as_deref() == Some(account::ec2::autoscaling::DELETE_IN_PROGRESS)
        && count == 0
        && account.auto_scaling_instances(name).is_empty()
    {
        account.auto_scaling_groups.remove(name);
        return None;
    }
    let desired = g.desired();
    if count > desired {
        scale_in(account, &g, count - desired);
    } else if count < desired {
        return scale_out(account, &g, desired - count);
    }
    if let Some(g) = account.auto_scaling_groups.get_mut(name) {
        // The capacity matches: the next change starts a new cause.
        g.pending_cause = None;
    }
    None
}

/// Moves the group's instances along their lifecycle as EC2 reports them:
/// InService once running (registered with the target groups), Terminating
/// when they stop outside the group's doing, Terminated once gone.
fn follow_instances(account: &mut Account, name: &str) {
    let ids: Vec<String> = account
        .instances
        .values()
        .filter(|i| i.auto_scaling_group_name.as_deref() == Some(name))
        .map(|i| i.instance_id.clone())
        .collect();
    for id in ids {
        let Some(i) = account.instances.get(&id) else { continue };
        let (state, lifecycle) = (i.state, i.lifecycle_state.clone().unwrap_or_default());
        match (lifecycle.as_str(), state.as_str()) {
            (PENDING, "running") => {
                set_lifecycle(account, &id, IN_SERVICE);
                activity::finish(account, name, &id);
                register(account, name, &id);
            }
            (PENDING | IN_SERVICE, "shutting-down" | "terminated" | "stopping" | "stopped") => {
                // Recalled from real activity histories (unverified wording).
                let cause = format!(
                    "At {} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.",
                    account::ec2::autoscaling::iso_time(account.clock_ms)
                );
                set_lifecycle(account, &id, TERMINATING);
                deregister(account, name, &id);
                activity::terminating(account, name, &id, cause);
                if matches!(state, account::InstanceState::Stopping | account::InstanceState::Stopped) {
                    // The group terminates a stopped instance itself; it exists, so this cannot fail.
                    account.terminate_instances(std::slice::from_ref(&id)).map(drop).unwrap_or(());
                }
            }
            // Target groups added to the group later get its running instances too.
            (IN_SERVICE, "running") => register(account, name, &id),
            (TERMINATING, "terminated") => {
                set_lifecycle(account, &id, TERMINATED);
                activity::finish(account, name, &id);
            }
            _ => {}
        }
    }
}

/// Sets an instance's lifecycle state in its group.
fn set_lifecycle(account: &mut Account, instance_id: &str, state: &str) {
    if let Some(i) = account.instances.get_mut(instance_id) {
        i.lifecycle_state = Some(state.to_string());
    }
}

/// The instance targets the group's instance-type target groups get: the
/// instance on the group's traffic port.
fn targets(account: &Account, group: &str, instance_id: &str) -> Vec<(String, TargetDescription)> {
    let Some(g) = account.auto_scaling_groups.get(group) else { return Vec::new() };
    g.target_group_arns
        .iter()
        .filter_map(|arn| account.target_groups.get(arn))
        .filter(|tg| tg.target_type == "instance")
        .map(|tg| {
            // A target group without a port (lambda) has no instance targets; 80 keeps HTTP's default.
            let port = tg.port.unwrap_or(80);
            (
                tg.target_group_arn.clone(),
                TargetDescription { id: instance_id.to_string(), port, availability_zone: None },
            )
        })
        .collect()
}

/// Registers the instance where it is not registered yet (a draining
/// registration counts as not registered).
fn register(account: &mut Account, group: &str, instance_id: &str) {
    for (arn, t) in targets(account, group, instance_id) {
        let registered = account.target_groups.get(&arn).is_some_and(|tg| {
            tg.targets.iter().any(|x| {
                x.target.id == t.id
                    && x.target.port == t.port
                    && x.target_health.state != account::TargetHealthState::Draining
            })
        });
        if registered {
            continue;
        }
        // Only a target group of another VPC refuses the instance; AWS
        // refuses such a group up front, so there is nothing to record here.
        crate::elb::register_targets(account, &arn, &[t]).unwrap_or(());
    }
}

/// Takes the instance out of the group's target groups (it drains there).
fn deregister(account: &mut Account, group: &str, instance_id: &str) {
    for (arn, t) in targets(account, group, instance_id) {
        // The target group exists (just listed); deregistering is idempotent.
        crate::elb::deregister_targets(account, &arn, &[t]).unwrap_or(());
    }
}

/// Terminates `n` instances chosen by the default termination policy.
fn scale_in(account: &mut Account, g: &AutoScalingGroup, n: u32) {
    for _ in 0..n {
        let victims = live(account, &g.auto_scaling_group_name);
        let from = victims.len() as u32;
        let Some(id) = policy::choose_victim(account, g, &victims) else { return };
        let at = account::ec2::autoscaling::iso_time(account.clock_ms);
        // Seen in activity causes (two spaces between sentences).
        let cause = activity::with_pending_cause(
            g,
            format!(
                "At {at} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from {from} to {}.  At {at} instance {id} was selected for termination.",
                g.desired()
            ),
        );
        set_lifecycle(account, &id, TERMINATING);
        deregister(account, &g.auto_scaling_group_name, &id);
        activity::terminating(account, &g.auto_scaling_group_name, &id, cause);
        // The instance exists (it was just chosen), so this cannot fail.
        account.terminate_instances(std::slice::from_ref(&id)).map(drop).unwrap_or(());
    }
}

/// Launches up to `n` instances, each in the least-populated zone; on a
/// failure in every zone, records a failed activity and backs off.
fn scale_out(account: &mut Account, g: &AutoScalingGroup, n: u32) -> Wake {
    let now = account.clock_ms;
    if g.suspended_processes.iter().any(|p| p == "Launch") {
        return None;
    }
    if let Some(t) = g.next_launch_at.filter(|t| *t > now) {
        return Some(t);
    }
    let name = g.auto_scaling_group_name.clone();
    for _ in 0..n {
        let from = live(account, &name).len() as u32;
        let at = account::ec2::autoscaling::iso_time(now);
        // Seen in activity causes.
        let cause = activity::with_pending_cause(
            g,
            format!("At {at} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from {from} to {}.", g.desired()),
        );
        match launch_one(account, g) {
            Ok(instance_id) => {
                activity::launching(account, &name, &instance_id, cause);
                if let Some(grp) = account.auto_scaling_groups.get_mut(&name) {
                    grp.launch_failures = 0;
                    grp.failing_since = None;
                    grp.next_launch_at = None;
                }
            }
            Err((message, zone, subnet)) => {
                activity::launch_failed(account, &name, &message, cause, zone, subnet);
                return back_off(account, &name, now);
            }
        }
    }
    None
}

/// After a failed launch: the next try waits longer each time; after a day
/// without a success the Launch process is suspended and the group stops trying.
fn back_off(account: &mut Account, name: &str, now: u64) -> Wake {
    let g = account.auto_scaling_groups.get_mut(name)?;
    g.launch_failures += 1;
    let since = *g.failing_since.get_or_insert(now);
    if now.saturating_sub(since) >= ADMINISTRATIVE_SUSPENSION_MS {
        g.suspended_processes.push("Launch".into());
        g.next_launch_at = None;
        return None;
    }
    let delay = FIRST_BACKOFF_MS.saturating_mul(1 << g.launch_failures.saturating_sub(1).min(16)).min(MAX_BACKOFF_MS);
    g.next_launch_at = Some(now + delay);
    g.next_launch_at
}

/// Launches one instance in the zone with the fewest of the group's
/// instances (ties: the group's subnet order), trying the next zones when a
/// launch fails there. Err carries the first failure's text, zone and subnet.
fn launch_one(account: &mut Account, g: &AutoScalingGroup) -> Result<String, (String, Option<String>, Option<String>)> {
    let base = launch_request(account, g).map_err(|m| (m, None, None))?;
    let subnets = policy::subnets_by_balance(account, g, &live(account, &g.auto_scaling_group_name));
    let mut first_error = None;
    for subnet in subnets {
        let zone = account.subnets.get(&subnet).map(|s| s.availability_zone.clone());
        let req = RunInstances { subnet_id: subnet.clone(), ..base.clone() };
        match account.run_instances(req) {
            Ok(i) => return Ok(i.instance_id),
            Err(e) => {
                first_error.get_or_insert((e.to_string(), zone, Some(subnet)));
            }
        }
    }
    // Inferred text for a group with no usable subnet.
    Err(first_error.unwrap_or_else(|| ("No subnets are configured for this group.".to_string(), None, None)))
}

/// What the group's launch configuration or template gives RunInstances.
fn launch_request(account: &Account, g: &AutoScalingGroup) -> Result<RunInstances, String> {
    let mut tags: account::Tags =
        g.tags.iter().filter(|t| t.propagate_at_launch).map(|t| (t.key.clone(), t.value.clone())).collect();
    tags.retain(|k, _| !k.starts_with("aws:"));
    let mut req = RunInstances {
        tags,
        auto_scaling_group_name: Some(g.auto_scaling_group_name.clone()),
        ..RunInstances::default()
    };
    if let Some(name) = &g.launch_configuration_name {
        // Inferred text (the launch configuration was deleted under the group).
        let lc = account
            .launch_configuration(name)
            .ok_or_else(|| format!("Launch configuration name not found - Launch configuration {name} not found"))?;
        req.instance_type = lc.instance_type.clone();
        req.image_id = lc.image_id.clone();
        req.security_group_ids = lc.security_groups.clone();
        req.associate_public_ip_address = lc.associate_public_ip_address;
        req.user_data = lc.user_data.clone();
        req.ecs_cluster = lc.ecs_cluster.clone();
        req.launch_configuration_name = Some(lc.launch_configuration_name.clone());
        req.iam_instance_profile = lc.iam_instance_profile.clone();
        req.http_tokens = lc.http_tokens.clone();
    } else if let Some((id, version)) = &g.launch_template {
        // Inferred text.
        let lt = account
            .launch_template(id)
            .ok_or_else(|| format!("The specified launch template, with template ID {id}, does not exist."))?;
        req.instance_type = lt.instance_type.clone().unwrap_or_else(|| "m1.small".into());
        req.image_id = lt.image_id.clone();
        req.security_group_ids = lt.security_group_ids.clone();
        req.associate_public_ip_address = lt.associate_public_ip_address;
        req.user_data = lt.user_data.clone();
        req.ecs_cluster = lt.ecs_cluster.clone();
        req.launch_template = Some((lt.launch_template_id.clone(), version.clone()));
        req.iam_instance_profile = lt.iam_instance_profile.clone();
        req.http_tokens = lt.http_tokens.clone();
    }
    Ok(req)
}
