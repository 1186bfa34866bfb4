//! `tasknet describe …` against a stored account built here: a stack with
//! events, a VPC with a NAT gateway, an ECS service with an awsvpc task on
//! its own ENI, a target group with targets.

mod common;

use account::account::CLOCK_EPOCH_MS;
use account::{Account, CreateNetworkInterface, Peer, RouteTarget, SecurityGroupRule, Store};
use common::*;
use serde_json::{json, Value};
use std::path::Path;

const CLUSTER: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/todo";
const SERVICE: &str = "arn:aws:ecs:us-east-1:123456789012:service/todo/web";
const TASK_ID: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const STOPPED_ID: &str = "ffeeddccbbaa99887766554433221100";
const TASK_DEF: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3";
const STACK_ID: &str =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/todobackend/6b1f0c50-0000-4000-8000-000000000001";
const OLD_STACK_ID: &str =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/old/6b1f0c50-0000-4000-8000-000000000002";
const TG_ARN: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef";
const INSTANCE_ID: &str = "i-0123456789abcdef0";
const CONTAINER_INSTANCE: &str =
    "arn:aws:ecs:us-east-1:123456789012:container-instance/todo/aaaabbbbccccddddeeeeffff00001111";

/// IDs the account actions generated, for the assertions.
struct Fixture {
    state: tempfile::TempDir,
    eni: String,
    task_ip: String,
    public_subnet: String,
    private_subnet: String,
    nat: String,
    web_sg: String,
    alb_sg: String,
}

/// A model value from JSON: serde fills in every member the test leaves out.
fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap_or_else(|e| panic!("fixture record: {e}"))
}

fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

fn at(seconds: u64) -> u64 {
    CLOCK_EPOCH_MS + seconds * 1000
}

/// The VPC: a public subnet with a NAT gateway, a private subnet routed through it, two groups.
fn network(a: &mut Account) -> (String, String, String, String, String) {
    let vpc = ok(a.create_vpc("10.0.0.0/16")).vpc_id;
    let public = ok(a.create_subnet(&vpc, "10.0.0.0/24", Some("us-east-1a"))).subnet_id;
    let private = ok(a.create_subnet(&vpc, "10.0.1.0/24", Some("us-east-1a"))).subnet_id;
    let igw = a.create_internet_gateway().internet_gateway_id;
    ok(a.attach_internet_gateway(&igw, &vpc));
    let public_rt = ok(a.create_route_table(&vpc)).route_table_id;
    ok(a.create_route(&public_rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw)));
    ok(a.associate_route_table(&public_rt, &public));
    let eip = ok(a.allocate_address()).allocation_id;
    let nat = ok(a.create_nat_gateway(&public, Some(&eip), "public")).nat_gateway_id;
    let private_rt = ok(a.create_route_table(&vpc)).route_table_id;
    ok(a.create_route(&private_rt, "0.0.0.0/0", RouteTarget::NatGateway(nat.clone())));
    ok(a.associate_route_table(&private_rt, &private));
    let alb_sg = ok(a.create_security_group(&vpc, "alb", "load balancer")).group_id;
    ok(a.authorize_security_group_ingress(
        &alb_sg,
        &[SecurityGroupRule::tcp(80, 80, Peer::Cidr(ok(account::Ipv4Cidr::parse("0.0.0.0/0"))))],
    ));
    let web_sg = ok(a.create_security_group(&vpc, "web", "tasks")).group_id;
    ok(a.authorize_security_group_ingress(
        &web_sg,
        &[SecurityGroupRule::tcp(8000, 8000, Peer::SecurityGroup(alb_sg.clone()))],
    ));
    (public, private, nat, web_sg, alb_sg)
}

