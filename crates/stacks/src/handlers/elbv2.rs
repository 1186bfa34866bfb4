//! Application and network load balancers, target groups, listeners and
//! listener rules: properties mapped to ELBv2's requests, created through
//! `control::elb`'s actions (which hold the checks and defaults); refusals
//! become findings at their property. AWS doc:
//! "AWS::ElasticLoadBalancingV2::LoadBalancer" and siblings.

use super::kind::{kind, svc, Kind, Moved};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{Account, Action, TargetGroupTuple};
use cfn::Diagnostic;
use control::elb::{
    self, CreateListenerRequest, CreateLoadBalancerRequest, CreateRuleRequest, CreateTargetGroupRequest, ElbError,
    ElbField, HealthCheckSettings,
};

/// The canonical hosted zone of ALBs in us-east-1 (AWS doc: "Elastic Load
/// Balancing endpoints and quotas"); other regions are not in our facts.
fn hosted_zone(region: &str, lb_type: &str) -> String {
    match (region, lb_type) {
        ("us-east-1", "network") => "Z26RNL4JYFTOTI".into(),
        ("us-east-1", _) => "Z35SXDOTRQ7X7K".into(),
        _ => "tasknet-unknown-zone".into(),
    }
}

/// The CreateLoadBalancer request a load balancer's properties make.
pub fn load_balancer_request(props: &Props<'_>, name: String) -> CreateLoadBalancerRequest {
    let mut subnets = props.strs("Subnets");
    subnets.extend(props.children("SubnetMappings").iter().filter_map(|m| m.str("SubnetId")));
    CreateLoadBalancerRequest {
        name,
        subnets,
        security_groups: props.strs("SecurityGroups"),
        scheme: props.str("Scheme"),
        lb_type: props.str("Type"),
    }
}

/// AWS::ElasticLoadBalancingV2::LoadBalancer: Ref is the ARN.
pub fn load_balancer(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("Name").unwrap_or_else(|| p.generated_name(props.logical_id, 32));
    let req = load_balancer_request(props, name);
    for e in elb::create::check_load_balancer(&p.account, &req) {
        p.report(elb_finding(props, &e, "Subnets", ""));
    }
    let (lb, failures) = elb::record_load_balancer(&mut p.account, &req);
    for (_, e) in failures {
        p.report(super::ec2_error(props, "Subnets", &e));
    }
    let region = p.account.region.clone();
    let full_name = lb.full_name().to_string();
    Planned::new(lb.load_balancer_arn.clone())
        .attr("LoadBalancerArn", lb.load_balancer_arn)
        .attr("DNSName", lb.dns_name.clone())
        .attr("CanonicalHostedZoneID", hosted_zone(&region, &lb.lb_type))
        .attr("LoadBalancerFullName", full_name)
        .attr("LoadBalancerName", lb.load_balancer_name)
        .attr_list("SecurityGroups", &lb.security_groups)
        .detail("Scheme", lb.scheme)
        .detail("DNSName", lb.dns_name)
        .detail("Subnets", lb.subnets.join(", "))
}

/// An ELBv2 refusal as a finding at the property its member came from: the
/// caller's `property` for the request's own members, its action `list`
/// (`DefaultActions`, `Actions`) for an action's target group.
fn elb_finding(props: &Props<'_>, e: &ElbError, property: &str, list: &str) -> Diagnostic {
    let (code, hint) = match e.code.as_str() {
        "SubnetNotFound" => (
            "TN4001",
            "use an ID the account has (tasknet account show), or declare it in the account file (EC2 error code InvalidSubnetID.NotFound)",
        ),
        "ValidationError" => ("TN2020", "list subnets from at least two availability zones"),
        "LoadBalancerNotFound" => ("TN4007", "Ref the stack's own load balancer, or name one the account has"),
        "ListenerNotFound" => ("TN4008", "Ref the stack's own listener, or name one the account has"),
        "TargetGroupNotFound" => ("TN4006", "Ref the stack's own target group, or name one the account has"),
        _ => ("TN3000", "change the property so Elastic Load Balancing accepts it"),
    };
    let (path, pos) = match e.field {
        Some(ElbField::ActionTargetGroup(i)) => (
            format!("{}/{i}", props.path(list)),
            props.children(list).into_iter().nth(i).map_or_else(|| props.pos(list), |a| a.resource_pos),
        ),
        _ => (props.path(property), props.pos(property)),
    };
    Diagnostic::error(code, e.message.clone()).resource(props.logical_id).path(path).at(pos).hint(hint)
}

