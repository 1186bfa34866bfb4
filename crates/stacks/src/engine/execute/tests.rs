use super::*;
use crate::engine::{self, events::Quiet, ChangeSetRequest, DeployOptions, NO_CHANGES};
use std::path::PathBuf;

fn template(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deploy").join(name)
}

fn input(stack: &str, overrides: &[(&str, &str)]) -> StackInput {
    StackInput {
        template_path: template("network.yml"),
        stack_name: stack.into(),
        overrides: overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        file_params: Vec::new(),
        custom_attributes: Default::default(),
        stack_id: None,
        allow_deprecated_runtimes: false,
    }
}

fn request(name: &str, kind: &str) -> DeployOptions {
    DeployOptions {
        execute: false,
        change_set: Some(ChangeSetRequest {
            name: name.into(),
            description: Some("by a client".into()),
            change_set_type: Some(kind.into()),
            tags: [("team".to_string(), "core".to_string())].into(),
            direct: false,
        }),
        ..DeployOptions::default()
    }
}

fn statuses(a: &Account, stack: &str) -> Vec<String> {
    let s = engine::find_stack(a, stack).expect("stack");
    s.events.iter().filter(|e| e.logical_resource_id == stack).map(|e| e.resource_status.clone()).collect()
}

#[test]
fn a_named_change_set_is_reviewed_started_and_executed() {
    let mut a = Account::default();
    let out = engine::deploy(&mut a, &input("net", &[]), &request("first", "CREATE"), &mut Quiet).expect("planned");
    let Outcome::ChangeSetCreated(cs) = out else { panic!("{out:?}") };
    assert_eq!(cs.change_set_name, "first");
    assert!(cs.change_set_id.contains(":changeSet/first/"), "{}", cs.change_set_id);
    assert_eq!(cs.description.as_deref(), Some("by a client"));
    assert!(cs.template_path.is_some() && cs.parameters.contains_key("SubnetCidr"));
    assert_eq!(statuses(&a, "net"), ["REVIEW_IN_PROGRESS"]);

    let ex = start_change_set(&mut a, Some("net"), "first", None, &mut Quiet).expect("starts");
    assert!(ex.creating);
    assert_eq!(statuses(&a, "net"), ["REVIEW_IN_PROGRESS", "CREATE_IN_PROGRESS"]);
    let running =
        find_change_set(&a, Some("net"), "first", "DescribeChangeSet").map(|(_, c)| c.execution_status.clone());
    assert_eq!(running.ok().as_deref(), Some("EXECUTE_IN_PROGRESS"));

    let out = execute_started(&mut a, &ex, DeployOptions::default().service_timeout_ms, &mut Quiet);
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "CREATE_COMPLETE"), "{out:?}");
    // One CREATE_IN_PROGRESS: the walk does not record the start twice.
    assert_eq!(statuses(&a, "net"), ["REVIEW_IN_PROGRESS", "CREATE_IN_PROGRESS", "CREATE_COMPLETE"]);
    let (stack, cs) = find_change_set(&a, Some("net"), &ex.change_set_id, "DescribeChangeSet").expect("kept");
    assert_eq!(cs.execution_status, "EXECUTE_COMPLETE");
    assert_eq!(stack.tags.get("team").map(String::as_str), Some("core"), "the change set's tags are the stack's");

    let again = start_change_set(&mut a, Some("net"), "first", None, &mut Quiet).expect_err("executed already");
    assert!(matches!(again, EngineError::InvalidChangeSetStatus { .. }), "{again}");
    assert!(again.to_string().ends_with("cannot be executed in its current execution status of [EXECUTE_COMPLETE]"));
}

