//! Checks a resource's resolved `Properties` against its type's table and
//! reports what CloudFormation would reject, in CloudFormation's words.
//!
//! Message sources (see also shared/aws-facts.md):
//! - `Encountered unsupported property NAME`: seen (AWS knowledge-center
//!   article on template validation errors); CloudFormation says it for
//!   unknown top-level properties.
//! - `Properties validation failed for resource ID with message: [...]`: the
//!   wrapper is seen in real stack events; the texts inside are those of the
//!   JSON-schema validator CloudFormation's registry uses:
//!   `#/Path: expected type: String, found: JSONObject` (seen in stack
//!   events), `#: required key [NAME] not found` (seen as the validator's text;
//!   inside the wrapper: inferred), `#/Path: extraneous key [NAME] is not
//!   permitted` (seen for a top-level key; used here for nested keys, where
//!   the older top-level text does not apply: inferred) and
//!   `#/Path: #: no subschema matched out of the total N subschemas` (for
//!   properties with several allowed types: inferred).

use super::{is_custom_type, resource_spec, PropSpec, PropType};
use crate::diag::Diagnostic;
use crate::node::{Map, Node, Pos, Value};

/// Unknown property.
const UNKNOWN: &str = "TN1004";
/// Value of the wrong type.
const WRONG_TYPE: &str = "TN1005";
/// Required property missing.
const MISSING: &str = "TN1006";

/// How many valid names a hint lists at most.
const HINT_NAMES: usize = 8;

/// Validates the resolved `Properties` node of resource `logical_id` of type
/// `type_name`; `path` is where the node sits, e.g. `Resources/Svc/Properties`.
pub fn validate_properties(logical_id: &str, type_name: &str, props: &Node, path: &str) -> Vec<Diagnostic> {
    let mut cx = Cx { id: logical_id, out: Vec::new() };
    if is_custom_type(type_name) {
        cx.custom(props, path);
    } else if let Some(spec) = resource_spec(type_name) {
        // A read-only property is an attribute, not an input; CloudFormation's
        // schema still lists it, so it is not reported as unknown.
        let lenient = spec.attributes;
        cx.object(spec.properties, props, "#", path, lenient);
    }
    cx.out
}

struct Cx<'a> {
    id: &'a str,
    out: Vec<Diagnostic>,
}

