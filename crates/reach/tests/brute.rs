//! The symbolic engine against brute force: random topologies built through
//! the account's EC2 actions (see `gen`), and for each, many concrete
//! packets decided twice: by `reach::packet::check` and by an independent
//! evaluator here that walks the account's rules one by one, as the AWS
//! semantics say (security groups, longest-prefix routes, network ACLs both
//! ways, the internet gateway's 1:1 translation, the NAT gateway). Then the
//! symbolic side: a question over a port range must deliver exactly the
//! ports brute force delivers.
//!
//! The brute force's model, in full:
//! - ENI → ENI of the same VPC (private addresses): source's egress rules,
//!   its subnet's route for the destination must be `local`, the source
//!   subnet's ACL out and the destination subnet's ACL in (only when the
//!   subnets differ), the destination's ingress rules, and the reply (swapped
//!   addresses and ports) through the destination subnet's ACL out and the
//!   source subnet's ACL in. Another VPC's private address: never delivered
//!   (no peering).
//! - ENI → internet: egress rules, then the source subnet's route (longest
//!   prefix). To an internet gateway: attached to the VPC, the ENI has a
//!   public IP, the subnet's ACL out and (for the reply) in. To a NAT
//!   gateway: available; TCP, UDP or ICMP; the ACLs between the two subnets
//!   when they differ; the NAT subnet's route must reach an attached internet
//!   gateway; the translated packet (the NAT's private address, source port
//!   1024 + sport % 64000) through the NAT subnet's ACL out, its reply
//!   through the NAT subnet's ACL in, and the untranslated reply back
//!   through the ACLs between the subnets.
//! - internet → an ENI's public IP: an internet gateway attached to the VPC,
//!   the subnet's ACL in, the ENI's ingress rules, the reply routed (longest
//!   prefix) to that gateway, and the subnet's ACL out.
//! - ENI → another ENI's public IP: out to the internet as above, then in to
//!   the public IP from the translated source (the ENI's public IP, or the
//!   NAT's Elastic IP and port). Through a NAT, delivered when every NAT port
//!   in 1024–65535 works for both legs (the port is the NAT's choice: a
//!   connection gets one of them, so with some failing, some connections fail).
//! - ICMP: echo requests (type 8, in `dst_port`; `src_port` is the query
//!   identifier, which no filter reads); the reply is an echo reply (type 0).
//!   GRE (47) stands for protocols without ports.
//!
//! The NAT gateway's source port is its own choice; reach answers for the
//! whole range 1024–65535. So that one concrete port stands for all of them,
//! the generator gives a NAT gateway's subnet only ACL entries whose port
//! ranges cover 1024–65535 or miss it entirely.
//!
//! The symbolic side asks ENI → ENI, internet → ENI and ENI → internet
//! questions over a port range, and checks every port: brute force delivers
//! it exactly when a reachable path's `arrived` set holds the packet (to
//! the internet: from the translated source and port brute force works
//! out; those questions use the one source port tried, as the arrived set
//! of a NAT path holds the gateway's ports rather than the client's).
//!
//! Every disagreement found is kept below as a fixed case.

use testkit::gen::{self, Kind};

use account::{
    Account, NatGatewayState, NetworkAcl, NetworkAclEntry, NetworkInterface, Peer, RouteTable, RouteTarget, RuleAction,
    SecurityGroupRule,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use reach::endpoint::Endpoint;
use reach::packet::Packet;
use reach::sets::{AddrSet, PortSet, ProtoSet};
use reach::topology::Topology;
use reach::trace::{Flow, Place};
use std::net::Ipv4Addr;

const ICMP: u8 = 1;
const TCP: u8 = 6;
const UDP: u8 = 17;
const GRE: u8 = 47;

/// The packet a reply is: addresses swapped; ports swapped, or for an ICMP
/// echo request (type 8) an echo reply (type 0) with the same identifier.
fn reply(p: &Packet) -> Packet {
    if p.protocol == ICMP {
        let answer = match p.dst_port {
            8 => 0,
            13 => 14,
            15 => 16,
            17 => 18,
            t => panic!("ICMP type {t} gets no reply"),
        };
        return Packet { src: p.dst, dst: p.src, protocol: ICMP, src_port: p.src_port, dst_port: answer };
    }
    Packet { src: p.dst, dst: p.src, protocol: p.protocol, src_port: p.dst_port, dst_port: p.src_port }
}

/// The NAT gateway's source port for a packet from `sport` (a concrete stand-in for its choice).
fn nat_port(sport: u16) -> u16 {
    1024 + sport % 64000
}

/// Addresses on the internet: none of the private, shared, loopback, link-local or multicast ranges.
fn is_internet(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(o[0] == 0
        || o[0] == 10
        || o[0] == 127
        || o[0] >= 224
        || (o[0] == 100 && (64..128).contains(&o[1]))
        || (o[0] == 169 && o[1] == 254)
        || (o[0] == 172 && (16..32).contains(&o[1]))
        || (o[0] == 192 && o[1] == 168))
}

/// The rules of the account, walked one by one.
struct Brute<'a> {
    a: &'a Account,
}

