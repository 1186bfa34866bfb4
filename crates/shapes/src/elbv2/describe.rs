//! ELBv2's `DescribeLoadBalancers`, `DescribeTargetGroups`,
//! `DescribeListeners` and `DescribeRules` documents, for the items a
//! caller chose (the wire door narrows by ARN or name; the CLI shows all).

use crate::json::prune;
use account::{Account, Action, Listener, ListenerRule, LoadBalancer, TargetGroup};
use serde_json::{json, Value};

/// The canonical hosted zone of a balancer (AWS doc: "Elastic Load
/// Balancing endpoints and quotas"); known for us-east-1 only, left out
/// elsewhere rather than guessed.
fn hosted_zone(region: &str, lb_type: &str) -> Option<&'static str> {
    match (region, lb_type) {
        ("us-east-1", "network") => Some("Z26RNL4JYFTOTI"),
        ("us-east-1", _) => Some("Z35SXDOTRQ7X7K"),
        _ => None,
    }
}

/// One `LoadBalancer`: its zones are its subnets' (one subnet per zone).
pub fn load_balancer_json(account: &Account, lb: &LoadBalancer) -> Value {
    let zones: Vec<Value> = lb
        .subnets
        .iter()
        .map(|s| {
            let zone = account.subnets.get(s).map(|x| x.availability_zone.as_str());
            json!({"ZoneName": zone, "SubnetId": s, "LoadBalancerAddresses": []})
        })
        .collect();
    json!({
        "LoadBalancerArn": lb.load_balancer_arn,
        "DNSName": lb.dns_name,
        "CanonicalHostedZoneId": hosted_zone(&account.region, &lb.lb_type),
        "LoadBalancerName": lb.load_balancer_name,
        "Scheme": lb.scheme,
        "VpcId": lb.vpc_id,
        "State": {"Code": lb.state},
        "Type": lb.lb_type,
        "AvailabilityZones": zones,
        // A network load balancer without groups has none to show.
        "SecurityGroups": (!lb.security_groups.is_empty()).then_some(&lb.security_groups),
        // tasknet's balancers are IPv4 only.
        "IpAddressType": "ipv4",
    })
}

/// DescribeLoadBalancers: `{"LoadBalancers": […]}`.
pub fn describe_load_balancers(account: &Account, lbs: &[&LoadBalancer]) -> Value {
    let list: Vec<Value> = lbs.iter().map(|lb| load_balancer_json(account, lb)).collect();
    prune(json!({ "LoadBalancers": list }))
}

/// One `TargetGroup`, its health check flattened as the API lists it.
pub fn target_group_json(tg: &TargetGroup) -> Value {
    let h = &tg.health_check;
    json!({
        "TargetGroupArn": tg.target_group_arn,
        "TargetGroupName": tg.target_group_name,
        "Protocol": tg.protocol,
        "Port": tg.port,
        "VpcId": tg.vpc_id,
        "HealthCheckProtocol": h.health_check_protocol,
        "HealthCheckPort": h.health_check_port,
        "HealthCheckEnabled": h.health_check_enabled,
        "HealthCheckIntervalSeconds": h.health_check_interval_seconds,
        "HealthCheckTimeoutSeconds": h.health_check_timeout_seconds,
        "HealthyThresholdCount": h.healthy_threshold_count,
        "UnhealthyThresholdCount": h.unhealthy_threshold_count,
        "HealthCheckPath": h.health_check_path,
        "Matcher": {"HttpCode": h.matcher},
        "LoadBalancerArns": tg.load_balancer_arns,
        "TargetType": tg.target_type,
        // AWS doc: "Target groups for your Application Load Balancers": HTTP/HTTPS groups default to HTTP1.
        "ProtocolVersion": tg.protocol.as_deref().filter(|p| *p == "HTTP" || *p == "HTTPS").map(|_| "HTTP1"),
        "IpAddressType": "ipv4",
    })
}

