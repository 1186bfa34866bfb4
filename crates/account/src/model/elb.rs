//! Elastic Load Balancing v2 resources, cased as its API describes them.

use serde::{Deserialize, Serialize};

/// An application or network load balancer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LoadBalancer {
    /// `…:loadbalancer/app/NAME/16hex`.
    pub load_balancer_arn: String,
    /// The name.
    pub load_balancer_name: String,
    /// `NAME-DIGITS.REGION.elb.amazonaws.com`, `internal-` first when internal.
    #[serde(rename = "DNSName")]
    pub dns_name: String,
    /// `internet-facing` (default) or `internal`.
    pub scheme: String,
    /// `application` (default), `network` or `gateway`.
    #[serde(rename = "Type")]
    pub lb_type: String,
    /// Its subnets (one per zone).
    pub subnets: Vec<String>,
    /// Its security groups.
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// Its VPC.
    pub vpc_id: String,
    /// `active` (emulated ones are ready at once).
    pub state: String,
}

impl LoadBalancer {
    /// `app/NAME/16hex`: the ARN's tail, which GetAtt LoadBalancerFullName returns.
    pub fn full_name(&self) -> &str {
        self.load_balancer_arn.split_once(":loadbalancer/").map_or("", |(_, t)| t)
    }
}

/// Target group health check settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HealthCheck {
    /// `HTTP` by default.
    pub health_check_protocol: String,
    /// `traffic-port` by default.
    pub health_check_port: String,
    /// `/` by default.
    pub health_check_path: String,
    /// 30 s by default.
    pub health_check_interval_seconds: u32,
    /// 5 s per the ALB guide (the API reference says 6 s for HTTP).
    pub health_check_timeout_seconds: u32,
    /// 5 by default.
    pub healthy_threshold_count: u32,
    /// 2 by default.
    pub unhealthy_threshold_count: u32,
    /// `200` by default.
    pub matcher: String,
    /// Whether health checks run.
    pub health_check_enabled: bool,
}

impl Default for HealthCheck {
    fn default() -> Self {
        // AWS doc: "Health checks for Application Load Balancer target groups"
        // (facts). Timeout: the ALB guide says 5 s, the API reference 6 s;
        // we follow the guide.
        HealthCheck {
            health_check_protocol: "HTTP".into(),
            health_check_port: "traffic-port".into(),
            health_check_path: "/".into(),
            health_check_interval_seconds: 30,
            health_check_timeout_seconds: 5,
            healthy_threshold_count: 5,
            unhealthy_threshold_count: 2,
            matcher: "200".into(),
            health_check_enabled: true,
        }
    }
}

/// The deregistration delay default (facts: 300 s).
pub const DEFAULT_DEREGISTRATION_DELAY_SECONDS: u32 = 300;

/// A target group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetGroup {
    /// `…:targetgroup/NAME/16hex`.
    pub target_group_arn: String,
    /// The name.
    pub target_group_name: String,
    /// `HTTP`, `HTTPS`, `TCP`, …
    pub protocol: Option<String>,
    /// The traffic port.
    pub port: Option<u16>,
    /// Its VPC.
    pub vpc_id: Option<String>,
    /// `instance` (the default), `ip`, `lambda` or `alb`.
    pub target_type: String,
    /// Health check settings.
    pub health_check: HealthCheck,
    /// `deregistration_delay.timeout_seconds`.
    pub deregistration_delay_seconds: u32,
    /// Load balancers that forward to it.
    #[serde(default)]
    pub load_balancer_arns: Vec<String>,
    /// Registered targets and their health.
    #[serde(default)]
    pub targets: Vec<TargetHealthDescription>,
}

/// A registered target (`TargetDescription`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetDescription {
    /// An instance ID or an IP address.
    pub id: String,
    /// The port.
    pub port: u16,
    /// The zone (or `all`), when given.
    pub availability_zone: Option<String>,
}

/// A target's health (`TargetHealth`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetHealth {
    /// initial, healthy, unhealthy, unhealthy.draining, unused, draining, unavailable.
    pub state: super::TargetHealthState,
    /// e.g. `Elb.RegistrationInProgress` (absent when healthy).
    pub reason: Option<String>,
    /// e.g. `Target registration is in progress` (absent when healthy).
    pub description: Option<String>,
}

/// A target and its health, as DescribeTargetHealth returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetHealthDescription {
    /// The target.
    pub target: TargetDescription,
    /// The port health checks use.
    pub health_check_port: String,
    /// Its health.
    pub target_health: TargetHealth,
    /// When it was registered (clock milliseconds).
    #[serde(default)]
    pub registered_at: u64,
    /// When its health next changes, or draining ends (clock milliseconds).
    #[serde(default)]
    pub next_transition_at: Option<u64>,
    /// Consecutive passed (positive) or failed (negative) health checks.
    #[serde(default)]
    pub check_streak: i32,
    /// What the target answers to health checks, as last reported by the
    /// data plane (or a test); `None` means it passes them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_outcome: Option<HealthCheckOutcome>,
}

/// The result of one health check of a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HealthCheckOutcome {
    /// The target answered with a matching code.
    Pass,
    /// The target answered with this HTTP code, which the matcher does not accept.
    Fail(u16),
    /// The target did not answer within the health check timeout.
    Timeout,
    /// The connection failed or the answer was malformed.
    ConnectionError,
}

/// A forward target of a listener action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetGroupTuple {
    /// The target group.
    pub target_group_arn: String,
    /// Its weight.
    pub weight: Option<u32>,
}

/// A listener or rule action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Action {
    /// `forward`, `redirect`, `fixed-response`, …
    #[serde(rename = "Type")]
    pub action_type: String,
    /// Order among the actions.
    pub order: Option<u32>,
    /// The single target group of a simple forward.
    pub target_group_arn: Option<String>,
    /// The target groups of a weighted forward.
    #[serde(default)]
    pub forward_target_groups: Vec<TargetGroupTuple>,
    /// Other settings (redirect, fixed response), kept as given.
    #[serde(default)]
    pub config: Option<serde_json::Value>,
}

impl Action {
    /// Every target group this action forwards to.
    pub fn target_group_arns(&self) -> Vec<&str> {
        let mut arns: Vec<&str> = self.target_group_arn.iter().map(String::as_str).collect();
        for t in &self.forward_target_groups {
            if !arns.contains(&t.target_group_arn.as_str()) {
                arns.push(&t.target_group_arn);
            }
        }
        arns
    }
}

/// A listener.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Listener {
    /// `…:listener/app/LB/16hex/16hex`.
    pub listener_arn: String,
    /// Its load balancer.
    pub load_balancer_arn: String,
    /// The port it listens on.
    pub port: u16,
    /// `HTTP`, `HTTPS`, `TCP`, …
    pub protocol: String,
    /// What it does when no rule matches.
    pub default_actions: Vec<Action>,
    /// The ACM certificates of an HTTPS listener (the first is its default).
    #[serde(default)]
    pub certificates: Vec<String>,
    /// Its security policy (HTTPS only).
    #[serde(default)]
    pub ssl_policy: Option<String>,
}

/// A listener rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListenerRule {
    /// `…:listener-rule/app/LB/16hex/16hex/16hex`.
    pub rule_arn: String,
    /// Its listener.
    pub listener_arn: String,
    /// Priority (1..=50000).
    pub priority: u32,
    /// Conditions, kept as given.
    pub conditions: Vec<serde_json::Value>,
    /// Its actions.
    pub actions: Vec<Action>,
}
