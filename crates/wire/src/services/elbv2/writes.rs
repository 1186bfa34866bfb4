//! ELBv2's attributes and tags, RegisterTargets and DeregisterTargets, and
//! creating and deleting balancers, target groups and listeners.

use super::{aws, input};
use crate::dispatch::{Read, Write};
use crate::error::WireError;
use account::{Action, TargetDescription, TargetGroup, TargetGroupTuple};
use control::elb::{self, ElbError, HealthCheckSettings};
use serde_json::{json, Value};

/// `[{"Key": …, "Value": …}]`.
fn attributes_json(pairs: &[(&str, String)]) -> Value {
    pairs.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect()
}

/// DescribeLoadBalancerAttributes: tasknet models none of them, so every
/// balancer has AWS's defaults (AWS doc: "Edit attributes for your
/// Application Load Balancer" / "… Network Load Balancer").
pub fn describe_load_balancer_attributes(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let arn = input::text(input, "LoadBalancerArn").unwrap_or_default();
    let lb = r.account.load_balancers.get(arn).ok_or_else(|| aws(&elb::modify::load_balancer_not_found()))?;
    let f = || "false".to_string();
    let pairs: Vec<(&str, String)> = match lb.lb_type.as_str() {
        "application" => vec![
            ("access_logs.s3.enabled", f()),
            ("deletion_protection.enabled", f()),
            ("idle_timeout.timeout_seconds", "60".into()),
            ("routing.http2.enabled", "true".into()),
            ("routing.http.drop_invalid_header_fields.enabled", f()),
        ],
        _ => vec![
            ("access_logs.s3.enabled", f()),
            ("deletion_protection.enabled", f()),
            ("load_balancing.cross_zone.enabled", f()),
        ],
    };
    Ok(json!({ "Attributes": attributes_json(&pairs) }))
}

/// A target group's attributes: its deregistration delay as recorded, the
/// rest AWS's defaults, which tasknet does not change (AWS doc: "Edit
/// target group attributes for your Application Load Balancer" and the
/// Network Load Balancer's page).
fn group_attributes(tg: &TargetGroup) -> Vec<(&'static str, String)> {
    let mut pairs = vec![("deregistration_delay.timeout_seconds", tg.deregistration_delay_seconds.to_string())];
    let http = matches!(tg.protocol.as_deref(), Some("HTTP" | "HTTPS"));
    if http {
        pairs.extend([
            ("stickiness.enabled", "false".to_string()),
            ("stickiness.type", "lb_cookie".to_string()),
            ("stickiness.lb_cookie.duration_seconds", "86400".to_string()),
            ("slow_start.duration_seconds", "0".to_string()),
            ("load_balancing.algorithm.type", "round_robin".to_string()),
        ]);
    } else {
        pairs.extend([("stickiness.enabled", "false".to_string()), ("stickiness.type", "source_ip".to_string())]);
    }
    pairs
}

fn group<'a>(r: &'a account::Account, input: &Value) -> Result<&'a TargetGroup, WireError> {
    let arn = input::text(input, "TargetGroupArn").unwrap_or_default();
    r.target_groups.get(arn).ok_or_else(|| aws(&ElbError::target_group_not_found()))
}

pub fn describe_target_group_attributes(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let tg = group(r.account, input)?;
    Ok(json!({ "Attributes": attributes_json(&group_attributes(tg)) }))
}

/// ModifyTargetGroupAttributes: the deregistration delay (0..=3600 s, AWS
/// doc: "Deregistration delay"); another attribute is accepted only at the
/// value it already has, since tasknet does not model changing it.
pub fn modify_target_group_attributes(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let tg = group(&w.session.account, input)?.clone();
    let current = group_attributes(&tg);
    let mut delay = None;
    for a in input.get("Attributes").and_then(Value::as_array).into_iter().flatten() {
        let key = input::text(a, "Key").unwrap_or_default();
        let value = input::text(a, "Value").unwrap_or_default();
        if key == "deregistration_delay.timeout_seconds" {
            // Inferred text: the documented range.
            let bad = || WireError::bad("ValidationError", format!("'{value}' must be an integer between 0 and 3600"));
            delay = Some(value.parse::<u32>().ok().filter(|s| *s <= 3600).ok_or_else(bad)?);
        } else if !current.iter().any(|(k, v)| *k == key && v == value) {
            return Err(WireError::bad("ValidationError", format!("tasknet does not change the attribute '{key}'")));
        }
    }
    let arn = tg.target_group_arn.clone();
    let tg = match delay {
        Some(s) => elb::modify_deregistration_delay(&mut w.session.account, &arn, s).map_err(|e| aws(&e))?,
        None => tg,
    };
    Ok(json!({ "Attributes": attributes_json(&group_attributes(&tg)) }))
}

