//! The VPC drawn: VPCs, their subnets (public, private or isolated by their
//! route tables), every live interface by its owner, the gateways, routes
//! and load balancer targets, as Graphviz DOT or as a self-laid-out SVG.
//!
//! Both renderers read one [`model::Drawing`] built from the account, so
//! the two formats always show the same things.

mod dot;
mod enis;
mod layout;
mod metrics;
pub mod model;
mod route;
mod svg;
mod text;

/// What to draw.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GraphOptions {
    /// One VPC; `None` draws every VPC that has a subnet.
    pub vpc_id: Option<String>,
    /// Draw for a page that reacts to the user (the console): `None` writes
    /// the plain document `tasknet graph` writes.
    pub interactive: Option<Interactive>,
}

/// What an interactive SVG adds: every node a group with its ID
/// (`data-id`, focusable), every edge its ends (`data-from`, `data-to`),
/// and a path drawn on it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Interactive {
    /// Node IDs (`eni-…`, `subnet-…`, `igw-…`, `internet`, …) a path passes; an edge between two of them is on it too.
    pub path: std::collections::BTreeSet<String>,
    /// Node IDs where it is blocked.
    pub blocked: std::collections::BTreeSet<String>,
}

/// The drawing as a Graphviz `digraph` (for `dot -Tsvg` and friends).
pub fn dot(topo: &crate::topology::Topology<'_>, opts: &GraphOptions) -> String {
    dot::render(&model::build(topo, opts))
}

/// The drawing as a standalone SVG document, laid out here (no Graphviz needed).
pub fn svg(topo: &crate::topology::Topology<'_>, opts: &GraphOptions) -> String {
    svg::render(&model::build(topo, opts), opts.interactive.as_ref())
}