impl Cx<'_> {
    /// Custom resources take any properties, but need a `ServiceToken`.
    fn custom(&mut self, props: &Node, path: &str) {
        const TOKEN: &[PropSpec] = &[PropSpec { name: "ServiceToken", ty: PropType::String, required: true }];
        match &props.value {
            Value::Map(m) => {
                self.required(TOKEN, m, props.pos, "#", path);
                if let Some((_, v)) = m.get_entry("ServiceToken") {
                    self.value(&PropType::String, v, "#/ServiceToken", &format!("{path}/ServiceToken"));
                }
            }
            Value::Null => self.required(TOKEN, &Map::default(), props.pos, "#", path),
            _ if props.intrinsic().is_some() => {}
            _ => self.wrong_type("JSONObject", props, "#", path),
        }
    }

    /// Checks a node that must be an object with the properties in `specs`.
    fn object(&mut self, specs: &'static [PropSpec], node: &Node, ptr: &str, path: &str, lenient: &[&str]) {
        match &node.value {
            Value::Map(m) => self.fields(specs, m, node.pos, ptr, path, lenient),
            // No Properties at all: only the required ones can be wrong.
            Value::Null if ptr == "#" => self.required(specs, &Map::default(), node.pos, ptr, path),
            Value::Null => {}
            _ if node.intrinsic().is_some() => {}
            _ => self.wrong_type("JSONObject", node, ptr, path),
        }
    }

    fn fields(&mut self, specs: &'static [PropSpec], m: &Map, pos: Pos, ptr: &str, path: &str, lenient: &[&str]) {
        for (key, val) in m.iter() {
            let sub_ptr = format!("{ptr}/{}", pointer_escape(&key.name));
            let sub_path = format!("{path}/{}", key.name);
            match specs.iter().find(|s| s.name == key.name) {
                Some(spec) => self.value(&spec.ty, val, &sub_ptr, &sub_path),
                None if lenient.contains(&key.name.as_str()) => {}
                None => {
                    let message = if ptr == "#" {
                        format!("Encountered unsupported property {}", key.name)
                    } else {
                        self.wrapped(&format!("{ptr}: extraneous key [{}] is not permitted", key.name))
                    };
                    let d = Diagnostic::error(UNKNOWN, message)
                        .resource(self.id)
                        .path(sub_path)
                        .at(key.pos)
                        .hint(unknown_hint(&key.name, specs));
                    self.out.push(d);
                }
            }
        }
        self.required(specs, m, pos, ptr, path);
    }

    fn required(&mut self, specs: &[PropSpec], m: &Map, pos: Pos, ptr: &str, path: &str) {
        for spec in specs.iter().filter(|s| s.required) {
            let present = m.get(spec.name).is_some_and(|v| v.value != Value::Null);
            if !present {
                let d =
                    Diagnostic::error(MISSING, self.wrapped(&format!("{ptr}: required key [{}] not found", spec.name)))
                        .resource(self.id)
                        .path(path)
                        .at(pos)
                        .hint(format!("add {} ({}) here", spec.name, describe(&spec.ty)));
                self.out.push(d);
            }
        }
    }

    /// Checks one value against its declared type.
    fn value(&mut self, ty: &PropType, node: &Node, ptr: &str, path: &str) {
        // Null is an absent value; an intrinsic left unresolved cannot be judged.
        if node.value == Value::Null || node.intrinsic().is_some() {
            return;
        }
        match ty {
            PropType::Any => {}
            PropType::String => {
                if !matches!(node.value, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
                    self.wrong_type("String", node, ptr, path);
                }
            }
            PropType::Integer | PropType::Number => {
                let ok = match &node.value {
                    Value::Number(_) => true,
                    Value::String(s) => is_numeric(s),
                    _ => false,
                };
                if !ok {
                    let expected = if *ty == PropType::Integer { "Integer" } else { "Number" };
                    self.wrong_type(expected, node, ptr, path);
                }
            }
            PropType::Boolean => {
                let ok = match &node.value {
                    Value::Bool(_) => true,
                    Value::String(s) => s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false"),
                    _ => false,
                };
                if !ok {
                    self.wrong_type("Boolean", node, ptr, path);
                }
            }
            PropType::Json => {
                if !matches!(node.value, Value::Map(_)) {
                    self.wrong_type("JSONObject", node, ptr, path);
                }
            }
            PropType::List(inner) => match &node.value {
                Value::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.value(inner, item, &format!("{ptr}/{i}"), &format!("{path}/{i}"));
                    }
                }
                _ => self.wrong_type("JSONArray", node, ptr, path),
            },
            PropType::Map(inner) => match &node.value {
                Value::Map(m) => {
                    for (k, v) in m.iter() {
                        let p = format!("{ptr}/{}", pointer_escape(&k.name));
                        self.value(inner, v, &p, &format!("{path}/{}", k.name));
                    }
                }
                _ => self.wrong_type("JSONObject", node, ptr, path),
            },
            PropType::Struct(specs) => self.object(specs, node, ptr, path, &[]),
            PropType::OneOf(options) => self.one_of(options, node, ptr, path),
        }
    }

    fn one_of(&mut self, options: &[PropType], node: &Node, ptr: &str, path: &str) {
        let mut best: Option<Vec<Diagnostic>> = None;
        for ty in options {
            let mut trial = Cx { id: self.id, out: Vec::new() };
            trial.value(ty, node, ptr, path);
            if trial.out.is_empty() {
                return;
            }
            // An option of the right shape explains the failure better than
            // "no subschema matched": keep its findings.
            if shape_matches(ty, node) && best.is_none() {
                best = Some(trial.out);
            }
        }
        match best {
            Some(found) => self.out.extend(found),
            None => {
                let msg = self
                    .wrapped(&format!("{ptr}: #: no subschema matched out of the total {} subschemas", options.len()));
                let kinds: Vec<&str> = options.iter().map(expected_name).collect();
                let d = Diagnostic::error(WRONG_TYPE, msg).resource(self.id).path(path).at(node.pos).hint(format!(
                    "{} must be one of: {}",
                    last_segment(path),
                    kinds.join(", ")
                ));
                self.out.push(d);
            }
        }
    }

    fn wrong_type(&mut self, expected: &str, node: &Node, ptr: &str, path: &str) {
        let found = found_name(node);
        let msg = self.wrapped(&format!("{ptr}: expected type: {expected}, found: {found}"));
        let d = Diagnostic::error(WRONG_TYPE, msg).resource(self.id).path(path).at(node.pos).hint(type_hint(
            last_segment(path),
            expected,
            found,
        ));
        self.out.push(d);
    }

    fn wrapped(&self, inner: &str) -> String {
        format!("Properties validation failed for resource {} with message: [{inner}]", self.id)
    }
}

