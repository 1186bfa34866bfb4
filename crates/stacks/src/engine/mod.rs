//! The CloudFormation engine: create, update and delete stacks in the
//! account, with change sets, events, waits and rollback.
//!
//! It reuses the planning walk (`analyze_with`): a change set is the walk on
//! a scratch copy, and executing it is the same walk on the real account,
//! with [`walk::Walk`] deciding per resource whether to create, keep,
//! update in place or replace it. Findings of the preview that belong to a
//! resource (EC2's refusals, ECS's CreateService errors) become that
//! resource's failure when the execution reaches it, so resources before it
//! really are created and then rolled back, as on AWS.

mod change_set;
pub mod changes;
pub mod clock;
pub mod custom;
mod deletion;
pub mod events;
pub mod execute;
pub mod summary;
mod teardown;
mod update;
pub mod walk;
mod walk_custom;

use crate::analyze::{analyze_with, InputError, StackInput};
use account::{Account, ChangeSet, Stack, StackOutput, StackStatus};
use cfn::Diagnostic;
use events::Observer;
use std::collections::BTreeMap;
use walk::Walk;

pub(crate) use change_set::Started;
use change_set::{check_change_set_type, push_change_set};
pub use change_set::{ChangeSetRequest, NO_CHANGES};
pub(crate) use deletion::delete_stack_by_id;
pub use deletion::{delete_stack, finish_delete, start_delete};

/// Options of `deploy`, as `aws cloudformation deploy` takes them.
#[derive(Clone, Debug)]
pub struct DeployOptions {
    /// Acknowledged capabilities.
    pub capabilities: Vec<String>,
    /// Leave resources in place when the operation fails.
    pub disable_rollback: bool,
    /// How long a service may take to become steady (clock milliseconds).
    pub service_timeout_ms: u64,
    /// False: create the change set only (`--no-execute-changeset`).
    pub execute: bool,
    /// The change set as a client asked for it (CreateChangeSet,
    /// CreateStack, UpdateStack); `None`: named as `tasknet deploy` names it.
    pub change_set: Option<ChangeSetRequest>,
}

/// How an operation ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The template and parameters change nothing.
    NoChanges {
        /// The stack's ID.
        stack_id: String,
    },
    /// `--no-execute-changeset`: the change set, not executed.
    ChangeSetCreated(Box<ChangeSet>),
    /// The stack reached `status` (CREATE_COMPLETE, UPDATE_COMPLETE, DELETE_COMPLETE).
    Complete {
        /// The stack's ID.
        stack_id: String,
        /// Its final status.
        status: String,
    },
    /// The operation failed; the stack is in `status` for `reason`.
    Failed {
        /// The stack's ID.
        stack_id: String,
        /// Its final status (ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE, CREATE_FAILED, DELETE_FAILED, …).
        status: String,
        /// The status reason of the failure.
        reason: String,
    },
}

/// Why an operation could not start.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The template cannot be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The change set failed: the template or parameters are invalid.
    #[error("{reason}")]
    ChangeSetFailed {
        /// The first error, as the change set's status reason.
        reason: String,
        /// Every finding.
        diagnostics: Vec<Diagnostic>,
        /// Template texts for snippets.
        sources: BTreeMap<std::path::PathBuf, String>,
    },
    /// A CloudFormation `ValidationError` (stack busy, missing, not updatable).
    #[error("An error occurred (ValidationError) when calling the {operation} operation: {message}")]
    Validation {
        /// The API operation.
        operation: &'static str,
        /// AWS's text.
        message: String,
    },
    /// IAM resources without the capability.
    #[error("An error occurred (InsufficientCapabilitiesException) when calling the CreateChangeSet operation: Requires capabilities : [{0}]")]
    InsufficientCapabilities(String),
    /// CreateStack of a stack that exists (`AlreadyExistsException`).
    #[error("An error occurred (AlreadyExistsException) when calling the {operation} operation: {message}")]
    AlreadyExists {
        /// The API operation.
        operation: &'static str,
        /// AWS's text.
        message: String,
    },
    /// No change set of that name or ID (`ChangeSetNotFound`).
    #[error("An error occurred (ChangeSetNotFound) when calling the {operation} operation: {message}")]
    ChangeSetNotFound {
        /// The API operation.
        operation: &'static str,
        /// AWS's text.
        message: String,
    },
    /// The change set cannot be executed or deleted now (`InvalidChangeSetStatus`).
    #[error("An error occurred (InvalidChangeSetStatus) when calling the {operation} operation: {message}")]
    InvalidChangeSetStatus {
        /// The API operation.
        operation: &'static str,
        /// AWS's text.
        message: String,
    },
}

