//! One `up` per scope: an OS lock on a file in the temp dir, holding the pid.
//! The lock dies with its process, so a `kill -9` never leaves `up` locked.

use crate::error::CliError;
use dataplane::Scope;
use std::fs::File;
use std::io::{Read, Seek, Write};

/// The held lock of a running `up`.
pub struct UpLock {
    _file: File,
}

fn open(scope: &Scope) -> Result<File, CliError> {
    let path = scope.lock_path();
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|source| CliError::Read { path, source })
}

/// Takes the lock, or refuses naming the `up` that holds it.
pub fn acquire(scope: &Scope) -> Result<UpLock, CliError> {
    let mut file = open(scope)?;
    match file.try_lock() {
        Ok(()) => {
            let _ = file.set_len(0).and_then(|()| file.rewind()).and_then(|()| write!(file, "{}", std::process::id()));
            Ok(UpLock { _file: file })
        }
        Err(_) => {
            let pid = holder(&mut file).map_or_else(|| "?".to_string(), |p| p.to_string());
            Err(CliError::Refused(format!("another `tasknet up` (pid {pid}) is already running this account's data plane; stop it with `tasknet down` first")))
        }
    }
}

/// The pid of the running `up`, if one runs.
pub fn running(scope: &Scope) -> Option<u32> {
    let mut file = open(scope).ok()?;
    match file.try_lock() {
        Ok(()) => None,
        Err(_) => Some(holder(&mut file).unwrap_or(0)),
    }
}

fn holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}
