//! CreateStack, UpdateStack and DeleteStack: their own part in the call
//! (the change set planned, the stack *_IN_PROGRESS), the rest in a job.

use super::change_sets::{finish_later, plan, plan_request};
use super::errors::{engine, validation};
use super::input;
use crate::dispatch::Write;
use crate::error::WireError;
use serde_json::{json, Value};
use stacks::engine::execute::DIRECT_PREFIX;
use stacks::engine::ChangeSetRequest;

/// CreateStack or UpdateStack: the change set they make for themselves,
/// planned and started.
fn create_or_update(w: &mut Write<'_>, input: &Value, change_set_type: &str) -> Result<Value, WireError> {
    let request = ChangeSetRequest {
        name: format!("{DIRECT_PREFIX}{}", w.session.account.clock_ms / 1000),
        description: None,
        change_set_type: Some(change_set_type.to_string()),
        tags: super::change_sets::tags(input),
        direct: true,
    };
    let (stack_input, mut opts) = plan_request(w, input, request)?;
    if change_set_type == "CREATE" {
        // OnFailure DO_NOTHING is DisableRollback; DELETE (delete the stack
        // after a failed create) is not implemented: it rolls back.
        if input::text(input, "OnFailure") == Some("DO_NOTHING") {
            opts.disable_rollback = true;
        }
    }
    let (stack_id, change_set) = plan(w, &stack_input, &opts)?;
    let Some(change_set) = change_set else {
        // Seen (UpdateStack's answer when nothing changes).
        return Err(validation("No updates are to be performed."));
    };
    let execution =
        runtime::cloudformation::start_change_set(w.session, Some(&stack_id), &change_set, Some(opts.disable_rollback))
            .map_err(|e| engine(&e))?;
    finish_later(w, execution);
    Ok(json!({ "StackId": stack_id }))
}

/// CreateStack: `{"StackId"}`, the stack CREATE_IN_PROGRESS.
pub fn create_stack(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    create_or_update(w, input, "CREATE")
}

/// UpdateStack: `{"StackId"}`, the stack UPDATE_IN_PROGRESS.
pub fn update_stack(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    create_or_update(w, input, "UPDATE")
}

/// DeleteStack: the stack DELETE_IN_PROGRESS now, its resources deleted
/// after the answer. A stack that does not exist is no error (AWS's
/// DeleteStack succeeds).
pub fn delete_stack(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let name = input::text(input, "StackName").unwrap_or_default();
    let started = runtime::cloudformation::start_delete(w.session, name).map_err(|e| engine(&e))?;
    if let Some(stack_id) = started {
        w.jobs.push(Box::new(move |session| match runtime::cloudformation::finish_delete(session, &stack_id) {
            Ok(status) => tracing::info!("stack {stack_id} deleted: {status}"),
            Err(e) => tracing::error!("deleting stack {stack_id}: {e}"),
        }));
    }
    Ok(json!({}))
}
