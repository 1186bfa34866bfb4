//! Custom resource requests CloudFormation has sent and is waiting on: the
//! presigned `ResponseURL` a provider PUTs its answer to is checked against
//! the request's record here, and the answer kept until the engine reads
//! it. They live in the account (so in the store) because the PUT may reach
//! another process than the one whose stack operation waits: the endpoint
//! beside `up` while a `tasknet deploy` runs.

use crate::Account;
use serde::{Deserialize, Serialize};

/// The account's map these records live in (the store's kind).
pub const KIND: &str = "custom_resource_requests";

/// The largest body kept (the engine refuses anything over 4,096 bytes
/// with CloudFormation's text; this only bounds what a stray PUT stores).
pub const MAX_KEPT: usize = 64 * 1024;

/// One request awaiting its response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomResourceRequest {
    /// The stack's ID.
    pub stack_id: String,
    /// The resource's logical ID.
    pub logical_resource_id: String,
    /// The URL's signature (random, hex): only the holder of the URL may answer.
    pub signature: String,
    /// When it was sent (clock milliseconds).
    pub sent_ms: u64,
    /// The body PUT to the URL, once it came.
    #[serde(default)]
    pub response: Option<String>,
}

/// Why a PUT to a response URL was not taken; S3's codes, as the URL is S3's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No request with that ID is waiting (answered and read, or never sent).
    NoSuchRequest,
    /// The signature is not the request's.
    BadSignature,
    /// The body is larger than [`MAX_KEPT`].
    TooLarge,
}

impl Account {
    /// Records a request about to be sent.
    pub fn open_custom_request(&mut self, request_id: &str, req: CustomResourceRequest) {
        self.custom_resource_requests.insert(request_id.to_string(), req);
    }

    /// Keeps the body PUT to request `request_id`'s URL with `signature`.
    pub fn put_custom_response(&mut self, request_id: &str, signature: &str, body: &[u8]) -> Result<(), Refusal> {
        let Some(req) = self.custom_resource_requests.get_mut(request_id) else {
            return Err(Refusal::NoSuchRequest);
        };
        if !constant_time_eq(req.signature.as_bytes(), signature.as_bytes()) {
            return Err(Refusal::BadSignature);
        }
        if body.len() > MAX_KEPT {
            return Err(Refusal::TooLarge);
        }
        req.response = Some(String::from_utf8_lossy(body).into_owned());
        Ok(())
    }

    /// The response to `request_id`, if it came.
    pub fn custom_response(&self, request_id: &str) -> Option<&str> {
        self.custom_resource_requests.get(request_id)?.response.as_deref()
    }

    /// Forgets a request (answered and read, or given up on).
    pub fn close_custom_request(&mut self, request_id: &str) -> Option<CustomResourceRequest> {
        self.custom_resource_requests.remove(request_id)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> CustomResourceRequest {
        CustomResourceRequest {
            stack_id: "s".into(),
            logical_resource_id: "R".into(),
            signature: "abc".into(),
            sent_ms: 0,
            response: None,
        }
    }

    #[test]
    fn only_the_signed_url_answers_a_waiting_request() {
        let mut a = Account::default();
        assert_eq!(a.put_custom_response("r1", "abc", b"{}"), Err(Refusal::NoSuchRequest));
        a.open_custom_request("r1", req());
        assert_eq!(a.put_custom_response("r1", "abd", b"{}"), Err(Refusal::BadSignature));
        assert_eq!(a.put_custom_response("r1", "abc", &vec![b'x'; MAX_KEPT + 1]), Err(Refusal::TooLarge));
        assert_eq!(a.custom_response("r1"), None);
        assert_eq!(a.put_custom_response("r1", "abc", b"{\"Status\":\"SUCCESS\"}"), Ok(()));
        assert_eq!(a.custom_response("r1"), Some("{\"Status\":\"SUCCESS\"}"));
        assert!(a.close_custom_request("r1").is_some());
        assert_eq!(a.custom_response("r1"), None);
    }
}

/// The bucket-like first path segment of response URLs in `region`, as
/// CloudFormation's are (`cloudformation-custom-resource-response-useast1`).
pub fn response_bucket(region: &str) -> String {
    format!("cloudformation-custom-resource-response-{}", region.replace('-', ""))
}

/// The presigned-S3-style URL a provider PUTs its response to, on `endpoint`
/// (`http://127.0.0.1:4566`): path `/<bucket>/<stack ARN>|<logical ID>|<request ID>`
/// (escaped), the signature as `X-Amz-Signature`.
pub fn response_url(
    endpoint: &str,
    region: &str,
    stack_id: &str,
    logical_id: &str,
    request_id: &str,
    signature: &str,
) -> String {
    let key = escape(&format!("{stack_id}|{logical_id}|{request_id}"));
    format!(
        "{}/{}/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=7200&X-Amz-SignedHeaders=host&X-Amz-Signature={signature}",
        endpoint.trim_end_matches('/'),
        response_bucket(region)
    )
}

/// The request ID and signature of a PUT to a response URL (`path` as sent,
/// escaped; `query` without `?`); `None` when it is not one.
pub fn parse_response_url(path: &str, query: &str) -> Option<(String, String)> {
    let rest = path.strip_prefix("/cloudformation-custom-resource-response-")?;
    let (_, key) = rest.split_once('/')?;
    let key = crate::s3::percent_decode_path(key)?;
    let request_id = key.rsplit('|').next().filter(|id| !id.is_empty())?.to_string();
    let signature = query.split('&').find_map(|kv| kv.strip_prefix("X-Amz-Signature="))?.to_string();
    Some((request_id, signature))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod url_tests {
    use super::*;

    #[test]
    fn a_response_url_parses_back() {
        let url = response_url(
            "http://127.0.0.1:4566/",
            "us-east-1",
            "arn:aws:cloudformation:us-east-1:1:stack/s/u",
            "Migrate",
            "rid-1",
            "f00d",
        );
        assert!(url.starts_with("http://127.0.0.1:4566/cloudformation-custom-resource-response-useast1/arn%3Aaws"));
        let (path, query) = url.trim_start_matches("http://127.0.0.1:4566").split_once('?').unwrap_or_default();
        assert_eq!(parse_response_url(path, query), Some(("rid-1".into(), "f00d".into())));
        assert_eq!(parse_response_url("/bucket/key", query), None);
        assert_eq!(parse_response_url(path, "X-Amz-Expires=1"), None);
        assert_eq!(parse_response_url("/cloudformation-custom-resource-response-useast1/%zz", query), None);
    }
}
