//! Service deployments: PRIMARY and ACTIVE ones, their rollout state, the
//! failed-task count and the deployment circuit breaker.
//!
//! AWS doc: "Deployment circuit breaker" (threshold, rollback to the last
//! COMPLETED deployment), "Deployment" in the API reference (status and
//! rolloutState values, rolloutStateReason texts). Texts in shared/aws-facts.md.

use super::events;
use account::{ids, Account, Deployment};

/// A new PRIMARY deployment of `task_definition` for `desired` tasks.
pub fn new_deployment(account: &mut Account, task_definition: &str, desired: u32) -> Deployment {
    let id = ids::ecs_deployment_id(account.next_words("ecs-deployment"));
    let now = account.clock_ms;
    Deployment {
        rollout_state_reason: in_progress_reason(&id),
        id,
        status: account::DeploymentStatus::Primary,
        task_definition: task_definition.to_string(),
        desired_count: desired,
        pending_count: 0,
        running_count: 0,
        failed_tasks: 0,
        rollout_state: account::RolloutState::InProgress,
        created_at: now,
        updated_at: now,
    }
}

/// `ECS deployment ecs-svc/N in progress.` (seen)
fn in_progress_reason(id: &str) -> String {
    format!("ECS deployment {id} in progress.")
}

/// `ECS deployment ecs-svc/N completed.` (seen)
fn completed_reason(id: &str) -> String {
    format!("ECS deployment {id} completed.")
}

/// `ECS deployment circuit breaker: tasks failed to start.` (seen)
const BREAKER_REASON: &str = "ECS deployment circuit breaker: tasks failed to start.";

/// Starts a deployment of the service's current task definition: the new
/// one becomes PRIMARY, the previous PRIMARY becomes ACTIVE (its tasks are
/// replaced as the deployment configuration allows).
pub fn start_deployment(account: &mut Account, service_arn: &str) {
    let Some((td, desired)) = account.services.get(service_arn).map(|s| (s.task_definition.clone(), s.desired_count))
    else {
        return;
    };
    let deployment = new_deployment(account, &td, desired);
    let now = account.clock_ms;
    if let Some(s) = account.services.get_mut(service_arn) {
        for d in &mut s.deployments {
            if d.status == account::DeploymentStatus::Primary {
                d.status = account::DeploymentStatus::Active;
                d.updated_at = now;
            }
        }
        s.deployments.insert(0, deployment);
    }
}

/// Counts a task that failed to start (or failed its health checks) against
/// its deployment, for the circuit breaker.
pub fn note_failed_task(account: &mut Account, task_arn: &str) {
    let Some((service, deployment)) =
        account.tasks.get(task_arn).and_then(|t| Some((t.service_arn.clone()?, t.started_by.clone()?)))
    else {
        return;
    };
    let now = account.clock_ms;
    if let Some(d) =
        account.services.get_mut(&service).and_then(|s| s.deployments.iter_mut().find(|d| d.id == deployment))
    {
        d.failed_tasks += 1;
        d.updated_at = now;
    }
    super::throttle::task_failed_to_start(account, &service);
}

/// How many failed tasks trip the breaker: half the desired count, at least
/// 3 and at most 200 (seen).
pub fn breaker_threshold(desired: u32) -> u32 {
    desired.div_ceil(2).clamp(3, 200)
}

/// Trips the circuit breaker of the PRIMARY deployment when it is on and
/// enough tasks failed: the deployment is FAILED and, with rollback, the last
/// COMPLETED deployment becomes PRIMARY again. Returns true when it tripped.
pub fn check_circuit_breaker(account: &mut Account, service_arn: &str) -> bool {
    let Some(s) = account.services.get(service_arn) else {
        return false;
    };
    let cfg = &s.deployment_configuration;
    let Some(primary) = s.deployments.first() else {
        return false;
    };
    if !cfg.circuit_breaker_enable
        || primary.rollout_state != account::RolloutState::InProgress
        || primary.failed_tasks < breaker_threshold(s.desired_count)
    {
        return false;
    }
    let (name, failed_id, rollback) = (s.service_name.clone(), primary.id.clone(), cfg.circuit_breaker_rollback);
    let back_to = s
        .deployments
        .iter()
        .skip(1)
        .find(|d| d.rollout_state == account::RolloutState::Completed)
        .map(|d| (d.id.clone(), d.task_definition.clone()));
    let now = account.clock_ms;
    if let Some(s) = account.services.get_mut(service_arn) {
        if let Some(p) = s.deployments.first_mut() {
            p.rollout_state = account::RolloutState::Failed;
            p.rollout_state_reason = BREAKER_REASON.into();
            p.updated_at = now;
        }
    }
    events::post(account, service_arn, events::deployment_failed(&name, &failed_id));
    if let (true, Some((id, td))) = (rollback, back_to) {
        if let Some(s) = account.services.get_mut(service_arn) {
            s.task_definition = td;
            let desired = s.desired_count;
            for d in &mut s.deployments {
                if d.id == id {
                    d.status = account::DeploymentStatus::Primary;
                    d.rollout_state = account::RolloutState::InProgress;
                    d.rollout_state_reason = in_progress_reason(&id);
                    d.desired_count = desired;
                    d.updated_at = now;
                } else if d.status == account::DeploymentStatus::Primary {
                    d.status = account::DeploymentStatus::Active;
                    d.updated_at = now;
                }
            }
            s.deployments.sort_by_key(|d| d.status != account::DeploymentStatus::Primary);
        }
        events::post(account, service_arn, events::rolling_back(&name, &id));
    }
    true
}

/// Marks the PRIMARY deployment COMPLETED and posts the event.
pub fn complete(account: &mut Account, service_arn: &str) {
    let now = account.clock_ms;
    let Some(s) = account.services.get_mut(service_arn) else {
        return;
    };
    let name = s.service_name.clone();
    let Some(p) = s.deployments.first_mut() else {
        return;
    };
    p.rollout_state = account::RolloutState::Completed;
    p.rollout_state_reason = completed_reason(&p.id);
    p.updated_at = now;
    let id = p.id.clone();
    events::post(account, service_arn, events::deployment_completed(&name, &id));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn thresholds_follow_the_documented_bounds() {
        assert_eq!(breaker_threshold(1), 3);
        assert_eq!(breaker_threshold(10), 5);
        assert_eq!(breaker_threshold(11), 6);
        assert_eq!(breaker_threshold(1000), 200);
    }

    #[test]
    fn new_deployments_are_primary_and_in_progress() {
        let mut a = Account::default();
        let d = new_deployment(&mut a, "td", 2);
        assert!(d.id.starts_with("ecs-svc/") && d.id.len() == "ecs-svc/".len() + 19);
        assert_eq!((d.status.as_str(), d.rollout_state.as_str()), ("PRIMARY", "IN_PROGRESS"));
        assert_eq!(d.rollout_state_reason, format!("ECS deployment {} in progress.", d.id));
    }

    proptest! {
        #[test]
        fn threshold_is_half_within_bounds(desired in 0u32..100_000) {
            let t = breaker_threshold(desired);
            prop_assert!((3..=200).contains(&t));
            prop_assert!(t * 2 >= desired.min(400) || t == 200);
        }
    }
}
