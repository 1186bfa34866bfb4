//! Lambda functions and STS role sessions (the temporary credentials a
//! function's execution role gives it).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a function's code is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "Kind")]
pub enum FunctionCode {
    /// CloudFormation's `Code.ZipFile`: the source text (written to
    /// `index.py`/`index.js` when the function runs).
    Inline {
        /// The source.
        #[serde(rename = "Source")]
        source: String,
    },
    /// A deployment package, base64 in the store (it is JSON).
    Zip {
        /// The zip's bytes, base64.
        #[serde(rename = "ZipBase64")]
        zip_base64: String,
    },
    /// An S3 object (`Code.S3Bucket`/`S3Key`), read when the function runs
    /// once tasknet's S3 can resolve it.
    S3 {
        /// The bucket.
        #[serde(rename = "Bucket")]
        bucket: String,
        /// The key.
        #[serde(rename = "Key")]
        key: String,
        /// The object version, if given.
        #[serde(rename = "ObjectVersion", default)]
        object_version: Option<String>,
    },
    /// A local folder (tasknet's own CLI), used as the task root as it is.
    Dir {
        /// The folder.
        #[serde(rename = "Path")]
        path: String,
    },
}

/// A function's `State` (AWS doc "Lambda function states").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FunctionState {
    /// Being created.
    Pending,
    /// Ready to invoke.
    Active,
    /// Idle long enough that Lambda reclaimed its resources.
    Inactive,
    /// Creation failed.
    Failed,
}

impl FunctionState {
    /// AWS's name.
    pub fn as_str(self) -> &'static str {
        match self {
            FunctionState::Pending => "Pending",
            FunctionState::Active => "Active",
            FunctionState::Inactive => "Inactive",
            FunctionState::Failed => "Failed",
        }
    }
}

/// A Lambda function (its `$LATEST` version; tasknet publishes no versions).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Function {
    /// `FunctionName`.
    pub function_name: String,
    /// `arn:aws:lambda:<region>:<account>:function:<name>`.
    pub function_arn: String,
    /// `python3.12`, `nodejs20.x`, …
    pub runtime: String,
    /// The execution role's ARN.
    pub role: String,
    /// `index.handler`.
    pub handler: String,
    /// The code.
    pub code: FunctionCode,
    /// The package's size in bytes.
    pub code_size: u64,
    /// The package's SHA-256, base64 (as Lambda reports it).
    pub code_sha256: String,
    /// `Description`.
    #[serde(default)]
    pub description: String,
    /// `Timeout` in seconds (default 3).
    pub timeout: u32,
    /// `MemorySize` in MB (default 128).
    pub memory_size: u32,
    /// `LastModified`, clock milliseconds.
    pub last_modified_ms: u64,
    /// `Environment.Variables`.
    #[serde(default)]
    pub environment: BTreeMap<String, String>,
    /// `State`.
    pub state: FunctionState,
    /// `Architectures` (`x86_64` by default).
    pub architectures: Vec<String>,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// `RevisionId`: changes with every update.
    #[serde(default)]
    pub revision_id: String,
    /// Created with `--allow-deprecated-runtimes` on a runtime past its
    /// block-create date (then it may run, with a warning).
    #[serde(default)]
    pub deprecated_runtime_allowed: bool,
}

impl Function {
    /// `Version`: tasknet keeps only `$LATEST`.
    pub const VERSION: &'static str = "$LATEST";
    /// `PackageType`: tasknet runs zip packages only.
    pub const PACKAGE_TYPE: &'static str = "Zip";
}

/// Temporary credentials of an assumed role (AWS doc "Temporary security
/// credentials in IAM"): what `AssumeRole` returns and what a function's
/// environment gets for its execution role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleSession {
    /// `ASIA…`, 20 characters.
    pub access_key_id: String,
    /// The secret.
    pub secret_access_key: String,
    /// The session token, which every request signed with the key must carry.
    pub session_token: String,
    /// The role assumed.
    pub role_arn: String,
    /// `RoleSessionName`.
    pub session_name: String,
    /// `arn:aws:sts::<account>:assumed-role/<role name>/<session name>`.
    pub assumed_role_arn: String,
    /// `AROA…:<session name>`.
    pub assumed_role_id: String,
    /// When the credentials expire, clock milliseconds.
    pub expiration_ms: u64,
}
