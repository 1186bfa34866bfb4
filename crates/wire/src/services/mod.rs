//! The handlers, one module per service: each a table of the operations
//! tasknet implements (`OPERATIONS`), each handler a thin adapter from the
//! decoded input to the one implementation of the action (`control`,
//! `account`, `stacks` through `runtime`) and from its answer to the
//! output shape (`shapes` builds the Describe documents).

pub mod cloudformation;
pub mod ec2;
pub mod ecs;
pub mod filters;
pub mod input;
pub mod sts;

use crate::dispatch::Operation;
use crate::model::Service;

/// The operations tasknet implements for `service`.
pub fn operations(service: Service) -> &'static [Operation] {
    match service {
        Service::CloudFormation => cloudformation::OPERATIONS,
        Service::Ec2 => ec2::OPERATIONS,
        Service::Ecs => ecs::OPERATIONS,
        Service::Sts => sts::OPERATIONS,
        Service::Elbv2 | Service::AutoScaling | Service::Rds | Service::Ssm | Service::Iam => &[],
    }
}
