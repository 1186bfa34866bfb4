//! Amazon S3 on the endpoint (`rest-xml`, signing name `s3`). Unlike the
//! model-driven protocols, S3 addresses resources by path or host and
//! carries objects as raw bodies with their metadata in headers, so this
//! module is written by hand and the server routes a request here before
//! the generic dispatch when it is signed for `s3` (header or presigned
//! URL). The actions are the account's (`account::s3`); this is the adapter.
//!
//! Addressing (AWS doc "Virtual hosting of buckets"): path style
//! (`/bucket/key`) and virtual-hosted style (`Host: bucket.s3.<…>`,
//! `Host: bucket.localhost[:port]`).

mod chunked;
mod multipart;
mod objects;
mod sigv2;
mod xml;

use crate::dispatch::{self, Caller, Checks, HttpRequest};
use crate::error::WireError;
use crate::server::State;
use crate::sigv4::{self, Refusal};
use account::S3Error;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The largest S3 request body accepted: a PutObject or UploadPart in
/// memory. S3 takes 5 GiB in one PUT; tasknet holds a request in memory, so
/// it takes 64 MiB (the aws CLI sends files above 8 MiB in 8 MiB parts).
pub const MAX_BODY: usize = 64 << 20;

/// An S3 answer: raw body, S3's headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct S3Response {
    /// The status.
    pub status: u16,
    /// Headers beside the content type.
    pub headers: Vec<(String, String)>,
    /// The body (empty for HEAD).
    pub body: Vec<u8>,
}

impl S3Response {
    fn new(status: u16) -> S3Response {
        S3Response { status, ..S3Response::default() }
    }

    fn xml(body: Vec<u8>) -> S3Response {
        S3Response::new(200).header("Content-Type", "application/xml").with_body(body)
    }

    fn header(mut self, name: &str, value: impl Into<String>) -> S3Response {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    fn with_body(mut self, body: Vec<u8>) -> S3Response {
        self.body = body;
        self
    }

    /// A header's value, by name in any case.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Why an S3 request failed: the account's S3 error, or the endpoint's own.
#[derive(Debug)]
pub enum Failure {
    /// S3's error about a bucket, key or upload.
    S3(S3Error),
    /// The endpoint's (a signature refusal, a save that failed, a bad request).
    Wire(WireError),
}

impl From<S3Error> for Failure {
    fn from(e: S3Error) -> Failure {
        Failure::S3(e)
    }
}

impl From<WireError> for Failure {
    fn from(e: WireError) -> Failure {
        Failure::Wire(e)
    }
}

/// A 400 of S3's with `code` and `message`.
fn bad(code: &str, message: impl Into<String>) -> Failure {
    Failure::Wire(WireError::bad(code, message))
}

/// Whether `req` is for S3: signed for `s3` in its header or its query, or
/// a presigned URL of S3's Signature Version 2.
pub fn is_s3(req: &HttpRequest) -> bool {
    if sigv2::is_presigned_v2(&req.query) {
        return true;
    }
    let sreq =
        sigv4::Request { method: &req.method, path: &req.path, query: &req.query, headers: &req.headers, body: &[] };
    sigv4::credential_of(&sreq).is_some_and(|c| c.service == "s3")
}

/// One S3 request, parsed: the bucket and key it addresses, its query.
pub struct Request<'r> {
    /// The HTTP request.
    pub http: &'r HttpRequest,
    /// The bucket, if any.
    pub bucket: Option<String>,
    /// The key ("" when the request is about the bucket).
    pub key: String,
    /// The query's parameters, decoded.
    pub query: BTreeMap<String, String>,
    /// The body, aws-chunked decoding undone.
    pub body: Vec<u8>,
    /// Who signed it.
    pub caller: Caller,
    /// The host the client addressed (for `Location`s).
    pub host: String,
}

impl Request<'_> {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.http.header(name)
    }

    /// The bucket, or (none addressed) S3's error for a request that needs one.
    fn bucket(&self) -> Result<&str, Failure> {
        self.bucket.as_deref().ok_or_else(|| bad("InvalidRequest", "A bucket must be specified"))
    }
}

