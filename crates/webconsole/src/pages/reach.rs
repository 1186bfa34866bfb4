//! Reachability: "from X to Y on port P/protocol", answered by the same
//! engine and the same name resolution as `tasknet reach` (hop by hop, each
//! blocking setting with its fix), shown above the VPC map; and the audit of
//! who can reach a chosen interface (`/reach/audit?eni=…`, as `tasknet audit`).

use super::{Page, Section, View};
use crate::html::{esc, link, percent_encode};
use reach::trace::{Direction, Path};
use std::fmt::Write as _;

/// How many paths are shown hop by hop (the rest by their verdict), as the CLI does.
const FULL_PATHS: usize = 3;

/// Draws `/reach` and `/reach/audit`.
pub fn render(path: &[&str], view: &View<'_>) -> Option<Page> {
    match path {
        [] => Some(query_page(view)),
        ["audit"] => Some(audit_page(view)),
        _ => None,
    }
}

/// The names the form offers: stacks' logical IDs, interfaces, `internet`, AWS services.
fn names(view: &View<'_>) -> String {
    let a = view.account;
    let mut out = String::from("<datalist id=\"places\"><option value=\"internet\">");
    let mut ids: Vec<&str> =
        a.stacks.values().flat_map(|s| s.resources.iter().map(|r| r.logical_resource_id.as_str())).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let _ = write!(out, "<option value=\"{}\">", esc(id));
    }
    for e in a.network_interfaces.keys() {
        let _ = write!(out, "<option value=\"{}\">", esc(e));
    }
    for s in ["secretsmanager", "ssm", "ecr.api", "ecr.dkr", "s3", "logs", "sts"] {
        let _ = write!(out, "<option value=\"{s}\">");
    }
    out.push_str("</datalist>");
    out
}

fn query_page(view: &View<'_>) -> Page {
    let (from, to) = (view.param("from").unwrap_or(""), view.param("to").unwrap_or(""));
    let (port, protocol) = (view.param("port").unwrap_or("all"), view.param("protocol").unwrap_or("tcp"));
    let mut body = format!(
        "<h1>Reachability</h1><form method=\"get\" action=\"{p}/reach\" class=\"inline\">{}\
<label for=\"from\">From</label><input id=\"from\" name=\"from\" list=\"places\" value=\"{}\" required>\
<label for=\"to\">To</label><input id=\"to\" name=\"to\" list=\"places\" value=\"{}\" required>\
<label for=\"port\">Port</label><input id=\"port\" name=\"port\" value=\"{}\" size=\"10\">\
<label for=\"protocol\">Protocol</label><input id=\"protocol\" name=\"protocol\" value=\"{}\" size=\"6\">\
<button type=\"submit\">Trace</button></form>",
        names(view),
        esc(from),
        esc(to),
        esc(port),
        esc(protocol),
        p = crate::PREFIX
    );
    let mut marks = reach::graph::Interactive::default();
    let mut heading = "<h2>The VPC</h2>".to_string();
    if !from.is_empty() && !to.is_empty() {
        let (html, m) = answer(view, from, to, port, protocol);
        body.push_str(&html);
        if !m.path.is_empty() {
            heading.push_str("<p class=\"hint\">The answer drawn on the map: its elements outlined thick and blue (<span class=\"key on-path\">on the path</span>), where it is blocked dashed and vermilion (<span class=\"key blocked\">blocked</span>).</p>");
        }
        marks = m;
    }
    body.push_str(&super::vpc::map_body(view.account, None, &heading, marks));
    Page { title: "Reachability".into(), section: Section::Reach, body }
}

