//! AWS's APIs as places: the service addresses on the emulated internet and
//! gateway VPC endpoints.
//!
//! AWS doc "Gateway endpoints": a gateway endpoint (S3, DynamoDB) is a
//! target in the route tables chosen for it, for the destination of the
//! service's prefix list; traffic to the service then stays on AWS's network,
//! with no internet gateway or NAT device. Here each available gateway
//! endpoint is a namespace (`<prefix>vpce-…`) behind its VPC's router that
//! holds the prefix list's block; the route tables' prefix-list routes point
//! at it, and `up` answers the service there. Endpoint policies are not
//! enforced (every request reaches the endpoint as with the default full
//! access policy).

use super::route::{self as ip, Hop};
use crate::names::{ifname, Scope};
use account::endpoints::{self, ServiceEndpoint, SERVICES};
use account::{Account, Ipv4Cidr, Route, VpcEndpointType};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// A gateway endpoint's own address, on its loopback (link-local: no VPC can
/// hold it); the router routes the block to it with `onlink`.
pub const VPCE_LINK_ADDR: Ipv4Addr = Ipv4Addr::new(169, 254, 0, 5);
/// The endpoint's veth toward its VPC's router.
pub const VPC_IF: &str = "vpc0";

/// One available gateway endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GatewayEndpoint {
    /// `vpce-…`.
    pub vpc_endpoint_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// The service's short name (`s3`, `dynamodb`).
    pub service: &'static str,
    /// Its namespace.
    pub ns: String,
    /// Its VPC's router namespace.
    pub router_ns: String,
    /// The veth's name in the router.
    pub router_if: String,
    /// The prefix list's block, on its loopback.
    pub block: Ipv4Cidr,
    /// The service's address in the block, where `up` answers.
    pub address: Ipv4Addr,
    /// Routes back to the VPC.
    pub routes: BTreeSet<ip::Route>,
}

/// Every available gateway endpoint of a known service, by ID.
pub fn gateway_endpoints(account: &Account, scope: &Scope) -> BTreeMap<String, GatewayEndpoint> {
    let mut out = BTreeMap::new();
    for e in account.vpc_endpoints.values() {
        if e.vpc_endpoint_type != VpcEndpointType::Gateway || e.state != "available" {
            continue;
        }
        let Some(vpc) = account.vpcs.get(&e.vpc_id) else { continue };
        let Some(service) = endpoints::for_service_name(&e.service_name, &account.region) else { continue };
        let Some(block) = service.gateway else { continue };
        // Replies go straight to the VPC's addresses: the router answers ARP for them.
        let to_vpc = |c: Ipv4Cidr| ip::Route::main(c, Hop::Dev(VPC_IF.into()));
        let mut routes: BTreeSet<ip::Route> = BTreeSet::from([to_vpc(vpc.cidr_block)]);
        routes.extend(
            account
                .subnets
                .values()
                .filter(|s| s.vpc_id == vpc.vpc_id && !vpc.cidr_block.contains(&s.cidr_block))
                .map(|s| to_vpc(s.cidr_block)),
        );
        out.insert(
            e.vpc_endpoint_id.clone(),
            GatewayEndpoint {
                vpc_endpoint_id: e.vpc_endpoint_id.clone(),
                vpc_id: vpc.vpc_id.clone(),
                service: service.name,
                ns: scope.ns(&e.vpc_endpoint_id),
                router_ns: scope.ns(&vpc.vpc_id),
                router_if: ifname('v', &e.vpc_endpoint_id),
                block: block.cidr,
                address: service.address,
                routes,
            },
        );
    }
    out
}

/// The service whose AWS-managed prefix list a route names (`pl-63a5400a`
/// is S3's in us-east-1), if it is one tasknet knows.
pub fn prefix_list_service(route: &Route, region: &str) -> Option<&'static ServiceEndpoint> {
    let id = route.destination_prefix_list_id.as_deref()?;
    SERVICES.iter().find(|s| s.prefix_list_id(region).as_deref() == Some(id))
}

/// Where a prefix-list route for `service` toward `target_id` goes: its
/// gateway endpoint's veth, when the target is an available gateway endpoint
/// of that service in `vpc_id`; None (a blackhole) otherwise, as AWS marks a
/// route whose endpoint is gone.
pub fn gateway_hop(
    vpces: &BTreeMap<String, GatewayEndpoint>,
    vpc_id: &str,
    service: &ServiceEndpoint,
    target_id: &str,
) -> Option<Hop> {
    let e = vpces.get(target_id).filter(|e| e.vpc_id == vpc_id && e.service == service.name)?;
    Some(Hop::Via { gateway: VPCE_LINK_ADDR, dev: e.router_if.clone() })
}

/// What the internet namespace holds on its loopback: every internet host,
/// every service's address, and the gateway services' whole blocks (any
/// address of a prefix list is the service's).
pub fn internet_addresses(hosts: &[(Ipv4Addr, &str)]) -> BTreeSet<Ipv4Cidr> {
    let mut out: BTreeSet<Ipv4Cidr> = hosts.iter().map(|(a, _)| Ipv4Cidr::host(*a)).collect();
    for s in SERVICES {
        match s.gateway {
            Some(g) => out.insert(g.cidr),
            None => out.insert(Ipv4Cidr::host(s.address)),
        };
    }
    out
}
