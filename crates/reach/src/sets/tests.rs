use super::*;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn small_ranges() -> impl Strategy<Value = Vec<(u16, u16)>> {
    prop::collection::vec((0u16..64, 0u16..8), 0..5).prop_map(|v| v.into_iter().map(|(a, l)| (a, a + l)).collect())
}

fn members(r: &PortSet) -> BTreeSet<u16> {
    r.intervals().iter().flat_map(|&(a, b)| a..=b).collect()
}

proptest! {
    #[test]
    fn interval_algebra_matches_plain_sets(a in small_ranges(), b in small_ranges()) {
        let (ra, rb) = (PortSet::from_intervals(a), PortSet::from_intervals(b));
        let (sa, sb) = (members(&ra), members(&rb));
        prop_assert_eq!(members(&ra.union(&rb)), &sa | &sb);
        prop_assert_eq!(members(&ra.intersect(&rb)), &sa & &sb);
        prop_assert_eq!(members(&ra.subtract(&rb)), &sa - &sb);
        prop_assert_eq!(ra.count(), sa.len() as u64);
        for v in 0u16..80 {
            prop_assert_eq!(ra.contains(v), sa.contains(&v));
        }
        // Normal form: sorted, disjoint, not adjacent.
        for w in ra.intervals().windows(2) {
            prop_assert!(w[0].1 + 1 < w[1].0);
        }
    }

    #[test]
    fn box_subtraction_is_exact(
        a in (0u32..8, 0u32..4, 0u16..8, 0u16..4),
        b in (0u32..8, 0u32..4, 0u16..8, 0u16..4),
        pa in 0u8..3, pb in 0u8..3,
    ) {
        let cube = |(s, sl, p, pl): (u32, u32, u16, u16), proto: u8| Cube {
            src: AddrSet::range(s, s + sl),
            dst: AddrSet::range(s / 2, s / 2 + sl),
            proto: ProtoSet::single(proto),
            src_ports: PortSet::range(p, p + pl),
            dst_ports: PortSet::range(p / 2, p / 2 + pl),
        };
        let (x, y) = (cube(a, pa), cube(b, pb));
        let diff = PacketSet::of(x.clone()).subtract(&PacketSet::of(y.clone()));
        let inter = PacketSet::of(x.clone()).intersect(&PacketSet::of(y.clone()));
        for src in 0u32..13 { for dst in 0u32..9 { for proto in 0u8..3 { for sp in 0u16..13 { for dp in 0u16..9 {
            let p = crate::packet::Packet {
                src: src.into(), dst: dst.into(), protocol: proto, src_port: sp, dst_port: dp,
            };
            prop_assert_eq!(diff.contains(&p), x.contains(&p) && !y.contains(&p));
            prop_assert_eq!(inter.contains(&p), x.contains(&p) && y.contains(&p));
        }}}}}
    }

    #[test]
    fn cidr_blocks_cover_a_range_exactly(a in any::<u32>(), len in 0u32..5000) {
        let b = a.saturating_add(len);
        let blocks = cidrs_of(a, b);
        let mut covered = 0u64;
        for s in &blocks {
            let (ip, bits) = s.split_once('/').map_or((s.as_str(), 32), |(i, l)| (i, l.parse().unwrap_or(32)));
            let start = u64::from(u32::from(ip.parse::<std::net::Ipv4Addr>().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)));
            prop_assert_eq!(start, u64::from(a) + covered);
            covered += 1u64 << (32 - bits);
        }
        prop_assert_eq!(covered, u64::from(b) - u64::from(a) + 1);
    }
}

#[test]
fn complement_of_the_ends() {
    assert_eq!(AddrSet::full().complement(), AddrSet::empty());
    assert_eq!(AddrSet::empty().complement(), AddrSet::full());
    assert_eq!(AddrSet::single(u32::MAX).complement(), AddrSet::range(0, u32::MAX - 1));
    assert_eq!(show_addrs(&AddrSet::range(0x0a00_0000, 0x0a00_ffff)), "10.0.0.0/16");
    assert_eq!(show_ports(&PortSet::range(1024, 65535)), "1024-65535");
}