#[test]
fn an_empty_change_set_is_kept_failed_and_cannot_run() {
    let mut a = Account::default();
    engine::deploy(&mut a, &input("net", &[]), &DeployOptions::default(), &mut Quiet).expect("deploys");
    let out = engine::deploy(&mut a, &input("net", &[]), &request("same", "UPDATE"), &mut Quiet).expect("planned");
    assert!(matches!(out, Outcome::NoChanges { .. }), "{out:?}");
    let (_, cs) = find_change_set(&a, Some("net"), "same", "DescribeChangeSet").expect("kept");
    assert_eq!((cs.status.as_str(), cs.execution_status.as_str()), ("FAILED", "UNAVAILABLE"));
    assert_eq!(cs.status_reason.as_deref(), Some(NO_CHANGES));
    let e = start_change_set(&mut a, Some("net"), "same", None, &mut Quiet).expect_err("empty");
    assert!(e.to_string().ends_with("cannot be executed in its current status of [FAILED]"), "{e}");
    // A FAILED one gives way to a new change set of its name; one that can run does not.
    let out = engine::deploy(&mut a, &input("net", &[("WebPort", "81")]), &request("same", "UPDATE"), &mut Quiet);
    assert!(matches!(out, Ok(Outcome::ChangeSetCreated(_))), "{out:?}");
    let taken = engine::deploy(&mut a, &input("net", &[("WebPort", "82")]), &request("same", "UPDATE"), &mut Quiet);
    assert!(matches!(taken, Err(EngineError::AlreadyExists { .. })), "{taken:?}");
    assert_eq!(
        engine::find_stack(&a, "net").map(|s| s.change_sets.iter().filter(|c| c.change_set_name == "same").count()),
        Some(1)
    );
    delete_change_set(&mut a, Some("net"), "same").expect("deletes");
    assert!(find_change_set(&a, Some("net"), "same", "DescribeChangeSet").is_err());
    // A missing change set of a stack that exists deletes silently.
    delete_change_set(&mut a, Some("net"), "never").expect("nothing to delete");
}

#[test]
fn change_set_types_must_fit_the_stack() {
    let mut a = Account::default();
    let update = engine::deploy(&mut a, &input("net", &[]), &request("u", "UPDATE"), &mut Quiet);
    assert!(update.is_err_and(|e| e.to_string().ends_with("Stack [net] does not exist")));
    engine::deploy(&mut a, &input("net", &[]), &DeployOptions::default(), &mut Quiet).expect("deploys");
    let create = engine::deploy(&mut a, &input("net", &[]), &request("c", "CREATE"), &mut Quiet);
    assert!(create.is_err_and(|e| e.to_string().contains("already exists and cannot be created again")));
    let missing = find_change_set(&a, Some("net"), "nope", "DescribeChangeSet").expect_err("none");
    assert_eq!(missing.to_string().rsplit(": ").next(), Some("ChangeSet [nope] does not exist"));
    let no_stack = find_change_set(&a, None, "nope", "DescribeChangeSet").expect_err("needs a stack");
    assert!(no_stack.to_string().ends_with("StackName must be specified if ChangeSetName is not specified as an ARN."));
}

#[test]
fn a_delete_is_started_then_finished() {
    let mut a = Account::default();
    engine::deploy(&mut a, &input("net", &[]), &DeployOptions::default(), &mut Quiet).expect("deploys");
    let id = engine::start_delete(&mut a, "net", &mut Quiet).expect("starts").expect("a stack");
    assert_eq!(a.stacks[&id].stack_status, "DELETE_IN_PROGRESS");
    assert_eq!(engine::finish_delete(&mut a, &id, &mut Quiet).ok().as_deref(), Some("DELETE_COMPLETE"));
    let s = &a.stacks[&id];
    assert_eq!(
        s.events.iter().filter(|e| e.resource_status == "DELETE_IN_PROGRESS" && e.logical_resource_id == "net").count(),
        1
    );
    assert!(s.resources.is_empty() && s.change_sets.is_empty());
    assert_eq!(engine::start_delete(&mut a, "net", &mut Quiet).ok(), Some(None), "gone: nothing to delete");
}
