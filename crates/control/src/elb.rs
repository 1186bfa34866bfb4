//! ELBv2 target registration and health (being written).

use crate::clock::Wake;
use account::{Account, TargetDescription, TargetHealth, TargetHealthDescription};

/// An ELBv2 API error: its code and AWS's text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("An error occurred ({code}): {message}")]
pub struct ElbError {
    /// e.g. `TargetGroupNotFound`, `InvalidTarget`, `ValidationError`.
    pub code: String,
    /// AWS's text.
    pub message: String,
}

/// Does the ELB work due now; returns when it next has work.
pub fn reconcile(_account: &mut Account) -> Wake {
    None
}

/// RegisterTargets.
pub fn register_targets(account: &mut Account, target_group_arn: &str, targets: &[TargetDescription]) -> Result<(), ElbError> {
    let now = account.clock_ms;
    let tg = account.target_groups.get_mut(target_group_arn).ok_or_else(|| ElbError {
        code: "TargetGroupNotFound".into(),
        message: format!("Target groups '{target_group_arn}' not found"),
    })?;
    for t in targets {
        if !tg.targets.iter().any(|x| x.target.id == t.id && x.target.port == t.port) {
            tg.targets.push(TargetHealthDescription {
                target: t.clone(),
                health_check_port: t.port.to_string(),
                target_health: TargetHealth { state: "initial".into(), reason: Some("Elb.RegistrationInProgress".into()), description: Some("Target registration is in progress".into()) },
                registered_at: now,
                next_transition_at: None,
                check_streak: 0,
            });
        }
    }
    Ok(())
}

/// DeregisterTargets.
pub fn deregister_targets(account: &mut Account, target_group_arn: &str, targets: &[TargetDescription]) -> Result<(), ElbError> {
    let tg = account.target_groups.get_mut(target_group_arn).ok_or_else(|| ElbError {
        code: "TargetGroupNotFound".into(),
        message: format!("Target groups '{target_group_arn}' not found"),
    })?;
    tg.targets.retain(|x| !targets.iter().any(|t| t.id == x.target.id && t.port == x.target.port));
    Ok(())
}
