//! Applies a [`Wiring`] to the kernel and removes it again.
//!
//! [`Kernel`] remembers what it applied and changes only the difference on the
//! next [`Kernel::apply`]: new ENIs get a namespace and a veth, gone ones lose
//! theirs, routes and policy rules are added and deleted line by line, and a
//! changed nftables table is swapped whole. Teardown (and the sweep at start)
//! collects every error and keeps going, so one stuck namespace never leaves
//! the others behind.

mod cmd;
mod objects;

pub use cmd::CmdError;

use crate::names::Scope;
use crate::wiring::{Counts, EniNs, GatewayEndpoint, Igw, Router, Wiring};
use std::collections::BTreeMap;

/// A data plane failure.
#[derive(Debug, thiserror::Error)]
pub enum DataplaneError {
    /// A command failed.
    #[error(transparent)]
    Command(#[from] CmdError),
    /// Several things failed (teardown keeps going and reports them all).
    #[error("{} step(s) failed:\n{}", .0.len(), .0.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
    Many(Vec<CmdError>),
}

/// What one [`Kernel::apply`] changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// ENI namespaces created.
    pub created: Vec<String>,
    /// ENI namespaces removed.
    pub removed: Vec<String>,
    /// Other objects updated (routers, gateways, gateway endpoints, the internet).
    pub updated: Vec<String>,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.created.is_empty() && self.removed.is_empty() && self.updated.is_empty()
    }
}

/// The kernel side of one data plane: what it applied so far.
#[derive(Debug)]
pub struct Kernel {
    scope: Scope,
    routers: BTreeMap<String, Router>,
    enis: BTreeMap<String, EniNs>,
    igws: BTreeMap<String, Igw>,
    gateway_endpoints: BTreeMap<String, GatewayEndpoint>,
    internet: Option<crate::wiring::Internet>,
}

impl Kernel {
    /// A kernel side that has applied nothing yet (call [`sweep`] first).
    pub fn new(scope: Scope) -> Kernel {
        Kernel {
            scope,
            routers: BTreeMap::new(),
            enis: BTreeMap::new(),
            igws: BTreeMap::new(),
            gateway_endpoints: BTreeMap::new(),
            internet: None,
        }
    }

    /// Its scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Makes the kernel hold `w`, changing only what differs from the last call.
    /// On error, what failed is forgotten, so the next call tries it again.
    pub fn apply(&mut self, w: &Wiring) -> Result<Changes, DataplaneError> {
        let mut changes = Changes::default();
        let mut errors = Vec::new();
        objects::apply_all(self, w, &mut changes, &mut errors);
        if errors.is_empty() {
            Ok(changes)
        } else {
            Err(DataplaneError::Many(errors))
        }
    }

    /// Removes everything of the scope (also what an earlier process left).
    pub fn teardown(&mut self) -> Result<Vec<String>, DataplaneError> {
        self.routers.clear();
        self.enis.clear();
        self.igws.clear();
        self.gateway_endpoints.clear();
        self.internet = None;
        sweep(&self.scope)
    }
}

/// Removes every namespace of `scope` and the processes in them; returns the
/// names removed. Keeps going past failures and reports them all.
pub fn sweep(scope: &Scope) -> Result<Vec<String>, DataplaneError> {
    let all = cmd::namespaces()?;
    let mine: Vec<String> = all.into_iter().filter(|n| scope.owns(n)).collect();
    let mut errors = Vec::new();
    for ns in &mine {
        if let Err(e) = objects::delete_ns(ns) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(mine)
    } else {
        Err(DataplaneError::Many(errors))
    }
}

/// The namespaces of `scope` that exist now.
pub fn existing(scope: &Scope) -> Result<Vec<String>, DataplaneError> {
    Ok(cmd::namespaces()?.into_iter().filter(|n| scope.owns(n)).collect())
}

/// What the security group rules of `scope`'s VPC routers have matched so
/// far, by rule ID (`sgr-…`), summed over the routers. A router that cannot
/// be read (gone between listing and reading) is left out, not an error.
pub fn rule_counts(scope: &Scope) -> Result<Counts, DataplaneError> {
    let mut out = Counts::new();
    let routers =
        existing(scope)?.into_iter().filter(|n| n.strip_prefix(scope.prefix()).is_some_and(|r| r.starts_with("vpc-")));
    for ns in routers {
        for (id, c) in cmd::nft_counts(&ns).unwrap_or_default() {
            let e = out.entry(id).or_default();
            e.packets += c.packets;
            e.bytes += c.bytes;
        }
    }
    Ok(out)
}

/// Runs `nft` or `ip` text in a namespace: for tests and tools that need a
/// look inside (`ip -n NS …` arguments).
pub fn ip_in(ns: &str, args: &[&str]) -> Result<String, DataplaneError> {
    let mut all = vec!["-n", ns];
    all.extend_from_slice(args);
    Ok(cmd::run("ip", &all, None)?)
}
