//! CloudWatch Logs' actions: log groups (CreateLogGroup, DeleteLogGroup,
//! PutRetentionPolicy, DeleteRetentionPolicy, tags), log streams
//! (CreateLogStream, DeleteLogStream) and PutLogEvents, plus
//! [`put_log_events`], the one door every part of tasknet that writes log
//! lines (Lambda invocations, ECS containers' awslogs driver) goes through.
//! Reading (GetLogEvents, FilterLogEvents, Describe*) is [`read`].
//!
//! AWS doc: the actions of the same names in the Amazon CloudWatch Logs API
//! Reference. Texts marked *seen* appear verbatim in users' reports; others
//! are marked inferred.

pub mod awslogs;
pub mod pattern;
pub mod read;
pub mod tail;

use crate::{Account, AwsService, LogEvent, LogGroup, LogStream, ServiceError};
use std::collections::BTreeMap;

/// Milliseconds in a day.
const DAY_MS: u64 = 86_400_000;
/// AWS doc "PutLogEvents": events more than 2 hours in the future are rejected.
const TOO_NEW_MS: u64 = 2 * 3_600_000;
/// AWS doc "PutLogEvents": events older than 14 days are rejected.
const TOO_OLD_MS: u64 = 14 * DAY_MS;
/// AWS doc "PutLogEvents": a batch may not span more than 24 hours.
const SPAN_MS: u64 = DAY_MS;
/// AWS doc "PutLogEvents": at most 10,000 events per batch.
pub const MAX_BATCH_EVENTS: usize = 10_000;
/// AWS doc "PutLogEvents": at most 1,048,576 bytes per batch, counting each
/// message's UTF-8 bytes plus 26 per event.
pub const MAX_BATCH_BYTES: usize = 1_048_576;
/// AWS doc "PutLogEvents": the per-event overhead in the batch size.
pub const EVENT_OVERHEAD: usize = 26;
/// AWS doc "PutLogEvents": each event at most 1 MB (the batch limit is the
/// tighter one once the overhead is counted).
const MAX_EVENT_BYTES: usize = 1_048_576;

/// The retention periods PutRetentionPolicy accepts (AWS doc "PutRetentionPolicy").
pub const RETENTION_DAYS: &[u32] =
    &[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

fn err(code: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::new(AwsService::Logs, code, message)
}

/// ResourceNotFoundException for a missing group (seen, with the period).
pub fn group_not_found() -> ServiceError {
    err("ResourceNotFoundException", "The specified log group does not exist.")
}

/// ResourceNotFoundException for a missing stream (seen, with the period).
pub fn stream_not_found() -> ServiceError {
    err("ResourceNotFoundException", "The specified log stream does not exist.")
}

/// InvalidParameterException with `message`.
pub fn invalid(message: impl Into<String>) -> ServiceError {
    err("InvalidParameterException", message)
}

/// The key of a stream in [`Account::log_streams`]: group names cannot hold
/// `:` (their pattern is `[\.\-_/#A-Za-z0-9]+`), so the first `:` splits.
pub fn stream_key(group: &str, stream: &str) -> String {
    format!("{group}:{stream}")
}

/// A group's ARN as DescribeLogGroups' `arn` gives it (with `:*`).
pub fn group_arn(a: &Account, group: &str) -> String {
    format!("{}:*", group_arn_bare(a, group))
}

/// A group's ARN without `:*` (`logGroupArn`, and what tagging takes).
pub fn group_arn_bare(a: &Account, group: &str) -> String {
    format!("arn:aws:logs:{}:{}:log-group:{group}", a.region, a.account_id)
}

/// A stream's ARN.
pub fn stream_arn(a: &Account, group: &str, stream: &str) -> String {
    format!("{}:log-stream:{stream}", group_arn_bare(a, group))
}

/// Checks a group name: 1..=512 characters of `[\.\-_/#A-Za-z0-9]` (AWS doc
/// "CreateLogGroup"). The text is inferred (the model's pattern check).
fn check_group_name(name: &str) -> Result<(), ServiceError> {
    let ok = (1..=512).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | '#'));
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "1 validation error detected: Value '{name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+"
        )))
    }
}

/// Checks a stream name: 1..=512 characters, no `:` or `*` (AWS doc
/// "CreateLogStream"). The text is inferred.
fn check_stream_name(name: &str) -> Result<(), ServiceError> {
    if (1..=512).contains(&name.len()) && !name.contains([':', '*']) {
        Ok(())
    } else {
        Err(invalid(format!(
            "1 validation error detected: Value '{name}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*"
        )))
    }
}

