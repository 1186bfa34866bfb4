//! CloudFormation over the wire, through the server's state and signed
//! requests as botocore sends them: a change set created, described,
//! executed (its job run before the next request is answered), the stack
//! described and deleted; errors with the model's codes and statuses.

mod support;

use std::sync::Arc;
use support::tag;
use wire::dispatch::HttpResponse;
use wire::server::State;

const TEMPLATE: &str = "Parameters:\n  Name:\n    Type: String\n    Default: one\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref Name\nOutputs:\n  Arn:\n    Value: !Ref Topic\n    Export:\n      Name: small-topic\n";

/// A signed CloudFormation query request of `action` with `params`.
fn call(state: &Arc<State>, action: &str, params: &[(&str, &str)]) -> HttpResponse {
    support::action(state, "cloudformation", "2010-05-15", action, params)
}

#[test]
fn a_change_set_is_created_executed_and_its_stack_deleted() {
    let (state, folder) = support::server("cfn");
    let dir = folder.path().to_path_buf();

    // The aws CLI's deploy: DescribeStacks first, matched by its text.
    let missing = call(&state, "DescribeStacks", &[("StackName", "small")]);
    assert_eq!(missing.status, 400);
    assert_eq!(tag(&missing.body, "Message"), Some("Stack with id small does not exist"));

    let created = call(
        &state,
        "CreateChangeSet",
        &[
            ("StackName", "small"),
            ("ChangeSetName", "awscli-cloudformation-package-deploy-1"),
            ("ChangeSetType", "CREATE"),
            ("TemplateBody", TEMPLATE),
            ("Parameters.member.1.ParameterKey", "Name"),
            ("Parameters.member.1.ParameterValue", "two"),
        ],
    );
    assert_eq!(created.status, 200, "{}", created.body);
    let id = tag(&created.body, "Id").expect("Id").to_string();
    assert!(id.contains(":changeSet/awscli-cloudformation-package-deploy-1/"), "{id}");
    let templates = std::fs::read_dir(dir.join("templates")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(templates, 1, "the body is kept as a file the engine reads");

    let review = call(&state, "DescribeStacks", &[("StackName", "small")]);
    assert_eq!(tag(&review.body, "StackStatus"), Some("REVIEW_IN_PROGRESS"));
    let described = call(&state, "DescribeChangeSet", &[("ChangeSetName", &id)]);
    assert_eq!(tag(&described.body, "Status"), Some("CREATE_COMPLETE"), "{}", described.body);
    assert_eq!(tag(&described.body, "ExecutionStatus"), Some("AVAILABLE"));
    assert!(described.body.contains("<ParameterValue>two</ParameterValue>"));

    let executed = call(&state, "ExecuteChangeSet", &[("ChangeSetName", &id), ("StackName", "small")]);
    assert_eq!(executed.status, 200, "{}", executed.body);
    // The first poll after the answer finds the job done.
    let done = call(&state, "DescribeStacks", &[("StackName", "small")]);
    assert_eq!(tag(&done.body, "StackStatus"), Some("CREATE_COMPLETE"), "{}", done.body);
    let exports = call(&state, "ListExports", &[]);
    assert_eq!(tag(&exports.body, "Name"), Some("small-topic"));
    let again = call(&state, "ExecuteChangeSet", &[("ChangeSetName", &id)]);
    assert_eq!((again.status, tag(&again.body, "Code")), (400, Some("InvalidChangeSetStatus")));

    let unknown = call(&state, "DescribeChangeSet", &[("ChangeSetName", "nope"), ("StackName", "small")]);
    assert_eq!((unknown.status, tag(&unknown.body, "Code")), (404, Some("ChangeSetNotFound")));
    assert_eq!(tag(&unknown.body, "Message"), Some("ChangeSet [nope] does not exist"));
    let exists = call(&state, "CreateStack", &[("StackName", "small"), ("TemplateBody", TEMPLATE)]);
    assert_eq!(tag(&exists.body, "Code"), Some("AlreadyExistsException"));
    let same = call(
        &state,
        "UpdateStack",
        &[
            ("StackName", "small"),
            ("TemplateBody", TEMPLATE),
            ("Parameters.member.1.ParameterKey", "Name"),
            ("Parameters.member.1.UsePreviousValue", "true"),
        ],
    );
    assert_eq!(tag(&same.body, "Message"), Some("No updates are to be performed."), "{}", same.body);

    let deleted = call(&state, "DeleteStack", &[("StackName", "small")]);
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    let gone = call(&state, "DescribeStacks", &[("StackName", "small")]);
    assert_eq!(tag(&gone.body, "Message"), Some("Stack with id small does not exist"));
    let listed = call(&state, "ListStacks", &[("StackStatusFilter.member.1", "DELETE_COMPLETE")]);
    assert_eq!(tag(&listed.body, "StackStatus"), Some("DELETE_COMPLETE"), "{}", listed.body);
    drop(state);
}
