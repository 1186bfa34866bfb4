//! A NAT gateway picks each connection's source port from 1024–65535 (AWS
//! doc "Network ACLs for your VPC", ephemeral ports); which one is not
//! documented. A packet through it is delivered only when every port it may
//! pick gets through: with a network ACL that lets replies out to part of
//! that range, some connections fail, and `check` says so.

use reach::packet::{check, Packet};
use reach::topology::Topology;
use testkit::gen;

const TCP: u8 = 6;
const UDP: u8 = 17;

fn decide(outbound: (u16, u16), protocol: u8, src_port: u16) -> reach::packet::Decision {
    let h = gen::nat_hairpin(outbound);
    let dst = h.server.association.as_ref().expect("a public IP").public_ip;
    let p = Packet { src: h.client.private_ip_address, dst, protocol, src_port, dst_port: 80 };
    check(&Topology::new(&h.account), &p)
}

#[test]
fn replies_allowed_to_part_of_the_nat_ports_make_the_connection_depend_on_the_gateways_choice() {
    for (protocol, src_port) in [(TCP, 1500), (TCP, 900), (TCP, 40000), (UDP, 1501), (UDP, 40001)] {
        let d = decide((32768, 65535), protocol, src_port);
        assert!(!d.allowed && d.depends_on_nat_port, "{protocol}/{src_port}: {d:?}");
        assert!(d.reasons[0].contains("a NAT gateway uses ports 1024-65535"), "{:?}", d.reasons);
        assert!(d.reasons[0].contains("from port 1024 it does not get through"), "{:?}", d.reasons);
    }
}

#[test]
fn replies_allowed_to_every_nat_port_are_delivered_and_to_none_are_not() {
    for (protocol, src_port) in [(TCP, 1500), (TCP, 900), (UDP, 40001)] {
        let d = decide((1024, 65535), protocol, src_port);
        assert!(d.allowed && !d.depends_on_nat_port, "{d:?}");
        let d = decide((1, 1023), protocol, src_port);
        assert!(!d.allowed && !d.depends_on_nat_port, "no port of the gateway's gets through: {d:?}");
    }
}

#[test]
fn a_nat_subnet_letting_replies_in_to_part_of_the_gateways_ports_blocks_with_the_fix() {
    let gen::NatVpc { account: mut a, vpc, public, private, group, .. } = gen::nat_vpc();
    // In: the clients' packets to 443 and the replies to part of the gateway's ports; out: everything.
    let entries = [(10, true, "-1", None), (10, false, "6", Some((32768, 65535))), (20, false, "6", Some((443, 443)))];
    let acl = gen::own_acl(&mut a, &vpc, &public, &entries);
    let client = gen::open_eni(&mut a, &private, &group, false);
    let host: std::net::Ipv4Addr = gen::INTERNET_HOSTS[0].parse().expect("an address");
    let topo = Topology::new(&a);
    // What `tasknet reach` answers: blocked where the replies come back, with the fix.
    let from = reach::trace::Place::eni(&topo, &client);
    let to = reach::trace::Place::internet(reach::sets::AddrSet::single(u32::from(host)));
    let paths = reach::trace::trace(&topo, &from, &to, &reach::trace::Flow::tcp(reach::sets::PortSet::single(443)));
    let blocker = paths[0].blockers.iter().find(|b| b.component == acl).expect("the NAT subnet's ACL blocks");
    assert!(blocker.reason.contains("only to some of the ports 1024-65535"), "{}", blocker.reason);
    assert!(blocker.reason.contains("1024-32767"), "{}", blocker.reason);
    assert!(blocker.fix.contains("allowing tcp 1024-65535"), "{}", blocker.fix);
    // One packet: some connections get through, so it depends on the gateway's choice.
    let p = Packet { src: client.private_ip_address, dst: host, protocol: TCP, src_port: 40000, dst_port: 443 };
    let d = check(&topo, &p);
    assert!(!d.allowed && d.depends_on_nat_port, "{d:?}");
}
