//! Tracing a set of packets from one place to another, hop by hop, and
//! back: the answer to one reachability question for one pair of places.
//!
//! A hop that blocks every packet is recorded with its reason and fix, and
//! the trace goes on as if it had let them through, so that every setting
//! that blocks a path is reported, not only the first (as Reachability
//! Analyzer's explanations do).

mod fixes;
pub(crate) mod gateway;
mod legs;
mod place;
mod service;

pub use place::{Place, PlaceKind};
pub use service::{to_service, ServiceTarget};

use crate::filters::{Declaration, RuleRef};
use crate::sets::{PacketSet, PortSet, ProtoSet};
use crate::topology::Topology;
use serde::Serialize;

/// Which way a hop carries the packets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From the source to the destination.
    Forward,
    /// The replies.
    Return,
}

/// One hop of a path.
#[derive(Clone, Debug, Serialize)]
pub struct Hop {
    /// What kind of hop: `eni`, `security-group-egress`, `route`, `network-acl-out`, …
    pub step: &'static str,
    /// Forward or return.
    pub direction: Direction,
    /// The component's ID (ENI, group, route table, ACL, gateway, listener).
    pub component: String,
    /// Its logical ID, when a stack created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What happened there, in words.
    pub detail: String,
    /// The rules or routes that decided.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleRef>,
    /// True when nothing got past this hop.
    pub blocked: bool,
}

/// A setting that blocks a path, and the smallest change that opens it.
#[derive(Clone, Debug, Serialize)]
pub struct Blocker {
    /// The hop kind that blocks.
    pub step: &'static str,
    /// The component's ID.
    pub component: String,
    /// Its logical ID, when a stack created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Why nothing gets past.
    pub reason: String,
    /// The change that opens it, written as the template change.
    pub fix: String,
    /// Where the blocking setting was declared (an ACL deny entry, a route), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<Declaration>,
}

/// The packets a question is about: protocol, destination and source ports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    /// Protocols (one, usually).
    pub protocol: ProtoSet,
    /// Destination ports (ICMP: types).
    pub ports: PortSet,
    /// Source ports (by default the ephemeral range 1024–65535).
    pub src_ports: PortSet,
}

impl Flow {
    /// TCP to `ports` from any ephemeral port.
    pub fn tcp(ports: PortSet) -> Self {
        Flow { protocol: ProtoSet::single(crate::sets::TCP), ports, src_ports: PortSet::range(1024, 65535) }
    }
}

/// One path between two places, with every hop there and back.
#[derive(Clone, Debug, Serialize)]
pub struct Path {
    /// Where it starts.
    pub from: Place,
    /// Where it ends.
    pub to: Place,
    /// True when some packets get there and their replies get back.
    pub reachable: bool,
    /// The hops, forward then return.
    pub hops: Vec<Hop>,
    /// Every setting that blocks it (empty when reachable).
    pub blockers: Vec<Blocker>,
    /// The ports that get through (when reachable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ports: Option<String>,
    /// What follows at a load balancer: its listener's targets, each a path of its own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub next: Vec<Path>,
    /// The packets that arrive (not shown; kept for the audit and checks).
    #[serde(skip)]
    pub arrived: PacketSet,
}

/// Builds a path hop by hop.
#[derive(Clone)]
pub(crate) struct Builder<'t, 'a> {
    pub topo: &'t Topology<'a>,
    pub hops: Vec<Hop>,
    pub blockers: Vec<Blocker>,
    pub direction: Direction,
    /// The source ports a NAT gateway may give a connection (all it uses, unless one is asked about).
    pub nat_ports: PortSet,
}

/// The source ports a NAT gateway uses. AWS doc "Network ACLs for your VPC"
/// (ephemeral ports): "A NAT gateway uses ports 1024-65535". Which one it
/// picks for a connection is not documented (the data plane picks at random).
pub const NAT_GATEWAY_PORTS: (u16, u16) = (1024, 65535);

