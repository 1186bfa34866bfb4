//! What the endpoint answers when a request fails: AWS's code, message and
//! status, rendered per protocol (a query `<ErrorResponse>`, EC2's
//! `<Response><Errors>`, a JSON `__type`).

use crate::model::{Protocol, Service};

/// An error the endpoint answers with.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct WireError {
    /// AWS's error code, as clients match it (`LoadBalancerNotFound`, `ClusterNotFoundException`).
    pub code: String,
    /// AWS's message, verbatim.
    pub message: String,
    /// The HTTP status.
    pub status: u16,
    /// Whose fault: true for the caller's (`<Type>Sender</Type>`).
    pub sender: bool,
}

impl WireError {
    /// A client error with `status`.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> WireError {
        WireError { code: code.into(), message: message.into(), status, sender: status < 500 }
    }

    /// A client error at 400.
    pub fn bad(code: impl Into<String>, message: impl Into<String>) -> WireError {
        WireError::new(400, code, message)
    }

    /// Any of the account's errors, with the status its service's model gives it.
    pub fn from_aws(e: &dyn account::AwsError) -> WireError {
        WireError {
            code: e.code().to_string(),
            message: e.message(),
            status: e.http_status(),
            sender: e.fault() == account::Fault::Sender,
        }
    }

    /// The service's `ValidationError` (query) / `ValidationException` (JSON) /
    /// EC2's `InvalidParameterValue` with `message`.
    pub fn validation(service: Service, message: impl Into<String>) -> WireError {
        let code = match service.protocol() {
            Protocol::Query => "ValidationError",
            Protocol::Ec2 => "InvalidParameterValue",
            Protocol::Json => match service {
                Service::Ecs => "InvalidParameterException",
                _ => "ValidationException",
            },
            Protocol::RestJson => "ValidationException",
        };
        WireError::bad(code, message)
    }

    /// An unknown operation for `service` (AWS's `InvalidAction` /
    /// `UnknownOperationException`).
    pub fn unknown_operation(service: Service, operation: &str) -> WireError {
        match service.protocol() {
            // AWS doc "Common Errors": InvalidAction, "The action or operation requested is invalid."
            Protocol::Query => {
                WireError::bad("InvalidAction", format!("The action {operation} is not valid for this web service."))
            }
            Protocol::Ec2 => {
                WireError::bad("InvalidAction", format!("The action {operation} is not valid for this web service."))
            }
            // Seen on awsJson services for an unknown X-Amz-Target: an empty message.
            Protocol::Json => WireError::bad("UnknownOperationException", ""),
            // tasknet's choice: rest-json services answer an unknown path with a 404.
            Protocol::RestJson => WireError::new(404, "UnknownOperationException", ""),
        }
    }

    /// tasknet has no implementation of an operation the model knows: a
    /// 400, never a 5xx (SDKs retry those and would stall). tasknet's words.
    pub fn not_implemented(service: Service, operation: &str) -> WireError {
        let mut e = WireError::unknown_operation(service, operation);
        e.message = format!("tasknet does not implement {operation} (yet)");
        e
    }
}

impl<E: account::AwsError> From<&E> for WireError {
    fn from(e: &E) -> WireError {
        WireError::from_aws(e)
    }
}

/// Escapes text for XML content and attributes.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
    out
}

/// The error's body and content type for `protocol`.
pub fn render(e: &WireError, protocol: Protocol, namespace: &str, request_id: &str) -> (String, &'static str) {
    match protocol {
        Protocol::Query => (
            format!(
                "<ErrorResponse xmlns=\"{}\">\n  <Error>\n    <Type>{}</Type>\n    <Code>{}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{}</RequestId>\n</ErrorResponse>\n",
                xml_escape(namespace),
                if e.sender { "Sender" } else { "Receiver" },
                xml_escape(&e.code),
                xml_escape(&e.message),
                request_id
            ),
            "text/xml",
        ),
        Protocol::Ec2 => (
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{}</Code><Message>{}</Message></Error></Errors><RequestID>{}</RequestID></Response>",
                xml_escape(&e.code),
                xml_escape(&e.message),
                request_id
            ),
            "text/xml;charset=UTF-8",
        ),
        Protocol::Json => {
            let body = serde_json::json!({"__type": e.code, "message": e.message});
            (body.to_string(), "application/x-amz-json-1.1")
        }
        // The code goes in `x-amzn-ErrorType` (`dispatch::respond_error` adds it).
        Protocol::RestJson => {
            let body = serde_json::json!({"Type": if e.sender { "User" } else { "Service" }, "Message": e.message});
            (body.to_string(), "application/json")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_errors_carry_type_code_message_and_request_id() {
        let e = WireError::bad("ValidationError", "Stack with id foo does not exist");
        let (body, ct) = render(&e, Protocol::Query, "http://cloudformation.amazonaws.com/doc/2010-05-15/", "r-1");
        assert_eq!(ct, "text/xml");
        assert!(body.contains("<Type>Sender</Type>"));
        assert!(body.contains("<Code>ValidationError</Code>"));
        assert!(body.contains("<Message>Stack with id foo does not exist</Message>"));
        assert!(body.contains("<RequestId>r-1</RequestId>"));
    }

    #[test]
    fn ec2_errors_use_request_id_with_a_capital_d_and_no_type() {
        let e = WireError::bad("InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist");
        let (body, _) = render(&e, Protocol::Ec2, "", "r-2");
        assert!(body.contains("<RequestID>r-2</RequestID>"));
        assert!(!body.contains("<Type>"));
    }

    #[test]
    fn json_errors_put_the_code_in_the_body() {
        let e = WireError::bad("ClusterNotFoundException", "Cluster not found.");
        let (body, _) = render(&e, Protocol::Json, "", "r-3");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["__type"], "ClusterNotFoundException");
        assert_eq!(v["message"], "Cluster not found.");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(xml_escape("a<b&'\""), "a&lt;b&amp;&apos;&quot;");
    }
}
