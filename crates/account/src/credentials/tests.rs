use super::*;
use crate::ec2::RunInstances;
use crate::{Account, InertResource, TaskDefinition, TaskStatus};
use serde_json::json;

const HOUR: u64 = 3_600_000;

fn td(a: &mut Account, family: &str, role: Option<&str>) -> String {
    a.register_task_definition(TaskDefinition {
        family: family.into(),
        revision: 0,
        task_definition_arn: String::new(),
        network_mode: "awsvpc".into(),
        requires_compatibilities: vec![],
        cpu: None,
        memory: None,
        container_definitions: vec![],
        task_role_arn: role.map(str::to_string),
        execution_role_arn: None,
        status: crate::TaskDefinitionStatus::Active,
    })
    .task_definition_arn
}

fn task(a: &mut Account, id: &str, td_arn: &str, status: &str) -> String {
    let arn = format!("arn:aws:ecs:us-east-1:123456789012:task/c/{id}");
    let t: crate::Task = serde_json::from_value(json!({
        "taskArn": arn, "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/c",
        "taskDefinitionArn": td_arn, "group": "family:x", "launchType": "FARGATE",
        "availabilityZone": "us-east-1a", "lastStatus": status, "desiredStatus": "RUNNING",
        "connectivity": "CONNECTED", "cpu": 256, "memory": 512, "createdAt": 0,
        "attachments": [], "containers": []
    }))
    .expect("a task");
    a.tasks.insert(arn.clone(), t);
    arn
}

#[test]
fn a_task_with_a_role_gets_an_id_and_rotating_keys_named_after_it() {
    let mut a = Account::default();
    let with = td(&mut a, "web", Some("arn:aws:iam::123456789012:role/app-role"));
    let by_name = td(&mut a, "named", Some("short-role"));
    let without = td(&mut a, "plain", None);
    let t1 = task(&mut a, "0123456789abcdef0123456789abcdef", &with, "RUNNING");
    let t2 = task(&mut a, "fedcba9876543210fedcba9876543210", &without, "RUNNING");
    let t3 = task(&mut a, "11111111111111111111111111111111", &by_name, "PENDING");
    let now = 1_000_000;
    a.refresh_credentials(now);
    assert!(a.task_credentials_of(&t2).is_none(), "no task role, no credentials");
    let c = a.task_credentials_of(&t1).expect("an ID").clone();
    assert_eq!(c.credentials_id.len(), 36);
    assert_eq!(c.relative_uri(), format!("/v2/credentials/{}", c.credentials_id));
    assert_eq!(
        a.task_credentials_of(&t3).map(|c| c.role_arn.as_str()),
        Some("arn:aws:iam::123456789012:role/short-role")
    );
    let served = a.served_task_credentials(&c.credentials_id, now).expect("keys");
    assert_eq!(served.role_arn, "arn:aws:iam::123456789012:role/app-role");
    assert_eq!(
        served.session.assumed_role_arn,
        "arn:aws:sts::123456789012:assumed-role/app-role/0123456789abcdef0123456789abcdef"
    );
    assert_eq!(served.session.expiration_ms, now + 6 * HOUR);
    assert_eq!(served.issued_ms, now);
    assert!(a.served_task_credentials("not-an-id", now).is_none());
    // The same keys until fifteen minutes before they expire, then new ones; the ID stays.
    a.refresh_credentials(now + 5 * HOUR);
    let same = a.served_task_credentials(&c.credentials_id, now + 5 * HOUR).expect("keys");
    assert_eq!(same.session.access_key_id, served.session.access_key_id);
    let late = now + 6 * HOUR - ROTATE_BEFORE_MS + 1;
    a.refresh_credentials(late);
    let rotated = a.served_task_credentials(&c.credentials_id, late).expect("keys");
    assert_ne!(rotated.session.access_key_id, served.session.access_key_id);
    assert_eq!(rotated.issued_ms, late);
    assert_eq!(a.task_credentials_of(&t1).map(|x| &x.credentials_id), Some(&c.credentials_id));
    // A stopped task's ID is forgotten, and its keys are no longer served.
    a.tasks.get_mut(&t1).expect("task").last_status = TaskStatus::Stopped;
    a.refresh_credentials(late + 1);
    assert!(a.task_credentials_of(&t1).is_none());
    assert!(a.served_task_credentials(&c.credentials_id, late + 1).is_none());
}