/// Checks a retention period against [`RETENTION_DAYS`] (text inferred: the model's enum check).
fn check_retention(days: i64) -> Result<u32, ServiceError> {
    u32::try_from(days).ok().filter(|d| RETENTION_DAYS.contains(d)).ok_or_else(|| {
        let list: Vec<String> = RETENTION_DAYS.iter().map(u32::to_string).collect();
        invalid(format!(
            "1 validation error detected: Value '{days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            list.join(", ")
        ))
    })
}

/// One event a writer hands in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputLogEvent {
    /// When it happened (milliseconds since the epoch).
    pub timestamp: i64,
    /// Its text.
    pub message: String,
}

/// Which events of a batch were not stored (PutLogEvents' `rejectedLogEventsInfo`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RejectedLogEventsInfo {
    /// The first event more than 2 hours in the future; it and all after were rejected.
    pub too_new_log_event_start_index: Option<usize>,
    /// The last event older than 14 days; it and all before were rejected.
    pub too_old_log_event_end_index: Option<usize>,
    /// The last event older than the group's retention; it and all before were rejected.
    pub expired_log_event_end_index: Option<usize>,
}

impl RejectedLogEventsInfo {
    /// True when no event was rejected.
    pub fn is_empty(&self) -> bool {
        *self == RejectedLogEventsInfo::default()
    }
}

/// What PutLogEvents answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PutLogEventsOutput {
    /// The (now ignored) sequence token for the next call.
    pub next_sequence_token: String,
    /// The events not stored, if any.
    pub rejected: RejectedLogEventsInfo,
}

/// The sequence token after `accepted` events: 56 digits like AWS's (whose
/// tokens PutLogEvents now ignores, AWS doc "PutLogEvents").
pub fn sequence_token(accepted: u64) -> String {
    format!("{accepted:056}")
}

impl Account {
    /// CreateLogGroup.
    pub fn create_log_group(
        &mut self,
        name: &str,
        kms_key_id: Option<&str>,
        tags: BTreeMap<String, String>,
    ) -> Result<&LogGroup, ServiceError> {
        check_group_name(name)?;
        if self.log_groups.contains_key(name) {
            // Seen (no period).
            return Err(err("ResourceAlreadyExistsException", "The specified log group already exists"));
        }
        let group = LogGroup {
            log_group_name: name.to_string(),
            creation_time: self.clock_ms,
            retention_in_days: None,
            kms_key_id: kms_key_id.map(str::to_string),
            tags,
        };
        Ok(self.log_groups.entry(name.to_string()).or_insert(group))
    }

    /// DeleteLogGroup: the group and all its streams' events.
    pub fn delete_log_group(&mut self, name: &str) -> Result<(), ServiceError> {
        self.log_groups.remove(name).ok_or_else(group_not_found)?;
        let prefix = stream_key(name, "");
        self.log_streams.retain(|k, _| !k.starts_with(&prefix));
        Ok(())
    }

    /// PutRetentionPolicy: events older than `days` are dropped from now on.
    pub fn put_retention_policy(&mut self, name: &str, days: i64) -> Result<(), ServiceError> {
        let days = check_retention(days)?;
        self.log_groups.get_mut(name).ok_or_else(group_not_found)?.retention_in_days = Some(days);
        self.expire_log_events(name);
        Ok(())
    }

    /// DeleteRetentionPolicy: events are kept forever.
    pub fn delete_retention_policy(&mut self, name: &str) -> Result<(), ServiceError> {
        self.log_groups.get_mut(name).ok_or_else(group_not_found)?.retention_in_days = None;
        Ok(())
    }

    /// TagResource / TagLogGroup: adds or replaces tags.
    pub fn tag_log_group(&mut self, name: &str, tags: BTreeMap<String, String>) -> Result<(), ServiceError> {
        self.log_groups.get_mut(name).ok_or_else(group_not_found)?.tags.extend(tags);
        Ok(())
    }

    /// UntagResource / UntagLogGroup: removes tags by key.
    pub fn untag_log_group(&mut self, name: &str, keys: &[String]) -> Result<(), ServiceError> {
        let g = self.log_groups.get_mut(name).ok_or_else(group_not_found)?;
        for k in keys {
            g.tags.remove(k);
        }
        Ok(())
    }