/// DescribeTags: tasknet records no ELBv2 tags, so each resource found has
/// an empty list; one that does not exist is its type's NotFound.
pub fn describe_tags(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let a = r.account;
    let mut out = Vec::new();
    for arn in input::texts(input, "ResourceArns") {
        let e = if arn.contains(":targetgroup/") {
            (!a.target_groups.contains_key(&arn)).then(ElbError::target_group_not_found)
        } else if arn.contains(":listener-rule/") {
            let default = a.listeners.values().any(|l| shapes::elbv2::default_rule_arn(l) == arn);
            (!a.listener_rules.contains_key(&arn) && !default).then(|| {
                let e = account::delete_services::rule_not_found();
                ElbError::new(&e.code, e.message)
            })
        } else if arn.contains(":listener/") {
            (!a.listeners.contains_key(&arn)).then(elb::modify::listener_not_found)
        } else {
            (!a.load_balancers.contains_key(&arn)).then(elb::modify::load_balancer_not_found)
        };
        if let Some(e) = e {
            return Err(aws(&e));
        }
        out.push(json!({"ResourceArn": arn, "Tags": []}));
    }
    Ok(json!({ "TagDescriptions": out }))
}

/// The `Targets` member: a target without a port takes the group's (port 0).
fn targets(input: &Value) -> Result<Vec<TargetDescription>, WireError> {
    let mut out = Vec::new();
    for t in input.get("Targets").and_then(Value::as_array).into_iter().flatten() {
        let port = match input::int(t, "Port") {
            None => 0,
            Some(p) => u16::try_from(p)
                .ok()
                .filter(|p| *p >= 1)
                .ok_or_else(|| WireError::bad("ValidationError", format!("Port {p} is not between 1 and 65535")))?,
        };
        out.push(TargetDescription {
            id: input::text(t, "Id").unwrap_or_default().to_string(),
            port,
            availability_zone: input::text(t, "AvailabilityZone").map(str::to_string),
        });
    }
    Ok(out)
}

/// RegisterTargets, played out (health checks start on the clock).
pub fn register_targets(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let tg = input::text(input, "TargetGroupArn").unwrap_or_default().to_string();
    elb::register_targets(&mut w.session.account, &tg, &targets(input)?).map_err(|e| aws(&e))?;
    w.session.play_out_call();
    Ok(json!({}))
}

/// DeregisterTargets, played out (draining runs its delay on the clock).
pub fn deregister_targets(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let tg = input::text(input, "TargetGroupArn").unwrap_or_default().to_string();
    elb::deregister_targets(&mut w.session.account, &tg, &targets(input)?).map_err(|e| aws(&e))?;
    w.session.play_out_call();
    Ok(json!({}))
}

/// CreateLoadBalancer (Subnets and SubnetMappings' subnets). Tags are not recorded.
pub fn create_load_balancer(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    if input::text(input, "IpAddressType").is_some_and(|t| t != "ipv4") {
        return Err(WireError::bad("ValidationError", "tasknet's load balancers are IPv4 only"));
    }
    let mut subnets = input::texts(input, "Subnets");
    let mappings = input.get("SubnetMappings").and_then(Value::as_array).into_iter().flatten();
    subnets.extend(mappings.filter_map(|m| input::text(m, "SubnetId")).map(str::to_string));
    let req = elb::CreateLoadBalancerRequest {
        name: input::text(input, "Name").unwrap_or_default().to_string(),
        subnets,
        security_groups: input::texts(input, "SecurityGroups"),
        scheme: input::text(input, "Scheme").map(str::to_string),
        lb_type: input::text(input, "Type").map(str::to_string),
    };
    let lb = elb::create_load_balancer(&mut w.session.account, &req).map_err(|e| aws(&e))?;
    Ok(shapes::elbv2::describe_load_balancers(&w.session.account, &[&lb]))
}

