//! Load balancing: load balancers, their listeners and rules, and target
//! groups with each target's health (DescribeTargetHealth's state, reason
//! and description) and the time left for draining ones.

use super::{Page, Section, View};
use crate::html::{badge, code, esc, facts, link, percent_decode, percent_encode, table};
use account::{Account, Action, TargetGroup};

/// Draws `/lb/…`.
pub fn render(path: &[&str], view: &View<'_>) -> Option<Page> {
    let a = view.account;
    match path {
        [] => Some(list(a)),
        ["target-groups", name] => target_group_page(a, &percent_decode(name)),
        [name] => lb_page(a, &percent_decode(name)),
        _ => None,
    }
}

fn list(a: &Account) -> Page {
    let rows: Vec<Vec<String>> = a
        .load_balancers
        .values()
        .map(|lb| {
            vec![
                link(&format!("/lb/{}", percent_encode(&lb.load_balancer_name)), &lb.load_balancer_name),
                esc(&lb.lb_type).into_owned(),
                esc(&lb.scheme).into_owned(),
                badge(&lb.state),
                code(&lb.dns_name),
                lb.security_groups
                    .iter()
                    .map(|g| link(&format!("/sg/{}", percent_encode(g)), g))
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
        .collect();
    let mut body = format!(
        "<h1>Load balancers</h1>{}",
        table(&["Name", "Type", "Scheme", "State", "DNS name", "Security groups"], &rows, "No load balancers yet.")
    );
    body.push_str("<h2>Target groups</h2>");
    body.push_str(&target_groups_table(a.target_groups.values().collect()));
    Page { title: "Load balancing".into(), section: Section::Lb, body }
}

fn target_groups_table(groups: Vec<&TargetGroup>) -> String {
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|tg| {
            let healthy = tg.targets.iter().filter(|t| t.target_health.state.as_str() == "healthy").count();
            vec![
                link(&format!("/lb/target-groups/{}", percent_encode(&tg.target_group_name)), &tg.target_group_name),
                esc(&tg.target_type).into_owned(),
                format!(
                    "{} {}",
                    esc(tg.protocol.as_deref().unwrap_or("")),
                    tg.port.map_or(String::new(), |p| p.to_string())
                ),
                format!("<span class=\"num\">{healthy} of {}</span>", tg.targets.len()),
            ]
        })
        .collect();
    table(&["Target group", "Target type", "Protocol and port", "Healthy targets"], &rows, "No target groups.")
}

fn tg_name(a: &Account, arn: &str) -> String {
    a.target_groups.get(arn).map_or_else(
        || esc(arn).into_owned(),
        |tg| link(&format!("/lb/target-groups/{}", percent_encode(&tg.target_group_name)), &tg.target_group_name),
    )
}

/// An action as the console lists it: forward (target groups and weights), fixed-response, redirect.
fn action_text(a: &Account, act: &Action) -> String {
    match act.action_type.as_str() {
        "forward" => {
            let mut groups: Vec<String> = act
                .forward_target_groups
                .iter()
                .map(|t| match t.weight {
                    Some(w) => format!("{} (weight {w})", tg_name(a, &t.target_group_arn)),
                    None => tg_name(a, &t.target_group_arn),
                })
                .collect();
            if groups.is_empty() {
                groups.extend(act.target_group_arn.iter().map(|arn| tg_name(a, arn)));
            }
            format!("forward to {}", groups.join(", "))
        }
        other => {
            let config = act.config.as_ref().map_or(String::new(), |c| format!(" {}", code(&c.to_string())));
            format!("{}{config}", esc(other))
        }
    }
}

fn lb_page(a: &Account, name: &str) -> Option<Page> {
    let lb = a.load_balancers.values().find(|l| l.load_balancer_name == name)?;
    let mut body = format!(
        "<div class=\"crumbs\">{} / load balancer</div><h1>Load balancer {}</h1>",
        link("/lb", "Load balancing"),
        esc(name)
    );
    let subnets = lb
        .subnets
        .iter()
        .map(|s| {
            let zone = a.subnets.get(s).map_or("", |x| x.availability_zone.as_str());
            format!("{} ({})", code(s), esc(zone))
        })
        .collect::<Vec<_>>()
        .join("<br>");
    let nodes = a
        .network_interfaces
        .values()
        .filter(|e| matches!(&e.owner, account::EniOwner::LoadBalancer { load_balancer_arn } if *load_balancer_arn == lb.load_balancer_arn))
        .map(|e| format!("{} {} {}", code(&e.network_interface_id), code(&e.private_ip_address.to_string()), esc(&e.availability_zone)))
        .collect::<Vec<_>>()
        .join("<br>");
    body.push_str(&facts(&[
        ("ARN", code(&lb.load_balancer_arn)),
        ("State", badge(&lb.state)),
        ("Type and scheme", format!("{} {}", esc(&lb.lb_type), esc(&lb.scheme))),
        ("DNS name", code(&lb.dns_name)),
        ("VPC", code(&lb.vpc_id)),
        ("Subnets", subnets),
        ("Nodes (ENIs)", if nodes.is_empty() { "—".into() } else { nodes }),
        (
            "Security groups",
            lb.security_groups
                .iter()
                .map(|g| link(&format!("/sg/{}", percent_encode(g)), g))
                .collect::<Vec<_>>()
                .join(" "),
        ),
    ]));
    body.push_str("<h2>Listeners and rules</h2>");
    let mut rows = Vec::new();
    let mut used = Vec::new();
    for l in a.listeners.values().filter(|l| l.load_balancer_arn == lb.load_balancer_arn) {
        let mut rules: Vec<&account::ListenerRule> =
            a.listener_rules.values().filter(|r| r.listener_arn == l.listener_arn).collect();
        rules.sort_by_key(|r| r.priority);
        for r in rules {
            let conditions = r.conditions.iter().map(|c| code(&c.to_string())).collect::<Vec<_>>().join(" ");
            let actions = r.actions.iter().map(|x| action_text(a, x)).collect::<Vec<_>>().join("; ");
            used.extend(r.actions.iter().flat_map(|x| x.target_group_arns()).map(str::to_string));
            rows.push(vec![format!("{} {}", esc(&l.protocol), l.port), r.priority.to_string(), conditions, actions]);
        }
        used.extend(l.default_actions.iter().flat_map(|x| x.target_group_arns()).map(str::to_string));
        let actions = l.default_actions.iter().map(|x| action_text(a, x)).collect::<Vec<_>>().join("; ");
        // An HTTPS listener: its certificate's names and its security policy.
        let tls = l.certificates.first().map_or(String::new(), |arn| {
            let names = a.certificates.get(arn).map_or_else(
                || "a certificate the account lacks".to_string(),
                |c| c.subject_alternative_names.join(", "),
            );
            format!(
                "<div class=\"hint\">certificate {} ({}) · {}</div>",
                code(arn.rsplit('/').next().unwrap_or(arn)),
                esc(&names),
                esc(l.ssl_policy.as_deref().unwrap_or(""))
            )
        });
        rows.push(vec![format!("{} {}{tls}", esc(&l.protocol), l.port), "default".into(), "—".into(), actions]);
    }
    body.push_str(&table(&["Listener", "Priority", "Conditions", "Actions"], &rows, "No listeners."));
    body.push_str("<h2>Target groups</h2>");
    let groups: Vec<&TargetGroup> = a.target_groups.values().filter(|tg| used.contains(&tg.target_group_arn)).collect();
    body.push_str(&target_groups_table(groups));
    Some(Page { title: format!("Load balancer {name}"), section: Section::Lb, body })
}

fn target_group_page(a: &Account, name: &str) -> Option<Page> {
    let tg = a.target_groups.values().find(|t| t.target_group_name == name)?;
    let mut body = format!(
        "<div class=\"crumbs\">{} / target group</div><h1>Target group {}</h1>",
        link("/lb", "Load balancing"),
        esc(name)
    );
    let hc = &tg.health_check;
    body.push_str(&facts(&[
        ("ARN", code(&tg.target_group_arn)),
        ("Target type", esc(&tg.target_type).into_owned()),
        (
            "Protocol and port",
            format!(
                "{} {}",
                esc(tg.protocol.as_deref().unwrap_or("")),
                tg.port.map_or(String::new(), |p| p.to_string())
            ),
        ),
        (
            "Health check",
            format!(
                "{} {} {}",
                esc(&hc.health_check_protocol),
                esc(&hc.health_check_port),
                code(&hc.health_check_path)
            ),
        ),
        ("Deregistration delay", format!("{} s", tg.deregistration_delay_seconds)),
    ]));
    body.push_str("<h2>Targets</h2><div id=\"targets\">");
    let rows: Vec<Vec<String>> = tg
        .targets
        .iter()
        .map(|t| {
            let h = &t.target_health;
            // Draining targets leave after the deregistration delay ("Deregistration delay"):
            // the time left is counted on the account's clock, as the control plane counts it.
            let left = match (h.state.as_str(), t.next_transition_at) {
                ("draining", Some(at)) => format!("{} s left", at.saturating_sub(a.clock_ms).div_ceil(1000)),
                _ => String::new(),
            };
            vec![
                code(&t.target.id),
                t.target.port.to_string(),
                esc(&zone_of(a, &t.target)).into_owned(),
                badge(h.state.as_str()),
                esc(h.reason.as_deref().unwrap_or("")).into_owned(),
                esc(h.description.as_deref().unwrap_or("")).into_owned(),
                left,
            ]
        })
        .collect();
    body.push_str(&table(
        &["Target", "Port", "Zone", "Health", "Reason", "Description", "Draining"],
        &rows,
        "No registered targets.",
    ));
    body.push_str("</div>");
    Some(Page { title: format!("Target group {name}"), section: Section::Lb, body })
}

/// A target's zone: the one registered with it, else (an IP or instance target in the VPC,
/// which AWS registers without one) the zone of the interface that holds its address or ID.
fn zone_of(a: &Account, t: &account::TargetDescription) -> String {
    if let Some(z) = &t.availability_zone {
        return z.clone();
    }
    a.network_interfaces
        .values()
        .find(|e| e.private_ip_address.to_string() == t.id)
        .map(|e| e.availability_zone.clone())
        .or_else(|| a.instances.get(&t.id).map(|i| i.availability_zone.clone()))
        .unwrap_or_default()
}
