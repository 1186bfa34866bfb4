//! Change sets: CreateChangeSet (the engine's deploy with `execute: false`,
//! in the call, as AWS has the change set by the time the waiter's first
//! DescribeChangeSet arrives), DescribeChangeSet, ListChangeSets,
//! ExecuteChangeSet (started in the call, finished by a job) and
//! DeleteChangeSet.

use super::errors::{engine, validation};
use super::paging::page;
use super::templates::{body_of, store};
use super::{input, query};
use crate::dispatch::{Read, Write};
use crate::error::WireError;
use serde_json::{json, Value};
use stacks::engine::execute::{self, Execution};
use stacks::engine::{find_stack, ChangeSetRequest, DeployOptions, Outcome};
use stacks::StackInput;
use std::collections::BTreeMap;

/// The parameter values of the request: `ParameterValue`, or the stack's
/// value with `UsePreviousValue`.
fn parameters(input: &Value, previous: Option<&BTreeMap<String, String>>) -> Result<Vec<(String, String)>, WireError> {
    let mut out = Vec::new();
    for p in input.get("Parameters").and_then(Value::as_array).into_iter().flatten() {
        let Some(key) = p.get("ParameterKey").and_then(Value::as_str) else { continue };
        if p.get("UsePreviousValue").and_then(Value::as_bool) == Some(true) {
            let value = previous.and_then(|m| m.get(key)).ok_or_else(|| {
                // The form of AWS's text for this case (recalled; unverified).
                validation(format!(
                    "Invalid input for parameter key {key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template"
                ))
            })?;
            out.push((key.to_string(), value.clone()));
        } else if let Some(v) = p.get("ParameterValue").and_then(Value::as_str) {
            out.push((key.to_string(), v.to_string()));
        }
    }
    Ok(out)
}

/// The request's `Tags` (`Key`/`Value` pairs).
pub(super) fn tags(input: &Value) -> account::Tags {
    let pairs = input.get("Tags").and_then(Value::as_array).into_iter().flatten();
    pairs.filter_map(|t| Some((t.get("Key")?.as_str()?.to_string(), t.get("Value")?.as_str()?.to_string()))).collect()
}

/// What the engine is asked to plan for a CreateChangeSet, CreateStack or
/// UpdateStack request: its template stored, its parameters and capabilities.
pub(super) fn plan_request(
    w: &mut Write<'_>,
    input: &Value,
    change_set: ChangeSetRequest,
) -> Result<(StackInput, DeployOptions), WireError> {
    let name = input::text(input, "StackName").unwrap_or_default();
    stacks::check_stack_name(name).map_err(|e| WireError::from_aws(&e))?;
    let existing = find_stack(&w.session.account, name);
    let previous_body = existing.map(|s| s.template_body.as_str()).filter(|b| !b.is_empty());
    let body = body_of(input, previous_body, &w.session.account)?.into_owned();
    let overrides = parameters(input, existing.map(|s| &s.parameters))?;
    let template_path = store(w.session.dir(), &body)?;
    let stack_input = StackInput {
        template_path,
        stack_name: name.to_string(),
        overrides,
        file_params: Vec::new(),
        custom_attributes: BTreeMap::new(),
        stack_id: None,
        allow_deprecated_runtimes: w.server.allow_deprecated_runtimes(),
    };
    let opts = DeployOptions {
        capabilities: input::texts(input, "Capabilities"),
        disable_rollback: input::boolean(input, "DisableRollback").unwrap_or(false),
        execute: false,
        change_set: Some(change_set),
        ..DeployOptions::default()
    };
    Ok((stack_input, opts))
}

