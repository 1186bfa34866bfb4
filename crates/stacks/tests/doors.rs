//! Every ECS, ELBv2 and EC2 create-time rule through both doors: a
//! template (what `validate` reports) and the API action a CLI, the wire
//! endpoint or a Lambda function calls. Both must give the same text, and
//! the action AWS's error code for the rule the finding names.

use account::{Account, AwsError, RouteTarget};
use cfn::params;
use control::ecs::{self, CreateServiceRequest, RunTaskRequest};
use control::elb::{self, CreateListenerRequest, CreateLoadBalancerRequest, CreateRuleRequest};
use stacks::{analyze, Analysis, StackInput};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn analyze_file(path: &Path, overrides: Vec<(String, String)>, account: &Account) -> Analysis {
    let input = StackInput {
        template_path: path.to_path_buf(),
        stack_name: "doors".into(),
        overrides,
        ..StackInput::default()
    };
    analyze(&input, account).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Analyzes an inline template (written to a file of its own).
fn analyze_text(name: &str, text: &str, account: &Account) -> Analysis {
    let dir = std::env::temp_dir().join(format!("tasknet-doors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join(format!("{name}.yml"));
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    let a = analyze_file(&path, Vec::new(), account);
    let _ = std::fs::remove_file(&path);
    a
}

/// The errors of one resource, as (code, text).
fn findings(a: &Analysis, logical_id: &str) -> Vec<(String, String)> {
    a.diagnostics
        .iter()
        .filter(|d| d.is_error() && d.resource.as_deref() == Some(logical_id))
        .map(|d| (d.code.to_string(), d.message.clone()))
        .collect()
}

/// AWS's error code for the rule a finding code stands for (TN4001 and
/// TN4003 as ECS wraps EC2's lookups).
fn aws_code(tn: &str) -> &'static str {
    match tn {
        "TN2003" | "TN2016" => "ClientException",
        "TN2001" | "TN2002" | "TN2004" | "TN2005" | "TN2006" | "TN2007" | "TN2008" | "TN2009" | "TN2010" | "TN2011"
        | "TN2012" | "TN2013" | "TN2014" | "TN2015" | "TN4001" | "TN4003" => "InvalidParameterException",
        "TN2020" => "ValidationError",
        "TN3001" => "InvalidSubnet.Range",
        "TN3002" => "InvalidSubnet.Conflict",
        "TN3003" => "InvalidParameterValue",
        "TN4002" => "InvalidVpcID.NotFound",
        "TN4006" => "TargetGroupNotFound",
        "TN4007" => "LoadBalancerNotFound",
        "TN4008" => "ListenerNotFound",
        other => panic!("no AWS code listed for {other}"),
    }
}

fn dev_cfg() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo().join("examples/todobackend/dev.cfg")).expect("dev.cfg");
    params::parse_cfg_file(&text).expect("dev.cfg parses")
}

/// The physical ID the plan gave a resource.
fn physical<'a>(a: &'a Analysis, logical_id: &str) -> &'a str {
    a.plan.resources.iter().find(|r| r.logical_id == logical_id).map_or("", |r| r.physical_id.as_str())
}

/// The CreateService request the recorded service stands for, under a new name.
fn service_request(a: &Analysis, logical_id: &str) -> CreateServiceRequest {
    let svc = a.plan.account.services.get(physical(a, logical_id)).unwrap_or_else(|| panic!("{logical_id} recorded"));
    let cluster = svc.cluster_arn.rsplit_once(":cluster/").map(|(_, n)| n.to_string());
    CreateServiceRequest {
        cluster,
        service_name: "through-the-api".into(),
        task_definition: svc.task_definition.clone(),
        desired_count: Some(svc.desired_count),
        launch_type: svc.launch_type.clone(),
        network_configuration: svc.network_configuration.clone(),
        load_balancers: svc.load_balancers.clone(),
        role: svc.role_arn.clone(),
        deployment_configuration: Some(svc.deployment_configuration.clone()),
        ..CreateServiceRequest::default()
    }
}

const WRAP: &str = "Invalid request provided: CreateService error: ";

