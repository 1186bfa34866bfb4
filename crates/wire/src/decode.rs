//! Requests into JSON values shaped like the operation's input, by the
//! model: the form parameters of `query` and `ec2` (`Subnets.member.1`,
//! `Filter.1.Value.1`, `Tags.member.1.Key`), and the bodies of `json`
//! services, checked against the shape (required members, types, enums), so
//! every handler reads one form: the input shape's member names.

use crate::model::{Model, Protocol, Shape};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What is wrong with a request's parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Constraint violations, in AWS's words ("Value null at 'stackName'
    /// failed to satisfy constraint: Member must not be null").
    Invalid(Vec<String>),
    /// EC2: a required parameter is missing (`MissingParameter`).
    Missing(String),
    /// A value of the wrong type (`SerializationException` for JSON,
    /// `InvalidParameterValue`/`ValidationError` for query).
    Malformed(String),
}

impl DecodeError {
    /// AWS's message: "1 validation error detected: …; …".
    pub fn message(&self) -> String {
        match self {
            DecodeError::Invalid(v) => {
                let n = v.len();
                format!("{n} validation error{} detected: {}", if n == 1 { "" } else { "s" }, v.join("; "))
            }
            DecodeError::Missing(p) => format!("The request must contain the parameter {p}"),
            DecodeError::Malformed(m) => m.clone(),
        }
    }
}

/// Decodes `application/x-www-form-urlencoded` text; `None` when it is
/// not valid percent-encoded UTF-8.
pub fn form(body: &str) -> Option<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for pair in body.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.insert(percent_decode(k)?, percent_decode(v)?);
    }
    Some(out)
}

/// Percent-decoding with `+` as space (form encoding); `None` on bad escapes or UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// lowerCamel, as AWS names members in validation messages.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The form key of a structure member: EC2's `queryName`, else its
/// `locationName` with the first letter capitalized; query's `locationName`,
/// else the member's name.
fn member_key(protocol: Protocol, name: &str, member: &Value) -> String {
    if protocol == Protocol::Ec2 {
        if let Some(q) = member["queryName"].as_str() {
            return q.to_string();
        }
        if let Some(l) = member["locationName"].as_str() {
            let mut c = l.chars();
            return c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default();
        }
        return name.to_string();
    }
    member["locationName"].as_str().unwrap_or(name).to_string()
}

/// Decodes the form parameters of a query or EC2 request into `shape`.
pub fn from_form(
    model: &Model,
    protocol: Protocol,
    shape: Shape<'_>,
    params: &BTreeMap<String, String>,
) -> Result<Value, DecodeError> {
    let mut d = FormDecoder { model, protocol, params, errors: Vec::new(), missing: None };
    let v = d.structure(shape, "", "").unwrap_or_else(|| Value::Object(Map::new()));
    if let Some(m) = d.missing {
        return Err(DecodeError::Missing(m));
    }
    if !d.errors.is_empty() {
        return Err(DecodeError::Invalid(d.errors));
    }
    Ok(v)
}

struct FormDecoder<'a> {
    model: &'a Model,
    protocol: Protocol,
    params: &'a BTreeMap<String, String>,
    errors: Vec<String>,
    missing: Option<String>,
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

