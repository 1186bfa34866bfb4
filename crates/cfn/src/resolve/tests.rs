//! Tests of intrinsic functions and conditions, each in its short and long form.

use super::*;
use crate::load::load_str;

struct Ctx;

impl ResolveContext for Ctx {
    fn resource_ref(&self, id: &str) -> Option<Node> {
        Some(Node::string(format!("phys-{id}"), Pos::default()))
    }
    fn resource_attr(&self, id: &str, attr: &str) -> Result<Node, String> {
        match attr {
            "Endpoint.Address" => Ok(Node::string(format!("{id}.db.example"), Pos::default())),
            "Zones" => Ok(Node::new(Value::List(vec![Node::string("z1", Pos::default())]), Pos::default())),
            _ => Err(format!("Template error: resource {id} does not support attribute type {attr} in Fn::GetAtt")),
        }
    }
    fn import_value(&self, name: &str) -> Option<String> {
        (name == "shared-vpc").then(|| "vpc-0123".to_string())
    }
    fn availability_zones(&self, region: &str) -> Vec<String> {
        NoResources.availability_zones(region)
    }
}

const TEMPLATE: &str = r#"
Parameters:
  Env: {Type: String}
  Subnets: {Type: CommaDelimitedList}
Mappings:
  Ami:
    us-east-1: {Id: ami-1}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition NotProd, !Equals ["2", 2]]
  Either: {"Fn::Or": [{"Condition": "IsProd"}, {"Fn::Equals": [a, b]}]}
  Loop1: !Condition Loop2
  Loop2: !Condition Loop1
Resources:
  Db: {Type: AWS::RDS::DBInstance}
  Lb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer}
"#;

