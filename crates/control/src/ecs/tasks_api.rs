//! RunTask, StopTask and PutAccountSetting, plus the data plane's report
//! that a container exited. (The Describe and List operations' documents are
//! built by the `shapes` crate, from the account.)
//!
//! AWS doc: the actions of the same names in the Amazon ECS API Reference;
//! "Amazon ECS task lifecycle" (an essential container's exit stops the task).

use super::api::{Failure, RunTaskRequest, RunTaskResponse, Setting, StopTaskRequest};
use super::error::EcsError;
use super::launch::LaunchSpec;
use super::lifecycle::request_stop;
use super::placement::{PlacementFailure, Room};
use super::resources::task_needs;
use super::start::{start_one, StartRequest};
use super::{deployments, validate};
use account::{Account, Task};

/// RunTask: places `count` tasks (1..=10) with the default strategy; tasks
/// that find no room come back in `failures` with the container instance
/// that came closest and the resource it lacked.
pub fn run_task(account: &mut Account, req: &RunTaskRequest) -> Result<RunTaskResponse, EcsError> {
    validate::run_task(account, req).first()?;
    let cluster = validate::cluster(account, req.cluster.as_deref())?;
    let td = validate::task_definition(account, &req.task_definition)?;
    let count = req.count.unwrap_or(1);
    let launch_type = validate::launch_type(req.launch_type.as_deref())?;
    let awsvpc = req.network_configuration.as_ref().and_then(|n| n.awsvpc_configuration.clone());
    let mut room = Room::default();
    if launch_type == "EC2" {
        room = Room::of_cluster(account, &cluster.cluster_arn);
        if room.instances.is_empty() {
            // Seen.
            return Err(EcsError::invalid_parameter("No Container Instances were found in your cluster."));
        }
    }
    // tasknet's words: AWS refuses unreadable sizes at RegisterTaskDefinition.
    let needs = task_needs(&td).map_err(|e| EcsError::client(format!("Invalid task definition: {e}.")))?;
    let group = req.group.clone().unwrap_or_else(|| format!("family:{}", td.family));
    let mut out = RunTaskResponse::default();
    for _ in 0..count {
        let spec = LaunchSpec {
            started_by: req.started_by.as_deref(),
            ..LaunchSpec::new(&cluster.cluster_arn, &td, &launch_type, &group, &needs)
        };
        // Unverified: RunTask's default placement; tasknet spreads like services.
        match start_one(account, &StartRequest { spec, needs: &needs, awsvpc: awsvpc.as_ref() }, &mut room) {
            Ok(arn) => out.tasks.extend(account.tasks.get(&arn).cloned()),
            Err(PlacementFailure::Closest(arn, shortfall)) => {
                out.failures.push(Failure { arn: Some(arn), reason: shortfall.failure_reason().into(), detail: None })
            }
            Err(PlacementFailure::NoInstances) => {
                out.failures.push(Failure { arn: None, reason: "RESOURCE:ENI".into(), detail: None })
            }
        }
    }
    super::refresh_counts(account);
    Ok(out)
}

/// A task of the cluster by ARN or ID.
fn find_task<'a>(account: &'a Account, cluster_arn: &str, task: &str) -> Option<&'a Task> {
    account.tasks.get(task).filter(|t| t.cluster_arn == cluster_arn).or_else(|| {
        account.tasks.values().find(|t| t.cluster_arn == cluster_arn && t.task_arn.rsplit('/').next() == Some(task))
    })
}

/// StopTask: the task's desired status becomes STOPPED (stop code
/// UserInitiated, reason as given or `Task stopped by user`); it goes down
/// through its remaining statuses on the clock.
pub fn stop_task(account: &mut Account, req: &StopTaskRequest) -> Result<Task, EcsError> {
    let cluster = validate::cluster(account, req.cluster.as_deref())?;
    // Seen: InvalidParameterException `The referenced task was not found` (no period).
    let arn = find_task(account, &cluster.cluster_arn, &req.task)
        .map(|t| t.task_arn.clone())
        .ok_or_else(|| EcsError::invalid_parameter("The referenced task was not found"))?;
    request_stop(account, &arn, "UserInitiated", req.reason.as_deref().unwrap_or("Task stopped by user"));
    account.tasks.get(&arn).cloned().ok_or_else(|| EcsError::invalid_parameter("The referenced task was not found"))
}

