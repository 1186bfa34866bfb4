use super::*;
use crate::actions::RouteAction;
use crate::conditions::Condition;
use crate::config::{ListenerConfig, Rule, TargetGroupConfig};
use hyper::HeaderMap;
use serde_json::json;
use std::net::{IpAddr, Ipv4Addr};

fn target(last: u8, state: TargetState) -> TargetConfig {
    TargetConfig { ip: Ipv4Addr::new(10, 0, 0, last), port: 8000, state }
}

fn addr(last: u8) -> SocketAddrV4 {
    SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, last), 8000)
}

fn group(arn: &str, targets: Vec<TargetConfig>) -> TargetGroupConfig {
    TargetGroupConfig { arn: arn.into(), targets, health_check: account::HealthCheck::default() }
}

fn forward(groups: &[(usize, u32)]) -> RouteAction {
    RouteAction::Forward(groups.iter().map(|&(target_group, weight)| WeightedGroup { target_group, weight }).collect())
}

fn config(rules: Vec<Rule>, default_action: RouteAction, groups: Vec<TargetGroupConfig>) -> LbConfig {
    LbConfig {
        listeners: vec![ListenerConfig { arn: "l".into(), port: 80, rules, default_action, tls: None }],
        target_groups: groups,
        ..LbConfig::empty()
    }
}

fn path_rule(priority: u32, pattern: &str, action: RouteAction) -> Rule {
    Rule {
        arn: format!("rule-{priority}"),
        priority,
        conditions: vec![Condition::parse(&json!({"Field": "path-pattern", "Values": [pattern]}))],
        action,
    }
}

fn info<'a>(headers: &'a HeaderMap, path: &'a str) -> RequestInfo<'a> {
    RequestInfo { method: "GET", path, query: None, host: Some("lb"), headers, client: IpAddr::V4(Ipv4Addr::LOCALHOST) }
}

#[test]
fn healthy_targets_only_when_there_are_some() {
    use TargetState::*;
    let ts =
        vec![target(1, Healthy), target(2, Unhealthy), target(3, Draining), target(4, Initial), target(5, Healthy)];
    assert_eq!(routable_targets(&ts), vec![addr(1), addr(5)]);
}

#[test]
fn fail_open_to_unhealthy_targets() {
    use TargetState::*;
    let all_unhealthy = vec![target(1, Unhealthy), target(2, Unhealthy)];
    assert_eq!(routable_targets(&all_unhealthy), vec![addr(1), addr(2)]);
    // Draining, unused and initial targets never get requests, even failing open.
    let mixed = vec![
        target(1, Unhealthy),
        target(2, UnhealthyDraining),
        target(3, Unused),
        target(4, Initial),
        target(5, Draining),
    ];
    assert_eq!(routable_targets(&mixed), vec![addr(1)]);
}

#[test]
fn nothing_routable_without_healthy_or_unhealthy_targets() {
    use TargetState::*;
    assert!(routable_targets(&[]).is_empty());
    assert!(routable_targets(&[target(1, Initial), target(2, Draining), target(3, Unavailable)]).is_empty());
}

#[test]
fn rules_in_priority_order_then_default() {
    let groups = vec![
        group("a", vec![target(1, TargetState::Healthy)]),
        group("b", vec![target(2, TargetState::Healthy)]),
        group("c", vec![target(3, TargetState::Healthy)]),
    ];
    let rules = vec![path_rule(1, "/api/admin*", forward(&[(2, 1)])), path_rule(5, "/api/*", forward(&[(1, 1)]))];
    let snap = Snapshot::new(config(rules, forward(&[(0, 1)]), groups), &mut HashMap::new());
    let h = HeaderMap::new();
    assert_eq!(snap.decide(80, &info(&h, "/api/admin/x")), Decision::Forward(addr(3)));
    assert_eq!(snap.decide(80, &info(&h, "/api/x")), Decision::Forward(addr(2)));
    assert_eq!(snap.decide(80, &info(&h, "/other")), Decision::Forward(addr(1)));
    assert_eq!(snap.decide(81, &info(&h, "/other")), Decision::Error(AlbError::ServiceUnavailable));
}

