//! One concrete packet, and the verdict for it: the function the data
//! plane's differential test compares real packets with.

use serde::Serialize;
use std::net::Ipv4Addr;

/// A packet: addresses, protocol number and ports (ICMP: the type in `dst_port`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Packet {
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// IP protocol number.
    pub protocol: u8,
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
}

use crate::sets::{PortSet, ProtoSet};
use crate::topology::Topology;
use crate::trace::{leg_with_nat_ports, Flow, Path, Place, NAT_GATEWAY_PORTS};

/// The verdict for one packet: delivered or not, and the path that says why.
#[derive(Clone, Debug, Serialize)]
pub struct Decision {
    /// True when the packet reaches its destination and a reply gets back.
    pub allowed: bool,
    /// The legs it takes (two when it leaves to the internet and comes back in to a public address).
    pub paths: Vec<Path>,
    /// Why not, when not: every blocker's reason.
    pub reasons: Vec<String>,
    /// True when it depends on the source port a NAT gateway on the way picks:
    /// some of the ports it uses get through and others do not, so some
    /// connections fail (`allowed` is then false: not every one is delivered).
    pub depends_on_nat_port: bool,
}

/// Says whether one packet is delivered, and why: the reach engine's verdict
/// for exactly this packet (delivery to the destination address and the reply
/// back; a load balancer's listener is not consulted: the packet reaches the node).
/// A packet from a VPC to another ENI's public address leaves to the internet
/// and comes back in: both legs must let it through.
///
/// Through a NAT gateway the packet is delivered only when it is whatever
/// source port the gateway gives it ([`NAT_GATEWAY_PORTS`]): every range of
/// ports the account's network ACLs tell apart is tried.
pub fn check(topo: &Topology<'_>, p: &Packet) -> Decision {
    let all = PortSet::range(NAT_GATEWAY_PORTS.0, NAT_GATEWAY_PORTS.1);
    let d = check_with(topo, p, &all);
    let ported = p.protocol == crate::sets::TCP || p.protocol == crate::sets::UDP;
    let natted = d.paths.iter().any(|x| x.hops.iter().any(|h| h.step == "nat-gateway"));
    if !ported || !natted {
        return d;
    }
    let mut some = false;
    let mut failing = None;
    for port in nat_port_classes(topo) {
        let one = check_with(topo, p, &PortSet::single(port));
        if one.allowed {
            some = true;
        } else if failing.is_none() {
            failing = Some((port, one));
        }
    }
    match failing {
        Some((port, one)) if some => {
            let mut reasons = vec![format!(
                "the NAT gateway picks the connection's source port from {}-{} (AWS doc \"Network ACLs for your VPC\": a NAT gateway uses ports 1024-65535); from port {port} it does not get through, so some connections fail: allow {}-{} where the gateway's packets and their replies cross a network ACL",
                NAT_GATEWAY_PORTS.0, NAT_GATEWAY_PORTS.1, NAT_GATEWAY_PORTS.0, NAT_GATEWAY_PORTS.1
            )];
            reasons.extend(one.reasons);
            Decision { allowed: false, paths: one.paths, reasons, depends_on_nat_port: true }
        }
        // Every port gets through, or none does: the verdict for the whole range holds.
        _ => d,
    }
}

/// One port of each range of the NAT gateway's ports that the account's
/// network ACL entries tell apart (a port where some entry's range starts
/// or ends): every port of a range meets the same entries.
fn nat_port_classes(topo: &Topology<'_>) -> Vec<u16> {
    let (lo, hi) = NAT_GATEWAY_PORTS;
    let mut starts = std::collections::BTreeSet::from([lo]);
    for acl in topo.account.network_acls.values() {
        for r in acl.entries.iter().filter_map(|e| e.port_range) {
            starts.insert(r.from);
            if let Some(after) = r.to.checked_add(1) {
                starts.insert(after);
            }
        }
    }
    starts.into_iter().filter(|p| (lo..=hi).contains(p)).collect()
}

