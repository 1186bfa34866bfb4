//! Where everything goes in the SVG. Each VPC is a box with its subnets in a
//! grid (a column per zone; public subnets above private, then isolated),
//! interfaces stacked inside their subnet, and the gateways in a row above
//! it, under the internet. Edges run orthogonally in the free channels
//! between columns (gutters) and rows (gaps), each on its own lane, so they
//! never cross a box. Subnets without interfaces that only exist because the
//! VPC is a default one are drawn small, in a strip at the VPC's bottom.

use super::metrics::{self as m, text_width};
use super::model::{Drawing, EdgeKind, EniBox, Gateway, SubnetBox, SubnetKind, INTERNET};
use super::route::{self, Plan};
use super::text;

/// Space around the drawing.
pub const MARGIN: i32 = 16;
/// Gap between VPC boxes side by side.
const VPC_GAP: i32 = 40;
/// Height of the internet node.
const INTERNET_H: i32 = 30;

/// A rectangle, top-left corner and size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rect {
    /// Left.
    pub x: i32,
    /// Top.
    pub y: i32,
    /// Width.
    pub w: i32,
    /// Height.
    pub h: i32,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> i32 {
        self.x + self.w
    }
    /// Bottom edge.
    pub fn bottom(&self) -> i32 {
        self.y + self.h
    }
    /// Horizontal centre.
    pub fn cx(&self) -> i32 {
        self.x + self.w / 2
    }
    /// Vertical centre.
    pub fn cy(&self) -> i32 {
        self.y + self.h / 2
    }
    /// The same rectangle moved by (dx, dy).
    pub fn shift(self, dx: i32, dy: i32) -> Rect {
        Rect { x: self.x + dx, y: self.y + dy, ..self }
    }
}

/// An edge as a polyline, arrow at the last point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Drives the stroke.
    pub kind: EdgeKind,
    /// Corners, first to last.
    pub points: Vec<(i32, i32)>,
    /// The node IDs of its ends (from, to).
    pub ends: (String, String),
}

/// An edge label: centre x, baseline y.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Centre.
    pub x: i32,
    /// Baseline.
    pub y: i32,
    /// The text.
    pub text: String,
}

/// What a legend entry shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A subnet swatch.
    Subnet(SubnetKind),
    /// An edge sample.
    Edge(EdgeKind),
}

