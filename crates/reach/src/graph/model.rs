//! The drawing's model, built once from the account: both renderers read
//! only this, so the DOT and the SVG show the same boxes, labels and edges.

use super::enis::{eni_box, kind_rank};
use super::GraphOptions;
use crate::role::{EniRole, Roles};
use crate::topology::Topology;
use account::{Account, NetworkInterface, Route, RouteTable, RouteTarget, Subnet};
use std::collections::{BTreeMap, BTreeSet};

/// The ID of the node that stands for the internet.
pub const INTERNET: &str = "internet";

/// A subnet's kind, read off its route table's default route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SubnetKind {
    /// 0.0.0.0/0 goes to an internet gateway.
    Public,
    /// 0.0.0.0/0 goes to a NAT gateway.
    Private,
    /// Neither.
    Isolated,
}

impl SubnetKind {
    /// `public`, `private` or `isolated`.
    pub fn name(self) -> &'static str {
        match self {
            SubnetKind::Public => "public",
            SubnetKind::Private => "private",
            SubnetKind::Isolated => "isolated",
        }
    }

    /// The fill colour both renderers use.
    pub fn fill(self) -> &'static str {
        match self {
            SubnetKind::Public => "#e8f5e9",
            SubnetKind::Private => "#e3f2fd",
            SubnetKind::Isolated => "#f1f1f1",
        }
    }

    /// The border colour both renderers use.
    pub fn stroke(self) -> &'static str {
        match self {
            SubnetKind::Public => "#2e7d32",
            SubnetKind::Private => "#1565c0",
            SubnetKind::Isolated => "#757575",
        }
    }
}

/// The border colour of an ENI box, by its role's kind word.
pub fn eni_stroke(kind: &str) -> &'static str {
    match kind {
        "task" => "#8e24aa",
        "instance" | "trunk" => "#ef6c00",
        "load-balancer" => "#c62828",
        "nat-gateway" => "#00897b",
        "database" => "#3949ab",
        _ => "#616161",
    }
}

/// Everything drawn.
#[derive(Clone, Debug, Default)]
pub struct Drawing {
    /// `account ID · region`.
    pub title: String,
    /// Shown when there is nothing to draw.
    pub note: Option<String>,
    /// Whether the internet node is drawn (some internet gateway is).
    pub internet: bool,
    /// The VPCs, by ID.
    pub vpcs: Vec<VpcBox>,
    /// Every edge, in a stable order; both ends are drawn nodes.
    pub edges: Vec<Edge>,
}

/// A VPC and what is in it.
#[derive(Clone, Debug)]
pub struct VpcBox {
    /// `vpc-…`.
    pub id: String,
    /// Its logical ID, when a stack created it.
    pub logical: Option<String>,
    /// Its IPv4 block.
    pub cidr: String,
    /// True for the account's default VPC.
    pub is_default: bool,
    /// Gateways attached to it or named by its routes, drawn outside the subnets.
    pub gateways: Vec<Gateway>,
    /// Its subnets, by ID.
    pub subnets: Vec<SubnetBox>,
}

/// A subnet and its interfaces.
#[derive(Clone, Debug)]
pub struct SubnetBox {
    /// `subnet-…`.
    pub id: String,
    /// Its logical ID, when a stack created it.
    pub logical: Option<String>,
    /// Its IPv4 block.
    pub cidr: String,
    /// Its zone.
    pub zone: String,
    /// True for a default VPC's default subnet.
    pub default_for_az: bool,
    /// Public, private or isolated.
    pub kind: SubnetKind,
    /// Its route table as shown (`PrivateRouteTable`, `rtb-… (main)`), if it has one.
    pub route_table: Option<String>,
    /// Its non-local routes as shown: `0.0.0.0/0 → NatGateway`.
    pub routes: Vec<String>,
    /// Its live interfaces, gateways and balancer nodes first.
    pub enis: Vec<EniBox>,
}

