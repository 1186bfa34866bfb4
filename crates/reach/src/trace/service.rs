//! An AWS service as a destination (`--to secretsmanager`): it stands for
//! what the source's VPC DNS answers for the service's hostname
//! (`account::endpoints::resolve`): the interface endpoints' ENIs when one
//! has private DNS, else the public address on the emulated internet,
//! reached through an internet gateway, a NAT gateway or a gateway endpoint.

use super::{leg, Builder, Direction, Flow, Hop, Path, Place};
use crate::sets::PacketSet;
use crate::topology::Topology;
use account::endpoints::{self, ServiceEndpoint};
use account::VpcEndpointType;
use std::net::Ipv4Addr;

/// A service endpoint as asked for: the service, its hostname and region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceTarget {
    /// The service.
    pub service: &'static ServiceEndpoint,
    /// The hostname a client connects to.
    pub host: String,
    /// The region in the hostname.
    pub region: String,
}

impl ServiceTarget {
    /// The service's main hostname in `region` (`*` labels become the account's ID, as ECR's registry host).
    pub fn new(service: &'static ServiceEndpoint, region: &str, account_id: &str) -> Self {
        let host = service.hostnames(region).first().map(|h| h.replace('*', account_id)).unwrap_or_default();
        ServiceTarget { service, host, region: region.to_string() }
    }

    /// The service a hostname names, in the account's region.
    pub fn at_host(host: &str, region: &str) -> Option<Self> {
        let service = endpoints::for_host(host, region)?;
        let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        Some(ServiceTarget { service, host, region: region.to_string() })
    }

    /// `secretsmanager.us-east-1.amazonaws.com:443`.
    pub fn with_port(&self, port: u16) -> String {
        format!("{}:{port}", self.host)
    }
}

fn dns_hop(topo: &Topology<'_>, vpc: &str, detail: String) -> Hop {
    Hop {
        step: "dns",
        direction: Direction::Forward,
        component: vpc.to_string(),
        name: topo.owner(vpc).map(|o| o.logical_id.clone()),
        detail,
        rules: Vec::new(),
        blocked: false,
    }
}

/// Traces `flow` from `from` to the service: one path per address the VPC's DNS answers.
pub fn to_service(topo: &Topology<'_>, from: &Place, target: &ServiceTarget, flow: &Flow) -> Vec<Path> {
    let a = topo.account;
    let public = Place::aws_service(&target.host, target.service.address);
    let Some(vpc) = from.vpc.clone().filter(|_| !from.is_internet()) else {
        return leg(topo, from, &public, flow);
    };
    // A VPC's interface endpoints serve their own region only.
    let answer = if target.region == a.region {
        endpoints::resolve(a, &vpc, target.service)
    } else {
        a.vpcs.get(&vpc).filter(|v| v.enable_dns_support).map(|_| vec![target.service.address])
    };
    let Some(addresses) = answer else {
        let mut b = Builder::new(topo);
        let (reason, fix) = match topo.vpc(&vpc) {
            Some(_) => (
                format!(
                    "{} has enableDnsSupport off: nothing answers at the Amazon DNS server, so {} does not resolve",
                    topo.named(&vpc),
                    target.host
                ),
                format!(
                    "set EnableDnsSupport: true on {} (AWS::EC2::VPC), or add the host to the clients' resolver",
                    topo.reference(&vpc)
                ),
            ),
            None => (format!("{vpc} does not exist"), "start from a place in an existing VPC".to_string()),
        };
        b.block("dns", &vpc, format!("{}: {} does not resolve", topo.named(&vpc), target.host), reason, fix);
        return vec![b.finish(from, &public, PacketSet::empty())];
    };
    if addresses == [target.service.address] {
        let detail = format!(
            "{} resolves to {}, the public endpoint (no interface endpoint with private DNS in {})",
            target.host,
            target.service.address,
            topo.named(&vpc)
        );
        let mut paths = leg(topo, from, &public, flow);
        let blocked = !paths.iter().any(|p| p.reachable);
        for p in &mut paths {
            p.hops.insert(0, dns_hop(topo, &vpc, detail.clone()));
            if blocked {
                let or = endpoint_fix(topo, from, target, flow);
                if let Some(b) =
                    p.blockers.iter_mut().find(|b| matches!(b.step, "route" | "internet-gateway" | "nat-gateway"))
                {
                    b.fix = format!("{}; or {or}", b.fix);
                }
            }
        }
        return paths;
    }
    let mut paths = Vec::new();
    for ip in addresses {
        let Some(eni) = topo.eni_at(&vpc, ip) else { continue };
        let mut to = Place::eni(topo, eni);
        to.label = format!("{} at {}", target.host, to.label);
        let detail = format!("{} resolves to {ip} ({}, private DNS)", target.host, endpoint_of(topo, ip, &vpc));
        for mut p in leg(topo, from, &to, flow) {
            p.hops.insert(0, dns_hop(topo, &vpc, detail.clone()));
            paths.push(p);
        }
    }
    paths
}

/// The interface endpoint holding `ip`, named.
fn endpoint_of(topo: &Topology<'_>, ip: Ipv4Addr, vpc: &str) -> String {
    let eni = topo.eni_at(vpc, ip).map(|e| e.network_interface_id.as_str()).unwrap_or_default();
    topo.account.vpc_endpoints.values().find(|e| e.network_interface_ids.iter().any(|n| n == eni)).map_or_else(
        || "an interface endpoint".to_string(),
        |e| format!("interface endpoint {}", topo.named(&e.vpc_endpoint_id)),
    )
}

/// The VPC endpoint that would carry the packets instead of the internet.
fn endpoint_fix(topo: &Topology<'_>, from: &Place, target: &ServiceTarget, flow: &Flow) -> String {
    let a = topo.account;
    let vpc = from.vpc.clone().unwrap_or_default();
    let name = target.service.service_name(&target.region);
    let without_dns = a.vpc_endpoints.values().find(|e| {
        e.vpc_id == vpc
            && e.vpc_endpoint_type == VpcEndpointType::Interface
            && !e.private_dns_enabled
            && e.service_name == name
    });
    if let Some(e) = without_dns {
        return format!(
            "set PrivateDnsEnabled: true on {} so that {} resolves to its ENIs",
            topo.reference(&e.vpc_endpoint_id),
            target.host
        );
    }
    let subnet = from.subnet.clone().unwrap_or_default();
    if target.service.gateway.is_some() {
        let table = topo.route_table(&subnet).map(|(t, _)| topo.reference(&t.route_table_id)).unwrap_or_default();
        return format!(
            "add a gateway endpoint for {name} to {table}: AWS::EC2::VPCEndpoint {{VpcEndpointType: Gateway, ServiceName: {name}, VpcId: {}, RouteTableIds: [{table}]}}",
            topo.reference(&vpc)
        );
    }
    let port = flow.ports.first().unwrap_or(443);
    let group =
        from.groups.as_ref().and_then(|g| g.first()).map_or_else(|| "the source".to_string(), |g| topo.reference(g));
    format!(
        "add an interface VPC endpoint for {name} in {} with a security group allowing tcp {port} from {group}: AWS::EC2::VPCEndpoint {{VpcEndpointType: Interface, ServiceName: {name}, VpcId: {}, SubnetIds: [{}], PrivateDnsEnabled: true, SecurityGroupIds: [<a group allowing tcp {port} from {group}>]}}",
        topo.short(&subnet),
        topo.reference(&vpc),
        topo.reference(&subnet)
    )
}
