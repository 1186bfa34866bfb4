//! A small IPv4 CIDR block type: parse `a.b.c.d/n`, containment, overlap,
//! network and broadcast addresses, the n-th address.
//!
//! Written here rather than taken from a crate because the account needs
//! only these few operations and wants AWS's own notion of "invalid".

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

/// An IPv4 block `network/prefix` whose host bits are zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ipv4Cidr {
    network: u32,
    prefix: u8,
}

/// Why a CIDR text was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CidrError {
    /// Not of the form `a.b.c.d/n`.
    #[error("'{0}' is not of the form a.b.c.d/n")]
    Syntax(String),
    /// The prefix length is not a number from 0 to 32.
    #[error("'{0}' has a prefix length outside 0..=32")]
    Prefix(String),
    /// The address has bits set beyond the prefix (e.g. `10.0.0.5/24`).
    #[error("'{0}' has host bits set; did you mean {1}?")]
    HostBits(String, Ipv4Cidr),
}

impl Ipv4Cidr {
    /// A block for a constant: its network's octets and prefix (host bits must be zero; not checked).
    pub const fn from_octets(octets: [u8; 4], prefix: u8) -> Self {
        Ipv4Cidr { network: u32::from_be_bytes(octets), prefix }
    }

    /// A block from an address and prefix; fails when host bits are set or the prefix exceeds 32.
    pub fn new(addr: Ipv4Addr, prefix: u8) -> Result<Self, CidrError> {
        if prefix > 32 {
            return Err(CidrError::Prefix(format!("{addr}/{prefix}")));
        }
        let network = u32::from(addr) & mask(prefix);
        let cidr = Ipv4Cidr { network, prefix };
        if network != u32::from(addr) {
            return Err(CidrError::HostBits(format!("{addr}/{prefix}"), cidr));
        }
        Ok(cidr)
    }

    /// A block from an address and prefix, clearing host bits (prefix clamped to 32).
    pub fn new_truncating(addr: Ipv4Addr, prefix: u8) -> Self {
        let prefix = prefix.min(32);
        Ipv4Cidr { network: u32::from(addr) & mask(prefix), prefix }
    }

    /// Parses `a.b.c.d/n` strictly (host bits must be zero).
    pub fn parse(text: &str) -> Result<Self, CidrError> {
        let (addr, prefix) = split(text)?;
        Ipv4Cidr::new(addr, prefix)
    }

    /// Parses `a.b.c.d/n`, clearing host bits instead of rejecting them.
    pub fn parse_truncating(text: &str) -> Result<Self, CidrError> {
        let (addr, prefix) = split(text)?;
        Ok(Ipv4Cidr::new_truncating(addr, prefix))
    }

    /// The prefix length.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The first address (all host bits zero).
    pub fn network(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.network)
    }

    /// The last address (all host bits one).
    pub fn broadcast(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.network | !mask(self.prefix))
    }

    /// How many addresses the block spans (2^(32-prefix)).
    pub fn size(&self) -> u64 {
        1u64 << (32 - u32::from(self.prefix))
    }

    /// The `n`-th address counted from the network address (0), if inside the block.
    pub fn nth(&self, n: u64) -> Option<Ipv4Addr> {
        if n >= self.size() {
            return None;
        }
        // n < size ≤ 2^32, and network + n stays inside the block, so no overflow.
        Some(Ipv4Addr::from(self.network.wrapping_add(n as u32)))
    }

    /// The offset of `addr` from the network address, if inside the block.
    pub fn offset_of(&self, addr: Ipv4Addr) -> Option<u64> {
        self.contains_addr(addr).then(|| u64::from(u32::from(addr) - self.network))
    }

    /// True when `addr` is inside the block.
    pub fn contains_addr(&self, addr: Ipv4Addr) -> bool {
        u32::from(addr) & mask(self.prefix) == self.network
    }

    /// True when `other` lies entirely inside this block.
    pub fn contains(&self, other: &Ipv4Cidr) -> bool {
        other.prefix >= self.prefix && other.network & mask(self.prefix) == self.network
    }

    /// True when the two blocks share at least one address.
    pub fn overlaps(&self, other: &Ipv4Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// `0.0.0.0/0`, the default route.
    pub fn any() -> Self {
        Ipv4Cidr { network: 0, prefix: 0 }
    }

    /// `addr/32`: one address.
    pub fn host(addr: Ipv4Addr) -> Self {
        Ipv4Cidr { network: u32::from(addr), prefix: 32 }
    }
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix.min(32)))
    }
}

