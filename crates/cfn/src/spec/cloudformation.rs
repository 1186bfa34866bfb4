//! CloudFormation's own types (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

// AWS doc: "AWS::CloudFormation::Stack"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static STACK_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::CloudFormation::Stack",
    properties: &[
        opt("NotificationARNs", T::List(&S)),
        opt("Parameters", T::Map(&T::OneOf(&[S, N, I, J, T::List(&ANY), B]))),
        opt("Tags", T::List(&TAG)),
        req("TemplateURL", S),
        opt("TimeoutInMinutes", I),
    ],
    attributes: &["Outputs\\..*"],
    ref_returns: "the nested stack's ID (its ARN)",
};

// AWS doc: "AWS::CloudFormation::WaitCondition"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static WAIT_CONDITION_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::CloudFormation::WaitCondition",
    properties: &[opt("Count", I), opt("Handle", S), opt("Timeout", S)],
    attributes: &["Data", "Id"],
    ref_returns: "the wait condition's physical ID",
};

// AWS doc: "AWS::CloudFormation::WaitConditionHandle"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static WAIT_CONDITION_HANDLE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::CloudFormation::WaitConditionHandle",
    properties: &[],
    attributes: &["Id"],
    ref_returns: "the presigned URL to signal",
};