/// Codes of findings that fail the change set itself (template and
/// parameter validation) rather than one resource during execution (a
/// nested stack whose template is missing from S3 fails that resource).
fn fails_change_set(d: &Diagnostic) -> bool {
    let c = d.code;
    d.is_error()
        && (c.starts_with("TN0")
            || c.starts_with("TN11")
            || (c.starts_with("TN10") && !matches!(c, "TN1004" | "TN1005" | "TN1006" | "TN1012")))
}

/// The live stack (not DELETE_COMPLETE) named `name_or_id`.
pub fn find_stack<'a>(a: &'a Account, name_or_id: &str) -> Option<&'a Stack> {
    a.stacks.get(name_or_id).filter(|s| s.stack_status != StackStatus::DeleteComplete).or_else(|| {
        a.stacks.values().find(|s| s.stack_name == name_or_id && s.stack_status != StackStatus::DeleteComplete)
    })
}

/// Whether a stack in `status` accepts a new change set: not after a
/// rolled-back create (ROLLBACK_COMPLETE: delete it), nor in ROLLBACK_FAILED
/// or DELETE_FAILED. CREATE_FAILED (rollback disabled) and
/// UPDATE_ROLLBACK_FAILED are let through, as tasknet has no
/// continue-update-rollback.
fn updatable(status: StackStatus) -> bool {
    !(status == StackStatus::RollbackComplete
        || status.as_str().ends_with("_FAILED")
            && status != StackStatus::UpdateRollbackFailed
            && status != StackStatus::CreateFailed)
}

/// Which capability the template's IAM resources need, if any (AWS doc:
/// "Acknowledging IAM resources in CloudFormation templates"). Named IAM
/// resources need CAPABILITY_NAMED_IAM; the property list is inferred.
pub(crate) fn required_capability(template: &cfn::template::Template) -> Option<&'static str> {
    let mut need = None;
    for r in template.resources.values() {
        if !r.type_name.starts_with("AWS::IAM::") {
            continue;
        }
        let named = ["RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"]
            .iter()
            .any(|p| r.properties.as_ref().and_then(|x| x.get(p)).is_some());
        if named {
            return Some("CAPABILITY_NAMED_IAM");
        }
        need = Some("CAPABILITY_IAM");
    }
    need
}

/// The template (for its IAM resources, policies and output descriptions)
/// and its Description. Unreadable templates are reported by the analysis.
fn read_template(path: &std::path::Path) -> Option<(cfn::template::Template, Option<String>)> {
    let bytes = std::fs::read(path).ok()?;
    let root = cfn::load::load_bytes(&bytes).ok()?;
    let description = root.get("Description").and_then(cfn::Node::scalar_string);
    Some((cfn::template::Template::from_node(&root, Some(path.to_path_buf())).0, description))
}

/// What deploying `input` would do, without doing it: the analysis of the
/// change set (findings and the account after it). When the stack exists,
/// its resources are kept, updated or replaced as an update would, so
/// `plan` after a `deploy` does not report the stack conflicting with itself.
pub fn preview(a: &Account, input: &StackInput) -> Result<crate::Analysis, InputError> {
    let existing = find_stack(a, &input.stack_name).filter(|s| s.stack_status != StackStatus::ReviewInProgress);
    let Some(stack) = existing else {
        return crate::analyze(input, a);
    };
    let input = StackInput { stack_id: Some(stack.stack_id.clone()), ..input.clone() };
    let mut quiet = events::Quiet;
    let mut walk = Walk::new(false, &stack.stack_id, stack.resources.clone(), &mut quiet);
    let mut analysis = analyze_with(&input, a.clone(), &mut walk)?;
    for r in &mut analysis.plan.resources {
        r.action = match walk.changes.iter().find(|c| c.logical_resource_id == r.logical_id) {
            Some(c) if c.replacement.as_deref() == Some("True") => "Replace".into(),
            Some(c) => c.action.clone(),
            None => "Keep".into(),
        };
    }
    for old in stack.resources.iter().filter(|r| !walk.seen.contains(&r.logical_resource_id)) {
        analysis.plan.resources.push(crate::PlannedResource {
            action: "Remove".into(),
            logical_id: old.logical_resource_id.clone(),
            resource_type: old.resource_type.clone(),
            physical_id: old.physical_resource_id.clone().unwrap_or_default(),
            details: Vec::new(),
        });
    }
    Ok(analysis)
}

