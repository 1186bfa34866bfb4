use super::*;
use crate::error::stack_not_found;
use serde_json::json;

fn stack(id: &str, name: &str, status: &str, created: u64, parent: Option<&str>, physical: &[&str]) -> Stack {
    let resources: Vec<_> = physical
        .iter()
        .map(|p| json!({"LogicalResourceId": p, "PhysicalResourceId": p, "ResourceType": "AWS::EC2::Subnet", "ResourceStatus": "CREATE_COMPLETE", "LastUpdatedTimestamp": 0}))
        .collect();
    let v = json!({"StackId": id, "StackName": name, "StackStatus": status, "CreationTime": created, "ParentId": parent, "Resources": resources});
    serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"))
}

fn account() -> Account {
    let mut a = Account::empty("111122223333", "us-east-1");
    for s in [
        stack("arn:1", "app", DELETE_COMPLETE.as_str(), 1, None, &["subnet-old"]),
        stack("arn:2", "app", DELETE_COMPLETE.as_str(), 2, None, &[]),
        stack("arn:3", "app", "CREATE_COMPLETE", 3, None, &["subnet-a", "asg-web"]),
        stack("arn:4", "app-Nested-X", "CREATE_COMPLETE", 4, Some("arn:3"), &["subnet-b"]),
        stack("arn:5", "gone", DELETE_COMPLETE.as_str(), 5, None, &[]),
        stack("arn:6", "gone", DELETE_COMPLETE.as_str(), 6, None, &[]),
    ] {
        a.stacks.insert(s.stack_id.clone(), s);
    }
    a
}

#[test]
fn names_find_live_stacks_and_ids_find_any() {
    let a = account();
    assert_eq!(find_stack(&a, "app", false).map(|s| s.stack_id.as_str()), Some("arn:3"));
    assert_eq!(
        find_stack(&a, "app", true).map(|s| s.stack_id.as_str()),
        Some("arn:3"),
        "a live stack wins over deleted ones"
    );
    assert!(find_stack(&a, "gone", false).is_none());
    assert_eq!(find_stack(&a, "gone", true).map(|s| s.stack_id.as_str()), Some("arn:6"), "the newest deleted one");
    assert_eq!(find_stack(&a, "arn:1", false).map(|s| s.stack_name.as_str()), Some("app"));
    assert_eq!(stack_not_found("x", "DescribeStacks").message, "Stack with id x does not exist");
}

#[test]
fn a_stack_owns_its_nested_stacks_resources_and_its_groups_instances() {
    let mut a = account();
    let instance = json!({"InstanceId": "i-1", "InstanceType": "t3.micro", "SubnetId": "subnet-a", "VpcId": "vpc-1", "AvailabilityZone": "us-east-1a",
                          "PrivateIpAddress": "10.0.0.9", "NetworkInterfaceIds": [], "SecurityGroupIds": [], "State": "running",
                          "Tags": {ASG_TAG: "asg-web"}});
    a.instances.insert("i-1".into(), serde_json::from_value(instance).unwrap_or_else(|e| panic!("{e}")));
    let family: Vec<&str> = stack_family(&a, find_stack(&a, "app", false).unwrap_or_else(|| panic!("app")))
        .iter()
        .map(|s| s.stack_id.as_str())
        .collect();
    assert_eq!(family, ["arn:3", "arn:4"]);
    let query = Query { stack_name: Some("app".into()), ..Query::default() };
    let sel = Selection::new(&a, &query, "DescribeSubnets").unwrap_or_else(|e| panic!("{e:?}"));
    assert!(sel.owns("subnet-a") && sel.owns("subnet-b") && !sel.owns("subnet-old"));
    assert!(sel.owns_instance("i-1"), "launched by the stack's Auto Scaling group");
    let everything = Query::default();
    let sel = Selection::new(&a, &everything, "DescribeSubnets").unwrap_or_else(|e| panic!("{e:?}"));
    assert!(sel.owns("anything") && !sel.narrowed());
}

#[test]
fn clusters_resolve_by_name_or_arn() {
    let mut a = account();
    a.put_cluster(a.new_cluster("todo"));
    let arn = "arn:aws:ecs:us-east-1:111122223333:cluster/todo";
    for name in ["todo", arn] {
        let query = Query { cluster: Some(name.into()), ..Query::default() };
        let sel = Selection::new(&a, &query, "DescribeTasks").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(sel.cluster_arn(), Ok(Some(arn)));
    }
    let query = Query { cluster: Some("nope".into()), ..Query::default() };
    let sel = Selection::new(&a, &query, "DescribeTasks").unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        sel.cluster_arn().map_err(|e| (e.code, e.operation)),
        Err(("ClusterNotFoundException", "DescribeTasks"))
    );
}
