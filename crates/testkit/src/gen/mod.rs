//! Random topologies for the reach property tests, built through the
//! account's own EC2 actions (so every topology is one EC2 would accept):
//! the default VPC plus one or two 10.x.0.0/16 VPCs, their subnets, route
//! tables, internet and NAT gateways, security groups, network ACLs and ENIs.
//!
//! A [`Spec`] is plain data made of small indices; building maps every
//! index onto what exists (modulo the count), so any shrunk spec still
//! builds. Calls EC2 refuses as duplicates (a route or rule that already
//! exists, a taken ACL rule number) are skipped, as a template author
//! would drop them.
//!
//! [`services_vpc`] builds the large, regular VPC the benchmarks audit.

mod build;
mod endpoints;
mod packets;
mod services;

pub use build::{build, describe};
pub use endpoints::{s3_gateway_route, vpc_endpoint};
pub use packets::{
    kind_number, kind_number_with_services, nat_hairpin, nat_vpc, open_eni, own_acl, packet_ends, Kind, NatHairpin,
    NatVpc,
};
pub use services::services_vpc;

use account::Account;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

/// Port ranges security group rules use.
pub const SG_PORTS: &[(i32, i32)] =
    &[(80, 80), (20, 25), (53, 53), (443, 443), (1000, 1100), (8000, 8000), (0, 65535), (1024, 65535)];
/// Port ranges network ACL entries use (some cover the ephemeral range, some part of it).
pub const ACL_PORTS: &[(u16, u16)] = &[
    (80, 80),
    (20, 25),
    (53, 53),
    (443, 443),
    (1000, 1100),
    (8000, 8000),
    (1024, 65535),
    (0, 65535),
    (32768, 65535),
    (0, 1023),
];
/// ICMP types rules and entries name (-1: every type).
pub const ICMP_TYPES: &[i32] = &[-1, 0, 8, 3];
/// Internet blocks routes and rules name (192.0.2.0/24 holds the public IPs the account hands out).
pub const INTERNET_BLOCKS: &[&str] = &["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "198.51.100.0/25"];
/// Internet hosts packets go to or come from.
pub const INTERNET_HOSTS: &[&str] = &["203.0.113.7", "203.0.113.200", "198.51.100.9", "198.51.100.201"];

/// What happens to a VPC's internet gateway.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Igw {
    /// Created and attached.
    Attached,
    /// None at all.
    Missing,
    /// Created, attached, routed to, then detached (its routes are blackholes, a NAT gateway fails).
    Detached,
}

/// Where a route goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// No route.
    None,
    /// The VPC's internet gateway.
    Igw,
    /// The VPC's NAT gateway.
    Nat,
}

/// A route table: its 0.0.0.0/0 route and more specific routes to internet blocks.
#[derive(Clone, Debug)]
pub struct TableSpec {
    /// The default route's target.
    pub default_route: Target,
    /// (index into [`INTERNET_BLOCKS`], target).
    pub specific: Vec<(usize, Target)>,
}

/// One network ACL entry.
#[derive(Clone, Debug)]
pub struct EntrySpec {
    /// Rule number.
    pub number: u16,
    /// Outbound when true.
    pub egress: bool,
    /// 0 tcp, 1 udp, 2 icmp, 3 all.
    pub proto: u8,
    /// Allow or deny.
    pub allow: bool,
    /// Index into the CIDR choices.
    pub cidr: usize,
    /// Index into [`ACL_PORTS`].
    pub ports: usize,
    /// Index into [`ICMP_TYPES`].
    pub icmp: usize,
}

/// One of our VPCs (10.(i+1).0.0/16).
#[derive(Clone, Debug)]
pub struct VpcSpec {
    /// Its internet gateway.
    pub igw: Igw,
    /// A NAT gateway in its subnet number `n` (modulo its subnets).
    pub nat: Option<usize>,
    /// Give the NAT gateway's subnet a table of its own sending 0.0.0.0/0 to
    /// the internet gateway (a public subnet), whatever its spec says.
    pub nat_public: bool,
    /// Its route tables: the main one first, then custom ones.
    pub tables: Vec<TableSpec>,
    /// Custom network ACLs, each with its entries and whether it ends
    /// allowing the rest (entry 32000, both ways: a deny-list ACL).
    pub acls: Vec<(Vec<EntrySpec>, bool)>,
    /// Entries added to its default ACL.
    pub default_acl: Vec<EntrySpec>,
    /// Its VPC endpoints (none unless drawn by [`spec_with_endpoints`]).
    pub endpoints: EndpointsSpec,
}

