//! Custom resources, the whole protocol (AWS doc pages "Custom resources",
//! "Custom resource request objects", "Custom resource response objects"):
//! CloudFormation sends Create, Update or Delete to the provider named by
//! `ServiceToken` with a presigned `ResponseURL`, waits for the provider's
//! PUT there (at most `ServiceTimeout`), and checks the response.
//!
//! The engine only builds the request, reads the response and records what
//! it says; delivering the request (invoking the Lambda function) and
//! waiting for the PUT is its host's business ([`Provider`]), because only
//! the host runs functions and serves the URL. Without a provider (plans,
//! tests) a custom resource is recorded as before: attributes from the
//! user's `--custom-outputs` file.

use account::Account;
use serde_json::{Map, Value};

/// The default and largest `ServiceTimeout`, in seconds ("Custom resource
/// request objects": 1–3600, default 3600).
pub const SERVICE_TIMEOUT_S: u64 = 3_600;

/// The largest response body CloudFormation accepts, inclusive ("Custom
/// resource response objects": "can't exceed 4096 bytes").
pub const MAX_RESPONSE_BYTES: usize = 4_096;

/// What a provider's delivery came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The body PUT to the request's `ResponseURL`.
    Responded(Vec<u8>),
    /// Nothing arrived before the deadline on the account's clock.
    NoResponse,
    /// The request could not be sent at all; the resource's failure reason.
    Refused(String),
}

/// Delivers custom resource requests and waits for their responses: the
/// engine's host implements it (`runtime`), with functions that really run.
pub trait Provider {
    /// The presigned URL the response to `request_id` must be PUT to.
    fn response_url(&mut self, a: &Account, stack_id: &str, logical_id: &str, request_id: &str) -> String;

    /// Sends `event` to the provider `service_token` (asynchronously, as
    /// CloudFormation invokes a Lambda function) and waits until a response
    /// to `request_id` arrives or the account's clock reaches `deadline_ms`.
    /// The account may be let go and read again meanwhile (the function's
    /// own calls change it).
    fn deliver(
        &mut self,
        a: &mut Account,
        service_token: &str,
        event: &Value,
        request_id: &str,
        deadline_ms: u64,
    ) -> Delivery;
}

/// Create, Update or Delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestType {
    /// A new resource.
    Create,
    /// Changed properties.
    Update,
    /// The resource goes (delete, rollback, cleanup of a replaced one).
    Delete,
}

impl RequestType {
    fn as_str(self) -> &'static str {
        match self {
            RequestType::Create => "Create",
            RequestType::Update => "Update",
            RequestType::Delete => "Delete",
        }
    }
}

/// One request about to be sent.
pub struct Request<'a> {
    /// What happens to the resource.
    pub request_type: RequestType,
    /// The stack's ID.
    pub stack_id: &'a str,
    /// The resource's logical ID.
    pub logical_id: &'a str,
    /// Its template type (`Custom::X` or `AWS::CloudFormation::CustomResource`).
    pub resource_type: &'a str,
    /// Its resolved properties (`ServiceToken` among them).
    pub properties: &'a Value,
    /// Update only: the properties before.
    pub old_properties: Option<&'a Value>,
    /// Update and Delete: the physical ID the provider gave.
    pub physical_id: Option<&'a str>,
}

/// What a successful response says.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The provider's physical ID (a new one on Update means replacement).
    pub physical_id: String,
    /// `Data`: values for `Fn::GetAtt`.
    pub data: Map<String, Value>,
    /// `NoEcho`: mask the values where CloudFormation shows them.
    pub no_echo: bool,
}

/// Why a request failed: the text CloudFormation records, and the
/// physical ID a FAILED response gave (a failed Create is still deleted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The resource's status reason.
    pub reason: String,
    /// The physical ID the provider answered with, if any.
    pub physical_id: Option<String>,
}

/// `ServiceToken` of a resource's properties.
pub fn service_token(properties: &Value) -> Option<&str> {
    properties.get("ServiceToken").and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The request's timeout in milliseconds: `ServiceTimeout` (a string or a
/// number of seconds, 1–3600), else the default.
pub fn timeout_ms(properties: &Value) -> u64 {
    let given = match properties.get("ServiceTimeout") {
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        Some(Value::Number(n)) => n.as_u64(),
        _ => None,
    };
    given.filter(|s| (1..=SERVICE_TIMEOUT_S).contains(s)).unwrap_or(SERVICE_TIMEOUT_S) * 1_000
}

/// Properties as the provider receives them: every scalar a string, as
/// CloudFormation sends them (observed, not documented: `true` arrives as
/// `"true"`, `14` as `"14"`; cloudformation-coverage-roadmap#1037).
pub fn stringified(v: &Value) -> Value {
    match v {
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Array(items) => Value::Array(items.iter().map(stringified).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), stringified(v))).collect()),
        other => other.clone(),
    }
}

/// The request object ("Custom resource request objects"): `ServiceToken`
/// at the top too, as real events carry it; `PhysicalResourceId` only with
/// Update and Delete, `OldResourceProperties` only with Update.
pub fn event(req: &Request<'_>, request_id: &str, response_url: &str) -> Value {
    let mut m = Map::new();
    m.insert("RequestType".into(), req.request_type.as_str().into());
    if let Some(token) = service_token(req.properties) {
        m.insert("ServiceToken".into(), token.into());
    }
    m.insert("ResponseURL".into(), response_url.into());
    m.insert("StackId".into(), req.stack_id.into());
    m.insert("RequestId".into(), request_id.into());
    m.insert("LogicalResourceId".into(), req.logical_id.into());
    if req.request_type != RequestType::Create {
        if let Some(id) = req.physical_id {
            m.insert("PhysicalResourceId".into(), id.into());
        }
    }
    m.insert("ResourceType".into(), req.resource_type.into());
    m.insert("ResourceProperties".into(), stringified(req.properties));
    if req.request_type == RequestType::Update {
        if let Some(old) = req.old_properties {
            m.insert("OldResourceProperties".into(), stringified(old));
        }
    }
    Value::Object(m)
}

