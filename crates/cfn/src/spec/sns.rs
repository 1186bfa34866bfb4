//! SNS (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const LOGGING_CONFIG: T = T::Struct(&[
    opt("FailureFeedbackRoleArn", S),
    req("Protocol", S),
    opt("SuccessFeedbackRoleArn", S),
    opt("SuccessFeedbackSampleRate", S),
]);

const SUBSCRIPTION: T = T::Struct(&[req("Endpoint", S), req("Protocol", S)]);

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

// AWS doc: "AWS::SNS::Topic"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static TOPIC_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::SNS::Topic",
    properties: &[
        opt("ArchivePolicy", T::OneOf(&[J, S])),
        opt("ContentBasedDeduplication", B),
        opt("DataProtectionPolicy", T::OneOf(&[J, S])),
        opt("DeliveryStatusLogging", T::List(&LOGGING_CONFIG)),
        opt("DisplayName", S),
        opt("FifoThroughputScope", S),
        opt("FifoTopic", B),
        opt("KmsMasterKeyId", S),
        opt("SignatureVersion", S),
        opt("Subscription", T::List(&SUBSCRIPTION)),
        opt("Tags", T::List(&TAG)),
        opt("TopicName", S),
        opt("TracingConfig", S),
    ],
    attributes: &[
        "ContentBasedDeduplication",
        "DeliveryStatusLogging",
        "DisplayName",
        "FifoThroughputScope",
        "FifoTopic",
        "KmsMasterKeyId",
        "SignatureVersion",
        "Subscription",
        "Tags",
        "TopicArn",
        "TopicName",
        "TracingConfig",
    ],
    ref_returns: "the topic ARN",
};

// AWS doc: "AWS::SNS::Subscription"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static SUBSCRIPTION_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::SNS::Subscription",
    properties: &[
        opt("DeliveryPolicy", T::OneOf(&[J, S])),
        opt("Endpoint", S),
        opt("FilterPolicy", T::OneOf(&[J, S])),
        opt("FilterPolicyScope", S),
        req("Protocol", S),
        opt("RawMessageDelivery", B),
        opt("RedrivePolicy", T::OneOf(&[J, S])),
        opt("Region", S),
        opt("ReplayPolicy", T::OneOf(&[J, S])),
        opt("SubscriptionRoleArn", S),
        req("TopicArn", S),
    ],
    attributes: &["Arn"],
    ref_returns: "the subscription ARN",
};

// AWS doc: "AWS::SNS::TopicPolicy"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static TOPIC_POLICY_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::SNS::TopicPolicy",
    properties: &[req("PolicyDocument", T::OneOf(&[J, S])), req("Topics", T::List(&S))],
    attributes: &["Id"],
    ref_returns: "the policy's physical ID",
};
