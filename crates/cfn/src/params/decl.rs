//! Parameter declarations, read from the template's `Parameters` section.
//!
//! AWS doc: "Parameters" (syntax and properties). Structural texts are
//! CloudFormation's `Template format error: …` ValidationErrors, code TN1008
//! like the template's other structural errors.

use super::check::{check_given, compile_pattern, Pattern};
use super::types::ParamType;
use crate::diag::Diagnostic;
use crate::node::{Node, Pos, Value};
use crate::template::Template;

/// The properties a parameter may have. AWS doc: "Parameters" (properties).
pub const PARAMETER_PROPERTIES: &[&str] = &[
    "Type",
    "Default",
    "AllowedValues",
    "AllowedPattern",
    "MinLength",
    "MaxLength",
    "MinValue",
    "MaxValue",
    "NoEcho",
    "Description",
    "ConstraintDescription",
];

/// One declared parameter, with its constraints.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamDecl {
    /// Logical name.
    pub name: String,
    /// Where the declaration starts.
    pub pos: Pos,
    /// `Type`.
    pub ty: ParamType,
    /// `Default`, as text (numbers and booleans coerced, as CloudFormation does).
    pub default: Option<String>,
    /// `AllowedValues`, as text.
    pub allowed_values: Vec<String>,
    /// `AllowedPattern` (a Java regular expression matched on the whole value).
    pub allowed_pattern: Option<String>,
    /// `MinLength`.
    pub min_length: Option<u64>,
    /// `MaxLength`.
    pub max_length: Option<u64>,
    /// `MinValue`.
    pub min_value: Option<f64>,
    /// `MaxValue`.
    pub max_value: Option<f64>,
    /// `NoEcho`: mask the value wherever the stack is described.
    pub no_echo: bool,
    /// `Description`.
    pub description: Option<String>,
    /// `ConstraintDescription`: replaces AWS's text when a constraint fails.
    pub constraint_description: Option<String>,
}

impl ParamDecl {
    /// A declaration of `ty` with no constraints, for building by hand.
    pub fn new(name: impl Into<String>, ty: ParamType) -> Self {
        ParamDecl {
            name: name.into(),
            pos: Pos::default(),
            ty,
            default: None,
            allowed_values: Vec::new(),
            allowed_pattern: None,
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
            no_echo: false,
            description: None,
            constraint_description: None,
        }
    }
}

fn format_error(msg: impl std::fmt::Display) -> String {
    format!("Template format error: {msg}")
}

/// Reads every declaration in `t.parameters`. A declaration CloudFormation
/// would reject is reported (TN1008) and left out; a Default that fails
/// its own constraints is a warning (TN1109): AWS is not known to reject
/// such a template up front (unverified), but creating the stack without
/// a value for it fails with the constraint's text.
pub fn read_decls(t: &Template) -> (Vec<ParamDecl>, Vec<Diagnostic>) {
    let mut decls = Vec::new();
    let mut diags = Vec::new();
    for (name, node) in &t.parameters {
        let (decl, mut d) = read_decl(name, node);
        diags.append(&mut d);
        if let Some(decl) = decl {
            if let Some(w) = check_default(&decl) {
                diags.push(w);
            }
            decls.push(decl);
        }
    }
    let diags = diags.into_iter().map(|d| d.file(t.file.clone())).collect();
    (decls, diags)
}

