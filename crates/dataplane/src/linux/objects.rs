//! One function per kind of object: the internet, routers, ENIs, gateways,
//! gateway endpoints.

use super::cmd::{self, CmdError};
use super::{Changes, Kernel};
use crate::wiring::endpoints::VPCE_LINK_ADDR;
use crate::wiring::gateways::{IGW_LINK_ADDR, INET_IF, INTERNET_LINK_ADDR, VPC_IF};
use crate::wiring::router::IGW_IF;
use crate::wiring::{nft, EniNs, GatewayEndpoint, Igw, Internet, Router, Wiring};
use std::collections::BTreeSet;
use std::path::Path;

/// Sysctls of a namespace that forwards: no reverse-path filter (the router
/// sees asymmetric NAT paths), proxy ARP so neighbours talk through it, no
/// redirects (a NAT gateway sends back out the interface a packet came in on).
const FORWARDER: &[&str] = &[
    "net.ipv4.ip_forward=1",
    "net.ipv4.conf.all.rp_filter=0",
    "net.ipv4.conf.default.rp_filter=0",
    "net.ipv4.conf.all.proxy_arp=1",
    "net.ipv4.conf.default.proxy_arp=1",
    "net.ipv4.conf.all.send_redirects=0",
    "net.ipv4.conf.default.send_redirects=0",
];