    /// The group an ARN names (with or without `:*`), for the tagging calls.
    pub fn log_group_of_arn(&self, arn: &str) -> Result<String, ServiceError> {
        let prefix = format!("arn:aws:logs:{}:{}:log-group:", self.region, self.account_id);
        let name = arn.strip_prefix(&prefix).map(|n| n.strip_suffix(":*").unwrap_or(n));
        match name {
            Some(n) if self.log_groups.contains_key(n) => Ok(n.to_string()),
            _ => Err(group_not_found()),
        }
    }

    /// CreateLogStream.
    pub fn create_log_stream(&mut self, group: &str, stream: &str) -> Result<&LogStream, ServiceError> {
        check_stream_name(stream)?;
        if !self.log_groups.contains_key(group) {
            return Err(group_not_found());
        }
        let key = stream_key(group, stream);
        if self.log_streams.contains_key(&key) {
            // Seen (no period).
            return Err(err("ResourceAlreadyExistsException", "The specified log stream already exists"));
        }
        let s = LogStream {
            log_group_name: group.to_string(),
            log_stream_name: stream.to_string(),
            creation_time: self.clock_ms,
            first_event_timestamp: None,
            last_event_timestamp: None,
            last_ingestion_time: None,
            accepted: 0,
            events: Vec::new(),
        };
        Ok(self.log_streams.entry(key).or_insert(s))
    }

    /// DeleteLogStream.
    pub fn delete_log_stream(&mut self, group: &str, stream: &str) -> Result<(), ServiceError> {
        if !self.log_groups.contains_key(group) {
            return Err(group_not_found());
        }
        self.log_streams.remove(&stream_key(group, stream)).map(|_| ()).ok_or_else(stream_not_found)
    }

    /// PutLogEvents, as the API takes it (the group and stream must exist).
    pub fn put_log_events(
        &mut self,
        group: &str,
        stream: &str,
        events: &[InputLogEvent],
    ) -> Result<PutLogEventsOutput, ServiceError> {
        put_log_events(self, group, stream, events, false)
    }

    /// Drops the events of `group` older than its retention, on the account's clock.
    pub fn expire_log_events(&mut self, group: &str) {
        let Some(cutoff) = self.retention_cutoff(group) else { return };
        let prefix = stream_key(group, "");
        for s in self.log_streams.range_mut(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)) {
            let s = s.1;
            if s.events.first().is_some_and(|e| e.timestamp < cutoff) {
                s.events.retain(|e| e.timestamp >= cutoff);
            }
        }
    }

    /// The oldest timestamp `group`'s retention keeps now, if it has one.
    pub fn retention_cutoff(&self, group: &str) -> Option<u64> {
        let days = self.log_groups.get(group)?.retention_in_days?;
        Some(self.clock_ms.saturating_sub(u64::from(days) * DAY_MS))
    }
}

/// Appends `events` to `stream` of `group`, by PutLogEvents' rules: every
/// writer inside tasknet (Lambda's invocations, ECS's awslogs driver) calls
/// this (cut captured lines with [`batches`] first). With `create_missing` a missing group and stream are created first
/// (as Lambda creates `/aws/lambda/<function>` on its first write and as
/// `awslogs-create-group` does); without it they must exist. Events must be
/// in timestamp order (a writer sorts its own); those too old, too new or
/// past the group's retention are left out and reported, as AWS does.
pub fn put_log_events(
    a: &mut Account,
    group: &str,
    stream: &str,
    events: &[InputLogEvent],
    create_missing: bool,
) -> Result<PutLogEventsOutput, ServiceError> {
    if !a.log_groups.contains_key(group) {
        if !create_missing {
            return Err(group_not_found());
        }
        a.create_log_group(group, None, BTreeMap::new())?;
    }
    let key = stream_key(group, stream);
    if !a.log_streams.contains_key(&key) {
        if !create_missing {
            return Err(stream_not_found());
        }
        a.create_log_stream(group, stream)?;
    }
    check_batch(events)?;
    let now = a.clock_ms;
    let cutoff = a.retention_cutoff(group);
    let mut rejected = RejectedLogEventsInfo::default();
    let mut kept = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let ts = u64::try_from(e.timestamp).unwrap_or(0);
        if ts > now.saturating_add(TOO_NEW_MS) {
            rejected.too_new_log_event_start_index.get_or_insert(i);
        } else if ts < now.saturating_sub(TOO_OLD_MS) {
            rejected.too_old_log_event_end_index = Some(i);
        } else if cutoff.is_some_and(|c| ts < c) {
            rejected.expired_log_event_end_index = Some(i);
        } else {
            kept.push((ts, e));
        }
    }
    a.expire_log_events(group);
    let Some(s) = a.log_streams.get_mut(&key) else { return Err(stream_not_found()) };
    if !kept.is_empty() {
        // Events stay in timestamp order; a batch older than the stream's tail is merged in.
        let sorted_tail = s.events.last().is_none_or(|l| l.timestamp <= kept[0].0);
        for (ts, e) in &kept {
            s.accepted += 1;
            s.events.push(LogEvent {
                timestamp: *ts,
                message: e.message.clone(),
                ingestion_time: now,
                seq: s.accepted,
            });
        }
        if !sorted_tail {
            s.events.sort_by_key(|e| (e.timestamp, e.seq));
        }
        let (first, last) = (kept[0].0, kept[kept.len() - 1].0);
        s.first_event_timestamp = Some(s.first_event_timestamp.map_or(first, |f| f.min(first)));
        s.last_event_timestamp = Some(s.last_event_timestamp.map_or(last, |l| l.max(last)));
        s.last_ingestion_time = Some(now);
    }
    Ok(PutLogEventsOutput { next_sequence_token: sequence_token(s.accepted), rejected })
}