impl FormDecoder<'_> {
    /// Whether any parameter is `prefix` or starts with `prefix.`.
    fn any_under(&self, prefix: &str) -> bool {
        if self.params.contains_key(prefix) {
            return true;
        }
        let dotted = format!("{prefix}.");
        self.params.range(dotted.clone()..).next().is_some_and(|(k, _)| k.starts_with(&dotted))
    }

    /// The indexes N present under `prefix.N`, ascending.
    fn indexes(&self, prefix: &str) -> Vec<u64> {
        let dotted = format!("{prefix}.");
        let mut out: Vec<u64> = self
            .params
            .range(dotted.clone()..)
            .take_while(|(k, _)| k.starts_with(&dotted))
            .filter_map(|(k, _)| k[dotted.len()..].split('.').next()?.parse().ok())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn decode(&mut self, shape: Shape<'_>, key: &str, path: &str) -> Option<Value> {
        match shape.kind() {
            "structure" => self.structure(shape, key, path),
            "list" => self.list(shape, key, path),
            "map" => self.map(shape, key, path),
            _ => self.scalar(shape, key, path),
        }
    }

    fn structure(&mut self, shape: Shape<'_>, prefix: &str, path: &str) -> Option<Value> {
        if !prefix.is_empty() && !self.any_under(prefix) {
            return None;
        }
        let mut out = Map::new();
        for (name, member) in shape.members() {
            let Some(ms) = member["shape"].as_str().and_then(|s| self.model.shape(s)) else { continue };
            let key = join(prefix, &member_key(self.protocol, name, member));
            let mpath = join(path, &lower_first(name));
            match self.decode(ms, &key, &mpath) {
                Some(v) => {
                    out.insert(name.to_string(), v);
                }
                None if shape.is_required(name) => {
                    if self.protocol == Protocol::Ec2 {
                        self.missing.get_or_insert(key);
                    } else {
                        self.errors.push(format!(
                            "Value null at '{mpath}' failed to satisfy constraint: Member must not be null"
                        ));
                    }
                }
                None => {}
            }
        }
        Some(Value::Object(out))
    }

    fn list(&mut self, shape: Shape<'_>, prefix: &str, path: &str) -> Option<Value> {
        let member = &shape.def["member"];
        let ms = member["shape"].as_str().and_then(|s| self.model.shape(s))?;
        let list_prefix = if self.protocol == Protocol::Ec2 || shape.flattened() {
            prefix.to_string()
        } else {
            join(prefix, member["locationName"].as_str().unwrap_or("member"))
        };
        if self.params.get(prefix).is_some_and(String::is_empty) && !self.any_under(&format!("{list_prefix}.1")) {
            return Some(Value::Array(Vec::new()));
        }
        let idx = self.indexes(&list_prefix);
        if idx.is_empty() {
            return None;
        }
        let mut out = Vec::with_capacity(idx.len());
        for n in idx {
            let key = format!("{list_prefix}.{n}");
            if let Some(v) = self.decode(ms, &key, &format!("{path}.{n}.member")) {
                out.push(v);
            }
        }
        Some(Value::Array(out))
    }

    fn map(&mut self, shape: Shape<'_>, prefix: &str, path: &str) -> Option<Value> {
        let ks = shape.def["key"]["shape"].as_str().and_then(|s| self.model.shape(s))?;
        let vs = shape.def["value"]["shape"].as_str().and_then(|s| self.model.shape(s))?;
        let entry_prefix = if shape.flattened() { prefix.to_string() } else { join(prefix, "entry") };
        let kname = shape.def["key"]["locationName"].as_str().unwrap_or("key");
        let vname = shape.def["value"]["locationName"].as_str().unwrap_or("value");
        let idx = self.indexes(&entry_prefix);
        if idx.is_empty() {
            return None;
        }
        let mut out = Map::new();
        for n in idx {
            let base = format!("{entry_prefix}.{n}");
            let k = self.scalar(ks, &format!("{base}.{kname}"), path);
            let v = self.decode(vs, &format!("{base}.{vname}"), path);
            if let (Some(Value::String(k)), Some(v)) = (k, v) {
                out.insert(k, v);
            }
        }
        Some(Value::Object(out))
    }

    fn scalar(&mut self, shape: Shape<'_>, key: &str, path: &str) -> Option<Value> {
        let raw = self.params.get(key)?;
        let v = match shape.kind() {
            "integer" | "long" => match raw.trim().parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => {
                    self.errors.push(format!(
                        "Value '{raw}' at '{path}' failed to satisfy constraint: Member must be a number"
                    ));
                    return None;
                }
            },
            "double" | "float" => match raw.trim().parse::<f64>() {
                Ok(n) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
                Err(_) => {
                    self.errors.push(format!(
                        "Value '{raw}' at '{path}' failed to satisfy constraint: Member must be a number"
                    ));
                    return None;
                }
            },
            "boolean" => match raw.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => {
                    self.errors.push(format!(
                        "Value '{raw}' at '{path}' failed to satisfy constraint: Member must be a boolean"
                    ));
                    return None;
                }
            },
            _ => {
                check_enum(shape, raw, path, &mut self.errors);
                Value::String(raw.clone())
            }
        };
        Some(v)
    }
}

