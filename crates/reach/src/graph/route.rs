//! One VPC's box laid out in its own coordinates (origin at its top-left):
//! the subnet grid, the strip of empty default subnets, the gateway row,
//! and every edge routed on lanes in the gutters and gaps of the grid.

use super::layout::{Label, Rect};
use super::metrics::{self as m, text_width};
use super::model::{Edge, EdgeKind, SubnetKind, VpcBox};
use super::text;
use std::collections::BTreeMap;

/// Distance between parallel lanes.
const LANE: i32 = 10;
/// Space between a gutter's lanes and its sides.
const GUT_PAD: i32 = 14;
/// Space between a gap's lanes and its sides.
const GAP_PAD: i32 = 12;
/// Between subnets of one grid cell, and between boxes of the strip.
const CELL_GAP: i32 = 12;
/// Inner padding of the strip.
const STRIP_PAD: i32 = 14;
/// From a subnet's top to where its route edges leave (its title line).
const TITLE_Y: i32 = 22;
/// How far edges on a box's left side run above its middle, and on its right side below.
const SIDE_SHIFT: i32 = 5;

/// An edge in VPC coordinates; `to_gateway` adds the gateway's bottom as last point.
pub struct Routed {
    /// Drives the stroke.
    pub kind: EdgeKind,
    /// Corners so far.
    pub points: Vec<(i32, i32)>,
    /// The gateway (index into the VPC's gateways) the edge ends at, if any.
    pub to_gateway: Option<usize>,
    /// The node IDs of its ends (from, to), as the drawing's edge names them.
    pub ends: (String, String),
}

/// One VPC laid out.
pub struct Plan {
    /// Box width.
    pub w: i32,
    /// Box height.
    pub h: i32,
    /// Subnet index and box.
    pub subnets: Vec<(usize, Rect)>,
    /// Subnet index, interface index and box.
    pub enis: Vec<(usize, usize, Rect)>,
    /// The strip's caption baseline.
    pub strip_caption: Option<(i32, i32)>,
    /// Gateway sizes, in the VPC's order.
    pub gateway_sizes: Vec<(i32, i32)>,
    /// Gateway left edges (the row's y is the caller's).
    pub gateway_x: Vec<i32>,
    /// The edges.
    pub routes: Vec<Routed>,
    /// Edge labels.
    pub labels: Vec<Label>,
}

/// An edge end inside the grid: a subnet (its routes) or an interface.
#[derive(Clone, Copy)]
enum End {
    Subnet(usize),
    Eni(usize, usize),
}

/// How an edge runs, before coordinates are known.
enum Topo {
    /// From the top of a first-row subnet straight up to the gateway's bus.
    Up { si: usize, gi: usize },
    /// From a subnet's side along a gutter lane up to the gateway's bus.
    Bus { si: usize, g: usize, lane: usize, gi: usize },
    /// Between two grid ends: a gutter lane, maybe a gap lane and a second gutter lane.
    Side {
        kind: EdgeKind,
        from: End,
        to: End,
        g1: usize,
        l1: usize,
        cross: Option<(usize, usize, usize, usize)>,
        label: Option<String>,
    },
}