/// One interface.
#[derive(Clone, Debug)]
pub struct EniBox {
    /// `eni-…`.
    pub id: String,
    /// Its role's kind word (`task`, `load-balancer`, …).
    pub kind: &'static str,
    /// `task: ApplicationService`, `instance: i-…`, …
    pub title: String,
    /// A second name: the task ID, the physical name behind a logical one, …
    pub detail: Option<String>,
    /// Primary private address.
    pub private_ip: String,
    /// Public address, when it has one.
    pub public_ip: Option<String>,
    /// Security group names (logical IDs for a stack's groups).
    pub groups: Vec<String>,
}

/// A gateway drawn outside the subnets.
#[derive(Clone, Debug)]
pub struct Gateway {
    /// Its ID (`igw-…`, `pcx-…`, …); the node ID.
    pub id: String,
    /// `internet gateway`, `NAT gateway`, `peering connection`, …
    pub title: String,
    /// Its logical ID, when a stack created it.
    pub logical: Option<String>,
}

/// What an edge stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    /// An internet gateway's link to the internet.
    Internet,
    /// A subnet's non-local route to its target.
    Route,
    /// A load balancer node forwarding to a registered target.
    Target,
}

/// A directed edge between two drawn nodes (by node ID).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// What it stands for (first, so edges sort by kind).
    pub kind: EdgeKind,
    /// The source node.
    pub from: String,
    /// The target node.
    pub to: String,
    /// `0.0.0.0/0 (PrivateRouteTable)`, `80 → 8000`, or empty.
    pub label: String,
}

/// Builds the drawing of `account` for `opts`.
pub fn build(topo: &Topology<'_>, opts: &GraphOptions) -> Drawing {
    let account = topo.account;
    let names = topo;
    let roles = &topo.roles;
    let mut drawing =
        Drawing { title: format!("account {} · {}", account.account_id, account.region), ..Drawing::default() };
    let vpcs: Vec<&account::Vpc> = account
        .vpcs
        .values()
        .filter(|v| match &opts.vpc_id {
            Some(id) => &v.vpc_id == id,
            None => account.subnets.values().any(|s| s.vpc_id == v.vpc_id),
        })
        .collect();
    if vpcs.is_empty() {
        drawing.note = Some(match &opts.vpc_id {
            Some(id) => format!("no VPC {id}"),
            None => "no VPC with subnets".to_string(),
        });
        return drawing;
    }
    let live = live_enis(account);
    let mut edges = BTreeSet::new();
    for vpc in vpcs {
        let enis: BTreeMap<&str, &NetworkInterface> = account
            .network_interfaces
            .values()
            .filter(|e| e.vpc_id == vpc.vpc_id && live.contains(e.network_interface_id.as_str()))
            .map(|e| (e.network_interface_id.as_str(), e))
            .collect();
        let mut gateways: BTreeMap<String, Gateway> = BTreeMap::new();
        for igw in account.internet_gateways.values().filter(|g| g.vpc_id() == Some(vpc.vpc_id.as_str())) {
            gateways
                .insert(igw.internet_gateway_id.clone(), gateway(names, &igw.internet_gateway_id, "internet gateway"));
        }
        let mut subnets = Vec::new();
        for subnet in account.subnets_of_vpc(&vpc.vpc_id) {
            let table = account.route_table_for_subnet(&subnet.subnet_id).ok();
            let mut routes = Vec::new();
            for route in table.iter().flat_map(|t| t.routes.iter()).filter(|r| r.target != RouteTarget::Local) {
                let to = route_node(account, &enis, names, &mut gateways, &route.target);
                let dest = destination(route);
                let blackhole = if route.state == "blackhole" { " (blackhole)" } else { "" };
                let target_name = names.short(route.target.id());
                routes.push(format!("{dest} → {target_name}{blackhole}"));
                let table_name = table.map(|t| table_label(names, t)).unwrap_or_default();
                edges.insert(Edge {
                    kind: EdgeKind::Route,
                    from: subnet.subnet_id.clone(),
                    to,
                    label: format!("{dest} ({table_name}){blackhole}"),
                });
            }
            let mut boxes: Vec<EniBox> = enis
                .values()
                .filter(|e| e.subnet_id == subnet.subnet_id)
                .map(|e| eni_box(account, names, roles.of(&e.network_interface_id), e))
                .collect();
            boxes.sort_by(|a, b| (kind_rank(a.kind), &a.title, &a.id).cmp(&(kind_rank(b.kind), &b.title, &b.id)));
            subnets.push(subnet_box(names, subnet, table, routes, boxes));
        }
        for igw in gateways.values().filter(|g| g.id.starts_with("igw-")) {
            edges.insert(Edge {
                kind: EdgeKind::Internet,
                from: igw.id.clone(),
                to: INTERNET.into(),
                label: String::new(),
            });
            drawing.internet = true;
        }
        target_edges(topo, roles, &enis, &mut edges);
        drawing.vpcs.push(VpcBox {
            id: vpc.vpc_id.clone(),
            logical: names.logical(&vpc.vpc_id).map(str::to_string),
            cidr: vpc.cidr_block.to_string(),
            is_default: vpc.is_default,
            gateways: gateways.into_values().collect(),
            subnets,
        });
    }
    drawing.edges = edges.into_iter().collect();
    drawing
}

