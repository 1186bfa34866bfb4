//! KMS (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

// AWS doc: "AWS::KMS::Key"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static KEY_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::KMS::Key",
    properties: &[
        opt("BypassPolicyLockoutSafetyCheck", B),
        opt("Description", S),
        opt("EnableKeyRotation", B),
        opt("Enabled", B),
        opt("KeyPolicy", T::OneOf(&[J, S])),
        opt("KeySpec", S),
        opt("KeyUsage", S),
        opt("MultiRegion", B),
        opt("Origin", S),
        opt("PendingWindowInDays", I),
        opt("RotationPeriodInDays", I),
        opt("Tags", T::List(&TAG)),
    ],
    attributes: &["Arn", "KeyId"],
    ref_returns: "the key ID",
};

// AWS doc: "AWS::KMS::Alias"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static ALIAS_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::KMS::Alias",
    properties: &[req("AliasName", S), req("TargetKeyId", S)],
    attributes: &[],
    ref_returns: "the alias name, `alias/NAME`",
};
