//! CloudWatch Logs: log groups, streams and events through the account's
//! actions (`account::logs`), which also page and filter; the handlers only
//! map members. (`aws logs tail`, a CLI v2 command, is FilterLogEvents
//! with `interleaved` and `startTime`, polled for `--follow`.)

use super::input;
use crate::dispatch::{read, write, Operation, Read, Write};
use crate::error::WireError;
use account::logs::{self as logs, read as lr, InputLogEvent};
use account::{Account, LogGroup, LogStream};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// CloudWatch Logs' operations.
pub const OPERATIONS: &[Operation] = &[
    write("CreateLogGroup", create_log_group),
    write("DeleteLogGroup", delete_log_group),
    read("DescribeLogGroups", describe_log_groups),
    write("PutRetentionPolicy", put_retention_policy),
    write("DeleteRetentionPolicy", delete_retention_policy),
    write("CreateLogStream", create_log_stream),
    write("DeleteLogStream", delete_log_stream),
    read("DescribeLogStreams", describe_log_streams),
    write("PutLogEvents", put_log_events),
    read("GetLogEvents", get_log_events),
    read("FilterLogEvents", filter_log_events),
    write("TagLogGroup", tag_log_group),
    write("UntagLogGroup", untag_log_group),
    read("ListTagsLogGroup", list_tags_log_group),
    write("TagResource", tag_resource),
    write("UntagResource", untag_resource),
    read("ListTagsForResource", list_tags_for_resource),
];

fn aws(e: account::ServiceError) -> WireError {
    WireError::from_aws(&e)
}

fn text<'v>(input: &'v Value, name: &str) -> &'v str {
    input::text(input, name).unwrap_or_default()
}

/// A map member of text values (`tags`).
fn tags(input: &Value, name: &str) -> BTreeMap<String, String> {
    input
        .get(name)
        .and_then(Value::as_object)
        .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
        .unwrap_or_default()
}

/// Members that are null are left out of the answer.
fn object(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(
        pairs.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.to_string(), v)).collect::<Map<_, _>>(),
    )
}

fn create_log_group(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let a = &mut w.session.account;
    a.create_log_group(text(input, "logGroupName"), input::text(input, "kmsKeyId"), tags(input, "tags"))
        .map_err(aws)?;
    Ok(json!({}))
}

fn delete_log_group(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    w.session.account.delete_log_group(text(input, "logGroupName")).map_err(aws)?;
    Ok(json!({}))
}

fn put_retention_policy(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let days = input::int(input, "retentionInDays").unwrap_or_default();
    w.session.account.put_retention_policy(text(input, "logGroupName"), days).map_err(aws)?;
    Ok(json!({}))
}

fn delete_retention_policy(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    w.session.account.delete_retention_policy(text(input, "logGroupName")).map_err(aws)?;
    Ok(json!({}))
}

/// One `LogGroup` of DescribeLogGroups.
fn group_json(a: &Account, g: &LogGroup) -> Value {
    let stored: u64 = lr::streams_of(a, &g.log_group_name).map(logs::stored_bytes).sum();
    object(vec![
        ("logGroupName", json!(g.log_group_name)),
        ("creationTime", json!(g.creation_time)),
        ("retentionInDays", json!(g.retention_in_days)),
        ("metricFilterCount", json!(0)),
        ("arn", json!(logs::group_arn(a, &g.log_group_name))),
        ("storedBytes", json!(stored)),
        ("kmsKeyId", json!(g.kms_key_id)),
        // AWS doc "CreateLogGroup": STANDARD is the default class.
        ("logGroupClass", json!("STANDARD")),
        ("logGroupArn", json!(logs::group_arn_bare(a, &g.log_group_name))),
    ])
}