/// `deploy`: creates the stack, or updates it when it exists.
pub fn deploy(
    a: &mut Account,
    input: &StackInput,
    opts: &DeployOptions,
    observer: &mut dyn Observer,
) -> Result<Outcome, EngineError> {
    run(a, input, opts, observer, None)
}

/// `deploy`, or the rest of an execution already started.
fn run(
    a: &mut Account,
    input: &StackInput,
    opts: &DeployOptions,
    observer: &mut dyn Observer,
    started: Option<&Started<'_>>,
) -> Result<Outcome, EngineError> {
    let existing = find_stack(a, &input.stack_name).cloned();
    if let Some(req) = opts.change_set.as_ref().filter(|_| started.is_none()) {
        check_change_set_type(existing.as_ref(), req, &input.stack_name)?;
    }
    if let Some(s) = existing.as_ref().filter(|_| started.is_none()) {
        if s.in_progress() || !updatable(s.stack_status) {
            // AWS's text for an UpdateStack/CreateChangeSet on a stack it cannot update.
            return Err(EngineError::Validation {
                operation: "CreateChangeSet",
                message: format!("Stack:{} is in {} state and can not be updated.", s.stack_id, s.stack_status),
            });
        }
    }
    let live = existing.as_ref().is_some_and(|s| s.stack_status != StackStatus::ReviewInProgress);
    let creating = started.map_or(!live, |s| s.creating);
    let (template, description) = match read_template(&input.template_path) {
        Some((t, d)) => (Some(t), d),
        None => (None, None),
    };
    if let Some(cap) = template.as_ref().and_then(required_capability) {
        let ok = opts.capabilities.iter().any(|c| c == cap || (cap == "CAPABILITY_IAM" && c == "CAPABILITY_NAMED_IAM"));
        if !ok {
            return Err(EngineError::InsufficientCapabilities(cap.to_string()));
        }
    }
    let stack_id = match &existing {
        Some(s) => s.stack_id.clone(),
        None => {
            let uuid = account::ids::uuid(a.next_words(&input.stack_name));
            format!("arn:aws:cloudformation:{}:{}:stack/{}/{uuid}", a.region, a.account_id, input.stack_name)
        }
    };
    let input = StackInput { stack_id: Some(stack_id.clone()), ..input.clone() };
    let previous = existing.as_ref().map(|s| s.resources.clone()).unwrap_or_default();

    // The change set: the walk on a scratch copy.
    let mut quiet = events::Quiet;
    let mut preview = Walk::new(false, &stack_id, previous.clone(), &mut quiet);
    let analysis = analyze_with(&input, a.clone(), &mut preview)?;
    let blocking: Vec<&Diagnostic> = analysis.diagnostics.iter().filter(|d| fails_change_set(d)).collect();
    if let Some(first) = blocking.first() {
        return Err(EngineError::ChangeSetFailed {
            reason: first.message.clone(),
            diagnostics: analysis.diagnostics.clone(),
            sources: analysis.sources.clone(),
        });
    }
    let mut errors = BTreeMap::new();
    for d in analysis.diagnostics.iter().filter(|d| d.is_error()) {
        if let Some(id) = &d.resource {
            errors.entry(id.clone()).or_insert_with(|| d.message.clone());
        }
    }
    let mut change_list = preview.changes.clone();
    for r in &previous {
        if !preview.seen.contains(&r.logical_resource_id) {
            change_list.push(changes::add_or_remove(
                "Remove",
                &r.logical_resource_id,
                r.physical_resource_id.as_deref(),
                &r.resource_type,
            ));
        }
    }
    let outputs_of = |plan: &crate::Plan| -> Vec<StackOutput> {
        plan.outputs
            .iter()
            .map(|o| StackOutput {
                output_key: o.name.clone(),
                output_value: o.value.clone(),
                description: template.as_ref().and_then(|t| t.outputs.get(&o.name)).and_then(|d| d.description.clone()),
                export_name: o.export.clone(),
            })
            .collect()
    };
    // With no resource changes the preview's outputs are the real ones.
    let mut preview_outputs = outputs_of(&analysis.plan);
    if let Some(s) = a.stacks.get(&stack_id) {
        custom::mask_outputs(&s.resources, &mut preview_outputs);
    }
    let new_params: BTreeMap<String, String> = analysis.plan.parameters.iter().cloned().collect();
    let empty = live
        && started.is_none()
        && existing
            .as_ref()
            .is_some_and(|s| change_list.is_empty() && s.outputs == preview_outputs && s.parameters == new_params);
    let now = a.clock_ms;
    if let Some(started) = started {
        execute::mark_executing(a, &stack_id, started.change_set_id);
    } else {
        // The aws CLI's deploy names its change sets `samcli-deploy<epoch seconds>`.
        let name = opts.change_set.as_ref().map_or_else(|| format!("samcli-deploy{}", now / 1000), |r| r.name.clone());
        change_set::make_room(a, &stack_id, &name);
        let change_set_uuid = account::ids::uuid(a.next_words("changeset"));
        let mut change_set = ChangeSet {
            change_set_id: format!(
                "arn:aws:cloudformation:{}:{}:changeSet/{name}/{change_set_uuid}",
                a.region, a.account_id
            ),
            change_set_name: name,
            change_set_type: if live { "UPDATE" } else { "CREATE" }.into(),
            status: "CREATE_COMPLETE".into(),
            execution_status: if opts.execute { "EXECUTE_COMPLETE" } else { "AVAILABLE" }.into(),
            status_reason: None,
            creation_time: now,
            changes: change_list,
            description: opts.change_set.as_ref().and_then(|r| r.description.clone()),
            template_path: Some(input.template_path.display().to_string()),
            parameters: new_params.clone(),
            capabilities: opts.capabilities.clone(),
            custom_attributes: input.custom_attributes.clone(),
            allow_deprecated_runtimes: input.allow_deprecated_runtimes,
            tags: opts.change_set.as_ref().map(|r| r.tags.clone()).unwrap_or_default(),
        };
        if empty {
            // A client's change set is kept, FAILED, as AWS keeps it (`tasknet
            // deploy` and UpdateStack have nothing to show it to).
            if opts.change_set.as_ref().is_some_and(|r| !r.direct) {
                change_set.status = "FAILED".into();
                change_set.execution_status = "UNAVAILABLE".into();
                change_set.status_reason = Some(NO_CHANGES.into());
                if let Some(s) = a.stacks.get_mut(&stack_id) {
                    s.change_sets.push(change_set);
                }
            }
            return Ok(Outcome::NoChanges { stack_id });
        }
        let change_set = change_set;
        push_change_set(a, &stack_id, &input.stack_name, description.clone(), change_set.clone(), opts, observer);
        if !opts.execute {
            return Ok(Outcome::ChangeSetCreated(Box::new(change_set)));
        }
    }

    // Execute: the same walk on the real account.
    {
        let s = a.stacks.get_mut(&stack_id).ok_or_else(|| EngineError::Validation {
            operation: "ExecuteChangeSet",
            message: format!("Stack with id {} does not exist", input.stack_name),
        })?;
        s.operation_pid = Some(std::process::id());
        s.disable_rollback = opts.disable_rollback;
        s.capabilities = opts.capabilities.clone();
        s.description = description;
        s.template_path = Some(input.template_path.display().to_string());
        s.template_body = std::fs::read_to_string(&input.template_path).unwrap_or_default();
        s.previous_resources = previous.clone();
        s.previous_outputs = s.outputs.clone();
        s.previous_parameters = s.parameters.clone();
        s.parameters = new_params;
        if !creating {
            s.last_updated_time = Some(now);
        }
    }
    if started.is_none() {
        events::stack_status(
            a,
            observer,
            &stack_id,
            if creating { StackStatus::CreateInProgress } else { StackStatus::UpdateInProgress },
            Some("User Initiated"),
        );
    }
    observer.checkpoint(a);
    let mut exec = Walk::new(true, &stack_id, previous.clone(), observer);
    exec.errors = errors;
    exec.service_timeout_ms = opts.service_timeout_ms;
    exec.opts = DeployOptions { change_set: None, ..opts.clone() };
    let params_now = a.stacks.get(&stack_id).map(|s| s.parameters.clone()).unwrap_or_default();
    exec.creation_policies = template.as_ref().map(|t| walk::creation_policies(t, &params_now)).unwrap_or_default();
    exec.deletion_policies = template.as_ref().map(walk::deletion_policies).unwrap_or_default();
    let result = analyze_with(&input, lend(a), &mut exec)?;
    let mut new_outputs = outputs_of(&result.plan);
    *a = result.plan.account;
    if let Some(s) = a.stacks.get(&stack_id) {
        custom::mask_outputs(&s.resources, &mut new_outputs);
    }
    let imports: Vec<String> = result.plan.imports.clone();
    let failed = exec.failed.clone();
    let (updated, replaced, seen) = (exec.updated.clone(), exec.replaced.clone(), exec.seen.clone());
    drop(exec);
    let failed = failed.or_else(|| export_in_use(a, &stack_id, &new_outputs));
    let outcome = match failed {
        Some((logical, _)) => finish_failed(a, observer, &stack_id, creating, &logical, opts, &previous, &updated),
        None => {
            if let Some(s) = a.stacks.get_mut(&stack_id) {
                s.outputs = new_outputs;
                s.imports = imports;
            }
            sync_exports(a, &stack_id);
            if creating {
                events::stack_status(a, observer, &stack_id, StackStatus::CreateComplete, None);
            } else {
                events::stack_status(a, observer, &stack_id, StackStatus::UpdateCompleteCleanupInProgress, None);
                let mut gone: Vec<_> =
                    previous.iter().filter(|r| !seen.contains(&r.logical_resource_id)).cloned().collect();
                gone.extend(replaced);
                gone.sort_by_key(|r| previous.iter().position(|p| p.logical_resource_id == r.logical_resource_id));
                teardown::delete_all(a, observer, &stack_id, &gone);
                if let Some(s) = a.stacks.get_mut(&stack_id) {
                    s.resources.retain(|r| seen.contains(&r.logical_resource_id));
                }
                events::stack_status(a, observer, &stack_id, StackStatus::UpdateComplete, None);
            }
            let status = a.stacks.get(&stack_id).map(|s| s.stack_status.to_string()).unwrap_or_default();
            Outcome::Complete { stack_id: stack_id.clone(), status }
        }
    };
    if let Some(started) = started {
        execute::mark_executed(a, &stack_id, started.change_set_id, matches!(outcome, Outcome::Complete { .. }));
    }
    if let Some(s) = a.stacks.get_mut(&stack_id) {
        s.operation_pid = None;
        s.previous_resources.clear();
    }
    observer.checkpoint(a);
    Ok(outcome)
}

