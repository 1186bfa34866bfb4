//! The one clock policy: the simulated clock jumps ahead only while nothing
//! runs the account's clock in real time, that is while no `up` runs this
//! state folder's data plane.
//!
//! Alone, a command lets its change play out at once: the clock jumps from
//! one controller wake-up to the next, so minutes of AWS time take
//! milliseconds. With `up` running, the world is real: the processes, the
//! proxies and the health probes follow wall time, and a clock that jumped
//! ahead would leave them behind (`up` could not advance it until wall time
//! caught up). So then a command does only what is due now, and a wait
//! (the CloudFormation engine's) lets go of the account, so `up`'s ticks
//! advance the world meanwhile, and looks again a tick later.
//!
//! Every place that moves the clock asks here: [`catch_up`] when a session
//! opens (and so every `up` tick), [`play_out`] after an ECS action,
//! [`wait_until`] and [`step`] for the engine's waits.

use crate::session::Session;
use account::Account;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How far the clock may run after a command for its effects to play out:
/// long enough for the default 300 s deregistration delay and health checks.
pub const PLAY_OUT_MS: u64 = 15 * 60 * 1000;

/// How long a real-time wait lets others have the account before it looks
/// again: about one of `up`'s ticks.
pub const REAL_TIME_PAUSE: Duration = Duration::from_millis(250);

/// How the account's clock moves for a state folder right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// Nothing runs it: it may jump ahead to the next work.
    Simulated,
    /// `up` runs it with wall time: it never runs ahead of the wall.
    RealTime,
}

/// The pace of the account in the state folder `dir`.
pub fn pace(dir: &Path) -> Pace {
    if crate::up::is_running(dir) {
        Pace::RealTime
    } else {
        Pace::Simulated
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn wall_clock_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Time passed since the account was last saved: the control plane catches
/// up with wall time (never past it).
pub fn catch_up(a: &mut Account) {
    let behind = wall_clock_ms().saturating_sub(a.clock_ms);
    if behind > 0 {
        control::advance_by(a, behind);
    }
}

/// After an ECS action: with the simulated clock, the control plane runs
/// until the change has played out (as far as [`PLAY_OUT_MS`] allows
/// without anything else happening), so the next `describe` shows where it
/// ended; in real time, only what is due now, and the rest plays out in
/// `up` at wall-clock speed.
pub fn play_out(dir: &Path, a: &mut Account) {
    match pace(dir) {
        Pace::RealTime => {
            control::reconcile(a);
        }
        Pace::Simulated => {
            let deadline = a.clock_ms.saturating_add(PLAY_OUT_MS);
            control::settle(a, deadline);
        }
    }
}

/// Like [`play_out`], but the simulated clock stops as soon as `done`
/// holds (never later than [`PLAY_OUT_MS`]): for a server that answers one
/// call after another, each call must move the clock only as far as its own
/// change needs, or periodic work (health checks) would carry it the whole
/// window every time, hours ahead of the wall after a few hundred calls.
pub fn play_out_until(dir: &Path, a: &mut Account, done: impl FnMut(&Account) -> bool) {
    match pace(dir) {
        Pace::RealTime => {
            control::reconcile(a);
        }
        Pace::Simulated => {
            let deadline = a.clock_ms.saturating_add(PLAY_OUT_MS);
            control::run_until(a, deadline, done);
        }
    }
}

/// Whether nothing in the account is on its way somewhere: no task, instance,
/// NAT gateway or target between states, no ECS agent about to register, no
/// deployment rolling out. A
/// deployment that cannot finish (tasks that cannot be placed) keeps it in
/// motion, so its change plays out the whole window, as `play_out` would.
pub fn settled(a: &Account) -> bool {
    use account::{InstanceState, NatGatewayState, RolloutState, TargetHealthState, TaskStatus};
    // A RUNNING task with a step due (a one-off container's simulated exit) is still on its way.
    let tasks = a.tasks.values().all(|t| {
        matches!(t.last_status, TaskStatus::Running | TaskStatus::Stopped)
            && t.last_status == t.desired_status
            && !(t.last_status == TaskStatus::Running && t.next_transition_at.is_some())
    });
    let services =
        a.services.values().all(|s| s.deployments.iter().all(|d| d.rollout_state != RolloutState::InProgress));
    let instances = a
        .instances
        .values()
        .all(|i| !matches!(i.state, InstanceState::Pending | InstanceState::ShuttingDown | InstanceState::Stopping));
    let nats =
        a.nat_gateways.values().all(|n| !matches!(n.state, NatGatewayState::Pending | NatGatewayState::Deleting));
    let targets = a.target_groups.values().all(|g| {
        g.targets
            .iter()
            .all(|t| !matches!(t.target_health.state, TargetHealthState::Initial | TargetHealthState::Draining))
    });
    // An ECS agent on a running instance whose cluster exists registers shortly after boot.
    let agents = a.instances.values().all(|i| {
        !(i.ecs_agent && i.state == InstanceState::Running)
            || a.container_instance_of(&i.instance_id).is_some()
            || !a.clusters.contains_key(i.ecs_cluster.as_deref().unwrap_or("default"))
    });
    tasks && services && instances && nats && targets && agents
}

/// The engine's wait inside `session`: until `done` holds or the clock
/// reaches `deadline_ms`. Simulated, the clock jumps (`control::run_until`);
/// in real time it follows the wall, and between looks the account is let
/// go for [`REAL_TIME_PAUSE`] (saved, unlocked, then read again), so `up`
/// and other commands change it meanwhile. The pace is asked again each
/// round: an `up` that stops leaves the rest of the wait to the simulated clock.
pub fn wait_until(
    session: &mut Session,
    a: &mut Account,
    deadline_ms: u64,
    done: &mut dyn FnMut(&Account) -> bool,
) -> bool {
    loop {
        if pace(session.dir()) == Pace::Simulated {
            return control::run_until(a, deadline_ms, done);
        }
        catch_up(a);
        control::reconcile(a);
        if done(a) {
            return true;
        }
        if a.clock_ms >= deadline_ms {
            return false;
        }
        session.let_others_in(a, REAL_TIME_PAUSE);
    }
}

/// The time one resource's create or update takes in the engine: simulated,
/// `ms` pass; in real time, the clock only catches up with the wall (the
/// work is done now, and running ahead is what the policy forbids).
pub fn step(dir: &Path, a: &mut Account, ms: u64) {
    match pace(dir) {
        Pace::Simulated => control::advance_by(a, ms),
        Pace::RealTime => {
            catch_up(a);
            control::reconcile(a);
        }
    }
}

#[cfg(test)]
mod tests;
