//! The one clock. Time is `Account::clock_ms`; it moves only here.

use account::Account;

/// When a controller next has work: `None` when it has none until something changes.
pub type Wake = Option<u64>;

/// The earlier of two wake-ups.
pub fn earliest(a: Wake, b: Wake) -> Wake {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// How many reconcile passes one instant may take before we call it a bug
/// (a controller that keeps changing state without the clock moving).
const MAX_PASSES_PER_INSTANT: usize = 1_000;

/// Does all work due now, in every controller, until nothing changes; returns
/// the next time any controller has work.
pub fn reconcile(account: &mut Account) -> Wake {
    let mut passes = 0;
    loop {
        let before = account.id_counter;
        let snapshot_marker = change_marker(account);
        let mut wake = crate::ec2::reconcile(account);
        wake = earliest(wake, crate::ecs::reconcile(account));
        wake = earliest(wake, crate::elb::reconcile(account));
        passes += 1;
        let settled = account.id_counter == before && change_marker(account) == snapshot_marker;
        if settled || passes >= MAX_PASSES_PER_INSTANT {
            return wake.map(|w| w.max(account.clock_ms));
        }
    }
}

/// A cheap fingerprint of what controllers change, to see when a pass did nothing.
fn change_marker(account: &Account) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for t in account.tasks.values() {
        (&t.task_arn, &t.last_status, &t.desired_status, t.next_transition_at).hash(&mut h);
    }
    for s in account.services.values() {
        (&s.service_arn, &s.status, s.running_count, s.pending_count, s.deployments.len(), s.events.len()).hash(&mut h);
    }
    for c in account.container_instances.values() {
        (&c.container_instance_arn, &c.status, c.running_tasks_count, c.pending_tasks_count).hash(&mut h);
    }
    for i in account.instances.values() {
        (&i.instance_id, &i.state).hash(&mut h);
    }
    for g in account.target_groups.values() {
        for t in &g.targets {
            (&t.target.id, t.target.port, &t.target_health.state, t.next_transition_at).hash(&mut h);
        }
    }
    for g in account.auto_scaling_groups.values() {
        (&g.auto_scaling_group_name, g.desired_capacity).hash(&mut h);
    }
    h.finish()
}

/// Runs the control plane until `done` holds or the clock would pass
/// `deadline`; returns whether `done` held. When nothing is left to do and
/// `done` still does not hold, the clock jumps to `deadline` (nothing could
/// change before then), as a waiter on AWS would sit until its timeout.
pub fn run_until(account: &mut Account, deadline: u64, mut done: impl FnMut(&Account) -> bool) -> bool {
    loop {
        let wake = reconcile(account);
        if done(account) {
            return true;
        }
        match wake {
            Some(t) if t <= deadline => account.clock_ms = t.max(account.clock_ms),
            _ => {
                account.clock_ms = account.clock_ms.max(deadline);
                reconcile(account);
                return done(account);
            }
        }
    }
}

/// Runs the control plane until nothing is due before `deadline`, then leaves
/// the clock at the last instant work was done.
pub fn settle(account: &mut Account, deadline: u64) {
    loop {
        match reconcile(account) {
            Some(t) if t <= deadline && t > account.clock_ms => account.clock_ms = t,
            _ => return,
        }
    }
}

/// Moves the clock forward by `ms`, doing all work due on the way.
pub fn advance_by(account: &mut Account, ms: u64) {
    let deadline = account.clock_ms.saturating_add(ms);
    settle(account, deadline);
    account.clock_ms = account.clock_ms.max(deadline);
    reconcile(account);
}
