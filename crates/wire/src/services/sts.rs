//! STS: who the caller is.

use crate::dispatch::{read, Operation, Read};
use crate::error::WireError;
use serde_json::{json, Value};

/// STS's operations.
pub const OPERATIONS: &[Operation] = &[read("GetCallerIdentity", get_caller_identity)];

/// GetCallerIdentity: the account, and who signed. The default key and a
/// declared key without a user are the root user's (its ARN
/// `arn:aws:iam::<account>:root`, its user ID the account ID, as AWS answers
/// for root credentials); a declared user's key answers with the user's ARN
/// and an `AIDA…` user ID (IAM's prefix for users, "IAM identifiers"; the
/// rest is derived from the name, since IAM's own is random).
fn get_caller_identity(r: &Read<'_>, _input: &Value) -> Result<Value, WireError> {
    let id = &r.account.account_id;
    let user = r.account.access_keys.get(&r.caller.access_key).and_then(|k| k.user_name.as_deref());
    Ok(match user {
        Some(name) => {
            let digest = crate::sigv4::sha256_hex(format!("{id}/{name}").as_bytes()).to_ascii_uppercase();
            json!({"UserId": format!("AIDA{}", &digest[..17]), "Account": id, "Arn": format!("arn:aws:iam::{id}:user/{name}")})
        }
        None => json!({"UserId": id, "Account": id, "Arn": format!("arn:aws:iam::{id}:root")}),
    })
}
