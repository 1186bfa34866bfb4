//! ELBv2 targets on the clock: registration, initial health checks, healthy
//! after HealthyThresholdCount × interval, unhealthy with AWS's reasons,
//! draining for the deregistration delay, and the actions' errors.

use account::{Account, HealthCheckOutcome, TargetDescription, TargetHealth, TargetHealthDescription};
use control::clock::advance_by;
use control::ecs::testkit;
use control::elb::{self, deregister_targets, observe_health_check, register_targets, report_health_check};

fn target(id: &str, port: u16) -> TargetDescription {
    TargetDescription { id: id.into(), port, availability_zone: None }
}

/// The target group's registered targets, read from the account.
fn targets<'a>(a: &'a Account, tg: &str) -> &'a [TargetHealthDescription] {
    a.target_groups.get(tg).map_or(&[], |g| g.targets.as_slice())
}

/// The health of target `id` on port 80, which must be registered.
fn health(a: &Account, tg: &str, id: &str) -> TargetHealth {
    let found = targets(a, tg).iter().find(|d| d.target.id == id && d.target.port == 80);
    found.unwrap_or_else(|| panic!("{id}:80 is not registered to {tg}")).target_health.clone()
}

fn th(state: &str, reason: Option<&str>, description: Option<&str>) -> TargetHealth {
    TargetHealth {
        state: account::TargetHealthState::parse(state).unwrap_or_else(|| panic!("no target state {state}")),
        reason: reason.map(str::to_string),
        description: description.map(str::to_string),
    }
}

#[test]
fn registration_initial_checks_then_healthy_after_the_threshold() {
    let mut a = Account::default();
    let tg = testkit::target_group(&mut a, "web", "ip", 80);
    register_targets(&mut a, &tg, &[target("172.31.0.50", 80)]).expect("register");
    assert_eq!(
        health(&a, &tg, "172.31.0.50"),
        th("initial", Some("Elb.RegistrationInProgress"), Some("Target registration is in progress"))
    );
    advance_by(&mut a, 5_000);
    assert_eq!(
        health(&a, &tg, "172.31.0.50"),
        th("initial", Some("Elb.InitialHealthChecking"), Some("Initial health checks in progress"))
    );
    // Defaults: 5 checks, 30 s apart.
    advance_by(&mut a, 149_000);
    assert_eq!(health(&a, &tg, "172.31.0.50").state, "initial");
    advance_by(&mut a, 1_000);
    assert_eq!(health(&a, &tg, "172.31.0.50"), th("healthy", None, None));
}

#[test]
fn failing_checks_make_a_target_unhealthy_and_passing_ones_bring_it_back() {
    let mut a = Account::default();
    let tg = testkit::target_group(&mut a, "web", "ip", 80);
    register_targets(&mut a, &tg, &[target("172.31.0.50", 80)]).expect("register");
    advance_by(&mut a, 155_000);
    let after_one = report_health_check(&mut a, &tg, "172.31.0.50", 80, HealthCheckOutcome::Fail(502)).expect("report");
    assert_eq!(after_one.state, "healthy", "one failure is below the threshold of 2");
    advance_by(&mut a, 30_000);
    assert_eq!(
        health(&a, &tg, "172.31.0.50"),
        th("unhealthy", Some("Target.ResponseCodeMismatch"), Some("Health checks failed with these codes: [502]"))
    );
    report_health_check(&mut a, &tg, "172.31.0.50", 80, HealthCheckOutcome::Timeout).expect("report");
    assert_eq!(health(&a, &tg, "172.31.0.50"), th("unhealthy", Some("Target.Timeout"), Some("Request timed out")));
    report_health_check(&mut a, &tg, "172.31.0.50", 80, HealthCheckOutcome::Pass).expect("report");
    advance_by(&mut a, 4 * 30_000);
    assert_eq!(health(&a, &tg, "172.31.0.50").state, "healthy");
}

