use super::read::*;
use super::*;
use crate::Store;

fn ev(ts: u64, m: &str) -> InputLogEvent {
    InputLogEvent { timestamp: ts as i64, message: m.to_string() }
}

fn account() -> Account {
    let mut a = Account::empty("123456789012", "us-east-1");
    a.clock_ms = crate::account::CLOCK_EPOCH_MS + 30 * DAY_MS;
    a
}

#[test]
fn groups_and_streams_have_aws_errors() {
    let mut a = account();
    let now = a.clock_ms;
    let g = a.create_log_group("/app/web", None, BTreeMap::new()).expect("created");
    assert_eq!(g.creation_time, now);
    let e = a.create_log_group("/app/web", None, BTreeMap::new()).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("ResourceAlreadyExistsException", "The specified log group already exists")
    );
    assert_eq!(a.create_log_group("bad name", None, BTreeMap::new()).unwrap_err().code, "InvalidParameterException");
    assert_eq!(a.create_log_stream("/nope", "s").unwrap_err().message, "The specified log group does not exist.");
    a.create_log_stream("/app/web", "s1").expect("stream");
    assert_eq!(a.create_log_stream("/app/web", "s1").unwrap_err().message, "The specified log stream already exists");
    assert_eq!(a.create_log_stream("/app/web", "a:b").unwrap_err().code, "InvalidParameterException");
    assert_eq!(a.delete_log_stream("/app/web", "s2").unwrap_err().message, "The specified log stream does not exist.");
    assert_eq!(group_arn(&a, "/app/web"), "arn:aws:logs:us-east-1:123456789012:log-group:/app/web:*");
    assert_eq!(a.log_group_of_arn("arn:aws:logs:us-east-1:123456789012:log-group:/app/web").as_deref(), Ok("/app/web"));
    a.delete_log_group("/app/web").expect("deleted");
    assert!(a.log_streams.is_empty(), "a group's streams go with it");
    assert_eq!(a.delete_log_group("/app/web").unwrap_err().code, "ResourceNotFoundException");
}

#[test]
fn put_log_events_checks_the_batch_and_rejects_old_and_new_events() {
    let mut a = account();
    let now = a.clock_ms;
    assert_eq!(
        a.put_log_events("/g", "s", &[ev(now, "x")]).unwrap_err().message,
        "The specified log group does not exist."
    );
    a.create_log_group("/g", None, BTreeMap::new()).unwrap();
    assert_eq!(
        a.put_log_events("/g", "s", &[ev(now, "x")]).unwrap_err().message,
        "The specified log stream does not exist."
    );
    a.create_log_stream("/g", "s").unwrap();
    let e = a.put_log_events("/g", "s", &[ev(now, "b"), ev(now - 1, "a")]).unwrap_err();
    assert_eq!(e.message, "Log events in a single PutLogEvents request must be in chronological order.");
    assert!(a.put_log_events("/g", "s", &[ev(now - DAY_MS - 1, "a"), ev(now, "b")]).is_err(), "more than 24 hours");
    let big = "x".repeat(MAX_BATCH_BYTES);
    assert!(a.put_log_events("/g", "s", &[ev(now, &big)]).unwrap_err().message.starts_with("Upload too large"));
    let out = a
        .put_log_events("/g", "s", &[ev(now - 15 * DAY_MS, "old"), ev(now, "ok"), ev(now + 3 * 3_600_000, "new")])
        .unwrap_err();
    // The 15-day-old and the 3-hours-ahead events span more than a day: the batch fails whole.
    assert!(out.message.contains("24 hours"));
    let out =
        a.put_log_events("/g", "s", &[ev(now - 1000, "ok"), ev(now, "ok2"), ev(now + 3 * 3_600_000, "new")]).unwrap();
    assert_eq!(out.rejected.too_new_log_event_start_index, Some(2));
    let s = &a.log_streams[&stream_key("/g", "s")];
    assert_eq!(s.events.iter().map(|e| e.message.as_str()).collect::<Vec<_>>(), ["ok", "ok2"]);
    assert_eq!(
        (s.first_event_timestamp, s.last_event_timestamp, s.last_ingestion_time),
        (Some(now - 1000), Some(now), Some(now))
    );
    assert_eq!(out.next_sequence_token, sequence_token(2));
    let out = a.put_log_events("/g", "s", &[ev(now - 15 * DAY_MS, "old"), ev(now - 14 * DAY_MS - 1, "old2")]).unwrap();
    assert_eq!(out.rejected.too_old_log_event_end_index, Some(1));
}

