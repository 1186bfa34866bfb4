//! AWS Lambda (rest-json): the function actions over the account's
//! functions, and Invoke, which runs the function through
//! `runtime::functions` without holding the account (the function calls
//! back into this endpoint, which needs it).

use super::{input, pages};
use crate::dispatch::{outside, read, write, Operation, Outside, Read, Write};
use crate::error::WireError;
use account::{ConfigurationUpdate, CreateFunction, Function, FunctionCode};
use base64::Engine as _;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Lambda's operations.
pub const OPERATIONS: &[Operation] = &[
    write("CreateFunction", create_function),
    read("GetFunction", get_function),
    read("GetFunctionConfiguration", get_function_configuration),
    read("ListFunctions", list_functions),
    write("UpdateFunctionCode", update_function_code),
    write("UpdateFunctionConfiguration", update_function_configuration),
    write("DeleteFunction", delete_function),
    outside("Invoke", invoke),
];

fn aws(e: &account::ServiceError) -> WireError {
    WireError::from_aws(e)
}

/// `FunctionConfiguration`, as Lambda describes a function.
pub fn configuration(f: &Function) -> Value {
    let mut c = json!({
        "FunctionName": f.function_name,
        "FunctionArn": f.function_arn,
        "Runtime": f.runtime,
        "Role": f.role,
        "Handler": f.handler,
        "CodeSize": f.code_size,
        "Description": f.description,
        "Timeout": f.timeout,
        "MemorySize": f.memory_size,
        "LastModified": account::lambda::last_modified_text(f.last_modified_ms),
        "CodeSha256": f.code_sha256,
        "Version": Function::VERSION,
        "TracingConfig": {"Mode": "PassThrough"},
        "RevisionId": f.revision_id,
        "State": f.state.as_str(),
        "LastUpdateStatus": "Successful",
        "PackageType": Function::PACKAGE_TYPE,
        "Architectures": f.architectures,
        // Lambda's defaults (AWS doc "Configuring ephemeral storage": 512 MB; "Lambda logging": Text to /aws/lambda/<name>).
        "EphemeralStorage": {"Size": 512},
        "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
        "LoggingConfig": {"LogFormat": "Text", "LogGroup": format!("/aws/lambda/{}", f.function_name)},
    });
    // Lambda leaves Environment out when the function has none.
    if !f.environment.is_empty() {
        c["Environment"] = json!({ "Variables": f.environment });
    }
    c
}

/// `Code` of CreateFunction/UpdateFunctionCode: a zip (base64 in the
/// JSON), or an S3 object; images are not run by tasknet.
fn code_of(doc: &Value) -> Result<Option<FunctionCode>, WireError> {
    if let Some(zip) = input::text(doc, "ZipFile") {
        // Lambda's checks of a package (its zip form, its unzipped size), as the runner reads it.
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(zip)
            .map_err(|_| WireError::bad("InvalidParameterValueException", lambda::RunnerError::InvalidZip.message()))?;
        lambda::check_zip(&bytes).map_err(|e| WireError::new(e.status(), e.code(), e.message()))?;
        return Ok(Some(FunctionCode::Zip { zip_base64: zip.to_string() }));
    }
    if let (Some(bucket), Some(key)) = (input::text(doc, "S3Bucket"), input::text(doc, "S3Key")) {
        return Ok(Some(FunctionCode::S3 {
            bucket: bucket.into(),
            key: key.into(),
            object_version: input::text(doc, "S3ObjectVersion").map(str::to_string),
        }));
    }
    if input::text(doc, "ImageUri").is_some() {
        // tasknet's words: it runs zip packages only.
        return Err(WireError::bad(
            "InvalidParameterValueException",
            "tasknet runs only Zip packages, not container images.",
        ));
    }
    Ok(None)
}

fn string_map(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
        .unwrap_or_default()
}

fn variables(input: &Value) -> Option<BTreeMap<String, String>> {
    input.get("Environment").map(|e| string_map(&e["Variables"]))
}

fn create_function(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    if input::text(input, "PackageType") == Some("Image") {
        return Err(WireError::bad(
            "InvalidParameterValueException",
            "tasknet runs only Zip packages, not container images.",
        ));
    }
    let spec = CreateFunction {
        function_name: input::text(input, "FunctionName").unwrap_or_default().to_string(),
        runtime: input::text(input, "Runtime").map(str::to_string),
        role: input::text(input, "Role").unwrap_or_default().to_string(),
        handler: input::text(input, "Handler").map(str::to_string),
        code: code_of(&input["Code"])?,
        description: input::text(input, "Description").map(str::to_string),
        timeout: input::int(input, "Timeout"),
        memory_size: input::int(input, "MemorySize"),
        environment: variables(input),
        architectures: input.get("Architectures").map(|_| input::texts(input, "Architectures")),
        tags: string_map(&input["Tags"]),
    };
    let allow = w.server.allow_deprecated_runtimes();
    let f = w.session.account.create_function(spec, allow).map_err(|e| aws(&e))?;
    if f.deprecated_runtime_allowed {
        w.server.warn_deprecated(&f.function_name, &f.runtime);
    }
    Ok(configuration(&f))
}

