//! In-place updates ("Update requires: No interruption" in the resource
//! reference). The resource's handler runs on a scratch copy of the account,
//! so the new properties are read exactly as a create would read them; the
//! settings that can change in place are then carried over to the real
//! resource, which keeps its physical ID, through the same actions the
//! API's Modify*/Update*/Set* calls are (no field is written here).

use crate::handlers;
use crate::planner::{Planner, ResolvedResource};
use account::{Account, InertResource};

/// Updates the resource `physical_id` in place to `r`'s properties. An `Err`
/// is the reason the update failed, in AWS's words where AWS has them.
pub fn update_in_place(p: &mut Planner, r: &ResolvedResource, physical_id: &str) -> Result<(), String> {
    let scratch = p.account.clone();
    let real = std::mem::replace(&mut p.account, scratch);
    let errors_before = p.diagnostics.len();
    let planned = handlers::plan(p, r);
    let scratch = std::mem::replace(&mut p.account, real);
    // The handler's findings about the new properties are the update's failure.
    let failure = p.diagnostics[errors_before..]
        .iter()
        .find(|d| d.is_error() && d.resource.as_deref() == Some(r.logical_id.as_str()))
        .map(|d| d.message.clone());
    p.diagnostics.truncate(errors_before);
    if let Some(reason) = failure {
        return Err(reason);
    }
    let declarer = (p.pseudo.stack_name.clone(), r.logical_id.clone());
    transplant(&mut p.account, &scratch, &r.resource_type, &planned.ref_value, physical_id, &declarer)
}

/// Carries what may change in place from the scratch resource `new_id` to
/// the real resource `id`, through the type's own update (the API calls
/// CloudFormation makes); resources without behaviour take the new record.
///
/// `declarer` is the stack and logical ID of the resource being updated.
fn transplant(
    a: &mut Account,
    scratch: &Account,
    resource_type: &str,
    new_id: &str,
    id: &str,
    declarer: &(String, String),
) -> Result<(), String> {
    if let Some(update) = handlers::kind_of(resource_type).and_then(|k| k.update) {
        return update(a, scratch, &handlers::Moved { new_id, id, declarer });
    }
    // Resources without behaviour: their attributes follow the new properties.
    let key = account::inert_key(resource_type, new_id);
    if let Some(new) = scratch.inert.get(&key) {
        let real_key = account::inert_key(resource_type, id);
        let updated = InertResource { physical_id: id.to_string(), ..new.clone() };
        if a.inert.contains_key(&real_key) {
            a.inert.insert(real_key, updated);
        }
    }
    Ok(())
}
