//! The service scheduler: keeps desiredCount tasks of the PRIMARY deployment
//! running, replaces the tasks of older deployments (and of draining
//! instances) within maximumPercent and minimumHealthyPercent, and reports
//! what it did in the service's events.
//!
//! AWS doc: "Amazon ECS service deployment" and "Deploy Amazon ECS services
//! by replacing tasks" (maximumPercent rounded down, minimumHealthyPercent
//! rounded up, limits on RUNNING/PENDING and healthy tasks), "Container
//! instance draining", "DeleteService" (DRAINING → INACTIVE once every task
//! is STOPPING or STOPPED).

use super::deployments::{check_circuit_breaker, complete, new_deployment};
use super::events;
use super::health::{failed_elb_checks, healthy_wake, is_healthy};
use super::launch::LaunchSpec;
use super::lifecycle::request_stop;
use super::placement::{PlacementFailure, Room};
use super::resources::task_needs;
use super::start::{start_one, StartRequest};
use crate::clock::{earliest, Wake};
use account::{Account, Service, Task};
use std::collections::{BTreeMap, BTreeSet};

/// What the scheduler needs to know of one task.
#[derive(Clone, Debug)]
struct TaskView {
    arn: String,
    deployment: String,
    healthy: bool,
    on_draining_instance: bool,
    created_at: u64,
    pending: bool,
}

/// The ARNs of each service's tasks (any status), sorted, built once per
/// pass: scanning every task for every service made a pass quadratic.
type ByService = BTreeMap<String, Vec<String>>;

/// Runs the scheduler over every service; returns when it next has work.
pub fn schedule_all(account: &mut Account) -> Wake {
    let arns: Vec<String> = account.services.keys().cloned().collect();
    let mut by_service = ByService::new();
    for t in account.tasks.values() {
        if let Some(s) = &t.service_arn {
            // Tasks come in ARN order, so each list is sorted.
            by_service.entry(s.clone()).or_default().push(t.task_arn.clone());
        }
    }
    let mut rooms: BTreeMap<String, Room> = BTreeMap::new();
    let mut wake = None;
    for arn in arns {
        let mut tasks = by_service.remove(&arn).unwrap_or_default();
        wake = earliest(wake, schedule(account, &arn, &mut tasks, &mut rooms));
    }
    wake
}

/// The tasks of one service, from its ARN list.
fn of<'a>(account: &'a Account, tasks: &'a [String]) -> impl Iterator<Item = &'a Task> + 'a {
    tasks.iter().filter_map(|arn| account.tasks.get(arn))
}

/// The `Scaling activity initiated by (deployment ecs-svc/N)` stop reason (seen).
fn scaling_reason(deployment: &str) -> String {
    format!("Scaling activity initiated by (deployment {deployment})")
}

