use super::*;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn headers(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn secret_of(key: &str) -> Option<String> {
    (key == "AKIDEXAMPLE").then(|| SECRET.to_string())
}

/// 2015-08-30T12:36:00Z, the time of AWS's SigV4 test suite.
const NOW: i64 = 1_440_938_160;

// AWS's SigV4 test suite, "get-vanilla" (the signature is the suite's).
const VANILLA: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

fn vanilla(auth: &str) -> Vec<(String, String)> {
    headers(&[("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z"), ("Authorization", auth)])
}

fn get<'a>(h: &'a [(String, String)]) -> Request<'a> {
    Request { method: "GET", path: "/", query: "", headers: h, body: b"" }
}

#[test]
fn aws_test_suite_get_vanilla_verifies() {
    let h = vanilla(VANILLA);
    let cred = verify(&get(&h), NOW, "us-east-1", &secret_of).expect("the suite's signature");
    assert_eq!(cred.access_key, "AKIDEXAMPLE");
    assert_eq!(cred.service, "service");
}

#[test]
fn signing_reproduces_the_suite_and_round_trips() {
    let h = headers(&[("Host", "example.amazonaws.com")]);
    let cred = Credential {
        access_key: "AKIDEXAMPLE".into(),
        date: "20150830".into(),
        region: "us-east-1".into(),
        service: "service".into(),
    };
    let (date, auth) = sign(&get(&h), &cred, SECRET, "20150830T123600Z");
    assert_eq!(auth, VANILLA);
    let mut signed = h.clone();
    signed.push(("X-Amz-Date".into(), date));
    signed.push(("Authorization".into(), auth));
    assert!(verify(&get(&signed), NOW, "us-east-1", &secret_of).is_ok());
}

#[test]
fn a_changed_signature_is_a_mismatch_with_the_canonical_request() {
    let h = vanilla(&VANILLA.replace("5fa00", "5fa01"));
    match verify(&get(&h), NOW, "us-east-1", &secret_of) {
        Err(Refusal::Mismatch { canonical, string_to_sign }) => {
            assert!(canonical.starts_with("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"));
            assert!(string_to_sign
                .starts_with("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"));
        }
        other => panic!("expected a mismatch, got {other:?}"),
    }
}

#[test]
fn each_refusal_has_its_cause() {
    let none = headers(&[("Host", "example.amazonaws.com")]);
    assert_eq!(verify(&get(&none), NOW, "us-east-1", &secret_of), Err(Refusal::Missing));

    let unknown = vanilla(&VANILLA.replace("AKIDEXAMPLE", "AKIDOTHER"));
    assert_eq!(verify(&get(&unknown), NOW, "us-east-1", &secret_of), Err(Refusal::UnknownKey));

    let broken = vanilla("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request");
    match verify(&get(&broken), NOW, "us-east-1", &secret_of) {
        Err(Refusal::Incomplete(t)) => {
            assert!(t.starts_with("Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter."), "{t}")
        }
        other => panic!("{other:?}"),
    }

    let late = verify(&get(&vanilla(VANILLA)), NOW + 16 * 60, "us-east-1", &secret_of);
    assert_eq!(
        late,
        Err(Refusal::Skew(
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)"
                .into()
        ))
    );
    let early = verify(&get(&vanilla(VANILLA)), NOW - 16 * 60, "us-east-1", &secret_of);
    assert!(
        matches!(early, Err(Refusal::Skew(t)) if t.starts_with("Signature not yet current: 20150830T123600Z is still later than"))
    );

    let region = verify(&get(&vanilla(VANILLA)), NOW, "eu-west-1", &secret_of);
    assert_eq!(region, Err(Refusal::Scope("Credential should be scoped to a valid region, not 'us-east-1'. ".into())));
}

#[test]
fn the_presigned_form_is_checked_too() {
    let cred = Credential {
        access_key: "AKIDEXAMPLE".into(),
        date: "20150830".into(),
        region: "us-east-1".into(),
        service: "sts".into(),
    };
    let h = headers(&[("Host", "example.amazonaws.com")]);
    let unsigned = "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host";
    let req = Request { method: "GET", path: "/", query: unsigned, headers: &h, body: b"" };
    let canonical = canonical_request(&req, "host", true, false);
    let sts = format!(
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/sts/aws4_request\n{}",
        sha256_hex(canonical.as_bytes())
    );
    let sig = signature(SECRET, &cred, &sts);
    let q = format!("{unsigned}&X-Amz-Signature={sig}");
    let req = Request { query: &q, ..req };
    assert!(verify(&req, NOW + 60, "us-east-1", &secret_of).is_ok());
    assert_eq!(verify(&req, NOW + 301, "us-east-1", &secret_of), Err(Refusal::Skew("Request has expired".into())));
    let short = "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request";
    let req = Request { query: short, ..req };
    assert!(matches!(verify(&req, NOW, "us-east-1", &secret_of), Err(Refusal::Incomplete(_))));
}

#[test]
fn the_scope_is_read_from_a_header_that_does_not_parse() {
    // No Signature: refused as incomplete, but in the service's own protocol.
    let h = vanilla("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ec2/aws4_request, SignedHeaders=host");
    let cred = credential_of(&get(&h)).expect("the scope");
    assert_eq!(cred.service, "ec2");
}

/// The S3 examples of AWS doc "Signature Calculations for the Authorization
/// Header: Transferring Payload in a Single Chunk" and "Authenticating
/// Requests: Using Query Parameters" (the signatures are the doc's).
#[test]
fn aws_s3_examples_verify_with_s3s_rules() {
    const S3_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let s3_secret = |key: &str| (key == "AKIAIOSFODNN7EXAMPLE").then(|| S3_SECRET.to_string());
    // 2013-05-24T00:00:00Z.
    let now = 1_369_353_600;
    let h = headers(&[
        ("Host", "examplebucket.s3.amazonaws.com"),
        ("Range", "bytes=0-9"),
        ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("x-amz-date", "20130524T000000Z"),
        ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
    ]);
    let req = Request { method: "GET", path: "/test.txt", query: "", headers: &h, body: b"" };
    assert!(verify_with(&req, now, "us-east-1", &s3_secret, true).is_ok());
    let q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    let h = headers(&[("Host", "examplebucket.s3.amazonaws.com")]);
    let req = Request { method: "GET", path: "/test.txt", query: q, headers: &h, body: b"" };
    assert!(verify_with(&req, now + 3600, "us-east-1", &s3_secret, true).is_ok());
    // Without S3's rules the presigned payload is the body's hash: no match.
    assert!(matches!(verify(&req, now + 3600, "us-east-1", &s3_secret), Err(Refusal::Mismatch { .. })));
    // A path with characters to encode is signed as sent by S3, encoded again by the others.
    let h = headers(&[("Host", "b.s3.amazonaws.com"), ("x-amz-content-sha256", "UNSIGNED-PAYLOAD")]);
    let cred = Credential {
        access_key: "AKIAIOSFODNN7EXAMPLE".into(),
        date: "20130524".into(),
        region: "us-east-1".into(),
        service: "s3".into(),
    };
    let req = Request { method: "GET", path: "/a%20b", query: "", headers: &h, body: b"" };
    let (date, auth) = sign_with(&req, &cred, S3_SECRET, "20130524T000000Z", true);
    let mut signed = h.clone();
    signed.push(("X-Amz-Date".into(), date));
    signed.push(("Authorization".into(), auth));
    let req = Request { headers: &signed, ..req };
    assert!(verify_with(&req, now, "us-east-1", &s3_secret, true).is_ok());
    assert!(verify(&req, now, "us-east-1", &s3_secret).is_err());
}
