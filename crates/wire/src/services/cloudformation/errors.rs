//! The engine's refusals as CloudFormation answers them: the code clients
//! match, AWS's text, the model's status (`ChangeSetNotFound` is 404).

use crate::error::WireError;
use stacks::engine::EngineError;

/// A CloudFormation error `code` with `message`, at the status botocore's
/// model gives it (the account's status table, `account::AwsError`).
pub fn cfn_error(code: &str, message: impl Into<String>) -> WireError {
    WireError::from_aws(&account::ServiceError::new(account::AwsService::CloudFormation, code, message))
}

/// `ValidationError` with `message`.
pub fn validation(message: impl Into<String>) -> WireError {
    cfn_error("ValidationError", message)
}

/// The engine's error as the API's.
pub fn engine(e: &EngineError) -> WireError {
    match e {
        EngineError::Validation { message, .. } => validation(message.clone()),
        // Template and parameter errors refuse the call itself on AWS
        // (CreateChangeSet/CreateStack answer ValidationError at once).
        EngineError::ChangeSetFailed { reason, .. } => validation(reason.clone()),
        EngineError::Input(i) => validation(format!("Template format error: {i}")),
        // AWS doc "CreateChangeSet" errors: InsufficientCapabilitiesException;
        // seen text "Requires capabilities : [CAPABILITY_NAMED_IAM]".
        EngineError::InsufficientCapabilities(cap) => {
            cfn_error("InsufficientCapabilitiesException", format!("Requires capabilities : [{cap}]"))
        }
        EngineError::AlreadyExists { message, .. } => cfn_error("AlreadyExistsException", message.clone()),
        EngineError::ChangeSetNotFound { message, .. } => cfn_error("ChangeSetNotFound", message.clone()),
        EngineError::InvalidChangeSetStatus { message, .. } => cfn_error("InvalidChangeSetStatus", message.clone()),
    }
}
