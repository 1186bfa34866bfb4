use super::*;
use crate::node::{Node, Pos};
use serde_json::json;

fn node(v: serde_json::Value) -> Node {
    Node::from_json(&v, Pos::new(3, 5))
}

fn check(ty: &str, props: serde_json::Value) -> Vec<crate::Diagnostic> {
    validate_properties("Res", ty, &node(props), "Resources/Res/Properties")
}

fn messages(d: &[crate::Diagnostic]) -> Vec<&str> {
    d.iter().map(|d| d.message.as_str()).collect()
}

// --- the known-types list --------------------------------------------------

#[test]
fn known_types_sorted_and_unique() {
    for w in KNOWN_TYPES.windows(2) {
        assert!(w[0] < w[1], "{} !< {}", w[0], w[1]);
    }
    assert!(KNOWN_TYPES.len() > 1500);
    for w in SERVERLESS_TYPES.windows(2) {
        assert!(w[0] < w[1]);
    }
}

#[test]
fn every_modelled_type_is_known_and_sorted() {
    let all: Vec<&str> = modelled_types().collect();
    assert!(all.len() >= 77, "{}", all.len());
    for w in all.windows(2) {
        assert!(w[0] < w[1], "registry not sorted at {}", w[1]);
    }
    for t in all {
        assert!(is_known_type(t, false), "{t}");
        assert_eq!(resource_spec(t).map(|s| s.type_name), Some(t));
    }
}

#[test]
fn casing_matters() {
    assert!(is_known_type("AWS::EC2::NatGateway", false));
    assert!(!is_known_type("AWS::EC2::NATGateway", false));
    assert!(is_known_type("AWS::ElasticLoadBalancingV2::TargetGroup", false));
    assert!(!is_known_type("AWS::ElasticLoadBalancingv2::TargetGroup", false));
    assert!(resource_spec("AWS::EC2::NATGateway").is_none());
}

#[test]
fn custom_and_serverless_types() {
    assert!(is_known_type("Custom::Anything", false));
    assert!(is_known_type("Custom::My-Thing_2@x", false));
    assert!(!is_known_type("Custom::", false));
    assert!(!is_known_type("Custom::has space", false));
    assert!(is_known_type("AWS::CloudFormation::CustomResource", false));
    assert!(!is_known_type("AWS::Serverless::Function", false));
    assert!(is_known_type("AWS::Serverless::Function", true));
    assert!(!is_known_type("AWS::Serverless::Nope", true));
    assert!(!is_known_type("", true));
}

#[test]
fn every_modelled_table_is_well_formed() {
    fn walk(props: &[PropSpec], depth: usize) {
        assert!(depth < 16, "nesting too deep");
        let mut names: Vec<&str> = props.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), props.len(), "duplicate property");
        for p in props {
            ty(&p.ty, depth);
        }
    }
    fn ty(t: &PropType, depth: usize) {
        match t {
            PropType::List(i) | PropType::Map(i) => ty(i, depth + 1),
            PropType::Struct(s) => walk(s, depth + 1),
            PropType::OneOf(o) => o.iter().for_each(|x| ty(x, depth + 1)),
            _ => {}
        }
    }
    for t in modelled_types() {
        let spec = resource_spec(t).expect("listed");
        walk(spec.properties, 0);
        assert!(!spec.ref_returns.is_empty());
        let mut atts = spec.attributes.to_vec();
        atts.sort_unstable();
        atts.dedup();
        assert_eq!(atts.len(), spec.attributes.len(), "{t}");
    }
}

