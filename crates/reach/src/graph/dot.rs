//! The drawing as Graphviz DOT: a cluster per VPC and per subnet, a node per
//! interface and gateway, edges for routes and load balancer targets.

use super::model::{eni_stroke, Drawing, EdgeKind, SubnetBox, INTERNET};
use super::text;
use std::fmt::Write;

/// The fonts both formats ask for.
const FONT: &str = "Helvetica";

/// Renders `d` as a `digraph`.
pub fn render(d: &Drawing) -> String {
    let mut out = String::new();
    out.push_str("digraph \"tasknet\" {\n");
    let mut title = d.title.clone();
    if let Some(note) = &d.note {
        title = format!("{title}\n{note}");
    }
    let _ = writeln!(
        out,
        "  graph [label={}, labelloc=t, fontname={}, fontsize=12, compound=true, newrank=true, nodesep=0.3, ranksep=0.5];",
        quote(&title),
        quote(FONT)
    );
    let _ = writeln!(
        out,
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname={}, fontsize=10];",
        quote(FONT)
    );
    let _ = writeln!(out, "  edge [fontname={}, fontsize=9];", quote(FONT));
    if d.internet {
        let _ = writeln!(out, "  {} [label=\"internet\", shape=ellipse, fillcolor=\"#fafafa\"];", quote(INTERNET));
    }
    for vpc in &d.vpcs {
        let _ = writeln!(out, "  subgraph {} {{", quote(&format!("cluster_{}", vpc.id)));
        let _ =
            writeln!(out, "    label={}; style=rounded; color=\"#546e7a\"; fontsize=12;", quote(&text::vpc_label(vpc)));
        for g in &vpc.gateways {
            let _ = writeln!(
                out,
                "    {} [label={}, shape=box, style=\"filled\", fillcolor=\"#fff8e1\", color=\"#8d6e63\"];",
                quote(&g.id),
                quote(&text::gateway_lines(g).join("\n"))
            );
        }
        for s in &vpc.subnets {
            subnet(&mut out, s);
        }
        out.push_str("  }\n");
    }
    for e in &d.edges {
        let mut attrs = Vec::new();
        if !e.label.is_empty() {
            attrs.push(format!("label={}", quote(&e.label)));
        }
        match e.kind {
            EdgeKind::Internet => attrs.push("color=\"#2e7d32\"".into()),
            EdgeKind::Route => {
                // The route belongs to the subnet, so the edge leaves the subnet's box.
                attrs.push(format!("ltail={}", quote(&format!("cluster_{}", e.from))));
                attrs.push("color=\"#455a64\"".into());
            }
            EdgeKind::Target => attrs.push("style=dashed, color=\"#8e24aa\", fontcolor=\"#6a1b9a\"".into()),
        }
        let _ = writeln!(out, "  {} -> {} [{}];", quote(&e.from), quote(&e.to), attrs.join(", "));
    }
    out.push_str("}\n");
    out
}

/// A subnet's cluster: its kind and name as the label, a plain node with its
/// routes (the anchor its route edges leave from), and its interfaces.
fn subnet(out: &mut String, s: &SubnetBox) {
    let _ = writeln!(out, "    subgraph {} {{", quote(&format!("cluster_{}", s.id)));
    let title = format!("{} subnet {}", s.kind.name(), text::subnet_name(s));
    let _ = writeln!(
        out,
        "      label={}; style=\"rounded,filled\"; fillcolor={}; color={}; fontsize=11;",
        quote(&title),
        quote(s.kind.fill()),
        quote(s.kind.stroke())
    );
    let _ = writeln!(
        out,
        "      {} [label={}, shape=plaintext, style=\"\"];",
        quote(&s.id),
        quote(&text::subnet_details(s).join("\n"))
    );
    for e in &s.enis {
        let mut lines = vec![e.title.clone()];
        lines.extend(text::eni_lines(e));
        let _ = writeln!(
            out,
            "      {} [label={}, color={}];",
            quote(&e.id),
            quote(&lines.join("\n")),
            quote(eni_stroke(e.kind))
        );
    }
    if !s.enis.is_empty() {
        // Stacks the interfaces under the subnet's routes, so subnets come out tall, not wide.
        let chain: Vec<String> =
            std::iter::once(&s.id).chain(s.enis.iter().map(|e| &e.id)).map(|id| quote(id)).collect();
        let _ = writeln!(out, "      {} [style=invis];", chain.join(" -> "));
    }
    out.push_str("    }\n");
}

/// A DOT double-quoted string: backslashes and quotes escaped (so no ID or
/// label can end the string early), newlines as `\n` line breaks.
fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '\\' => q.push_str("\\\\"),
            '"' => q.push_str("\\\""),
            '\n' => q.push_str("\\n"),
            '\r' => {}
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn ids_and_labels_are_quoted_and_escaped() {
        assert_eq!(
            quote("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/y"),
            "\"arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/y\""
        );
        assert_eq!(quote("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(quote("a\\"), "\"a\\\\\"");
        assert_eq!(quote("two\nlines"), "\"two\\nlines\"");
        assert_eq!(quote(""), "\"\"");
    }
}
