//! What makes the VPC map more than a picture: the details of every element
//! drawn (shown in a panel when the user clicks or presses Enter on it) and
//! a reachability answer drawn on the map (its hops' elements marked, the
//! blocked one apart).

use crate::html::{code, esc, facts, link, percent_encode};
use account::{Account, NetworkInterface};
use reach::graph::Interactive;
use reach::trace::{Direction, Path};
use std::fmt::Write as _;

/// The panel the script fills, and one `<template data-details="ID">` per
/// element the map draws (in `vpc`, or every VPC).
pub fn details(a: &Account, vpc: Option<&str>) -> String {
    let mut out = String::from(
        "<aside id=\"map-details\" class=\"details\" aria-live=\"polite\"><p class=\"hint\">Click an element of the map, or focus it and press Enter, for its details.</p></aside><div hidden>",
    );
    let mine = |v: &str| vpc.is_none_or(|want| want == v);
    template(
        &mut out,
        reach::graph::model::INTERNET,
        "The internet",
        facts(&[(
            "Addresses",
            "documentation ranges only (203.0.113.0/24, 198.51.100.0/24), inside namespaces".into(),
        )]),
    );
    for v in a.vpcs.values().filter(|v| mine(&v.vpc_id)) {
        let body = facts(&[
            ("CIDR", code(&v.cidr_block.to_string())),
            ("Default VPC", yes_no(v.is_default)),
            ("DNS support", yes_no(v.enable_dns_support)),
            ("DNS hostnames", yes_no(v.enable_dns_hostnames)),
            ("Subnets", a.subnets.values().filter(|s| s.vpc_id == v.vpc_id).count().to_string()),
        ]);
        template(&mut out, &v.vpc_id, &format!("VPC {}", v.vpc_id), body);
    }
    for s in a.subnets.values().filter(|s| mine(&s.vpc_id)) {
        let routes = a.route_table_for_subnet(&s.subnet_id).map_or("—".to_string(), |rt| {
            let lines: Vec<String> = rt.routes.iter().map(super::vpc::route_text).collect();
            format!(
                "{}{}<br>{}",
                code(&rt.route_table_id),
                if rt.is_main() { " (main)" } else { "" },
                lines.join("<br>")
            )
        });
        let acl = a.network_acl_for_subnet(&s.subnet_id).map_or("—".to_string(), |n| code(&n.network_acl_id));
        let enis = a.network_interfaces.values().filter(|e| e.subnet_id == s.subnet_id).count();
        let body = facts(&[
            ("Zone", esc(&s.availability_zone).into_owned()),
            ("CIDR", code(&s.cidr_block.to_string())),
            ("Free addresses", s.available_ip_address_count.to_string()),
            ("Public IP on launch", yes_no(s.map_public_ip_on_launch)),
            ("Route table", routes),
            ("Network ACL", acl),
            ("ENIs", enis.to_string()),
        ]);
        template(&mut out, &s.subnet_id, &format!("Subnet {}", s.subnet_id), body);
    }
    for e in a.network_interfaces.values().filter(|e| mine(&e.vpc_id)) {
        let mut body = eni_facts(a, e);
        // The map draws a NAT gateway as its interface.
        if let account::EniOwner::NatGateway { nat_gateway_id } = &e.owner {
            if let Some(n) = a.nat_gateways.get(nat_gateway_id) {
                body.push_str(&nat_facts(n));
            }
        }
        template(&mut out, &e.network_interface_id, &format!("ENI {}", e.network_interface_id), body);
    }
    for g in a.internet_gateways.values() {
        let attached: Vec<String> = g.attachments.iter().filter(|t| mine(&t.vpc_id)).map(|t| code(&t.vpc_id)).collect();
        if !attached.is_empty() {
            let body =
                facts(&[("Attached to", attached.join(" ")), ("Translates", "public IPs 1:1 to private ones".into())]);
            template(&mut out, &g.internet_gateway_id, &format!("Internet gateway {}", g.internet_gateway_id), body);
        }
    }
    for p in a.vpc_endpoints.values().filter(|p| mine(&p.vpc_id)) {
        let body = facts(&[
            ("Service", code(&p.service_name)),
            ("State", esc(&p.state).into_owned()),
            ("Route tables", p.route_table_ids.iter().map(|r| code(r)).collect::<Vec<_>>().join(" ")),
            ("Subnets", p.subnet_ids.iter().map(|s| code(s)).collect::<Vec<_>>().join(" ")),
            ("Private DNS", yes_no(p.private_dns_enabled)),
        ]);
        template(&mut out, &p.vpc_endpoint_id, &format!("VPC endpoint {}", p.vpc_endpoint_id), body);
    }
    out.push_str("</div>");
    out
}

