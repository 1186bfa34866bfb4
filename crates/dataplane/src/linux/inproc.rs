//! The in-process driver: namespaces made and entered on threads of our
//! own, links, addresses, routes and rules over rtnetlink in batches,
//! nftables through libnftables, tables changed by difference.

use super::cmd::{self, CmdError};
use super::driver::{Driver, NsSpec, Op};
use super::netlink::{self, Request, Rtnl, Verb};
use super::{netns, nfnl::Nfnl, nftlib};
use crate::wiring::nft::{self, Table};
use crate::wiring::route::Hop;
use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd};

/// Netlink, setns and libnftables; sockets of long-lived namespaces (routers,
/// gateways, the internet) kept open, an ENI's opened when needed.
#[derive(Debug, Default)]
pub struct InProcess {
    sockets: HashMap<String, Rtnl>,
    nft: HashMap<String, nftlib::Ctx>,
    nfnl: HashMap<String, Nfnl>,
}

impl InProcess {
    /// A driver with no sockets open yet.
    pub fn new() -> InProcess {
        InProcess::default()
    }

    /// Runs `f` with a socket of `ns`: a kept one, or one opened for the call.
    fn with_socket<T>(&mut self, ns: &str, f: impl FnOnce(&mut Rtnl) -> Result<T, CmdError>) -> Result<T, CmdError> {
        if let Some(s) = self.sockets.get_mut(ns) {
            return f(s);
        }
        let mut s = netns::enter(ns, || Rtnl::open(ns))?;
        let out = f(&mut s);
        if keeps_socket(ns) {
            self.sockets.insert(ns.to_string(), s);
        }
        out
    }
}

/// Whether a namespace is long-lived enough to keep its socket: thousands
/// of ENIs must not hold thousands of descriptors.
fn keeps_socket(ns: &str) -> bool {
    !ns.contains("-eni-")
}

/// The requests for `ops`, looking interface indexes up on `nl`.
fn requests(nl: &mut Rtnl, ops: &[Op]) -> Result<Vec<Request>, CmdError> {
    nl.forget();
    let mut out = Vec::with_capacity(ops.len());
    for op in ops {
        match op {
            Op::LinkUp(d) => out.push(netlink::link_up(d)),
            Op::LinkDel(d) => out.push(netlink::link_del(d)),
            Op::Addr { verb, dev, addr, prefix } => {
                let index = if dev == "lo" { netlink::LO } else { nl.index(dev)? };
                out.push(netlink::addr(*verb, index, *addr, *prefix));
            }
            Op::Route(verb, r) => {
                let oif = match &r.hop {
                    Hop::Dev(d) | Hop::Via { dev: d, .. } => match nl.index(d) {
                        Ok(i) => Some(i),
                        // Deleting a route whose link is gone: the kernel took the route with it.
                        Err(_) if *verb == Verb::Del => continue,
                        Err(e) => return Err(e),
                    },
                    Hop::Blackhole => None,
                };
                out.push(netlink::route(*verb, r, oif));
            }
            Op::Rule(verb, r) => out.push(netlink::rule(*verb, r)),
            Op::NoProxyDelay(d) => out.push(netlink::no_proxy_delay(nl.index(d)?)),
        }
    }
    Ok(out)
}

/// nft's refusal of `text` in `ns`, in its own words.
fn nft_failed(ns: &str, text: &str, words: String) -> CmdError {
    let first = text.lines().next().unwrap_or_default();
    CmdError { command: format!("nft -f (in {ns}) <<< {first} …"), stderr: words }
}

/// Loads an nft text in the calling thread's namespace (`ns` for errors).
fn nft_here(ns: &str, text: &str) -> Result<(), CmdError> {
    match nftlib::run(text) {
        Ok(()) => Ok(()),
        Err(Some(words)) => Err(nft_failed(ns, text, words)),
        // No library: the `nft` program, from a child of this thread, which is in `ns`.
        Err(None) => cmd::run("nft", &["-f", "-"], Some(text)).map(|_| ()),
    }
}