fn with<T>(f: impl FnOnce(&Resolver<'_>) -> T) -> T {
    let n = load_str(TEMPLATE).expect("loads");
    let (t, d) = Template::from_node(&n, None);
    assert!(d.is_empty(), "{d:?}");
    let mut params = IndexMap::new();
    params.insert("Env".to_string(), ParamValue::String("dev".into()));
    params.insert("Subnets".to_string(), ParamValue::List(vec!["subnet-a".into(), "subnet-b".into()]));
    let pseudo = Pseudo::new("123456789012", "us-east-1", "todobackend");
    let r = Resolver::new(&t, &params, &pseudo, &Ctx);
    f(&r)
}

fn eval(expr: &str) -> Result<Option<serde_json::Value>, String> {
    with(|r| {
        let node = load_str(expr).map_err(|e| e.to_string())?;
        r.resolve(&node).map(|n| n.map(|n| n.to_json())).map_err(|e| e.message)
    })
}

fn ok(expr: &str) -> serde_json::Value {
    match eval(expr) {
        Ok(Some(v)) => v,
        other => panic!("{expr}: {other:?}"),
    }
}

#[test]
fn ref_and_pseudo_parameters() {
    assert_eq!(ok("!Ref Env"), "dev");
    assert_eq!(ok("{Ref: Db}"), "phys-Db");
    assert_eq!(ok("!Ref AWS::Region"), "us-east-1");
    assert_eq!(ok("!Ref AWS::AccountId"), "123456789012");
    assert_eq!(ok("!Ref AWS::Partition"), "aws");
    assert_eq!(ok("!Ref AWS::URLSuffix"), "amazonaws.com");
    assert_eq!(ok("!Ref AWS::NotificationARNs"), serde_json::json!([]));
    let id = ok("!Ref AWS::StackId");
    assert!(id
        .as_str()
        .is_some_and(|s| s.starts_with("arn:aws:cloudformation:us-east-1:123456789012:stack/todobackend/")));
    assert_eq!(ok("!Ref Subnets"), serde_json::json!(["subnet-a", "subnet-b"]));
    assert_eq!(
        eval("!Ref Nope"),
        Err("Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"
            .into())
    );
}

#[test]
fn every_pseudo_parameter_has_a_value_but_novalue() {
    let pseudo = Pseudo::new("123456789012", "us-east-1", "s");
    for name in PSEUDO_PARAMETERS {
        assert_eq!(pseudo.get(name).is_some(), *name != "AWS::NoValue", "{name}");
    }
    assert!(!is_pseudo("AWS::Bogus"));
}

#[test]
fn novalue_removes_properties_and_items() {
    assert_eq!(ok("{a: 1, b: !Ref AWS::NoValue, c: [x, !Ref AWS::NoValue]}"), serde_json::json!({"a": 1, "c": ["x"]}));
    assert_eq!(ok("{a: !If [IsProd, x, !Ref AWS::NoValue]}"), serde_json::json!({}));
}

#[test]
fn get_att_both_forms_and_dotted_attributes() {
    assert_eq!(ok("!GetAtt Db.Endpoint.Address"), "Db.db.example");
    assert_eq!(ok("{Fn::GetAtt: [Db, Endpoint.Address]}"), "Db.db.example");
    assert!(eval("{Fn::GetAtt: [Db, !Ref AWS::NoValue]}").is_err());
    assert_eq!(
        eval("!GetAtt Db.Bogus"),
        Err("Template error: resource Db does not support attribute type Bogus in Fn::GetAtt".into())
    );
    assert_eq!(
        eval("!GetAtt Nope.Arn"),
        Err("Template error: instance of Fn::GetAtt references undefined resource Nope".into())
    );
}

#[test]
fn sub_both_forms() {
    assert_eq!(ok("!Sub '${AWS::StackName}-${Env}-${Db}'"), "todobackend-dev-phys-Db");
    assert_eq!(ok("!Sub '${Db.Endpoint.Address}:3306'"), "Db.db.example:3306");
    assert_eq!(ok("!Sub 'echo ${!Literal} ${ Env }'"), "echo ${Literal} dev");
    assert_eq!(ok("!Sub ['${A}/${B}', {A: !Ref Env, B: x}]"), "dev/x");
    assert_eq!(ok("{Fn::Sub: [\"${Env}\", {}]}"), "dev");
    assert!(eval("!Sub '${Subnets}'").is_err());
    assert!(eval("!Sub [1, 2, 3]").is_err());
}

#[test]
fn join_select_split() {
    assert_eq!(ok("!Join [',', !Ref Subnets]"), "subnet-a,subnet-b");
    assert_eq!(ok("{Fn::Join: ['', [a, !Ref Env, 3]]}"), "adev3");
    assert_eq!(ok("!Select [1, !Ref Subnets]"), "subnet-b");
    assert_eq!(ok("!Select ['0', !GetAZs '']"), "us-east-1a");
    assert_eq!(ok("!Select [0, !GetAtt Db.Zones]"), "z1");
    assert_eq!(
        eval("!Select [5, [a]]"),
        Err("Template error: Fn::Select cannot select nonexistent value at index 5".into())
    );
    assert_eq!(ok("!Split [',', 'a,b,,c']"), serde_json::json!(["a", "b", "", "c"]));
    assert_eq!(ok("!Select [2, !Split ['-', !Sub '${Env}-x-y']]"), "y");
}

#[test]
fn getazs_findinmap_importvalue_base64_cidr() {
    assert_eq!(
        ok("!GetAZs ''"),
        serde_json::json!(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"])
    );
    assert_eq!(ok("{Fn::GetAZs: !Ref AWS::Region}").as_array().map(Vec::len), Some(6));
    assert_eq!(ok("!FindInMap [Ami, !Ref AWS::Region, Id]"), "ami-1");
    assert_eq!(
        eval("!FindInMap [Ami, eu-west-1, Id]"),
        Err("Template error: Unable to get mapping for Ami::eu-west-1::Id".into())
    );
    assert_eq!(ok("!ImportValue shared-vpc"), "vpc-0123");
    assert_eq!(eval("!ImportValue nope"), Err("No export named nope found".into()));
    assert_eq!(ok("!Base64 \"#!/bin/bash\""), "IyEvYmluL2Jhc2g=");
    assert_eq!(ok("!Base64 {Fn::Sub: 'x'}"), "eA==");
    assert_eq!(ok("!Select [1, !Cidr [172.31.96.0/20, 2, 8]]"), "172.31.97.0/24");
}

#[test]
fn conditions() {
    with(|r| {
        let (values, errors) = r.evaluate_all_conditions();
        assert_eq!(values.get("IsProd"), Some(&false));
        assert_eq!(values.get("NotProd"), Some(&true));
        assert_eq!(values.get("Both"), Some(&true));
        assert_eq!(values.get("Either"), Some(&false));
        let names: Vec<&str> = errors.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["Loop1", "Loop2"]);
    });
    assert_eq!(ok("!If [NotProd, a, b]"), "a");
    assert_eq!(ok("{Fn::If: [IsProd, a, {x: 1}]}"), serde_json::json!({"x": 1}));
    assert!(eval("!If [Unknown, a, b]").is_err());
    assert!(eval("!If [IsProd, a]").is_err());
}

#[test]
fn malformed_intrinsics_are_errors() {
    for bad in [
        "!Ref [a]",
        "!GetAtt Db",
        "!Join [a]",
        "!Select x",
        "!Split [',']",
        "!FindInMap [a]",
        "!Cidr [a, b]",
        "!Transform {Name: x}",
    ] {
        assert!(eval(bad).is_err(), "{bad} should fail");
    }
}