/// Applies everything, recording errors and forgetting what failed.
pub fn apply_all(k: &mut Kernel, w: &Wiring, changes: &mut Changes, errors: &mut Vec<CmdError>) {
    // Gone first, so addresses and names are free for what comes.
    let gone: Vec<String> = k
        .enis
        .iter()
        .filter(|(id, old)| w.enis.get(*id).is_none_or(|new| !same_link(old, new)))
        .map(|(id, _)| id.clone())
        .collect();
    for id in gone {
        if let Some(old) = k.enis.remove(&id) {
            let _ = cmd::ip_batch(Some(&old.router_ns), &[format!("link del {}", old.host_if)]);
            match delete_ns(&old.ns) {
                Ok(()) => changes.removed.push(old.ns),
                Err(e) => errors.push(e),
            }
        }
    }
    let igw_gone: Vec<String> = k
        .igws
        .keys()
        .filter(|id| w.igws.get(*id).is_none_or(|g| g.router_ns != k.igws[*id].router_ns))
        .cloned()
        .collect();
    for id in igw_gone {
        if let Some(old) = k.igws.remove(&id) {
            if let Err(e) = delete_ns(&old.ns) {
                errors.push(e);
            }
        }
    }
    let vpce_gone: Vec<String> = k
        .gateway_endpoints
        .iter()
        .filter(|(id, old)| w.gateway_endpoints.get(*id).is_none_or(|new| !same_endpoint(old, new)))
        .map(|(id, _)| id.clone())
        .collect();
    for id in vpce_gone {
        if let Some(old) = k.gateway_endpoints.remove(&id) {
            match delete_ns(&old.ns) {
                Ok(()) => changes.removed.push(old.ns),
                Err(e) => errors.push(e),
            }
        }
    }
    let routers_gone: Vec<String> = k.routers.keys().filter(|id| !w.routers.contains_key(*id)).cloned().collect();
    for id in routers_gone {
        if let Some(old) = k.routers.remove(&id) {
            if let Err(e) = delete_ns(&old.ns) {
                errors.push(e);
            }
        }
    }
    if k.internet.is_none() {
        match internet_create(&w.internet) {
            Ok(()) => {
                k.internet =
                    Some(Internet { ns: w.internet.ns.clone(), local: BTreeSet::new(), routes: BTreeSet::new() })
            }
            Err(e) => return errors.push(e),
        }
    }
    for (id, r) in &w.routers {
        if !k.routers.contains_key(id) {
            match router_create(r) {
                Ok(()) => {
                    k.routers.insert(
                        id.clone(),
                        Router {
                            local: BTreeSet::new(),
                            routes: BTreeSet::new(),
                            rules: BTreeSet::new(),
                            nft: String::new(),
                            ..r.clone()
                        },
                    );
                }
                Err(e) => errors.push(e),
            }
        }
    }
    // New ENIs: namespaces and veths in one batch, then each namespace's inside.
    let new: Vec<&EniNs> = w
        .enis
        .values()
        .filter(|e| !k.enis.contains_key(&e.eni_id) && k.routers.values().any(|r| r.ns == e.router_ns))
        .collect();
    if !new.is_empty() {
        let mut root = Vec::new();
        for e in &new {
            if ns_exists(&e.ns) {
                let _ = delete_ns(&e.ns);
            }
            root.push(format!("netns add {}", e.ns));
            root.push(format!(
                "link add {} netns {} type veth peer name eth0 address {} netns {}",
                e.host_if, e.router_ns, e.mac, e.ns
            ));
        }
        if let Err(e) = cmd::ip_batch(None, &root) {
            errors.push(e);
            // Some may exist: the next pass deletes and recreates them.
            return;
        }
        let mut ups: std::collections::BTreeMap<&str, Vec<String>> = std::collections::BTreeMap::new();
        for e in &new {
            match eni_inside(e) {
                Ok(()) => {
                    let lines = ups.entry(e.router_ns.as_str()).or_default();
                    lines.push(no_proxy_delay(&e.host_if));
                    lines.push(format!("link set {} up", e.host_if));
                    // eni_inside loaded its ruleset too.
                    k.enis.insert(e.eni_id.clone(), (*e).clone());
                    changes.created.push(e.ns.clone());
                }
                Err(err) => {
                    errors.push(err);
                    let _ = delete_ns(&e.ns);
                }
            }
        }
        for (router, lines) in ups {
            if let Err(e) = cmd::ip_batch(Some(router), &lines) {
                errors.push(e);
            }
        }
    }
    // ENIs whose ruleset or metadata changed (a NAT gateway's table, groups, kind).
    for (id, e) in &w.enis {
        let Some(old) = k.enis.get_mut(id).filter(|old| *old != e) else { continue };
        if old.nft != e.nft {
            if let Some(text) = &e.nft {
                if let Err(err) = cmd::nft(&e.ns, text) {
                    errors.push(err);
                    continue;
                }
            }
        }
        *old = e.clone();
    }
    for (id, g) in &w.igws {
        if !k.igws.contains_key(id) {
            match igw_create(g, &w.internet.ns) {
                Ok(()) => {
                    k.igws.insert(id.clone(), Igw { routes: BTreeSet::new(), nft: String::new(), ..g.clone() });
                }
                Err(e) => errors.push(e),
            }
        }
        let Some(old) = k.igws.get_mut(id) else { continue };
        let lines = diff_lines("route", &old.routes, &g.routes);
        match cmd::ip_batch(Some(&g.ns), &lines) {
            Ok(()) => old.routes = g.routes.clone(),
            Err(e) => {
                old.routes.clear();
                errors.push(e);
            }
        }
        if old.nft != g.nft {
            match cmd::nft(&g.ns, &g.nft) {
                Ok(()) => old.nft = g.nft.clone(),
                Err(e) => errors.push(e),
            }
        }
        if old.mappings != g.mappings {
            old.mappings = g.mappings.clone();
            changes.updated.push(g.ns.clone());
        }
    }
    // Gateway endpoints before the routers' routes, which name their veths.
    for (id, g) in &w.gateway_endpoints {
        if !k.gateway_endpoints.contains_key(id) && k.routers.values().any(|r| r.ns == g.router_ns) {
            match gateway_endpoint_create(g) {
                Ok(()) => {
                    k.gateway_endpoints.insert(id.clone(), GatewayEndpoint { routes: BTreeSet::new(), ..g.clone() });
                    changes.created.push(g.ns.clone());
                }
                Err(e) => {
                    errors.push(e);
                    let _ = delete_ns(&g.ns);
                }
            }
        }
        let Some(old) = k.gateway_endpoints.get_mut(id) else { continue };
        let lines = diff_lines("route", &old.routes, &g.routes);
        if lines.is_empty() {
            continue;
        }
        match cmd::ip_batch(Some(&g.ns), &lines) {
            Ok(()) => {
                old.routes = g.routes.clone();
                changes.updated.push(g.ns.clone());
            }
            Err(e) => {
                old.routes.clear();
                errors.push(e);
            }
        }
    }
    for (id, r) in &w.routers {
        let Some(old) = k.routers.get_mut(id) else { continue };
        let mut lines = Vec::new();
        for a in old.local.difference(&r.local) {
            lines.push(format!("addr del {a}/32 dev lo"));
        }
        for a in r.local.difference(&old.local) {
            lines.push(format!("addr add {a}/32 dev lo"));
        }
        lines.extend(diff_lines("rule", &old.rules, &r.rules));
        lines.extend(diff_lines("route", &old.routes, &r.routes));
        let changed = !lines.is_empty() || old.nft != r.nft;
        match cmd::ip_batch(Some(&r.ns), &lines) {
            Ok(()) => {
                old.local = r.local.clone();
                old.rules = r.rules.clone();
                old.routes = r.routes.clone();
            }
            Err(e) => {
                errors.push(e);
                // Unknown state: resync from scratch next pass.
                let _ = resync_router(old);
            }
        }
        if old.nft != r.nft {
            // Swapped in place of the old table, so the rules' counters keep their counts.
            match cmd::nft(&r.ns, &nft::swap(&old.nft, &r.nft)) {
                Ok(()) => old.nft = r.nft.clone(),
                Err(e) => errors.push(e),
            }
        }
        if changed {
            changes.updated.push(r.ns.clone());
        }
    }
    if let Some(old) = k.internet.as_mut() {
        let mut addrs: Vec<String> =
            old.local.difference(&w.internet.local).map(|a| format!("addr del {a} dev lo")).collect();
        // `replace`, so a pass after a failed one may add an address that is there already.
        addrs.extend(w.internet.local.difference(&old.local).map(|a| format!("addr replace {a} dev lo")));
        if !addrs.is_empty() {
            match cmd::ip_batch(Some(&old.ns), &addrs) {
                Ok(()) => old.local = w.internet.local.clone(),
                Err(e) => {
                    errors.push(e);
                    old.local.clear();
                }
            }
        }
        let lines = diff_lines("route", &old.routes, &w.internet.routes);
        if !lines.is_empty() {
            match cmd::ip_batch(Some(&old.ns), &lines) {
                Ok(()) => old.routes = w.internet.routes.clone(),
                Err(e) => {
                    errors.push(e);
                    // Routes are replaced, so re-adding all of them next pass is safe.
                    old.routes.clear();
                }
            }
        }
    }
}