fn split(text: &str) -> Result<(Ipv4Addr, u8), CidrError> {
    let (addr, prefix) = text.split_once('/').ok_or_else(|| CidrError::Syntax(text.to_string()))?;
    // Ipv4Addr's parser rejects leading zeros and out-of-range octets, as AWS does.
    let addr = Ipv4Addr::from_str(addr).map_err(|_| CidrError::Syntax(text.to_string()))?;
    if prefix.is_empty() || prefix.len() > 2 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CidrError::Syntax(text.to_string()));
    }
    let prefix: u8 = prefix.parse().map_err(|_| CidrError::Syntax(text.to_string()))?;
    if prefix > 32 {
        return Err(CidrError::Prefix(text.to_string()));
    }
    Ok((addr, prefix))
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network(), self.prefix)
    }
}

impl FromStr for Ipv4Cidr {
    type Err = CidrError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ipv4Cidr::parse(s)
    }
}

impl Serialize for Ipv4Cidr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ipv4Cidr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ipv4Cidr::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_prints() {
        let c = Ipv4Cidr::parse("172.31.16.0/20").unwrap();
        assert_eq!(c.to_string(), "172.31.16.0/20");
        assert_eq!(c.network(), Ipv4Addr::new(172, 31, 16, 0));
        assert_eq!(c.broadcast(), Ipv4Addr::new(172, 31, 31, 255));
        assert_eq!(c.size(), 4096);
        assert_eq!(c.nth(4), Some(Ipv4Addr::new(172, 31, 16, 4)));
        assert_eq!(c.nth(4096), None);
        assert_eq!(Ipv4Cidr::parse("0.0.0.0/0").unwrap(), Ipv4Cidr::any());
        assert_eq!(Ipv4Cidr::parse("10.0.0.1/32").unwrap().size(), 1);
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "10.0.0.0",
            "10.0.0.0/",
            "10.0.0/8",
            "10.0.0.0/33",
            "10.0.0.256/24",
            "a.b.c.d/8",
            "10.0.0.0/+8",
            "10.0.0.0/008",
            " 10.0.0.0/8",
        ] {
            assert!(Ipv4Cidr::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(Ipv4Cidr::parse("10.0.0.5/24"), Err(CidrError::HostBits(_, _))));
        assert_eq!(Ipv4Cidr::parse_truncating("10.0.0.5/24").unwrap().to_string(), "10.0.0.0/24");
    }

    #[test]
    fn containment_and_overlap() {
        let vpc = Ipv4Cidr::parse("10.0.0.0/16").unwrap();
        let a = Ipv4Cidr::parse("10.0.0.0/24").unwrap();
        let b = Ipv4Cidr::parse("10.0.0.128/25").unwrap();
        let c = Ipv4Cidr::parse("10.1.0.0/24").unwrap();
        assert!(vpc.contains(&a) && a.contains(&b) && !b.contains(&a));
        assert!(a.overlaps(&b) && b.overlaps(&a) && !vpc.overlaps(&c));
        assert!(Ipv4Cidr::any().contains(&c));
    }

    fn any_cidr() -> impl Strategy<Value = Ipv4Cidr> {
        (any::<u32>(), 0u8..=32).prop_map(|(a, p)| Ipv4Cidr::new_truncating(Ipv4Addr::from(a), p))
    }

    proptest! {
        #[test]
        fn display_parse_roundtrip(c in any_cidr()) {
            prop_assert_eq!(Ipv4Cidr::parse(&c.to_string()).unwrap(), c);
        }

        #[test]
        fn network_and_broadcast_are_inside(c in any_cidr()) {
            prop_assert!(c.contains_addr(c.network()));
            prop_assert!(c.contains_addr(c.broadcast()));
            prop_assert_eq!(c.nth(c.size() - 1), Some(c.broadcast()));
            prop_assert_eq!(c.nth(0), Some(c.network()));
        }

        #[test]
        fn overlap_is_symmetric_and_contains_implies_overlap(a in any_cidr(), b in any_cidr()) {
            prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
            if a.contains(&b) { prop_assert!(a.overlaps(&b)); }
            // Blocks overlap exactly when one's network lies in the other.
            prop_assert_eq!(a.overlaps(&b), a.contains_addr(b.network()) || b.contains_addr(a.network()));
        }

        #[test]
        fn nth_and_offset_agree(c in any_cidr(), n in any::<u64>()) {
            let n = n % c.size();
            let addr = c.nth(n).unwrap();
            prop_assert_eq!(c.offset_of(addr), Some(n));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,24}") {
            let _ = Ipv4Cidr::parse(&s);
        }
    }
}
