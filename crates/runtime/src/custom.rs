//! The custom resources' host: CloudFormation's side of the protocol that
//! needs a running world. It sends each request to the `ServiceToken`'s
//! Lambda function, asynchronously as CloudFormation does (Lambda's retry
//! rule for asynchronous invocations: two more attempts after errors, 1 and
//! 2 minutes apart, "Error handling and automatic retries in Lambda"), and
//! waits for the PUT to the request's `ResponseURL`, which reaches the
//! account through tasknet's endpoint, or for `ServiceTimeout` on the
//! account's clock.
//!
//! While a function runs the account is let go (saved, unlocked): the
//! function's own calls (`ecs.run_task`, `secretsmanager.get_secret_value`)
//! and its response come through the endpoint, which needs the account.
//! With the simulated clock, time waits for the function (it runs in wall
//! time) and then jumps: to the next retry, or straight to the timeout when
//! nothing more will come, so a test of the timeout takes milliseconds.

use crate::clock::{self, Pace};
use crate::session::{Session, LOCK_WAIT};
use account::custom_resources::{self, CustomResourceRequest};
use account::{Account, Store};
use serde_json::Value;
use stacks::engine::custom::Delivery;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How often a wait looks at the store for the response while a function runs.
const LOOK_EVERY: Duration = Duration::from_millis(20);

/// How long a function that has answered may still run before the wait goes
/// on without it (its logs are then recorded when it ends).
const AFTER_ANSWER: Duration = Duration::from_secs(2);

/// Attempts of an asynchronous invocation: the first and Lambda's two retries.
const ATTEMPTS: u32 = 3;

/// Lambda's delay before the n-th retry (1 minute, then 2).
const RETRY_DELAY_MS: u64 = 60_000;

/// One finished attempt.
pub struct Finished {
    /// The function returned an error or timed out: Lambda retries it.
    pub errored: bool,
    /// Records what it left in the account (its log lines).
    pub record: Box<dyn FnOnce(&mut Account) + Send>,
}

/// One attempt, ready to run without the account.
pub type Prepared = Box<dyn FnOnce() -> Finished + Send>;

/// Who runs Lambda functions for a session (the endpoint's server, or a
/// command that started one): the front doors supply it, `runtime` drives it.
pub trait FunctionHost: Send + Sync {
    /// The endpoint functions call and responses are PUT to (`http://127.0.0.1:4566`).
    fn endpoint_url(&self) -> String;

    /// Prepares one invocation of the function `function_arn` with `payload`
    /// (its configuration and its role's credentials, minted in `a`).
    /// `Err`: why it cannot be invoked, as the resource's failure reason.
    fn prepare(&self, a: &mut Account, function_arn: &str, payload: &[u8]) -> Result<Prepared, String>;
}

/// A signature no one can guess (the response URL's).
pub fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for i in 0..2u32 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        h.write_u32(std::process::id() ^ i);
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}

/// The refusal of an SNS `ServiceToken` (tasknet's own words: it delivers
/// requests to Lambda functions only).
fn sns_refusal(token: &str) -> String {
    format!("tasknet delivers custom resource requests to Lambda functions only, not to SNS topics ({token}); give the resource a Lambda function's ARN as ServiceToken, or its outputs with --custom-outputs")
}

