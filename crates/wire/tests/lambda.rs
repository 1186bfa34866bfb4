//! Lambda's rest-json operations and STS's temporary credentials through
//! the server's entry point (`State::handle`), with requests signed as
//! botocore signs them: paths, statuses, headers and error bodies.

mod support;

use base64::Engine as _;
use serde_json::{json, Value};
use std::sync::Arc;
use support::Call;
use wire::server::State;

const ROLE: &str = "arn:aws:iam::123456789012:role/fn-role";

fn lambda(
    s: &Arc<State>,
    method: &str,
    path: &str,
    query: &str,
    body: Value,
) -> (u16, Value, wire::dispatch::HttpResponse) {
    let body = if body.is_null() { Vec::new() } else { body.to_string().into_bytes() };
    let headers = [("content-type", "application/json")];
    let res = support::call(s, "lambda", &Call { method, path, query, headers: &headers, body: &body });
    let v = serde_json::from_slice(res.bytes()).unwrap_or(Value::Null);
    (res.status, v, res)
}

/// A zip holding nothing (its end-of-central-directory record only).
fn empty_zip() -> String {
    let mut z = b"PK\x05\x06".to_vec();
    z.extend_from_slice(&[0; 18]);
    base64::engine::general_purpose::STANDARD.encode(z)
}

fn create(s: &Arc<State>, name: &str, runtime: &str) -> (u16, Value) {
    let body = json!({
        "FunctionName": name, "Runtime": runtime, "Role": ROLE, "Handler": "index.handler",
        "Code": {"ZipFile": empty_zip()}, "Environment": {"Variables": {"A": "1"}},
    });
    let (status, v, _) = lambda(s, "POST", "/2015-03-31/functions", "", body);
    (status, v)
}

#[test]
fn functions_are_created_listed_read_updated_and_deleted() {
    let (s, _folder) = support::server("lambda-crud");
    let (status, f) = create(&s, "f1", "python3.12");
    assert_eq!(status, 201, "{f}");
    assert_eq!(f["FunctionArn"], "arn:aws:lambda:us-east-1:123456789012:function:f1");
    assert_eq!(
        (f["Timeout"].as_u64(), f["MemorySize"].as_u64(), f["CodeSize"].as_u64()),
        (Some(3), Some(128), Some(22))
    );
    assert_eq!((f["State"].as_str(), f["Version"].as_str()), (Some("Active"), Some("$LATEST")));
    assert_eq!(f["Environment"]["Variables"]["A"], "1");

    // A second create: 409, the code in x-amzn-ErrorType and Lambda's body.
    let body = json!({"FunctionName": "f1", "Runtime": "python3.12", "Role": ROLE, "Handler": "i.h", "Code": {"ZipFile": empty_zip()}});
    let (status, v, res) = lambda(&s, "POST", "/2015-03-31/functions", "", body);
    assert_eq!(status, 409);
    assert_eq!(res.header("x-amzn-ErrorType"), Some("ResourceConflictException"));
    assert_eq!(v, json!({"Type": "User", "message": "Function already exist: f1"}));

    for i in 2..=4 {
        assert_eq!(create(&s, &format!("f{i}"), "python3.12").0, 201);
    }
    let (status, page, _) = lambda(&s, "GET", "/2015-03-31/functions/", "MaxItems=3", Value::Null);
    assert_eq!(status, 200);
    assert_eq!(page["Functions"].as_array().map(Vec::len), Some(3));
    let marker = page["NextMarker"].as_str().expect("a next page");
    let (_, rest, _) = lambda(&s, "GET", "/2015-03-31/functions/", &format!("Marker={marker}"), Value::Null);
    assert_eq!(rest["Functions"][0]["FunctionName"], "f4");
    assert!(rest.get("NextMarker").is_none());

    let (status, got, _) = lambda(&s, "GET", "/2015-03-31/functions/f1", "", Value::Null);
    assert_eq!(status, 200);
    assert_eq!(got["Configuration"]["FunctionName"], "f1");
    let location = got["Code"]["Location"].as_str().expect("a download URL");
    assert!(location.contains("/_tasknet/lambda/code/f1?signature="), "{location}");
    // The URL serves the package; a forged signature is refused.
    let (path, query) = location
        .split_once("://")
        .and_then(|(_, r)| r.split_once('/'))
        .map(|(_, p)| p.split_once('?').unwrap_or((p, "")))
        .expect("url");
    let get = |query: &str| {
        s.handle(&wire::dispatch::HttpRequest {
            method: "GET".into(),
            path: format!("/{path}"),
            query: query.into(),
            ..Default::default()
        })
    };
    let zip = get(query);
    assert_eq!((zip.status, zip.bytes().len()), (200, 22));
    assert_eq!(get("signature=0").status, 403);

    let arn_path = "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af1/configuration";
    let (status, updated, _) = lambda(&s, "PUT", arn_path, "", json!({"Timeout": 30, "MemorySize": 256}));
    assert_eq!(status, 200, "{updated}");
    assert_eq!((updated["Timeout"].as_u64(), updated["MemorySize"].as_u64()), (Some(30), Some(256)));
    let (_, conf, _) = lambda(&s, "GET", "/2015-03-31/functions/f1/configuration", "", Value::Null);
    assert_eq!(conf["Timeout"], 30);
    let (status, v, _) = lambda(
        &s,
        "PUT",
        "/2015-03-31/functions/f1/code",
        "",
        json!({"ZipFile": base64::engine::general_purpose::STANDARD.encode(b"not a zip")}),
    );
    assert_eq!(
        (status, v["message"].as_str()),
        (400, Some("Could not unzip uploaded file. Please check your file, then try to upload again."))
    );

    let (status, _, res) = lambda(&s, "DELETE", "/2015-03-31/functions/f1", "", Value::Null);
    assert_eq!((status, res.bytes().len()), (204, 0));
    let (status, v, res) = lambda(&s, "GET", "/2015-03-31/functions/f1", "", Value::Null);
    assert_eq!(status, 404);
    assert_eq!(res.header("x-amzn-ErrorType"), Some("ResourceNotFoundException"));
    assert_eq!(v["Message"], "Function not found: arn:aws:lambda:us-east-1:123456789012:function:f1");
}

