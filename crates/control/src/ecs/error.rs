//! ECS API errors: the exception name (`code`) and AWS's text.
//!
//! AWS doc: "Common Errors" and each action's "Errors" section of the Amazon
//! ECS API Reference. Texts marked seen were found in real output users
//! pasted; the others are marked inferred where they are built.

use super::rule::{Field, Rule};

/// An ECS API error: its type and AWS's text, and for a create-time check
/// which rule refused and which request member it is about (so a template
/// door can point at the property and a wire door can ignore both).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("An error occurred ({code}): {message}")]
pub struct EcsError {
    /// e.g. `InvalidParameterException`, `ClientException`, `ServiceNotFoundException`.
    pub code: String,
    /// AWS's text.
    pub message: String,
    /// The check that refused, when one of the create-time checks did.
    pub rule: Option<Rule>,
    /// The request member the refusal is about.
    pub field: Option<Field>,
}

impl EcsError {
    /// An error of type `code` with `message`.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        EcsError { code: code.to_string(), message: message.into(), rule: None, field: None }
    }

    /// The same error, naming the rule and the request member.
    pub fn about(mut self, rule: Rule, field: Field) -> Self {
        self.rule = Some(rule);
        self.field = Some(field);
        self
    }

    /// `InvalidParameterException` with AWS's text.
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        EcsError::new("InvalidParameterException", message)
    }

    /// `ClientException` with AWS's text.
    pub fn client(message: impl Into<String>) -> Self {
        EcsError::new("ClientException", message)
    }

    /// `ClusterNotFoundException` (seen: `Cluster not found.`).
    pub fn cluster_not_found() -> Self {
        EcsError::new("ClusterNotFoundException", "Cluster not found.")
    }

    /// `ServiceNotFoundException` (seen: `Service not found.`).
    pub fn service_not_found() -> Self {
        EcsError::new("ServiceNotFoundException", "Service not found.")
    }

    /// `ServiceNotActiveException`; the text is inferred (the exception is
    /// documented for UpdateService on a DRAINING or INACTIVE service).
    pub fn service_not_active() -> Self {
        EcsError::new("ServiceNotActiveException", "Service was not ACTIVE.")
    }

    /// `ClientException` for an unknown task definition (seen: `TaskDefinition not found.`).
    pub fn task_definition_not_found() -> Self {
        EcsError::client("TaskDefinition not found.")
    }
}

account::code_message_aws_error!(EcsError, Ecs);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_reads_like_the_cli() {
        let e = EcsError::cluster_not_found();
        assert_eq!(e.to_string(), "An error occurred (ClusterNotFoundException): Cluster not found.");
        assert_eq!(EcsError::service_not_found().code, "ServiceNotFoundException");
        // The wire endpoint's view: AWS's text alone, and ECS's status for it.
        use account::AwsError;
        assert_eq!((e.message(), e.http_status()), ("Cluster not found.".to_string(), 400));
    }
}
