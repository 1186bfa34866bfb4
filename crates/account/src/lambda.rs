//! Lambda's function actions: CreateFunction, UpdateFunctionCode,
//! UpdateFunctionConfiguration, GetFunction, DeleteFunction, ListFunctions
//! (AWS Lambda API Reference, one page per action), with Lambda's errors.
//! Running a function is the `lambda` crate's; this is the record.

pub mod runtimes;

use crate::model::{Function, FunctionCode, FunctionState};
use crate::{Account, AwsService, ServiceError};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What CreateFunction is given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateFunction {
    /// `FunctionName` (a name, or an ARN naming it).
    pub function_name: String,
    /// `Runtime`.
    pub runtime: Option<String>,
    /// `Role`: the execution role's ARN.
    pub role: String,
    /// `Handler`.
    pub handler: Option<String>,
    /// `Code`.
    pub code: Option<FunctionCode>,
    /// `Description`.
    pub description: Option<String>,
    /// `Timeout`, seconds.
    pub timeout: Option<i64>,
    /// `MemorySize`, MB.
    pub memory_size: Option<i64>,
    /// `Environment.Variables`.
    pub environment: Option<BTreeMap<String, String>>,
    /// `Architectures`.
    pub architectures: Option<Vec<String>>,
    /// `Tags`.
    pub tags: BTreeMap<String, String>,
}

/// What UpdateFunctionConfiguration may change (`None`: unchanged).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigurationUpdate {
    /// `Runtime`.
    pub runtime: Option<String>,
    /// `Role`.
    pub role: Option<String>,
    /// `Handler`.
    pub handler: Option<String>,
    /// `Description`.
    pub description: Option<String>,
    /// `Timeout`.
    pub timeout: Option<i64>,
    /// `MemorySize`.
    pub memory_size: Option<i64>,
    /// `Environment.Variables` (replaced whole, as Lambda does).
    pub environment: Option<BTreeMap<String, String>>,
}

/// Lambda's defaults (AWS doc "CreateFunction": Timeout 3 s, MemorySize 128 MB).
pub const DEFAULT_TIMEOUT: u32 = 3;
/// The default memory size.
pub const DEFAULT_MEMORY: u32 = 128;

fn err(code: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::new(AwsService::Lambda, code, message)
}

/// Lambda's `InvalidParameterValueException`.
pub fn invalid(message: impl Into<String>) -> ServiceError {
    err("InvalidParameterValueException", message)
}

/// The constraint error of Lambda's API layer (AWS's standard text; the
/// member named in lowerCamel as in every "1 validation error detected").
fn constraint(value: impl std::fmt::Display, member: &str, rule: &str) -> ServiceError {
    err(
        "ValidationException",
        format!("1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {rule}"),
    )
}

/// The model's pattern of a role ARN (botocore's Lambda `RoleArn`).
const ROLE_PATTERN: &str = r"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+";

/// Whether `role` has the form of a role ARN ([`ROLE_PATTERN`]).
fn is_role_arn(role: &str) -> bool {
    let Some(rest) = role.strip_prefix("arn:") else { return false };
    let Some((partition, rest)) = rest.split_once(":iam::") else { return false };
    let partition_ok = partition.is_empty()
        || partition.strip_prefix("aws").is_some_and(|p| p.chars().all(|c| c.is_ascii_alphabetic() || c == '-'));
    let Some((acct, path)) = rest.split_once(":role") else { return false };
    let path = path.strip_prefix('/').unwrap_or(path);
    partition_ok
        && acct.len() == 12
        && acct.bytes().all(|b| b.is_ascii_digit())
        && !path.is_empty()
        && path.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-/".contains(c))
}

/// Checks a function name: 1–64 of `[a-zA-Z0-9-_]` (Lambda's pattern).
fn check_name(name: &str) -> Result<(), ServiceError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        return Ok(());
    }
    Err(constraint(
        name,
        "functionName",
        r"Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?",
    ))
}

