//! AWS Secrets Manager: secrets with versions and staging labels, looked up
//! by name, ARN or partial ARN, deleted with a recovery window. AWS doc:
//! "AWS Secrets Manager API Reference" (CreateSecret, GetSecretValue,
//! PutSecretValue, DescribeSecret, ListSecrets, DeleteSecret, RestoreSecret,
//! UpdateSecret, TagResource, UntagResource).
//!
//! Staging labels move as AWS moves them (AWS doc: "PutSecretValue"): a new
//! version gets AWSCURRENT unless other labels are named; the version that
//! had AWSCURRENT then gets AWSPREVIOUS; a label names one version at a time.
//! Values are kept as given (the KMS key ID is recorded, not used).

pub mod ecs;
mod generate;
mod list;
#[cfg(test)]
mod tests;

pub use generate::GenerateSecretString;
pub use list::SecretFilter;

use crate::{ids, Account, AwsService, ServiceError};
use serde::{Deserialize, Serialize};

/// The label of the current version.
pub const AWSCURRENT: &str = "AWSCURRENT";
/// The label the previous current version gets.
pub const AWSPREVIOUS: &str = "AWSPREVIOUS";
/// One day in milliseconds.
const DAY_MS: u64 = 86_400_000;
/// AWS doc: "Quotas for AWS Secrets Manager": about 100 versions are kept;
/// older versions without labels are removed.
const MAX_VERSIONS: usize = 100;

/// A secret's value: text or bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecretValue {
    /// `SecretString`.
    String(String),
    /// `SecretBinary`.
    Binary(Vec<u8>),
}

/// One version of a secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecretVersion {
    /// Its ID (a UUID, or the ClientRequestToken that made it).
    pub version_id: String,
    /// The value.
    pub value: SecretValue,
    /// Its staging labels.
    pub version_stages: Vec<String>,
    /// When it was made (clock milliseconds).
    pub created_date: u64,
}

/// A secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Secret {
    /// `arn:aws:secretsmanager:REGION:ACCT:secret:NAME-XXXXXX`.
    #[serde(rename = "ARN")]
    pub arn: String,
    /// The name.
    pub name: String,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// The KMS key it is encrypted with, as given (`None`: `aws/secretsmanager`).
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// When it was created (clock milliseconds).
    pub created_date: u64,
    /// When it last changed.
    pub last_changed_date: u64,
    /// When DeleteSecret was called, while it waits out its recovery window.
    #[serde(default)]
    pub deleted_date: Option<u64>,
    /// When it is deleted for good.
    #[serde(default)]
    pub deletion_date: Option<u64>,
    /// Tags in the order given.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
    /// Its versions, oldest first.
    #[serde(default)]
    pub versions: Vec<SecretVersion>,
}

impl Secret {
    /// The version with staging label `stage`.
    pub fn version_with_stage(&self, stage: &str) -> Option<&SecretVersion> {
        self.versions.iter().find(|v| v.version_stages.iter().any(|s| s == stage))
    }

    /// The versions that have labels (`VersionIdsToStages`).
    pub fn labelled_versions(&self) -> impl Iterator<Item = &SecretVersion> {
        self.versions.iter().filter(|v| !v.version_stages.is_empty())
    }
}

/// CreateSecret's request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateSecret {
    /// The name.
    pub name: String,
    /// The description.
    pub description: Option<String>,
    /// The KMS key.
    pub kms_key_id: Option<String>,
    /// The first version's value (`None`: a secret with no version yet).
    pub value: Option<SecretValue>,
    /// The first version's ID.
    pub client_request_token: Option<String>,
    /// Tags.
    pub tags: Vec<(String, String)>,
}

/// What CreateSecret, PutSecretValue and UpdateSecret answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretWritten {
    /// The secret's ARN.
    pub arn: String,
    /// Its name.
    pub name: String,
    /// The version made, if any.
    pub version_id: Option<String>,
    /// That version's labels.
    pub version_stages: Vec<String>,
}

pub(crate) fn err(code: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::new(AwsService::SecretsManager, code, message)
}

