//! A task's way through the statuses users see, one step per due time:
//! PROVISIONING → PENDING → ACTIVATING → RUNNING → DEACTIVATING → STOPPING →
//! DEPROVISIONING → STOPPED, then forgotten an hour later.
//!
//! AWS doc: "Amazon ECS task lifecycle" (the statuses and what happens in
//! each), "Amazon ECS stopped task" pages (stopped tasks stay visible for at
//! least an hour), shared/aws-facts.md (attachment statuses seen in a
//! Fargate capture). The delays are tasknet's choices, not AWS figures: AWS
//! documents none, and a few seconds keeps `deploy` quick while every
//! status stays visible.

use account::{
    ids, Account, AttachmentDetail, AwsvpcConfiguration, ContainerNetworkInterface, CreateNetworkInterface,
    TargetDescription, Task, TaskStatus,
};
use TaskStatus::{Activating, Deactivating, Deprovisioning, Pending, Provisioning, Running, Stopped, Stopping};

/// PROVISIONING: the ENI is created and attached (tasknet's choice).
pub const PROVISIONING_MS: u64 = 2_000;
/// PENDING: images pulled and containers started (tasknet's choice).
pub const PENDING_MS: u64 = 3_000;
/// ACTIVATING: targets registered (tasknet's choice).
pub const ACTIVATING_MS: u64 = 1_000;
/// DEACTIVATING for a task without load balancers (tasknet's choice); with
/// them, the target groups' deregistration delay.
pub const DEACTIVATING_MS: u64 = 1_000;
/// STOPPING: containers get SIGTERM and exit (tasknet's choice).
pub const STOPPING_MS: u64 = 2_000;
/// DEPROVISIONING: the ENI is detached and deleted (tasknet's choice).
pub const DEPROVISIONING_MS: u64 = 2_000;
/// How long a STOPPED task stays visible (documented: at least an hour).
pub const FORGET_STOPPED_MS: u64 = 3_600_000;

/// The RequesterId on task ENIs. Inferred: real ones are AWS-owned IDs that
/// AWS does not document; this names the service instead.
pub const ECS_REQUESTER_ID: &str = "amazon-ecs";

/// Something a step did that the service's events report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// A target was registered for a service task.
    Registered {
        /// The service.
        service_arn: String,
        /// The target group.
        target_group_arn: String,
    },
    /// A target was deregistered for a service task.
    Deregistered {
        /// The service.
        service_arn: String,
        /// The target group.
        target_group_arn: String,
    },
    /// A service task began draining connections.
    Draining {
        /// The service.
        service_arn: String,
        /// The task's deployment (task set).
        deployment: String,
    },
}

/// Sets a task's desired status to STOPPED with a stop code and reason, so
/// the next steps take it down. Returns false when it was already stopping.
pub fn request_stop(account: &mut Account, task_arn: &str, stop_code: &str, reason: &str) -> bool {
    let now = account.clock_ms;
    let Some(t) = account.tasks.get_mut(task_arn) else {
        return false;
    };
    if t.desired_status == account::TaskStatus::Stopped {
        return false;
    }
    t.desired_status = TaskStatus::Stopped;
    t.stopping_at = Some(now);
    t.stop_code = Some(stop_code.to_string());
    t.stopped_reason = Some(reason.to_string());
    if matches!(
        t.last_status,
        account::TaskStatus::Pending | account::TaskStatus::Activating | account::TaskStatus::Running
    ) {
        t.next_transition_at = Some(now);
    }
    true
}