/// Takes the account out of `a` for the walk (which gives it back), leaving
/// an empty stand-in: cheaper than `mem::take`, which builds a default account.
pub(crate) fn lend(a: &mut Account) -> Account {
    std::mem::replace(a, Account::empty("", ""))
}

/// Fails an update that would remove or change an export another stack imports.
fn export_in_use(a: &Account, stack_id: &str, new_outputs: &[StackOutput]) -> Option<(String, String)> {
    let stack = a.stacks.get(stack_id)?;
    for old in &stack.outputs {
        let Some(name) = &old.export_name else { continue };
        let same =
            new_outputs.iter().any(|o| o.export_name.as_ref() == Some(name) && o.output_value == old.output_value);
        if same {
            continue;
        }
        let users = importers_of(a, stack_id, name);
        if !users.is_empty() {
            // Facts: "Export NAME cannot be updated as it is in use by STACK".
            return Some((
                stack.stack_name.clone(),
                format!("Export {name} cannot be updated as it is in use by {}", users.join(" and ")),
            ));
        }
    }
    None
}

/// The names of live stacks other than `stack_id` importing `export`.
fn importers_of(a: &Account, stack_id: &str, export: &str) -> Vec<String> {
    a.stacks
        .values()
        .filter(|s| {
            s.stack_id != stack_id
                && s.stack_status != StackStatus::DeleteComplete
                && s.imports.iter().any(|i| i == export)
        })
        .map(|s| s.stack_name.clone())
        .collect()
}