/// Lays out one VPC; `edges` is the whole drawing's (those not in this VPC are ignored).
pub fn plan(vpc: &VpcBox, edges: &[Edge]) -> Plan {
    // The grid: zones as columns, kinds as rows; empty default subnets go to the strip.
    let in_grid: Vec<usize> =
        (0..vpc.subnets.len()).filter(|&i| !vpc.subnets[i].enis.is_empty() || !vpc.subnets[i].default_for_az).collect();
    let mut strip: Vec<usize> = (0..vpc.subnets.len()).filter(|i| !in_grid.contains(i)).collect();
    strip.sort_by_key(|&i| (&vpc.subnets[i].zone, &vpc.subnets[i].id));
    let mut cols: Vec<&str> = in_grid.iter().map(|&i| vpc.subnets[i].zone.as_str()).collect();
    cols.sort();
    cols.dedup();
    let mut rows: Vec<SubnetKind> = in_grid.iter().map(|&i| vpc.subnets[i].kind).collect();
    rows.sort();
    rows.dedup();
    let mut cells: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    let mut place: BTreeMap<usize, (usize, usize, usize)> = BTreeMap::new();
    for &si in &in_grid {
        let s = &vpc.subnets[si];
        let (Ok(c), Ok(r)) = (cols.binary_search(&s.zone.as_str()), rows.binary_search(&s.kind)) else { continue };
        let cell = cells.entry((r, c)).or_default();
        place.insert(si, (r, c, cell.len()));
        cell.push(si);
    }
    let (nc, nr) = (cols.len(), rows.len());
    let sizes: Vec<(i32, i32)> = vpc.subnets.iter().map(m::subnet_size).collect();
    let mut col_w = vec![0; nc];
    let mut row_h = vec![0; nr];
    for (&(r, c), list) in &cells {
        col_w[c] = list.iter().map(|&si| sizes[si].0).fold(col_w[c], i32::max);
        let h: i32 = list.iter().map(|&si| sizes[si].1).sum::<i32>() + CELL_GAP * (list.len() as i32 - 1);
        row_h[r] = row_h[r].max(h);
    }

    // Topology: which gutter and gap each edge uses, and its lane there.
    let gw_index: BTreeMap<&str, usize> = vpc.gateways.iter().enumerate().map(|(i, g)| (g.id.as_str(), i)).collect();
    let sub_index: BTreeMap<&str, usize> = vpc.subnets.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut end_of: BTreeMap<&str, End> = sub_index.iter().map(|(&id, &si)| (id, End::Subnet(si))).collect();
    for (si, s) in vpc.subnets.iter().enumerate() {
        for (ei, e) in s.enis.iter().enumerate() {
            end_of.insert(e.id.as_str(), End::Eni(si, ei));
        }
    }
    let grid_pos = |end: End| match end {
        End::Subnet(si) | End::Eni(si, _) => place.get(&si).copied(),
    };
    let mut gap_lanes = vec![0usize; nr + 1];
    let mut gut_lanes = vec![0usize; nc + 1];
    let (mut room_l, mut room_r) = (vec![0; nc + 1], vec![0; nc + 1]);
    // Each gateway reached from the grid gets its own bus lane at the top of gap 0.
    let mut bus: Vec<Option<usize>> = vec![None; vpc.gateways.len()];
    for e in edges.iter().filter(|e| e.kind == EdgeKind::Route) {
        if let (Some(&gi), Some(&si)) = (gw_index.get(e.to.as_str()), sub_index.get(e.from.as_str())) {
            if place.contains_key(&si) && bus[gi].is_none() {
                bus[gi] = Some(alloc(&mut gap_lanes[0]));
            }
        }
    }
    let mut topo = Vec::new();
    for e in edges.iter().filter(|e| e.kind != EdgeKind::Internet) {
        let Some(&from) = end_of.get(e.from.as_str()) else { continue };
        let Some((rs, cs, pos)) = grid_pos(from) else { continue };
        if let (Some(&gi), End::Subnet(si)) = (gw_index.get(e.to.as_str()), from) {
            topo.push(if rs == 0 && pos == 0 {
                Topo::Up { si, gi }
            } else {
                Topo::Bus { si, g: cs, lane: alloc(&mut gut_lanes[cs]), gi }
            });
            continue;
        }
        let Some(&to) = end_of.get(e.to.as_str()) else { continue };
        let Some((rt, ct, _)) = grid_pos(to) else { continue };
        let g1 = if ct > cs { cs + 1 } else { cs };
        let g2 = if cs > ct {
            ct + 1
        } else if cs < ct {
            ct
        } else {
            g1
        };
        let l1 = alloc(&mut gut_lanes[g1]);
        let cross = (g1 != g2).then(|| {
            let h = if rt < rs { rt + 1 } else { rt };
            let lh = alloc(&mut gap_lanes[h]);
            (h, lh, g2, alloc(&mut gut_lanes[g2]))
        });
        let label = (e.kind == EdgeKind::Target && !e.label.is_empty()).then(|| e.label.clone());
        if let Some(l) = &label {
            let room = if g2 == ct { &mut room_r[g2] } else { &mut room_l[g2] };
            *room = (*room).max(text_width(l, m::SMALL, false) + 12);
        }
        topo.push(Topo::Side { kind: e.kind, from, to, g1, l1, cross, label });
    }

    // Geometry of the grid.
    let gut_w: Vec<i32> = (0..=nc).map(|g| room_l[g] + room_r[g] + 2 * GUT_PAD + span(gut_lanes[g])).collect();
    let gap_h: Vec<i32> = gap_lanes.iter().map(|&n| 2 * GAP_PAD + span(n)).collect();
    let (mut gut_x, mut col_x, mut x) = (vec![0; nc + 1], vec![0; nc], 0);
    for g in 0..=nc {
        gut_x[g] = x;
        x += gut_w[g];
        if g < nc {
            col_x[g] = x;
            x += col_w[g];
        }
    }
    let grid_w = if nc == 0 { 0 } else { x };
    let (mut gap_y, mut row_y, mut y) = (vec![0; nr + 1], vec![0; nr], m::VPC_HEADER);
    if nr > 0 {
        for h in 0..=nr {
            gap_y[h] = y;
            y += gap_h[h];
            if h < nr {
                row_y[h] = y;
                y += row_h[h];
            }
        }
    }
    let lane_x = |g: usize, l: usize| gut_x[g] + room_l[g] + GUT_PAD + l as i32 * LANE;
    let lane_y = |h: usize, l: usize| gap_y[h] + GAP_PAD + l as i32 * LANE;

    // The box's width, then the gateway row above it.
    let header_w = text_width(&text::vpc_label(vpc), m::VPC, true) + 2 * STRIP_PAD;
    let gateway_sizes: Vec<(i32, i32)> = vpc.gateways.iter().map(m::gateway_size).collect();
    let gateways_w: i32 =
        gateway_sizes.iter().map(|s| s.0 + 16).sum::<i32>() - if gateway_sizes.is_empty() { 0 } else { 16 };
    // The strip's boxes share one width, so they line up in columns.
    let strip_box_w = strip.iter().map(|&si| sizes[si].0).max().unwrap_or(0);
    let strip_w = if strip.is_empty() { 0 } else { strip_box_w + 2 * STRIP_PAD };
    let w = [grid_w, header_w + gateways_w + STRIP_PAD, strip_w, 300].into_iter().max().unwrap_or(300);
    let mut gx = ((w - gateways_w) / 2).max(header_w);
    let gateway_x: Vec<i32> = gateway_sizes
        .iter()
        .map(|s| {
            let left = gx;
            gx += s.0 + 16;
            left
        })
        .collect();

    // Boxes: the grid's subnets and their interfaces, then the strip.
    let mut sub_rect: BTreeMap<usize, Rect> = BTreeMap::new();
    let mut enis = Vec::new();
    for (&(r, c), list) in &cells {
        let mut sy = row_y[r];
        for &si in list {
            let rect = Rect { x: col_x[c], y: sy, w: col_w[c], h: sizes[si].1 };
            sub_rect.insert(si, rect);
            let mut ey = sy + m::subnet_header(&vpc.subnets[si]).1;
            for (ei, e) in vpc.subnets[si].enis.iter().enumerate() {
                let eh = m::eni_size(e).1;
                enis.push((si, ei, Rect { x: rect.x + m::SUB_PAD, y: ey, w: rect.w - 2 * m::SUB_PAD, h: eh }));
                ey += eh + m::ENI_GAP;
            }
            sy += sizes[si].1 + CELL_GAP;
        }
    }
    let mut strip_caption = None;
    if !strip.is_empty() {
        strip_caption = Some((STRIP_PAD, y + 10));
        y += 18;
        let (mut sx, mut line_h) = (STRIP_PAD, 0);
        for &si in &strip {
            let (sw, sh) = (strip_box_w, sizes[si].1);
            if sx + sw > w - STRIP_PAD && sx > STRIP_PAD {
                y += line_h + CELL_GAP;
                sx = STRIP_PAD;
                line_h = 0;
            }
            sub_rect.insert(si, Rect { x: sx, y, w: sw, h: sh });
            sx += sw + CELL_GAP;
            line_h = line_h.max(sh);
        }
        y += line_h + STRIP_PAD;
    } else if nr == 0 {
        y += 20;
    }

    // Edges in coordinates.
    let (mut routes, mut labels) = (Vec::new(), Vec::new());
    let gw_cx = |gi: usize| gateway_x[gi] + gateway_sizes[gi].0 / 2;
    // Left and right sides use different heights, so the segments of two
    // boxes facing each other across a gutter never run on one line.
    let end_point = |end: End, left: bool| -> Option<(i32, i32)> {
        let (r, y) = match end {
            End::Subnet(si) => sub_rect.get(&si).map(|r| (*r, r.y + TITLE_Y))?,
            End::Eni(si, ei) => enis.iter().find(|e| e.0 == si && e.1 == ei).map(|e| (e.2, e.2.cy()))?,
        };
        Some(if left { (r.x, y - SIDE_SHIFT) } else { (r.right(), y + SIDE_SHIFT) })
    };
    for t in topo {
        match t {
            Topo::Up { si, gi } | Topo::Bus { si, gi, .. } => {
                let (Some(r), Some(b)) = (sub_rect.get(&si), bus[gi]) else { continue };
                let by = lane_y(0, b);
                let (sy, sx) = (r.y + TITLE_Y - SIDE_SHIFT, r.x);
                let mut points = match t {
                    Topo::Bus { g, lane, .. } => vec![(sx, sy), (lane_x(g, lane), sy), (lane_x(g, lane), by)],
                    _ => vec![(r.x + 24 + b as i32 * LANE, r.y), (r.x + 24 + b as i32 * LANE, by)],
                };
                points.push((gw_cx(gi), by));
                let ends = (vpc.subnets[si].id.clone(), vpc.gateways[gi].id.clone());
                routes.push(Routed { kind: EdgeKind::Route, points, to_gateway: Some(gi), ends });
            }
            Topo::Side { kind, from, to, g1, l1, cross, label } => {
                let col = |end: End| grid_pos(end).map_or(0, |p| p.1);
                let g2 = cross.map_or(g1, |c| c.2);
                let (Some(src), Some(dst)) = (end_point(from, g1 == col(from)), end_point(to, g2 == col(to))) else {
                    continue;
                };
                let mut points = vec![src, (lane_x(g1, l1), src.1)];
                if let Some((h, lh, g2, l2)) = cross {
                    points.push((lane_x(g1, l1), lane_y(h, lh)));
                    points.push((lane_x(g2, l2), lane_y(h, lh)));
                    points.push((lane_x(g2, l2), dst.1));
                } else {
                    points.push((lane_x(g1, l1), dst.1));
                }
                points.push(dst);
                let id = |end: End| match end {
                    End::Subnet(si) => vpc.subnets[si].id.clone(),
                    End::Eni(si, ei) => vpc.subnets[si].enis[ei].id.clone(),
                };
                routes.push(Routed { kind, points, to_gateway: None, ends: (id(from), id(to)) });
                if let Some(text) = label {
                    let x =
                        if g2 == col(to) { gut_x[g2] + gut_w[g2] - room_r[g2] / 2 } else { gut_x[g2] + room_l[g2] / 2 };
                    let l = Label { x, y: dst.1 - 4, text };
                    if !labels.contains(&l) {
                        labels.push(l);
                    }
                }
            }
        }
    }
    Plan {
        w,
        h: y,
        subnets: sub_rect.into_iter().collect(),
        enis,
        strip_caption,
        gateway_sizes,
        gateway_x,
        routes,
        labels,
    }
}

/// Takes the next lane of a channel.
fn alloc(count: &mut usize) -> usize {
    *count += 1;
    *count - 1
}

/// The width the lanes of a channel take between their outer ones.
fn span(lanes: usize) -> i32 {
    (lanes.max(1) as i32 - 1) * LANE
}
