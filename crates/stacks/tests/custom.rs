//! Custom resources through the engine with a scripted provider: the
//! requests CloudFormation sends (Create, Update with the old properties,
//! Delete on rollback, cleanup and delete-stack), and the answers it reads.

use account::Account;
use serde_json::{json, Value};
use stacks::engine::custom::{Delivery, Provider};
use stacks::engine::events::Observer;
use stacks::engine::{self, DeployOptions, Outcome};
use stacks::StackInput;
use std::path::Path;

/// Answers each request with what `answer` makes of it, and keeps them all.
struct Scripted {
    answer: fn(&Value) -> Delivery,
    sent: Vec<Value>,
}

impl Provider for Scripted {
    fn response_url(&mut self, _: &Account, _: &str, logical_id: &str, request_id: &str) -> String {
        format!("http://127.0.0.1:1/{logical_id}/{request_id}")
    }

    fn deliver(&mut self, a: &mut Account, token: &str, event: &Value, _: &str, deadline_ms: u64) -> Delivery {
        assert_eq!(event["ServiceToken"], token);
        self.sent.push(event.clone());
        let out = (self.answer)(event);
        if out == Delivery::NoResponse {
            control::run_until(a, deadline_ms, |_| false);
        }
        out
    }
}

impl Observer for Scripted {
    fn custom_resources(&mut self) -> Option<&mut dyn Provider> {
        Some(self)
    }
}

fn ok(event: &Value, physical: &str, data: Value) -> Delivery {
    let body = json!({
        "Status": "SUCCESS", "PhysicalResourceId": physical, "StackId": event["StackId"],
        "RequestId": event["RequestId"], "LogicalResourceId": event["LogicalResourceId"], "Data": data,
    });
    Delivery::Responded(serde_json::to_vec(&body).expect("json"))
}

/// The book's two functions: the secret's password as Data, the migration's task as physical ID.
fn book(event: &Value) -> Delivery {
    let physical = event.get("PhysicalResourceId").and_then(Value::as_str);
    match event["LogicalResourceId"].as_str() {
        Some("Secrets") => {
            let version = event["ResourceProperties"]["Version"].as_str().unwrap_or("");
            ok(event, physical.unwrap_or(&format!("secrets-v{version}")), json!({"Password": format!("pw-{version}")}))
        }
        _ if event["ResourceProperties"]["Fail"] == "exit" && event["RequestType"] == "Create" => {
            let body = json!({"Status": "FAILED", "Reason": "exit code 1", "PhysicalResourceId": "task-1"});
            Delivery::Responded(serde_json::to_vec(&body).expect("json"))
        }
        _ => ok(event, physical.unwrap_or("task-1"), json!({})),
    }
}

fn input(overrides: &[(&str, &str)]) -> StackInput {
    StackInput {
        template_path: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deploy/custom.yml"),
        stack_name: "app".into(),
        overrides: overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..StackInput::default()
    }
}

fn deploy(a: &mut Account, p: &mut Scripted, overrides: &[(&str, &str)]) -> Outcome {
    engine::deploy(a, &input(overrides), &DeployOptions::default(), p).expect("deploys")
}

fn kinds(p: &Scripted) -> Vec<String> {
    p.sent
        .iter()
        .map(|e| {
            format!("{} {}", e["RequestType"].as_str().unwrap_or(""), e["LogicalResourceId"].as_str().unwrap_or(""))
        })
        .collect()
}

fn stack_status(out: &Outcome) -> String {
    match out {
        Outcome::Complete { status, .. } | Outcome::Failed { status, .. } => status.clone(),
        other => format!("{other:?}"),
    }
}

#[test]
fn data_reaches_get_att_and_properties_arrive_as_strings() {
    let mut a = Account::default();
    let mut p = Scripted { answer: book, sent: Vec::new() };
    let out = deploy(&mut a, &mut p, &[]);
    assert_eq!(stack_status(&out), "CREATE_COMPLETE");
    assert_eq!(kinds(&p), ["Create Secrets", "Create Migrate"]);
    let create = &p.sent[0];
    assert_eq!(create["ResourceProperties"]["Retries"], "3");
    assert_eq!(create["ResourceProperties"]["Enabled"], "true");
    assert_eq!(create["ResourceType"], "Custom::Secrets");
    assert!(create["ResponseURL"].as_str().is_some_and(|u| u.ends_with(create["RequestId"].as_str().unwrap_or("-"))));
    assert_eq!(a.ssm_parameters.get("/app/password").map(|p| p.value.as_str()), Some("pw-1"));
    let stack = engine::find_stack(&a, "app").expect("stack");
    assert_eq!(stack.outputs[0].output_value, "pw-1");
    let secrets = stack.resources.iter().find(|r| r.logical_resource_id == "Secrets").expect("record");
    assert_eq!(secrets.physical_resource_id.as_deref(), Some("secrets-v1"));

    // Changed properties: an Update with the old ones; the same physical ID keeps the resource.
    p.sent.clear();
    p.answer = |e| {
        let physical = e["PhysicalResourceId"].as_str().unwrap_or("");
        ok(e, physical, json!({"Password": "pw-2"}))
    };
    let out = deploy(&mut a, &mut p, &[("Version", "2")]);
    assert_eq!(stack_status(&out), "UPDATE_COMPLETE");
    assert_eq!(kinds(&p), ["Update Secrets"]);
    assert_eq!(p.sent[0]["OldResourceProperties"]["Version"], "1");
    assert_eq!(p.sent[0]["ResourceProperties"]["Version"], "2");
    assert_eq!(p.sent[0]["PhysicalResourceId"], "secrets-v1");
    let stack = engine::find_stack(&a, "app").expect("stack");
    assert_eq!(stack.outputs[0].output_value, "pw-2", "{:#?}", statuses_of(&a));

    // A new physical ID in the answer: replacement, and the old one's Delete in the cleanup.
    p.sent.clear();
    p.answer = |e| match e["RequestType"].as_str() {
        Some("Update") => ok(e, "secrets-v3", json!({"Password": "pw-3"})),
        _ => ok(e, e["PhysicalResourceId"].as_str().unwrap_or(""), json!({})),
    };
    let out = deploy(&mut a, &mut p, &[("Version", "3")]);
    assert_eq!(stack_status(&out), "UPDATE_COMPLETE");
    assert_eq!(kinds(&p), ["Update Secrets", "Delete Secrets"]);
    assert_eq!(p.sent[1]["PhysicalResourceId"], "secrets-v1");

    // delete-stack: a Delete to each, newest first.
    p.sent.clear();
    engine::delete_stack(&mut a, "app", &mut p).expect("deletes");
    assert_eq!(kinds(&p), ["Delete Migrate", "Delete Secrets"]);
    assert_eq!(p.sent[1]["PhysicalResourceId"], "secrets-v3");
}

