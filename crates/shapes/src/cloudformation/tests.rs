use super::*;

/// A CloudFormation Describe operation's function.
type Operation = fn(&Account, &Query) -> Result<Value, ApiError>;

#[test]
fn a_missing_stack_is_an_error_of_the_operation_asked_for() {
    let account = Account::empty("111122223333", "us-east-1");
    let query = Query { stack_name: Some("nope".into()), ..Query::default() };
    let ops: [(Operation, &str); 3] = [
        (describe_stacks, "DescribeStacks"),
        (describe_stack_events, "DescribeStackEvents"),
        (describe_stack_resources, "DescribeStackResources"),
    ];
    for (op, name) in ops {
        let err = op(&account, &query).expect_err("no such stack");
        assert_eq!((err.code, err.operation), ("ValidationError", name));
        assert_eq!(err.message, "Stack with id nope does not exist");
    }
    assert_eq!(describe_stacks(&account, &Query::default()), Ok(json!({"Stacks": []})));
}

#[test]
fn the_example_stack_with_its_events_newest_first() {
    let account = testkit::example::example();
    let query = Query { stack_name: Some("todobackend".into()), ..Query::default() };
    let doc = describe_stacks(&account, &query).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["Stacks"][0]["StackStatus"], "CREATE_COMPLETE");
    assert!(doc["Stacks"][0].get("DeletionTime").is_none(), "absent optionals are left out");
    let events = stack_events(&account, &query).unwrap_or_else(|e| panic!("{e}"));
    assert!(events.windows(2).all(|w| w[0].timestamp >= w[1].timestamp));
    // The stack's own CREATE_COMPLETE is its last event, so it is listed first.
    assert_eq!(
        events.first().map(|e| (e.logical_resource_id.as_str(), e.resource_status.as_str())),
        Some(("todobackend", "CREATE_COMPLETE"))
    );
    let resources = describe_stack_resources(&account, &query).unwrap_or_else(|e| panic!("{e}"));
    let listed = resources["StackResources"].as_array().map_or(0, Vec::len);
    assert_eq!(listed, account.stacks.values().map(|s| s.resources.len()).sum::<usize>());
}
