//! Change sets as the API handles them: found by name or ID, executed in two
//! steps (the call's own, which puts the stack in progress, and the work
//! after it), deleted.
//!
//! Why two steps: ExecuteChangeSet returns at once on AWS with the stack
//! already in CREATE_IN_PROGRESS or UPDATE_IN_PROGRESS; a front door that
//! answers before the walk runs saves that state with its answer.

use super::events::{self, Observer};
use super::{run, DeployOptions, EngineError, Outcome, Started};
use crate::analyze::StackInput;
use account::{Account, ChangeSet, Stack, StackStatus};

/// A change set whose execution has started: what [`execute_started`] needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execution {
    /// The stack's ID.
    pub stack_id: String,
    /// The change set's ID.
    pub change_set_id: String,
    /// True for a CREATE change set.
    pub creating: bool,
}

/// Whether `name_or_id` is a change set's ARN rather than its name.
fn is_arn(name_or_id: &str) -> bool {
    name_or_id.starts_with("arn:")
}

/// The stack (live, or by ID) and the change set `name_or_id` of it, for
/// `operation`'s errors. A name needs the stack's name or ID; an ARN finds
/// its stack itself.
pub fn find_change_set<'a>(
    a: &'a Account,
    stack_name: Option<&str>,
    name_or_id: &str,
    operation: &'static str,
) -> Result<(&'a Stack, &'a ChangeSet), EngineError> {
    // Seen: "ChangeSet [NAME-OR-ARN] does not exist" (404).
    let not_found =
        || EngineError::ChangeSetNotFound { operation, message: format!("ChangeSet [{name_or_id}] does not exist") };
    if is_arn(name_or_id) {
        return a
            .stacks
            .values()
            .filter(|s| stack_name.is_none_or(|n| s.stack_name == n || s.stack_id == n))
            .find_map(|s| s.change_sets.iter().find(|c| c.change_set_id == name_or_id).map(|c| (s, c)))
            .ok_or_else(not_found);
    }
    let Some(stack_name) = stack_name else {
        // Seen (the API's answer when only a name is given).
        return Err(EngineError::Validation {
            operation,
            message: "StackName must be specified if ChangeSetName is not specified as an ARN.".into(),
        });
    };
    let stack = super::find_stack(a, stack_name).or_else(|| a.stacks.get(stack_name)).ok_or_else(|| {
        EngineError::Validation { operation, message: format!("Stack [{stack_name}] does not exist") }
    })?;
    let cs = stack.change_sets.iter().rev().find(|c| c.change_set_name == name_or_id).ok_or_else(not_found)?;
    Ok((stack, cs))
}

/// ExecuteChangeSet's own part: refuses a change set that cannot run (seen:
/// "ChangeSet [ID] cannot be executed in its current status of [S]" / "…
/// execution status of [S]", `InvalidChangeSetStatus`), marks it
/// EXECUTE_IN_PROGRESS, drops the stack's other change sets (AWS doc
/// "Execute a change set": executing one removes the others), and puts
/// the stack in CREATE_IN_PROGRESS or UPDATE_IN_PROGRESS ("User Initiated").
pub fn start_change_set(
    a: &mut Account,
    stack_name: Option<&str>,
    name_or_id: &str,
    disable_rollback: Option<bool>,
    observer: &mut dyn Observer,
) -> Result<Execution, EngineError> {
    const OP: &str = "ExecuteChangeSet";
    let (stack, cs) = find_change_set(a, stack_name, name_or_id, OP)?;
    let refuse = |message: String| EngineError::InvalidChangeSetStatus { operation: OP, message };
    if cs.status != "CREATE_COMPLETE" {
        return Err(refuse(format!(
            "ChangeSet [{}] cannot be executed in its current status of [{}]",
            cs.change_set_id, cs.status
        )));
    }
    if cs.execution_status != "AVAILABLE" {
        return Err(refuse(format!(
            "ChangeSet [{}] cannot be executed in its current execution status of [{}]",
            cs.change_set_id, cs.execution_status
        )));
    }
    if stack.in_progress() {
        return Err(EngineError::Validation {
            operation: OP,
            message: format!("Stack:{} is in {} state and can not be updated.", stack.stack_id, stack.stack_status),
        });
    }
    let execution = Execution {
        stack_id: stack.stack_id.clone(),
        change_set_id: cs.change_set_id.clone(),
        creating: cs.change_set_type == "CREATE",
    };
    let Some(s) = a.stacks.get_mut(&execution.stack_id) else {
        return Err(EngineError::Validation { operation: OP, message: format!("Stack [{name_or_id}] does not exist") });
    };
    s.change_sets.retain(|c| c.change_set_id == execution.change_set_id);
    if let Some(c) = s.change_sets.first_mut() {
        c.execution_status = "EXECUTE_IN_PROGRESS".into();
    }
    if let Some(d) = disable_rollback {
        s.disable_rollback = d;
    }
    s.operation_pid = Some(std::process::id());
    let status = if execution.creating { StackStatus::CreateInProgress } else { StackStatus::UpdateInProgress };
    events::stack_status(a, observer, &execution.stack_id, status, Some("User Initiated"));
    observer.checkpoint(a);
    Ok(execution)
}

