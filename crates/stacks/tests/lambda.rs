//! AWS::Lambda::Function through the engine: created through the account's
//! CreateFunction, updated in place, deleted; a runtime past its
//! block-create date is TN2301 (an error, a warning with
//! `--allow-deprecated-runtimes`) and fails the resource on deploy with
//! CloudFormation's wrapping of Lambda's text.

use account::Account;
use stacks::engine::{self, events::Quiet, DeployOptions, Outcome};
use stacks::StackInput;
use std::path::Path;

fn input(runtime: &str, allow: bool) -> StackInput {
    StackInput {
        template_path: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lambda/functions.yml"),
        stack_name: "fns".into(),
        overrides: vec![("OldRuntime".into(), runtime.into())],
        allow_deprecated_runtimes: allow,
        ..StackInput::default()
    }
}

/// The findings as the examples' snapshot prints them, request IDs masked.
fn findings(runtime: &str, allow: bool) -> String {
    let a = stacks::analyze(&input(runtime, allow), &Account::default()).expect("analyzed");
    a.diagnostics
        .iter()
        .map(|d| {
            let pos = d.pos.map_or(String::new(), |p| format!("{}:{}", p.line, p.col));
            let text = format!(
                "{}[{}] {pos} {} @ {}\n  {}\n  hint: {}\n",
                if d.is_error() { "error" } else { "warning" },
                d.code,
                d.resource.as_deref().unwrap_or("-"),
                d.path,
                d.message,
                d.hint.as_deref().unwrap_or("-")
            );
            mask(&text)
        })
        .collect()
}

/// The text with the UUIDs after `Request ID: ` and `RequestToken: ` masked.
fn mask(text: &str) -> String {
    let mut out = text.to_string();
    for label in ["Request ID: ", "RequestToken: "] {
        if let Some(i) = out.find(label) {
            let start = i + label.len();
            let end = (start + 36).min(out.len());
            out.replace_range(start..end, "<uuid>");
        }
    }
    out
}

#[test]
fn a_blocked_runtime_is_an_error_or_with_permission_a_warning() {
    assert_eq!(findings("python3.12", false), "");
    insta::assert_snapshot!("blocked_runtime_error", findings("python3.6", false));
    insta::assert_snapshot!("blocked_runtime_allowed", findings("python3.6", true));
}

fn opts() -> DeployOptions {
    DeployOptions { capabilities: vec!["CAPABILITY_IAM".into()], ..DeployOptions::default() }
}

#[test]
fn functions_deploy_update_in_place_and_a_blocked_runtime_fails_its_create() {
    let mut a = Account::default();
    let out = engine::deploy(&mut a, &input("python3.12", false), &opts(), &mut Quiet).expect("deploys");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "CREATE_COMPLETE"), "{out:?}");
    let current = a.functions.values().find(|f| f.function_name.starts_with("fns-Current-")).expect("created").clone();
    assert_eq!((current.timeout, current.environment["TABLE"].as_str()), (30, "todos"));
    assert!(current.role.starts_with("arn:aws:iam::123456789012:role/"));
    let stack = engine::find_stack(&a, "fns").expect("stack");
    let output = |k: &str| stack.outputs.iter().find(|o| o.output_key == k).map(|o| o.output_value.clone());
    assert_eq!(output("CurrentArn"), Some(current.function_arn.clone()));
    assert_eq!(output("CurrentVersionNumber").as_deref(), Some("1"));

    // Changing the runtime of Legacy updates it in place (same name).
    let legacy = a.functions.keys().find(|n| n.starts_with("fns-Legacy-")).expect("legacy").clone();
    let out = engine::deploy(&mut a, &input("python3.13", false), &opts(), &mut Quiet).expect("updates");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "UPDATE_COMPLETE"), "{out:?}");
    assert_eq!(a.functions[&legacy].runtime, "python3.13");

    // A blocked runtime: UPDATE fails for that resource with Lambda's text.
    let out = engine::deploy(&mut a, &input("python3.6", false), &opts(), &mut Quiet);
    let stack = engine::find_stack(&a, "fns").expect("stack");
    let failed =
        stack.events.iter().find(|e| e.resource_status.ends_with("_FAILED") && e.logical_resource_id == "Legacy");
    let reason = failed.and_then(|e| e.resource_status_reason.clone()).unwrap_or_default();
    assert!(reason.starts_with("Resource handler returned message: \"The runtime parameter of python3.6 is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (python3.14) while creating or updating functions. (Service: Lambda, Status Code: 400, Request ID: "), "{out:?} {reason}");
    assert_eq!(a.functions[&legacy].runtime, "python3.13");

    engine::delete_stack(&mut a, "fns", &mut Quiet).expect("deleted");
    assert!(a.functions.is_empty());
}
