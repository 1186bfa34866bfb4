use super::*;
use crate::actions::WeightedGroup;
use account::{
    Account, Action, HealthCheck, Listener, ListenerRule, TargetDescription, TargetGroup, TargetHealth,
    TargetHealthDescription,
};
use serde_json::json;

const LB: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/0123456789abcdef";

fn forward(tg: &str) -> Action {
    Action {
        action_type: "forward".into(),
        order: None,
        target_group_arn: Some(tg.into()),
        forward_target_groups: vec![],
        config: None,
    }
}

fn tg(arn: &str, targets: &[(&str, u16, &str)]) -> TargetGroup {
    TargetGroup {
        target_group_arn: arn.into(),
        target_group_name: arn.into(),
        protocol: Some("HTTP".into()),
        port: Some(8000),
        vpc_id: None,
        target_type: "ip".into(),
        health_check: HealthCheck::default(),
        deregistration_delay_seconds: 300,
        load_balancer_arns: vec![LB.into()],
        targets: targets
            .iter()
            .map(|(id, port, state)| TargetHealthDescription {
                target: TargetDescription { id: (*id).into(), port: *port, availability_zone: None },
                health_check_port: port.to_string(),
                target_health: TargetHealth {
                    state: account::TargetHealthState::parse(state)
                        .unwrap_or_else(|| panic!("no target state {state}")),
                    reason: None,
                    description: None,
                },
                registered_at: 0,
                next_transition_at: None,
                check_streak: 0,
                check_outcome: None,
            })
            .collect(),
    }
}

fn listener(arn: &str, port: u16, protocol: &str, default: Action) -> Listener {
    Listener {
        listener_arn: arn.into(),
        load_balancer_arn: LB.into(),
        port,
        protocol: protocol.into(),
        default_actions: vec![default],
        certificates: Vec::new(),
        ssl_policy: None,
    }
}

fn account() -> Account {
    let mut a = Account::empty("123456789012", "us-east-1");
    a.target_groups.insert("tg-a".into(), tg("tg-a", &[("10.0.0.1", 8000, "healthy"), ("i-0123", 80, "healthy")]));
    a.target_groups.insert("tg-b".into(), tg("tg-b", &[("10.0.0.2", 8001, "draining")]));
    a.target_groups.insert("tg-unused".into(), tg("tg-unused", &[]));
    a.listeners.insert("l-80".into(), listener("l-80", 80, "HTTP", forward("tg-a")));
    a.listeners.insert("l-443".into(), listener("l-443", 443, "HTTPS", forward("tg-a")));
    let mut other = listener("l-other", 81, "HTTP", forward("tg-unused"));
    other.load_balancer_arn = "arn:other".into();
    a.listeners.insert("l-other".into(), other);
    for (arn, priority, cond) in [
        ("r-20", 20, json!({"Field": "path-pattern", "Values": ["/b/*"]})),
        ("r-10", 10, json!({"Field": "cookie", "Values": ["x"]})),
    ] {
        a.listener_rules.insert(
            arn.into(),
            ListenerRule {
                rule_arn: arn.into(),
                listener_arn: "l-80".into(),
                priority,
                conditions: vec![cond],
                actions: vec![forward("tg-b")],
            },
        );
    }
    a
}

#[test]
fn reads_http_listeners_rules_and_groups() {
    let cfg = LbConfig::from_account(&account(), LB);
    assert_eq!(cfg.listeners.len(), 1, "only the HTTP listener of this load balancer");
    let l = &cfg.listeners[0];
    assert_eq!(l.port, 80);
    assert_eq!(l.rules.iter().map(|r| r.priority).collect::<Vec<_>>(), vec![10, 20]);
    assert!(matches!(l.rules[0].conditions[0], Condition::Never { .. }));
    let a = cfg.target_groups.iter().position(|g| g.arn == "tg-a").unwrap();
    let b = cfg.target_groups.iter().position(|g| g.arn == "tg-b").unwrap();
    assert_eq!(l.default_action, RouteAction::Forward(vec![WeightedGroup { target_group: a, weight: 1 }]));
    assert_eq!(l.rules[1].action, RouteAction::Forward(vec![WeightedGroup { target_group: b, weight: 1 }]));
    assert!(cfg.target_group("tg-unused").is_none(), "groups of other load balancers stay out");
    assert_eq!(
        cfg.target_groups[a].targets,
        vec![TargetConfig { ip: Ipv4Addr::new(10, 0, 0, 1), port: 8000, state: TargetState::Healthy }]
    );
    assert_eq!(cfg.target_groups[b].targets[0].state, TargetState::Draining);
    assert_eq!(cfg.idle_timeout, Duration::from_secs(60));
    assert_eq!(cfg.connect_timeout, Duration::from_secs(10));
}

