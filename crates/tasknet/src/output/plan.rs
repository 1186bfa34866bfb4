//! `tasknet plan`: a change-set summary (what `aws cloudformation
//! describe-change-set` lists for a new stack) and its JSON form.

use serde::Serialize;
use serde_json::{Map, Value};
use stacks::Plan;
use std::fmt::Write as _;

/// The plan in JSON: parameters and details as objects, in plan order.
#[derive(Clone, Debug, Serialize)]
pub struct PlanJson {
    /// Stack name.
    pub stack_name: String,
    /// Parameter values as describe-stacks shows them (NoEcho masked).
    pub parameters: Map<String, Value>,
    /// Resources in creation order.
    pub resources: Vec<ResourceJson>,
    /// Outputs.
    pub outputs: Vec<OutputJson>,
    /// Logical IDs skipped because their condition is false.
    pub skipped: Vec<String>,
}

/// One planned resource.
#[derive(Clone, Debug, Serialize)]
pub struct ResourceJson {
    /// Add, Modify, Replace, Keep or Remove.
    pub action: String,
    /// Logical ID.
    pub logical_id: String,
    /// Resource type.
    pub resource_type: String,
    /// What `Ref` would return.
    pub physical_id: String,
    /// Planned facts (CIDR, zone, where tasks land…).
    pub details: Map<String, Value>,
}

/// One output.
#[derive(Clone, Debug, Serialize)]
pub struct OutputJson {
    /// Output name.
    pub name: String,
    /// Its value.
    pub value: String,
    /// Export name, or null.
    pub export: Option<String>,
}

impl From<&Plan> for PlanJson {
    fn from(plan: &Plan) -> Self {
        PlanJson {
            stack_name: plan.stack_name.clone(),
            parameters: plan.parameters.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect(),
            resources: plan
                .resources
                .iter()
                .map(|r| ResourceJson {
                    action: r.action.clone(),
                    logical_id: r.logical_id.clone(),
                    resource_type: r.resource_type.clone(),
                    physical_id: r.physical_id.clone(),
                    details: details_object(&r.details),
                })
                .collect(),
            outputs: plan
                .outputs
                .iter()
                .map(|o| OutputJson { name: o.name.clone(), value: o.value.clone(), export: o.export.clone() })
                .collect(),
            skipped: plan.skipped.clone(),
        }
    }
}

/// Details as an object; a key given twice keeps its place and joins the values,
/// so every value stays a string.
fn details_object(details: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in details {
        match map.get_mut(k) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(v);
            }
            _ => {
                map.insert(k.clone(), Value::String(v.clone()));
            }
        }
    }
    map
}

/// The change-set table, skipped resources and outputs, ending with a blank line.
pub fn text(plan: &Plan) -> String {
    let mut out = String::new();
    let skipped = if plan.skipped.is_empty() {
        String::new()
    } else {
        format!(", {} skipped (condition false)", plan.skipped.len())
    };
    let _ = writeln!(
        out,
        "Stack {}: {} to add{skipped}",
        plan.stack_name,
        super::text::plural(plan.resources.len(), "resource")
    );
    if !plan.parameters.is_empty() {
        let _ = writeln!(out, "\nParameters");
        let width = plan.parameters.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
        for (k, v) in &plan.parameters {
            let _ = writeln!(out, "  {k:width$}  {v}");
        }
    }
    if !plan.resources.is_empty() {
        let header = ("Action", "LogicalId", "Type");
        let id_w =
            plan.resources.iter().map(|r| r.logical_id.chars().count()).chain([header.1.len()]).max().unwrap_or(0);
        let ty_w =
            plan.resources.iter().map(|r| r.resource_type.chars().count()).chain([header.2.len()]).max().unwrap_or(0);
        let _ = writeln!(out);
        let _ = writeln!(out, "{:7}  {:id_w$}  {:ty_w$}  PhysicalId", header.0, header.1, header.2);
        for r in &plan.resources {
            let _ =
                writeln!(out, "{:7}  {:id_w$}  {:ty_w$}  {}", r.action, r.logical_id, r.resource_type, r.physical_id);
            for (k, v) in &r.details {
                let _ = writeln!(out, "{:8}{k}: {v}", "");
            }
        }
    }
    if !plan.skipped.is_empty() {
        let _ = writeln!(out, "\nSkipped (condition false)");
        for id in &plan.skipped {
            let _ = writeln!(out, "  {id}");
        }
    }
    if !plan.outputs.is_empty() {
        let _ = writeln!(out, "\nOutputs");
        for o in &plan.outputs {
            match &o.export {
                Some(x) => {
                    let _ = writeln!(out, "  {} = {}  (export: {x})", o.name, o.value);
                }
                None => {
                    let _ = writeln!(out, "  {} = {}", o.name, o.value);
                }
            }
        }
    }
    out.push('\n');
    // Empty values (a blank parameter, no container ports) must not leave trailing spaces.
    out.lines().map(|l| format!("{}\n", l.trim_end())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_detail_keys_join() {
        let d = details_object(&[("A".into(), "1".into()), ("B".into(), "2".into()), ("A".into(), "3".into())]);
        assert_eq!(Value::Object(d), serde_json::json!({"A": "1, 3", "B": "2"}));
    }
}