/// A listener's certificate refused: at the certificate named, or at
/// `Protocol` when an HTTPS listener names none.
fn certificate_finding(props: &Props<'_>, e: &ElbError, at: Option<usize>) -> Diagnostic {
    let (code, hint, path, pos) = match at {
        Some(i) => (
            "TN4011",
            "Ref the stack's own AWS::CertificateManager::Certificate, or name one the account has",
            format!("{}/{i}", props.path("Certificates")),
            props
                .children("Certificates")
                .into_iter()
                .nth(i)
                .map_or_else(|| props.pos("Certificates"), |c| c.resource_pos),
        ),
        None => (
            "TN3000",
            "add Certificates: [{CertificateArn: !Ref <an AWS::CertificateManager::Certificate>}]",
            props.path("Protocol"),
            props.pos("Protocol"),
        ),
    };
    Diagnostic::error(code, e.message.clone()).resource(props.logical_id).path(path).at(pos).hint(hint)
}

/// The CreateTargetGroup request a target group's properties make.
pub fn target_group_request(props: &Props<'_>, name: String) -> CreateTargetGroupRequest {
    CreateTargetGroupRequest {
        name,
        protocol: props.str("Protocol"),
        port: props.u32("Port").and_then(|x| u16::try_from(x).ok()),
        vpc_id: props.str("VpcId"),
        target_type: props.str("TargetType"),
        health_check: HealthCheckSettings {
            protocol: props.str("HealthCheckProtocol"),
            port: props.str("HealthCheckPort"),
            path: props.str("HealthCheckPath"),
            interval_seconds: props.u32("HealthCheckIntervalSeconds"),
            timeout_seconds: props.u32("HealthCheckTimeoutSeconds"),
            healthy_threshold_count: props.u32("HealthyThresholdCount"),
            unhealthy_threshold_count: props.u32("UnhealthyThresholdCount"),
            enabled: props.bool("HealthCheckEnabled"),
            matcher: props.child("Matcher").and_then(|m| m.str("HttpCode")),
        },
        deregistration_delay_seconds: props
            .children("TargetGroupAttributes")
            .iter()
            .find(|a| a.str("Key").as_deref() == Some("deregistration_delay.timeout_seconds"))
            .and_then(|a| a.u32("Value")),
    }
}

/// AWS::ElasticLoadBalancingV2::TargetGroup: Ref is the ARN.
pub fn target_group(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("Name").unwrap_or_else(|| p.generated_name(props.logical_id, 32));
    let tg = elb::create_target_group(&mut p.account, &target_group_request(props, name));
    let arn = tg.target_group_arn;
    // TargetGroupFullName is the ARN's resource part: targetgroup/NAME/ID.
    let full_name = arn.rsplit_once(':').map_or("", |(_, tail)| tail).to_string();
    Planned::new(arn.clone())
        .attr("TargetGroupArn", arn)
        .attr("TargetGroupName", tg.target_group_name)
        .attr("TargetGroupFullName", full_name)
        .attr_list("LoadBalancerArns", &[])
        .detail("TargetType", tg.target_type)
        .detail("Port", tg.port.map(|x| x.to_string()).unwrap_or_default())
}