/// Whether two descriptions of an ENI need the same namespace and veth.
fn same_link(a: &EniNs, b: &EniNs) -> bool {
    // Whether metadata answers is made at creation: a change remakes the namespace.
    (&a.ns, &a.router_ns, &a.host_if, &a.mac, a.address, a.prefix, a.gateway, a.serves_imds())
        == (&b.ns, &b.router_ns, &b.host_if, &b.mac, b.address, b.prefix, b.gateway, b.serves_imds())
}

/// Whether two descriptions of a gateway endpoint need the same namespace and veth.
fn same_endpoint(a: &GatewayEndpoint, b: &GatewayEndpoint) -> bool {
    (&a.ns, &a.router_ns, &a.router_if, a.block) == (&b.ns, &b.router_ns, &b.router_if, b.block)
}

/// `del` lines for what went, `replace`/`add` lines for what came.
fn diff_lines(object: &str, old: &BTreeSet<String>, new: &BTreeSet<String>) -> Vec<String> {
    let mut lines: Vec<String> = old.difference(new).map(|l| format!("{object} del {l}")).collect();
    let verb = if object == "route" { "replace" } else { "add" };
    lines.extend(new.difference(old).map(|l| format!("{object} {verb} {l}")));
    lines
}

/// Forgets a router's routes and rules after a failed batch: they are flushed
/// so the next pass adds them all again.
fn resync_router(r: &mut Router) -> Result<(), CmdError> {
    let mut lines = Vec::new();
    for l in &r.rules {
        lines.push(format!("rule del {l}"));
    }
    r.rules.clear();
    r.routes.clear();
    r.local.clear();
    lines.push("route flush table all".to_string());
    cmd::ip_batch(Some(&r.ns), &lines)
}

/// Whether a namespace exists.
fn ns_exists(ns: &str) -> bool {
    Path::new("/var/run/netns").join(ns).exists()
}

/// Kills the processes inside a namespace, then deletes it.
pub fn delete_ns(ns: &str) -> Result<(), CmdError> {
    for pid in cmd::pids(ns) {
        kill(pid);
    }
    cmd::run("ip", &["netns", "del", ns], None).map(|_| ())
}

/// SIGKILL to a process; errors (already gone) do not matter.
fn kill(pid: i32) {
    let _ = std::process::Command::new("kill").args(["-KILL", &pid.to_string()]).status();
}

/// The emulated internet: forwarding between gateways, its link address on
/// loopback (its hosts' addresses follow, by difference).
fn internet_create(i: &Internet) -> Result<(), CmdError> {
    if ns_exists(&i.ns) {
        delete_ns(&i.ns)?;
    }
    cmd::ip_batch(None, &[format!("netns add {}", i.ns)])?;
    cmd::sysctl(&i.ns, FORWARDER)?;
    cmd::ip_batch(Some(&i.ns), &["link set lo up".to_string(), format!("addr add {INTERNET_LINK_ADDR}/32 dev lo")])
}

