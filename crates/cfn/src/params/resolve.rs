//! Parameter values as the stack will see them, and everything
//! CloudFormation would reject about the values given.
//!
//! AWS doc: "Parameters" (constraints, AWS-specific parameter types,
//! Systems Manager parameter types); "Specify stack parameters" for where
//! values come from.

use super::check::{check_given, compile_pattern, split_list, Pattern};
use super::decl::ParamDecl;
use super::types::{AwsType, ParamType, SsmInner};
use super::ParamValue;
use crate::diag::Diagnostic;
use indexmap::IndexMap;

/// What the account knows, for the checks CloudFormation makes against it.
pub trait ParamLookup {
    /// The value of the Systems Manager parameter `name`; `None` when the
    /// account has no such parameter.
    fn ssm_parameter(&self, name: &str) -> Option<String>;
    /// Whether `id` exists as a `param_type` (the element type, e.g.
    /// `AWS::EC2::Subnet::Id`); `None` when the account can't tell, and then
    /// nothing is reported.
    fn aws_id_exists(&self, param_type: &str, id: &str) -> Option<bool>;
}

/// An account that knows nothing: no SSM parameters, no opinion on IDs.
impl ParamLookup for () {
    fn ssm_parameter(&self, _: &str) -> Option<String> {
        None
    }
    fn aws_id_exists(&self, _: &str, _: &str) -> Option<bool> {
        None
    }
}

/// How `describe-stacks` shows a parameter's value: `****` for NoEcho
/// parameters (seen in `describe-stacks` output), lists comma-joined.
pub fn display_value(decl: &ParamDecl, value: &ParamValue) -> String {
    if decl.no_echo {
        return "****".into();
    }
    match value {
        ParamValue::String(s) => s.clone(),
        ParamValue::List(l) => l.join(","),
    }
}

/// Where a value came from, for hints.
#[derive(Clone, Copy)]
enum Source {
    Override,
    File,
    Default,
}

impl Source {
    fn describe(self) -> &'static str {
        match self {
            Source::Override => "--parameter-overrides",
            Source::File => "the --parameters file",
            Source::Default => "the Default",
        }
    }
}

/// Resolves every declared parameter: `--parameter-overrides` win over the
/// `--parameters` file, which wins over `Default`. Every problem is reported
/// (CloudFormation stops at the first; one diagnostic per parameter, its
/// first failing check). Checks CloudFormation makes when the change set is
/// created come first; the existence of AWS-specific IDs, which
/// CloudFormation checks only when the stack is created (a stack event, then
/// rollback), comes last.
///
/// The map holds every parameter that has a value, even one that failed a
/// check, so later stages can still report their own findings; parameters
/// without a value, and SSM parameters that can't be read, are absent.
pub fn resolve_parameters(
    decls: &[ParamDecl],
    overrides: &[(String, String)],
    file_params: &[(String, String)],
    lookup: &dyn ParamLookup,
) -> (IndexMap<String, ParamValue>, Vec<Diagnostic>) {
    let mut values = IndexMap::new();
    let mut diags = Vec::new();
    let mut create_time = Vec::new();
    let declared = |n: &str| decls.iter().any(|d| d.name == n);

    fn unknown<'a>(given: &'a [(String, String)], declared: &dyn Fn(&str) -> bool) -> Vec<&'a str> {
        let mut names: Vec<&str> = Vec::new();
        for (k, _) in given {
            if !declared(k) && !names.contains(&k.as_str()) {
                names.push(k);
            }
        }
        names
    }
    let unknown_file = unknown(file_params, &declared);
    if let Some(first) = unknown_file.first() {
        // Seen: "Parameters: [TargetECRRepositoryName] do not exist in the
        // template" (CreateStack ValidationError).
        diags.push(
            Diagnostic::error(
                "TN1106",
                format!("Parameters: [{}] do not exist in the template", unknown_file.join(", ")),
            )
            .resource(*first)
            .path("Parameters")
            .hint("remove them from the --parameters file, or declare them under Parameters"),
        );
    }
    let unknown_overrides = unknown(overrides, &declared);
    if let Some(first) = unknown_overrides.first() {
        // aws-cli deploy.py `merge_parameters` builds the change set's
        // parameters by walking the template's Parameters only: "for key,
        // value in template_dict["Parameters"].items(): … if key in
        // parameter_overrides: obj["ParameterValue"] = …". Overrides for
        // other names are never sent, so AWS never sees them.
        diags.push(
            Diagnostic::warning(
                "TN1106",
                format!(
                    "Parameter overrides [{}] are not in the template; aws cloudformation deploy silently ignores them",
                    unknown_overrides.join(", ")
                ),
            )
            .resource(*first)
            .path("Parameters")
            .hint("check the spelling against the template's Parameters, or drop them"),
        );
    }

    let mut missing: Vec<&ParamDecl> = Vec::new();
    let mut checks = Vec::new();
    for decl in decls {
        let find =
            |given: &[(String, String)]| given.iter().rev().find(|(k, _)| *k == decl.name).map(|(_, v)| v.clone());
        let given = find(overrides)
            .map(|v| (v, Source::Override))
            .or_else(|| find(file_params).map(|v| (v, Source::File)))
            .or_else(|| decl.default.clone().map(|v| (v, Source::Default)));
        let Some((raw, source)) = given else {
            missing.push(decl);
            continue;
        };
        let one = resolve_one(decl, &raw, source, lookup);
        if let Some(v) = one.value {
            values.insert(decl.name.clone(), v);
        }
        checks.extend(one.now);
        create_time.extend(one.at_create);
    }
    if let Some(first) = missing.first() {
        let names: Vec<&str> = missing.iter().map(|d| d.name.as_str()).collect();
        let example: Vec<String> = names.iter().map(|n| format!("{n}=…")).collect();
        // Seen: "Parameters: [ArtifactPath, ConfigS3Bucket] must have values".
        diags.push(
            Diagnostic::error("TN1101", format!("Parameters: [{}] must have values", names.join(", ")))
                .resource(&first.name)
                .path(format!("Parameters/{}", first.name))
                .at(first.pos)
                .hint(format!("pass --parameter-overrides {}, or give each a Default", example.join(" "))),
        );
    }
    diags.extend(checks);
    diags.extend(create_time);
    (values, diags)
}