/// The texts CloudFormation records for a request that got no answer in
/// time (seen: aws-samples/aws-security-reference-architecture-examples#162,
/// aws/aws-cdk#24974).
pub fn no_response_reason(request_id: &str) -> String {
    format!("CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [{request_id}]. If you are using the Python cfn-response module, you may need to update your Lambda function code so that CloudFormation can attach the updated version.")
}

/// Reads a response body ("Custom resource response objects") with the
/// texts CloudFormation records for each refusal (seen in public threads,
/// research §3.4).
pub fn read_response(body: &[u8], request_id: &str) -> Result<Response, Failure> {
    let fail = |reason: &str| Failure { reason: reason.to_string(), physical_id: None };
    if body.len() > MAX_RESPONSE_BYTES {
        // Seen: carlnordenfelt/aws-api-gateway-for-cloudformation#37, aws/aws-cdk#23958.
        return Err(fail("Response object is too long."));
    }
    // tasknet's own words: CloudFormation's text for a body that is not JSON is unverified.
    let Ok(Value::Object(doc)) = serde_json::from_slice::<Value>(body) else {
        return Err(fail("Invalid response object: the response body is not a JSON object."));
    };
    let physical = doc.get("PhysicalResourceId").and_then(Value::as_str).filter(|s| !s.is_empty());
    let status = doc.get("Status").and_then(Value::as_str).unwrap_or("");
    match status {
        "FAILED" => {
            // Seen (current format): aws-samples/amazon-connect-contact-surveys#4.
            // An empty Reason's text is unverified; cfnresponse never sends one.
            let reason = doc.get("Reason").and_then(Value::as_str).unwrap_or("");
            Err(Failure {
                reason: format!(
                    "Received response status [FAILED] from custom resource. Message returned: {reason} (RequestId: {request_id})"
                ),
                physical_id: physical.map(str::to_string),
            })
        }
        "SUCCESS" => {
            // Seen: aws-cloudformation/custom-resource-helper#56 and #67.
            let Some(physical) = physical else { return Err(fail("Invalid PhysicalResourceId")) };
            if physical.len() > 1_024 {
                return Err(fail("Invalid PhysicalResourceId"));
            }
            let data = match doc.get("Data") {
                None | Some(Value::Null) => Map::new(),
                Some(Value::Object(m)) => m.clone(),
                // Seen: ks888/LambStatus#6.
                Some(_) => return Err(fail("Data returned must be an object")),
            };
            let no_echo = match doc.get("NoEcho") {
                Some(Value::Bool(b)) => *b,
                Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
                _ => false,
            };
            Ok(Response { physical_id: physical.to_string(), data, no_echo })
        }
        // tasknet's own words: the documented values are SUCCESS and FAILED only.
        other => Err(fail(&format!(
            "Invalid response object: Status must be SUCCESS or FAILED, not [{other}] (RequestId: {request_id})"
        ))),
    }
}

/// Sends one request through `provider` and reads its response.
pub fn send(provider: &mut dyn Provider, a: &mut Account, req: &Request<'_>) -> Result<Response, Failure> {
    let Some(token) = service_token(req.properties).map(str::to_string) else {
        // The template check reports a missing ServiceToken; a Delete of a record without one has nothing to call.
        return Err(Failure {
            reason: format!(
                "Properties validation failed for resource {} with message: [#: required key [ServiceToken] not found]",
                req.logical_id
            ),
            physical_id: None,
        });
    };
    let request_id = account::ids::uuid(a.next_words("custom-resource-request"));
    let url = provider.response_url(a, req.stack_id, req.logical_id, &request_id);
    let body = event(req, &request_id, &url);
    let deadline = a.clock_ms.saturating_add(timeout_ms(req.properties));
    match provider.deliver(a, &token, &body, &request_id, deadline) {
        Delivery::Responded(bytes) => read_response(&bytes, &request_id),
        Delivery::NoResponse => Err(Failure { reason: no_response_reason(&request_id), physical_id: None }),
        Delivery::Refused(reason) => Err(Failure { reason, physical_id: None }),
    }
}

/// Attributes for `Fn::GetAtt` from a response's `Data`.
pub fn attributes(resp: &Response) -> std::collections::BTreeMap<String, Value> {
    resp.data.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// What CloudFormation shows instead of a `NoEcho` value ("Custom resource
/// response objects": "masked with asterisks (*****)").
pub const MASK: &str = "*****";

/// Masks, in `outputs`, every value a `NoEcho` custom resource answered
/// (what `Fn::GetAtt` of it gave is shown as [`MASK`]).
pub fn mask_outputs(resources: &[account::StackResource], outputs: &mut [account::StackOutput]) {
    let secrets: Vec<String> = resources
        .iter()
        .filter(|r| r.no_echo)
        .flat_map(|r| r.attributes.values())
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        .filter(|v| !v.is_empty())
        .collect();
    for o in outputs.iter_mut() {
        for s in &secrets {
            if o.output_value.contains(s.as_str()) {
                o.output_value = o.output_value.replace(s.as_str(), MASK);
            }
        }
    }
}

#[cfg(test)]
mod tests;