fn actions(list: &[Props<'_>]) -> Vec<Action> {
    list.iter()
        .map(|a| Action {
            action_type: a.str("Type").unwrap_or_default(),
            order: a.u32("Order"),
            target_group_arn: a.str("TargetGroupArn"),
            forward_target_groups: a
                .child("ForwardConfig")
                .map(|f| {
                    f.children("TargetGroups")
                        .iter()
                        .filter_map(|t| {
                            Some(TargetGroupTuple {
                                target_group_arn: t.str("TargetGroupArn")?,
                                weight: t.u32("Weight"),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default(),
            config: action_config(a),
        })
        .collect()
}

/// A redirect's or fixed response's settings, kept under their members as
/// the API's CreateListener keeps them (the proxy reads them from there).
fn action_config(a: &Props<'_>) -> Option<serde_json::Value> {
    let mut config = serde_json::Map::new();
    for member in ["RedirectConfig", "FixedResponseConfig"] {
        if let Some(node) = a.get(member) {
            config.insert(member.to_string(), node.to_json());
        }
    }
    (!config.is_empty()).then_some(serde_json::Value::Object(config))
}

/// The CreateListener request a listener's properties make.
pub fn listener_request(props: &Props<'_>) -> CreateListenerRequest {
    CreateListenerRequest {
        load_balancer_arn: props.str("LoadBalancerArn").unwrap_or_default(),
        port: props.u32("Port").and_then(|x| u16::try_from(x).ok()).unwrap_or(0),
        protocol: props.str("Protocol"),
        default_actions: actions(&props.children("DefaultActions")),
        certificates: props.children("Certificates").iter().filter_map(|c| c.str("CertificateArn")).collect(),
        ssl_policy: props.str("SslPolicy"),
    }
}

/// AWS::ElasticLoadBalancingV2::Listener: Ref is the ARN.
pub fn listener(p: &mut Planner, props: &Props<'_>) -> Planned {
    let req = listener_request(props);
    for e in elb::create::check_listener(&p.account, &req) {
        match e.field {
            Some(ElbField::Certificates(at)) => p.report(certificate_finding(props, &e, at)),
            _ => p.report(elb_finding(props, &e, "LoadBalancerArn", "DefaultActions")),
        }
    }
    let l = elb::record_listener(&mut p.account, &req);
    Planned::new(l.listener_arn.clone())
        .attr("ListenerArn", l.listener_arn)
        .detail("Listener", format!("{}:{}", l.protocol, l.port))
}

/// The CreateRule request a listener rule's properties make.
pub fn rule_request(props: &Props<'_>) -> CreateRuleRequest {
    CreateRuleRequest {
        listener_arn: props.str("ListenerArn").unwrap_or_default(),
        priority: props.u32("Priority").unwrap_or(0),
        conditions: props
            .get("Conditions")
            .and_then(|c| c.as_list())
            .map(|l| l.iter().map(cfn::Node::to_json).collect())
            .unwrap_or_default(),
        actions: actions(&props.children("Actions")),
    }
}

/// AWS::ElasticLoadBalancingV2::ListenerRule: Ref is the ARN.
pub fn listener_rule(p: &mut Planner, props: &Props<'_>) -> Planned {
    let req = rule_request(props);
    for e in elb::create::check_rule(&p.account, &req) {
        p.report(elb_finding(props, &e, "ListenerArn", "Actions"));
    }
    let rule = elb::record_rule(&mut p.account, &req);
    Planned::new(rule.rule_arn.clone())
        .attr("RuleArn", rule.rule_arn)
        .attr("IsDefault", "false")
        .detail("Priority", rule.priority.to_string())
}

/// The ELBv2 types' records.
pub(super) const KINDS: &[Kind] = &[
    Kind {
        replacing: &["Name", "Type", "Scheme"],
        // Changing subnets in place is not modelled.
        update: Some(|a, scratch, m| match scratch.load_balancers.get(m.new_id) {
            Some(new) => elb::set_security_groups(a, m.id, &new.security_groups).map(drop).map_err(|e| e.message),
            None => Ok(()),
        }),
        ..kind("AWS::ElasticLoadBalancingV2::LoadBalancer", load_balancer, |a, _, id| svc(a.delete_load_balancer(id)))
    },
    Kind {
        replacing: &["Port", "Protocol", "VpcId", "TargetType", "Name"],
        update: Some(update_target_group),
        ..kind("AWS::ElasticLoadBalancingV2::TargetGroup", target_group, |a, _, id| {
            if a.target_groups.contains_key(id) {
                svc(a.delete_target_group(id))
            } else {
                Ok(())
            }
        })
    },
    Kind {
        replacing: &["LoadBalancerArn"],
        update: Some(|a, scratch, m| {
            let Some(new) = scratch.listeners.get(m.new_id) else { return Ok(()) };
            let req = elb::ModifyListenerRequest {
                listener_arn: m.id.to_string(),
                port: Some(new.port),
                protocol: Some(new.protocol.clone()),
                default_actions: Some(new.default_actions.clone()),
            };
            elb::modify_listener(a, &req).map(drop).map_err(|e| e.message)
        }),
        ..kind("AWS::ElasticLoadBalancingV2::Listener", listener, |a, _, id| {
            if a.listeners.contains_key(id) {
                svc(a.delete_listener(id))
            } else {
                Ok(())
            }
        })
    },
    Kind {
        update: Some(|a, scratch, m| match scratch.listener_rules.get(m.new_id) {
            Some(new) => elb::modify_rule(a, m.id, new.priority, new.conditions.clone(), new.actions.clone())
                .map(drop)
                .map_err(|e| e.message),
            None => Ok(()),
        }),
        ..kind("AWS::ElasticLoadBalancingV2::ListenerRule", listener_rule, |a, _, id| {
            if a.listener_rules.contains_key(id) {
                svc(a.delete_listener_rule(id))
            } else {
                Ok(())
            }
        })
    },
];

/// AWS::ElasticLoadBalancingV2::TargetGroup in place: ModifyTargetGroup and its attributes.
fn update_target_group(a: &mut Account, scratch: &Account, m: &Moved<'_>) -> Result<(), String> {
    let Some(new) = scratch.target_groups.get(m.new_id) else { return Ok(()) };
    let settings = HealthCheckSettings::from(&new.health_check);
    elb::modify_target_group(a, m.id, &settings).map_err(|e| e.message)?;
    elb::modify_deregistration_delay(a, m.id, new.deregistration_delay_seconds).map(drop).map_err(|e| e.message)
}
