//! Test support shared by several crates' integration tests and benchmarks
//! (dev-only, never published): random topologies built through the
//! account's EC2 actions ([`gen`]), the example deployed or planned into
//! a fresh account ([`example`]), and VPC endpoints built into an account
//! ([`endpoints`]).

pub mod endpoints;
pub mod example;
pub mod gen;
