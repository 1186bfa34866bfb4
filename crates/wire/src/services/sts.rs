//! STS: who the caller is, and temporary credentials for a role.

use super::input;
use crate::dispatch::{read, write, Operation, Read, Write};
use crate::error::WireError;
use serde_json::{json, Value};

/// STS's operations.
pub const OPERATIONS: &[Operation] =
    &[read("GetCallerIdentity", get_caller_identity), write("AssumeRole", assume_role)];

/// GetCallerIdentity: the account, and who signed. The default key and a
/// declared key without a user are the root user's (its ARN
/// `arn:aws:iam::<account>:root`, its user ID the account ID, as AWS answers
/// for root credentials); a declared user's key answers with the user's ARN
/// and an `AIDA…` user ID (IAM's prefix for users, "IAM identifiers"; the
/// rest is derived from the name, since IAM's own is random). A role
/// session's key answers with the assumed-role ARN and `AROA…:<session>`
/// (AWS doc "GetCallerIdentity", its example for an assumed role).
fn get_caller_identity(r: &Read<'_>, _input: &Value) -> Result<Value, WireError> {
    let id = &r.account.account_id;
    if let Some(s) = r.account.role_session(&r.caller.access_key) {
        return Ok(json!({"UserId": s.assumed_role_id, "Account": id, "Arn": s.assumed_role_arn}));
    }
    let user = r.account.access_keys.get(&r.caller.access_key).and_then(|k| k.user_name.as_deref());
    Ok(match user {
        Some(name) => {
            let digest = crate::sigv4::sha256_hex(format!("{id}/{name}").as_bytes()).to_ascii_uppercase();
            json!({"UserId": format!("AIDA{}", &digest[..17]), "Account": id, "Arn": format!("arn:aws:iam::{id}:user/{name}")})
        }
        None => json!({"UserId": id, "Account": id, "Arn": format!("arn:aws:iam::{id}:root")}),
    })
}

/// AssumeRole: a new role session (`account::Account::assume_role`), its
/// expiry by the wall clock (the endpoint checks it against the wall).
fn assume_role(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let role = input::text(input, "RoleArn").unwrap_or_default();
    let name = input::text(input, "RoleSessionName").unwrap_or_default();
    let now = runtime::clock::wall_clock_ms();
    let s = w
        .session
        .account
        .assume_role(role, name, input::int(input, "DurationSeconds"), now)
        .map_err(|e| WireError::from_aws(&e))?;
    Ok(json!({
        "Credentials": {
            "AccessKeyId": s.access_key_id,
            "SecretAccessKey": s.secret_access_key,
            "SessionToken": s.session_token,
            "Expiration": crate::time::iso(s.expiration_ms),
        },
        "AssumedRoleUser": {"AssumedRoleId": s.assumed_role_id, "Arn": s.assumed_role_arn},
    }))
}
