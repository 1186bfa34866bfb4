//! What plan and deploy say about reachability: the findings that
//! contradict what a stack evidently means. A listener means its load
//! balancer should reach its targets; an egress rule to the internet means
//! the tasks should get there; a rule on the container instances' group for
//! a container port means tasks should receive it.

use crate::endpoint::service_places;
use crate::filters::{peer_addrs, protocol_ports, rule_text, Declaration};
use crate::sets::{show_ports, PortSet, ProtoSet};
use crate::topology::{internet, Topology};
use crate::trace::{leg, targets, Flow, Path, Place};
use account::{Peer, Service};
use cfn::Diagnostic;

mod start;

/// TN5001: a load balancer cannot reach the targets of its own listener.
pub const LISTENER_TARGETS: &str = "TN5001";
/// TN5002: egress rules allow the internet, but no route delivers.
pub const EGRESS_NO_ROUTE: &str = "TN5002";
/// TN5003: a rule on the container instances' group for a port only awsvpc tasks serve.
pub const RULE_ON_INSTANCES: &str = "TN5003";
/// TN5004: a service's tasks cannot reach an AWS API their start needs (secrets, ECR, logs).
pub const START_UNREACHABLE: &str = "TN5004";

/// Every reachability finding about the resources of stack `stack_name`.
pub fn stack_findings(topo: &Topology<'_>, stack_name: &str) -> Vec<Diagnostic> {
    let owned = |id: &str| topo.owner(id).is_some_and(|o| o.stack_name == stack_name);
    let mut out = Vec::new();
    listener_targets(topo, &owned, &mut out);
    let services: Vec<&Service> = topo
        .account
        .services
        .values()
        .filter(|s| s.status == account::ServiceStatus::Active && owned(&s.service_arn))
        .collect();
    for s in &services {
        egress_without_route(topo, s, &mut out);
        start::start_unreachable(topo, s, &mut out);
    }
    rules_on_instances(topo, &owned, &services, &mut out);
    out
}

fn reasons(paths: &[Path]) -> (String, String) {
    let mut reasons: Vec<String> = Vec::new();
    let mut fixes: Vec<String> = Vec::new();
    for b in paths.iter().flat_map(|p| p.blockers.iter()) {
        if !reasons.contains(&b.reason) {
            reasons.push(b.reason.clone());
        }
        if !fixes.contains(&b.fix) {
            fixes.push(b.fix.clone());
        }
    }
    // The same setting blocks every pair of places: say each reason once, and count the rest.
    let more = reasons.len().saturating_sub(2);
    reasons.truncate(2);
    let mut why = reasons.join("; ");
    if more > 0 {
        why.push_str(&format!(" (and {more} more like these)"));
    }
    (why, fixes.join("; "))
}

