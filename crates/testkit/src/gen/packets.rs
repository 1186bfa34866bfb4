//! Packets between the ends a topology has, and the regression cases' NAT VPC.

use super::INTERNET_HOSTS;
use account::{
    endpoints, Account, CreateNetworkInterface, Ipv4Cidr, NetworkInterface, RouteTarget, SecurityGroupRule,
    VpcEndpointType,
};
use proptest::prelude::*;
use std::net::Ipv4Addr;

/// What kind of packet [`packet_ends`] made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// ENI to ENI of the same VPC.
    Private,
    /// ENI to an ENI of another VPC (by private address).
    CrossVpc,
    /// ENI to an internet host.
    ToInternet,
    /// Internet host to a public IP.
    FromInternet,
    /// Internet host to a private address.
    ToPrivateFromInternet,
    /// ENI to another ENI's public IP (out and back in).
    Hairpin,
    /// ENI to one of AWS's APIs: a service's public address (S3's through a
    /// gateway endpoint where its table routes the prefix list there), or an
    /// interface endpoint's ENI.
    ToAwsService,
}

/// Kind numbers for [`packet_ends`], weighted as the tests draw them.
pub fn kind_number() -> impl Strategy<Value = u8> {
    prop_oneof![3 => Just(0u8), 3 => Just(1u8), 2 => Just(2u8), 2 => Just(3u8), 1 => Just(4u8), 1 => Just(5u8)]
}

/// Kind numbers as [`kind_number`] draws them, and packets to AWS's APIs
/// ([`Kind::ToAwsService`]) as often as to internet hosts.
pub fn kind_number_with_services() -> impl Strategy<Value = u8> {
    prop_oneof![10 => kind_number(), 2 => Just(6u8)]
}

/// Where packets to AWS's APIs go: Secrets Manager's and S3's public
/// addresses, and every interface endpoint's ENI.
fn service_destinations(a: &Account) -> Vec<Ipv4Addr> {
    let mut out: Vec<Ipv4Addr> =
        ["secretsmanager", "s3"].iter().filter_map(|n| endpoints::by_name(n)).map(|s| s.address).collect();
    for e in a.vpc_endpoints.values().filter(|e| e.vpc_endpoint_type == VpcEndpointType::Interface) {
        out.extend(
            e.network_interface_ids.iter().filter_map(|id| a.network_interfaces.get(id)).map(|n| n.private_ip_address),
        );
    }
    out
}

/// The ends of a packet of kind number `kind` in a built topology, with `a`
/// and `b` as indices into what it has: the kind, the source ENI (none when
/// the packet comes from the internet), and the source and destination
/// addresses. None when the topology lacks the ends the kind needs.
pub fn packet_ends(
    a: &Account,
    enis: &[String],
    kind: u8,
    ia: usize,
    ib: usize,
) -> Option<(Kind, Option<String>, Ipv4Addr, Ipv4Addr)> {
    let eni = |i: usize| enis.get(i % enis.len().max(1)).and_then(|id| a.network_interfaces.get(id));
    let src_eni = eni(ia)?;
    let from_eni = Some(src_eni.network_interface_id.clone());
    let public: Vec<&NetworkInterface> =
        enis.iter().filter_map(|id| a.network_interfaces.get(id)).filter(|n| n.association.is_some()).collect();
    let host = |i: usize| INTERNET_HOSTS[i % INTERNET_HOSTS.len()].parse::<Ipv4Addr>().ok();
    Some(match kind {
        0 => {
            let peers: Vec<&NetworkInterface> = enis
                .iter()
                .filter_map(|id| a.network_interfaces.get(id))
                .filter(|n| n.vpc_id == src_eni.vpc_id && n.network_interface_id != src_eni.network_interface_id)
                .collect();
            let dst = peers.get(ib % peers.len().max(1))?;
            (Kind::Private, from_eni, src_eni.private_ip_address, dst.private_ip_address)
        }
        1 => (Kind::ToInternet, from_eni, src_eni.private_ip_address, host(ib)?),
        2 => {
            let dst = public.get(ib % public.len().max(1))?;
            (Kind::FromInternet, None, host(ia)?, dst.association.as_ref()?.public_ip)
        }
        3 => {
            let others: Vec<&&NetworkInterface> =
                public.iter().filter(|n| n.network_interface_id != src_eni.network_interface_id).collect();
            let dst = others.get(ib % others.len().max(1))?;
            (Kind::Hairpin, from_eni, src_eni.private_ip_address, dst.association.as_ref()?.public_ip)
        }
        5 => (Kind::ToPrivateFromInternet, None, host(ia)?, eni(ib)?.private_ip_address),
        6 => {
            let to = service_destinations(a);
            (Kind::ToAwsService, from_eni, src_eni.private_ip_address, *to.get(ib % to.len().max(1))?)
        }
        _ => {
            let dst = eni(ib)?;
            if dst.network_interface_id == src_eni.network_interface_id {
                return None;
            }
            let kind = if dst.vpc_id == src_eni.vpc_id { Kind::Private } else { Kind::CrossVpc };
            (kind, from_eni, src_eni.private_ip_address, dst.private_ip_address)
        }
    })
}

