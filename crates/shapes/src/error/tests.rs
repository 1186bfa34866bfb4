use super::*;
use account::Fault;

#[test]
fn errors_read_as_the_cli_prints_them_and_carry_aws_statuses() {
    let e = stack_not_found("app", "DescribeStacks");
    assert_eq!(
        e.to_string(),
        "An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id app does not exist"
    );
    // CloudFormation's ValidationError is a client error, HTTP 400.
    assert_eq!((e.http_status(), e.fault()), (400, Fault::Sender));
    let e = cluster_not_found("DescribeTasks");
    assert_eq!((AwsError::code(&e), e.service(), e.http_status()), ("ClusterNotFoundException", AwsService::Ecs, 400));
    let e = target_group_not_found("DescribeTargetHealth");
    assert_eq!((AwsError::code(&e), e.http_status()), ("TargetGroupNotFound", 400));
    assert_eq!(AwsError::message(&e), "One or more target groups not found");
}
