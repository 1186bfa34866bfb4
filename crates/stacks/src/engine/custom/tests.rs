use super::*;
use serde_json::json;

#[test]
fn scalars_arrive_as_strings_everywhere() {
    let props = json!({"ServiceToken": "arn", "Count": 14, "On": true, "List": [1, {"X": false}], "Null": null});
    assert_eq!(
        stringified(&props),
        json!({"ServiceToken": "arn", "Count": "14", "On": "true", "List": ["1", {"X": "false"}], "Null": null})
    );
}

#[test]
fn the_event_carries_what_each_request_type_carries() {
    let props = json!({"ServiceToken": "arn:aws:lambda:us-east-1:1:function:f", "N": 1});
    let old = json!({"ServiceToken": "arn:aws:lambda:us-east-1:1:function:f", "N": 0});
    let mut req = Request {
        request_type: RequestType::Create,
        stack_id: "stack",
        logical_id: "R",
        resource_type: "Custom::X",
        properties: &props,
        old_properties: Some(&old),
        physical_id: Some("p-1"),
    };
    let create = event(&req, "req-1", "http://u");
    assert_eq!(create["RequestType"], "Create");
    assert_eq!(create["ServiceToken"], "arn:aws:lambda:us-east-1:1:function:f");
    assert_eq!(create["ResourceProperties"]["N"], "1");
    assert!(create.get("PhysicalResourceId").is_none(), "never sent with Create");
    assert!(create.get("OldResourceProperties").is_none());
    req.request_type = RequestType::Update;
    let update = event(&req, "req-2", "http://u");
    assert_eq!(update["PhysicalResourceId"], "p-1");
    assert_eq!(update["OldResourceProperties"]["N"], "0");
    req.request_type = RequestType::Delete;
    let delete = event(&req, "req-3", "http://u");
    assert_eq!(delete["PhysicalResourceId"], "p-1");
    assert!(delete.get("OldResourceProperties").is_none());
}

#[test]
fn service_timeout_defaults_and_bounds() {
    assert_eq!(timeout_ms(&json!({})), 3_600_000);
    assert_eq!(timeout_ms(&json!({"ServiceTimeout": "60"})), 60_000);
    assert_eq!(timeout_ms(&json!({"ServiceTimeout": 5})), 5_000);
    assert_eq!(timeout_ms(&json!({"ServiceTimeout": "0"})), 3_600_000);
    assert_eq!(timeout_ms(&json!({"ServiceTimeout": "9999"})), 3_600_000);
}

fn body(v: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&v).unwrap()
}

#[test]
fn responses_are_read_with_cloudformations_texts() {
    let ok = read_response(&body(json!({"Status": "SUCCESS", "PhysicalResourceId": "p", "Data": {"A": "1"}})), "r");
    assert_eq!(ok.unwrap().data["A"], "1");
    let failed = read_response(&body(json!({"Status": "FAILED", "Reason": "boom", "PhysicalResourceId": "p"})), "r1");
    assert_eq!(
        failed,
        Err(Failure {
            reason: "Received response status [FAILED] from custom resource. Message returned: boom (RequestId: r1)"
                .into(),
            physical_id: Some("p".into())
        })
    );
    let reason = |v| read_response(&body(v), "r").unwrap_err().reason;
    assert_eq!(reason(json!({"Status": "SUCCESS"})), "Invalid PhysicalResourceId");
    assert_eq!(reason(json!({"Status": "SUCCESS", "PhysicalResourceId": ""})), "Invalid PhysicalResourceId");
    assert_eq!(
        reason(json!({"Status": "SUCCESS", "PhysicalResourceId": "p", "Data": [1]})),
        "Data returned must be an object"
    );
    let long = json!({"Status": "SUCCESS", "PhysicalResourceId": "p", "Data": {"A": "x".repeat(4_100)}});
    assert_eq!(reason(long), "Response object is too long.");
}

#[test]
fn exactly_4096_bytes_is_accepted() {
    let mut doc = json!({"Status": "SUCCESS", "PhysicalResourceId": "p", "Data": {"A": ""}});
    let pad = MAX_RESPONSE_BYTES - body(doc.clone()).len();
    doc["Data"]["A"] = json!("x".repeat(pad));
    let bytes = body(doc);
    assert_eq!(bytes.len(), MAX_RESPONSE_BYTES);
    assert!(read_response(&bytes, "r").is_ok());
}

#[test]
fn no_echo_values_are_masked_in_outputs() {
    let r = account::StackResource {
        logical_resource_id: "S".into(),
        physical_resource_id: Some("p".into()),
        resource_type: "Custom::S".into(),
        resource_status: "CREATE_COMPLETE".into(),
        resource_status_reason: None,
        last_updated_timestamp: 0,
        properties: json!({}),
        attributes: [("Password".to_string(), json!("hunter2"))].into(),
        deletion_policy: None,
        no_echo: true,
    };
    let mut outs = vec![account::StackOutput {
        output_key: "O".into(),
        output_value: "user:hunter2".into(),
        description: None,
        export_name: None,
    }];
    mask_outputs(&[r], &mut outs);
    assert_eq!(outs[0].output_value, "user:*****");
}
