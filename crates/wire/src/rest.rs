//! The `rest-json` protocol (Lambda), generic over the model: an operation
//! is chosen by the HTTP method and its `http.requestUri` template; input
//! members are bound by their `location` (`uri` labels, `querystring`,
//! `header`, `headers` prefixes) or come from the body (the `payload`
//! member whole, else the JSON object's other members); outputs likewise,
//! the status from `http.responseCode` or a `statusCode` member. Errors
//! carry the code in `x-amzn-ErrorType` and `{"Type","Message"}` in the
//! body, which botocore's `RestJSONParser` reads (research file §1.3).

use crate::decode::DecodeError;
use crate::error::WireError;
use crate::model::{Model, Shape};
use base64::Engine as _;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Matches `path` against a `requestUri` template (its query part ignored):
/// the labels' values, decoded, or `None`. `{Name+}` takes the rest.
pub fn match_uri(template: &str, path: &str) -> Option<BTreeMap<String, String>> {
    let template = template.split('?').next().unwrap_or(template);
    let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let mut labels = BTreeMap::new();
    for (i, seg) in t.iter().enumerate() {
        match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if name.ends_with('+') => {
                let rest = p.get(i..).filter(|r| !r.is_empty())?.join("/");
                labels.insert(name.trim_end_matches('+').to_string(), account::s3::percent_decode_path(&rest)?);
                return Some(labels);
            }
            Some(name) => {
                let v = p.get(i).filter(|v| !v.is_empty())?;
                labels.insert(name.to_string(), account::s3::percent_decode_path(v)?);
            }
            None if p.get(i) == Some(seg) => {}
            None => return None,
        }
    }
    (t.len() == p.len()).then_some(labels)
}

/// The operation of `names` whose method and template match, and its
/// labels; the template with the most literal segments wins.
pub fn find<'n>(
    model: &Model,
    names: impl Iterator<Item = &'n str>,
    method: &str,
    path: &str,
) -> Option<(&'n str, BTreeMap<String, String>)> {
    names
        .filter_map(|name| {
            let (m, uri, _) = model.http(name)?;
            if m != method {
                return None;
            }
            let labels = match_uri(uri, path)?;
            let literal = uri.split('/').filter(|s| !s.starts_with('{')).count();
            Some((literal, name, labels))
        })
        .max_by_key(|(literal, _, _)| *literal)
        .map(|(_, name, labels)| (name, labels))
}

/// lowerCamel, as AWS names members in validation messages.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// A text from the path, query or a header as the member's type.
fn typed(shape: Shape<'_>, raw: &str, member: &str, errors: &mut Vec<String>) -> Option<Value> {
    let bad = |errors: &mut Vec<String>, what: &str| {
        errors.push(format!(
            "Value '{raw}' at '{}' failed to satisfy constraint: Member must be {what}",
            lower_first(member)
        ));
        None
    };
    match shape.kind() {
        "integer" | "long" => match raw.trim().parse::<i64>() {
            Ok(n) => Some(Value::from(n)),
            Err(_) => bad(errors, "a number"),
        },
        "boolean" => match raw {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => bad(errors, "a boolean"),
        },
        _ => Some(Value::String(raw.to_string())),
    }
}

/// The request's parts a rest-json input is decoded from.
pub struct Parts<'a> {
    /// The path's labels.
    pub labels: &'a BTreeMap<String, String>,
    /// The query parameters.
    pub query: &'a BTreeMap<String, String>,
    /// The headers.
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
}

