//! CreateStack's check of a stack name, with CloudFormation's
//! ValidationError text (AWS doc: "CreateStack", StackName's constraints).

use account::{AwsService, ServiceError};

/// CloudFormation's stack name pattern, as its API states it.
const STACK_NAME_PATTERN: &str = "[a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*";

/// Checks a stack name the way the CloudFormation API does: every violated
/// constraint in one ValidationError, as the service words it.
pub fn check_stack_name(name: &str) -> Result<(), ServiceError> {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let arn = name
        .strip_prefix("arn:")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_alphanumeric() || ":/._+-".contains(c)));
    let at = format!("Value '{name}' at 'stackName' failed to satisfy constraint: Member must");
    let mut problems = Vec::new();
    if !plain && !arn {
        problems.push(format!("{at} satisfy regular expression pattern: {STACK_NAME_PATTERN}"));
    }
    if name.is_empty() {
        problems.push(format!("{at} have length greater than or equal to 1"));
    }
    if name.chars().count() > 128 {
        problems.push(format!("{at} have length less than or equal to 128"));
    }
    let message = match problems.len() {
        0 => return Ok(()),
        1 => format!("1 validation error detected: {}", problems.join("; ")),
        n => format!("{n} validation errors detected: {}", problems.join("; ")),
    };
    Err(ServiceError::new(AwsService::CloudFormation, "ValidationError", message))
}

#[cfg(test)]
mod tests {
    use super::check_stack_name;

    #[test]
    fn stack_names() {
        assert!(check_stack_name("todobackend").is_ok());
        assert!(check_stack_name("a-B-9").is_ok());
        let e = check_stack_name("my_stack").err().map(|e| e.message);
        assert_eq!(
            e.as_deref(),
            Some("1 validation error detected: Value 'my_stack' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*")
        );
        let empty = check_stack_name("").err().map(|e| e.message).unwrap_or_default();
        assert!(
            empty.starts_with("2 validation errors detected: ")
                && empty.ends_with("have length greater than or equal to 1"),
            "{empty}"
        );
        assert!(check_stack_name(&"a".repeat(129)).is_err());
        assert!(check_stack_name("9lives").is_err());
    }
}