fn schedule(account: &mut Account, arn: &str, tasks: &mut Vec<String>, rooms: &mut BTreeMap<String, Room>) -> Wake {
    let svc = account.services.get(arn).cloned()?;
    match svc.status.as_str() {
        "INACTIVE" => return None,
        "DRAINING" => {
            drain_service(account, &svc, tasks);
            return None;
        }
        _ => {}
    }
    if svc.deployments.is_empty() {
        // A service recorded without a deployment (CloudFormation's handler
        // stores the service only): adopt it with its PRIMARY deployment.
        let d = new_deployment(account, &svc.task_definition, svc.desired_count);
        if let Some(s) = account.services.get_mut(arn) {
            s.deployments.push(d);
        }
        return Some(account.clock_ms);
    }
    if check_circuit_breaker(account, arn) {
        return Some(account.clock_ms);
    }
    let svc = account.services.get(arn).cloned()?;
    let primary = svc.deployments.first().cloned()?;
    let views = task_views(account, &svc, tasks);
    let d = svc.desired_count as usize;
    let (mut keep, mut obsolete): (Vec<TaskView>, Vec<TaskView>) =
        views.into_iter().partition(|t| t.deployment == primary.id && !t.on_draining_instance);
    let mut stopped: Vec<String> = Vec::new();

    // Scale in: pending tasks first, then the newest.
    if keep.len() > d {
        keep.sort_by_key(|t| (!t.pending, std::cmp::Reverse(t.created_at)));
        for t in keep.drain(..keep.len() - d) {
            if request_stop(account, &t.arn, "ServiceSchedulerInitiated", &scaling_reason(&t.deployment)) {
                stopped.push(t.arn);
            }
        }
    }

    // Replace obsolete tasks as far as minimumHealthyPercent allows:
    // unhealthy ones at once, healthy ones while enough healthy tasks remain.
    let cfg = &svc.deployment_configuration;
    let min_healthy = (d * cfg.minimum_healthy_percent as usize).div_ceil(100);
    let healthy_total = keep.iter().chain(&obsolete).filter(|t| t.healthy).count();
    let mut may_stop_healthy = healthy_total.saturating_sub(min_healthy);
    obsolete.sort_by_key(|t| (t.healthy, t.created_at));
    let mut remaining = Vec::new();
    for t in obsolete {
        let allowed = if t.healthy { may_stop_healthy > 0 } else { true };
        if allowed && request_stop(account, &t.arn, "ServiceSchedulerInitiated", &scaling_reason(&t.deployment)) {
            if t.healthy {
                may_stop_healthy -= 1;
            }
            stopped.push(t.arn);
        } else {
            remaining.push(t);
        }
    }

    // Start what the PRIMARY deployment lacks, within maximumPercent while
    // older tasks remain.
    let live = keep.len() + remaining.len();
    let cap = if remaining.is_empty() { d } else { d * cfg.maximum_percent as usize / 100 };
    let lacking = d.saturating_sub(keep.len());
    let throttled = super::throttle::throttled_until(account, arn);
    let may_start = if primary.rollout_state == account::RolloutState::Failed || throttled.is_some() {
        0
    } else {
        lacking.min(cap.saturating_sub(live))
    };
    let mut wake = throttled;
    let (started, failure) = if may_start > 0 {
        start_tasks(account, &svc, &primary.task_definition, &primary.id, may_start, rooms, &mut wake)
    } else {
        (Vec::new(), None)
    };
    for t in &started {
        if let Err(at) = tasks.binary_search(t) {
            tasks.insert(at, t.clone());
        }
    }
    report(account, &svc, tasks, &stopped, &started);
    if let Some(f) = failure {
        if events::post_problem(account, arn, events::unable_to_place(&svc.service_name, &f)) {
            wake = earliest(wake, events::repeat_due(account, arn));
        }
    }
    let stuck = !remaining.is_empty()
        && lacking > 0
        && may_start == 0
        && stopped.is_empty()
        && keep.iter().chain(&remaining).all(|t| t.healthy);
    if stuck
        && primary.rollout_state != account::RolloutState::Failed
        && events::post_problem(account, arn, events::deployment_stuck(&svc.service_name))
    {
        wake = earliest(wake, events::repeat_due(account, arn));
    }
    retire_deployments(account, arn, tasks);
    wake = earliest(wake, settle_state(account, arn, tasks, d));
    for t in of(account, tasks) {
        wake = earliest(wake, healthy_wake(account, t));
    }
    wake
}

/// The live tasks (desired RUNNING) of a service.
fn task_views(account: &Account, svc: &Service, tasks: &[String]) -> Vec<TaskView> {
    let draining: BTreeSet<&str> = account
        .container_instances
        .values()
        .filter(|c| c.cluster_arn == svc.cluster_arn && c.status == account::ContainerInstanceStatus::Draining)
        .map(|c| c.container_instance_arn.as_str())
        .collect();
    of(account, tasks)
        .filter(|t| t.wants_running())
        .map(|t| TaskView {
            arn: t.task_arn.clone(),
            deployment: t.started_by.clone().unwrap_or_default(),
            healthy: is_healthy(account, t),
            on_draining_instance: t.container_instance_arn.as_deref().is_some_and(|c| draining.contains(c)),
            created_at: t.created_at,
            pending: t.last_status != account::TaskStatus::Running,
        })
        .collect()
}

/// Starts up to `count` tasks of the deployment; returns them and why the
/// next one could not be placed.
fn start_tasks(
    account: &mut Account,
    svc: &Service,
    td_ref: &str,
    deployment: &str,
    count: usize,
    rooms: &mut BTreeMap<String, Room>,
    wake: &mut Wake,
) -> (Vec<String>, Option<PlacementFailure>) {
    let Some(td) = account.task_definition(td_ref).cloned() else {
        // tasknet's words: AWS refuses such a service at CreateService.
        let text =
            format!("(service {}) cannot start tasks: task definition {td_ref} does not exist.", svc.service_name);
        if events::post_problem(account, &svc.service_arn, text) {
            *wake = earliest(*wake, events::repeat_due(account, &svc.service_arn));
        }
        return (Vec::new(), None);
    };
    let needs = match task_needs(&td) {
        Ok(n) => n,
        Err(e) => {
            // tasknet's words: AWS refuses such a size at RegisterTaskDefinition.
            let text = format!("(service {}) cannot start tasks: {e}.", svc.service_name);
            events::post_problem(account, &svc.service_arn, text);
            return (Vec::new(), None);
        }
    };
    let awsvpc = svc.network_configuration.as_ref().and_then(|n| n.awsvpc_configuration.clone());
    let launch_type = svc.launch_type.clone().unwrap_or_else(|| "EC2".into());
    let group = format!("service:{}", svc.service_name);
    let room = rooms.entry(svc.cluster_arn.clone()).or_insert_with(|| Room::of_cluster(account, &svc.cluster_arn));
    let mut started = Vec::new();
    let mut failure: Option<PlacementFailure> = None;
    for _ in 0..count {
        let spec = LaunchSpec {
            started_by: Some(deployment),
            service_arn: Some(&svc.service_arn),
            ..LaunchSpec::new(&svc.cluster_arn, &td, &launch_type, &group, &needs)
        };
        let req = StartRequest { spec, needs: &needs, awsvpc: awsvpc.as_ref() };
        match start_one(account, &req, room) {
            Ok(arn) => started.push(arn),
            Err(f) => {
                failure = Some(f);
                break;
            }
        }
    }
    (started, failure)
}

