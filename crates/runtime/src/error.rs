//! Why the application layer could not do what it was asked. The texts are
//! the ones users (and tests) read; front doors map the variants to their
//! own codes (the CLI: 3 for busy, 2 for everything else).

use std::path::PathBuf;

/// Who holds a lock: its pid and the command it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    /// The holder's process ID.
    pub pid: u32,
    /// What it runs (`deploy`, `up`, …).
    pub command: String,
}

/// Why an operation of the application layer failed.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// A file or folder could not be read or created.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An account file could not be read.
    #[error("{}: {source}", file.display())]
    AccountFile {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        source: account::file::FileError,
    },
    /// The account store could not be used.
    #[error("{source} (store: {})", path.display())]
    Store {
        /// The store's file.
        path: PathBuf,
        /// What went wrong.
        source: account::StoreError,
    },
    /// No state folder could be found for the store.
    #[error("cannot find a state folder for the account store (no home directory)")]
    NoStateDir,
    /// Another command holds the account past the wait: the same command may succeed later.
    #[error("cannot {command}: {} is changing this account right now; wait for it to finish and run {command} again", holder_text(holder.as_ref()))]
    Busy {
        /// The command that was refused.
        command: String,
        /// Who holds the account (none: a program that is not tasknet, or one releasing it).
        holder: Option<Holder>,
    },
    /// Another `up` runs this account's data plane.
    #[error("another `tasknet up` (pid {}) is already running this account's data plane; stop it with `tasknet down` first", pid.map_or_else(|| "?".to_string(), |p| p.to_string()))]
    UpRunning {
        /// Its pid, when it could be read.
        pid: Option<u32>,
    },
    /// The request cannot be done as asked (AWS's refusal, a missing tool, a lock that cannot be taken).
    #[error("{0}")]
    Refused(String),
    /// An input of the request is malformed (a runtime file).
    #[error("{0}")]
    BadInput(String),
    /// The machine failed us (threads, processes, the executable's path).
    #[error("{0}")]
    System(String),
}

impl RuntimeError {
    /// Whether the same request may succeed later (another command or `up` holds the account).
    pub fn is_busy(&self) -> bool {
        matches!(self, RuntimeError::Busy { .. } | RuntimeError::UpRunning { .. })
    }
}

/// How a refusal names the lock's holder.
fn holder_text(holder: Option<&Holder>) -> String {
    match holder {
        Some(h) => format!("`tasknet {}` (pid {})", h.command, h.pid),
        // Without a record the holder is not a tasknet command (a tool holding the file).
        None => format!("another process (holding {})", crate::session::LOCK_FILE),
    }
}
