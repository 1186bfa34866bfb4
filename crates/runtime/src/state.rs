//! Where the account comes from: `--account-file`, else the store in the
//! state folder, else the built-in default account.

use crate::error::RuntimeError;
use crate::session;
use account::{Account, Store};
use std::path::{Path, PathBuf};

/// The store's file name inside the state folder.
const STORE_FILE: &str = "account.db";

/// Where the account in use came from, for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `--account-file`.
    File(PathBuf),
    /// The store.
    Store(PathBuf),
    /// Nothing stored: the built-in default account.
    Default,
}

/// The state folder: `--state-dir`/`TASKNET_STATE_DIR`, else the user's state dir.
pub fn state_dir(explicit: Option<&Path>) -> Result<PathBuf, RuntimeError> {
    if let Some(dir) = explicit {
        return Ok(dir.to_path_buf());
    }
    let dirs = directories::ProjectDirs::from("", "", "tasknet").ok_or(RuntimeError::NoStateDir)?;
    // Only Linux has a state dir (XDG_STATE_HOME); elsewhere the local data dir is its equivalent.
    Ok(dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir()).to_path_buf())
}

/// The data plane's namespace scope for a state folder: `tn-` for the
/// user's default one, `tn-d<hash>-` for any other, so the `up`s of two
/// accounts on one machine never share (nor sweep) each other's namespaces.
pub fn scope(dir: &Path) -> dataplane::Scope {
    let real = canonical(dir);
    match state_dir(None) {
        Ok(default) if canonical(&default) == real => dataplane::Scope::production(),
        _ => dataplane::Scope::state_dir(&real),
    }
}

/// The folder's canonical path; for one that does not exist (yet), its absolute path.
fn canonical(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).or_else(|_| std::path::absolute(dir)).unwrap_or_else(|_| dir.to_path_buf())
}

/// The store's path for a state folder.
pub fn store_path(dir: &Path) -> PathBuf {
    dir.join(STORE_FILE)
}

/// Reads an account file.
pub fn load_account_file(path: &Path) -> Result<Account, RuntimeError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| RuntimeError::Read { path: path.to_path_buf(), source })?;
    account::file::load(&text).map_err(|source| RuntimeError::AccountFile { file: path.to_path_buf(), source })
}

/// Opens (creating) the store for writing.
pub fn open_store(dir: &Path) -> Result<(Store, PathBuf), RuntimeError> {
    let path = store_path(dir);
    let store = Store::open(&path).map_err(|source| RuntimeError::Store { path: path.clone(), source })?;
    Ok((store, path))
}

/// The account to check templates against. Never writes: a missing store
/// is not created, and without any state folder the default account is used.
pub fn account_for_reading(
    state_dir_flag: Option<&Path>,
    account_file: Option<&Path>,
) -> Result<(Account, Origin), RuntimeError> {
    if let Some(file) = account_file {
        return Ok((load_account_file(file)?, Origin::File(file.to_path_buf())));
    }
    let dir = match state_dir(state_dir_flag) {
        Ok(dir) => dir,
        Err(RuntimeError::NoStateDir) => return Ok((Account::new_default(), Origin::Default)),
        Err(e) => return Err(e),
    };
    let path = store_path(&dir);
    if !path.is_file() {
        return Ok((Account::new_default(), Origin::Default));
    }
    let load = || -> Result<Option<Account>, RuntimeError> {
        let mut store = Store::open(&path).map_err(|source| RuntimeError::Store { path: path.clone(), source })?;
        store.load_account().map_err(|source| RuntimeError::Store { path: path.clone(), source })
    };
    let Some(mut account) = load()? else { return Ok((Account::new_default(), Origin::Default)) };
    if account.stacks.values().any(account::Stack::in_progress) {
        // A stack in progress with no command holding the lock and no live
        // process running it (one waiting in real time lets go of the lock)
        // was left by a dead one: show it as the next changing command will leave it. Read
        // again under the shared lock, so a writer that finished meanwhile is
        // seen finished rather than repaired. The store is not written.
        if let Some(_no_writer) = session::no_writer(&dir) {
            if let Some(again) = load()? {
                account = again;
            }
            stacks::engine::repair_stopped(&mut account, &mut stacks::engine::events::Quiet, &crate::lock::alive);
        }
    }
    Ok((account, Origin::Store(path)))
}
