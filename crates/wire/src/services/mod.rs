//! The handlers, one module per service: each a table of the operations
//! tasknet implements (`OPERATIONS`), each handler a thin adapter from the
//! decoded input to the one implementation of the action (`control`,
//! `account`, `stacks` through `runtime`) and from its answer to the
//! output shape (`shapes` builds the Describe documents).

pub mod acm;
pub mod autoscaling;
pub mod cloudformation;
pub mod ec2;
pub mod ecs;
pub mod elbv2;
pub mod filters;
pub mod iam;
pub mod input;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod pages;
pub mod rds;
pub mod s3;
pub mod secretsmanager;
pub mod ssm;
pub mod sts;

use crate::dispatch::Operation;
use crate::model::Service;

/// The operations tasknet implements for `service`.
pub fn operations(service: Service) -> &'static [Operation] {
    match service {
        Service::CloudFormation => cloudformation::OPERATIONS,
        Service::Ec2 => ec2::OPERATIONS,
        Service::Ecs => ecs::OPERATIONS,
        Service::Elbv2 => elbv2::OPERATIONS,
        Service::AutoScaling => autoscaling::OPERATIONS,
        Service::Rds => rds::OPERATIONS,
        Service::Ssm => ssm::OPERATIONS,
        Service::Sts => sts::OPERATIONS,
        Service::Iam => iam::OPERATIONS,
        Service::Lambda => lambda::OPERATIONS,
        Service::Logs => logs::OPERATIONS,
        Service::SecretsManager => secretsmanager::OPERATIONS,
        Service::Kms => kms::OPERATIONS,
        Service::Acm => acm::OPERATIONS,
    }
}