/// Creates and attaches a new task's ENI (awsvpc): on the container instance
/// at the next free device index from 1, or, for Fargate, attached to no
/// instance. When EC2 refuses (no free address), the task is marked to stop
/// with TaskFailedToStart when its provisioning ends, and nothing is left behind.
pub fn provision_eni(
    account: &mut Account,
    task_arn: &str,
    cfg: &AwsvpcConfiguration,
    instance_id: Option<&str>,
    fargate: bool,
) {
    let Some(task) = account.tasks.get(task_arn) else {
        return;
    };
    let Some(att) = task.attachments.first() else {
        return;
    };
    let Some(subnet_id) = att.details.iter().find(|d| d.name == "subnetId").map(|d| d.value.clone()) else {
        return;
    };
    let attachment_id = att.id.clone();
    let mut req = CreateNetworkInterface::new(&subnet_id);
    req.groups = cfg.security_groups.clone();
    req.description = ids::ecs_attachment_arn(&account.region, &account.account_id, &attachment_id);
    req.requester_managed = true;
    req.requester_id = Some(ECS_REQUESTER_ID.into());
    req.assign_public_ip = fargate && cfg.assign_public_ip == "ENABLED";
    req.owner = account::EniOwner::Task { task_arn: task_arn.to_string() };
    let eni = match account.create_network_interface(req) {
        Ok(eni) => eni,
        Err(e) => {
            // Inferred text: users report tasks stopping in PROVISIONING with
            // EC2's error code; the wording around it is not documented.
            let reason = format!("{}: {e}", e.code());
            request_stop(account, task_arn, "TaskFailedToStart", &reason);
            if let Some(a) = account.tasks.get_mut(task_arn).and_then(|t| t.attachments.first_mut()) {
                a.status = "FAILED".into();
            }
            super::deployments::note_failed_task(account, task_arn);
            return;
        }
    };
    let device_index = match instance_id {
        Some(i) => next_device_index(account, i),
        None => 1,
    };
    if account.attach_network_interface(&eni.network_interface_id, instance_id, device_index).is_err() {
        // The instance vanished between placement and now; give the address back.
        let _ = account.delete_network_interface(&eni.network_interface_id);
        request_stop(
            account,
            task_arn,
            "TaskFailedToStart",
            "Timeout waiting for network interface provisioning to complete.",
        );
        return;
    }
    let ip = eni.private_ip_address.to_string();
    if let Some(t) = account.tasks.get_mut(task_arn) {
        t.eni_id = Some(eni.network_interface_id.clone());
        if let Some(a) = t.attachments.first_mut() {
            // Facts: details in this order.
            a.details = vec![
                detail("subnetId", &subnet_id),
                detail("networkInterfaceId", &eni.network_interface_id),
                detail("macAddress", &eni.mac_address),
                detail("privateDnsName", &eni.private_dns_name),
                detail("privateIPv4Address", &ip),
            ];
        }
        for c in &mut t.containers {
            c.network_interfaces = vec![ContainerNetworkInterface {
                attachment_id: attachment_id.clone(),
                private_ipv4_address: ip.clone(),
            }];
        }
    }
}

fn detail(name: &str, value: &str) -> AttachmentDetail {
    AttachmentDetail { name: name.into(), value: value.into() }
}

/// The lowest device index from 1 not used on the instance.
fn next_device_index(account: &Account, instance_id: &str) -> u32 {
    let used: Vec<u32> = account
        .network_interfaces
        .values()
        .filter_map(|n| n.attachment.as_ref())
        .filter(|a| a.instance_id.as_deref() == Some(instance_id))
        .map(|a| a.device_index)
        .collect();
    (1..).find(|i| !used.contains(i)).unwrap_or(1)
}

/// Moves on every task whose next step is due; returns what to report.
pub fn step_due(account: &mut Account) -> Vec<Note> {
    let now = account.clock_ms;
    let due: Vec<String> = account
        .tasks
        .values()
        .filter(|t| t.next_transition_at.is_some_and(|d| d <= now))
        .map(|t| t.task_arn.clone())
        .collect();
    let mut notes = Vec::new();
    for arn in due {
        step(account, &arn, &mut notes);
    }
    notes
}