/// DescribeTargetGroups: `{"TargetGroups": […]}`.
pub fn describe_target_groups(groups: &[&TargetGroup]) -> Value {
    let list: Vec<Value> = groups.iter().map(|g| target_group_json(g)).collect();
    prune(json!({ "TargetGroups": list }))
}

/// One `Action`: a forward names its group both ways, as ELBv2 answers.
fn action_json(a: &Action) -> Value {
    let tuples: Vec<Value> = if a.forward_target_groups.is_empty() {
        a.target_group_arn.iter().map(|arn| json!({"TargetGroupArn": arn, "Weight": 1})).collect()
    } else {
        a.forward_target_groups
            .iter()
            .map(|t| json!({"TargetGroupArn": t.target_group_arn, "Weight": t.weight}))
            .collect()
    };
    let forward = (a.action_type == "forward").then(|| json!({"TargetGroups": tuples}));
    let mut v = json!({
        "Type": a.action_type,
        "TargetGroupArn": a.target_group_arn,
        "Order": a.order,
        "ForwardConfig": forward,
    });
    // Redirect and fixed-response settings are kept as given, under their members.
    if let (Some(Value::Object(config)), Some(map)) = (&a.config, v.as_object_mut()) {
        for (k, val) in config {
            map.insert(k.clone(), val.clone());
        }
    }
    v
}

/// One `Listener`.
pub fn listener_json(l: &Listener) -> Value {
    json!({
        "ListenerArn": l.listener_arn,
        "LoadBalancerArn": l.load_balancer_arn,
        "Port": l.port,
        "Protocol": l.protocol,
        "DefaultActions": l.default_actions.iter().map(action_json).collect::<Vec<_>>(),
        // An HTTP listener has no Certificates member at all.
        "Certificates": (!l.certificates.is_empty())
            .then(|| l.certificates.iter().map(|c| json!({"CertificateArn": c})).collect::<Vec<_>>()),
        "SslPolicy": l.ssl_policy,
    })
}

/// DescribeListeners: `{"Listeners": […]}`.
pub fn describe_listeners(listeners: &[&Listener]) -> Value {
    let list: Vec<Value> = listeners.iter().map(|l| listener_json(l)).collect();
    prune(json!({ "Listeners": list }))
}

/// The ARN of a listener's default rule. AWS gives every listener one; the
/// account does not record it (its actions are the listener's), so its last
/// part is derived from the listener's ARN: stable, and unique per listener.
pub fn default_rule_arn(listener: &Listener) -> String {
    let tail = listener.listener_arn.split_once(":listener/").map_or("", |(_, t)| t);
    let prefix = listener.listener_arn.split_once(":listener/").map_or("", |(p, _)| p);
    let words = account::ids::hash_words(&listener.listener_arn, 0, "default-rule");
    format!("{prefix}:listener-rule/{tail}/{}", account::ids::hex_chars(words, 16))
}

/// One `Rule`: a recorded rule, priority as text.
pub fn rule_json(r: &ListenerRule) -> Value {
    json!({
        "RuleArn": r.rule_arn,
        "Priority": r.priority.to_string(),
        "Conditions": r.conditions,
        "Actions": r.actions.iter().map(action_json).collect::<Vec<_>>(),
        "IsDefault": false,
    })
}

/// A listener's default rule: priority `default`, no conditions, the
/// listener's default actions.
pub fn default_rule_json(l: &Listener) -> Value {
    json!({
        "RuleArn": default_rule_arn(l),
        "Priority": "default",
        "Conditions": [],
        "Actions": l.default_actions.iter().map(action_json).collect::<Vec<_>>(),
        "IsDefault": true,
    })
}

/// DescribeRules: `{"Rules": […]}` for rule documents already built.
pub fn describe_rules(rules: Vec<Value>) -> Value {
    prune(json!({ "Rules": rules }))
}