/// One parameter's outcome.
struct One {
    value: Option<ParamValue>,
    /// Found when the change set is created (ValidationError).
    now: Option<Diagnostic>,
    /// Found when the stack is created (stack event, rollback).
    at_create: Option<Diagnostic>,
}

fn diag(decl: &ParamDecl, code: &'static str, message: String, hint: String) -> Diagnostic {
    Diagnostic::error(code, message)
        .resource(&decl.name)
        .path(format!("Parameters/{}", decl.name))
        .at(decl.pos)
        .hint(hint)
}

fn resolve_one(decl: &ParamDecl, raw: &str, source: Source, lookup: &dyn ParamLookup) -> One {
    let pattern = decl.allowed_pattern.as_deref().map(compile_pattern);
    let pattern = pattern.filter(|p| matches!(p, Pattern::Ready(_)));
    // For SSM types the constraints apply to the name given (inferred: the
    // value given is what CloudFormation validates before reading SSM).
    let now = check_given(decl, raw, pattern.as_ref())
        .map(|f| diag(decl, f.code, f.message, format!("{} (value from {})", f.hint, source.describe())));
    let mut one = One { value: None, now, at_create: None };
    let list = |v: &str| ParamValue::List(split_list(v).into_iter().map(str::to_string).collect());
    match decl.ty {
        ParamType::String | ParamType::Number => one.value = Some(ParamValue::String(raw.to_string())),
        ParamType::NumberList | ParamType::CommaDelimitedList => one.value = Some(list(raw)),
        ParamType::Aws(t) => {
            one.at_create = check_ids(decl, t, &[raw], lookup);
            one.value = Some(ParamValue::String(raw.to_string()));
        }
        ParamType::AwsList(t) => {
            let ids = aws_list(raw);
            one.at_create = check_ids(decl, t, &ids, lookup);
            one.value = Some(ParamValue::List(ids.into_iter().map(str::to_string).collect()));
        }
        ParamType::SsmName | ParamType::SsmValue(_) => {
            let Some(resolved) = lookup.ssm_parameter(raw) else {
                // Seen: "Parameters: [ssm:/xxxx/blueprintId] cannot be
                // found." (CreateChangeSet ValidationError, for a
                // Value<String> parameter; the same for ::Name: inferred).
                let shown = if decl.no_echo { "****" } else { raw };
                let d = diag(
                    decl,
                    "TN1108",
                    format!("Parameters: [ssm:{shown}] cannot be found."),
                    format!("create the SSM parameter {shown} in this account and region, or pass the name of one that exists"),
                );
                // A ValidationError outranks a constraint failure on the name.
                one.now = one.now.or(Some(d));
                if decl.ty == ParamType::SsmName {
                    one.value = Some(ParamValue::String(raw.to_string()));
                }
                return one;
            };
            one.value = Some(match decl.ty {
                ParamType::SsmValue(SsmInner::ListString | SsmInner::CommaDelimitedList) => list(&resolved),
                ParamType::SsmValue(SsmInner::Aws(t)) => {
                    one.at_create = check_ids(decl, t, &[resolved.as_str()], lookup);
                    ParamValue::String(resolved)
                }
                ParamType::SsmValue(SsmInner::AwsList(t)) => {
                    let ids = aws_list(&resolved);
                    one.at_create = check_ids(decl, t, &ids, lookup);
                    ParamValue::List(ids.into_iter().map(str::to_string).collect())
                }
                // SsmName keeps the name; Value<String> is the value.
                ParamType::SsmName => ParamValue::String(raw.to_string()),
                _ => ParamValue::String(resolved),
            });
        }
    }
    one
}

