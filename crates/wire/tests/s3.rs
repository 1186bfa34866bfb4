//! S3 through `State::handle_s3`: requests signed as botocore's S3 signer
//! signs them (the path as sent, the payload's hash in
//! `x-amz-content-sha256`), answers with raw bodies and S3's headers,
//! and objects that survive the server.

mod support;

use std::sync::Arc;
use wire::dispatch::HttpRequest;
use wire::server::State;
use wire::services::s3::S3Response;

fn request(method: &str, path: &str, query: &str, headers: &[(&str, &str)], body: &[u8]) -> HttpRequest {
    let mut all = vec![("host".to_string(), "127.0.0.1:4566".to_string())];
    all.extend(headers.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    HttpRequest { method: method.into(), path: path.into(), query: query.into(), headers: all, body: body.to_vec() }
}

fn call(s: &Arc<State>, method: &str, path: &str, query: &str, headers: &[(&str, &str)], body: &[u8]) -> S3Response {
    s.handle_s3(&support::signed(request(method, path, query, headers, body), "s3"))
}

fn text(r: &S3Response) -> String {
    String::from_utf8_lossy(&r.body).into_owned()
}

#[test]
fn objects_are_put_read_listed_and_deleted() {
    let (s, _dir) = support::server("s3-objects");
    assert_eq!(call(&s, "PUT", "/wire-bucket", "", &[], b"").status, 200);
    let put = call(
        &s,
        "PUT",
        "/wire-bucket/dir/a%20b.txt",
        "",
        &[("content-type", "text/plain"), ("x-amz-meta-k", "v")],
        b"hello",
    );
    assert_eq!(put.status, 200);
    assert_eq!(put.header_value("etag"), Some("\"5d41402abc4b2a76b9719d911017c592\""));
    let got = call(&s, "GET", "/wire-bucket/dir/a%20b.txt", "", &[], b"");
    assert_eq!((got.status, got.body.as_slice()), (200, &b"hello"[..]));
    assert_eq!(got.header_value("content-type"), Some("text/plain"));
    assert_eq!(got.header_value("x-amz-meta-k"), Some("v"));
    assert!(got.header_value("last-modified").is_some_and(|d| d.ends_with(" GMT")));
    let head = call(&s, "HEAD", "/wire-bucket/dir/a%20b.txt", "", &[], b"");
    assert_eq!((head.status, head.body.len(), head.header_value("content-length")), (200, 0, Some("5")));
    let part = call(&s, "GET", "/wire-bucket/dir/a%20b.txt", "", &[("range", "bytes=1-3")], b"");
    assert_eq!(
        (part.status, part.body.as_slice(), part.header_value("content-range")),
        (206, &b"ell"[..], Some("bytes 1-3/5"))
    );
    let list = call(&s, "GET", "/wire-bucket", "list-type=2&delimiter=%2F", &[], b"");
    assert!(text(&list).contains("<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes>"), "{}", text(&list));
    assert!(text(&list).contains("<KeyCount>1</KeyCount>"));
    let not_empty = call(&s, "DELETE", "/wire-bucket", "", &[], b"");
    assert_eq!(not_empty.status, 409);
    assert!(text(&not_empty).contains("<Code>BucketNotEmpty</Code>"));
    assert_eq!(call(&s, "DELETE", "/wire-bucket/dir/a%20b.txt", "", &[], b"").status, 204);
    assert_eq!(call(&s, "DELETE", "/wire-bucket", "", &[], b"").status, 204);
}

#[test]
fn errors_are_s3s_xml_with_the_resource() {
    let (s, _dir) = support::server("s3-errors");
    call(&s, "PUT", "/err-bucket", "", &[], b"");
    let missing = call(&s, "GET", "/err-bucket/nope", "", &[], b"");
    assert_eq!(missing.status, 404);
    let body = text(&missing);
    assert!(
        body.contains("<Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>nope</Key>"),
        "{body}"
    );
    assert!(body.contains("<RequestId>") && missing.header_value("x-amz-request-id").is_some());
    let head = call(&s, "HEAD", "/err-bucket/nope", "", &[], b"");
    assert_eq!((head.status, head.body.len()), (404, 0));
    let bucket = call(&s, "GET", "/no-such-bucket", "list-type=2", &[], b"");
    assert_eq!(bucket.status, 404);
    assert!(text(&bucket)
        .contains("<Message>The specified bucket does not exist</Message><BucketName>no-such-bucket</BucketName>"));
    let bad = call(&s, "PUT", "/Bad_Name", "", &[], b"");
    assert!(text(&bad).contains("<Code>InvalidBucketName</Code>") && bad.status == 400);
    // A payload hash that is not the body's.
    let mut req = request("PUT", "/err-bucket/k", "", &[("x-amz-content-sha256", &"0".repeat(64))], b"body");
    req = support::signed(req, "s3");
    let mismatch = s.handle_s3(&req);
    assert!(text(&mismatch).contains("<Code>XAmzContentSHA256Mismatch</Code>"), "{}", text(&mismatch));
    // A Content-MD5 that is not the body's (base64 of MD5("other")).
    let digest = call(&s, "PUT", "/err-bucket/k", "", &[("content-md5", "eV8yArF8trw9S3cdjGyerw==")], b"body");
    assert!(text(&digest).contains("<Code>BadDigest</Code>") && digest.status == 400, "{}", text(&digest));
    // The right one (base64 of MD5("body")) is taken.
    assert_eq!(
        call(&s, "PUT", "/err-bucket/k", "", &[("content-md5", "hBotaJrYa9FhFEdFPCLG/A==")], b"body").status,
        200
    );
    // Tampered after signing: S3's own SignatureDoesNotMatch, 403.
    let mut req = support::signed(request("GET", "/err-bucket/k", "", &[], b""), "s3");
    req.path = "/err-bucket/other".into();
    let refused = s.handle_s3(&req);
    assert_eq!(refused.status, 403);
    assert!(text(&refused).contains("<Code>SignatureDoesNotMatch</Code>"));
}

#[test]
fn virtual_hosts_and_chunked_uploads() {
    let (s, _dir) = support::server("s3-vhost");
    call(&s, "PUT", "/vhost-bucket", "", &[], b"");
    let mut req = request("PUT", "/key", "", &[], b"");
    req.headers[0].1 = "vhost-bucket.localhost:4566".into();
    let chunked = b"5;chunk-signature=00\r\nhello\r\n0;chunk-signature=00\r\n\r\n".to_vec();
    req.body = chunked;
    req.headers.push(("x-amz-content-sha256".into(), "STREAMING-UNSIGNED-PAYLOAD-TRAILER".into()));
    req.headers.push(("content-encoding".into(), "aws-chunked".into()));
    req.headers.push(("x-amz-decoded-content-length".into(), "5".into()));
    let put = s.handle_s3(&support::signed(req, "s3"));
    assert_eq!(put.status, 200, "{}", text(&put));
    let got = call(&s, "GET", "/vhost-bucket/key", "", &[], b"");
    assert_eq!(got.body.as_slice(), b"hello");
    // The transfer's encoding is not the object's.
    assert_eq!(got.header_value("content-encoding"), None);
}

#[test]
fn objects_survive_the_server() {
    let (s, dir) = support::server("s3-durable");
    call(&s, "PUT", "/durable-bucket", "", &[], b"");
    let body: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    assert_eq!(call(&s, "PUT", "/durable-bucket/blob", "", &[], &body).status, 200);
    drop(s);
    let config = wire::Config::new(([127, 0, 0, 1], 0).into(), Some(dir.path().to_path_buf()));
    let again = State::open(&config).unwrap_or_else(|e| panic!("{e}"));
    let got = call(&again, "GET", "/durable-bucket/blob", "", &[], b"");
    assert_eq!((got.status, got.body.len()), (200, body.len()));
    assert!(got.body == body);
}
