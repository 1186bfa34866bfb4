//! The Python runtime against real python, awslambdaric and boto3 (the venv is built once
//! into target/tmp/lambda-cache, which takes up to a minute the first time).

mod common;

use common::*;
use lambda::{Code, Outcome, RunnerError};
use std::time::{Duration, Instant};

const RUNTIME: &str = "python3.12";

#[test]
fn a_handler_returns_its_value_with_lambdas_environment() {
    let r = runner();
    let mut s = inline(
        "py-value",
        RUNTIME,
        r#"
import os, json
def handler(event, context):
    print("hello from the handler")
    keys = ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "_HANDLER",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
            "LAMBDA_TASK_ROOT", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "GREETING",
            "AWS_LAMBDA_MAX_CONCURRENCY", "CARGO_MANIFEST_DIR"]
    return {
        "event": event,
        "env": {k: os.environ.get(k) for k in keys},
        "request_id": context.aws_request_id,
        "arn": context.invoked_function_arn,
        "stream": context.log_stream_name,
        "remaining": context.get_remaining_time_in_millis(),
        "cwd": os.getcwd(),
    }
"#,
    );
    s.environment.insert("GREETING".into(), "hi".into());
    let mut c = ctx();
    c.request_id = Some("0b8a4d6c-1a9e-4a1e-9a57-0f7e7c0a1b2c".into());
    let inv = r.invoke(&s, &c, br#"{"k": [1, 2]}"#).unwrap();
    assert_eq!(inv.outcome, Outcome::Success, "{}", String::from_utf8_lossy(&inv.payload));
    assert_eq!(inv.function_error, None);
    assert_eq!(inv.request_id, "0b8a4d6c-1a9e-4a1e-9a57-0f7e7c0a1b2c");
    let v = json(&inv.payload);
    assert_eq!(v["event"], serde_json::json!({"k": [1, 2]}));
    assert_eq!(v["request_id"], inv.request_id.as_str());
    assert_eq!(v["arn"], s.arn.as_str());
    assert_eq!(v["stream"], inv.log_stream_name.as_str());
    let remaining = v["remaining"].as_i64().unwrap();
    assert!(remaining > 5_000 && remaining <= 10_000, "{remaining}");
    let env = &v["env"];
    assert_eq!(env["AWS_REGION"], "us-east-1");
    assert_eq!(env["AWS_DEFAULT_REGION"], "us-east-1");
    assert_eq!(env["AWS_LAMBDA_FUNCTION_NAME"], "py-value");
    assert_eq!(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "128");
    assert_eq!(env["AWS_LAMBDA_FUNCTION_VERSION"], "$LATEST");
    assert_eq!(env["_HANDLER"], "index.handler");
    assert_eq!(env["AWS_EXECUTION_ENV"], "AWS_Lambda_python3.12");
    assert_eq!(env["AWS_LAMBDA_LOG_GROUP_NAME"], "/aws/lambda/py-value");
    assert_eq!(env["AWS_LAMBDA_LOG_STREAM_NAME"], inv.log_stream_name.as_str());
    assert_eq!(env["AWS_LAMBDA_INITIALIZATION_TYPE"], "on-demand");
    assert_eq!(env["AWS_ACCESS_KEY_ID"], "AKIAIOSFODNN7EXAMPLE");
    assert_eq!(env["AWS_SESSION_TOKEN"], "token-1");
    assert_eq!(env["AWS_ENDPOINT_URL"], "http://127.0.0.1:4566");
    assert_eq!(env["GREETING"], "hi");
    assert_eq!(env["AWS_LAMBDA_MAX_CONCURRENCY"], serde_json::Value::Null);
    assert_eq!(env["CARGO_MANIFEST_DIR"], serde_json::Value::Null, "the host's environment is not passed");
    assert_eq!(env["LAMBDA_TASK_ROOT"], v["cwd"]);
    // The stream name has Lambda's shape: YYYY/MM/DD/[$LATEST]<32 hex>.
    let (date, rest) = inv.log_stream_name.split_at(10);
    assert_eq!(date.len(), 10);
    assert!(date.chars().filter(|c| *c == '/').count() == 2, "{date}");
    let hex = rest.strip_prefix("/[$LATEST]").unwrap();
    assert!(hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()));
    // The handler's output is between START and END.
    let lines: Vec<&str> = inv.log_lines.iter().map(|(_, l)| l.as_str()).collect();
    let hello = lines.iter().position(|l| *l == "hello from the handler").unwrap();
    let start = lines.iter().position(|l| l.starts_with("START ")).unwrap();
    let end = lines.iter().position(|l| l.starts_with("END ")).unwrap();
    assert!(start < hello && hello < end, "{lines:#?}");
    assert_platform_lines(&inv, 128, true);
}

