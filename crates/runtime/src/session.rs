//! A unit of work that changes the account: it holds the store's lock,
//! repairs what a killed predecessor left, and saves as it goes.
//!
//! Why a lock file and not only SQLite's locking: the account is read,
//! changed for a while (a deploy runs many steps) and written back; SQLite
//! alone would let a second writer interleave and lose the first one's work.
//! An OS file lock is released when its process dies, so a killed `deploy`
//! never leaves the account locked.

use crate::error::RuntimeError;
use crate::lock::{self, Held, Refusal};
use crate::{clock, state};
use account::{Account, Store};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file's name inside the state folder.
pub const LOCK_FILE: &str = "account.lock";

/// How long a command waits for another one's lock before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(60);

/// How long a command that refuses to queue (a second deploy) still waits:
/// `up`'s ticks and readers hold the lock for milliseconds, which is no reason to refuse.
pub const GRACE: Duration = Duration::from_secs(1);

/// How often a long operation saves its progress (wall time).
const SAVE_EVERY: Duration = Duration::from_millis(100);

/// How often a command waiting for the lock tries it again.
const POLL: Duration = Duration::from_millis(50);

/// A hook told when a session lets go of its lock mid-operation.
pub type Lending = std::sync::Arc<dyn Fn(bool) + Send + Sync>;

/// An open, locked account.
pub struct Session {
    /// The account being changed.
    pub account: Account,
    /// Stacks a dead process left in progress, rolled back on opening (their names).
    pub repaired: Vec<String>,
    /// The runtime file of the front door that opened it (`serve --runtime`):
    /// one-off containers' exit codes and run times ([`crate::oneoff`]).
    pub runtime: Option<std::sync::Arc<workload::RuntimeFile>>,
    store: Store,
    path: PathBuf,
    dir: PathBuf,
    command: String,
    /// The account's lock; `None` only while a real-time wait lets others in.
    lock: Option<Held>,
    last_save: Instant,
    /// Who runs Lambda functions for this session's custom resources (`None`: they are not run).
    functions: Option<std::sync::Arc<dyn crate::custom::FunctionHost>>,
    /// Told `true` when the lock is let go mid-operation and `false` when taken back.
    lending: Option<Lending>,
}

/// What a front door tells the user about a stack [`Session::open`] repaired.
pub fn repaired_notice(name: &str) -> String {
    format!("tasknet: stack {name} was left in progress by a process that stopped; it has been rolled back (see `tasknet describe stack-events --stack-name {name}`)")
}

impl Session {
    /// Opens the stored account of the state folder `state_dir` (the default
    /// one when `None`) for `command`, waiting for another command's lock
    /// unless `exclusive` (a second deploy is refused, not queued).
    pub fn open(state_dir: Option<&Path>, command: &str, exclusive: bool) -> Result<Session, RuntimeError> {
        Session::open_waiting(state_dir, command, if exclusive { GRACE } else { LOCK_WAIT })
    }

    /// Opens the stored account for `command`, waiting at most `wait` for
    /// another command's lock ([`RuntimeError::Busy`] after that).
    pub fn open_waiting(state_dir: Option<&Path>, command: &str, wait: Duration) -> Result<Session, RuntimeError> {
        let dir = state::state_dir(state_dir)?;
        std::fs::create_dir_all(&dir).map_err(|source| RuntimeError::Read { path: dir.clone(), source })?;
        let lock = match take_lock(&dir, command, wait) {
            // `up` holds the account for one tick at a time (milliseconds, every
            // 250 ms), never for an operation: a command that refuses to queue behind
            // another command's operation still waits for ticks, however unlucky its
            // polls (they used to miss the gaps for the whole grace about once in 60 deploys).
            Err(RuntimeError::Busy { holder: Some(h), .. })
                if h.command == "up" && command != "up" && wait < LOCK_WAIT =>
            {
                take_lock(&dir, command, LOCK_WAIT)?
            }
            other => other?,
        };
        let (store, path) = state::open_store(&dir)?;
        let mut session = Session {
            account: Account::new_default(),
            repaired: Vec::new(),
            runtime: None,
            store,
            path,
            dir,
            command: command.to_string(),
            lock: Some(lock),
            last_save: Instant::now(),
            functions: None,
            lending: None,
        };
        match session
            .store
            .load_account()
            .map_err(|source| RuntimeError::Store { path: session.path.clone(), source })?
        {
            Some(a) => session.account = a,
            // A new store: its clock starts now, so events carry today's date.
            None => session.account.clock_ms = clock::wall_clock_ms(),
        }
        let mut account = std::mem::take(&mut session.account);
        session.repaired = crate::cloudformation::repair(&mut session, &mut account);
        session.account = account;
        // Time passed since the last command: the control plane catches up.
        clock::catch_up(&mut session.account);
        if !session.repaired.is_empty() {
            session.save()?;
        }
        Ok(session)
    }

