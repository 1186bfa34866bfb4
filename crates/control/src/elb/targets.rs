//! RegisterTargets and DeregisterTargets.
//!
//! AWS doc: "RegisterTargets", "DeregisterTargets"
//! (Elastic Load Balancing API Reference), "Register targets with your
//! target group" (IP targets: the VPC's subnets, RFC 1918 or 100.64.0.0/10),
//! "Deregistration delay".

use super::health::{registration_started, state, REGISTRATION_MS};
use super::ElbError;
use account::{Account, Ipv4Cidr, TargetDescription, TargetGroup, TargetHealthDescription};
use std::net::Ipv4Addr;

/// The target group, or TargetGroupNotFound.
fn group<'a>(account: &'a Account, arn: &str) -> Result<&'a TargetGroup, ElbError> {
    account.target_groups.get(arn).ok_or_else(ElbError::target_group_not_found)
}

/// The port a target means: its own, or the target group's when it gives none.
fn port_of(tg: &TargetGroup, t: &TargetDescription) -> u16 {
    if t.port == 0 {
        tg.port.unwrap_or(0)
    } else {
        t.port
    }
}

/// True for the private ranges IP targets may use.
fn private_range(ip: Ipv4Addr) -> bool {
    let cidrs = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];
    cidrs.iter().filter_map(|c| Ipv4Cidr::parse(c).ok()).any(|c| c.contains_addr(ip))
}

/// Checks one target against the target group's type and VPC.
fn check_target(account: &Account, tg: &TargetGroup, t: &TargetDescription) -> Result<(), ElbError> {
    match tg.target_type.as_str() {
        "instance" => {
            let inst = account.instances.get(&t.id).ok_or_else(ElbError::no_such_target)?;
            if tg.vpc_id.as_deref().is_some_and(|v| v != inst.vpc_id) {
                return Err(ElbError::no_such_target());
            }
            if inst.state != account::InstanceState::Running {
                // Seen.
                return Err(ElbError::invalid_target(format!(
                    "The following targets are not in a running state and cannot be registered: '{}'",
                    t.id
                )));
            }
            Ok(())
        }
        "ip" => {
            let ip: Ipv4Addr = t.id.parse().map_err(|_| ElbError::no_such_target())?;
            if !private_range(ip) {
                return Err(ElbError::no_such_target());
            }
            let in_vpc =
                tg.vpc_id.as_ref().and_then(|v| account.vpcs.get(v)).is_some_and(|v| v.cidr_block.contains_addr(ip));
            if !in_vpc && t.availability_zone.is_none() {
                // Seen text; the ValidationError code is inferred.
                return Err(ElbError::validation(format!(
                    "The Availability Zone is required for IP address '{ip}' because it is not in the VPC"
                )));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// RegisterTargets: new targets start `initial` (`Elb.RegistrationInProgress`);
/// a target still draining is registered again; one already registered is left as it is.
pub fn register_targets(
    account: &mut Account,
    target_group_arn: &str,
    targets: &[TargetDescription],
) -> Result<(), ElbError> {
    let tg = group(account, target_group_arn)?;
    for t in targets {
        check_target(account, tg, t)?;
    }
    let now = account.clock_ms;
    let resolved: Vec<TargetDescription> =
        targets.iter().map(|t| TargetDescription { port: port_of(tg, t), ..t.clone() }).collect();
    let Some(tg) = account.target_groups.get_mut(target_group_arn) else {
        return Err(ElbError::target_group_not_found());
    };
    for t in resolved {
        match tg.targets.iter_mut().find(|x| x.target.id == t.id && x.target.port == t.port) {
            Some(existing) if existing.target_health.state == account::TargetHealthState::Draining => {
                registration_started(existing, now)
            }
            Some(_) => {}
            None => {
                let mut d = TargetHealthDescription {
                    health_check_port: if tg.health_check.health_check_port == "traffic-port" {
                        t.port.to_string()
                    } else {
                        tg.health_check.health_check_port.clone()
                    },
                    target: t,
                    target_health: state(account::TargetHealthState::Initial, None, None),
                    registered_at: now,
                    next_transition_at: Some(now + REGISTRATION_MS),
                    check_streak: 0,
                    check_outcome: None,
                };
                registration_started(&mut d, now);
                tg.targets.push(d);
            }
        }
    }
    Ok(())
}

/// DeregisterTargets: registered targets turn `draining`
/// (`Target.DeregistrationInProgress`) for the group's deregistration delay,
/// then are removed; with a delay of 0 they go at once. Targets that are not
/// registered are ignored (inferred: the call is idempotent).
pub fn deregister_targets(
    account: &mut Account,
    target_group_arn: &str,
    targets: &[TargetDescription],
) -> Result<(), ElbError> {
    let now = account.clock_ms;
    let tg = account.target_groups.get_mut(target_group_arn).ok_or_else(ElbError::target_group_not_found)?;
    let delay = u64::from(tg.deregistration_delay_seconds) * 1000;
    let wanted: Vec<(String, u16)> = targets.iter().map(|t| (t.id.clone(), port_of(tg, t))).collect();
    if delay == 0 {
        tg.targets.retain(|x| !wanted.iter().any(|(id, p)| *id == x.target.id && *p == x.target.port));
        return Ok(());
    }
    for x in tg.targets.iter_mut().filter(|x| x.target_health.state != account::TargetHealthState::Draining) {
        if wanted.iter().any(|(id, p)| *id == x.target.id && *p == x.target.port) {
            x.target_health = state(
                account::TargetHealthState::Draining,
                Some("Target.DeregistrationInProgress"),
                Some("Target deregistration is in progress"),
            );
            x.next_transition_at = Some(now + delay);
        }
    }
    Ok(())
}