/// Lines a writer captured, `(timestamp ms, text)` in the order written,
/// cut into PutLogEvents batches for [`put_log_events`]: at most 10,000 events and
/// 1,048,576 bytes each, a message cut at 256 KiB as the driver does
/// (tasknet's choice of cut), a batch spanning at most 24 hours, timestamps never going back.
pub fn batches(lines: &[(u64, String)]) -> Vec<Vec<InputLogEvent>> {
    const MAX_MESSAGE: usize = 256 * 1024;
    let mut out: Vec<Vec<InputLogEvent>> = Vec::new();
    let (mut current, mut size, mut last) = (Vec::new(), 0usize, 0u64);
    for (ts, text) in lines {
        let mut end = text.len().min(MAX_MESSAGE);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let message = text[..end].to_string();
        let ts = (*ts).max(last);
        last = ts;
        let cost = message.len() + EVENT_OVERHEAD;
        let first = current.first().map_or(ts, |e: &InputLogEvent| e.timestamp as u64);
        let full = current.len() == MAX_BATCH_EVENTS || size + cost > MAX_BATCH_BYTES || ts - first > SPAN_MS;
        if !current.is_empty() && full {
            out.push(std::mem::take(&mut current));
            size = 0;
        }
        size += cost;
        current.push(InputLogEvent { timestamp: ts as i64, message });
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The checks that fail a whole batch (AWS doc "PutLogEvents").
fn check_batch(events: &[InputLogEvent]) -> Result<(), ServiceError> {
    if events.is_empty() {
        // Inferred text (the model's length check on logEvents).
        return Err(invalid(
            "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ));
    }
    if events.len() > MAX_BATCH_EVENTS {
        // Inferred text (the model's length check on logEvents).
        return Err(invalid(format!(
            "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to {MAX_BATCH_EVENTS}"
        )));
    }
    let size: usize = events.iter().map(|e| e.message.len() + EVENT_OVERHEAD).sum();
    if size > MAX_BATCH_BYTES || events.iter().any(|e| e.message.len() > MAX_EVENT_BYTES) {
        // Recalled from users' reports; unverified here.
        return Err(invalid(format!("Upload too large: {size} bytes exceeds limit of {MAX_BATCH_BYTES}")));
    }
    if events.windows(2).any(|w| w[1].timestamp < w[0].timestamp) {
        // Seen.
        return Err(invalid("Log events in a single PutLogEvents request must be in chronological order."));
    }
    let (first, last) = (events[0].timestamp, events[events.len() - 1].timestamp);
    if last.saturating_sub(first) > SPAN_MS as i64 {
        // Inferred text: the documented rule in AWS's words.
        return Err(invalid(
            "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.",
        ));
    }
    Ok(())
}

/// The bytes a stream stores: its messages' UTF-8 bytes (tasknet's measure;
/// AWS updates storedBytes with a delay and documents no formula).
pub fn stored_bytes(s: &LogStream) -> u64 {
    s.events.iter().map(|e| e.message.len() as u64).sum()
}

#[cfg(test)]
mod tests;
