//! `tasknet account …` and where validate/plan take their account from.

mod common;

use common::*;
use std::path::Path;

fn tasknet(cwd: &Path, state: &Path, a: &[&str]) -> Run {
    run_in(cwd, state, &args(a))
}

/// The YAML without `#` comment lines (the first says where the account came from).
fn body(yaml: &str) -> String {
    yaml.lines().filter(|l| !l.starts_with('#')).map(|l| format!("{l}\n")).collect()
}

const SMALL: &str = "account_id: \"111122223333\"\nregion: us-east-1\ndefault_vpc: false\nvpcs:\n  - id: vpc-0a1b2c3d4e5f60718\n    cidr: 10.0.0.0/16\n";

#[test]
fn show_load_round_trip() {
    let st = state();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let shown = tasknet(dir.path(), st.path(), &["account", "show"]);
    assert_eq!(shown.code, Some(0), "{}", shown.all());
    assert!(shown.stdout.starts_with("# tasknet default account"), "{}", shown.stdout);
    assert!(shown.stdout.contains("account_id: \"123456789012\"\n"), "{}", shown.stdout);
    assert!(!st.path().join("account.db").exists(), "show never creates the store");

    std::fs::write(dir.path().join("account.yml"), &shown.stdout).unwrap_or_else(|e| panic!("{e}"));
    let load = tasknet(dir.path(), st.path(), &["account", "load", "account.yml"]);
    assert_eq!(load.code, Some(0), "{}", load.all());
    assert!(load.stdout.starts_with("stored the account file account.yml: account 123456789012"), "{}", load.stdout);
    assert!(st.path().join("account.db").is_file());

    let again = tasknet(dir.path(), st.path(), &["account", "show"]);
    assert!(again.stdout.starts_with("# tasknet account from the store"), "{}", again.stdout);
    assert_eq!(body(&again.stdout), body(&shown.stdout), "show → load → show gives the same account");

    // The JSON form loads too (YAML reads JSON) and is the same account.
    let json = tasknet(dir.path(), st.path(), &["account", "show", "--output", "json"]);
    assert_eq!(json.json()["account_id"], "123456789012");
    std::fs::write(dir.path().join("account.json"), &json.stdout).unwrap_or_else(|e| panic!("{e}"));
    let load = tasknet(dir.path(), st.path(), &["account", "load", "account.json"]);
    assert!(
        load.stdout.starts_with("replaced the stored account with the account file account.json"),
        "{}",
        load.all()
    );
    assert_eq!(body(&tasknet(dir.path(), st.path(), &["account", "show"]).stdout), body(&shown.stdout));
}

#[test]
fn validate_uses_the_stored_account_and_reset_restores_the_default() {
    let st = state();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("small.yml"), SMALL).unwrap_or_else(|e| panic!("{e}"));
    let load = tasknet(dir.path(), st.path(), &["account", "load", "small.yml"]);
    assert_eq!(load.code, Some(0), "{}", load.all());

    // dev.cfg names the default VPC, which this account does not have.
    let stack = todobackend().join("stack.yml").to_string_lossy().into_owned();
    let mut a = args(&["validate", "--template-file", &stack, "--output", "json", "--parameter-overrides"]);
    a.extend(dev_cfg());
    let run = run_in(dir.path(), st.path(), &a);
    assert_eq!(run.code, Some(1), "{}", run.all());
    let before = std::fs::read(st.path().join("account.db")).unwrap_or_default();

    let reset = tasknet(dir.path(), st.path(), &["account", "reset"]);
    assert!(reset.stdout.starts_with("replaced the stored account with the default account"), "{}", reset.all());
    let run = run_in(dir.path(), st.path(), &a);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert_ne!(before, std::fs::read(st.path().join("account.db")).unwrap_or_default());
}

#[test]
fn account_file_overrides_the_store_and_writes_nothing() {
    let st = state();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("small.yml"), SMALL).unwrap_or_else(|e| panic!("{e}"));
    let stack = todobackend().join("stack.yml").to_string_lossy().into_owned();
    let mut a = args(&["--account-file", "small.yml", "validate", "--template-file", &stack, "--parameter-overrides"]);
    a.extend(dev_cfg());
    let run = run_in(dir.path(), st.path(), &a);
    assert_eq!(run.code, Some(1), "{}", run.all());
    assert!(run.stdout.contains("vpc-29dfe4a7038bd6bde") || run.stdout.contains("VpcId"), "{}", run.all());
    assert!(!st.path().join("account.db").exists(), "validate never writes the store");

    let shown = tasknet(dir.path(), st.path(), &["--account-file", "small.yml", "account", "show"]);
    assert!(shown.stdout.contains("account_id: \"111122223333\""), "{}", shown.all());
    let refused = tasknet(dir.path(), st.path(), &["--account-file", "small.yml", "account", "reset"]);
    assert_eq!(refused.code, Some(2), "{}", refused.all());
    assert!(!st.path().join("account.db").exists());
}

#[test]
fn bad_account_files_exit_2() {
    let st = state();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("bad.yml"), "vpcs:\n  - id: vpc-0a1b2c3d4e5f60718\n    cidr: 10.0.0.0/99\n")
        .unwrap_or_else(|e| panic!("{e}"));
    for a in [
        &["account", "load", "bad.yml"][..],
        &["--account-file", "bad.yml", "account", "show"],
        &["account", "load", "missing.yml"],
    ] {
        let run = tasknet(dir.path(), st.path(), a);
        assert_eq!(run.code, Some(2), "{a:?}: {}", run.all());
        assert!(run.stderr.starts_with("error: "), "{a:?}: {}", run.all());
    }
    assert!(!st.path().join("account.db").exists(), "a failed load stores nothing");
}

#[test]
fn import_replaces_the_account() {
    let st = state();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let describe = dir.path().join("describe");
    std::fs::create_dir(&describe).unwrap_or_else(|e| panic!("{e}"));
    let vpcs = r#"{"Vpcs": [{"CidrBlock": "10.1.0.0/16", "VpcId": "vpc-0aaaabbbbccccdddd", "State": "available", "IsDefault": false, "OwnerId": "444455556666"}]}"#;
    std::fs::write(describe.join("vpcs.json"), vpcs).unwrap_or_else(|e| panic!("{e}"));
    let run = tasknet(dir.path(), st.path(), &["account", "import", "describe"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(
        run.stdout.starts_with("stored the account imported from describe: account 444455556666"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("  used vpcs.json: Vpcs\n"), "{}", run.stdout);
    let shown = tasknet(dir.path(), st.path(), &["account", "show"]);
    assert!(shown.stdout.contains("id: vpc-0aaaabbbbccccdddd"), "{}", shown.stdout);

    std::fs::write(describe.join("broken.json"), "{").unwrap_or_else(|e| panic!("{e}"));
    let run = tasknet(dir.path(), st.path(), &["account", "import", "describe"]);
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(run.stderr.contains("broken.json"), "{}", run.all());
}

#[test]
fn state_dir_flag_beats_the_environment() {
    let env_state = state();
    let flag_state = state();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let flag = flag_state.path().to_string_lossy().into_owned();
    let run = tasknet(dir.path(), env_state.path(), &["account", "reset", "--state-dir", &flag]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(flag_state.path().join("account.db").is_file());
    assert!(!env_state.path().join("account.db").exists());
}