impl Driver for InProcess {
    fn create(&mut self, specs: &[NsSpec]) -> Vec<Result<(), CmdError>> {
        // The other ends' namespaces, open for the whole batch.
        let mut peers: HashMap<&str, OwnedFd> = HashMap::new();
        let mut failed: HashMap<&str, CmdError> = HashMap::new();
        for v in specs.iter().flat_map(|s| &s.veths) {
            if !peers.contains_key(v.peer_ns.as_str()) && !failed.contains_key(v.peer_ns.as_str()) {
                match netns::open(&v.peer_ns) {
                    Ok(fd) => {
                        peers.insert(&v.peer_ns, fd);
                    }
                    Err(e) => {
                        failed.insert(&v.peer_ns, e);
                    }
                }
            }
        }
        let names: Vec<&str> = specs.iter().map(|s| s.ns.as_str()).collect();
        let by_name: HashMap<&str, &NsSpec> = specs.iter().map(|s| (s.ns.as_str(), s)).collect();
        let made = netns::create(&names, |ns| {
            let Some(s) = by_name.get(ns) else { return Ok(None) };
            let mut nl = Rtnl::open(ns)?;
            let mut veths = Vec::new();
            for v in &s.veths {
                let fd = match (peers.get(v.peer_ns.as_str()), failed.get(v.peer_ns.as_str())) {
                    (Some(fd), _) => fd.as_raw_fd(),
                    (None, Some(e)) => return Err(e.clone()),
                    (None, None) => {
                        return Err(CmdError {
                            command: format!("open netns {}", v.peer_ns),
                            stderr: "not opened".into(),
                        })
                    }
                };
                veths.push(netlink::veth(&v.name, v.mac.as_deref(), &v.peer, fd));
            }
            nl.send(veths)?;
            netns::sysctl(&s.sysctls)?;
            let reqs = requests(&mut nl, &s.ops)?;
            nl.send(reqs)?;
            if let Some(text) = &s.nft {
                nft_here(ns, text)?;
            }
            Ok(keeps_socket(ns).then_some(nl))
        });
        specs
            .iter()
            .zip(made)
            .map(|(s, r)| {
                if let Some(nl) = r? {
                    self.sockets.insert(s.ns.clone(), nl);
                }
                Ok(())
            })
            .collect()
    }

    fn ops(&mut self, ns: &str, ops: &[Op]) -> Result<(), CmdError> {
        if ops.is_empty() {
            return Ok(());
        }
        self.with_socket(ns, |nl| {
            let reqs = requests(nl, ops)?;
            nl.send(reqs)
        })
    }

    fn nft(&mut self, ns: &str, text: &str) -> Result<(), CmdError> {
        if !keeps_socket(ns) {
            return netns::enter(ns, || nft_here(ns, text));
        }
        if !self.nft.contains_key(ns) {
            match netns::enter(ns, || Ok(nftlib::Ctx::here()))? {
                Some(Ok(ctx)) => {
                    self.nft.insert(ns.to_string(), ctx);
                }
                Some(Err(words)) => return Err(CmdError { command: format!("nft (in {ns})"), stderr: words }),
                None => return netns::enter(ns, || nft_here(ns, text)),
            }
        }
        match self.nft.get_mut(ns).map(|ctx| ctx.run(text)) {
            Some(Err(words)) => Err(nft_failed(ns, text, words)),
            _ => Ok(()),
        }
    }

    fn nft_table(&mut self, ns: &str, old: &Table, new: &Table) -> Result<(), CmdError> {
        if *old != Table::default() && keeps_socket(ns) {
            if !self.nfnl.contains_key(ns) {
                let s = netns::enter(ns, Nfnl::open)?;
                self.nfnl.insert(ns.to_string(), s);
            }
            // Elements only: straight to the kernel. Refused: the batch was aborted whole, so
            // libnftables below does the same change and says what is wrong in its words.
            if let Some(Ok(true)) = self.nfnl.get_mut(ns).map(|s| s.apply_elements(old, new)) {
                return Ok(());
            }
        }
        let text = if *old == Table::default() {
            new.render()
        } else {
            match Table::diff(old, new) {
                Some(d) => d,
                None => nft::swap(&old.render(), &new.render()),
            }
        };
        self.nft(ns, &text)
    }

    fn delete(&mut self, names: &[String]) -> Vec<Result<(), CmdError>> {
        for n in names {
            self.sockets.remove(n);
            self.nft.remove(n);
            self.nfnl.remove(n);
        }
        netns::delete(names)
    }
}