fn read_decl(name: &str, node: &Node) -> (Option<ParamDecl>, Vec<Diagnostic>) {
    let path = format!("Parameters/{name}");
    let mut diags = Vec::new();
    let err = |msg: String, at: Pos, hint: &str| {
        Diagnostic::error("TN1008", msg).resource(name).path(path.clone()).at(at).hint(hint)
    };
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        // Inferred from the seen "Resource name X is non alphanumeric.".
        diags.push(err(
            format_error(format!("Parameter name {name} is non alphanumeric.")),
            node.pos,
            "parameter names may contain only A-Z, a-z and 0-9",
        ));
    }
    let Some(map) = node.as_map() else {
        // template.rs reports this one; nothing to read.
        return (None, diags);
    };
    for (k, _) in map.iter() {
        if !PARAMETER_PROPERTIES.contains(&k.name.as_str()) {
            // Seen: "Invalid template parameter property 'DefaultValue'".
            diags.push(err(
                format!("Invalid template parameter property '{}'", k.name),
                k.pos,
                "parameter properties are Type, Default, AllowedValues, AllowedPattern, MinLength, MaxLength, MinValue, MaxValue, NoEcho, Description, ConstraintDescription",
            ));
        }
    }
    let ty = match map.get("Type") {
        None => return (None, diags),
        Some(n) => match n.scalar_string() {
            Some(s) => match ParamType::parse(&s) {
                Some(t) => t,
                None => {
                    // Seen: "Template format error: Unrecognized parameter type: X".
                    diags.push(err(
                        format_error(format!("Unrecognized parameter type: {s}")),
                        n.pos,
                        "use String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::Subnet::Id, or AWS::SSM::Parameter::Value<String>",
                    ));
                    return (None, diags);
                }
            },
            None => {
                // Inferred from the seen "Every Default member must be a string.".
                diags.push(err(
                    format_error("Every Type member must be a string."),
                    n.pos,
                    "write the type as a string",
                ));
                return (None, diags);
            }
        },
    };
    let mut decl = ParamDecl { pos: node.pos, ..ParamDecl::new(name, ty) };
    // A string-valued property: numbers and booleans are coerced.
    let text = |key: &str, diags: &mut Vec<Diagnostic>| -> Option<String> {
        let n = map.get(key)?;
        let s = n.scalar_string();
        if s.is_none() {
            // Seen for Default: "Template format error: Every Default member
            // must be a string."; the same form for the others: inferred.
            diags.push(err(
                format_error(format!("Every {key} member must be a string.")),
                n.pos,
                "write it as a plain string",
            ));
        }
        s
    };
    decl.default = text("Default", &mut diags);
    decl.allowed_pattern = text("AllowedPattern", &mut diags);
    decl.description = text("Description", &mut diags);
    decl.constraint_description = text("ConstraintDescription", &mut diags);
    if let Some(n) = map.get("AllowedValues") {
        match n.as_list() {
            Some(items) => {
                for item in items {
                    match item.scalar_string() {
                        Some(s) => decl.allowed_values.push(s),
                        // Inferred.
                        None => diags.push(err(
                            format_error("Every AllowedValues value must be a string."),
                            item.pos,
                            "list plain strings or numbers",
                        )),
                    }
                }
            }
            // Seen: "Template format error: Every AllowedValues member must be a list."
            None => diags.push(err(
                format_error("Every AllowedValues member must be a list."),
                n.pos,
                "write AllowedValues as a list, e.g. [dev, prod]",
            )),
        }
    }
    let number = |key: &str, diags: &mut Vec<Diagnostic>| -> Option<f64> {
        let n = map.get(key)?;
        let v = n.scalar_string().and_then(|s| s.trim().parse::<f64>().ok()).filter(|f| f.is_finite());
        if v.is_none() {
            // Inferred.
            diags.push(err(format_error(format!("Every {key} member must be a number.")), n.pos, "write a number"));
        }
        v
    };
    let length = |v: Option<f64>| v.filter(|f| *f >= 0.0 && f.fract() == 0.0).map(|f| f as u64);
    decl.min_length = length(number("MinLength", &mut diags));
    decl.max_length = length(number("MaxLength", &mut diags));
    decl.min_value = number("MinValue", &mut diags);
    decl.max_value = number("MaxValue", &mut diags);
    decl.no_echo = match map.get("NoEcho") {
        Some(Node { value: Value::Bool(b), .. }) => *b,
        Some(n) => n.scalar_string().is_some_and(|s| s.eq_ignore_ascii_case("true")),
        None => false,
    };
    if let Some(p) = &decl.allowed_pattern {
        let at = map.get("AllowedPattern").map_or(node.pos, |n| n.pos);
        match compile_pattern(p) {
            Pattern::Ready(_) => {}
            // Inferred (the form other CloudFormation emulators use).
            Pattern::Invalid(why) => diags.push(err(
                format!("Parameter '{name}' AllowedPattern must be a valid regular expression."),
                at,
                &format!("fix the pattern: {why}"),
            )),
            Pattern::Unsupported(why) => diags.push(
                Diagnostic::warning("TN1103", format!("AllowedPattern of parameter '{name}' is not checked: {why}"))
                    .resource(name)
                    .path(path.clone())
                    .at(at)
                    .hint("CloudFormation will still apply it; test values against it with a Java regex tester"),
            ),
        }
    }
    (Some(decl), diags)
}