/// The stack that "created" the network pieces and the service, and a deleted one.
fn stacks(a: &mut Account, private: &str, web_sg: &str) {
    let event = |seconds: u64,
                 logical: &str,
                 physical: Option<&str>,
                 kind: &str,
                 status: &str,
                 reason: Option<&str>| {
        json!({"StackId": STACK_ID, "EventId": format!("{logical}-{seconds}"), "StackName": "todobackend", "LogicalResourceId": logical,
               "PhysicalResourceId": physical, "ResourceType": kind, "Timestamp": at(seconds), "ResourceStatus": status, "ResourceStatusReason": reason})
    };
    let resource = |logical: &str, physical: &str, kind: &str| json!({"LogicalResourceId": logical, "PhysicalResourceId": physical, "ResourceType": kind, "ResourceStatus": "CREATE_COMPLETE", "LastUpdatedTimestamp": at(20)});
    let stack = json!({
        "StackId": STACK_ID, "StackName": "todobackend", "Description": "Todobackend on ECS", "StackStatus": "CREATE_COMPLETE",
        "CreationTime": at(0), "Parameters": {"Environment": "dev"}, "Capabilities": ["CAPABILITY_IAM"],
        "Outputs": [{"OutputKey": "Url", "OutputValue": "http://web.example", "ExportName": "todobackend-url"}],
        "Resources": [
            resource("PrivateSubnet", private, "AWS::EC2::Subnet"),
            resource("ApplicationSecurityGroup", web_sg, "AWS::EC2::SecurityGroup"),
            resource("ApplicationService", SERVICE, "AWS::ECS::Service"),
            resource("ApplicationTargetGroup", TG_ARN, "AWS::ElasticLoadBalancingV2::TargetGroup"),
        ],
        "Events": [
            event(0, "todobackend", Some(STACK_ID), "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", Some("User Initiated")),
            event(5, "PrivateSubnet", None, "AWS::EC2::Subnet", "CREATE_IN_PROGRESS", None),
            event(6, "PrivateSubnet", Some(private), "AWS::EC2::Subnet", "CREATE_COMPLETE", None),
            event(20, "todobackend", Some(STACK_ID), "AWS::CloudFormation::Stack", "CREATE_COMPLETE", None),
        ],
    });
    a.stacks.insert(STACK_ID.into(), from(stack));
    let old = json!({"StackId": OLD_STACK_ID, "StackName": "old", "StackStatus": "DELETE_COMPLETE", "CreationTime": at(1), "DeletionTime": at(2)});
    a.stacks.insert(OLD_STACK_ID.into(), from(old));
}

