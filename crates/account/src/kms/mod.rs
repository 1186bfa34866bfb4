//! AWS KMS: symmetric keys held in the account, aliases, and real
//! authenticated encryption (AES-256-GCM) for Encrypt, Decrypt and
//! GenerateDataKey. AWS doc: "AWS Key Management Service API Reference".
//!
//! The ciphertext blob is tasknet's own format (AWS's is opaque too):
//! `TNK1`, the 36-character key ID, a 12-byte nonce, then the sealed text.
//! So Decrypt finds the key without a KeyId, as with AWS's symmetric keys.
//! The encryption context is the additional authenticated data, so a wrong
//! context fails as AWS fails it (InvalidCiphertextException).
//!
//! Key material comes from the account's deterministic words like every
//! other generated value: tasknet is a local emulator, and its keys protect
//! nothing; what matters is that a ciphertext opens only with its key.

use crate::{ids, Account, AwsService, ServiceError};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A key's state (`KeyState`), spelled as AWS spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyState {
    /// Usable.
    Enabled,
    /// Turned off by DisableKey or CancelKeyDeletion.
    Disabled,
    /// ScheduleKeyDeletion was called; gone at its deletion date.
    PendingDeletion,
}

impl KeyState {
    /// AWS's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Enabled => "Enabled",
            KeyState::Disabled => "Disabled",
            KeyState::PendingDeletion => "PendingDeletion",
        }
    }
}

/// Who manages a key (`KeyManager`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyManager {
    /// The account's own key.
    #[serde(rename = "CUSTOMER")]
    Customer,
    /// An AWS managed key (`alias/aws/ssm`, `alias/aws/secretsmanager`, …).
    #[serde(rename = "AWS")]
    Aws,
}

impl KeyManager {
    /// AWS's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyManager::Customer => "CUSTOMER",
            KeyManager::Aws => "AWS",
        }
    }
}

/// A KMS key (always `SYMMETRIC_DEFAULT`, `ENCRYPT_DECRYPT`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KmsKey {
    /// The key ID (a UUID).
    pub key_id: String,
    /// `arn:aws:kms:REGION:ACCT:key/ID`.
    pub arn: String,
    /// Its description.
    #[serde(default)]
    pub description: String,
    /// When it was created (clock milliseconds).
    pub creation_date: u64,
    /// Its state.
    pub key_state: KeyState,
    /// When a scheduled deletion happens (clock milliseconds).
    #[serde(default)]
    pub deletion_date: Option<u64>,
    /// Customer or AWS managed.
    pub key_manager: KeyManager,
    /// Automatic rotation (recorded; rotation changes nothing here).
    #[serde(default)]
    pub key_rotation_enabled: bool,
    /// The 256-bit key, hex.
    pub material: String,
    /// Tags, by key.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A KMS alias.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KmsAlias {
    /// `alias/NAME`.
    pub alias_name: String,
    /// `arn:aws:kms:REGION:ACCT:alias/NAME`.
    pub alias_arn: String,
    /// The key it names.
    pub target_key_id: String,
    /// When it was created (clock milliseconds).
    pub creation_date: u64,
}

/// What Encrypt and GenerateDataKey return: the blob and the key's ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    /// The ciphertext blob.
    pub ciphertext_blob: Vec<u8>,
    /// The key's ARN.
    pub key_id: String,
}

/// The blob's marker.
const MAGIC: &[u8; 4] = b"TNK1";
/// A key ID's length (a UUID).
const ID_LEN: usize = 36;
/// One day in milliseconds.
const DAY_MS: u64 = 86_400_000;

fn err(code: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::new(AwsService::Kms, code, message)
}

/// InvalidCiphertextException: AWS answers it with no message (seen:
/// `{"__type":"InvalidCiphertextException"}`).
fn invalid_ciphertext() -> ServiceError {
    err("InvalidCiphertextException", "")
}

