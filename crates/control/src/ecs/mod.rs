//! The ECS controller (being written).

use crate::clock::Wake;
use account::{Account, Service};

/// An ECS API error: its type and AWS's text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("An error occurred ({code}): {message}")]
pub struct EcsError {
    /// e.g. `InvalidParameterException`, `ClientException`, `ServiceNotFoundException`.
    pub code: String,
    /// AWS's text.
    pub message: String,
}

/// Does the ECS work due now; returns when it next has work.
pub fn reconcile(_account: &mut Account) -> Wake {
    None
}

/// DeleteService (with `force`, an active service with tasks may be deleted).
pub fn delete_service(account: &mut Account, cluster: &str, service: &str, _force: bool) -> Result<Service, EcsError> {
    let arn = account.service(cluster, service).map(|s| s.service_arn.clone()).ok_or_else(|| EcsError {
        code: "ServiceNotFoundException".into(),
        message: "Service not found.".into(),
    })?;
    let s = account.services.get_mut(&arn).ok_or_else(|| EcsError { code: "ServiceNotFoundException".into(), message: "Service not found.".into() })?;
    s.desired_count = 0;
    s.status = "DRAINING".into();
    Ok(s.clone())
}

/// True when the service is steady: one deployment, running = desired.
pub fn service_is_steady(account: &Account, service_arn: &str) -> bool {
    account.services.get(service_arn).is_some_and(|s| s.deployments.len() == 1 && s.running_count == s.desired_count && s.pending_count == 0)
}