/// Plans the change set; `Ok(None)` when it is empty (recorded FAILED for a
/// client's change set; nothing for CreateStack and UpdateStack).
pub(super) fn plan(
    w: &mut Write<'_>,
    stack_input: &StackInput,
    opts: &DeployOptions,
) -> Result<(String, Option<String>), WireError> {
    let out = runtime::cloudformation::deploy(w.session, stack_input, opts, &mut |_| {}).map_err(|e| engine(&e))?;
    let stack_id = |a: &account::Account| find_stack(a, &stack_input.stack_name).map(|s| s.stack_id.clone());
    match out {
        Outcome::ChangeSetCreated(cs) => Ok((stack_id(&w.session.account).unwrap_or_default(), Some(cs.change_set_id))),
        Outcome::NoChanges { stack_id } => Ok((stack_id, None)),
        // `execute: false` never executes; an engine that did is answered with what it made.
        Outcome::Complete { stack_id, .. } | Outcome::Failed { stack_id, .. } => Ok((stack_id, None)),
    }
}

/// CreateChangeSet: `{"Id", "StackId"}`.
pub fn create_change_set(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let name = input::text(input, "ChangeSetName").unwrap_or_default().to_string();
    let request = ChangeSetRequest {
        name: name.clone(),
        description: input::text(input, "Description").map(str::to_string),
        // AWS doc "CreateChangeSet": ChangeSetType, "By default, CloudFormation specifies UPDATE."
        change_set_type: Some(input::text(input, "ChangeSetType").unwrap_or("UPDATE").to_string()),
        tags: tags(input),
        direct: false,
    };
    let (stack_input, opts) = plan_request(w, input, request)?;
    let (stack_id, id) = plan(w, &stack_input, &opts)?;
    let id = match id {
        Some(id) => id,
        // The empty change set the engine kept FAILED, under the client's name.
        None => w
            .session
            .account
            .stacks
            .get(&stack_id)
            .and_then(|s| s.change_sets.iter().rev().find(|c| c.change_set_name == name))
            .map(|c| c.change_set_id.clone())
            .unwrap_or_default(),
    };
    Ok(json!({"Id": id, "StackId": stack_id}))
}

/// DescribeChangeSet, its `Changes` paged.
pub fn describe_change_set(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let name = input::text(input, "ChangeSetName").unwrap_or_default();
    let (stack, cs) = execute::find_change_set(r.account, input::text(input, "StackName"), name, "DescribeChangeSet")
        .map_err(|e| engine(&e))?;
    page(shapes::cloudformation::describe_change_set(stack, cs), "Changes", input)
}

/// ListChangeSets of a stack.
pub fn list_change_sets(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let stacks = shapes::cloudformation::stacks(r.account, &query(input), "ListChangeSets")
        .map_err(|e| WireError::from_aws(&e))?;
    let doc = stacks.first().map_or_else(|| json!({"Summaries": []}), |s| shapes::cloudformation::list_change_sets(s));
    page(doc, "Summaries", input)
}

/// Hands the rest of a started execution to a job.
pub(super) fn finish_later(w: &mut Write<'_>, execution: Execution) {
    let timeout = DeployOptions::default().service_timeout_ms;
    w.jobs.push(Box::new(move |session| {
        let outcome = runtime::cloudformation::execute_started(session, &execution, timeout);
        tracing::info!("change set {} executed: {outcome:?}", execution.change_set_id);
    }));
}

/// ExecuteChangeSet: the stack in CREATE_IN_PROGRESS or UPDATE_IN_PROGRESS
/// now, the walk after the answer.
pub fn execute_change_set(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let name = input::text(input, "ChangeSetName").unwrap_or_default();
    let disable_rollback = input::boolean(input, "DisableRollback");
    let execution =
        runtime::cloudformation::start_change_set(w.session, input::text(input, "StackName"), name, disable_rollback)
            .map_err(|e| engine(&e))?;
    finish_later(w, execution);
    Ok(json!({}))
}

/// DeleteChangeSet.
pub fn delete_change_set(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let name = input::text(input, "ChangeSetName").unwrap_or_default();
    execute::delete_change_set(&mut w.session.account, input::text(input, "StackName"), name)
        .map_err(|e| engine(&e))?;
    Ok(json!({}))
}