#[test]
fn a_warm_second_invocation_reuses_the_environment() {
    let r = runner();
    let s = inline(
        "py-warm",
        RUNTIME,
        "import os\nCOUNT = [0]\ndef handler(event, context):\n    COUNT[0] += 1\n    return [os.getpid(), COUNT[0]]\n",
    );
    let a = r.invoke(&s, &ctx(), b"{}").unwrap();
    let b = r.invoke(&s, &ctx(), b"{}").unwrap();
    let (a, b2) = (json(&a.payload), json(&b.payload));
    assert_eq!(a[0], b2[0], "same process");
    assert_eq!(b2[1], 2, "module state survives, as in a warm Lambda environment");
    assert_platform_lines(&b, 128, false);
    // New credentials mean a new environment (its variables are fixed at start).
    let mut c = ctx();
    c.session_token = Some("token-2".into());
    let d = json(&r.invoke(&s, &c, b"{}").unwrap().payload);
    assert_ne!(d[0], a[0]);
    // So does retire (the function's code or configuration changed).
    r.retire("py-warm");
    let e = json(&r.invoke(&s, &c, b"{}").unwrap().payload);
    assert_ne!(e[0], d[0]);
}

#[test]
fn concurrent_invocations_get_their_own_environments() {
    let r = runner();
    let s = inline(
        "py-concurrent",
        RUNTIME,
        "import os, time\ndef handler(event, context):\n    time.sleep(0.7)\n    return os.getpid()\n",
    );
    let pids: Vec<serde_json::Value> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..2).map(|_| sc.spawn(|| json(&r.invoke(&s, &ctx(), b"{}").unwrap().payload))).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_ne!(pids[0], pids[1]);
}

