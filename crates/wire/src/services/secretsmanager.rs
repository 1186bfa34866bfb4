//! AWS Secrets Manager: thin adapters over the account's secrets actions
//! (`account::secrets`, `account::password`). Binary values travel as
//! base64 text, as botocore's JSON protocol writes blobs.

use super::{input, pages};
use crate::dispatch::{read, write, Operation, Read, Write};
use crate::error::WireError;
use account::{CreateSecret, PasswordRequest, Secret, SecretFilter, SecretValue};
use base64::Engine as _;
use serde_json::{json, Map, Value};

/// Secrets Manager's operations.
pub const OPERATIONS: &[Operation] = &[
    write("CreateSecret", create_secret),
    read("GetSecretValue", get_secret_value),
    write("PutSecretValue", put_secret_value),
    read("DescribeSecret", describe_secret),
    read("ListSecretVersionIds", list_secret_version_ids),
    read("ListSecrets", list_secrets),
    write("UpdateSecret", update_secret),
    write("DeleteSecret", delete_secret),
    write("RestoreSecret", restore_secret),
    write("TagResource", tag_resource),
    write("UntagResource", untag_resource),
    write("GetRandomPassword", get_random_password),
];

fn aws(e: account::ServiceError) -> WireError {
    WireError::from_aws(&e)
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// The value a request gives: SecretString or SecretBinary (not both; text inferred).
fn value_of(input: &Value) -> Result<Option<SecretValue>, WireError> {
    match (input::text(input, "SecretString"), input::text(input, "SecretBinary")) {
        (Some(_), Some(_)) => Err(WireError::bad(
            "InvalidParameterException",
            "You can't specify both a binary secret value and a string secret value in the same secret.",
        )),
        (Some(s), None) => Ok(Some(SecretValue::String(s.to_string()))),
        (None, Some(b)) => b64()
            .decode(b)
            .map(|bytes| Some(SecretValue::Binary(bytes)))
            .map_err(|_| WireError::bad("InvalidParameterException", "SecretBinary is not valid base64.")),
        (None, None) => Ok(None),
    }
}

fn tags_of(input: &Value) -> Vec<(String, String)> {
    input.get("Tags").and_then(Value::as_array).map_or_else(Vec::new, |tags| {
        tags.iter()
            .filter_map(|t| {
                Some((input::text(t, "Key")?.to_string(), input::text(t, "Value").unwrap_or("").to_string()))
            })
            .collect()
    })
}

fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Array(tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect())
}

/// `SecretVersionsToStages` / `VersionIdsToStages`.
fn stages_json(s: &Secret) -> Value {
    let map: Map<String, Value> =
        s.labelled_versions().map(|v| (v.version_id.clone(), json!(v.version_stages))).collect();
    Value::Object(map)
}

fn written(w: account::SecretWritten) -> Value {
    json!({ "ARN": w.arn, "Name": w.name, "VersionId": w.version_id,
            "VersionStages": if w.version_stages.is_empty() { Value::Null } else { json!(w.version_stages) } })
}

fn create_secret(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let req = CreateSecret {
        name: input::text(input, "Name").unwrap_or_default().to_string(),
        description: input::text(input, "Description").map(str::to_string),
        kms_key_id: input::text(input, "KmsKeyId").map(str::to_string),
        value: value_of(input)?,
        client_request_token: input::text(input, "ClientRequestToken").map(str::to_string),
        tags: tags_of(input),
    };
    let out = w.session.account.create_secret(&req).map_err(aws)?;
    // CreateSecret answers ARN, Name and VersionId (no stages).
    Ok(json!({ "ARN": out.arn, "Name": out.name, "VersionId": out.version_id }))
}

fn get_secret_value(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let id = input::text(input, "SecretId").unwrap_or_default();
    let (s, v) = r
        .account
        .get_secret_value(id, input::text(input, "VersionId"), input::text(input, "VersionStage"))
        .map_err(aws)?;
    let (string, binary) = match &v.value {
        SecretValue::String(t) => (Some(t.clone()), None),
        SecretValue::Binary(b) => (None, Some(b64().encode(b))),
    };
    Ok(json!({
        "ARN": s.arn, "Name": s.name, "VersionId": v.version_id,
        "SecretString": string, "SecretBinary": binary,
        "VersionStages": v.version_stages, "CreatedDate": crate::time::epoch_seconds(v.created_date),
    }))
}

fn put_secret_value(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let id = input::text(input, "SecretId").unwrap_or_default();
    let Some(value) = value_of(input)? else {
        // Inferred text: PutSecretValue needs one of the two.
        return Err(WireError::bad("InvalidRequestException", "You must provide either SecretString or SecretBinary."));
    };
    let stages = input::texts(input, "VersionStages");
    let out = w
        .session
        .account
        .put_secret_value(id, value, input::text(input, "ClientRequestToken"), &stages)
        .map_err(aws)?;
    Ok(written(out))
}

/// One secret as DescribeSecret and ListSecrets' `SecretListEntry` write it.
fn secret_json(s: &Secret, stages_member: &str) -> Value {
    let mut doc = json!({
        "ARN": s.arn, "Name": s.name, "Description": s.description, "KmsKeyId": s.kms_key_id,
        "LastChangedDate": crate::time::epoch_seconds(s.last_changed_date), "CreatedDate": crate::time::epoch_seconds(s.created_date),
        "DeletedDate": s.deleted_date.map(crate::time::epoch_seconds),
        "Tags": if s.tags.is_empty() { Value::Null } else { tags_json(&s.tags) },
    });
    if let Some(map) = doc.as_object_mut() {
        map.insert(stages_member.to_string(), stages_json(s));
    }
    doc
}

