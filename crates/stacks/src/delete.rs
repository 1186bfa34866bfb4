//! Deleting one CloudFormation resource, for `delete-stack`, the rollback
//! of a failed create and the cleanup of an update: the account action of
//! its type on its physical ID (what Ref returned), or — for the
//! sub-resources (rules, entries, associations, attachments, routes) — on
//! the properties it was created with. A resource that is already gone
//! counts as deleted, as CloudFormation skips it; `DeletionPolicy: Retain`
//! leaves it. The error is AWS's text, which becomes the DELETE_FAILED reason.

use account::{Account, StackResource};
use serde_json::Value;

/// A property as text (numbers and booleans too, as CloudFormation passes them).
pub(crate) fn prop(r: &StackResource, name: &str) -> Option<String> {
    match r.properties.get(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string attribute recorded at create time.
pub(crate) fn attr(r: &StackResource, name: &str) -> Option<String> {
    r.attributes.get(name).and_then(Value::as_str).map(str::to_string)
}

/// True for `DeletionPolicy: Retain`: CloudFormation leaves the resource.
fn retained(r: &StackResource) -> bool {
    r.deletion_policy.as_deref() == Some("Retain")
}

/// Starts deleting one resource. Asynchronous deletions (ECS services,
/// Auto Scaling groups, NAT gateways, instances) finish on the control
/// plane's clock: wait for [`deletion_complete`].
pub fn delete_resource(account: &mut Account, r: &StackResource) -> Result<(), String> {
    let Some(id) = r.physical_resource_id.clone() else {
        return Ok(());
    };
    if retained(r) {
        return Ok(());
    }
    match crate::handlers::kind_of(&r.resource_type) {
        Some(k) => (k.delete)(account, r, &id),
        None => crate::handlers::forget(account, r, &id),
    }
}

/// True once an asynchronous deletion has finished (or the resource is gone).
pub fn deletion_complete(account: &Account, r: &StackResource) -> bool {
    let Some(id) = r.physical_resource_id.as_deref() else {
        return true;
    };
    if retained(r) {
        return true;
    }
    crate::handlers::kind_of(&r.resource_type).is_none_or(|k| (k.deleted)(account, r, id))
}

#[cfg(test)]
pub(crate) mod tests;
