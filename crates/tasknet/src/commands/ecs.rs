//! `tasknet run-task`, `stop-task`, `update-service` (being written).

use crate::cli::{Cli, RunTaskArgs, StopTaskArgs, UpdateServiceArgs};
use crate::error::CliError;

/// Runs `run-task`.
pub fn run_task(_cli: &Cli, _args: &RunTaskArgs) -> Result<u8, CliError> {
    Err(CliError::Output("run-task: not built yet".into()))
}

/// Runs `stop-task`.
pub fn stop_task(_cli: &Cli, _args: &StopTaskArgs) -> Result<u8, CliError> {
    Err(CliError::Output("stop-task: not built yet".into()))
}

/// Runs `update-service`.
pub fn update_service(_cli: &Cli, _args: &UpdateServiceArgs) -> Result<u8, CliError> {
    Err(CliError::Output("update-service: not built yet".into()))
}