/// Posts the stopped and started events of one pass.
fn report(account: &mut Account, svc: &Service, tasks: &[String], stopped: &[String], started: &[String]) {
    let name = &svc.service_name;
    for chunk in stopped.chunks(events::TASKS_PER_MESSAGE) {
        events::post(account, &svc.service_arn, events::stopped(name, chunk));
    }
    if started.is_empty() {
        return;
    }
    let mut replaced = unhealthy_awaiting_replacement(account, svc, tasks);
    for chunk in started.chunks(events::TASKS_PER_MESSAGE) {
        let here = replaced.min(chunk.len());
        replaced -= here;
        events::post(account, &svc.service_arn, events::started(name, chunk, here));
    }
}

/// Tasks stopped for failed health checks since the service last started tasks.
fn unhealthy_awaiting_replacement(account: &Account, svc: &Service, tasks: &[String]) -> usize {
    let since = svc.events.iter().find(|e| e.message.contains(") has started ")).map(|e| e.created_at);
    of(account, tasks)
        .filter(|t| failed_elb_checks(t))
        .filter(|t| match (since, t.stopping_at) {
            (Some(s), Some(at)) => at > s,
            (None, _) => true,
            (Some(_), None) => false,
        })
        .count()
}

/// Drops the non-PRIMARY deployments whose tasks have all stopped.
fn retire_deployments(account: &mut Account, arn: &str, tasks: &[String]) {
    let with_tasks: BTreeSet<String> =
        of(account, tasks).filter(|t| t.is_live()).filter_map(|t| t.started_by.clone()).collect();
    if let Some(s) = account.services.get_mut(arn) {
        s.deployments.retain(|d| d.status == account::DeploymentStatus::Primary || with_tasks.contains(&d.id));
    }
}

/// Completes the PRIMARY deployment and posts the steady-state event when
/// the service has settled; returns when the steady event may repeat.
fn settle_state(account: &mut Account, arn: &str, tasks: &[String], desired: usize) -> Wake {
    let svc = account.services.get(arn)?;
    let primary = svc.deployments.first()?;
    let tasks: Vec<&Task> = of(account, tasks).filter(|t| t.is_live()).collect();
    let settled = svc.deployments.len() == 1
        && tasks.len() == desired
        && tasks.iter().all(|t| {
            t.wants_running() && t.started_by.as_deref() == Some(primary.id.as_str()) && is_healthy(account, t)
        });
    if !settled || primary.rollout_state == account::RolloutState::Failed {
        return None;
    }
    if primary.rollout_state == account::RolloutState::InProgress {
        complete(account, arn);
    }
    let name = account.services.get(arn).map(|s| s.service_name.clone()).unwrap_or_default();
    events::post_unless_repeated(account, arn, events::steady(&name));
    events::repeat_due(account, arn)
}

/// A DRAINING (deleted) service: every task is stopped; the service becomes
/// INACTIVE once all of them are STOPPING or further.
fn drain_service(account: &mut Account, svc: &Service, tasks: &[String]) {
    let live: Vec<(String, String)> = of(account, tasks)
        .filter(|t| t.wants_running())
        .map(|t| (t.task_arn.clone(), t.started_by.clone().unwrap_or_default()))
        .collect();
    let mut stopped = Vec::new();
    for (task, deployment) in live {
        if request_stop(account, &task, "ServiceSchedulerInitiated", &scaling_reason(&deployment)) {
            stopped.push(task);
        }
    }
    report(account, svc, tasks, &stopped, &[]);
    let done = of(account, tasks).all(|t| {
        matches!(
            t.last_status,
            account::TaskStatus::Stopping | account::TaskStatus::Deprovisioning | account::TaskStatus::Stopped
        )
    });
    if done {
        if let Some(s) = account.services.get_mut(&svc.service_arn) {
            s.status = account::ServiceStatus::Inactive;
        }
    }
}
