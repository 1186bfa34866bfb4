//! CloudWatch Logs (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

const METRIC_TRANSFORMATION: T = T::Struct(&[
    opt("DefaultValue", N),
    opt("Dimensions", T::List(&J)),
    req("MetricName", S),
    req("MetricNamespace", S),
    req("MetricValue", S),
    opt("Unit", S),
]);

// AWS doc: "AWS::Logs::LogGroup"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static LOG_GROUP_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::Logs::LogGroup",
    properties: &[
        opt("BearerTokenAuthenticationEnabled", B),
        opt("DataProtectionPolicy", T::OneOf(&[J, S])),
        opt("DeletionProtectionEnabled", B),
        opt("FieldIndexPolicies", T::List(&J)),
        opt("KmsKeyId", S),
        opt("LogGroupClass", S),
        opt("LogGroupName", S),
        opt("ResourcePolicyDocument", J),
        opt("RetentionInDays", I),
        opt("Tags", T::List(&TAG)),
    ],
    attributes: &["Arn"],
    ref_returns: "the log group name",
};

// AWS doc: "AWS::Logs::LogStream"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static LOG_STREAM_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::Logs::LogStream",
    properties: &[req("LogGroupName", S), opt("LogStreamName", S)],
    attributes: &[],
    ref_returns: "the log stream name",
};

// AWS doc: "AWS::Logs::SubscriptionFilter"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static SUBSCRIPTION_FILTER_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::Logs::SubscriptionFilter",
    properties: &[
        opt("ApplyOnTransformedLogs", B),
        req("DestinationArn", S),
        opt("Distribution", S),
        opt("EmitSystemFields", T::List(&S)),
        opt("FieldSelectionCriteria", S),
        opt("FilterName", S),
        req("FilterPattern", S),
        req("LogGroupName", S),
        opt("RoleArn", S),
    ],
    attributes: &[],
    ref_returns: "the filter name",
};

// AWS doc: "AWS::Logs::MetricFilter"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static METRIC_FILTER_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::Logs::MetricFilter",
    properties: &[
        opt("ApplyOnTransformedLogs", B),
        opt("EmitSystemFieldDimensions", T::List(&S)),
        opt("FieldSelectionCriteria", S),
        opt("FilterName", S),
        req("FilterPattern", S),
        req("LogGroupName", S),
        req("MetricTransformations", T::List(&METRIC_TRANSFORMATION)),
    ],
    attributes: &[],
    ref_returns: "the filter name",
};