/// Sends `event` to `token`'s function and waits for the response to
/// `request_id` (see the module's comment).
#[allow(clippy::too_many_arguments)]
pub fn deliver(
    session: &mut Session,
    host: &dyn FunctionHost,
    a: &mut Account,
    token: &str,
    event: &Value,
    request_id: &str,
    signature: &str,
    deadline_ms: u64,
) -> Delivery {
    if token.starts_with("arn:aws:sns:") {
        return Delivery::Refused(sns_refusal(token));
    }
    let stack_id = event.get("StackId").and_then(Value::as_str).unwrap_or_default().to_string();
    let logical = event.get("LogicalResourceId").and_then(Value::as_str).unwrap_or_default().to_string();
    a.open_custom_request(
        request_id,
        CustomResourceRequest {
            stack_id,
            logical_resource_id: logical,
            signature: signature.to_string(),
            sent_ms: a.clock_ms,
            response: None,
        },
    );
    let payload = serde_json::to_vec(event).unwrap_or_default();
    // The world does not stop while CloudFormation sends the request and the
    // function starts: what is already on its way (agents registering, tasks
    // starting) gets there first, as it would in the seconds that takes on AWS.
    if clock::pace(session.dir()) == Pace::Simulated {
        let until = a.clock_ms.saturating_add(clock::PLAY_OUT_MS).min(deadline_ms);
        control::run_until(a, until, clock::settled);
    }
    let mut attempts = 0u32;
    let mut next_at = Some(a.clock_ms);
    let out = loop {
        if let Some(body) = a.custom_response(request_id) {
            break Delivery::Responded(body.as_bytes().to_vec());
        }
        let pace = clock::pace(session.dir());
        match next_at {
            Some(at) if a.clock_ms >= at => {
                let run = match host.prepare(a, token, &payload) {
                    Ok(run) => run,
                    Err(reason) => break Delivery::Refused(reason),
                };
                attempts += 1;
                next_at = match run_released(session, a, run, request_id) {
                    Some(done) => {
                        let errored = done.errored;
                        (done.record)(a);
                        (errored && attempts < ATTEMPTS)
                            .then(|| a.clock_ms.saturating_add(RETRY_DELAY_MS * u64::from(attempts)))
                    }
                    // The response came while the function still runs: it finishes on its own.
                    None => None,
                };
            }
            Some(at) => match pace {
                Pace::Simulated => control::advance_by(a, at.saturating_sub(a.clock_ms)),
                Pace::RealTime => real_time_pause(session, a),
            },
            None => {
                if a.clock_ms >= deadline_ms {
                    break Delivery::NoResponse;
                }
                match pace {
                    Pace::Simulated => {
                        control::run_until(a, deadline_ms, |a| a.custom_response(request_id).is_some());
                    }
                    Pace::RealTime => real_time_pause(session, a),
                }
            }
        }
    };
    a.close_custom_request(request_id);
    out
}

fn real_time_pause(session: &mut Session, a: &mut Account) {
    session.let_others_in(a, clock::REAL_TIME_PAUSE);
    clock::catch_up(a);
    control::reconcile(a);
}

/// Runs one attempt with the account let go, until it finishes or its
/// response is stored (`None`: then it goes on by itself and records its
/// own logs when it ends).
fn run_released(session: &mut Session, a: &mut Account, run: Prepared, request_id: &str) -> Option<Finished> {
    let (tx, rx) = mpsc::channel::<Finished>();
    let dir = session.dir().to_path_buf();
    let spawned = std::thread::Builder::new().name("tasknet-custom-resource".into()).spawn(move || {
        let done = run();
        if let Err(mpsc::SendError(done)) = tx.send(done) {
            record_later(&dir, done);
        }
    });
    if let Err(e) = spawned {
        tracing::error!("cannot start a thread for a custom resource's function: {e}");
        return None;
    }
    session.release_while(a, |store| {
        let mut answered_at: Option<std::time::Instant> = None;
        loop {
            match rx.recv_timeout(LOOK_EVERY) {
                Ok(done) => return Some(done),
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
                // Answered: a function usually returns right after its PUT; one that goes on
                // is left to finish by itself after a grace, as CloudFormation does not wait for it.
                Err(mpsc::RecvTimeoutError::Timeout) => match answered_at {
                    Some(at) if at.elapsed() >= AFTER_ANSWER => return None,
                    Some(_) => {}
                    None if answered(store, request_id) => answered_at = Some(std::time::Instant::now()),
                    None => {}
                },
            }
        }
    })
}

/// Whether the store holds the response to `request_id` (a look without loading the account).
fn answered(store: &Store, request_id: &str) -> bool {
    let Ok(Some(json)) = store.resource_json(custom_resources::KIND, request_id) else { return false };
    serde_json::from_str::<CustomResourceRequest>(&json).is_ok_and(|r| r.response.is_some())
}

/// Records an attempt that finished after its wait ended (it ran on past
/// [`AFTER_ANSWER`]), in a session of its own. Beside a server that holds
/// the account for its life (`tasknet serve`), that session waits for the
/// lock up to [`LOCK_WAIT`] and the lines are lost if it never comes (logged).
fn record_later(dir: &Path, done: Finished) {
    match Session::open_waiting(Some(dir), "lambda", LOCK_WAIT) {
        Ok(mut s) => {
            (done.record)(&mut s.account);
            if let Err(e) = s.save() {
                tracing::warn!("cannot save a finished function's logs: {e}");
            }
        }
        Err(e) => tracing::warn!("cannot open the account for a finished function's logs: {e}"),
    }
}

#[cfg(test)]
mod tests;
