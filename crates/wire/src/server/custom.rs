//! The `ResponseURL`s of custom resource requests: presigned-S3-style URLs
//! on this endpoint (`PUT /cloudformation-custom-resource-response-<region>/…`)
//! to which a provider (`cfnresponse.send`) PUTs its answer. The answer is
//! kept in the account, where the waiting stack operation reads it; the URL's
//! signature must be the request's. Answers and errors are S3's, since the
//! providers' HTTP clients expect S3 (AWS doc: "Custom resource response
//! objects": the response is uploaded to the presigned S3 URL).

use super::State;
use crate::dispatch::{self, Caller, HttpRequest, HttpResponse};
use crate::error::WireError;
use account::custom_resources::{parse_response_url, Refusal};
use std::sync::Arc;

/// S3's error document.
fn s3_error(status: u16, code: &str, message: &str, request_id: &str) -> HttpResponse {
    HttpResponse {
        status,
        content_type: "application/xml",
        body: format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{request_id}</RequestId></Error>"
        ),
        request_id: request_id.to_string(),
        headers: Vec::new(),
        binary: None,
    }
}

impl State {
    /// Answers a PUT to a response URL; `None` when the request is not one.
    pub(super) fn custom_response(self: &Arc<State>, req: &HttpRequest) -> Option<HttpResponse> {
        if req.method != "PUT" {
            return None;
        }
        let (request_id, signature) = parse_response_url(&req.path, &req.query)?;
        let rid = dispatch::request_id();
        // The URL's signature stands for the caller, as a presigned URL's does.
        let caller = Caller { access_key: String::new(), region: self.region.clone() };
        let body = req.body.clone();
        let taken = self.write(&caller, |w| {
            w.session
                .account
                .put_custom_response(&request_id, &signature, &body)
                .map(|()| serde_json::Value::Null)
                .map_err(|r| match r {
                    Refusal::NoSuchRequest => WireError::new(404, "NoSuchKey", "The specified key does not exist."),
                    Refusal::BadSignature => WireError::new(
                        403,
                        "SignatureDoesNotMatch",
                        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                    ),
                    Refusal::TooLarge => WireError::new(
                        400,
                        "EntityTooLarge",
                        "Your proposed upload exceeds the maximum allowed size",
                    ),
                })
        });
        Some(match taken {
            Ok(_) => HttpResponse {
                status: 200,
                content_type: "application/xml",
                body: String::new(),
                request_id: rid,
                headers: Vec::new(),
                binary: None,
            },
            Err(e) => s3_error(e.status, &e.code, &e.message, &rid),
        })
    }
}