#[test]
fn attributes_match_the_facts_table() {
    let cases: &[(&str, &[&str])] = &[
        ("AWS::EC2::VPC", &["CidrBlock", "DefaultNetworkAcl", "DefaultSecurityGroup", "VpcId"]),
        ("AWS::EC2::Subnet", &["AvailabilityZone", "AvailabilityZoneId", "NetworkAclAssociationId", "SubnetId"]),
        ("AWS::EC2::SecurityGroup", &["GroupId", "VpcId"]),
        ("AWS::EC2::EIP", &["AllocationId", "PublicIp"]),
        ("AWS::EC2::NatGateway", &["NatGatewayId"]),
        ("AWS::ECS::Cluster", &["Arn"]),
        ("AWS::ECS::Service", &["Name", "ServiceArn"]),
        ("AWS::ECS::TaskDefinition", &["TaskDefinitionArn"]),
        (
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            &["DNSName", "CanonicalHostedZoneID", "LoadBalancerFullName", "SecurityGroups"],
        ),
        (
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            &["LoadBalancerArns", "TargetGroupArn", "TargetGroupFullName", "TargetGroupName"],
        ),
        ("AWS::ElasticLoadBalancingV2::Listener", &["ListenerArn"]),
        ("AWS::RDS::DBInstance", &["Endpoint.Address", "Endpoint.Port", "DBInstanceArn"]),
        ("AWS::IAM::Role", &["Arn", "RoleId"]),
        ("AWS::Logs::LogGroup", &["Arn"]),
        ("AWS::Lambda::Function", &["Arn"]),
    ];
    for (t, atts) in cases {
        let spec = resource_spec(t).expect("modelled");
        for a in *atts {
            assert!(spec.has_attribute(a), "{t} lacks {a}");
        }
    }
    let svc = resource_spec("AWS::ECS::Service").expect("modelled");
    assert!(!svc.has_attribute("Arn"));
    assert!(resource_spec("AWS::AutoScaling::LaunchConfiguration").is_some_and(|s| s.attributes.is_empty()));
}

// --- validation: correct resources yield nothing ---------------------------

#[test]
fn correct_ecs_service_yields_nothing() {
    let d = check(
        "AWS::ECS::Service",
        json!({
            "Cluster": "my-cluster",
            "ServiceName": "web",
            "LaunchType": "FARGATE",
            "DesiredCount": "2",
            "TaskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
            "HealthCheckGracePeriodSeconds": 60,
            "EnableExecuteCommand": "false",
            "DeploymentConfiguration": {
                "MaximumPercent": 200,
                "MinimumHealthyPercent": "50",
                "DeploymentCircuitBreaker": {"Enable": true, "Rollback": "true"}
            },
            "NetworkConfiguration": {
                "AwsvpcConfiguration": {
                    "AssignPublicIp": "DISABLED",
                    "SecurityGroups": ["sg-0123456789abcdef0"],
                    "Subnets": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
                }
            },
            "LoadBalancers": [
                {"ContainerName": "web", "ContainerPort": "8080", "TargetGroupArn": "arn:tg"}
            ],
            "Tags": [{"Key": "team", "Value": "web"}]
        }),
    );
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn correct_task_definition_yields_nothing() {
    let d = check(
        "AWS::ECS::TaskDefinition",
        json!({
            "Family": "web",
            "Cpu": 256,
            "Memory": "512",
            "NetworkMode": "awsvpc",
            "RequiresCompatibilities": ["FARGATE"],
            "ExecutionRoleArn": "arn:aws:iam::123456789012:role/exec",
            "ContainerDefinitions": [{
                "Name": "web",
                "Image": "nginx:1.27",
                "Essential": true,
                "Memory": 512,
                "PortMappings": [{"ContainerPort": 8080, "HostPort": "8080", "Protocol": "tcp"}],
                "Environment": [{"Name": "PORT", "Value": 8080}],
                "HealthCheck": {"Command": ["CMD-SHELL", "curl -f http://localhost/"], "Interval": 30},
                "LogConfiguration": {
                    "LogDriver": "awslogs",
                    "Options": {"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1"}
                }
            }]
        }),
    );
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn correct_target_group_yields_nothing() {
    let d = check(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        json!({
            "Name": "web",
            "Port": 8080,
            "Protocol": "HTTP",
            "TargetType": "ip",
            "VpcId": "vpc-0123456789abcdef0",
            "HealthCheckPath": "/health",
            "HealthCheckIntervalSeconds": "10",
            "HealthyThresholdCount": 2,
            "Matcher": {"HttpCode": "200-299"},
            "TargetGroupAttributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": 30}]
        }),
    );
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn unmodelled_known_type_is_not_checked() {
    assert!(resource_spec("AWS::DynamoDB::Table").is_none());
    assert!(check("AWS::DynamoDB::Table", json!({"Whatever": [1, 2]})).is_empty());
    assert!(check("AWS::Nope::Nope", json!({"Whatever": 1})).is_empty());
}

// --- validation: each diagnostic kind ---------------------------------------

#[test]
fn unknown_top_level_property() {
    let mut props = node(json!({"VpcId": "vpc-1", "GroupDescription": "x"}));
    if let crate::Value::Map(m) = &mut props.value {
        m.insert(crate::Key { name: "VpcID".into(), pos: Pos::new(9, 7) }, Node::string("vpc-1", Pos::new(9, 14)));
    }
    let d = validate_properties("Sg", "AWS::EC2::SecurityGroup", &props, "Resources/Sg/Properties");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, "TN1004");
    assert_eq!(d[0].message, "Encountered unsupported property VpcID");
    assert_eq!(d[0].path, "Resources/Sg/Properties/VpcID");
    assert_eq!(d[0].resource.as_deref(), Some("Sg"));
    assert_eq!(d[0].pos, Some(Pos::new(9, 7)));
    let hint = d[0].hint.as_deref().unwrap_or_default();
    assert!(hint.starts_with("remove VpcID or check its spelling; valid properties here: VpcId, "), "{hint}");
    assert!(hint.split(", ").count() <= 8);
}

