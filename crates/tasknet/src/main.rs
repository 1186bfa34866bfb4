//! The `tasknet` command.
fn main() {}