/// DeleteLoadBalancer (an unknown one is not an error).
pub fn delete_load_balancer(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let arn = input::text(input, "LoadBalancerArn").unwrap_or_default();
    w.session.account.delete_load_balancer(arn).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

/// A `u32` member.
fn uint(input: &Value, name: &str) -> Option<u32> {
    input::int(input, name).and_then(|n| u32::try_from(n).ok())
}

/// CreateTargetGroup with its health check settings.
pub fn create_target_group(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let text = |n: &str| input::text(input, n).map(str::to_string);
    let port = match input::int(input, "Port") {
        None => None,
        Some(p) => {
            Some(u16::try_from(p).map_err(|_| WireError::bad("ValidationError", format!("Port {p} is not valid")))?)
        }
    };
    let req = elb::CreateTargetGroupRequest {
        name: text("Name").unwrap_or_default(),
        protocol: text("Protocol"),
        port,
        vpc_id: text("VpcId"),
        target_type: text("TargetType"),
        health_check: HealthCheckSettings {
            protocol: text("HealthCheckProtocol"),
            port: text("HealthCheckPort"),
            path: text("HealthCheckPath"),
            interval_seconds: uint(input, "HealthCheckIntervalSeconds"),
            timeout_seconds: uint(input, "HealthCheckTimeoutSeconds"),
            healthy_threshold_count: uint(input, "HealthyThresholdCount"),
            unhealthy_threshold_count: uint(input, "UnhealthyThresholdCount"),
            enabled: input::boolean(input, "HealthCheckEnabled"),
            matcher: input.pointer("/Matcher/HttpCode").and_then(Value::as_str).map(str::to_string),
        },
        deregistration_delay_seconds: None,
    };
    let tg = elb::create_target_group_once(&mut w.session.account, &req).map_err(|e| aws(&e))?;
    Ok(shapes::elbv2::describe_target_groups(&[&tg]))
}

/// DeleteTargetGroup (refused while a listener or rule forwards to it).
pub fn delete_target_group(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let arn = input::text(input, "TargetGroupArn").unwrap_or_default();
    w.session.account.delete_target_group(arn).map_err(|e| aws(&e))?;
    Ok(json!({}))
}

/// One `Action` of a request, as the account records it: redirect and
/// fixed-response settings kept under their members.
fn action(a: &Value) -> Action {
    let tuples = a.pointer("/ForwardConfig/TargetGroups").and_then(Value::as_array).into_iter().flatten();
    let mut config = serde_json::Map::new();
    for member in ["RedirectConfig", "FixedResponseConfig"] {
        if let Some(v) = a.get(member) {
            config.insert(member.to_string(), v.clone());
        }
    }
    Action {
        action_type: input::text(a, "Type").unwrap_or_default().to_string(),
        order: uint(a, "Order"),
        target_group_arn: input::text(a, "TargetGroupArn").map(str::to_string),
        forward_target_groups: tuples
            .filter_map(|t| {
                Some(TargetGroupTuple {
                    target_group_arn: input::text(t, "TargetGroupArn")?.to_string(),
                    weight: uint(t, "Weight"),
                })
            })
            .collect(),
        config: (!config.is_empty()).then_some(Value::Object(config)),
    }
}

/// CreateListener.
pub fn create_listener(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let port = input::int(input, "Port").and_then(|p| u16::try_from(p).ok()).filter(|p| *p >= 1);
    // AWS doc: "CreateListener": Port 1-65535; the text is inferred.
    let port = port.ok_or_else(|| WireError::bad("ValidationError", "Port must be between 1 and 65535"))?;
    let req = elb::CreateListenerRequest {
        load_balancer_arn: input::text(input, "LoadBalancerArn").unwrap_or_default().to_string(),
        port,
        protocol: input::text(input, "Protocol").map(str::to_string),
        default_actions: input
            .get("DefaultActions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(action)
            .collect(),
        certificates: input
            .get("Certificates")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| input::text(c, "CertificateArn").map(str::to_string))
            .collect(),
        ssl_policy: input::text(input, "SslPolicy").map(str::to_string),
    };
    let l = elb::create_listener(&mut w.session.account, &req).map_err(|e| aws(&e))?;
    Ok(shapes::elbv2::describe_listeners(&[&l]))
}

/// DeleteListener (its rules go with it).
pub fn delete_listener(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let arn = input::text(input, "ListenerArn").unwrap_or_default();
    w.session.account.delete_listener(arn).map_err(|e| aws(&e))?;
    Ok(json!({}))
}