/// A VPC's endpoints: AWS's APIs as places inside it.
#[derive(Clone, Debug, Default)]
pub struct EndpointsSpec {
    /// An S3 gateway endpoint whose prefix-list route goes into these of
    /// the VPC's tables (modulo their count); none: no gateway endpoint.
    pub s3_gateway: Option<Vec<usize>>,
    /// A Secrets Manager interface endpoint in the VPC's subnet `n` (modulo
    /// its subnets) holding these of the VPC's groups (none: the default group).
    pub interface: Option<(usize, Vec<usize>)>,
}

/// A subnet of one of our VPCs.
#[derive(Clone, Debug)]
pub struct SubnetSpec {
    /// Which of our VPCs.
    pub vpc: usize,
    /// An explicit association with that VPC's table `n` (0: the main table, explicitly); none: the main table implicitly.
    pub table: Option<usize>,
    /// A custom ACL of the VPC (none: the default ACL).
    pub acl: Option<usize>,
}

/// Who a security group rule names.
#[derive(Clone, Copy, Debug)]
pub enum PeerSpec {
    /// Index into the CIDR choices.
    Cidr(usize),
    /// A group of the same VPC.
    Group(usize),
}

/// One security group rule.
#[derive(Clone, Debug)]
pub struct RuleSpec {
    /// 0 tcp, 1 udp, 2 icmp, 3 all.
    pub proto: u8,
    /// Index into [`SG_PORTS`].
    pub ports: usize,
    /// Index into [`ICMP_TYPES`].
    pub icmp: usize,
    /// The peer.
    pub peer: PeerSpec,
}

/// A security group.
#[derive(Clone, Debug)]
pub struct GroupSpec {
    /// Which VPC: one of ours, or (the last index) the default VPC.
    pub vpc: usize,
    /// Ingress rules.
    pub ingress: Vec<RuleSpec>,
    /// Egress rules added.
    pub egress: Vec<RuleSpec>,
    /// Revoke the allow-all egress rule.
    pub revoke_default_egress: bool,
}

/// A public address for an ENI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Public {
    /// None.
    None,
    /// Auto-assigned (AssignPublicIp).
    Auto,
    /// An Elastic IP associated.
    Elastic,
}

/// An ENI.
#[derive(Clone, Debug)]
pub struct EniSpec {
    /// Which subnet: ours, then two of the default VPC's.
    pub subnet: usize,
    /// Groups of its VPC (none: the default group).
    pub groups: Vec<usize>,
    /// Its public address.
    pub public: Public,
}

/// A whole topology.
#[derive(Clone, Debug)]
pub struct Spec {
    /// Our VPCs.
    pub vpcs: Vec<VpcSpec>,
    /// Our subnets.
    pub subnets: Vec<SubnetSpec>,
    /// Security groups.
    pub groups: Vec<GroupSpec>,
    /// ENIs.
    pub enis: Vec<EniSpec>,
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![1 => Just(Target::None), 2 => Just(Target::Igw), 2 => Just(Target::Nat)]
}

fn table() -> impl Strategy<Value = TableSpec> {
    (target(), vec((0..INTERNET_BLOCKS.len(), target()), 0..=2))
        .prop_map(|(default_route, specific)| TableSpec { default_route, specific })
}

/// A CIDR choice: 0.0.0.0/0 (index 0) a third of the time.
fn cidr_choice() -> impl Strategy<Value = usize> {
    prop_oneof![1 => Just(0usize), 2 => 0usize..64]
}

