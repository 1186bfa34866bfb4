//! ECR (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const ENCRYPTION_CONFIGURATION: T = T::Struct(&[req("EncryptionType", S), opt("KmsKey", S)]);

const IMAGE_SCANNING_CONFIGURATION: T = T::Struct(&[opt("ScanOnPush", B)]);

const IMAGE_TAG_MUTABILITY_EXCLUSION_FILTER: T =
    T::Struct(&[req("ImageTagMutabilityExclusionFilterType", S), req("ImageTagMutabilityExclusionFilterValue", S)]);

const LIFECYCLE_POLICY: T = T::Struct(&[opt("LifecyclePolicyText", S), opt("RegistryId", S)]);

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

// AWS doc: "AWS::ECR::Repository"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static REPOSITORY_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ECR::Repository",
    properties: &[
        opt("EmptyOnDelete", B),
        opt("EncryptionConfiguration", ENCRYPTION_CONFIGURATION),
        opt("ImageScanningConfiguration", IMAGE_SCANNING_CONFIGURATION),
        opt("ImageTagMutability", S),
        opt("ImageTagMutabilityExclusionFilters", T::List(&IMAGE_TAG_MUTABILITY_EXCLUSION_FILTER)),
        opt("LifecyclePolicy", LIFECYCLE_POLICY),
        opt("RepositoryName", S),
        opt("RepositoryPolicyText", T::OneOf(&[J, S])),
        opt("Tags", T::List(&TAG)),
    ],
    attributes: &["Arn", "RepositoryUri"],
    ref_returns: "the repository name",
};