/// Records an enum violation in AWS's words.
fn check_enum(shape: Shape<'_>, raw: &str, path: &str, errors: &mut Vec<String>) {
    if let Some(values) = shape.def["enum"].as_array() {
        if !values.iter().any(|v| v == raw) {
            let set: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            errors.push(format!(
                "Value '{raw}' at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                set.join(", ")
            ));
        }
    }
}

/// Checks a JSON request body against `shape` (types, required members,
/// enums); the body itself when it conforms.
pub fn from_json(model: &Model, shape: Shape<'_>, body: &[u8]) -> Result<Value, DecodeError> {
    let v: Value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(body)
            .map_err(|e| DecodeError::Malformed(format!("Could not parse request body: {e}")))?
    };
    let mut errors = Vec::new();
    check_json(model, shape, &v, "", &mut errors)?;
    if errors.is_empty() {
        Ok(v)
    } else {
        Err(DecodeError::Invalid(errors))
    }
}

pub(crate) fn check_json(
    model: &Model,
    shape: Shape<'_>,
    v: &Value,
    path: &str,
    errors: &mut Vec<String>,
) -> Result<(), DecodeError> {
    // awsJson services answer a type mismatch with SerializationException (tasknet's wording of the detail).
    let wrong = |what: &str| {
        DecodeError::Malformed(format!(
            "{what} found where not expected{}",
            if path.is_empty() { String::new() } else { format!(" at '{path}'") }
        ))
    };
    match shape.kind() {
        "structure" => {
            let Some(obj) = v.as_object() else { return Err(wrong("Unexpected value")) };
            for (name, member) in shape.members() {
                let mpath = join(path, &lower_first(name));
                match obj.get(name) {
                    Some(Value::Null) | None => {
                        if shape.is_required(name) {
                            errors.push(format!(
                                "Value null at '{mpath}' failed to satisfy constraint: Member must not be null"
                            ));
                        }
                    }
                    Some(mv) => {
                        if let Some(ms) = member["shape"].as_str().and_then(|s| model.shape(s)) {
                            check_json(model, ms, mv, &mpath, errors)?;
                        }
                    }
                }
            }
        }
        "list" => {
            let Some(items) = v.as_array() else { return Err(wrong("Unexpected value")) };
            if let Some(ms) = shape.def["member"]["shape"].as_str().and_then(|s| model.shape(s)) {
                for (i, item) in items.iter().enumerate() {
                    check_json(model, ms, item, &format!("{path}.{}.member", i + 1), errors)?;
                }
            }
        }
        "map" => {
            let Some(obj) = v.as_object() else { return Err(wrong("Unexpected value")) };
            if let Some(vs) = shape.def["value"]["shape"].as_str().and_then(|s| model.shape(s)) {
                for item in obj.values() {
                    check_json(model, vs, item, path, errors)?;
                }
            }
        }
        "integer" | "long" => {
            if !v.is_i64() && !v.is_u64() {
                return Err(wrong("NUMBER_VALUE can not be converted to an Integer or a non-number value"));
            }
        }
        "double" | "float" => {
            if !v.is_number() {
                return Err(wrong("Non-number value"));
            }
        }
        "boolean" => {
            if !v.is_boolean() {
                return Err(wrong("Non-boolean value"));
            }
        }
        "timestamp" => {
            if !v.is_number() && !v.is_string() {
                return Err(wrong("Non-timestamp value"));
            }
        }
        _ => {
            let Some(s) = v.as_str() else { return Err(wrong("Non-string value")) };
            check_enum(shape, s, path, errors);
        }
    }
    Ok(())
}
