//! SARIF 2.1.0 (OASIS), the log format code-scanning tools read.

use super::codes;
use cfn::Diagnostic;
use serde_json::{json, Map, Value};
use std::path::{Component, Path};

/// The schema URI written in `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of one validate run; `cwd` makes file URIs relative.
pub fn log(diagnostics: &[Diagnostic], cwd: Option<&Path>) -> Value {
    // Rules in order of first use; results point at them by index as well as ID.
    let mut rule_ids: Vec<&str> = Vec::new();
    for d in diagnostics {
        if !rule_ids.contains(&d.code) {
            rule_ids.push(d.code);
        }
    }
    let rules: Vec<Value> = rule_ids.iter().map(|id| codes::rule(id)).collect();
    let results: Vec<Value> = diagnostics.iter().map(|d| result(d, &rule_ids, cwd)).collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "tasknet", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            // Our columns count characters, not UTF-16 code units (SARIF's default).
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn result(d: &Diagnostic, rule_ids: &[&str], cwd: Option<&Path>) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(d.code));
    r.insert("ruleIndex".into(), json!(rule_ids.iter().position(|id| *id == d.code).unwrap_or(0)));
    r.insert("level".into(), json!(if d.is_error() { "error" } else { "warning" }));
    r.insert("message".into(), json!({"text": d.message}));
    let mut location = Map::new();
    if let Some(file) = &d.file {
        let mut physical = Map::new();
        physical.insert("artifactLocation".into(), json!({"uri": uri(file, cwd)}));
        if let Some(pos) = d.pos {
            physical.insert("region".into(), json!({"startLine": pos.line.max(1), "startColumn": pos.col.max(1)}));
        }
        location.insert("physicalLocation".into(), Value::Object(physical));
    }
    if let Some(id) = &d.resource {
        let qualified = if d.path.is_empty() { id.clone() } else { d.path.clone() };
        location.insert("logicalLocations".into(), json!([{"name": id, "fullyQualifiedName": qualified}]));
    }
    if !location.is_empty() {
        r.insert("locations".into(), json!([Value::Object(location)]));
    }
    let mut properties = Map::new();
    if let Some(hint) = &d.hint {
        properties.insert("hint".into(), json!(hint));
    }
    if !d.path.is_empty() {
        properties.insert("path".into(), json!(d.path));
    }
    if !properties.is_empty() {
        r.insert("properties".into(), Value::Object(properties));
    }
    Value::Object(r)
}

/// A relative URI for files under `cwd` (or given relative), else a `file://` URI.
fn uri(file: &Path, cwd: Option<&Path>) -> String {
    let relative = if file.is_absolute() { cwd.and_then(|c| file.strip_prefix(c).ok()) } else { Some(file) };
    match relative {
        Some(rel) => {
            let parts: Vec<String> = rel
                .components()
                .filter(|c| !matches!(c, Component::CurDir))
                .map(|c| encode(&c.as_os_str().to_string_lossy()))
                .collect();
            parts.join("/")
        }
        None => {
            let parts: Vec<String> = file
                .components()
                .filter_map(|c| match c {
                    Component::Normal(p) => Some(encode(&p.to_string_lossy())),
                    Component::ParentDir => Some("..".into()),
                    _ => None,
                })
                .collect();
            format!("file:///{}", parts.join("/"))
        }
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn encode(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(uri(Path::new("./examples/a b.yml"), None), "examples/a%20b.yml");
        assert_eq!(uri(Path::new("/w/x/s.yml"), Some(Path::new("/w"))), "x/s.yml");
        assert_eq!(uri(Path::new("/elsewhere/s.yml"), Some(Path::new("/w"))), "file:///elsewhere/s.yml");
    }

    #[test]
    fn rules_are_listed_once_and_indexed() {
        let d = vec![
            Diagnostic::error("TN2004", "a").file(Some("s.yml".into())).at(cfn::Pos::new(3, 4)),
            Diagnostic::warning("TN3005", "b"),
            Diagnostic::error("TN2004", "c"),
        ];
        let log = log(&d, None);
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"].as_array().map(Vec::len), Some(2));
        assert_eq!(run["results"][2]["ruleIndex"], json!(0));
        assert_eq!(run["results"][1]["level"], json!("warning"));
        assert_eq!(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"], json!(4));
        assert!(run["results"][1].get("locations").is_none());
    }

    #[test]
    fn rules_come_from_the_registry() {
        for c in cfn::codes::CODES {
            let log = log(&[Diagnostic::warning(c.code, "m")], None);
            let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
            assert_eq!(rule["shortDescription"]["text"], json!(c.title), "{}", c.code);
            assert_eq!(rule["help"]["text"], json!(c.help), "{}", c.code);
        }
        let log = log(&[Diagnostic::warning("TN5101", "m")], None);
        assert_eq!(log["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"], json!("warning"));
    }
}