/// One step of one task.
fn step(account: &mut Account, arn: &str, notes: &mut Vec<Note>) {
    let now = account.clock_ms;
    let Some(t) = account.tasks.get(arn) else {
        return;
    };
    let (status, running, has_eni) = (t.last_status, t.wants_running(), t.eni_id.is_some());
    match (status, running) {
        (Provisioning, true) => {
            set(account, arn, Pending, Some(now + PENDING_MS), |t| attachment_status(t, "ATTACHED"))
        }
        (Provisioning, false) => finish(account, arn),
        (Pending, true) => {
            let Some(task) = account.tasks.get(arn).cloned() else { return };
            // The agent fetches secrets, registry auth and the image first.
            match super::pulls::at_pending(account, &task, super::pulls::reach_blockers) {
                super::pulls::Verdict::Go => {}
                super::pulls::Verdict::Wait(at) => {
                    if let Some(t) = account.tasks.get_mut(arn) {
                        t.next_transition_at = Some(at);
                    }
                    return;
                }
                super::pulls::Verdict::Fail(reason) => {
                    request_stop(account, arn, "TaskFailedToStart", &reason);
                    super::deployments::note_failed_task(account, arn);
                    return;
                }
            }
            // Then it sets up the awslogs driver, before it starts the containers.
            if let Err(reason) = account::logs::awslogs::prepare(account, &task) {
                request_stop(account, arn, "TaskFailedToStart", &reason);
                super::deployments::note_failed_task(account, arn);
                return;
            }
            set(account, arn, Activating, Some(now + ACTIVATING_MS), |t| containers_status(t, Running));
            register(account, arn, notes);
        }
        (Pending, false) => set(account, arn, Stopping, Some(now + STOPPING_MS), |_| {}),
        (Activating, true) => {
            set(account, arn, Running, None, |t| {
                t.started_at = Some(now);
                for sim in t.containers.iter_mut().filter_map(|c| c.simulated_exit.as_mut()) {
                    sim.at = Some(now + sim.run_ms);
                }
                t.next_transition_at = next_simulated_exit(t);
            });
            if let Some(service) = account.tasks.get(arn).and_then(|t| t.service_arn.clone()) {
                super::throttle::task_started(account, &service);
            }
        }
        (Activating | Running, false) => {
            let wait = deregister(account, arn, notes, true);
            set(account, arn, Deactivating, Some(now + wait.unwrap_or(DEACTIVATING_MS)), |_| {});
        }
        (Running, true) => simulated_exits(account, arn),
        (Deactivating, _) => set(account, arn, Stopping, Some(now + STOPPING_MS), |_| {}),
        (Stopping, _) if has_eni => set(account, arn, Deprovisioning, Some(now + DEPROVISIONING_MS), |t| {
            containers_status(t, Stopped);
            t.execution_stopped_at.get_or_insert(now);
        }),
        (Stopping, _) => finish(account, arn),
        (Deprovisioning, _) => {
            release_eni(account, arn);
            finish(account, arn);
        }
        (Stopped, _) => {
            account.tasks.remove(arn);
        }
    }
}

/// The earliest simulated exit still to come of a task's containers.
fn next_simulated_exit(t: &Task) -> Option<u64> {
    t.containers.iter().filter(|c| c.last_status != Stopped).filter_map(|c| c.simulated_exit.as_ref()?.at).min()
}

/// A RUNNING task's one-off containers whose simulated run is over exit
/// with their codes, as the data plane reports a real exit (an essential
/// one stops the task: EssentialContainerExited).
fn simulated_exits(account: &mut Account, arn: &str) {
    let now = account.clock_ms;
    let Some(t) = account.tasks.get(arn) else {
        return;
    };
    let due: Vec<(String, i32)> = t
        .containers
        .iter()
        .filter(|c| c.last_status != Stopped)
        .filter_map(|c| {
            let sim = c.simulated_exit.as_ref()?;
            sim.at.is_some_and(|at| at <= now).then(|| (c.name.clone(), sim.exit_code))
        })
        .collect();
    for (name, code) in due {
        // The task is live and has the container: nothing to refuse.
        let _ = super::tasks_api::container_exited(account, arn, &name, code);
    }
    if let Some(t) = account.tasks.get_mut(arn).filter(|t| t.wants_running()) {
        t.next_transition_at = next_simulated_exit(t);
    }
}

/// Sets a task's status and next due time, then applies `more`.
fn set(account: &mut Account, arn: &str, status: TaskStatus, due: Option<u64>, more: impl FnOnce(&mut Task)) {
    if let Some(t) = account.tasks.get_mut(arn) {
        t.last_status = status;
        t.next_transition_at = due;
        more(t);
    }
}

fn attachment_status(t: &mut Task, status: &str) {
    for a in &mut t.attachments {
        a.status = status.to_string();
    }
}

fn containers_status(t: &mut Task, status: TaskStatus) {
    for c in &mut t.containers {
        if c.last_status != Stopped {
            c.last_status = status;
        }
    }
}

/// STOPPED: everything given back; forgotten an hour later.
fn finish(account: &mut Account, arn: &str) {
    let now = account.clock_ms;
    set(account, arn, Stopped, Some(now + FORGET_STOPPED_MS), |t| {
        t.desired_status = Stopped;
        t.stopped_at = Some(now);
        t.execution_stopped_at.get_or_insert(now);
        containers_status(t, Stopped);
        for a in &mut t.attachments {
            if a.status != "FAILED" {
                a.status = "DELETED".into();
            }
        }
    });
}

