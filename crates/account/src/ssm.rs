//! SSM Parameter Store's PutParameter, the one SSM action that changes the
//! account (GetParameter is `ssm_parameter`), and SecureString values.
//! AWS doc: "PutParameter" (AWS Systems Manager API Reference); "How AWS
//! Systems Manager Parameter Store uses AWS KMS": a SecureString value is
//! encrypted with the KeyId given, else the AWS managed key `alias/aws/ssm`,
//! with the encryption context `PARAMETER_ARN` = the parameter's ARN.

use crate::{Account, AwsService, ServiceError};
use base64::Engine as _;
use std::collections::BTreeMap;

/// The key a SecureString uses when PutParameter names none.
pub const DEFAULT_SSM_KEY: &str = "alias/aws/ssm";

/// The prefix of AWS's public parameters, which no account owns.
const PUBLIC: &str = "/aws/service/";

impl Account {
    /// A parameter's ARN: the name after `parameter`, a leading `/` dropped. A
    /// public parameter's ARN has no account (as recalled from AWS's output;
    /// unverified here).
    pub fn ssm_parameter_arn(&self, name: &str) -> String {
        let owner = if name.starts_with(PUBLIC) { "" } else { self.account_id.as_str() };
        format!("arn:aws:ssm:{}:{owner}:parameter/{}", self.region, name.trim_start_matches('/'))
    }

    fn ssm_context(&self, name: &str) -> BTreeMap<String, String> {
        BTreeMap::from([("PARAMETER_ARN".to_string(), self.ssm_parameter_arn(name))])
    }

    /// PutParameter: a new parameter at version 1, or with `overwrite` a new
    /// version of an existing one; returns the version. A SecureString's
    /// value is stored encrypted with `key_id` (default `alias/aws/ssm`).
    pub fn put_parameter(
        &mut self,
        name: &str,
        param_type: Option<&str>,
        value: &str,
        overwrite: bool,
        key_id: Option<&str>,
    ) -> Result<u32, ServiceError> {
        let existing = self.ssm_parameter(name).map(|p| p.param_type.clone());
        let param_type = match (param_type, existing.as_deref()) {
            (Some(t @ ("String" | "StringList" | "SecureString")), _) => t.to_string(),
            // Inferred text: SSM's ValidationException for the enum.
            (Some(other), _) => {
                return Err(ServiceError::new(
                    AwsService::Ssm,
                    "ValidationException",
                    format!("1 validation error detected: Value '{other}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]"),
                ))
            }
            (None, Some(t)) => t.to_string(),
            (None, None) => "String".to_string(),
        };
        if existing.is_some() && !overwrite {
            // Seen (SSM's ParameterAlreadyExists).
            return Err(ServiceError::new(
                AwsService::Ssm,
                "ParameterAlreadyExists",
                "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
            ));
        }
        if param_type != "SecureString" {
            if key_id.is_some() {
                // Inferred text: SSM refuses a KeyId on a parameter that is not a SecureString.
                return Err(ServiceError::new(
                    AwsService::Ssm,
                    "ValidationException",
                    "KeyId is required for SecureString type parameter only.",
                ));
            }
            return Ok(self.put_ssm_parameter(name, &param_type, value).version);
        }
        let key = key_id.unwrap_or(DEFAULT_SSM_KEY).to_string();
        let context = self.ssm_context(name);
        // KMS's refusal (a key that does not exist) is SSM's InvalidKeyId (text inferred).
        let sealed = self
            .kms_encrypt(&key, value.as_bytes(), &context)
            .map_err(|e| ServiceError::new(AwsService::Ssm, "InvalidKeyId", format!("{} ({})", e.message, e.code)))?;
        let text = base64::engine::general_purpose::STANDARD.encode(&sealed.ciphertext_blob);
        let version = self.put_ssm_parameter(name, &param_type, &text).version;
        if let Some(p) = self.ssm_parameters.get_mut(name) {
            p.key_id = Some(key);
        }
        Ok(version)
    }

    /// The value of parameter `name` as GetParameter returns it with
    /// `with_decryption` (a SecureString's plaintext) or without (its ciphertext).
    pub fn ssm_parameter_value(&self, name: &str, with_decryption: bool) -> Result<String, ServiceError> {
        let p = self.ssm_parameter(name).ok_or_else(|| ServiceError::new(AwsService::Ssm, "ParameterNotFound", ""))?;
        if p.param_type != "SecureString" || !with_decryption || p.key_id.is_none() {
            return Ok(p.value.clone());
        }
        let blob = base64::engine::general_purpose::STANDARD.decode(&p.value).map_err(|_| {
            ServiceError::new(AwsService::Ssm, "InternalServerError", "the stored ciphertext is damaged")
        })?;
        let (plain, _) = self
            .kms_decrypt(&blob, None, &self.ssm_context(name))
            .map_err(|e| ServiceError::new(AwsService::Ssm, "InvalidKeyId", format!("{} ({})", e.message, e.code)))?;
        String::from_utf8(plain)
            .map_err(|_| ServiceError::new(AwsService::Ssm, "InternalServerError", "the stored value is not text"))
    }
}

#[cfg(test)]
mod tests {
    use crate::Account;

    #[test]
    fn a_second_put_needs_overwrite_and_bumps_the_version() {
        let mut a = Account::default();
        assert_eq!(a.put_parameter("/db/host", None, "h1", false, None), Ok(1));
        let e = a.put_parameter("/db/host", None, "h2", false, None).unwrap_err();
        assert_eq!(e.code, "ParameterAlreadyExists");
        assert_eq!(a.put_parameter("/db/host", None, "h2", true, None), Ok(2));
        assert_eq!(a.ssm_parameter("/db/host").map(|p| p.value.as_str()), Some("h2"));
        assert_eq!(a.put_parameter("/x", Some("Number"), "1", false, None).unwrap_err().code, "ValidationException");
    }

    #[test]
    fn secure_strings_are_stored_encrypted_and_read_back_decrypted() {
        let mut a = Account::default();
        assert_eq!(a.put_parameter("/db/pw", Some("SecureString"), "s3cret", false, None), Ok(1));
        let stored = a.ssm_parameter("/db/pw").expect("stored").clone();
        assert_eq!(stored.key_id.as_deref(), Some("alias/aws/ssm"));
        assert!(!stored.value.contains("s3cret"));
        assert_eq!(a.ssm_parameter_value("/db/pw", false), Ok(stored.value.clone()));
        assert_eq!(a.ssm_parameter_value("/db/pw", true).as_deref(), Ok("s3cret"));
        // With the customer key named, and a key that does not exist.
        let key = a.create_key("", None, None, &[]).expect("key");
        a.put_parameter("/db/pw", None, "two", true, Some(&key.key_id)).expect("v2");
        assert_eq!(a.ssm_parameter_value("/db/pw", true).as_deref(), Ok("two"));
        let e = a.put_parameter("/x", Some("SecureString"), "v", false, Some("alias/none")).unwrap_err();
        assert_eq!(e.code, "InvalidKeyId");
        assert_eq!(
            a.put_parameter("/y", Some("String"), "v", false, Some("alias/aws/ssm")).unwrap_err().code,
            "ValidationException"
        );
        assert_eq!(a.ssm_parameter_value("/plain", true).unwrap_err().code, "ParameterNotFound");
    }
}
