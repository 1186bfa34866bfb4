//! `tasknet plan`: the change-set table and the JSON plan.

mod common;

use common::*;

fn plan(extra: &[&str]) -> Run {
    let st = state();
    let mut a = args(&["plan", "--template-file", "stack.yml", "--stack-name", "todobackend"]);
    a.extend(args(extra));
    a.push("--parameter-overrides".into());
    a.extend(dev_cfg());
    run_in(&todobackend(), st.path(), &a)
}

#[test]
fn text_plan_lists_what_is_added() {
    let run = plan(&[]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let out = &run.stdout;
    assert!(out.starts_with("Stack todobackend: "), "{out}");
    assert!(out.contains("\nAction   LogicalId "), "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("Add      PrivateSubnet "))
        .unwrap_or_else(|| panic!("PrivateSubnet row:\n{out}"));
    assert!(row.contains("AWS::EC2::Subnet") && row.contains("subnet-"), "{row}");
    assert!(out.contains("        CidrBlock: 172.31.96.0/20\n"), "details are indented under their resource:\n{out}");
    assert!(out.contains("\nOutputs\n  PublicURL = "), "{out}");
    assert!(out.contains("(export: todobackend-public-url)"), "{out}");
    assert!(out.ends_with("\nno errors\n"), "{out}");
    assert!(out.lines().all(|l| l == l.trim_end()), "no trailing spaces:\n{out}");
}

#[test]
fn json_plan_shape() {
    let run = plan(&["--output", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let json = run.json();
    let keys: Vec<&str> = json.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    assert_eq!(keys, ["findings", "errors", "warnings", "plan"]);
    let p = &json["plan"];
    let keys: Vec<&str> = p.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    assert_eq!(keys, ["stack_name", "parameters", "resources", "outputs", "skipped"]);
    assert_eq!(p["stack_name"], "todobackend");
    assert_eq!(p["parameters"]["ApplicationDesiredCount"], "2");
    let resources = p["resources"].as_array().cloned().unwrap_or_default();
    assert!(resources.len() > 30);
    for r in &resources {
        let keys: Vec<&str> = r.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
        assert_eq!(keys, ["action", "logical_id", "resource_type", "physical_id", "details"], "{r}");
        assert_eq!(r["action"], "Add", "a stack not yet deployed only adds: {r}");
        assert!(r["details"].as_object().is_some_and(|d| d.values().all(|v| v.is_string())), "{r}");
    }
    let subnet = resources.iter().find(|r| r["logical_id"] == "PrivateSubnetB").cloned().unwrap_or_default();
    assert_eq!(subnet["details"]["AvailabilityZone"], "us-east-1b");
    let url =
        p["outputs"].as_array().into_iter().flatten().find(|o| o["name"] == "PublicURL").cloned().unwrap_or_default();
    assert_eq!(url["export"], "todobackend-public-url");
    assert_eq!(p["skipped"], serde_json::json!([]));
    // Deterministic: the same input plans the same way.
    assert_eq!(plan(&["--output", "json"]).stdout, run.stdout);
}

#[test]
fn plan_of_a_broken_stack_exits_1_with_findings() {
    let st = state();
    let mut a = args(&[
        "plan",
        "--template-file",
        "broken/role-on-awsvpc-service.yml",
        "--stack-name",
        "todobackend",
        "--parameter-overrides",
    ]);
    a.extend(dev_cfg());
    let run = run_in(&todobackend(), st.path(), &a);
    assert_eq!(run.code, Some(1), "{}", run.all());
    assert!(run.stdout.contains("\nerror[TN2006]: "), "{}", run.all());
    assert!(run.stdout.ends_with("1 error, 0 warnings\n"), "{}", run.all());
}

#[test]
fn custom_outputs_feed_get_att() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let template = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Thing:\n    Type: Custom::Thing\n    Properties:\n      ServiceToken: !Ref Topic\nOutputs:\n  Endpoint:\n    Value: !GetAtt Thing.Endpoint\n  Id:\n    Value: !Ref Thing\n";
    std::fs::write(dir.path().join("custom.yml"), template).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("outs.json"),
        r#"{"Thing": {"Endpoint": "10.0.0.9:80", "PhysicalResourceId": "thing-1"}}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let st = state();
    let base = args(&["plan", "--template-file", "custom.yml", "--stack-name", "s", "--output", "json"]);
    let mut with = base.clone();
    with.extend(args(&["--custom-outputs", "file://outs.json"]));
    let run = run_in(dir.path(), st.path(), &with);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let outputs = run.json()["plan"]["outputs"].clone();
    assert_eq!(
        outputs,
        serde_json::json!([{"name": "Endpoint", "value": "10.0.0.9:80", "export": null}, {"name": "Id", "value": "thing-1", "export": null}])
    );
    // Without them the value is known only once the function answers (deploy runs it): a placeholder.
    let without = run_in(dir.path(), st.path(), &base);
    assert_eq!(without.code, Some(0), "{}", without.all());
    assert_eq!(without.json()["plan"]["outputs"][0]["value"], "tasknet-custom:Thing.Endpoint");
}

#[test]
fn skipped_resources_are_listed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let template = "Parameters:\n  Make:\n    Type: String\n    Default: 'no'\nConditions:\n  Yes: !Equals [!Ref Make, 'yes']\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Extra:\n    Type: AWS::SNS::Topic\n    Condition: Yes\n";
    std::fs::write(dir.path().join("cond.yml"), template).unwrap_or_else(|e| panic!("{e}"));
    let st = state();
    let run = run_in(dir.path(), st.path(), &args(&["plan", "--template-file", "cond.yml", "--stack-name", "s"]));
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.starts_with("Stack s: 1 resource to add, 1 skipped (condition false)\n"), "{}", run.stdout);
    assert!(run.stdout.contains("\nSkipped (condition false)\n  Extra\n"), "{}", run.stdout);
    let v = run_in(dir.path(), st.path(), &args(&["validate", "--template-file", "cond.yml"]));
    assert!(v.stdout.ends_with("validated cond.yml: 2 resources, 1 parameter\n"), "{}", v.all());
}
