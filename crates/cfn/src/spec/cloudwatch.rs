//! CloudWatch alarms and dashboards (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const DIMENSION: T = T::Struct(&[req("Name", S), req("Value", S)]);

const EVALUATION_CRITERIA: T = T::Struct(&[opt("PromQLCriteria", J)]);

const METRIC_DATA_QUERY: T = T::Struct(&[
    opt("AccountId", S),
    opt("Expression", S),
    req("Id", S),
    opt("Label", S),
    opt("MetricStat", J),
    opt("Period", I),
    opt("ReturnData", B),
]);

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

// AWS doc: "AWS::CloudWatch::Alarm"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static ALARM_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::CloudWatch::Alarm",
    properties: &[
        opt("ActionsEnabled", B),
        opt("AlarmActions", T::List(&S)),
        opt("AlarmDescription", S),
        opt("AlarmName", S),
        opt("ComparisonOperator", S),
        opt("DatapointsToAlarm", I),
        opt("Dimensions", T::List(&DIMENSION)),
        opt("EvaluateLowSampleCountPercentile", S),
        opt("EvaluationCriteria", EVALUATION_CRITERIA),
        opt("EvaluationInterval", I),
        opt("EvaluationPeriods", I),
        opt("ExtendedStatistic", S),
        opt("InsufficientDataActions", T::List(&S)),
        opt("MetricName", S),
        opt("Metrics", T::List(&METRIC_DATA_QUERY)),
        opt("Namespace", S),
        opt("OKActions", T::List(&S)),
        opt("Period", I),
        opt("Statistic", S),
        opt("Tags", T::List(&TAG)),
        opt("Threshold", N),
        opt("ThresholdMetricId", S),
        opt("TreatMissingData", S),
        opt("Unit", S),
    ],
    attributes: &["Arn"],
    ref_returns: "the alarm name",
};

// AWS doc: "AWS::CloudWatch::Dashboard"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static DASHBOARD_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::CloudWatch::Dashboard",
    properties: &[req("DashboardBody", S), opt("DashboardName", S)],
    attributes: &[],
    ref_returns: "the dashboard name",
};