/// Makes the account's exports match the stack's outputs.
fn sync_exports(a: &mut Account, stack_id: &str) {
    let Some(stack) = a.stacks.get(stack_id) else { return };
    let keep: Vec<(String, String)> =
        stack.outputs.iter().filter_map(|o| o.export_name.clone().map(|n| (n, o.output_value.clone()))).collect();
    let name = stack.stack_name.clone();
    a.exports.retain(|_, e| e.exporting_stack_id != stack_id || keep.iter().any(|(n, _)| *n == e.name));
    for (n, v) in keep {
        a.put_export(account::Export {
            name: n,
            value: v,
            exporting_stack_id: stack_id.to_string(),
            exporting_stack_name: name.clone(),
        });
    }
}

/// After a failed create or update: roll back (unless disabled) and say how it ended.
#[allow(clippy::too_many_arguments)]
fn finish_failed(
    a: &mut Account,
    observer: &mut dyn Observer,
    stack_id: &str,
    creating: bool,
    logical: &str,
    opts: &DeployOptions,
    previous: &[account::StackResource],
    updated: &[String],
) -> Outcome {
    // Facts: "The following resource(s) failed to create: [A, B]. Rollback requested by user."
    // The resource's own reason is on its event, not the stack's.
    let verb = if creating { "create" } else { "update" };
    let stack_reason = if opts.disable_rollback {
        format!("The following resource(s) failed to {verb}: [{logical}]. ")
    } else {
        format!("The following resource(s) failed to {verb}: [{logical}]. Rollback requested by user.")
    };
    // Exports the failed operation may have written are put back as they were.
    sync_exports(a, stack_id);
    if creating {
        if opts.disable_rollback {
            events::stack_status(a, observer, stack_id, StackStatus::CreateFailed, Some(&stack_reason));
        } else {
            events::stack_status(a, observer, stack_id, StackStatus::RollbackInProgress, Some(&stack_reason));
            rollback_create(a, observer, stack_id);
        }
    } else {
        events::stack_status(a, observer, stack_id, StackStatus::UpdateRollbackInProgress, Some(&stack_reason));
        rollback_update(a, observer, stack_id, previous, updated, opts.service_timeout_ms);
    }
    let status = a.stacks.get(stack_id).map(|s| s.stack_status.to_string()).unwrap_or_default();
    Outcome::Failed { stack_id: stack_id.to_string(), status, reason: stack_reason }
}

