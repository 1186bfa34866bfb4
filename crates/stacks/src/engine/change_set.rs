//! Change sets as the engine plans them: the request a client names, the
//! checks of its type against the stack, and the record it leaves.

use super::events::{self, Observer};
use super::{DeployOptions, EngineError};
use account::{Account, ChangeSet, Stack, StackStatus};
use std::collections::BTreeMap;

/// A change set a client asked for by name (the API's CreateChangeSet, or
/// the one CreateStack and UpdateStack make behind the scenes).
#[derive(Clone, Debug, Default)]
pub struct ChangeSetRequest {
    /// `ChangeSetName`.
    pub name: String,
    /// `Description`.
    pub description: Option<String>,
    /// `ChangeSetType`: `CREATE` or `UPDATE` (`None`: whichever fits the stack).
    pub change_set_type: Option<String>,
    /// `Tags`: the stack's tags once executed (none: it keeps its own).
    pub tags: account::Tags,
    /// Made by CreateStack or UpdateStack: refusals in those operations'
    /// words, no REVIEW_IN_PROGRESS for a new stack, and the change set is
    /// forgotten once executed.
    pub direct: bool,
}

impl Default for DeployOptions {
    fn default() -> Self {
        DeployOptions {
            capabilities: Vec::new(),
            disable_rollback: false,
            service_timeout_ms: 180 * 60 * 1000,
            execute: true,
            change_set: None,
        }
    }
}

/// A change set whose execution has started ([`execute::start_change_set`]):
/// the stack is in CREATE_IN_PROGRESS or UPDATE_IN_PROGRESS already.
pub(crate) struct Started<'c> {
    /// The change set's ID.
    pub change_set_id: &'c str,
    /// True for a CREATE change set.
    pub creating: bool,
}

/// The text of an empty change set's status reason (seen: what the aws
/// CLI's deploy matches to print "No changes to deploy").
pub const NO_CHANGES: &str =
    "The submitted information didn't contain changes. Submit different information to create a change set.";

/// Refuses a change set of the wrong type for the stack as it is.
pub(super) fn check_change_set_type(
    existing: Option<&Stack>,
    req: &ChangeSetRequest,
    stack_name: &str,
) -> Result<(), EngineError> {
    let live = existing.filter(|s| s.stack_status != StackStatus::ReviewInProgress);
    match (req.change_set_type.as_deref(), live, req.direct) {
        // AWS doc "CreateStack" errors: AlreadyExistsException; seen text "Stack [NAME] already exists".
        (Some("CREATE"), Some(_), true) => Err(EngineError::AlreadyExists {
            operation: "CreateStack",
            message: format!("Stack [{stack_name}] already exists"),
        }),
        // Seen (users' captures of CreateChangeSet with CREATE on a live stack).
        (Some("CREATE"), Some(_), false) => Err(EngineError::Validation {
            operation: "CreateChangeSet",
            message: format!(
                "Stack [{stack_name}] already exists and cannot be created again with the changeSet [{}].",
                req.name
            ),
        }),
        // UpdateStack and an UPDATE change set of a stack that does not exist: the
        // DescribeStacks text (seen on UpdateStack).
        (Some("UPDATE"), None, direct) => Err(EngineError::Validation {
            operation: if direct { "UpdateStack" } else { "CreateChangeSet" },
            message: format!("Stack [{stack_name}] does not exist"),
        }),
        _ => {
            let taken =
                existing.is_some_and(|s| s.change_sets.iter().any(|c| c.change_set_name == req.name && runnable(c)));
            if taken && !req.direct {
                // AWS doc "CreateChangeSet" errors: AlreadyExistsException (text
                // inferred, in the form of the other change set texts).
                return Err(EngineError::AlreadyExists {
                    operation: "CreateChangeSet",
                    message: format!("ChangeSet [{}] already exists", req.name),
                });
            }
            Ok(())
        }
    }
}

/// Records a new change set on its stack, making the stack (REVIEW_IN_PROGRESS) when it is new.
pub(super) fn push_change_set(
    a: &mut Account,
    stack_id: &str,
    stack_name: &str,
    description: Option<String>,
    change_set: ChangeSet,
    opts: &DeployOptions,
    observer: &mut dyn Observer,
) {
    let now = a.clock_ms;
    let new = !a.stacks.contains_key(stack_id);
    let stack_id = stack_id.to_string();
    let stack = a.stacks.entry(stack_id.clone()).or_insert_with(|| Stack {
        stack_id: stack_id.clone(),
        stack_name: stack_name.to_string(),
        description,
        // A change set on a new stack leaves it in REVIEW_IN_PROGRESS.
        stack_status: StackStatus::ReviewInProgress,
        stack_status_reason: None,
        creation_time: now,
        last_updated_time: None,
        deletion_time: None,
        parameters: BTreeMap::new(),
        capabilities: Vec::new(),
        outputs: Vec::new(),
        disable_rollback: false,
        template_path: None,
        template_body: String::new(),
        resources: Vec::new(),
        events: Vec::new(),
        change_sets: Vec::new(),
        imports: Vec::new(),
        parent_id: None,
        operation_pid: None,
        previous_resources: Vec::new(),
        previous_outputs: Vec::new(),
        previous_parameters: BTreeMap::new(),
        tags: Default::default(),
    });
    stack.change_sets.push(change_set);
    // AWS records the new stack's REVIEW_IN_PROGRESS ("User Initiated") when a
    // change set makes it; `tasknet deploy` executes at once and shows none.
    let quiet_review = opts.execute || opts.change_set.as_ref().is_some_and(|r| r.direct);
    if new && !quiet_review {
        events::stack_status(a, observer, &stack_id, StackStatus::ReviewInProgress, Some("User Initiated"));
    }
}

/// Whether a change set can still run or is running (its name is taken).
pub(super) fn runnable(c: &ChangeSet) -> bool {
    c.status != "FAILED" && matches!(c.execution_status.as_str(), "AVAILABLE" | "EXECUTE_IN_PROGRESS")
}

/// Drops the change sets named `name` that can no longer run (FAILED, or
/// executed), so a new one of that name takes their place. The aws CLI names
/// its change sets by the second, so two deploys share a name when tasknet
/// answers both within one second, which AWS's latency never allows
/// (tasknet's choice: AWS's answer to a same-second name is unverified).
pub(super) fn make_room(a: &mut Account, stack_id: &str, name: &str) {
    if let Some(s) = a.stacks.get_mut(stack_id) {
        s.change_sets.retain(|c| c.change_set_name != name || runnable(c));
    }
}
