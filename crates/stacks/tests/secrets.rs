//! KMS keys and aliases, Secrets Manager secrets and dynamic references
//! through a template: planned into a scratch account (the book's case: a
//! generated secret read by the database's MasterUserPassword), deployed,
//! updated and deleted, with the resolved values kept out of the stack's
//! record and events.

use account::{Account, SecretValue};
use stacks::engine::{self, events::Quiet, DeployOptions, Outcome};
use stacks::StackInput;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/secrets").join(name)
}

fn input(file: &str, stack: &str, overrides: &[(&str, &str)]) -> StackInput {
    StackInput {
        template_path: fixture(file),
        stack_name: stack.into(),
        overrides: overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..StackInput::default()
    }
}

/// The generated password of `name` in `a`.
fn password(a: &Account, name: &str) -> String {
    let (_, v) = a.get_secret_value(name, None, None).expect("secret value");
    let SecretValue::String(text) = &v.value else { panic!("binary secret") };
    let doc: serde_json::Value = serde_json::from_str(text).expect("JSON secret");
    assert_eq!(doc["MYSQL_USER"], "todobackend");
    doc["MYSQL_PASSWORD"].as_str().expect("password").to_string()
}

#[test]
fn a_plan_resolves_the_secret_the_template_creates() {
    let analysis = stacks::analyze(&input("stack.yml", "todo", &[]), &Account::default()).expect("analyzed");
    assert!(!analysis.has_errors(), "{:#?}", analysis.diagnostics);
    let a = &analysis.plan.account;
    let pw = password(a, "todo/credentials");
    assert_eq!(pw.chars().count(), 24);
    assert!(!pw.contains(['"', '@', '/', '\\']), "{pw}");
    assert_eq!(a.ssm_parameter("/todo/password-copy").map(|p| p.value.clone()), Some(pw.clone()));
    let db = a.db_instances.values().next().expect("database");
    assert_eq!(db.master_user_password.as_deref(), Some(pw.as_str()));
    assert_eq!(db.master_username.as_deref(), Some("todobackend"));
    let secret = a.secret("todo/credentials").expect("secret");
    let key = a.kms_key("alias/todo/secrets").expect("alias names the key");
    assert_eq!(secret.kms_key_id.as_deref(), Some(key.key_id.as_str()));
    assert!(key.key_rotation_enabled);
    // The plan's listing never shows the value.
    for r in &analysis.plan.resources {
        assert!(r.details.iter().all(|(_, d)| !d.contains(&pw)), "{r:?}");
    }
}

#[test]
fn references_to_what_does_not_exist_are_findings() {
    let analysis = stacks::analyze(&input("missing.yml", "m", &[]), &Account::default()).expect("analyzed");
    let found: Vec<(&str, &str)> = analysis.diagnostics.iter().map(|d| (d.code, d.message.as_str())).collect();
    assert_eq!(
        found,
        [
            ("TN4010", "Secrets Manager can't find the specified secret. (Service: AWSSecretsManager; Status Code: 400; Error Code: ResourceNotFoundException)"),
            ("TN4010", "Parameters: [ssm:/not/there] cannot be found."),
            ("TN4010", "Dynamic references to secure values (ssm-secure) are not supported in custom resources."),
        ]
    );
    assert_eq!(analysis.diagnostics[0].pos.map(|p| p.line), Some(7));
}

#[test]
fn a_secret_made_later_without_a_dependency_is_named_in_the_hint() {
    let analysis = stacks::analyze(&input("unordered.yml", "u", &[]), &Account::default()).expect("analyzed");
    let errors: Vec<_> = analysis.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].resource.as_deref(), Some("Copy"));
    assert!(errors[0].hint.as_deref().is_some_and(|h| h.contains("DependsOn: Secret")), "{:?}", errors[0].hint);
    let a = &analysis.plan.account;
    let ordered = a.ssm_parameters.values().find(|p| p.value == "one");
    assert!(ordered.is_some(), "the DependsOn one reads the value");
}

