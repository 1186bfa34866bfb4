//! Tests of the ELBv2, RDS, launch configuration, ECS and SSM deletes.

use crate::account::Account;
use crate::ec2::CreateNetworkInterface;
use crate::model::*;

fn same(a: &Account, b: &Account) -> bool {
    let mut x = a.clone();
    x.id_counter = b.id_counter;
    x == *b
}

fn subnet(a: &mut Account) -> String {
    let vpc = a.create_vpc("10.0.0.0/16").expect("vpc").vpc_id;
    a.create_subnet(&vpc, "10.0.1.0/24", None).expect("subnet").subnet_id
}

fn forward(tg: &str) -> Action {
    Action {
        action_type: "forward".into(),
        order: None,
        target_group_arn: Some(tg.into()),
        forward_target_groups: vec![],
        config: None,
    }
}

fn target_group(a: &mut Account) -> String {
    let arn = a.new_target_group_arn("tg");
    a.put_target_group(TargetGroup {
        target_group_arn: arn.clone(),
        target_group_name: "tg".into(),
        protocol: Some("HTTP".into()),
        port: Some(80),
        vpc_id: None,
        target_type: "ip".into(),
        health_check: HealthCheck::default(),
        deregistration_delay_seconds: 300,
        load_balancer_arns: vec![],
        targets: vec![],
    });
    arn
}

#[test]
fn load_balancer_listener_rule_and_target_group() {
    let mut a = Account::empty("123456789012", "us-east-1");
    let s = subnet(&mut a);
    let before = a.clone();
    let tg = target_group(&mut a);
    let lb_arn = a.new_load_balancer_arn("web", "application");
    let lb = LoadBalancer {
        load_balancer_arn: lb_arn.clone(),
        load_balancer_name: "web".into(),
        dns_name: "web-1.us-east-1.elb.amazonaws.com".into(),
        scheme: "internal".into(),
        lb_type: "application".into(),
        subnets: vec![s.clone()],
        security_groups: vec![],
        vpc_id: String::new(),
        state: "active".into(),
    };
    let mut req = CreateNetworkInterface::new(&s);
    req.description = format!("ELB {}", lb.full_name());
    req.requester_managed = true;
    req.requester_id = Some("amazon-elb".into());
    req.owner = crate::EniOwner::LoadBalancer { load_balancer_arn: lb_arn.clone() };
    a.put_load_balancer(lb);
    a.create_network_interface(req).expect("eni");
    let listener = a.new_listener_arn(&lb_arn);
    a.put_listener(Listener {
        listener_arn: listener.clone(),
        load_balancer_arn: lb_arn.clone(),
        port: 80,
        protocol: "HTTP".into(),
        default_actions: vec![forward(&tg)],
        certificates: Vec::new(),
        ssl_policy: None,
    });
    let rule = a.new_listener_rule_arn(&listener);
    a.put_listener_rule(ListenerRule {
        rule_arn: rule.clone(),
        listener_arn: listener.clone(),
        priority: 1,
        conditions: vec![],
        actions: vec![forward(&tg)],
    });
    if let Some(t) = a.target_groups.get_mut(&tg) {
        t.load_balancer_arns.push(lb_arn.clone());
    }
    let e = a.delete_target_group(&tg).expect_err("in use");
    assert_eq!(
        (e.code.as_str(), e.message),
        ("ResourceInUse", format!("Target group '{tg}' is currently in use by a listener or a rule"))
    );
    a.delete_listener_rule(&rule).expect("rule");
    assert_eq!(a.target_groups[&tg].load_balancer_arns, vec![lb_arn.clone()], "the listener still forwards");
    assert_eq!(a.delete_listener_rule(&rule).map_err(|e| e.code), Err("RuleNotFound".to_string()));
    a.delete_load_balancer(&lb_arn).expect("lb");
    assert!(a.listeners.is_empty() && a.network_interfaces.is_empty());
    assert!(a.target_groups[&tg].load_balancer_arns.is_empty());
    a.delete_load_balancer(&lb_arn).expect("already gone is fine");
    a.delete_target_group(&tg).expect("tg");
    assert!(same(&a, &before));
}

#[test]
fn db_instance_and_subnet_group() {
    let mut a = Account::empty("123456789012", "us-east-1");
    let s = subnet(&mut a);
    let before = a.clone();
    let arn = a.db_subnet_group_arn("dbs");
    a.put_db_subnet_group(DbSubnetGroup {
        db_subnet_group_name: "dbs".into(),
        db_subnet_group_arn: arn,
        description: "d".into(),
        vpc_id: String::new(),
        subnet_ids: vec![s.clone()],
    });
    let mut req = CreateNetworkInterface::new(&s);
    req.requester_managed = true;
    req.requester_id = Some("amazon-rds".into());
    let eni = a.create_network_interface(req).expect("eni").network_interface_id;
    let db_arn = a.db_instance_arn("db1");
    let endpoint = a.db_endpoint_address("db1");
    a.put_db_instance(DbInstance {
        db_instance_identifier: "db1".into(),
        db_instance_arn: db_arn,
        endpoint_address: endpoint,
        endpoint_port: 5432,
        db_subnet_group_name: Some("dbs".into()),
        vpc_security_groups: vec![],
        engine: "postgres".into(),
        db_instance_class: "db.t3.micro".into(),
        network_interface_id: Some(eni),
        master_username: None,
        master_user_password: None,
    });
    let e = a.delete_db_subnet_group("dbs").expect_err("in use");
    assert_eq!(
        e.message,
        "Cannot delete the subnet group 'dbs' because at least one database instance: db1 is still using it."
    );
    a.delete_db_instance("DB1").expect("case-insensitive like RDS");
    a.delete_db_subnet_group("dbs").expect("group");
    assert!(same(&a, &before));
    assert_eq!(a.delete_db_instance("db1").map_err(|e| e.code), Err("DBInstanceNotFound".to_string()));
}

