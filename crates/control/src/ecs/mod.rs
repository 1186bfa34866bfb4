//! The ECS controller: the actions named after ECS's API (CreateService,
//! UpdateService, DeleteService, RunTask, StopTask, Describe*, List*,
//! PutAccountSetting) and the reconciler that, on the account's clock,
//! places tasks, moves them through their statuses, schedules services and
//! rolls out deployments.
//!
//! Files by concept: [`api`] request/response shapes, [`error`] errors,
//! [`resources`] what a task needs, [`placement`] where it fits,
//! [`launch`] and [`start`] new task records, [`lifecycle`] the statuses,
//! [`health`] healthy tasks and ELB replacements, [`deployments`] and
//! [`scheduler`] services, [`events`] service events, [`services_api`] and
//! [`tasks_api`] and [`definitions_api`] the actions, [`validate`] their checks, [`capacity`] the
//! prediction `plan` shows, [`testkit`] fixtures for tests and benchmarks.

pub mod api;
pub mod capacity;
pub mod definitions_api;
pub mod deployments;
pub mod error;
pub mod events;
pub mod health;
pub mod launch;
pub mod lifecycle;
pub mod placement;
pub mod pulls;
pub mod resources;
pub mod rule;
pub mod scheduler;
pub mod services_api;
pub mod start;
pub mod tasks_api;
pub mod testkit;
pub mod throttle;
pub mod validate;

pub use api::*;
pub use capacity::{capacity_findings, CapacityFinding, FindingKind};
pub use definitions_api::{
    delete_cluster, deregister_task_definition, describe_task_definition, list_account_settings,
    list_tags_for_resource, tag_resource, untag_resource, RegisterTaskDefinitionRequest,
};
pub use error::EcsError;
pub use rule::{Field, LbMember, Rule};
pub use services_api::{
    create_cluster, create_service, delete_service, record_service, register_task_definition, service_is_steady,
    service_stability_report, update_service,
};
pub use tasks_api::{container_exited, container_failed_to_start, put_account_setting, run_task, stop_task};

use crate::clock::{earliest, Wake};
use account::Account;
use lifecycle::Note;
use std::collections::BTreeMap;

/// Does the ECS work due now; returns when it next has work.
pub fn reconcile(account: &mut Account) -> Wake {
    evict_from_lost_instances(account);
    let notes = lifecycle::step_due(account);
    report_notes(account, notes);
    health::replace_unhealthy(account);
    let wake = scheduler::schedule_all(account);
    refresh_counts(account);
    account.tasks.values().fold(wake, |w, t| earliest(w, t.next_transition_at))
}

/// Stops the tasks of container instances that are gone (deregistered or
/// terminated): their host cannot run them any more.
fn evict_from_lost_instances(account: &mut Account) {
    let lost: Vec<(String, String)> = account
        .tasks
        .values()
        .filter(|t| t.is_live())
        .filter_map(|t| {
            let ci_arn = t.container_instance_arn.as_ref()?;
            let ci = account.container_instances.get(ci_arn);
            let gone = ci.is_none_or(|c| {
                matches!(
                    c.status,
                    account::ContainerInstanceStatus::Inactive | account::ContainerInstanceStatus::Deregistering
                )
            });
            gone.then(|| (t.task_arn.clone(), ci.map(|c| c.ec2_instance_id.clone()).unwrap_or_default()))
        })
        .collect();
    for (task, instance) in lost {
        // Inferred stop code and text: the stoppedReason users report for
        // tasks whose host went away.
        lifecycle::evict(
            account,
            &task,
            "TerminationNotice",
            &format!("Host EC2 (instance {instance}) stopped/terminated."),
        );
    }
}