/// A Default that fails its own constraints: a warning, since the template
/// itself is accepted (unverified) but every create without a value fails.
fn check_default(decl: &ParamDecl) -> Option<Diagnostic> {
    let default = decl.default.as_deref()?;
    // SSM types check the name given; AWS-specific IDs are checked against
    // the account at resolution.
    let pattern = decl.allowed_pattern.as_deref().map(compile_pattern);
    let f = check_given(decl, default, pattern.as_ref())?;
    Some(
        Diagnostic::warning(
            "TN1109",
            format!("Default of parameter '{}' fails its own constraints: {}", decl.name, f.message),
        )
        .resource(&decl.name)
        .path(format!("Parameters/{}", decl.name))
        .at(decl.pos)
        .hint(format!("change the Default, or always pass a value ({})", f.hint)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_str;
    use crate::params::types::{AwsType, SsmInner};

    fn decls(params_yaml: &str) -> (Vec<ParamDecl>, Vec<Diagnostic>) {
        let src = format!("Parameters:\n{params_yaml}Resources:\n  R: {{Type: AWS::SNS::Topic}}\n");
        let root = load_str(&src).expect("loads");
        let (t, d) = Template::from_node(&root, None);
        assert!(d.is_empty(), "{d:?}");
        read_decls(&t)
    }

    #[test]
    fn reads_all_properties_and_coerces_scalars() {
        let (d, diags) = decls(
            "  Count:\n    Type: Number\n    Default: 2\n    AllowedValues: [1, 2, 3]\n    MinValue: 1\n    MaxValue: '3'\n    Description: how many\n    ConstraintDescription: one to three\n  Pass:\n    Type: String\n    NoEcho: true\n    MinLength: 8\n    MaxLength: 41\n    AllowedPattern: '[a-zA-Z0-9]*'\n  Flag:\n    Type: String\n    Default: false\n    AllowedValues: [true, false]\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(d.len(), 3);
        let c = &d[0];
        assert_eq!((c.name.as_str(), c.ty), ("Count", ParamType::Number));
        assert_eq!(c.default.as_deref(), Some("2"));
        assert_eq!(c.allowed_values, vec!["1", "2", "3"]);
        assert_eq!((c.min_value, c.max_value), (Some(1.0), Some(3.0)));
        assert_eq!(c.constraint_description.as_deref(), Some("one to three"));
        assert_eq!(c.pos, Pos::new(3, 5));
        let p = &d[1];
        assert!(p.no_echo);
        assert_eq!((p.min_length, p.max_length), (Some(8), Some(41)));
        assert_eq!(p.allowed_pattern.as_deref(), Some("[a-zA-Z0-9]*"));
        assert_eq!(d[2].default.as_deref(), Some("false"));
        assert_eq!(d[2].allowed_values, vec!["true", "false"]);
    }

    #[test]
    fn reads_aws_and_ssm_types() {
        let (d, diags) = decls(
            "  A: {Type: 'List<AWS::EC2::Subnet::Id>'}\n  B: {Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>'}\n  C: {Type: 'AWS::SSM::Parameter::Name'}\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(d[0].ty, ParamType::AwsList(AwsType::SubnetId));
        assert_eq!(d[1].ty, ParamType::SsmValue(SsmInner::Aws(AwsType::ImageId)));
        assert_eq!(d[2].ty, ParamType::SsmName);
    }

    #[test]
    fn unknown_type_uses_the_aws_text() {
        let (d, diags) = decls("  A: {Type: Strng}\n  B: {Type: String}\n");
        assert_eq!(d.len(), 1);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "TN1008");
        assert_eq!(diags[0].message, "Template format error: Unrecognized parameter type: Strng");
        assert_eq!(diags[0].path, "Parameters/A");
        assert_eq!(diags[0].pos, Some(Pos::new(2, 13)));
        assert!(diags[0].hint.is_some());
    }

    #[test]
    fn structural_errors() {
        let (_, diags) = decls(
            "  A:\n    Type: String\n    DefaultValue: x\n    AllowedValues: x\n    Default: [a]\n    MinLength: many\n",
        );
        let msgs: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "Invalid template parameter property 'DefaultValue'",
                "Template format error: Every Default member must be a string.",
                "Template format error: Every AllowedValues member must be a list.",
                "Template format error: Every MinLength member must be a number.",
            ]
        );
        assert!(diags.iter().all(|d| d.code == "TN1008" && d.is_error() && d.hint.is_some()));
    }

    #[test]
    fn patterns_invalid_or_unsupported() {
        let (_, diags) =
            decls("  A: {Type: String, AllowedPattern: '[a-z'}\n  B: {Type: String, AllowedPattern: '(?!root).*'}\n");
        assert_eq!(diags[0].message, "Parameter 'A' AllowedPattern must be a valid regular expression.");
        assert!(diags[0].is_error());
        assert!(!diags[1].is_error());
        assert!(diags[1].message.contains("not checked"), "{}", diags[1].message);
    }

    #[test]
    fn a_default_that_fails_its_constraints_is_a_warning() {
        let (_, diags) = decls(
            "  Env: {Type: String, Default: test, AllowedValues: [dev, prod]}\n  N: {Type: Number, Default: ten}\n  L: {Type: CommaDelimitedList, Default: 'a,B', AllowedPattern: '[a-z]+'}\n  Ok: {Type: CommaDelimitedList, Default: 'a,b', AllowedValues: [a, b]}\n",
        );
        let msgs: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "Default of parameter 'Env' fails its own constraints: Parameter 'Env' must be one of AllowedValues",
                "Default of parameter 'N' fails its own constraints: Parameter 'N' must be a number.",
                "Default of parameter 'L' fails its own constraints: Parameter 'L' must match pattern [a-z]+",
            ]
        );
        assert!(diags.iter().all(|d| d.code == "TN1109" && !d.is_error()));
    }

    #[test]
    fn non_alphanumeric_name() {
        let (_, diags) = decls("  my-param: {Type: String}\n");
        assert_eq!(diags[0].message, "Template format error: Parameter name my-param is non alphanumeric.");
    }
}