    /// The state folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// After an action (RunTask, StopTask, UpdateService): lets its change
    /// play out as the clock policy allows ([`clock::play_out`]).
    pub fn play_out(&mut self) {
        crate::oneoff::plan(&mut self.account, self.runtime.as_deref(), false);
        clock::play_out(&self.dir, &mut self.account);
    }

    /// After an API call: its change plays out until the account is
    /// [`clock::settled`] (or the play-out window ends), in simulated time; in
    /// real time only what is due now.
    pub fn play_out_call(&mut self) {
        crate::oneoff::plan(&mut self.account, self.runtime.as_deref(), false);
        clock::play_out_until(&self.dir, &mut self.account, clock::settled);
    }

    /// Writes the account to the store.
    pub fn save(&mut self) -> Result<(), RuntimeError> {
        self.last_save = Instant::now();
        self.store.save_account(&self.account).map_err(|source| RuntimeError::Store { path: self.path.clone(), source })
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

    /// Lets other commands and `up`'s ticks change the account for `pause`:
    /// saves `a`, lets go of the lock, sleeps, takes the lock back and reads
    /// the account again into `a`. When `a` cannot be saved the lock is kept
    /// (letting go would lose it), and only the pause passes.
    pub(crate) fn let_others_in(&mut self, a: &mut Account, pause: Duration) {
        self.release_while(a, |_| std::thread::sleep(pause));
    }

    /// Runs `f` with the account let go: saves `a`, lets go of the lock (and
    /// tells the lending hook), runs `f`, takes the lock back and reads the
    /// account again into `a`. When `a` cannot be saved the lock is kept
    /// (letting go would lose it) and `f` runs anyway.
    pub(crate) fn release_while<T>(&mut self, a: &mut Account, f: impl FnOnce(&Store) -> T) -> T {
        if let Err(e) = self.store.save_account(a) {
            tracing::warn!("cannot save before letting others change the account; keeping it: {e}");
            return f(&self.store);
        }
        self.lock = None;
        if let Some(hook) = &self.lending {
            hook(true);
        }
        let out = f(&self.store);
        self.lock = Some(self.take_lock_again());
        if let Some(hook) = &self.lending {
            hook(false);
        }
        match self.store.load_account() {
            Ok(Some(again)) => *a = again,
            // Nobody removes the store under a live operation; if it happens, carry on with what we have.
            Ok(None) => {
                tracing::warn!("the store {} is empty; going on with the account in memory", self.path.display())
            }
            Err(e) => tracing::warn!("cannot read the account again; going on with the one in memory: {e}"),
        }
        self.last_save = Instant::now();
        out
    }

    /// Lets custom resources of this session's stack operations run their functions through `host`.
    pub fn set_functions(&mut self, host: std::sync::Arc<dyn crate::custom::FunctionHost>) {
        self.functions = Some(host);
    }

    /// Who runs functions for this session, if anyone.
    pub fn functions(&self) -> Option<std::sync::Arc<dyn crate::custom::FunctionHost>> {
        self.functions.clone()
    }

    /// Tells `hook` whenever an operation lets go of the lock (`true`) and takes it back (`false`):
    /// a server that lent this session to a job lets its own requests in meanwhile.
    pub fn set_lending(&mut self, hook: Option<Lending>) {
        self.lending = hook;
    }

    /// Takes the lock back after [`Session::let_others_in`], however long
    /// that takes: this process is in the middle of an operation and must
    /// finish it, whoever holds the account meanwhile.
    fn take_lock_again(&self) -> Held {
        loop {
            match take_lock(&self.dir, &self.command, LOCK_WAIT) {
                Ok(held) => return held,
                Err(e) => {
                    tracing::warn!("{e}; still waiting, to finish {}", self.command);
                    std::thread::sleep(POLL);
                }
            }
        }
    }
}

/// Takes the account lock of the state folder `dir` for `command`, waiting up to `wait`.
fn take_lock(dir: &Path, command: &str, wait: Duration) -> Result<Held, RuntimeError> {
    let lock_path = dir.join(LOCK_FILE);
    let file = lock::open(&lock_path).map_err(|source| RuntimeError::Read { path: lock_path.clone(), source })?;
    match lock::take(&file, wait, POLL) {
        Ok(()) => {}
        Err(Refusal::Held(holder)) => return Err(RuntimeError::Busy { command: command.to_string(), holder }),
        Err(Refusal::Io(e)) => return Err(RuntimeError::Refused(format!("cannot lock the account store: {e}"))),
    }
    // Who holds it, for the next command's message; without it that message only lacks the name.
    if let Err(e) = lock::write_holder(&file, &format!("{} {command}", std::process::id())) {
        tracing::debug!("cannot record the lock's holder in {}: {e}", lock_path.display());
    }
    Ok(Held(file))
}

/// A shared hold on the store's lock: while it is held no command changes
/// the account, so a stack it shows in progress was left by a dead process
/// or by one waiting in real time (which `repair_stopped` tells apart).
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