fn eni_facts(a: &Account, e: &NetworkInterface) -> String {
    let groups: Vec<String> = e
        .groups
        .iter()
        .map(|g| {
            let name = a.security_groups.get(g).map_or(String::new(), |sg| format!(" {}", esc(&sg.group_name)));
            format!("{}{name}", link(&format!("/sg/{}", percent_encode(g)), g))
        })
        .collect();
    facts(&[
        ("Owner", super::sg::owner_text(a, e)),
        ("Private IP", code(&e.private_ip_address.to_string())),
        ("Public IP", e.association.as_ref().map_or("—".to_string(), |x| code(&x.public_ip.to_string()))),
        ("MAC", code(&e.mac_address)),
        ("Subnet", code(&e.subnet_id)),
        ("Security groups", groups.join("<br>")),
        ("Status", esc(&e.status).into_owned()),
    ])
}

fn nat_facts(n: &account::NatGateway) -> String {
    let state = serde_json::to_value(n.state).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let addresses: Vec<String> = n
        .nat_gateway_addresses
        .iter()
        .map(|x| {
            let ip = |i: Option<std::net::Ipv4Addr>| i.map_or("—".to_string(), |i| i.to_string());
            format!("{} → {}", code(&ip(x.private_ip)), code(&ip(x.public_ip)))
        })
        .collect();
    format!(
        "<h3>NAT gateway {}</h3>{}",
        esc(&n.nat_gateway_id),
        facts(&[
            ("State", esc(&state).into_owned()),
            ("Connectivity", esc(&n.connectivity_type).into_owned()),
            ("Private → Elastic IP", addresses.join("<br>")),
        ])
    )
}

fn template(out: &mut String, id: &str, title: &str, body: String) {
    let _ = write!(out, "<template data-details=\"{}\"><h2>{}</h2>{body}</template>", esc(id), esc(title));
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// The map's marks for `paths`: every drawn element their forward hops pass
/// (interfaces with their subnets, gateways, the internet), and where each
/// blocked path stops: the blocking element when it is drawn, else the
/// interface a security group or an ACL guards.
pub fn marks(a: &Account, paths: &[Path]) -> Interactive {
    let mut m = Interactive::default();
    for p in paths {
        mark_path(a, p, &mut m);
    }
    m
}

fn mark_path(a: &Account, p: &Path, m: &mut Interactive) {
    let mut last: Option<String> = None;
    for h in p.hops.iter().filter(|h| h.direction == Direction::Forward) {
        let drawn = drawn_id(a, &h.component);
        if let Some(id) = &drawn {
            m.path.insert(id.clone());
            if let Some(e) = a.network_interfaces.get(id) {
                m.path.insert(e.subnet_id.clone());
            }
            last = drawn.clone();
        }
        if h.blocked {
            // A setting that is not drawn blocks at an interface: the destination's for what
            // guards the way in, the last one passed for the way out.
            let inbound = h.step == "security-group-ingress" || h.step == "network-acl-in";
            let at = drawn.or_else(|| if inbound { p.to.eni.clone() } else { None }).or_else(|| last.clone());
            if let Some(id) = at {
                m.blocked.insert(id);
            }
        }
    }
    for n in &p.next {
        mark_path(a, n, m);
    }
}

/// The map's node ID for a hop's component, when the map draws it (a NAT
/// gateway is drawn as its interface).
fn drawn_id(a: &Account, component: &str) -> Option<String> {
    if let Some(n) = a.nat_gateways.get(component) {
        return n.nat_gateway_addresses.iter().find_map(|x| x.network_interface_id.clone());
    }
    let drawn = component == reach::graph::model::INTERNET
        || a.network_interfaces.contains_key(component)
        || a.subnets.contains_key(component)
        || a.internet_gateways.contains_key(component)
        || a.vpc_endpoints.contains_key(component);
    drawn.then(|| component.to_string())
}
