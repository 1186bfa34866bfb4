//! The service throttle: tasks of a service that keep failing to start
//! (PENDING straight to STOPPED) are relaunched less and less often.
//!
//! AWS doc: "Amazon ECS service throttle logic": the time between restart
//! attempts is increased incrementally up to 27 minutes; the service event
//! `(service NAME) is unable to consistently start tasks successfully.`
//! (seen); ECS never stops retrying; a new task definition returns the
//! service to normal at once; tasks stopped after reaching RUNNING do not
//! count. AWS does not document the steps: tasknet waits nothing after the
//! first two failures, then 30 s, doubling up to the 27 minutes (its
//! choice). So a service that can never start costs a dozen launches in
//! three simulated hours, not thousands.

use account::Account;

/// Consecutive failures relaunched at once before the throttle begins (tasknet's choice).
pub const FREE_FAILURES: u32 = 2;
/// The first delay once throttled (tasknet's choice).
pub const FIRST_DELAY_MS: u64 = 30_000;
/// The longest delay between attempts (AWS doc: 27 minutes).
pub const MAX_DELAY_MS: u64 = 27 * 60_000;

/// The delay before the next launch after `failures` consecutive failures to start.
pub fn delay_ms(failures: u32) -> u64 {
    match failures.checked_sub(FREE_FAILURES + 1) {
        None => 0,
        Some(k) => FIRST_DELAY_MS.saturating_mul(1u64 << k.min(20)).min(MAX_DELAY_MS),
    }
}

/// The `(service NAME) is unable to consistently start tasks successfully.` event (seen).
pub fn throttled_event(service_name: &str) -> String {
    format!("(service {service_name}) is unable to consistently start tasks successfully.")
}

/// A task of the service failed to start: count it, and throttle the next launches.
pub fn task_failed_to_start(account: &mut Account, service_arn: &str) {
    let now = account.clock_ms;
    let Some(s) = account.services.get_mut(service_arn) else { return };
    if s.start_failures.task_definition != s.task_definition {
        s.start_failures = account::StartFailures { task_definition: s.task_definition.clone(), ..Default::default() };
    }
    s.start_failures.count += 1;
    let delay = delay_ms(s.start_failures.count);
    if delay == 0 {
        return;
    }
    s.start_failures.next_launch_at = Some(now + delay);
    let (name, first) = (s.service_name.clone(), s.start_failures.count == FREE_FAILURES + 1);
    if first {
        super::events::post(account, service_arn, throttled_event(&name));
    }
}

/// A task of the service reached RUNNING: no more throttle.
pub fn task_started(account: &mut Account, service_arn: &str) {
    if let Some(s) = account.services.get_mut(service_arn) {
        s.start_failures = account::StartFailures::default();
    }
}

/// When the service may launch again, if it is throttled now (a new task
/// definition lifts the throttle).
pub fn throttled_until(account: &Account, service_arn: &str) -> Option<u64> {
    let s = account.services.get(service_arn)?;
    let at = s.start_failures.next_launch_at?;
    (s.start_failures.task_definition == s.task_definition && at > account.clock_ms).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_to_twenty_seven_minutes() {
        let d: Vec<u64> = (1..=12).map(delay_ms).collect();
        assert_eq!(&d[..4], &[0, 0, 30_000, 60_000]);
        assert!(d.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(*d.last().unwrap(), MAX_DELAY_MS);
        assert_eq!(delay_ms(u32::MAX), MAX_DELAY_MS);
    }
}
