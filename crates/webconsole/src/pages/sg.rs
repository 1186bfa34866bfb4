//! Security groups: every group with its members, and a group's rules
//! (their `sgr-` IDs as DescribeSecurityGroupRules gives them), each peer
//! group resolved to the interfaces that hold it, where each rule was
//! declared (stack, logical ID, template line), and under `up` how many
//! packets each rule let through; revoke and authorize from the page.

use super::{Page, Section, View};
use crate::html::{badge_as, code, esc, form_guard, link, percent_decode, percent_encode, table, Tone};
use account::{Account, EniOwner, NetworkInterface, Peer, SecurityGroup, SecurityGroupRule};

/// Draws `/sg/…`.
pub fn render(path: &[&str], view: &View<'_>) -> Option<Page> {
    match path {
        [] => Some(list(view.account)),
        [id] => group_page(view, &percent_decode(id)),
        _ => None,
    }
}

fn members<'a>(a: &'a Account, group: &str) -> Vec<&'a NetworkInterface> {
    a.network_interfaces.values().filter(|e| e.groups.iter().any(|g| g == group)).collect()
}

fn list(a: &Account) -> Page {
    let rows: Vec<Vec<String>> = a
        .security_groups
        .values()
        .map(|g| {
            vec![
                link(&format!("/sg/{}", percent_encode(&g.group_id)), &g.group_id),
                esc(&g.group_name).into_owned(),
                code(&g.vpc_id),
                esc(&g.description).into_owned(),
                format!("<span class=\"num\">{}</span>", members(a, &g.group_id).len()),
                format!("<span class=\"num\">{} in, {} out</span>", g.ingress.len(), g.egress.len()),
            ]
        })
        .collect();
    let body = format!(
        "<h1>Security groups</h1>{}",
        table(&["Group ID", "Name", "VPC", "Description", "Members", "Rules"], &rows, "No security groups.")
    );
    Page { title: "Security groups".into(), section: Section::Sg, body }
}

/// Who holds an interface, linked to its page when it is a task's.
pub(super) fn owner_text(a: &Account, e: &NetworkInterface) -> String {
    match &e.owner {
        EniOwner::Task { task_arn } => match a.tasks.get(task_arn) {
            Some(t) => {
                let cluster = t.cluster_arn.rsplit('/').next().unwrap_or("");
                let id = task_arn.rsplit('/').next().unwrap_or(task_arn);
                format!(
                    "task {}",
                    link(&format!("/ecs/clusters/{}/tasks/{}", percent_encode(cluster), percent_encode(id)), id)
                )
            }
            None => "task (stopped)".into(),
        },
        EniOwner::LoadBalancer { load_balancer_arn } => {
            let name = load_balancer_arn.split('/').nth(2).unwrap_or(load_balancer_arn);
            format!("load balancer {}", link(&format!("/lb/{}", percent_encode(name)), name))
        }
        EniOwner::NatGateway { nat_gateway_id } => format!("NAT gateway {}", code(nat_gateway_id)),
        EniOwner::DbInstance { db_instance_identifier } => format!("RDS instance {}", code(db_instance_identifier)),
        EniOwner::Instance { instance_id } => format!("instance {}", code(instance_id)),
        EniOwner::Trunk { instance_id } => format!("trunk of instance {}", code(instance_id)),
        EniOwner::VpcEndpoint { vpc_endpoint_id } => format!("VPC endpoint {}", code(vpc_endpoint_id)),
        EniOwner::None => esc(&e.description).into_owned(),
    }
}

