//! Text for `reach` and `audit`: a traceroute with reasons, and who reaches what.

use cfn::Diagnostic;
use reach::audit::Report;
use reach::filters::RuleRef;
use reach::query::Answer;
use reach::trace::{Direction, Path};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

/// Paths shown hop by hop; the rest get one line each.
const FULL_PATHS: usize = 2;

/// `file:line` for a rule a template declared.
fn place(rule: &RuleRef, files: &BTreeMap<String, PathBuf>) -> String {
    match &rule.declared {
        Some(d) => match files.get(&d.stack_name) {
            Some(f) => format!("  {}:{}", f.display(), d.line),
            None => format!("  stack {} {} line {}", d.stack_name, d.logical_id, d.line),
        },
        None => String::new(),
    }
}

fn path_text(out: &mut String, p: &Path, files: &BTreeMap<String, PathBuf>, indent: &str, full: bool) {
    let status = if p.reachable {
        format!("reachable on {}", p.ports.clone().unwrap_or_default())
    } else {
        "BLOCKED".to_string()
    };
    let _ = writeln!(out, "{indent}{} → {}: {status}", p.from.label, p.to.label);
    if full {
        for (i, h) in p.hops.iter().enumerate() {
            let back = if h.direction == Direction::Return { "←" } else { " " };
            let mark = if h.blocked { "✗ " } else { "" };
            let _ = writeln!(out, "{indent}  {back}{:>2}  {:<23} {mark}{}", i + 1, h.step, h.detail);
            for r in &h.rules {
                let _ = writeln!(out, "{indent}        {}{}", r.text, place(r, files));
            }
        }
    }
    if !p.blockers.is_empty() {
        let _ = writeln!(out, "{indent}  blocked by ({}):", p.blockers.len());
        for b in &p.blockers {
            let _ = writeln!(out, "{indent}   ✗ {}: {}", b.step, b.reason);
            let _ = writeln!(out, "{indent}     fix: {}", b.fix);
        }
    }
    for (i, n) in p.next.iter().enumerate() {
        path_text(out, n, files, &format!("{indent}    "), full && i == 0 || !n.reachable && i < FULL_PATHS);
    }
}

/// The answer as text.
pub fn answer_text(a: &Answer, files: &BTreeMap<String, PathBuf>) -> String {
    let mut out = String::new();
    let ok = a.paths.iter().filter(|p| p.reachable).count();
    let verdict = if a.reachable { "REACHABLE" } else { "NOT REACHABLE" };
    let _ =
        writeln!(out, "{} → {}, {} {}: {verdict} ({ok} of {} paths)", a.from, a.to, a.protocol, a.ports, a.paths.len());
    if a.paths.is_empty() {
        let _ = writeln!(out, "  no path: one end has no ENI (a service with no task and no awsvpc configuration, an auto scaling group with no instance yet)");
    }
    for (i, p) in a.paths.iter().enumerate() {
        out.push('\n');
        let _ = write!(out, "path {} of {}: ", i + 1, a.paths.len());
        path_text(&mut out, p, files, "", i < FULL_PATHS);
    }
    out
}

/// Findings with the template file of the stack they are about.
pub fn with_files(mut findings: Vec<Diagnostic>, files: &BTreeMap<String, PathBuf>) -> Vec<Diagnostic> {
    if files.len() == 1 {
        if let Some(f) = files.values().next() {
            for d in &mut findings {
                if d.pos.is_some() {
                    d.file = Some(f.clone());
                }
            }
        }
    }
    findings
}

/// The audit as text.
pub fn audit_text(r: &Report, findings: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in &r.destinations {
        let _ = writeln!(out, "{} ({} ENI{})", d.destination, d.enis, if d.enis == 1 { "" } else { "s" });
        if d.access.is_empty() {
            let _ = writeln!(out, "  nothing reaches it");
        }
        for a in &d.access {
            let _ = writeln!(out, "  ← {} {:<11} from {} [{}]", a.protocol, a.ports, a.holders.join(", "), a.sources);
            let _ = writeln!(out, "      by {}", a.rule.text);
        }
        out.push('\n');
    }
    out.push_str(&findings_lines(findings, None));
    let _ = writeln!(out, "{} destination(s), {} finding(s)", r.destinations.len(), findings.len());
    out
}

/// Findings as warning lines, each at its own file or else at `file` (nothing when there are none).
pub fn findings_lines(findings: &[Diagnostic], file: Option<&std::path::Path>) -> String {
    let mut out = String::new();
    for f in findings {
        let at = match (f.file.as_deref().or(file), f.pos) {
            (Some(file), Some(p)) => format!(" ({}:{})", file.display(), p.line),
            _ => String::new(),
        };
        let _ = writeln!(out, "warning[{}]: {}{at}", f.code, f.message);
        if let Some(h) = &f.hint {
            let _ = writeln!(out, "  fix: {h}");
        }
    }
    out
}
