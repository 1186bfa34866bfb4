//! `tasknet describe …` (being written).

use crate::cli::{Cli, DescribeArgs};
use crate::error::CliError;

/// Runs `describe`.
pub fn run(_cli: &Cli, _args: &DescribeArgs) -> Result<u8, CliError> {
    Err(CliError::Output("describe: not built yet".into()))
}
