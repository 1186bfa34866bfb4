//! ELBv2's create and modify actions: defaults, checks and the links
//! between balancers and the target groups their listeners forward to.

use account::{Account, Action, EniOwner};
use control::elb::{
    self, CreateListenerRequest, CreateLoadBalancerRequest, CreateTargetGroupRequest, ModifyListenerRequest,
};

fn forward(tg: &str) -> Action {
    Action {
        action_type: "forward".into(),
        order: None,
        target_group_arn: Some(tg.into()),
        forward_target_groups: Vec::new(),
        config: None,
    }
}

/// The default VPC's ID and one subnet in each of two zones.
fn two_zones(a: &Account) -> (String, Vec<String>) {
    let vpc = a.default_vpc().map(|v| v.vpc_id.clone()).expect("default VPC");
    let mut subnets: Vec<_> = a.subnets.values().filter(|s| s.vpc_id == vpc).collect();
    subnets.sort_by_key(|s| s.availability_zone.clone());
    (vpc, subnets.iter().take(2).map(|s| s.subnet_id.clone()).collect())
}

#[test]
fn a_balancer_gets_the_default_group_and_one_node_eni_per_subnet() {
    let mut a = Account::new_default();
    let (vpc, subnets) = two_zones(&a);
    let req = CreateLoadBalancerRequest { name: "web".into(), subnets: subnets.clone(), ..Default::default() };
    let lb = elb::create_load_balancer(&mut a, &req).expect("created");
    let default = a.default_security_group(&vpc).map(|g| g.group_id.clone()).expect("default group");
    assert_eq!(
        (lb.lb_type.as_str(), lb.scheme.as_str(), &lb.security_groups),
        ("application", "internet-facing", &vec![default])
    );
    let owner = EniOwner::LoadBalancer { load_balancer_arn: lb.load_balancer_arn.clone() };
    let nodes: Vec<_> = a.network_interfaces.values().filter(|e| e.owner == owner).collect();
    assert_eq!(nodes.len(), 2);
    assert!(nodes.iter().all(|e| e.description == format!("ELB {}", lb.full_name())));
    // SetSecurityGroups reaches the nodes.
    let sg = a.create_security_group(&vpc, "lb", "lb").expect("group").group_id;
    elb::set_security_groups(&mut a, &lb.load_balancer_arn, std::slice::from_ref(&sg)).expect("set");
    assert!(a.network_interfaces.values().filter(|e| e.owner == owner).all(|e| e.groups == vec![sg.clone()]));
    let e = elb::create_load_balancer(&mut a, &req).expect_err("same name");
    assert_eq!(e.code, "DuplicateLoadBalancerName");
}

#[test]
fn one_zone_is_refused_with_aws_text_and_nothing_is_made() {
    let mut a = Account::new_default();
    let (_, subnets) = two_zones(&a);
    let before = a.network_interfaces.len();
    let req = CreateLoadBalancerRequest { name: "web".into(), subnets: subnets[..1].to_vec(), ..Default::default() };
    let e = elb::create_load_balancer(&mut a, &req).expect_err("one zone");
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("ValidationError", "At least two subnets in two different Availability Zones must be specified")
    );
    assert_eq!((a.network_interfaces.len(), a.load_balancers.len()), (before, 0));
    // A network load balancer may live in one zone.
    let nlb = CreateLoadBalancerRequest { lb_type: Some("network".into()), ..req };
    assert!(elb::create_load_balancer(&mut a, &nlb).is_ok());
}

#[test]
fn listeners_link_the_groups_they_forward_to_also_when_modified() {
    let mut a = Account::new_default();
    let (vpc, subnets) = two_zones(&a);
    let lb = elb::create_load_balancer(
        &mut a,
        &CreateLoadBalancerRequest { name: "web".into(), subnets, ..Default::default() },
    )
    .expect("lb")
    .load_balancer_arn;
    let tg = |a: &mut Account, name: &str| {
        let req = CreateTargetGroupRequest {
            name: name.into(),
            vpc_id: Some(vpc.clone()),
            port: Some(80),
            ..Default::default()
        };
        elb::create_target_group(a, &req)
    };
    let blue = tg(&mut a, "blue");
    assert_eq!(
        (blue.target_type.as_str(), blue.health_check.health_check_path.as_str(), blue.deregistration_delay_seconds),
        ("instance", "/", 300)
    );
    let green = tg(&mut a, "green").target_group_arn;
    let blue = blue.target_group_arn;
    let req = CreateListenerRequest {
        load_balancer_arn: lb.clone(),
        port: 80,
        protocol: None,
        default_actions: vec![forward(&blue)],
        ..Default::default()
    };
    let listener = elb::create_listener(&mut a, &req).expect("listener");
    assert_eq!(listener.protocol, "HTTP");
    assert_eq!(a.target_groups[&blue].load_balancer_arns, vec![lb.clone()]);
    let modify = ModifyListenerRequest {
        listener_arn: listener.listener_arn.clone(),
        default_actions: Some(vec![forward(&green)]),
        ..Default::default()
    };
    elb::modify_listener(&mut a, &modify).expect("modified");
    assert_eq!(a.target_groups[&green].load_balancer_arns, vec![lb]);
    let missing = ModifyListenerRequest { default_actions: Some(vec![forward("arn:nope")]), ..modify };
    assert_eq!(elb::modify_listener(&mut a, &missing).expect_err("unknown group").code, "TargetGroupNotFound");
}

#[test]
fn a_target_group_name_is_reused_only_with_the_same_settings() {
    let mut a = Account::default();
    let vpc = a.vpcs.keys().next().cloned();
    let req = elb::CreateTargetGroupRequest {
        name: "web".into(),
        protocol: Some("HTTP".into()),
        port: Some(80),
        vpc_id: vpc,
        ..Default::default()
    };
    let first = elb::create_target_group_once(&mut a, &req).expect("first");
    let again = elb::create_target_group_once(&mut a, &req).expect("same settings");
    assert_eq!(first.target_group_arn, again.target_group_arn);
    let other = elb::CreateTargetGroupRequest { port: Some(8080), ..req };
    assert_eq!(elb::create_target_group_once(&mut a, &other).expect_err("differs").code, "DuplicateTargetGroupName");
    assert_eq!(a.target_groups.len(), 1);
}