/// The IDs of a `List<AWS::…>` value. Inferred: an empty value is an empty
/// list (the usual way to make such a parameter optional).
fn aws_list(v: &str) -> Vec<&str> {
    if v.is_empty() {
        Vec::new()
    } else {
        split_list(v)
    }
}

/// AWS-specific IDs: the type's prefix, then the account. CloudFormation
/// checks these when it creates the stack, not when it validates the
/// change set, and names the first ID that fails.
fn check_ids(decl: &ParamDecl, t: AwsType, ids: &[&str], lookup: &dyn ParamLookup) -> Option<Diagnostic> {
    for id in ids {
        let bad_prefix = t.prefix().is_some_and(|p| !id.starts_with(p));
        if bad_prefix || lookup.aws_id_exists(t.name(), id) == Some(false) {
            let shown = if decl.no_echo { "****" } else { id };
            let hint = match t.prefix() {
                Some(p) if bad_prefix => format!("give an existing {} (they start with {p})", t.noun()),
                _ => format!("give a {} that exists in this account and region", t.noun()),
            };
            // Seen: "Parameter validation failed: parameter value
            // cloudformation for parameter name autoscalingGroupKeyname does
            // not exist. Rollback requested by user." (stack event; the
            // sentence after the period is the rollback's).
            return Some(diag(
                decl,
                "TN1107",
                format!(
                    "Parameter validation failed: parameter value {shown} for parameter name {} does not exist",
                    decl.name
                ),
                hint,
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::node::Pos;
    use std::collections::HashMap;

    /// A lookup with some SSM parameters and some known IDs.
    struct Account {
        ssm: HashMap<&'static str, &'static str>,
        ids: Vec<&'static str>,
    }

    impl ParamLookup for Account {
        fn ssm_parameter(&self, name: &str) -> Option<String> {
            self.ssm.get(name).map(|s| s.to_string())
        }
        fn aws_id_exists(&self, _: &str, id: &str) -> Option<bool> {
            Some(self.ids.contains(&id))
        }
    }

    fn account() -> Account {
        Account {
            ssm: HashMap::from([
                ("/ami/latest", "ami-0abc"),
                ("/net/subnets", "subnet-1,subnet-2"),
                ("/app/name", "shop"),
                ("/bad/ami", "img-1"),
            ]),
            ids: vec!["subnet-1", "subnet-2", "vpc-1", "ami-0abc", "mykey"],
        }
    }

    fn decl(name: &str, ty: &str) -> ParamDecl {
        let ty = ParamType::parse(ty).expect("type");
        ParamDecl { pos: Pos::new(3, 3), ..ParamDecl::new(name, ty) }
    }

    fn kv(ps: &[(&str, &str)]) -> Vec<(String, String)> {
        ps.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn s(v: &str) -> ParamValue {
        ParamValue::String(v.into())
    }

    fn l(v: &[&str]) -> ParamValue {
        ParamValue::List(v.iter().map(|s| s.to_string()).collect())
    }

    fn messages(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.message.as_str()).collect()
    }

    #[test]
    fn overrides_beat_the_file_which_beats_default() {
        let mut a = decl("A", "String");
        a.default = Some("d".into());
        let mut b = a.clone();
        b.name = "B".into();
        let mut c = a.clone();
        c.name = "C".into();
        let (v, d) = resolve_parameters(&[a, b, c], &kv(&[("A", "o")]), &kv(&[("A", "f"), ("B", "f")]), &());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            v.into_iter().collect::<Vec<_>>(),
            vec![("A".into(), s("o")), ("B".into(), s("f")), ("C".into(), s("d"))]
        );
    }

    #[test]
    fn missing_values_are_listed_together() {
        let (v, d) = resolve_parameters(
            &[decl("A", "String"), decl("B", "Number"), decl("C", "String")],
            &kv(&[("B", "1")]),
            &[],
            &(),
        );
        assert_eq!(messages(&d), vec!["Parameters: [A, C] must have values"]);
        assert_eq!(d[0].code, "TN1101");
        assert_eq!(d[0].resource.as_deref(), Some("A"));
        assert_eq!(d[0].path, "Parameters/A");
        assert_eq!(d[0].pos, Some(Pos::new(3, 3)));
        assert!(d[0].hint.as_deref().is_some_and(|h| h.contains("A=… C=…")));
        assert_eq!(v.len(), 1);
        // An empty string is a value.
        let (_, d) = resolve_parameters(&[decl("A", "String")], &kv(&[("A", "")]), &[], &());
        assert!(d.is_empty());
    }

    #[test]
    fn unknown_names_file_error_overrides_warning() {
        let (_, d) = resolve_parameters(
            &[decl("A", "String")],
            &kv(&[("A", "1"), ("Typo", "2")]),
            &kv(&[("X", "1"), ("Y", "2"), ("X", "3")]),
            &(),
        );
        assert_eq!(
            messages(&d),
            vec![
                "Parameters: [X, Y] do not exist in the template",
                "Parameter overrides [Typo] are not in the template; aws cloudformation deploy silently ignores them",
            ]
        );
        assert_eq!((d[0].code, d[0].severity), ("TN1106", Severity::Error));
        assert_eq!((d[1].code, d[1].severity), ("TN1106", Severity::Warning));
    }

    #[test]
    fn allowed_values_and_constraint_description() {
        let mut env = decl("Env", "String");
        env.allowed_values = vec!["dev".into(), "prod".into()];
        let (v, d) = resolve_parameters(std::slice::from_ref(&env), &kv(&[("Env", "test")]), &[], &());
        assert_eq!(messages(&d), vec!["Parameter 'Env' must be one of AllowedValues"]);
        assert_eq!(d[0].code, "TN1102");
        assert_eq!(d[0].hint.as_deref(), Some("allowed values: dev, prod (value from --parameter-overrides)"));
        assert_eq!(v["Env"], s("test"), "the value is kept for later stages");
        env.constraint_description = Some("Must be one of: dev, prod".into());
        let (_, d) = resolve_parameters(&[env], &kv(&[("Env", "test")]), &[], &());
        assert_eq!(messages(&d), vec!["Parameter Env failed to satisfy constraint: Must be one of: dev, prod"]);
        assert_eq!(d[0].code, "TN1102");
    }

    #[test]
    fn pattern_and_lengths() {
        let mut p = decl("Name", "String");
        p.allowed_pattern = Some("[a-z]+".into());
        p.min_length = Some(3);
        p.max_length = Some(5);
        let run = |v: &str| resolve_parameters(std::slice::from_ref(&p), &kv(&[("Name", v)]), &[], &()).1;
        assert!(run("abcd").is_empty());
        assert_eq!(messages(&run("abc1")), vec!["Parameter 'Name' must match pattern [a-z]+"]);
        assert_eq!(run("abc1")[0].code, "TN1103");
        assert_eq!(messages(&run("ab")), vec!["Parameter 'Name' must contain at least 3 characters"]);
        assert_eq!(messages(&run("abcdefg")), vec!["Parameter 'Name' must contain at most 5 characters"]);
        assert_eq!(run("ab")[0].code, "TN1104");
        // Length before pattern.
        assert_eq!(messages(&run("A")), vec!["Parameter 'Name' must contain at least 3 characters"]);
    }

    #[test]
    fn numbers_and_ranges() {
        let mut n = decl("Count", "Number");
        n.min_value = Some(1.0);
        n.max_value = Some(10.0);
        let run = |v: &str| resolve_parameters(std::slice::from_ref(&n), &kv(&[("Count", v)]), &[], &()).1;
        assert!(run("2").is_empty());
        assert!(run("2.5").is_empty());
        assert_eq!(messages(&run("two")), vec!["Parameter 'Count' must be a number."]);
        assert_eq!(run("two")[0].code, "TN1105");
        assert_eq!(messages(&run("0")), vec!["Parameter 'Count' must be a number not less than 1"]);
        assert_eq!(messages(&run("11")), vec!["Parameter 'Count' must be a number not greater than 10"]);
        assert_eq!(run("11")[0].code, "TN1104");
    }

    #[test]
    fn lists_are_checked_per_element() {
        let mut ports = decl("Ports", "List<Number>");
        ports.max_value = Some(65535.0);
        let (v, d) = resolve_parameters(std::slice::from_ref(&ports), &kv(&[("Ports", "80,443")]), &[], &());
        assert!(d.is_empty());
        assert_eq!(v["Ports"], l(&["80", "443"]));
        let (_, d) = resolve_parameters(std::slice::from_ref(&ports), &kv(&[("Ports", "80,http")]), &[], &());
        assert_eq!(messages(&d), vec!["Parameter 'Ports' must be a number."]);
        let (_, d) = resolve_parameters(&[ports], &kv(&[("Ports", "80,70000")]), &[], &());
        assert_eq!(messages(&d), vec!["Parameter 'Ports' must be a number not greater than 65535"]);

        let mut envs = decl("Envs", "CommaDelimitedList");
        envs.allowed_values = vec!["dev".into(), "prod".into()];
        let (v, d) = resolve_parameters(std::slice::from_ref(&envs), &kv(&[("Envs", "dev,prod")]), &[], &());
        assert!(d.is_empty(), "AllowedValues applies per element: {d:?}");
        assert_eq!(v["Envs"], l(&["dev", "prod"]));
        let (_, d) = resolve_parameters(&[envs], &kv(&[("Envs", "dev, prod")]), &[], &());
        assert_eq!(messages(&d), vec!["Parameter 'Envs' must be one of AllowedValues"], "no trimming");

        let mut ids = decl("Ids", "CommaDelimitedList");
        ids.allowed_pattern = Some("\\w+".into());
        let (v, d) = resolve_parameters(&[ids], &[], &kv(&[("Ids", "")]), &());
        assert_eq!(messages(&d), vec!["Parameter 'Ids' must match pattern \\w+"], "an empty list is one empty element");
        assert_eq!(v["Ids"], l(&[""]));
    }

    #[test]
    fn aws_specific_ids_prefix_and_existence() {
        let decls = [
            decl("Vpc", "AWS::EC2::VPC::Id"),
            decl("ApplicationSubnets", "List<AWS::EC2::Subnet::Id>"),
            decl("Key", "AWS::EC2::KeyPair::KeyName"),
        ];
        let (v, d) = resolve_parameters(
            &decls,
            &kv(&[("Vpc", "vpc-1"), ("ApplicationSubnets", "subnet-1,subnet-2"), ("Key", "mykey")]),
            &[],
            &account(),
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(v["ApplicationSubnets"], l(&["subnet-1", "subnet-2"]));
        let (_, d) = resolve_parameters(
            &decls,
            &kv(&[("Vpc", "sg-1"), ("ApplicationSubnets", "subnet-1,subnet-123"), ("Key", "nokey")]),
            &[],
            &account(),
        );
        assert_eq!(messages(&d), vec![
            "Parameter validation failed: parameter value sg-1 for parameter name Vpc does not exist",
            "Parameter validation failed: parameter value subnet-123 for parameter name ApplicationSubnets does not exist",
            "Parameter validation failed: parameter value nokey for parameter name Key does not exist",
        ]);
        assert!(d.iter().all(|d| d.code == "TN1107" && d.hint.is_some()));
        assert!(d[0].hint.as_deref().is_some_and(|h| h.contains("vpc-")));
        // An account that can't tell: only the prefix is checked.
        let (_, d) = resolve_parameters(
            &decls,
            &kv(&[("Vpc", "vpc-9"), ("ApplicationSubnets", "subnet-9"), ("Key", "k")]),
            &[],
            &(),
        );
        assert!(d.is_empty(), "{d:?}");
        let (_, d) = resolve_parameters(&decls[..1], &kv(&[("Vpc", "9")]), &[], &());
        assert_eq!(d.len(), 1);
        // An empty list value is an empty list.
        let (v, d) = resolve_parameters(&decls[1..2], &kv(&[("ApplicationSubnets", "")]), &[], &account());
        assert!(d.is_empty());
        assert_eq!(v["ApplicationSubnets"], l(&[]));
    }

    #[test]
    fn create_time_checks_come_last() {
        let decls = [decl("Vpc", "AWS::EC2::VPC::Id"), decl("N", "Number")];
        let (_, d) = resolve_parameters(&decls, &kv(&[("Vpc", "x"), ("N", "x")]), &[], &());
        assert_eq!(d.iter().map(|d| d.code).collect::<Vec<_>>(), vec!["TN1105", "TN1107"]);
    }

    #[test]
    fn ssm_types_resolve_through_the_lookup() {
        let mut ami = decl("Ami", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>");
        ami.default = Some("/ami/latest".into());
        let mut subnets = decl("Subnets", "AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>");
        subnets.default = Some("/net/subnets".into());
        let mut app = decl("App", "AWS::SSM::Parameter::Value<String>");
        app.default = Some("/app/name".into());
        let mut name = decl("NameOnly", "AWS::SSM::Parameter::Name");
        name.default = Some("/app/name".into());
        let all = [ami.clone(), subnets, app, name];
        let (v, d) = resolve_parameters(&all, &[], &[], &account());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(v["Ami"], s("ami-0abc"));
        assert_eq!(v["Subnets"], l(&["subnet-1", "subnet-2"]));
        assert_eq!(v["App"], s("shop"));
        assert_eq!(v["NameOnly"], s("/app/name"));

        let (v, d) = resolve_parameters(&all, &kv(&[("Ami", "/missing")]), &[], &account());
        assert_eq!(messages(&d), vec!["Parameters: [ssm:/missing] cannot be found."]);
        assert_eq!(d[0].code, "TN1108");
        assert!(!v.contains_key("Ami"));

        // The inner type's checks apply to the value read.
        let (_, d) = resolve_parameters(&[ami], &kv(&[("Ami", "/bad/ami")]), &[], &account());
        assert_eq!(
            messages(&d),
            vec!["Parameter validation failed: parameter value img-1 for parameter name Ami does not exist"]
        );

        // An account that knows nothing has no SSM parameters.
        let (_, d) = resolve_parameters(&all[2..3], &[], &[], &());
        assert_eq!(messages(&d), vec!["Parameters: [ssm:/app/name] cannot be found."]);
    }

    #[test]
    fn no_echo_is_masked() {
        let mut p = decl("Password", "String");
        p.no_echo = true;
        assert_eq!(display_value(&p, &s("hunter22")), "****");
        let plain = decl("Subnets", "CommaDelimitedList");
        assert_eq!(display_value(&plain, &l(&["a", "b"])), "a,b");
        // Intrinsics see the real value.
        let (v, _) = resolve_parameters(std::slice::from_ref(&p), &kv(&[("Password", "hunter22")]), &[], &());
        assert_eq!(v["Password"], s("hunter22"));
        // Messages never show it.
        let mut key = decl("Key", "AWS::EC2::KeyPair::KeyName");
        key.no_echo = true;
        let (_, d) = resolve_parameters(&[key], &kv(&[("Key", "secretkey")]), &[], &account());
        assert_eq!(
            messages(&d),
            vec!["Parameter validation failed: parameter value **** for parameter name Key does not exist"]
        );
    }

    #[test]
    fn every_diagnostic_names_the_parameter() {
        let mut n = decl("N", "Number");
        n.allowed_values = vec!["1".into()];
        let (_, d) = resolve_parameters(&[n, decl("M", "String")], &kv(&[("N", "2")]), &[], &());
        for x in &d {
            assert!(
                x.resource.is_some() && x.path.starts_with("Parameters/") && x.pos.is_some() && x.hint.is_some(),
                "{x:?}"
            );
        }
        assert_eq!(d.len(), 2);
    }
}
