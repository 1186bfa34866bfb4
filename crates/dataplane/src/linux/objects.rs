//! One pass of [`Kernel::apply`]: what went is deleted, what came is
//! created, what changed is changed by difference, all through the kernel's
//! [`Driver`].

use super::cmd::{self, CmdError};
use super::driver::{Driver, NsSpec, Op, Veth};
use super::netlink::Verb;
use super::{netns, Changes, Kernel};
use crate::wiring::endpoints::VPCE_LINK_ADDR;
use crate::wiring::gateways::{IGW_LINK_ADDR, INET_IF, INTERNET_LINK_ADDR, VPC_IF};
use crate::wiring::route::{Hop, Route};
use crate::wiring::router::IGW_IF;
use crate::wiring::{EniKind, EniNs, GatewayEndpoint, Igw, Internet, Router, Table, Wiring};
use account::Ipv4Cidr;
use std::collections::{BTreeMap, BTreeSet};

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

/// A NAT gateway's namespace forwards as well as translates.
const NAT_GATEWAY: &[&str] = &[
    "net.ipv4.ip_forward=1",
    "net.ipv4.conf.all.send_redirects=0",
    "net.ipv4.conf.eth0.send_redirects=0",
    "net.ipv4.conf.all.rp_filter=0",
    "net.ipv4.conf.eth0.rp_filter=0",
];

/// Applies everything, recording errors and forgetting what failed.
pub fn apply_all(k: &mut Kernel, w: &Wiring, changes: &mut Changes, errors: &mut Vec<CmdError>) {
    remove_gone(k, w, changes, errors);
    let mut specs = Vec::new();
    if k.internet.is_none() {
        specs.push(internet_spec(&w.internet));
    }
    let new_routers: Vec<&Router> =
        w.routers.iter().filter(|(id, _)| !k.routers.contains_key(*id)).map(|(_, r)| r).collect();
    specs.extend(new_routers.iter().map(|r| NsSpec {
        ns: r.ns.clone(),
        sysctls: FORWARDER.to_vec(),
        ops: vec![Op::LinkUp("lo".into())],
        ..NsSpec::default()
    }));
    for made in create(k, &specs, errors) {
        if made.ns == w.internet.ns {
            k.internet = Some(Internet { ns: w.internet.ns.clone(), local: BTreeSet::new(), routes: BTreeSet::new() });
        } else if let Some(r) = new_routers.iter().find(|r| r.ns == made.ns) {
            k.routers.insert(
                r.vpc_id.clone(),
                Router {
                    local: BTreeSet::new(),
                    routes: BTreeSet::new(),
                    rules: BTreeSet::new(),
                    nft: Table::default(),
                    ..(*r).clone()
                },
            );
        }
    }
    if k.internet.is_none() {
        return;
    }
    enis(k, w, changes, errors);
    igws(k, w, changes, errors);
    gateway_endpoints(k, w, changes, errors);
    routers(k, w, changes, errors);
    internet(k, w, errors);
}

/// Creates namespaces (deleting leftovers of the same names first); returns
/// the specs that were made. A failed one is deleted again.
fn create<'a>(k: &mut Kernel, specs: &'a [NsSpec], errors: &mut Vec<CmdError>) -> Vec<&'a NsSpec> {
    if specs.is_empty() {
        return Vec::new();
    }
    let leftovers: Vec<String> = specs.iter().filter(|s| netns::exists(&s.ns)).map(|s| s.ns.clone()).collect();
    if !leftovers.is_empty() {
        errors.extend(k.driver.delete(&leftovers).into_iter().filter_map(Result::err));
    }
    let results = k.driver.create(specs);
    let mut made = Vec::new();
    let mut failed = Vec::new();
    for (s, r) in specs.iter().zip(results) {
        match r {
            Ok(()) => made.push(s),
            Err(e) => {
                errors.push(e);
                failed.push(s.ns.clone());
            }
        }
    }
    if !failed.is_empty() {
        let _ = k.driver.delete(&failed);
    }
    made
}

