//! The drawing as a standalone SVG document, drawn from the layout: boxes,
//! text, orthogonal edges with arrowheads, edge labels and a legend.

use super::layout::{self, Layout, Mark, Rect, MARGIN, MARK_W};
use super::metrics::{self as m, lh, text_width};
use super::model::{eni_stroke, Drawing, EdgeKind};
use super::text;
use super::Interactive;
use std::fmt::Write;

/// Fonts whose widths the layout estimates for, then whatever sans-serif there is.
const FONT: &str = "Verdana, 'DejaVu Sans', 'Bitstream Vera Sans', sans-serif";
/// Body text colour.
const INK: &str = "#263238";
/// Secondary text colour.
const MUTED: &str = "#546e7a";

/// The stroke of an edge kind.
fn edge_colour(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Internet => "#2e7d32",
        EdgeKind::Route => "#455a64",
        EdgeKind::Target => "#8e24aa",
    }
}

fn edge_marker(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Internet => "arrow-internet",
        EdgeKind::Route => "arrow-route",
        EdgeKind::Target => "arrow-target",
    }
}

/// Opens a node's group when drawing interactively (closed by [`close`]).
fn open(out: &mut String, i: Option<&Interactive>, id: &str, what: &str) {
    let Some(i) = i else { return };
    let mut class = String::from("node");
    if i.path.contains(id) {
        class.push_str(" on-path");
    }
    if i.blocked.contains(id) {
        class.push_str(" blocked");
    }
    let _ = writeln!(
        out,
        "<g class=\"{class}\" data-id=\"{id}\" tabindex=\"0\" role=\"button\" aria-label=\"{what} {id}\">",
        id = esc(id),
        what = esc(what)
    );
}

fn close(out: &mut String, i: Option<&Interactive>) {
    if i.is_some() {
        out.push_str("</g>\n");
    }
}

/// Renders `d` as SVG (with node groups and a path when `interactive`).
pub fn render(d: &Drawing, interactive: Option<&Interactive>) -> String {
    let i = interactive;
    let l = layout::layout(d);
    let mut out = String::new();
    let (w, h) = (l.width, l.height);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{}\" fill=\"{INK}\">",
        esc(FONT)
    );
    let _ = writeln!(out, "<title>{}</title>", esc(&d.title));
    out.push_str("<defs>\n");
    for kind in [EdgeKind::Internet, EdgeKind::Route, EdgeKind::Target] {
        let _ = writeln!(
            out,
            "<marker id=\"{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{}\"/></marker>",
            edge_marker(kind),
            edge_colour(kind)
        );
    }
    out.push_str("</defs>\n");
    let _ = writeln!(out, "<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>");
    text_at(&mut out, MARGIN, MARGIN + m::TITLE, m::TITLE, true, INK, &d.title);
    if let Some(note) = &d.note {
        text_at(&mut out, MARGIN, MARGIN + 30 + m::SUBNET, m::SUBNET, false, MUTED, note);
    }
    if let Some(r) = l.internet {
        open(&mut out, i, super::model::INTERNET, "the");
        rect(&mut out, r, 15, "#eceff1", "#607d8b", 1.5, "");
        centred(&mut out, r.cx(), r.y + 20, m::SUBNET, true, INK, "internet");
        close(&mut out, i);
    }
    for (v, vpc) in l.vpcs.iter().zip(&d.vpcs) {
        open(&mut out, i, &vpc.id, "VPC");
        rect(&mut out, v.rect, 12, "#fbfcfc", "#546e7a", 1.5, "");
        text_at(&mut out, v.rect.x + 14, v.rect.y + 22, m::VPC, true, INK, &v.label);
        close(&mut out, i);
        for (g, r) in &v.gateways {
            open(&mut out, i, &g.id, &g.title);
            rect(&mut out, *r, 5, "#fff8e1", "#8d6e63", 1.5, "");
            for (i, line) in text::gateway_lines(g).iter().enumerate() {
                let (size, bold, colour) = if i == 0 { (m::SMALL, false, "#5d4037") } else { (m::NAME, true, INK) };
                centred(&mut out, r.cx(), r.y + 8 + size + i as i32 * lh(m::SMALL), size, bold, colour, line);
            }
            close(&mut out, interactive);
        }
        for (s, r) in &v.subnets {
            open(&mut out, i, &s.id, &format!("{} subnet", s.kind.name()));
            rect(&mut out, *r, 8, s.kind.fill(), s.kind.stroke(), 1.5, "");
            let top = r.y + m::SUB_PAD;
            text_at(&mut out, r.x + m::SUB_PAD, top + m::SUBNET, m::SUBNET, true, INK, &text::subnet_title(s));
            let name = s.kind.name().to_uppercase();
            let bw = m::badge_width(s.kind.name());
            let badge = Rect { x: r.right() - m::SUB_PAD - bw, y: top, w: bw, h: 14 };
            rect(&mut out, badge, 7, s.kind.stroke(), s.kind.stroke(), 1.0, "");
            centred(&mut out, badge.cx(), top + 10, m::BADGE, true, "#ffffff", &name);
            for (i, line) in text::subnet_lines(s).iter().enumerate() {
                let y = top + lh(m::SUBNET) + i as i32 * lh(m::SMALL) + m::SMALL;
                text_at(&mut out, r.x + m::SUB_PAD, y, m::SMALL, false, MUTED, line);
            }
            close(&mut out, interactive);
        }
        if let Some((x, y)) = v.strip_caption {
            text_at(&mut out, x, y, m::SMALL, false, MUTED, "default subnets without interfaces");
        }
        for (e, r) in &v.enis {
            open(&mut out, i, &e.id, &format!("{} interface", e.kind));
            rect(&mut out, *r, 4, "#ffffff", eni_stroke(e.kind), 1.5, "");
            text_at(&mut out, r.x + 8, r.y + 6 + m::NAME, m::NAME, true, INK, &e.title);
            for (i, line) in text::eni_lines(e).iter().enumerate() {
                let y = r.y + 6 + lh(m::NAME) + i as i32 * lh(m::SMALL) + m::SMALL;
                text_at(&mut out, r.x + 8, y, m::SMALL, false, MUTED, line);
            }
            close(&mut out, interactive);
        }
    }
    edges(&mut out, &l, interactive);
    for (x, y, mark, label) in &l.legend {
        match mark {
            Mark::Subnet(kind) => {
                rect(&mut out, Rect { x: *x, y: y - 7, w: 22, h: 14 }, 4, kind.fill(), kind.stroke(), 1.5, "")
            }
            Mark::Edge(kind) => line(&mut out, *kind, &[(*x, *y), (x + 22, *y)], ""),
        }
        text_at(&mut out, x + MARK_W, y + 4, m::SMALL + 1, false, INK, label);
    }
    out.push_str("</svg>\n");
    out
}