impl<'t, 'a> Builder<'t, 'a> {
    fn new(topo: &'t Topology<'a>) -> Self {
        Builder {
            topo,
            hops: Vec::new(),
            blockers: Vec::new(),
            direction: Direction::Forward,
            nat_ports: PortSet::range(NAT_GATEWAY_PORTS.0, NAT_GATEWAY_PORTS.1),
        }
    }

    /// A hop that only says where the packets are.
    pub fn note(&mut self, step: &'static str, component: &str, detail: String) {
        self.hops.push(Hop {
            step,
            direction: self.direction,
            component: component.to_string(),
            name: self.topo.owner(component).map(|o| o.logical_id.clone()),
            detail,
            rules: Vec::new(),
            blocked: false,
        });
    }

    /// A hop that lets `allowed` of `pkts` on. When it lets nothing on, the
    /// blocker is recorded and the trace goes on with `pkts`.
    #[allow(clippy::too_many_arguments)]
    pub fn filter(
        &mut self,
        step: &'static str,
        component: &str,
        detail: String,
        rules: Vec<RuleRef>,
        pkts: &PacketSet,
        allowed: PacketSet,
        blocked: impl FnOnce() -> (String, String, Option<Declaration>),
    ) -> PacketSet {
        let name = self.topo.owner(component).map(|o| o.logical_id.clone());
        let is_blocked = allowed.is_empty() && !pkts.is_empty();
        self.hops.push(Hop {
            step,
            direction: self.direction,
            component: component.to_string(),
            name: name.clone(),
            detail,
            rules,
            blocked: is_blocked,
        });
        if is_blocked {
            let (reason, fix, declared) = blocked();
            self.blockers.push(Blocker { step, component: component.to_string(), name, reason, fix, declared });
            pkts.clone()
        } else {
            allowed
        }
    }

    /// A hop that blocks unconditionally (no route, no public address).
    pub fn block(&mut self, step: &'static str, component: &str, detail: String, reason: String, fix: String) {
        let nothing = PacketSet::empty();
        let all = PacketSet::of(crate::sets::Cube::full());
        self.filter(step, component, detail, Vec::new(), &all, nothing, || (reason, fix, None));
    }

    fn finish(self, from: &Place, to: &Place, arrived: PacketSet) -> Path {
        let reachable = self.blockers.is_empty() && !arrived.is_empty();
        let ports = reachable.then(|| crate::sets::show_ports(&arrived.dst_ports()));
        Path {
            from: from.clone(),
            to: to.clone(),
            reachable,
            hops: self.hops,
            blockers: self.blockers,
            ports,
            next: Vec::new(),
            arrived,
        }
    }
}

/// Traces `flow` from `from` to `to`, forward and back: one path, or one
/// per route when the destination's addresses leave by several. A load
/// balancer destination also gets its listener's targets traced as `next`.
pub fn trace(topo: &Topology<'_>, from: &Place, to: &Place, flow: &Flow) -> Vec<Path> {
    let mut paths = legs::route_between(topo, from, to, flow);
    if let Some(lb) = &to.load_balancer {
        for path in &mut paths {
            legs::listener(topo, path, lb, flow);
        }
    }
    paths
}

/// The paths from one place to another (no listener followed) when a NAT
/// gateway on the way gives the connection a source port from `nat_ports`.
pub(crate) use legs::route_between_with as leg_with_nat_ports;

/// The paths from one place to another, without following a load balancer's listener.
pub fn leg(topo: &Topology<'_>, from: &Place, to: &Place, flow: &Flow) -> Vec<Path> {
    legs::route_between(topo, from, to, flow)
}

/// A target group's targets as places with their ports (the prospective
/// ENIs of the services that register into it, before any task runs).
pub fn targets(topo: &Topology<'_>, target_group_arn: &str) -> Vec<(Place, u16)> {
    legs::targets(topo, target_group_arn)
}