/// [`check`] when a NAT gateway on the way gives the connection a source port from `nat_ports`.
fn check_with(topo: &Topology<'_>, p: &Packet, nat_ports: &PortSet) -> Decision {
    let trace = |from: &Place, to: &Place, flow: &Flow| leg_with_nat_ports(topo, from, to, flow, nat_ports.clone());
    let flow = Flow {
        protocol: ProtoSet::single(p.protocol),
        ports: PortSet::single(p.dst_port),
        src_ports: PortSet::single(reply_key(p)),
    };
    let Some(mut from) = Place::at(topo, p.src, None) else {
        return refuse(format!("{} is in no VPC of the account and is not an internet address", p.src));
    };
    from.addresses = crate::sets::AddrSet::single(u32::from(p.src));
    let public_eni = topo.eni_with_public(p.dst);
    let to = match (&from.vpc, public_eni) {
        (_, Some(e)) if e.private_ip_address != p.dst => Place::eni(topo, e),
        (vpc, _) => match Place::at(topo, p.dst, vpc.as_deref()) {
            Some(t) => t,
            None => return refuse(format!("{} is in no VPC of the account and is not an internet address", p.dst)),
        },
    };
    if from.is_internet() && public_eni.is_none() && !to.is_internet() {
        // Facts: the internet gateway maps public IPs to ENIs; the internet routes no private address to a VPC.
        return refuse(format!("{} is not a public IP of the account: nothing on the internet reaches it", p.dst));
    }
    let mut to = Place { load_balancer: None, ..to };
    let mut paths = Vec::new();
    if public_eni.is_some() && !from.is_internet() && to.public_ip == Some(p.dst) {
        // Out to the internet first, then in to the public address.
        let out = trace(&from, &Place::internet(crate::sets::AddrSet::single(u32::from(p.dst))), &flow);
        let Some(first) = out.into_iter().next() else { return refuse("no path".into()) };
        let src = first.arrived.sources();
        let mut back_in = Flow { src_ports: flow.src_ports.clone(), ..flow.clone() };
        if let Some(c) = first.arrived.cubes().first() {
            back_in.src_ports = c.src_ports.clone();
        }
        let src = if src.is_empty() { from.addresses.clone() } else { src };
        let origin = Place::internet(src);
        let ok = first.reachable;
        paths.push(first);
        paths.extend(trace(&origin, &to, &back_in));
        let allowed = ok && paths.iter().skip(1).all(|x| x.reachable);
        return decide(paths, allowed);
    }
    if to.is_internet() || from.is_internet() {
        to.addresses = crate::sets::AddrSet::single(u32::from(p.dst));
    }
    paths.extend(trace(&from, &to, &flow));
    let allowed = !paths.is_empty() && paths.iter().all(|x| x.reachable);
    decide(paths, allowed)
}

/// What the engine reads as the packet's source port. A reply swaps the
/// ports, so for ICMP, whose type sits in `dst_port`, the reply's type must
/// sit in the source port: an echo request (8) is answered by an echo reply
/// (0), timestamp 13 by 14, information 15 by 16, address mask 17 by 18
/// (RFC 792, 950); the identifier in `src_port` is read by no filter. Other
/// types keep `src_port`.
fn reply_key(p: &Packet) -> u16 {
    match (p.protocol, p.dst_port) {
        (crate::sets::ICMP, 8) => 0,
        (crate::sets::ICMP, t @ (13 | 15 | 17)) => t + 1,
        _ => p.src_port,
    }
}

fn decide(paths: Vec<Path>, allowed: bool) -> Decision {
    let reasons = paths.iter().flat_map(|x| x.blockers.iter().map(|b| b.reason.clone())).collect();
    Decision { allowed, paths, reasons, depends_on_nat_port: false }
}

fn refuse(reason: String) -> Decision {
    Decision { allowed: false, paths: Vec::new(), reasons: vec![reason], depends_on_nat_port: false }
}
