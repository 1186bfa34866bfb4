//! Test support shared by several crates' integration tests and benchmarks
//! (dev-only, never published): random topologies built through the
//! account's EC2 actions ([`gen`]), and the example deployed or planned into
//! a fresh account ([`example`]).

pub mod example;
pub mod gen;
