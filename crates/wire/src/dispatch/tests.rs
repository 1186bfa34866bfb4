use super::*;
use crate::model::Service;
use serde_json::json;

const NOW: i64 = 1_765_000_000;

fn echo(_r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    Ok(input.clone())
}

const ECS: &[Operation] = &[read("DescribeServices", echo), read("ListClusters", echo)];
const EC2: &[Operation] = &[read("DescribeSubnets", echo)];
const STS: &[Operation] = &[read("GetCallerIdentity", echo)];

fn table(s: Service) -> &'static [Operation] {
    match s {
        Service::Ecs => ECS,
        Service::Ec2 => EC2,
        Service::Sts => STS,
        _ => &[],
    }
}

fn secret_of(key: &str) -> Option<String> {
    (key == "test").then(|| "test".to_string())
}

fn checks() -> Checks<'static> {
    Checks { now_secs: NOW, region: "us-east-1", secret_of: &secret_of, session_of: &|_| None }
}

fn json_request(target: &str, body: &str) -> HttpRequest {
    let mut r = HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        headers: vec![
            ("Host".into(), "127.0.0.1:4566".into()),
            ("Content-Type".into(), "application/x-amz-json-1.1".into()),
            ("X-Amz-Target".into(), format!("AmazonEC2ContainerServiceV20141113.{target}")),
        ],
        body: body.as_bytes().to_vec(),
        ..HttpRequest::default()
    };
    r.sign("test", "test", "us-east-1", "ecs", NOW);
    r
}

fn form_request(service: &str, body: &str) -> HttpRequest {
    let mut r = HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        headers: vec![
            ("Host".into(), "127.0.0.1:4566".into()),
            ("Content-Type".into(), "application/x-www-form-urlencoded; charset=utf-8".into()),
        ],
        body: body.as_bytes().to_vec(),
        ..HttpRequest::default()
    };
    r.sign("test", "test", "us-east-1", service, NOW);
    r
}

fn refusal(req: &HttpRequest) -> WireError {
    match route(req, &checks(), &table) {
        Ok(r) => panic!("expected a refusal, routed {}", r.operation.name),
        Err(r) => r.error,
    }
}

