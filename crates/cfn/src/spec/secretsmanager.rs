//! Secrets Manager (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const GENERATE_SECRET_STRING: T = T::Struct(&[
    opt("ExcludeCharacters", S),
    opt("ExcludeLowercase", B),
    opt("ExcludeNumbers", B),
    opt("ExcludePunctuation", B),
    opt("ExcludeUppercase", B),
    opt("GenerateStringKey", S),
    opt("IncludeSpace", B),
    opt("PasswordLength", I),
    opt("RequireEachIncludedType", B),
    opt("SecretStringTemplate", S),
]);

const REPLICA_REGION: T = T::Struct(&[opt("KmsKeyId", S), req("Region", S)]);

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

// AWS doc: "AWS::SecretsManager::Secret"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static SECRET_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::SecretsManager::Secret",
    properties: &[
        opt("Description", S),
        opt("GenerateSecretString", GENERATE_SECRET_STRING),
        opt("KmsKeyId", S),
        opt("Name", S),
        opt("ReplicaRegions", T::List(&REPLICA_REGION)),
        opt("SecretString", S),
        opt("Tags", T::List(&TAG)),
        opt("Type", S),
    ],
    attributes: &["Id"],
    ref_returns: "the secret ARN",
};

// AWS doc: "AWS::SecretsManager::SecretTargetAttachment"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static SECRET_TARGET_ATTACHMENT_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::SecretsManager::SecretTargetAttachment",
    properties: &[req("SecretId", S), req("TargetId", S), req("TargetType", S)],
    attributes: &["Id"],
    ref_returns: "the secret ARN",
};
