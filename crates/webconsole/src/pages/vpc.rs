//! The VPC map: the account's VPCs drawn by `reach::graph` (zones, subnets
//! public or private by their route tables, gateways, load balancers,
//! interfaces by owner), with the subnets and route tables beside it;
//! hovering a route table highlights the subnets it applies to.

use super::{Page, Section, View};
use crate::html::{code, esc, link, percent_encode, table};
use account::Account;

/// Draws `/vpc` (every VPC, or `?vpc=vpc-…`).
pub fn render(path: &[&str], view: &View<'_>) -> Option<Page> {
    if !path.is_empty() {
        return None;
    }
    let a = view.account;
    let vpc = view.param("vpc").map(str::to_string);
    if let Some(v) = &vpc {
        a.vpcs.get(v)?;
    }
    let body = map_body(a, vpc.as_deref(), "", reach::graph::Interactive::default());
    Some(Page { title: "VPC map".into(), section: Section::Vpc, body })
}

/// The map (with `marks` drawn on it), its details and its tables, under
/// `heading` (the page's own title when empty).
pub fn map_body(a: &Account, vpc: Option<&str>, heading: &str, marks: reach::graph::Interactive) -> String {
    let topo = reach::topology::Topology::new(a);
    let opts = reach::graph::GraphOptions { vpc_id: vpc.map(str::to_string), interactive: Some(marks) };
    let svg = reach::graph::svg(&topo, &opts);
    let mut body = String::new();
    if heading.is_empty() {
        body.push_str("<h1>VPC map</h1>");
        let choices: Vec<String> = a
            .vpcs
            .values()
            .map(|v| {
                link(&format!("/vpc?vpc={}", percent_encode(&v.vpc_id)), &format!("{} {}", v.vpc_id, v.cidr_block))
            })
            .collect();
        body.push_str(&format!("<p>{} · {}</p>", link("/vpc", "every VPC"), choices.join(" · ")));
    } else {
        body.push_str(heading);
    }
    // Not role="img": its elements are buttons a keyboard reaches.
    body.push_str(&format!(
        "<div class=\"map-wrap\"><div class=\"map\" aria-label=\"The VPC drawn: subnets, gateways, load balancers and interfaces\">{svg}</div>{}</div>",
        super::map::details(a, vpc)
    ));
    body.push_str("<h2>Subnets</h2>");
    let rows: Vec<Vec<String>> = a
        .subnets
        .values()
        .filter(|s| vpc.is_none_or(|v| s.vpc_id == v))
        .map(|s| {
            let rt = a.route_table_for_subnet(&s.subnet_id).map(|r| r.route_table_id.clone()).unwrap_or_default();
            let enis = a.network_interfaces.values().filter(|e| e.subnet_id == s.subnet_id).count();
            vec![
                format!("<span data-id=\"{}\">{}</span>", esc(&s.subnet_id), code(&s.subnet_id)),
                esc(&s.availability_zone).into_owned(),
                code(&s.cidr_block.to_string()),
                format!("<span class=\"num\">{}</span>", s.available_ip_address_count),
                format!("<span class=\"num\">{enis}</span>"),
                if s.map_public_ip_on_launch { "yes".into() } else { "no".into() },
                code(&rt),
            ]
        })
        .collect();
    body.push_str(&table(
        &["Subnet", "Zone", "CIDR", "Free addresses", "ENIs", "Public IP on launch", "Route table"],
        &rows,
        "No subnets.",
    ));
    body.push_str(
        "<h2>Route tables</h2><p class=\"hint\">Hover or focus a route table to see the subnets it applies to.</p>",
    );
    let rows: Vec<Vec<String>> = a
        .route_tables
        .values()
        .filter(|r| vpc.is_none_or(|v| r.vpc_id == v))
        .map(|rt| {
            // The main table applies to every subnet without an association of its own.
            let applies: Vec<String> = a
                .subnets
                .values()
                .filter(|s| a.route_table_for_subnet(&s.subnet_id).is_ok_and(|t| t.route_table_id == rt.route_table_id))
                .map(|s| s.subnet_id.clone())
                .collect();
            let routes = rt
                .routes
                .iter()
                .map(|r| format!("{} <span class=\"empty\">{}</span>", route_text(r), esc(&r.state)))
                .collect::<Vec<_>>()
                .join("<br>");
            vec![
                format!(
                    "<span tabindex=\"0\" data-applies=\"{}\">{}{}</span>",
                    esc(&applies.join(" ")),
                    code(&rt.route_table_id),
                    if rt.is_main() { " (main)" } else { "" }
                ),
                routes,
                applies.iter().map(|s| code(s)).collect::<Vec<_>>().join(" "),
            ]
        })
        .collect();
    body.push_str(&table(&["Route table", "Routes", "Subnets"], &rows, "No route tables."));
    body
}

/// A route as `destination → target`, both in monospace.
pub(super) fn route_text(r: &account::Route) -> String {
    let dest = r
        .destination_cidr_block
        .map(|c| c.to_string())
        .or_else(|| r.destination_prefix_list_id.clone())
        .or_else(|| r.destination_ipv6_cidr_block.clone())
        .unwrap_or_default();
    format!("{} → {}", code(&dest), code(r.target.id()))
}
