//! EventBridge (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const TAG: T = T::Struct(&[opt("Key", S), opt("Value", S)]);

const TARGET: T = T::Struct(&[
    opt("AppSyncParameters", J),
    req("Arn", S),
    opt("BatchParameters", J),
    opt("DeadLetterConfig", J),
    opt("EcsParameters", J),
    opt("HttpParameters", J),
    req("Id", S),
    opt("Input", S),
    opt("InputPath", S),
    opt("InputTransformer", J),
    opt("KinesisParameters", J),
    opt("RedshiftDataParameters", J),
    opt("RetryPolicy", J),
    opt("RoleArn", S),
    opt("RunCommandParameters", J),
    opt("SageMakerPipelineParameters", J),
    opt("SqsParameters", J),
]);

// AWS doc: "AWS::Events::Rule"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static RULE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::Events::Rule",
    properties: &[
        opt("Description", S),
        opt("EventBusName", S),
        opt("EventPattern", T::OneOf(&[S, J])),
        opt("Name", S),
        opt("RoleArn", S),
        opt("ScheduleExpression", S),
        opt("State", S),
        opt("Tags", T::List(&TAG)),
        opt("Targets", T::List(&TARGET)),
    ],
    attributes: &["Arn"],
    ref_returns: "the rule name (event-bus-name|rule-name on a custom bus)",
};
