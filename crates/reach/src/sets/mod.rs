//! Symbolic packet sets: unions of boxes over source and destination
//! addresses, protocol, source and destination ports. Every filter (a
//! security group, an ACL rule, a route) is a set; a hop keeps the part of
//! the packets it lets on, so one evaluation covers every address and port
//! at once instead of enumerating them.

use serde::Serialize;
use std::fmt;

/// An integer type an interval set can range over.
pub trait Bound: Copy + Ord + fmt::Debug {
    /// The smallest value.
    const MIN: Self;
    /// The largest value.
    const MAX: Self;
    /// The next value (never called on MAX).
    fn succ(self) -> Self;
    /// The previous value (never called on MIN).
    fn pred(self) -> Self;
    /// The value widened, for counting.
    fn wide(self) -> u64;
}

impl Bound for u32 {
    const MIN: Self = 0;
    const MAX: Self = u32::MAX;
    fn succ(self) -> Self {
        self + 1
    }
    fn pred(self) -> Self {
        self - 1
    }
    fn wide(self) -> u64 {
        u64::from(self)
    }
}

impl Bound for u16 {
    const MIN: Self = 0;
    const MAX: Self = u16::MAX;
    fn succ(self) -> Self {
        self + 1
    }
    fn pred(self) -> Self {
        self - 1
    }
    fn wide(self) -> u64 {
        u64::from(self)
    }
}

/// A set of integers as sorted, disjoint, non-adjacent inclusive intervals.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ranges<T: Bound>(Vec<(T, T)>);

/// A set of IPv4 addresses (as u32).
pub type AddrSet = Ranges<u32>;
/// A set of ports (or ICMP types).
pub type PortSet = Ranges<u16>;

impl<T: Bound> Ranges<T> {
    /// The empty set.
    pub fn empty() -> Self {
        Ranges(Vec::new())
    }

    /// Every value.
    pub fn full() -> Self {
        Ranges(vec![(T::MIN, T::MAX)])
    }

    /// `lo..=hi` (empty when `lo > hi`).
    pub fn range(lo: T, hi: T) -> Self {
        if lo > hi {
            Self::empty()
        } else {
            Ranges(vec![(lo, hi)])
        }
    }

    /// One value.
    pub fn single(v: T) -> Self {
        Ranges(vec![(v, v)])
    }

    /// Builds a set from any intervals (normalized).
    pub fn from_intervals(mut v: Vec<(T, T)>) -> Self {
        v.retain(|(a, b)| a <= b);
        v.sort();
        let mut out: Vec<(T, T)> = Vec::with_capacity(v.len());
        for (a, b) in v {
            match out.last_mut() {
                Some(last) if last.1 == T::MAX || a <= last.1.succ() => {
                    if b > last.1 {
                        last.1 = b;
                    }
                }
                _ => out.push((a, b)),
            }
        }
        Ranges(out)
    }

    /// The intervals.
    pub fn intervals(&self) -> &[(T, T)] {
        &self.0
    }

    /// True when nothing is in it.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when everything is in it.
    pub fn is_full(&self) -> bool {
        self.0 == [(T::MIN, T::MAX)]
    }

    /// Whether `v` is in it.
    pub fn contains(&self, v: T) -> bool {
        let i = self.0.partition_point(|&(_, b)| b < v);
        self.0.get(i).is_some_and(|&(a, _)| a <= v)
    }

    /// How many values it holds.
    pub fn count(&self) -> u64 {
        self.0.iter().map(|&(a, b)| b.wide() - a.wide() + 1).sum()
    }

    /// The smallest value.
    pub fn first(&self) -> Option<T> {
        self.0.first().map(|&(a, _)| a)
    }

    /// Values in both.
    pub fn intersect(&self, other: &Self) -> Self {
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < self.0.len() && j < other.0.len() {
            let (a1, b1) = self.0[i];
            let (a2, b2) = other.0[j];
            let lo = a1.max(a2);
            let hi = b1.min(b2);
            if lo <= hi {
                out.push((lo, hi));
            }
            if b1 < b2 {
                i += 1;
            } else {
                j += 1;
            }
        }
        Ranges(out)
    }