/// Interfaces to draw: all but those of STOPPED tasks, which are on their
/// way out (an EC2 task's ENI still attached to its instance would otherwise
/// pass for one of the instance's own).
fn live_enis(account: &Account) -> BTreeSet<&str> {
    let running: BTreeSet<&str> =
        account.tasks.values().filter(|t| t.is_live()).filter_map(|t| t.eni_id.as_deref()).collect();
    let stopped: BTreeSet<&str> = account
        .tasks
        .values()
        .filter(|t| t.last_status == account::TaskStatus::Stopped)
        .filter_map(|t| t.eni_id.as_deref())
        .filter(|e| !running.contains(e))
        .collect();
    account.network_interfaces.keys().map(String::as_str).filter(|id| !stopped.contains(id)).collect()
}

fn gateway(names: &Topology<'_>, id: &str, title: &str) -> Gateway {
    Gateway { id: id.to_string(), title: title.to_string(), logical: names.logical(id).map(str::to_string) }
}

/// The node a route leads to: the target's interface when it is drawn (a
/// NAT gateway's, an instance's primary one), else a gateway node.
fn route_node(
    account: &Account,
    enis: &BTreeMap<&str, &NetworkInterface>,
    names: &Topology<'_>,
    gateways: &mut BTreeMap<String, Gateway>,
    target: &RouteTarget,
) -> String {
    let eni = match target {
        RouteTarget::NatGateway(id) => account
            .nat_gateways
            .get(id)
            .and_then(|n| n.nat_gateway_addresses.iter().find_map(|a| a.network_interface_id.clone())),
        RouteTarget::Instance(id) => account.instances.get(id).and_then(|i| i.network_interface_ids.first().cloned()),
        RouteTarget::NetworkInterface(id) => Some(id.clone()),
        _ => None,
    };
    if let Some(eni) = eni.filter(|e| enis.contains_key(e.as_str())) {
        return eni;
    }
    let title = match target {
        RouteTarget::InternetGateway(_) => "internet gateway",
        RouteTarget::NatGateway(_) => "NAT gateway",
        RouteTarget::NetworkInterface(_) => "network interface",
        RouteTarget::Instance(_) => "instance",
        RouteTarget::VpcPeeringConnection(_) => "peering connection",
        RouteTarget::TransitGateway(_) => "transit gateway",
        // A gateway VPC endpoint (S3, DynamoDB), whichever variant carries its `vpce-…`.
        t if account.vpc_endpoints.contains_key(t.id()) => "gateway endpoint",
        RouteTarget::VpcEndpoint(_) => "VPC endpoint",
        RouteTarget::OtherGateway(_) | RouteTarget::Local => "gateway",
    };
    let id = target.id().to_string();
    gateways.entry(id.clone()).or_insert_with(|| gateway(names, &id, title));
    id
}