/// Account setting names PutAccountSetting accepts (AWS doc: "PutAccountSetting").
const SETTING_NAMES: &[&str] = &[
    "serviceLongArnFormat",
    "taskLongArnFormat",
    "containerInstanceLongArnFormat",
    "awsvpcTrunking",
    "containerInsights",
    "fargateFIPSMode",
    "tagResourceAuthorization",
    "fargateTaskRetirementWaitPeriod",
    "guardDutyActivate",
    "defaultLogDriverMode",
];

/// PutAccountSetting: stores the setting in the account (`awsvpcTrunking`
/// `enabled` lets trunking-capable instances registered from now on run
/// more awsvpc tasks).
pub fn put_account_setting(account: &mut Account, name: &str, value: &str) -> Result<Setting, EcsError> {
    if !SETTING_NAMES.contains(&name) {
        // Inferred text (the API's enum check).
        return Err(EcsError::invalid_parameter(format!("{name} is not a valid account setting name.")));
    }
    if name == "awsvpcTrunking" && value != "enabled" && value != "disabled" {
        // Inferred text.
        return Err(EcsError::invalid_parameter(format!(
            "{value} is not a valid value for awsvpcTrunking. Valid values: enabled, disabled."
        )));
    }
    account.account_settings.insert(name.to_string(), value.to_string());
    Ok(Setting {
        name: name.to_string(),
        value: value.to_string(),
        principal_arn: format!("arn:aws:iam::{}:root", account.account_id),
    })
}

/// The data plane's (or a test's) report that a container exited with
/// `exit_code`. An essential container stops its task (EssentialContainerExited,
/// `Essential container in task exited`), which the service then replaces;
/// a non-essential one just stops.
pub fn container_exited(
    account: &mut Account,
    task_arn: &str,
    container_name: &str,
    exit_code: i32,
) -> Result<(), EcsError> {
    let task = account
        .tasks
        .get_mut(task_arn)
        .filter(|t| t.is_live())
        .ok_or_else(|| EcsError::invalid_parameter("The referenced task was not found"))?;
    let never_ran = task.started_at.is_none();
    let container = task
        .containers
        .iter_mut()
        .find(|c| c.name == container_name)
        // tasknet's words: this is not an AWS action.
        .ok_or_else(|| EcsError::invalid_parameter(format!("The task has no container named {container_name}.")))?;
    container.last_status = account::TaskStatus::Stopped;
    container.exit_code = Some(exit_code);
    if container.essential
        && request_stop(account, task_arn, "EssentialContainerExited", "Essential container in task exited")
        && never_ran
    {
        deployments::note_failed_task(account, task_arn);
    }
    Ok(())
}

/// The data plane's report that a container could not start (its command is
/// missing, say): the container stops with `reason`, and the task stops with
/// TaskFailedToStart and the container's reason, as ECS reports a failed container.
pub fn container_failed_to_start(
    account: &mut Account,
    task_arn: &str,
    container_name: &str,
    reason: &str,
) -> Result<(), EcsError> {
    let task = account
        .tasks
        .get_mut(task_arn)
        .filter(|t| t.is_live())
        .ok_or_else(|| EcsError::invalid_parameter("The referenced task was not found"))?;
    let container = task
        .containers
        .iter_mut()
        .find(|c| c.name == container_name)
        // tasknet's words: this is not an AWS action.
        .ok_or_else(|| EcsError::invalid_parameter(format!("The task has no container named {container_name}.")))?;
    container.reason = Some(reason.to_string());
    container.last_status = account::TaskStatus::Stopped;
    request_stop(account, task_arn, "TaskFailedToStart", reason);
    Ok(())
}