/// Deletes what a failed create made; ROLLBACK_COMPLETE (or ROLLBACK_FAILED).
fn rollback_create(a: &mut Account, observer: &mut dyn Observer, stack_id: &str) {
    let resources = a.stacks.get(stack_id).map(|s| s.resources.clone()).unwrap_or_default();
    let failed = teardown::delete_all(a, observer, stack_id, &resources);
    if let Some(s) = a.stacks.get_mut(stack_id) {
        s.outputs.clear();
    }
    a.exports.retain(|_, e| e.exporting_stack_id != stack_id);
    if failed.is_empty() {
        events::stack_status(a, observer, stack_id, StackStatus::RollbackComplete, None);
    } else {
        let reason = format!("The following resource(s) failed to delete: [{}]. ", failed.join(", "));
        events::stack_status(a, observer, stack_id, StackStatus::RollbackFailed, Some(&reason));
    }
}

/// Puts an update back: reverts in-place updates, then deletes what the
/// update added or created as replacements; UPDATE_ROLLBACK_COMPLETE.
fn rollback_update(
    a: &mut Account,
    observer: &mut dyn Observer,
    stack_id: &str,
    previous: &[account::StackResource],
    updated: &[String],
    service_timeout_ms: u64,
) {
    let failed = teardown::revert_updates(a, observer, stack_id, previous, updated, service_timeout_ms);
    if !failed.is_empty() {
        let reason = format!("The following resource(s) failed to update: [{}]. ", failed.join(", "));
        events::stack_status(a, observer, stack_id, StackStatus::UpdateRollbackFailed, Some(&reason));
        return;
    }
    events::stack_status(a, observer, stack_id, StackStatus::UpdateRollbackCompleteCleanupInProgress, None);
    let current = a.stacks.get(stack_id).map(|s| s.resources.clone()).unwrap_or_default();
    let new_ones: Vec<_> = current
        .iter()
        .filter(|r| {
            r.physical_resource_id.is_some()
                && !previous.iter().any(|p| {
                    p.logical_resource_id == r.logical_resource_id && p.physical_resource_id == r.physical_resource_id
                })
        })
        .cloned()
        .collect();
    teardown::delete_all(a, observer, stack_id, &new_ones);
    if let Some(s) = a.stacks.get_mut(stack_id) {
        s.resources = previous.to_vec();
        s.outputs = s.previous_outputs.clone();
        s.parameters = s.previous_parameters.clone();
    }
    sync_exports(a, stack_id);
    events::stack_status(a, observer, stack_id, StackStatus::UpdateRollbackComplete, None);
}