/// Deletes what `w` no longer has (or has changed beyond changing): ENIs,
/// internet gateways, gateway endpoints, routers, in one deletion.
fn remove_gone(k: &mut Kernel, w: &Wiring, changes: &mut Changes, errors: &mut Vec<CmdError>) {
    let mut names = Vec::new();
    let mut reported = BTreeSet::new();
    let gone: Vec<String> = k
        .enis
        .iter()
        .filter(|(id, old)| w.enis.get(*id).is_none_or(|new| !same_link(old, new)))
        .map(|(id, _)| id.clone())
        .collect();
    // Their veths' host ends first, so the names are free at once.
    let mut host_ends: BTreeMap<String, Vec<Op>> = BTreeMap::new();
    for id in gone {
        if let Some(old) = k.enis.remove(&id) {
            host_ends.entry(old.router_ns.clone()).or_default().push(Op::LinkDel(old.host_if.clone()));
            reported.insert(old.ns.clone());
            names.push(old.ns);
        }
    }
    for (router, ops) in host_ends {
        // A router gone, or a link gone with its namespace, is no failure here.
        let _ = k.driver.ops(&router, &ops);
        // The kernel took the links' routes with them: not to be deleted again.
        let gone: BTreeSet<&str> =
            ops.iter().filter_map(|o| if let Op::LinkDel(d) = o { Some(d.as_str()) } else { None }).collect();
        for r in k.routers.values_mut().filter(|r| r.ns == router) {
            r.routes.retain(|route| match &route.hop {
                Hop::Dev(d) | Hop::Via { dev: d, .. } => !gone.contains(d.as_str()),
                Hop::Blackhole => true,
            });
        }
    }
    let igw_gone: Vec<String> = k
        .igws
        .keys()
        .filter(|id| w.igws.get(*id).is_none_or(|g| g.router_ns != k.igws[*id].router_ns))
        .cloned()
        .collect();
    names.extend(igw_gone.iter().filter_map(|id| k.igws.remove(id)).map(|g| g.ns));
    let vpce_gone: Vec<String> = k
        .gateway_endpoints
        .iter()
        .filter(|(id, old)| w.gateway_endpoints.get(*id).is_none_or(|new| !same_endpoint(old, new)))
        .map(|(id, _)| id.clone())
        .collect();
    for g in vpce_gone.iter().filter_map(|id| k.gateway_endpoints.remove(id)) {
        reported.insert(g.ns.clone());
        names.push(g.ns);
    }
    let routers_gone: Vec<String> = k.routers.keys().filter(|id| !w.routers.contains_key(*id)).cloned().collect();
    names.extend(routers_gone.iter().filter_map(|id| k.routers.remove(id)).map(|r| r.ns));
    if names.is_empty() {
        return;
    }
    for (ns, r) in names.iter().zip(k.driver.delete(&names)) {
        match r {
            Ok(()) if reported.contains(ns) => changes.removed.push(ns.clone()),
            Ok(()) => {}
            Err(e) => errors.push(e),
        }
    }
}

