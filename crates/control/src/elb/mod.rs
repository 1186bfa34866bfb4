//! The ELBv2 controller: RegisterTargets, DeregisterTargets and
//! DescribeTargetHealth, and target health on the clock (registration,
//! health checks, draining).
//!
//! Files by concept: [`targets`] the actions, [`health`] the health state
//! machine and the data plane's health check reports.

pub mod health;
pub mod targets;

pub use health::{observe_health_check, report_health_check};
pub use targets::{deregister_targets, register_targets};

use crate::clock::Wake;
use account::Account;

/// An ELBv2 API error: its code and AWS's text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("An error occurred ({code}): {message}")]
pub struct ElbError {
    /// e.g. `TargetGroupNotFound`, `InvalidTarget`, `ValidationError`.
    pub code: String,
    /// AWS's text.
    pub message: String,
}

impl ElbError {
    /// `TargetGroupNotFound`. Text seen from DescribeTargetGroups; that the
    /// target actions use the same words is inferred.
    pub fn target_group_not_found() -> Self {
        ElbError { code: "TargetGroupNotFound".into(), message: "One or more target groups not found".into() }
    }

    /// `InvalidTarget` with AWS's text.
    pub fn invalid_target(message: impl Into<String>) -> Self {
        ElbError { code: "InvalidTarget".into(), message: message.into() }
    }

    /// `InvalidTarget` for a target that does not exist or is in another VPC.
    /// Inferred text: the API reference's description of the error.
    pub fn no_such_target() -> Self {
        ElbError::invalid_target("The specified target does not exist, is not in the same VPC as the target group, or has an unsupported instance type.")
    }

    /// `ValidationError` with AWS's text.
    pub fn validation(message: impl Into<String>) -> Self {
        ElbError { code: "ValidationError".into(), message: message.into() }
    }
}

account::code_message_aws_error!(ElbError, Elbv2);

/// Does the ELB work due now; returns when it next has work.
pub fn reconcile(account: &mut Account) -> Wake {
    health::advance_due(account)
}