/// The name (and qualifier) a request names the function by.
fn given(input: &Value) -> String {
    let name = input::text(input, "FunctionName").unwrap_or_default();
    match input::text(input, "Qualifier") {
        Some(q) => format!("{name}:{q}"),
        None => name.to_string(),
    }
}

fn get_function(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let f = r.account.function(&given(input)).map_err(|e| aws(&e))?;
    let mut code = Map::new();
    code.insert("RepositoryType".into(), "S3".into());
    if matches!(f.code, FunctionCode::Zip { .. } | FunctionCode::Inline { .. }) {
        code.insert("Location".into(), r.server.code_location(f).into());
    }
    let mut out = json!({ "Configuration": configuration(f), "Code": code });
    if !f.tags.is_empty() {
        out["Tags"] = json!(f.tags);
    }
    Ok(out)
}

fn get_function_configuration(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    r.account.function(&given(input)).map(configuration).map_err(|e| aws(&e))
}

/// ListFunctions. AWS doc "ListFunctions": at most 50 per page "even if
/// you set the number higher".
fn list_functions(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let all: Vec<Value> = r.account.list_functions().into_iter().map(configuration).collect();
    let size = input::int(input, "MaxItems").map(|n| n.min(50));
    let limits = pages::Limits { default: 50, max: 50 };
    let bad = |m: String| WireError::bad("InvalidParameterValueException", m);
    let (page, next) = pages::page(&all, input::text(input, "Marker"), size, limits, bad)?;
    Ok(json!({ "Functions": page, "NextMarker": next }))
}

fn update_function_code(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    // CreateFunction's text for no code (seen, aws/aws-sdk-go#2183); UpdateFunctionCode's is inferred to be the same.
    let code = code_of(input)?.ok_or_else(|| {
        WireError::bad("InvalidParameterValueException", "Please provide a source for function code.")
    })?;
    let allow = w.server.allow_deprecated_runtimes();
    let f = w.session.account.update_function_code(&given(input), code, allow).map_err(|e| aws(&e))?;
    w.server.runner().retire(&f.function_name);
    Ok(configuration(&f))
}

fn update_function_configuration(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let update = ConfigurationUpdate {
        runtime: input::text(input, "Runtime").map(str::to_string),
        role: input::text(input, "Role").map(str::to_string),
        handler: input::text(input, "Handler").map(str::to_string),
        description: input::text(input, "Description").map(str::to_string),
        timeout: input::int(input, "Timeout"),
        memory_size: input::int(input, "MemorySize"),
        environment: variables(input),
    };
    let allow = w.server.allow_deprecated_runtimes();
    let f = w.session.account.update_function_configuration(&given(input), update, allow).map_err(|e| aws(&e))?;
    if f.deprecated_runtime_allowed {
        w.server.warn_deprecated(&f.function_name, &f.runtime);
    }
    w.server.runner().retire(&f.function_name);
    Ok(configuration(&f))
}

/// DeleteFunction: 204, as Lambda answers (its model says 200).
fn delete_function(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let f = w.session.account.delete_function(&given(input)).map_err(|e| aws(&e))?;
    w.server.runner().retire(&f.function_name);
    Ok(json!({ "StatusCode": 204 }))
}

/// The wall clock, ms.
fn now_ms() -> u64 {
    runtime::clock::wall_clock_ms()
}

fn invoke_error(e: &runtime::functions::InvokeError) -> WireError {
    WireError::new(e.status(), e.code(), e.message())
}

/// The base64 of the log's last 4 KB (`X-Amz-Log-Result` with `LogType: Tail`).
fn log_tail(lines: &[(u64, String)]) -> String {
    let text: String = lines.iter().map(|(_, l)| format!("{}\n", l.trim_end_matches('\n'))).collect();
    let mut start = text.len().saturating_sub(4096);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    base64::engine::general_purpose::STANDARD.encode(&text.as_bytes()[start..])
}

