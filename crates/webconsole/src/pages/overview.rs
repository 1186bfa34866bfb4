//! The overview: stacks with their status and latest events, services with
//! running/desired/pending and their last event, and the reachability
//! findings of each stack (TN50xx) linked to their template line; and a
//! stack's own page (`/stacks/NAME`: events, resources, the template with
//! numbered lines, which findings link to).

use super::{Page, Section, View};
use crate::html::{badge, code, esc, facts, link, percent_encode, table, time_ms};
use account::{Account, Stack};
use std::fmt::Write as _;

/// How many of a stack's events the overview shows (its page shows all).
const RECENT_EVENTS: usize = 8;

/// Draws the overview (`/`) or a stack's page (`/stacks/NAME`).
pub fn render(path: &[&str], view: &View<'_>) -> Option<Page> {
    match path {
        [] => Some(overview(view.account)),
        ["stacks", name] => stack_page(view.account, &crate::html::percent_decode(name)),
        _ => None,
    }
}

fn live_stacks(account: &Account) -> Vec<&Stack> {
    let mut stacks: Vec<&Stack> =
        account.stacks.values().filter(|s| s.stack_status.as_str() != "DELETE_COMPLETE").collect();
    stacks.sort_by(|a, b| a.stack_name.cmp(&b.stack_name));
    stacks
}

fn stack_link(name: &str) -> String {
    link(&format!("/stacks/{}", percent_encode(name)), name)
}

fn overview(account: &Account) -> Page {
    let mut body = format!(
        "<h1>Overview</h1>{}",
        facts(&[("Account", code(&account.account_id)), ("Region", code(&account.region)),])
    );
    let stacks = live_stacks(account);
    body.push_str("<h2>Stacks</h2>");
    let rows: Vec<Vec<String>> = stacks
        .iter()
        .map(|s| {
            vec![
                stack_link(&s.stack_name),
                badge(s.stack_status.as_str()),
                esc(s.stack_status_reason.as_deref().unwrap_or("")).into_owned(),
                time_ms(s.last_updated_time.unwrap_or(s.creation_time)),
            ]
        })
        .collect();
    body.push_str(&table(&["Stack", "Status", "Reason", "Last change"], &rows, "No stacks yet."));
    body.push_str("<h2>Services</h2>");
    body.push_str(&services_table(account));
    body.push_str("<h2>Findings</h2>");
    let topo = reach::topology::Topology::new(account);
    let mut any = false;
    for s in &stacks {
        let found = reach::findings::stack_findings(&topo, &s.stack_name);
        if found.is_empty() {
            continue;
        }
        any = true;
        let _ = write!(body, "<h3>{}</h3>", stack_link(&s.stack_name));
        for f in &found {
            body.push_str(&finding(s, f));
        }
    }
    if !any {
        body.push_str("<p class=\"empty\">No reachability findings: every listener reaches its targets, and every service reaches what its rules mean it to.</p>");
    }
    if !stacks.is_empty() {
        body.push_str("<h2>Latest stack events</h2>");
        body.push_str(&events_table(&stacks, RECENT_EVENTS));
    }
    Page { title: "Overview".into(), section: Section::Overview, body }
}

/// One finding: code, message, the resource and its template line, the fix.
fn finding(stack: &Stack, f: &cfn::Diagnostic) -> String {
    let at = match f.pos {
        Some(p) => {
            let file = stack.template_path.as_deref().map_or("template", short_name);
            format!(
                " <a href=\"{}/stacks/{}#L{line}\">{}:{line}</a>",
                crate::PREFIX,
                percent_encode(&stack.stack_name),
                esc(file),
                line = p.line
            )
        }
        None => String::new(),
    };
    let resource = f.resource.as_deref().map_or(String::new(), |r| format!(" {}", code(r)));
    let fix = f.hint.as_deref().map_or(String::new(), |h| format!("<div><strong>Fix:</strong> {}</div>", esc(h)));
    let class = if f.severity == cfn::Severity::Error { "finding error" } else { "finding" };
    format!(
        "<div class=\"{class}\" data-code=\"{code}\"><span class=\"code\">{code}</span>{}{resource}{at}{fix}</div>",
        esc(&f.message),
        code = f.code
    )
}

