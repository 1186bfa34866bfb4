//! AWS KMS (`TrentService`): thin adapters over the account's KMS actions
//! (`account::kms`). Blobs travel as base64 text (botocore's JSON protocol).

use super::{input, pages};
use crate::dispatch::{read, write, Operation, Read, Write};
use crate::error::WireError;
use account::{Account, KmsKey};
use base64::Engine as _;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// KMS's operations. DescribeKey is a write: naming an AWS managed key's
/// alias (`alias/aws/ssm`) makes that key, as AWS does on first use.
pub const OPERATIONS: &[Operation] = &[
    write("CreateKey", create_key),
    write("DescribeKey", describe_key),
    read("ListKeys", list_keys),
    write("CreateAlias", create_alias),
    read("ListAliases", list_aliases),
    write("DeleteAlias", delete_alias),
    write("Encrypt", encrypt),
    read("Decrypt", decrypt),
    write("GenerateDataKey", generate_data_key),
    write("ScheduleKeyDeletion", schedule_key_deletion),
    write("CancelKeyDeletion", cancel_key_deletion),
    write("EnableKey", enable_key),
    write("DisableKey", disable_key),
    write("EnableKeyRotation", enable_key_rotation),
    write("DisableKeyRotation", disable_key_rotation),
    read("GetKeyRotationStatus", get_key_rotation_status),
];

fn aws(e: account::ServiceError) -> WireError {
    WireError::from_aws(&e)
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn key_id(input: &Value) -> &str {
    input::text(input, "KeyId").unwrap_or_default()
}

fn context(input: &Value) -> BTreeMap<String, String> {
    input
        .get("EncryptionContext")
        .and_then(Value::as_object)
        .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
        .unwrap_or_default()
}

/// A blob member, decoded; botocore always sends valid base64, so a bad one is a hand-made request.
fn blob(input: &Value, name: &str) -> Result<Vec<u8>, WireError> {
    b64()
        .decode(input::text(input, name).unwrap_or_default())
        .map_err(|_| WireError::bad("ValidationException", format!("{name} is not valid base64.")))
}

/// `KeyMetadata`. AWS doc: "KeyMetadata".
fn metadata(a: &Account, k: &KmsKey) -> Value {
    json!({
        "AWSAccountId": a.account_id, "KeyId": k.key_id, "Arn": k.arn,
        "CreationDate": crate::time::epoch_seconds(k.creation_date), "Enabled": k.key_state == account::KeyState::Enabled,
        "Description": k.description, "KeyUsage": "ENCRYPT_DECRYPT", "KeyState": k.key_state.as_str(),
        "DeletionDate": k.deletion_date.map(crate::time::epoch_seconds), "Origin": "AWS_KMS", "KeyManager": k.key_manager.as_str(),
        "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT", "KeySpec": "SYMMETRIC_DEFAULT",
        "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"], "MultiRegion": false,
    })
}

fn create_key(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let tags: Vec<(String, String)> = input.get("Tags").and_then(Value::as_array).map_or_else(Vec::new, |t| {
        t.iter()
            .filter_map(|t| {
                Some((input::text(t, "TagKey")?.to_string(), input::text(t, "TagValue").unwrap_or("").to_string()))
            })
            .collect()
    });
    let spec = input::text(input, "KeySpec").or_else(|| input::text(input, "CustomerMasterKeySpec"));
    let a = &mut w.session.account;
    let key = a
        .create_key(input::text(input, "Description").unwrap_or(""), spec, input::text(input, "KeyUsage"), &tags)
        .map_err(aws)?;
    Ok(json!({ "KeyMetadata": metadata(a, &key) }))
}

fn describe_key(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let a = &mut w.session.account;
    let key = a.kms_key_for_use(key_id(input)).map_err(aws)?;
    Ok(json!({ "KeyMetadata": metadata(a, &key) }))
}

fn page_limits() -> pages::Limits {
    // AWS doc: "ListKeys", "ListAliases": Limit 1..=1000, default 100.
    pages::Limits { default: 100, max: 1000 }
}

