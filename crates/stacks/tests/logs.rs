//! AWS::Logs::LogGroup and AWS::Logs::LogStream through the engine: real
//! groups and streams, retention changed in place, a taken name refused,
//! DeletionPolicy Retain kept at delete.

use account::Account;
use stacks::engine::{self, events::Quiet, DeployOptions, Outcome};
use stacks::StackInput;
use std::path::Path;

fn deploy(a: &mut Account, stack: &str, overrides: &[(&str, &str)]) -> Outcome {
    let input = StackInput {
        template_path: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deploy/logs.yml"),
        stack_name: stack.into(),
        overrides: overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..StackInput::default()
    };
    engine::deploy(a, &input, &DeployOptions::default(), &mut Quiet).expect("the engine runs")
}

fn complete(out: &Outcome, want: &str) -> bool {
    matches!(out, Outcome::Complete { status, .. } if status == want)
}

#[test]
fn log_groups_are_real_and_retention_changes_in_place() {
    let mut a = Account::default();
    let out = deploy(&mut a, "logs", &[]);
    assert!(complete(&out, "CREATE_COMPLETE"), "{out:?}");
    assert_eq!(a.log_groups["/tasknet/app"].retention_in_days, Some(7));
    assert!(a.log_streams.contains_key(&account::logs::stream_key("/tasknet/app", "kept")));
    let stack = engine::find_stack(&a, "logs").expect("stack").clone();
    let arn = stack.outputs.iter().find(|o| o.output_key == "Arn").map(|o| o.output_value.clone());
    assert_eq!(arn.as_deref(), Some("arn:aws:logs:us-east-1:123456789012:log-group:/tasknet/app:*"));
    let generated = stack.outputs.iter().find(|o| o.output_key == "GeneratedName").map(|o| o.output_value.clone());
    let generated = generated.expect("a generated name");
    assert!(generated.starts_with("logs-Generated-"), "{generated}");
    assert!(a.log_groups.contains_key(&generated));

    let created = a.log_groups["/tasknet/app"].creation_time;
    let out = deploy(&mut a, "logs", &[("Retention", "30")]);
    assert!(complete(&out, "UPDATE_COMPLETE"), "{out:?}");
    let g = &a.log_groups["/tasknet/app"];
    assert_eq!((g.retention_in_days, g.creation_time), (Some(30), created), "the same group, retention changed");

    let out = deploy(&mut a, "logs", &[("Retention", "10")]);
    assert!(!complete(&out, "UPDATE_COMPLETE"), "10 is no retention CloudWatch Logs accepts: {out:?}");
    assert_eq!(a.log_groups["/tasknet/app"].retention_in_days, Some(30), "rolled back");

    // Another stack declaring the same group name is refused as CloudFormation refuses it.
    let out = deploy(&mut a, "other", &[("Kept", "other")]);
    assert!(!complete(&out, "CREATE_COMPLETE"), "{out:?}");
    let other = engine::find_stack(&a, "other").expect("stack");
    let reason = other
        .events
        .iter()
        .find(|e| e.resource_status == "CREATE_FAILED")
        .and_then(|e| e.resource_status_reason.clone())
        .unwrap_or_default();
    assert_eq!(
        reason,
        "Resource of type 'AWS::Logs::LogGroup' with identifier '{\"/properties/LogGroupName\":\"/tasknet/app\"}' already exists."
    );

    engine::delete_stack(&mut a, "logs", &mut Quiet).expect("deletes");
    assert!(!a.log_groups.contains_key("/tasknet/app"));
    assert!(a.log_streams.is_empty());
    assert!(a.log_groups.contains_key(&generated), "DeletionPolicy Retain keeps the group");
}
