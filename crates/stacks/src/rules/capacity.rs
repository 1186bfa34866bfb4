//! What the control plane will run into after the stack is created: tasks
//! that will not fit on the cluster's instances, subnets without the
//! addresses, rolling deployments that cannot make progress. AWS accepts
//! such stacks and then waits (the service never stabilizes), so these are
//! warnings, computed by the control plane's own placement arithmetic.

use crate::planner::Planner;
use cfn::Diagnostic;
use control::ecs::capacity::{capacity_findings, FindingKind};

/// Adds a warning per capacity finding, on the service's declaration.
pub fn check(p: &mut Planner) {
    for f in capacity_findings(&p.account) {
        let Some(id) = p.logical_id_of(&f.service_arn).map(str::to_string) else {
            continue;
        };
        let pos = p.resolved.get(&id).map(|r| r.pos);
        let (code, hint) = match f.kind {
            FindingKind::Placement => ("TN2101", "add instances (the Auto Scaling group's DesiredCapacity), use an instance type with more ENIs or ENI trunking, or lower DesiredCount"),
            FindingKind::Addresses => ("TN2102", "give the service larger subnets, or more of them"),
            FindingKind::Deployment => ("TN2103", "lower MinimumHealthyPercent (e.g. 50) so ECS may stop an old task first, or add room for the extra tasks"),
        };
        let mut d =
            Diagnostic::warning(code, f.message).resource(id.clone()).path(format!("Resources/{id}")).hint(hint);
        if let Some(pos) = pos {
            d = d.at(pos);
        }
        p.report(d);
    }
}
