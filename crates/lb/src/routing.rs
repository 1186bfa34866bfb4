//! Which rule answers a request, and which target gets it.
//!
//! AWS doc: "Listener rules for your Application Load Balancer" (rules by
//! ascending priority, the default action last), "Target groups for your
//! Application Load Balancers" (round robin is the default algorithm;
//! weighted forward actions), "Health checks for Application Load Balancer
//! target groups" (fail-open; "Your target is not in service until it passes
//! one health check", quoted in "Troubleshoot your Application Load
//! Balancers").

use crate::actions::{FixedResponse, Redirect, RouteAction, WeightedGroup};
use crate::conditions::RequestInfo;
use crate::config::{LbConfig, TargetConfig, TargetState};
use crate::errors::AlbError;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddrV4;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

/// The targets that may receive new requests: the healthy ones; when none
/// is healthy, the unhealthy ones (fail-open, facts: "if every registered
/// target is unhealthy, the load balancer routes to all of them").
///
/// Never routed to: draining targets (deregistration in progress), `unused`
/// and `unavailable` ones, and `initial` ones (not in service until they
/// pass a health check). inferred: `initial` targets do not prevent
/// fail-open to the unhealthy ones beside them, so a group of only
/// `initial` targets answers 503.
pub fn routable_targets(targets: &[TargetConfig]) -> Vec<SocketAddrV4> {
    let pick = |state: TargetState| -> Vec<SocketAddrV4> {
        targets.iter().filter(|t| t.state == state).map(|t| SocketAddrV4::new(t.ip, t.port)).collect()
    };
    let healthy = pick(TargetState::Healthy);
    if healthy.is_empty() {
        pick(TargetState::Unhealthy)
    } else {
        healthy
    }
}

/// A target group ready for routing.
#[derive(Debug)]
struct GroupState {
    routable: Vec<SocketAddrV4>,
    /// Shared with earlier and later snapshots so the rotation goes on
    /// across configuration updates.
    next: Arc<AtomicUsize>,
}

/// What to do with one request.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decision<'a> {
    /// Send it to this target.
    Forward(SocketAddrV4),
    /// Answer with one of the load balancer's own errors.
    Error(AlbError),
    /// Answer with a fixed response.
    Fixed(&'a FixedResponse),
    /// Answer with a redirect.
    Redirect(&'a Redirect),
}

/// A configuration prepared for routing.
#[derive(Debug)]
pub(crate) struct Snapshot {
    pub(crate) config: LbConfig,
    groups: Vec<GroupState>,
    /// Drives the choice among weighted groups.
    draws: AtomicU64,
}

impl Snapshot {
    /// Prepares `config`, taking each group's round-robin position from
    /// `positions` (by ARN) and leaving there only the groups it has.
    pub(crate) fn new(config: LbConfig, positions: &mut HashMap<String, Arc<AtomicUsize>>) -> Snapshot {
        let mut kept = HashMap::with_capacity(config.target_groups.len());
        let groups = config
            .target_groups
            .iter()
            .map(|g| {
                let next = positions.get(&g.arn).cloned().unwrap_or_default();
                kept.insert(g.arn.clone(), next.clone());
                GroupState { routable: routable_targets(&g.targets), next }
            })
            .collect();
        *positions = kept;
        Snapshot { config, groups, draws: AtomicU64::new(0) }
    }

    /// Every target that is registered and not draining: those worth
    /// keeping idle connections to.
    pub(crate) fn live_targets(&self) -> HashSet<SocketAddrV4> {
        self.config
            .target_groups
            .iter()
            .flat_map(|g| g.targets.iter())
            .filter(|t| !t.state.is_draining())
            .map(|t| SocketAddrV4::new(t.ip, t.port))
            .collect()
    }

    /// Decides what the listener on `port` does with `req`.
    pub(crate) fn decide(&self, port: u16, req: &RequestInfo<'_>) -> Decision<'_> {
        // inferred: a port without an HTTP listener answers 503.
        let Some(listener) = self.config.listener(port) else {
            return Decision::Error(AlbError::ServiceUnavailable);
        };
        let action = listener
            .rules
            .iter()
            .find(|r| r.conditions.iter().all(|c| c.matches(req)))
            .map_or(&listener.default_action, |r| &r.action);
        match action {
            RouteAction::Forward(groups) => match self.pick_group(groups).and_then(|g| self.pick_target(g)) {
                Some(addr) => Decision::Forward(addr),
                None => Decision::Error(AlbError::ServiceUnavailable),
            },
            RouteAction::FixedResponse(f) => Decision::Fixed(f),
            RouteAction::Redirect(r) => Decision::Redirect(r),
            RouteAction::Unusable { .. } => Decision::Error(AlbError::ServiceUnavailable),
        }
    }

    /// A group by weight; `None` when every weight is 0 or there is none.
    fn pick_group(&self, groups: &[WeightedGroup]) -> Option<usize> {
        if let [only] = groups {
            return (only.weight > 0).then_some(only.target_group);
        }
        let total: u64 = groups.iter().map(|g| u64::from(g.weight)).sum();
        if total == 0 {
            return None;
        }
        // A well-mixed sequence, so that shares follow the weights even
        // when several rules draw from the same counter.
        let mut x = self.draws.fetch_add(1, Ordering::Relaxed).wrapping_add(0x9E37_79B9_7F4A_7C15);
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^= x >> 31;
        let mut point = x % total;
        for g in groups {
            let w = u64::from(g.weight);
            if point < w {
                return Some(g.target_group);
            }
            point -= w;
        }
        None
    }

    /// The group's next target in rotation; `None` when it has none
    /// (inferred: a group picked by weight that has no targets answers
    /// 503 rather than passing the request to another group).
    fn pick_target(&self, group: usize) -> Option<SocketAddrV4> {
        let g = self.groups.get(group)?;
        if g.routable.is_empty() {
            return None;
        }
        let n = g.next.fetch_add(1, Ordering::Relaxed);
        g.routable.get(n % g.routable.len()).copied()
    }
}

#[cfg(test)]
mod tests;
