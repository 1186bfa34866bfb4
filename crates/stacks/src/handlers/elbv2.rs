//! Application and network load balancers, target groups, listeners and
//! listener rules. AWS doc: "AWS::ElasticLoadBalancingV2::LoadBalancer" and
//! siblings; DNS names and defaults per the facts file.

use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{
    Action, CreateNetworkInterface, HealthCheck, Listener, ListenerRule, LoadBalancer, TargetGroup, TargetGroupTuple,
};
use cfn::Diagnostic;

/// The canonical hosted zone of ALBs in us-east-1 (AWS doc: "Elastic Load
/// Balancing endpoints and quotas"); other regions are not in our facts.
fn hosted_zone(region: &str, lb_type: &str) -> String {
    match (region, lb_type) {
        ("us-east-1", "network") => "Z26RNL4JYFTOTI".into(),
        ("us-east-1", _) => "Z35SXDOTRQ7X7K".into(),
        _ => "tasknet-unknown-zone".into(),
    }
}

/// AWS::ElasticLoadBalancingV2::LoadBalancer: Ref is the ARN. One ENI per
/// subnet, owned by the service, carrying the balancer's groups.
pub fn load_balancer(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("Name").unwrap_or_else(|| p.generated_name(props.logical_id, 32));
    let lb_type = props.str("Type").unwrap_or_else(|| "application".into());
    let scheme = props.str("Scheme").unwrap_or_else(|| "internet-facing".into());
    let mut subnets = props.strs("Subnets");
    subnets.extend(props.children("SubnetMappings").iter().filter_map(|m| m.str("SubnetId")));
    let vpc = subnets.iter().find_map(|s| p.account.subnets.get(s)).map(|s| s.vpc_id.clone()).unwrap_or_default();
    let mut groups = props.strs("SecurityGroups");
    if groups.is_empty() && lb_type == "application" {
        // AWS doc: without SecurityGroups an ALB gets the VPC's default group.
        if let Ok(g) = p.account.default_security_group(&vpc) {
            groups.push(g.group_id.clone());
        }
    }
    let arn = p.account.new_load_balancer_arn(&name, &lb_type);
    let dns = p.account.new_load_balancer_dns_name(&name, &scheme);
    let region = p.account.region.clone();
    let zones: std::collections::BTreeSet<String> =
        subnets.iter().filter_map(|s| p.account.subnets.get(s)).map(|s| s.availability_zone.clone()).collect();
    if lb_type == "application" && zones.len() < 2 && subnets.iter().all(|s| p.account.subnets.contains_key(s)) {
        p.report(
            Diagnostic::error("TN2020", "At least two subnets in two different Availability Zones must be specified")
                .resource(props.logical_id)
                .path(props.path("Subnets"))
                .at(props.pos("Subnets"))
                .hint("list subnets from at least two availability zones"),
        );
    }
    let lb = LoadBalancer {
        load_balancer_arn: arn.clone(),
        load_balancer_name: name.clone(),
        dns_name: dns.clone(),
        scheme: scheme.clone(),
        lb_type: lb_type.clone(),
        subnets: subnets.clone(),
        security_groups: groups.clone(),
        vpc_id: vpc,
        state: "active".into(),
    };
    let full_name = lb.full_name().to_string();
    p.account.put_load_balancer(lb);
    for s in &subnets {
        if !p.account.subnets.contains_key(s) {
            p.report(super::ec2_error(props, "Subnets", &account::Ec2Error::SubnetNotFound(s.clone())));
            continue;
        }
        let mut req = CreateNetworkInterface::new(s);
        req.groups = groups.clone();
        req.description = format!("ELB {full_name}");
        req.interface_type = if lb_type == "network" { "network_load_balancer".into() } else { "load_balancer".into() };
        req.requester_managed = true;
        req.requester_id = Some("amazon-elb".into());
        req.assign_public_ip = scheme != "internal";
        req.owner = account::EniOwner::LoadBalancer { load_balancer_arn: arn.clone() };
        if let Err(e) = p.account.create_network_interface(req) {
            p.report(super::ec2_error(props, "Subnets", &e));
        }
    }
    Planned::new(arn.clone())
        .attr("LoadBalancerArn", arn)
        .attr("DNSName", dns.clone())
        .attr("CanonicalHostedZoneID", hosted_zone(&region, &lb_type))
        .attr("LoadBalancerFullName", full_name)
        .attr("LoadBalancerName", name)
        .attr_list("SecurityGroups", &groups)
        .detail("Scheme", scheme)
        .detail("DNSName", dns)
        .detail("Subnets", subnets.join(", "))
}