use account::s3::{bucket_of_host, percent_decode_path as decode_path};

/// Splits the addressing of `req`: (bucket, key).
fn address(req: &HttpRequest) -> Result<(Option<String>, String), Failure> {
    let path = decode_path(&req.path).ok_or_else(|| bad("InvalidURI", "Couldn't parse the specified URI."))?;
    let path = path.strip_prefix('/').unwrap_or(&path);
    if let Some(bucket) = req.header("host").and_then(bucket_of_host) {
        return Ok((Some(bucket), path.to_string()));
    }
    let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
    Ok(((!bucket.is_empty()).then(|| bucket.to_string()), key.to_string()))
}

/// S3's answer to a signature refusal (AWS doc "Error responses": the
/// codes S3 uses instead of the query services').
fn refusal(r: &Refusal) -> WireError {
    match r {
        Refusal::Missing => WireError::new(403, "AccessDenied", "Access Denied"),
        Refusal::Incomplete(text) => WireError::bad("AuthorizationHeaderMalformed", text.clone()),
        Refusal::UnknownKey => {
            WireError::new(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
        }
        Refusal::Skew(text) if text == "Request has expired" => WireError::new(403, "AccessDenied", text.clone()),
        Refusal::Skew(_) => WireError::new(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        ),
        Refusal::Scope(text) => WireError::bad("AuthorizationHeaderMalformed", text.clone()),
        Refusal::Mismatch { .. } => WireError::new(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
        ),
    }
}

/// Checks the signature and the payload and parses the addressing.
fn parse<'r>(req: &'r HttpRequest, checks: &Checks<'_>) -> Result<Request<'r>, Failure> {
    let sreq = sigv4::Request {
        method: &req.method,
        path: &req.path,
        query: &req.query,
        headers: &req.headers,
        body: &req.body,
    };
    let caller = if sigv2::is_presigned_v2(&req.query) {
        let bucket = req.header("host").and_then(bucket_of_host);
        let key = sigv2::verify(req, checks.now_secs, checks.secret_of, bucket.as_deref())
            .map_err(|r| Failure::Wire(refusal(&r)))?;
        Caller { access_key: key, region: checks.region.to_string() }
    } else {
        let cred = sigv4::verify_with(&sreq, checks.now_secs, checks.region, checks.secret_of, true)
            .map_err(|r| Failure::Wire(refusal(&r)))?;
        Caller { access_key: cred.access_key, region: cred.region }
    };
    let content_sha256 = req.header("x-amz-content-sha256");
    let body = if chunked::is_chunked(content_sha256, req.header("content-encoding")) {
        chunked::decode(&req.body).ok_or_else(|| bad("IncompleteBody", "The request body terminated unexpectedly"))?
    } else {
        if let Some(claimed) = content_sha256.filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit())) {
            if !claimed.eq_ignore_ascii_case(&sigv4::sha256_hex(&req.body)) {
                // AWS's text (S3's XAmzContentSHA256Mismatch).
                return Err(bad(
                    "XAmzContentSHA256Mismatch",
                    "The provided 'x-amz-content-sha256' header does not match what was computed.",
                ));
            }
        }
        req.body.clone()
    };
    if let Some(want) = req.header("x-amz-decoded-content-length").and_then(|v| v.trim().parse::<usize>().ok()) {
        if want != body.len() {
            return Err(bad(
                "IncompleteBody",
                "You did not provide the number of bytes specified by the Content-Length HTTP header",
            ));
        }
    }
    let (bucket, key) = address(req)?;
    let mut query =
        crate::decode::form(&req.query).ok_or_else(|| bad("InvalidURI", "Couldn't parse the specified URI."))?;
    // The signature's own parameters (presigned URLs) and SDKs' `x-id` name no operation.
    query.retain(|k, _| {
        !(k.starts_with("X-Amz-") || matches!(k.as_str(), "AWSAccessKeyId" | "Signature" | "Expires" | "x-id"))
    });
    let host = req.header("host").unwrap_or("s3.amazonaws.com").to_string();
    Ok(Request { http: req, bucket, key, query, body, caller, host })
}

