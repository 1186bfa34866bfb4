use super::*;
use crate::Account;

fn create(a: &mut Account, name: &str, value: &str) -> SecretWritten {
    let req =
        CreateSecret { name: name.into(), value: Some(SecretValue::String(value.into())), ..CreateSecret::default() };
    a.create_secret(&req).expect("created")
}

fn current(a: &Account, id: &str) -> String {
    match &a.get_secret_value(id, None, None).expect("value").1.value {
        SecretValue::String(s) => s.clone(),
        SecretValue::Binary(_) => panic!("binary"),
    }
}

#[test]
fn secrets_are_found_by_name_arn_and_partial_arn() {
    let mut a = Account::default();
    let w = create(&mut a, "todobackend/credentials", r#"{"MYSQL_PASSWORD":"p"}"#);
    let prefix = "arn:aws:secretsmanager:us-east-1:123456789012:secret:todobackend/credentials-";
    assert!(w.arn.starts_with(prefix) && w.arn.len() == prefix.len() + 6, "{}", w.arn);
    let partial = &w.arn[..w.arn.len() - 7];
    for id in ["todobackend/credentials", w.arn.as_str(), partial] {
        assert_eq!(current(&a, id), r#"{"MYSQL_PASSWORD":"p"}"#, "{id}");
    }
    let e = a.get_secret_value("nope", None, None).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
    );
    let e = a
        .create_secret(&CreateSecret { name: "todobackend/credentials".into(), ..CreateSecret::default() })
        .unwrap_err();
    assert_eq!(e.code, "ResourceExistsException");
    assert_eq!(e.message, "The operation failed because the secret todobackend/credentials already exists.");
    assert_eq!(
        a.create_secret(&CreateSecret { name: "bad name".into(), ..CreateSecret::default() }).unwrap_err().code,
        "InvalidParameterException"
    );
}

#[test]
fn staging_labels_move_as_aws_moves_them() {
    let mut a = Account::default();
    let v1 = create(&mut a, "s", "one").version_id.expect("v1");
    let v2 = a.put_secret_value("s", SecretValue::String("two".into()), None, &[]).expect("v2").version_id.expect("id");
    let v3 =
        a.put_secret_value("s", SecretValue::String("three".into()), None, &[]).expect("v3").version_id.expect("id");
    let s = a.secret("s").expect("secret");
    let stages =
        |id: &str| s.versions.iter().find(|v| v.version_id == id).map(|v| v.version_stages.clone()).unwrap_or_default();
    assert_eq!(stages(&v3), [AWSCURRENT]);
    assert_eq!(stages(&v2), [AWSPREVIOUS]);
    assert!(stages(&v1).is_empty());
    assert_eq!(current(&a, "s"), "three");
    // A pending version does not move AWSCURRENT.
    let pending = a.put_secret_value("s", SecretValue::String("four".into()), None, &["AWSPENDING".into()]).expect("p");
    assert_eq!(current(&a, "s"), "three");
    let (_, v) = a.get_secret_value("s", None, Some("AWSPENDING")).expect("pending");
    assert_eq!(Some(v.version_id.clone()), pending.version_id);
    let (_, v) = a.get_secret_value("s", Some(&v1), None).expect("by id");
    assert_eq!(v.value, SecretValue::String("one".into()));
    assert_eq!(a.get_secret_value("s", None, Some("NOPE")).unwrap_err().code, "ResourceNotFoundException");
    assert_eq!(a.get_secret_value("s", Some(&v1), Some(AWSCURRENT)).unwrap_err().code, "InvalidRequestException");
}

#[test]
fn client_request_tokens_make_retries_idempotent() {
    let mut a = Account::default();
    create(&mut a, "s", "one");
    let token = "11111111-2222-3333-4444-555555555555";
    let first = a.put_secret_value("s", SecretValue::String("x".into()), Some(token), &[]).expect("first");
    let again = a.put_secret_value("s", SecretValue::String("x".into()), Some(token), &[]).expect("retry");
    assert_eq!(first, again);
    assert_eq!(a.secret("s").map(|s| s.versions.len()), Ok(2));
    let e = a.put_secret_value("s", SecretValue::String("y".into()), Some(token), &[]).unwrap_err();
    assert_eq!(e.code, "ResourceExistsException");
    assert_eq!(
        a.put_secret_value("s", SecretValue::String("y".into()), Some("short"), &[]).unwrap_err().code,
        "InvalidParameterException"
    );
}

#[test]
fn deleted_secrets_wait_out_their_window_and_can_be_restored() {
    let mut a = Account::default();
    create(&mut a, "s", "one");
    let (_, _, when) = a.delete_secret("s", None, false).expect("deleted");
    assert_eq!(when, a.clock_ms + 30 * DAY_MS);
    let e = a.get_secret_value("s", None, None).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "InvalidRequestException",
            "You can't perform this operation on the secret because it was marked for deletion."
        )
    );
    assert_eq!(
        a.put_secret_value("s", SecretValue::String("2".into()), None, &[]).unwrap_err().code,
        "InvalidRequestException"
    );
    let e = a.create_secret(&CreateSecret { name: "s".into(), ..CreateSecret::default() }).unwrap_err();
    assert_eq!(e.code, "InvalidRequestException");
    assert!(a.list_secrets(&[], false, None).expect("list").is_empty());
    assert_eq!(a.list_secrets(&[], true, None).expect("list").len(), 1);
    a.restore_secret("s").expect("restored");
    assert_eq!(current(&a, "s"), "one");
    assert_eq!(a.delete_secret("s", Some(3), false).unwrap_err().code, "InvalidParameterException");
    assert_eq!(a.delete_secret("s", Some(7), true).unwrap_err().code, "InvalidParameterException");
    a.delete_secret("s", Some(7), false).expect("deleted");
    a.clock_ms += 7 * DAY_MS;
    assert_eq!(a.secret("s").unwrap_err().code, "ResourceNotFoundException");
    create(&mut a, "s", "again");
    a.delete_secret("s", None, true).expect("forced");
    assert!(a.secret("s").is_err());
    // A forced deletion of a secret that does not exist is not an error.
    assert!(a.delete_secret("never", None, true).is_ok());
    assert_eq!(a.delete_secret("never", None, false).unwrap_err().code, "ResourceNotFoundException");
}