/// Seen: `Secrets Manager can't find the specified secret.`
pub fn not_found() -> ServiceError {
    err("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
}

/// Seen: `You can't perform this operation on the secret because it was marked for deletion.`
fn marked_for_deletion() -> ServiceError {
    err("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.")
}

/// Checks a name. AWS doc: "CreateSecret": up to 512 characters of ASCII
/// letters, digits and `/_+=.@-`. The text is inferred.
fn check_name(name: &str) -> Result<(), ServiceError> {
    let ok = !name.is_empty()
        && name.len() <= 512
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_+=.@-".contains(&b));
    match ok {
        true => Ok(()),
        false => Err(err(
            "InvalidParameterException",
            "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!",
        )),
    }
}

/// Checks a ClientRequestToken. AWS doc: "PutSecretValue": 32 to 64 characters. Text inferred.
fn check_token(token: &str) -> Result<(), ServiceError> {
    match (32..=64).contains(&token.len()) {
        true => Ok(()),
        false => Err(err(
            "InvalidParameterException",
            "ClientRequestToken must be at least 32 characters long and at most 64 characters long.",
        )),
    }
}

impl Account {
    /// Forgets secrets whose recovery window has passed.
    fn purge_secrets(&mut self) {
        let now = self.clock_ms;
        self.secrets.retain(|_, s| s.deletion_date.is_none_or(|d| d > now));
    }

    /// The ARN key of the secret `id` names: its full ARN, its name, or a
    /// partial ARN (the ARN without the six random characters). Secrets
    /// scheduled for deletion are found; ones past their window are not.
    fn secret_key(&self, id: &str) -> Option<String> {
        let now = self.clock_ms;
        let live = |s: &&Secret| s.deletion_date.is_none_or(|d| d > now);
        if let Some(s) = self.secrets.get(id).filter(live) {
            return Some(s.arn.clone());
        }
        let prefix = format!("arn:aws:secretsmanager:{}:{}:secret:", self.region, self.account_id);
        let name = id.strip_prefix(&prefix).unwrap_or(id);
        self.secrets.values().filter(live).find(|s| s.name == name).map(|s| s.arn.clone())
    }

    /// The secret `id` names (deleted ones too).
    pub fn secret(&self, id: &str) -> Result<&Secret, ServiceError> {
        self.secret_key(id).and_then(|k| self.secrets.get(&k)).ok_or_else(not_found)
    }

    /// The secret `id` names, which must not be scheduled for deletion.
    fn live_secret_mut(&mut self, id: &str) -> Result<&mut Secret, ServiceError> {
        self.purge_secrets();
        let key = self.secret_key(id).ok_or_else(not_found)?;
        let s = self.secrets.get_mut(&key).ok_or_else(not_found)?;
        match s.deleted_date {
            Some(_) => Err(marked_for_deletion()),
            None => Ok(s),
        }
    }

    /// Six characters of a secret ARN's suffix: AWS's are letters and digits.
    fn secret_suffix(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let [w, _] = self.next_words("secret-suffix");
        (0..6).map(|i| ALPHABET[((w >> (i * 8)) % ALPHABET.len() as u64) as usize] as char).collect()
    }

    /// CreateSecret.
    pub fn create_secret(&mut self, req: &CreateSecret) -> Result<SecretWritten, ServiceError> {
        self.purge_secrets();
        check_name(&req.name)?;
        if let Some(t) = &req.client_request_token {
            check_token(t)?;
        }
        if let Some(existing) = self.secrets.values().find(|s| s.name == req.name) {
            if existing.deleted_date.is_some() {
                // Seen.
                return Err(err(
                    "InvalidRequestException",
                    "You can't create this secret because a secret with this name is already scheduled for deletion.",
                ));
            }
            // A retry with the same token and value is the same request (AWS doc:
            // "CreateSecret", ClientRequestToken); anything else is a second secret.
            let same =
                req.client_request_token.as_ref().and_then(|t| existing.versions.iter().find(|v| &v.version_id == t));
            if let (Some(v), Some(value)) = (same, &req.value) {
                if &v.value == value {
                    return Ok(SecretWritten {
                        arn: existing.arn.clone(),
                        name: existing.name.clone(),
                        version_id: Some(v.version_id.clone()),
                        version_stages: v.version_stages.clone(),
                    });
                }
            }
            // Seen.
            return Err(err(
                "ResourceExistsException",
                format!("The operation failed because the secret {} already exists.", req.name),
            ));
        }
        let suffix = self.secret_suffix();
        let arn = format!("arn:aws:secretsmanager:{}:{}:secret:{}-{suffix}", self.region, self.account_id, req.name);
        let now = self.clock_ms;
        self.secrets.insert(
            arn.clone(),
            Secret {
                arn: arn.clone(),
                name: req.name.clone(),
                description: req.description.clone(),
                kms_key_id: req.kms_key_id.clone(),
                created_date: now,
                last_changed_date: now,
                deleted_date: None,
                deletion_date: None,
                tags: req.tags.clone(),
                versions: Vec::new(),
            },
        );
        match &req.value {
            Some(value) => self.put_secret_value(&arn, value.clone(), req.client_request_token.as_deref(), &[]),
            None => Ok(SecretWritten { arn, name: req.name.clone(), version_id: None, version_stages: Vec::new() }),
        }
    }

    /// GetSecretValue: the version `version_id` and/or `version_stage`
    /// name (AWSCURRENT by default). Texts for a missing version inferred
    /// from AWS's form `… for staging label: AWSCURRENT`.
    pub fn get_secret_value(
        &self,
        id: &str,
        version_id: Option<&str>,
        version_stage: Option<&str>,
    ) -> Result<(&Secret, &SecretVersion), ServiceError> {
        let s = self.secret(id)?;
        if s.deleted_date.is_some() {
            return Err(marked_for_deletion());
        }
        let version = match (version_id, version_stage) {
            (Some(v), stage) => {
                let found = s.versions.iter().find(|x| x.version_id == v).ok_or_else(|| {
                    err(
                        "ResourceNotFoundException",
                        format!("Secrets Manager can't find the specified secret value for VersionId: {v}"),
                    )
                })?;
                if let Some(stage) = stage {
                    if !found.version_stages.iter().any(|x| x == stage) {
                        // Inferred text: both must name the same version.
                        return Err(err(
                            "InvalidRequestException",
                            "You provided a VersionStage that is not associated to the provided VersionId.",
                        ));
                    }
                }
                found
            }
            (None, stage) => {
                let stage = stage.unwrap_or(AWSCURRENT);
                s.version_with_stage(stage).ok_or_else(|| {
                    err(
                        "ResourceNotFoundException",
                        format!("Secrets Manager can't find the specified secret value for staging label: {stage}"),
                    )
                })?
            }
        };
        Ok((s, version))
    }

    /// PutSecretValue: a new version labelled `stages` (AWSCURRENT when
    /// none). A token that names an existing version with the same value
    /// is a retry; with another value it is refused (text inferred).
    pub fn put_secret_value(
        &mut self,
        id: &str,
        value: SecretValue,
        token: Option<&str>,
        stages: &[String],
    ) -> Result<SecretWritten, ServiceError> {
        if let Some(t) = token {
            check_token(t)?;
        }
        let version_id = match token {
            Some(t) => t.to_string(),
            None => ids::uuid(self.next_words("secret-version")),
        };
        let now = self.clock_ms;
        let s = self.live_secret_mut(id)?;
        if let Some(v) = s.versions.iter().find(|v| v.version_id == version_id) {
            if v.value != value {
                return Err(err(
                    "ResourceExistsException",
                    "You can't modify an existing version, you can only create a new version.",
                ));
            }
            return Ok(SecretWritten {
                arn: s.arn.clone(),
                name: s.name.clone(),
                version_id: Some(version_id),
                version_stages: v.version_stages.clone(),
            });
        }
        let stages: Vec<String> = if stages.is_empty() { vec![AWSCURRENT.to_string()] } else { stages.to_vec() };
        let moves_current = stages.iter().any(|x| x == AWSCURRENT);
        let had_current = s.version_with_stage(AWSCURRENT).map(|v| v.version_id.clone());
        for v in &mut s.versions {
            v.version_stages.retain(|x| !stages.contains(x));
        }
        if let (true, Some(prev)) = (moves_current, had_current) {
            for v in &mut s.versions {
                v.version_stages.retain(|x| x != AWSPREVIOUS);
                if v.version_id == prev {
                    v.version_stages.push(AWSPREVIOUS.to_string());
                }
            }
        }
        s.versions.push(SecretVersion {
            version_id: version_id.clone(),
            value,
            version_stages: stages.clone(),
            created_date: now,
        });
        while s.versions.len() > MAX_VERSIONS {
            match s.versions.iter().position(|v| v.version_stages.is_empty()) {
                Some(i) => drop(s.versions.remove(i)),
                None => break,
            }
        }
        s.last_changed_date = now;
        Ok(SecretWritten {
            arn: s.arn.clone(),
            name: s.name.clone(),
            version_id: Some(version_id),
            version_stages: stages,
        })
    }

    /// UpdateSecret: description and KMS key, and with a value a new AWSCURRENT version.
    pub fn update_secret(
        &mut self,
        id: &str,
        description: Option<&str>,
        kms_key_id: Option<&str>,
        value: Option<SecretValue>,
        token: Option<&str>,
    ) -> Result<SecretWritten, ServiceError> {
        let now = self.clock_ms;
        let s = self.live_secret_mut(id)?;
        if let Some(d) = description {
            s.description = Some(d.to_string());
        }
        if let Some(k) = kms_key_id {
            s.kms_key_id = Some(k.to_string());
        }
        s.last_changed_date = now;
        let (arn, name) = (s.arn.clone(), s.name.clone());
        match value {
            Some(v) => self.put_secret_value(&arn, v, token, &[]),
            None => Ok(SecretWritten { arn, name, version_id: None, version_stages: Vec::new() }),
        }
    }

    /// DeleteSecret: scheduled after `recovery_window_in_days` (7 to 30,
    /// default 30), or at once with `force`; returns the ARN, name and
    /// deletion date. AWS doc: "DeleteSecret": a forced deletion of a
    /// secret that does not exist is not an error. Texts for the two
    /// refusals inferred.
    pub fn delete_secret(
        &mut self,
        id: &str,
        recovery_window_in_days: Option<i64>,
        force: bool,
    ) -> Result<(String, String, u64), ServiceError> {
        self.purge_secrets();
        if force && recovery_window_in_days.is_some() {
            return Err(err(
                "InvalidParameterException",
                "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
            ));
        }
        let days = recovery_window_in_days.unwrap_or(30);
        if !force && !(7..=30).contains(&days) {
            return Err(err(
                "InvalidParameterException",
                "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).",
            ));
        }
        let now = self.clock_ms;
        let Some(key) = self.secret_key(id) else {
            return match force {
                true => Ok((String::new(), id.to_string(), now)),
                false => Err(not_found()),
            };
        };
        if force {
            let s = self.secrets.remove(&key).ok_or_else(not_found)?;
            return Ok((s.arn, s.name, now));
        }
        let s = self.secrets.get_mut(&key).ok_or_else(not_found)?;
        if s.deleted_date.is_some() {
            return Err(marked_for_deletion());
        }
        let when = now + days as u64 * DAY_MS;
        s.deleted_date = Some(now);
        s.deletion_date = Some(when);
        Ok((s.arn.clone(), s.name.clone(), when))
    }

    /// RestoreSecret: cancels a scheduled deletion (a secret not scheduled stays as it is).
    pub fn restore_secret(&mut self, id: &str) -> Result<(String, String), ServiceError> {
        self.purge_secrets();
        let key = self.secret_key(id).ok_or_else(not_found)?;
        let s = self.secrets.get_mut(&key).ok_or_else(not_found)?;
        s.deleted_date = None;
        s.deletion_date = None;
        Ok((s.arn.clone(), s.name.clone()))
    }

    /// TagResource: tags added or their values replaced.
    pub fn tag_secret(&mut self, id: &str, tags: &[(String, String)]) -> Result<(), ServiceError> {
        let s = self.live_secret_mut(id)?;
        for (k, v) in tags {
            match s.tags.iter_mut().find(|(x, _)| x == k) {
                Some(t) => t.1 = v.clone(),
                None => s.tags.push((k.clone(), v.clone())),
            }
        }
        Ok(())
    }

    /// UntagResource.
    pub fn untag_secret(&mut self, id: &str, keys: &[String]) -> Result<(), ServiceError> {
        let s = self.live_secret_mut(id)?;
        s.tags.retain(|(k, _)| !keys.contains(k));
        Ok(())
    }
}