type Verdict = Result<(), String>;

fn need(ok: bool, why: impl FnOnce() -> String) -> Verdict {
    if ok {
        Ok(())
    } else {
        Err(why())
    }
}

impl<'a> Brute<'a> {
    fn eni_by_private(&self, ip: Ipv4Addr) -> Option<&'a NetworkInterface> {
        self.a.network_interfaces.values().find(|n| n.private_ip_address == ip)
    }

    fn eni_by_public(&self, ip: Ipv4Addr) -> Option<&'a NetworkInterface> {
        self.a.network_interfaces.values().find(|n| n.association.as_ref().is_some_and(|x| x.public_ip == ip))
    }

    /// The subnet's table: its explicit association, else its VPC's main table.
    fn table(&self, subnet: &str) -> &'a RouteTable {
        let explicit = self
            .a
            .route_tables
            .values()
            .find(|t| t.associations.iter().any(|x| x.subnet_id.as_deref() == Some(subnet)));
        let vpc = &self.a.subnets[subnet].vpc_id;
        explicit.unwrap_or_else(|| {
            self.a
                .route_tables
                .values()
                .find(|t| &t.vpc_id == vpc && t.associations.iter().any(|x| x.main))
                .expect("a main table")
        })
    }

    /// The longest-prefix route for `dst` in the subnet's table.
    fn route(&self, subnet: &str, dst: Ipv4Addr) -> Option<&'a RouteTarget> {
        self.table(subnet)
            .routes
            .iter()
            .filter_map(|r| r.destination_cidr_block.filter(|c| c.contains_addr(dst)).map(|c| (c.prefix(), &r.target)))
            .max_by_key(|(prefix, _)| *prefix)
            .map(|(_, t)| t)
    }

    /// The subnet's ACL: its association, else its VPC's default ACL.
    fn acl(&self, subnet: &str) -> &'a NetworkAcl {
        let explicit = self.a.network_acls.values().find(|x| x.associations.iter().any(|s| s.subnet_id == subnet));
        let vpc = &self.a.subnets[subnet].vpc_id;
        explicit.unwrap_or_else(|| {
            self.a.network_acls.values().find(|x| &x.vpc_id == vpc && x.is_default).expect("a default ACL")
        })
    }

    fn entry_matches(e: &NetworkAclEntry, p: &Packet) -> bool {
        let addr = if e.egress { p.dst } else { p.src };
        if !e.cidr_block.is_some_and(|c| c.contains_addr(addr)) {
            return false;
        }
        if e.protocol == "-1" {
            return true;
        }
        if e.protocol.parse::<u8>().ok() != Some(p.protocol) {
            return false;
        }
        match p.protocol {
            TCP | UDP => e.port_range.is_none_or(|r| (r.from..=r.to).contains(&p.dst_port)),
            ICMP => e.icmp_type_code.is_none_or(|(t, _)| t == -1 || t == i32::from(p.dst_port)),
            _ => true,
        }
    }

    /// The subnet's ACL one way: entries by number, the first match decides, no match denies.
    fn acl_pass(&self, subnet: &str, egress: bool, p: &Packet) -> Verdict {
        let acl = self.acl(subnet);
        let mut entries: Vec<&NetworkAclEntry> = acl.entries.iter().filter(|e| e.egress == egress).collect();
        entries.sort_by_key(|e| e.rule_number);
        let hit = entries.into_iter().find(|e| Self::entry_matches(e, p));
        let dir = if egress { "out" } else { "in" };
        match hit {
            Some(e) if e.rule_action == RuleAction::Allow => Ok(()),
            Some(e) => Err(format!("{} {dir} rule {} denies {p:?}", acl.network_acl_id, e.rule_number)),
            None => Err(format!("{} {dir}: no entry matches {p:?}", acl.network_acl_id)),
        }
    }

    fn rule_matches(&self, r: &SecurityGroupRule, p: &Packet, peer: Ipv4Addr) -> bool {
        let ports = |port: u16| match (r.from_port, r.to_port) {
            (Some(f), Some(t)) => f <= i32::from(port) && i32::from(port) <= t,
            _ => true,
        };
        let proto = match r.ip_protocol.as_str() {
            "-1" => true,
            "tcp" => p.protocol == TCP && ports(p.dst_port),
            "udp" => p.protocol == UDP && ports(p.dst_port),
            "icmp" => p.protocol == ICMP && r.from_port.is_none_or(|t| t == -1 || t == i32::from(p.dst_port)),
            n => n.parse::<u8>().ok() == Some(p.protocol),
        };
        proto
            && match &r.peer {
                Peer::Cidr(c) => c.contains_addr(peer),
                Peer::SecurityGroup(g) => {
                    self.a.network_interfaces.values().any(|n| n.private_ip_address == peer && n.groups.contains(g))
                }
                Peer::Ipv6Cidr(_) | Peer::PrefixList(_) => false,
            }
    }

    /// The ENI's groups: any rule of any group (egress: towards the destination; ingress: from the source).
    fn sg_pass(&self, eni: &NetworkInterface, egress: bool, p: &Packet) -> Verdict {
        let peer = if egress { p.dst } else { p.src };
        let ok = eni.groups.iter().filter_map(|g| self.a.security_groups.get(g)).any(|g| {
            let rules = if egress { &g.egress } else { &g.ingress };
            rules.iter().any(|r| self.rule_matches(r, p, peer))
        });
        need(ok, || format!("no {} rule of {:?} matches {p:?}", if egress { "egress" } else { "ingress" }, eni.groups))
    }

    fn attached(&self, igw: &str, vpc: &str) -> bool {
        self.a.internet_gateways.get(igw).is_some_and(|g| g.attachments.iter().any(|x| x.vpc_id == vpc))
    }

    /// Delivered, and the reply gets back.
    fn decide(&self, p: &Packet) -> Verdict {
        let Some(src) = self.eni_by_private(p.src) else {
            need(is_internet(p.src), || format!("{} is neither an ENI nor the internet", p.src))?;
            let dst =
                self.eni_by_public(p.dst).ok_or_else(|| format!("nothing on the internet answers at {}", p.dst))?;
            return self.inbound(dst, p);
        };
        if let Some(dst) = self.eni_by_private(p.dst) {
            need(dst.vpc_id == src.vpc_id, || "the VPCs are not peered".into())?;
            return self.within(src, dst, p);
        }
        if let Some(dst) = self.eni_by_public(p.dst) {
            return self.hairpin(src, dst, p);
        }
        need(is_internet(p.dst), || format!("nobody holds {}", p.dst))?;
        self.outbound(src, p, nat_port(p.src_port)).map(|_| ())
    }

    fn within(&self, a: &NetworkInterface, b: &NetworkInterface, p: &Packet) -> Verdict {
        self.sg_pass(a, true, p)?;
        need(self.route(&a.subnet_id, p.dst) == Some(&RouteTarget::Local), || "no local route".into())?;
        let crossing = a.subnet_id != b.subnet_id;
        if crossing {
            self.acl_pass(&a.subnet_id, true, p)?;
            self.acl_pass(&b.subnet_id, false, p)?;
        }
        self.sg_pass(b, false, p)?;
        if crossing {
            let r = reply(p);
            self.acl_pass(&b.subnet_id, true, &r)?;
            self.acl_pass(&a.subnet_id, false, &r)?;
        }
        Ok(())
    }

    /// Out to the internet; the packet's source and source port as the internet sees them.
    fn outbound(&self, e: &NetworkInterface, p: &Packet, nat_sport: u16) -> Result<(Ipv4Addr, u16), String> {
        self.sg_pass(e, true, p)?;
        match self.route(&e.subnet_id, p.dst) {
            Some(RouteTarget::InternetGateway(g)) => {
                need(self.attached(g, &e.vpc_id), || format!("{g} is not attached"))?;
                let public = e.association.as_ref().map(|x| x.public_ip).ok_or_else(|| "no public IP".to_string())?;
                self.acl_pass(&e.subnet_id, true, p)?;
                self.acl_pass(&e.subnet_id, false, &reply(p))?;
                Ok((public, p.src_port))
            }
            Some(RouteTarget::NatGateway(n)) => {
                let nat = &self.a.nat_gateways[n];
                need(nat.state == NatGatewayState::Available, || format!("{n} is {:?}", nat.state))?;
                need([TCP, UDP, ICMP].contains(&p.protocol), || {
                    format!("a NAT gateway does not carry protocol {}", p.protocol)
                })?;
                let crossing = nat.subnet_id != e.subnet_id;
                if crossing {
                    self.acl_pass(&e.subnet_id, true, p)?;
                    self.acl_pass(&nat.subnet_id, false, p)?;
                }
                let to_igw = matches!(self.route(&nat.subnet_id, p.dst), Some(RouteTarget::InternetGateway(g)) if self.attached(g, &nat.vpc_id));
                need(to_igw, || "the NAT gateway's subnet does not route to an attached internet gateway".into())?;
                let addr = nat.nat_gateway_addresses.first().expect("an address");
                let private = addr.private_ip.expect("a private IP");
                let public = addr.public_ip.expect("a public IP");
                // ICMP: the gateway rewrites the query identifier, which no filter reads.
                let sport = if p.protocol == ICMP { p.src_port } else { nat_sport };
                let t = Packet { src: private, src_port: sport, ..*p };
                self.acl_pass(&nat.subnet_id, true, &t)?;
                self.acl_pass(&nat.subnet_id, false, &reply(&t))?;
                if crossing {
                    let r = reply(p);
                    self.acl_pass(&nat.subnet_id, true, &r)?;
                    self.acl_pass(&e.subnet_id, false, &r)?;
                }
                Ok((public, sport))
            }
            Some(other) => Err(format!("routed to {other:?}")),
            None => Err("no route".into()),
        }
    }

    fn inbound(&self, e: &NetworkInterface, p: &Packet) -> Verdict {
        let igw = self.a.internet_gateways.values().find(|g| g.attachments.iter().any(|x| x.vpc_id == e.vpc_id));
        let igw = igw.ok_or_else(|| "no internet gateway attached".to_string())?;
        need(e.association.is_some(), || "no public IP".into())?;
        self.acl_pass(&e.subnet_id, false, p)?;
        self.sg_pass(e, false, p)?;
        let back =
            self.route(&e.subnet_id, p.src) == Some(&RouteTarget::InternetGateway(igw.internet_gateway_id.clone()));
        need(back, || "replies do not route to the internet gateway".into())?;
        self.acl_pass(&e.subnet_id, true, &reply(p))
    }

    /// Ports worth trying for the NAT's choice: the ends of the ephemeral
    /// range and every ACL port boundary inside it (between two of them
    /// every port gets the same verdict).
    fn nat_candidates(&self) -> Vec<u16> {
        let mut out = vec![1024, 65535];
        for e in self.a.network_acls.values().flat_map(|x| &x.entries) {
            if let Some(r) = e.port_range {
                out.extend(
                    [r.from, r.to, r.from.saturating_sub(1), r.to.saturating_add(1)].into_iter().filter(|p| *p >= 1024),
                );
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// To another ENI's public IP: out to the internet, then back in.
    fn hairpin(&self, a: &NetworkInterface, b: &NetworkInterface, p: &Packet) -> Verdict {
        let via_nat = matches!(self.route(&a.subnet_id, p.dst), Some(RouteTarget::NatGateway(_)));
        let ports = if via_nat { self.nat_candidates() } else { vec![nat_port(p.src_port)] };
        // Through a NAT, every port it may pick must work: a connection gets one of them.
        for q in ports {
            self.outbound(a, p, q).and_then(|(src, sport)| self.inbound(b, &Packet { src, src_port: sport, ..*p }))?;
        }
        Ok(())
    }
}

/// A packet to try, as indices into what the topology has.
#[derive(Clone, Debug)]
struct PacketSeed {
    kind: u8,
    a: usize,
    b: usize,
    proto: u8,
    sport: u16,
    dport: u16,
}

fn port() -> impl Strategy<Value = u16> {
    prop_oneof![3 => select(vec![80u16, 20, 22, 25, 53, 443, 1000, 1050, 1100, 1023, 1024, 8000, 8080, 65535, 3306, 0]), 1 => any::<u16>()]
}

fn source_port() -> impl Strategy<Value = u16> {
    prop_oneof![3 => select(vec![40000u16, 1024, 1023, 80, 65535, 53, 33000, 1050]), 1 => any::<u16>()]
}

fn packet_seed() -> impl Strategy<Value = PacketSeed> {
    let kind = gen::kind_number();
    let proto = prop_oneof![3 => Just(0u8), 2 => Just(4u8), 2 => Just(6u8), 1 => Just(7u8)];
    (kind, 0usize..64, 0usize..64, proto, source_port(), port())
        .prop_map(|(kind, a, b, proto, sport, dport)| PacketSeed { kind, a, b, proto, sport, dport })
}

/// The packet a seed stands for in this topology, if it has the ends it needs.
fn packet_of(a: &Account, enis: &[String], s: &PacketSeed) -> Option<(Kind, Packet)> {
    let (kind, _, src, dst) = gen::packet_ends(a, enis, s.kind, s.a, s.b)?;
    let (protocol, src_port, dst_port) = match s.proto {
        0..=3 => (TCP, s.sport, s.dport),
        4 | 5 => (UDP, s.sport, s.dport),
        6 => (ICMP, s.sport, 8),
        _ => (GRE, 0, 0),
    };
    Some((kind, Packet { src, dst, protocol, src_port, dst_port }))
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

/// The failure's message: the packet, both verdicts and the topology.
fn report(built: &gen::Built, p: &Packet, kind: Kind, brute: &Verdict, decision: &reach::packet::Decision) -> String {
    format!(
        "{kind:?} packet {p:?}\nbrute force: {brute:?}\nreach: allowed={} reasons={:#?}\ntopology:\n{}cidrs: {:?}",
        decision.allowed,
        decision.reasons,
        gen::describe(&built.account),
        built.cidrs
    )
}

/// Which ends a question has.
#[derive(Clone, Copy, Debug)]
enum Ask {
    /// ENI → ENI (private addresses).
    Private,
    /// An internet host → an ENI.
    FromInternet,
    /// An ENI → an internet host.
    ToInternet,
}

/// A question over a port range, as indices.
#[derive(Clone, Debug)]
struct QuestionSeed {
    ask: Ask,
    a: usize,
    b: usize,
    udp: bool,
    range: usize,
    sport: usize,
}

/// Destination port ranges questions ask about.
const RANGES: &[(u16, u16)] =
    &[(0, 120), (15, 90), (430, 450), (990, 1110), (7990, 8010), (50, 60), (1015, 1030), (0, 30), (75, 85)];
/// Source ports questions use: (the flow's source ports, the one tried).
const SOURCES: &[(u16, u16, u16)] =
    &[(1024, 65535, 40000), (1024, 65535, 1024), (1024, 65535, 65535), (80, 80, 80), (1000, 1000, 1000), (53, 53, 53)];

fn question_seed() -> impl Strategy<Value = QuestionSeed> {
    let ask = prop_oneof![2 => Just(Ask::Private), 1 => Just(Ask::FromInternet), 1 => Just(Ask::ToInternet)];
    (ask, 0usize..64, 0usize..64, any::<bool>(), 0..RANGES.len(), 0..SOURCES.len())
        .prop_map(|(ask, a, b, udp, range, sport)| QuestionSeed { ask, a, b, udp, range, sport })
}

/// Whether some reachable path delivers `p`.
fn delivers(paths: &[reach::trace::Path], p: &Packet) -> bool {
    paths.iter().any(|x| x.reachable && x.arrived.contains(p))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    /// `packet::check` says what brute force says, packet by packet.
    #[test]
    fn concrete_packets_agree_with_brute_force(spec in gen::spec(), seeds in vec(packet_seed(), 200)) {
        let built = gen::build(&spec);
        let topo = Topology::new(&built.account);
        let brute = Brute { a: &built.account };
        for s in &seeds {
            let Some((kind, p)) = packet_of(&built.account, &built.enis, s) else { continue };
            let expected = brute.decide(&p);
            let got = reach::packet::check(&topo, &p);
            prop_assert_eq!(got.allowed, expected.is_ok(), "{}", report(&built, &p, kind, &expected, &got));
        }
    }

    /// A question over a port range delivers exactly the ports brute force delivers.
    #[test]
    fn symbolic_answers_agree_with_brute_force(spec in gen::spec(), seeds in vec(question_seed(), 16)) {
        let built = gen::build(&spec);
        let a = &built.account;
        let topo = Topology::new(a);
        let brute = Brute { a };
        for s in &seeds {
            let eni = |i: usize| &a.network_interfaces[&built.enis[i % built.enis.len()]];
            let (from, b) = (eni(s.a), eni(s.b));
            let host: Ipv4Addr = gen::INTERNET_HOSTS[s.a % gen::INTERNET_HOSTS.len()].parse().expect("host");
            let (lo, hi) = RANGES[s.range];
            let (slo, shi, sport) = SOURCES[s.sport];
            let protocol = if s.udp { UDP } else { TCP };
            // Out through a NAT gateway the arrived set holds the gateway's ports, not the
            // client's: questions to the internet ask for the one source port tried.
            let src_ports = if matches!(s.ask, Ask::ToInternet) { PortSet::single(sport) } else { PortSet::range(slo, shi) };
            let flow = Flow { protocol: ProtoSet::single(protocol), ports: PortSet::range(lo, hi), src_ports };
            let paths = match s.ask {
                Ask::Private if from.network_interface_id == b.network_interface_id => continue,
                Ask::Private => {
                    let end = |e: &NetworkInterface| Endpoint::of(e.network_interface_id.clone(), vec![Place::eni(&topo, e)]);
                    reach::query::ask(&topo, &end(from), &end(b), &flow).paths
                }
                Ask::FromInternet => reach::trace::leg(&topo, &Place::internet(AddrSet::single(u32::from(host))), &Place::eni(&topo, b), &flow),
                Ask::ToInternet => reach::trace::leg(&topo, &Place::eni(&topo, from), &Place::internet(AddrSet::single(u32::from(host))), &flow),
            };
            for dport in lo..=hi {
                let p = |src: Ipv4Addr, dst: Ipv4Addr| Packet { src, dst, protocol, src_port: sport, dst_port: dport };
                let (symbolic, expected) = match s.ask {
                    Ask::Private => (delivers(&paths, &p(from.private_ip_address, b.private_ip_address)), brute.decide(&p(from.private_ip_address, b.private_ip_address))),
                    // reach's packets arrive at the private address; brute force sends them to the public one.
                    Ask::FromInternet => {
                        let expected = match &b.association {
                            Some(x) => brute.decide(&p(host, x.public_ip)),
                            None => Err("no public IP".into()),
                        };
                        (delivers(&paths, &p(host, b.private_ip_address)), expected)
                    }
                    // They arrive from the translated source and port brute force works out; when it
                    // finds none, no reachable path may deliver anything on the port.
                    Ask::ToInternet => {
                        let sent = p(from.private_ip_address, host);
                        let out = brute.outbound(from, &sent, nat_port(sport));
                        let symbolic = match &out {
                            Ok((src, src_port)) => delivers(&paths, &Packet { src: *src, src_port: *src_port, ..sent }),
                            Err(_) => paths.iter().any(|x| x.reachable && x.arrived.cubes().iter().any(|c| c.dst.contains(u32::from(host)) && c.dst_ports.contains(dport))),
                        };
                        (symbolic, out.map(|_| ()))
                    }
                };
                prop_assert_eq!(
                    symbolic,
                    expected.is_ok(),
                    "question {:?} flow {:?}: port {}\nbrute force: {:?}\npaths: {:#?}\ntopology:\n{}",
                    s, flow, dport, expected,
                    paths.iter().map(|x| (x.reachable, x.blockers.iter().map(|b| b.reason.clone()).collect::<Vec<_>>(), x.arrived.clone())).collect::<Vec<_>>(),
                    gen::describe(a)
                );
            }
        }
    }
}

/// The generator is not vacuous: over 64 topologies, every kind of packet
/// is delivered sometimes and dropped sometimes, and both gateways carry
/// some packets to the internet.
#[test]
fn the_generator_reaches_both_verdicts_for_every_kind() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::BTreeMap;
    let mut runner = TestRunner::deterministic();
    let mut counts: BTreeMap<(Kind, bool), usize> = BTreeMap::new();
    let mut via: BTreeMap<&str, usize> = BTreeMap::new();
    for _ in 0..64 {
        let spec = gen::spec().new_tree(&mut runner).expect("a spec").current();
        let seeds = vec(packet_seed(), 200).new_tree(&mut runner).expect("seeds").current();
        let built = gen::build(&spec);
        let brute = Brute { a: &built.account };
        for s in &seeds {
            let Some((kind, p)) = packet_of(&built.account, &built.enis, s) else { continue };
            let ok = brute.decide(&p).is_ok();
            *counts.entry((kind, ok)).or_default() += 1;
            if ok && kind == Kind::ToInternet {
                let src = brute.eni_by_private(p.src).expect("source");
                let gw = match brute.route(&src.subnet_id, p.dst) {
                    Some(RouteTarget::NatGateway(_)) => "nat",
                    _ => "igw",
                };
                *via.entry(gw).or_default() += 1;
            }
        }
    }
    eprintln!("verdicts by kind: {counts:?}; delivered to the internet via: {via:?}");
    for kind in [Kind::Private, Kind::ToInternet, Kind::FromInternet, Kind::Hairpin] {
        for ok in [true, false] {
            assert!(
                counts.get(&(kind, ok)).copied().unwrap_or(0) > 0,
                "no {kind:?} packet with verdict {ok}: {counts:?}"
            );
        }
    }
    assert!(counts.get(&(Kind::CrossVpc, false)).copied().unwrap_or(0) > 0, "{counts:?}");
    assert!(via.get("nat").copied().unwrap_or(0) > 0 && via.get("igw").copied().unwrap_or(0) > 0, "{via:?}");
}

/// The disagreements brute force found, kept as fixed cases: a VPC
/// 10.9.0.0/16 with a public subnet (0.0.0.0/0 to the internet gateway)
/// holding a NAT gateway and an ENI with a public IP, and a private subnet
/// (0.0.0.0/0 to the NAT gateway) holding an ENI; one group allows
/// everything both ways. `acl` entries go on a custom ACL of the public
/// subnet (rule 32000 allows the rest, both ways, unless `closed`).
struct Fixture {
    a: Account,
    private_eni: Ipv4Addr,
    public_eni: Ipv4Addr,
    public_ip: Ipv4Addr,
}

/// An ACL entry: number, outbound, protocol, ports, ICMP type, allow, CIDR.
type Entry<'s> = (u16, bool, &'s str, Option<(u16, u16)>, Option<i32>, bool, &'s str);

fn fixture(entries: &[Entry<'_>], closed: bool) -> Fixture {
    use account::{Ipv4Cidr, Origin, PortRange};
    let gen::NatVpc { account: mut a, vpc, public, private, group: sg, .. } = gen::nat_vpc();
    let acl = a.create_network_acl(&vpc).expect("acl").network_acl_id;
    let assoc = a.network_acl_association_id(&public).expect("association");
    a.replace_network_acl_association(&assoc, &acl).expect("replace");
    let mut all: Vec<Entry<'_>> = entries.to_vec();
    if !closed {
        all.extend([
            (32000, false, "-1", None, None, true, "0.0.0.0/0"),
            (32000, true, "-1", None, None, true, "0.0.0.0/0"),
        ]);
    }
    for (rule_number, egress, protocol, ports, icmp, allow, cidr) in all {
        let entry = NetworkAclEntry {
            rule_number,
            protocol: protocol.into(),
            rule_action: if allow { RuleAction::Allow } else { RuleAction::Deny },
            egress,
            cidr_block: Some(Ipv4Cidr::parse(cidr).expect("cidr")),
            ipv6_cidr_block: None,
            port_range: ports.map(|(from, to)| PortRange { from, to }),
            icmp_type_code: icmp.map(|t| (t, -1)),
            origin: Origin::none(),
        };
        a.create_network_acl_entry(&acl, entry).expect("entry");
    }
    let p = gen::open_eni(&mut a, &private, &sg, false);
    let q = gen::open_eni(&mut a, &public, &sg, true);
    let public_ip = q.association.as_ref().expect("public ip").public_ip;
    Fixture { a, private_eni: p.private_ip_address, public_eni: q.private_ip_address, public_ip }
}

/// Both verdicts for one packet, which must be `expected`.
fn verdicts(f: &Fixture, p: Packet, expected: bool) {
    let topo = Topology::new(&f.a);
    let brute = Brute { a: &f.a }.decide(&p);
    let got = reach::packet::check(&topo, &p);
    assert_eq!(brute.is_ok(), expected, "brute force on {p:?}: {brute:?}\n{}", gen::describe(&f.a));
    assert_eq!(got.allowed, expected, "reach on {p:?}: {:#?}\n{}", got.reasons, gen::describe(&f.a));
}

const HOST: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 7);

/// An echo request's reply is an echo reply (type 0), whatever identifier
/// `src_port` holds: reach used to read the reply's type from it.
#[test]
fn an_icmp_echo_is_answered_by_an_echo_reply() {
    let f = fixture(&[(10, false, "icmp", None, Some(0), false, "0.0.0.0/0")], false);
    let echo = Packet { src: f.public_eni, dst: f.private_eni, protocol: ICMP, src_port: 4242, dst_port: 8 };
    verdicts(&f, echo, false);
    let f = fixture(
        &[
            (10, false, "icmp", None, Some(0), true, "0.0.0.0/0"),
            (20, false, "icmp", None, Some(-1), false, "0.0.0.0/0"),
        ],
        false,
    );
    verdicts(&f, echo, true);
}

/// Through a NAT gateway an echo reply is still type 0: reach used to give
/// ICMP the gateway's ports, so the reply's "type" was 1024–65535.
#[test]
fn icmp_through_a_nat_gateway_keeps_its_types() {
    let f = fixture(
        &[
            (10, false, "icmp", None, Some(0), true, "0.0.0.0/0"),
            (20, false, "icmp", None, Some(-1), false, "203.0.113.0/24"),
        ],
        false,
    );
    let echo = Packet { src: f.private_eni, dst: HOST, protocol: ICMP, src_port: 4242, dst_port: 8 };
    verdicts(&f, echo, true);
    let f = fixture(&[(10, false, "icmp", None, Some(0), false, "0.0.0.0/0")], false);
    verdicts(&f, echo, false);
}

/// A NAT gateway carries TCP, UDP and ICMP only.
#[test]
fn a_nat_gateway_does_not_carry_gre() {
    let f = fixture(&[], false);
    let gre = Packet { src: f.private_eni, dst: HOST, protocol: GRE, src_port: 0, dst_port: 0 };
    verdicts(&f, gre, false);
    let topo = Topology::new(&f.a);
    let d = reach::packet::check(&topo, &gre);
    assert!(d.reasons.iter().any(|r| r.contains("carries only TCP, UDP and ICMP")), "{:?}", d.reasons);
    verdicts(&f, Packet { src: f.public_eni, ..gre }, true);
}

/// Out through a NAT gateway and back in to a public IP of the VPC: the
/// second leg comes from the gateway's ports (1024–65535), not the
/// client's; reach used to keep the client's port 80, which the public
/// subnet's ACL does not let replies go to.
#[test]
fn a_hairpin_through_a_nat_gateway_comes_from_its_ports() {
    let entries = [
        (10, false, "-1", None, None, true, "0.0.0.0/0"),
        (10, true, "-1", None, None, true, "10.9.0.0/16"),
        (20, true, "udp", Some((1024, 65535)), None, true, "0.0.0.0/0"),
    ];
    let f = fixture(&entries, true);
    let p = Packet { src: f.private_eni, dst: f.public_ip, protocol: UDP, src_port: 80, dst_port: 1024 };
    verdicts(&f, p, true);
    // From the client's own port the replies would be denied.
    let p = Packet { src: HOST, dst: f.public_ip, protocol: UDP, src_port: 80, dst_port: 1024 };
    verdicts(&f, p, false);
}

/// Out through a NAT gateway over a port range: the ports the NAT subnet's
/// ACL denies do not arrive. reach used to let the whole range through as
/// soon as any translated packet and its reply passed that ACL.
#[test]
fn a_nat_subnet_acl_narrows_the_ports_that_arrive() {
    let f = fixture(&[(10, true, "udp", Some((0, 1023)), None, false, "0.0.0.0/0")], false);
    let topo = Topology::new(&f.a);
    let eni = Brute { a: &f.a }.eni_by_private(f.private_eni).expect("the private ENI");
    let flow =
        Flow { protocol: ProtoSet::single(UDP), ports: PortSet::range(990, 1110), src_ports: PortSet::single(40000) };
    let paths =
        reach::trace::leg(&topo, &Place::eni(&topo, eni), &Place::internet(AddrSet::single(u32::from(HOST))), &flow);
    assert!(paths.len() == 1 && paths[0].reachable, "{paths:#?}");
    assert_eq!(paths[0].arrived.dst_ports(), PortSet::range(1024, 1110));
    for (port, expected) in [(990, false), (1023, false), (1024, true), (1110, true)] {
        verdicts(
            &f,
            Packet { src: f.private_eni, dst: HOST, protocol: UDP, src_port: 40000, dst_port: port },
            expected,
        );
    }
}

/// From the internet only public IPs are reachable: reach used to deliver a
/// packet addressed to a private address of an ENI that has a public IP.
#[test]
fn the_internet_does_not_reach_private_addresses() {
    let f = fixture(&[], false);
    let p = Packet { src: HOST, dst: f.public_ip, protocol: TCP, src_port: 40000, dst_port: 443 };
    verdicts(&f, p, true);
    verdicts(&f, Packet { dst: f.public_eni, ..p }, false);
}
