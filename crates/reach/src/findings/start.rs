//! TN5004: the AWS APIs a service's tasks' start needs that it cannot
//! reach (`pulls`), grouped so that one missing route is said once.

use crate::topology::Topology;
use account::Service;
use cfn::Diagnostic;

use super::START_UNREACHABLE;

/// One blocked host: what needs it, from which subnets, why, and the fixes.
#[derive(Default)]
struct Host {
    host: String,
    what: String,
    address: String,
    subnets: Vec<String>,
    reasons: Vec<String>,
    fixes: Vec<String>,
}

/// Hosts blocked for the same reasons in the same subnets.
struct Group {
    reasons: Vec<String>,
    subnets: Vec<String>,
    hosts: Vec<(String, String)>,
    fixes: Vec<String>,
    addresses: Vec<String>,
}

/// TN5004 for one service: the AWS APIs its tasks' start needs that TCP 443
/// cannot reach from where the start runs (the start-time pull's question),
/// one finding per set of reasons, so one missing route is said once.
pub(super) fn start_unreachable(topo: &Topology<'_>, s: &Service, out: &mut Vec<Diagnostic>) {
    let Some(blocked) = crate::pulls::service_start_blockers(topo, s) else { return };
    let name = topo.short(&s.service_arn);
    // Per host: its purposes, subnets, reasons and fixes.
    // A reason that names the host's address is kept with a placeholder, so
    // one missing route for several hosts groups into one finding.
    const ADDR: &str = "\u{0}";
    let mut per_host: Vec<Host> = Vec::new();
    for b in &blocked {
        let i = match per_host.iter().position(|h| h.host == b.host) {
            Some(i) => i,
            None => {
                let what = crate::pulls::purposes_text(&b.purposes);
                per_host.push(Host { host: b.host.clone(), what, address: b.address.to_string(), ..Host::default() });
                per_host.len() - 1
            }
        };
        let h = &mut per_host[i];
        push_new(&mut h.subnets, b.subnet.as_deref().map_or_else(|| b.from.clone(), |x| topo.short(x)));
        for x in &b.blockers {
            push_new(&mut h.reasons, x.reason.replace(&h.address, ADDR));
            for part in x.fix.split("; or ") {
                push_new(&mut h.fixes, part.to_string());
            }
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    for h in per_host {
        match groups.iter_mut().find(|g| g.reasons == h.reasons && g.subnets == h.subnets) {
            Some(g) => {
                g.hosts.push((h.host, h.what));
                g.addresses.push(h.address);
                h.fixes.into_iter().for_each(|f| push_new(&mut g.fixes, f));
            }
            None => groups.push(Group {
                reasons: h.reasons,
                subnets: h.subnets,
                hosts: vec![(h.host, h.what)],
                fixes: h.fixes,
                addresses: vec![h.address],
            }),
        }
    }
    for Group { mut reasons, subnets, hosts, mut fixes, addresses: addrs } in groups {
        // The per-subnet endpoint alternatives of the traces, said once for every host of the group.
        let is_endpoint = |f: &String| f.starts_with(INTERFACE_FIX) || f.starts_with(GATEWAY_FIX);
        if fixes.iter().any(is_endpoint) {
            fixes.retain(|f| !is_endpoint(f));
            let services: Vec<&str> =
                hosts.iter().filter_map(|(h, _)| blocked.iter().find(|b| &b.host == h).map(|b| b.service)).collect();
            fixes.push(endpoints_fix(topo, &blocked, &services));
        }
        let more = reasons.len().saturating_sub(2);
        reasons.truncate(2);
        let mut why = reasons.join("; ").replace(ADDR, &addrs.join(", "));
        if more > 0 {
            why.push_str(&format!(" (and {more} more like these)"));
        }
        // Hosts needed for the same thing (ECR's three) are said together.
        let mut by_what: Vec<(&str, Vec<&str>)> = Vec::new();
        for (h, what) in &hosts {
            match by_what.iter_mut().find(|(w, _)| w == what) {
                Some((_, hs)) => hs.push(h),
                None => by_what.push((what, vec![h])),
            }
        }
        let ends: Vec<String> = by_what
            .iter()
            .map(|(what, hs)| {
                format!("{} ({what})", hs.iter().map(|h| format!("{h}:443")).collect::<Vec<_>>().join(", "))
            })
            .collect();
        let (verb, list) = match ends.as_slice() {
            [one] => ("is", one.clone()),
            [init @ .., last] => ("are", format!("{} and {last}", init.join(", "))),
            [] => continue,
        };
        let d = Diagnostic::warning(
            START_UNREACHABLE,
            format!("{name}'s tasks cannot start: {list} {verb} unreachable from {}: {why}", subnets.join(", ")),
        )
        .resource(name.clone())
        .path(format!("Resources/{name}"))
        .hint(fixes.join("; or "));
        out.push(d);
    }
}

/// How the trace's endpoint alternatives begin (`trace::service`).
const INTERFACE_FIX: &str = "add an interface VPC endpoint for ";
const GATEWAY_FIX: &str = "add a gateway endpoint for ";

/// `add VPC endpoints: interface endpoints for … in … with …; a gateway endpoint for … on …`.
fn endpoints_fix(topo: &Topology<'_>, blocked: &[crate::pulls::PullBlocker], services: &[&str]) -> String {
    let region = &topo.account.region;
    let gateway = |s: &&str| account::endpoints::by_name(s).is_some_and(|e| e.gateway.is_some());
    let name = |s: &&str| format!("com.amazonaws.{region}.{s}");
    let interface: Vec<String> = services.iter().filter(|s| !gateway(s)).map(name).collect();
    let gateways: Vec<String> = services.iter().filter(|s| gateway(s)).map(name).collect();
    let mut subnets: Vec<String> = Vec::new();
    let mut tables: Vec<String> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    for b in blocked {
        if let Some(sub) = &b.subnet {
            push_new(&mut subnets, topo.reference(sub));
            if let Some((t, _)) = topo.route_table(sub) {
                push_new(&mut tables, topo.reference(&t.route_table_id));
            }
        }
        if let Some(g) = b.groups.first() {
            push_new(&mut groups, topo.reference(g));
        }
    }
    let vpc = blocked
        .iter()
        .find_map(|b| b.subnet.as_deref().and_then(|s| topo.subnet(s)))
        .map(|s| topo.reference(&s.vpc_id))
        .unwrap_or_default();
    let mut parts = Vec::new();
    if !interface.is_empty() {
        parts.push(format!(
            "an interface endpoint for each of {} (AWS::EC2::VPCEndpoint {{VpcEndpointType: Interface, VpcId: {vpc}, SubnetIds: [{}], PrivateDnsEnabled: true, SecurityGroupIds: [<a group allowing tcp 443 from {}>]}})",
            interface.join(", "),
            subnets.join(", "),
            groups.join(", ")
        ));
    }
    if !gateways.is_empty() {
        parts.push(format!(
            "a gateway endpoint for {} (AWS::EC2::VPCEndpoint {{VpcEndpointType: Gateway, VpcId: {vpc}, RouteTableIds: [{}]}})",
            gateways.join(", "),
            tables.join(", ")
        ));
    }
    format!("add VPC endpoints: {}", parts.join("; and "))
}

fn push_new(v: &mut Vec<String>, x: String) {
    if !v.contains(&x) {
        v.push(x);
    }
}
