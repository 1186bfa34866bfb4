//! The Linux data plane: the account's VPCs made real in network namespaces.
//!
//! Two halves, as everywhere in tasknet: [`wiring`] is pure (account in, a
//! description of namespaces, links, routes and nftables rulesets out, testable
//! without root), and [`linux`] applies that description to the kernel from
//! inside this process (rtnetlink, `setns`, libnftables), keeping what it
//! applied so the next pass only changes the difference. The `up` command
//! feeds it the account on every tick.
//!
//! The layout (see docs/architecture.md, "Data plane"):
//! - one router namespace per VPC holds the host end of every ENI's veth and
//!   routes at layer 3 (proxy ARP, route tables as policy routing); security
//!   groups and network ACLs are one nftables table there, out of the tasks' reach,
//!   changed by difference so an ENI coming or going touches set elements only;
//! - one namespace per ENI (task, load balancer node, NAT gateway, instance,
//!   database), its end of the veth named `eth0`;
//! - one namespace per attached internet gateway (1:1 NAT) between its VPC's
//!   router and the emulated internet, which holds documentation addresses.

pub mod linux;
pub mod names;
pub mod preflight;
pub mod wiring;

pub use linux::{DataplaneError, Kernel};
pub use names::Scope;
pub use wiring::{Count, Counts, EniKind, EniNs, Wiring};
