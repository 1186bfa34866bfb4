//! The checks AWS applies across resources at create time (ECS's
//! CreateService and RegisterTaskDefinition, ELBv2's target group checks),
//! run on the planned account after every resource is in place.

mod capacity;
mod ecs;

use crate::planner::Planner;

/// Runs every rule and records the findings in the planner.
pub fn check(p: &mut Planner) {
    ecs::check(p);
    capacity::check(p);
}
