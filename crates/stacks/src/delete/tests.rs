//! Deleting through the handlers' own records: each kind of resource is
//! created as the engine creates it, deleted newest first, and the account
//! must come back to what it was.

use super::*;
use crate::planner::{Planned, Planner, ResolvedResource};
use cfn::{Node, Pos};

/// Plans one resource from YAML properties (and metadata) through its
/// handler, as the engine does; the tests of handlers use it too.
pub(crate) fn plan_yaml(
    p: &mut Planner,
    logical: &str,
    resource_type: &str,
    properties: &str,
    metadata: Option<&str>,
) -> Planned {
    let load = |y: &str| cfn::load::load_bytes(y.as_bytes()).expect("yaml");
    let r = ResolvedResource {
        logical_id: logical.into(),
        resource_type: resource_type.into(),
        properties: load(properties),
        metadata: metadata.map(load),
        pos: Pos::default(),
    };
    p.resolved.insert(logical.into(), r.clone());
    let planned = crate::handlers::plan(p, &r);
    p.planned.insert(logical.into(), planned.clone());
    planned
}

/// Creates one resource and returns the record a stack keeps of it.
fn create(p: &mut Planner, logical: &str, resource_type: &str, properties: &str) -> StackResource {
    let planned = plan_yaml(p, logical, resource_type, properties, None);
    assert!(p.diagnostics.is_empty(), "{logical}: {:?}", p.diagnostics);
    StackResource {
        logical_resource_id: logical.into(),
        physical_resource_id: Some(planned.ref_value.clone()),
        resource_type: resource_type.into(),
        resource_status: "CREATE_COMPLETE".into(),
        resource_status_reason: None,
        last_updated_timestamp: 0,
        properties: p.resolved[logical].properties.to_json(),
        attributes: planned.attributes.iter().map(|(k, v)| (k.clone(), Node::to_json(v))).collect(),
        deletion_policy: None,
        no_echo: false,
    }
}

/// The default VPC's default subnets.
fn default_subnets(a: &Account) -> Vec<String> {
    a.subnets.values().filter(|s| s.default_for_az).map(|s| s.subnet_id.clone()).collect()
}

fn planner() -> Planner {
    let a = Account::default();
    let pseudo = cfn::resolve::Pseudo::new(&a.account_id, &a.region, "s");
    Planner::new(a, pseudo, None)
}

/// Deletes the resources newest first, waiting for each as the engine does.
fn delete_all(a: &mut Account, resources: &[StackResource]) {
    for r in resources.iter().rev() {
        delete_resource(a, r).unwrap_or_else(|e| panic!("{}: {e}", r.logical_resource_id));
        let deadline = a.clock_ms + 30 * 60_000;
        assert!(
            control::run_until(a, deadline, |a| deletion_complete(a, r)),
            "{} did not finish",
            r.logical_resource_id
        );
    }
    // Terminated instances and deleted NAT gateways stay listed for an hour.
    control::advance_by(a, 2 * 60 * 60_000);
}

/// The account with what a delete legitimately leaves behind (INACTIVE
/// clusters and task definitions) dropped, and without counter and clock.
fn normalized(a: &Account) -> Account {
    let mut x = a.clone();
    x.id_counter = 0;
    x.clock_ms = 0;
    x.clusters.retain(|_, c| c.status != "INACTIVE");
    x.task_definitions.retain(|_, t| t.status != "INACTIVE");
    x
}