/// The peer of a rule; a group is resolved to its members' addresses.
fn peer_text(a: &Account, p: &Peer) -> String {
    match p {
        Peer::SecurityGroup(g) => {
            let holders = members(a, g);
            let list = if holders.is_empty() {
                "<span class=\"empty\">no members now</span>".to_string()
            } else {
                holders
                    .iter()
                    .map(|e| format!("{} {}", code(&e.private_ip_address.to_string()), owner_text(a, e)))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            format!("{}<div class=\"members\">{list}</div>", link(&format!("/sg/{}", percent_encode(g)), g))
        }
        other => code(&other.to_string()),
    }
}

fn ports(r: &SecurityGroupRule) -> String {
    match (r.ip_protocol.as_str(), r.from_port, r.to_port) {
        ("-1", _, _) => "all traffic".into(),
        (p, Some(f), Some(t)) if f == t => format!("{p} {f}"),
        (p, Some(-1), _) | (p, None, _) => format!("{p} all"),
        (p, Some(f), Some(t)) => format!("{p} {f}–{t}"),
        (p, Some(f), None) => format!("{p} {f}"),
    }
}

fn group_page(view: &View<'_>, id: &str) -> Option<Page> {
    let a = view.account;
    let g: &SecurityGroup = a.security_groups.get(id)?;
    let mut body = format!(
        "<div class=\"crumbs\">{} / group</div><h1>Security group {} <small>{}</small></h1><p>{}</p>",
        link("/sg", "Security groups"),
        esc(&g.group_id),
        esc(&g.group_name),
        esc(&g.description)
    );
    body.push_str(if view.counters.is_some() {
        "<p class=\"hint\">Packets: the first packets of the connections each rule let in or out (replies ride the connection's state), counted by the data plane since it started. A rule at 0 has never let anything through.</p>"
    } else {
        "<p class=\"hint\">Packet counters of each rule appear while the data plane runs (<code>sudo tasknet up</code>).</p>"
    });
    // A rule guards every interface holding its group: hovering it highlights them under Members.
    let held = members(a, &g.group_id);
    let guarded: String = held.iter().map(|e| e.network_interface_id.as_str()).collect::<Vec<_>>().join(" ");
    body.push_str("<p class=\"hint\">Hover or focus a rule's ID to see the interfaces it guards, under Members.</p>");
    for (egress, rules) in [(false, &g.ingress), (true, &g.egress)] {
        body.push_str(if egress { "<h2>Outbound rules</h2>" } else { "<h2>Inbound rules</h2>" });
        let rows: Vec<Vec<String>> = rules
            .iter()
            .map(|r| {
                let rule_id = account::ec2::security_group_rule_id(&g.group_id, egress, r);
                let declared = r.origin.declared().map_or("—".to_string(), |d| {
                    format!(
                        "{} <a href=\"{}/stacks/{}#L{line}\">line {line}</a>",
                        code(&d.logical_id),
                        crate::PREFIX,
                        percent_encode(&d.stack_name),
                        line = d.line
                    )
                });
                let counter = match view.counters {
                    None => "—".to_string(),
                    Some(c) => match c.get(&rule_id) {
                        Some(n) if n.packets > 0 => format!("<span class=\"num\">{} packets, {} bytes</span>", n.packets, n.bytes),
                        Some(_) => badge_as("0 packets", Tone::Plain),
                        // The data plane carries IPv4 only: IPv6 peers (and unknown prefix lists) match nothing there.
                        None => "<span class=\"hint\">not enforced (IPv4 only)</span>".to_string(),
                    },
                };
                let revoke = format!(
                    "<form method=\"post\" action=\"{p}/actions/revoke-rule\" class=\"inline\" data-confirm=\"Revoke rule {rid}?\">{}\
<input type=\"hidden\" name=\"group\" value=\"{gid}\"><input type=\"hidden\" name=\"rule\" value=\"{rid}\">\
<input type=\"hidden\" name=\"direction\" value=\"{dir}\"><button type=\"submit\" class=\"danger\" aria-label=\"Revoke {rid}\">Revoke</button></form>",
                    form_guard(view.csrf, view.here),
                    p = crate::PREFIX,
                    gid = esc(&g.group_id),
                    rid = esc(&rule_id),
                    dir = if egress { "egress" } else { "ingress" },
                );
                vec![
                    format!(
                        "<span data-rule=\"{}\" tabindex=\"0\" data-applies=\"{}\">{}</span>",
                        esc(&rule_id),
                        esc(&guarded),
                        code(&rule_id)
                    ),
                    esc(&ports(r)).into_owned(),
                    peer_text(a, &r.peer),
                    esc(r.description.as_deref().unwrap_or("")).into_owned(),
                    declared,
                    counter,
                    revoke,
                ]
            })
            .collect();
        body.push_str(&table(
            &[
                "Rule",
                "Protocol and ports",
                if egress { "Destination" } else { "Source" },
                "Description",
                "Declared",
                "Packets",
                "",
            ],
            &rows,
            "No rules.",
        ));
    }
    body.push_str(&format!(
        "<h2>Add a rule</h2><form method=\"post\" action=\"{p}/actions/authorize-rule\" class=\"inline\">{}\
<input type=\"hidden\" name=\"group\" value=\"{gid}\">\
<label for=\"direction\">Direction</label><select id=\"direction\" name=\"direction\"><option value=\"ingress\">inbound</option><option value=\"egress\">outbound</option></select>\
<label for=\"protocol\">Protocol</label><select id=\"protocol\" name=\"protocol\"><option>tcp</option><option>udp</option><option>icmp</option><option value=\"-1\">all</option></select>\
<label for=\"from_port\">From port</label><input id=\"from_port\" name=\"from_port\" size=\"6\">\
<label for=\"to_port\">To port</label><input id=\"to_port\" name=\"to_port\" size=\"6\">\
<label for=\"peer\">Peer</label><input id=\"peer\" name=\"peer\" placeholder=\"10.0.0.0/16, sg-…, pl-…\" required>\
<label for=\"description\">Description</label><input id=\"description\" name=\"description\">\
<button type=\"submit\">Authorize</button></form>",
        form_guard(view.csrf, view.here),
        p = crate::PREFIX,
        gid = esc(&g.group_id),
    ));
    body.push_str("<h2>Members</h2>");
    let rows: Vec<Vec<String>> = held
        .iter()
        .map(|e| {
            vec![
                format!("<span data-id=\"{}\">{}</span>", esc(&e.network_interface_id), code(&e.network_interface_id)),
                code(&e.private_ip_address.to_string()),
                code(&e.subnet_id),
                owner_text(a, e),
            ]
        })
        .collect();
    body.push_str(&table(&["ENI", "Private IP", "Subnet", "Owner"], &rows, "No interface holds this group."));
    Some(Page { title: format!("Security group {}", g.group_id), section: Section::Sg, body })
}