fn entry() -> impl Strategy<Value = EntrySpec> {
    (
        1u16..=20,
        any::<bool>(),
        0u8..4,
        prop::bool::weighted(0.7),
        cidr_choice(),
        0..ACL_PORTS.len(),
        0..ICMP_TYPES.len(),
    )
        .prop_map(|(n, egress, proto, allow, cidr, ports, icmp)| EntrySpec {
            number: n * 10,
            egress,
            proto,
            allow,
            cidr,
            ports,
            icmp,
        })
}

fn vpc() -> impl Strategy<Value = VpcSpec> {
    let igw = prop_oneof![5 => Just(Igw::Attached), 1 => Just(Igw::Missing), 1 => Just(Igw::Detached)];
    (
        igw,
        option::weighted(0.8, 0usize..6),
        prop::bool::weighted(0.85),
        vec(table(), 1..=3),
        vec((vec(entry(), 0..=6), any::<bool>()), 0..=2),
        vec(entry(), 0..=3),
    )
        .prop_map(|(igw, nat, nat_public, tables, acls, default_acl)| VpcSpec {
            igw,
            nat,
            nat_public,
            tables,
            acls,
            default_acl,
            endpoints: EndpointsSpec::default(),
        })
}

fn endpoints() -> impl Strategy<Value = EndpointsSpec> {
    (option::weighted(0.5, vec(0usize..3, 1..=2)), option::weighted(0.5, (0usize..6, vec(0usize..6, 0..=2))))
        .prop_map(|(s3_gateway, interface)| EndpointsSpec { s3_gateway, interface })
}

fn subnet() -> impl Strategy<Value = SubnetSpec> {
    (0usize..2, option::of(0usize..3), option::weighted(0.4, 0usize..2)).prop_map(|(vpc, table, acl)| SubnetSpec {
        vpc,
        table,
        acl,
    })
}

fn rule() -> impl Strategy<Value = RuleSpec> {
    let peer = prop_oneof![2 => cidr_choice().prop_map(PeerSpec::Cidr), 1 => (0usize..6).prop_map(PeerSpec::Group)];
    (0u8..4, 0..SG_PORTS.len(), 0..ICMP_TYPES.len(), peer).prop_map(|(proto, ports, icmp, peer)| RuleSpec {
        proto,
        ports,
        icmp,
        peer,
    })
}

fn group() -> impl Strategy<Value = GroupSpec> {
    (0usize..3, vec(rule(), 0..=5), vec(rule(), 0..=3), prop::bool::weighted(0.4)).prop_map(
        |(vpc, ingress, egress, revoke_default_egress)| GroupSpec { vpc, ingress, egress, revoke_default_egress },
    )
}

fn eni() -> impl Strategy<Value = EniSpec> {
    let public = prop_oneof![1 => Just(Public::None), 1 => Just(Public::Auto), 1 => Just(Public::Elastic)];
    (0usize..8, vec(0usize..6, 0..=3), public).prop_map(|(subnet, groups, public)| EniSpec { subnet, groups, public })
}

/// Any topology: 1–2 VPCs, 2–6 subnets, 2–6 groups, 4–12 ENIs.
pub fn spec() -> impl Strategy<Value = Spec> {
    (vec(vpc(), 1..=2), vec(subnet(), 2..=6), vec(group(), 2..=6), vec(eni(), 4..=12))
        .prop_map(|(vpcs, subnets, groups, enis)| Spec { vpcs, subnets, groups, enis })
}

/// Any topology as [`spec`] draws it, with VPC endpoints drawn for its VPCs
/// (the differential test's: the new places must agree with real packets too).
pub fn spec_with_endpoints() -> impl Strategy<Value = Spec> {
    (spec(), vec(endpoints(), 2)).prop_map(|(mut s, eps)| {
        for (v, e) in s.vpcs.iter_mut().zip(eps) {
            v.endpoints = e;
        }
        s
    })
}

/// A built topology.
pub struct Built {
    /// The account.
    pub account: Account,
    /// Our ENIs' IDs, in spec order.
    pub enis: Vec<String>,
    /// The CIDRs rules and entries chose from.
    pub cidrs: Vec<String>,
}