#[test]
fn every_network_resource_deletes_back_to_the_account_it_came_from() {
    let mut p = planner();
    let before = normalized(&p.account);
    let mut made = Vec::new();
    let vpc = create(&mut p, "Vpc", "AWS::EC2::VPC", "CidrBlock: 10.1.0.0/16");
    let v = vpc.physical_resource_id.clone().unwrap_or_default();
    made.push(vpc);
    let igw = create(&mut p, "Igw", "AWS::EC2::InternetGateway", "{}");
    let g = igw.physical_resource_id.clone().unwrap_or_default();
    made.push(igw);
    made.push(create(
        &mut p,
        "Attach",
        "AWS::EC2::VPCGatewayAttachment",
        &format!("{{VpcId: {v}, InternetGatewayId: {g}}}"),
    ));
    let sub = create(
        &mut p,
        "Sub",
        "AWS::EC2::Subnet",
        &format!("{{VpcId: {v}, CidrBlock: 10.1.1.0/24, AvailabilityZone: us-east-1a, MapPublicIpOnLaunch: true}}"),
    );
    let s = sub.physical_resource_id.clone().unwrap_or_default();
    made.push(sub);
    let rt = create(&mut p, "Rt", "AWS::EC2::RouteTable", &format!("{{VpcId: {v}}}"));
    let t = rt.physical_resource_id.clone().unwrap_or_default();
    made.push(rt);
    made.push(create(
        &mut p,
        "Route",
        "AWS::EC2::Route",
        &format!("{{RouteTableId: {t}, DestinationCidrBlock: 0.0.0.0/0, GatewayId: {g}}}"),
    ));
    made.push(create(
        &mut p,
        "Assoc",
        "AWS::EC2::SubnetRouteTableAssociation",
        &format!("{{RouteTableId: {t}, SubnetId: {s}}}"),
    ));
    let eip = create(&mut p, "Eip", "AWS::EC2::EIP", "{Domain: vpc}");
    let alloc = attr(&eip, "AllocationId").unwrap_or_default();
    made.push(eip);
    made.push(create(&mut p, "Nat", "AWS::EC2::NatGateway", &format!("{{SubnetId: {s}, AllocationId: {alloc}}}")));
    let sg = create(&mut p, "Sg", "AWS::EC2::SecurityGroup", &format!("{{VpcId: {v}, GroupDescription: web, SecurityGroupIngress: [{{IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}}]}}"));
    let gid = sg.physical_resource_id.clone().unwrap_or_default();
    made.push(sg);
    made.push(create(
        &mut p,
        "In",
        "AWS::EC2::SecurityGroupIngress",
        &format!("{{GroupId: {gid}, IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: {gid}}}"),
    ));
    made.push(create(
        &mut p,
        "Out",
        "AWS::EC2::SecurityGroupEgress",
        &format!("{{GroupId: {gid}, IpProtocol: '-1', CidrIp: 10.0.0.0/8}}"),
    ));
    let acl = create(&mut p, "Acl", "AWS::EC2::NetworkAcl", &format!("{{VpcId: {v}}}"));
    let n = acl.physical_resource_id.clone().unwrap_or_default();
    made.push(acl);
    made.push(create(&mut p, "Entry", "AWS::EC2::NetworkAclEntry", &format!("{{NetworkAclId: {n}, RuleNumber: 100, Protocol: 6, RuleAction: allow, Egress: true, CidrBlock: 0.0.0.0/0, PortRange: {{From: 443, To: 443}}}}")));
    made.push(create(
        &mut p,
        "AclAssoc",
        "AWS::EC2::SubnetNetworkAclAssociation",
        &format!("{{SubnetId: {s}, NetworkAclId: {n}}}"),
    ));
    made.push(create(&mut p, "Eni", "AWS::EC2::NetworkInterface", &format!("{{SubnetId: {s}, GroupSet: [{gid}]}}")));
    made.push(create(
        &mut p,
        "Host",
        "AWS::EC2::Instance",
        &format!("{{SubnetId: {s}, InstanceType: t3.micro, SecurityGroupIds: [{gid}]}}"),
    ));
    made.push(create(&mut p, "Role", "AWS::IAM::Role", "{AssumeRolePolicyDocument: {}}"));
    made.push(create(&mut p, "Param", "AWS::SSM::Parameter", "{Name: /app/x, Type: String, Value: '1'}"));
    let mut a = p.account;
    control::advance_by(&mut a, 60_000);
    // Out of order, the VPC refuses with AWS's words.
    assert_eq!(
        delete_resource(&mut a, &made[0]),
        Err(format!("The vpc '{v}' has dependencies and cannot be deleted."))
    );
    delete_all(&mut a, &made);
    assert_eq!(normalized(&a), before);
    // A second delete finds everything gone, which counts as deleted.
    delete_all(&mut a, &made);
}