#[test]
fn every_ecs_rule_of_the_broken_examples_reads_the_same_through_createservice_runtask_and_registertaskdefinition() {
    let dir = repo().join("examples/todobackend/broken");
    let mut checked = Vec::new();
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("broken/").filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "yml")) {
        let a = analyze_file(path, dev_cfg(), &Account::new_default());
        for r in &a.plan.resources {
            let found = findings(&a, &r.logical_id);
            let Some((code, text)) = found.first() else { continue };
            match r.resource_type.as_str() {
                "AWS::ECS::Service" => {
                    let mut account = a.plan.account.clone();
                    let req = service_request(&a, &r.logical_id);
                    let e = ecs::create_service(&mut account, &req).expect_err("CreateService refuses");
                    assert_eq!(format!("{WRAP}{}", e.message), *text, "{}", path.display());
                    assert_eq!(e.code(), aws_code(code), "{}: {code}", path.display());
                    assert_eq!(e.http_status(), 400);
                    // RunTask checks the same network settings with the same words.
                    let network_rule =
                        ["TN2001", "TN2002", "TN2008", "TN2009", "TN2010", "TN2011"].contains(&code.as_str());
                    if network_rule {
                        let run = RunTaskRequest {
                            cluster: req.cluster.clone(),
                            task_definition: req.task_definition.clone(),
                            launch_type: req.launch_type.clone(),
                            network_configuration: req.network_configuration.clone(),
                            ..RunTaskRequest::default()
                        };
                        let e = ecs::run_task(&mut account, &run).expect_err("RunTask refuses");
                        assert_eq!(format!("{WRAP}{}", e.message), *text, "{}: RunTask", path.display());
                        checked.push(format!("{code} RunTask"));
                    }
                    checked.push(format!("{code} CreateService"));
                }
                "AWS::ECS::TaskDefinition" => {
                    let mut account = a.plan.account.clone();
                    let td = account.task_definitions.get(&r.physical_id).cloned().expect("recorded");
                    let e = ecs::register_task_definition(&mut account, td).expect_err("refused");
                    assert_eq!(e.message, *text, "{}", path.display());
                    assert_eq!(e.code(), aws_code(code));
                    checked.push(format!("{code} RegisterTaskDefinition"));
                }
                _ => {}
            }
        }
    }
    let codes: std::collections::BTreeSet<&str> = checked.iter().filter_map(|c| c.split(' ').next()).collect();
    for code in [
        "TN2001", "TN2002", "TN2003", "TN2004", "TN2005", "TN2006", "TN2007", "TN2008", "TN2009", "TN2010", "TN2011",
        "TN2012", "TN2013", "TN2014", "TN2015", "TN2016",
    ] {
        assert!(codes.contains(code), "{code} went through no door: {checked:?}");
    }
    // The ECS rules that read a service's subnets: TN4001 too, and the words are ECS's (seen).
    let a = analyze_file(&dir.join("unknown-subnet-id.yml"), dev_cfg(), &Account::new_default());
    let (_, text) = findings(&a, "ApplicationService").into_iter().next().expect("TN4001");
    let mut account = a.plan.account.clone();
    let e = ecs::create_service(&mut account, &service_request(&a, "ApplicationService")).expect_err("refused");
    assert_eq!(format!("{WRAP}{}", e.message), text);
    assert!(text.contains("Error retrieving subnet information for [subnet-0123456789abcdef0]"), "{text}");
}

/// The default VPC's ID and two of its subnets in different zones.
fn defaults(a: &Account) -> (String, String, String) {
    let vpc = a.default_vpc().map(|v| v.vpc_id.clone()).expect("default VPC");
    let mut subnets: Vec<_> = a.subnets.values().filter(|s| s.vpc_id == vpc).collect();
    subnets.sort_by_key(|s| s.availability_zone.clone());
    (vpc, subnets[0].subnet_id.clone(), subnets[1].subnet_id.clone())
}

