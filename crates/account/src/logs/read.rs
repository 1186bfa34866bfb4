//! CloudWatch Logs' reads: DescribeLogGroups, DescribeLogStreams,
//! GetLogEvents and FilterLogEvents, with their pagination and tokens.
//! Events past a group's retention are never returned, even before a write
//! drops them.

use super::{group_not_found, invalid, pattern::Pattern, stream_key, stream_not_found};
use crate::{Account, LogEvent, LogGroup, LogStream, ServiceError};

/// A page size from a request's `limit`: `default` when absent, else
/// 1..=`max` (text inferred: the model's range check).
fn limit(limit: Option<i64>, default: usize, max: usize) -> Result<usize, ServiceError> {
    match limit {
        None => Ok(default),
        Some(n) => usize::try_from(n).ok().filter(|n| (1..=max).contains(n)).ok_or_else(|| {
            invalid(format!(
                "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to {max}"
            ))
        }),
    }
}

/// The offset a `nextToken` of ours carries (text inferred).
fn offset(token: Option<&str>) -> Result<usize, ServiceError> {
    match token.filter(|t| !t.is_empty()) {
        None => Ok(0),
        Some(t) => t
            .strip_prefix("tn/")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| invalid(format!("The specified nextToken is invalid: {t}"))),
    }
}

/// The page of `items` at `token`, and the next page's token.
fn page<T>(items: Vec<T>, token: Option<&str>, size: usize) -> Result<(Vec<T>, Option<String>), ServiceError> {
    let start = offset(token)?.min(items.len());
    let end = start.saturating_add(size).min(items.len());
    let next = (end < items.len()).then(|| format!("tn/{end}"));
    Ok((items.into_iter().skip(start).take(end - start).collect(), next))
}

/// DescribeLogGroups' request.
#[derive(Clone, Debug, Default)]
pub struct DescribeLogGroups<'r> {
    /// `logGroupNamePrefix`.
    pub prefix: Option<&'r str>,
    /// `logGroupNamePattern`: a case-insensitive substring.
    pub pattern: Option<&'r str>,
    /// `logGroupIdentifiers`: only these groups (names or ARNs).
    pub identifiers: Vec<String>,
    /// `nextToken`.
    pub next_token: Option<&'r str>,
    /// `limit` (1..=50, default 50).
    pub limit: Option<i64>,
}

/// DescribeLogGroups: groups in name order.
pub fn describe_log_groups<'a>(
    a: &'a Account,
    r: &DescribeLogGroups<'_>,
) -> Result<(Vec<&'a LogGroup>, Option<String>), ServiceError> {
    if r.prefix.is_some() && r.pattern.is_some() {
        // Inferred text (AWS doc "DescribeLogGroups": the two are mutually exclusive).
        return Err(invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters."));
    }
    if !r.identifiers.is_empty() && (r.prefix.is_some() || r.pattern.is_some()) {
        // Inferred text (AWS doc "DescribeLogGroups": logGroupIdentifiers excludes the other two).
        return Err(invalid("logGroupIdentifiers cannot be used with logGroupNamePrefix or logGroupNamePattern."));
    }
    let size = limit(r.limit, 50, 50)?;
    let pat = r.pattern.map(str::to_lowercase);
    let groups: Vec<&LogGroup> = a
        .log_groups
        .values()
        .filter(|g| r.prefix.is_none_or(|p| g.log_group_name.starts_with(p)))
        .filter(|g| pat.as_deref().is_none_or(|p| g.log_group_name.to_lowercase().contains(p)))
        .filter(|g| {
            r.identifiers.is_empty()
                || r.identifiers.iter().any(|id| {
                    id == &g.log_group_name
                        || id.strip_suffix(":*").unwrap_or(id) == super::group_arn_bare(a, &g.log_group_name)
                })
        })
        .collect();
    page(groups, r.next_token, size)
}

/// How DescribeLogStreams orders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OrderBy {
    /// By name (the default).
    #[default]
    LogStreamName,
    /// By the last event's timestamp.
    LastEventTime,
}