/// A gateway endpoint: a veth to its router, its link address and the
/// prefix list's block on loopback. It forwards nothing: what arrives is for
/// the service `up` answers there.
fn gateway_endpoint_create(g: &GatewayEndpoint) -> Result<(), CmdError> {
    if ns_exists(&g.ns) {
        delete_ns(&g.ns)?;
    }
    cmd::ip_batch(
        None,
        &[
            format!("netns add {}", g.ns),
            format!("link add {} netns {} type veth peer name {VPC_IF} netns {}", g.router_if, g.router_ns, g.ns),
        ],
    )?;
    cmd::ip_batch(
        Some(&g.ns),
        &[
            "link set lo up".to_string(),
            format!("addr add {VPCE_LINK_ADDR}/32 dev lo"),
            format!("addr add {} dev lo", g.block),
            format!("link set {VPC_IF} up"),
        ],
    )?;
    cmd::ip_batch(Some(&g.router_ns), &[no_proxy_delay(&g.router_if), format!("link set {} up", g.router_if)])
}

/// A VPC router: forwarding, proxy ARP, no reverse-path filter.
fn router_create(r: &Router) -> Result<(), CmdError> {
    if ns_exists(&r.ns) {
        delete_ns(&r.ns)?;
    }
    cmd::ip_batch(None, &[format!("netns add {}", r.ns)])?;
    cmd::sysctl(&r.ns, FORWARDER)?;
    cmd::ip_batch(Some(&r.ns), &["link set lo up".to_string()])
}

/// Inside an ENI's namespace: `eth0` with the subnet's prefix, the default
/// route via the subnet's router, the link-local endpoints' addresses on
/// `lo`, and instance metadata blackholed except in an instance's own (as
/// the ECS CNI plugin does for awsvpc tasks). A NAT gateway also forwards and translates.
fn eni_inside(e: &EniNs) -> Result<(), CmdError> {
    let mut lines = vec![
        "link set lo up".to_string(),
        format!("addr add {}/{} dev eth0", e.address, e.prefix),
        "link set eth0 up".to_string(),
        format!("route add default via {} dev eth0", e.gateway),
    ];
    lines.extend(e.link_local().iter().map(|a| format!("addr add {a}/32 dev lo")));
    if !e.serves_imds() {
        lines.push(format!("route add blackhole {}/32", crate::wiring::IMDS_ADDR));
    }
    cmd::ip_batch(Some(&e.ns), &lines)?;
    let nat_gateway = matches!(e.kind, crate::wiring::EniKind::NatGateway { .. });
    if let (Some(text), true) = (&e.nft, nat_gateway) {
        // A NAT gateway forwards as well as translates.
        cmd::sysctl(
            &e.ns,
            &[
                "net.ipv4.ip_forward=1",
                "net.ipv4.conf.all.send_redirects=0",
                "net.ipv4.conf.eth0.send_redirects=0",
                "net.ipv4.conf.all.rp_filter=0",
                "net.ipv4.conf.eth0.rp_filter=0",
            ],
        )?;
        cmd::nft(&e.ns, text)?;
    } else if let Some(text) = &e.nft {
        // The link-local endpoints' port translation.
        cmd::nft(&e.ns, text)?;
    }
    Ok(())
}

/// An internet gateway: a veth to its router, one to the internet, its
/// link address on loopback.
fn igw_create(g: &Igw, internet_ns: &str) -> Result<(), CmdError> {
    if ns_exists(&g.ns) {
        delete_ns(&g.ns)?;
    }
    cmd::ip_batch(
        None,
        &[
            format!("netns add {}", g.ns),
            format!("link add {IGW_IF} netns {} type veth peer name {VPC_IF} netns {}", g.router_ns, g.ns),
            format!("link add {} netns {internet_ns} type veth peer name {INET_IF} netns {}", g.internet_if, g.ns),
        ],
    )?;
    cmd::sysctl(&g.ns, FORWARDER)?;
    cmd::ip_batch(
        Some(&g.ns),
        &[
            "link set lo up".to_string(),
            format!("addr add {IGW_LINK_ADDR}/32 dev lo"),
            format!("link set {VPC_IF} up"),
            format!("link set {INET_IF} up"),
        ],
    )?;
    cmd::ip_batch(Some(internet_ns), &[format!("link set {} up", g.internet_if)])?;
    cmd::ip_batch(Some(&g.router_ns), &[no_proxy_delay(IGW_IF), format!("link set {IGW_IF} up")])
}

/// The `ip` line that makes the router answer proxy ARP on `dev` at once.
/// The kernel otherwise queues a proxy reply to a broadcast request for a
/// random time up to `proxy_delay` (0.8 s), so the first packet between two
/// ENIs of a subnet, or from the internet gateway to an ENI, stalls for up
/// to 0.8 s; a VPC answers at once. (A namespace has no `neigh/default`
/// sysctl to set, so it is set per interface.)
fn no_proxy_delay(dev: &str) -> String {
    format!("ntable change name arp_cache dev {dev} proxy_delay 0")
}