#[test]
fn bad_input_and_blocked_runtimes_are_refused() {
    let (s, _folder) = support::server("lambda-refusals");
    let (status, v) = create(&s, "old", "python3.6");
    assert_eq!(status, 400);
    assert_eq!(v["message"], "The runtime parameter of python3.6 is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (python3.14) while creating or updating functions.");
    let (status, v) = create(&s, "odd", "cobol9");
    assert_eq!(status, 400);
    assert!(
        v["Message"]
            .as_str()
            .is_some_and(|m| m.contains("failed to satisfy constraint: Member must satisfy enum value set")),
        "{v}"
    );
    let (status, v, res) = lambda(&s, "POST", "/2015-03-31/functions/nope/invocations", "", json!({}));
    assert_eq!((status, res.header("x-amzn-ErrorType")), (404, Some("ResourceNotFoundException")), "{v}");
    let (status, _, _) = lambda(&s, "GET", "/2015-03-31/nothing-here", "", Value::Null);
    assert_eq!(status, 404);
}

#[test]
fn dry_runs_check_the_function_without_running_it() {
    let (s, _folder) = support::server("lambda-dryrun");
    assert_eq!(create(&s, "f", "python3.12").0, 201);
    let headers = [("x-amz-invocation-type", "DryRun")];
    let res = support::call(
        &s,
        "lambda",
        &Call {
            method: "POST",
            path: "/2015-03-31/functions/f/invocations",
            query: "",
            headers: &headers,
            body: b"{}",
        },
    );
    assert_eq!(res.status, 204, "{}", res.body);
    let res = support::call(
        &s,
        "lambda",
        &Call {
            method: "POST",
            path: "/2015-03-31/functions/f/invocations",
            query: "",
            headers: &headers,
            body: b"{not json",
        },
    );
    assert_eq!((res.status, res.header("x-amzn-ErrorType")), (400, Some("InvalidRequestContentException")));
}

fn sts(s: &Arc<State>, key: (&str, &str, Option<&str>), form: &str) -> wire::dispatch::HttpResponse {
    let headers = [("content-type", "application/x-www-form-urlencoded; charset=utf-8")];
    support::call_as(
        s,
        "sts",
        key,
        &Call { method: "POST", path: "/", query: "", headers: &headers, body: form.as_bytes() },
    )
}

