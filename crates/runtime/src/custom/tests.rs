//! The host's delivery against a real store: the function is a closure that
//! PUTs (records) its response through a session of its own, as the
//! endpoint would, while the waiting session has let the account go.

use super::*;
use serde_json::json;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

struct Fake {
    dir: std::path::PathBuf,
    calls: Arc<AtomicU32>,
    behaviour: fn(u32) -> Behaviour,
}

#[derive(Clone, Copy)]
enum Behaviour {
    Respond,
    Raise,
    Silent,
}

impl FunctionHost for Fake {
    fn endpoint_url(&self) -> String {
        "http://127.0.0.1:1".into()
    }

    fn prepare(&self, a: &mut Account, arn: &str, payload: &[u8]) -> Result<Prepared, String> {
        if !arn.ends_with(":function:f") {
            return Err(format!("no function {arn}"));
        }
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let event: Value = serde_json::from_slice(payload).map_err(|e| e.to_string())?;
        let request_id = event["RequestId"].as_str().unwrap_or_default().to_string();
        let signature = a.custom_resource_requests.get(&request_id).map(|r| r.signature.clone()).unwrap_or_default();
        let (dir, behaviour) = (self.dir.clone(), (self.behaviour)(n));
        Ok(Box::new(move || {
            let errored = match behaviour {
                Behaviour::Respond => {
                    // The PUT, as the endpoint records it: through a session of its own.
                    let mut s = Session::open_waiting(Some(&dir), "serve", LOCK_WAIT).expect("opens while let go");
                    let body = json!({"Status": "SUCCESS", "PhysicalResourceId": "p", "Data": {"N": n}});
                    s.account.put_custom_response(&request_id, &signature, body.to_string().as_bytes()).expect("taken");
                    s.save().expect("saved");
                    false
                }
                Behaviour::Raise => true,
                Behaviour::Silent => false,
            };
            Finished { errored, record: Box::new(move |a: &mut Account| a.id_counter += 1000) }
        }))
    }
}

fn run(behaviour: fn(u32) -> Behaviour) -> (Delivery, u32, Account, u64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let calls = Arc::new(AtomicU32::new(0));
    let host = Fake { dir: dir.path().to_path_buf(), calls: Arc::clone(&calls), behaviour };
    let mut session = Session::open(Some(dir.path()), "deploy", true).expect("opens");
    let mut a = std::mem::take(&mut session.account);
    let start = a.clock_ms;
    let event = json!({"RequestId": "r-1", "StackId": "s", "LogicalResourceId": "R"});
    let deadline = start + 3_600_000;
    let out =
        deliver(&mut session, &host, &mut a, "arn:aws:lambda:us-east-1:1:function:f", &event, "r-1", "sig", deadline);
    let elapsed = a.clock_ms - start;
    (out, calls.load(Ordering::SeqCst), a, elapsed)
}

#[test]
fn the_response_put_while_the_account_is_let_go_is_delivered() {
    let (out, calls, a, _) = run(|_| Behaviour::Respond);
    let Delivery::Responded(body) = out else { panic!("{out:?}") };
    let body: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(body["Data"]["N"], 1);
    assert_eq!(calls, 1);
    assert!(a.custom_resource_requests.is_empty(), "the request is closed once read");
    assert!(a.id_counter >= 1000, "the attempt's logs were recorded");
}

#[test]
fn an_erroring_function_is_retried_twice_a_minute_then_two_apart() {
    let (out, calls, _, elapsed) = run(|n| if n < 3 { Behaviour::Raise } else { Behaviour::Respond });
    assert!(matches!(out, Delivery::Responded(_)), "{out:?}");
    assert_eq!(calls, 3);
    assert!(elapsed >= 180_000, "1 + 2 minutes of retries on the clock, not {elapsed}");
}

#[test]
fn a_function_that_always_raises_runs_three_times_then_times_out() {
    let started = std::time::Instant::now();
    let (out, calls, _, elapsed) = run(|_| Behaviour::Raise);
    assert_eq!(out, Delivery::NoResponse);
    assert_eq!(calls, 3);
    assert!(elapsed >= 3_600_000, "the service timeout passed on the clock");
    assert!(started.elapsed() < Duration::from_secs(20), "simulated, not waited");
}

#[test]
fn a_function_that_never_answers_times_out_after_one_attempt() {
    let (out, calls, _, _) = run(|_| Behaviour::Silent);
    assert_eq!(out, Delivery::NoResponse);
    assert_eq!(calls, 1, "no error, so no retry");
}

#[test]
fn sns_tokens_and_unknown_functions_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let host =
        Fake { dir: dir.path().to_path_buf(), calls: Arc::new(AtomicU32::new(0)), behaviour: |_| Behaviour::Respond };
    let mut session = Session::open(Some(dir.path()), "deploy", true).expect("opens");
    let mut a = std::mem::take(&mut session.account);
    let event = json!({"RequestId": "r"});
    let sns = deliver(&mut session, &host, &mut a, "arn:aws:sns:us-east-1:1:topic", &event, "r", "s", u64::MAX);
    assert!(matches!(sns, Delivery::Refused(r) if r.contains("SNS")));
    let missing =
        deliver(&mut session, &host, &mut a, "arn:aws:lambda:us-east-1:1:function:g", &event, "r", "s", u64::MAX);
    assert_eq!(missing, Delivery::Refused("no function arn:aws:lambda:us-east-1:1:function:g".into()));
}
