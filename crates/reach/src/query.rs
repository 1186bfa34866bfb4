//! One question: can these reach those, on this protocol and these ports.

use crate::endpoint::Endpoint;
use crate::sets::{show_ports, PortSet, ProtoSet, ICMP, TCP, UDP};
use crate::topology::Topology;
use crate::trace::{trace, Flow, Path};
use serde::Serialize;

/// Why a protocol or port does not make a flow.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FlowError {
    /// Not a protocol name or number.
    #[error("unknown protocol '{0}': use tcp, udp, icmp, all (-1) or a protocol number 0-255")]
    Protocol(String),
    /// Not a port or range within 0-65535.
    #[error("port '{0}' is out of range: give a port or a range within 0-65535 (e.g. 443 or 1024-65535), or all")]
    Port(String),
}

/// Reads `--protocol` and `--port` (`443`, `1024-65535`, `all`).
pub fn parse_flow(protocol: &str, port: &str) -> Result<Flow, FlowError> {
    let proto = match protocol.trim().to_ascii_lowercase().as_str() {
        "tcp" | "6" => ProtoSet::single(TCP),
        "udp" | "17" => ProtoSet::single(UDP),
        "icmp" | "1" => ProtoSet::single(ICMP),
        "all" | "-1" => ProtoSet::full(),
        other => ProtoSet::single(other.parse::<u8>().map_err(|_| FlowError::Protocol(protocol.to_string()))?),
    };
    let port = port.trim();
    let ports = if port.eq_ignore_ascii_case("all") || port.is_empty() {
        PortSet::full()
    } else {
        let bad = || FlowError::Port(port.to_string());
        let (a, b) = port.split_once('-').unwrap_or((port, port));
        let a: u16 = a.trim().parse().map_err(|_| bad())?;
        let b: u16 = b.trim().parse().map_err(|_| bad())?;
        if a > b {
            return Err(bad());
        }
        PortSet::range(a, b)
    };
    let tcp_or_udp = proto == ProtoSet::single(TCP) || proto == ProtoSet::single(UDP);
    let src_ports = if tcp_or_udp { PortSet::range(1024, 65535) } else { PortSet::full() };
    let ports = if tcp_or_udp || proto == ProtoSet::single(ICMP) { ports } else { PortSet::full() };
    Ok(Flow { protocol: proto, ports, src_ports })
}

/// The answer to one question.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    /// The source as asked.
    pub from: String,
    /// The destination as asked.
    pub to: String,
    /// `tcp`, `udp`, `icmp`, `all` or a number.
    pub protocol: String,
    /// The destination ports asked about.
    pub ports: String,
    /// True when some path is reachable.
    pub reachable: bool,
    /// Every path, one per pair of places (and per route).
    pub paths: Vec<Path>,
}

/// The protocol set in words.
pub fn protocol_text(p: &ProtoSet) -> String {
    if p.is_full() {
        return "all".into();
    }
    p.iter().map(crate::sets::protocol_name).collect::<Vec<_>>().join(",")
}

/// Traces every pair of places of `from` and `to`.
pub fn ask(topo: &Topology<'_>, from: &Endpoint, to: &Endpoint, flow: &Flow) -> Answer {
    let mut paths = Vec::new();
    for f in &from.places {
        if let Some(service) = &to.service {
            paths.extend(crate::trace::to_service(topo, f, service, flow));
            continue;
        }
        for t in &to.places {
            if f.eni.is_some() && f.eni == t.eni {
                continue;
            }
            paths.extend(trace(topo, f, t, flow));
        }
    }
    Answer {
        from: from.label.clone(),
        to: to.label.clone(),
        protocol: protocol_text(&flow.protocol),
        ports: show_ports(&flow.ports),
        reachable: paths.iter().any(|p| p.reachable),
        paths,
    }
}