/// Decodes a rest-json request into the input shape's member names and
/// checks it against the shape (required members, types, enums). Blobs are
/// base64 text, as in JSON bodies.
pub fn decode(model: &Model, shape: Shape<'_>, parts: &Parts<'_>) -> Result<Value, DecodeError> {
    let mut out = Map::new();
    let mut errors = Vec::new();
    let payload = shape.def["payload"].as_str();
    for (name, member) in shape.members() {
        let Some(ms) = member["shape"].as_str().and_then(|s| model.shape(s)) else { continue };
        let loc_name = member["locationName"].as_str().unwrap_or(name);
        let raw = match member["location"].as_str() {
            Some("uri") => parts.labels.get(loc_name).cloned(),
            Some("querystring") => parts.query.get(loc_name).cloned(),
            Some("header") => {
                parts.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(loc_name)).map(|(_, v)| v.clone())
            }
            Some("headers") => {
                let prefix = loc_name.to_ascii_lowercase();
                let map: Map<String, Value> = parts
                    .headers
                    .iter()
                    .filter_map(|(n, v)| {
                        let n = n.to_ascii_lowercase();
                        Some((n.strip_prefix(&prefix)?.to_string(), Value::String(v.clone())))
                    })
                    .collect();
                if !map.is_empty() {
                    out.insert(name.to_string(), Value::Object(map));
                }
                continue;
            }
            _ => continue,
        };
        if let Some(v) = raw.and_then(|raw| typed(ms, &raw, name, &mut errors)) {
            out.insert(name.to_string(), v);
        }
    }
    match payload {
        Some(p) => {
            let kind = shape.def["members"][p]["shape"].as_str().and_then(|s| model.shape(s)).map(|s| s.kind());
            if !parts.body.is_empty() {
                let v = match kind {
                    Some("blob") => Value::String(base64::engine::general_purpose::STANDARD.encode(parts.body)),
                    Some("string") => Value::String(String::from_utf8_lossy(parts.body).into_owned()),
                    _ => parse_body(parts.body)?,
                };
                out.insert(p.to_string(), v);
            }
        }
        None => {
            if let Value::Object(body) = parse_body(parts.body)? {
                for (name, member) in shape.members() {
                    if member.get("location").is_none() {
                        if let Some(v) = body.get(name) {
                            out.insert(name.to_string(), v.clone());
                        }
                    }
                }
            }
        }
    }
    let v = Value::Object(out);
    crate::decode::check_json(model, shape, &v, "", &mut errors)?;
    if errors.is_empty() {
        Ok(v)
    } else {
        Err(DecodeError::Invalid(errors))
    }
}

/// A JSON body (empty: an empty object).
fn parse_body(body: &[u8]) -> Result<Value, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body).map_err(|e| DecodeError::Malformed(format!("Could not parse request body: {e}")))
}

/// An encoded rest-json answer.
pub struct Encoded {
    /// The status.
    pub status: u16,
    /// Headers from `header`-bound members.
    pub headers: Vec<(String, String)>,
    /// The body's bytes.
    pub body: Vec<u8>,
    /// Whether the body is JSON (else the payload's raw bytes).
    pub json: bool,
}

/// A scalar as header text.
fn header_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Encodes the output document of `operation`.
pub fn encode(model: &Model, operation: &str, output: &Value) -> Encoded {
    let status = model.http(operation).map_or(200, |(_, _, code)| code);
    let mut e = Encoded { status, headers: Vec::new(), body: Vec::new(), json: true };
    let Some((shape, _)) = model.output(operation) else { return e };
    let obj = output.as_object();
    let get = |name: &str| obj.and_then(|o| o.get(name)).filter(|v| !v.is_null());
    let mut body = Map::new();
    for (name, member) in shape.members() {
        let Some(v) = get(name) else { continue };
        match member["location"].as_str() {
            Some("statusCode") => {
                if let Some(s) = v.as_u64().and_then(|n| u16::try_from(n).ok()) {
                    e.status = s;
                }
            }
            Some("header") => {
                e.headers.push((member["locationName"].as_str().unwrap_or(name).to_string(), header_text(v)));
            }
            Some(_) => {}
            None => {
                body.insert(name.to_string(), v.clone());
            }
        }
    }
    match shape.def["payload"].as_str() {
        Some(p) => {
            let ms = shape.def["members"][p]["shape"].as_str().and_then(|s| model.shape(s));
            match (ms, get(p)) {
                (Some(s), Some(Value::String(b64))) if s.kind() == "blob" => {
                    e.body = base64::engine::general_purpose::STANDARD.decode(b64).unwrap_or_default();
                    e.json = false;
                }
                (Some(s), Some(v)) => e.body = crate::encode::conform(model, s, v).to_string().into_bytes(),
                _ => {}
            }
        }
        None if !body.is_empty() => {
            e.body = crate::encode::conform(model, shape, &Value::Object(body)).to_string().into_bytes();
        }
        None => {}
    }
    e
}

