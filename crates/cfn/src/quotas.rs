//! CloudFormation's per-template quotas, refused before anything is
//! resolved (AWS doc "AWS CloudFormation quotas": 500 resources, 200
//! parameters, 200 outputs, 200 mappings, 255-character names; a template
//! body of 51,200 bytes in a request, 1 MB from S3).

use crate::diag::Diagnostic;
use crate::node::Node;

/// Resources per template.
pub const MAX_RESOURCES: usize = 500;
/// Parameters per template.
pub const MAX_PARAMETERS: usize = 200;
/// Outputs per template.
pub const MAX_OUTPUTS: usize = 200;
/// Mappings per template.
pub const MAX_MAPPINGS: usize = 200;
/// Characters in a resource, parameter, output or mapping name.
pub const MAX_NAME: usize = 255;
/// Bytes of a template read from S3 (and, for tasknet, from a file).
pub const MAX_TEMPLATE_BYTES: usize = 1_000_000;

/// The count and name-length quotas of a template's sections; each refusal
/// at its section's (or name's) line, code TN1008.
pub fn check(root: &Node) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let Some(map) = root.as_map() else { return diags };
    for (key, _) in map.iter() {
        let (label, max, singular) = match key.name.as_str() {
            "Resources" => ("resources", MAX_RESOURCES, "Resource"),
            "Parameters" => ("parameters", MAX_PARAMETERS, "Parameter"),
            "Outputs" => ("outputs", MAX_OUTPUTS, "Output"),
            "Mappings" => ("mappings", MAX_MAPPINGS, "Mapping"),
            _ => continue,
        };
        let Some(members) = map.get(&key.name).and_then(Node::as_map) else { continue };
        let n = members.len();
        if n > max {
            // Seen for resources ("Number of resources, 211, is greater than maximum allowed, 200",
            // from when the quota was 200); inferred in the same form for the other sections.
            diags.push(
                Diagnostic::error(
                    "TN1008",
                    format!("Template format error: Number of {label}, {n}, is greater than maximum allowed, {max}"),
                )
                .path(&key.name)
                .at(key.pos)
                .hint(format!("split the template (nested stacks, exports) to at most {max} {label}")),
            );
        }
        for (name, _) in members.iter().filter(|(k, _)| k.name.chars().count() > MAX_NAME) {
            // Inferred text: AWS documents the quota, not the refusal's wording.
            diags.push(
                Diagnostic::error(
                    "TN1008",
                    format!(
                        "Template format error: {singular} name {}… is longer than the maximum allowed, {MAX_NAME} characters",
                        name.name.chars().take(32).collect::<String>()
                    ),
                )
                .path(format!("{}/{}", key.name, name.name))
                .at(name.pos)
                .hint(format!("use a name of at most {MAX_NAME} characters")),
            );
        }
    }
    diags
}

/// The refusal of a template file over 1 MB, the most CloudFormation reads
/// from S3 (seen text; tasknet applies it to local files, which
/// `aws cloudformation deploy` would upload to S3).
pub fn too_big(bytes: usize) -> Option<String> {
    (bytes > MAX_TEMPLATE_BYTES).then(|| format!("Template may not exceed {MAX_TEMPLATE_BYTES} bytes in size."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_str;

    fn resources(n: usize) -> String {
        let mut s = String::from("Resources:\n");
        for i in 0..n {
            s.push_str(&format!("  R{i}:\n    Type: AWS::SNS::Topic\n"));
        }
        s
    }

    #[test]
    fn five_hundred_resources_pass_and_one_more_is_refused() {
        assert!(check(&load_str(&resources(500)).unwrap()).is_empty());
        let d = check(&load_str(&resources(501)).unwrap());
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "Template format error: Number of resources, 501, is greater than maximum allowed, 500"
        );
        assert_eq!(d[0].pos.map(|p| p.line), Some(1));
    }

    #[test]
    fn parameters_outputs_mappings_and_names() {
        let mut s = resources(1);
        s.push_str("Parameters:\n");
        for i in 0..201 {
            s.push_str(&format!("  P{i}: {{Type: String}}\n"));
        }
        s.push_str("Outputs:\n");
        for i in 0..201 {
            s.push_str(&format!("  O{i}: {{Value: x}}\n"));
        }
        s.push_str("Mappings:\n");
        for i in 0..201 {
            s.push_str(&format!("  M{i}: {{a: {{b: c}}}}\n"));
        }
        s.push_str(&format!("  {}: {{a: {{b: c}}}}\n", "N".repeat(256)));
        let d = check(&load_str(&s).unwrap());
        let texts: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert!(
            texts.contains(&"Template format error: Number of parameters, 201, is greater than maximum allowed, 200"),
            "{texts:?}"
        );
        assert!(texts.contains(&"Template format error: Number of outputs, 201, is greater than maximum allowed, 200"));
        assert!(texts.contains(&"Template format error: Number of mappings, 202, is greater than maximum allowed, 200"));
        assert!(texts.iter().any(|t| t.starts_with("Template format error: Mapping name NNNN")), "{texts:?}");
        assert_eq!(too_big(1_000_001).as_deref(), Some("Template may not exceed 1000000 bytes in size."));
        assert_eq!(too_big(1_000_000), None);
    }
}