/// DescribeLogStreams' request.
#[derive(Clone, Debug, Default)]
pub struct DescribeLogStreams<'r> {
    /// `logGroupName`.
    pub group: &'r str,
    /// `logStreamNamePrefix`.
    pub prefix: Option<&'r str>,
    /// `orderBy`.
    pub order_by: OrderBy,
    /// `descending`.
    pub descending: bool,
    /// `nextToken`.
    pub next_token: Option<&'r str>,
    /// `limit` (1..=50, default 50).
    pub limit: Option<i64>,
}

/// DescribeLogStreams.
pub fn describe_log_streams<'a>(
    a: &'a Account,
    r: &DescribeLogStreams<'_>,
) -> Result<(Vec<&'a LogStream>, Option<String>), ServiceError> {
    if !a.log_groups.contains_key(r.group) {
        return Err(group_not_found());
    }
    if r.prefix.is_some() && r.order_by == OrderBy::LastEventTime {
        // Seen.
        return Err(invalid("Cannot order by LastEventTime with a logStreamNamePrefix."));
    }
    let size = limit(r.limit, 50, 50)?;
    let mut streams: Vec<&LogStream> =
        streams_of(a, r.group).filter(|s| r.prefix.is_none_or(|p| s.log_stream_name.starts_with(p))).collect();
    if r.order_by == OrderBy::LastEventTime {
        // Streams without events sort first (they have no last event time).
        streams.sort_by_key(|s| (s.last_event_timestamp, s.log_stream_name.clone()));
    }
    if r.descending {
        streams.reverse();
    }
    page(streams, r.next_token, size)
}

/// The streams of `group`, in name order.
pub fn streams_of<'a>(a: &'a Account, group: &str) -> impl Iterator<Item = &'a LogStream> {
    let prefix = stream_key(group, "");
    a.log_streams.range(prefix.clone()..).take_while(move |(k, _)| k.starts_with(&prefix)).map(|(_, s)| s)
}

/// GetLogEvents' request.
#[derive(Clone, Debug, Default)]
pub struct GetLogEvents<'r> {
    /// `logGroupName`.
    pub group: &'r str,
    /// `logStreamName`.
    pub stream: &'r str,
    /// `startTime` (inclusive).
    pub start_time: Option<i64>,
    /// `endTime` (exclusive).
    pub end_time: Option<i64>,
    /// `nextToken`: `f/…` or `b/…` from an earlier answer.
    pub next_token: Option<&'r str>,
    /// `limit` (1..=10,000, default 10,000).
    pub limit: Option<i64>,
    /// `startFromHead`: without a token, the oldest events first instead of the newest.
    pub start_from_head: bool,
}

/// GetLogEvents' answer.
#[derive(Clone, Debug)]
pub struct LogEventsPage<'a> {
    /// The events, oldest first.
    pub events: Vec<&'a LogEvent>,
    /// `nextForwardToken`: the events after these (the same token again at the end).
    pub next_forward_token: String,
    /// `nextBackwardToken`: the events before these.
    pub next_backward_token: String,
}

/// A GetLogEvents token: `f/` or `b/` and 56 digits, as AWS's look, carrying a position.
fn position_token(forward: bool, at: usize) -> String {
    format!("{}/{at:056}", if forward { 'f' } else { 'b' })
}

/// GetLogEvents: a window of the stream's events. Without a token,
/// `startFromHead` takes the first `limit` events of the time range, else
/// the last. A forward token reads on from where the page ended, a
/// backward token the `limit` events before where it began; at either end
/// the token comes back unchanged, which is how clients know they are done.
pub fn get_log_events<'a>(a: &'a Account, r: &GetLogEvents<'_>) -> Result<LogEventsPage<'a>, ServiceError> {
    if !a.log_groups.contains_key(r.group) {
        return Err(group_not_found());
    }
    let s = a.log_streams.get(&stream_key(r.group, r.stream)).ok_or_else(stream_not_found)?;
    let size = limit(r.limit, 10_000, 10_000)?;
    let floor = a.retention_cutoff(r.group).unwrap_or(0);
    let start = r.start_time.map_or(0, |t| u64::try_from(t).unwrap_or(0)).max(floor);
    let end = r.end_time.map_or(u64::MAX, |t| u64::try_from(t).unwrap_or(0));
    let lo = s.events.partition_point(|e| e.timestamp < start);
    let hi = s.events.partition_point(|e| e.timestamp < end).max(lo);
    let (from, to) = match r.next_token.filter(|t| !t.is_empty()) {
        Some(t) => {
            let bad = || invalid(format!("The specified nextToken is invalid: {t}"));
            let (dir, n) = t.split_once('/').ok_or_else(bad)?;
            let at: usize = n.parse().map_err(|_| bad())?;
            let at = at.clamp(lo, hi);
            match dir {
                "f" => (at, at.saturating_add(size).min(hi)),
                "b" => (at.saturating_sub(size).max(lo), at),
                _ => return Err(bad()),
            }
        }
        None if r.start_from_head => (lo, lo.saturating_add(size).min(hi)),
        None => (hi.saturating_sub(size).max(lo), hi),
    };
    Ok(LogEventsPage {
        events: s.events[from..to].iter().collect(),
        next_forward_token: position_token(true, to),
        next_backward_token: position_token(false, from),
    })
}

