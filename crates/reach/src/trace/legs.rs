//! The legs of a path: inside a VPC, out to the internet (through an
//! internet gateway or a NAT gateway), in from the internet, and on from a
//! load balancer's listener to its targets.

use super::{fixes, gateway, Builder, Direction, Flow, Path, Place};
use crate::filters;
use crate::sets::{show_addrs, AddrSet, Cube, PacketSet, PortSet, ProtoSet, ICMP, TCP, UDP};
use crate::topology::{cidr_set, Topology};
use account::{Route, RouteTarget, TargetHealthState};

/// The packets of `flow` from `from` to `dst`.
fn packets(from: &Place, dst: AddrSet, flow: &Flow) -> PacketSet {
    PacketSet::of(Cube {
        src: from.addresses.clone(),
        dst,
        proto: flow.protocol,
        src_ports: flow.src_ports.clone(),
        dst_ports: flow.ports.clone(),
    })
}

/// Every path from `from` to `to`: one, or one per route when the
/// destination's addresses leave by several routes.
pub(super) fn route_between(topo: &Topology<'_>, from: &Place, to: &Place, flow: &Flow) -> Vec<Path> {
    let all = PortSet::range(super::NAT_GATEWAY_PORTS.0, super::NAT_GATEWAY_PORTS.1);
    route_between_with(topo, from, to, flow, all)
}

/// [`route_between`] when a NAT gateway on the way gives the connection a source port from `nat_ports`.
pub(crate) fn route_between_with(
    topo: &Topology<'_>,
    from: &Place,
    to: &Place,
    flow: &Flow,
    nat_ports: PortSet,
) -> Vec<Path> {
    let mut b = Builder::new(topo);
    b.nat_ports = nat_ports;
    match (from.is_internet(), to.is_internet()) {
        (true, true) => {
            b.block(
                "internet",
                "internet",
                "both ends are on the internet".into(),
                "tasknet answers for paths that start or end in the account; both ends are outside it".into(),
                "name an ENI, a resource or an address of a VPC as one end".into(),
            );
            vec![b.finish(from, to, PacketSet::empty())]
        }
        (true, false) => {
            let arrived = inbound(&mut b, from, to, flow);
            vec![b.finish(from, to, arrived)]
        }
        (false, true) => outbound(b, from, to, flow),
        (false, false) if to.vpc.is_none() => {
            let arrived = link_local(&mut b, from, to, flow);
            vec![b.finish(from, to, arrived)]
        }
        (false, false) if from.vpc != to.vpc => {
            b.block(
                "route",
                from.vpc.as_deref().unwrap_or("-"),
                format!("{} and {} are in different VPCs", from.label, to.label),
                "the VPCs are not peered in this account (peering and transit gateways are not modelled)".into(),
                "address the destination by its public IP, or connect the VPCs".into(),
            );
            vec![b.finish(from, to, PacketSet::empty())]
        }
        (false, false) => {
            let arrived = within_vpc(&mut b, from, to, flow);
            vec![b.finish(from, to, arrived)]
        }
    }
}

/// The ENI where the packets start.
fn start(b: &mut Builder<'_, '_>, from: &Place) {
    let subnet = from.subnet.as_deref().map(|s| b.topo.named(s)).unwrap_or_default();
    b.note("eni", from.eni.as_deref().unwrap_or("-"), format!("{} in {subnet}", from.label));
}

/// A security group hop (egress at `place` towards `other`, or ingress).
fn security_groups(b: &mut Builder<'_, '_>, place: &Place, other: &Place, egress: bool, pkts: &PacketSet) -> PacketSet {
    let step = if egress { "security-group-egress" } else { "security-group-ingress" };
    let Some(groups) = &place.groups else {
        b.note(step, "-", format!("{}: no ENI, no security group applies", place.label));
        return pkts.clone();
    };
    let f = filters::security_groups(b.topo, groups, egress, pkts);
    let component = groups.join(",");
    let detail = if f.allowed.is_empty() {
        format!("{}: no rule matches", groups.iter().map(|g| b.topo.named(g)).collect::<Vec<_>>().join(", "))
    } else {
        format!("allowed ({} rule{})", f.rules.len(), if f.rules.len() == 1 { "" } else { "s" })
    };
    let topo = b.topo;
    b.filter(step, &component, detail, f.rules, pkts, f.allowed, || {
        fixes::security_group(topo, place, other, egress, pkts)
    })
}