/// AWS::ElasticLoadBalancingV2::TargetGroup: Ref is the ARN.
pub fn target_group(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("Name").unwrap_or_else(|| p.generated_name(props.logical_id, 32));
    let arn = p.account.new_target_group_arn(&name);
    // AWS doc: "Target groups for your Application Load Balancers": TargetType defaults to instance.
    let target_type = props.str("TargetType").unwrap_or_else(|| "instance".into());
    let mut hc = HealthCheck::default();
    hc.health_check_protocol = props.str("HealthCheckProtocol").unwrap_or(hc.health_check_protocol);
    hc.health_check_port = props.str("HealthCheckPort").unwrap_or(hc.health_check_port);
    hc.health_check_path = props.str("HealthCheckPath").unwrap_or(hc.health_check_path);
    hc.health_check_interval_seconds =
        props.u32("HealthCheckIntervalSeconds").unwrap_or(hc.health_check_interval_seconds);
    hc.health_check_timeout_seconds = props.u32("HealthCheckTimeoutSeconds").unwrap_or(hc.health_check_timeout_seconds);
    hc.healthy_threshold_count = props.u32("HealthyThresholdCount").unwrap_or(hc.healthy_threshold_count);
    hc.unhealthy_threshold_count = props.u32("UnhealthyThresholdCount").unwrap_or(hc.unhealthy_threshold_count);
    hc.health_check_enabled = props.bool("HealthCheckEnabled").unwrap_or(true);
    if let Some(m) = props.child("Matcher").and_then(|m| m.str("HttpCode")) {
        hc.matcher = m;
    }
    let delay = props
        .children("TargetGroupAttributes")
        .iter()
        .find(|a| a.str("Key").as_deref() == Some("deregistration_delay.timeout_seconds"))
        .and_then(|a| a.u32("Value"))
        .unwrap_or(account::DEFAULT_DEREGISTRATION_DELAY_SECONDS);
    let port = props.u32("Port").and_then(|x| u16::try_from(x).ok());
    p.account.put_target_group(TargetGroup {
        target_group_arn: arn.clone(),
        target_group_name: name.clone(),
        protocol: props.str("Protocol"),
        port,
        vpc_id: props.str("VpcId"),
        target_type: target_type.clone(),
        health_check: hc,
        deregistration_delay_seconds: delay,
        load_balancer_arns: Vec::new(),
        targets: Vec::new(),
    });
    // TargetGroupFullName is the ARN's resource part: targetgroup/NAME/ID.
    let full_name = arn.rsplit_once(':').map_or("", |(_, tail)| tail).to_string();
    Planned::new(arn.clone())
        .attr("TargetGroupArn", arn)
        .attr("TargetGroupName", name.clone())
        .attr("TargetGroupFullName", full_name)
        .attr_list("LoadBalancerArns", &[])
        .detail("TargetType", target_type)
        .detail("Port", port.map(|x| x.to_string()).unwrap_or_default())
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
            config: None,
        })
        .collect()
}

/// Records that `lb` forwards to the groups of `actions`.
fn link_target_groups(p: &mut Planner, lb: &str, actions: &[Action]) {
    for a in actions {
        for tg in a.target_group_arns() {
            if let Some(t) = p.account.target_groups.get_mut(tg) {
                if !t.load_balancer_arns.iter().any(|x| x == lb) {
                    t.load_balancer_arns.push(lb.to_string());
                }
            }
        }
    }
}

/// AWS::ElasticLoadBalancingV2::Listener: Ref is the ARN.
pub fn listener(p: &mut Planner, props: &Props<'_>) -> Planned {
    let lb = props.str("LoadBalancerArn").unwrap_or_default();
    let arn = p.account.new_listener_arn(&lb);
    let default_actions = actions(&props.children("DefaultActions"));
    link_target_groups(p, &lb, &default_actions);
    let port = props.u32("Port").and_then(|x| u16::try_from(x).ok()).unwrap_or(0);
    let protocol = props.str("Protocol").unwrap_or_else(|| "HTTP".into());
    p.account.put_listener(Listener {
        listener_arn: arn.clone(),
        load_balancer_arn: lb,
        port,
        protocol: protocol.clone(),
        default_actions,
    });
    Planned::new(arn.clone()).attr("ListenerArn", arn).detail("Listener", format!("{protocol}:{port}"))
}

/// AWS::ElasticLoadBalancingV2::ListenerRule: Ref is the ARN.
pub fn listener_rule(p: &mut Planner, props: &Props<'_>) -> Planned {
    let listener = props.str("ListenerArn").unwrap_or_default();
    let arn = p.account.new_listener_rule_arn(&listener);
    let rule_actions = actions(&props.children("Actions"));
    if let Some(lb) = p.account.listener(&listener).map(|l| l.load_balancer_arn.clone()) {
        link_target_groups(p, &lb, &rule_actions);
    }
    let conditions = props
        .get("Conditions")
        .and_then(|c| c.as_list())
        .map(|l| l.iter().map(cfn::Node::to_json).collect())
        .unwrap_or_default();
    let priority = props.u32("Priority").unwrap_or(0);
    p.account.put_listener_rule(ListenerRule {
        rule_arn: arn.clone(),
        listener_arn: listener,
        priority,
        conditions,
        actions: rule_actions,
    });
    Planned::new(arn.clone()).attr("RuleArn", arn).attr("IsDefault", "false").detail("Priority", priority.to_string())
}