/// Checks `value` against Lambda's range for `member`; the value as u32.
fn in_range(value: i64, member: &str, min: i64, max: i64) -> Result<u32, ServiceError> {
    if value < min {
        return Err(constraint(value, member, &format!("Member must have value greater than or equal to {min}")));
    }
    if value > max {
        return Err(constraint(value, member, &format!("Member must have value less than or equal to {max}")));
    }
    u32::try_from(value).map_err(|_| constraint(value, member, "Member must be a number"))
}

/// `2026-01-01T00:00:00.000+0000`: how Lambda writes `LastModified`.
pub fn last_modified_text(ms: u64) -> String {
    let iso = crate::ec2::autoscaling::iso_time(ms);
    format!("{}.{:03}+0000", iso.trim_end_matches('Z'), ms % 1000)
}

/// The date of clock milliseconds, `YYYY-MM-DD` (for the runtime table).
pub fn date_of(ms: u64) -> String {
    crate::ec2::autoscaling::iso_time(ms)[..10].to_string()
}

/// Size and base64 SHA-256 of a function's code, as Lambda reports them.
/// For a zip, the package's bytes (as Lambda). For inline source, the
/// source's bytes (CloudFormation zips it first; tasknet does not, so the
/// digest differs from AWS's). For a folder, its files' paths, sizes and
/// modification times; for an S3 object, its address until it is read.
pub fn code_digest(code: &FunctionCode) -> Result<(u64, String), ServiceError> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let (size, digest) = match code {
        FunctionCode::Zip { zip_base64 } => {
            let bytes = b64.decode(zip_base64).map_err(|_| unzip_error())?;
            (bytes.len() as u64, Sha256::digest(&bytes))
        }
        FunctionCode::Inline { source } => (source.len() as u64, Sha256::digest(source.as_bytes())),
        FunctionCode::S3 { bucket, key, object_version } => {
            let addr = format!("s3://{bucket}/{key}?{}", object_version.as_deref().unwrap_or(""));
            (0, Sha256::digest(addr.as_bytes()))
        }
        FunctionCode::Dir { path } => {
            let mut h = Sha256::new();
            let size = folder_digest(std::path::Path::new(path), &mut h);
            (size, h.finalize())
        }
    };
    Ok((size, b64.encode(digest)))
}

/// Feeds a folder's file names, sizes and mtimes to `h`; the total size.
fn folder_digest(dir: &std::path::Path, h: &mut Sha256) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    let mut total = 0;
    for e in entries {
        let Ok(meta) = e.metadata() else { continue };
        h.update(e.file_name().as_encoded_bytes());
        if meta.is_dir() {
            total += folder_digest(&e.path(), h);
        } else {
            let mtime = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
            h.update(meta.len().to_le_bytes());
            h.update(mtime.map_or(0, |d| d.as_nanos()).to_le_bytes());
            total += meta.len();
        }
    }
    total
}

/// Lambda's refusal of a package that is not a zip (seen in public threads).
fn unzip_error() -> ServiceError {
    invalid("Could not unzip uploaded file. Please check your file, then try to upload again.")
}

/// Checks a package is a zip: its local-file or end-of-directory signature.
fn check_code(code: &FunctionCode) -> Result<(), ServiceError> {
    if let FunctionCode::Zip { zip_base64 } = code {
        let bytes = base64::engine::general_purpose::STANDARD.decode(zip_base64).map_err(|_| unzip_error())?;
        if !(bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")) {
            return Err(unzip_error());
        }
    }
    Ok(())
}

/// Why a runtime is refused on `date`, if it is (AWS doc "Lambda runtimes").
pub fn runtime_refusal(runtime: &str, date: &str, updating: bool) -> Option<ServiceError> {
    let r = runtimes::runtime(runtime)?;
    let blocked = if updating { r.update_blocked_on(date) } else { r.create_blocked_on(date) };
    blocked.then(|| invalid(runtimes::blocked_text(r)))
}

impl Account {
    /// A function's ARN.
    pub fn function_arn(&self, name: &str) -> String {
        format!("arn:aws:lambda:{}:{}:function:{name}", self.region, self.account_id)
    }

