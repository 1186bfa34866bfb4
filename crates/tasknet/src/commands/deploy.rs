//! `tasknet deploy` and `tasknet delete-stack` (being written).

use crate::cli::{Cli, DeleteStackArgs, DeployArgs};
use crate::error::CliError;

/// Runs `deploy`.
pub fn run(_cli: &Cli, _args: &DeployArgs) -> Result<u8, CliError> {
    Err(CliError::Output("deploy: not built yet".into()))
}

/// Runs `delete-stack`.
pub fn delete(_cli: &Cli, _args: &DeleteStackArgs) -> Result<u8, CliError> {
    Err(CliError::Output("delete-stack: not built yet".into()))
}
