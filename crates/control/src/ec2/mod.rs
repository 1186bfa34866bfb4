//! The EC2 and Auto Scaling controller: instances boot and terminate on the
//! clock, their ECS agents register, NAT gateways finish deleting, and
//! Auto Scaling groups keep their desired capacity (`scaling`).
//!
//! RunInstances and TerminateInstances themselves are account actions
//! (`Account::run_instances`, `Account::terminate_instances`); the Auto
//! Scaling API actions are here as functions, like the ECS and ELB ones.

mod activity;
mod lifecycle;
mod policy;
mod scaling;

use crate::clock::{earliest, Wake};
use account::{Account, ServiceError};

/// Does the EC2 and Auto Scaling work due now; returns when it next has work.
pub fn reconcile(account: &mut Account) -> Wake {
    let wake = lifecycle::advance(account);
    let scaled = scaling::reconcile(account);
    // Launches and terminations just made set new instance due times.
    earliest(earliest(wake, scaled), account.instances.values().filter_map(|i| i.next_transition_at).min())
}

/// The zones of the instances a group will still add to its cluster: its
/// live instances not yet registered with ECS (`registered`), then the
/// launches it will make, each in the least-populated zone (AWS doc
/// "Auto Scaling benefits for application architecture": instances are
/// balanced across the group's zones).
pub fn coming_instance_zones(account: &Account, g: &account::AutoScalingGroup, registered: &[&str]) -> Vec<String> {
    let live = scaling::live(account, &g.auto_scaling_group_name);
    let mut zones: Vec<String> = live
        .iter()
        .filter(|i| !registered.contains(&i.instance_id.as_str()))
        .map(|i| i.availability_zone.clone())
        .collect();
    let to_launch = g.desired().saturating_sub(live.len() as u32);
    zones.extend(policy::next_launch_zones(account, g, &live, to_launch));
    zones
}

/// How many of the group's instances are InService: running, as a
/// CreationPolicy counts them when they signal after booting.
pub fn instances_in_service(account: &Account, group_name: &str) -> u32 {
    account
        .instances
        .values()
        .filter(|i| {
            i.auto_scaling_group_name.as_deref() == Some(group_name)
                && i.lifecycle_state.as_deref() == Some("InService")
                && i.state == account::InstanceState::Running
        })
        .count() as u32
}

/// UpdateAutoScalingGroup (see `Account::update_auto_scaling_group`).
pub fn update_auto_scaling_group(
    account: &mut Account,
    name: &str,
    min: Option<u32>,
    max: Option<u32>,
    desired: Option<u32>,
) -> Result<(), ServiceError> {
    account.update_auto_scaling_group(name, min, max, desired)
}

/// SetDesiredCapacity (see `Account::set_desired_capacity`).
pub fn set_desired_capacity(account: &mut Account, name: &str, desired: u32) -> Result<(), ServiceError> {
    account.set_desired_capacity(name, desired)
}

/// DeleteAutoScalingGroup (see `Account::delete_auto_scaling_group`); with
/// `force_delete` the group goes once the controller has terminated its instances.
pub fn delete_auto_scaling_group(account: &mut Account, name: &str, force_delete: bool) -> Result<(), ServiceError> {
    account.delete_auto_scaling_group(name, force_delete)
}
