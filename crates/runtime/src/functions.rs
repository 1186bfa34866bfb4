//! Running a Lambda function, for every front door (the wire endpoint's
//! Invoke, CloudFormation's custom resources): the account's [`Function`]
//! record becomes a [`lambda::FunctionSpec`], its execution role gets
//! temporary credentials, and the invocation runs in a [`lambda::Runner`].
//!
//! Why two steps: a function usually calls back into tasknet's endpoint,
//! which needs the account. So [`prepare`] reads the function and mints its
//! credentials while the caller holds the account (briefly), and [`run`] /
//! [`run_event`] execute it after the caller let the account go.

use account::{Account, Function, FunctionCode, ServiceError};
use base64::Engine as _;
use std::sync::Arc;

/// Why an invocation could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvokeError {
    /// Lambda refused it (not found, a blocked runtime, code tasknet cannot read).
    #[error(transparent)]
    Aws(#[from] ServiceError),
    /// The execution environment could not start (`lambda::RunnerError`).
    #[error(transparent)]
    Runner(#[from] lambda::RunnerError),
}

impl InvokeError {
    /// AWS's code.
    pub fn code(&self) -> String {
        match self {
            InvokeError::Aws(e) => e.code.clone(),
            InvokeError::Runner(e) => e.code().to_string(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            InvokeError::Aws(e) => account::AwsError::http_status(e),
            InvokeError::Runner(e) => e.status(),
        }
    }

    /// AWS's message.
    pub fn message(&self) -> String {
        match self {
            InvokeError::Aws(e) => e.message.clone(),
            InvokeError::Runner(e) => e.message(),
        }
    }
}

/// How an invocation is made.
#[derive(Clone, Debug)]
pub struct Options {
    /// Where the function's SDK calls go (`AWS_ENDPOINT_URL`).
    pub endpoint_url: String,
    /// The wall clock, ms (credentials expire by it).
    pub now_ms: u64,
    /// The request ID to give the invocation (Invoke's), else one is generated.
    pub request_id: Option<String>,
    /// `--allow-deprecated-runtimes`: run a function whose runtime is past
    /// its block-create date (with a warning) instead of refusing it.
    pub allow_deprecated: bool,
}

/// One invocation, ready to run without the account.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The function as the runner sees it.
    pub spec: lambda::FunctionSpec,
    /// Endpoint, region, the role's credentials, request ID.
    pub context: lambda::InvokeContext,
    /// Set when the runtime is past its block-create date and ran only
    /// because deprecated runtimes were allowed (the caller warns once).
    pub deprecated_runtime: Option<String>,
}

/// The execution role's session name (Lambda names it after the function;
/// AWS doc "Lambda execution role": the assumed-role ARN ends in the function's name).
fn session_name(f: &Function) -> String {
    f.function_name.clone()
}

/// The runner's form of a function's code. An S3 object is read from the
/// account here once tasknet keeps S3 objects (the one place to add it).
pub fn code_of(account: &Account, code: &FunctionCode) -> Result<lambda::Code, InvokeError> {
    Ok(match code {
        FunctionCode::Inline { source } => lambda::Code::Inline(source.clone()),
        FunctionCode::Zip { zip_base64 } => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(zip_base64)
                .map_err(|_| InvokeError::Runner(lambda::RunnerError::InvalidZip))?;
            lambda::Code::Zip(bytes)
        }
        FunctionCode::Dir { path } => lambda::Code::Dir(path.into()),
        FunctionCode::S3 { bucket, key, .. } => match account.get_object(bucket, key) {
            Ok((_, body)) => lambda::Code::Zip(body.as_ref().clone()),
            // Seen (users' reports of CreateFunction): Lambda's text for a package it cannot read.
            Err(e) => {
                return Err(InvokeError::Aws(account::lambda::invalid(format!(
                    "Error occurred while GetObject. S3 Error Code: {}. S3 Error Message: {}",
                    e.code(),
                    account::AwsError::message(&e)
                ))))
            }
        },
    })
}

/// The runner's view of a function record of `account`.
pub fn spec(account: &Account, f: &Function) -> Result<lambda::FunctionSpec, InvokeError> {
    let code = code_of(account, &f.code)?;
    Ok(lambda::FunctionSpec {
        name: f.function_name.clone(),
        arn: f.function_arn.clone(),
        version: Function::VERSION.to_string(),
        runtime: f.runtime.clone(),
        handler: f.handler.clone(),
        code,
        code_sha256: f.code_sha256.clone(),
        timeout_s: f.timeout,
        memory_mb: f.memory_size,
        environment: f.environment.clone(),
    })
}