#[test]
fn retention_drops_and_hides_old_events_on_the_accounts_clock() {
    let mut a = account();
    let now = a.clock_ms;
    put_log_events(&mut a, "/g", "s", &[ev(now - 3 * DAY_MS, "three days")], true).unwrap();
    put_log_events(&mut a, "/g", "s", &[ev(now - 1000, "recent")], true).unwrap();
    assert_eq!(a.put_retention_policy("/g", 2).unwrap_err().code, "InvalidParameterException");
    assert_eq!(a.put_retention_policy("/nope", 1).unwrap_err().code, "ResourceNotFoundException");
    a.put_retention_policy("/g", 1).unwrap();
    assert_eq!(a.log_groups["/g"].retention_in_days, Some(1));
    let s = &a.log_streams[&stream_key("/g", "s")];
    assert_eq!(s.events.len(), 1, "the three-day-old event is dropped");
    // Two days later the recent one is past retention: hidden at once, dropped at the next write.
    a.clock_ms += 2 * DAY_MS;
    let page = get_log_events(&a, &GetLogEvents { group: "/g", stream: "s", ..Default::default() }).unwrap();
    assert!(page.events.is_empty());
    let later = a.clock_ms;
    let out =
        put_log_events(&mut a, "/g", "s", &[ev(later - DAY_MS - 500, "late"), ev(later - 1000, "now")], false).unwrap();
    assert_eq!(out.rejected.expired_log_event_end_index, Some(0));
    assert_eq!(a.log_streams[&stream_key("/g", "s")].events.len(), 1);
    a.delete_retention_policy("/g").unwrap();
    assert_eq!(a.log_groups["/g"].retention_in_days, None);
}

#[test]
fn get_log_events_tokens_walk_forward_and_back() {
    let mut a = account();
    let now = a.clock_ms;
    let events: Vec<InputLogEvent> = (0..10).map(|i| ev(now - 10_000 + i * 1000, &format!("e{i}"))).collect();
    put_log_events(&mut a, "/g", "s", &events, true).unwrap();
    let msgs = |p: &LogEventsPage<'_>| p.events.iter().map(|e| e.message.clone()).collect::<Vec<_>>();
    let req = GetLogEvents { group: "/g", stream: "s", limit: Some(3), ..Default::default() };
    let last = get_log_events(&a, &req).unwrap();
    assert_eq!(msgs(&last), ["e7", "e8", "e9"], "without startFromHead: the newest");
    let back =
        get_log_events(&a, &GetLogEvents { next_token: Some(&last.next_backward_token), ..req.clone() }).unwrap();
    assert_eq!(msgs(&back), ["e4", "e5", "e6"]);
    let end = get_log_events(&a, &GetLogEvents { next_token: Some(&last.next_forward_token), ..req.clone() }).unwrap();
    assert!(end.events.is_empty());
    assert_eq!(end.next_forward_token, last.next_forward_token, "at the end the token comes back unchanged");
    assert!(last.next_forward_token.starts_with("f/") && last.next_backward_token.starts_with("b/"));
    let head = GetLogEvents { start_from_head: true, ..req.clone() };
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let p = get_log_events(&a, &GetLogEvents { next_token: token.as_deref(), ..head.clone() }).unwrap();
        if token.as_deref() == Some(p.next_forward_token.as_str()) {
            break;
        }
        seen.extend(msgs(&p));
        token = Some(p.next_forward_token.clone());
    }
    assert_eq!(seen.len(), 10);
    assert_eq!(seen[0], "e0");
    let window = GetLogEvents {
        start_time: Some((now - 8000) as i64),
        end_time: Some((now - 5000) as i64),
        start_from_head: true,
        ..req
    };
    assert_eq!(msgs(&get_log_events(&a, &window).unwrap()), ["e2", "e3", "e4"]);
    assert!(get_log_events(&a, &GetLogEvents { next_token: Some("x"), ..Default::default() }).is_err());
}