/// New ENIs: namespaces with their insides, then their host ends up; and
/// changed rulesets of the others.
fn enis(k: &mut Kernel, w: &Wiring, changes: &mut Changes, errors: &mut Vec<CmdError>) {
    let new: Vec<&EniNs> = w
        .enis
        .values()
        .filter(|e| !k.enis.contains_key(&e.eni_id) && k.routers.values().any(|r| r.ns == e.router_ns))
        .collect();
    let specs: Vec<NsSpec> = new.iter().map(|e| eni_spec(e)).collect();
    let made: BTreeSet<&str> = create(k, &specs, errors).into_iter().map(|s| s.ns.as_str()).collect();
    let mut ups: BTreeMap<&str, Vec<Op>> = BTreeMap::new();
    for e in new.into_iter().filter(|e| made.contains(e.ns.as_str())) {
        let ops = ups.entry(e.router_ns.as_str()).or_default();
        ops.push(Op::NoProxyDelay(e.host_if.clone()));
        ops.push(Op::LinkUp(e.host_if.clone()));
        k.enis.insert(e.eni_id.clone(), e.clone());
        changes.created.push(e.ns.clone());
    }
    for (router, ops) in ups {
        if let Err(e) = k.driver.ops(router, &ops) {
            errors.push(e);
        }
    }
    // ENIs whose ruleset or metadata changed (a NAT gateway's table, groups, kind).
    for (id, e) in &w.enis {
        let Some(old) = k.enis.get_mut(id).filter(|old| *old != e) else { continue };
        if old.nft != e.nft {
            if let Some(text) = &e.nft {
                if let Err(err) = k.driver.nft(&e.ns, text) {
                    errors.push(err);
                    continue;
                }
            }
        }
        *old = e.clone();
    }
}

/// An ENI's namespace: `eth0` (its veth, the host end in the router) with
/// the subnet's prefix, the default route via the subnet's router, the
/// link-local endpoints' addresses on `lo`, and instance metadata
/// blackholed except in an instance's own (as the ECS CNI plugin does for
/// awsvpc tasks); its ruleset (a NAT gateway's translation, or the
/// link-local endpoints' port translation).
fn eni_spec(e: &EniNs) -> NsSpec {
    let mut ops = vec![
        Op::LinkUp("lo".into()),
        Op::Addr { verb: Verb::Add, dev: "eth0".into(), addr: e.address, prefix: e.prefix },
        Op::LinkUp("eth0".into()),
        Op::Route(Verb::Add, Route::main(Ipv4Cidr::any(), Hop::Via { gateway: e.gateway, dev: "eth0".into() })),
    ];
    ops.extend(e.link_local().iter().map(|a| Op::Addr { verb: Verb::Add, dev: "lo".into(), addr: *a, prefix: 32 }));
    if !e.serves_imds() {
        ops.push(Op::Route(Verb::Add, Route::main(Ipv4Cidr::host(crate::wiring::IMDS_ADDR), Hop::Blackhole)));
    }
    NsSpec {
        ns: e.ns.clone(),
        veths: vec![Veth {
            name: "eth0".into(),
            mac: Some(e.mac.clone()),
            peer: e.host_if.clone(),
            peer_ns: e.router_ns.clone(),
        }],
        sysctls: if matches!(e.kind, EniKind::NatGateway { .. }) { NAT_GATEWAY.to_vec() } else { Vec::new() },
        ops,
        nft: e.nft.clone(),
    }
}

/// The emulated internet: forwarding between gateways, its link address on
/// loopback (its hosts' addresses follow, by difference).
fn internet_spec(i: &Internet) -> NsSpec {
    NsSpec {
        ns: i.ns.clone(),
        sysctls: FORWARDER.to_vec(),
        ops: vec![
            Op::LinkUp("lo".into()),
            Op::Addr { verb: Verb::Add, dev: "lo".into(), addr: INTERNET_LINK_ADDR, prefix: 32 },
        ],
        ..NsSpec::default()
    }
}

