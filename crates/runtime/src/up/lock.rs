//! One `up` per account: an OS lock on `up.lock` in the account's state
//! folder, holding the pid. The lock dies with its process, so a `kill -9`
//! never leaves `up` locked, and an `up` of another state folder (another
//! account, its own namespace scope) is none of this one's business.

use crate::error::RuntimeError;
use crate::lock::{self, Held, Refusal};
use std::fs::File;
use std::path::Path;
use std::time::Duration;

/// The lock file's name inside the state folder.
const LOCK_FILE: &str = "up.lock";

/// How long a starting `up` retries a lock that is taken: a `running` probe
/// holds it (shared) for a moment, which must not refuse the start.
const GRACE: Duration = Duration::from_millis(500);

/// The held lock of a running `up`.
pub struct UpLock {
    _held: Held,
}

/// Takes the lock of the account in `dir`, or refuses naming the `up` that holds it.
pub fn acquire(dir: &Path) -> Result<UpLock, RuntimeError> {
    std::fs::create_dir_all(dir).map_err(|source| RuntimeError::Read { path: dir.to_path_buf(), source })?;
    let path = dir.join(LOCK_FILE);
    let file = lock::open(&path).map_err(|source| RuntimeError::Read { path: path.clone(), source })?;
    match lock::take(&file, GRACE, Duration::from_millis(20)) {
        Ok(()) => {}
        Err(Refusal::Held(holder)) => return Err(RuntimeError::UpRunning { pid: holder.map(|h| h.pid) }),
        Err(Refusal::Io(e)) => return Err(RuntimeError::Refused(format!("cannot lock {}: {e}", path.display()))),
    }
    // The pid is what `down` stops; without it `down` can only sweep.
    if let Err(e) = lock::write_holder(&file, &format!("{} up", std::process::id())) {
        tracing::warn!("cannot record up's pid in {}: {e}", path.display());
    }
    Ok(UpLock { _held: Held(file) })
}

/// The pid of the `up` running the account in `dir`, if one runs (0 when
/// its pid cannot be read). Probes with a shared lock, never creating the file.
pub fn running(dir: &Path) -> Option<u32> {
    let file = File::open(dir.join(LOCK_FILE)).ok()?;
    match file.try_lock_shared() {
        Ok(()) => None,
        Err(_) => Some(lock::read_holder(&file).map_or(0, |h| h.pid)),
    }
}

/// Whether an `up` runs the account in `dir` (without reading who: the
/// clock policy asks this often).
pub fn is_running(dir: &Path) -> bool {
    File::open(dir.join(LOCK_FILE)).is_ok_and(|file| file.try_lock_shared().is_err())
}