/// The regression cases' VPC: 10.9.0.0/16 with a public subnet 10.9.0.0/24
/// (0.0.0.0/0 to the internet gateway, holding a NAT gateway), a private one
/// 10.9.1.0/24 (0.0.0.0/0 to the NAT gateway), and a group open to all inbound.
pub struct NatVpc {
    /// The account.
    pub account: Account,
    /// The VPC.
    pub vpc: String,
    /// The public subnet.
    pub public: String,
    /// The private subnet.
    pub private: String,
    /// The public subnet's route table.
    pub public_table: String,
    /// The open group.
    pub group: String,
}

/// Builds [`NatVpc`].
pub fn nat_vpc() -> NatVpc {
    let mut a = Account::default();
    let vpc = a.create_vpc("10.9.0.0/16").expect("vpc").vpc_id;
    let public = a.create_subnet(&vpc, "10.9.0.0/24", None).expect("subnet").subnet_id;
    let private = a.create_subnet(&vpc, "10.9.1.0/24", None).expect("subnet").subnet_id;
    let igw = a.create_internet_gateway().internet_gateway_id;
    a.attach_internet_gateway(&igw, &vpc).expect("attach");
    let public_table = a.create_route_table(&vpc).expect("table").route_table_id;
    a.create_route(&public_table, "0.0.0.0/0", RouteTarget::InternetGateway(igw)).expect("route");
    a.associate_route_table(&public_table, &public).expect("associate");
    let alloc = a.allocate_address().expect("eip").allocation_id;
    let nat = a.create_nat_gateway(&public, Some(&alloc), "public").expect("nat").nat_gateway_id;
    let private_table = a.create_route_table(&vpc).expect("table").route_table_id;
    a.create_route(&private_table, "0.0.0.0/0", RouteTarget::NatGateway(nat)).expect("route");
    a.associate_route_table(&private_table, &private).expect("associate");
    let group = a.create_security_group(&vpc, "open", "all").expect("group").group_id;
    a.authorize_security_group_ingress(&group, &[SecurityGroupRule::all_to_cidr(Ipv4Cidr::any())]).expect("ingress");
    NatVpc { account: a, vpc, public, private, public_table, group }
}

/// An ENI in `subnet` holding `group`, with a public IP when `public`.
pub fn open_eni(a: &mut Account, subnet: &str, group: &str, public: bool) -> account::NetworkInterface {
    let mut req = CreateNetworkInterface::new(subnet);
    req.groups = vec![group.to_string()];
    req.assign_public_ip = public;
    a.create_network_interface(req).expect("eni")
}

/// The NAT hairpin: [`NatVpc`] plus a third subnet 10.9.2.0/24 routed to the
/// internet gateway, whose own network ACL allows all inbound and outbound
/// TCP and UDP only to `outbound_ports`; a client ENI in the private subnet
/// and a server ENI with a public IP in the third. A connection from the
/// client to the server's public IP leaves through the NAT gateway, so the
/// server's replies go to the gateway's port through that ACL.
pub struct NatHairpin {
    /// The account.
    pub account: Account,
    /// The client, behind the NAT gateway.
    pub client: NetworkInterface,
    /// The server, with a public IP.
    pub server: NetworkInterface,
}

/// An allow entry from or to 0.0.0.0/0: rule number, egress, protocol, port range.
pub type AllowEntry<'a> = (u16, bool, &'a str, Option<(u16, u16)>);

/// Gives `subnet` a network ACL of its own with `entries`; returns its ID.
pub fn own_acl(a: &mut Account, vpc: &str, subnet: &str, entries: &[AllowEntry<'_>]) -> String {
    use account::{NetworkAclEntry, Origin, PortRange, RuleAction};
    let acl = a.create_network_acl(vpc).expect("acl").network_acl_id;
    let assoc = a.network_acl_association_id(subnet).expect("association");
    a.replace_network_acl_association(&assoc, &acl).expect("replace");
    for &(rule_number, egress, protocol, ports) in entries {
        let e = NetworkAclEntry {
            rule_number,
            protocol: protocol.into(),
            rule_action: RuleAction::Allow,
            egress,
            cidr_block: Some(Ipv4Cidr::any()),
            ipv6_cidr_block: None,
            port_range: ports.map(|(from, to)| PortRange { from, to }),
            icmp_type_code: None,
            origin: Origin::none(),
        };
        a.create_network_acl_entry(&acl, e).expect("entry");
    }
    acl
}

/// Builds [`NatHairpin`].
pub fn nat_hairpin(outbound_ports: (u16, u16)) -> NatHairpin {
    let NatVpc { account: mut a, vpc, private, public_table, group, .. } = nat_vpc();
    let other = a.create_subnet(&vpc, "10.9.2.0/24", None).expect("subnet").subnet_id;
    a.associate_route_table(&public_table, &other).expect("associate");
    let ports = Some(outbound_ports);
    own_acl(&mut a, &vpc, &other, &[(10, false, "-1", None), (10, true, "6", ports), (20, true, "17", ports)]);
    let client = open_eni(&mut a, &private, &group, false);
    let server = open_eni(&mut a, &other, &group, true);
    NatHairpin { account: a, client, server }
}
