//! CreateLoadBalancer, CreateTargetGroup, CreateListener and CreateRule:
//! the requests with the API's member names, their checks and defaults, and
//! what creating does to the account (a load balancer's node ENIs, target
//! groups linked to the balancers that forward to them).
//!
//! Each action is a check (every refusal, for a template door to report)
//! and a record (what AWS does once the check passed; a plan records
//! refused resources too so that what depends on them can be checked).
//! AWS doc: "CreateLoadBalancer", "CreateTargetGroup", "CreateListener",
//! "CreateRule" (Elastic Load Balancing API Reference).

use super::{ElbError, ElbField};
use account::{
    Account, Action, CreateNetworkInterface, Ec2Error, EniOwner, HealthCheck, Listener, ListenerRule, LoadBalancer,
    TargetGroup,
};
use std::collections::BTreeSet;

/// CreateLoadBalancer's parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateLoadBalancerRequest {
    /// The name (unique per region and account).
    pub name: String,
    /// One subnet per zone (`Subnets` and `SubnetMappings[].SubnetId`).
    pub subnets: Vec<String>,
    /// Its security groups; an ALB without any gets the VPC's default group.
    pub security_groups: Vec<String>,
    /// `internet-facing` (the default) or `internal`.
    pub scheme: Option<String>,
    /// `application` (the default), `network` or `gateway`.
    pub lb_type: Option<String>,
}

impl CreateLoadBalancerRequest {
    fn lb_type(&self) -> &str {
        self.lb_type.as_deref().unwrap_or("application")
    }

    fn scheme(&self) -> &str {
        self.scheme.as_deref().unwrap_or("internet-facing")
    }
}

/// Every refusal CreateLoadBalancer gives `req`.
pub fn check_load_balancer(account: &Account, req: &CreateLoadBalancerRequest) -> Vec<ElbError> {
    let mut out = Vec::new();
    for (i, s) in req.subnets.iter().enumerate() {
        if let Err(e) = account.subnet(s) {
            // Inferred: ELBv2's SubnetNotFound (botocore's model) with EC2's words for the subnet.
            out.push(ElbError::new("SubnetNotFound", e.to_string()).at(ElbField::Subnets(Some(i))));
        }
    }
    let zones: BTreeSet<&str> =
        req.subnets.iter().filter_map(|s| account.subnets.get(s)).map(|s| s.availability_zone.as_str()).collect();
    // Judged only when every subnet is known: an unknown one is its own refusal.
    if req.lb_type() == "application" && zones.len() < 2 && out.is_empty() {
        // Seen (shared/aws-facts.md, ELBv2).
        let e = ElbError::validation("At least two subnets in two different Availability Zones must be specified");
        out.push(e.at(ElbField::Subnets(None)));
    }
    out
}

/// CreateLoadBalancer: checks, then records the balancer and its node ENIs.
pub fn create_load_balancer(account: &mut Account, req: &CreateLoadBalancerRequest) -> Result<LoadBalancer, ElbError> {
    if let Some(e) = check_load_balancer(account, req).into_iter().next() {
        return Err(e);
    }
    if account.load_balancer(&req.name).is_some() {
        // Seen in botocore's model: DuplicateLoadBalancerName; the text is inferred.
        return Err(ElbError::new("DuplicateLoadBalancerName", "A load balancer with the same name already exists"));
    }
    let (lb, failures) = record_load_balancer(account, req);
    if let Some((i, e)) = failures.into_iter().next() {
        // Nothing half-made is left behind when a node's ENI cannot be created:
        // the new balancer has no listeners yet, so deleting it removes exactly its nodes.
        let _ = account.delete_load_balancer(&lb.load_balancer_arn);
        return Err(ElbError::new("InvalidSubnet", e.to_string()).at(ElbField::Subnets(Some(i))));
    }
    Ok(lb)
}

