//! What `tasknet logs` reads: a log group, a Lambda function's group
//! (`/aws/lambda/<function>`, as Lambda names it), or an ECS task's
//! containers' awslogs streams; and the events since a time, interleaved
//! across them, as `aws logs tail` (CLI v2) gets them from FilterLogEvents.

use super::read::{filter_log_events, FilterLogEvents};
use super::{awslogs, group_not_found};
use crate::{Account, ServiceError};

/// One group to read, all of its streams or only some.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The group.
    pub group: String,
    /// The streams (none: every stream of the group).
    pub streams: Vec<String>,
}

/// What `target` names: a log group; else a Lambda function's group; else
/// a task (ARN or ID) whose containers use awslogs. A name that is none of
/// these reads as a missing log group, as `aws logs tail` would report it.
pub fn resolve(a: &Account, target: &str) -> Result<Vec<Source>, ServiceError> {
    if a.log_groups.contains_key(target) {
        return Ok(vec![Source { group: target.to_string(), streams: Vec::new() }]);
    }
    let lambda = format!("/aws/lambda/{target}");
    if a.log_groups.contains_key(&lambda) {
        return Ok(vec![Source { group: lambda, streams: Vec::new() }]);
    }
    let task = a.tasks.get(target).or_else(|| a.tasks.values().find(|t| awslogs::task_id(&t.task_arn) == target));
    if let Some(task) = task {
        let mut sources: Vec<Source> = Vec::new();
        for (_, t) in awslogs::targets(a, task) {
            match sources.iter_mut().find(|s| s.group == t.group) {
                Some(s) => s.streams.push(t.stream),
                None => sources.push(Source { group: t.group, streams: vec![t.stream] }),
            }
        }
        if !sources.is_empty() {
            return Ok(sources);
        }
    }
    Err(group_not_found())
}

/// One event as the tail prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TailEvent {
    /// When it happened (ms).
    pub timestamp: u64,
    /// Its stream.
    pub stream: String,
    /// Its text.
    pub message: String,
    /// Its event ID (to skip it when a later poll sees it again).
    pub event_id: String,
}

/// The events of `sources` from `since` (ms, inclusive) on, oldest first.
/// A source whose group is gone is a missing group; a stream not (yet)
/// there has no events.
pub fn events_since(a: &Account, sources: &[Source], since: u64) -> Result<Vec<TailEvent>, ServiceError> {
    let mut out = Vec::new();
    for s in sources {
        let req = FilterLogEvents {
            group: &s.group,
            stream_names: s.streams.clone(),
            start_time: Some(i64::try_from(since).unwrap_or(i64::MAX)),
            limit: Some(10_000),
            ..Default::default()
        };
        let mut token: Option<String> = None;
        loop {
            let (page, next) = filter_log_events(a, &FilterLogEvents { next_token: token.as_deref(), ..req.clone() })?;
            out.extend(page.iter().map(|(i, f)| TailEvent {
                timestamp: f.event.timestamp,
                stream: f.stream.log_stream_name.clone(),
                message: f.event.message.clone(),
                event_id: format!("{}/{}", s.group, f.event_id(*i)),
            }));
            match next {
                Some(n) => token = Some(n),
                None => break,
            }
        }
    }
    out.sort_by_key(|e| e.timestamp);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::{put_log_events, InputLogEvent};

    #[test]
    fn groups_and_lambda_functions_resolve_and_others_are_missing_groups() {
        let mut a = Account::default();
        let now = a.clock_ms;
        let e = |m: &str| vec![InputLogEvent { timestamp: now as i64, message: m.into() }];
        put_log_events(&mut a, "/aws/lambda/migrate", "2026/01/01/[$LATEST]abc", &e("START"), true).unwrap();
        put_log_events(&mut a, "/app", "s", &e("x"), true).unwrap();
        assert_eq!(resolve(&a, "/app").unwrap()[0].group, "/app");
        assert_eq!(resolve(&a, "migrate").unwrap()[0].group, "/aws/lambda/migrate");
        assert_eq!(resolve(&a, "nope").unwrap_err().message, "The specified log group does not exist.");
        let got = events_since(&a, &resolve(&a, "migrate").unwrap(), now).unwrap();
        assert_eq!((got.len(), got[0].stream.as_str()), (1, "2026/01/01/[$LATEST]abc"));
        assert!(events_since(&a, &resolve(&a, "migrate").unwrap(), now + 1).unwrap().is_empty());
    }
}
