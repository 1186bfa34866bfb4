//! ModifyTargetGroup, ModifyTargetGroupAttributes, SetSecurityGroups,
//! ModifyListener, ModifyRule and SetRulePriorities: ELBv2's in-place
//! changes, which CloudFormation's updates call like any other door.
//!
//! AWS doc: the actions of the same names (Elastic Load Balancing API Reference).

use super::create::{link_target_groups, unknown_target_groups, HealthCheckSettings};
use super::{ElbError, ElbField};
use account::{Account, Action, EniOwner, Listener, ListenerRule, LoadBalancer, TargetGroup};

/// ModifyTargetGroup: new health check settings (absent members stay).
pub fn modify_target_group(
    account: &mut Account,
    target_group_arn: &str,
    settings: &HealthCheckSettings,
) -> Result<TargetGroup, ElbError> {
    let tg = account.target_groups.get_mut(target_group_arn).ok_or_else(ElbError::target_group_not_found)?;
    tg.health_check = settings.over(tg.health_check.clone());
    Ok(tg.clone())
}

/// ModifyTargetGroupAttributes for `deregistration_delay.timeout_seconds`.
pub fn modify_deregistration_delay(
    account: &mut Account,
    target_group_arn: &str,
    seconds: u32,
) -> Result<TargetGroup, ElbError> {
    let tg = account.target_groups.get_mut(target_group_arn).ok_or_else(ElbError::target_group_not_found)?;
    tg.deregistration_delay_seconds = seconds;
    Ok(tg.clone())
}

/// `LoadBalancerNotFound` (botocore's model; the text is inferred from TargetGroupNotFound's).
pub fn load_balancer_not_found() -> ElbError {
    ElbError::new("LoadBalancerNotFound", "One or more load balancers not found")
}

/// `ListenerNotFound`, as DeleteListener answers it.
pub fn listener_not_found() -> ElbError {
    let e = account::delete_services::listener_not_found();
    ElbError::new(&e.code, e.message)
}

/// SetSecurityGroups: the balancer's groups, which its node ENIs carry too.
pub fn set_security_groups(
    account: &mut Account,
    load_balancer_arn: &str,
    groups: &[String],
) -> Result<LoadBalancer, ElbError> {
    let lb = account.load_balancers.get_mut(load_balancer_arn).ok_or_else(load_balancer_not_found)?;
    lb.security_groups = groups.to_vec();
    let lb = lb.clone();
    let owner = EniOwner::LoadBalancer { load_balancer_arn: load_balancer_arn.to_string() };
    for eni in account.network_interfaces.values_mut().filter(|e| e.owner == owner) {
        eni.groups = groups.to_vec();
    }
    Ok(lb)
}

/// ModifyListener's parameters (absent members stay).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModifyListenerRequest {
    /// The listener.
    pub listener_arn: String,
    /// A new port.
    pub port: Option<u16>,
    /// A new protocol.
    pub protocol: Option<String>,
    /// New default actions.
    pub default_actions: Option<Vec<Action>>,
}

/// ModifyListener: the listener's new settings; target groups its new
/// actions forward to are linked to its balancer.
pub fn modify_listener(account: &mut Account, req: &ModifyListenerRequest) -> Result<Listener, ElbError> {
    let lb = account.listener(&req.listener_arn).ok_or_else(listener_not_found)?.load_balancer_arn.clone();
    if let Some(actions) = &req.default_actions {
        if let Some(e) = unknown_target_groups(account, actions).into_iter().next() {
            return Err(e);
        }
        link_target_groups(account, &lb, actions);
    }
    let l = account.listeners.get_mut(&req.listener_arn).ok_or_else(listener_not_found)?;
    if let Some(port) = req.port {
        l.port = port;
    }
    if let Some(protocol) = &req.protocol {
        l.protocol = protocol.clone();
    }
    if let Some(actions) = &req.default_actions {
        l.default_actions = actions.clone();
    }
    Ok(l.clone())
}

/// `RuleNotFound`, as DeleteRule answers it.
fn rule_not_found() -> ElbError {
    let e = account::delete_services::rule_not_found();
    ElbError::new(&e.code, e.message)
}

/// ModifyRule (conditions and actions) and SetRulePriorities in one: what
/// an in-place update of a listener rule asks of ELBv2.
pub fn modify_rule(
    account: &mut Account,
    rule_arn: &str,
    priority: u32,
    conditions: Vec<serde_json::Value>,
    actions: Vec<Action>,
) -> Result<ListenerRule, ElbError> {
    let listener = account.listener_rule(rule_arn).ok_or_else(rule_not_found)?.listener_arn.clone();
    if let Some(e) = unknown_target_groups(account, &actions).into_iter().next() {
        return Err(e.at(ElbField::ActionTargetGroup(0)));
    }
    if let Some(lb) = account.listener(&listener).map(|l| l.load_balancer_arn.clone()) {
        link_target_groups(account, &lb, &actions);
    }
    let rule = account.listener_rules.get_mut(rule_arn).ok_or_else(rule_not_found)?;
    rule.priority = priority;
    rule.conditions = conditions;
    rule.actions = actions;
    Ok(rule.clone())
}