/// The validator's name for a value's type. Integral numbers are `Integer`;
/// other numbers `Number` (inferred: the validator would name a Java class).
fn found_name(node: &Node) -> &'static str {
    match &node.value {
        Value::Number(n) if n.parse::<i64>().is_ok() => "Integer",
        Value::Number(_) => "Number",
        _ => node.kind_name(),
    }
}

fn expected_name(ty: &PropType) -> &'static str {
    match ty {
        PropType::String => "String",
        PropType::Integer => "Integer",
        PropType::Number => "Number",
        PropType::Boolean => "Boolean",
        PropType::List(_) => "JSONArray",
        PropType::Json | PropType::Map(_) | PropType::Struct(_) => "JSONObject",
        PropType::Any | PropType::OneOf(_) => "any",
    }
}

/// True when the node is of the kind the type wants, ignoring its contents.
fn shape_matches(ty: &PropType, node: &Node) -> bool {
    matches!(
        (ty, &node.value),
        (PropType::List(_), Value::List(_)) | (PropType::Json | PropType::Map(_) | PropType::Struct(_), Value::Map(_))
    )
}

fn is_numeric(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.parse::<f64>().is_ok_and(f64::is_finite)
}

/// JSON-pointer escaping, as the validator's paths use it.
fn pointer_escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn last_segment(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A few words for a type, for hints.
fn describe(ty: &PropType) -> &'static str {
    match ty {
        PropType::String => "a string",
        PropType::Integer => "an integer",
        PropType::Number => "a number",
        PropType::Boolean => "true or false",
        PropType::Json | PropType::Map(_) | PropType::Struct(_) => "an object",
        PropType::List(_) => "a list",
        PropType::Any | PropType::OneOf(_) => "a value",
    }
}

fn type_hint(name: &str, expected: &str, found: &str) -> String {
    match (expected, found) {
        ("JSONArray", "String" | "Integer" | "Number" | "Boolean") => {
            format!("{name} takes a list: write [{name}-value] or use a list parameter")
        }
        ("JSONArray", _) => format!("{name} takes a list, not {}", article(found)),
        ("JSONObject", _) => format!("{name} takes an object (key: value pairs), not {}", article(found)),
        ("String", _) => format!("{name} takes a single string, not {}", article(found)),
        _ => format!("{name} takes {}, not {}", article(expected), article(found)),
    }
}

fn article(kind: &str) -> String {
    match kind {
        "JSONArray" => "a list".into(),
        "JSONObject" => "an object".into(),
        "Integer" => "an integer".into(),
        "Null" => "null".into(),
        k => format!("a {}", k.to_ascii_lowercase()),
    }
}

fn unknown_hint(name: &str, specs: &[PropSpec]) -> String {
    let lower = name.to_ascii_lowercase();
    let mut names: Vec<(usize, &str)> =
        specs.iter().map(|s| (edit_distance(&lower, &s.name.to_ascii_lowercase()), s.name)).collect();
    names.sort();
    let list: Vec<&str> = names.iter().take(HINT_NAMES).map(|(_, n)| *n).collect();
    if list.is_empty() {
        format!("remove {name}: nothing may be set here")
    } else {
        format!("remove {name} or check its spelling; valid properties here: {}", list.join(", "))
    }
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
pub(super) fn distance_for_tests(a: &str, b: &str) -> usize {
    edit_distance(a, b)
}
