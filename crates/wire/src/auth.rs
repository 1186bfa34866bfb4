//! A signature refusal in each protocol's words: AWS answers the same
//! mistake with different codes, texts and statuses in its query, EC2 and
//! JSON services (research file §2.1, from real responses quoted in public
//! threads; AWS has no page that lists them all). Where a cell of that table
//! is unverified, the choice is marked here.

use crate::error::WireError;
use crate::model::Protocol;
use crate::sigv4::Refusal;

/// AWS's text for a signature that does not match.
const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/// AWS's text for an access key it does not know (query and JSON).
const UNKNOWN_TOKEN: &str = "The security token included in the request is invalid.";

/// Why a temporary key's request is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    /// No session token, or not the key's.
    Invalid,
    /// The session has expired.
    Expired,
}

/// AWS's text for an expired session (seen: IAM's and Lambda's, no final period).
const EXPIRED_TOKEN: &str = "The security token included in the request is expired";

/// The error a temporary key's request is refused with in `protocol`.
pub fn token_refusal(t: Token, protocol: Protocol) -> WireError {
    match (t, protocol) {
        (Token::Invalid, p) => refusal(&Refusal::UnknownKey, p),
        // Seen: IAM's `<Code>ExpiredToken</Code>` with 403.
        (Token::Expired, Protocol::Query) => WireError::new(403, "ExpiredToken", EXPIRED_TOKEN),
        // Seen: Lambda's ExpiredTokenException, 403.
        (Token::Expired, Protocol::RestJson) => WireError::new(403, "ExpiredTokenException", EXPIRED_TOKEN),
        // Unverified: the JSON services' name, at their 400 for credential errors.
        (Token::Expired, Protocol::Json) => WireError::bad("ExpiredTokenException", EXPIRED_TOKEN),
        // Unverified (recalled from EC2 users' reports): RequestExpired.
        (Token::Expired, Protocol::Ec2) => WireError::bad("RequestExpired", "Request has expired."),
    }
}

/// The error a refused request is answered with in `protocol`.
pub fn refusal(r: &Refusal, protocol: Protocol) -> WireError {
    use Protocol::{Ec2, Json, Query, RestJson};
    match (r, protocol) {
        // Seen (iann0036/iamlive#58): Lambda answers an unknown key with a 403.
        (Refusal::UnknownKey, RestJson) => WireError::new(403, "UnrecognizedClientException", UNKNOWN_TOKEN),
        // Unverified statuses for Lambda: 403 as its other credential errors.
        (Refusal::Missing, RestJson) => {
            WireError::new(403, "MissingAuthenticationTokenException", "Request is missing Authentication Token")
        }
        (Refusal::Incomplete(text), RestJson) => WireError::bad("IncompleteSignatureException", text.clone()),
        (Refusal::Mismatch { .. }, RestJson) => WireError::new(403, "InvalidSignatureException", MISMATCH),
        (Refusal::Skew(text) | Refusal::Scope(text), RestJson) => {
            WireError::new(403, "InvalidSignatureException", text.clone())
        }
        // "Common Errors": MissingAuthenticationToken, 403.
        (Refusal::Missing, Query | Ec2) => {
            WireError::new(403, "MissingAuthenticationToken", "Request is missing Authentication Token")
        }
        // Unverified for ECS/SSM: the JSON services' name for the same error.
        (Refusal::Missing, Json) => {
            WireError::new(400, "MissingAuthenticationTokenException", "Request is missing Authentication Token")
        }
        (Refusal::Incomplete(text), Query | Ec2) => WireError::bad("IncompleteSignature", text.clone()),
        (Refusal::Incomplete(text), Json) => WireError::bad("IncompleteSignatureException", text.clone()),
        (Refusal::UnknownKey, Query) => WireError::new(403, "InvalidClientTokenId", UNKNOWN_TOKEN),
        (Refusal::UnknownKey, Ec2) => {
            WireError::new(401, "AuthFailure", "AWS was not able to validate the provided access credentials")
        }
        (Refusal::UnknownKey, Json) => WireError::bad("UnrecognizedClientException", UNKNOWN_TOKEN),
        (Refusal::Mismatch { canonical, string_to_sign }, Query) => WireError::new(
            403,
            "SignatureDoesNotMatch",
            format!(
                "{MISMATCH}\n\nThe Canonical String for this request should have been\n'{canonical}'\n\nThe String-to-Sign should have been\n'{string_to_sign}'\n"
            ),
        ),
        // EC2's code for a bad signature today is unverified (2013 threads show
        // SignatureDoesNotMatch in a Response/Errors body, at 403).
        (Refusal::Mismatch { .. }, Ec2) => WireError::new(403, "SignatureDoesNotMatch", MISMATCH),
        (Refusal::Mismatch { .. }, Json) => WireError::bad("InvalidSignatureException", MISMATCH),
        // Query services answer a stale signature as a mismatch, 403 (convox/rack#235).
        (Refusal::Skew(text), Query) => WireError::new(403, "SignatureDoesNotMatch", text.clone()),
        // "Common Errors" of the EC2 API: RequestExpired, 400.
        (Refusal::Skew(text), Ec2) => WireError::bad("RequestExpired", text.clone()),
        (Refusal::Skew(text), Json) => WireError::bad("InvalidSignatureException", text.clone()),
        (Refusal::Scope(text), Query) => WireError::new(403, "SignatureDoesNotMatch", text.clone()),
        (Refusal::Scope(text), Ec2) => WireError::new(401, "AuthFailure", text.clone()),
        (Refusal::Scope(text), Json) => WireError::bad("InvalidSignatureException", text.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_is_403_in_query_401_in_ec2_and_400_in_json() {
        let q = refusal(&Refusal::UnknownKey, Protocol::Query);
        let e = refusal(&Refusal::UnknownKey, Protocol::Ec2);
        let j = refusal(&Refusal::UnknownKey, Protocol::Json);
        assert_eq!((q.status, q.code.as_str()), (403, "InvalidClientTokenId"));
        assert_eq!((e.status, e.code.as_str()), (401, "AuthFailure"));
        assert_eq!((j.status, j.code.as_str()), (400, "UnrecognizedClientException"));
    }

    #[test]
    fn query_mismatches_print_the_canonical_request() {
        let r = Refusal::Mismatch { canonical: "POST\n/".into(), string_to_sign: "AWS4".into() };
        let e = refusal(&r, Protocol::Query);
        assert!(e.message.starts_with(MISMATCH));
        assert!(e.message.contains("The Canonical String for this request should have been\n'POST\n/'"));
        assert_eq!(refusal(&r, Protocol::Json).message, MISMATCH);
    }
}
