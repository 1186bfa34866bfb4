//! The exact text rendering of a few diagnostics, reviewed and kept as
//! insta snapshots (`tests/snapshots/`).

mod common;

use common::*;

#[test]
fn target_group_instance_type() {
    let run = validate_todobackend("broken/target-group-instance-type.yml", &[]);
    assert_eq!(run.code, Some(1));
    insta::assert_snapshot!("tn2004_target_group_instance_type", run.stdout);
}

#[test]
fn unsupported_property() {
    let run = validate_todobackend("broken/unsupported-property-retention.yml", &[]);
    assert_eq!(run.code, Some(1));
    insta::assert_snapshot!("tn1004_unsupported_property", run.stdout);
}

#[test]
fn load_error_with_snippet() {
    let st = state();
    let run = run_in(&bad_input(), st.path(), &args(&["validate", "--template-file", "syntax-error.yml"]));
    assert_eq!(run.code, Some(2));
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!("load_error_syntax", run.stderr);
}

#[test]
fn parameters_file_error() {
    let st = state();
    let stack = todobackend().join("stack.yml").to_string_lossy().into_owned();
    let run = run_in(
        &bad_input(),
        st.path(),
        &args(&["validate", "--template-file", &stack, "--parameters", "file://bad-entry.params.json"]),
    );
    assert_eq!(run.code, Some(2));
    insta::assert_snapshot!("parameters_file_error", run.stderr);
}