#[test]
fn round_robin_and_positions_survive_updates() {
    let two = vec![group("a", vec![target(1, TargetState::Healthy), target(2, TargetState::Healthy)])];
    let mut positions = HashMap::new();
    let snap = Snapshot::new(config(vec![], forward(&[(0, 1)]), two.clone()), &mut positions);
    let h = HeaderMap::new();
    let picks: Vec<Decision<'_>> = (0..4).map(|_| snap.decide(80, &info(&h, "/"))).collect();
    let [a, b, c, d] = [addr(1), addr(2), addr(1), addr(2)].map(Decision::Forward);
    assert_eq!(picks, vec![a, b, c, d]);
    // Three picks so far on the new snapshot's shared counter: it goes on.
    let _ = snap.decide(80, &info(&h, "/"));
    let next = Snapshot::new(config(vec![], forward(&[(0, 1)]), two), &mut positions);
    assert_eq!(next.decide(80, &info(&h, "/")), Decision::Forward(addr(2)));
    assert_eq!(positions.len(), 1);
}

#[test]
fn no_targets_means_503() {
    let empty = vec![group("a", vec![])];
    let snap = Snapshot::new(config(vec![], forward(&[(0, 1)]), empty), &mut HashMap::new());
    let h = HeaderMap::new();
    assert_eq!(snap.decide(80, &info(&h, "/")), Decision::Error(AlbError::ServiceUnavailable));
    let unusable = RouteAction::Unusable { reason: "x".into() };
    let snap = Snapshot::new(config(vec![], unusable, vec![]), &mut HashMap::new());
    assert_eq!(snap.decide(80, &info(&h, "/")), Decision::Error(AlbError::ServiceUnavailable));
    let nothing = Snapshot::new(config(vec![], forward(&[]), vec![]), &mut HashMap::new());
    assert_eq!(nothing.decide(80, &info(&h, "/")), Decision::Error(AlbError::ServiceUnavailable));
}

#[test]
fn weights_share_requests() {
    let groups = vec![
        group("a", vec![target(1, TargetState::Healthy)]),
        group("b", vec![target(2, TargetState::Healthy)]),
        group("c", vec![target(3, TargetState::Healthy)]),
    ];
    let snap = Snapshot::new(config(vec![], forward(&[(0, 1), (1, 3), (2, 0)]), groups), &mut HashMap::new());
    let h = HeaderMap::new();
    let mut counts = [0u32; 3];
    for _ in 0..4000 {
        match snap.decide(80, &info(&h, "/")) {
            Decision::Forward(a) => counts[usize::from(a.ip().octets()[3]) - 1] += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(counts[2], 0, "weight 0 gets nothing");
    // 1:3 within a wide margin (the draw sequence is deterministic).
    assert!((800..1200).contains(&counts[0]), "{counts:?}");
    assert!((2800..3200).contains(&counts[1]), "{counts:?}");
    let zero = Snapshot::new(
        config(vec![], forward(&[(0, 0)]), vec![group("a", vec![target(1, TargetState::Healthy)])]),
        &mut HashMap::new(),
    );
    assert_eq!(zero.decide(80, &info(&h, "/")), Decision::Error(AlbError::ServiceUnavailable));
}

#[test]
fn fixed_and_redirect_decisions() {
    let fixed = FixedResponse { status: 418, content_type: None, body: "teapot".into() };
    let snap = Snapshot::new(config(vec![], RouteAction::FixedResponse(fixed.clone()), vec![]), &mut HashMap::new());
    let h = HeaderMap::new();
    assert_eq!(snap.decide(80, &info(&h, "/")), Decision::Fixed(&fixed));
}

#[test]
fn live_targets_leave_out_draining_ones() {
    let groups = vec![group(
        "a",
        vec![target(1, TargetState::Healthy), target(2, TargetState::Draining), target(3, TargetState::Unhealthy)],
    )];
    let snap = Snapshot::new(config(vec![], forward(&[(0, 1)]), groups), &mut HashMap::new());
    let live = snap.live_targets();
    assert!(live.contains(&addr(1)) && live.contains(&addr(3)) && !live.contains(&addr(2)));
}
