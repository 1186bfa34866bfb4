//! `GenerateSecretString` of `AWS::SecretsManager::Secret` (AWS doc:
//! "AWS::SecretsManager::Secret GenerateSecretString"): a password from the
//! GetRandomPassword rules, alone, or put at GenerateStringKey into the JSON
//! object SecretStringTemplate.

use super::err;
use crate::password::PasswordRequest;
use crate::{Account, ServiceError};

/// What `GenerateSecretString` asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GenerateSecretString {
    /// The password's rules.
    pub password: PasswordRequest,
    /// A JSON object the password is added to.
    pub secret_string_template: Option<String>,
    /// The key the password is added under.
    pub generate_string_key: Option<String>,
}

impl Account {
    /// The secret string `spec` generates. Texts of the refusals inferred
    /// (AWS documents that both template and key are needed together).
    pub fn generate_secret_string(&mut self, spec: &GenerateSecretString) -> Result<String, ServiceError> {
        let password = self.get_random_password(&spec.password)?;
        match (&spec.secret_string_template, &spec.generate_string_key) {
            (None, None) => Ok(password),
            (Some(template), Some(key)) => {
                let mut doc: serde_json::Value = serde_json::from_str(template).map_err(|_| {
                    err("InvalidParameterException", "SecretStringTemplate must be a valid JSON object.")
                })?;
                let Some(map) = doc.as_object_mut() else {
                    return Err(err("InvalidParameterException", "SecretStringTemplate must be a valid JSON object."));
                };
                map.insert(key.clone(), serde_json::Value::String(password));
                Ok(doc.to_string())
            }
            _ => Err(err(
                "InvalidParameterException",
                "SecretStringTemplate and GenerateStringKey must be specified together.",
            )),
        }
    }
}
