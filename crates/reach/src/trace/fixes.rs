//! The reasons a hop blocks and the smallest template change that opens it.

use super::Place;
use crate::filters::{Declaration, Filtered};
use crate::sets::{protocol_name, show_addrs, show_ports, PacketSet};
use crate::topology::Topology;
use account::NetworkAcl;

/// `tcp`, and the destination ports as a template writes them.
fn protocol_and_ports(pkts: &PacketSet) -> (String, String, String) {
    let proto = pkts.protocols();
    let name = match proto.iter().next() {
        Some(p) if !proto.is_full() => protocol_name(p),
        _ => "-1".to_string(),
    };
    let ports = pkts.dst_ports();
    let (from, to) = match (ports.intervals().first(), ports.intervals().last()) {
        _ if name == "-1" => (-1, -1),
        (Some((a, _)), Some((_, b))) => (i32::from(*a), i32::from(*b)),
        _ => (-1, -1),
    };
    (name, from.to_string(), to.to_string())
}

/// What a rule would name as the peer: the other end's first group when
/// both are ENIs of one VPC, else its addresses.
fn peer(topo: &Topology<'_>, other: &Place, same_vpc: bool, egress: bool) -> String {
    match &other.groups {
        Some(g) if same_vpc && !g.is_empty() => {
            let key = if egress { "DestinationSecurityGroupId" } else { "SourceSecurityGroupId" };
            format!("{key}: {}", topo.reference(&g[0]))
        }
        _ if other.is_internet() && other.addresses == crate::topology::internet() => "CidrIp: 0.0.0.0/0".to_string(),
        _ => format!("CidrIp: {}", show_addrs(&other.addresses).split(", ").next().unwrap_or("0.0.0.0/0")),
    }
}

/// No rule of `place`'s groups allows the packets.
pub fn security_group(
    topo: &Topology<'_>,
    place: &Place,
    other: &Place,
    egress: bool,
    pkts: &PacketSet,
) -> (String, String, Option<Declaration>) {
    let groups = place.groups.clone().unwrap_or_default();
    let names: Vec<String> = groups.iter().map(|g| topo.named(g)).collect();
    let (proto, from, to) = protocol_and_ports(pkts);
    let ports = show_ports(&pkts.dst_ports());
    let what = if proto == "-1" { "traffic".to_string() } else { format!("{proto} {ports}") };
    let (dir, kind) = if egress { ("to", "SecurityGroupEgress") } else { ("from", "SecurityGroupIngress") };
    let reason = if names.is_empty() {
        format!("{} has no security group, so nothing is allowed {dir} it", place.label)
    } else {
        format!(
            "no {} rule of {} allows {what} {dir} {}",
            if egress { "egress" } else { "ingress" },
            names.join(", "),
            other.label
        )
    };
    let same_vpc = place.vpc.is_some() && place.vpc == other.vpc;
    let fix = match groups.first() {
        Some(g) => format!(
            "add an AWS::EC2::{kind} {{GroupId: {}, IpProtocol: {proto}, FromPort: {from}, ToPort: {to}, {}}}",
            topo.reference(g),
            peer(topo, other, same_vpc, egress)
        ),
        None => "attach a security group with a rule that allows it".to_string(),
    };
    (reason, fix, None)
}

/// A network ACL denies the packets (an entry, or the final `*`).
pub fn network_acl(
    topo: &Topology<'_>,
    acl: &NetworkAcl,
    subnet: &str,
    egress: bool,
    f: &Filtered,
    pkts: &PacketSet,
) -> (String, String, Option<Declaration>) {
    let (proto, from, to) = protocol_and_ports(pkts);
    let denying = f.denied_by.first().copied().unwrap_or(account::IMPLICIT_DENY_RULE);
    let entry = acl.entries.iter().find(|e| e.egress == egress && e.rule_number == denying);
    let declared = entry.and_then(|e| e.origin.declared()).map(crate::filters::declaration);
    let rule = if denying == account::IMPLICIT_DENY_RULE { "*".to_string() } else { denying.to_string() };
    let peer_addrs = if egress { pkts.cubes().first().map(|c| c.dst.clone()) } else { Some(pkts.sources()) };
    let cidr = peer_addrs
        .map(|a| {
            if a.is_full() {
                "0.0.0.0/0".to_string()
            } else {
                show_addrs(&a).split(", ").next().unwrap_or("0.0.0.0/0").to_string()
            }
        })
        .unwrap_or_else(|| "0.0.0.0/0".into());
    let number = if denying == account::IMPLICIT_DENY_RULE { 100 } else { denying.saturating_sub(1).max(1) };
    let reason = format!(
        "{} of {} denies it {} (rule {rule})",
        topo.named(&acl.network_acl_id),
        topo.named(subnet),
        if egress { "leaving the subnet" } else { "entering the subnet" }
    );
    let ports = if proto == "tcp" || proto == "udp" {
        format!(", PortRange: {{From: {from}, To: {to}}}")
    } else {
        String::new()
    };
    let fix = format!(
        "add an AWS::EC2::NetworkAclEntry {{NetworkAclId: {}, RuleNumber: {number}, Egress: {egress}, RuleAction: allow, Protocol: {}, CidrBlock: {cidr}{ports}}}",
        topo.reference(&acl.network_acl_id),
        match proto.as_str() {
            "tcp" => "6",
            "udp" => "17",
            "icmp" => "1",
            _ => "-1",
        }
    );
    (reason, fix, declared)
}

