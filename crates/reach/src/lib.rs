//! Reachability: what can talk to what in an account, hop by hop.
//!
//! Everything here is pure: it reads an [`account::Account`] (a planned
//! stack and a deployed one are both account state) and never touches the
//! kernel. Packet sets are evaluated symbolically (address intervals ×
//! protocols × port intervals), so one query and a whole audit use the same
//! engine; [`packet::check`] gives the verdict for one concrete packet, the
//! function the data plane's differential test compares real packets with.

pub mod audit;
pub mod endpoint;
pub mod filters;
pub mod findings;
pub mod graph;
pub mod packet;
pub mod pulls;
pub mod query;
pub mod role;
pub mod sets;
pub mod topology;
pub mod trace;
