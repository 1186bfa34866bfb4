//! Stack events and statuses: recorded on the stack in the account, and
//! handed to the observer as they happen (so `deploy` can stream them).

use account::{Account, StackEvent};

/// Who watches an operation: gets every event, and a chance to save the
/// account after each step (so a killed process leaves a readable store).
pub trait Observer {
    /// A new stack event.
    fn event(&mut self, _event: &StackEvent) {}
    /// A consistent point: the account may be saved now.
    fn checkpoint(&mut self, _account: &Account) {}
    /// How the operation's waits pass time; `None`: the simulated clock.
    fn clock(&mut self) -> Option<&mut dyn super::clock::Clock> {
        None
    }
    /// Who delivers custom resource requests; `None`: they are recorded
    /// from the user's outputs file instead, without running anything.
    fn custom_resources(&mut self) -> Option<&mut dyn super::custom::Provider> {
        None
    }
}

/// An observer that ignores everything (tests, plans).
pub struct Quiet;

impl Observer for Quiet {}

/// The resource type CloudFormation gives the stack's own events.
pub const STACK_TYPE: &str = "AWS::CloudFormation::Stack";

/// Records an event on the stack `stack_id` and tells the observer.
#[allow(clippy::too_many_arguments)]
pub fn record(
    account: &mut Account,
    observer: &mut dyn Observer,
    stack_id: &str,
    logical_id: &str,
    physical_id: Option<&str>,
    resource_type: &str,
    status: &str,
    reason: Option<&str>,
) {
    let uuid = account::ids::uuid(account.next_words("stack-event"));
    let now = account.clock_ms;
    let Some(stack) = account.stacks.get_mut(stack_id) else {
        return;
    };
    // AWS: resource events' IDs are "LOGICAL-STATUS-TIMESTAMP"-like; the
    // stack's own events are a UUID. A UUID for both keeps them unique.
    let event = StackEvent {
        stack_id: stack_id.to_string(),
        event_id: if logical_id == stack.stack_name { uuid } else { format!("{logical_id}-{uuid}") },
        stack_name: stack.stack_name.clone(),
        logical_resource_id: logical_id.to_string(),
        physical_resource_id: physical_id.map(str::to_string),
        resource_type: resource_type.to_string(),
        timestamp: now,
        resource_status: status.to_string(),
        resource_status_reason: reason.map(str::to_string),
    };
    stack.events.push(event.clone());
    observer.event(&event);
}

/// Sets the stack's status (and reason) and records the stack event.
pub fn stack_status(
    account: &mut Account,
    observer: &mut dyn Observer,
    stack_id: &str,
    status: account::StackStatus,
    reason: Option<&str>,
) {
    let Some(stack) = account.stacks.get_mut(stack_id) else {
        return;
    };
    stack.stack_status = status;
    stack.stack_status_reason = reason.map(str::to_string);
    let name = stack.stack_name.clone();
    record(account, observer, stack_id, &name, Some(stack_id), STACK_TYPE, status.as_str(), reason);
}

/// Sets one resource's status (and reason) on the stack and records its event.
#[allow(clippy::too_many_arguments)]
pub fn resource_status(
    account: &mut Account,
    observer: &mut dyn Observer,
    stack_id: &str,
    logical_id: &str,
    resource_type: &str,
    physical_id: Option<&str>,
    status: &str,
    reason: Option<&str>,
) {
    let now = account.clock_ms;
    if let Some(r) = account
        .stacks
        .get_mut(stack_id)
        // From the end: during a create the resource is the newest record.
        .and_then(|s| s.resources.iter_mut().rev().find(|r| r.logical_resource_id == logical_id))
        // The events of a replaced resource's old copy do not touch the live record.
        .filter(|r| {
            r.physical_resource_id.is_none()
                || physical_id.is_none()
                || r.physical_resource_id.as_deref() == physical_id
        })
    {
        r.resource_status = status.to_string();
        r.resource_status_reason = reason.map(str::to_string);
        r.last_updated_timestamp = now;
        if physical_id.is_some() {
            r.physical_resource_id = physical_id.map(str::to_string);
        }
    }
    record(account, observer, stack_id, logical_id, physical_id, resource_type, status, reason);
}
