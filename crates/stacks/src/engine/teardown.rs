//! Deleting resources: `delete-stack`, the rollback of a failed create, the
//! cleanup phase of an update, and the revert of in-place updates.

use super::custom;
use super::events::{self, Observer};
use super::update::update_in_place;
use crate::planner::{Planner, ResolvedResource};
use account::{Account, StackResource};
use cfn::{Node, Pos};

/// How long one resource's deletion may take on the clock before it counts
/// as failed (tasknet's choice; it covers the 300 s default deregistration delay).
const DELETE_TIMEOUT_MS: u64 = 60 * 60 * 1000;

/// Deletes `resources` in reverse order with events; returns the logical IDs
/// that failed to delete. Resources without a physical ID (never created)
/// and those with `DeletionPolicy: Retain` are skipped as CloudFormation does.
pub fn delete_all(
    a: &mut Account,
    observer: &mut dyn Observer,
    stack_id: &str,
    resources: &[StackResource],
) -> Vec<String> {
    let mut failed = Vec::new();
    for r in resources.iter().rev() {
        // Deleted already (by the rollback of a failed create): nothing is left to delete,
        // and a custom resource's provider must not be sent a second Delete.
        if r.resource_status == "DELETE_COMPLETE" {
            continue;
        }
        let Some(physical) = r.physical_resource_id.as_deref() else {
            if r.resource_status.ends_with("_FAILED") {
                // The failed resource has nothing to delete; CloudFormation still reports it.
                events::resource_status(
                    a,
                    observer,
                    stack_id,
                    &r.logical_resource_id,
                    &r.resource_type,
                    None,
                    "DELETE_COMPLETE",
                    None,
                );
            }
            continue;
        };
        if r.deletion_policy.as_deref() == Some("Retain") {
            events::resource_status(
                a,
                observer,
                stack_id,
                &r.logical_resource_id,
                &r.resource_type,
                Some(physical),
                "DELETE_SKIPPED",
                None,
            );
            continue;
        }
        events::resource_status(
            a,
            observer,
            stack_id,
            &r.logical_resource_id,
            &r.resource_type,
            Some(physical),
            "DELETE_IN_PROGRESS",
            None,
        );
        match delete_one(a, observer, stack_id, r) {
            Ok(()) => events::resource_status(
                a,
                observer,
                stack_id,
                &r.logical_resource_id,
                &r.resource_type,
                Some(physical),
                "DELETE_COMPLETE",
                None,
            ),
            Err(reason) => {
                events::resource_status(
                    a,
                    observer,
                    stack_id,
                    &r.logical_resource_id,
                    &r.resource_type,
                    Some(physical),
                    "DELETE_FAILED",
                    Some(&reason),
                );
                failed.push(r.logical_resource_id.clone());
            }
        }
        observer.checkpoint(a);
    }
    failed
}

/// Deletes one resource and waits until it is gone.
fn delete_one(a: &mut Account, observer: &mut dyn Observer, stack_id: &str, r: &StackResource) -> Result<(), String> {
    if r.resource_type == "AWS::CloudFormation::Stack" {
        let Some(id) = r.physical_resource_id.as_deref() else { return Ok(()) };
        return match super::delete_stack_by_id(a, id, observer, false) {
            Ok(status) if status == "DELETE_COMPLETE" => Ok(()),
            Ok(status) => Err(format!("Nested stack {id} ended in {status}")),
            Err(e) => Err(e.to_string()),
        };
    }
    if let Some(sent) = delete_custom(a, observer, stack_id, r) {
        return sent;
    }
    crate::delete::delete_resource(a, r)?;
    let deadline = a.clock_ms.saturating_add(DELETE_TIMEOUT_MS);
    let done = super::clock::wait_until(observer, a, deadline, |a| crate::delete::deletion_complete(a, r));
    if done {
        Ok(())
    } else {
        // tasknet's own words: AWS's handlers time out with NotStabilized.
        Err(format!(
            "{} {} was not deleted within {} minutes",
            r.resource_type,
            r.physical_resource_id.as_deref().unwrap_or(""),
            DELETE_TIMEOUT_MS / 60_000
        ))
    }
}