/// The edges, then their labels on white so lanes behind them do not strike them through.
fn edges(out: &mut String, l: &Layout, interactive: Option<&Interactive>) {
    for e in &l.lines {
        let Some(i) = interactive else {
            line(out, e.kind, &e.points, "");
            continue;
        };
        let (from, to) = &e.ends;
        let on = i.path.contains(from) && i.path.contains(to);
        let extra = format!(
            " class=\"edge{}\" data-from=\"{}\" data-to=\"{}\"",
            if on { " on-path" } else { "" },
            esc(from),
            esc(to)
        );
        line(out, e.kind, &e.points, &extra);
    }
    for label in &l.labels {
        let w = text_width(&label.text, m::SMALL, false);
        let back = Rect { x: label.x - w / 2 - 3, y: label.y - m::SMALL, w: w + 6, h: m::SMALL + 3 };
        rect(out, back, 2, "#ffffff", "none", 0.0, " fill-opacity=\"0.9\"");
        centred(out, label.x, label.y, m::SMALL, false, "#6a1b9a", &label.text);
    }
}

fn line(out: &mut String, kind: EdgeKind, points: &[(i32, i32)], extra: &str) {
    let pts: Vec<String> = points.iter().map(|(x, y)| format!("{x},{y}")).collect();
    let dash = if kind == EdgeKind::Target { " stroke-dasharray=\"6 4\"" } else { "" };
    let _ = writeln!(
        out,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.4\"{dash} marker-end=\"url(#{})\"{extra}/>",
        pts.join(" "),
        edge_colour(kind),
        edge_marker(kind)
    );
}

fn rect(out: &mut String, r: Rect, rx: i32, fill: &str, stroke: &str, width: f32, extra: &str) {
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{rx}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{width}\"{extra}/>",
        r.x, r.y, r.w, r.h
    );
}

fn text_at(out: &mut String, x: i32, y: i32, size: i32, bold: bool, colour: &str, s: &str) {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    let _ = writeln!(out, "<text x=\"{x}\" y=\"{y}\" font-size=\"{size}\"{weight} fill=\"{colour}\">{}</text>", esc(s));
}

fn centred(out: &mut String, x: i32, y: i32, size: i32, bold: bool, colour: &str, s: &str) {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    let _ = writeln!(
        out,
        "<text x=\"{x}\" y=\"{y}\" font-size=\"{size}\"{weight} fill=\"{colour}\" text-anchor=\"middle\">{}</text>",
        esc(s)
    );
}

/// XML-escapes text and attribute values (names come from the account, which imports anything).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(esc("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(esc("0.0.0.0/0 → igw-1"), "0.0.0.0/0 → igw-1");
        assert_eq!(esc("bell\u{7}"), "bell\u{fffd}");
    }
}