/// TN5001 for every listener of the stack's load balancers.
fn listener_targets(topo: &Topology<'_>, owned: &dyn Fn(&str) -> bool, out: &mut Vec<Diagnostic>) {
    let a = topo.account;
    for l in a.listeners.values().filter(|l| owned(&l.load_balancer_arn)) {
        let nodes: Vec<Place> =
            topo.load_balancer_enis(&l.load_balancer_arn).into_iter().map(|e| Place::eni(topo, e)).collect();
        for g in topo.listener_target_groups(l) {
            let targets = targets(topo, &g);
            if targets.is_empty() || nodes.is_empty() {
                continue;
            }
            let mut paths = Vec::new();
            for (t, port) in &targets {
                let flow = Flow::tcp(PortSet::single(*port));
                for n in &nodes {
                    paths.extend(leg(topo, n, t, &flow));
                }
            }
            if paths.iter().any(|p| p.reachable) {
                continue;
            }
            let ports: Vec<String> = targets
                .iter()
                .map(|(_, p)| p.to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let (why, fix) = reasons(&paths);
            let listener = topo.short(&l.listener_arn);
            out.push(
                Diagnostic::warning(
                    LISTENER_TARGETS,
                    format!(
                        "{} cannot reach the targets of its listener on port {} ({}, tcp {}): {why}",
                        topo.short(&l.load_balancer_arn),
                        l.port,
                        topo.short(&g),
                        ports.join(", ")
                    ),
                )
                .resource(listener.clone())
                .path(format!("Resources/{listener}"))
                .hint(fix),
            );
        }
    }
}

/// TN5002 for one service: each egress rule towards internet addresses that
/// no route (or no public address) can honour.
fn egress_without_route(topo: &Topology<'_>, s: &Service, out: &mut Vec<Diagnostic>) {
    let mut places = service_places(topo, s);
    places.sort_by(|x, y| x.subnet.cmp(&y.subnet));
    places.dedup_by(|x, y| x.subnet == y.subnet);
    let mut failing: Vec<(String, Option<Declaration>)> = Vec::new();
    let mut all_paths = Vec::new();
    let mut subnets = Vec::new();
    for place in &places {
        for g in place.groups.clone().unwrap_or_default() {
            let Some(group) = topo.account.security_groups.get(&g) else { continue };
            for rule in &group.egress {
                if !matches!(rule.peer, Peer::Cidr(_)) {
                    continue;
                }
                let dst = peer_addrs(topo, &rule.peer).intersect(&internet());
                if dst.is_empty() {
                    continue;
                }
                let (proto, ports) = protocol_ports(&rule.ip_protocol, rule.from_port, rule.to_port);
                if proto.is_empty() {
                    continue;
                }
                let tcp_udp =
                    proto == ProtoSet::single(crate::sets::TCP) || proto == ProtoSet::single(crate::sets::UDP);
                let flow = Flow {
                    protocol: proto,
                    ports,
                    src_ports: if tcp_udp { PortSet::range(1024, 65535) } else { PortSet::full() },
                };
                let paths = leg(topo, place, &Place::internet(dst), &flow);
                if paths.iter().any(|p| p.reachable) {
                    continue;
                }
                // Only routing and addressing failures: the rule itself allows it.
                if paths.iter().flat_map(|p| p.blockers.iter()).all(|b| b.step == "security-group-egress") {
                    continue;
                }
                let text = rule_text(topo, &g, rule, true);
                if !failing.iter().any(|(t, _)| t == &text) {
                    failing.push((text, crate::filters::rule_declared(rule)));
                }
                if let Some(sub) = &place.subnet {
                    if !subnets.contains(sub) {
                        subnets.push(sub.clone());
                    }
                }
                all_paths.extend(paths);
            }
        }
    }
    if failing.is_empty() {
        return;
    }
    let (why, fix) = reasons(&all_paths);
    let name = topo.short(&s.service_arn);
    let rules: Vec<&str> = failing.iter().map(|(t, _)| t.as_str()).collect();
    let subnets: Vec<String> = subnets.iter().map(|x| topo.short(x)).collect();
    let d = Diagnostic::warning(
        EGRESS_NO_ROUTE,
        format!(
            "{name}'s tasks in {} may send to the internet ({}) but cannot reach it: {why}",
            subnets.join(", "),
            rules.join("; ")
        ),
    )
    .resource(name.clone())
    .hint(fix);
    out.push(match failing.first().and_then(|(_, d)| d.as_ref()) {
        Some(decl) => decl.locate(d),
        None => d.path(format!("Resources/{name}")),
    });
}

/// Groups the container instances use: launch configurations', launch
/// templates' and running instances' groups.
fn instance_groups(topo: &Topology<'_>) -> Vec<String> {
    let a = topo.account;
    let mut g: Vec<String> = a.launch_configurations.values().flat_map(|l| l.security_groups.iter().cloned()).collect();
    g.extend(a.launch_templates.values().flat_map(|l| l.security_group_ids.iter().cloned()));
    g.extend(
        a.instances
            .values()
            .filter(|i| i.state != account::InstanceState::Terminated)
            .flat_map(|i| i.security_group_ids.iter().cloned()),
    );
    g.sort();
    g.dedup();
    g
}

/// TN5003: an ingress rule on the container instances' group for a port an
/// awsvpc service's containers listen on, while its tasks' ENIs carry other groups.
fn rules_on_instances(
    topo: &Topology<'_>,
    owned: &dyn Fn(&str) -> bool,
    services: &[&Service],
    out: &mut Vec<Diagnostic>,
) {
    let a = topo.account;
    let instance_groups = instance_groups(topo);
    for s in services {
        let Some(cfg) = s.network_configuration.as_ref().and_then(|n| n.awsvpc_configuration.as_ref()) else {
            continue;
        };
        let Some(td) = a.task_definitions.get(&s.task_definition) else { continue };
        if td.network_mode != "awsvpc" {
            continue;
        }
        let mut ports = PortSet::empty();
        for c in &td.container_definitions {
            for m in &c.port_mappings {
                ports = ports.union(&PortSet::single(m.container_port));
            }
        }
        for g in instance_groups.iter().filter(|g| owned(g) && !cfg.security_groups.contains(g)) {
            let Some(group) = a.security_groups.get(g) else { continue };
            for rule in &group.ingress {
                let (proto, rule_ports) = protocol_ports(&rule.ip_protocol, rule.from_port, rule.to_port);
                if !proto.contains(crate::sets::TCP) || rule_ports.is_full() {
                    continue;
                }
                let hit = rule_ports.intersect(&ports);
                if hit.is_empty() {
                    continue;
                }
                let task_groups: Vec<String> = cfg.security_groups.iter().map(|x| topo.short(x)).collect();
                let target =
                    cfg.security_groups.first().map_or_else(|| "the tasks' group".to_string(), |x| topo.reference(x));
                let d = Diagnostic::warning(
                    RULE_ON_INSTANCES,
                    format!(
                        "{} allows tcp {} into the container instances ({}), but {}'s awsvpc tasks listen on their own ENIs with {}: the rule reaches no task",
                        topo.short(g),
                        show_ports(&hit),
                        rule_text(topo, g, rule, false),
                        topo.short(&s.service_arn),
                        task_groups.join(", ")
                    ),
                )
                .resource(topo.short(g))
                .path(format!("Resources/{}", topo.short(g)))
                .hint(format!("move the rule to the tasks' security group: GroupId: {target}"));
                out.push(match crate::filters::rule_declared(rule) {
                    Some(x) => x.locate(d),
                    None => d,
                });
            }
        }
    }
}
