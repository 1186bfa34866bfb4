//! Instances, ECS agents and NAT gateways on the clock: pending → running,
//! shutting-down → terminated, terminated instances and deleted NAT
//! gateways leaving the listing, agents registering once their instance
//! runs, and trunked container instances going ACTIVE.

use crate::clock::{earliest, Wake};
use account::ec2::instances::BOOT_MS;
use account::ec2::{AGENT_START_MS, TRUNK_PROVISION_MS};
use account::Account;
use account::InstanceState;

/// When an instance's agent starts: boot, then the agent's own start.
fn agent_due(i: &account::Instance) -> u64 {
    i.launch_time + BOOT_MS + AGENT_START_MS
}

/// Does the instance, agent and NAT gateway work due now; returns when it next has work.
pub(super) fn advance(account: &mut Account) -> Wake {
    let now = account.clock_ms;
    for id in account.instances_due(now) {
        let Some(state) = account.instances.get(&id).map(|i| i.state) else { continue };
        match state {
            InstanceState::Pending => account.complete_instance_launch(&id),
            // The instance exists (it was just listed), so this cannot fail.
            InstanceState::ShuttingDown => account.complete_instance_termination(&id).unwrap_or(()),
            InstanceState::Terminated => account.forget_terminated_instance(&id),
            InstanceState::Running | InstanceState::Stopping | InstanceState::Stopped => {}
        }
    }
    for id in account.nat_gateways_due(now) {
        // Listed just above, so it exists.
        account.advance_nat_gateway(&id).unwrap_or(());
    }
    let waiting: Vec<String> = account
        .instances
        .values()
        .filter(|i| i.ecs_agent && i.state == account::InstanceState::Running && agent_due(i) <= now)
        .filter(|i| account.container_instance_of(&i.instance_id).is_none())
        .map(|i| i.instance_id.clone())
        .collect();
    for id in waiting {
        // `None` when its cluster does not exist yet: tried again on every
        // pass, as the real agent keeps retrying.
        account.register_container_instance(&id);
    }
    let trunked: Vec<String> = account
        .container_instances
        .values()
        .filter(|c| {
            c.status == account::ContainerInstanceStatus::Registering && c.registered_at + TRUNK_PROVISION_MS <= now
        })
        .map(|c| c.container_instance_arn.clone())
        .collect();
    for arn in trunked {
        account.activate_container_instance(&arn);
    }
    next_change(account)
}

/// The earliest future instance, agent, container instance or NAT gateway change.
fn next_change(account: &Account) -> Wake {
    let now = account.clock_ms;
    let mut wake = account.next_nat_gateway_change();
    for i in account.instances.values() {
        wake = earliest(wake, i.next_transition_at);
        let unregistered = i.ecs_agent
            && matches!(i.state, account::InstanceState::Pending | account::InstanceState::Running)
            && account.container_instance_of(&i.instance_id).is_none();
        if unregistered && agent_due(i) > now {
            wake = earliest(wake, Some(agent_due(i)));
        }
    }
    for c in account.container_instances.values().filter(|c| c.status == account::ContainerInstanceStatus::Registering)
    {
        wake = earliest(wake, Some(c.registered_at + TRUNK_PROVISION_MS));
    }
    wake
}
