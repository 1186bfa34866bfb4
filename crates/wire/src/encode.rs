//! Response documents (JSON in the output shape's member names, as the
//! `shapes` crate and the handlers build them) into what each protocol's
//! clients parse, walking the model's output shape: query's
//! `<OpResponse><OpResult>` with `<member>` lists, EC2's
//! `<OpResponse><requestId>` with `<item>` lists and lowerCamel
//! `locationName`s, JSON with epoch-second timestamps. Members the shape
//! does not declare are left out, so nothing of tasknet's own leaks.

use crate::error::xml_escape;
use crate::model::{Model, Protocol, Shape};
use crate::time;
use serde_json::{Map, Value};
use std::fmt::Write;

/// The XML body of a query or EC2 response to `operation`.
pub fn xml(model: &Model, protocol: Protocol, operation: &str, output: &Value, request_id: &str) -> String {
    let ns = model.xml_namespace();
    let mut out = String::with_capacity(1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(out, "<{operation}Response xmlns=\"{}\">", xml_escape(&ec2_namespace(protocol, ns)));
    let shape = model.output(operation);
    match protocol {
        Protocol::Ec2 => {
            let _ = write!(out, "<requestId>{request_id}</requestId>");
            if let Some((s, _)) = shape {
                members(model, s, output, &mut out);
            }
        }
        _ => {
            if let Some((s, wrapper)) = shape {
                let wrapper = wrapper.map_or_else(|| format!("{operation}Result"), str::to_string);
                let _ = write!(out, "<{wrapper}>");
                members(model, s, output, &mut out);
                let _ = write!(out, "</{wrapper}>");
            }
            let _ = write!(out, "<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>");
        }
    }
    let _ = write!(out, "</{operation}Response>");
    out
}

/// AWS's EC2 namespace ends in a slash; botocore's model leaves it out.
fn ec2_namespace(protocol: Protocol, ns: &str) -> String {
    if protocol == Protocol::Ec2 && !ns.ends_with('/') {
        format!("{ns}/")
    } else {
        ns.to_string()
    }
}

fn members(model: &Model, shape: Shape<'_>, value: &Value, out: &mut String) {
    let Some(obj) = value.as_object() else { return };
    for (name, member) in shape.members() {
        let Some(v) = obj.get(name).filter(|v| !v.is_null()) else { continue };
        let Some(ms) = member["shape"].as_str().and_then(|s| model.shape(s)) else { continue };
        let tag = member["locationName"].as_str().unwrap_or(name);
        element(model, ms, tag, v, out);
    }
}

fn element(model: &Model, shape: Shape<'_>, tag: &str, v: &Value, out: &mut String) {
    match shape.kind() {
        "structure" => {
            let _ = write!(out, "<{tag}>");
            members(model, shape, v, out);
            let _ = write!(out, "</{tag}>");
        }
        "list" => {
            let Some(items) = v.as_array() else { return };
            let member = &shape.def["member"];
            let Some(ms) = member["shape"].as_str().and_then(|s| model.shape(s)) else { return };
            if shape.flattened() {
                let item_tag = member["locationName"].as_str().unwrap_or(tag);
                for item in items {
                    element(model, ms, item_tag, item, out);
                }
            } else {
                let item_tag = member["locationName"].as_str().unwrap_or("member");
                let _ = write!(out, "<{tag}>");
                for item in items {
                    element(model, ms, item_tag, item, out);
                }
                let _ = write!(out, "</{tag}>");
            }
        }
        "map" => {
            let Some(obj) = v.as_object() else { return };
            let (Some(ks), Some(vs)) = (
                shape.def["key"]["shape"].as_str().and_then(|s| model.shape(s)),
                shape.def["value"]["shape"].as_str().and_then(|s| model.shape(s)),
            ) else {
                return;
            };
            let kname = shape.def["key"]["locationName"].as_str().unwrap_or("key");
            let vname = shape.def["value"]["locationName"].as_str().unwrap_or("value");
            if !shape.flattened() {
                let _ = write!(out, "<{tag}>");
            }
            for (k, item) in obj {
                let entry = if shape.flattened() { tag } else { "entry" };
                let _ = write!(out, "<{entry}>");
                element(model, ks, kname, &Value::String(k.clone()), out);
                element(model, vs, vname, item, out);
                let _ = write!(out, "</{entry}>");
            }
            if !shape.flattened() {
                let _ = write!(out, "</{tag}>");
            }
        }
        kind => {
            let text = scalar_text(kind, v);
            let _ = write!(out, "<{tag}>{}</{tag}>", xml_escape(&text));
        }
    }
}

/// A scalar as XML text: timestamps in ISO 8601 with milliseconds.
fn scalar_text(kind: &str, v: &Value) -> String {
    if kind == "timestamp" {
        if let Some(ms) = time::millis(v) {
            return time::iso(ms);
        }
    }
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// The JSON body of a `json` response: only modeled members, timestamps as epoch seconds.
pub fn json(model: &Model, operation: &str, output: &Value) -> String {
    match model.output(operation) {
        Some((s, _)) => conform(model, s, output).to_string(),
        None => "{}".to_string(),
    }
}

pub(crate) fn conform(model: &Model, shape: Shape<'_>, v: &Value) -> Value {
    match shape.kind() {
        "structure" => {
            let Some(obj) = v.as_object() else { return Value::Object(Map::new()) };
            let mut out = Map::new();
            for (name, member) in shape.members() {
                let Some(mv) = obj.get(name).filter(|v| !v.is_null()) else { continue };
                let Some(ms) = member["shape"].as_str().and_then(|s| model.shape(s)) else { continue };
                out.insert(name.to_string(), conform(model, ms, mv));
            }
            Value::Object(out)
        }
        "list" => match (v.as_array(), shape.def["member"]["shape"].as_str().and_then(|s| model.shape(s))) {
            (Some(items), Some(ms)) => Value::Array(items.iter().map(|i| conform(model, ms, i)).collect()),
            _ => Value::Array(Vec::new()),
        },
        "map" => match (v.as_object(), shape.def["value"]["shape"].as_str().and_then(|s| model.shape(s))) {
            (Some(obj), Some(vs)) => {
                Value::Object(obj.iter().map(|(k, i)| (k.clone(), conform(model, vs, i))).collect())
            }
            _ => Value::Object(Map::new()),
        },
        "timestamp" => match time::millis(v) {
            Some(ms) => time::epoch_seconds(ms),
            None => v.clone(),
        },
        _ => v.clone(),
    }
}
