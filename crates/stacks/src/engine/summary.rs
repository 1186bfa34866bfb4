//! What a template declares, read without deploying it: GetTemplateSummary
//! and ValidateTemplate (AWS doc "GetTemplateSummary", "ValidateTemplate").

use super::{required_capability, EngineError};
use account::{TemplateParameter, TemplateSummary};

/// The summary of the template text `bytes`; a template that cannot be
/// read is the operation's `ValidationError` ("Template format error: …").
pub fn template_summary(bytes: &[u8], operation: &'static str) -> Result<TemplateSummary, EngineError> {
    let invalid = |message: String| EngineError::Validation { operation, message };
    let root = cfn::load::load_bytes(bytes).map_err(|e| {
        invalid(match &e {
            // Seen: "Template format error: YAML not well-formed. (line 3, column 5)".
            cfn::load::LoadError::Syntax { pos, .. } => {
                format!("Template format error: YAML not well-formed. (line {}, column {})", pos.line, pos.col)
            }
            // The loader's other refusals, with AWS's prefix (their texts are tasknet's).
            other => format!("Template format error: {other}"),
        })
    })?;
    let (template, diagnostics) = cfn::template::Template::from_node(&root, None);
    if let Some(d) = diagnostics.iter().find(|d| d.is_error()) {
        return Err(invalid(d.message.clone()));
    }
    let (decls, param_diags) = cfn::params::read_decls(&template);
    if let Some(d) = param_diags.iter().find(|d| d.is_error()) {
        return Err(invalid(d.message.clone()));
    }
    let parameters = decls
        .into_iter()
        .map(|d| TemplateParameter {
            key: d.name,
            default: d.default,
            ty: d.ty.to_string(),
            no_echo: d.no_echo,
            description: d.description,
            allowed_values: d.allowed_values,
        })
        .collect();
    let mut resource_types: Vec<String> = Vec::new();
    for r in template.resources.values() {
        if !resource_types.contains(&r.type_name) {
            resource_types.push(r.type_name.clone());
        }
    }
    let capability = required_capability(&template);
    let iam_types: Vec<&str> =
        resource_types.iter().map(String::as_str).filter(|t| t.starts_with("AWS::IAM::")).collect();
    Ok(TemplateSummary {
        parameters,
        description: root.get("Description").and_then(cfn::Node::scalar_string),
        capabilities: capability.map(str::to_string).into_iter().collect(),
        // Seen (GetTemplateSummary's answer, and the console's checkbox); the
        // order of the types AWS lists is unverified: here, template order.
        capabilities_reason: capability
            .map(|_| format!("The following resource(s) require capabilities: [{}]", iam_types.join(", "))),
        resource_types,
        version: root.get("AWSTemplateFormatVersion").and_then(cfn::Node::scalar_string),
        transforms: template.transforms.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_types_and_the_iam_capability() {
        let text = b"AWSTemplateFormatVersion: '2010-09-09'\nDescription: demo\nParameters:\n  Size:\n    Type: Number\n    Default: 2\n    AllowedValues: [1, 2]\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: r\n      AssumeRolePolicyDocument: {}\n  Topic:\n    Type: AWS::SNS::Topic\n";
        let s = template_summary(text, "GetTemplateSummary").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.description.as_deref(), Some("demo"));
        assert_eq!(s.version.as_deref(), Some("2010-09-09"));
        assert_eq!(s.parameters.len(), 1);
        assert_eq!((s.parameters[0].ty.as_str(), s.parameters[0].default.as_deref()), ("Number", Some("2")));
        assert_eq!(s.parameters[0].allowed_values, ["1", "2"]);
        assert_eq!(s.resource_types, ["AWS::IAM::Role", "AWS::SNS::Topic"]);
        assert_eq!(s.capabilities, ["CAPABILITY_NAMED_IAM"]);
        assert_eq!(
            s.capabilities_reason.as_deref(),
            Some("The following resource(s) require capabilities: [AWS::IAM::Role]")
        );
    }

    #[test]
    fn an_unreadable_template_is_a_format_error() {
        let err = template_summary(b"Resources: [\n", "ValidateTemplate").expect_err("not YAML");
        assert!(
            err.to_string()
                .contains("(ValidationError) when calling the ValidateTemplate operation: Template format error"),
            "{err}"
        );
    }
}
