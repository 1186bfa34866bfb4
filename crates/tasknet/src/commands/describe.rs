//! `tasknet describe …`: reads the account (never writes it) and prints one
//! view of it, as the AWS API's JSON or as aligned columns.

use crate::cli::{Cli, DescribeArgs};
use crate::commands::emit;
use crate::error::CliError;
use crate::output::describe::{self, ApiError, Doc, Query};
use crate::output::to_json;
use runtime::state;

/// Runs `describe`: 0 when the view was printed (an empty one too), 2 with
/// AWS's error when a named stack, cluster or target group does not exist.
pub fn run(cli: &Cli, args: &DescribeArgs) -> Result<u8, CliError> {
    let (account, _origin) = state::account_for_reading(cli.state_dir.as_deref(), cli.account_file.as_deref())?;
    let query = Query {
        stack_name: args.stack_name.clone(),
        cluster: args.cluster.clone(),
        service: args.service.clone(),
        target_group: args.target_group.clone(),
        all: args.all,
    };
    let doc = describe::render(&account, args.what, &query, args.output).map_err(refused)?;
    match doc {
        Doc::Json(value) => emit(&to_json(&value)?)?,
        Doc::Text(text) => emit(&text)?,
    }
    Ok(0)
}

/// AWS's error, worded as the aws CLI prints it.
fn refused(e: ApiError) -> CliError {
    CliError::Refused(e.to_string())
}