fn short_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Every active service: its counts and its last event.
pub fn services_table(account: &Account) -> String {
    let rows: Vec<Vec<String>> = account
        .services
        .values()
        .filter(|s| s.status.as_str() != "INACTIVE")
        .map(|s| {
            let cluster = s.cluster_arn.rsplit('/').next().unwrap_or(&s.cluster_arn);
            let last = s.events.first().map_or(String::new(), |e| {
                format!("<span class=\"mono\">{}</span> {}", time_ms(e.created_at), esc(&e.message))
            });
            vec![
                link(
                    &format!("/ecs/clusters/{}/services/{}", percent_encode(cluster), percent_encode(&s.service_name)),
                    &s.service_name,
                ),
                esc(cluster).into_owned(),
                badge(s.status.as_str()),
                format!("<span class=\"num\">{}</span>", s.running_count),
                format!("<span class=\"num\">{}</span>", s.desired_count),
                format!("<span class=\"num\">{}</span>", s.pending_count),
                last,
            ]
        })
        .collect();
    table(&["Service", "Cluster", "Status", "Running", "Desired", "Pending", "Last event"], &rows, "No services yet.")
}

/// The newest `limit` events of the stacks, newest first.
fn events_table(stacks: &[&Stack], limit: usize) -> String {
    let mut events: Vec<(&Stack, &account::StackEvent)> =
        stacks.iter().flat_map(|s| s.events.iter().map(move |e| (*s, e))).collect();
    events.sort_by(|a, b| b.1.timestamp.cmp(&a.1.timestamp).then_with(|| b.1.event_id.cmp(&a.1.event_id)));
    events.truncate(limit);
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|(s, e)| {
            vec![
                format!("<span class=\"mono\">{}</span>", time_ms(e.timestamp)),
                esc(&s.stack_name).into_owned(),
                code(&e.logical_resource_id),
                esc(&e.resource_type).into_owned(),
                badge(&e.resource_status),
                esc(e.resource_status_reason.as_deref().unwrap_or("")).into_owned(),
            ]
        })
        .collect();
    table(&["Time", "Stack", "Logical ID", "Type", "Status", "Reason"], &rows, "No events.")
}

fn stack_page(account: &Account, name: &str) -> Option<Page> {
    let stack =
        account.stacks.values().find(|s| s.stack_name == name && s.stack_status.as_str() != "DELETE_COMPLETE")?;
    let mut body = format!(
        "<div class=\"crumbs\">{} / stacks</div><h1>Stack {}</h1>",
        link("/", "Overview"),
        esc(&stack.stack_name)
    );
    body.push_str(&facts(&[
        ("Status", badge(stack.stack_status.as_str())),
        ("Reason", esc(stack.stack_status_reason.as_deref().unwrap_or("—")).into_owned()),
        ("Stack ID", code(&stack.stack_id)),
        ("Template", esc(stack.template_path.as_deref().unwrap_or("(sent as TemplateBody)")).into_owned()),
        ("Created", time_ms(stack.creation_time)),
    ]));
    let topo = reach::topology::Topology::new(account);
    let found = reach::findings::stack_findings(&topo, &stack.stack_name);
    if !found.is_empty() {
        body.push_str("<h2>Findings</h2>");
        for f in &found {
            body.push_str(&finding(stack, f));
        }
    }
    if !stack.outputs.is_empty() {
        body.push_str("<h2>Outputs</h2>");
        let rows: Vec<Vec<String>> = stack
            .outputs
            .iter()
            .map(|o| {
                vec![
                    code(&o.output_key),
                    esc(&o.output_value).into_owned(),
                    esc(o.description.as_deref().unwrap_or("")).into_owned(),
                ]
            })
            .collect();
        body.push_str(&table(&["Key", "Value", "Description"], &rows, ""));
    }
    body.push_str("<h2>Events</h2>");
    body.push_str(&events_table(&[stack], usize::MAX));
    body.push_str("<h2>Resources</h2>");
    let rows: Vec<Vec<String>> = stack
        .resources
        .iter()
        .map(|r| {
            vec![
                code(&r.logical_resource_id),
                esc(r.physical_resource_id.as_deref().unwrap_or("")).into_owned(),
                esc(&r.resource_type).into_owned(),
                badge(&r.resource_status),
            ]
        })
        .collect();
    body.push_str(&table(&["Logical ID", "Physical ID", "Type", "Status"], &rows, "No resources."));
    if !stack.template_body.is_empty() {
        body.push_str("<h2>Template</h2><div class=\"scroll\"><pre class=\"template\"><code>");
        for (i, line) in stack.template_body.lines().enumerate() {
            let n = i + 1;
            let _ = writeln!(
                body,
                "<span id=\"L{n}\" class=\"line\"><a href=\"#L{n}\" class=\"ln\" aria-hidden=\"true\">{n}</a>{}</span>",
                esc(line)
            );
        }
        body.push_str("</code></pre></div>");
    }
    Some(Page { title: format!("Stack {}", stack.stack_name), section: Section::Overview, body })
}