/// A rest-json error: the `x-amzn-ErrorType` header's value and the body.
/// The message member is spelled as the model's error shape spells it
/// (Lambda's `ResourceNotFoundException` has `Message`, its
/// `ResourceConflictException` `message`); `Type` is `User` for the
/// caller's faults and `Service` for the service's.
pub fn render_error(model: &Model, e: &WireError) -> (String, String) {
    let shape = model.shape(&e.code);
    let key = match shape {
        Some(s) if s.def["members"].get("message").is_some() => "message",
        _ => "Message",
    };
    let mut body = Map::new();
    body.insert("Type".into(), Value::String(if e.sender { "User" } else { "Service" }.into()));
    body.insert(key.into(), Value::String(e.message.clone()));
    (e.code.clone(), Value::Object(body).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_bind_labels_and_literals_must_match() {
        let t = "/2015-03-31/functions/{FunctionName}/invocations";
        let l = match_uri(t, "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/invocations");
        assert_eq!(l.expect("matched")["FunctionName"], "arn:aws:lambda:us-east-1:1:function:f");
        assert!(match_uri(t, "/2015-03-31/functions/f").is_none());
        assert!(match_uri(t, "/2015-03-31/functions//invocations").is_none());
        assert!(match_uri("/2015-03-31/functions/", "/2015-03-31/functions/").is_some());
        let greedy = match_uri("/{Bucket}/{Key+}", "/b/a/b%20c").expect("greedy");
        assert_eq!(greedy["Key"], "a/b c");
    }

    #[test]
    fn lambdas_operations_are_found_and_decoded() {
        let model = crate::model::Service::Lambda.model();
        let names = model.operation_names().collect::<Vec<_>>();
        let (op, labels) =
            find(model, names.iter().copied(), "GET", "/2015-03-31/functions/f1/configuration").expect("found");
        assert_eq!(op, "GetFunctionConfiguration");
        let (op, _) = find(model, names.iter().copied(), "GET", "/2015-03-31/functions/f1").expect("found");
        assert_eq!(op, "GetFunction");
        let query = BTreeMap::from([("Qualifier".to_string(), "$LATEST".to_string())]);
        let headers = vec![("X-Amz-Invocation-Type".to_string(), "Event".to_string())];
        let shape = model.input("Invoke").expect("shape");
        let parts = Parts { labels: &labels, query: &query, headers: &headers, body: b"{\"a\":1}" };
        let v = decode(model, shape, &parts).expect("decoded");
        assert_eq!(v["FunctionName"], "f1");
        assert_eq!(v["InvocationType"], "Event");
        assert_eq!(v["Qualifier"], "$LATEST");
        assert_eq!(v["Payload"], base64::engine::general_purpose::STANDARD.encode(b"{\"a\":1}"));
        let bad = vec![("X-Amz-Invocation-Type".to_string(), "Sometimes".to_string())];
        let parts = Parts { labels: &labels, query: &query, headers: &bad, body: b"" };
        assert!(matches!(decode(model, shape, &parts), Err(DecodeError::Invalid(_))));
    }

    #[test]
    fn outputs_split_into_status_headers_and_payload() {
        let model = crate::model::Service::Lambda.model();
        let out = serde_json::json!({
            "StatusCode": 200, "FunctionError": "Unhandled", "ExecutedVersion": "$LATEST",
            "Payload": base64::engine::general_purpose::STANDARD.encode(b"{\"x\":1}"),
        });
        let e = encode(model, "Invoke", &out);
        assert_eq!((e.status, e.json), (200, false));
        assert_eq!(e.body, b"{\"x\":1}");
        assert!(e.headers.contains(&("X-Amz-Function-Error".to_string(), "Unhandled".to_string())));
        let e = encode(model, "CreateFunction", &serde_json::json!({"FunctionName": "f", "Nope": 1}));
        assert_eq!(e.status, 201);
        assert_eq!(String::from_utf8_lossy(&e.body), "{\"FunctionName\":\"f\"}");
        let (code, body) =
            render_error(model, &WireError::new(409, "ResourceConflictException", "Function already exist: f"));
        assert_eq!(code, "ResourceConflictException");
        assert_eq!(body, "{\"Type\":\"User\",\"message\":\"Function already exist: f\"}");
        let (_, body) = render_error(model, &WireError::new(404, "ResourceNotFoundException", "x"));
        assert!(body.contains("\"Message\":\"x\""));
    }
}
