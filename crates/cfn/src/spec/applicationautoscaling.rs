//! Application Auto Scaling (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const SCHEDULED_ACTION: T = T::Struct(&[
    opt("EndTime", S),
    opt("ScalableTargetAction", J),
    req("Schedule", S),
    req("ScheduledActionName", S),
    opt("StartTime", S),
    opt("Timezone", S),
]);

const SUSPENDED_STATE: T = T::Struct(&[
    opt("DynamicScalingInSuspended", B),
    opt("DynamicScalingOutSuspended", B),
    opt("ScheduledScalingSuspended", B),
]);

const PREDICTIVE_SCALING_POLICY_CONFIGURATION: T = T::Struct(&[
    opt("MaxCapacityBreachBehavior", S),
    opt("MaxCapacityBuffer", I),
    req("MetricSpecifications", T::List(&J)),
    opt("Mode", S),
    opt("SchedulingBufferTime", I),
]);

const STEP_SCALING_POLICY_CONFIGURATION: T = T::Struct(&[
    opt("AdjustmentType", S),
    opt("Cooldown", I),
    opt("MetricAggregationType", S),
    opt("MinAdjustmentMagnitude", I),
    opt("StepAdjustments", T::List(&J)),
]);

const TARGET_TRACKING_SCALING_POLICY_CONFIGURATION: T = T::Struct(&[
    opt("CustomizedMetricSpecification", J),
    opt("DisableScaleIn", B),
    opt("PredefinedMetricSpecification", J),
    opt("ScaleInCooldown", I),
    opt("ScaleOutCooldown", I),
    req("TargetValue", N),
]);

// AWS doc: "AWS::ApplicationAutoScaling::ScalableTarget"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static SCALABLE_TARGET_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ApplicationAutoScaling::ScalableTarget",
    properties: &[
        req("MaxCapacity", I),
        req("MinCapacity", I),
        req("ResourceId", S),
        opt("RoleARN", S),
        req("ScalableDimension", S),
        opt("ScheduledActions", T::List(&SCHEDULED_ACTION)),
        req("ServiceNamespace", S),
        opt("SuspendedState", SUSPENDED_STATE),
    ],
    attributes: &["Id"],
    ref_returns: "the scalable target's ID, `RESOURCE-ID|DIMENSION|NAMESPACE`",
};

// AWS doc: "AWS::ApplicationAutoScaling::ScalingPolicy"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static SCALING_POLICY_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ApplicationAutoScaling::ScalingPolicy",
    properties: &[
        req("PolicyName", S),
        req("PolicyType", S),
        opt("PredictiveScalingPolicyConfiguration", PREDICTIVE_SCALING_POLICY_CONFIGURATION),
        opt("ResourceId", S),
        opt("ScalableDimension", S),
        opt("ScalingTargetId", S),
        opt("ServiceNamespace", S),
        opt("StepScalingPolicyConfiguration", STEP_SCALING_POLICY_CONFIGURATION),
        opt("TargetTrackingScalingPolicyConfiguration", TARGET_TRACKING_SCALING_POLICY_CONFIGURATION),
    ],
    attributes: &["Arn"],
    ref_returns: "the policy ARN",
};
