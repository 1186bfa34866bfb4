//! The load balancer's own responses: its error pages and the shape it
//! gives fixed responses and redirects.
//!
//! AWS doc: "Troubleshoot your Application Load Balancers" (which code for
//! which failure) and shared/aws-facts.md (the 503 page, byte for byte, and
//! the 502 page on the same template).

use crate::body::LbBody;
use bytes::Bytes;
use hyper::ext::ReasonPhrase;
use hyper::header::{HeaderValue, CONTENT_TYPE, SERVER};
use hyper::{Response, StatusCode};

/// The `Server` header of every response the load balancer writes itself.
pub const SERVER_NAME: &str = "awselb/2.0";

/// Builds the error page body for a status line text such as
/// `503 Service Temporarily Unavailable`, at compile time.
macro_rules! page {
    ($line:literal) => {
        concat!(
            "<html>\r\n<head><title>",
            $line,
            "</title></head>\r\n<body>\r\n<center><h1>",
            $line,
            "</h1></center>\r\n</body>\r\n</html>\r\n"
        )
    };
}

/// An error the load balancer answers by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlbError {
    /// The client's request is not acceptable HTTP (inferred page: same template).
    BadRequest,
    /// The target reset or closed the connection with a request outstanding,
    /// refused the connection, or answered malformed (facts).
    BadGateway,
    /// No target to send the request to (facts).
    ServiceUnavailable,
    /// The target could not be reached within 10 s or did not answer within
    /// the idle timeout (facts).
    GatewayTimeout,
}

impl AlbError {
    /// The status code.
    pub fn status(self) -> StatusCode {
        match self {
            AlbError::BadRequest => StatusCode::BAD_REQUEST,
            AlbError::BadGateway => StatusCode::BAD_GATEWAY,
            AlbError::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            AlbError::GatewayTimeout => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    /// The reason phrase of the status line.
    pub fn reason(self) -> &'static str {
        match self {
            // inferred: hyper's canonical phrase, which is also nginx's.
            AlbError::BadRequest => "Bad Request",
            // facts: `502 Bad Gateway`.
            AlbError::BadGateway => "Bad Gateway",
            // facts: `HTTP/1.1 503 Service Temporarily Unavailable`.
            AlbError::ServiceUnavailable => "Service Temporarily Unavailable",
            // inferred: the ALB's page follows nginx's wording `Gateway Time-out`;
            // not verified against a captured 504.
            AlbError::GatewayTimeout => "Gateway Time-out",
        }
    }

    /// The HTML body, exactly as the load balancer sends it.
    pub fn body(self) -> &'static str {
        match self {
            AlbError::BadRequest => page!("400 Bad Request"),
            AlbError::BadGateway => page!("502 Bad Gateway"),
            AlbError::ServiceUnavailable => page!("503 Service Temporarily Unavailable"),
            AlbError::GatewayTimeout => page!("504 Gateway Time-out"),
        }
    }

    /// The complete response.
    pub fn response(self) -> Response<LbBody> {
        let mut resp = Response::new(LbBody::full(Bytes::from_static(self.body().as_bytes())));
        *resp.status_mut() = self.status();
        let reason = self.reason();
        // Only write a phrase hyper would not write anyway.
        if self.status().canonical_reason() != Some(reason) {
            resp.extensions_mut().insert(reason_phrase(self));
        }
        let headers = resp.headers_mut();
        headers.insert(SERVER, HeaderValue::from_static(SERVER_NAME));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
        resp
    }
}

/// The non-canonical reason phrases as static values (checked at compile time).
fn reason_phrase(e: AlbError) -> ReasonPhrase {
    const UNAVAILABLE: ReasonPhrase = ReasonPhrase::from_static(b"Service Temporarily Unavailable");
    const TIME_OUT: ReasonPhrase = ReasonPhrase::from_static(b"Gateway Time-out");
    const BAD_GATEWAY: ReasonPhrase = ReasonPhrase::from_static(b"Bad Gateway");
    const BAD_REQUEST: ReasonPhrase = ReasonPhrase::from_static(b"Bad Request");
    match e {
        AlbError::ServiceUnavailable => UNAVAILABLE,
        AlbError::GatewayTimeout => TIME_OUT,
        AlbError::BadGateway => BAD_GATEWAY,
        AlbError::BadRequest => BAD_REQUEST,
    }
}

/// A page on the same template for a redirect's status (inferred: the
/// ALB's redirect body is not in the facts).
pub fn redirect_body(code: u16) -> &'static str {
    match code {
        301 => page!("301 Moved Permanently"),
        _ => page!("302 Found"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_503_page_is_the_facts_page_byte_for_byte() {
        let expected = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n";
        assert_eq!(AlbError::ServiceUnavailable.body(), expected);
        assert_eq!(AlbError::ServiceUnavailable.body().len(), 162);
    }

    #[test]
    fn the_502_page_uses_the_same_template() {
        let body = AlbError::BadGateway.body();
        assert!(body.starts_with("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"));
        assert!(body.contains("<center><h1>502 Bad Gateway</h1></center>"));
    }

    #[test]
    fn responses_carry_server_and_content_type() {
        let r = AlbError::GatewayTimeout.response();
        assert_eq!(r.status(), 504);
        assert_eq!(r.headers()[SERVER], "awselb/2.0");
        assert_eq!(r.headers()[CONTENT_TYPE], "text/html");
        let phrase = r.extensions().get::<ReasonPhrase>().map(|p| p.as_bytes().to_vec());
        assert_eq!(phrase.as_deref(), Some(&b"Gateway Time-out"[..]));
    }
}
