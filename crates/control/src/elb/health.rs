//! Target health on the clock: registration, health checks every interval
//! (healthy after HealthyThresholdCount passes, unhealthy after
//! UnhealthyThresholdCount failures), draining for the deregistration delay.
//! The data plane (or a test) tells what a target answers with
//! [`report_health_check`]; without a report a target passes.
//!
//! AWS doc: "Health checks for Application Load Balancer target groups"
//! (states, reason codes, thresholds), "TargetHealth" (API reference),
//! shared/aws-facts.md (the texts). The registration delay is tasknet's
//! choice: AWS documents none.

use super::ElbError;
use crate::clock::{earliest, Wake};
use account::{Account, HealthCheck, HealthCheckOutcome, TargetHealth, TargetHealthDescription};

/// How long a target stays `Elb.RegistrationInProgress` (tasknet's choice).
pub const REGISTRATION_MS: u64 = 5_000;

/// A TargetHealth value.
pub fn state(state: account::TargetHealthState, reason: Option<&str>, description: Option<&str>) -> TargetHealth {
    TargetHealth { state, reason: reason.map(str::to_string), description: description.map(str::to_string) }
}

/// Starts (or restarts) a target's registration.
pub fn registration_started(t: &mut TargetHealthDescription, now: u64) {
    t.target_health = state(
        account::TargetHealthState::Initial,
        Some("Elb.RegistrationInProgress"),
        Some("Target registration is in progress"),
    );
    t.registered_at = now;
    t.next_transition_at = Some(now + REGISTRATION_MS);
    t.check_streak = 0;
}

/// True while health checks run for the target.
fn checking(t: &TargetHealthDescription) -> bool {
    match t.target_health.state.as_str() {
        "healthy" | "unhealthy" => true,
        "initial" => t.target_health.reason.as_deref() == Some("Elb.InitialHealthChecking"),
        _ => false,
    }
}

/// The unhealthy reason and description for a failed check.
fn failure(outcome: HealthCheckOutcome) -> TargetHealth {
    match outcome {
        HealthCheckOutcome::Fail(code) => state(
            account::TargetHealthState::Unhealthy,
            Some("Target.ResponseCodeMismatch"),
            Some(&format!("Health checks failed with these codes: [{code}]")),
        ),
        HealthCheckOutcome::Timeout => {
            state(account::TargetHealthState::Unhealthy, Some("Target.Timeout"), Some("Request timed out"))
        }
        HealthCheckOutcome::ConnectionError | HealthCheckOutcome::Pass => state(
            account::TargetHealthState::Unhealthy,
            Some("Target.FailedHealthChecks"),
            Some("Health checks failed"),
        ),
    }
}

/// Counts one health check of a target and moves its state on.
fn apply_check(hc: &HealthCheck, t: &mut TargetHealthDescription, outcome: HealthCheckOutcome) {
    let passed = outcome == HealthCheckOutcome::Pass;
    t.check_streak = if passed { t.check_streak.max(0) + 1 } else { t.check_streak.min(0) - 1 };
    let healthy_after = i32::try_from(hc.healthy_threshold_count).unwrap_or(i32::MAX);
    let unhealthy_after = i32::try_from(hc.unhealthy_threshold_count).unwrap_or(i32::MAX);
    let current = t.target_health.state;
    if passed && t.check_streak >= healthy_after && current != account::TargetHealthState::Healthy {
        // A healthy target has no reason or description.
        t.target_health = state(account::TargetHealthState::Healthy, None, None);
    } else if !passed && (current == account::TargetHealthState::Unhealthy || -t.check_streak >= unhealthy_after) {
        t.target_health = failure(outcome);
    }
}

/// Moves every target whose time has come; returns the next such time.
pub fn advance_due(account: &mut Account) -> Wake {
    let now = account.clock_ms;
    let mut wake = None;
    for tg in account.target_groups.values_mut() {
        let hc = tg.health_check.clone();
        let in_use = !tg.load_balancer_arns.is_empty();
        let interval = u64::from(hc.health_check_interval_seconds.max(1)) * 1000;
        tg.targets.retain(|t| {
            !(t.target_health.state == account::TargetHealthState::Draining
                && t.next_transition_at.is_some_and(|d| d <= now))
        });
        for t in tg.targets.iter_mut().filter(|t| t.target_health.state != account::TargetHealthState::Draining) {
            if !in_use {
                // Inferred description (the reason code is documented).
                if t.target_health.state != account::TargetHealthState::Unused {
                    t.target_health = state(
                        account::TargetHealthState::Unused,
                        Some("Target.NotInUse"),
                        Some("Target group is not configured to receive traffic from the load balancer"),
                    );
                    t.next_transition_at = None;
                }
                continue;
            }
            if t.target_health.state == account::TargetHealthState::Unused {
                registration_started(t, now);
            }
            if !hc.health_check_enabled {
                // Inferred description (the reason code is documented).
                if t.target_health.state != account::TargetHealthState::Unavailable {
                    t.target_health = state(
                        account::TargetHealthState::Unavailable,
                        Some("Target.HealthCheckDisabled"),
                        Some("Health checks are disabled"),
                    );
                    t.next_transition_at = None;
                }
                continue;
            }
            if t.next_transition_at.is_some_and(|d| d <= now) {
                if checking(t) {
                    apply_check(&hc, t, t.check_outcome.unwrap_or(HealthCheckOutcome::Pass));
                } else {
                    t.target_health = state(
                        account::TargetHealthState::Initial,
                        Some("Elb.InitialHealthChecking"),
                        Some("Initial health checks in progress"),
                    );
                    t.check_streak = 0;
                }
                t.next_transition_at = Some(now + interval);
            }
        }
        for t in &tg.targets {
            wake = earliest(wake, t.next_transition_at);
        }
    }
    wake
}