/// Detaches and deletes the task's ENI: its address goes back to the subnet.
fn release_eni(account: &mut Account, arn: &str) {
    let Some(eni) = account.tasks.get_mut(arn).and_then(|t| t.eni_id.take()) else {
        return;
    };
    // Either may already be gone with a terminated instance; nothing to give back then.
    let _ = account.detach_network_interface(&eni);
    let _ = account.delete_network_interface(&eni);
}

/// Takes a task down at once because its container instance is gone: its
/// targets are deregistered, its ENI deleted and it is STOPPED.
pub fn evict(account: &mut Account, arn: &str, stop_code: &str, reason: &str) {
    request_stop(account, arn, stop_code, reason);
    let mut notes = Vec::new();
    deregister(account, arn, &mut notes, false);
    release_eni(account, arn);
    finish(account, arn);
}

/// The targets a service task has (or will have) in its service's target
/// groups: its ENI address and the container port for awsvpc, its instance
/// and the bound host port for bridge and host modes.
pub fn task_targets(account: &Account, task: &Task) -> Vec<(String, TargetDescription)> {
    let Some(svc) = task.service_arn.as_ref().and_then(|s| account.services.get(s)) else {
        return Vec::new();
    };
    let ip = task
        .attachments
        .first()
        .and_then(|a| a.details.iter().find(|d| d.name == "privateIPv4Address"))
        .map(|d| d.value.clone());
    let instance = task
        .container_instance_arn
        .as_ref()
        .and_then(|c| account.container_instances.get(c))
        .map(|c| c.ec2_instance_id.clone());
    let mut out = Vec::new();
    for lb in &svc.load_balancers {
        let Some(tg) = &lb.target_group_arn else {
            continue;
        };
        let Some(container) = task.containers.iter().find(|c| c.name == lb.container_name) else {
            continue;
        };
        let target = match (&ip, container.network_bindings.iter().find(|b| b.container_port == lb.container_port)) {
            (Some(ip), _) => Some((ip.clone(), lb.container_port)),
            (None, Some(b)) => instance.clone().map(|i| (i, b.host_port)),
            (None, None) => None,
        };
        if let Some((id, port)) = target {
            out.push((tg.clone(), TargetDescription { id, port, availability_zone: None }));
        }
    }
    out
}

/// Registers a service task's targets (ACTIVATING).
fn register(account: &mut Account, arn: &str, notes: &mut Vec<Note>) {
    let Some(task) = account.tasks.get(arn) else {
        return;
    };
    let service_arn = task.service_arn.clone().unwrap_or_default();
    for (tg, target) in task_targets(account, task) {
        if crate::elb::register_targets(account, &tg, std::slice::from_ref(&target)).is_ok() {
            notes.push(Note::Registered { service_arn: service_arn.clone(), target_group_arn: tg });
        }
    }
}

/// Deregisters a task's registered targets; returns the longest
/// deregistration delay (ms) among their target groups, if any was registered.
fn deregister(account: &mut Account, arn: &str, notes: &mut Vec<Note>, drain: bool) -> Option<u64> {
    let task = account.tasks.get(arn)?;
    let service_arn = task.service_arn.clone().unwrap_or_default();
    let deployment = task.started_by.clone().unwrap_or_default();
    let mut wait: Option<u64> = None;
    for (tg, target) in task_targets(account, task) {
        let Some(group) = account.target_groups.get(&tg) else {
            continue;
        };
        let registered = group.targets.iter().any(|t| {
            t.target.id == target.id
                && t.target.port == target.port
                && t.target_health.state != account::TargetHealthState::Draining
        });
        if !registered {
            continue;
        }
        let delay = u64::from(group.deregistration_delay_seconds) * 1000;
        if crate::elb::deregister_targets(account, &tg, std::slice::from_ref(&target)).is_ok() {
            notes.push(Note::Deregistered { service_arn: service_arn.clone(), target_group_arn: tg });
            wait = Some(wait.unwrap_or(0).max(delay));
        }
    }
    if drain && wait.is_some() {
        notes.push(Note::Draining { service_arn, deployment });
    }
    wait
}