#[test]
fn filter_log_events_interleaves_streams_and_pages() {
    let mut a = account();
    let now = a.clock_ms;
    put_log_events(&mut a, "/g", "web/1", &[ev(now - 3000, "GET / 200"), ev(now - 1000, "GET /x 500")], true).unwrap();
    put_log_events(&mut a, "/g", "worker/1", &[ev(now - 2000, "job ERROR")], true).unwrap();
    let all = filter_log_events(&a, &FilterLogEvents { group: "/g", ..Default::default() }).unwrap().0;
    let names: Vec<&str> = all.iter().map(|(_, f)| f.event.message.as_str()).collect();
    assert_eq!(names, ["GET / 200", "job ERROR", "GET /x 500"]);
    let ids: std::collections::BTreeSet<String> = all.iter().map(|(i, f)| f.event_id(*i)).collect();
    assert_eq!(ids.len(), 3, "event IDs are unique");
    let web = FilterLogEvents { group: "/g", stream_prefix: Some("web/"), ..Default::default() };
    assert_eq!(filter_log_events(&a, &web).unwrap().0.len(), 2);
    let named = FilterLogEvents { group: "/g", stream_names: vec!["worker/1".into()], ..Default::default() };
    assert_eq!(filter_log_events(&a, &named).unwrap().0.len(), 1);
    let both = FilterLogEvents { stream_prefix: Some("w"), ..named };
    assert_eq!(filter_log_events(&a, &both).unwrap_err().code, "InvalidParameterException");
    let pat = FilterLogEvents { group: "/g", filter_pattern: Some("?500 ?ERROR"), ..Default::default() };
    assert_eq!(filter_log_events(&a, &pat).unwrap().0.len(), 2);
    let since = FilterLogEvents { group: "/g", start_time: Some((now - 1500) as i64), ..Default::default() };
    assert_eq!(filter_log_events(&a, &since).unwrap().0.len(), 1);
    let paged = FilterLogEvents { group: "/g", limit: Some(2), ..Default::default() };
    let (first, next) = filter_log_events(&a, &paged).unwrap();
    assert_eq!(first.len(), 2);
    let (rest, none) = filter_log_events(&a, &FilterLogEvents { next_token: next.as_deref(), ..paged }).unwrap();
    assert_eq!((rest.len(), none), (1, None));
}

#[test]
fn describe_orders_filters_and_pages() {
    let mut a = account();
    let now = a.clock_ms;
    for g in ["/aws/lambda/f1", "/aws/lambda/f2", "/ecs/web"] {
        a.create_log_group(g, None, BTreeMap::new()).unwrap();
    }
    let d = |p: Option<&str>, pat: Option<&str>| {
        let r = DescribeLogGroups { prefix: p, pattern: pat, ..Default::default() };
        describe_log_groups(&a, &r).map(|(g, _)| g.len())
    };
    assert_eq!(d(Some("/aws/lambda/"), None), Ok(2));
    assert_eq!(d(None, Some("WEB")), Ok(1));
    assert!(d(Some("/a"), Some("b")).is_err());
    let ids =
        vec!["/ecs/web".to_string(), "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f1:*".to_string()];
    let r = DescribeLogGroups { identifiers: ids, ..Default::default() };
    let named: Vec<&str> = describe_log_groups(&a, &r).unwrap().0.iter().map(|g| g.log_group_name.as_str()).collect();
    assert_eq!(named, ["/aws/lambda/f1", "/ecs/web"]);
    assert!(describe_log_groups(&a, &DescribeLogGroups { prefix: Some("/"), ..r }).is_err());
    let (page1, next) = describe_log_groups(&a, &DescribeLogGroups { limit: Some(2), ..Default::default() }).unwrap();
    assert_eq!(page1.len(), 2);
    let r = DescribeLogGroups { next_token: next.as_deref(), ..Default::default() };
    assert_eq!(describe_log_groups(&a, &r).unwrap().0[0].log_group_name, "/ecs/web");
    put_log_events(&mut a, "/ecs/web", "b", &[ev(now - 5000, "x")], false).unwrap_err();
    a.create_log_stream("/ecs/web", "b").unwrap();
    a.create_log_stream("/ecs/web", "a").unwrap();
    put_log_events(&mut a, "/ecs/web", "b", &[ev(now - 5000, "x")], false).unwrap();
    put_log_events(&mut a, "/ecs/web", "a", &[ev(now - 1000, "y")], false).unwrap();
    let names = |r: DescribeLogStreams<'_>| {
        describe_log_streams(&a, &r).map(|(s, _)| s.iter().map(|s| s.log_stream_name.clone()).collect::<Vec<_>>())
    };
    assert_eq!(names(DescribeLogStreams { group: "/ecs/web", ..Default::default() }), Ok(vec!["a".into(), "b".into()]));
    let by_time = DescribeLogStreams {
        group: "/ecs/web",
        order_by: OrderBy::LastEventTime,
        descending: true,
        ..Default::default()
    };
    assert_eq!(names(by_time.clone()), Ok(vec!["a".into(), "b".into()]));
    assert_eq!(names(DescribeLogStreams { descending: false, ..by_time.clone() }), Ok(vec!["b".into(), "a".into()]));
    let e = names(DescribeLogStreams { prefix: Some("a"), ..by_time }).unwrap_err();
    assert_eq!(e.message, "Cannot order by LastEventTime with a logStreamNamePrefix.");
    assert_eq!(
        names(DescribeLogStreams { group: "/nope", ..Default::default() }).unwrap_err().code,
        "ResourceNotFoundException"
    );
}

