//! STS: who the caller is.

use crate::dispatch::{read, Operation, Read};
use crate::error::WireError;
use serde_json::{json, Value};

/// STS's operations.
pub const OPERATIONS: &[Operation] = &[read("GetCallerIdentity", get_caller_identity)];

/// GetCallerIdentity: the account, and the caller's identity. The account's
/// own keys are its root user's (`arn:aws:iam::<account>:root`, whose user
/// ID is the account ID), as long-term keys of the root user answer on AWS.
fn get_caller_identity(r: &Read<'_>, _input: &Value) -> Result<Value, WireError> {
    let id = &r.account.account_id;
    Ok(json!({"UserId": id, "Account": id, "Arn": format!("arn:aws:iam::{id}:root")}))
}
