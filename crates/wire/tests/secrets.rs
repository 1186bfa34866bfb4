//! Secrets Manager, KMS and SSM SecureString through the server's own entry
//! point with requests signed as botocore signs them: members, codes,
//! statuses and texts.

mod support;

use serde_json::{json, Value};
use std::sync::Arc;
use wire::server::State;

fn call(s: &Arc<State>, target: &str, service: &str, body: Value) -> (u16, Value) {
    let res = support::json(s, target, service, &body.to_string());
    (res.status, serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body)))
}

fn sm(s: &Arc<State>, op: &str, body: Value) -> (u16, Value) {
    call(s, &format!("secretsmanager.{op}"), "secretsmanager", body)
}

fn kms(s: &Arc<State>, op: &str, body: Value) -> (u16, Value) {
    call(s, &format!("TrentService.{op}"), "kms", body)
}

#[test]
fn secrets_versions_and_errors() {
    let (s, _folder) = support::server("secrets");
    let (status, out) = sm(
        &s,
        "CreateSecret",
        json!({"Name": "todobackend/credentials", "SecretString": "{\"MYSQL_PASSWORD\":\"a\"}"}),
    );
    assert_eq!(status, 200, "{out}");
    let arn = out["ARN"].as_str().expect("arn").to_string();
    assert!(arn.starts_with("arn:aws:secretsmanager:us-east-1:123456789012:secret:todobackend/credentials-"), "{arn}");
    let v1 = out["VersionId"].as_str().expect("version").to_string();
    let (_, out) = sm(&s, "PutSecretValue", json!({"SecretId": arn, "SecretString": "b"}));
    assert_eq!(out["VersionStages"], json!(["AWSCURRENT"]));
    let (_, out) =
        sm(&s, "GetSecretValue", json!({"SecretId": "todobackend/credentials", "VersionStage": "AWSPREVIOUS"}));
    assert_eq!(
        (out["VersionId"].as_str(), out["SecretString"].as_str()),
        (Some(v1.as_str()), Some("{\"MYSQL_PASSWORD\":\"a\"}"))
    );
    assert!(out["CreatedDate"].is_number(), "{out}");
    let (_, out) = sm(&s, "DescribeSecret", json!({"SecretId": arn}));
    assert_eq!(out["VersionIdsToStages"][&v1], json!(["AWSPREVIOUS"]));
    let (status, out) = sm(&s, "CreateSecret", json!({"Name": "todobackend/credentials"}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("ResourceExistsException")));
    assert_eq!(out["message"], "The operation failed because the secret todobackend/credentials already exists.");
    let (status, out) = sm(&s, "GetSecretValue", json!({"SecretId": "nope"}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("ResourceNotFoundException")));
    assert_eq!(out["message"], "Secrets Manager can't find the specified secret.");
    // Binary values travel as base64.
    let (_, _) = sm(&s, "CreateSecret", json!({"Name": "bin", "SecretBinary": "AAEC"}));
    let (_, out) = sm(&s, "GetSecretValue", json!({"SecretId": "bin"}));
    assert_eq!((out["SecretBinary"].as_str(), out.get("SecretString")), (Some("AAEC"), None));
    let (_, first) = sm(&s, "ListSecrets", json!({"MaxResults": 1}));
    assert_eq!(first["SecretList"].as_array().map(Vec::len), Some(1));
    let token = first["NextToken"].as_str().expect("next").to_string();
    let (_, second) = sm(&s, "ListSecrets", json!({"NextToken": token}));
    assert!(second.get("NextToken").is_none(), "{second}");
    let mut names = [first["SecretList"][0]["Name"].clone(), second["SecretList"][0]["Name"].clone()];
    names.sort_by_key(|n| n.to_string());
    assert_eq!(names, [json!("bin"), json!("todobackend/credentials")]);
    assert!(second["SecretList"][0]["SecretVersionsToStages"].is_object(), "{second}");
    let (_, out) = sm(&s, "DeleteSecret", json!({"SecretId": "bin"}));
    assert!(out["DeletionDate"].is_number(), "{out}");
    let (status, out) = sm(&s, "GetSecretValue", json!({"SecretId": "bin"}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("InvalidRequestException")));
    let (status, _) = sm(&s, "RestoreSecret", json!({"SecretId": "bin"}));
    assert_eq!(status, 200);
    let (_, out) = sm(&s, "GetRandomPassword", json!({"PasswordLength": 12, "ExcludePunctuation": true}));
    let pw = out["RandomPassword"].as_str().expect("password");
    assert!(pw.len() == 12 && pw.chars().all(|c| c.is_ascii_alphanumeric()), "{pw}");
    drop(s);
}

