use super::*;
use crate::Query;
use account::Account;

#[test]
fn an_unknown_target_group_is_elbs_error_and_none_named_means_all() {
    let account = testkit::example::example();
    let query = Query { target_group: Some("nope".into()), ..Query::default() };
    let sel = Selection::new(&account, &query, "DescribeTargetHealth").unwrap_or_else(|e| panic!("{e}"));
    let err = describe_target_health(&sel).expect_err("no such group");
    assert_eq!((err.code, err.operation), ("TargetGroupNotFound", "DescribeTargetHealth"));

    let all = Query::default();
    let sel = Selection::new(&account, &all, "DescribeTargetHealth").unwrap_or_else(|e| panic!("{e}"));
    let groups = target_groups(&sel).unwrap_or_else(|e| panic!("{e}"));
    assert!(!groups.is_empty(), "the example has target groups");
    let name = Query { target_group: Some(groups[0].target_group_name.clone()), ..Query::default() };
    let sel = Selection::new(&account, &name, "DescribeTargetHealth").unwrap_or_else(|e| panic!("{e}"));
    let doc = describe_target_health(&sel).unwrap_or_else(|e| panic!("{e}"));
    let described = doc["TargetHealthDescriptions"].as_array().map_or(0, Vec::len);
    assert_eq!(described, groups[0].targets.len(), "one description per registered target");

    let empty = Account::empty("111122223333", "us-east-1");
    let sel = Selection::new(&empty, &all, "DescribeTargetHealth").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(describe_target_health(&sel), Ok(json!({"TargetHealthDescriptions": []})));
}