/// Reads the function `given` names and mints (or reuses) credentials for
/// its execution role that outlast its timeout by a minute: a short write
/// on the account, to be followed by [`run`] after letting it go.
pub fn prepare(account: &mut Account, given: &str, options: &Options) -> Result<Prepared, InvokeError> {
    let f = account.function(given)?.clone();
    let date = account::lambda::date_of(options.now_ms);
    let deprecated = account::lambda::runtime_refusal(&f.runtime, &date, false);
    let deprecated_runtime = match deprecated {
        Some(e) if !options.allow_deprecated => return Err(InvokeError::Aws(e)),
        Some(_) => Some(f.runtime.clone()),
        None => None,
    };
    let spec = spec(account, &f)?;
    let min_left = (u64::from(f.timeout) + 60) * 1000;
    let session = account.role_credentials(&f.role, &session_name(&f), options.now_ms, min_left);
    remember(&session);
    let context = lambda::InvokeContext {
        endpoint_url: options.endpoint_url.clone(),
        region: account.region.clone(),
        access_key_id: session.access_key_id,
        secret_access_key: session.secret_access_key,
        session_token: Some(session.session_token),
        request_id: options.request_id.clone(),
    };
    Ok(Prepared { spec, context, deprecated_runtime })
}

/// Sessions minted by [`prepare`] in this process, by key ID: the endpoint
/// of the same process finds them here before the store has them (the
/// account that minted them may still be held by the caller, a stack
/// operation waiting for a custom resource's function).
static ISSUED: std::sync::Mutex<Vec<account::RoleSession>> = std::sync::Mutex::new(Vec::new());

/// How many recent sessions [`ISSUED`] keeps.
const ISSUED_KEPT: usize = 256;

fn remember(s: &account::RoleSession) {
    let mut issued = ISSUED.lock().unwrap_or_else(|p| p.into_inner());
    if !issued.iter().any(|i| i.access_key_id == s.access_key_id) {
        if issued.len() >= ISSUED_KEPT {
            issued.remove(0);
        }
        issued.push(s.clone());
    }
}

/// A session [`prepare`] minted in this process, by its key ID.
pub fn issued_session(access_key_id: &str) -> Option<account::RoleSession> {
    ISSUED.lock().unwrap_or_else(|p| p.into_inner()).iter().find(|s| s.access_key_id == access_key_id).cloned()
}

/// Runs a prepared invocation synchronously (`RequestResponse`), holding nothing of the account.
pub fn run(runner: &lambda::Runner, prepared: &Prepared, payload: &[u8]) -> Result<lambda::Invocation, InvokeError> {
    Ok(runner.invoke(&prepared.spec, &prepared.context, payload)?)
}

/// Lambda's asynchronous retries (AWS doc "Error handling and automatic
/// retries in Lambda": two more attempts after a function error, the first
/// after one minute, the second after two more).
pub const EVENT_RETRY_DELAYS: [std::time::Duration; 2] =
    [std::time::Duration::from_secs(60), std::time::Duration::from_secs(120)];

/// Runs a prepared invocation as an `Event` on its own thread, retrying
/// after errors as Lambda does (`delays`: [`EVENT_RETRY_DELAYS`], shorter in
/// tests); `done` gets every attempt's result. The same request ID is kept
/// across the retries, as Lambda does.
pub fn run_event(
    runner: Arc<lambda::Runner>,
    prepared: Prepared,
    payload: Vec<u8>,
    delays: Vec<std::time::Duration>,
    done: impl Fn(usize, &Result<lambda::Invocation, InvokeError>) + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new().name(format!("lambda-event-{}", prepared.spec.name)).spawn(move || {
        let mut prepared = prepared;
        let mut attempt = 0;
        loop {
            let result = run(&runner, &prepared, &payload);
            done(attempt, &result);
            // A function error, a timeout or a failed start is retried.
            let failed = match &result {
                Ok(inv) => inv.outcome != lambda::Outcome::Success,
                Err(_) => true,
            };
            if let Ok(inv) = &result {
                prepared.context.request_id = Some(inv.request_id.clone());
            }
            match delays.get(attempt) {
                Some(delay) if failed => std::thread::sleep(*delay),
                _ => return,
            }
            attempt += 1;
        }
    })
}