    /// Values in either.
    pub fn union(&self, other: &Self) -> Self {
        let mut v = self.0.clone();
        v.extend_from_slice(&other.0);
        Self::from_intervals(v)
    }

    /// Values not in it.
    pub fn complement(&self) -> Self {
        let mut out = Vec::new();
        let mut next = Some(T::MIN);
        for &(a, b) in &self.0 {
            if let Some(n) = next {
                if a > n {
                    out.push((n, a.pred()));
                }
            }
            next = if b == T::MAX { None } else { Some(b.succ()) };
        }
        if let Some(n) = next {
            out.push((n, T::MAX));
        }
        Ranges(out)
    }

    /// Values in it but not in `other`.
    pub fn subtract(&self, other: &Self) -> Self {
        self.intersect(&other.complement())
    }

    /// Whether every value of `other` is in it.
    pub fn covers(&self, other: &Self) -> bool {
        other.subtract(self).is_empty()
    }
}

impl<T: Bound> Default for Ranges<T> {
    fn default() -> Self {
        Self::empty()
    }
}

impl<T: Bound> fmt::Debug for Ranges<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

/// A set of IP protocol numbers (0–255).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ProtoSet([u64; 4]);

/// TCP's protocol number.
pub const TCP: u8 = 6;
/// UDP's protocol number.
pub const UDP: u8 = 17;
/// ICMP's protocol number.
pub const ICMP: u8 = 1;

impl ProtoSet {
    /// No protocol.
    pub fn empty() -> Self {
        ProtoSet([0; 4])
    }

    /// Every protocol (`-1` in EC2's rules).
    pub fn full() -> Self {
        ProtoSet([u64::MAX; 4])
    }

    /// One protocol.
    pub fn single(p: u8) -> Self {
        let mut s = Self::empty();
        s.0[usize::from(p / 64)] |= 1 << (p % 64);
        s
    }

    /// Whether `p` is in it.
    pub fn contains(&self, p: u8) -> bool {
        self.0[usize::from(p / 64)] & (1 << (p % 64)) != 0
    }

    /// Protocols in both.
    pub fn intersect(&self, o: &Self) -> Self {
        ProtoSet(std::array::from_fn(|i| self.0[i] & o.0[i]))
    }

    /// Protocols in either.
    pub fn union(&self, o: &Self) -> Self {
        ProtoSet(std::array::from_fn(|i| self.0[i] | o.0[i]))
    }

    /// Protocols in it and not in `o`.
    pub fn subtract(&self, o: &Self) -> Self {
        ProtoSet(std::array::from_fn(|i| self.0[i] & !o.0[i]))
    }

    /// True when it holds none.
    pub fn is_empty(&self) -> bool {
        self.0 == [0; 4]
    }

    /// True when it holds all 256.
    pub fn is_full(&self) -> bool {
        self.0 == [u64::MAX; 4]
    }

    /// The protocol numbers in it.
    pub fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        (0..=255u8).filter(|p| self.contains(*p))
    }
}

impl fmt::Debug for ProtoSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_full() {
            return f.write_str("all");
        }
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A box of packets: every combination of the five sets. For protocols
/// without ports the port sets are full; ICMP keeps its type in `dst_ports`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cube {
    /// Source addresses.
    pub src: AddrSet,
    /// Destination addresses.
    pub dst: AddrSet,
    /// Protocols.
    pub proto: ProtoSet,
    /// Source ports.
    pub src_ports: PortSet,
    /// Destination ports (ICMP: the type).
    pub dst_ports: PortSet,
}

impl Cube {
    /// Every packet.
    pub fn full() -> Self {
        Cube {
            src: AddrSet::full(),
            dst: AddrSet::full(),
            proto: ProtoSet::full(),
            src_ports: PortSet::full(),
            dst_ports: PortSet::full(),
        }
    }