/// Turns the steps' notes into service events, one per service and target
/// group (or task set) with the count.
fn report_notes(account: &mut Account, notes: Vec<Note>) {
    let mut draining: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut deregistered: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut registered: BTreeMap<(String, String), usize> = BTreeMap::new();
    for n in notes {
        let (map, key) = match n {
            Note::Draining { service_arn, deployment } => (&mut draining, (service_arn, deployment)),
            Note::Deregistered { service_arn, target_group_arn } => {
                (&mut deregistered, (service_arn, target_group_arn))
            }
            Note::Registered { service_arn, target_group_arn } => (&mut registered, (service_arn, target_group_arn)),
        };
        *map.entry(key).or_default() += 1;
    }
    let name = |a: &Account, arn: &str| a.services.get(arn).map(|s| s.service_name.clone()).unwrap_or_default();
    for ((svc, deployment), n) in draining {
        let text = events::draining(&name(account, &svc), &deployment, n);
        events::post(account, &svc, text);
    }
    for ((svc, tg), n) in deregistered {
        let text = events::deregistered(&name(account, &svc), n, &tg);
        events::post(account, &svc, text);
    }
    for ((svc, tg), n) in registered {
        let text = events::registered(&name(account, &svc), n, &tg);
        events::post(account, &svc, text);
    }
}

/// Keeps the counts users read true: container instances' running/pending
/// tasks and remaining resources, services' and deployments' running and
/// pending counts (an ACTIVE deployment's desired count is what it still runs).
pub(crate) fn refresh_counts(account: &mut Account) {
    #[derive(Default)]
    struct Tally {
        running: u32,
        pending: u32,
        live: u32,
        cpu: u32,
        memory: u32,
        ports: Vec<u16>,
        ports_udp: Vec<u16>,
    }
    let mut by_instance: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_deployment: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for t in account.tasks.values().filter(|t| t.is_live()) {
        let running = u32::from(t.last_status == account::TaskStatus::Running);
        let pending = u32::from(matches!(
            t.last_status,
            account::TaskStatus::Provisioning | account::TaskStatus::Pending | account::TaskStatus::Activating
        ));
        let live = u32::from(t.wants_running());
        if let Some(ci) = &t.container_instance_arn {
            let e = by_instance.entry(ci.clone()).or_default();
            e.running += running;
            e.pending += pending;
            e.cpu = e.cpu.saturating_add(t.cpu);
            e.memory = e.memory.saturating_add(t.memory);
            for b in t
                .containers
                .iter()
                .flat_map(|c| &c.network_bindings)
                .filter(|b| !resources::DYNAMIC_PORTS.contains(&b.host_port))
            {
                if b.protocol == "udp" { &mut e.ports_udp } else { &mut e.ports }.push(b.host_port);
            }
        }
        if let (Some(s), Some(d)) = (&t.service_arn, &t.started_by) {
            let e = by_deployment.entry((s.clone(), d.clone())).or_default();
            e.running += running;
            e.pending += pending;
            e.live += live;
        }
    }
    for ci in account.container_instances.values_mut() {
        let tally = by_instance.remove(&ci.container_instance_arn).unwrap_or_default();
        ci.running_tasks_count = tally.running;
        ci.pending_tasks_count = tally.pending;
        let reg = &ci.registered_resources;
        let mut ports = reg.ports.clone();
        ports.extend(tally.ports);
        ports.sort_unstable();
        let mut ports_udp = reg.ports_udp.clone();
        ports_udp.extend(tally.ports_udp);
        ports_udp.sort_unstable();
        ci.remaining_resources = account::InstanceResources {
            cpu: reg.cpu.saturating_sub(tally.cpu),
            memory: reg.memory.saturating_sub(tally.memory),
            ports,
            ports_udp,
        };
    }
    for s in account.services.values_mut() {
        let (mut running, mut pending) = (0, 0);
        for d in &mut s.deployments {
            let tally = by_deployment.remove(&(s.service_arn.clone(), d.id.clone())).unwrap_or_default();
            d.running_count = tally.running;
            d.pending_count = tally.pending;
            if d.status == account::DeploymentStatus::Primary {
                d.desired_count = s.desired_count;
            } else {
                d.desired_count = tally.live;
            }
            running += tally.running;
            pending += tally.pending;
        }
        s.running_count = running;
        s.pending_count = pending;
    }
}