/// A route's destination as text: its IPv4 block, else its IPv6 block or prefix list.
fn destination(route: &Route) -> String {
    match (&route.destination_cidr_block, &route.destination_ipv6_cidr_block, &route.destination_prefix_list_id) {
        (Some(c), _, _) => c.to_string(),
        (None, Some(v6), _) => v6.clone(),
        (None, None, Some(pl)) => pl.clone(),
        (None, None, None) => "?".to_string(),
    }
}

/// `PrivateRouteTable`, or `rtb-…` with `main` for the VPC's main table.
fn table_label(names: &Topology<'_>, table: &RouteTable) -> String {
    let name = names.short(&table.route_table_id);
    if table.is_main() {
        format!("{name}, main")
    } else {
        name
    }
}

/// Kind by the default route: an internet gateway makes it public, a NAT gateway private.
fn subnet_kind(table: Option<&RouteTable>) -> SubnetKind {
    // A blackhole route (its gateway deleted) carries nothing: the subnet is as cut off as without it.
    let default_targets = table
        .iter()
        .flat_map(|t| t.routes.iter())
        .filter(|r| r.destination_cidr_block.is_some_and(|c| c.prefix() == 0) && r.state != "blackhole");
    let mut kind = SubnetKind::Isolated;
    for route in default_targets {
        match route.target {
            RouteTarget::InternetGateway(_) => return SubnetKind::Public,
            RouteTarget::NatGateway(_) => kind = SubnetKind::Private,
            _ => {}
        }
    }
    kind
}

fn subnet_box(
    names: &Topology<'_>,
    subnet: &Subnet,
    table: Option<&RouteTable>,
    routes: Vec<String>,
    enis: Vec<EniBox>,
) -> SubnetBox {
    SubnetBox {
        id: subnet.subnet_id.clone(),
        logical: names.logical(&subnet.subnet_id).map(str::to_string),
        cidr: subnet.cidr_block.to_string(),
        zone: subnet.availability_zone.clone(),
        default_for_az: subnet.default_for_az,
        kind: subnet_kind(table),
        route_table: table.map(|t| table_label(names, t)),
        routes,
        enis,
    }
}

/// Dashed edges from every node of a balancer to each target its listeners
/// forward to (by IP for `ip` target groups, the primary ENI for `instance`).
fn target_edges(
    topo: &Topology<'_>,
    roles: &Roles,
    enis: &BTreeMap<&str, &NetworkInterface>,
    edges: &mut BTreeSet<Edge>,
) {
    let account = topo.account;
    for listener in account.listeners.values() {
        let nodes: Vec<&str> = enis
            .keys()
            .copied()
            .filter(|id| {
                matches!(roles.of(id), EniRole::LoadBalancer { load_balancer_arn } if *load_balancer_arn == listener.load_balancer_arn)
            })
            .collect();
        if nodes.is_empty() {
            continue;
        }
        let groups: BTreeSet<String> = topo.listener_target_groups(listener).into_iter().collect();
        for tg in groups.iter().filter_map(|arn| account.target_groups.get(arn)) {
            for t in &tg.targets {
                let target = match tg.target_type.as_str() {
                    "ip" => enis
                        .values()
                        .find(|e| e.private_ip_address.to_string() == t.target.id)
                        .map(|e| e.network_interface_id.as_str()),
                    "instance" => account
                        .instances
                        .get(&t.target.id)
                        .and_then(|i| i.network_interface_ids.first())
                        .map(String::as_str),
                    _ => None,
                };
                let Some(target) = target.filter(|id| enis.contains_key(id)) else { continue };
                for node in &nodes {
                    let label = format!("{} → {}", listener.port, t.target.port);
                    edges.insert(Edge {
                        kind: EdgeKind::Target,
                        from: node.to_string(),
                        to: target.to_string(),
                        label,
                    });
                }
            }
        }
    }
}