/// The delays between an Event invocation's retries: Lambda's, unless
/// `TASKNET_LAMBDA_RETRY_DELAYS_MS` (comma-separated, for tests) says otherwise.
fn retry_delays() -> Vec<std::time::Duration> {
    match std::env::var("TASKNET_LAMBDA_RETRY_DELAYS_MS") {
        Ok(v) => v.split(',').filter_map(|n| n.trim().parse().ok()).map(std::time::Duration::from_millis).collect(),
        Err(_) => runtime::functions::EVENT_RETRY_DELAYS.to_vec(),
    }
}

/// Invoke: `RequestResponse` (200 with the payload), `Event` (202, run in
/// the background with Lambda's retries), `DryRun` (204).
fn invoke(o: &Outside<'_>, input: &Value) -> Result<Value, WireError> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut payload = input::text(input, "Payload").and_then(|p| b64.decode(p).ok()).unwrap_or_default();
    if payload.iter().all(u8::is_ascii_whitespace) {
        // Inferred: an invocation without a payload gets an empty JSON object.
        payload = b"{}".to_vec();
    }
    if let Err(e) = serde_json::from_slice::<Value>(&payload) {
        // Seen (awsdocs/aws-lambda-developer-guide#382): the prefix is Lambda's; the detail after it is
        // its JSON parser's (Jackson's), so tasknet's own parser's words stand there.
        return Err(WireError::bad(
            "InvalidRequestContentException",
            format!("Could not parse request body into json: Could not parse payload into json: {e}"),
        ));
    }
    let options = runtime::functions::Options {
        endpoint_url: o.server.endpoint_url(),
        now_ms: now_ms(),
        request_id: Some(o.request_id.to_string()),
        allow_deprecated: o.server.allow_deprecated_runtimes(),
    };
    let target = given(input);
    let prepared = o
        .server
        .mutate(|s| runtime::functions::prepare(&mut s.account, &target, &options).map_err(|e| invoke_error(&e)))?;
    if let Some(rt) = &prepared.deprecated_runtime {
        o.server.warn_deprecated(&prepared.spec.name, rt);
    }
    match input::text(input, "InvocationType").unwrap_or("RequestResponse") {
        "DryRun" => Ok(json!({ "StatusCode": 204 })),
        "Event" => {
            let name = prepared.spec.name.clone();
            let server = Arc::clone(o.server);
            let done = move |attempt: usize, r: &Result<lambda::Invocation, runtime::functions::InvokeError>| {
                match r {
                    Ok(inv) if inv.outcome == lambda::Outcome::Success => {
                        tracing::info!("function {name}: event {} succeeded (attempt {})", inv.request_id, attempt + 1);
                    }
                    Ok(inv) => {
                        tracing::warn!("function {name}: event {} failed (attempt {})", inv.request_id, attempt + 1)
                    }
                    Err(e) => tracing::warn!("function {name}: event could not run (attempt {}): {e}", attempt + 1),
                }
                if let Ok(inv) = r {
                    record(&server, &name, inv);
                }
            };
            runtime::functions::run_event(Arc::clone(o.server.runner()), prepared, payload, retry_delays(), done)
                .map_err(|e| WireError::new(500, "ServiceException", format!("cannot start the invocation: {e}")))?;
            Ok(json!({ "StatusCode": 202 }))
        }
        _ => {
            let inv = runtime::functions::run(o.server.runner(), &prepared, &payload).map_err(|e| invoke_error(&e))?;
            record(o.server, &prepared.spec.name, &inv);
            let mut out = json!({
                "StatusCode": 200,
                "Payload": b64.encode(&inv.payload),
                "ExecutedVersion": Function::VERSION,
                "FunctionError": inv.function_error,
            });
            if input::text(input, "LogType") == Some("Tail") {
                out["LogResult"] = log_tail(&inv.log_lines).into();
            }
            Ok(out)
        }
    }
}

/// Writes an invocation's lines to `/aws/lambda/<name>` (a failure to is logged, never the call's).
fn record(server: &crate::server::State, name: &str, inv: &lambda::Invocation) {
    let written = server.mutate(|s| {
        runtime::functions::record_logs(&mut s.account, name, inv);
        Ok(())
    });
    if let Err(e) = written {
        tracing::warn!("cannot record the logs of {name}: {}", e.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_tail_is_the_last_4_kb_in_base64() {
        let lines: Vec<(u64, String)> = (0..1000).map(|i| (0, format!("line {i}"))).collect();
        let tail = base64::engine::general_purpose::STANDARD.decode(log_tail(&lines)).expect("base64");
        assert_eq!(tail.len(), 4096);
        assert!(String::from_utf8_lossy(&tail).ends_with("line 999\n"));
    }
}
