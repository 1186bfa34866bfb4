//! Gateway VPC endpoints (S3, DynamoDB): a route whose destination is the
//! service's AWS-managed prefix list carries the packets to the service
//! without an internet gateway or NAT, from the source's private address.
//! AWS doc "Gateway endpoints" (AWS PrivateLink guide).

use super::legs::acl;
use super::{Builder, Direction, Place};
use crate::sets::{show_addrs, PacketSet};
use crate::topology::Topology;
use account::endpoints::{self, ServiceEndpoint};
use account::{Ipv4Cidr, Route, VpcEndpoint, VpcEndpointType};

/// The AWS-managed service whose prefix list `pl` is, in the account's region.
pub fn prefix_list_service(topo: &Topology<'_>, pl: &str) -> Option<&'static ServiceEndpoint> {
    let region = &topo.account.region;
    endpoints::SERVICES.iter().find(|s| s.prefix_list_id(region).as_deref() == Some(pl))
}

/// The block a prefix-list route matches (an AWS-managed list only; a
/// customer-managed list has no entries here, so its route matches nothing).
pub fn prefix_list_block(topo: &Topology<'_>, r: &Route) -> Option<Ipv4Cidr> {
    let pl = r.destination_prefix_list_id.as_deref()?;
    prefix_list_service(topo, pl).and_then(|s| s.gateway).map(|g| g.cidr)
}

/// `pl-63a5400a (com.amazonaws.us-east-1.s3)`.
pub fn prefix_list_text(topo: &Topology<'_>, pl: &str) -> String {
    match prefix_list_service(topo, pl) {
        Some(s) => format!("{pl} ({})", s.service_name(&topo.account.region)),
        None => pl.to_string(),
    }
}

/// The gateway endpoint a prefix-list route targets. Looked up by the
/// target's ID, so it holds whichever `RouteTarget` variant carries `vpce-…`.
pub fn endpoint<'a>(topo: &Topology<'a>, r: &Route) -> Option<&'a VpcEndpoint> {
    r.destination_prefix_list_id.as_ref()?;
    topo.account.vpc_endpoints.get(r.target.id()).filter(|e| e.vpc_endpoint_type == VpcEndpointType::Gateway)
}

/// Out through a gateway endpoint: the subnet's ACL both ways, no translation.
pub(super) fn deliver(b: &mut Builder<'_, '_>, from: &Place, r: &Route, pkts: &PacketSet) -> PacketSet {
    let topo = b.topo;
    let Some(e) = endpoint(topo, r) else { return PacketSet::empty() };
    let subnet = from.subnet.clone().unwrap_or_default();
    let dst = pkts.cubes().first().map(|c| c.dst.clone()).unwrap_or_default();
    if e.state != "available" {
        b.block(
            "vpc-endpoint",
            &e.vpc_endpoint_id,
            format!("{} is {}", topo.named(&e.vpc_endpoint_id), e.state),
            format!("{} is {}: its route carries nothing", topo.named(&e.vpc_endpoint_id), e.state),
            format!("wait for {} to be available, or recreate it", topo.short(&e.vpc_endpoint_id)),
        );
    } else {
        b.note(
            "vpc-endpoint",
            &e.vpc_endpoint_id,
            format!(
                "{}: gateway endpoint for {}, delivers {} from {} (no translation)",
                topo.named(&e.vpc_endpoint_id),
                e.service_name,
                show_addrs(&dst),
                show_addrs(&from.addresses)
            ),
        );
    }
    let pkts = acl(b, &subnet, true, pkts);
    b.note("aws-service", &e.service_name, format!("delivered to {} ({})", show_addrs(&dst), e.service_name));
    b.direction = Direction::Return;
    let reply = acl(b, &subnet, false, &pkts.reversed());
    b.direction = Direction::Forward;
    reply.reversed()
}