/// Internet gateways: a veth to the router, one to the internet, the 1:1
/// translation; their routes and tables by difference.
fn igws(k: &mut Kernel, w: &Wiring, changes: &mut Changes, errors: &mut Vec<CmdError>) {
    for (id, g) in &w.igws {
        if !k.igws.contains_key(id) {
            let spec = NsSpec {
                ns: g.ns.clone(),
                veths: vec![
                    Veth { name: VPC_IF.into(), mac: None, peer: IGW_IF.into(), peer_ns: g.router_ns.clone() },
                    Veth {
                        name: INET_IF.into(),
                        mac: None,
                        peer: g.internet_if.clone(),
                        peer_ns: w.internet.ns.clone(),
                    },
                ],
                sysctls: FORWARDER.to_vec(),
                ops: vec![
                    Op::LinkUp("lo".into()),
                    Op::Addr { verb: Verb::Add, dev: "lo".into(), addr: IGW_LINK_ADDR, prefix: 32 },
                    Op::LinkUp(VPC_IF.into()),
                    Op::LinkUp(INET_IF.into()),
                ],
                nft: None,
            };
            if create(k, std::slice::from_ref(&spec), errors).is_empty() {
                continue;
            }
            let inet = k.driver.ops(&w.internet.ns, &[Op::LinkUp(g.internet_if.clone())]);
            let router = k.driver.ops(&g.router_ns, &[Op::NoProxyDelay(IGW_IF.into()), Op::LinkUp(IGW_IF.into())]);
            if let Err(e) = inet.and(router) {
                errors.push(e);
                let _ = k.driver.delete(std::slice::from_ref(&g.ns));
                continue;
            }
            k.igws.insert(id.clone(), Igw { routes: BTreeSet::new(), nft: Table::default(), ..g.clone() });
        }
        let Some(old) = k.igws.get_mut(id) else { continue };
        let ops = route_diff(&old.routes, &g.routes);
        sync(k.driver.as_mut(), &g.ns, &ops, &mut old.routes, &g.routes, errors);
        if old.nft != g.nft {
            match k.driver.nft_table(&g.ns, &old.nft, &g.nft) {
                Ok(()) => old.nft = g.nft.clone(),
                Err(e) => errors.push(e),
            }
        }
        if old.mappings != g.mappings {
            old.mappings = g.mappings.clone();
            changes.updated.push(g.ns.clone());
        }
    }
}

/// Gateway endpoints, before the routers' routes, which name their veths: a
/// veth to the router, the link address and the prefix list's block on
/// loopback. They forward nothing: what arrives is for the service `up` answers there.
fn gateway_endpoints(k: &mut Kernel, w: &Wiring, changes: &mut Changes, errors: &mut Vec<CmdError>) {
    for (id, g) in &w.gateway_endpoints {
        if !k.gateway_endpoints.contains_key(id) && k.routers.values().any(|r| r.ns == g.router_ns) {
            let spec = NsSpec {
                ns: g.ns.clone(),
                veths: vec![Veth {
                    name: VPC_IF.into(),
                    mac: None,
                    peer: g.router_if.clone(),
                    peer_ns: g.router_ns.clone(),
                }],
                ops: vec![
                    Op::LinkUp("lo".into()),
                    Op::Addr { verb: Verb::Add, dev: "lo".into(), addr: VPCE_LINK_ADDR, prefix: 32 },
                    Op::Addr { verb: Verb::Add, dev: "lo".into(), addr: g.block.network(), prefix: g.block.prefix() },
                    Op::LinkUp(VPC_IF.into()),
                ],
                ..NsSpec::default()
            };
            if create(k, std::slice::from_ref(&spec), errors).is_empty() {
                continue;
            }
            let ups = [Op::NoProxyDelay(g.router_if.clone()), Op::LinkUp(g.router_if.clone())];
            if let Err(e) = k.driver.ops(&g.router_ns, &ups) {
                errors.push(e);
                let _ = k.driver.delete(std::slice::from_ref(&g.ns));
                continue;
            }
            k.gateway_endpoints.insert(id.clone(), GatewayEndpoint { routes: BTreeSet::new(), ..g.clone() });
            changes.created.push(g.ns.clone());
        }
        let Some(old) = k.gateway_endpoints.get_mut(id) else { continue };
        let ops = route_diff(&old.routes, &g.routes);
        if sync(k.driver.as_mut(), &g.ns, &ops, &mut old.routes, &g.routes, errors) {
            changes.updated.push(g.ns.clone());
        }
    }
}