#[test]
fn a_signed_json_request_reaches_its_operation_decoded() {
    let req = json_request("DescribeServices", r#"{"cluster":"c","services":["s"]}"#);
    let routed = route(&req, &checks(), &table).unwrap_or_else(|r| panic!("{:?}", r.error));
    assert_eq!((routed.service, routed.operation.name), (Service::Ecs, "DescribeServices"));
    assert_eq!(routed.input, json!({"cluster": "c", "services": ["s"]}));
    assert_eq!(routed.caller.access_key, "test");
}

#[test]
fn query_and_ec2_lists_decode_by_the_model() {
    let req = form_request(
        "ec2",
        "Action=DescribeSubnets&Version=2016-11-15&SubnetId.1=subnet-a&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1",
    );
    let routed = route(&req, &checks(), &table).unwrap_or_else(|r| panic!("{:?}", r.error));
    assert_eq!(routed.input["SubnetIds"], json!(["subnet-a"]));
    assert_eq!(routed.input["Filters"], json!([{"Name": "vpc-id", "Values": ["vpc-1"]}]));
}

#[test]
fn a_missing_required_member_is_awss_validation_text() {
    let e = refusal(&json_request("DescribeServices", r#"{"cluster":"c"}"#));
    assert_eq!(e.status, 400);
    assert_eq!(e.code, "InvalidParameterException");
    assert!(e.message.starts_with("1 validation error detected: "), "{}", e.message);
}

#[test]
fn a_wrong_json_type_is_a_serialization_exception() {
    let e = refusal(&json_request("DescribeServices", r#"{"services":"not-a-list"}"#));
    assert_eq!((e.status, e.code.as_str()), (400, "SerializationException"));
    let e = refusal(&json_request("ListClusters", "{not json"));
    assert_eq!((e.status, e.code.as_str()), (400, "SerializationException"));
}

#[test]
fn unknown_operations_are_4xx_in_each_protocol() {
    let e = refusal(&json_request("NoSuchThing", "{}"));
    assert_eq!((e.status, e.code.as_str()), (400, "UnknownOperationException"));
    let e = refusal(&form_request("sts", "Action=NoSuchThing&Version=2011-06-15"));
    assert_eq!((e.status, e.code.as_str()), (400, "InvalidAction"));
    // Modeled but not implemented by tasknet: still a 400, never a 5xx (SDKs retry those).
    let e = refusal(&form_request("ec2", "Action=DescribeVpcs&Version=2016-11-15"));
    assert_eq!(e.status, 400);
}

#[test]
fn an_unsigned_request_is_refused_before_it_is_read() {
    let mut req = json_request("ListClusters", "{}");
    req.headers.retain(|(n, _)| n != "Authorization");
    let e = refusal(&req);
    assert_eq!(e.code, "MissingAuthenticationTokenException");
    let mut tampered = json_request("ListClusters", "{}");
    tampered.body = b"{\"maxResults\":5}".to_vec();
    assert_eq!(refusal(&tampered).code, "InvalidSignatureException");
}

#[test]
fn request_ids_are_uuid_shaped_and_distinct() {
    let (a, b) = (request_id(), request_id());
    assert_ne!(a, b);
    let parts: Vec<usize> = a.split('-').map(str::len).collect();
    assert_eq!(parts, vec![8, 4, 4, 4, 12]);
}

#[test]
fn an_unknown_target_is_refused_in_json() {
    let mut req = HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        headers: vec![
            ("Host".into(), "127.0.0.1:4566".into()),
            ("Content-Type".into(), "application/x-amz-json-1.1".into()),
            ("X-Amz-Target".into(), "NoSuchService_20990101.ListClusters".into()),
        ],
        body: b"{}".to_vec(),
        ..HttpRequest::default()
    };
    req.sign("test", "test", "us-east-1", "nosuchservice", NOW);
    let refused = match route(&req, &checks(), &table) {
        Err(r) => r,
        Ok(_) => panic!("routed an unknown target"),
    };
    let answer = respond_refused(&refused);
    assert_eq!(answer.content_type, "application/x-amz-json-1.1");
    assert!(answer.body.contains("\"__type\":\"UnknownOperationException\""), "{}", answer.body);
}

#[test]
fn temporary_keys_need_their_token_until_they_expire() {
    fn secret(key: &str) -> Option<String> {
        (key == "ASIAEXAMPLEEXAMPLE12").then(|| "s3cr3t".to_string())
    }
    let sts_request = |token: Option<&str>| {
        let mut r = HttpRequest {
            method: "POST".into(),
            path: "/".into(),
            headers: vec![
                ("Host".into(), "127.0.0.1:4566".into()),
                ("Content-Type".into(), "application/x-www-form-urlencoded; charset=utf-8".into()),
            ],
            body: b"Action=GetCallerIdentity&Version=2011-06-15".to_vec(),
            ..HttpRequest::default()
        };
        if let Some(t) = token {
            r.headers.push(("X-Amz-Security-Token".into(), t.into()));
        }
        r.sign("ASIAEXAMPLEEXAMPLE12", "s3cr3t", "us-east-1", "sts", NOW);
        r
    };
    let valid = |_: &str| Some(("tok".to_string(), NOW + 60));
    let expired = |_: &str| Some(("tok".to_string(), NOW - 1));
    let c = Checks { now_secs: NOW, region: "us-east-1", secret_of: &secret, session_of: &valid };
    assert!(route(&sts_request(Some("tok")), &c, &table).is_ok());
    let refused = route(&sts_request(None), &c, &table).err().expect("refused");
    assert_eq!((refused.error.status, refused.error.code.as_str()), (403, "InvalidClientTokenId"));
    let c = Checks { session_of: &expired, ..c };
    let refused = route(&sts_request(Some("tok")), &c, &table).err().expect("refused");
    assert_eq!((refused.error.status, refused.error.code.as_str()), (403, "ExpiredToken"));
    assert_eq!(refused.error.message, "The security token included in the request is expired");
}
