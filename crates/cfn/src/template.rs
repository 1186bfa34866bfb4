//! The sections of a template, checked for the structure CloudFormation
//! requires before anything is resolved.
//!
//! AWS doc: "Template anatomy". The texts of structural errors are the ones
//! CloudFormation returns from ValidateTemplate / CreateChangeSet.

use crate::diag::Diagnostic;
use crate::node::{Node, Pos, Value};
use indexmap::IndexMap;
use std::path::PathBuf;

/// The top-level sections a template may have.
pub const SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
    "Hooks",
];

/// The attributes a resource may have besides its logical ID.
pub const RESOURCE_ATTRIBUTES: &[&str] = &[
    "Type",
    "Properties",
    "DependsOn",
    "Condition",
    "Metadata",
    "CreationPolicy",
    "DeletionPolicy",
    "UpdatePolicy",
    "UpdateReplacePolicy",
    "Version",
    "Description",
];

/// A resource as declared, before resolution.
#[derive(Clone, Debug)]
pub struct ResourceDecl {
    /// Logical ID.
    pub logical_id: String,
    /// `AWS::EC2::Subnet` and the like.
    pub type_name: String,
    /// Where the resource's logical ID is.
    pub pos: Pos,
    /// Where its `Type` value is.
    pub type_pos: Pos,
    /// `Properties`, if any.
    pub properties: Option<Node>,
    /// `DependsOn` names with their positions.
    pub depends_on: Vec<(String, Pos)>,
    /// `Condition` name, if any.
    pub condition: Option<(String, Pos)>,
    /// The whole resource node (Metadata, CreationPolicy and so on).
    pub node: Node,
}

/// An output as declared.
#[derive(Clone, Debug)]
pub struct OutputDecl {
    /// Logical ID of the output.
    pub name: String,
    /// Where it is.
    pub pos: Pos,
    /// `Value`.
    pub value: Node,
    /// `Export: Name:` if any.
    pub export_name: Option<Node>,
    /// `Condition` name.
    pub condition: Option<(String, Pos)>,
    /// `Description`.
    pub description: Option<String>,
}

/// A template split into its sections.
#[derive(Clone, Debug, Default)]
pub struct Template {
    /// The file it came from, for diagnostics.
    pub file: Option<PathBuf>,
    /// Transform names (`AWS::Serverless-2016-10-31`, `AWS::LanguageExtensions`).
    pub transforms: Vec<String>,
    /// `Parameters`, raw (see [`crate::params`]).
    pub parameters: IndexMap<String, Node>,
    /// `Mappings`.
    pub mappings: Option<Node>,
    /// `Conditions`, raw.
    pub conditions: IndexMap<String, Node>,
    /// `Resources`.
    pub resources: IndexMap<String, ResourceDecl>,
    /// `Outputs`.
    pub outputs: IndexMap<String, OutputDecl>,
}

fn format_error(message: impl std::fmt::Display) -> String {
    format!("Template format error: {message}")
}