/// The encryption context as authenticated data: its pairs in key order.
fn aad(key_id: &str, context: &BTreeMap<String, String>) -> Vec<u8> {
    let mut out = key_id.as_bytes().to_vec();
    for (k, v) in context {
        out.push(0);
        out.extend_from_slice(k.as_bytes());
        out.push(0);
        out.extend_from_slice(v.as_bytes());
    }
    out
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

fn cipher(key: &KmsKey) -> Result<Aes256Gcm, ServiceError> {
    let bytes = hex_decode(&key.material).filter(|b| b.len() == 32);
    let bytes = bytes.ok_or_else(|| err("KMSInternalException", "the key's stored material is damaged"))?;
    Aes256Gcm::new_from_slice(&bytes).map_err(|_| err("KMSInternalException", "the key's stored material is damaged"))
}

/// A key must be enabled for a cryptographic operation. Texts inferred
/// from AWS's form (`KMSInvalidStateException: <ARN> is pending deletion.`).
fn usable(key: &KmsKey) -> Result<(), ServiceError> {
    match key.key_state {
        KeyState::Enabled => Ok(()),
        KeyState::Disabled => Err(err("DisabledException", format!("{} is disabled.", key.arn))),
        KeyState::PendingDeletion => Err(err("KMSInvalidStateException", format!("{} is pending deletion.", key.arn))),
    }
}

impl Account {
    /// The ARN of key `id`.
    fn kms_key_arn(&self, id: &str) -> String {
        format!("arn:aws:kms:{}:{}:key/{id}", self.region, self.account_id)
    }

    /// The ARN of alias `name` (`alias/…`).
    pub fn kms_alias_arn(&self, name: &str) -> String {
        format!("arn:aws:kms:{}:{}:{name}", self.region, self.account_id)
    }

    /// Forgets keys whose scheduled deletion date has passed.
    fn purge_kms_keys(&mut self) {
        let now = self.clock_ms;
        let gone: Vec<String> = self
            .kms_keys
            .values()
            .filter(|k| k.deletion_date.is_some_and(|d| d <= now))
            .map(|k| k.key_id.clone())
            .collect();
        for id in gone {
            self.kms_keys.remove(&id);
            self.kms_aliases.retain(|_, a| a.target_key_id != id);
        }
    }

    fn new_kms_key(&mut self, description: &str, manager: KeyManager) -> KmsKey {
        let key_id = ids::uuid(self.next_words("kms-key"));
        // The material follows from the ID's draw, so a key costs one step of the counter.
        let seed = format!("{}/{key_id}", self.account_id);
        let half = |n: u64| ids::hex_chars(ids::hash_words(&seed, n, "kms-material"), 32);
        let material = format!("{}{}", half(1), half(2));
        let key = KmsKey {
            arn: self.kms_key_arn(&key_id),
            key_id: key_id.clone(),
            description: description.to_string(),
            creation_date: self.clock_ms,
            key_state: KeyState::Enabled,
            deletion_date: None,
            key_manager: manager,
            key_rotation_enabled: manager == KeyManager::Aws,
            material,
            tags: BTreeMap::new(),
        };
        self.kms_keys.insert(key_id, key.clone());
        key
    }

    /// CreateKey (symmetric encryption keys only). AWS doc: "CreateKey".
    pub fn create_key(
        &mut self,
        description: &str,
        key_spec: Option<&str>,
        key_usage: Option<&str>,
        tags: &[(String, String)],
    ) -> Result<KmsKey, ServiceError> {
        if key_spec.is_some_and(|s| s != "SYMMETRIC_DEFAULT") || key_usage.is_some_and(|u| u != "ENCRYPT_DECRYPT") {
            // tasknet's words: AWS would make the key; tasknet has only symmetric ones.
            return Err(err(
                "UnsupportedOperationException",
                "tasknet models only SYMMETRIC_DEFAULT keys for ENCRYPT_DECRYPT.",
            ));
        }
        self.purge_kms_keys();
        let mut key = self.new_kms_key(description, KeyManager::Customer);
        key.tags = tags.iter().cloned().collect();
        self.kms_keys.insert(key.key_id.clone(), key.clone());
        Ok(key)
    }

    /// The key `id` names: a key ID, key ARN, alias name or alias ARN. AWS's
    /// texts (seen): `Key 'arn:…:key/ID' does not exist` and
    /// `Alias arn:…:alias/NAME is not found.`; an ID of no form is
    /// `Invalid keyId ID` (inferred from the form seen in users' reports).
    pub fn kms_key(&self, id: &str) -> Result<&KmsKey, ServiceError> {
        let now = self.clock_ms;
        let live = |k: &&KmsKey| k.deletion_date.is_none_or(|d| d > now);
        let alias_name = match id.strip_prefix("arn:") {
            Some(_) => id.split_once(":alias/").map(|(_, n)| format!("alias/{n}")),
            None => id.starts_with("alias/").then(|| id.to_string()),
        };
        if let Some(name) = alias_name {
            let alias =
                self.kms_aliases.get(&name).filter(|a| self.kms_keys.get(&a.target_key_id).as_ref().is_some_and(live));
            return alias
                .and_then(|a| self.kms_keys.get(&a.target_key_id))
                .ok_or_else(|| err("NotFoundException", format!("Alias {} is not found.", self.kms_alias_arn(&name))));
        }
        let key_id = match id.split_once(":key/") {
            Some((_, k)) if id.starts_with("arn:") => k,
            _ => id,
        };
        if key_id.len() != ID_LEN {
            return Err(err("NotFoundException", format!("Invalid keyId {id}")));
        }
        self.kms_keys
            .get(key_id)
            .filter(live)
            .ok_or_else(|| err("NotFoundException", format!("Key '{}' does not exist", self.kms_key_arn(key_id))))
    }

    /// Like [`Account::kms_key`], but an AWS managed key's alias
    /// (`alias/aws/ssm`, …) names a key AWS makes on first use, as AWS does
    /// (AWS doc: "AWS managed keys": created when a service first uses it).
    pub fn kms_key_for_use(&mut self, id: &str) -> Result<KmsKey, ServiceError> {
        self.purge_kms_keys();
        let name = id.split_once(":alias/").map_or(id.to_string(), |(_, n)| format!("alias/{n}"));
        if let Some(service) = name.strip_prefix("alias/aws/") {
            if !self.kms_aliases.contains_key(&name) {
                let key = self.new_kms_key(
                    &format!("Default key that protects my {service} data when no other key is defined"),
                    KeyManager::Aws,
                );
                self.kms_aliases.insert(
                    name.clone(),
                    KmsAlias {
                        alias_arn: self.kms_alias_arn(&name),
                        alias_name: name.clone(),
                        target_key_id: key.key_id,
                        creation_date: self.clock_ms,
                    },
                );
            }
        }
        self.kms_key(id).cloned()
    }

    /// A key for an encryption: it must exist (AWS managed ones appear) and be enabled.
    fn usable_key(&mut self, id: &str) -> Result<KmsKey, ServiceError> {
        let key = self.kms_key_for_use(id)?;
        usable(&key)?;
        Ok(key)
    }

    /// Encrypt: `plaintext` (1 to 4096 bytes) under key `key_id`.
    pub fn kms_encrypt(
        &mut self,
        key_id: &str,
        plaintext: &[u8],
        context: &BTreeMap<String, String>,
    ) -> Result<Sealed, ServiceError> {
        if plaintext.is_empty() || plaintext.len() > 4096 {
            // AWS doc: "Encrypt": Plaintext is 1 to 4096 bytes. Text: the model's validation form.
            return Err(err(
                "ValidationException",
                "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length between 1 and 4096",
            ));
        }
        let key = self.usable_key(key_id)?;
        let nonce_words = self.next_words("kms-nonce");
        let mut nonce = [0u8; 12];
        nonce[..8].copy_from_slice(&nonce_words[0].to_le_bytes());
        nonce[8..].copy_from_slice(&nonce_words[1].to_le_bytes()[..4]);
        let sealed = cipher(&key)?
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext, aad: &aad(&key.key_id, context) })
            .map_err(|_| err("KMSInternalException", "encryption failed"))?;
        let mut blob = Vec::with_capacity(4 + ID_LEN + 12 + sealed.len());
        blob.extend_from_slice(MAGIC);
        blob.extend_from_slice(key.key_id.as_bytes());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&sealed);
        Ok(Sealed { ciphertext_blob: blob, key_id: key.arn })
    }

    /// Decrypt: the plaintext and the ARN of the key the blob names. With
    /// `key_id`, that key must be the blob's (IncorrectKeyException; text inferred).
    pub fn kms_decrypt(
        &self,
        blob: &[u8],
        key_id: Option<&str>,
        context: &BTreeMap<String, String>,
    ) -> Result<(Vec<u8>, String), ServiceError> {
        if blob.len() < 4 + ID_LEN + 12 + 16 || &blob[..4] != MAGIC {
            return Err(invalid_ciphertext());
        }
        let id = std::str::from_utf8(&blob[4..4 + ID_LEN]).map_err(|_| invalid_ciphertext())?.to_string();
        let key = self.kms_key(&id)?;
        usable(key)?;
        if let Some(asked) = key_id {
            if self.kms_key(asked)?.key_id != key.key_id {
                return Err(err(
                    "IncorrectKeyException",
                    "The key ID in the request does not identify a CMK that can perform this operation.",
                ));
            }
        }
        let nonce = &blob[4 + ID_LEN..4 + ID_LEN + 12];
        let plain = cipher(key)?
            .decrypt(
                Nonce::from_slice(nonce),
                Payload { msg: &blob[4 + ID_LEN + 12..], aad: &aad(&key.key_id, context) },
            )
            .map_err(|_| invalid_ciphertext())?;
        Ok((plain, key.arn.clone()))
    }

    /// GenerateDataKey: a fresh data key and its ciphertext under `key_id`.
    /// AWS doc: "GenerateDataKey": KeySpec AES_256 or AES_128, or NumberOfBytes 1 to 1024.
    pub fn kms_generate_data_key(
        &mut self,
        key_id: &str,
        key_spec: Option<&str>,
        number_of_bytes: Option<i64>,
        context: &BTreeMap<String, String>,
    ) -> Result<(Vec<u8>, Sealed), ServiceError> {
        let n = match (key_spec, number_of_bytes) {
            (Some(_), Some(_)) => {
                // Inferred text.
                return Err(err("ValidationException", "Please specify either number of bytes or key spec."));
            }
            (Some("AES_256"), None) => 32,
            (Some("AES_128"), None) => 16,
            (None, Some(n)) if (1..=1024).contains(&n) => n as usize,
            // Inferred text: AWS requires one of the two.
            _ => return Err(err("ValidationException", "Please specify either number of bytes or key spec.")),
        };
        let mut data = Vec::with_capacity(n);
        while data.len() < n {
            for w in self.next_words("kms-data-key") {
                data.extend_from_slice(&w.to_le_bytes());
            }
        }
        data.truncate(n);
        let sealed = self.kms_encrypt(key_id, &data, context)?;
        Ok((data, sealed))
    }

    /// ScheduleKeyDeletion: 7 to 30 days, default 30 (AWS doc: "ScheduleKeyDeletion").
    pub fn schedule_key_deletion(&mut self, key_id: &str, days: Option<i64>) -> Result<KmsKey, ServiceError> {
        let days = days.unwrap_or(30);
        if !(7..=30).contains(&days) {
            // Inferred text (the model's range).
            return Err(err(
                "ValidationException",
                format!("1 validation error detected: Value '{days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30"),
            ));
        }
        let key = self.kms_key_for_use(key_id)?;
        if key.key_manager == KeyManager::Aws {
            // Inferred text.
            return Err(err(
                "UnsupportedOperationException",
                format!("{} is an AWS managed key and cannot be deleted.", key.arn),
            ));
        }
        if key.key_state == KeyState::PendingDeletion {
            return Err(err("KMSInvalidStateException", format!("{} is pending deletion.", key.arn)));
        }
        let when = self.clock_ms + days as u64 * DAY_MS;
        let k = self.kms_keys.get_mut(&key.key_id).ok_or_else(invalid_ciphertext)?;
        k.key_state = KeyState::PendingDeletion;
        k.deletion_date = Some(when);
        Ok(k.clone())
    }

    /// CancelKeyDeletion: the key comes back disabled (AWS doc: "CancelKeyDeletion").
    pub fn cancel_key_deletion(&mut self, key_id: &str) -> Result<KmsKey, ServiceError> {
        let key = self.kms_key_for_use(key_id)?;
        if key.key_state != KeyState::PendingDeletion {
            // Inferred text.
            return Err(err("KMSInvalidStateException", format!("{} is not pending deletion.", key.arn)));
        }
        let k = self.kms_keys.get_mut(&key.key_id).ok_or_else(invalid_ciphertext)?;
        k.key_state = KeyState::Disabled;
        k.deletion_date = None;
        Ok(k.clone())
    }

    /// EnableKey / DisableKey.
    pub fn set_key_enabled(&mut self, key_id: &str, enabled: bool) -> Result<(), ServiceError> {
        let key = self.kms_key_for_use(key_id)?;
        if key.key_state == KeyState::PendingDeletion {
            return Err(err("KMSInvalidStateException", format!("{} is pending deletion.", key.arn)));
        }
        if let Some(k) = self.kms_keys.get_mut(&key.key_id) {
            k.key_state = if enabled { KeyState::Enabled } else { KeyState::Disabled };
        }
        Ok(())
    }

    /// EnableKeyRotation / DisableKeyRotation (recorded only).
    pub fn set_key_rotation(&mut self, key_id: &str, enabled: bool) -> Result<(), ServiceError> {
        let key = self.kms_key_for_use(key_id)?;
        if key.key_state != KeyState::Enabled {
            return Err(err("KMSInvalidStateException", format!("{} is {}.", key.arn, key.key_state.as_str())));
        }
        if let Some(k) = self.kms_keys.get_mut(&key.key_id) {
            k.key_rotation_enabled = enabled;
        }
        Ok(())
    }

    /// CreateAlias. AWS doc: "CreateAlias": names begin with `alias/`, and
    /// `alias/aws/` is reserved for AWS managed keys.
    pub fn create_alias(&mut self, alias_name: &str, target_key_id: &str) -> Result<(), ServiceError> {
        self.purge_kms_keys();
        if !alias_name.starts_with("alias/") || alias_name.len() <= "alias/".len() {
            // Seen.
            return Err(err(
                "ValidationException",
                "Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
            ));
        }
        if alias_name.starts_with("alias/aws/") {
            // Inferred text.
            return Err(err(
                "NotAuthorizedException",
                "Alias names that begin with alias/aws/ are reserved for AWS managed keys.",
            ));
        }
        if target_key_id.starts_with("alias/") || target_key_id.contains(":alias/") {
            // Inferred text: the target must be a key, not another alias.
            return Err(err("ValidationException", "Aliases must refer to keys. Not aliases"));
        }
        if self.kms_aliases.contains_key(alias_name) {
            // Seen.
            return Err(err(
                "AlreadyExistsException",
                format!("An alias with the name {} already exists", self.kms_alias_arn(alias_name)),
            ));
        }
        let key = self.kms_key(target_key_id)?.key_id.clone();
        self.kms_aliases.insert(
            alias_name.to_string(),
            KmsAlias {
                alias_arn: self.kms_alias_arn(alias_name),
                alias_name: alias_name.to_string(),
                target_key_id: key,
                creation_date: self.clock_ms,
            },
        );
        Ok(())
    }

    /// UpdateAlias: the alias names another key.
    pub fn update_alias(&mut self, alias_name: &str, target_key_id: &str) -> Result<(), ServiceError> {
        let key = self.kms_key(target_key_id)?.key_id.clone();
        let arn = self.kms_alias_arn(alias_name);
        let alias = self
            .kms_aliases
            .get_mut(alias_name)
            .ok_or_else(|| err("NotFoundException", format!("Alias {arn} is not found.")))?;
        alias.target_key_id = key;
        Ok(())
    }

    /// UpdateKeyDescription.
    pub fn update_key_description(&mut self, key_id: &str, description: &str) -> Result<(), ServiceError> {
        let id = self.kms_key(key_id)?.key_id.clone();
        if let Some(k) = self.kms_keys.get_mut(&id) {
            k.description = description.to_string();
        }
        Ok(())
    }

    /// DeleteAlias.
    pub fn delete_alias(&mut self, alias_name: &str) -> Result<(), ServiceError> {
        match self.kms_aliases.remove(alias_name) {
            Some(_) => Ok(()),
            None => Err(err("NotFoundException", format!("Alias {} is not found.", self.kms_alias_arn(alias_name)))),
        }
    }

    /// The live keys, by key ID.
    pub fn list_kms_keys(&self) -> Vec<&KmsKey> {
        let now = self.clock_ms;
        self.kms_keys.values().filter(|k| k.deletion_date.is_none_or(|d| d > now)).collect()
    }

    /// The aliases, by name; with `key_id`, only that key's.
    pub fn list_kms_aliases(&self, key_id: Option<&str>) -> Result<Vec<&KmsAlias>, ServiceError> {
        let only = match key_id {
            Some(k) => Some(self.kms_key(k)?.key_id.clone()),
            None => None,
        };
        Ok(self.kms_aliases.values().filter(|a| only.as_ref().is_none_or(|k| &a.target_key_id == k)).collect())
    }
}

#[cfg(test)]
mod tests;