#[test]
fn filters_match_prefixes_tags_and_negations() {
    let mut a = Account::default();
    for name in ["app/db", "app/api", "other"] {
        create(&mut a, name, "v");
        a.clock_ms += 1000;
    }
    a.tag_secret("other", &[("team".into(), "Blue".into())]).expect("tagged");
    fn names(a: &Account, f: &[SecretFilter], order: Option<&str>) -> Vec<String> {
        a.list_secrets(f, false, order).expect("list").iter().map(|s| s.name.clone()).collect()
    }
    let f = |k: &str, v: &str| SecretFilter { key: k.into(), values: vec![v.into()] };
    assert_eq!(names(&a, &[f("name", "app/")], None), ["app/db", "app/api"]);
    assert_eq!(names(&a, &[f("name", "!app/")], None), ["other"]);
    assert_eq!(names(&a, &[f("tag-value", "Blue")], None), ["other"]);
    assert!(names(&a, &[f("tag-value", "blue")], None).is_empty());
    assert_eq!(names(&a, &[f("all", "API")], None), ["app/api"]);
    assert_eq!(names(&a, &[], Some("desc")), ["other", "app/api", "app/db"]);
    assert_eq!(a.list_secrets(&[f("colour", "x")], false, None).unwrap_err().code, "InvalidParameterException");
    a.untag_secret("other", &["team".into()]).expect("untagged");
    assert!(names(&a, &[f("tag-key", "team")], None).is_empty());
}

#[test]
fn generated_secret_strings_fill_the_template() {
    let mut a = Account::default();
    let spec = GenerateSecretString {
        password: crate::password::PasswordRequest {
            password_length: Some(20),
            exclude_punctuation: true,
            ..Default::default()
        },
        secret_string_template: Some(r#"{"username":"todo"}"#.into()),
        generate_string_key: Some("MYSQL_PASSWORD".into()),
    };
    let text = a.generate_secret_string(&spec).expect("generated");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(doc["username"], "todo");
    let pw = doc["MYSQL_PASSWORD"].as_str().expect("password");
    assert!(pw.len() == 20 && pw.chars().all(|c| c.is_ascii_alphanumeric()), "{pw}");
    let half = GenerateSecretString { generate_string_key: None, ..spec.clone() };
    assert_eq!(a.generate_secret_string(&half).unwrap_err().code, "InvalidParameterException");
    let not_object = GenerateSecretString { secret_string_template: Some("[1]".into()), ..spec };
    assert!(a.generate_secret_string(&not_object).is_err());
}
