//! The errors a Describe operation answers with: AWS's code, message and the
//! operation, worded by [`std::fmt::Display`] as the aws CLI prints them.

use account::{AwsError, AwsService};

/// An AWS API error of a Describe operation:
/// `An error occurred (CODE) when calling the OPERATION operation: MESSAGE`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("An error occurred ({code}) when calling the {operation} operation: {message}")]
pub struct ApiError {
    /// The service that answered (it decides the HTTP status).
    pub service: AwsService,
    /// The error code, e.g. `ValidationError`.
    pub code: &'static str,
    /// The API action the document stands for, e.g. `DescribeStacks`.
    pub operation: &'static str,
    /// AWS's text.
    pub message: String,
}

impl AwsError for ApiError {
    fn service(&self) -> AwsService {
        self.service
    }
    fn code(&self) -> &str {
        self.code
    }
    fn message(&self) -> String {
        self.message.clone()
    }
}

/// CloudFormation's answer for a stack it does not know (seen:
/// `ValidationError`, `Stack with id NAME does not exist`, for names and IDs alike).
pub fn stack_not_found(name: &str, operation: &'static str) -> ApiError {
    ApiError {
        service: AwsService::CloudFormation,
        code: "ValidationError",
        operation,
        message: format!("Stack with id {name} does not exist"),
    }
}

/// ECS's answer for an unknown cluster: the ECS actions' own error.
pub fn cluster_not_found(operation: &'static str) -> ApiError {
    let e = control::ecs::EcsError::cluster_not_found();
    ApiError { service: AwsService::Ecs, code: "ClusterNotFoundException", operation, message: e.message }
}

/// ELBv2's answer for an unknown target group: the ELBv2 actions' own error.
pub fn target_group_not_found(operation: &'static str) -> ApiError {
    let e = control::elb::ElbError::target_group_not_found();
    ApiError { service: AwsService::Elbv2, code: "TargetGroupNotFound", operation, message: e.message }
}

#[cfg(test)]
mod tests;