    /// Lambda's not-found error for what the caller named (name and qualifier, as an ARN).
    fn function_not_found(&self, name: &str, qualifier: Option<&str>) -> ServiceError {
        let arn = self.function_arn(name);
        let arn = match qualifier {
            Some(q) => format!("{arn}:{q}"),
            None => arn,
        };
        // Seen: `Function not found: arn:aws:lambda:us-east-1:111111111111:function:mxnet-lambda`.
        err("ResourceNotFoundException", format!("Function not found: {arn}"))
    }

    /// Splits what a caller names a function by (a name, `name:qualifier`,
    /// a partial `account:function:name` or a full ARN) into its name and qualifier.
    pub fn function_ref(&self, given: &str) -> Result<(String, Option<String>), ServiceError> {
        let rest = given.strip_prefix("arn:").map_or(given, |r| {
            // arn:aws:lambda:<region>:<account>:function:<name>[:q]
            r.splitn(4, ':').nth(3).unwrap_or(r)
        });
        let rest = match rest.split_once(":function:") {
            Some((_acct, name)) => name,
            None => rest.strip_prefix("function:").unwrap_or(rest),
        };
        let (name, qualifier) = match rest.split_once(':') {
            Some((n, q)) => (n, Some(q.to_string())),
            None => (rest, None),
        };
        check_name(name)?;
        Ok((name.to_string(), qualifier))
    }

    /// The function a caller names (`$LATEST` or no qualifier: tasknet publishes no versions).
    pub fn function(&self, given: &str) -> Result<&Function, ServiceError> {
        let (name, qualifier) = self.function_ref(given)?;
        let q = qualifier.as_deref().filter(|q| *q != Function::VERSION);
        match (self.functions.get(&name), q) {
            (Some(f), None) => Ok(f),
            _ => Err(self.function_not_found(&name, qualifier.as_deref())),
        }
    }

    /// A fresh `RevisionId` (a UUID, as Lambda's), from the function's name,
    /// the time and the number of changes: it takes no word of the account's
    /// ID counter, so adding a function moves no other resource's ID.
    fn new_revision(&self, name: &str) -> String {
        let previous = self.functions.get(name).map_or("", |f| f.revision_id.as_str());
        crate::ids::uuid(crate::ids::hash_words(&format!("{name}/{previous}"), self.clock_ms, "lambda-revision"))
    }

    /// CreateFunction. A runtime past its block-create date is refused with
    /// AWS's text unless `allow_deprecated` (tasknet's `--allow-deprecated-runtimes`).
    pub fn create_function(&mut self, input: CreateFunction, allow_deprecated: bool) -> Result<Function, ServiceError> {
        let (name, _) = self.function_ref(&input.function_name)?;
        if !is_role_arn(&input.role) {
            return Err(constraint(
                &input.role,
                "role",
                &format!("Member must satisfy regular expression pattern: {ROLE_PATTERN}"),
            ));
        }
        // Seen (pipe-cd/pipecd#1400): Lambda requires both for a zip package.
        let (Some(runtime), Some(handler)) = (input.runtime, input.handler) else {
            return Err(invalid(
                "Runtime and Handler are mandatory parameters for functions created with deployment packages.",
            ));
        };
        // Seen (aws/aws-sdk-go#2183).
        let code = input.code.ok_or_else(|| invalid("Please provide a source for function code."))?;
        check_code(&code)?;
        let timeout = input.timeout.map_or(Ok(DEFAULT_TIMEOUT), |t| in_range(t, "timeout", 1, 900))?;
        let memory_size = input.memory_size.map_or(Ok(DEFAULT_MEMORY), |m| in_range(m, "memorySize", 128, 10240))?;
        let blocked = runtime_refusal(&runtime, &date_of(self.clock_ms), false);
        if let (Some(e), false) = (&blocked, allow_deprecated) {
            return Err(e.clone());
        }
        if self.functions.contains_key(&name) {
            // Seen: `Function already exist: <name>` (409).
            return Err(err("ResourceConflictException", format!("Function already exist: {name}")));
        }
        let (code_size, code_sha256) = code_digest(&code)?;
        let revision_id = self.new_revision(&name);
        let f = Function {
            function_arn: self.function_arn(&name),
            function_name: name.clone(),
            runtime,
            role: input.role,
            handler,
            code,
            code_size,
            code_sha256,
            description: input.description.unwrap_or_default(),
            timeout,
            memory_size,
            last_modified_ms: self.clock_ms,
            environment: input.environment.unwrap_or_default(),
            state: FunctionState::Active,
            architectures: input.architectures.filter(|a| !a.is_empty()).unwrap_or_else(|| vec!["x86_64".into()]),
            tags: input.tags,
            revision_id,
            deprecated_runtime_allowed: blocked.is_some(),
        };
        self.functions.insert(name, f.clone());
        Ok(f)
    }

