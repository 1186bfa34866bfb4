//! CloudWatch Logs through the server's entry point with signed JSON 1.1
//! requests: groups, streams, events, tokens and AWS's errors.

mod support;

use serde_json::{json, Value};
use std::sync::Arc;
use wire::server::State;

fn logs(s: &Arc<State>, op: &str, body: Value) -> (u16, Value) {
    let res = support::json(s, &format!("Logs_20140328.{op}"), "logs", &body.to_string());
    (res.status, serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body)))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

#[test]
fn groups_streams_events_and_errors() {
    let (s, _folder) = support::server("logs");
    let (status, out) = logs(&s, "CreateLogGroup", json!({"logGroupName": "/app/web", "tags": {"team": "a"}}));
    assert_eq!(status, 200, "{out}");
    let (status, out) = logs(&s, "CreateLogGroup", json!({"logGroupName": "/app/web"}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("ResourceAlreadyExistsException")));
    assert_eq!(out["message"], "The specified log group already exists");
    let (_, out) = logs(&s, "PutRetentionPolicy", json!({"logGroupName": "/app/web", "retentionInDays": 7}));
    assert_eq!(out, json!({}));
    let (status, out) = logs(&s, "PutRetentionPolicy", json!({"logGroupName": "/app/web", "retentionInDays": 8}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("InvalidParameterException")));
    let (_, out) = logs(&s, "DescribeLogGroups", json!({"logGroupNamePrefix": "/app"}));
    let g = &out["logGroups"][0];
    assert_eq!(g["retentionInDays"], 7);
    assert_eq!(g["arn"].as_str().map(|a| a.ends_with(":log-group:/app/web:*")), Some(true));
    let (status, out) = logs(&s, "CreateLogStream", json!({"logGroupName": "/nope", "logStreamName": "s"}));
    assert_eq!((status, out["message"].as_str()), (400, Some("The specified log group does not exist.")));
    logs(&s, "CreateLogStream", json!({"logGroupName": "/app/web", "logStreamName": "s1"}));
    let t = now_ms();
    let events: Vec<Value> =
        (0..5).map(|i| json!({"timestamp": t - 5000 + i * 1000, "message": format!("line {i}")})).collect();
    let (status, out) =
        logs(&s, "PutLogEvents", json!({"logGroupName": "/app/web", "logStreamName": "s1", "logEvents": events}));
    assert_eq!(status, 200, "{out}");
    assert!(out["nextSequenceToken"].is_string() && out.get("rejectedLogEventsInfo").is_none(), "{out}");
    let late = json!([{"timestamp": t, "message": "ok"}, {"timestamp": t + 3 * 3_600_000, "message": "future"}]);
    let (_, out) =
        logs(&s, "PutLogEvents", json!({"logGroupName": "/app/web", "logStreamName": "s1", "logEvents": late}));
    assert_eq!(out["rejectedLogEventsInfo"]["tooNewLogEventStartIndex"], 1, "{out}");
    let unordered = json!([{"timestamp": t, "message": "b"}, {"timestamp": t - 1, "message": "a"}]);
    let (status, out) =
        logs(&s, "PutLogEvents", json!({"logGroupName": "/app/web", "logStreamName": "s1", "logEvents": unordered}));
    assert_eq!(status, 400);
    assert_eq!(out["message"], "Log events in a single PutLogEvents request must be in chronological order.");
    let (status, out) = logs(
        &s,
        "PutLogEvents",
        json!({"logGroupName": "/app/web", "logStreamName": "s9", "logEvents": [{"timestamp": t, "message": "x"}]}),
    );
    assert_eq!((status, out["message"].as_str()), (400, Some("The specified log stream does not exist.")));
    let (_, out) = logs(
        &s,
        "GetLogEvents",
        json!({"logGroupName": "/app/web", "logStreamName": "s1", "limit": 2, "startFromHead": true}),
    );
    assert_eq!(out["events"][0]["message"], "line 0");
    let forward = out["nextForwardToken"].as_str().unwrap_or_default().to_string();
    assert!(forward.starts_with("f/"), "{out}");
    let (_, out) =
        logs(&s, "GetLogEvents", json!({"logGroupName": "/app/web", "logStreamName": "s1", "nextToken": forward}));
    assert_eq!(out["events"].as_array().map(Vec::len), Some(4), "{out}");
    let (_, out) = logs(&s, "FilterLogEvents", json!({"logGroupName": "/app/web", "filterPattern": "?\"line 1\" ?ok"}));
    let found: Vec<&str> =
        out["events"].as_array().into_iter().flatten().filter_map(|e| e["message"].as_str()).collect();
    assert_eq!(found, ["line 1", "ok"], "{out}");
    assert!(out["events"][0]["eventId"].is_string() && out["events"][0]["logStreamName"] == "s1");
    let (_, out) = logs(
        &s,
        "DescribeLogStreams",
        json!({"logGroupName": "/app/web", "orderBy": "LastEventTime", "descending": true}),
    );
    assert_eq!(out["logStreams"][0]["lastEventTimestamp"], t, "{out}");
    let (_, out) = logs(&s, "ListTagsLogGroup", json!({"logGroupName": "/app/web"}));
    assert_eq!(out["tags"]["team"], "a");
    let (status, _) = logs(&s, "DeleteLogGroup", json!({"logGroupName": "/app/web"}));
    assert_eq!(status, 200);
    let (status, out) = logs(&s, "GetLogEvents", json!({"logGroupName": "/app/web", "logStreamName": "s1"}));
    assert_eq!((status, out["__type"].as_str()), (400, Some("ResourceNotFoundException")));
}