/// The balancer `req` describes, recorded with one ENI per known subnet
/// (owned by the service, carrying the balancer's groups); returns the
/// ENIs EC2 refused, by subnet index.
pub fn record_load_balancer(
    account: &mut Account,
    req: &CreateLoadBalancerRequest,
) -> (LoadBalancer, Vec<(usize, Ec2Error)>) {
    let lb_type = req.lb_type().to_string();
    let scheme = req.scheme().to_string();
    let vpc = req.subnets.iter().find_map(|s| account.subnets.get(s)).map(|s| s.vpc_id.clone()).unwrap_or_default();
    let mut groups = req.security_groups.clone();
    if groups.is_empty() && lb_type == "application" {
        // AWS doc: "CreateLoadBalancer": without SecurityGroups an ALB gets the VPC's default group.
        if let Ok(g) = account.default_security_group(&vpc) {
            groups.push(g.group_id.clone());
        }
    }
    let arn = account.new_load_balancer_arn(&req.name, &lb_type);
    let dns_name = account.new_load_balancer_dns_name(&req.name, &scheme);
    let lb = LoadBalancer {
        load_balancer_arn: arn.clone(),
        load_balancer_name: req.name.clone(),
        dns_name,
        scheme: scheme.clone(),
        lb_type: lb_type.clone(),
        subnets: req.subnets.clone(),
        security_groups: groups.clone(),
        vpc_id: vpc,
        state: "active".into(),
    };
    let description = format!("ELB {}", lb.full_name());
    account.put_load_balancer(lb.clone());
    let mut failures = Vec::new();
    for (i, s) in req.subnets.iter().enumerate() {
        if !account.subnets.contains_key(s) {
            continue;
        }
        let mut eni = CreateNetworkInterface::new(s);
        eni.groups = groups.clone();
        eni.description = description.clone();
        eni.interface_type = if lb_type == "network" { "network_load_balancer" } else { "load_balancer" }.into();
        eni.requester_managed = true;
        eni.requester_id = Some("amazon-elb".into());
        eni.assign_public_ip = scheme != "internal";
        eni.owner = EniOwner::LoadBalancer { load_balancer_arn: arn.clone() };
        if let Err(e) = account.create_network_interface(eni) {
            failures.push((i, e));
        }
    }
    (lb, failures)
}

/// The health check members of CreateTargetGroup and ModifyTargetGroup
/// (absent ones take AWS's defaults on create and stay as they are on modify).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HealthCheckSettings {
    /// `HealthCheckProtocol`.
    pub protocol: Option<String>,
    /// `HealthCheckPort`.
    pub port: Option<String>,
    /// `HealthCheckPath`.
    pub path: Option<String>,
    /// `HealthCheckIntervalSeconds`.
    pub interval_seconds: Option<u32>,
    /// `HealthCheckTimeoutSeconds`.
    pub timeout_seconds: Option<u32>,
    /// `HealthyThresholdCount`.
    pub healthy_threshold_count: Option<u32>,
    /// `UnhealthyThresholdCount`.
    pub unhealthy_threshold_count: Option<u32>,
    /// `HealthCheckEnabled`.
    pub enabled: Option<bool>,
    /// `Matcher.HttpCode`.
    pub matcher: Option<String>,
}

impl From<&HealthCheck> for HealthCheckSettings {
    /// Every member given: what a whole new health check asks of ModifyTargetGroup.
    fn from(h: &HealthCheck) -> Self {
        HealthCheckSettings {
            protocol: Some(h.health_check_protocol.clone()),
            port: Some(h.health_check_port.clone()),
            path: Some(h.health_check_path.clone()),
            interval_seconds: Some(h.health_check_interval_seconds),
            timeout_seconds: Some(h.health_check_timeout_seconds),
            healthy_threshold_count: Some(h.healthy_threshold_count),
            unhealthy_threshold_count: Some(h.unhealthy_threshold_count),
            enabled: Some(h.health_check_enabled),
            matcher: Some(h.matcher.clone()),
        }
    }
}

impl HealthCheckSettings {
    /// `base` with the members these settings give.
    pub fn over(&self, base: HealthCheck) -> HealthCheck {
        HealthCheck {
            health_check_protocol: self.protocol.clone().unwrap_or(base.health_check_protocol),
            health_check_port: self.port.clone().unwrap_or(base.health_check_port),
            health_check_path: self.path.clone().unwrap_or(base.health_check_path),
            health_check_interval_seconds: self.interval_seconds.unwrap_or(base.health_check_interval_seconds),
            health_check_timeout_seconds: self.timeout_seconds.unwrap_or(base.health_check_timeout_seconds),
            healthy_threshold_count: self.healthy_threshold_count.unwrap_or(base.healthy_threshold_count),
            unhealthy_threshold_count: self.unhealthy_threshold_count.unwrap_or(base.unhealthy_threshold_count),
            matcher: self.matcher.clone().unwrap_or(base.matcher),
            health_check_enabled: self.enabled.unwrap_or(base.health_check_enabled),
        }
    }
}

