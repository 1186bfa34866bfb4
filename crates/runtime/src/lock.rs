//! OS file locks with a holder record: the account's `account.lock` (a
//! command changing the account) and `up.lock` (the `up` running its data
//! plane). An OS lock is released when its process dies, so a `kill -9`
//! never leaves the account locked; the record (`pid command`, written
//! whole at offset 0) only names the holder in refusals.

use crate::error::Holder;
use std::fs::File;
use std::os::unix::fs::FileExt as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// The size of a lock file's holder record (`pid command`, space padded):
/// always written whole at offset 0, so a reader never finds it truncated.
const HOLDER_LEN: usize = 64;

/// A held lock file. Dropping it blanks the holder record before the lock
/// goes, so refusals never name this process while the next holder has not
/// written its own record yet.
pub struct Held(pub File);

impl Drop for Held {
    fn drop(&mut self) {
        let _ = write_holder(&self.0, "");
    }
}

/// Why a lock was not taken.
#[derive(Debug)]
pub enum Refusal {
    /// Someone held it for the whole wait (named when its record says who).
    Held(Option<Holder>),
    /// The lock itself failed.
    Io(std::io::Error),
}

/// Opens (creating) a lock file for reading and writing.
pub fn open(path: &Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)
}

/// Takes `file`'s exclusive lock, trying every `poll` for up to `wait`.
pub fn take(file: &File, wait: Duration, poll: Duration) -> Result<(), Refusal> {
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < wait => std::thread::sleep(poll),
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = read_holder(file);
                // No record: the holder may have been releasing it just now.
                if holder.is_none() && file.try_lock().is_ok() {
                    return Ok(());
                }
                return Err(Refusal::Held(holder));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Refusal::Io(e)),
        }
    }
}

/// Records who holds a lock file, `text` being `pid what`: one write of the
/// whole record at offset 0 (never truncate-then-write, which a reader could
/// catch empty).
pub fn write_holder(file: &File, text: &str) -> std::io::Result<()> {
    let mut record = [b' '; HOLDER_LEN];
    let mut end = text.len().min(HOLDER_LEN - 1);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    record[..end].copy_from_slice(&text.as_bytes()[..end]);
    record[HOLDER_LEN - 1] = b'\n';
    file.write_all_at(&record, 0)?;
    // Only bytes past the record go: a longer record of an older tasknet.
    file.set_len(HOLDER_LEN as u64)
}

/// Who holds a lock file. A record that does not parse (being written) or
/// names a dead process (the new holder has the lock but not yet written)
/// is read again for a moment.
pub fn read_holder(file: &File) -> Option<Holder> {
    let mut last = None;
    for _ in 0..10 {
        let mut buf = [0u8; HOLDER_LEN];
        let n = file.read_at(&mut buf, 0).unwrap_or(0);
        if let Some(holder) = parse_holder(&buf[..n]) {
            // Asking means not holding: our own pid is a record left from before.
            if holder.pid != std::process::id() && alive(holder.pid) {
                return Some(holder);
            }
            last = Some(holder);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    last
}

/// `pid what` (padding and a final newline ignored).
fn parse_holder(bytes: &[u8]) -> Option<Holder> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let (pid, what) = text.split_once(' ')?;
    let pid = pid.parse().ok()?;
    let what = what.trim();
    (!what.is_empty()).then(|| Holder { pid, command: what.to_string() })
}

/// Whether a process lives: a zombie (killed, not yet reaped) does not.
/// Without /proc, assume it does.
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the command name, which is in parentheses and may hold anything.
        Ok(stat) => !stat.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
        Err(_) => !Path::new("/proc/self").exists(),
    }
}

#[cfg(test)]
mod tests;