    /// True when it holds no packet.
    pub fn is_empty(&self) -> bool {
        self.src.is_empty()
            || self.dst.is_empty()
            || self.proto.is_empty()
            || self.src_ports.is_empty()
            || self.dst_ports.is_empty()
    }

    /// Packets in both.
    pub fn intersect(&self, o: &Cube) -> Cube {
        Cube {
            src: self.src.intersect(&o.src),
            dst: self.dst.intersect(&o.dst),
            proto: self.proto.intersect(&o.proto),
            src_ports: self.src_ports.intersect(&o.src_ports),
            dst_ports: self.dst_ports.intersect(&o.dst_ports),
        }
    }

    /// Packets in it and not in `o`, as disjoint boxes (at most five).
    pub fn subtract(&self, o: &Cube) -> Vec<Cube> {
        let inter = self.intersect(o);
        if inter.is_empty() {
            return vec![self.clone()];
        }
        // Peel one dimension at a time: the part outside `o` in this
        // dimension is a box of its own; the rest narrows to the overlap.
        let mut out = Vec::new();
        let mut rest = self.clone();
        macro_rules! peel {
            ($field:ident) => {
                let outside = rest.$field.subtract(&o.$field);
                if !outside.is_empty() {
                    out.push(Cube { $field: outside, ..rest.clone() });
                }
                rest.$field = inter.$field.clone();
            };
        }
        peel!(src);
        peel!(dst);
        peel!(proto);
        peel!(src_ports);
        peel!(dst_ports);
        out
    }

    /// The same packets travelling back: addresses and ports swapped.
    pub fn reversed(&self) -> Cube {
        Cube {
            src: self.dst.clone(),
            dst: self.src.clone(),
            proto: self.proto,
            src_ports: self.dst_ports.clone(),
            dst_ports: self.src_ports.clone(),
        }
    }

    /// Whether one concrete packet is in it.
    pub fn contains(&self, p: &crate::packet::Packet) -> bool {
        self.src.contains(u32::from(p.src))
            && self.dst.contains(u32::from(p.dst))
            && self.proto.contains(p.protocol)
            && self.src_ports.contains(p.src_port)
            && self.dst_ports.contains(p.dst_port)
    }
}

/// A union of boxes: any set of packets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PacketSet(Vec<Cube>);

impl PacketSet {
    /// No packet.
    pub fn empty() -> Self {
        PacketSet(Vec::new())
    }

    /// One box.
    pub fn of(cube: Cube) -> Self {
        if cube.is_empty() {
            Self::empty()
        } else {
            PacketSet(vec![cube])
        }
    }

    /// Its boxes.
    pub fn cubes(&self) -> &[Cube] {
        &self.0
    }

    /// True when it holds no packet.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds a box.
    pub fn push(&mut self, cube: Cube) {
        if !cube.is_empty() {
            self.0.push(cube);
        }
    }

    /// Packets in either (boxes may overlap; sets stay exact).
    pub fn union(&self, o: &PacketSet) -> PacketSet {
        let mut v = self.0.clone();
        v.extend(o.0.iter().cloned());
        PacketSet(v)
    }

    /// Packets in both.
    pub fn intersect(&self, o: &PacketSet) -> PacketSet {
        let mut out = PacketSet::empty();
        for a in &self.0 {
            for b in &o.0 {
                out.push(a.intersect(b));
            }
        }
        out
    }

    /// Packets in it and not in `o`.
    pub fn subtract(&self, o: &PacketSet) -> PacketSet {
        let mut cur = self.0.clone();
        for b in &o.0 {
            cur = cur.iter().flat_map(|a| a.subtract(b)).collect();
            if cur.is_empty() {
                break;
            }
        }
        PacketSet(cur)
    }

    /// Intersect with one box.
    pub fn restrict(&self, c: &Cube) -> PacketSet {
        let mut out = PacketSet::empty();
        for a in &self.0 {
            out.push(a.intersect(c));
        }
        out
    }

