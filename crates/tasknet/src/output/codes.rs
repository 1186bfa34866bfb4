//! SARIF's rule for a code, from the registry of codes (`cfn::codes`).

use cfn::codes;
use cfn::Severity;
use serde_json::{json, Value};

/// The SARIF `reportingDescriptor` of `code`: title, help and default level
/// from the registry; a code missing there (a bug the registry's test
/// catches) still gets a rule, with a generic description.
pub fn rule(code: &str) -> Value {
    match codes::lookup(code) {
        Some(c) => {
            let level = match c.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            json!({
                "id": c.code,
                "shortDescription": {"text": c.title},
                "help": {"text": c.help},
                "defaultConfiguration": {"level": level},
            })
        }
        None => json!({"id": code, "shortDescription": {"text": format!("tasknet finding {code}")}}),
    }
}