/// The ECS side: a cluster, a service, a running awsvpc task on its ENI, a stopped one, an instance.
fn ecs(a: &mut Account, private: &str, web_sg: &str) -> (String, String) {
    a.put_cluster(a.new_cluster("todo"));
    let mut req = CreateNetworkInterface::new(private);
    req.groups = vec![web_sg.to_string()];
    req.description = "arn:aws:ecs:us-east-1:123456789012:attachment/11111111-2222-4333-8444-555555555555".into();
    req.requester_managed = true;
    req.requester_id = Some("578734482556".into());
    let eni = ok(a.create_network_interface(req));
    ok(a.attach_network_interface(&eni.network_interface_id, None, 1));
    let ip = eni.private_ip_address.to_string();
    a.task_definitions.insert(
        TASK_DEF.into(),
        from(json!({"family": "web", "revision": 3, "taskDefinitionArn": TASK_DEF, "networkMode": "awsvpc", "status": "ACTIVE",
                    "containerDefinitions": [{"name": "app", "image": "docker.io/todobackend:latest", "essential": true, "cpu": 128, "memory": 256}]})),
    );
    let task = |id: &str, status: &str, eni: Option<&str>, ip: Option<&str>| {
        let details: Vec<Value> = match (eni, ip) {
            (Some(e), Some(i)) => vec![
                json!({"name": "subnetId", "value": private}),
                json!({"name": "networkInterfaceId", "value": e}),
                json!({"name": "privateIPv4Address", "value": i}),
            ],
            _ => vec![],
        };
        json!({
            "taskArn": format!("arn:aws:ecs:us-east-1:123456789012:task/todo/{id}"), "clusterArn": CLUSTER, "taskDefinitionArn": TASK_DEF,
            "group": "service:web", "startedBy": "ecs-svc/1234567890123456789", "launchType": "FARGATE", "availabilityZone": "us-east-1a",
            "lastStatus": status, "desiredStatus": if status == "STOPPED" { "STOPPED" } else { "RUNNING" }, "connectivity": "CONNECTED",
            "cpu": 256, "memory": 512, "createdAt": at(30), "startedAt": at(40) + 250,
            "stoppedAt": if status == "STOPPED" { Some(at(50)) } else { None },
            "stoppedReason": if status == "STOPPED" { Some("Essential container in task exited") } else { None },
            "attachments": [{"id": "11111111-2222-4333-8444-555555555555", "type": "ElasticNetworkInterface", "status": "ATTACHED", "details": details}],
            "containers": [{"containerArn": format!("arn:aws:ecs:us-east-1:123456789012:container/todo/{id}/c1"), "name": "app", "lastStatus": status, "essential": true,
                            "networkInterfaces": ip.map(|i| vec![json!({"attachmentId": "11111111-2222-4333-8444-555555555555", "privateIpv4Address": i})]).unwrap_or_default()}],
            "eniId": eni, "serviceArn": SERVICE,
        })
    };
    for (id, status, e, i) in [
        (TASK_ID, "RUNNING", Some(eni.network_interface_id.as_str()), Some(ip.as_str())),
        (STOPPED_ID, "STOPPED", None, None),
    ] {
        let t = task(id, status, e, i);
        a.tasks.insert(format!("arn:aws:ecs:us-east-1:123456789012:task/todo/{id}"), from(t));
    }
    let service = json!({
        "serviceName": "web", "serviceArn": SERVICE, "clusterArn": CLUSTER, "taskDefinition": TASK_DEF, "desiredCount": 1, "launchType": "FARGATE",
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": [private], "securityGroups": [web_sg], "assignPublicIp": "DISABLED"}},
        "loadBalancers": [{"targetGroupArn": TG_ARN, "containerName": "app", "containerPort": 8000}],
        "deploymentConfiguration": {"maximumPercent": 200, "minimumHealthyPercent": 100}, "status": "ACTIVE", "runningCount": 1, "createdAt": at(25),
        "deployments": [{"id": "ecs-svc/1234567890123456789", "status": "PRIMARY", "taskDefinition": TASK_DEF, "desiredCount": 1, "pendingCount": 0,
                         "runningCount": 1, "failedTasks": 0, "rolloutState": "COMPLETED", "rolloutStateReason": "ECS deployment ecs-svc/1234567890123456789 completed.",
                         "createdAt": at(25), "updatedAt": at(60)}],
        "events": [{"id": "e2", "createdAt": at(60), "message": "(service web) has reached a steady state."},
                   {"id": "e1", "createdAt": at(30), "message": format!("(service web) has started 1 tasks: (task {TASK_ID}).")}],
    });
    a.put_service(from(service));
    let subnet = ok(a.subnet(private)).clone();
    let instance = json!({"InstanceId": INSTANCE_ID, "InstanceType": "t3.micro", "SubnetId": private, "VpcId": subnet.vpc_id, "AvailabilityZone": "us-east-1a",
                          "PrivateIpAddress": "10.0.1.200", "NetworkInterfaceIds": [], "SecurityGroupIds": [web_sg], "State": "running",
                          "LaunchTime": at(10)});
    a.instances.insert(INSTANCE_ID.into(), from(instance));
    let resources = |cpu: u32, mem: u32| json!({"cpu": cpu, "memory": mem, "ports": [22, 51678], "portsUdp": []});
    let ci = json!({"containerInstanceArn": CONTAINER_INSTANCE, "ec2InstanceId": INSTANCE_ID, "clusterArn": CLUSTER, "status": "ACTIVE", "agentConnected": true,
                    "registeredResources": resources(2048, 944), "remainingResources": resources(2048, 944),
                    "attributes": {"ecs.availability-zone": "us-east-1a", "com.amazonaws.ecs.capability.task-eni": ""},
                    "runningTasksCount": 0, "pendingTasksCount": 0, "registeredAt": at(10)});
    a.container_instances.insert(CONTAINER_INSTANCE.into(), from(ci));
    (eni.network_interface_id, ip)
}

