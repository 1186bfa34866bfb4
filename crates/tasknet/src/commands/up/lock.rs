//! One `up` per account: an OS lock on `up.lock` in the account's state
//! folder, holding the pid. The lock dies with its process, so a `kill -9`
//! never leaves `up` locked, and an `up` of another state folder (another
//! account, its own namespace scope) is none of this one's business.

use crate::error::CliError;
use crate::session::{read_holder, write_holder, Held};
use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

/// The lock file's name inside the state folder.
const LOCK_FILE: &str = "up.lock";

/// How long a starting `up` retries a lock that is taken: a `running` probe
/// holds it (shared) for a moment, which must not refuse the start.
const GRACE: Duration = Duration::from_millis(500);

/// The held lock of a running `up`.
pub struct UpLock {
    _held: Held,
}

fn open(dir: &Path) -> Result<File, CliError> {
    let path = dir.join(LOCK_FILE);
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|source| CliError::Read { path, source })
}

/// The refusal when another `up` holds the account.
pub fn already_running(pid: Option<u32>) -> CliError {
    let pid = pid.map_or_else(|| "?".to_string(), |p| p.to_string());
    CliError::Busy(format!(
        "another `tasknet up` (pid {pid}) is already running this account's data plane; stop it with `tasknet down` first"
    ))
}

/// Takes the lock of the account in `dir`, or refuses naming the `up` that holds it.
pub fn acquire(dir: &Path) -> Result<UpLock, CliError> {
    std::fs::create_dir_all(dir).map_err(|source| CliError::Read { path: dir.to_path_buf(), source })?;
    let file = open(dir)?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < GRACE => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = read_holder(&file);
                // No record: the holder may have been releasing it just now.
                if holder.is_none() && file.try_lock().is_ok() {
                    break;
                }
                return Err(already_running(holder.map(|(pid, _)| pid)));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(CliError::Refused(format!("cannot lock {}: {e}", dir.join(LOCK_FILE).display())))
            }
        }
    }
    // The pid is what `down` stops; without it `down` can only sweep.
    if let Err(e) = write_holder(&file, &format!("{} up", std::process::id())) {
        tracing::warn!("cannot record up's pid in {}: {e}", dir.join(LOCK_FILE).display());
    }
    Ok(UpLock { _held: Held(file) })
}

/// The pid of the `up` running the account in `dir`, if one runs (0 when
/// its pid cannot be read). Probes with a shared lock, never creating the file.
pub fn running(dir: &Path) -> Option<u32> {
    let file = File::open(dir.join(LOCK_FILE)).ok()?;
    match file.try_lock_shared() {
        Ok(()) => None,
        Err(_) => Some(read_holder(&file).map_or(0, |(pid, _)| pid)),
    }
}