/// CreateTargetGroup's parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateTargetGroupRequest {
    /// The name.
    pub name: String,
    /// `HTTP`, `HTTPS`, `TCP`, …
    pub protocol: Option<String>,
    /// The port targets receive traffic on.
    pub port: Option<u16>,
    /// The VPC of its targets.
    pub vpc_id: Option<String>,
    /// `instance` (the default), `ip`, `lambda` or `alb`.
    pub target_type: Option<String>,
    /// The health check.
    pub health_check: HealthCheckSettings,
    /// The `deregistration_delay.timeout_seconds` attribute.
    pub deregistration_delay_seconds: Option<u32>,
}

/// CreateTargetGroup: records the group (no targets, no load balancers yet).
pub fn create_target_group(account: &mut Account, req: &CreateTargetGroupRequest) -> TargetGroup {
    let tg = TargetGroup {
        target_group_arn: account.new_target_group_arn(&req.name),
        target_group_name: req.name.clone(),
        protocol: req.protocol.clone(),
        port: req.port,
        vpc_id: req.vpc_id.clone(),
        // AWS doc: "Target groups for your Application Load Balancers": TargetType defaults to instance.
        target_type: req.target_type.clone().unwrap_or_else(|| "instance".into()),
        health_check: req.health_check.over(HealthCheck::default()),
        deregistration_delay_seconds: req
            .deregistration_delay_seconds
            .unwrap_or(account::DEFAULT_DEREGISTRATION_DELAY_SECONDS),
        load_balancer_arns: Vec::new(),
        targets: Vec::new(),
    };
    account.put_target_group(tg.clone());
    tg
}

/// CreateTargetGroup for API doors: a second call with a name in use
/// returns the group when its settings are the same (AWS doc:
/// "CreateTargetGroup": creating target groups with the same settings
/// succeeds each time) and is DuplicateTargetGroupName otherwise (the code
/// is the model's; the text is as recalled from AWS's answers, unverified).
pub fn create_target_group_once(
    account: &mut Account,
    req: &CreateTargetGroupRequest,
) -> Result<TargetGroup, ElbError> {
    if let Some(tg) = account.target_groups.values().find(|g| g.target_group_name == req.name) {
        let same = tg.protocol == req.protocol
            && tg.port == req.port
            && tg.vpc_id == req.vpc_id
            && tg.target_type == req.target_type.clone().unwrap_or_else(|| "instance".into());
        if same {
            return Ok(tg.clone());
        }
        return Err(ElbError::new(
            "DuplicateTargetGroupName",
            format!("A target group with the same name '{}' exists, but with different settings", req.name),
        ));
    }
    Ok(create_target_group(account, req))
}

/// CreateListener's parameters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateListenerRequest {
    /// The balancer listening.
    pub load_balancer_arn: String,
    /// The port.
    pub port: u16,
    /// `HTTP` (the default here), `HTTPS`, `TCP`, …
    pub protocol: Option<String>,
    /// What it does with requests no rule matches.
    pub default_actions: Vec<Action>,
    /// `Certificates`: the ACM certificate ARNs of an HTTPS listener.
    pub certificates: Vec<String>,
    /// `SslPolicy`.
    pub ssl_policy: Option<String>,
}

/// The security policy an HTTPS listener gets when none is named. AWS doc
/// "CreateListener": "the default is the current predefined security
/// policy"; which one that is for the API is recalled, not verified.
pub const DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-2016-08";

/// The target groups of `actions` the account lacks.
pub(crate) fn unknown_target_groups(account: &Account, actions: &[Action]) -> Vec<ElbError> {
    let mut out = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        if a.target_group_arns().iter().any(|tg| !account.target_groups.contains_key(*tg)) {
            out.push(ElbError::target_group_not_found().at(ElbField::ActionTargetGroup(i)));
        }
    }
    out
}