/// Answers one S3 request.
pub fn handle(state: &Arc<State>, req: &HttpRequest, checks: &Checks<'_>) -> S3Response {
    let request_id = dispatch::request_id();
    let head = req.method == "HEAD";
    let outcome = parse(req, checks).and_then(|r| objects::route(state, &r));
    let mut resp = match outcome {
        Ok(resp) => resp,
        Err(f) => error_response(&f, &request_id),
    };
    if head {
        resp.body.clear();
    }
    resp.headers.push(("x-amz-request-id".into(), request_id.clone()));
    resp.headers.push(("x-amz-id-2".into(), host_id(&request_id)));
    resp
}

/// S3's second request ID (`HostId`): opaque; here derived from the first.
fn host_id(request_id: &str) -> String {
    sigv4::sha256_hex(request_id.as_bytes())
}

/// The answer to an S3 request whose body is over [`MAX_BODY`] (AWS doc
/// "Error responses": EntityTooLarge, 400; the limit is tasknet's).
pub fn too_large() -> S3Response {
    let e = WireError::bad(
        "EntityTooLarge",
        format!("Your proposed upload exceeds the maximum allowed size (tasknet keeps requests in memory: at most {MAX_BODY} bytes; the aws CLI sends larger files in parts)"),
    );
    let id = dispatch::request_id();
    let mut resp = error_response(&Failure::Wire(e), &id);
    resp.headers.push(("x-amz-request-id".into(), id));
    resp
}

/// S3's error document (AWS doc "Error responses": `<Error><Code>`,
/// `<Message>`, the resource, `<RequestId>`, `<HostId>`).
fn error_response(f: &Failure, request_id: &str) -> S3Response {
    let (status, code, message, resource) = match f {
        Failure::S3(e) => (e.status(), e.code().to_string(), e.to_string(), e.resource()),
        // The endpoint's own failures in S3's codes (AWS doc "Error responses": InternalError 500, SlowDown 503).
        Failure::Wire(e) if e.code == "InternalFailure" => {
            (e.status, "InternalError".to_string(), e.message.clone(), None)
        }
        Failure::Wire(e) if e.code == "Throttling" => {
            (503, "SlowDown".to_string(), "Please reduce your request rate.".to_string(), None)
        }
        Failure::Wire(e) => (e.status, e.code.clone(), e.message.clone(), None),
    };
    let mut inner = format!("<Code>{}</Code><Message>{}</Message>", xml::escape(&code), xml::escape(&message));
    if let Some((name, value)) = resource {
        inner.push_str(&xml::el(name, value));
    }
    inner.push_str(&xml::el("RequestId", request_id));
    inner.push_str(&xml::el("HostId", &host_id(request_id)));
    let body = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>{inner}</Error>").into_bytes();
    S3Response::new(status).header("Content-Type", "application/xml").with_body(body)
}

#[cfg(test)]
mod tests {
    use super::decode_path;

    #[test]
    fn virtual_hosts_name_their_bucket() {
        use account::s3::bucket_of_host;
        assert_eq!(bucket_of_host("my.bucket.s3.amazonaws.com").as_deref(), Some("my.bucket"));
        assert_eq!(bucket_of_host("b.s3.eu-west-1.amazonaws.com").as_deref(), Some("b"));
        assert_eq!(bucket_of_host("b.s3-eu-west-1.amazonaws.com").as_deref(), Some("b"));
        assert_eq!(bucket_of_host("bkt.localhost:4566").as_deref(), Some("bkt"));
        for path_style in
            ["127.0.0.1:4566", "localhost:4566", "s3.amazonaws.com", "s3.us-east-1.amazonaws.com", "[::1]:80"]
        {
            assert_eq!(bucket_of_host(path_style), None, "{path_style}");
        }
    }

    #[test]
    fn paths_decode_without_form_rules() {
        assert_eq!(decode_path("/b/a%20b+c%2Fd").as_deref(), Some("/b/a b+c/d"));
        assert_eq!(decode_path("/%zz"), None);
    }
}
