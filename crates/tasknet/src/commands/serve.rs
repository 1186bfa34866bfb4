//! `tasknet serve`: the AWS wire endpoint alone, its clock in simulated
//! time (the `wire` crate does the work; this only reads the flags and says
//! where it listens).

use crate::cli::{Cli, ServeArgs};
use crate::error::CliError;
use std::net::SocketAddr;

/// Runs the endpoint until SIGINT/SIGTERM.
pub fn run(cli: &Cli, args: &ServeArgs) -> Result<u8, CliError> {
    super::refuse_account_file(cli, "serve")?;
    let mut config = wire::Config::new(SocketAddr::new(args.bind, args.port), cli.state_dir.clone());
    config.commands = Some(super::forward::runner());
    config.allow_deprecated_runtimes = args.allow_deprecated_runtimes;
    if let Some(path) = &args.runtime {
        // Bad input fails before the account is opened, as `up`'s does.
        let file = runtime::oneoff::RuntimeFile::load(path).map_err(|e| CliError::Usage(e.to_string()))?;
        config.runtime = Some(std::sync::Arc::new(file));
    }
    wire::serve(&config, |addr| {
        eprintln!(
            "tasknet: serving AWS on http://{addr} (export AWS_ENDPOINT_URL=http://{addr}; keys: test/test unless the account file declares access_keys)"
        );
        eprintln!("tasknet: the console is at http://{addr}/_console/");
    })
    .map_err(|e| CliError::Refused(e.to_string()))?;
    Ok(0)
}
