//! The Node.js runtime (our bootstrap) against the machine's real node.

mod common;

use common::*;
use lambda::{Code, Outcome};
use std::time::{Duration, Instant};

const RUNTIME: &str = "nodejs20.x";

#[test]
fn an_async_handler_returns_its_value_and_warm_calls_reuse_the_process() {
    let r = runner();
    let s = inline(
        "js-value",
        RUNTIME,
        r#"
let count = 0;
exports.handler = async (event, context) => {
  count += 1;
  console.log('hello', { n: count });
  return {
    event, pid: process.pid, count,
    fn: context.functionName, id: context.awsRequestId, stream: context.logStreamName,
    mem: context.memoryLimitInMB, arn: context.invokedFunctionArn,
    remaining: context.getRemainingTimeInMillis(),
    endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION,
    execEnv: process.env.AWS_EXECUTION_ENV,
  };
};
"#,
    );
    let a = r.invoke(&s, &ctx(), br#"{"a": 1}"#).unwrap();
    assert_eq!(a.outcome, Outcome::Success, "{}", String::from_utf8_lossy(&a.payload));
    let v = json(&a.payload);
    assert_eq!(v["event"], serde_json::json!({"a": 1}));
    assert_eq!(v["fn"], "js-value");
    assert_eq!(v["id"], a.request_id.as_str());
    assert_eq!(v["stream"], a.log_stream_name.as_str());
    assert_eq!(v["mem"], "128");
    assert_eq!(v["arn"], s.arn.as_str());
    assert_eq!(v["endpoint"], "http://127.0.0.1:4566");
    assert_eq!(v["region"], "us-east-1");
    assert_eq!(v["execEnv"], "AWS_Lambda_nodejs20.x");
    assert!(v["remaining"].as_i64().unwrap() > 5000);
    // console.log as Lambda formats it: time, request id, level, message.
    let line = a.log_lines.iter().map(|(_, l)| l.as_str()).find(|l| l.contains("\tINFO\thello")).expect("console line");
    let parts: Vec<&str> = line.split('\t').collect();
    assert_eq!(parts[1], a.request_id);
    assert_eq!(parts[3], "hello { n: 1 }");
    assert_platform_lines(&a, 128, true);
    let b = r.invoke(&s, &ctx(), b"{}").unwrap();
    let w = json(&b.payload);
    assert_eq!(w["pid"], v["pid"]);
    assert_eq!(w["count"], 2);
    assert_platform_lines(&b, 128, false);
}

#[test]
fn callback_and_context_styles_answer() {
    let r = runner();
    let s = inline(
        "js-callback",
        RUNTIME,
        r#"
exports.handler = function (event, context, callback) {
  if (event.style === 'callback') setTimeout(() => callback(null, 'cb'), 10);
  else if (event.style === 'succeed') context.succeed('ok');
  else if (event.style === 'fail') context.fail(new TypeError('nope'));
  else callback(new Error('cb error'));
};
"#,
    );
    let inv = |style: &str| r.invoke(&s, &ctx(), format!("{{\"style\":\"{style}\"}}").as_bytes()).unwrap();
    assert_eq!(json(&inv("callback").payload), "cb");
    assert_eq!(json(&inv("succeed").payload), "ok");
    let f = inv("fail");
    assert_eq!(f.outcome, Outcome::FunctionError);
    assert_eq!(json(&f.payload)["errorType"], "TypeError");
    let e = inv("error");
    assert_eq!(e.outcome, Outcome::FunctionError);
    let v = json(&e.payload);
    assert_eq!(v["errorType"], "Error");
    assert_eq!(v["errorMessage"], "cb error");
}

#[test]
fn a_thrown_error_is_a_function_error_with_lambdas_shape() {
    let r = runner();
    let s = inline("js-throw", RUNTIME, "exports.handler = async () => { throw new RangeError('too far'); };");
    let inv = r.invoke(&s, &ctx(), b"{}").unwrap();
    assert_eq!(inv.outcome, Outcome::FunctionError);
    assert_eq!(inv.function_error.as_deref(), Some("Unhandled"));
    let v = json(&inv.payload);
    assert_eq!(v["errorType"], "RangeError");
    assert_eq!(v["errorMessage"], "too far");
    assert!(v["trace"][0].as_str().unwrap().starts_with("RangeError: too far"));
}

fn init_error(name: &str, code: Code, handler: &str) -> serde_json::Value {
    let r = runner();
    let s = spec(name, RUNTIME, code, handler);
    let t = Instant::now();
    let inv = r.invoke(&s, &ctx(), b"{}").unwrap();
    assert!(t.elapsed() < Duration::from_secs(10));
    assert_eq!(inv.outcome, Outcome::InitError, "{}", String::from_utf8_lossy(&inv.payload));
    json(&inv.payload)
}

#[test]
fn init_failures_have_lambdas_error_types() {
    let v = init_error("js-nomod", Code::Inline("exports.handler = 1;".into()), "missing.handler");
    assert_eq!(v["errorType"], "Runtime.ImportModuleError");
    assert!(v["errorMessage"].as_str().unwrap().contains("Cannot find module 'missing'"), "{v}");
    let v = init_error("js-nohandler", Code::Inline("exports.other = () => 1;".into()), "index.handler");
    assert_eq!(v["errorType"], "Runtime.HandlerNotFound");
    assert_eq!(v["errorMessage"], "index.handler is undefined or not exported");
    let v = init_error("js-syntax", Code::Inline("exports.handler = async () => {".into()), "index.handler");
    assert_eq!(v["errorType"], "Runtime.UserCodeSyntaxError");
    assert!(v["errorMessage"].as_str().unwrap().starts_with("SyntaxError: "), "{v}");
    let v = init_error("js-require", Code::Inline("require('nosuchpkg_xyz');".into()), "index.handler");
    assert_eq!(v["errorType"], "Runtime.ImportModuleError");
    let v = init_error("js-exit", Code::Inline("process.exit(1);".into()), "index.handler");
    assert_eq!(v["errorType"], "Runtime.ExitError");
    assert!(v["errorMessage"].as_str().unwrap().ends_with("Error: Runtime exited with error: exit status 1"));
}

#[test]
fn a_handler_past_its_timeout_is_killed() {
    let r = runner();
    let mut s = inline(
        "js-timeout",
        RUNTIME,
        "exports.handler = (e) => e.forever ? new Promise(() => {}) : new Promise((r) => setTimeout(r, 30000));",
    );
    s.timeout_s = 1;
    let t = Instant::now();
    let inv = r.invoke(&s, &ctx(), b"{}").unwrap();
    assert!(t.elapsed() < Duration::from_secs(4));
    assert_platform_lines(&inv, 128, true);
    assert_eq!(inv.outcome, Outcome::TimedOut);
    let msg = json(&inv.payload)["errorMessage"].as_str().unwrap().to_string();
    let tail = msg.split_once(&format!(" {} Task timed out after 1.", inv.request_id)).map(|(_, t)| t);
    assert!(tail.is_some_and(|t| t.len() == " seconds".len() + 2 && t.ends_with(" seconds")), "{msg}");
    // A promise that can never settle, once the event loop is empty, answers null.
    let inv = r.invoke(&s, &ctx(), br#"{"forever": true}"#).unwrap();
    assert_eq!(inv.outcome, Outcome::Success);
    assert_eq!(inv.payload, b"null");
}

#[test]
fn an_mjs_module_loads() {
    let dir = std::env::temp_dir().join(format!("tn-lambda-mjs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("app.mjs"), "export const handler = async (e) => ({ esm: true, e });").unwrap();
    let r = runner();
    let s = spec("js-mjs", RUNTIME, Code::Dir(dir.clone()), "app.handler");
    let inv = r.invoke(&s, &ctx(), b"5").unwrap();
    assert_eq!(json(&inv.payload), serde_json::json!({"esm": true, "e": 5}));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cfn_response_honours_the_urls_port() {
    let (url, rx) = one_shot_server();
    let r = runner();
    let s = inline(
        "js-cfn",
        RUNTIME,
        r#"
const response = require('cfn-response');
exports.handler = function (event, context) {
  response.send(event, context, response.SUCCESS, { Value: 'v' }, 'phys-1');
};
"#,
    );
    let event = serde_json::json!({
        "RequestType": "Create",
        "ResponseURL": format!("{url}/resp?sig=1"),
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
        "RequestId": "req-9",
        "LogicalResourceId": "Res",
    });
    let inv = r.invoke(&s, &ctx(), event.to_string().as_bytes()).unwrap();
    assert_eq!(inv.outcome, Outcome::Success, "{}", String::from_utf8_lossy(&inv.payload));
    let got = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(got.method, "PUT");
    assert_eq!(got.path, "/resp?sig=1");
    assert_eq!(got.header("content-type"), Some(""));
    let body = json(&got.body);
    assert_eq!(body["Status"], "SUCCESS");
    assert_eq!(body["PhysicalResourceId"], "phys-1");
    assert_eq!(body["Reason"], format!("See the details in CloudWatch Log Stream: {}", inv.log_stream_name));
    assert_eq!(body["RequestId"], "req-9");
    assert_eq!(body["LogicalResourceId"], "Res");
    assert_eq!(body["StackId"], event["StackId"]);
    assert_eq!(body["NoEcho"], false);
    assert_eq!(body["Data"], serde_json::json!({"Value": "v"}));
}

#[test]
fn many_threads_share_a_bounded_set_of_environments() {
    let r = runner();
    let s = inline(
        "js-stress",
        RUNTIME,
        "exports.handler = async (e) => { await new Promise((r) => setTimeout(r, 5)); return { pid: process.pid, n: e.n }; };",
    );
    let results: Vec<(u64, u64)> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..4)
            .map(|t| {
                let (r, s) = (&r, &s);
                sc.spawn(move || {
                    (0..15)
                        .map(|i| {
                            let n = t * 100 + i;
                            let inv = r.invoke(s, &ctx(), format!("{{\"n\":{n}}}").as_bytes()).unwrap();
                            assert_eq!(inv.outcome, Outcome::Success);
                            let v = json(&inv.payload);
                            assert_eq!(v["n"], n, "each caller gets its own answer");
                            (v["pid"].as_u64().unwrap(), n)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results.len(), 60);
    let pids: std::collections::BTreeSet<u64> = results.iter().map(|(p, _)| *p).collect();
    assert!(pids.len() <= 4, "at most one environment per concurrent caller: {pids:?}");
    // An empty payload is the event `{}`.
    let e = inline("js-empty", RUNTIME, "exports.handler = async (e) => e;");
    assert_eq!(json(&r.invoke(&e, &ctx(), b"").unwrap().payload), serde_json::json!({}));
}
