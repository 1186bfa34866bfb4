//! The ECS, ELBv2, SSM, RDS, Auto Scaling and IAM handlers through the
//! server's own entry point (`State::handle`) with requests signed as
//! botocore signs them: the answers' codes, statuses and members.

mod support;

use serde_json::{json, Value};
use std::sync::Arc;
use wire::server::State;

/// A fresh state folder under the system's temporary folder.
fn state(name: &str) -> (Arc<State>, support::Folder) {
    support::server(name)
}

/// A JSON 1.1 call: (status, body).
fn json_call(s: &Arc<State>, target: &str, service: &str, body: Value) -> (u16, Value) {
    let res = support::json(s, target, service, &body.to_string());
    (res.status, serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body)))
}

fn ecs(s: &Arc<State>, op: &str, body: Value) -> (u16, Value) {
    json_call(s, &format!("AmazonEC2ContainerServiceV20141113.{op}"), "ecs", body)
}

/// A query-protocol call: (status, XML body).
fn query_call(s: &Arc<State>, service: &str, form: &str) -> (u16, String) {
    let res = support::form(s, service, form);
    (res.status, res.body)
}

#[test]
fn ecs_clusters_task_definitions_and_paging() {
    let (s, _folder) = state("ecs");
    let (status, out) = ecs(&s, "CreateCluster", json!({"clusterName": "wire", "tags": [{"key": "k", "value": "v"}]}));
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["cluster"]["status"], "ACTIVE");
    let (_, out) = ecs(&s, "DescribeClusters", json!({"clusters": ["wire", "nope"], "include": ["TAGS"]}));
    assert_eq!(out["clusters"][0]["tags"][0]["key"], "k");
    assert_eq!(out["failures"][0]["reason"], "MISSING");
    for family in ["a", "b", "c"] {
        let td = json!({"family": family, "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 128}]});
        let (status, out) = ecs(&s, "RegisterTaskDefinition", td);
        assert_eq!(status, 200, "{out}");
        assert_eq!(out["taskDefinition"]["networkMode"], "bridge");
    }
    let (_, first) = ecs(&s, "ListTaskDefinitions", json!({"maxResults": 2}));
    assert_eq!(first["taskDefinitionArns"].as_array().map(Vec::len), Some(2));
    let token = first["nextToken"].as_str().unwrap_or_else(|| panic!("a next page: {first}"));
    let (_, second) = ecs(&s, "ListTaskDefinitions", json!({"nextToken": token}));
    assert_eq!(second["taskDefinitionArns"].as_array().map(Vec::len), Some(1));
    assert!(second.get("nextToken").is_none(), "{second}");
    let (status, out) = ecs(&s, "ListTaskDefinitions", json!({"nextToken": "forged"}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("InvalidParameterException")));
    let (status, out) = ecs(&s, "DescribeTaskDefinition", json!({"taskDefinition": "zzz"}));
    assert_eq!((status, out["message"].as_str()), (400, Some("Unable to describe task definition.")));
    let (_, out) = ecs(&s, "DescribeTasks", json!({"cluster": "wire", "tasks": ["0123"]}));
    assert_eq!(out["failures"][0]["reason"], "MISSING");
    let (status, out) = ecs(&s, "ListServices", json!({"cluster": "nope"}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("ClusterNotFoundException")));
    let (_, out) = ecs(&s, "DeleteCluster", json!({"cluster": "wire"}));
    assert_eq!(out["cluster"]["status"], "INACTIVE");
    drop(s);
}

#[test]
fn other_services_answer_with_their_codes() {
    let (s, _folder) = state("others");
    let (status, out) = json_call(&s, "AmazonSSM.GetParameter", "ssm", json!({"Name": "/nope"}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("ParameterNotFound")));
    let name = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id";
    let (_, out) = json_call(&s, "AmazonSSM.GetParameter", "ssm", json!({"Name": name}));
    assert!(out["Parameter"]["Value"].as_str().is_some_and(|v| v.starts_with("ami-")), "{out}");
    let form = "Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.1=nope";
    let (status, body) = query_call(&s, "elasticloadbalancing", form);
    assert_eq!(status, 400);
    assert!(body.contains("<Code>LoadBalancerNotFound</Code>"), "{body}");
    let (status, body) =
        query_call(&s, "rds", "Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=nope");
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("<Code>DBInstanceNotFound</Code>"), "{body}");
    let (status, body) = query_call(&s, "autoscaling", "Action=DescribeAutoScalingGroups&Version=2011-01-01");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<AutoScalingGroups"), "{body}");
    let (status, body) = query_call(&s, "iam", "Action=GetRole&Version=2010-05-08&RoleName=nope");
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("<Code>NoSuchEntity</Code>"), "{body}");
    drop(s);
}
