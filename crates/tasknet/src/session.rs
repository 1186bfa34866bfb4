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
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The lock file's name inside the state folder.
const LOCK_FILE: &str = "account.lock";

/// How long a command waits for another one's lock before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(60);

/// How long a command that refuses to queue (a second deploy) still waits:
/// `up`'s ticks and readers hold the lock for milliseconds, which is no reason to refuse.
pub const GRACE: Duration = Duration::from_secs(1);

/// How often a long operation saves its progress (wall time).
const SAVE_EVERY: Duration = Duration::from_millis(100);

/// The size of a lock file's holder record (`pid command`, space padded):
/// always written whole at offset 0, so a reader never finds it truncated.
const HOLDER_LEN: usize = 64;

/// An open, locked account.
pub struct Session {
    /// The account being changed.
    pub account: Account,
    store: Store,
    path: PathBuf,
    _lock: Held,
    last_save: Instant,
}

/// A held lock file. Dropping it blanks the holder record before the lock
/// goes, so refusals never name this process while the next holder has not
/// written its own record yet.
pub struct Held(pub File);

impl Drop for Held {
    fn drop(&mut self) {
        let _ = write_holder(&self.0, "");
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn wall_clock_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

impl Session {
    /// Opens the stored account for `command`, waiting for another command's
    /// lock unless `exclusive` (a second deploy is refused, not queued).
    pub fn open(cli: &Cli, command: &str, exclusive: bool) -> Result<Session, CliError> {
        Session::open_waiting(cli, command, if exclusive { GRACE } else { LOCK_WAIT })
    }

    /// Opens the stored account for `command`, waiting at most `wait` for
    /// another command's lock ([`CliError::Busy`] after that).
    pub fn open_waiting(cli: &Cli, command: &str, wait: Duration) -> Result<Session, CliError> {
        if let Some(file) = &cli.account_file {
            return Err(CliError::Refused(format!(
                "{command} changes the stored account; --account-file {} is read only (load it first with `tasknet account load`)",
                file.display()
            )));
        }
        let dir = state::state_dir(cli.state_dir.as_deref())?;
        std::fs::create_dir_all(&dir).map_err(|source| CliError::Read { path: dir.clone(), source })?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|source| CliError::Read { path: lock_path.clone(), source })?;
        acquire(&lock, command, wait)?;
        // Who holds it, for the next command's message; without it that message only lacks the name.
        if let Err(e) = write_holder(&lock, &format!("{} {command}", std::process::id())) {
            tracing::debug!("cannot record the lock's holder in {}: {e}", lock_path.display());
        }
        let (store, path) = state::open_store(&dir)?;
        let mut session =
            Session { account: Account::new_default(), store, path, _lock: Held(lock), last_save: Instant::now() };
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
            let started = Instant::now();
            // A failed progress save is not fatal: the final save reports it.
            if let Err(e) = self.store.save_account(account) {
                tracing::warn!("progress save failed (the final save reports it): {e}");
            }
            // Counted from the end of the save, plus four times its cost: a save costs more
            // as the stack grows, and progress saves must stay a small part of the run.
            self.last_save = Instant::now() + started.elapsed() * 4;
        }
    }
}

/// Takes the lock, waiting up to `wait`.
fn acquire(lock: &File, command: &str, wait: Duration) -> Result<(), CliError> {
    let started = Instant::now();
    loop {
        match lock.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => {
                if started.elapsed() >= wait {
                    let holder = read_holder(lock);
                    // No record: the holder may have been releasing it just now.
                    if holder.is_none() && lock.try_lock().is_ok() {
                        return Ok(());
                    }
                    // Without a record the holder is not a tasknet command (a tool holding the file).
                    let who = match holder {
                        Some((pid, what)) => format!("`tasknet {what}` (pid {pid})"),
                        None => format!("another process (holding {})", LOCK_FILE),
                    };
                    return Err(CliError::Busy(format!(
                        "cannot {command}: {who} is changing this account right now; wait for it to finish and run {command} again"
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

/// A shared hold on the store's lock: while it is held no command changes
/// the account, so a stack it shows in progress was left by a dead process.
pub struct NoWriter {
    _lock: Option<File>,
}

/// The shared hold, if no command holds the lock now (never waits, never
/// creates the lock file: a store nothing ever locked has no live writer).
pub fn no_writer(dir: &Path) -> Option<NoWriter> {
    let file = match File::open(dir.join(LOCK_FILE)) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(NoWriter { _lock: None }),
        Err(_) => return None,
    };
    file.try_lock_shared().ok()?;
    Some(NoWriter { _lock: Some(file) })
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

/// Who holds a lock file: its holder's pid and what it runs. A record that
/// does not parse (being written) or names a dead process (the new holder
/// has the lock but not yet written) is read again for a moment.
pub fn read_holder(file: &File) -> Option<(u32, String)> {
    let mut last = None;
    for _ in 0..10 {
        let mut buf = [0u8; HOLDER_LEN];
        let n = file.read_at(&mut buf, 0).unwrap_or(0);
        if let Some((pid, what)) = parse_holder(&buf[..n]) {
            // Asking means not holding: our own pid is a record left from before.
            if pid != std::process::id() && alive(pid) {
                return Some((pid, what));
            }
            last = Some((pid, what));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    last
}

/// `pid what` (padding and a final newline ignored).
fn parse_holder(bytes: &[u8]) -> Option<(u32, String)> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let (pid, what) = text.split_once(' ')?;
    let pid = pid.parse().ok()?;
    let what = what.trim();
    (!what.is_empty()).then(|| (pid, what.to_string()))
}

/// Whether a process lives (without /proc, assume it does).
fn alive(pid: u32) -> bool {
    !Path::new("/proc/self").exists() || Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holder_records_parse_and_tolerate_padding() {
        assert_eq!(parse_holder(b"12 deploy"), Some((12, "deploy".to_string())));
        assert_eq!(parse_holder(b"12 up             \n"), Some((12, "up".to_string())));
        assert_eq!(parse_holder(b""), None);
        assert_eq!(parse_holder(b"12"), None);
        assert_eq!(parse_holder(b"x deploy"), None);
    }

    /// A reader racing a writer that records holders over and over never
    /// reads a missing or broken record (truncate-then-write failed this).
    #[test]
    fn a_reader_never_sees_a_half_written_holder() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join(LOCK_FILE);
        let open = || {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let me = std::process::id();
        let writer_file = open();
        write_holder(&writer_file, &format!("{me} deploy")).unwrap_or_else(|e| panic!("{e}"));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut i = 0u32;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) && i < 2_000_000 {
                    let what = if i.is_multiple_of(2) { "deploy" } else { "update-service" };
                    let _ = write_holder(&writer_file, &format!("{me} {what}"));
                    i += 1;
                }
            })
        };
        let reader_file = open();
        let mut broken = 0;
        for _ in 0..20_000 {
            let mut buf = [0u8; HOLDER_LEN];
            let n = reader_file.read_at(&mut buf, 0).unwrap_or(0);
            if parse_holder(&buf[..n]).is_none_or(|(pid, _)| pid != me) {
                broken += 1;
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = writer.join();
        assert_eq!(broken, 0, "reads that found no holder");
    }
}
