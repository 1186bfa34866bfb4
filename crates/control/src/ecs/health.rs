//! When a service task counts as healthy, and the replacement of tasks whose
//! load balancer targets fail their health checks.
//!
//! AWS doc: "Amazon ECS service deployment" (healthy tasks for
//! minimumHealthyPercent), "Service event messages" (the unhealthy event),
//! shared/aws-facts.md (40 s without health checks; the stoppedReason text).

use super::lifecycle::{request_stop, task_targets};
use super::{deployments, events};
use account::{Account, Task};

/// Without health checks a task counts as healthy this long after RUNNING (seen: 40 s).
pub const NO_CHECK_HEALTHY_AFTER_MS: u64 = 40_000;

/// True when a live service task is healthy: RUNNING and, behind load
/// balancers, healthy in every target group; without them, RUNNING for 40 s.
pub fn is_healthy(account: &Account, task: &Task) -> bool {
    if task.last_status != account::TaskStatus::Running || !task.wants_running() {
        return false;
    }
    let targets = task_targets(account, task);
    let checked: Vec<&str> = targets
        .iter()
        .filter_map(|(tg, target)| {
            let group = account.target_groups.get(tg)?;
            group
                .targets
                .iter()
                .find(|t| t.target.id == target.id && t.target.port == target.port)
                .map(|t| t.target_health.state.as_str())
        })
        .collect();
    let running_long_enough = task.started_at.is_some_and(|s| account.clock_ms >= s + NO_CHECK_HEALTHY_AFTER_MS);
    if targets.is_empty() {
        return running_long_enough;
    }
    if checked.len() != targets.len() {
        return false;
    }
    // Target groups that run no health checks (unavailable, unused) leave the 40 s rule.
    if checked.iter().all(|s| *s == "unavailable" || *s == "unused") {
        return running_long_enough;
    }
    checked.iter().all(|s| *s == "healthy" || *s == "unavailable" || *s == "unused")
}

/// When a RUNNING task without health checks turns healthy, if that is still ahead.
pub fn healthy_wake(account: &Account, task: &Task) -> Option<u64> {
    let at = task.started_at? + NO_CHECK_HEALTHY_AFTER_MS;
    (task.last_status == account::TaskStatus::Running && at > account.clock_ms).then_some(at)
}

/// Stops every RUNNING service task with a target ELB marks unhealthy, with
/// the unhealthy event and `Task failed ELB health checks in (target-group ARN)`;
/// the scheduler starts replacements. Returns the services concerned.
pub fn replace_unhealthy(account: &mut Account) -> Vec<String> {
    let mut found = Vec::new();
    for t in account
        .tasks
        .values()
        .filter(|t| t.last_status == account::TaskStatus::Running && t.wants_running() && t.service_arn.is_some())
    {
        for (tg, target) in task_targets(account, t) {
            let health = account
                .target_groups
                .get(&tg)
                .and_then(|g| g.targets.iter().find(|x| x.target.id == target.id && x.target.port == target.port));
            if let Some(h) = health.filter(|h| h.target_health.state == account::TargetHealthState::Unhealthy) {
                let reason = h.target_health.description.clone().unwrap_or_default();
                found.push((
                    t.task_arn.clone(),
                    t.service_arn.clone().unwrap_or_default(),
                    tg.clone(),
                    target.port,
                    reason,
                ));
                break;
            }
        }
    }
    let mut services = Vec::new();
    for (task, service, tg, port, reason) in found {
        let name = account.services.get(&service).map(|s| s.service_name.clone()).unwrap_or_default();
        events::post(account, &service, events::unhealthy(&name, &task, port, &tg, &reason));
        request_stop(
            account,
            &task,
            "ServiceSchedulerInitiated",
            &format!("Task failed ELB health checks in (target-group {tg})"),
        );
        deployments::note_failed_task(account, &task);
        if !services.contains(&service) {
            services.push(service);
        }
    }
    services
}

/// True when the task was stopped because its targets failed health checks.
pub fn failed_elb_checks(task: &Task) -> bool {
    task.stopped_reason.as_deref().is_some_and(|r| r.starts_with("Task failed ELB health checks in "))
}