/// A network ACL hop for `subnet`.
pub(super) fn acl(b: &mut Builder<'_, '_>, subnet: &str, egress: bool, pkts: &PacketSet) -> PacketSet {
    let step = if egress { "network-acl-out" } else { "network-acl-in" };
    let topo = b.topo;
    let Some(acl) = topo.network_acl(subnet) else {
        b.note(step, subnet, format!("{} has no network ACL", topo.named(subnet)));
        return pkts.clone();
    };
    let f = filters::network_acl(topo, acl, egress, pkts);
    let detail = format!("{} of {}", topo.named(&acl.network_acl_id), topo.named(subnet));
    let rules: Vec<_> = f.rules.clone();
    b.filter(step, &acl.network_acl_id, detail, rules, pkts, f.allowed.clone(), || {
        fixes::network_acl(topo, acl, subnet, egress, &f, pkts)
    })
}

/// The routes of `subnet`'s table that carry `dst`, longest prefix first,
/// with the addresses each carries; the rest has no route.
/// A prefix-list route counts as a route for each of the list's blocks.
// AWS doc "How route priority works": the longest prefix wins; on an equal
// prefix a static route wins over a prefix-list route.
pub(super) fn lookup<'a>(
    topo: &Topology<'a>,
    subnet: &str,
    dst: &AddrSet,
) -> (String, Vec<(&'a Route, AddrSet)>, AddrSet) {
    let Some((table, _)) = topo.route_table(subnet) else {
        return ("-".into(), Vec::new(), dst.clone());
    };
    let mut routes: Vec<(&Route, account::Ipv4Cidr, bool)> = table
        .routes
        .iter()
        .filter_map(|r| match r.destination_cidr_block {
            Some(c) => Some((r, c, false)),
            None => gateway::prefix_list_block(topo, r).map(|c| (r, c, true)),
        })
        .collect();
    routes.sort_by_key(|(_, c, prefix_list)| (std::cmp::Reverse(c.prefix()), *prefix_list));
    let mut remaining = dst.clone();
    let mut out = Vec::new();
    for (r, c, _) in routes {
        let part = remaining.intersect(&cidr_set(&c));
        if !part.is_empty() {
            remaining = remaining.subtract(&part);
            out.push((r, part));
        }
    }
    (table.route_table_id.clone(), out, remaining)
}

/// A route in words: `0.0.0.0/0 → nat-… (NatGateway)`.
pub(super) fn route_text(topo: &Topology<'_>, r: &Route) -> String {
    let dst = match (&r.destination_cidr_block, &r.destination_prefix_list_id) {
        (Some(c), _) => c.to_string(),
        (None, Some(pl)) => gateway::prefix_list_text(topo, pl),
        (None, None) => String::new(),
    };
    match &r.target {
        RouteTarget::Local => format!("{dst} → local"),
        t => format!("{dst} → {}", topo.named(t.id())),
    }
}

fn route_rule(topo: &Topology<'_>, r: &Route) -> filters::RuleRef {
    filters::RuleRef { text: route_text(topo, r), declared: r.template_origin.declared().map(filters::declaration) }
}

/// A route hop that lets the packets on.
pub(super) fn route_hop(b: &mut Builder<'_, '_>, table: &str, r: &Route) {
    let topo = b.topo;
    b.hops.push(super::Hop {
        step: "route",
        direction: b.direction,
        component: table.to_string(),
        name: topo.owner(table).map(|o| o.logical_id.clone()),
        detail: topo.named(table),
        rules: vec![route_rule(topo, r)],
        blocked: false,
    });
}

/// Both ends in one VPC: egress, local route, ACLs when the subnets differ, ingress; and back.
fn within_vpc(b: &mut Builder<'_, '_>, from: &Place, to: &Place, flow: &Flow) -> PacketSet {
    start(b, from);
    let topo = b.topo;
    let pkts = packets(from, to.addresses.clone(), flow);
    if let Some(vpc) = &to.vpc {
        // AWS doc "Amazon DNS server": security groups and ACLs do not filter the resolver at base + 2.
        if topo.resolver(vpc).is_some_and(|r| to.addresses == AddrSet::single(u32::from(r))) && to.eni.is_none() {
            b.note(
                "not-filtered",
                vpc,
                format!(
                    "{}: the Amazon DNS resolver (VPC base + 2); security groups and network ACLs do not filter it",
                    to.label
                ),
            );
            return pkts;
        }
    }
    let mut pkts = security_groups(b, from, to, true, &pkts);
    let from_subnet = from.subnet.clone().unwrap_or_default();
    let to_subnet = to.subnet.clone().unwrap_or_default();
    let (table, routes, unrouted) = lookup(topo, &from_subnet, &to.addresses);
    for (r, part) in &routes {
        if r.target == RouteTarget::Local {
            route_hop(b, &table, r);
        } else {
            b.block(
                "route",
                &table,
                format!("{}: {} for {}", topo.named(&table), route_text(topo, r), show_addrs(part)),
                format!(
                    "{} sends {} to {} instead of delivering it locally",
                    topo.named(&table),
                    show_addrs(part),
                    topo.named(r.target.id())
                ),
                format!("remove the more specific route {} from {}", route_text(topo, r), topo.reference(&table)),
            );
        }
    }
    if !unrouted.is_empty() {
        let (reason, fix) = fixes::no_route(topo, &table, from, &show_addrs(&unrouted));
        b.block("route", &table, format!("{}: no route to {}", topo.named(&table), show_addrs(&unrouted)), reason, fix);
    }
    if from_subnet != to_subnet {
        pkts = acl(b, &from_subnet, true, &pkts);
        pkts = acl(b, &to_subnet, false, &pkts);
    }
    pkts = security_groups(b, to, from, false, &pkts);
    let to_subnet_name = topo.named(&to_subnet);
    b.note("eni", to.eni.as_deref().unwrap_or("-"), format!("{} in {to_subnet_name}", to.label));
    if from_subnet == to_subnet {
        return pkts;
    }
    // Security groups are stateful; ACLs are not, so the replies face them again.
    b.direction = Direction::Return;
    let mut reply = pkts.reversed();
    reply = acl(b, &to_subnet, true, &reply);
    reply = acl(b, &from_subnet, false, &reply);
    b.direction = Direction::Forward;
    reply.reversed()
}

/// From a VPC to the internet, one path per route that carries some of the destination.
fn outbound(mut b: Builder<'_, '_>, from: &Place, to: &Place, flow: &Flow) -> Vec<Path> {
    let topo = b.topo;
    start(&mut b, from);
    let pkts = packets(from, to.addresses.clone(), flow);
    let pkts = security_groups(&mut b, from, to, true, &pkts);
    let subnet = from.subnet.clone().unwrap_or_default();
    let (table, routes, unrouted) = lookup(topo, &subnet, &to.addresses);
    let mut paths = Vec::new();
    for (r, part) in routes {
        let mut b = b.clone();
        let pkts = restrict_dst(&pkts, &part);
        let to_part = Place { addresses: part.clone(), ..to.clone() };
        route_hop(&mut b, &table, r);
        let arrived = match &r.target {
            RouteTarget::InternetGateway(igw) => via_internet_gateway(&mut b, from, igw, &pkts),
            RouteTarget::NatGateway(nat) => via_nat_gateway(&mut b, from, nat, &pkts),
            _ if gateway::endpoint(topo, r).is_some() => gateway::deliver(&mut b, from, r, &pkts),
            RouteTarget::Local => {
                // A local route for internet addresses: only with a VPC CIDR of public addresses.
                b.note(
                    "eni",
                    "-",
                    format!("{} is inside the VPC's CIDR: delivered locally, not to the internet", show_addrs(&part)),
                );
                PacketSet::empty()
            }
            other => {
                b.block(
                    "route",
                    &table,
                    format!("{}: {}", topo.named(&table), route_text(topo, r)),
                    format!("the route sends it to {}: tasknet does not follow traffic through peering connections, transit gateways, instances or other ENIs", topo.named(other.id())),
                    "route 0.0.0.0/0 to a NAT gateway or an internet gateway".into(),
                );
                PacketSet::empty()
            }
        };
        paths.push(b.finish(from, &to_part, arrived));
    }
    if !unrouted.is_empty() {
        let to_part = Place { addresses: unrouted.clone(), ..to.clone() };
        let (reason, fix) = fixes::no_route(topo, &table, from, &show_addrs(&unrouted));
        b.block("route", &table, format!("{}: no route to {}", topo.named(&table), show_addrs(&unrouted)), reason, fix);
        paths.push(b.finish(from, &to_part, PacketSet::empty()));
    }
    paths
}

fn restrict_dst(pkts: &PacketSet, dst: &AddrSet) -> PacketSet {
    let mut c = Cube::full();
    c.dst = dst.clone();
    pkts.restrict(&c)
}

/// Whether `igw` is attached to the place's VPC; blocks when not.
fn attached(b: &mut Builder<'_, '_>, igw: &str, vpc: &str) -> bool {
    let topo = b.topo;
    let ok = topo.account.internet_gateways.get(igw).and_then(|g| g.vpc_id()) == Some(vpc);
    if !ok {
        b.block(
            "internet-gateway",
            igw,
            format!("{} is not attached to {vpc}", topo.named(igw)),
            format!("{} is not attached to {vpc}: the route is a blackhole", topo.named(igw)),
            format!(
                "add an AWS::EC2::VPCGatewayAttachment {{VpcId: {}, InternetGatewayId: {}}}",
                topo.reference(vpc),
                topo.reference(igw)
            ),
        );
    }
    ok
}

/// Out through an internet gateway: the ENI's own public address (1:1 translation).
fn via_internet_gateway(b: &mut Builder<'_, '_>, from: &Place, igw: &str, pkts: &PacketSet) -> PacketSet {
    let topo = b.topo;
    let subnet = from.subnet.clone().unwrap_or_default();
    attached(b, igw, from.vpc.as_deref().unwrap_or_default());
    let pkts = acl(b, &subnet, true, pkts);
    let public = match from.public_ip {
        Some(ip) => {
            b.note(
                "internet-gateway",
                igw,
                format!("{}: translates {} to its public IP {ip}", topo.named(igw), show_addrs(&from.addresses)),
            );
            AddrSet::single(u32::from(ip))
        }
        None => {
            let (reason, fix) = fixes::no_public_ip_out(topo, from);
            b.block(
                "internet-gateway",
                igw,
                format!("{}: {} has no public IP to translate to", topo.named(igw), from.label),
                reason,
                fix,
            );
            from.addresses.clone()
        }
    };
    let out = pkts.with_source(&public, None);
    b.note(
        "internet",
        "internet",
        format!("delivered to {}", show_addrs(&out.cubes().first().map(|c| c.dst.clone()).unwrap_or_default())),
    );
    b.direction = Direction::Return;
    let reply = out.reversed().with_destination(&from.addresses);
    b.note(
        "internet-gateway",
        igw,
        format!("{}: translates replies back to {}", topo.named(igw), show_addrs(&from.addresses)),
    );
    let reply = acl(b, &subnet, false, &reply);
    b.direction = Direction::Forward;
    reply.reversed().with_source(&public, None)
}

/// Replies to a NAT gateway come back to the port it gave the connection
/// (any of `nat_ports`): when its subnet's ACL lets them in to only some of
/// those ports, connections given the others fail, so the path is blocked.
/// AWS doc "Network ACLs for your VPC": "A NAT gateway uses ports 1024-65535".
fn nat_ports_let_back(b: &mut Builder<'_, '_>, nat_subnet: &str, reply: &PacketSet, nat_ports: &PortSet) {
    let topo = b.topo;
    let Some(acl) = topo.network_acl(nat_subnet) else { return };
    for proto in [TCP, UDP] {
        let back = reply.restrict(&Cube { proto: ProtoSet::single(proto), ..Cube::full() });
        if back.is_empty() {
            continue;
        }
        let shut = nat_ports.subtract(&back.dst_ports());
        if shut.is_empty() {
            continue;
        }
        let name = crate::sets::protocol_name(proto);
        let (lo, hi) = super::NAT_GATEWAY_PORTS;
        let detail = format!(
            "{} of {}: {name} replies to the NAT gateway's ports",
            topo.named(&acl.network_acl_id),
            topo.named(nat_subnet)
        );
        let reason = format!(
            "{} lets {name} replies into {} only to some of the ports {lo}-{hi} the NAT gateway gives connections: those given {} fail",
            topo.named(&acl.network_acl_id),
            topo.named(nat_subnet),
            crate::sets::show_ports(&shut)
        );
        let fix = format!(
            "add an inbound entry to {} allowing {name} {lo}-{hi} from 0.0.0.0/0 (AWS doc \"Network ACLs for your VPC\": a NAT gateway uses ports {lo}-{hi})",
            topo.short(&acl.network_acl_id)
        );
        let all = PacketSet::of(Cube::full());
        b.filter("network-acl-in", &acl.network_acl_id, detail, Vec::new(), &all, PacketSet::empty(), || {
            (reason, fix, None)
        });
    }
}

/// Out through a NAT gateway: its subnet must route to an internet gateway;
/// the source becomes its Elastic IP.
fn via_nat_gateway(b: &mut Builder<'_, '_>, from: &Place, nat_id: &str, pkts: &PacketSet) -> PacketSet {
    let topo = b.topo;
    let subnet = from.subnet.clone().unwrap_or_default();
    let Some(nat) = topo.account.nat_gateways.get(nat_id).filter(|n| n.state == account::NatGatewayState::Available)
    else {
        let state = topo
            .account
            .nat_gateways
            .get(nat_id)
            .map_or("deleted".to_string(), |n| format!("{:?}", n.state).to_lowercase());
        b.block(
            "nat-gateway",
            nat_id,
            format!("{} is {state}", topo.named(nat_id)),
            format!("{} is {state}: the route to it is a blackhole", topo.named(nat_id)),
            "route 0.0.0.0/0 to an available NAT gateway in a public subnet".into(),
        );
        return PacketSet::empty();
    };
    let addr = nat.nat_gateway_addresses.first();
    let private = addr.and_then(|a| a.private_ip).map_or_else(AddrSet::empty, |ip| AddrSet::single(u32::from(ip)));
    let public = addr.and_then(|a| a.public_ip).map_or_else(AddrSet::empty, |ip| AddrSet::single(u32::from(ip)));
    let mut pkts = pkts.clone();
    if nat.subnet_id != subnet {
        pkts = acl(b, &subnet, true, &pkts);
        pkts = acl(b, &nat.subnet_id, false, &pkts);
    }
    // AWS doc "NAT gateways": TCP, UDP and ICMP only.
    let nat_ports = b.nat_ports.clone();
    let carried = ProtoSet::single(TCP).union(&ProtoSet::single(UDP)).union(&ProtoSet::single(ICMP));
    let others = pkts.restrict(&Cube { proto: ProtoSet::full().subtract(&carried), ..Cube::full() });
    if !others.is_empty() {
        let kept = pkts.restrict(&Cube { proto: carried, ..Cube::full() });
        let names: Vec<String> = others.protocols().iter().take(3).map(crate::sets::protocol_name).collect();
        let detail = format!("{}: carries TCP, UDP and ICMP only", topo.named(nat_id));
        pkts = b.filter("nat-gateway", nat_id, detail, Vec::new(), &pkts, kept, || {
            (
                format!("{} carries only TCP, UDP and ICMP, not protocol {}", topo.named(nat_id), names.join(", ")),
                "send other protocols from a public subnet (0.0.0.0/0 to an internet gateway) with a public IP".into(),
                None,
            )
        });
    }
    b.note(
        "nat-gateway",
        nat_id,
        format!(
            "{}: translates source {} to {}",
            topo.named(nat_id),
            show_addrs(&from.addresses),
            show_addrs(&private)
        ),
    );
    // The gateway picks TCP and UDP source ports from 1024–65535. ICMP keeps
    // its "ports": the engine reads a reply's type from the request's source
    // port (see `packet::check`); the identifier the gateway rewrites is read by no filter.
    let ported = Cube { proto: ProtoSet::single(TCP).union(&ProtoSet::single(UDP)), ..Cube::full() };
    let unported = Cube { proto: ProtoSet::full().subtract(&ported.proto), ..Cube::full() };
    let translated = pkts
        .restrict(&ported)
        .with_source(&private, Some(&nat_ports))
        .union(&pkts.restrict(&unported).with_source(&private, None));
    let dst = translated.cubes().first().map(|c| c.dst.clone()).unwrap_or_default();
    let (table, routes, unrouted) = lookup(topo, &nat.subnet_id, &dst);
    let mut via_igw = None;
    for (r, part) in &routes {
        match &r.target {
            RouteTarget::InternetGateway(igw) => {
                route_hop(b, &table, r);
                via_igw = Some(igw.clone());
            }
            other => b.block(
                "route",
                &table,
                format!("{} (the NAT gateway's subnet {}): {}", topo.named(&table), topo.named(&nat.subnet_id), route_text(topo, r)),
                format!(
                    "{} sits in {}, whose route table sends {} to {}, not to an internet gateway: a NAT gateway reaches the internet only from a public subnet",
                    topo.named(nat_id),
                    topo.named(&nat.subnet_id),
                    show_addrs(part),
                    topo.named(other.id())
                ),
                format!("put the NAT gateway in a public subnet: {} SubnetId: <a subnet whose route table sends 0.0.0.0/0 to an internet gateway>", topo.short(nat_id)),
            ),
        }
    }
    if !unrouted.is_empty() {
        b.block(
            "route",
            &table,
            format!("{} (the NAT gateway's subnet): no route to {}", topo.named(&table), show_addrs(&unrouted)),
            format!("{} sits in {}, whose route table has no route to {}: a NAT gateway reaches the internet only from a public subnet", topo.named(nat_id), topo.named(&nat.subnet_id), show_addrs(&unrouted)),
            format!("put the NAT gateway in a public subnet: {} SubnetId: <a subnet whose route table sends 0.0.0.0/0 to an internet gateway>", topo.short(nat_id)),
        );
    }
    let translated = acl(b, &nat.subnet_id, true, &translated);
    if let Some(igw) = &via_igw {
        attached(b, igw, &nat.vpc_id);
        b.note(
            "internet-gateway",
            igw,
            format!(
                "{}: translates {} to the NAT gateway's Elastic IP {}",
                topo.named(igw),
                show_addrs(&private),
                show_addrs(&public)
            ),
        );
    }
    let out = translated.with_source(&public, None);
    b.note("internet", "internet", format!("delivered to {}, from {}", show_addrs(&dst), show_addrs(&public)));
    b.direction = Direction::Return;
    let reply = out.reversed().with_destination(&private);
    let reply = acl(b, &nat.subnet_id, false, &reply);
    nat_ports_let_back(b, &nat.subnet_id, &reply, &nat_ports);
    // The client's packets whose translations left the NAT subnet and whose
    // replies came back in (on some port of the gateway's): the ACLs read
    // the destination, protocol and destination port, which translation keeps.
    let passed = reply.reversed().with_source(&AddrSet::full(), Some(&PortSet::full()));
    let mut back = pkts.intersect(&passed).reversed();
    if nat.subnet_id != subnet {
        back = acl(b, &nat.subnet_id, true, &back);
        back = acl(b, &subnet, false, &back);
    }
    b.direction = Direction::Forward;
    // What arrives comes from the Elastic IP and, for TCP and UDP, the gateway's ports.
    let arrived = back.reversed();
    arrived
        .restrict(&ported)
        .with_source(&public, Some(&nat_ports))
        .union(&arrived.restrict(&unported).with_source(&public, None))
}

/// From the internet to an ENI: it needs a public address, the VPC an
/// internet gateway, and the replies a route back through that gateway.
fn inbound(b: &mut Builder<'_, '_>, from: &Place, to: &Place, flow: &Flow) -> PacketSet {
    let topo = b.topo;
    let vpc = to.vpc.clone().unwrap_or_default();
    let subnet = to.subnet.clone().unwrap_or_default();
    b.note("internet", "internet", format!("from {}", from.label));
    let igw = topo.account.internet_gateway_for_vpc(&vpc).map(|g| g.internet_gateway_id.clone());
    match (&to.public_ip, &igw) {
        (_, None) => b.block(
            "internet-gateway",
            &vpc,
            format!("{} has no internet gateway", topo.named(&vpc)),
            format!("{} has no internet gateway: nothing from the internet enters it", topo.named(&vpc)),
            format!(
                "add an AWS::EC2::InternetGateway and an AWS::EC2::VPCGatewayAttachment {{VpcId: {}}}",
                topo.reference(&vpc)
            ),
        ),
        (None, Some(igw)) => {
            let (reason, fix) = fixes::no_public_ip_in(topo, to);
            b.block(
                "internet-gateway",
                igw,
                format!("{}: {} has no public IP", topo.named(igw), to.label),
                reason,
                fix,
            );
        }
        (Some(ip), Some(igw)) => b.note(
            "internet-gateway",
            igw,
            format!("{}: translates {ip} to {}", topo.named(igw), show_addrs(&to.addresses)),
        ),
    }
    let pkts = packets(from, to.addresses.clone(), flow);
    let pkts = acl(b, &subnet, false, &pkts);
    let pkts = security_groups(b, to, from, false, &pkts);
    b.note("eni", to.eni.as_deref().unwrap_or("-"), format!("{} in {}", to.label, topo.named(&subnet)));
    b.direction = Direction::Return;
    let reply = pkts.reversed();
    let (table, routes, unrouted) =
        lookup(topo, &subnet, &reply.cubes().first().map(|c| c.dst.clone()).unwrap_or_default());
    for (r, part) in &routes {
        match &r.target {
            RouteTarget::InternetGateway(g) if Some(g) == igw.as_ref() => route_hop(b, &table, r),
            other => b.block(
                "route",
                &table,
                format!("{}: replies {}", topo.named(&table), route_text(topo, r)),
                format!(
                    "replies to {} leave {} through {}, not the internet gateway: {}",
                    show_addrs(part),
                    topo.named(&subnet),
                    topo.named(other.id()),
                    if matches!(other, RouteTarget::NatGateway(_)) { "the NAT gateway rewrites their source, so the client never gets an answer" } else { "the client never gets an answer" }
                ),
                "serve the internet from a public subnet (0.0.0.0/0 to an internet gateway), e.g. through an internet-facing load balancer".into(),
            ),
        }
    }
    if !unrouted.is_empty() {
        let (reason, fix) = fixes::no_route(topo, &table, to, &show_addrs(&unrouted));
        b.block(
            "route",
            &table,
            format!("{}: no route for replies to {}", topo.named(&table), show_addrs(&unrouted)),
            reason,
            fix,
        );
    }
    let reply = acl(b, &subnet, true, &reply);
    b.direction = Direction::Forward;
    reply.reversed()
}

/// Link-local services (AWS doc "Security group rules": security groups do
/// not filter them): instance metadata, task metadata, Amazon DNS, time sync.
fn link_local(b: &mut Builder<'_, '_>, from: &Place, to: &Place, flow: &Flow) -> PacketSet {
    start(b, from);
    let pkts = packets(from, to.addresses.clone(), flow);
    let at = |s: &str| s.parse::<std::net::Ipv4Addr>().map(|ip| AddrSet::single(u32::from(ip))).unwrap_or_default();
    let component = show_addrs(&to.addresses);
    if to.addresses == at("169.254.169.254") && from.role == "task" {
        // Facts: the ECS CNI plugin blackholes 169.254.169.254 in an awsvpc task's namespace.
        b.block(
            "route",
            &component,
            "169.254.169.254: blackholed in the task's network namespace".into(),
            "the ECS agent's CNI plugin blackholes the instance metadata address in awsvpc task namespaces".into(),
            "use the task metadata and credentials endpoint 169.254.170.2 (the task role) instead".into(),
        );
        return PacketSet::empty();
    }
    let known = [
        ("169.254.169.254", "instance metadata"),
        ("169.254.170.2", "the ECS task metadata and credentials endpoint"),
        ("169.254.169.253", "the Amazon DNS resolver"),
        ("169.254.169.123", "Amazon Time Sync"),
    ];
    match known.iter().find(|(ip, _)| to.addresses == at(ip)) {
        Some((_, what)) => {
            b.note(
                "not-filtered",
                &component,
                format!("{component}: {what}; security groups and network ACLs do not filter it"),
            );
            pkts
        }
        None => {
            b.block(
                "route",
                &component,
                format!("{component}: link-local"),
                format!("nothing answers at {component}: link-local addresses never leave the host"),
                "address a service of the VPC or the internet".into(),
            );
            PacketSet::empty()
        }
    }
}

/// At a load balancer: the listener on the port, its target groups and a
/// path from this node to each target on the target's port.
pub(super) fn listener(topo: &Topology<'_>, path: &mut Path, lb_arn: &str, flow: &Flow) {
    let a = topo.account;
    let ports = if path.arrived.is_empty() { flow.ports.clone() } else { path.arrived.dst_ports() };
    let listeners: Vec<_> =
        a.listeners.values().filter(|l| l.load_balancer_arn == lb_arn && ports.contains(l.port)).collect();
    let lb_name = topo.short(lb_arn);
    if !flow.protocol.contains(TCP) {
        return;
    }
    if listeners.is_empty() {
        let all: Vec<String> =
            a.listeners.values().filter(|l| l.load_balancer_arn == lb_arn).map(|l| l.port.to_string()).collect();
        let has =
            if all.is_empty() { "it has no listener".to_string() } else { format!("it listens on {}", all.join(", ")) };
        push_block(
            topo,
            path,
            "listener",
            lb_arn,
            format!("{lb_name} has no listener on port {} ({has})", crate::sets::show_ports(&ports)),
            format!(
                "add an AWS::ElasticLoadBalancingV2::Listener {{LoadBalancerArn: {}, Port: {}, Protocol: HTTP, DefaultActions: [{{Type: forward, TargetGroupArn: <its target group>}}]}}",
                topo.reference(lb_arn),
                ports.first().unwrap_or(80)
            ),
        );
        return;
    }
    for l in listeners {
        let groups = topo.listener_target_groups(l);
        let names: Vec<String> = groups.iter().map(|g| topo.short(g)).collect();
        path.hops.push(super::Hop {
            step: "listener",
            direction: Direction::Forward,
            component: l.listener_arn.clone(),
            name: topo.owner(&l.listener_arn).map(|o| o.logical_id.clone()),
            detail: format!(
                "{} {}:{} forwards to {}",
                lb_name,
                l.protocol,
                l.port,
                if names.is_empty() { "no target group".into() } else { names.join(", ") }
            ),
            rules: Vec::new(),
            blocked: false,
        });
        for g in &groups {
            for (target, port) in targets(topo, g) {
                let flow = Flow {
                    protocol: ProtoSet::single(TCP),
                    ports: PortSet::single(port),
                    src_ports: PortSet::range(1024, 65535),
                };
                let mut legs = route_between(topo, &path.to, &target, &flow);
                for leg in &mut legs {
                    leg.hops.insert(
                        0,
                        super::Hop {
                            step: "target-group",
                            direction: Direction::Forward,
                            component: g.clone(),
                            name: topo.owner(g).map(|o| o.logical_id.clone()),
                            detail: format!("{} target {} port {port}", topo.short(g), target.label),
                            rules: Vec::new(),
                            blocked: false,
                        },
                    );
                }
                path.next.extend(legs);
            }
        }
    }
    if path.next.is_empty() {
        push_block(
            topo,
            path,
            "target-group",
            lb_arn,
            format!("{lb_name}'s listener forwards to target groups with no targets: the load balancer answers 503"),
            "register targets (an ECS service's LoadBalancers entry registers its tasks)".into(),
        );
    } else if !path.next.iter().any(|p| p.reachable) {
        push_block(
            topo,
            path,
            "target-group",
            lb_arn,
            format!("{lb_name} cannot reach any target of its listener (see the paths to the targets)"),
            path.next.iter().flat_map(|p| p.blockers.iter().map(|b| b.fix.clone())).next().unwrap_or_default(),
        );
    }
}

fn push_block(topo: &Topology<'_>, path: &mut Path, step: &'static str, component: &str, reason: String, fix: String) {
    let name = topo.owner(component).map(|o| o.logical_id.clone());
    path.blockers.push(super::Blocker { step, component: component.to_string(), name, reason, fix, declared: None });
    path.reachable = false;
}

/// A target group's targets as places with their ports; for a group with no
/// registered target yet, the prospective ENIs of the awsvpc services that
/// register into it.
pub(super) fn targets(topo: &Topology<'_>, tg_arn: &str) -> Vec<(Place, u16)> {
    let a = topo.account;
    let Some(tg) = a.target_groups.get(tg_arn) else { return Vec::new() };
    let mut out = Vec::new();
    for t in tg
        .targets
        .iter()
        .filter(|t| !matches!(t.target_health.state, TargetHealthState::Draining | TargetHealthState::Unused))
    {
        let port = t.target.port;
        let eni = match t.target.id.parse::<std::net::Ipv4Addr>() {
            Ok(ip) => tg.vpc_id.as_deref().and_then(|v| topo.eni_at(v, ip)),
            Err(_) => a
                .instances
                .get(&t.target.id)
                .and_then(|i| i.network_interface_ids.first())
                .and_then(|e| a.network_interfaces.get(e)),
        };
        match eni {
            Some(e) => out.push((Place::eni(topo, e), port)),
            None => {
                if let Ok(ip) = t.target.id.parse::<std::net::Ipv4Addr>() {
                    if let Some(s) = tg.vpc_id.as_deref().and_then(|v| topo.subnet_holding(v, ip)) {
                        out.push((Place::addresses(topo, &s.subnet_id, AddrSet::single(u32::from(ip))), port));
                    }
                }
            }
        }
    }
    if out.is_empty() {
        for s in a.services.values().filter(|s| s.status == account::ServiceStatus::Active) {
            for lb in s.load_balancers.iter().filter(|l| l.target_group_arn.as_deref() == Some(tg_arn)) {
                let port = lb.container_port;
                out.extend(crate::endpoint::service_prospective(topo, s).into_iter().map(|p| (p, port)));
            }
        }
    }
    out
}