/// The target group: the task's address healthy, an old address draining.
fn target_group(a: &mut Account, task_ip: &str) {
    let tg = json!({
        "TargetGroupArn": TG_ARN, "TargetGroupName": "web-tg", "Protocol": "HTTP", "Port": 8000, "TargetType": "ip",
        "HealthCheck": {"HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port", "HealthCheckPath": "/", "HealthCheckIntervalSeconds": 30,
                        "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 5, "UnhealthyThresholdCount": 2, "Matcher": "200", "HealthCheckEnabled": true},
        "DeregistrationDelaySeconds": 300,
        "Targets": [
            {"Target": {"Id": task_ip, "Port": 8000, "AvailabilityZone": "us-east-1a"}, "HealthCheckPort": "8000", "TargetHealth": {"State": "healthy"}},
            {"Target": {"Id": "10.0.1.99", "Port": 8000}, "HealthCheckPort": "8000",
             "TargetHealth": {"State": "draining", "Reason": "Target.DeregistrationInProgress", "Description": "Target deregistration is in progress"}},
        ],
    });
    a.target_groups.insert(TG_ARN.into(), from(tg));
}

/// Builds the account and stores it in a fresh state folder.
fn fixture() -> Fixture {
    let mut a = Account::default();
    let (public_subnet, private_subnet, nat, web_sg, alb_sg) = network(&mut a);
    stacks(&mut a, &private_subnet, &web_sg);
    let (eni, task_ip) = ecs(&mut a, &private_subnet, &web_sg);
    target_group(&mut a, &task_ip);
    let state = state();
    let mut store = ok(Store::open(&state.path().join("account.db")));
    ok(store.save_account(&a));
    Fixture { state, eni, task_ip, public_subnet, private_subnet, nat, web_sg, alb_sg }
}

fn describe(state: &Path, words: &[&str]) -> Run {
    let mut a = args(&["describe"]);
    a.extend(args(words));
    run_in(state, state, &a)
}

/// Asserts the run succeeded and returns its JSON, checking no member is `null`.
fn json_of(state: &Path, words: &[&str]) -> Value {
    let mut w = words.to_vec();
    w.extend(["--output", "json"]);
    let run = describe(state, &w);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let v = run.json();
    assert!(!run.stdout.contains("null"), "absent optionals are left out:\n{}", run.stdout);
    v
}

/// Asserts the run failed with AWS's error (exit 2, nothing on stdout) and returns stderr.
fn refused(state: &Path, words: &[&str]) -> String {
    let run = describe(state, words);
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(run.stdout.is_empty() && run.stderr.contains("An error occurred ("), "{}", run.all());
    run.stderr
}

fn text_of(state: &Path, words: &[&str]) -> String {
    let run = describe(state, words);
    assert_eq!(run.code, Some(0), "{}", run.all());
    run.stdout
}

#[test]
fn stacks_hide_deleted_ones_unless_all() {
    let f = fixture();
    let st = f.state.path();
    let v = json_of(st, &["stacks"]);
    let stacks = v["Stacks"].as_array().cloned().unwrap_or_default();
    assert_eq!(stacks.len(), 1, "{v}");
    let s = &stacks[0];
    assert_eq!(s["StackName"], "todobackend");
    assert_eq!(s["StackStatus"], "CREATE_COMPLETE");
    assert_eq!(s["CreationTime"], "2026-01-01T00:00:00+00:00");
    assert_eq!(s["Parameters"], json!([{"ParameterKey": "Environment", "ParameterValue": "dev"}]));
    assert_eq!(s["Outputs"][0]["ExportName"], "todobackend-url");
    assert_eq!(s["Capabilities"], json!(["CAPABILITY_IAM"]));
    assert_eq!(s["DisableRollback"], false);
    assert!(s.get("LastUpdatedTime").is_none() && s.get("StackStatusReason").is_none(), "{s}");

    let all = json_of(st, &["stacks", "--all"]);
    assert_eq!(all["Stacks"].as_array().map(Vec::len), Some(2));
    assert_eq!(all["Stacks"][0]["StackName"], "old", "newest first");
    assert_eq!(all["Stacks"][0]["DeletionTime"], "2026-01-01T00:00:02+00:00");

    let text = text_of(st, &["stacks", "--stack-name", "todobackend"]);
    assert!(text.starts_with("NAME         STATUS           CREATED"), "{text}");
    assert!(text.contains("Environment  dev"), "{text}");
    assert!(text.contains("Url     http://web.example  todobackend-url"), "{text}");
    // A deleted stack is still found by its ID.
    let by_id = json_of(st, &["stacks", "--stack-name", OLD_STACK_ID]);
    assert_eq!(by_id["Stacks"][0]["StackStatus"], "DELETE_COMPLETE");
}

#[test]
fn a_missing_stack_is_cloudformations_validation_error() {
    let f = fixture();
    // A deleted stack is not found by name (only by its ID, or with --all).
    let cases = [
        (&["stacks", "--stack-name", "nope"][..], "DescribeStacks"),
        (&["stack-events", "--stack-name", "old"], "DescribeStackEvents"),
        (&["subnets", "--stack-name", "nope"], "DescribeStackResources"),
    ];
    for (words, operation) in cases {
        let stderr = refused(f.state.path(), words);
        assert!(stderr.contains(&format!("An error occurred (ValidationError) when calling the {operation} operation: Stack with id {} does not exist", words[2])), "{stderr}");
    }
    assert_eq!(json_of(f.state.path(), &["stack-events", "--stack-name", "old", "--all"])["StackEvents"], json!([]));
}

#[test]
fn stack_events_newest_first() {
    let f = fixture();
    let st = f.state.path();
    let v = json_of(st, &["stack-events", "--stack-name", "todobackend"]);
    let events = v["StackEvents"].as_array().cloned().unwrap_or_default();
    assert_eq!(events.len(), 4);
    assert_eq!(events[0]["ResourceStatus"], "CREATE_COMPLETE");
    assert_eq!(events[0]["LogicalResourceId"], "todobackend");
    assert_eq!(events[0]["Timestamp"], "2026-01-01T00:00:20+00:00");
    assert_eq!(events[3]["ResourceStatusReason"], "User Initiated");
    assert!(events[2].get("PhysicalResourceId").is_none());
    insta::assert_snapshot!("stack_events_text", text_of(st, &["stack-events", "--stack-name", "todobackend"]));
    // Without a name, every live stack's events, with a STACK column.
    assert!(text_of(st, &["stack-events"]).starts_with("STACK        TIMESTAMP"));
}

#[test]
fn stack_resources() {
    let f = fixture();
    let v = json_of(f.state.path(), &["stack-resources", "--stack-name", "todobackend"]);
    let r = &v["StackResources"][0];
    assert_eq!(r["LogicalResourceId"], "PrivateSubnet");
    assert_eq!(r["PhysicalResourceId"], f.private_subnet.as_str());
    assert_eq!(r["StackName"], "todobackend");
    assert_eq!(r["Timestamp"], "2026-01-01T00:00:20+00:00");
    let text = text_of(f.state.path(), &["stack-resources", "--stack-name", "todobackend"]);
    assert!(text.contains("ApplicationService        AWS::ECS::Service"), "{text}");
}

#[test]
fn services_with_deployments_events_and_missing_ones() {
    let f = fixture();
    let st = f.state.path();
    let v = json_of(st, &["services", "--cluster", "todo"]);
    assert_eq!(v["failures"], json!([]));
    let s = &v["services"][0];
    assert_eq!(s["serviceName"], "web");
    assert_eq!(s["runningCount"], 1);
    assert_eq!(s["networkConfiguration"]["awsvpcConfiguration"]["subnets"], json!([f.private_subnet]));
    assert_eq!(s["loadBalancers"][0]["containerPort"], 8000);
    assert_eq!(s["deployments"][0]["rolloutState"], "COMPLETED");
    assert_eq!(s["deployments"][0]["updatedAt"], "2026-01-01T00:01:00+00:00");
    assert_eq!(s["events"][0]["message"], "(service web) has reached a steady state.");
    assert_eq!(s["deploymentConfiguration"]["maximumPercent"], 200);

    let text = text_of(st, &["services", "--service", "web"]);
    assert!(text.starts_with("NAME  STATUS  DESIRED  RUNNING  PENDING  TASK DEFINITION  LAUNCH TYPE  CLUSTER\nweb   ACTIVE  1        1        0        web:3            FARGATE      todo\n"), "{text}");
    assert!(text.contains("ecs-svc/1234567890123456789  PRIMARY  web:3"), "{text}");
    assert!(text.contains("2026-01-01T00:01:00Z  (service web) has reached a steady state."), "{text}");

    let missing = json_of(st, &["services", "--cluster", "todo", "--service", "api"]);
    assert_eq!(
        missing,
        json!({"services": [], "failures": [{"arn": "arn:aws:ecs:us-east-1:123456789012:service/todo/api", "reason": "MISSING"}]})
    );
    let stderr = refused(st, &["services", "--cluster", "nope"]);
    assert!(stderr.contains("An error occurred (ClusterNotFoundException) when calling the DescribeServices operation: Cluster not found."), "{stderr}");
}

#[test]
fn tasks_show_their_eni_and_hide_stopped_ones() {
    let f = fixture();
    let st = f.state.path();
    let text = text_of(st, &["tasks"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("TASK                              SERVICE/GROUP  LAST STATUS  DESIRED  AZ          ENI"),
        "{text}"
    );
    for want in [TASK_ID, "web", "RUNNING", "us-east-1a", f.eni.as_str(), f.task_ip.as_str(), "FARGATE"] {
        assert!(lines[1].contains(want), "{want} in {text}");
    }
    let all = text_of(st, &["tasks", "--all"]);
    assert!(all.contains(STOPPED_ID) && all.contains("Essential container in task exited"), "{all}");

    let v = json_of(st, &["tasks", "--service", "web"]);
    assert_eq!(v["failures"], json!([]));
    let t = &v["tasks"][0];
    assert_eq!(t["cpu"], "256");
    assert_eq!(t["memory"], "512");
    assert_eq!(t["lastStatus"], "RUNNING");
    assert_eq!(t["startedAt"], "2026-01-01T00:00:40.250000+00:00");
    assert_eq!(t["attachments"][0]["type"], "ElasticNetworkInterface");
    assert_eq!(t["attachments"][0]["details"][1], json!({"name": "networkInterfaceId", "value": f.eni}));
    assert_eq!(t["containers"][0]["image"], "docker.io/todobackend:latest");
    assert_eq!(t["containers"][0]["networkInterfaces"][0]["privateIpv4Address"], f.task_ip.as_str());
    assert!(t.get("containerInstanceArn").is_none() && t.get("stoppedAt").is_none(), "{t}");

    assert_eq!(json_of(st, &["tasks", "--service", "api"])["tasks"], json!([]));
    assert_eq!(json_of(st, &["tasks", "--stack-name", "todobackend"])["tasks"].as_array().map(Vec::len), Some(1));
}

#[test]
fn network_interfaces_name_what_they_serve() {
    let f = fixture();
    let st = f.state.path();
    let text = text_of(st, &["network-interfaces", "--stack-name", "todobackend"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "only the task's ENI belongs to the stack: {text}");
    assert!(lines[1].starts_with(&f.eni), "{text}");
    assert!(lines[1].contains(&format!("task {TASK_ID}")), "{text}");
    assert!(lines[1].contains("in-use") && lines[1].contains(&f.private_subnet), "{text}");

    let v = json_of(st, &["network-interfaces"]);
    let enis = v["NetworkInterfaces"].as_array().cloned().unwrap_or_default();
    let task_eni = enis.iter().find(|e| e["NetworkInterfaceId"] == f.eni.as_str()).cloned().unwrap_or_default();
    assert_eq!(task_eni["RequesterManaged"], true);
    assert_eq!(task_eni["Groups"], json!([{"GroupName": "web", "GroupId": f.web_sg}]));
    assert_eq!(task_eni["Attachment"]["DeviceIndex"], 1);
    assert_eq!(task_eni["Attachment"]["InstanceOwnerId"], "amazon-aws");
    assert_eq!(task_eni["PrivateIpAddresses"][0]["Primary"], true);
    assert!(task_eni.get("Association").is_none());
    let nat_eni = enis.iter().find(|e| e["InterfaceType"] == "natGateway").cloned().unwrap_or_default();
    assert!(nat_eni["Association"]["PublicIp"].is_string(), "{nat_eni}");
    assert!(text_of(st, &["network-interfaces"]).contains(&f.nat));
}

#[test]
fn subnets_route_tables_and_nat_gateways() {
    let f = fixture();
    let st = f.state.path();
    let text = text_of(st, &["subnets", "--stack-name", "todobackend"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[1].starts_with(&f.private_subnet) && lines[1].contains("10.0.1.0/24"), "{text}");
    assert!(lines[1].contains(&f.nat), "the private subnet's default route goes to the NAT gateway: {text}");
    let all = text_of(st, &["subnets"]);
    assert!(all.contains("igw-"), "{all}");
    assert!(all.contains("(main)"), "default subnets use the main table: {all}");

    let v = json_of(st, &["subnets"]);
    let private = v["Subnets"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["SubnetId"] == f.private_subnet.as_str()).cloned())
        .unwrap_or_default();
    assert_eq!(private["CidrBlock"], "10.0.1.0/24");
    assert_eq!(private["MapPublicIpOnLaunch"], false);
    assert_eq!(private["AvailableIpAddressCount"], 250, "256 - 5 reserved - the task's ENI");

    let rt = json_of(st, &["route-tables"]);
    let routes: Vec<Value> = rt["RouteTables"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["Routes"].as_array().cloned().unwrap_or_default())
        .collect();
    assert!(routes.contains(&json!({"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"})), "{rt}");
    assert!(
        routes.iter().any(|r| r["NatGatewayId"] == f.nat.as_str() && r["DestinationCidrBlock"] == "0.0.0.0/0"),
        "{rt}"
    );
    assert!(text_of(st, &["route-tables"]).contains(&format!("{}  0.0.0.0/0", f.private_subnet)));

    let nat = json_of(st, &["nat-gateways"]);
    assert_eq!(nat["NatGateways"][0]["NatGatewayId"], f.nat.as_str());
    assert_eq!(nat["NatGateways"][0]["State"], "available");
    assert_eq!(nat["NatGateways"][0]["SubnetId"], f.public_subnet.as_str());
    assert!(nat["NatGateways"][0]["NatGatewayAddresses"][0]["PublicIp"].is_string());
}

#[test]
fn security_groups_in_the_api_grouping() {
    let f = fixture();
    let st = f.state.path();
    let v = json_of(st, &["security-groups", "--stack-name", "todobackend"]);
    let groups = v["SecurityGroups"].as_array().cloned().unwrap_or_default();
    assert_eq!(groups.len(), 1);
    let g = &groups[0];
    assert_eq!(g["GroupName"], "web");
    assert_eq!(
        g["IpPermissions"],
        json!([{"FromPort": 8000, "IpProtocol": "tcp", "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [], "ToPort": 8000,
                "UserIdGroupPairs": [{"GroupId": f.alb_sg, "UserId": "123456789012"}]}])
    );
    assert_eq!(g["IpPermissionsEgress"][0]["IpProtocol"], "-1");
    assert!(g["IpPermissionsEgress"][0].get("FromPort").is_none());
    let text = text_of(st, &["security-groups", "--stack-name", "todobackend"]);
    assert!(text.contains(&format!("in         tcp       8000   {} (alb)", f.alb_sg)), "{text}");
    assert!(text.contains("out        all       all    0.0.0.0/0"), "{text}");
}

#[test]
fn target_health() {
    let f = fixture();
    let st = f.state.path();
    let v = json_of(st, &["target-health", "--target-group", "web-tg"]);
    assert_eq!(
        v["TargetHealthDescriptions"][0],
        json!({"Target": {"Id": f.task_ip, "Port": 8000, "AvailabilityZone": "us-east-1a"}, "HealthCheckPort": "8000", "TargetHealth": {"State": "healthy"}})
    );
    assert_eq!(v["TargetHealthDescriptions"][1]["TargetHealth"]["Reason"], "Target.DeregistrationInProgress");
    let text = text_of(st, &["target-health", "--target-group", TG_ARN]);
    let lines: Vec<&str> = text.lines().collect();
    let words =
        |line: &str| line.split("  ").map(str::trim).filter(|w| !w.is_empty()).map(String::from).collect::<Vec<_>>();
    assert_eq!(words(lines[0]), ["TARGET GROUP", "TARGET", "PORT", "AZ", "STATE", "REASON", "TASK", "DESCRIPTION"]);
    assert_eq!(words(lines[1]), ["web-tg", f.task_ip.as_str(), "8000", "us-east-1a", "healthy", "-", TASK_ID, "-"]);
    assert_eq!(
        words(lines[2]),
        [
            "web-tg",
            "10.0.1.99",
            "8000",
            "-",
            "draining",
            "Target.DeregistrationInProgress",
            "-",
            "Target deregistration is in progress"
        ]
    );
    // Columns line up: every row's STATE starts where the header's does.
    let state_at = lines[0].find("STATE");
    assert!(
        lines[1..].iter().all(|l| l
            .get(state_at.unwrap_or(0)..)
            .is_some_and(|rest| rest.starts_with("healthy") || rest.starts_with("draining"))),
        "{text}"
    );
    let stderr = refused(st, &["target-health", "--target-group", "nope"]);
    assert!(stderr.contains("(TargetGroupNotFound) when calling the DescribeTargetHealth operation"), "{stderr}");
}

#[test]
fn instances_and_container_instances() {
    let f = fixture();
    let st = f.state.path();
    let v = json_of(st, &["instances"]);
    let i = &v["Reservations"][0]["Instances"][0];
    assert_eq!(i["InstanceId"], INSTANCE_ID);
    assert_eq!(i["State"], json!({"Code": 16, "Name": "running"}));
    assert_eq!(i["SecurityGroups"], json!([{"GroupName": "web", "GroupId": f.web_sg}]));
    assert_eq!(i["PublicDnsName"], "");
    assert_eq!(i["PrivateDnsName"], "ip-10-0-1-200.ec2.internal");
    assert_eq!(i["LaunchTime"], "2026-01-01T00:00:10+00:00");
    assert!(text_of(st, &["instances"]).contains("todo"), "the instance's ECS cluster");

    let v = json_of(st, &["container-instances", "--cluster", CLUSTER]);
    let c = &v["containerInstances"][0];
    assert_eq!(c["ec2InstanceId"], INSTANCE_ID);
    assert_eq!(
        c["registeredResources"][1],
        json!({"name": "MEMORY", "type": "INTEGER", "doubleValue": 0.0, "longValue": 0, "integerValue": 944})
    );
    assert_eq!(c["remainingResources"][2]["stringSetValue"], json!(["22", "51678"]));
    assert!(
        c["attributes"]
            .as_array()
            .is_some_and(|a| a.contains(&json!({"name": "com.amazonaws.ecs.capability.task-eni"}))),
        "{c}"
    );
    let text = text_of(st, &["container-instances"]);
    assert!(text.contains("aaaabbbbccccddddeeeeffff00001111  i-0123456789abcdef0  ACTIVE  connected"), "{text}");
}

#[test]
fn an_empty_account_says_there_is_nothing() {
    let st = state();
    for (view, line) in [
        ("tasks", "no tasks\n"),
        ("stacks", "no stacks\n"),
        ("services", "no services\n"),
        ("target-health", "no targets\n"),
    ] {
        let run = describe(st.path(), &[view]);
        assert_eq!(run.code, Some(0), "{}", run.all());
        assert_eq!(run.stdout, line);
    }
    assert_eq!(json_of(st.path(), &["tasks"]), json!({"tasks": [], "failures": []}));
    // The default account's VPC is there without any store.
    assert!(text_of(st.path(), &["subnets"]).contains("172.31.0.0/20"));
    assert!(!st.path().join("account.db").exists(), "describe never creates the store");
}