#[test]
fn skipped_lists_what_is_not_served() {
    let cfg = LbConfig::from_account(&account(), LB);
    let reasons: Vec<(&str, &str)> = cfg.skipped.iter().map(|s| (s.arn.as_str(), s.reason.as_str())).collect();
    assert!(reasons.iter().any(|(arn, r)| *arn == "l-443" && r.contains("HTTPS")), "{reasons:?}");
    assert!(reasons.iter().any(|(arn, r)| *arn == "tg-a" && r.contains("i-0123")), "{reasons:?}");
    assert!(reasons.iter().any(|(arn, r)| *arn == "r-10" && r.contains("cookie")), "{reasons:?}");
}

#[test]
fn unknown_load_balancer_is_empty() {
    let cfg = LbConfig::from_account(&account(), "arn:nothing");
    assert!(cfg.listeners.is_empty() && cfg.target_groups.is_empty() && cfg.skipped.is_empty());
}

#[test]
fn missing_group_and_fixed_response_without_config() {
    let mut a = account();
    let mut fixed = forward("x");
    fixed.action_type = "fixed-response".into();
    fixed.target_group_arn = None;
    a.listeners.insert("l-90".into(), listener("l-90", 90, "HTTP", fixed));
    a.listeners.insert("l-91".into(), listener("l-91", 91, "HTTP", forward("tg-gone")));
    let cfg = LbConfig::from_account(&a, LB);
    assert!(matches!(cfg.listener(90).unwrap().default_action, RouteAction::Unusable { .. }));
    assert_eq!(cfg.listener(91).unwrap().default_action, RouteAction::Forward(vec![]));
    assert!(cfg.skipped.iter().any(|s| s.arn == "l-90" && s.reason.contains("503")));
    assert!(cfg.skipped.iter().any(|s| s.arn == "l-91" && s.reason.contains("tg-gone")));
}

#[test]
fn an_https_listener_with_a_certificate_of_the_account_is_served_with_its_names_and_policy() {
    let mut a = account();
    let cert = a.request_certificate("app.example.com", &["www.example.com".into()], Some("DNS"), &[]).expect("issued");
    if let Some(l) = a.listeners.get_mut("l-443") {
        l.certificates = vec![cert.arn.clone()];
        l.ssl_policy = Some("ELBSecurityPolicy-TLS13-1-2-2021-06".into());
    }
    let cfg = LbConfig::from_account(&a, LB);
    let l = cfg.listeners.iter().find(|l| l.port == 443).expect("the HTTPS listener is served");
    let tls = l.tls.as_ref().expect("with TLS");
    assert_eq!(tls.certificate_arn, cert.arn);
    assert_eq!(tls.names, ["app.example.com", "www.example.com"]);
    assert_eq!(tls.policy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
    assert!(cfg.listeners.iter().find(|l| l.port == 80).is_some_and(|l| l.tls.is_none()));
    assert!(!cfg.skipped.iter().any(|s| s.arn == "l-443"), "{:?}", cfg.skipped);
}

#[test]
fn a_reimported_certificate_is_another_tls_setup() {
    let tls = |imported: Option<(&str, &str)>| ListenerTls {
        certificate_arn: "arn:c".into(),
        names: vec!["a.example.com".into()],
        policy: "p".into(),
        imported: imported.map(|(c, k)| (c.to_string(), k.to_string())),
    };
    assert_eq!(tls(None).identity(), tls(None).identity());
    assert_ne!(tls(Some(("cert 1", "key"))).identity(), tls(Some(("cert 2", "key"))).identity());
    assert_ne!(tls(None).identity(), tls(Some(("cert 1", "key"))).identity());
}
