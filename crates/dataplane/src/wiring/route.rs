//! Routes and policy rules as data: the netlink driver encodes them, the
//! command driver prints them as `ip route` / `ip rule` arguments.

use account::Ipv4Cidr;
use std::fmt;
use std::net::Ipv4Addr;

/// The main routing table.
pub const MAIN_TABLE: u32 = 254;

/// Where a route sends what matches it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hop {
    /// Out of an interface, to the destination itself (on-link).
    Dev(String),
    /// To a gateway out of an interface, taken as on-link whatever its address.
    Via {
        /// The next hop.
        gateway: Ipv4Addr,
        /// The interface.
        dev: String,
    },
    /// Dropped.
    Blackhole,
}

/// One IPv4 route.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Route {
    /// The destination block.
    pub dst: Ipv4Cidr,
    /// Where it goes.
    pub hop: Hop,
    /// Its routing table ([`MAIN_TABLE`] unless policy routing picks another).
    pub table: u32,
}

impl Route {
    /// A route to `dst` via `hop` in the main table.
    pub fn main(dst: Ipv4Cidr, hop: Hop) -> Route {
        Route { dst, hop, table: MAIN_TABLE }
    }

    /// A route to `dst` via `hop` in `table`.
    pub fn in_table(dst: Ipv4Cidr, hop: Hop, table: u32) -> Route {
        Route { dst, hop, table }
    }
}

impl fmt::Display for Route {
    /// The `ip route` arguments (`10.0.1.5/32 dev e… table 100`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.hop == Hop::Blackhole {
            f.write_str("blackhole ")?;
        }
        if self.dst.prefix() == 0 {
            f.write_str("default")?;
        } else {
            write!(f, "{}", self.dst)?;
        }
        match &self.hop {
            Hop::Dev(dev) => write!(f, " dev {dev}")?,
            Hop::Via { gateway, dev } => write!(f, " via {gateway} dev {dev} onlink")?,
            Hop::Blackhole => {}
        }
        if self.table != MAIN_TABLE {
            write!(f, " table {}", self.table)?;
        }
        Ok(())
    }
}

/// What a policy rule matches on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Selector {
    /// Every packet.
    All,
    /// Packets from a block.
    From(Ipv4Cidr),
    /// Packets to a block.
    To(Ipv4Cidr),
}

/// What a policy rule does with what it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleAction {
    /// Look the destination up in a table.
    Lookup(u32),
    /// Drop.
    Blackhole,
}

/// One policy routing rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rule {
    /// Its priority (lower first).
    pub pref: u32,
    /// What it matches.
    pub selector: Selector,
    /// What it does.
    pub action: RuleAction,
}

impl fmt::Display for Rule {
    /// The `ip rule` arguments (`pref 100 to 10.0.0.0/16 lookup 100`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pref {}", self.pref)?;
        match self.selector {
            Selector::All => {}
            Selector::From(c) => write!(f, " from {c}")?,
            Selector::To(c) => write!(f, " to {c}")?,
        }
        match self.action {
            RuleAction::Lookup(t) => write!(f, " lookup {t}"),
            RuleAction::Blackhole => f.write_str(" blackhole"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cidr(s: &str) -> Ipv4Cidr {
        Ipv4Cidr::parse(s).expect("test block")
    }

    #[test]
    fn routes_and_rules_print_as_ip_arguments() {
        let r = Route::in_table(cidr("10.0.1.5/32"), Hop::Dev("e1".into()), 100);
        assert_eq!(r.to_string(), "10.0.1.5/32 dev e1 table 100");
        let r =
            Route::main(cidr("0.0.0.0/0"), Hop::Via { gateway: Ipv4Addr::new(169, 254, 0, 3), dev: "inet0".into() });
        assert_eq!(r.to_string(), "default via 169.254.0.3 dev inet0 onlink");
        assert_eq!(
            Route::in_table(cidr("10.0.0.0/16"), Hop::Blackhole, 100).to_string(),
            "blackhole 10.0.0.0/16 table 100"
        );
        let rule = Rule { pref: 1000, selector: Selector::From(cidr("10.0.1.0/24")), action: RuleAction::Lookup(1001) };
        assert_eq!(rule.to_string(), "pref 1000 from 10.0.1.0/24 lookup 1001");
        let rule = Rule { pref: 32000, selector: Selector::All, action: RuleAction::Blackhole };
        assert_eq!(rule.to_string(), "pref 32000 blackhole");
    }
}
