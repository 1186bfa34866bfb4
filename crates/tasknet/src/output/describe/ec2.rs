//! EC2 network tables: network interfaces, subnets, NAT gateways, route tables.

use super::table::{arn_tail, or_none, yes_no, Table};
use account::{Account, NetworkInterface, Route, RouteTable};
use shapes::json::to_value;
use shapes::select::{owner, Owner};
use shapes::Selection;

/// What an interface is attached to, for people: `task <ID>`, an instance,
/// a NAT gateway or `elb <NAME>`.
fn attached_to(account: &Account, eni: &NetworkInterface) -> String {
    match owner(account, eni) {
        Owner::Task(task) => format!("task {}", arn_tail(&task.task_arn)),
        Owner::Instance(id) | Owner::NatGateway(id) => id.to_string(),
        Owner::LoadBalancer(lb) => format!("elb {}", lb.load_balancer_name),
        Owner::Nobody => or_none(eni.attachment.as_ref().and_then(|a| a.instance_owner_id.as_deref())),
    }
}

/// `describe network-interfaces`: one line per interface.
pub fn network_interfaces(sel: &Selection) -> String {
    let mut t =
        Table::new(&["ENI", "SUBNET", "AZ", "PRIVATE IP", "PUBLIC IP", "STATUS", "TYPE", "ATTACHED TO", "DESCRIPTION"]);
    for e in shapes::ec2::network_interfaces(sel) {
        t.row(vec![
            e.network_interface_id.clone(),
            e.subnet_id.clone(),
            e.availability_zone.clone(),
            e.private_ip_address.to_string(),
            or_none(e.association.as_ref().map(|a| a.public_ip)),
            e.status.clone(),
            e.interface_type.clone(),
            attached_to(sel.account, e),
            e.description.clone(),
        ]);
    }
    t.render_or("no network interfaces")
}

/// Where a table's default route (0.0.0.0/0) goes, e.g. `igw-…` or `nat-…`.
fn default_route(table: &RouteTable) -> Option<&str> {
    table.routes.iter().find(|r| r.destination_cidr_block.is_some_and(|c| c.prefix() == 0)).map(|r| r.target.id())
}

/// `describe subnets`: with the route table each subnet uses and where its
/// default route goes (public or NAT).
pub fn subnets(sel: &Selection) -> String {
    let account = sel.account;
    let mut t = Table::new(&[
        "SUBNET",
        "VPC",
        "CIDR",
        "AZ",
        "AVAILABLE IPS",
        "MAP PUBLIC IP",
        "ROUTE TABLE",
        "DEFAULT ROUTE",
        "NAME",
    ]);
    for s in shapes::ec2::subnets(sel) {
        let table = account.route_table_for_subnet(&s.subnet_id).ok();
        let table_name = table.map(|rt| {
            let explicit = rt.associations.iter().any(|a| a.subnet_id.as_deref() == Some(s.subnet_id.as_str()));
            if explicit {
                rt.route_table_id.clone()
            } else {
                format!("{} (main)", rt.route_table_id)
            }
        });
        t.row(vec![
            s.subnet_id.clone(),
            s.vpc_id.clone(),
            s.cidr_block.to_string(),
            s.availability_zone.clone(),
            s.available_ip_address_count.to_string(),
            yes_no(s.map_public_ip_on_launch),
            or_none(table_name),
            or_none(table.and_then(default_route)),
            or_none(s.tags.get("Name")),
        ]);
    }
    t.render_or("no subnets")
}

/// `describe nat-gateways`: one line per gateway, its first address.
pub fn nat_gateways(sel: &Selection) -> String {
    let mut t =
        Table::new(&["NAT GATEWAY", "STATE", "TYPE", "SUBNET", "VPC", "PUBLIC IP", "PRIVATE IP", "ENI", "FAILURE"]);
    for n in shapes::ec2::nat_gateways(sel) {
        let address = n.nat_gateway_addresses.first();
        let failure = match (&n.failure_code, &n.failure_message) {
            (Some(code), Some(message)) => Some(format!("{code}: {message}")),
            (code, message) => code.clone().or_else(|| message.clone()),
        };
        let state = to_value(&n.state);
        t.row(vec![
            n.nat_gateway_id.clone(),
            state.as_str().unwrap_or_default().to_string(),
            n.connectivity_type.clone(),
            n.subnet_id.clone(),
            n.vpc_id.clone(),
            or_none(address.and_then(|a| a.public_ip)),
            or_none(address.and_then(|a| a.private_ip)),
            or_none(address.and_then(|a| a.network_interface_id.as_deref())),
            or_none(failure),
        ]);
    }
    t.render_or("no NAT gateways")
}

/// A route's destination for people: the CIDR, IPv6 CIDR or prefix list.
fn destination(r: &Route) -> String {
    r.destination_cidr_block
        .map(|c| c.to_string())
        .or_else(|| r.destination_ipv6_cidr_block.clone())
        .or_else(|| r.destination_prefix_list_id.clone())
        .unwrap_or_default()
}

/// `describe route-tables`: one line per route, so `grep` finds a table's
/// routes by its ID.
pub fn route_tables(sel: &Selection) -> String {
    let mut t = Table::new(&["ROUTE TABLE", "VPC", "ASSOCIATED WITH", "DESTINATION", "TARGET", "STATE"]);
    for table in shapes::ec2::route_tables(sel) {
        let with: Vec<&str> = table
            .associations
            .iter()
            .map(|a| if a.main { "main" } else { a.subnet_id.as_deref().unwrap_or_default() })
            .collect();
        for r in &table.routes {
            t.row(vec![
                table.route_table_id.clone(),
                table.vpc_id.clone(),
                with.join(","),
                destination(r),
                r.target.id().to_string(),
                r.state.clone(),
            ]);
        }
    }
    t.render_or("no route tables")
}
