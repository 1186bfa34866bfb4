//! `tasknet account show|import|load|reset`: the stored account.

use super::emit;
use crate::cli::{AccountCommand, AccountFormat, Cli};
use crate::error::CliError;
use account::file::AccountFile;
use account::Account;
use runtime::state::{self, Origin};

/// Runs an account subcommand.
pub fn run(cli: &Cli, command: &AccountCommand) -> Result<u8, CliError> {
    let writes = !matches!(command, AccountCommand::Show { .. });
    if writes && cli.account_file.is_some() {
        return Err(CliError::Usage(
            "--account-file is read-only; account import, load and reset write the store".into(),
        ));
    }
    match command {
        AccountCommand::Show { output } => show(cli, *output),
        AccountCommand::Import { folder } => {
            let imported = account::import::import_dir(folder)
                .map_err(|source| CliError::Import { folder: folder.clone(), source })?;
            let code = replace(cli, &imported.account, &format!("the account imported from {}", folder.display()))?;
            let mut report = String::new();
            for (file, keys) in &imported.used {
                report.push_str(&format!("  used {file}: {}\n", keys.join(", ")));
            }
            for file in &imported.skipped {
                report.push_str(&format!("  skipped {file}: no describe-* output in it\n"));
            }
            emit(&report)?;
            Ok(code)
        }
        AccountCommand::Load { file } => {
            let account = state::load_account_file(file)?;
            replace(cli, &account, &format!("the account file {}", file.display()))
        }
        AccountCommand::Reset => replace(cli, &Account::new_default(), "the default account"),
    }
}

fn show(cli: &Cli, format: AccountFormat) -> Result<u8, CliError> {
    let (account, origin) = state::account_for_reading(cli.state_dir.as_deref(), cli.account_file.as_deref())?;
    let text = match format {
        AccountFormat::Yaml => {
            let yaml = account::file::to_yaml(&account).map_err(|e| CliError::Output(e.to_string()))?;
            // A comment, so the printed file still loads as it is.
            format!("# {}\n{yaml}", describe_origin(&origin))
        }
        AccountFormat::Json => crate::output::to_json(&AccountFile::from_account(&account))?,
    };
    emit(&text)?;
    Ok(0)
}

fn describe_origin(origin: &Origin) -> String {
    match origin {
        Origin::File(path) => format!("tasknet account from the account file {}", path.display()),
        Origin::Store(_) => "tasknet account from the store".into(),
        Origin::Default => "tasknet default account (nothing stored yet)".into(),
    }
}

/// Saves `account` over whatever the store held, and says so.
fn replace(cli: &Cli, account: &Account, what: &str) -> Result<u8, CliError> {
    let dir = state::state_dir(cli.state_dir.as_deref())?;
    let path = state::store_path(&dir);
    let had = state::account_for_reading(Some(&dir), None)?.1 != state::Origin::Default;
    // Under the lock (or the running server's session): a server or `up` holds the account in memory.
    let mut session = super::open_session(cli, "account load", false)?;
    session.account = account.clone();
    session.save()?;
    let verb = if had { "replaced the stored account with" } else { "stored" };
    emit(&format!(
        "{verb} {what}: account {}, region {}, {} VPCs, {} subnets, {} security groups ({})\n",
        account.account_id,
        account.region,
        account.vpcs.len(),
        account.subnets.len(),
        account.security_groups.len(),
        path.display()
    ))?;
    Ok(0)
}