/// Every refusal CreateListener gives `req`.
pub fn check_listener(account: &Account, req: &CreateListenerRequest) -> Vec<ElbError> {
    let mut out = Vec::new();
    if account.load_balancer(&req.load_balancer_arn).is_none() {
        out.push(super::modify::load_balancer_not_found().at(ElbField::LoadBalancerArn));
    }
    out.extend(unknown_target_groups(account, &req.default_actions));
    // AWS doc "Create an HTTPS listener for your Application Load Balancer": an
    // HTTPS listener needs a server certificate (the text is inferred).
    if req.protocol.as_deref() == Some("HTTPS") && req.certificates.is_empty() {
        out.push(
            ElbError::new("ValidationError", "A certificate must be specified for HTTPS listeners")
                .at(ElbField::Certificates(None)),
        );
    }
    for (i, arn) in req.certificates.iter().enumerate() {
        if !account.certificates.contains_key(arn) {
            // Seen in users' reports: `CertificateNotFound: Certificate '<arn>' not found`.
            out.push(
                ElbError::new("CertificateNotFound", format!("Certificate '{arn}' not found"))
                    .at(ElbField::Certificates(Some(i))),
            );
        }
    }
    out
}

/// CreateListener: checks, then records it.
pub fn create_listener(account: &mut Account, req: &CreateListenerRequest) -> Result<Listener, ElbError> {
    if let Some(e) = check_listener(account, req).into_iter().next() {
        return Err(e);
    }
    Ok(record_listener(account, req))
}

/// Records that `lb` forwards to the groups of `actions` (DescribeTargetGroups' LoadBalancerArns).
pub(crate) fn link_target_groups(account: &mut Account, lb: &str, actions: &[Action]) {
    for a in actions {
        for tg in a.target_group_arns() {
            if let Some(t) = account.target_groups.get_mut(tg) {
                if !t.load_balancer_arns.iter().any(|x| x == lb) {
                    t.load_balancer_arns.push(lb.to_string());
                }
            }
        }
    }
}

/// The listener `req` describes, recorded, its target groups linked to the balancer.
pub fn record_listener(account: &mut Account, req: &CreateListenerRequest) -> Listener {
    link_target_groups(account, &req.load_balancer_arn, &req.default_actions);
    let listener = Listener {
        listener_arn: account.new_listener_arn(&req.load_balancer_arn),
        load_balancer_arn: req.load_balancer_arn.clone(),
        port: req.port,
        protocol: req.protocol.clone().unwrap_or_else(|| "HTTP".into()),
        default_actions: req.default_actions.clone(),
        certificates: req.certificates.clone(),
        ssl_policy: (req.protocol.as_deref() == Some("HTTPS"))
            .then(|| req.ssl_policy.clone().unwrap_or_else(|| DEFAULT_SSL_POLICY.to_string())),
    };
    account.put_listener(listener.clone());
    listener
}

/// CreateRule's parameters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateRuleRequest {
    /// The listener the rule belongs to.
    pub listener_arn: String,
    /// Its priority (lower first).
    pub priority: u32,
    /// Its conditions, kept as given.
    pub conditions: Vec<serde_json::Value>,
    /// What it does with matching requests.
    pub actions: Vec<Action>,
}

/// Every refusal CreateRule gives `req`.
pub fn check_rule(account: &Account, req: &CreateRuleRequest) -> Vec<ElbError> {
    let mut out = Vec::new();
    if account.listener(&req.listener_arn).is_none() {
        out.push(super::modify::listener_not_found().at(ElbField::ListenerArn));
    }
    out.extend(unknown_target_groups(account, &req.actions));
    out
}

/// CreateRule: checks, then records it.
pub fn create_rule(account: &mut Account, req: &CreateRuleRequest) -> Result<ListenerRule, ElbError> {
    if let Some(e) = check_rule(account, req).into_iter().next() {
        return Err(e);
    }
    Ok(record_rule(account, req))
}

/// The rule `req` describes, recorded, its target groups linked to the listener's balancer.
pub fn record_rule(account: &mut Account, req: &CreateRuleRequest) -> ListenerRule {
    if let Some(lb) = account.listener(&req.listener_arn).map(|l| l.load_balancer_arn.clone()) {
        link_target_groups(account, &lb, &req.actions);
    }
    let rule = ListenerRule {
        rule_arn: account.new_listener_rule_arn(&req.listener_arn),
        listener_arn: req.listener_arn.clone(),
        priority: req.priority,
        conditions: req.conditions.clone(),
        actions: req.actions.clone(),
    };
    account.put_listener_rule(rule.clone());
    rule
}