/// Brings stacks whose operation's process died (kill, crash) to a defined
/// status, as CloudFormation would had the operation failed: a create is
/// rolled back, an update rolled back, a delete finished. Call it only while
/// holding the store's lock, and only when no live process owns a stack in
/// progress (else [`repair_stopped`]).
pub fn repair(a: &mut Account, observer: &mut dyn Observer) -> Vec<String> {
    repair_stopped(a, observer, &|_| false)
}

/// [`repair`] of the stacks whose operation's process is not `alive`: an
/// operation that waits in real time lets go of the store's lock meanwhile,
/// so a stack in progress is not always a dead process's. A stack with no
/// recorded process is repaired.
pub fn repair_stopped(a: &mut Account, observer: &mut dyn Observer, alive: &dyn Fn(u32) -> bool) -> Vec<String> {
    let stuck: Vec<Stack> =
        a.stacks.values().filter(|s| s.in_progress() && !s.operation_pid.is_some_and(alive)).cloned().collect();
    let mut repaired = Vec::new();
    for s in stuck {
        let pid = s.operation_pid.map_or_else(|| "unknown".to_string(), |p| p.to_string());
        // The repair is this process's operation now: should its waits let go
        // of the lock, the next command must not take the stack for a dead one's.
        if let Some(x) = a.stacks.get_mut(&s.stack_id) {
            x.operation_pid = Some(std::process::id());
        }
        // tasknet's own words: AWS has no such case.
        let why = format!("tasknet: the process running this operation (pid {pid}) stopped before it finished");
        match s.stack_status {
            StackStatus::CreateInProgress | StackStatus::RollbackInProgress => {
                events::stack_status(a, observer, &s.stack_id, StackStatus::RollbackInProgress, Some(&why));
                rollback_create(a, observer, &s.stack_id);
            }
            StackStatus::UpdateInProgress
            | StackStatus::UpdateRollbackInProgress
            | StackStatus::UpdateRollbackCompleteCleanupInProgress => {
                events::stack_status(a, observer, &s.stack_id, StackStatus::UpdateRollbackInProgress, Some(&why));
                let changed: Vec<String> = s
                    .resources
                    .iter()
                    .filter(|r| {
                        s.previous_resources.iter().any(|p| {
                            p.logical_resource_id == r.logical_resource_id
                                && p.physical_resource_id == r.physical_resource_id
                                && p.properties != r.properties
                        })
                    })
                    .map(|r| r.logical_resource_id.clone())
                    .collect();
                rollback_update(a, observer, &s.stack_id, &s.previous_resources, &changed, 180 * 60 * 1000);
            }
            StackStatus::UpdateCompleteCleanupInProgress => {
                let gone: Vec<_> = s
                    .previous_resources
                    .iter()
                    .filter(|p| {
                        !s.resources.iter().any(|r| {
                            r.logical_resource_id == p.logical_resource_id
                                && r.physical_resource_id == p.physical_resource_id
                        })
                    })
                    .cloned()
                    .collect();
                teardown::delete_all(a, observer, &s.stack_id, &gone);
                events::stack_status(a, observer, &s.stack_id, StackStatus::UpdateComplete, None);
            }
            StackStatus::DeleteInProgress => {
                let _ = delete_stack_by_id(a, &s.stack_id, observer, false);
            }
            _ => {
                // REVIEW_IN_PROGRESS (a change set never executed) and the import
                // statuses tasknet never enters: nothing to repair.
                continue;
            }
        }
        if let Some(x) = a.stacks.get_mut(&s.stack_id) {
            x.operation_pid = None;
            x.previous_resources.clear();
        }
        repaired.push(s.stack_name.clone());
    }
    repaired
}
