//! The CloudFormation engine's operations run inside a [`Session`]: its
//! progress saved at checkpoints, its events handed to the front door, and
//! its waits on the [`clock`] policy.

use crate::clock;
use crate::session::Session;
use account::{Account, StackEvent};
use stacks::engine::clock::Clock;
use stacks::engine::custom::{Delivery, Provider};
use stacks::engine::events::Observer;
use stacks::engine::execute::{self, Execution};
use stacks::engine::{self, DeployOptions, EngineError, Outcome};
use stacks::StackInput;

/// The engine's host: events to the front door, checkpoints to the store,
/// time by the policy.
struct Host<'s, 'e> {
    session: &'s mut Session,
    on_event: &'e mut dyn FnMut(&StackEvent),
    /// Who runs functions, when anyone does (custom resources are sent to them).
    functions: Option<std::sync::Arc<dyn crate::custom::FunctionHost>>,
    /// Each request's response URL signature, by request ID.
    signatures: std::collections::BTreeMap<String, String>,
}

impl Observer for Host<'_, '_> {
    fn event(&mut self, event: &StackEvent) {
        (self.on_event)(event);
    }

    fn checkpoint(&mut self, account: &Account) {
        self.session.checkpoint(account);
    }

    fn clock(&mut self) -> Option<&mut dyn Clock> {
        Some(self)
    }

    fn custom_resources(&mut self) -> Option<&mut dyn Provider> {
        if self.functions.is_some() {
            Some(self)
        } else {
            None
        }
    }
}

impl Provider for Host<'_, '_> {
    fn response_url(&mut self, a: &Account, stack_id: &str, logical_id: &str, request_id: &str) -> String {
        let signature = crate::custom::random_hex();
        self.signatures.insert(request_id.to_string(), signature.clone());
        let endpoint = self.functions.as_ref().map(|f| f.endpoint_url()).unwrap_or_default();
        account::custom_resources::response_url(&endpoint, &a.region, stack_id, logical_id, request_id, &signature)
    }

    fn deliver(
        &mut self,
        a: &mut Account,
        service_token: &str,
        event: &serde_json::Value,
        request_id: &str,
        deadline_ms: u64,
    ) -> Delivery {
        let Some(functions) = self.functions.clone() else {
            return Delivery::Refused("no function host".into());
        };
        let signature = self.signatures.remove(request_id).unwrap_or_default();
        crate::custom::deliver(
            self.session,
            functions.as_ref(),
            a,
            service_token,
            event,
            request_id,
            &signature,
            deadline_ms,
        )
    }
}

impl Clock for Host<'_, '_> {
    fn wait_until(&mut self, a: &mut Account, deadline_ms: u64, done: &mut dyn FnMut(&Account) -> bool) -> bool {
        clock::wait_until(self.session, a, deadline_ms, done)
    }

    fn step(&mut self, a: &mut Account, ms: u64) {
        clock::step(self.session.dir(), a, ms);
    }
}

/// Runs `f` on the session's account with the host (the account is taken
/// out of the session meanwhile: the engine changes it while the host saves).
fn hosted<T>(
    session: &mut Session,
    on_event: &mut dyn FnMut(&StackEvent),
    f: impl FnOnce(&mut Account, &mut Host<'_, '_>) -> T,
) -> T {
    let mut account = std::mem::take(&mut session.account);
    let result = {
        let functions = session.functions();
        let mut host = Host { session: &mut *session, on_event, functions, signatures: Default::default() };
        f(&mut account, &mut host)
    };
    session.account = account;
    result
}

/// `deploy` of `input` (create, or update when the stack exists), each
/// event handed to `on_event` as it happens. The caller saves the session.
pub fn deploy(
    session: &mut Session,
    input: &StackInput,
    opts: &DeployOptions,
    on_event: &mut dyn FnMut(&StackEvent),
) -> Result<Outcome, EngineError> {
    hosted(session, on_event, |a, host| engine::deploy(a, input, opts, host))
}

/// Refuses a delete of a stack another live process is operating on: the
/// engine takes DELETE_IN_PROGRESS for a dead delete's, to finish; a live
/// one (waiting in real time, the lock let go) is still at it.
fn refuse_live_operation(session: &Session, name_or_id: &str) -> Result<(), EngineError> {
    if let Some(s) = engine::find_stack(&session.account, name_or_id) {
        if s.in_progress() && s.operation_pid.is_some_and(|p| p != std::process::id() && crate::lock::alive(p)) {
            return Err(EngineError::Validation {
                operation: "DeleteStack",
                // The engine's (inferred) text for a stack in progress.
                message: format!("Stack [{}] cannot be deleted while in status {}", s.stack_name, s.stack_status),
            });
        }
    }
    Ok(())
}

/// `delete-stack` of `name_or_id` (`Ok(None)`: there is no such stack). The caller saves the session.
pub fn delete_stack(
    session: &mut Session,
    name_or_id: &str,
    on_event: &mut dyn FnMut(&StackEvent),
) -> Result<Option<Outcome>, EngineError> {
    refuse_live_operation(session, name_or_id)?;
    hosted(session, on_event, |a, host| engine::delete_stack(a, name_or_id, host))
}

/// ExecuteChangeSet's own part ([`execute::start_change_set`]): the stack
/// in progress, the change set running. The caller saves the session.
pub fn start_change_set(
    session: &mut Session,
    stack_name: Option<&str>,
    change_set: &str,
    disable_rollback: Option<bool>,
) -> Result<Execution, EngineError> {
    hosted(session, &mut |_| {}, |a, host| execute::start_change_set(a, stack_name, change_set, disable_rollback, host))
}

/// The rest of an execution [`start_change_set`] began. The caller saves the session.
pub fn execute_started(session: &mut Session, execution: &Execution, service_timeout_ms: u64) -> Outcome {
    hosted(session, &mut |_| {}, |a, host| execute::execute_started(a, execution, service_timeout_ms, host))
}

/// DeleteStack's own part ([`engine::start_delete`]): the stack's ID when
/// its resources are still to go. The caller saves the session.
pub fn start_delete(session: &mut Session, name_or_id: &str) -> Result<Option<String>, EngineError> {
    refuse_live_operation(session, name_or_id)?;
    hosted(session, &mut |_| {}, |a, host| engine::start_delete(a, name_or_id, host))
}

/// The rest of a delete [`start_delete`] began; the final status. The caller saves the session.
pub fn finish_delete(session: &mut Session, stack_id: &str) -> Result<String, EngineError> {
    hosted(session, &mut |_| {}, |a, host| engine::finish_delete(a, stack_id, host))
}

/// Rolls back the stacks in `account` whose operation's process died;
/// their names. Stacks of live processes (waiting in real time, with the
/// lock let go) are theirs.
pub(crate) fn repair(session: &mut Session, account: &mut Account) -> Vec<String> {
    // A repair runs as the account opens, before a front door could hand the
    // session a function host: custom resources of the rolled-back stack are forgotten, not sent Deletes.
    let mut host = Host { session, on_event: &mut |_| {}, functions: None, signatures: Default::default() };
    engine::repair_stopped(account, &mut host, &crate::lock::alive)
}