fn describe_log_groups(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let req = lr::DescribeLogGroups {
        prefix: input::text(input, "logGroupNamePrefix"),
        pattern: input::text(input, "logGroupNamePattern"),
        identifiers: input::texts(input, "logGroupIdentifiers"),
        next_token: input::text(input, "nextToken"),
        limit: input::int(input, "limit"),
    };
    let (groups, next) = lr::describe_log_groups(r.account, &req).map_err(aws)?;
    let list: Vec<Value> = groups.iter().map(|g| group_json(r.account, g)).collect();
    Ok(object(vec![("logGroups", json!(list)), ("nextToken", json!(next))]))
}

fn create_log_stream(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    w.session.account.create_log_stream(text(input, "logGroupName"), text(input, "logStreamName")).map_err(aws)?;
    Ok(json!({}))
}

fn delete_log_stream(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    w.session.account.delete_log_stream(text(input, "logGroupName"), text(input, "logStreamName")).map_err(aws)?;
    Ok(json!({}))
}

/// One `LogStream` of DescribeLogStreams.
fn stream_json(a: &Account, s: &LogStream) -> Value {
    object(vec![
        ("logStreamName", json!(s.log_stream_name)),
        ("creationTime", json!(s.creation_time)),
        ("firstEventTimestamp", json!(s.first_event_timestamp)),
        ("lastEventTimestamp", json!(s.last_event_timestamp)),
        ("lastIngestionTime", json!(s.last_ingestion_time)),
        ("uploadSequenceToken", json!(logs::sequence_token(s.accepted))),
        ("arn", json!(logs::stream_arn(a, &s.log_group_name, &s.log_stream_name))),
        ("storedBytes", json!(logs::stored_bytes(s))),
    ])
}

fn describe_log_streams(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let order_by = match input::text(input, "orderBy") {
        Some("LastEventTime") => lr::OrderBy::LastEventTime,
        _ => lr::OrderBy::LogStreamName,
    };
    // The model names the group by logGroupName or logGroupIdentifier (a name or an ARN).
    let group = match (input::text(input, "logGroupName"), input::text(input, "logGroupIdentifier")) {
        (Some(n), _) => n.to_string(),
        (None, Some(id)) if id.starts_with("arn:") => r.account.log_group_of_arn(id).map_err(aws)?,
        (None, Some(id)) => id.to_string(),
        (None, None) => String::new(),
    };
    let req = lr::DescribeLogStreams {
        group: &group,
        prefix: input::text(input, "logStreamNamePrefix"),
        order_by,
        descending: input::boolean(input, "descending").unwrap_or(false),
        next_token: input::text(input, "nextToken"),
        limit: input::int(input, "limit"),
    };
    let (streams, next) = lr::describe_log_streams(r.account, &req).map_err(aws)?;
    let list: Vec<Value> = streams.iter().map(|s| stream_json(r.account, s)).collect();
    Ok(object(vec![("logStreams", json!(list)), ("nextToken", json!(next))]))
}