#[test]
fn deploy_keeps_resolved_values_out_of_the_record_and_cleans_up() {
    let mut a = Account::default();
    let out = engine::deploy(&mut a, &input("stack.yml", "todo", &[]), &DeployOptions::default(), &mut Quiet)
        .expect("deploys");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "CREATE_COMPLETE"), "{out:?}");
    let pw = password(&a, "todo/credentials");
    let db = a.db_instances.values().next().expect("database");
    assert_eq!(db.master_user_password.as_deref(), Some(pw.as_str()));
    let stack = engine::find_stack(&a, "todo").expect("stack").clone();
    let record = serde_json::to_string(&stack).expect("json");
    assert!(!record.contains(&pw), "the stack's record holds the password");
    assert!(record.contains("{{resolve:secretsmanager:"), "the template's text stays as written");
    let arn = stack.resource("ApplicationSecret").and_then(|r| r.physical_resource_id.clone()).expect("arn");
    assert!(arn.starts_with("arn:aws:secretsmanager:us-east-1:123456789012:secret:todo/credentials-"), "{arn}");
    let version = a.get_secret_value(&arn, None, None).expect("value").1.version_id.clone();

    // Deployed again unchanged: nothing to do (a reference's value is not compared, as in CloudFormation).
    let again = engine::deploy(&mut a, &input("stack.yml", "todo", &[]), &DeployOptions::default(), &mut Quiet);
    assert!(matches!(again, Ok(Outcome::NoChanges { .. })), "{again:?}");

    // An in-place update (the description) keeps the ARN and the password.
    let out = engine::deploy(
        &mut a,
        &input("stack.yml", "todo", &[("Description", "changed")]),
        &DeployOptions::default(),
        &mut Quiet,
    )
    .expect("updates");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "UPDATE_COMPLETE"), "{out:?}");
    let s = a.secret(&arn).expect("same secret");
    assert_eq!(s.description.as_deref(), Some("changed"));
    assert_eq!(a.get_secret_value(&arn, None, None).map(|(_, v)| v.version_id.clone()), Ok(version.clone()));
    assert_eq!(a.secrets.len(), 1);

    // A new GenerateSecretString makes a new AWSCURRENT version; the old one becomes AWSPREVIOUS.
    let longer = [("Description", "changed"), ("PasswordLength", "30")];
    let out = engine::deploy(&mut a, &input("stack.yml", "todo", &longer), &DeployOptions::default(), &mut Quiet)
        .expect("regenerates");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "UPDATE_COMPLETE"), "{out:?}");
    let new_pw = password(&a, "todo/credentials");
    assert_eq!(new_pw.chars().count(), 30);
    let (_, previous) = a.get_secret_value(&arn, None, Some("AWSPREVIOUS")).expect("previous");
    assert_eq!(previous.version_id, version);

    // Delete: the secret goes at once, the key waits out its window, the alias and parameter go.
    let key = stack.resource("SecretsKey").and_then(|r| r.physical_resource_id.clone()).expect("key");
    engine::delete_stack(&mut a, "todo", &mut Quiet).expect("deletes");
    assert!(a.secret("todo/credentials").is_err());
    assert!(a.kms_aliases.is_empty());
    assert_eq!(a.kms_keys.get(&key).map(|k| k.key_state), Some(account::KeyState::PendingDeletion));
    assert!(a.ssm_parameter("/todo/password-copy").is_none());
    // A new stack of the same name can make the secret again (no recovery window blocks it).
    let out = engine::deploy(&mut a, &input("stack.yml", "todo", &[]), &DeployOptions::default(), &mut Quiet)
        .expect("deploys again");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "CREATE_COMPLETE"), "{out:?}");
}

#[test]
fn a_deploy_whose_reference_fails_rolls_back_with_the_reason() {
    let mut a = Account::default();
    let out =
        engine::deploy(&mut a, &input("missing.yml", "m", &[]), &DeployOptions::default(), &mut Quiet).expect("runs");
    let Outcome::Failed { status, .. } = &out else { panic!("{out:?}") };
    assert_eq!(status, "ROLLBACK_COMPLETE");
    let stack = engine::find_stack(&a, "m").expect("stack");
    let failed = stack.events.iter().find(|e| e.resource_status == "CREATE_FAILED").expect("a failed resource");
    assert_eq!(
        failed.resource_status_reason.as_deref(),
        Some("Secrets Manager can't find the specified secret. (Service: AWSSecretsManager; Status Code: 400; Error Code: ResourceNotFoundException)")
    );
    assert!(a.ssm_parameters.keys().all(|k| !k.starts_with("m-")), "rolled back");
}