#[test]
fn assumed_role_keys_need_their_token_and_name_the_role() {
    let (s, _folder) = support::server("sts-sessions");
    let res = sts(
        &s,
        ("test", "test", None),
        &format!("Action=AssumeRole&Version=2011-06-15&RoleArn={}&RoleSessionName=worker", support::enc(ROLE)),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let key = support::tag(&res.body, "AccessKeyId").expect("key").to_string();
    let secret = support::tag(&res.body, "SecretAccessKey").expect("secret").to_string();
    let token = support::tag(&res.body, "SessionToken").expect("token").to_string();
    assert!(key.starts_with("ASIA") && key.len() == 20);
    assert!(support::tag(&res.body, "Expiration").is_some_and(|e| e.ends_with('Z')));

    let who = "Action=GetCallerIdentity&Version=2011-06-15";
    let res = sts(&s, (&key, &secret, Some(&token)), who);
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(support::tag(&res.body, "Arn"), Some("arn:aws:sts::123456789012:assumed-role/fn-role/worker"));
    assert!(support::tag(&res.body, "UserId").is_some_and(|u| u.starts_with("AROA") && u.ends_with(":worker")));

    // Without the token, or with another one: the key is not valid.
    for t in [None, Some("IQoJb3JpZ2luX2VjWRONG")] {
        let res = sts(&s, (&key, &secret, t), who);
        assert_eq!(res.status, 403);
        assert_eq!(support::tag(&res.body, "Code"), Some("InvalidClientTokenId"));
        assert_eq!(support::tag(&res.body, "Message"), Some("The security token included in the request is invalid."));
    }
    // On Lambda's protocol the same refusal is UnrecognizedClientException, 403.
    let res = support::call_as(
        &s,
        "lambda",
        (&key, &secret, None),
        &Call { method: "GET", path: "/2015-03-31/functions/", query: "", headers: &[], body: b"" },
    );
    assert_eq!((res.status, res.header("x-amzn-ErrorType")), (403, Some("UnrecognizedClientException")));
}

#[test]
fn keys_minted_by_another_process_are_read_from_the_store() {
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("tasknet-wire-shared-{}-{n}", std::process::id()));
    let _cleanup = support::Folder::at(dir.clone());
    // The account exists before the server starts, as beside `up`.
    let mut first = runtime::Session::open(Some(&dir), "test", true).expect("opened");
    first.save().expect("saved");
    drop(first);
    let config = wire::Config::new(([127, 0, 0, 1], 0).into(), Some(dir.clone()));
    let s = State::beside_up(&config).expect("server");
    // Another command (a `tasknet deploy` beside `up`) mints a session after the server read its keys.
    let mut other = runtime::Session::open(Some(&dir), "deploy", true).expect("opened");
    let now = runtime::clock::wall_clock_ms();
    let minted = other.account.assume_role(ROLE, "deployer", None, now).expect("assumed");
    other.save().expect("saved");
    drop(other);
    let res = sts(
        &s,
        (&minted.access_key_id, &minted.secret_access_key, Some(&minted.session_token)),
        "Action=GetCallerIdentity&Version=2011-06-15",
    );
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(support::tag(&res.body, "Arn"), Some("arn:aws:sts::123456789012:assumed-role/fn-role/deployer"));
}

#[test]
fn allowed_deprecated_runtimes_are_created_and_run_only_while_allowed() {
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("tasknet-wire-deprecated-{}-{n}", std::process::id()));
    let _cleanup = support::Folder::at(dir.clone());
    let dry = [("x-amz-invocation-type", "DryRun")];
    let invoke =
        Call { method: "POST", path: "/2015-03-31/functions/old/invocations", query: "", headers: &dry, body: b"{}" };
    {
        let mut config = wire::Config::new(([127, 0, 0, 1], 0).into(), Some(dir.clone()));
        config.allow_deprecated_runtimes = true;
        let s = State::open(&config).expect("server");
        let (status, f) = create(&s, "old", "python3.6");
        assert_eq!(status, 201, "{f}");
        assert_eq!(support::call(&s, "lambda", &invoke).status, 204);
    }
    // The same account served without the option: the function is refused as AWS refuses its runtime.
    let config = wire::Config::new(([127, 0, 0, 1], 0).into(), Some(dir.clone()));
    let s = State::open(&config).expect("server");
    let res = support::call(&s, "lambda", &invoke);
    assert_eq!((res.status, res.header("x-amzn-ErrorType")), (400, Some("InvalidParameterValueException")));
    assert!(res.body.contains("The runtime parameter of python3.6 is no longer supported"), "{}", res.body);
}