#[test]
fn a_failed_create_is_deleted_in_the_rollback_with_the_physical_id_it_gave() {
    let mut a = Account::default();
    let mut p = Scripted { answer: book, sent: Vec::new() };
    let out = deploy(&mut a, &mut p, &[("Fail", "exit")]);
    assert_eq!(stack_status(&out), "ROLLBACK_COMPLETE");
    assert_eq!(kinds(&p), ["Create Secrets", "Create Migrate", "Delete Migrate", "Delete Secrets"]);
    assert_eq!(p.sent[2]["PhysicalResourceId"], "task-1");
    let stack = engine::find_stack(&a, "app").expect("stack");
    let failed = stack.events.iter().find(|e| e.resource_status == "CREATE_FAILED").expect("failed event");
    let request_id = p.sent[1]["RequestId"].as_str().unwrap_or("");
    assert_eq!(
        failed.resource_status_reason.as_deref(),
        Some(format!("Received response status [FAILED] from custom resource. Message returned: exit code 1 (RequestId: {request_id})").as_str())
    );
}

#[test]
fn no_response_fails_after_the_service_timeout_on_the_clock() {
    let mut a = Account::default();
    let mut p = Scripted { answer: |_| Delivery::NoResponse, sent: Vec::new() };
    let before = a.clock_ms;
    let started = std::time::Instant::now();
    let out = deploy(&mut a, &mut p, &[]);
    assert_eq!(stack_status(&out), "ROLLBACK_COMPLETE");
    assert!(a.clock_ms >= before + 3_600_000, "an hour passed on the clock");
    assert!(started.elapsed().as_secs() < 30);
    let stack = engine::find_stack(&a, "app").expect("stack");
    let failed = stack.events.iter().find(|e| e.resource_status == "CREATE_FAILED").expect("failed event");
    let request_id = p.sent[0]["RequestId"].as_str().unwrap_or("");
    assert!(failed.resource_status_reason.as_deref().is_some_and(|r| r.starts_with(
        "CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId ["
    ) && r.contains(request_id)));
    // Nothing answered, so nothing has a physical ID to be sent a Delete.
    assert_eq!(kinds(&p), ["Create Secrets"]);
}

#[test]
fn a_later_failure_rolls_back_with_deletes_and_a_changed_token_is_refused() {
    let mut a = Account::default();
    let mut p = Scripted { answer: book, sent: Vec::new() };
    let out = deploy(&mut a, &mut p, &[("Fail", "yes")]);
    assert_eq!(stack_status(&out), "ROLLBACK_COMPLETE");
    assert_eq!(kinds(&p), ["Create Secrets", "Create Migrate", "Delete Migrate", "Delete Secrets"]);
}

#[test]
fn without_a_provider_the_plan_records_them_as_before() {
    let mut a = Account::default();
    let out =
        engine::deploy(&mut a, &input(&[]), &DeployOptions::default(), &mut engine::events::Quiet).expect("deploys");
    assert_eq!(stack_status(&out), "CREATE_COMPLETE");
    assert_eq!(
        a.ssm_parameters.get("/app/password").map(|p| p.value.as_str()),
        Some("tasknet-custom:Secrets.Password")
    );
}

fn statuses_of(a: &Account) -> Vec<String> {
    engine::find_stack(a, "app")
        .map(|s| {
            s.events
                .iter()
                .map(|e| format!("{} {} {:?}", e.logical_resource_id, e.resource_status, e.resource_status_reason))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn no_echo_data_is_masked_in_outputs_but_reaches_get_att() {
    let mut a = Account::default();
    let mut p = Scripted {
        answer: |e| {
            let body = json!({"Status": "SUCCESS", "PhysicalResourceId": "s-1", "NoEcho": true, "Data": {"Password": "hunter2"}, "RequestId": e["RequestId"]});
            Delivery::Responded(serde_json::to_vec(&body).expect("json"))
        },
        sent: Vec::new(),
    };
    let out = deploy(&mut a, &mut p, &[]);
    assert_eq!(stack_status(&out), "CREATE_COMPLETE");
    assert_eq!(a.ssm_parameters.get("/app/password").map(|p| p.value.as_str()), Some("hunter2"));
    let stack = engine::find_stack(&a, "app").expect("stack");
    assert_eq!(stack.outputs[0].output_value, "*****");
}
