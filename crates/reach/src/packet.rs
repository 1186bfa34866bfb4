//! One concrete packet, and the verdict for it: the function the data
//! plane's differential test compares real packets with.

use serde::Serialize;
use std::net::Ipv4Addr;

/// A packet: addresses, protocol number and ports (ICMP: the type in `dst_port`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Packet {
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// IP protocol number.
    pub protocol: u8,
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
}