#[test]
fn launch_configuration_in_use_and_template() {
    let mut a = Account::empty("123456789012", "us-east-1");
    let before = a.clone();
    let lc_arn = a.new_launch_configuration_arn("lc");
    a.put_launch_configuration(LaunchConfiguration {
        launch_configuration_name: "lc".into(),
        launch_configuration_arn: lc_arn,
        ..LaunchConfiguration::default()
    });
    let group_arn = a.new_auto_scaling_group_arn("asg");
    let group = AutoScalingGroup {
        auto_scaling_group_name: "asg".into(),
        auto_scaling_group_arn: group_arn,
        launch_configuration_name: Some("lc".into()),
        ..AutoScalingGroup::default()
    };
    a.put_auto_scaling_group(group);
    let e = a.delete_launch_configuration("lc").expect_err("in use");
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("ResourceInUse", "Cannot delete launch configuration lc because it is attached to AutoScalingGroup asg")
    );
    a.delete_auto_scaling_group("asg", false).expect("no instances");
    a.delete_launch_configuration("lc").expect("lc");
    let lt = a.new_id("lt");
    a.put_launch_template(LaunchTemplate {
        launch_template_id: lt.clone(),
        launch_template_name: "tpl".into(),
        latest_version_number: 1,
        ..LaunchTemplate::default()
    });
    a.delete_launch_template("tpl").expect("by name");
    assert_eq!(a.delete_launch_template(&lt).map_err(|e| e.code), Err("InvalidLaunchTemplateId.NotFound".to_string()));
    assert!(same(&a, &before));
}

#[test]
fn cluster_refusals_then_inactive() {
    let mut a = Account::empty("123456789012", "us-east-1");
    let c = a.new_cluster("prod");
    let cluster_arn = c.cluster_arn.clone();
    a.put_cluster(c);
    let ci_arn = crate::ids::ecs_container_instance_arn("us-east-1", "123456789012", "prod", "0123");
    a.container_instances.insert(
        ci_arn.clone(),
        ContainerInstance {
            container_instance_arn: ci_arn.clone(),
            ec2_instance_id: "i-0".into(),
            cluster_arn: cluster_arn.clone(),
            status: crate::ContainerInstanceStatus::Active,
            agent_connected: true,
            registered_resources: InstanceResources::default(),
            remaining_resources: InstanceResources::default(),
            attributes: Default::default(),
            running_tasks_count: 0,
            pending_tasks_count: 0,
            registered_at: 0,
        },
    );
    let e = a.delete_cluster("prod").expect_err("instances");
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        (
            "ClusterContainsContainerInstancesException",
            "The Cluster cannot be deleted while Container Instances are active or draining."
        )
    );
    a.deregister_container_instances_of("i-0");
    a.delete_cluster(&cluster_arn).expect("by ARN");
    assert_eq!(a.clusters["prod"].status, "INACTIVE");
    assert_eq!(a.delete_cluster("prod").map_err(|e| e.code), Err("ClusterNotFoundException".to_string()));
    assert_eq!(a.delete_cluster("nope").map_err(|e| e.message), Err("Cluster not found.".to_string()));
}

#[test]
fn task_definitions_parameters_and_inert() {
    let mut a = Account::empty("123456789012", "us-east-1");
    let before = a.clone();
    a.put_ssm_parameter("/app/x", "String", "1");
    a.delete_ssm_parameter("/app/x").expect("param");
    assert_eq!(a.delete_ssm_parameter("/app/x").map_err(|e| e.code), Err("ParameterNotFound".to_string()));
    a.put_inert(InertResource {
        resource_type: "AWS::IAM::Role".into(),
        physical_id: "r".into(),
        arn: None,
        attributes: Default::default(),
    });
    assert!(a.delete_inert("AWS::IAM::Role", "r"));
    assert!(!a.delete_inert("AWS::IAM::Role", "r"));
    assert!(same(&a, &before));
    let td = a.register_task_definition(TaskDefinition {
        family: "web".into(),
        revision: 0,
        task_definition_arn: String::new(),
        network_mode: "awsvpc".into(),
        requires_compatibilities: vec![],
        cpu: None,
        memory: None,
        container_definitions: vec![],
        task_role_arn: None,
        execution_role_arn: None,
        status: crate::TaskDefinitionStatus::Active,
    });
    a.deregister_task_definition(&td.task_definition_arn).expect("deregister");
    assert_eq!(a.task_definitions[&td.task_definition_arn].status, "INACTIVE");
    assert_eq!(a.deregister_task_definition("nope:9").map_err(|e| e.code), Err("ClientException".to_string()));
}
