//! How changes reach the kernel, behind one trait: [`InProcess`] (netlink
//! and libnftables from inside tasknet, nftables changed by difference) and
//! [`Commands`] (the first path: `ip -batch` and `nft -f` processes, tables
//! swapped whole), kept so the wiring bench can measure one beside the other.

pub use super::inproc::InProcess;

use super::cmd::{self, CmdError};
use super::netlink::Verb;
use crate::wiring::nft::{self, Table};
use crate::wiring::route::{Route, Rule};
use std::net::Ipv4Addr;

/// One change inside a namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Sets a link up.
    LinkUp(String),
    /// Deletes a link.
    LinkDel(String),
    /// Adds, replaces or deletes an address on a link.
    Addr {
        /// What to do.
        verb: Verb,
        /// The link.
        dev: String,
        /// The address.
        addr: Ipv4Addr,
        /// Its prefix length.
        prefix: u8,
    },
    /// Adds, replaces or deletes a route.
    Route(Verb, Route),
    /// Adds or deletes a policy rule.
    Rule(Verb, Rule),
    /// Makes the namespace answer proxy ARP on a link at once. The kernel
    /// otherwise queues a proxy reply to a broadcast request for a random
    /// time up to `proxy_delay` (0.8 s), so the first packet between two ENIs
    /// of a subnet stalls for up to 0.8 s; a VPC answers at once.
    NoProxyDelay(String),
}

impl Op {
    /// The `ip -batch` line doing the same.
    pub fn ip_line(&self) -> String {
        match self {
            Op::LinkUp(d) => format!("link set {d} up"),
            Op::LinkDel(d) => format!("link del {d}"),
            Op::Addr { verb, dev, addr, prefix } => format!("addr {} {addr}/{prefix} dev {dev}", verb.word()),
            Op::Route(v, r) => format!("route {} {r}", v.word()),
            Op::Rule(Verb::Del, r) => format!("rule del {r}"),
            Op::Rule(_, r) => format!("rule add {r}"),
            // (A namespace has no `neigh/default` sysctl to set, so it is set per interface.)
            Op::NoProxyDelay(d) => format!("ntable change name arp_cache dev {d} proxy_delay 0"),
        }
    }
}

/// A veth made from inside a new namespace: `name` there, `peer` in `peer_ns`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Veth {
    /// Its name in the new namespace.
    pub name: String,
    /// Its MAC address there, if set.
    pub mac: Option<String>,
    /// The other end's name.
    pub peer: String,
    /// The (existing) namespace of the other end.
    pub peer_ns: String,
}

/// A namespace to create and what it holds: veths to existing namespaces,
/// then sysctls (which may name the veths), then changes inside, then a ruleset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NsSpec {
    /// Its name.
    pub ns: String,
    /// Veths from it to other namespaces.
    pub veths: Vec<Veth>,
    /// Sysctls (`key=value`).
    pub sysctls: Vec<&'static str>,
    /// Then, inside it.
    pub ops: Vec<Op>,
    /// Then, its nftables text.
    pub nft: Option<String>,
}

/// Applies changes to the kernel.
pub trait Driver: Send + std::fmt::Debug {
    /// Creates namespaces as specified (their names must be free), each result
    /// in order; a failed one may be left half made, for the caller to delete.
    fn create(&mut self, specs: &[NsSpec]) -> Vec<Result<(), CmdError>>;
    /// Applies changes inside a namespace.
    fn ops(&mut self, ns: &str, ops: &[Op]) -> Result<(), CmdError>;
    /// Loads an `nft -f` text in a namespace.
    fn nft(&mut self, ns: &str, text: &str) -> Result<(), CmdError>;
    /// Turns table `old` (applied) into `new`, keeping counters both hold;
    /// called only when they differ.
    fn nft_table(&mut self, ns: &str, old: &Table, new: &Table) -> Result<(), CmdError>;
    /// Deletes namespaces and what runs in them; one result per name, in order.
    fn delete(&mut self, names: &[String]) -> Vec<Result<(), CmdError>>;
}

/// The first path: a process per batch.
#[derive(Debug, Default)]
pub struct Commands;

impl Driver for Commands {
    fn create(&mut self, specs: &[NsSpec]) -> Vec<Result<(), CmdError>> {
        let mut root = Vec::new();
        for s in specs {
            root.push(format!("netns add {}", s.ns));
            for v in &s.veths {
                let mac = v.mac.as_ref().map(|m| format!(" address {m}")).unwrap_or_default();
                root.push(format!(
                    "link add {} netns {}{mac} type veth peer name {} netns {}",
                    v.name, s.ns, v.peer, v.peer_ns
                ));
            }
        }
        if let Err(e) = cmd::ip_batch(None, &root) {
            return specs.iter().map(|_| Err(e.clone())).collect();
        }
        specs
            .iter()
            .map(|s| {
                if !s.sysctls.is_empty() {
                    cmd::sysctl(&s.ns, &s.sysctls)?;
                }
                self.ops(&s.ns, &s.ops)?;
                match &s.nft {
                    Some(text) => cmd::nft(&s.ns, text),
                    None => Ok(()),
                }
            })
            .collect()
    }

    fn ops(&mut self, ns: &str, ops: &[Op]) -> Result<(), CmdError> {
        cmd::ip_batch(Some(ns), &ops.iter().map(Op::ip_line).collect::<Vec<_>>())
    }

    fn nft(&mut self, ns: &str, text: &str) -> Result<(), CmdError> {
        cmd::nft(ns, text)
    }

    fn nft_table(&mut self, ns: &str, old: &Table, new: &Table) -> Result<(), CmdError> {
        let old = if *old == Table::default() { String::new() } else { old.render() };
        cmd::nft(ns, &nft::swap(&old, &new.render()))
    }

    fn delete(&mut self, names: &[String]) -> Vec<Result<(), CmdError>> {
        names
            .iter()
            .map(|ns| {
                for pid in cmd::pids(ns) {
                    let _ = std::process::Command::new("kill").args(["-KILL", &pid.to_string()]).status();
                }
                cmd::run("ip", &["netns", "del", ns], None).map(|_| ())
            })
            .collect()
    }
}
