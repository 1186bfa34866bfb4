//! SSM Parameter Store's PutParameter, the one SSM action that changes the
//! account (GetParameter is `ssm_parameter`). AWS doc: "PutParameter"
//! (AWS Systems Manager API Reference).

use crate::{Account, AwsService, ServiceError};

impl Account {
    /// PutParameter: a new parameter at version 1, or with `overwrite` a new
    /// version of an existing one; returns the version.
    pub fn put_parameter(
        &mut self,
        name: &str,
        param_type: Option<&str>,
        value: &str,
        overwrite: bool,
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
        Ok(self.put_ssm_parameter(name, &param_type, value).version)
    }
}

#[cfg(test)]
mod tests {
    use crate::Account;

    #[test]
    fn a_second_put_needs_overwrite_and_bumps_the_version() {
        let mut a = Account::default();
        assert_eq!(a.put_parameter("/db/host", None, "h1", false), Ok(1));
        let e = a.put_parameter("/db/host", None, "h2", false).unwrap_err();
        assert_eq!(e.code, "ParameterAlreadyExists");
        assert_eq!(a.put_parameter("/db/host", None, "h2", true), Ok(2));
        assert_eq!(a.ssm_parameter("/db/host").map(|p| p.value.as_str()), Some("h2"));
        assert_eq!(a.put_parameter("/x", Some("Number"), "1", false).unwrap_err().code, "ValidationException");
    }
}
