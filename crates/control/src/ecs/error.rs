//! ECS API errors: the exception name (`code`) and AWS's text.
//!
//! AWS doc: "Common Errors" and each action's "Errors" section of the Amazon
//! ECS API Reference. Texts marked seen were found in real output users
//! pasted; the others are marked inferred where they are built.

/// An ECS API error: its type and AWS's text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("An error occurred ({code}): {message}")]
pub struct EcsError {
    /// e.g. `InvalidParameterException`, `ClientException`, `ServiceNotFoundException`.
    pub code: String,
    /// AWS's text.
    pub message: String,
}

impl EcsError {
    /// An error of type `code` with `message`.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        EcsError { code: code.to_string(), message: message.into() }
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
