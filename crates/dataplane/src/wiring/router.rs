//! A VPC's router namespace: route tables as policy routing, ENIs as /32
//! routes toward their veths, security groups and ACLs in nftables.
//!
//! AWS doc "Route tables for your VPC": longest prefix wins, and the local
//! route for the VPC's CIDR always carries traffic inside the VPC. So a rule
//! sends every destination inside the VPC to the ENI table first (its /32s, and
//! a blackhole for addresses no ENI holds); everything else follows the source
//! subnet's route table.

use super::endpoints::{self, GatewayEndpoint};
use super::gateways::{Igw, IGW_LINK_ADDR};
use super::route::{Hop, Route, Rule, RuleAction, Selector};
use super::{nft, EniNs};
use crate::names::Scope;
use account::{Account, Ipv4Cidr, RouteTarget, Vpc};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// The routing table holding one /32 per ENI.
pub const ENI_TABLE: u32 = 100;
/// The first routing table number given to a route table.
const FIRST_TABLE: u32 = 1000;
/// The veth toward the internet gateway, in the router.
pub const IGW_IF: &str = "igw0";

/// One VPC's router.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Router {
    /// The VPC.
    pub vpc_id: String,
    /// Its namespace.
    pub ns: String,
    /// Addresses on its loopback: every subnet's `.1` and the resolver (VPC + 2).
    pub local: BTreeSet<Ipv4Addr>,
    /// The VPC's resolver address (VPC base + 2).
    pub resolver: Ipv4Addr,
    /// Routes.
    pub routes: BTreeSet<Route>,
    /// Policy rules.
    pub rules: BTreeSet<Rule>,
    /// The security group and ACL table.
    pub nft: nft::Table,
}

/// The router of `vpc`.
pub fn router(
    account: &Account,
    scope: &Scope,
    vpc: &Vpc,
    enis: &BTreeMap<String, EniNs>,
    igws: &BTreeMap<String, Igw>,
    vpces: &BTreeMap<String, GatewayEndpoint>,
) -> Router {
    let ns = scope.ns(&vpc.vpc_id);
    let mine: Vec<&EniNs> = enis.values().filter(|e| e.router_ns == ns).collect();
    let subnets: Vec<&account::Subnet> = account.subnets.values().filter(|s| s.vpc_id == vpc.vpc_id).collect();
    let mut local: BTreeSet<Ipv4Addr> = subnets.iter().filter_map(|s| s.cidr_block.nth(1)).collect();
    let resolver = vpc.cidr_block.nth(2).unwrap_or(Ipv4Addr::UNSPECIFIED);
    local.insert(resolver);
    let igw = igws.values().find(|g| g.vpc_id == vpc.vpc_id).map(|g| g.igw_id.as_str());

    let mut routes = BTreeSet::new();
    let mut rules = BTreeSet::new();
    for e in &mine {
        routes.insert(Route::in_table(Ipv4Cidr::host(e.address), Hop::Dev(e.host_if.clone()), ENI_TABLE));
    }
    // The local route: the VPC's block (and any subnet outside it) goes to the ENI table.
    let mut blocks: BTreeSet<Ipv4Cidr> = BTreeSet::from([vpc.cidr_block]);
    blocks.extend(subnets.iter().filter(|s| !vpc.cidr_block.contains(&s.cidr_block)).map(|s| s.cidr_block));
    for b in blocks {
        routes.insert(Route::in_table(b, Hop::Blackhole, ENI_TABLE));
        rules.insert(Rule { pref: 100, selector: Selector::To(b), action: RuleAction::Lookup(ENI_TABLE) });
    }
    let mut tables: Vec<&account::RouteTable> =
        account.route_tables.values().filter(|t| t.vpc_id == vpc.vpc_id).collect();
    tables.sort_by(|a, b| a.route_table_id.cmp(&b.route_table_id));
    for (i, t) in tables.iter().enumerate() {
        let n = FIRST_TABLE + u32::try_from(i).unwrap_or(0);
        for r in &t.routes {
            // A gateway endpoint's route: the prefix list's block toward its namespace.
            if let Some(service) = endpoints::prefix_list_service(r, &account.region) {
                let Some(block) = service.gateway else { continue };
                let via = endpoints::gateway_hop(vpces, &vpc.vpc_id, service, r.target.id());
                let hop = via.filter(|_| r.state != "blackhole").unwrap_or(Hop::Blackhole);
                routes.insert(Route::in_table(block.cidr, hop, n));
                continue;
            }
            let Some(dst) = r.destination_cidr_block else { continue };
            if r.target == RouteTarget::Local {
                continue;
            }
            let via = if r.state == "blackhole" { None } else { next_hop(account, vpc, &r.target, &mine, igw) };
            routes.insert(Route::in_table(dst, via.unwrap_or(Hop::Blackhole), n));
        }
        for s in &subnets {
            if account.route_table_for_subnet(&s.subnet_id).is_ok_and(|rt| rt.route_table_id == t.route_table_id) {
                rules.insert(Rule {
                    pref: 1000,
                    selector: Selector::From(s.cidr_block),
                    action: RuleAction::Lookup(n),
                });
            }
        }
    }
    // Nothing else is routed: no default route exists, as in a VPC.
    rules.insert(Rule { pref: 32000, selector: Selector::All, action: RuleAction::Blackhole });
    let nft = nft::router(account, &mine);
    Router { vpc_id: vpc.vpc_id.clone(), ns, local, resolver, routes, rules, nft }
}

/// Where a route's target sends packets, or None (blackhole) when the target cannot carry them.
fn next_hop(account: &Account, vpc: &Vpc, target: &RouteTarget, enis: &[&EniNs], igw: Option<&str>) -> Option<Hop> {
    match target {
        RouteTarget::InternetGateway(id) if igw == Some(id.as_str()) => {
            Some(Hop::Via { gateway: IGW_LINK_ADDR, dev: IGW_IF.into() })
        }
        RouteTarget::NatGateway(id) => {
            let nat = account
                .nat_gateways
                .get(id)
                .filter(|n| n.vpc_id == vpc.vpc_id && n.state == account::NatGatewayState::Available)?;
            let eni_id = nat.nat_gateway_addresses.iter().find_map(|a| a.network_interface_id.as_deref())?;
            let e = enis.iter().find(|e| e.eni_id == eni_id)?;
            Some(Hop::Via { gateway: e.address, dev: e.host_if.clone() })
        }
        // Routes to instances, ENIs, peering and transit gateways are not
        // followed (as in `tasknet reach`): their packets are dropped.
        _ => None,
    }
}