    /// The function to update, refused when its runtime is past its
    /// block-update date (unless it was allowed deprecated runtimes).
    fn function_to_update(&mut self, given: &str, allow_deprecated: bool) -> Result<&mut Function, ServiceError> {
        let name = self.function(given)?.function_name.clone();
        let date = date_of(self.clock_ms);
        let f = self.functions.get_mut(&name).ok_or_else(|| err("ResourceNotFoundException", "Function not found"))?;
        if let Some(e) = runtime_refusal(&f.runtime, &date, true) {
            if !allow_deprecated {
                return Err(e);
            }
        }
        Ok(f)
    }

    /// UpdateFunctionCode.
    pub fn update_function_code(
        &mut self,
        given: &str,
        code: FunctionCode,
        allow_deprecated: bool,
    ) -> Result<Function, ServiceError> {
        check_code(&code)?;
        let (size, sha) = code_digest(&code)?;
        let now = self.clock_ms;
        let name = self.function(given)?.function_name.clone();
        let revision = self.new_revision(&name);
        let f = self.function_to_update(given, allow_deprecated)?;
        f.code = code;
        f.code_size = size;
        f.code_sha256 = sha;
        f.last_modified_ms = now;
        f.revision_id = revision;
        Ok(f.clone())
    }

    /// UpdateFunctionConfiguration.
    pub fn update_function_configuration(
        &mut self,
        given: &str,
        update: ConfigurationUpdate,
        allow_deprecated: bool,
    ) -> Result<Function, ServiceError> {
        if let Some(role) = update.role.as_deref().filter(|r| !is_role_arn(r)) {
            return Err(constraint(
                role,
                "role",
                &format!("Member must satisfy regular expression pattern: {ROLE_PATTERN}"),
            ));
        }
        let timeout = update.timeout.map(|t| in_range(t, "timeout", 1, 900)).transpose()?;
        let memory = update.memory_size.map(|m| in_range(m, "memorySize", 128, 10240)).transpose()?;
        let date = date_of(self.clock_ms);
        let mut allowed_new = false;
        if let Some(rt) = update.runtime.as_deref() {
            if let Some(e) = runtime_refusal(rt, &date, false) {
                if !allow_deprecated {
                    return Err(e);
                }
                allowed_new = true;
            }
        }
        let now = self.clock_ms;
        let name = self.function(given)?.function_name.clone();
        let revision = self.new_revision(&name);
        let f = self.function_to_update(given, allow_deprecated)?;
        if let Some(v) = update.runtime {
            f.runtime = v;
            f.deprecated_runtime_allowed = allowed_new;
        }
        if let Some(v) = update.role {
            f.role = v;
        }
        if let Some(v) = update.handler {
            f.handler = v;
        }
        if let Some(v) = update.description {
            f.description = v;
        }
        if let Some(v) = timeout {
            f.timeout = v;
        }
        if let Some(v) = memory {
            f.memory_size = v;
        }
        if let Some(v) = update.environment {
            f.environment = v;
        }
        f.last_modified_ms = now;
        f.revision_id = revision;
        Ok(f.clone())
    }

    /// DeleteFunction: the function that was deleted.
    pub fn delete_function(&mut self, given: &str) -> Result<Function, ServiceError> {
        let name = self.function(given)?.function_name.clone();
        self.functions.remove(&name).ok_or_else(|| self.function_not_found(&name, None))
    }

    /// ListFunctions: every function, by name.
    pub fn list_functions(&self) -> Vec<&Function> {
        self.functions.values().collect()
    }
}

#[cfg(test)]
mod tests;