#[test]
fn nested_unknown_property_has_the_right_path() {
    let d = check(
        "AWS::ECS::Service",
        json!({
            "TaskDefinition": "td",
            "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnet": ["subnet-1"]}}
        }),
    );
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, "TN1004");
    assert_eq!(
        d[0].message,
        "Properties validation failed for resource Res with message: \
         [#/NetworkConfiguration/AwsvpcConfiguration: extraneous key [Subnet] is not permitted]"
    );
    assert_eq!(d[0].path, "Resources/Res/Properties/NetworkConfiguration/AwsvpcConfiguration/Subnet");
    assert!(d[0].hint.as_deref().unwrap_or_default().contains("valid properties here: Subnets"));
}

#[test]
fn unknown_property_inside_a_list_item() {
    let d = check(
        "AWS::ECS::TaskDefinition",
        json!({"ContainerDefinitions": [{"Name": "a", "Image": "b", "PortMappings": [{"Port": 80}]}]}),
    );
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].path, "Resources/Res/Properties/ContainerDefinitions/0/PortMappings/0/Port");
    assert!(d[0].message.contains("[#/ContainerDefinitions/0/PortMappings/0: extraneous key [Port] is not permitted]"));
}

#[test]
fn wrong_type_messages() {
    let d =
        check("AWS::ECS::Service", json!({"NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": "subnet-1"}}}));
    assert_eq!(
        messages(&d),
        vec![
            "Properties validation failed for resource Res with message: \
         [#/NetworkConfiguration/AwsvpcConfiguration/Subnets: expected type: JSONArray, found: String]"
        ]
    );
    assert_eq!(d[0].code, "TN1005");
    assert_eq!(d[0].path, "Resources/Res/Properties/NetworkConfiguration/AwsvpcConfiguration/Subnets");
    assert!(d[0].hint.is_some());

    let d = check("AWS::EC2::Subnet", json!({"VpcId": {"Id": "vpc-1"}}));
    assert_eq!(messages(&d), vec![
        "Properties validation failed for resource Res with message: [#/VpcId: expected type: String, found: JSONObject]"
    ]);

    let d = check("AWS::EC2::Instance", json!({"Tags": {"Name": "x"}}));
    assert_eq!(messages(&d), vec![
        "Properties validation failed for resource Res with message: [#/Tags: expected type: JSONArray, found: JSONObject]"
    ]);

    let d = check("AWS::ECS::Service", json!({"DesiredCount": "two"}));
    assert_eq!(messages(&d), vec![
        "Properties validation failed for resource Res with message: [#/DesiredCount: expected type: Integer, found: String]"
    ]);

    let d = check("AWS::EC2::VPC", json!({"CidrBlock": "10.0.0.0/16", "EnableDnsSupport": "yes"}));
    assert_eq!(messages(&d), vec![
        "Properties validation failed for resource Res with message: [#/EnableDnsSupport: expected type: Boolean, found: String]"
    ]);

    let d = check("AWS::EC2::VPC", json!({"EnableDnsHostnames": 1}));
    assert!(d[0].message.ends_with("[#/EnableDnsHostnames: expected type: Boolean, found: Integer]"));

    let d = check("AWS::EC2::VPC", json!("not an object"));
    assert!(d[0].message.ends_with("[#: expected type: JSONObject, found: String]"));
}