/// An account with a running instance launched with the profile `profile`
/// (recorded as a stack made it) holding the role `ecs-instance`.
fn instance_with_profile(profile_given: &str) -> (Account, String) {
    let mut a = Account::default();
    let subnet = a.subnets.values().next().expect("default subnets").subnet_id.clone();
    a.put_inert(InertResource {
        resource_type: "AWS::IAM::InstanceProfile".into(),
        physical_id: "stack-Profile-ABC".into(),
        arn: Some("arn:aws:iam::123456789012:instance-profile/stack-Profile-ABC".into()),
        attributes: Default::default(),
    });
    let stack: crate::Stack = serde_json::from_value(json!({
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1", "StackName": "s",
        "StackStatus": "CREATE_COMPLETE", "CreationTime": 0,
        "Resources": [{
            "LogicalResourceId": "Profile", "PhysicalResourceId": "stack-Profile-ABC",
            "ResourceType": "AWS::IAM::InstanceProfile", "ResourceStatus": "CREATE_COMPLETE",
            "LastUpdatedTimestamp": 0, "Properties": {"Roles": ["ecs-instance"]}
        }]
    }))
    .expect("a stack");
    a.stacks.insert(stack.stack_id.clone(), stack);
    let i = a
        .run_instances(RunInstances {
            subnet_id: subnet,
            instance_type: "t3.micro".into(),
            image_id: Some("ami-0123456789abcdef0".into()),
            iam_instance_profile: Some(profile_given.into()),
            ..RunInstances::default()
        })
        .expect("runs");
    a.instances.get_mut(&i.instance_id).expect("instance").state = crate::InstanceState::Running;
    (a, i.instance_id)
}

#[test]
fn an_instance_profile_role_is_served_under_its_name() {
    for given in ["stack-Profile-ABC", "arn:aws:iam::123456789012:instance-profile/stack-Profile-ABC"] {
        let (mut a, id) = instance_with_profile(given);
        assert_eq!(a.instance_role_arn(&id).as_deref(), Some("arn:aws:iam::123456789012:role/ecs-instance"));
        let now = 5_000;
        assert!(a.served_instance_credentials(&id, now).is_none(), "nothing before the first refresh");
        a.refresh_credentials(now);
        let c = a.served_instance_credentials(&id, now).expect("keys");
        assert_eq!(c.session.assumed_role_arn, format!("arn:aws:sts::123456789012:assumed-role/ecs-instance/{id}"));
        let t = instance_metadata(&a, &id, now).expect("metadata");
        let doc: serde_json::Value =
            serde_json::from_str(&t["meta-data/iam/security-credentials/ecs-instance"]).expect("JSON");
        assert_eq!(doc["Code"], "Success");
        assert_eq!(doc["Type"], "AWS-HMAC");
        assert_eq!(doc["AccessKeyId"], c.session.access_key_id.as_str());
        assert_eq!(doc["Token"], c.session.session_token.as_str());
        assert_eq!(doc["Expiration"], iso_time(now + 6 * HOUR));
        let info: serde_json::Value = serde_json::from_str(&t["meta-data/iam/info"]).expect("JSON");
        assert_eq!(info["InstanceProfileArn"], "arn:aws:iam::123456789012:instance-profile/stack-Profile-ABC");
        assert!(info["InstanceProfileId"].as_str().is_some_and(|p| p.starts_with("AIPA") && p.len() == 21));
    }
}

#[test]
fn metadata_and_the_identity_document_describe_the_instance() {
    let (a, id) = instance_with_profile("stack-Profile-ABC");
    let i = &a.instances[&id];
    let t = instance_metadata(&a, &id, 0).expect("metadata");
    assert_eq!(t["meta-data/instance-id"], id);
    assert_eq!(t["meta-data/ami-id"], "ami-0123456789abcdef0");
    assert_eq!(t["meta-data/instance-type"], "t3.micro");
    assert_eq!(t["meta-data/local-ipv4"], i.private_ip_address.to_string());
    assert_eq!(t["meta-data/placement/availability-zone"], i.availability_zone);
    assert_eq!(t["meta-data/placement/region"], "us-east-1");
    let mac = &t["meta-data/mac"];
    let eni = &a.network_interfaces[&i.network_interface_ids[0]];
    assert_eq!(mac, &eni.mac_address);
    let m = format!("meta-data/network/interfaces/macs/{mac}");
    assert_eq!(t[&format!("{m}/interface-id")], eni.network_interface_id);
    assert_eq!(t[&format!("{m}/subnet-id")], i.subnet_id);
    assert_eq!(t[&format!("{m}/vpc-id")], i.vpc_id);
    assert_eq!(t[&format!("{m}/device-number")], "0");
    // No keys were issued yet, so no credentials are listed.
    assert!(!t.keys().any(|k| k.contains("security-credentials")));
    let doc: serde_json::Value =
        serde_json::from_str(&t["dynamic/instance-identity/document"]).expect("the document is JSON");
    assert_eq!(doc["accountId"], "123456789012");
    assert_eq!(doc["instanceId"], id.as_str());
    assert_eq!(doc["architecture"], "x86_64");
    assert_eq!(doc["region"], "us-east-1");
    assert_eq!(doc["privateIp"], i.private_ip_address.to_string());
    assert_eq!(doc["version"], "2017-09-30");
    assert!(doc["kernelId"].is_null());
    assert!(instance_metadata(&a, "i-00000000000000000", 0).is_none());
}

#[test]
fn an_instance_without_a_profile_gets_no_keys() {
    let (mut a, id) = instance_with_profile("some-other-profile");
    a.refresh_credentials(0);
    assert!(a.instance_role_arn(&id).is_none());
    assert!(a.served_instance_credentials(&id, 0).is_none());
    assert!(a.role_sessions.is_empty());
}