/// A custom resource's Delete, sent to its provider (`None`: no provider,
/// so it is forgotten as a plan's record is).
fn delete_custom(
    a: &mut Account,
    observer: &mut dyn Observer,
    stack_id: &str,
    r: &StackResource,
) -> Option<Result<(), String>> {
    if !super::walk_custom::is_custom(&r.resource_type) {
        return None;
    }
    let provider = observer.custom_resources()?;
    let req = custom::Request {
        request_type: custom::RequestType::Delete,
        stack_id,
        logical_id: &r.logical_resource_id,
        resource_type: &r.resource_type,
        properties: &r.properties,
        old_properties: None,
        physical_id: r.physical_resource_id.as_deref(),
    };
    Some(custom::send(provider, a, &req).map(|_| ()).map_err(|f| f.reason))
}

/// The rollback of a custom resource's update: an Update back to the
/// properties it had (`previous`), from the ones it has now.
fn revert_custom(
    a: &mut Account,
    observer: &mut dyn Observer,
    stack_id: &str,
    previous: &StackResource,
) -> Option<Result<(), String>> {
    if !super::walk_custom::is_custom(&previous.resource_type) {
        return None;
    }
    let now = a
        .stacks
        .get(stack_id)?
        .resources
        .iter()
        .find(|r| r.logical_resource_id == previous.logical_resource_id)?
        .properties
        .clone();
    let provider = observer.custom_resources()?;
    let req = custom::Request {
        request_type: custom::RequestType::Update,
        stack_id,
        logical_id: &previous.logical_resource_id,
        resource_type: &previous.resource_type,
        properties: &previous.properties,
        old_properties: Some(&now),
        physical_id: previous.physical_resource_id.as_deref(),
    };
    Some(custom::send(provider, a, &req).map(|_| ()).map_err(|f| f.reason))
}

/// Puts resources updated in place back to their `previous` properties,
/// newest first; returns the logical IDs that could not be reverted.
pub fn revert_updates(
    a: &mut Account,
    observer: &mut dyn Observer,
    stack_id: &str,
    previous: &[StackResource],
    logical_ids: &[String],
    service_timeout_ms: u64,
) -> Vec<String> {
    let mut failed = Vec::new();
    for id in logical_ids.iter().rev() {
        let Some(old) = previous.iter().find(|r| &r.logical_resource_id == id) else { continue };
        let Some(physical) = old.physical_resource_id.clone() else { continue };
        events::resource_status(
            a,
            observer,
            stack_id,
            id,
            &old.resource_type,
            Some(&physical),
            "UPDATE_IN_PROGRESS",
            None,
        );
        let resolved = ResolvedResource {
            logical_id: id.clone(),
            resource_type: old.resource_type.clone(),
            properties: Node::from_json(&old.properties, Pos::default()),
            metadata: None,
            pos: Pos::default(),
        };
        let result = match revert_custom(a, observer, stack_id, old) {
            Some(sent) => sent,
            None => {
                let stack_name = a.stacks.get(stack_id).map(|s| s.stack_name.clone()).unwrap_or_default();
                let pseudo = cfn::resolve::Pseudo::new(&a.account_id, &a.region, &stack_name);
                let mut planner = Planner::new(super::lend(a), pseudo, None);
                let result = update_in_place(&mut planner, &resolved, &physical);
                *a = planner.account;
                result
            }
        };
        let result = result.and_then(|()| {
            super::clock::step(observer, a, super::walk::STEP_MS);
            // A rolled-back service waits for steadiness as its update did; other types wait for nothing here.
            let wait = crate::handlers::kind_of(&old.resource_type).map(|k| k.wait);
            if wait == Some(crate::handlers::Wait::SteadyService) {
                super::walk::wait_for_service(a, observer, &physical, service_timeout_ms)
            } else {
                Ok(())
            }
        });
        match result {
            Ok(()) => {
                if let Some(r) = a
                    .stacks
                    .get_mut(stack_id)
                    .and_then(|s| s.resources.iter_mut().find(|r| &r.logical_resource_id == id))
                {
                    r.properties = old.properties.clone();
                }
                events::resource_status(
                    a,
                    observer,
                    stack_id,
                    id,
                    &old.resource_type,
                    Some(&physical),
                    "UPDATE_COMPLETE",
                    None,
                );
            }
            Err(reason) => {
                events::resource_status(
                    a,
                    observer,
                    stack_id,
                    id,
                    &old.resource_type,
                    Some(&physical),
                    "UPDATE_FAILED",
                    Some(&reason),
                );
                failed.push(id.clone());
            }
        }
        observer.checkpoint(a);
    }
    failed
}