/// FilterLogEvents' request.
#[derive(Clone, Debug, Default)]
pub struct FilterLogEvents<'r> {
    /// `logGroupName`.
    pub group: &'r str,
    /// `logStreamNames`.
    pub stream_names: Vec<String>,
    /// `logStreamNamePrefix`.
    pub stream_prefix: Option<&'r str>,
    /// `startTime` (inclusive).
    pub start_time: Option<i64>,
    /// `endTime` (exclusive).
    pub end_time: Option<i64>,
    /// `filterPattern`.
    pub filter_pattern: Option<&'r str>,
    /// `nextToken`.
    pub next_token: Option<&'r str>,
    /// `limit` (1..=10,000, default 10,000).
    pub limit: Option<i64>,
}

/// One event FilterLogEvents found, with its stream.
#[derive(Clone, Debug)]
pub struct FilteredEvent<'a> {
    /// Its stream.
    pub stream: &'a LogStream,
    /// The event.
    pub event: &'a LogEvent,
}

impl FilteredEvent<'_> {
    /// Its `eventId`: digits, unique in the group (the timestamp, the
    /// stream's place in the group and the event's number in the stream).
    pub fn event_id(&self, stream_index: usize) -> String {
        format!("{:020}{stream_index:08}{:012}", self.event.timestamp, self.event.seq)
    }
}

/// The token of the next page, if there is one.
pub type NextToken = Option<String>;

/// FilterLogEvents: the matching events of the group's chosen streams,
/// interleaved by timestamp; each carries its stream's index in the group
/// (for its event ID).
pub fn filter_log_events<'a>(
    a: &'a Account,
    r: &FilterLogEvents<'_>,
) -> Result<(Vec<(usize, FilteredEvent<'a>)>, NextToken), ServiceError> {
    if !a.log_groups.contains_key(r.group) {
        return Err(group_not_found());
    }
    if !r.stream_names.is_empty() && r.stream_prefix.is_some() {
        // Inferred text (AWS doc "FilterLogEvents": the two cannot be used together).
        return Err(invalid("logStreamNames and logStreamNamePrefix are mutually exclusive parameters."));
    }
    let size = limit(r.limit, 10_000, 10_000)?;
    let pattern = Pattern::parse(r.filter_pattern.unwrap_or_default())?;
    let floor = a.retention_cutoff(r.group).unwrap_or(0);
    let start = r.start_time.map_or(0, |t| u64::try_from(t).unwrap_or(0)).max(floor);
    let end = r.end_time.map_or(u64::MAX, |t| u64::try_from(t).unwrap_or(0));
    let mut found: Vec<(usize, FilteredEvent<'a>)> = Vec::new();
    for (index, s) in streams_of(a, r.group).enumerate() {
        let chosen = (r.stream_names.is_empty() || r.stream_names.contains(&s.log_stream_name))
            && r.stream_prefix.is_none_or(|p| s.log_stream_name.starts_with(p));
        if !chosen {
            continue;
        }
        let lo = s.events.partition_point(|e| e.timestamp < start);
        let hi = s.events.partition_point(|e| e.timestamp < end).max(lo);
        found.extend(
            s.events[lo..hi]
                .iter()
                .filter(|e| pattern.matches(&e.message))
                .map(|event| (index, FilteredEvent { stream: s, event })),
        );
    }
    found.sort_by_key(|(i, f)| (f.event.timestamp, *i, f.event.seq));
    page(found, r.next_token, size)
}
