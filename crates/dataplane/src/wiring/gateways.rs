//! Internet gateways and the emulated internet.
//!
//! AWS doc "Connect to the internet using an internet gateway": the gateway
//! translates 1:1 between an ENI's public IP (or Elastic IP) and its private
//! IP; an ENI without one cannot use it. Here each attached gateway is a
//! namespace between its VPC's router and `internet`, doing that translation
//! with nftables. Only documentation ranges live on the emulated internet.

use super::nft;
use super::route::{Hop, Route};
use super::EniNs;
use crate::names::{ifname, Scope};
use account::{Account, Ipv4Cidr};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// The gateway's own address, on its loopback (link-local: no VPC can hold it).
/// The router and the internet route to it with `onlink`.
pub const IGW_LINK_ADDR: Ipv4Addr = Ipv4Addr::new(169, 254, 0, 1);
/// The internet's address for its links to the gateways.
pub const INTERNET_LINK_ADDR: Ipv4Addr = Ipv4Addr::new(169, 254, 0, 3);
/// The gateway's veth toward its VPC's router.
pub const VPC_IF: &str = "vpc0";
/// The gateway's veth toward the internet.
pub const INET_IF: &str = "inet0";

/// The hosts of the emulated internet: address and DNS name (RFC 5737 and
/// RFC 2606 documentation addresses and names only).
pub const INTERNET_HOSTS: &[(Ipv4Addr, &str)] = &[
    (Ipv4Addr::new(203, 0, 113, 10), "example.com"),
    (Ipv4Addr::new(203, 0, 113, 20), "www.example.org"),
    (Ipv4Addr::new(198, 51, 100, 10), "api.example.net"),
    (Ipv4Addr::new(198, 51, 100, 53), "dns.example.net"),
    (Ipv4Addr::new(198, 51, 100, 100), "client.example.net"),
];

/// One attached internet gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Igw {
    /// `igw-…`.
    pub igw_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Its namespace.
    pub ns: String,
    /// Its VPC's router namespace.
    pub router_ns: String,
    /// The veth's name in the internet namespace.
    pub internet_if: String,
    /// Public IP → private IP of every ENI of its VPC with one.
    pub mappings: BTreeMap<Ipv4Addr, Ipv4Addr>,
    /// Routes.
    pub routes: BTreeSet<Route>,
    /// The 1:1 translation table.
    pub nft: nft::Table,
}

/// The emulated internet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Internet {
    /// Its namespace.
    pub ns: String,
    /// Addresses on its loopback (with their prefixes): its hosts and AWS's service addresses.
    pub local: BTreeSet<Ipv4Cidr>,
    /// Routes toward the gateways.
    pub routes: BTreeSet<Route>,
}

/// Every internet gateway attached to a VPC.
pub fn igws(account: &Account, scope: &Scope, enis: &BTreeMap<String, EniNs>) -> BTreeMap<String, Igw> {
    let mut out = BTreeMap::new();
    for g in account.internet_gateways.values() {
        let Some(att) = g.attachments.iter().find(|a| a.state == "available" || a.state == "attached") else {
            continue;
        };
        let Some(vpc) = account.vpcs.get(&att.vpc_id) else { continue };
        let router_ns = scope.ns(&vpc.vpc_id);
        let mappings: BTreeMap<Ipv4Addr, Ipv4Addr> = enis
            .values()
            .filter(|e| e.router_ns == router_ns)
            .filter_map(|e| e.public_ip.map(|p| (p, e.address)))
            .collect();
        let mut vpc_blocks: BTreeSet<Ipv4Cidr> = BTreeSet::from([vpc.cidr_block]);
        vpc_blocks.extend(account.subnets.values().filter(|s| s.vpc_id == vpc.vpc_id).map(|s| s.cidr_block));
        let mut routes: BTreeSet<Route> =
            vpc_blocks.into_iter().map(|b| Route::main(b, Hop::Dev(VPC_IF.into()))).collect();
        // The router answers ARP for its VPC's addresses (proxy ARP), so the
        // gateway sends straight to them; outward it goes to the internet.
        routes.insert(Route::main(Ipv4Cidr::any(), Hop::Via { gateway: INTERNET_LINK_ADDR, dev: INET_IF.into() }));
        let nft = nft::internet_gateway(&mappings);
        out.insert(
            g.internet_gateway_id.clone(),
            Igw {
                igw_id: g.internet_gateway_id.clone(),
                vpc_id: vpc.vpc_id.clone(),
                ns: scope.ns(&g.internet_gateway_id),
                router_ns,
                internet_if: ifname('g', &g.internet_gateway_id),
                mappings,
                routes,
                nft,
            },
        );
    }
    out
}

/// The internet: a /32 route for every public IP toward its gateway.
pub fn internet(scope: &Scope, igws: &BTreeMap<String, Igw>) -> Internet {
    let mut routes = BTreeSet::new();
    for g in igws.values() {
        for public in g.mappings.keys() {
            routes.insert(Route::main(
                Ipv4Cidr::host(*public),
                Hop::Via { gateway: IGW_LINK_ADDR, dev: g.internet_if.clone() },
            ));
        }
    }
    Internet { ns: scope.ns("internet"), local: super::endpoints::internet_addresses(INTERNET_HOSTS), routes }
}
