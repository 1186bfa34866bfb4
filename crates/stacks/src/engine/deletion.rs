//! Deleting a stack: at once (`tasknet delete-stack`), or in two steps for
//! a front door that answers first (DeleteStack puts the stack in
//! DELETE_IN_PROGRESS, the resources go after).

use super::events::{self, Observer};
use super::{find_stack, importers_of, teardown, EngineError, Outcome};
use account::{Account, Stack, StackStatus};

/// `delete-stack` by name or ID. A stack that does not exist is not an
/// error (AWS's DeleteStack succeeds silently): `Ok(None)`.
pub fn delete_stack(
    a: &mut Account,
    name_or_id: &str,
    observer: &mut dyn Observer,
) -> Result<Option<Outcome>, EngineError> {
    let Some(stack) = find_stack(a, name_or_id).cloned() else {
        return Ok(None);
    };
    if stack.in_progress() && stack.stack_status != StackStatus::DeleteInProgress {
        return Err(EngineError::Validation {
            operation: "DeleteStack",
            // Inferred text (AWS refuses deletes during create/update).
            message: format!("Stack [{}] cannot be deleted while in status {}", stack.stack_name, stack.stack_status),
        });
    }
    let status = delete_stack_by_id(a, &stack.stack_id, observer, false)?;
    let reason = a.stacks.get(&stack.stack_id).and_then(|s| s.stack_status_reason.clone()).unwrap_or_default();
    // Refused before it started: the stack keeps its status.
    Ok(Some(if status == "DELETE_COMPLETE" {
        Outcome::Complete { stack_id: stack.stack_id, status }
    } else {
        Outcome::Failed { stack_id: stack.stack_id, status, reason }
    }))
}

/// DeleteStack's own part, for a front door that answers before the
/// resources go: the stack in DELETE_IN_PROGRESS ("User Initiated"), its
/// ID returned for [`finish_delete`]. `Ok(None)`: nothing to do after (no
/// such stack, or its delete was refused at once, recorded on the stack).
pub fn start_delete(
    a: &mut Account,
    name_or_id: &str,
    observer: &mut dyn Observer,
) -> Result<Option<String>, EngineError> {
    let Some(stack) = find_stack(a, name_or_id).cloned() else {
        return Ok(None);
    };
    if stack.in_progress() {
        return Err(EngineError::Validation {
            operation: "DeleteStack",
            // Inferred text, as delete_stack's.
            message: format!("Stack [{}] cannot be deleted while in status {}", stack.stack_name, stack.stack_status),
        });
    }
    if refuse_delete_in_use(a, &stack, observer) {
        return Ok(None);
    }
    if let Some(s) = a.stacks.get_mut(&stack.stack_id) {
        s.operation_pid = Some(std::process::id());
    }
    events::stack_status(a, observer, &stack.stack_id, StackStatus::DeleteInProgress, Some("User Initiated"));
    observer.checkpoint(a);
    Ok(Some(stack.stack_id))
}

/// The rest of a delete [`start_delete`] began; the final status.
pub fn finish_delete(a: &mut Account, stack_id: &str, observer: &mut dyn Observer) -> Result<String, EngineError> {
    delete_stack_by_id(a, stack_id, observer, true)
}

/// Refuses a delete while another stack imports one of the stack's exports.
/// Seen (users' captures): the delete is refused at once; the stack keeps
/// its status, with this text as its reason and on a stack event.
fn refuse_delete_in_use(a: &mut Account, stack: &Stack, observer: &mut dyn Observer) -> bool {
    let in_use = stack.outputs.iter().filter_map(|o| o.export_name.as_ref()).find_map(|n| {
        let users = importers_of(a, &stack.stack_id, n);
        (!users.is_empty()).then(|| (n.clone(), users.join(" and ")))
    });
    let Some((name, users)) = in_use else { return false };
    let reason = format!("Export {name} cannot be deleted as it is in use by {users}");
    events::stack_status(a, observer, &stack.stack_id, stack.stack_status, Some(&reason));
    true
}

/// Deletes the stack `stack_id`; returns its final status. `started`: its
/// DELETE_IN_PROGRESS is recorded already.
pub(crate) fn delete_stack_by_id(
    a: &mut Account,
    stack_id: &str,
    observer: &mut dyn Observer,
    started: bool,
) -> Result<String, EngineError> {
    let Some(stack) = a.stacks.get(stack_id).cloned() else {
        return Err(EngineError::Validation {
            operation: "DeleteStack",
            message: format!("Stack with id {stack_id} does not exist"),
        });
    };
    if !started {
        if refuse_delete_in_use(a, &stack, observer) {
            return Ok(stack.stack_status.to_string());
        }
        if let Some(s) = a.stacks.get_mut(stack_id) {
            s.operation_pid = Some(std::process::id());
        }
        events::stack_status(a, observer, stack_id, StackStatus::DeleteInProgress, Some("User Initiated"));
    }
    let failed = teardown::delete_all(a, observer, stack_id, &stack.resources);
    let now = a.clock_ms;
    let status = if failed.is_empty() {
        a.exports.retain(|_, e| e.exporting_stack_id != stack_id);
        if let Some(s) = a.stacks.get_mut(stack_id) {
            s.resources.clear();
            s.deletion_time = Some(now);
            s.imports.clear();
            // A deleted stack's change sets go with it (inferred: AWS lists none for it).
            s.change_sets.clear();
        }
        events::stack_status(a, observer, stack_id, StackStatus::DeleteComplete, None);
        "DELETE_COMPLETE"
    } else {
        let reason = format!("The following resource(s) failed to delete: [{}]. ", failed.join(", "));
        if let Some(s) = a.stacks.get_mut(stack_id) {
            s.resources.retain(|r| failed.contains(&r.logical_resource_id));
        }
        events::stack_status(a, observer, stack_id, StackStatus::DeleteFailed, Some(&reason));
        "DELETE_FAILED"
    };
    if let Some(s) = a.stacks.get_mut(stack_id) {
        s.operation_pid = None;
    }
    observer.checkpoint(a);
    Ok(status.to_string())
}