/// Appending 10,000 events in batches of 100 to one stream, saving after
/// each batch: every save writes the one stream's row (and the clock's
/// meta rows), never the rest of the account.
#[test]
fn appending_to_a_stream_rewrites_only_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("a.db")).unwrap();
    let mut a = Account::default();
    a.clock_ms += 30 * DAY_MS;
    let now = a.clock_ms;
    put_log_events(&mut a, "/other", "s", &[ev(now, "elsewhere")], true).unwrap();
    store.save_account(&a).unwrap();
    let started = std::time::Instant::now();
    let mut most = 0;
    let mut last = std::time::Duration::ZERO;
    for batch in 0..100u64 {
        let one = std::time::Instant::now();
        let now = a.clock_ms;
        let events: Vec<InputLogEvent> =
            (0..100).map(|i| ev(now, &format!("batch {batch} line {i}: some text of a typical length"))).collect();
        put_log_events(&mut a, "/app", "s", &events, true).unwrap();
        let written = store.save_counting(&a).unwrap();
        most = most.max(written);
        a.clock_ms += 10;
        last = one.elapsed();
    }
    let took = started.elapsed();
    eprintln!(
        "10,000 events in 100 batches, saved after each: {took:?} ({:?} per batch; the last, onto 9,900 events, {last:?})",
        took / 100
    );
    // The stream's row, the group's on first write, and meta (the clock).
    assert!(most <= 3, "a save wrote {most} rows");
    let loaded = store.load_account().unwrap().unwrap();
    assert_eq!(loaded.log_streams[&stream_key("/app", "s")].events.len(), 10_000);
    assert!(
        loaded.log_streams == a.log_streams && loaded.log_groups == a.log_groups,
        "the store gives the streams back"
    );
}

#[test]
fn captured_lines_are_cut_into_batches_put_log_events_takes() {
    let lines: Vec<(u64, String)> = (0..25_000u64).map(|i| (1_000 + i, format!("line {i}"))).collect();
    let b = batches(&lines);
    assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), [10_000, 10_000, 5_000]);
    let big: Vec<(u64, String)> = (0..5).map(|i| (1_000, "x".repeat(300_000 + i))).collect();
    let b = batches(&big);
    assert!(b
        .iter()
        .all(|batch| batch.iter().map(|e| e.message.len() + EVENT_OVERHEAD).sum::<usize>() <= MAX_BATCH_BYTES));
    assert!(b.iter().flatten().all(|e| e.message.len() == 256 * 1024), "messages are cut at 256 KiB");
    let back = batches(&[(5_000, "b".into()), (4_000, "a".into()), (5_000 + 2 * DAY_MS, "c".into())]);
    assert_eq!(back.len(), 2, "a batch spans at most a day");
    assert_eq!(back[0].iter().map(|e| e.timestamp).collect::<Vec<_>>(), [5_000, 5_000], "time never goes back");
    let mut a = account();
    let now = a.clock_ms;
    let lines: Vec<(u64, String)> = (0..12_000u64).map(|i| (now - 12_000 + i, format!("l{i}"))).collect();
    for batch in batches(&lines) {
        put_log_events(&mut a, "/g", "s", &batch, true).expect("every batch is accepted");
    }
    assert_eq!(a.log_streams[&stream_key("/g", "s")].events.len(), 12_000);
}