/// The answer's HTML and its marks for the map.
fn answer(view: &View<'_>, from: &str, to: &str, port: &str, protocol: &str) -> (String, reach::graph::Interactive) {
    let refused = |e: String| {
        (format!("<div class=\"flash bad\" role=\"alert\" id=\"verdict\">{}</div>", esc(&e)), Default::default())
    };
    let flow = match reach::query::parse_flow(protocol, port) {
        Ok(f) => f,
        Err(e) => return refused(e.to_string()),
    };
    let topo = reach::topology::Topology::new(view.account);
    let ends =
        reach::endpoint::resolve(&topo, from, None).and_then(|f| Ok((f, reach::endpoint::resolve(&topo, to, None)?)));
    let (src, dst) = match ends {
        Ok(e) => e,
        Err(e) => return refused(e.to_string()),
    };
    let a = reach::query::ask(&topo, &src, &dst, &flow);
    let ok = a.paths.iter().filter(|p| p.reachable).count();
    let (class, verdict) = if a.reachable { ("flash good", "reachable") } else { ("flash bad", "blocked") };
    let mut out = format!(
        "<h2>Answer</h2><div class=\"{class}\" id=\"verdict\" role=\"status\">{} → {}, {} {}: <strong>{verdict}</strong> ({ok} of {} paths)</div>",
        esc(&a.from),
        esc(&a.to),
        esc(&a.protocol),
        esc(&a.ports),
        a.paths.len()
    );
    if a.paths.is_empty() {
        out.push_str("<p class=\"empty\">No path: one end has no ENI (a service with no task and no awsvpc configuration, an auto scaling group with no instance yet).</p>");
    }
    for (i, p) in a.paths.iter().enumerate() {
        let _ = write!(out, "<h3>Path {} of {}</h3>", i + 1, a.paths.len());
        path_html(&mut out, p, i < FULL_PATHS);
    }
    (out, super::map::marks(view.account, &a.paths))
}

fn path_html(out: &mut String, p: &Path, full: bool) {
    let status =
        if p.reachable { format!("reachable on {}", p.ports.clone().unwrap_or_default()) } else { "blocked".into() };
    let _ = write!(
        out,
        "<div class=\"path\"><p>{} → {}: <strong>{}</strong></p>",
        esc(&p.from.label),
        esc(&p.to.label),
        esc(&status)
    );
    if full {
        out.push_str("<ol class=\"hops\">");
        for h in &p.hops {
            let back = if h.direction == Direction::Return { "reply: " } else { "" };
            let class = if h.blocked { "hop blocked" } else { "hop" };
            let mark = if h.blocked { "<span aria-hidden=\"true\">✕ </span>" } else { "" };
            let _ =
                write!(out, "<li class=\"{class}\">{mark}{back}<strong>{}</strong> {}", esc(h.step), esc(&h.detail));
            for r in &h.rules {
                let _ = write!(out, "<div class=\"rule\">{}</div>", esc(&r.text));
            }
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }
    for b in &p.blockers {
        let _ = write!(
            out,
            "<div class=\"hop blocked finding error\"><strong>{}</strong>: {}<div><strong>Fix:</strong> {}</div></div>",
            esc(b.step),
            esc(&b.reason),
            esc(&b.fix)
        );
    }
    for (i, n) in p.next.iter().enumerate() {
        path_html(out, n, full && i == 0 || !n.reachable && i < FULL_PATHS);
    }
    out.push_str("</div>");
}

fn audit_page(view: &View<'_>) -> Page {
    let target = view.param("eni").unwrap_or("");
    let mut body = format!(
        "<h1>Who can reach it</h1><form method=\"get\" action=\"{p}/reach/audit\" class=\"inline\">{}\
<label for=\"eni\">Destination</label><input id=\"eni\" name=\"eni\" list=\"places\" value=\"{}\" required>\
<button type=\"submit\">Audit</button></form>",
        names(view),
        esc(target),
        p = crate::PREFIX
    );
    if !target.is_empty() {
        let topo = reach::topology::Topology::new(view.account);
        match reach::endpoint::resolve(&topo, target, None) {
            Err(e) => {
                let _ = write!(body, "<div class=\"flash bad\" role=\"alert\">{}</div>", esc(&e.to_string()));
            }
            Ok(to) => {
                let report = reach::audit::audit(&topo, Some(&to), None);
                for d in &report.destinations {
                    let _ = write!(
                        body,
                        "<h2>{} ({} ENI{})</h2>",
                        esc(&d.destination),
                        d.enis,
                        if d.enis == 1 { "" } else { "s" }
                    );
                    if d.access.is_empty() {
                        body.push_str("<p class=\"empty\">Nothing reaches it.</p>");
                    }
                    body.push_str("<ul>");
                    for acc in &d.access {
                        let _ = write!(
                            body,
                            "<li>{} {} from {} [{}]<div class=\"rule\">by {}</div></li>",
                            esc(&acc.protocol),
                            esc(&acc.ports),
                            esc(&acc.holders.join(", ")),
                            esc(&acc.sources),
                            esc(&acc.rule.text)
                        );
                    }
                    body.push_str("</ul>");
                }
            }
        }
    }
    let _ = write!(body, "<p>{}</p>", link(&format!("/reach?to={}", percent_encode(target)), "Trace a path to it"));
    Page { title: "Who can reach it".into(), section: Section::Reach, body }
}
