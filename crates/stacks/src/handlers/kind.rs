//! One record per resource type: everything the engine does with a type
//! (create, refresh a kept one's declarations, which property changes
//! replace it, update in place, delete, wait for its deletion, wait after
//! creating it) sits in that type's service file, in its [`Kind`]. The
//! engine finds a type's record by name and calls through it, so adding a
//! type touches one file: its service's `KINDS` list.

use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{Account, StackResource};

/// What CloudFormation waits for after creating or updating a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// Nothing: the create call is the resource.
    Nothing,
    /// The ECS service to reach a steady state.
    SteadyService,
    /// The CreationPolicy's signals (Auto Scaling groups).
    Signals,
}

/// The real resource an in-place update changes and the scratch copy the
/// handler built from the new properties.
pub struct Moved<'a> {
    /// The scratch resource's physical ID.
    pub new_id: &'a str,
    /// The real resource's physical ID (kept).
    pub id: &'a str,
    /// The stack and logical ID of the resource being updated.
    pub declarer: &'a (String, String),
}

/// Carries what may change in place from the scratch copy to the real resource.
pub type Transplant = fn(&mut Account, &Account, &Moved<'_>) -> Result<(), String>;

/// Everything tasknet knows about one resource type.
pub struct Kind {
    /// The CloudFormation type name, e.g. `AWS::EC2::Subnet`.
    pub type_name: &'static str,
    /// Creates it from its resolved properties.
    pub create: fn(&mut Planner, &Props<'_>) -> Planned,
    /// Points a kept resource's rules, routes or entries at where the new template declares them.
    pub refresh: fn(&mut Planner, &Props<'_>, &Planned),
    /// Properties whose change replaces it (the schema's createOnlyProperties; `*`: every one).
    pub replacing: &'static [&'static str],
    /// Updates it in place; `None`: nothing of it is modelled that could change in place.
    pub update: Option<Transplant>,
    /// Starts deleting the resource with this physical ID (already gone is fine).
    pub delete: fn(&mut Account, &StackResource, &str) -> Result<(), String>,
    /// True once its deletion has finished (asynchronous deletions only).
    pub deleted: fn(&Account, &StackResource, &str) -> bool,
    /// What its create waits for.
    pub wait: Wait,
}

fn no_refresh(_: &mut Planner, _: &Props<'_>, _: &Planned) {}

fn at_once(_: &Account, _: &StackResource, _: &str) -> bool {
    true
}

/// A type with the defaults: no declarations to refresh, no property that
/// replaces it (tasknet's assumption where the facts list none; unverified
/// per type), nothing changing in place, deleted at once, nothing to wait for.
pub const fn kind(
    type_name: &'static str,
    create: fn(&mut Planner, &Props<'_>) -> Planned,
    delete: fn(&mut Account, &StackResource, &str) -> Result<(), String>,
) -> Kind {
    Kind {
        type_name,
        create,
        refresh: no_refresh,
        replacing: &[],
        update: None,
        delete,
        deleted: at_once,
        wait: Wait::Nothing,
    }
}

/// EC2's error as CloudFormation's failure reason.
pub fn ec2(res: Result<(), account::Ec2Error>) -> Result<(), String> {
    res.map_err(|e| e.to_string())
}

/// Another service's error as CloudFormation's failure reason.
pub fn svc(res: Result<(), account::ServiceError>) -> Result<(), String> {
    res.map_err(|e| e.to_string())
}