#[test]
fn a_raised_exception_is_a_function_error_with_awslambdarics_payload() {
    let r = runner();
    let s =
        inline("py-raise", RUNTIME, "def handler(event, context):\n    raise ValueError('bad input: ' + event['x'])\n");
    let inv = r.invoke(&s, &ctx(), br#"{"x": "7"}"#).unwrap();
    assert_eq!(inv.outcome, Outcome::FunctionError);
    assert_eq!(inv.function_error.as_deref(), Some("Unhandled"));
    let v = json(&inv.payload);
    assert_eq!(v["errorType"], "ValueError");
    assert_eq!(v["errorMessage"], "bad input: 7");
    assert_eq!(v["requestId"], inv.request_id.as_str());
    assert!(v["stackTrace"].as_array().is_some_and(|t| !t.is_empty()));
    // The environment survives a handled error, as in Lambda.
    let again = r.invoke(&s, &ctx(), br#"{"x": "8"}"#).unwrap();
    assert_platform_lines(&again, 128, false);
}

#[test]
fn a_handler_past_its_timeout_is_killed_with_lambdas_timeout_payload() {
    let r = runner();
    let mut s = inline(
        "py-timeout",
        RUNTIME,
        "import time, os\ndef handler(event, context):\n    if event.get('sleep'):\n        time.sleep(30)\n    return os.getpid()\n",
    );
    s.timeout_s = 1;
    let first = json(&r.invoke(&s, &ctx(), b"{}").unwrap().payload);
    let t = Instant::now();
    let inv = r.invoke(&s, &ctx(), br#"{"sleep": true}"#).unwrap();
    let took = t.elapsed();
    assert!(took >= Duration::from_millis(1000) && took < Duration::from_secs(4), "{took:?}");
    assert_eq!(inv.outcome, Outcome::TimedOut);
    assert_eq!(inv.function_error.as_deref(), Some("Unhandled"));
    let v = json(&inv.payload);
    let msg = v["errorMessage"].as_str().unwrap();
    // `2020-11-10T05:46:57.874Z <request id> Task timed out after 1.00 seconds`
    let (ts, rest) = msg.split_once(' ').unwrap();
    assert!(ts.len() == 24 && ts.ends_with('Z') && ts.as_bytes()[10] == b'T', "{msg}");
    // The seconds are the elapsed time to 2 decimals, as Lambda writes it ("3.07 seconds").
    let secs = rest
        .strip_prefix(&format!("{} Task timed out after ", inv.request_id))
        .and_then(|r| r.strip_suffix(" seconds"))
        .unwrap_or_else(|| panic!("{msg}"));
    assert_eq!(secs.split('.').nth(1).map(str::len), Some(2), "{msg}");
    let secs: f64 = secs.parse().unwrap();
    assert!((1.0..1.5).contains(&secs), "{msg}");
    let last = &inv.log_lines.last().unwrap().1;
    assert_eq!(last, msg, "the timeout line follows REPORT");
    assert!(inv.duration_ms >= 1000.0 && inv.duration_ms < 1500.0);
    // The killed environment is replaced.
    let next = json(&r.invoke(&s, &ctx(), b"{}").unwrap().payload);
    assert_ne!(next, first);
}

fn init_error(name: &str, source: &str, handler: &str) -> serde_json::Value {
    let r = runner();
    let mut s = inline(name, RUNTIME, source);
    s.handler = handler.into();
    let t = Instant::now();
    let inv = r.invoke(&s, &ctx(), b"{}").unwrap();
    assert!(t.elapsed() < Duration::from_secs(10), "no hang");
    assert_eq!(inv.outcome, Outcome::InitError, "{}", String::from_utf8_lossy(&inv.payload));
    assert_eq!(inv.function_error.as_deref(), Some("Unhandled"));
    json(&inv.payload)
}

#[test]
fn a_module_that_does_not_import_is_an_import_module_error() {
    let v = init_error("py-import", "import nosuchmodule_xyz\n", "index.handler");
    assert_eq!(v["errorType"], "Runtime.ImportModuleError");
    assert_eq!(v["errorMessage"], "Unable to import module 'index': No module named 'nosuchmodule_xyz'");
}

#[test]
fn a_missing_handler_is_handler_not_found() {
    let v = init_error("py-nohandler", "def other(e, c):\n    return 1\n", "index.handler");
    assert_eq!(v["errorType"], "Runtime.HandlerNotFound");
    assert_eq!(v["errorMessage"], "Handler 'handler' missing on module 'index'");
}

#[test]
fn a_syntax_error_is_user_code_syntax_error() {
    let v = init_error("py-syntax", "def handler(e, c)\n    return 1\n", "index.handler");
    assert_eq!(v["errorType"], "Runtime.UserCodeSyntaxError");
    assert!(v["errorMessage"].as_str().unwrap().starts_with("Syntax error in module 'index'"));
}

#[test]
fn a_runtime_that_exits_is_runtime_exit_error() {
    let v = init_error("py-exit-init", "import sys\nsys.exit(1)\n", "index.handler");
    assert_eq!(v["errorType"], "Runtime.ExitError");
    let msg = v["errorMessage"].as_str().unwrap();
    assert!(
        msg.starts_with("RequestId: ") && msg.ends_with(" Error: Runtime exited with error: exit status 1"),
        "{msg}"
    );
    // During an invocation.
    let r = runner();
    let s = inline("py-exit", RUNTIME, "import os\ndef handler(e, c):\n    os._exit(3)\n");
    let inv = r.invoke(&s, &ctx(), b"{}").unwrap();
    assert_eq!(inv.outcome, Outcome::FunctionError);
    let v = json(&inv.payload);
    assert_eq!(v["errorType"], "Runtime.ExitError");
    assert_eq!(
        v["errorMessage"],
        format!("RequestId: {} Error: Runtime exited with error: exit status 3", inv.request_id)
    );
}

#[test]
fn memory_over_memory_size_is_out_of_memory() {
    let r = runner();
    let mut s = inline(
        "py-oom",
        RUNTIME,
        "import time\ndef handler(e, c):\n    b = bytearray(300 * 1024 * 1024)\n    for i in range(0, len(b), 4096):\n        b[i] = 1\n    time.sleep(1)\n    return len(b)\n",
    );
    s.memory_mb = 128;
    let inv = r.invoke(&s, &ctx(), b"{}").unwrap();
    assert_eq!(inv.outcome, Outcome::FunctionError);
    let v = json(&inv.payload);
    assert_eq!(v["errorType"], "Runtime.ExitError");
    assert_eq!(
        v["errorMessage"],
        format!("RequestId: {} Error: Runtime exited with error: signal: killed", inv.request_id)
    );
    // With room, the same handler succeeds.
    s.memory_mb = 1024;
    let inv = r.invoke(&s, &ctx(), b"{}").unwrap();
    assert_eq!(inv.outcome, Outcome::Success);
    assert_eq!(json(&inv.payload), 300 * 1024 * 1024);
}

#[test]
fn a_response_over_6_mb_is_function_response_size_too_large() {
    let r = runner();
    let s = inline(
        "py-big",
        RUNTIME,
        "import os\ndef handler(e, c):\n    return {'pid': os.getpid(), 'x': 'a' * e['n']}\n",
    );
    let inv = r.invoke(&s, &ctx(), br#"{"n": 7000000}"#).unwrap();
    assert_eq!(inv.outcome, Outcome::FunctionError);
    let v = json(&inv.payload);
    assert_eq!(v["errorType"], "Function.ResponseSizeTooLarge");
    assert_eq!(v["errorMessage"], "Response payload size exceeded maximum allowed payload size (6291556 bytes).");
    // Just under the limit passes.
    let inv = r.invoke(&s, &ctx(), br#"{"n": 6000000}"#).unwrap();
    assert_eq!(inv.outcome, Outcome::Success);
    assert!(inv.payload.len() > 6_000_000);
}

#[test]
fn a_bad_zip_is_refused_with_lambdas_text() {
    let r = runner();
    let s = spec("py-badzip", RUNTIME, Code::Zip(b"not a zip".to_vec()), "index.handler");
    let e = r.invoke(&s, &ctx(), b"{}").unwrap_err();
    assert_eq!(e, RunnerError::InvalidZip);
    assert_eq!(e.code(), "InvalidParameterValueException");
    assert_eq!(e.status(), 400);
}

#[test]
fn an_unsupported_runtime_is_refused() {
    let r = runner();
    let s = inline("java", "java21", "x");
    assert!(matches!(r.invoke(&s, &ctx(), b"{}"), Err(RunnerError::UnsupportedRuntime(_))));
}

#[test]
fn a_zip_package_runs_from_its_subfolder_and_boto3_is_importable() {
    use std::io::Write;
    let mut buf = Vec::new();
    {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(&mut buf));
        let o = zip::write::SimpleFileOptions::default();
        w.start_file("app/__init__.py", o).unwrap();
        w.start_file("app/main.py", o).unwrap();
        w.write_all(
            b"import boto3\n\
def handler(event, context):\n    \
    c = boto3.client('sts')\n    \
    return {'boto3': boto3.__version__, 'endpoint': c.meta.endpoint_url, 'region': c.meta.region_name}\n",
        )
        .unwrap();
        w.finish().unwrap();
    }
    let r = runner();
    let s = spec("py-zip", RUNTIME, Code::Zip(buf), "app/main.handler");
    let inv = r.invoke(&s, &ctx(), b"{}").unwrap();
    assert_eq!(inv.outcome, Outcome::Success, "{}", String::from_utf8_lossy(&inv.payload));
    let v = json(&inv.payload);
    assert_eq!(v["boto3"], "1.44.8");
    assert_eq!(v["endpoint"], "http://127.0.0.1:4566", "AWS_ENDPOINT_URL reaches boto3");
    assert_eq!(v["region"], "us-east-1");
}

#[test]
fn cfnresponse_puts_the_documented_body_to_the_response_url() {
    let (url, rx) = one_shot_server();
    let r = runner();
    let s = inline(
        "py-cfn",
        RUNTIME,
        "import cfnresponse\n\
def handler(event, context):\n    \
    cfnresponse.send(event, context, cfnresponse.SUCCESS, {'Answer': '42'})\n",
    );
    let event = serde_json::json!({
        "RequestType": "Create",
        "ResponseURL": format!("{url}/cfn-response/abc?X-Amz-Signature=sig"),
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
        "RequestId": "req-1",
        "LogicalResourceId": "Custom1",
        "ResourceType": "Custom::Thing",
        "ResourceProperties": {"ServiceToken": s.arn},
    });
    let inv = r.invoke(&s, &ctx(), event.to_string().as_bytes()).unwrap();
    assert_eq!(inv.outcome, Outcome::Success, "{}", String::from_utf8_lossy(&inv.payload));
    let got = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(got.method, "PUT");
    assert_eq!(got.path, "/cfn-response/abc?X-Amz-Signature=sig");
    assert_eq!(got.header("content-type"), Some(""));
    let body = json(&got.body);
    assert_eq!(body["Status"], "SUCCESS");
    assert_eq!(body["Reason"], format!("See the details in CloudWatch Log Stream: {}", inv.log_stream_name));
    assert_eq!(body["PhysicalResourceId"], inv.log_stream_name.as_str());
    assert_eq!(body["StackId"], event["StackId"]);
    assert_eq!(body["RequestId"], "req-1");
    assert_eq!(body["LogicalResourceId"], "Custom1");
    assert_eq!(body["NoEcho"], false);
    assert_eq!(body["Data"], serde_json::json!({"Answer": "42"}));
    // A failed upload is swallowed: the handler still returns.
    let event2 = serde_json::json!({
        "ResponseURL": "http://127.0.0.1:9/nothing-listens",
        "StackId": "s", "RequestId": "r", "LogicalResourceId": "l",
    });
    let inv = r.invoke(&s, &ctx(), event2.to_string().as_bytes()).unwrap();
    assert_eq!(inv.outcome, Outcome::Success);
}

#[test]
fn cfnresponse_is_only_there_for_inline_code() {
    let dir = std::env::temp_dir().join(format!("tn-lambda-dir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.py"), "import cfnresponse\ndef handler(e, c):\n    return 1\n").unwrap();
    let r = runner();
    let s = spec("py-dir", RUNTIME, Code::Dir(dir.clone()), "index.handler");
    let inv = r.invoke(&s, &ctx(), b"{}").unwrap();
    assert_eq!(inv.outcome, Outcome::InitError);
    assert_eq!(json(&inv.payload)["errorType"], "Runtime.ImportModuleError");
    let _ = std::fs::remove_dir_all(&dir);
}