/// Routers: loopback addresses, policy rules and routes by difference, then
/// the security group and ACL table by difference (its counters keep counting).
fn routers(k: &mut Kernel, w: &Wiring, changes: &mut Changes, errors: &mut Vec<CmdError>) {
    for (id, r) in &w.routers {
        let Some(old) = k.routers.get_mut(id) else { continue };
        let mut ops: Vec<Op> = old
            .local
            .difference(&r.local)
            .map(|a| Op::Addr { verb: Verb::Del, dev: "lo".into(), addr: *a, prefix: 32 })
            .collect();
        ops.extend(r.local.difference(&old.local).map(|a| Op::Addr {
            verb: Verb::Replace,
            dev: "lo".into(),
            addr: *a,
            prefix: 32,
        }));
        ops.extend(old.rules.difference(&r.rules).map(|x| Op::Rule(Verb::Del, *x)));
        ops.extend(r.rules.difference(&old.rules).map(|x| Op::Rule(Verb::Add, *x)));
        ops.extend(route_diff(&old.routes, &r.routes));
        let nft_changed = old.nft != r.nft;
        let changed = !ops.is_empty() || nft_changed;
        match k.driver.ops(&r.ns, &ops) {
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
        if nft_changed {
            match k.driver.nft_table(&r.ns, &old.nft, &r.nft) {
                Ok(()) => old.nft = r.nft.clone(),
                Err(e) => errors.push(e),
            }
        }
        if changed {
            changes.updated.push(r.ns.clone());
        }
    }
}

/// The internet's addresses and routes by difference.
fn internet(k: &mut Kernel, w: &Wiring, errors: &mut Vec<CmdError>) {
    let Some(old) = k.internet.as_mut() else { return };
    let lo = |verb, c: &Ipv4Cidr| Op::Addr { verb, dev: "lo".into(), addr: c.network(), prefix: c.prefix() };
    let mut addrs: Vec<Op> = old.local.difference(&w.internet.local).map(|c| lo(Verb::Del, c)).collect();
    // `replace`, so a pass after a failed one may add an address that is there already.
    addrs.extend(w.internet.local.difference(&old.local).map(|c| lo(Verb::Replace, c)));
    sync(k.driver.as_mut(), &old.ns, &addrs, &mut old.local, &w.internet.local, errors);
    let ops = route_diff(&old.routes, &w.internet.routes);
    sync(k.driver.as_mut(), &old.ns, &ops, &mut old.routes, &w.internet.routes, errors);
}

/// Applies `ops` (what turns `old` into `new`) inside `ns`: then `old` is
/// `new`; on failure `old` is forgotten, so the next pass applies all of
/// `new` again (routes and these addresses are replaced, so that is safe).
/// Whether anything was applied.
fn sync<T: Clone>(
    driver: &mut dyn Driver,
    ns: &str,
    ops: &[Op],
    old: &mut BTreeSet<T>,
    new: &BTreeSet<T>,
    errors: &mut Vec<CmdError>,
) -> bool {
    if ops.is_empty() {
        return false;
    }
    match driver.ops(ns, ops) {
        Ok(()) => {
            old.clone_from(new);
            true
        }
        Err(e) => {
            errors.push(e);
            old.clear();
            false
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

/// Deletes for the routes that went, replaces for those that came.
fn route_diff(old: &BTreeSet<Route>, new: &BTreeSet<Route>) -> Vec<Op> {
    let mut ops: Vec<Op> = old.difference(new).map(|r| Op::Route(Verb::Del, r.clone())).collect();
    ops.extend(new.difference(old).map(|r| Op::Route(Verb::Replace, r.clone())));
    ops
}

/// Forgets a router's routes and rules after a failed batch: they are flushed
/// (with `ip`: a rare path) so the next pass adds them all again.
fn resync_router(r: &mut Router) -> Result<(), CmdError> {
    let mut lines: Vec<String> = r.rules.iter().map(|l| format!("rule del {l}")).collect();
    r.rules.clear();
    r.routes.clear();
    r.local.clear();
    lines.push("route flush table all".to_string());
    cmd::ip_batch(Some(&r.ns), &lines)
}
