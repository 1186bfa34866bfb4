//! `tasknet reach`, `audit`, `graph`, and the reachability findings of
//! `plan` and `deploy`, each command its own process.

mod common;

use common::*;
use std::path::Path;

fn deployed(st: &Path) {
    let run = deploy_example(st, &["--quiet"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(!run.stdout.contains("warning[TN5"), "the example deploys without reachability findings: {}", run.all());
}

fn tasknet(st: &Path, list: &[&str]) -> Run {
    run_in(&todobackend(), st, &args(list))
}

#[test]
fn the_chapters_questions_on_the_deployed_example() {
    let st = state();
    deployed(st.path());
    let run = tasknet(
        st.path(),
        &["reach", "--from", "ApplicationLoadBalancer", "--to", "ApplicationService", "--port", "8000"],
    );
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(
        run.stdout.starts_with("ApplicationLoadBalancer → ApplicationService, tcp 8000: REACHABLE (4 of 4 paths)"),
        "{}",
        run.all()
    );
    assert!(run.stdout.contains("stack.yml:"), "rules name their template line: {}", run.all());

    let run = tasknet(st.path(), &["reach", "--from", "ApplicationService", "--to", "internet", "--port", "443"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.contains("nat-gateway"), "{}", run.all());

    let run = tasknet(
        st.path(),
        &["reach", "--from", "ApplicationLoadBalancer", "--to", "ApplicationDatabase", "--port", "3306"],
    );
    assert_eq!(run.code, Some(1), "{}", run.all());
    assert!(
        run.stdout.contains("NOT REACHABLE") && run.stdout.contains("fix: add an AWS::EC2::SecurityGroupIngress"),
        "{}",
        run.all()
    );

    let run = tasknet(
        st.path(),
        &["reach", "--from", "internet", "--to", "ApplicationService", "--port", "8000", "--output", "json"],
    );
    assert_eq!(run.code, Some(1), "{}", run.all());
    let json = run.json();
    assert_eq!(json["reachable"], false);
    assert!(json["paths"][0]["blockers"].as_array().is_some_and(|b| b.len() == 3), "{}", run.all());
}

#[test]
fn aws_apis_are_places_and_plan_says_when_a_start_cannot_reach_them() {
    let st = state();
    deployed(st.path());
    let run = tasknet(st.path(), &["reach", "--from", "ApplicationService", "--to", "secretsmanager", "--port", "443"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(
        run.stdout.starts_with(
            "ApplicationService → secretsmanager.us-east-1.amazonaws.com, tcp 443: REACHABLE (2 of 2 paths)"
        ),
        "{}",
        run.all()
    );
    assert!(run.stdout.contains("resolves to 203.0.113.135, the public endpoint"), "{}", run.all());
    assert!(run.stdout.contains("nat-gateway"), "{}", run.all());
    let run = tasknet(
        st.path(),
        &[
            "reach",
            "--from",
            "ApplicationService",
            "--to",
            "ssm.us-east-1.amazonaws.com",
            "--port",
            "443",
            "--output",
            "json",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert_eq!(run.json()["paths"][0]["hops"][0]["step"], "dns", "{}", run.all());
    assert_eq!(run.json()["to"], "ssm.us-east-1.amazonaws.com", "{}", run.all());

    // The example with its instances in private subnets without a NAT route, and a secret.
    let fresh = state();
    let fixture = root().join("tests/fixtures/start/secret-without-nat.yml");
    let mut a = args(&["plan", "--template-file"]);
    a.push(fixture.to_string_lossy().into_owned());
    a.extend(args(&["--stack-name", "todobackend", "--parameter-overrides"]));
    a.extend(dev_cfg());
    let run = run_in(&todobackend(), fresh.path(), &a);
    assert_eq!(run.code, Some(0), "warnings only: {}", run.all());
    let service_line = std::fs::read_to_string(&fixture)
        .unwrap_or_default()
        .lines()
        .position(|l| l == "  ApplicationService:")
        .map(|i| i + 1)
        .expect("the service's line");
    assert!(
        run.stdout.contains(
            "warning[TN5004]: ApplicationService's tasks cannot start: secretsmanager.us-east-1.amazonaws.com:443"
        ) && run.stdout.contains(&format!("secret-without-nat.yml:{service_line}:3")),
        "{}",
        run.all()
    );
    assert!(
        run.stdout.contains("an interface endpoint for each of com.amazonaws.us-east-1.secretsmanager"),
        "{}",
        run.all()
    );
}

#[test]
fn bad_endpoints_and_ports_say_what_would_match() {
    let st = state();
    deployed(st.path());
    let run = tasknet(st.path(), &["reach", "--from", "NoSuchThing", "--to", "internet", "--port", "443"]);
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(
        run.stderr.contains("no resource, ENI or address matches 'NoSuchThing'")
            && run.stderr.contains("ApplicationService"),
        "{}",
        run.all()
    );
    let run = tasknet(st.path(), &["reach", "--from", "ApplicationTaskRole", "--to", "internet"]);
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(run.stderr.contains("is an AWS::IAM::Role: it has no network interface"), "{}", run.all());
    let run = tasknet(st.path(), &["reach", "--from", "ApplicationService", "--to", "internet", "--port", "70000"]);
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(run.stderr.contains("port '70000' is out of range"), "{}", run.all());
    let run = tasknet(st.path(), &["reach", "--from", "ApplicationService", "--to", "internet", "--protocol", "sctpx"]);
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(run.stderr.contains("unknown protocol 'sctpx'"), "{}", run.all());
}

#[test]
fn audit_and_graph_of_the_deployed_example() {
    let st = state();
    deployed(st.path());
    let run = tasknet(st.path(), &["audit", "--to", "ApplicationDatabase", "--port", "3306"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.contains("← tcp 3306") && run.stdout.contains("from ApplicationService"), "{}", run.all());
    let run = tasknet(st.path(), &["audit"]);
    assert_eq!(run.code, Some(1), "SSH open to the world is a finding: {}", run.all());
    assert!(run.stdout.contains("warning[TN5102]"), "{}", run.all());
    let run = tasknet(st.path(), &["graph"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.starts_with("digraph"), "{}", run.all());
    let run = tasknet(st.path(), &["graph", "--format", "svg"]);
    assert!(run.stdout.starts_with("<svg") || run.stdout.starts_with("<?xml"), "{}", run.all());
}

#[test]
fn a_planned_stack_answers_before_deploying() {
    let st = state();
    let mut a = args(&[
        "reach",
        "--from",
        "ApplicationLoadBalancer",
        "--to",
        "ApplicationService",
        "--port",
        "8000",
        "--template-file",
        "broken/rules-on-instance-group.yml",
        "--stack",
        "todobackend",
        "--parameter-overrides",
    ]);
    a.extend(dev_cfg());
    let run = run_in(&todobackend(), st.path(), &a);
    assert_eq!(run.code, Some(1), "{}", run.all());
    assert!(run.stdout.contains("no task yet"), "{}", run.all());
}

#[test]
fn plan_prints_the_reachability_findings_of_each_variant() {
    let dir = todobackend().join("broken");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect::<Vec<_>>()).unwrap_or_default()
    {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        let Some(expect) = text.lines().find_map(|l| l.strip_prefix("# Expect: ")) else { continue };
        if !expect.starts_with("TN5") {
            continue;
        }
        seen += 1;
        let rel = format!("broken/{}", entry.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        let st = state();
        let mut a = args(&[
            "plan",
            "--template-file",
            &rel,
            "--stack-name",
            "todobackend",
            "--output",
            "json",
            "--parameter-overrides",
        ]);
        a.extend(dev_cfg());
        let run = run_in(&todobackend(), st.path(), &a);
        assert_eq!(run.code, Some(0), "{rel}: warnings only: {}", run.all());
        let json = run.json();
        let codes: Vec<&str> =
            json["findings"].as_array().into_iter().flatten().filter_map(|f| f["code"].as_str()).collect();
        assert!(codes.contains(&expect.trim()), "{rel}: expected {expect}, got {codes:?}");
    }
    assert!(seen >= 4, "only {seen} reachability variants");
}

/// examples/secret-reader without its NAT route: `plan` predicts the failed
/// start (TN5004), and `deploy` of that same stack fails it for that reason
/// in simulated time: ECS's ResourceInitializationError on every task, the
/// service's events, the circuit breaker failing the stack. Its VPC
/// endpoints are places for `reach` by logical ID.
#[test]
fn the_secret_readers_start_without_nat_is_predicted_by_plan_and_fails_in_deploy() {
    let example = root().join("examples/secret-reader");
    let st = state();
    let stack = ["--template-file", "stack.yml", "--stack-name", "sr", "--parameter-overrides", "WithNat=false"];
    let mut plan = vec!["plan"];
    plan.extend(stack);
    let run = run_in(&example, st.path(), &args(&plan));
    assert_eq!(run.code, Some(0), "warnings only: {}", run.all());
    assert!(
        run.stdout
            .contains("warning[TN5004]: Service's tasks cannot start: secretsmanager.us-east-1.amazonaws.com:443"),
        "{}",
        run.all()
    );
    let mut deploy = vec!["deploy"];
    deploy.extend(stack);
    deploy.extend(["--capabilities", "CAPABILITY_NAMED_IAM", "--disable-rollback"]);
    let run = run_in(&example, st.path(), &args(&deploy));
    assert_eq!(run.code, Some(1), "{}", run.all());
    assert!(run.all().contains("ECS Deployment Circuit Breaker was triggered"), "{}", run.all());
    let tasks = run_in(
        &example,
        st.path(),
        &args(&["describe", "tasks", "--cluster", "secret-reader", "--all", "--output", "json"]),
    )
    .json();
    let reasons: Vec<&str> =
        tasks["tasks"].as_array().into_iter().flatten().filter_map(|t| t["stoppedReason"].as_str()).collect();
    assert!(!reasons.is_empty(), "{tasks}");
    for r in &reasons {
        assert!(r.starts_with("ResourceInitializationError: unable to pull secrets or registry auth: "), "{r}");
    }
    let services =
        run_in(&example, st.path(), &args(&["describe", "services", "--cluster", "secret-reader", "--output", "json"]))
            .json();
    let events: Vec<&str> = services["services"][0]["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert!(events.iter().any(|e| e.ends_with("deployment failed: tasks failed to start.")), "{events:?}");

    // With the endpoints instead of NAT, each is a place.
    let st = state();
    let run = run_in(
        &example,
        st.path(),
        &args(&[
            "deploy",
            "--template-file",
            "stack.yml",
            "--stack-name",
            "sr",
            "--parameter-overrides",
            "WithNat=false",
            "WithEndpoints=true",
            "--capabilities",
            "CAPABILITY_NAMED_IAM",
        ]),
    );
    assert_eq!(run.code, Some(0), "{}", run.all());
    for (to, reached) in [
        ("SecretsManagerEndpoint", "(VPC endpoint vpce-"),
        ("S3Endpoint", "gateway endpoint for com.amazonaws.us-east-1.s3"),
    ] {
        let run = run_in(&example, st.path(), &args(&["reach", "--from", "Service", "--to", to, "--port", "443"]));
        assert_eq!(run.code, Some(0), "{}", run.all());
        assert!(run.stdout.starts_with(&format!("Service → {to}, tcp 443: REACHABLE")), "{}", run.all());
        assert!(run.stdout.contains(reached), "{}", run.all());
    }
}
