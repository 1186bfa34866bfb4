//! Stacks and the account's S3: a nested stack's template read from a
//! bucket (TemplateURL in the forms templates write), `AWS::S3::Bucket` as a
//! real bucket that is deleted only when empty, and a nested template that
//! is not there failing its resource.

use account::Account;
use stacks::engine::{self, events::Quiet, DeployOptions, Outcome};
use stacks::StackInput;
use std::path::PathBuf;

const CHILD: &str = "Resources:\n  Param:\n    Type: AWS::SSM::Parameter\n    Properties: {Name: /child/p, Type: String, Value: v}\nOutputs:\n  Name: {Value: !Ref Param}\n";

/// A template file under the system's temporary folder, named for the test.
fn template(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tasknet-stacks-s3-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn input(path: PathBuf, stack: &str) -> StackInput {
    StackInput { template_path: path, stack_name: stack.into(), ..StackInput::default() }
}

#[test]
fn a_nested_template_from_s3_and_a_bucket_of_the_stack() {
    let mut a = Account::default();
    a.create_bucket("templates-bucket", None).unwrap_or_else(|e| panic!("{e}"));
    a.put_object("templates-bucket", "nested/child.yaml", CHILD.as_bytes().to_vec(), Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let parent = template(
        "parent.yaml",
        "Resources:\n  Store:\n    Type: AWS::S3::Bucket\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://templates-bucket.s3.us-east-1.amazonaws.com/nested/child.yaml\nOutputs:\n  Bucket: {Value: !Ref Store}\n  Arn: {Value: !GetAtt Store.Arn}\n  Child: {Value: !GetAtt Child.Outputs.Name}\n",
    );
    let out = engine::deploy(&mut a, &input(parent, "withs3"), &DeployOptions::default(), &mut Quiet);
    assert!(matches!(out, Ok(Outcome::Complete { .. })), "{out:?}");
    let stack = engine::find_stack(&a, "withs3").expect("stack").clone();
    let output = |k: &str| stack.outputs.iter().find(|o| o.output_key == k).map(|o| o.output_value.clone());
    let bucket = output("Bucket").expect("bucket output");
    assert!(bucket.starts_with("withs3-store-") && bucket == bucket.to_ascii_lowercase(), "{bucket}");
    assert_eq!(output("Arn"), Some(format!("arn:aws:s3:::{bucket}")));
    assert_eq!(output("Child").as_deref(), Some("/child/p"));
    assert!(a.head_bucket(&bucket).is_ok());
    // Not empty: the delete fails on the bucket, with S3's text.
    a.put_object(&bucket, "k", b"x".to_vec(), Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let out = engine::delete_stack(&mut a, "withs3", &mut Quiet).expect("runs");
    assert!(matches!(&out, Some(Outcome::Failed { status, .. }) if status == "DELETE_FAILED"), "{out:?}");
    let stack = engine::find_stack(&a, "withs3").expect("still there");
    let reason = stack
        .resources
        .iter()
        .find(|r| r.logical_resource_id == "Store")
        .and_then(|r| r.resource_status_reason.clone());
    assert!(reason.is_some_and(|r| r.starts_with("The bucket you tried to delete is not empty")));
    a.delete_object(&bucket, "k").unwrap_or_else(|e| panic!("{e}"));
    let out = engine::delete_stack(&mut a, "withs3", &mut Quiet).expect("runs");
    assert!(matches!(out, Some(Outcome::Complete { .. })), "{out:?}");
    assert!(a.head_bucket(&bucket).is_err());
}

#[test]
fn a_nested_template_missing_from_s3_fails_its_resource() {
    let mut a = Account::default();
    a.create_bucket("empty-templates", None).unwrap_or_else(|e| panic!("{e}"));
    let parent = template(
        "orphan.yaml",
        "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://s3.amazonaws.com/empty-templates/absent.yaml\n",
    );
    let out = engine::deploy(&mut a, &input(parent, "orphan"), &DeployOptions::default(), &mut Quiet);
    let Ok(Outcome::Failed { status, .. }) = &out else { panic!("{out:?}") };
    assert_eq!(status, "ROLLBACK_COMPLETE");
    let stack = engine::find_stack(&a, "orphan").expect("stack");
    let failed = stack.events.iter().find(|e| e.logical_resource_id == "Child" && e.resource_status == "CREATE_FAILED");
    let reason = failed.and_then(|e| e.resource_status_reason.clone()).unwrap_or_default();
    assert!(reason.starts_with("S3 error: The specified key does not exist."), "{reason}");
}