/// The rest of an execution [`start_change_set`] began: the change set's
/// template deployed with its parameters and capabilities. A failure
/// before the walk (the template gone, the account changed under the
/// change set) rolls the stack back, so it never stays in progress.
pub fn execute_started(
    a: &mut Account,
    execution: &Execution,
    service_timeout_ms: u64,
    observer: &mut dyn Observer,
) -> Outcome {
    let found = a.stacks.get(&execution.stack_id).and_then(|s| {
        let cs = s.change_sets.iter().find(|c| c.change_set_id == execution.change_set_id)?;
        Some((s.stack_name.clone(), s.disable_rollback, cs.clone()))
    });
    // AWS doc "UpdateStack": Tags, "If you don't specify this parameter,
    // CloudFormation doesn't modify the stack's tags" (change sets likewise).
    if let Some((_, _, cs)) = found.as_ref().filter(|(_, _, cs)| !cs.tags.is_empty()) {
        if let Some(s) = a.stacks.get_mut(&execution.stack_id) {
            s.tags = cs.tags.clone();
        }
    }
    let result = match found {
        Some((stack_name, disable_rollback, cs)) => {
            let input = StackInput {
                template_path: cs.template_path.clone().unwrap_or_default().into(),
                stack_name,
                overrides: cs.parameters.clone().into_iter().collect(),
                file_params: Vec::new(),
                custom_attributes: cs.custom_attributes.clone(),
                stack_id: Some(execution.stack_id.clone()),
                allow_deprecated_runtimes: cs.allow_deprecated_runtimes,
            };
            let opts = DeployOptions {
                capabilities: cs.capabilities.clone(),
                disable_rollback,
                service_timeout_ms,
                execute: true,
                change_set: None,
            };
            let started = Started { change_set_id: &execution.change_set_id, creating: execution.creating };
            run(a, &input, &opts, observer, Some(&started))
        }
        None => Err(EngineError::ChangeSetNotFound {
            operation: "ExecuteChangeSet",
            message: format!("ChangeSet [{}] does not exist", execution.change_set_id),
        }),
    };
    match result {
        Ok(outcome) => outcome,
        Err(e) => abandon(a, observer, execution, &e.to_string()),
    }
}

/// Ends an execution that failed before its walk: nothing was made, so the
/// rollback only records its statuses.
fn abandon(a: &mut Account, observer: &mut dyn Observer, execution: &Execution, reason: &str) -> Outcome {
    let id = &execution.stack_id;
    let (rolling, done) = if execution.creating {
        (StackStatus::RollbackInProgress, StackStatus::RollbackComplete)
    } else {
        (StackStatus::UpdateRollbackInProgress, StackStatus::UpdateRollbackComplete)
    };
    events::stack_status(a, observer, id, rolling, Some(reason));
    events::stack_status(a, observer, id, done, None);
    mark_executed(a, id, &execution.change_set_id, false);
    if let Some(s) = a.stacks.get_mut(id) {
        s.operation_pid = None;
    }
    observer.checkpoint(a);
    let status = a.stacks.get(id).map(|s| s.stack_status.to_string()).unwrap_or_default();
    Outcome::Failed { stack_id: id.clone(), status, reason: reason.to_string() }
}

/// The change set `id` of the stack, mutably.
fn change_set_mut<'a>(a: &'a mut Account, stack_id: &str, id: &str) -> Option<&'a mut ChangeSet> {
    a.stacks.get_mut(stack_id)?.change_sets.iter_mut().find(|c| c.change_set_id == id)
}

/// Marks the change set running (the walk's own start, for a store read meanwhile).
pub(super) fn mark_executing(a: &mut Account, stack_id: &str, id: &str) {
    if let Some(c) = change_set_mut(a, stack_id, id) {
        c.execution_status = "EXECUTE_IN_PROGRESS".into();
    }
}

/// Marks the change set EXECUTE_COMPLETE or EXECUTE_FAILED; one that
/// CreateStack or UpdateStack made for itself is forgotten instead.
pub(super) fn mark_executed(a: &mut Account, stack_id: &str, id: &str, ok: bool) {
    if let Some(c) = change_set_mut(a, stack_id, id) {
        c.execution_status = if ok { "EXECUTE_COMPLETE" } else { "EXECUTE_FAILED" }.into();
    }
    if let Some(s) = a.stacks.get_mut(stack_id) {
        s.change_sets.retain(|c| c.change_set_id != id || !c.change_set_name.starts_with(DIRECT_PREFIX));
    }
}

/// The name prefix of the change sets CreateStack and UpdateStack make for
/// themselves (tasknet's own: AWS shows none).
pub const DIRECT_PREFIX: &str = "tasknet-direct-";

/// DeleteChangeSet. A change set that does not exist on a stack that does
/// is not an error (seen on a real account); one executing is refused.
pub fn delete_change_set(a: &mut Account, stack_name: Option<&str>, name_or_id: &str) -> Result<(), EngineError> {
    const OP: &str = "DeleteChangeSet";
    let (stack_id, cs_id, execution) = match find_change_set(a, stack_name, name_or_id, OP) {
        Ok((s, c)) => (s.stack_id.clone(), c.change_set_id.clone(), c.execution_status.clone()),
        Err(EngineError::ChangeSetNotFound { .. }) if !is_arn(name_or_id) => return Ok(()),
        Err(e) => return Err(e),
    };
    if execution == "EXECUTE_IN_PROGRESS" {
        // Seen: InvalidChangeSetStatus, this text.
        return Err(EngineError::InvalidChangeSetStatus {
            operation: OP,
            message:
                "An operation on this ChangeSet is currently in progress.  Please attempt this operation again later."
                    .into(),
        });
    }
    if let Some(s) = a.stacks.get_mut(&stack_id) {
        s.change_sets.retain(|c| c.change_set_id != cs_id);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