    /// The same packets travelling back.
    pub fn reversed(&self) -> PacketSet {
        PacketSet(self.0.iter().map(Cube::reversed).collect())
    }

    /// Whether one concrete packet is in it.
    pub fn contains(&self, p: &crate::packet::Packet) -> bool {
        self.0.iter().any(|c| c.contains(p))
    }

    /// Replaces the sources (a translation such as NAT): every box keeps its
    /// other dimensions and gets `src` (and `src_ports` when given).
    pub fn with_source(&self, src: &AddrSet, src_ports: Option<&PortSet>) -> PacketSet {
        let mut out = PacketSet::empty();
        for c in &self.0 {
            let mut c = c.clone();
            c.src = src.clone();
            if let Some(p) = src_ports {
                c.src_ports = p.clone();
            }
            out.push(c);
        }
        out
    }

    /// Replaces the destinations (the internet gateway's inbound translation).
    pub fn with_destination(&self, dst: &AddrSet) -> PacketSet {
        let mut out = PacketSet::empty();
        for c in &self.0 {
            let mut c = c.clone();
            c.dst = dst.clone();
            out.push(c);
        }
        out
    }

    /// Every source address any box holds.
    pub fn sources(&self) -> AddrSet {
        self.0.iter().fold(AddrSet::empty(), |acc, c| acc.union(&c.src))
    }

    /// Every destination port any box holds.
    pub fn dst_ports(&self) -> PortSet {
        self.0.iter().fold(PortSet::empty(), |acc, c| acc.union(&c.dst_ports))
    }

    /// Every protocol any box holds.
    pub fn protocols(&self) -> ProtoSet {
        self.0.iter().fold(ProtoSet::empty(), |acc, c| acc.union(&c.proto))
    }
}

/// Formats an address set as CIDR-ish ranges: `10.0.0.0/16, 10.1.0.5`.
pub fn show_addrs(s: &AddrSet) -> String {
    if s.is_full() {
        return "0.0.0.0/0".into();
    }
    if *s == crate::topology::internet() {
        return "the internet (0.0.0.0/0 without private and reserved ranges)".into();
    }
    let mut parts = Vec::new();
    for &(a, b) in s.intervals() {
        parts.extend(cidrs_of(a, b));
    }
    if parts.len() > 6 {
        let n = parts.len();
        parts.truncate(5);
        parts.push(format!("… ({n} blocks)"));
    }
    parts.join(", ")
}

/// The fewest CIDR blocks covering `a..=b` exactly.
pub fn cidrs_of(a: u32, b: u32) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = u64::from(a);
    let end = u64::from(b);
    while cur <= end {
        // The largest aligned block that starts at `cur` and ends by `end`.
        let mut k = 0u32;
        while k < 32 {
            let size = 1u64 << (k + 1);
            if cur % size != 0 || cur + size - 1 > end {
                break;
            }
            k += 1;
        }
        let ip = std::net::Ipv4Addr::from(cur as u32);
        out.push(if k == 0 { ip.to_string() } else { format!("{ip}/{}", 32 - k) });
        cur += 1u64 << k;
    }
    out
}

/// Formats a port set: `80`, `1024-65535`, `all`.
pub fn show_ports(s: &PortSet) -> String {
    if s.is_full() {
        return "all".into();
    }
    s.intervals()
        .iter()
        .map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") })
        .collect::<Vec<_>>()
        .join(",")
}

/// A protocol's name as EC2 writes it: tcp, udp, icmp, or the number.
pub fn protocol_name(p: u8) -> String {
    match p {
        TCP => "tcp".into(),
        UDP => "udp".into(),
        ICMP => "icmp".into(),
        n => n.to_string(),
    }
}

impl Serialize for Ranges<u32> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut parts = Vec::new();
        for &(a, b) in self.intervals() {
            parts.extend(cidrs_of(a, b));
        }
        parts.serialize(s)
    }
}

impl Serialize for Ranges<u16> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.intervals().serialize(s)
    }
}

#[cfg(test)]
mod tests;
