//! The ELBv2 controller: RegisterTargets, DeregisterTargets and
//! DescribeTargetHealth, and target health on the clock (registration,
//! health checks, draining).
//!
//! Files by concept: [`create`] the create actions (load balancers, target
//! groups, listeners, rules), [`targets`] the target actions, [`health`] the
//! health state machine and the data plane's health check reports.

pub mod create;
pub mod health;
pub mod modify;
pub mod targets;

pub use create::{
    create_listener, create_load_balancer, create_rule, create_target_group, create_target_group_once, record_listener,
    record_load_balancer, record_rule, CreateListenerRequest, CreateLoadBalancerRequest, CreateRuleRequest,
    CreateTargetGroupRequest, HealthCheckSettings,
};
pub use health::{observe_health_check, report_health_check};
pub use modify::{
    modify_deregistration_delay, modify_listener, modify_rule, modify_target_group, set_security_groups,
    ModifyListenerRequest,
};
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
    /// The request member a create-time refusal is about.
    pub field: Option<ElbField>,
}

/// The request member an ELBv2 refusal is about (the API's member names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ElbField {
    /// `Subnets`, the item when one is at fault.
    Subnets(Option<usize>),
    /// `LoadBalancerArn` (CreateListener).
    LoadBalancerArn,
    /// `ListenerArn` (CreateRule).
    ListenerArn,
    /// A target group of `DefaultActions[index]` / `Actions[index]`.
    ActionTargetGroup(usize),
    /// `Certificates`, the item when one is at fault.
    Certificates(Option<usize>),
}

impl ElbError {
    /// An error of type `code` with `message`.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ElbError { code: code.into(), message: message.into(), field: None }
    }

    /// The same error, naming the request member.
    pub fn at(mut self, field: ElbField) -> Self {
        self.field = Some(field);
        self
    }

    /// `TargetGroupNotFound`. Text seen from DescribeTargetGroups; that the
    /// target actions use the same words is inferred.
    pub fn target_group_not_found() -> Self {
        ElbError::new("TargetGroupNotFound", "One or more target groups not found")
    }

    /// `InvalidTarget` with AWS's text.
    pub fn invalid_target(message: impl Into<String>) -> Self {
        ElbError::new("InvalidTarget", message)
    }

    /// `InvalidTarget` for a target that does not exist or is in another VPC.
    /// Inferred text: the API reference's description of the error.
    pub fn no_such_target() -> Self {
        ElbError::invalid_target("The specified target does not exist, is not in the same VPC as the target group, or has an unsupported instance type.")
    }

    /// `ValidationError` with AWS's text.
    pub fn validation(message: impl Into<String>) -> Self {
        ElbError::new("ValidationError", message)
    }
}

account::code_message_aws_error!(ElbError, Elbv2);

/// Does the ELB work due now; returns when it next has work.
pub fn reconcile(account: &mut Account) -> Wake {
    health::advance_due(account)
}
