//! A container definition's `secrets`: the value the agent puts in the
//! container's environment (AWS doc "Pass Secrets Manager secrets through
//! Amazon ECS environment variables", "Pass Systems Manager parameters
//! through Amazon ECS environment variables").
//!
//! `valueFrom` is a Secrets Manager ARN, optionally followed by
//! `:json-key:version-stage:version-id` (each may be empty), or an SSM
//! parameter's ARN, or its name when it is in the task's region.

use crate::{Account, SecretValue, ServiceError};

/// Which service a `valueFrom` is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretSource {
    /// Secrets Manager (`arn:aws:secretsmanager:…`).
    SecretsManager,
    /// SSM Parameter Store (an `arn:aws:ssm:…:parameter/…` ARN, or a name).
    Ssm,
}

/// The service a `valueFrom` names.
pub fn source(value_from: &str) -> SecretSource {
    if value_from.starts_with("arn:") && value_from.split(':').nth(2) == Some("secretsmanager") {
        SecretSource::SecretsManager
    } else {
        SecretSource::Ssm
    }
}

/// A Secrets Manager `valueFrom` without its `:json-key:version-stage:version-id`
/// options: the secret's ARN (`arn:aws:secretsmanager:REGION:ACCT:secret:NAME-XXXXXX`, 7 parts).
pub fn secret_id(value_from: &str) -> &str {
    match value_from.match_indices(':').nth(6) {
        Some((i, _)) => &value_from[..i],
        None => value_from,
    }
}

/// An SSM `valueFrom`'s parameter name (an ARN's part after `:parameter`, else the name itself).
pub fn parameter_name(value_from: &str) -> &str {
    value_from.split_once(":parameter").map_or(value_from, |(_, n)| n)
}

impl Account {
    /// The value the agent fetches for `value_from`, or the service's error.
    pub fn container_secret_value(&self, value_from: &str) -> Result<String, ServiceError> {
        match source(value_from) {
            SecretSource::SecretsManager => {
                let id = secret_id(value_from);
                let options: Vec<&str> = value_from[id.len()..].split(':').skip(1).collect();
                let opt = |i: usize| options.get(i).copied().filter(|s| !s.is_empty());
                let (key, stage, version) = (opt(0), opt(1), opt(2));
                let (_, v) = self.get_secret_value(id, version, if version.is_some() { None } else { stage })?;
                let text = match &v.value {
                    SecretValue::String(s) => s.clone(),
                    SecretValue::Binary(b) => String::from_utf8_lossy(b).into_owned(),
                };
                let Some(key) = key else { return Ok(text) };
                // Unverified: the agent's text for a key the JSON lacks (tasknet's words).
                let missing = || {
                    ServiceError::new(
                        crate::AwsService::SecretsManager,
                        "ResourceNotFoundException",
                        format!("retrieved secret from Secrets Manager did not contain json key {key}"),
                    )
                };
                let doc: serde_json::Value = serde_json::from_str(&text).map_err(|_| missing())?;
                match doc.get(key) {
                    Some(serde_json::Value::String(s)) => Ok(s.clone()),
                    Some(other) if !other.is_null() => Ok(other.to_string()),
                    _ => Err(missing()),
                }
            }
            SecretSource::Ssm => self.ssm_parameter_value(parameter_name(value_from), true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CreateSecret;

    #[test]
    fn values_come_from_either_service_with_json_keys() {
        let mut a = Account::new_default();
        let arn = a
            .create_secret(&CreateSecret {
                name: "app/db".into(),
                value: Some(SecretValue::String(r#"{"password":"pw","port":3306}"#.into())),
                ..Default::default()
            })
            .unwrap()
            .arn;
        assert_eq!(a.container_secret_value(&arn).unwrap(), r#"{"password":"pw","port":3306}"#);
        assert_eq!(a.container_secret_value(&format!("{arn}:password::")).unwrap(), "pw");
        assert_eq!(a.container_secret_value(&format!("{arn}:port::")).unwrap(), "3306");
        assert!(a.container_secret_value(&format!("{arn}:nope::")).is_err());
        assert_eq!(source(&arn), SecretSource::SecretsManager);
        a.put_parameter("/app/level", Some("String"), "debug", false, None).unwrap();
        assert_eq!(a.container_secret_value("/app/level").unwrap(), "debug");
        let parn = a.ssm_parameter_arn("/app/level");
        assert_eq!(source(&parn), SecretSource::Ssm);
        assert_eq!(a.container_secret_value(&parn).unwrap(), "debug");
        assert!(a.container_secret_value("/nope").is_err());
    }
}