#[test]
fn elbv2_rules_read_the_same_through_a_template_and_the_actions() {
    let account = Account::new_default();
    let (_, subnet, _) = defaults(&account);
    // One zone: ValidationError.
    let a = analyze_text(
        "one-zone",
        &format!("Resources:\n  Lb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Subnets: [{subnet}]\n"),
        &account,
    );
    let (code, text) = findings(&a, "Lb").into_iter().next().expect("TN2020");
    let req =
        CreateLoadBalancerRequest { name: "one-zone".into(), subnets: vec![subnet.clone()], ..Default::default() };
    let e = elb::create_load_balancer(&mut account.clone(), &req).expect_err("refused");
    assert_eq!((code.as_str(), e.message.as_str(), e.code()), ("TN2020", text.as_str(), aws_code("TN2020")));
    assert_eq!(e.http_status(), 400);

    // A listener on a balancer, a rule on a listener and a forward to a target group the account lacks.
    let missing_lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/nope/0123456789abcdef";
    let missing_tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef";
    let missing_listener = format!("{}/0123456789abcdef", missing_lb.replace(":loadbalancer/", ":listener/"));
    let a = analyze_text(
        "missing",
        &format!(
            "Resources:\n  L:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: {missing_lb}\n      Port: 80\n      Protocol: HTTP\n      DefaultActions:\n        - Type: forward\n          TargetGroupArn: {missing_tg}\n  R:\n    Type: AWS::ElasticLoadBalancingV2::ListenerRule\n    Properties:\n      ListenerArn: {missing_listener}\n      Priority: 1\n      Conditions: []\n      Actions:\n        - Type: forward\n          TargetGroupArn: {missing_tg}\n"
        ),
        &account,
    );
    let action = account::Action {
        action_type: "forward".into(),
        order: None,
        target_group_arn: Some(missing_tg.into()),
        forward_target_groups: Vec::new(),
        config: None,
    };
    let listener = CreateListenerRequest {
        load_balancer_arn: missing_lb.into(),
        port: 80,
        protocol: Some("HTTP".into()),
        default_actions: vec![action.clone()],
        ..Default::default()
    };
    let rule = CreateRuleRequest {
        listener_arn: missing_listener,
        priority: 1,
        conditions: Vec::new(),
        actions: vec![action],
    };
    let through_api =
        [("L", elb::create::check_listener(&account, &listener)), ("R", elb::create::check_rule(&account, &rule))];
    for (logical_id, refusals) in through_api {
        let got: Vec<(String, String)> = findings(&a, logical_id);
        let want: Vec<(String, String)> = refusals.iter().map(|e| (e.code.clone(), e.message.clone())).collect();
        assert_eq!(got.len(), want.len(), "{logical_id}: {got:?} vs {want:?}");
        for ((tn, text), (code, message)) in got.iter().zip(&want) {
            assert_eq!((text, code.as_str()), (message, aws_code(tn)), "{logical_id}");
        }
    }
    let e = elb::create_listener(&mut account.clone(), &listener).expect_err("refused");
    assert_eq!(e.code(), "LoadBalancerNotFound");
}

#[test]
fn ec2_rules_read_the_same_through_a_template_and_the_actions() {
    let account = Account::new_default();
    let (vpc, subnet, _) = defaults(&account);
    let taken = account.subnets[&subnet].cidr_block.to_string();
    let cases = [
        ("outside", "10.99.0.0/24".to_string(), vpc.clone()),
        ("overlap", taken, vpc.clone()),
        ("no-vpc", "10.0.0.0/24".into(), "vpc-0123456789abcdef0".into()),
    ];
    for (name, cidr, vpc_id) in cases {
        let a = analyze_text(
            name,
            &format!("Resources:\n  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: {vpc_id}\n      CidrBlock: {cidr}\n"),
            &account,
        );
        let (code, text) = findings(&a, "S").into_iter().next().unwrap_or_else(|| panic!("{name}: a finding"));
        let e = account.clone().create_subnet(&vpc_id, &cidr, None).expect_err("refused");
        assert_eq!((text.as_str(), e.code()), (e.to_string().as_str(), aws_code(&code)), "{name}");
    }
    // A route in the default VPC to another VPC's internet gateway.
    let a = analyze_text(
        "route",
        &format!(
            "Resources:\n  Other:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.20.0.0/16\n  Igw:\n    Type: AWS::EC2::InternetGateway\n  Attach:\n    Type: AWS::EC2::VPCGatewayAttachment\n    Properties:\n      VpcId: !Ref Other\n      InternetGatewayId: !Ref Igw\n  Table:\n    Type: AWS::EC2::RouteTable\n    Properties:\n      VpcId: {vpc}\n  R:\n    Type: AWS::EC2::Route\n    DependsOn: Attach\n    Properties:\n      RouteTableId: !Ref Table\n      DestinationCidrBlock: 0.0.0.0/0\n      GatewayId: !Ref Igw\n"
        ),
        &account,
    );
    let (code, text) = findings(&a, "R").into_iter().next().expect("TN3003");
    let mut direct = account.clone();
    let other = direct.create_vpc("10.20.0.0/16").expect("vpc").vpc_id;
    let igw = direct.create_internet_gateway().internet_gateway_id;
    direct.attach_internet_gateway(&igw, &other).expect("attach");
    let table = direct.create_route_table(&vpc).expect("table").route_table_id;
    let e = direct.create_route(&table, "0.0.0.0/0", RouteTarget::InternetGateway(igw)).expect_err("refused");
    assert_eq!((text.as_str(), e.code()), (e.to_string().as_str(), aws_code(&code)));
}
