//! SQS (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const QUEUE_REDRIVE_POLICY_STRUCT: T = T::Struct(&[opt("deadLetterTargetArn", S), opt("maxReceiveCount", I)]);

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

// AWS doc: "AWS::SQS::Queue"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static QUEUE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::SQS::Queue",
    properties: &[
        opt("ContentBasedDeduplication", B),
        opt("DeduplicationScope", S),
        opt("DelaySeconds", I),
        opt("FifoQueue", B),
        opt("FifoThroughputLimit", S),
        opt("KmsDataKeyReusePeriodSeconds", I),
        opt("KmsMasterKeyId", S),
        opt("MaximumMessageSize", I),
        opt("MessageRetentionPeriod", I),
        opt("QueueName", S),
        opt("ReceiveMessageWaitTimeSeconds", I),
        opt("RedriveAllowPolicy", T::OneOf(&[J, S])),
        opt("RedrivePolicy", T::OneOf(&[QUEUE_REDRIVE_POLICY_STRUCT, S])),
        opt("SqsManagedSseEnabled", B),
        opt("Tags", T::List(&TAG)),
        opt("VisibilityTimeout", I),
    ],
    attributes: &[
        "Arn",
        "ContentBasedDeduplication",
        "DeduplicationScope",
        "DelaySeconds",
        "FifoQueue",
        "FifoThroughputLimit",
        "KmsDataKeyReusePeriodSeconds",
        "KmsMasterKeyId",
        "MaximumMessageSize",
        "MessageRetentionPeriod",
        "QueueName",
        "QueueUrl",
        "ReceiveMessageWaitTimeSeconds",
        "RedrivePolicy.deadLetterTargetArn",
        "RedrivePolicy.maxReceiveCount",
        "SqsManagedSseEnabled",
        "Tags",
        "VisibilityTimeout",
    ],
    ref_returns: "the queue URL",
};

// AWS doc: "AWS::SQS::QueuePolicy"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static QUEUE_POLICY_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::SQS::QueuePolicy",
    properties: &[req("PolicyDocument", T::OneOf(&[J, S])), req("Queues", T::List(&S))],
    attributes: &["Id"],
    ref_returns: "the policy's physical ID",
};