/// A NAT gateway of the VPC that sits in a public subnet, to route through.
pub fn public_nat(topo: &Topology<'_>, vpc: &str) -> Option<String> {
    topo.account
        .nat_gateways
        .values()
        .filter(|n| n.vpc_id == vpc && n.state == account::NatGatewayState::Available)
        .find(|n| topo.account.is_public_subnet(&n.subnet_id).unwrap_or(false))
        .map(|n| topo.reference(&n.nat_gateway_id))
}

/// The route table has no route for the destination.
pub fn no_route(topo: &Topology<'_>, table: &str, from: &Place, dst: &str) -> (String, String) {
    let reason = format!("{} has no route to {dst}", topo.named(table));
    let vpc = from.vpc.clone().unwrap_or_default();
    let target = if from.public_ip.is_some() {
        topo.account.internet_gateway_for_vpc(&vpc).map_or_else(
            || "GatewayId: <an internet gateway attached to the VPC>".to_string(),
            |g| format!("GatewayId: {}", topo.reference(&g.internet_gateway_id)),
        )
    } else {
        match public_nat(topo, &vpc) {
            Some(n) => format!("NatGatewayId: {n}"),
            None => "NatGatewayId: <a NAT gateway in a public subnet>".to_string(),
        }
    };
    let fix = format!(
        "add an AWS::EC2::Route {{RouteTableId: {}, DestinationCidrBlock: 0.0.0.0/0, {target}}}",
        topo.reference(table)
    );
    (reason, fix)
}

/// The source ENI has no public address, so the internet gateway cannot translate it.
pub fn no_public_ip_out(topo: &Topology<'_>, from: &Place) -> (String, String) {
    let vpc = from.vpc.clone().unwrap_or_default();
    let nat = public_nat(topo, &vpc).unwrap_or_else(|| "<a NAT gateway in a public subnet>".into());
    if from.ec2_task || (from.prospective && from.role == "task") {
        (
            format!(
                "{} has no public IP address: awsvpc tasks on EC2 instances never get one, so the internet gateway its subnet routes to cannot carry its traffic",
                from.label
            ),
            format!("run the tasks in private subnets whose route table sends 0.0.0.0/0 to a NAT gateway (NetworkConfiguration.AwsvpcConfiguration.Subnets; NatGatewayId: {nat})"),
        )
    } else {
        (
            format!("{} has no public IP address, so the internet gateway cannot translate its traffic", from.label),
            format!("give it a public IP (MapPublicIpOnLaunch on its subnet, or an AWS::EC2::EIP), or route its subnet's 0.0.0.0/0 to NatGatewayId: {nat}"),
        )
    }
}

/// The destination ENI has no public address: nothing on the internet can address it.
pub fn no_public_ip_in(topo: &Topology<'_>, to: &Place) -> (String, String) {
    let reason = format!("{} has no public IP address: nothing on the internet can address it", to.label);
    let fix = if to.role == "task" {
        let lb = topo
            .account
            .load_balancers
            .values()
            .find(|lb| lb.scheme != "internal")
            .map(|lb| topo.short(&lb.load_balancer_arn));
        match lb {
            Some(lb) => format!("reach it through the internet-facing load balancer {lb} (a listener forwarding to its target group)"),
            None => "put an internet-facing load balancer in front of it (tasks in awsvpc mode on EC2 never get a public IP)".to_string(),
        }
    } else {
        "give it a public IP (a subnet with MapPublicIpOnLaunch, or an AWS::EC2::EIP association)".to_string()
    };
    (reason, fix)
}
