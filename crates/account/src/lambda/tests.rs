use super::*;
use crate::AwsError;

const ROLE: &str = "arn:aws:iam::123456789012:role/fn-role";

/// A tiny zip's bytes: an empty archive (end-of-central-directory only).
fn empty_zip_b64() -> String {
    let mut z = b"PK\x05\x06".to_vec();
    z.extend_from_slice(&[0; 18]);
    base64::engine::general_purpose::STANDARD.encode(z)
}

fn input(name: &str, runtime: &str) -> CreateFunction {
    CreateFunction {
        function_name: name.into(),
        runtime: Some(runtime.into()),
        role: ROLE.into(),
        handler: Some("index.handler".into()),
        code: Some(FunctionCode::Inline { source: "def handler(e, c):\n    return 1\n".into() }),
        ..CreateFunction::default()
    }
}

#[test]
fn create_sets_lambdas_defaults_and_refuses_a_second() {
    let mut a = Account::default();
    let f = a.create_function(input("hello", "python3.12"), false).expect("created");
    assert_eq!(f.function_arn, "arn:aws:lambda:us-east-1:123456789012:function:hello");
    assert_eq!((f.timeout, f.memory_size), (3, 128));
    assert_eq!(f.architectures, vec!["x86_64".to_string()]);
    assert_eq!(f.state, FunctionState::Active);
    assert_eq!(f.code_sha256.len(), 44);
    assert_eq!(last_modified_text(f.last_modified_ms), "2026-01-01T00:00:00.000+0000");
    let e = a.create_function(input("hello", "python3.12"), false).unwrap_err();
    assert_eq!((e.code.as_str(), e.message.as_str()), ("ResourceConflictException", "Function already exist: hello"));
    assert_eq!(e.http_status(), 409);
}

#[test]
fn functions_are_found_by_name_arn_partial_arn_and_latest() {
    let mut a = Account::default();
    a.create_function(input("f1", "python3.12"), false).expect("created");
    for given in [
        "f1",
        "f1:$LATEST",
        "123456789012:function:f1",
        "arn:aws:lambda:us-east-1:123456789012:function:f1",
        "arn:aws:lambda:us-east-1:123456789012:function:f1:$LATEST",
    ] {
        assert_eq!(a.function(given).map(|f| f.function_name.as_str()), Ok("f1"), "{given}");
    }
    let e = a.function("nope").unwrap_err();
    assert_eq!(e.message, "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope");
    assert_eq!(e.http_status(), 404);
    let e = a.function("f1:v2").unwrap_err();
    assert_eq!(e.message, "Function not found: arn:aws:lambda:us-east-1:123456789012:function:f1:v2");
    assert_eq!(a.function("bad name").unwrap_err().code, "ValidationException");
}

#[test]
fn blocked_runtimes_are_refused_unless_allowed() {
    let mut a = Account::default();
    let e = a.create_function(input("old", "python3.6"), false).unwrap_err();
    assert_eq!(e.code, "InvalidParameterValueException");
    assert_eq!(e.message, "The runtime parameter of python3.6 is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (python3.14) while creating or updating functions.");
    assert!(a.functions.is_empty());
    let f = a.create_function(input("old", "python3.6"), true).expect("allowed");
    assert!(f.deprecated_runtime_allowed);
    // Past its block-update date too: updates need the same permission.
    let code = FunctionCode::Inline { source: "x".into() };
    assert_eq!(a.update_function_code("old", code.clone(), false).unwrap_err().code, "InvalidParameterValueException");
    assert!(a.update_function_code("old", code, true).is_ok());
    // python3.9 can still be created in 2026 (blocked from 2027-02-01).
    assert!(a.create_function(input("nine", "python3.9"), false).is_ok());
}

#[test]
fn inputs_are_checked_with_lambdas_texts() {
    let mut a = Account::default();
    let mut i = input("t", "python3.12");
    i.timeout = Some(901);
    let e = a.create_function(i, false).unwrap_err();
    assert_eq!(e.message, "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900");
    let mut i = input("t", "python3.12");
    i.role = "not-a-role".into();
    assert_eq!(a.create_function(i, false).unwrap_err().code, "ValidationException");
    let mut i = input("t", "python3.12");
    i.code = Some(FunctionCode::Zip { zip_base64: base64::engine::general_purpose::STANDARD.encode(b"hello") });
    let e = a.create_function(i, false).unwrap_err();
    assert_eq!(e.message, "Could not unzip uploaded file. Please check your file, then try to upload again.");
    let mut i = input("t", "python3.12");
    i.code = Some(FunctionCode::Zip { zip_base64: empty_zip_b64() });
    assert_eq!(a.create_function(i, false).map(|f| f.code_size), Ok(22));
}

#[test]
fn updates_change_what_they_name_and_delete_forgets() {
    let mut a = Account::default();
    let before = a.create_function(input("u", "python3.12"), false).expect("created");
    let update = ConfigurationUpdate {
        timeout: Some(30),
        environment: Some(BTreeMap::from([("A".into(), "1".into())])),
        ..ConfigurationUpdate::default()
    };
    let after = a.update_function_configuration("u", update, false).expect("updated");
    assert_eq!((after.timeout, after.memory_size), (30, 128));
    assert_eq!(after.environment["A"], "1");
    assert_ne!(after.revision_id, before.revision_id);
    let code = a.update_function_code("u", FunctionCode::Inline { source: "other".into() }, false).expect("code");
    assert_ne!(code.code_sha256, before.code_sha256);
    assert_eq!(a.list_functions().len(), 1);
    assert!(a.delete_function("u").is_ok());
    assert_eq!(a.delete_function("u").unwrap_err().code, "ResourceNotFoundException");
}