/// A placed VPC and its contents, in drawing coordinates.
pub struct PlacedVpc<'a> {
    /// The VPC's box.
    pub rect: Rect,
    /// Its header text.
    pub label: String,
    /// Its gateways, above the box.
    pub gateways: Vec<(&'a Gateway, Rect)>,
    /// Its subnets.
    pub subnets: Vec<(&'a SubnetBox, Rect)>,
    /// Its interfaces.
    pub enis: Vec<(&'a EniBox, Rect)>,
    /// Where the strip of empty default subnets is captioned (baseline), if any.
    pub strip_caption: Option<(i32, i32)>,
}

/// The whole drawing, placed.
pub struct Layout<'a> {
    /// Canvas width.
    pub width: i32,
    /// Canvas height.
    pub height: i32,
    /// The internet node.
    pub internet: Option<Rect>,
    /// The VPCs.
    pub vpcs: Vec<PlacedVpc<'a>>,
    /// The edges.
    pub lines: Vec<Line>,
    /// The edge labels.
    pub labels: Vec<Label>,
    /// Legend entries: mark position (left, centre y) and text.
    pub legend: Vec<(i32, i32, Mark, String)>,
}

/// The legend's entries, in two rows: subnet kinds, then edge kinds.
fn legend_entries() -> [Vec<(Mark, String)>; 2] {
    [
        vec![
            (Mark::Subnet(SubnetKind::Public), "public subnet: 0.0.0.0/0 → internet gateway".into()),
            (Mark::Subnet(SubnetKind::Private), "private: 0.0.0.0/0 → NAT gateway".into()),
            (Mark::Subnet(SubnetKind::Isolated), "isolated: neither".into()),
        ],
        vec![
            (Mark::Edge(EdgeKind::Route), "route (the subnet box lists its routes)".into()),
            (Mark::Edge(EdgeKind::Target), "load balancer → target (listener port → target port)".into()),
        ],
    ]
}

/// Width of a legend entry's mark plus the space after it.
pub const MARK_W: i32 = 30;

/// Lays out `d`.
pub fn layout<'a>(d: &'a Drawing) -> Layout<'a> {
    let plans: Vec<Plan> = d.vpcs.iter().map(|v| route::plan(v, &d.edges)).collect();
    let mut y = MARGIN + 30 + if d.note.is_some() { m::lh(m::SUBNET) } else { 0 };
    let internet_y = y;
    if d.internet {
        y += INTERNET_H + 36;
    }
    let gateway_row_h = plans.iter().flat_map(|p| p.gateway_sizes.iter().map(|s| s.1)).max();
    let gateway_y = y;
    if let Some(h) = gateway_row_h {
        y += h + 30;
    }
    let (mut vpcs, mut lines, mut labels) = (Vec::new(), Vec::new(), Vec::new());
    let mut x = MARGIN;
    let mut bottom = y;
    for (vpc, plan) in d.vpcs.iter().zip(&plans) {
        let gateways: Vec<Rect> = plan
            .gateway_sizes
            .iter()
            .zip(&plan.gateway_x)
            .map(|(&(w, h), &gx)| Rect { x: x + gx, y: gateway_y, w, h })
            .collect();
        for r in &plan.routes {
            let mut points: Vec<(i32, i32)> = r.points.iter().map(|&(px, py)| (px + x, py + y)).collect();
            if let Some(g) = r.to_gateway.and_then(|g| gateways.get(g)) {
                points.push((g.cx(), g.bottom()));
            }
            lines.push(Line { kind: r.kind, points: simplify(points), ends: r.ends.clone() });
        }
        labels.extend(plan.labels.iter().map(|l| Label { x: l.x + x, y: l.y + y, text: l.text.clone() }));
        vpcs.push(PlacedVpc {
            rect: Rect { x, y, w: plan.w, h: plan.h },
            label: text::vpc_label(vpc),
            gateways: vpc.gateways.iter().zip(gateways).collect(),
            subnets: plan.subnets.iter().map(|&(si, r)| (&vpc.subnets[si], r.shift(x, y))).collect(),
            enis: plan.enis.iter().map(|&(si, ei, r)| (&vpc.subnets[si].enis[ei], r.shift(x, y))).collect(),
            strip_caption: plan.strip_caption.map(|(cx, cy)| (cx + x, cy + y)),
        });
        bottom = bottom.max(y + plan.h);
        x += plan.w + VPC_GAP;
    }
    let internet = d.internet.then(|| internet_node(&vpcs, internet_y));
    if let Some(inet) = internet {
        for g in vpcs
            .iter()
            .flat_map(|v| v.gateways.iter())
            .filter(|(g, _)| d.edges.iter().any(|e| e.from == g.id && e.to == INTERNET))
        {
            let r = g.1;
            let bus = inet.bottom() + 18;
            let points = vec![(r.cx(), r.y), (r.cx(), bus), (inet.cx(), bus), (inet.cx(), inet.bottom())];
            lines.push(Line {
                kind: EdgeKind::Internet,
                points: simplify(points),
                ends: (g.0.id.clone(), INTERNET.into()),
            });
        }
    }
    let mut width = (x - VPC_GAP + MARGIN).max(2 * MARGIN + text_width(&d.title, m::TITLE, true));
    if let Some(note) = &d.note {
        width = width.max(2 * MARGIN + text_width(note, m::SUBNET, false));
    }
    let mut legend = Vec::new();
    let mut ly = bottom + 24;
    // A legend for an empty drawing would explain nothing.
    for row in legend_entries().into_iter().filter(|_| !d.vpcs.is_empty()) {
        let mut lx = MARGIN;
        for (mark, text) in row {
            legend.push((lx, ly, mark, text.clone()));
            lx += MARK_W + text_width(&text, m::SMALL + 1, false) + 24;
        }
        width = width.max(lx - 24 + MARGIN);
        ly += 20;
    }
    Layout { width, height: ly - 10 + MARGIN, internet, vpcs, lines, labels, legend }
}

/// The internet node, centred over the internet gateways.
fn internet_node(vpcs: &[PlacedVpc], y: i32) -> Rect {
    let igws: Vec<i32> = vpcs
        .iter()
        .flat_map(|v| v.gateways.iter())
        .filter(|(g, _)| g.id.starts_with("igw-"))
        .map(|(_, r)| r.cx())
        .collect();
    let cx = match (igws.iter().min(), igws.iter().max()) {
        (Some(a), Some(b)) => (a + b) / 2,
        _ => MARGIN + 60,
    };
    let w = text_width("internet", m::SUBNET, true) + 48;
    Rect { x: (cx - w / 2).max(MARGIN), y, w, h: INTERNET_H }
}

/// Drops repeated points and the middle of straight runs.
pub fn simplify(points: Vec<(i32, i32)>) -> Vec<(i32, i32)> {
    let mut out: Vec<(i32, i32)> = Vec::with_capacity(points.len());
    for p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            if (a.0 == b.0 && b.0 == p.0) || (a.1 == b.1 && b.1 == p.1) {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::simplify;

    #[test]
    fn straight_runs_and_repeats_collapse() {
        assert_eq!(simplify(vec![(0, 0), (0, 5), (0, 5), (0, 9), (4, 9)]), vec![(0, 0), (0, 9), (4, 9)]);
        assert_eq!(simplify(vec![(1, 1)]), vec![(1, 1)]);
    }
}
