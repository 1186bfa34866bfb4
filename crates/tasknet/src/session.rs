//! A command that changes the account: it holds the store's lock for its
//! whole run, repairs what a killed predecessor left, and saves as it goes.
//!
//! Why a lock file and not only SQLite's locking: the account is read,
//! changed for a while (a deploy runs many steps) and written back; SQLite
//! alone would let a second writer interleave and lose the first one's work.
//! An OS file lock is released when its process dies, so a killed `deploy`
//! never leaves the account locked.

use crate::cli::Cli;
use crate::error::CliError;
use crate::state;
use account::{Account, Store};
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The lock file's name inside the state folder.
const LOCK_FILE: &str = "account.lock";

/// How long a command waits for another one's lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(60);

/// How often a long operation saves its progress (wall time).
const SAVE_EVERY: Duration = Duration::from_millis(100);

/// An open, locked account.
pub struct Session {
    /// The account being changed.
    pub account: Account,
    store: Store,
    path: PathBuf,
    _lock: File,
    last_save: Instant,
}

/// Milliseconds since the Unix epoch, now.
pub fn wall_clock_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

impl Session {
    /// Opens the stored account for `command`, waiting for another command's
    /// lock unless `exclusive` (a second deploy is refused, not queued).
    pub fn open(cli: &Cli, command: &str, exclusive: bool) -> Result<Session, CliError> {
        if let Some(file) = &cli.account_file {
            return Err(CliError::Refused(format!(
                "{command} changes the stored account; --account-file {} is read only (load it first with `tasknet account load`)",
                file.display()
            )));
        }
        let dir = state::state_dir(cli.state_dir.as_deref())?;
        std::fs::create_dir_all(&dir).map_err(|source| CliError::Read { path: dir.clone(), source })?;
        let lock_path = dir.join(LOCK_FILE);
        let mut lock = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|source| CliError::Read { path: lock_path.clone(), source })?;
        acquire(&mut lock, command, exclusive)?;
        // Who holds it, for the next command's message.
        let _ = lock
            .set_len(0)
            .and_then(|()| lock.rewind())
            .and_then(|()| write!(lock, "{} {command}", std::process::id()));
        let (store, path) = state::open_store(&dir)?;
        let mut session =
            Session { account: Account::new_default(), store, path, _lock: lock, last_save: Instant::now() };
        match session.store.load_account().map_err(|source| CliError::Store { path: session.path.clone(), source })? {
            Some(a) => session.account = a,
            // A new store: its clock starts now, so events carry today's date.
            None => session.account.clock_ms = wall_clock_ms(),
        }
        let repaired = stacks::engine::repair(&mut session.account, &mut stacks::engine::events::Quiet);
        for name in &repaired {
            eprintln!("tasknet: stack {name} was left in progress by a process that stopped; it has been rolled back (see `tasknet describe stack-events --stack-name {name}`)");
        }
        // Time passed since the last command: the control plane catches up.
        let wall = wall_clock_ms();
        let behind = wall.saturating_sub(session.account.clock_ms);
        if behind > 0 {
            control::advance_by(&mut session.account, behind);
        }
        if !repaired.is_empty() {
            session.save()?;
        }
        Ok(session)
    }

    /// Writes the account to the store.
    pub fn save(&mut self) -> Result<(), CliError> {
        self.last_save = Instant::now();
        self.store.save_account(&self.account).map_err(|source| CliError::Store { path: self.path.clone(), source })
    }

    /// Saves `account` if the last save was long enough ago (progress of a long operation).
    pub fn checkpoint(&mut self, account: &Account) {
        if self.last_save.elapsed() >= SAVE_EVERY {
            self.last_save = Instant::now();
            // A failed progress save is not fatal: the final save reports it.
            let _ = self.store.save_account(account);
        }
    }
}

/// Takes the lock, waiting up to [`LOCK_WAIT`] unless `exclusive`.
fn acquire(lock: &mut File, command: &str, exclusive: bool) -> Result<(), CliError> {
    let started = Instant::now();
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = lock.rewind().and_then(|()| lock.read_to_string(&mut holder));
                let (pid, what) = holder.split_once(' ').unwrap_or(("?", "another command"));
                if exclusive || started.elapsed() >= LOCK_WAIT {
                    return Err(CliError::Refused(format!(
                        "cannot {command}: `tasknet {what}` (pid {pid}) is changing this account right now; wait for it to finish and run {command} again"
                    )));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(CliError::Refused(format!("cannot lock the account store: {e}")))
            }
        }
    }
}
