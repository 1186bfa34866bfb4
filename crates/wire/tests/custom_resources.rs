//! A custom resource deployed through the endpoint alone (the held
//! session): the stack's job lets the account go while the provider runs,
//! so the provider's own calls and its PUT to the `ResponseURL` are served
//! meanwhile, and `Data` reaches `Fn::GetAtt`. The provider is a stand-in
//! for a Lambda function (the `lambda` crate runs real ones); it talks to
//! the server as a function would, through requests.

mod support;

use account::Account;
use runtime::custom::{Finished, FunctionHost, Prepared};
use serde_json::Value;
use std::sync::{Arc, OnceLock};
use support::tag;
use wire::dispatch::HttpRequest;
use wire::server::State;

const TEMPLATE: &str = "Resources:
  Thing:
    Type: Custom::Thing
    Properties:
      ServiceToken: !Sub arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f
      Size: 3
  Param:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Name: /from/data
      Value: !GetAtt Thing.Value
";

/// Answers every request as the function `f` would: first a call of its
/// own (SSM PutParameter), then the PUT of SUCCESS with `Data`.
struct Stand {
    state: OnceLock<Arc<State>>,
}

impl FunctionHost for Stand {
    fn endpoint_url(&self) -> String {
        "http://127.0.0.1:4566".into()
    }

    fn prepare(&self, _: &mut Account, arn: &str, payload: &[u8]) -> Result<Prepared, String> {
        if !arn.ends_with(":function:f") {
            return Err(format!("Function not found: {arn}"));
        }
        let state = Arc::clone(self.state.get().ok_or("no server")?);
        let event: Value = serde_json::from_slice(payload).map_err(|e| e.to_string())?;
        Ok(Box::new(move || {
            let own = support::json(
                &state,
                "AmazonSSM.PutParameter",
                "ssm",
                &format!(
                    r#"{{"Name":"/seen/{}","Value":"{}","Type":"String"}}"#,
                    event["RequestType"].as_str().unwrap_or(""),
                    event["ResourceProperties"]["Size"].as_str().unwrap_or("")
                ),
            );
            assert_eq!(own.status, 200, "{}", own.body);
            let url = event["ResponseURL"].as_str().unwrap_or_default();
            let rest = url.strip_prefix("http://127.0.0.1:4566").unwrap_or_default();
            let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
            let body = serde_json::json!({
                "Status": "SUCCESS", "PhysicalResourceId": "thing-1", "StackId": event["StackId"],
                "RequestId": event["RequestId"], "LogicalResourceId": event["LogicalResourceId"],
                "Data": {"Value": "from-the-function"},
            });
            let put = HttpRequest {
                method: "PUT".into(),
                path: path.into(),
                query: query.into(),
                headers: vec![("content-type".into(), String::new())],
                body: body.to_string().into_bytes(),
            };
            let answered = state.handle(&put);
            assert_eq!(answered.status, 200, "{}", answered.body);
            Finished { errored: false, record: Box::new(|_| {}) }
        }))
    }
}

#[test]
fn the_provider_reaches_the_account_while_the_stack_waits_and_data_reaches_get_att() {
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let dir = support::Folder::at(std::env::temp_dir().join(format!("tasknet-wire-custom-{n}")));
    let stand = Arc::new(Stand { state: OnceLock::new() });
    let mut config = wire::Config::new(([127, 0, 0, 1], 0).into(), Some(dir.path().to_path_buf()));
    config.functions = Some(Arc::clone(&stand) as Arc<dyn FunctionHost>);
    let state = State::open(&config).unwrap_or_else(|e| panic!("{e}"));
    let _ = stand.state.set(Arc::clone(&state));

    let created = support::action(
        &state,
        "cloudformation",
        "2010-05-15",
        "CreateStack",
        &[("StackName", "s"), ("TemplateBody", TEMPLATE)],
    );
    assert_eq!(created.status, 200, "{}", created.body);
    // While the function runs the stack is in progress, as on AWS: poll as a waiter does.
    assert_eq!(settle(&state, "s"), "CREATE_COMPLETE");
    let param = support::json(&state, "AmazonSSM.GetParameter", "ssm", r#"{"Name":"/from/data"}"#);
    assert!(param.body.contains("from-the-function"), "{}", param.body);
    let own = support::json(&state, "AmazonSSM.GetParameter", "ssm", r#"{"Name":"/seen/Create"}"#);
    assert!(own.body.contains("\"Value\":\"3\""), "scalars arrive as strings: {}", own.body);

    // A stray PUT: S3's refusal.
    let stray = state.handle(&HttpRequest {
        method: "PUT".into(),
        path: "/cloudformation-custom-resource-response-useast1/x%7CThing%7Cnope".into(),
        query: "X-Amz-Signature=00".into(),
        headers: vec![],
        body: b"{}".to_vec(),
    });
    assert_eq!((stray.status, tag(&stray.body, "Code")), (404, Some("NoSuchKey")), "{}", stray.body);

    let deleted = support::action(&state, "cloudformation", "2010-05-15", "DeleteStack", &[("StackName", "s")]);
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    let id = tag(&created.body, "StackId").unwrap_or_default().to_string();
    assert_eq!(settle(&state, &id), "DELETE_COMPLETE");
    let own = support::json(&state, "AmazonSSM.GetParameter", "ssm", r#"{"Name":"/seen/Delete"}"#);
    assert_eq!(own.status, 200, "the Delete reached the function: {}", own.body);
    drop(state);
}

/// The stack's status once it is no longer in progress (at most 20 s of polls).
fn settle(state: &Arc<State>, stack: &str) -> String {
    for _ in 0..400 {
        let d = support::action(state, "cloudformation", "2010-05-15", "DescribeStacks", &[("StackName", stack)]);
        let status = tag(&d.body, "StackStatus").unwrap_or_default().to_string();
        if !status.ends_with("_IN_PROGRESS") {
            return status;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    "still in progress after 20 s".into()
}