fn describe_secret(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let s = r.account.secret(input::text(input, "SecretId").unwrap_or_default()).map_err(aws)?;
    Ok(secret_json(s, "VersionIdsToStages"))
}

/// ListSecretVersionIds: the versions with labels, and with
/// IncludeDeprecated those without. AWS doc: "ListSecretVersionIds":
/// MaxResults 1..=100 (the default page size is not documented; tasknet's: 100).
fn list_secret_version_ids(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let s = r.account.secret(input::text(input, "SecretId").unwrap_or_default()).map_err(aws)?;
    let all = input::boolean(input, "IncludeDeprecated").unwrap_or(false);
    let versions: Vec<&account::SecretVersion> =
        s.versions.iter().filter(|v| all || !v.version_stages.is_empty()).collect();
    let bad = |m: String| WireError::bad("InvalidNextTokenException", m);
    let limits = pages::Limits { default: 100, max: 100 };
    let (page, next) =
        pages::page(&versions, input::text(input, "NextToken"), input::int(input, "MaxResults"), limits, bad)?;
    // `DefaultEncryptionKey` stands for aws/secretsmanager (as recalled from AWS's output; unverified).
    let items: Vec<Value> = page
        .iter()
        .map(|v| {
            json!({"VersionId": v.version_id, "VersionStages": v.version_stages, "CreatedDate": crate::time::epoch_seconds(v.created_date),
                   "KmsKeyIds": [s.kms_key_id.clone().unwrap_or_else(|| "DefaultEncryptionKey".into())]})
        })
        .collect();
    Ok(json!({ "Versions": items, "ARN": s.arn, "Name": s.name, "NextToken": next }))
}

/// ListSecrets. AWS doc: "ListSecrets": MaxResults 1..=100; the default
/// page size is not documented (tasknet's: 100).
fn list_secrets(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let filters: Vec<SecretFilter> = input.get("Filters").and_then(Value::as_array).map_or_else(Vec::new, |fs| {
        fs.iter()
            .map(|f| SecretFilter {
                key: input::text(f, "Key").unwrap_or("").to_string(),
                values: input::texts(f, "Values"),
            })
            .collect()
    });
    let include = input::boolean(input, "IncludePlannedDeletion").unwrap_or(false);
    let list = r.account.list_secrets(&filters, include, input::text(input, "SortOrder")).map_err(aws)?;
    let bad = |m: String| WireError::bad("InvalidNextTokenException", m);
    let limits = pages::Limits { default: 100, max: 100 };
    let (page, next) =
        pages::page(&list, input::text(input, "NextToken"), input::int(input, "MaxResults"), limits, bad)?;
    let items: Vec<Value> = page.iter().map(|s| secret_json(s, "SecretVersionsToStages")).collect();
    Ok(json!({ "SecretList": items, "NextToken": next }))
}

fn update_secret(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let id = input::text(input, "SecretId").unwrap_or_default();
    let out = w
        .session
        .account
        .update_secret(
            id,
            input::text(input, "Description"),
            input::text(input, "KmsKeyId"),
            value_of(input)?,
            input::text(input, "ClientRequestToken"),
        )
        .map_err(aws)?;
    Ok(json!({ "ARN": out.arn, "Name": out.name, "VersionId": out.version_id }))
}

fn delete_secret(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let id = input::text(input, "SecretId").unwrap_or_default();
    let force = input::boolean(input, "ForceDeleteWithoutRecovery").unwrap_or(false);
    let (arn, name, when) =
        w.session.account.delete_secret(id, input::int(input, "RecoveryWindowInDays"), force).map_err(aws)?;
    Ok(
        json!({ "ARN": if arn.is_empty() { Value::Null } else { json!(arn) }, "Name": name, "DeletionDate": crate::time::epoch_seconds(when) }),
    )
}

fn restore_secret(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let id = input::text(input, "SecretId").unwrap_or_default();
    let (arn, name) = w.session.account.restore_secret(id).map_err(aws)?;
    Ok(json!({ "ARN": arn, "Name": name }))
}

fn tag_resource(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let id = input::text(input, "SecretId").unwrap_or_default();
    w.session.account.tag_secret(id, &tags_of(input)).map_err(aws)?;
    Ok(json!({}))
}

fn untag_resource(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let id = input::text(input, "SecretId").unwrap_or_default();
    w.session.account.untag_secret(id, &input::texts(input, "TagKeys")).map_err(aws)?;
    Ok(json!({}))
}

/// The password rules of a GetRandomPassword request.
pub fn password_request(input: &Value) -> PasswordRequest {
    let flag = |name: &str| input::boolean(input, name).unwrap_or(false);
    PasswordRequest {
        password_length: input::int(input, "PasswordLength").map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
        exclude_characters: input::text(input, "ExcludeCharacters").unwrap_or("").to_string(),
        exclude_numbers: flag("ExcludeNumbers"),
        exclude_punctuation: flag("ExcludePunctuation"),
        exclude_uppercase: flag("ExcludeUppercase"),
        exclude_lowercase: flag("ExcludeLowercase"),
        include_space: flag("IncludeSpace"),
        require_each_included_type: input::boolean(input, "RequireEachIncludedType"),
    }
}

/// GetRandomPassword: a write because it draws from the account's words.
fn get_random_password(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let password = w.session.account.get_random_password(&password_request(input)).map_err(aws)?;
    Ok(json!({ "RandomPassword": password }))
}