/// Writes an invocation's lines (its output and Lambda's START/END/REPORT)
/// to `/aws/lambda/<function>`, in the environment's stream, creating both
/// as Lambda does on the first write ("Sending Lambda function logs to
/// CloudWatch Logs"). A refusal (a line the service cannot take) is logged
/// and the rest kept.
pub fn record_logs(account: &mut Account, function: &str, inv: &lambda::Invocation) {
    let group = format!("/aws/lambda/{function}");
    for batch in account::logs::batches(&inv.log_lines) {
        if let Err(e) = account::logs::put_log_events(account, &group, &inv.log_stream_name, &batch, true) {
            tracing::warn!("cannot record the logs of {function} in {group}: {}", e.message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account_with(runtime: &str, allow: bool) -> Account {
        let mut a = Account::default();
        let input = account::CreateFunction {
            function_name: "fn1".into(),
            runtime: Some(runtime.into()),
            role: "arn:aws:iam::123456789012:role/exec".into(),
            handler: Some("index.handler".into()),
            code: Some(FunctionCode::Inline { source: "def handler(e, c): return e".into() }),
            timeout: Some(10),
            ..Default::default()
        };
        a.create_function(input, allow).expect("created");
        a
    }

    fn options(allow: bool) -> Options {
        Options {
            endpoint_url: "http://127.0.0.1:1".into(),
            now_ms: account::account::CLOCK_EPOCH_MS,
            request_id: Some("r-1".into()),
            allow_deprecated: allow,
        }
    }

    #[test]
    fn prepare_builds_the_spec_and_the_roles_credentials() {
        let mut a = account_with("python3.12", false);
        let p = prepare(&mut a, "fn1", &options(false)).expect("prepared");
        assert_eq!(p.spec.code, lambda::Code::Inline("def handler(e, c): return e".into()));
        assert_eq!((p.spec.timeout_s, p.spec.memory_mb), (10, 128));
        assert!(p.context.access_key_id.starts_with("ASIA"));
        let s = a.role_session(&p.context.access_key_id).expect("stored");
        assert_eq!(s.assumed_role_arn, "arn:aws:sts::123456789012:assumed-role/exec/fn1");
        assert_eq!(p.context.session_token.as_deref(), Some(s.session_token.as_str()));
        // The next invocation reuses the session.
        assert_eq!(issued_session(&p.context.access_key_id).map(|s| s.role_arn), Some(s.role_arn.clone()));
        let again = prepare(&mut a, "fn1", &options(false)).expect("prepared");
        assert_eq!(again.context.access_key_id, p.context.access_key_id);
        assert!(p.deprecated_runtime.is_none());
        assert_eq!(prepare(&mut a, "nope", &options(false)).unwrap_err().status(), 404);
    }

    #[test]
    fn deprecated_runtimes_run_only_when_allowed() {
        let mut a = account_with("python3.6", true);
        let e = prepare(&mut a, "fn1", &options(false)).unwrap_err();
        assert_eq!(e.code(), "InvalidParameterValueException");
        let p = prepare(&mut a, "fn1", &options(true)).expect("allowed");
        assert_eq!(p.deprecated_runtime.as_deref(), Some("python3.6"));
    }

    #[test]
    fn s3_code_is_read_from_the_local_s3() {
        let mut a = account_with("python3.12", false);
        let mut f = a.functions["fn1"].clone();
        f.code = FunctionCode::S3 { bucket: "code-bucket".into(), key: "k.zip".into(), object_version: None };
        let e = spec(&a, &f).unwrap_err();
        assert_eq!(e.code(), "InvalidParameterValueException");
        assert!(
            e.message().starts_with("Error occurred while GetObject. S3 Error Code: NoSuchBucket."),
            "{}",
            e.message()
        );
        a.create_bucket("code-bucket", None).expect("bucket");
        a.put_object("code-bucket", "k.zip", b"PK-bytes".to_vec(), Default::default()).expect("object");
        assert_eq!(spec(&a, &f).expect("read").code, lambda::Code::Zip(b"PK-bytes".to_vec()));
    }
}