fn put_log_events(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let events: Vec<InputLogEvent> = input
        .get("logEvents")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|e| InputLogEvent {
                    timestamp: input::int(e, "timestamp").unwrap_or_default(),
                    message: text(e, "message").to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let out = w
        .session
        .account
        .put_log_events(text(input, "logGroupName"), text(input, "logStreamName"), &events)
        .map_err(aws)?;
    let rejected = (!out.rejected.is_empty()).then(|| {
        object(vec![
            ("tooNewLogEventStartIndex", json!(out.rejected.too_new_log_event_start_index)),
            ("tooOldLogEventEndIndex", json!(out.rejected.too_old_log_event_end_index)),
            ("expiredLogEventEndIndex", json!(out.rejected.expired_log_event_end_index)),
        ])
    });
    Ok(object(vec![("nextSequenceToken", json!(out.next_sequence_token)), ("rejectedLogEventsInfo", json!(rejected))]))
}

/// The group a request names by `logGroupName` or `logGroupIdentifier`.
fn group_of(a: &Account, input: &Value) -> Result<String, WireError> {
    match (input::text(input, "logGroupName"), input::text(input, "logGroupIdentifier")) {
        (Some(n), _) => Ok(n.to_string()),
        (None, Some(id)) if id.starts_with("arn:") => a.log_group_of_arn(id).map_err(aws),
        (None, Some(id)) => Ok(id.to_string()),
        // Inferred text: the API requires one of the two.
        (None, None) => Err(WireError::bad(
            "InvalidParameterException",
            "Should provide either logGroupName or logGroupIdentifier.",
        )),
    }
}

fn get_log_events(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let group = group_of(r.account, input)?;
    let req = lr::GetLogEvents {
        group: &group,
        stream: text(input, "logStreamName"),
        start_time: input::int(input, "startTime"),
        end_time: input::int(input, "endTime"),
        next_token: input::text(input, "nextToken"),
        limit: input::int(input, "limit"),
        start_from_head: input::boolean(input, "startFromHead").unwrap_or(false),
    };
    let page = lr::get_log_events(r.account, &req).map_err(aws)?;
    let events: Vec<Value> = page
        .events
        .iter()
        .map(|e| json!({ "timestamp": e.timestamp, "message": e.message, "ingestionTime": e.ingestion_time }))
        .collect();
    Ok(json!({
        "events": events,
        "nextForwardToken": page.next_forward_token,
        "nextBackwardToken": page.next_backward_token,
    }))
}

fn filter_log_events(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let group = group_of(r.account, input)?;
    let req = lr::FilterLogEvents {
        group: &group,
        stream_names: input::texts(input, "logStreamNames"),
        stream_prefix: input::text(input, "logStreamNamePrefix"),
        start_time: input::int(input, "startTime"),
        end_time: input::int(input, "endTime"),
        filter_pattern: input::text(input, "filterPattern"),
        next_token: input::text(input, "nextToken"),
        limit: input::int(input, "limit"),
    };
    let (found, next) = lr::filter_log_events(r.account, &req).map_err(aws)?;
    let events: Vec<Value> = found
        .iter()
        .map(|(i, f)| {
            json!({
                "logStreamName": f.stream.log_stream_name,
                "timestamp": f.event.timestamp,
                "message": f.event.message,
                "ingestionTime": f.event.ingestion_time,
                "eventId": f.event_id(*i),
            })
        })
        .collect();
    // `interleaved` is deprecated and always true now (AWS doc "FilterLogEvents"); searchedLogStreams is
    // deprecated too and left out.
    Ok(object(vec![("events", json!(events)), ("nextToken", json!(next))]))
}

fn tag_log_group(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    w.session.account.tag_log_group(text(input, "logGroupName"), tags(input, "tags")).map_err(aws)?;
    Ok(json!({}))
}

fn untag_log_group(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    w.session.account.untag_log_group(text(input, "logGroupName"), &input::texts(input, "tags")).map_err(aws)?;
    Ok(json!({}))
}

fn list_tags_log_group(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let g = r.account.log_groups.get(text(input, "logGroupName")).ok_or_else(|| aws(logs::group_not_found()))?;
    Ok(json!({ "tags": g.tags }))
}

fn tag_resource(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let name = w.session.account.log_group_of_arn(text(input, "resourceArn")).map_err(aws)?;
    w.session.account.tag_log_group(&name, tags(input, "tags")).map_err(aws)?;
    Ok(json!({}))
}

fn untag_resource(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let name = w.session.account.log_group_of_arn(text(input, "resourceArn")).map_err(aws)?;
    w.session.account.untag_log_group(&name, &input::texts(input, "tagKeys")).map_err(aws)?;
    Ok(json!({}))
}

fn list_tags_for_resource(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let name = r.account.log_group_of_arn(text(input, "resourceArn")).map_err(aws)?;
    Ok(json!({ "tags": r.account.log_groups.get(&name).map(|g| g.tags.clone()).unwrap_or_default() }))
}