/// The data plane's (or a test's) health check of a target: counts as one
/// check now, and the target keeps answering the same way at later checks
/// until another report. Returns the target's health.
pub fn report_health_check(
    account: &mut Account,
    target_group_arn: &str,
    target_id: &str,
    port: u16,
    outcome: HealthCheckOutcome,
) -> Result<TargetHealth, ElbError> {
    let tg = account.target_groups.get_mut(target_group_arn).ok_or_else(ElbError::target_group_not_found)?;
    let hc = tg.health_check.clone();
    let t = tg
        .targets
        .iter_mut()
        .find(|t| t.target.id == target_id && t.target.port == port)
        .ok_or_else(ElbError::no_such_target)?;
    t.check_outcome = Some(outcome);
    if checking(t) && hc.health_check_enabled {
        apply_check(&hc, t, outcome);
    }
    Ok(t.target_health.clone())
}

/// Records what a target answers to health checks without counting a check
/// now: the next checks at the target group's interval use it. This is what
/// the running data plane reports, so thresholds keep AWS's timing.
pub fn observe_health_check(
    account: &mut Account,
    target_group_arn: &str,
    target_id: &str,
    port: u16,
    outcome: HealthCheckOutcome,
) -> Result<(), ElbError> {
    let tg = account.target_groups.get_mut(target_group_arn).ok_or_else(ElbError::target_group_not_found)?;
    let t = tg
        .targets
        .iter_mut()
        .find(|t| t.target.id == target_id && t.target.port == port)
        .ok_or_else(ElbError::no_such_target)?;
    t.check_outcome = Some(outcome);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use account::TargetDescription;
    use proptest::prelude::*;

    fn target() -> TargetHealthDescription {
        let mut t = TargetHealthDescription {
            target: TargetDescription { id: "10.0.0.5".into(), port: 80, availability_zone: None },
            health_check_port: "80".into(),
            target_health: state(account::TargetHealthState::Initial, None, None),
            registered_at: 0,
            next_transition_at: None,
            check_streak: 0,
            check_outcome: None,
        };
        registration_started(&mut t, 0);
        t.target_health = state(
            account::TargetHealthState::Initial,
            Some("Elb.InitialHealthChecking"),
            Some("Initial health checks in progress"),
        );
        t
    }

    #[test]
    fn healthy_after_the_threshold_then_unhealthy_with_the_codes() {
        let hc = HealthCheck::default();
        let mut t = target();
        for _ in 0..4 {
            apply_check(&hc, &mut t, HealthCheckOutcome::Pass);
            assert_eq!(t.target_health.state, "initial");
        }
        apply_check(&hc, &mut t, HealthCheckOutcome::Pass);
        assert_eq!(t.target_health, state(account::TargetHealthState::Healthy, None, None));
        apply_check(&hc, &mut t, HealthCheckOutcome::Fail(502));
        assert_eq!(t.target_health.state, "healthy");
        apply_check(&hc, &mut t, HealthCheckOutcome::Fail(502));
        assert_eq!(
            t.target_health,
            state(
                account::TargetHealthState::Unhealthy,
                Some("Target.ResponseCodeMismatch"),
                Some("Health checks failed with these codes: [502]")
            )
        );
        apply_check(&hc, &mut t, HealthCheckOutcome::Timeout);
        assert_eq!(t.target_health.reason.as_deref(), Some("Target.Timeout"));
    }

    proptest! {
        /// A target is healthy exactly when its last HealthyThreshold checks passed
        /// (from initial), and never healthy right after UnhealthyThreshold failures.
        #[test]
        fn state_follows_the_streaks(checks in proptest::collection::vec(any::<bool>(), 0..40)) {
            let hc = HealthCheck::default();
            let mut t = target();
            for (i, pass) in checks.iter().enumerate() {
                apply_check(&hc, &mut t, if *pass { HealthCheckOutcome::Pass } else { HealthCheckOutcome::ConnectionError });
                let tail_fails = checks[..=i].iter().rev().take_while(|p| !**p).count();
                let tail_passes = checks[..=i].iter().rev().take_while(|p| **p).count();
                if tail_fails >= 2 {
                    prop_assert_eq!(t.target_health.state.as_str(), "unhealthy");
                }
                if tail_passes >= 5 {
                    prop_assert_eq!(t.target_health.state.as_str(), "healthy");
                }
            }
        }
    }
}