#[test]
fn observed_outcomes_count_only_at_the_interval() {
    let mut a = Account::default();
    let tg = testkit::target_group(&mut a, "web", "ip", 80);
    register_targets(&mut a, &tg, &[target("172.31.0.50", 80)]).expect("register");
    advance_by(&mut a, 155_000);
    observe_health_check(&mut a, &tg, "172.31.0.50", 80, HealthCheckOutcome::Fail(503)).expect("observe");
    assert_eq!(health(&a, &tg, "172.31.0.50").state, "healthy", "no check counted yet");
    advance_by(&mut a, 30_000);
    assert_eq!(health(&a, &tg, "172.31.0.50").state, "healthy", "one failed check is below the threshold of 2");
    advance_by(&mut a, 30_000);
    assert_eq!(
        health(&a, &tg, "172.31.0.50"),
        th("unhealthy", Some("Target.ResponseCodeMismatch"), Some("Health checks failed with these codes: [503]"))
    );
    assert!(observe_health_check(&mut a, &tg, "172.31.0.99", 80, HealthCheckOutcome::Pass).is_err());
}

#[test]
fn deregistered_targets_drain_for_the_delay_then_go() {
    let mut a = Account::default();
    let tg = testkit::target_group(&mut a, "web", "ip", 80);
    register_targets(&mut a, &tg, &[target("172.31.0.50", 80)]).expect("register");
    advance_by(&mut a, 200_000);
    deregister_targets(&mut a, &tg, &[target("172.31.0.50", 80)]).expect("deregister");
    assert_eq!(
        health(&a, &tg, "172.31.0.50"),
        th("draining", Some("Target.DeregistrationInProgress"), Some("Target deregistration is in progress"))
    );
    advance_by(&mut a, 299_000);
    assert_eq!(health(&a, &tg, "172.31.0.50").state, "draining");
    advance_by(&mut a, 1_000);
    assert!(targets(&a, &tg).is_empty(), "deregistered once the delay is over");
}

#[test]
fn errors_and_unused_target_groups() {
    let mut a = Account::default();
    let subnets = testkit::default_subnets(&a);
    let ci = testkit::container_instance(&mut a, "prod", "m5.large", &subnets[0]).expect("instance");
    let instance = a.container_instances[&ci].ec2_instance_id.clone();
    let tg = testkit::target_group(&mut a, "inst", "instance", 80);
    let missing = register_targets(&mut a, "arn:nope", &[target(&instance, 80)]).expect_err("missing group");
    assert_eq!(
        (missing.code.as_str(), missing.message.as_str()),
        ("TargetGroupNotFound", "One or more target groups not found")
    );
    assert_eq!(
        register_targets(&mut a, &tg, &[target("i-0123456789abcdef0", 80)]).expect_err("no instance").code,
        "InvalidTarget"
    );
    assert!(targets(&a, &tg).is_empty(), "a refused registration registers nothing");
    if let Some(i) = a.instances.get_mut(&instance) {
        i.state = account::InstanceState::Stopped;
    }
    let err = register_targets(&mut a, &tg, &[target(&instance, 80)]).expect_err("stopped");
    assert_eq!(
        err.message,
        format!("The following targets are not in a running state and cannot be registered: '{instance}'")
    );
    let ip = testkit::target_group(&mut a, "ip", "ip", 80);
    let err = register_targets(&mut a, &ip, &[target("10.9.9.9", 80)]).expect_err("outside the VPC");
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("ValidationError", "The Availability Zone is required for IP address '10.9.9.9' because it is not in the VPC")
    );
    assert_eq!(register_targets(&mut a, &ip, &[target("8.8.8.8", 80)]).expect_err("public").code, "InvalidTarget");
    // A target group no load balancer forwards to runs no health checks.
    if let Some(g) = a.target_groups.get_mut(&ip) {
        g.load_balancer_arns.clear();
    }
    register_targets(&mut a, &ip, &[target("172.31.0.9", 80)]).expect("register");
    advance_by(&mut a, 1_000);
    assert_eq!(health(&a, &ip, "172.31.0.9").reason.as_deref(), Some("Target.NotInUse"));
    assert_eq!(elb::reconcile(&mut a), None);
}

#[test]
fn without_health_checks_targets_are_unavailable() {
    let mut a = Account::default();
    let tg = testkit::target_group(&mut a, "fn", "ip", 80);
    if let Some(g) = a.target_groups.get_mut(&tg) {
        g.health_check.health_check_enabled = false;
    }
    register_targets(&mut a, &tg, &[target("172.31.0.7", 0)]).expect("register");
    advance_by(&mut a, 1_000);
    let all = targets(&a, &tg);
    assert_eq!(all[0].target.port, 80, "no port means the target group's");
    assert_eq!(
        all[0].target_health,
        th("unavailable", Some("Target.HealthCheckDisabled"), Some("Health checks are disabled"))
    );
}