fn list_keys(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let keys = r.account.list_kms_keys();
    let bad = |m: String| WireError::bad("InvalidMarkerException", m);
    let (page, next) =
        pages::page(&keys, input::text(input, "Marker"), input::int(input, "Limit"), page_limits(), bad)?;
    let items: Vec<Value> = page.iter().map(|k| json!({"KeyId": k.key_id, "KeyArn": k.arn})).collect();
    Ok(json!({ "Keys": items, "Truncated": next.is_some(), "NextMarker": next }))
}

fn create_alias(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let name = input::text(input, "AliasName").unwrap_or_default();
    let target = input::text(input, "TargetKeyId").unwrap_or_default();
    w.session.account.create_alias(name, target).map_err(aws)?;
    Ok(json!({}))
}

fn list_aliases(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let aliases = r.account.list_kms_aliases(input::text(input, "KeyId")).map_err(aws)?;
    let bad = |m: String| WireError::bad("InvalidMarkerException", m);
    let (page, next) =
        pages::page(&aliases, input::text(input, "Marker"), input::int(input, "Limit"), page_limits(), bad)?;
    let items: Vec<Value> = page
        .iter()
        .map(|a| {
            json!({"AliasName": a.alias_name, "AliasArn": a.alias_arn, "TargetKeyId": a.target_key_id,
                   "CreationDate": crate::time::epoch_seconds(a.creation_date), "LastUpdatedDate": crate::time::epoch_seconds(a.creation_date)})
        })
        .collect();
    Ok(json!({ "Aliases": items, "Truncated": next.is_some(), "NextMarker": next }))
}

fn delete_alias(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    w.session.account.delete_alias(input::text(input, "AliasName").unwrap_or_default()).map_err(aws)?;
    Ok(json!({}))
}

fn encrypt(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let plaintext = blob(input, "Plaintext")?;
    let sealed = w.session.account.kms_encrypt(key_id(input), &plaintext, &context(input)).map_err(aws)?;
    Ok(json!({ "CiphertextBlob": b64().encode(&sealed.ciphertext_blob), "KeyId": sealed.key_id,
               "EncryptionAlgorithm": "SYMMETRIC_DEFAULT" }))
}

fn decrypt(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let ciphertext = blob(input, "CiphertextBlob")?;
    let (plain, arn) = r.account.kms_decrypt(&ciphertext, input::text(input, "KeyId"), &context(input)).map_err(aws)?;
    Ok(json!({ "KeyId": arn, "Plaintext": b64().encode(plain), "EncryptionAlgorithm": "SYMMETRIC_DEFAULT" }))
}

fn generate_data_key(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let (plain, sealed) = w
        .session
        .account
        .kms_generate_data_key(
            key_id(input),
            input::text(input, "KeySpec"),
            input::int(input, "NumberOfBytes"),
            &context(input),
        )
        .map_err(aws)?;
    Ok(json!({ "CiphertextBlob": b64().encode(&sealed.ciphertext_blob), "Plaintext": b64().encode(plain),
               "KeyId": sealed.key_id }))
}

fn schedule_key_deletion(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let days = input::int(input, "PendingWindowInDays");
    let key = w.session.account.schedule_key_deletion(key_id(input), days).map_err(aws)?;
    Ok(
        json!({ "KeyId": key.arn, "DeletionDate": key.deletion_date.map(crate::time::epoch_seconds), "KeyState": key.key_state.as_str(),
               "PendingWindowInDays": days.unwrap_or(30) }),
    )
}

fn cancel_key_deletion(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let key = w.session.account.cancel_key_deletion(key_id(input)).map_err(aws)?;
    Ok(json!({ "KeyId": key.arn }))
}

fn enable_key(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    w.session.account.set_key_enabled(key_id(input), true).map_err(aws)?;
    Ok(json!({}))
}

fn disable_key(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    w.session.account.set_key_enabled(key_id(input), false).map_err(aws)?;
    Ok(json!({}))
}

fn enable_key_rotation(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    w.session.account.set_key_rotation(key_id(input), true).map_err(aws)?;
    Ok(json!({}))
}

fn disable_key_rotation(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    w.session.account.set_key_rotation(key_id(input), false).map_err(aws)?;
    Ok(json!({}))
}

fn get_key_rotation_status(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let key = r.account.kms_key(key_id(input)).map_err(aws)?;
    Ok(json!({ "KeyRotationEnabled": key.key_rotation_enabled, "KeyId": key.arn }))
}