impl Template {
    /// Splits a loaded document into sections. Structural errors are
    /// returned as diagnostics (code TN1008); what can be read is kept.
    pub fn from_node(root: &Node, file: Option<PathBuf>) -> (Template, Vec<Diagnostic>) {
        let mut t = Template { file, ..Template::default() };
        let mut diags = Vec::new();
        let err = |msg: String, path: &str, pos: Pos| Diagnostic::error("TN1008", msg).path(path).at(pos);
        let Some(map) = root.as_map() else {
            diags.push(
                err(format_error("unsupported structure."), "", root.pos)
                    .hint("a template is a mapping with a Resources section"),
            );
            return (t, diags);
        };
        let unknown: Vec<&str> =
            map.iter().filter(|(k, _)| !SECTIONS.contains(&k.name.as_str())).map(|(k, _)| k.name.as_str()).collect();
        if let Some((k, _)) = map.iter().find(|(k, _)| !SECTIONS.contains(&k.name.as_str())) {
            // AWS lists every unknown top-level key in one message.
            diags.push(
                err(format!("Invalid template property or properties [{}]", unknown.join(", ")), "", k.pos)
                    .hint(format!("top-level sections are {}", SECTIONS.join(", "))),
            );
        }
        if let Some(tr) = map.get("Transform") {
            match &tr.value {
                Value::String(s) => t.transforms.push(s.clone()),
                Value::List(l) => t.transforms.extend(l.iter().filter_map(Node::scalar_string)),
                _ => {}
            }
        }
        for (section, target) in [("Parameters", 0), ("Conditions", 1)] {
            let Some(node) = map.get(section) else { continue };
            let Some(m) = node.as_map() else {
                diags.push(err(format_error(format!("Every {section} member must be an object.")), section, node.pos));
                continue;
            };
            for (k, v) in m.iter() {
                if target == 0 {
                    if v.as_map().is_none() {
                        diags.push(err(
                            format_error("Every Parameters member must be an object."),
                            &format!("Parameters/{}", k.name),
                            v.pos,
                        ));
                        continue;
                    }
                    if v.get("Type").is_none() {
                        diags.push(err(
                            format_error("Every Parameters object must contain a Type member."),
                            &format!("Parameters/{}", k.name),
                            k.pos,
                        ));
                        continue;
                    }
                    t.parameters.insert(k.name.clone(), v.clone());
                } else {
                    t.conditions.insert(k.name.clone(), v.clone());
                }
            }
        }
        t.mappings = map.get("Mappings").cloned();
        match map.get("Resources") {
            None => diags.push(err(format_error("At least one Resources member must be defined."), "", root.pos)),
            Some(res) => match res.as_map() {
                Some(m) if !m.is_empty() => {
                    for (k, v) in m.iter() {
                        match read_resource(&k.name, k.pos, v) {
                            Ok(r) => {
                                t.resources.insert(k.name.clone(), r);
                            }
                            Err(mut d) => diags.append(&mut d),
                        }
                    }
                }
                _ if matches!(res.value, Value::Map(_) | Value::Null) => diags.push(err(
                    format_error("At least one Resources member must be defined."),
                    "Resources",
                    res.pos,
                )),
                _ => diags.push(err(format_error("Every Resources member must be an object."), "Resources", res.pos)),
            },
        }
        if let Some(out) = map.get("Outputs") {
            match out.as_map() {
                Some(m) => {
                    for (k, v) in m.iter() {
                        match read_output(&k.name, k.pos, v) {
                            Ok(o) => {
                                t.outputs.insert(k.name.clone(), o);
                            }
                            Err(d) => diags.push(d),
                        }
                    }
                }
                None => diags.push(err(format_error("Every Outputs member must be an object."), "Outputs", out.pos)),
            }
        }
        diags.extend(crate::quotas::check(root));
        let file = t.file.clone();
        let diags = diags.into_iter().map(|d| d.file(file.clone())).collect();
        (t, diags)
    }
}

fn read_resource(id: &str, pos: Pos, v: &Node) -> Result<ResourceDecl, Vec<Diagnostic>> {
    let path = format!("Resources/{id}");
    let err = |msg: String, p: Pos| Diagnostic::error("TN1008", msg).resource(id).path(path.clone()).at(p);
    let mut diags = Vec::new();
    if !id.chars().all(|c| c.is_ascii_alphanumeric()) || id.is_empty() {
        diags.push(
            err(format_error(format!("Resource name {id} is non alphanumeric.")), pos)
                .hint("logical IDs may contain only A-Z, a-z and 0-9"),
        );
    }
    let Some(m) = v.as_map() else {
        diags.push(err(format_error(format!("[/Resources/{id}] resource definition is malformed")), v.pos));
        return Err(diags);
    };
    for (k, _) in m.iter() {
        if !RESOURCE_ATTRIBUTES.contains(&k.name.as_str()) {
            diags.push(
                err(format!("Invalid template resource property '{}'", k.name), k.pos)
                    .path(format!("{path}/{}", k.name))
                    .hint("resource attributes are Type, Properties, DependsOn, Condition, Metadata, CreationPolicy, DeletionPolicy, UpdatePolicy, UpdateReplacePolicy"),
            );
        }
    }
    let (type_name, type_pos) = match m.get("Type") {
        Some(Node { value: Value::String(s), pos }) => (s.clone(), *pos),
        Some(n) => {
            diags.push(err(format_error(format!("[/Resources/{id}] Every Type member must be a string.")), n.pos));
            return Err(diags);
        }
        None => {
            // Inferred from the seen "Every Parameters object must contain a Type member."
            // and "[/Resources/X] Every Type member must be a string." texts.
            diags.push(
                err(format_error(format!("[/Resources/{id}] Every Resources object must contain a Type member.")), pos)
                    .hint("add Type: AWS::Service::Resource"),
            );
            return Err(diags);
        }
    };
    let properties = match m.get("Properties") {
        Some(p) if matches!(p.value, Value::Map(_)) => Some(p.clone()),
        Some(Node { value: Value::Null, .. }) | None => None,
        Some(p) => {
            diags.push(
                err(format!("Properties validation failed for resource {id} with message: [#: expected type: JSONObject, found: {}]", p.kind_name()), p.pos)
                    .path(format!("{path}/Properties")),
            );
            None
        }
    };
    let mut depends_on = Vec::new();
    if let Some(d) = m.get("DependsOn") {
        match &d.value {
            Value::String(s) => depends_on.push((s.clone(), d.pos)),
            Value::List(l) => {
                for x in l {
                    match x.as_str() {
                        Some(s) => depends_on.push((s.to_string(), x.pos)),
                        None => diags.push(err(format_error("DependsOn must be a string or list of strings."), x.pos)),
                    }
                }
            }
            _ => diags.push(err(format_error("DependsOn must be a string or list of strings."), d.pos)),
        }
    }
    let condition = match m.get("Condition") {
        Some(c) => match c.as_str() {
            Some(s) => Some((s.to_string(), c.pos)),
            None => {
                diags.push(err(format_error(format!("Every Condition member in {id} must be a string.")), c.pos));
                None
            }
        },
        None => None,
    };
    if diags.is_empty() {
        Ok(ResourceDecl {
            logical_id: id.to_string(),
            type_name,
            pos,
            type_pos,
            properties,
            depends_on,
            condition,
            node: v.clone(),
        })
    } else {
        Err(diags)
    }
}

