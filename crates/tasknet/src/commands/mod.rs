//! One module per subcommand; each returns its exit code (0 clean, 1 errors
//! found, 2 malformed template) or a [`CliError`](crate::error::CliError) (exit 2).

pub mod account;
pub mod audit;
pub mod deploy;
pub mod describe;
pub mod ecs;
pub mod forward;
pub mod graph;
pub mod logs;
pub mod plan;
pub mod reach;
pub mod serve;
pub mod stack;
pub mod up;
pub mod validate;
pub mod world;

use crate::cli::Cli;
use crate::error::CliError;
use runtime::Session;
use std::io::Write;

/// Opens the stored account for a command that changes it (see
/// [`Session::open`]), and tells the user about stacks it repaired. Inside
/// `tasknet serve` (a command its CLI forwarded) it is the server's own
/// session, lent for the command ([`forward::lend`]).
pub fn open_session(cli: &Cli, command: &str, exclusive: bool) -> Result<forward::SessionHandle, CliError> {
    refuse_account_file(cli, command)?;
    if let Some(lent) = forward::borrow() {
        return Ok(lent);
    }
    let session = Session::open(cli.state_dir.as_deref(), command, exclusive)?;
    for name in &session.repaired {
        eprintln!("{}", runtime::session::repaired_notice(name));
    }
    Ok(forward::SessionHandle::owned(session))
}

/// `--account-file` names an account to read; `command` would change the stored one.
pub fn refuse_account_file(cli: &Cli, command: &str) -> Result<(), CliError> {
    match &cli.account_file {
        Some(file) => Err(CliError::Refused(format!(
            "{command} changes the stored account; --account-file {} is read only (load it first with `tasknet account load`)",
            file.display()
        ))),
        None => Ok(()),
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth reporting.
pub fn emit(text: &str) -> Result<(), crate::error::CliError> {
    if forward::capture(text) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(crate::error::CliError::Output(e.to_string())),
        _ => Ok(()),
    }
}

/// Prints the JSON (or SARIF) document for a command's error on stdout,
/// unless the error is that stdout could not be written.
pub fn emit_error_document(error: &crate::error::CliError, doc: Option<Result<String, crate::error::CliError>>) {
    if matches!(error, crate::error::CliError::Output(_)) {
        return;
    }
    if let Some(Ok(text)) = doc {
        // The error itself is what the exit code and stderr report; a failure here adds nothing.
        let _ = emit(&text);
    }
}