#[test]
fn compute_load_balancing_databases_and_ecs_delete_too() {
    let mut p = planner();
    let subnets = default_subnets(&p.account);
    let (s1, s2) = (subnets[0].clone(), subnets[1].clone());
    let vpc = p.account.default_vpc().map(|v| v.vpc_id.clone()).unwrap_or_default();
    let before = normalized(&p.account);
    let mut made = vec![create(&mut p, "Cluster", "AWS::ECS::Cluster", "ClusterName: web")];
    made.push(create(
        &mut p,
        "Lc",
        "AWS::AutoScaling::LaunchConfiguration",
        "{ImageId: ami-1, InstanceType: t2.micro, UserData: 'echo ECS_CLUSTER=web >> /etc/ecs/ecs.config'}",
    ));
    made.push(create(&mut p, "Lt", "AWS::EC2::LaunchTemplate", "LaunchTemplateData: {InstanceType: t3.micro}"));
    let tg = create(
        &mut p,
        "Tg",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        &format!("{{Port: 80, Protocol: HTTP, VpcId: {vpc}}}"),
    );
    let tga = tg.physical_resource_id.clone().unwrap_or_default();
    made.push(tg);
    let lc = made[1].physical_resource_id.clone().unwrap_or_default();
    made.push(create(&mut p, "Asg", "AWS::AutoScaling::AutoScalingGroup", &format!("{{LaunchConfigurationName: {lc}, MinSize: 1, MaxSize: 2, VPCZoneIdentifier: [{s1}, {s2}], TargetGroupARNs: [{tga}]}}")));
    let lb = create(&mut p, "Lb", "AWS::ElasticLoadBalancingV2::LoadBalancer", &format!("{{Subnets: [{s1}, {s2}]}}"));
    let lba = lb.physical_resource_id.clone().unwrap_or_default();
    made.push(lb);
    let listener = create(&mut p, "Listener", "AWS::ElasticLoadBalancingV2::Listener", &format!("{{LoadBalancerArn: {lba}, Port: 80, Protocol: HTTP, DefaultActions: [{{Type: forward, TargetGroupArn: {tga}}}]}}"));
    let la = listener.physical_resource_id.clone().unwrap_or_default();
    made.push(listener);
    made.push(create(
        &mut p,
        "Rule",
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        &format!(
            "{{ListenerArn: {la}, Priority: 1, Conditions: [], Actions: [{{Type: forward, TargetGroupArn: {tga}}}]}}"
        ),
    ));
    made.push(create(
        &mut p,
        "DbSubnets",
        "AWS::RDS::DBSubnetGroup",
        &format!("{{DBSubnetGroupDescription: d, SubnetIds: [{s1}, {s2}]}}"),
    ));
    let group = made.last().and_then(|r| r.physical_resource_id.clone()).unwrap_or_default();
    made.push(create(
        &mut p,
        "Db",
        "AWS::RDS::DBInstance",
        &format!("{{Engine: postgres, DBInstanceClass: db.t3.micro, DBSubnetGroupName: {group}}}"),
    ));
    made.push(create(
        &mut p,
        "Td",
        "AWS::ECS::TaskDefinition",
        "{Family: web, ContainerDefinitions: [{Name: app, Image: nginx, Memory: 128}]}",
    ));
    let mut a = p.account;
    control::advance_by(&mut a, 5 * 60_000);
    let asg = made[4].physical_resource_id.clone().unwrap_or_default();
    assert_eq!(control::ec2::instances_in_service(&a, &asg), 1);
    assert_eq!(a.container_instances.len(), 1, "its agent joined web");
    // The cluster holds while its instance is registered.
    assert_eq!(
        delete_resource(&mut a, &made[0]),
        Err("The Cluster cannot be deleted while Container Instances are active or draining.".to_string())
    );
    assert_eq!(
        delete_resource(&mut a, &made[3]),
        Err(format!("Target group '{tga}' is currently in use by a listener or a rule"))
    );
    let mut kept = made[2].clone();
    kept.deletion_policy = Some("Retain".into());
    delete_resource(&mut a, &kept).expect("retained");
    assert!(a.launch_templates.contains_key(kept.physical_resource_id.as_deref().unwrap_or_default()));
    delete_all(&mut a, &made);
    assert_eq!(a.clusters["web"].status, "INACTIVE");
    assert_eq!(normalized(&a), before);
}

#[test]
fn a_service_deletes_once_its_tasks_have_stopped() {
    let mut p = planner();
    let subnet = default_subnets(&p.account).remove(0);
    let before = normalized(&p.account);
    let mut made = vec![create(&mut p, "Cluster", "AWS::ECS::Cluster", "ClusterName: app")];
    made.push(create(&mut p, "Td", "AWS::ECS::TaskDefinition", "{Family: app, NetworkMode: awsvpc, RequiresCompatibilities: [FARGATE], Cpu: '256', Memory: '512', ContainerDefinitions: [{Name: app, Image: nginx}]}"));
    let td = made[1].physical_resource_id.clone().unwrap_or_default();
    made.push(create(&mut p, "Svc", "AWS::ECS::Service", &format!("{{Cluster: app, ServiceName: api, TaskDefinition: '{td}', DesiredCount: 1, LaunchType: FARGATE, NetworkConfiguration: {{AwsvpcConfiguration: {{Subnets: [{subnet}]}}}}}}")));
    let mut a = p.account;
    control::advance_by(&mut a, 5 * 60_000);
    let running = |a: &Account| a.tasks.values().filter(|t| t.last_status == "RUNNING").count();
    assert_eq!(running(&a), 1, "the service runs its task");
    delete_all(&mut a, &made);
    assert_eq!(running(&a), 0);
    let mut after = normalized(&a);
    // Stopped tasks and the INACTIVE service stay describable for a while.
    after.tasks.clear();
    after.services.clear();
    assert_eq!(after, before);
}
