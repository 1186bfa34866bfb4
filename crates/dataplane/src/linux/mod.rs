//! Applies a [`Wiring`] to the kernel and removes it again.
//!
//! [`Kernel`] remembers what it applied and changes only the difference on the
//! next [`Kernel::apply`]: new ENIs get a namespace and a veth, gone ones lose
//! theirs, routes and policy rules are added and deleted one by one, and a
//! changed nftables table is changed by difference (its elements, the
//! chains that changed). The changes reach the kernel through a
//! [`driver::Driver`]: in process by default (netlink, setns, libnftables),
//! or with the `ip` and `nft` programs (the first path, kept for the
//! benchmark). Teardown (and the sweep at start) collects every error and
//! keeps going, so one stuck namespace never leaves the others behind.

mod cmd;
pub mod driver;
mod inproc;
pub mod netlink;
mod netns;
mod nfnl;
mod nftlib;
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
    driver: Box<dyn driver::Driver>,
    routers: BTreeMap<String, Router>,
    enis: BTreeMap<String, EniNs>,
    igws: BTreeMap<String, Igw>,
    gateway_endpoints: BTreeMap<String, GatewayEndpoint>,
    internet: Option<crate::wiring::Internet>,
}

impl Kernel {
    /// A kernel side that has applied nothing yet (call [`sweep`] first),
    /// changing the kernel from inside this process.
    pub fn new(scope: Scope) -> Kernel {
        Kernel::with_driver(scope, Box::new(driver::InProcess::new()))
    }

    /// The same, changing the kernel through `driver` ([`driver::Commands`]: the `ip` and `nft` programs).
    pub fn with_driver(scope: Scope, driver: Box<dyn driver::Driver>) -> Kernel {
        Kernel {
            scope,
            driver,
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
        let mine = existing(&self.scope)?;
        let results = self.driver.delete(&mine);
        removed(mine, results)
    }
}

/// The names removed, or every failure among `results` (one per name).
fn removed(names: Vec<String>, results: Vec<Result<(), CmdError>>) -> Result<Vec<String>, DataplaneError> {
    let errors: Vec<CmdError> = results.into_iter().filter_map(Result::err).collect();
    if errors.is_empty() {
        Ok(names)
    } else {
        Err(DataplaneError::Many(errors))
    }
}

/// Removes every namespace of `scope` and the processes in them; returns the
/// names removed. Keeps going past failures and reports them all.
pub fn sweep(scope: &Scope) -> Result<Vec<String>, DataplaneError> {
    let mine = existing(scope)?;
    let results = netns::delete(&mine);
    removed(mine, results)
}

/// The namespaces of `scope` that exist now.
pub fn existing(scope: &Scope) -> Result<Vec<String>, DataplaneError> {
    Ok(netns::list()?.into_iter().filter(|n| scope.owns(n)).collect())
}

/// What the security group rules of `scope`'s VPC routers have matched so
/// far, by rule ID (`sgr-…`), summed over the routers. A router that cannot
/// be read (gone between listing and reading) is left out, not an error.
pub fn rule_counts(scope: &Scope) -> Result<Counts, DataplaneError> {
    let mut out = Counts::new();
    let routers =
        existing(scope)?.into_iter().filter(|n| n.strip_prefix(scope.prefix()).is_some_and(|r| r.starts_with("vpc-")));
    for ns in routers {
        for (id, c) in nft_counts(&ns).unwrap_or_default() {
            let e = out.entry(id).or_default();
            e.packets += c.packets;
            e.bytes += c.bytes;
        }
    }
    Ok(out)
}

/// The rules' counts in a namespace's table (`nft -j list counters table ip tn`), read in process.
fn nft_counts(ns: &str) -> Result<crate::wiring::nft::Counts, CmdError> {
    let json = netns::enter(ns, || match nftlib::Ctx::here() {
        Some(Ok(mut ctx)) => ctx
            .list_json("list counters table ip tn")
            .map_err(|words| CmdError { command: format!("nft -j list counters (in {ns})"), stderr: words }),
        // No library: the program, from this thread, which is in the namespace.
        _ => cmd::run("nft", &["-j", "list", "counters", "table", "ip", "tn"], None),
    })?;
    Ok(crate::wiring::nft::counts_of_json(&json))
}

/// Runs `nft` or `ip` text in a namespace: for tests and tools that need a
/// look inside (`ip -n NS …` arguments).
pub fn ip_in(ns: &str, args: &[&str]) -> Result<String, DataplaneError> {
    let mut all = vec!["-n", ns];
    all.extend_from_slice(args);
    Ok(cmd::run("ip", &all, None)?)
}