// A Diagnostic is large, but an output that fails to read is reported once, never on a hot path.
#[allow(clippy::result_large_err)]
fn read_output(name: &str, pos: Pos, v: &Node) -> Result<OutputDecl, Diagnostic> {
    let err = |msg: &str, p: Pos| {
        Diagnostic::error("TN1008", format_error(msg)).resource(name).path(format!("Outputs/{name}")).at(p)
    };
    let m = v.as_map().ok_or_else(|| err("Every Outputs member must be an object.", v.pos))?;
    let value = m.get("Value").cloned().ok_or_else(|| err("Every Outputs member must contain a Value object", pos))?;
    let export_name = m.get("Export").and_then(|e| e.get("Name")).cloned();
    let condition = m.get("Condition").and_then(|c| c.as_str().map(|s| (s.to_string(), c.pos)));
    let description = m.get("Description").and_then(Node::scalar_string);
    Ok(OutputDecl { name: name.to_string(), pos, value, export_name, condition, description })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_str;

    fn parse(s: &str) -> (Template, Vec<Diagnostic>) {
        let n = load_str(s).expect("loads");
        Template::from_node(&n, None)
    }

    #[test]
    fn reads_sections() {
        let (t, d) = parse(
            "Parameters:\n  P: {Type: String}\nConditions:\n  C: !Equals [a, a]\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    DependsOn: [X]\n    Properties: {CidrBlock: 10.0.0.0/16}\nOutputs:\n  O:\n    Value: !Ref Vpc\n    Export: {Name: x}\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(t.parameters.len(), 1);
        assert_eq!(t.conditions.len(), 1);
        let vpc = &t.resources["Vpc"];
        assert_eq!(vpc.type_name, "AWS::EC2::VPC");
        assert_eq!(vpc.depends_on, vec![("X".to_string(), Pos::new(8, 17))]);
        assert!(t.outputs["O"].export_name.is_some());
    }

    #[test]
    fn structural_errors_use_aws_texts() {
        let (_, d) = parse("Resourcs:\n  A: {Type: X}\n");
        let msgs: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "Invalid template property or properties [Resourcs]",
                "Template format error: At least one Resources member must be defined."
            ]
        );
        let (_, d) =
            parse("Resources:\n  A:\n    Properties: {}\n  B:\n    Type: X\n    Propertes: {}\n  C:\n    Type: [x]\n");
        let msgs: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "Template format error: [/Resources/A] Every Resources object must contain a Type member.",
                "Invalid template resource property 'Propertes'",
                "Template format error: [/Resources/C] Every Type member must be a string.",
            ]
        );
        let (_, d) =
            parse("Parameters:\n  P: {Default: 1}\nResources:\n  A: {Type: X}\nOutputs:\n  O: {Description: x}\n");
        let msgs: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "Template format error: Every Parameters object must contain a Type member.",
                "Template format error: Every Outputs member must contain a Value object",
            ]
        );
    }

    #[test]
    fn not_a_mapping() {
        let (_, d) = parse("- a\n- b\n");
        assert_eq!(d[0].message, "Template format error: unsupported structure.");
    }
}