#[test]
fn coercions_are_accepted() {
    // Numbers and booleans as strings, numeric strings as numbers, "true" as booleans.
    let d = check(
        "AWS::EC2::SecurityGroup",
        json!({
            "GroupDescription": 42,
            "GroupName": true,
            "SecurityGroupIngress": [
                {"IpProtocol": -1, "FromPort": "80", "ToPort": 80.0, "CidrIp": "0.0.0.0/0"}
            ]
        }),
    );
    assert!(d.is_empty(), "{d:#?}");
    let d = check("AWS::EC2::Subnet", json!({"VpcId": "v", "MapPublicIpOnLaunch": "True", "CidrBlock": null}));
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn null_counts_as_absent() {
    let d = check("AWS::EC2::SubnetRouteTableAssociation", json!({"SubnetId": null, "RouteTableId": "rtb-1"}));
    assert_eq!(
        messages(&d),
        vec!["Properties validation failed for resource Res with message: [#: required key [SubnetId] not found]"]
    );
}

#[test]
fn missing_required_property() {
    let d = check("AWS::EC2::Route", json!({"DestinationCidrBlock": "0.0.0.0/0"}));
    assert_eq!(
        messages(&d),
        vec!["Properties validation failed for resource Res with message: [#: required key [RouteTableId] not found]"]
    );
    assert_eq!(d[0].code, "TN1006");
    assert_eq!(d[0].path, "Resources/Res/Properties");
    assert_eq!(d[0].pos, Some(Pos::new(3, 5)));
    assert!(d[0].hint.as_deref().unwrap_or_default().contains("RouteTableId"));

    // Nested: a tag without its value.
    let d = check("AWS::EC2::VPC", json!({"Tags": [{"Key": "a"}]}));
    assert_eq!(
        messages(&d),
        vec!["Properties validation failed for resource Res with message: [#/Tags/0: required key [Value] not found]"]
    );
    assert_eq!(d[0].path, "Resources/Res/Properties/Tags/0");

    // No Properties at all.
    let d = validate_properties(
        "R",
        "AWS::EC2::SubnetRouteTableAssociation",
        &Node::new(crate::Value::Null, Pos::new(1, 1)),
        "Resources/R/Properties",
    );
    assert_eq!(d.len(), 2);
}

#[test]
fn unresolved_intrinsics_are_not_judged() {
    let d = check(
        "AWS::ECS::Service",
        json!({
            "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": {"Fn::GetAtt": ["X", "Y"]}}},
            "DesiredCount": {"Ref": "Count"}
        }),
    );
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn read_only_properties_are_not_reported() {
    let d = check("AWS::ECS::Service", json!({"ServiceArn": "arn", "Name": "x"}));
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn one_of_types() {
    // AssumeRolePolicyDocument is an object or a JSON string.
    let ok = check("AWS::IAM::Role", json!({"AssumeRolePolicyDocument": "{\"Version\":\"2012-10-17\"}"}));
    assert!(ok.is_empty(), "{ok:#?}");
    let ok = check("AWS::IAM::Role", json!({"AssumeRolePolicyDocument": {"Version": "2012-10-17"}}));
    assert!(ok.is_empty(), "{ok:#?}");
    let bad = check("AWS::IAM::Role", json!({"AssumeRolePolicyDocument": ["x"]}));
    assert_eq!(bad.len(), 1, "{bad:#?}");
    assert_eq!(bad[0].code, "TN1005");
    assert!(bad[0]
        .message
        .ends_with("[#/AssumeRolePolicyDocument: #: no subschema matched out of the total 2 subschemas]"));
}

#[test]
fn custom_resources_need_only_a_service_token() {
    assert!(check("Custom::Thing", json!({"ServiceToken": "arn:aws:lambda:x", "Anything": {"a": [1]}})).is_empty());
    let d = check("Custom::Thing", json!({"Anything": 1}));
    assert_eq!(
        messages(&d),
        vec!["Properties validation failed for resource Res with message: [#: required key [ServiceToken] not found]"]
    );
    let d = check("AWS::CloudFormation::CustomResource", json!({"ServiceToken": ["a"]}));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "TN1005");
}

#[test]
fn odd_input_never_panics() {
    for v in [json!(null), json!([]), json!(1), json!({"": {"": []}}), json!({"Tags": [null, 1, "x", [], {}]})] {
        for t in modelled_types().chain(["Custom::X", "AWS::X::Y", ""]) {
            let _ = check(t, v.clone());
        }
    }
}

#[test]
fn edit_distance_works() {
    assert_eq!(validate::distance_for_tests("vpcid", "vpcid"), 0);
    assert_eq!(validate::distance_for_tests("subnet", "subnets"), 1);
    assert_eq!(validate::distance_for_tests("", "abc"), 3);
    assert_eq!(validate::distance_for_tests("kitten", "sitting"), 3);
}