#[test]
fn kms_round_trip_and_secure_strings() {
    let (s, _folder) = support::server("kms");
    let (status, out) = kms(&s, "CreateKey", json!({"Description": "app"}));
    assert_eq!(status, 200, "{out}");
    let key = out["KeyMetadata"]["KeyId"].as_str().expect("key").to_string();
    assert_eq!(out["KeyMetadata"]["KeyState"], "Enabled");
    let (status, _) = kms(&s, "CreateAlias", json!({"AliasName": "alias/app", "TargetKeyId": key}));
    assert_eq!(status, 200);
    let (status, out) = kms(&s, "CreateAlias", json!({"AliasName": "alias/app", "TargetKeyId": key}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("AlreadyExistsException")));
    assert_eq!(out["message"], "An alias with the name arn:aws:kms:us-east-1:123456789012:alias/app already exists");
    let (_, out) = kms(&s, "DescribeKey", json!({"KeyId": "alias/app"}));
    assert_eq!(out["KeyMetadata"]["KeyId"], key.as_str());
    let (_, out) = kms(&s, "Encrypt", json!({"KeyId": "alias/app", "Plaintext": "aGVsbG8="}));
    let blob = out["CiphertextBlob"].as_str().expect("blob").to_string();
    let (_, out) = kms(&s, "Decrypt", json!({"CiphertextBlob": blob}));
    assert_eq!(out["Plaintext"], "aGVsbG8=");
    assert!(out["KeyId"].as_str().is_some_and(|k| k.ends_with(&key)), "{out}");
    let (status, out) = kms(&s, "Decrypt", json!({"CiphertextBlob": "AAAA"}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("InvalidCiphertextException")));
    let (status, out) = kms(&s, "DescribeKey", json!({"KeyId": "alias/nope"}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("NotFoundException")));
    // SSM SecureString: ciphertext unless WithDecryption.
    let put = json!({"Name": "/db/pw", "Value": "s3cret", "Type": "SecureString"});
    let (status, out) = call(&s, "AmazonSSM.PutParameter", "ssm", put);
    assert_eq!(status, 200, "{out}");
    let (_, out) = call(&s, "AmazonSSM.GetParameter", "ssm", json!({"Name": "/db/pw"}));
    let hidden = out["Parameter"]["Value"].as_str().expect("value");
    assert!(hidden != "s3cret" && !hidden.is_empty(), "{out}");
    let (_, out) = call(&s, "AmazonSSM.GetParameter", "ssm", json!({"Name": "/db/pw", "WithDecryption": true}));
    assert_eq!(out["Parameter"]["Value"], "s3cret");
    let (_, out) = kms(&s, "ListAliases", json!({}));
    let names: Vec<&str> = out["Aliases"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["AliasName"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["alias/app", "alias/aws/ssm"]);
    let (_, out) = kms(&s, "ScheduleKeyDeletion", json!({"KeyId": key, "PendingWindowInDays": 7}));
    assert_eq!(out["KeyState"], "PendingDeletion");
    let (status, out) = kms(&s, "Encrypt", json!({"KeyId": key, "Plaintext": "aGVsbG8="}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("KMSInvalidStateException")));
    drop(s);
}
