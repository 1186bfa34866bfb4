//! The held session lent out. Alone, the server holds the account in one
//! session; a background job (ExecuteChangeSet) or a forwarded command
//! takes it out of its mutex for its run. Such an operation may let the
//! account go mid-way (its custom resources' functions run and call back
//! here, and their responses arrive here): then requests open the store as
//! any other process would, instead of waiting for the session to come back.

use super::{State, SHARED_WAIT};
use crate::error::WireError;
use runtime::Session;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a request waits between looks while the session is out.
const LOOK: Duration = Duration::from_millis(20);

/// How long a request tries the store's lock before looking at the session again.
const TRY_LOCK: Duration = Duration::from_millis(50);

#[derive(Default)]
struct Flags {
    /// The session is out of its mutex.
    out: bool,
    /// Its holder has let the account go (the store's lock is free).
    released: bool,
    /// The state folder.
    dir: Option<PathBuf>,
}

/// Where the held session is.
#[derive(Clone, Default)]
pub(super) struct Lent(Arc<(Mutex<Flags>, Condvar)>);

impl Lent {
    fn flags(&self) -> MutexGuard<'_, Flags> {
        self.0 .0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn changed(&self) {
        self.0 .1.notify_all();
    }

    pub(super) fn set_dir(&self, dir: PathBuf) {
        self.flags().dir = Some(dir);
    }

    /// The state folder (known without the session).
    pub(super) fn dir(&self) -> Option<PathBuf> {
        self.flags().dir.clone()
    }

    fn set(&self, out: bool, released: bool) {
        let mut f = self.flags();
        f.out = out;
        f.released = released;
        drop(f);
        self.changed();
    }

    /// Waits for a change (or `LOOK`); whether the account is let go now.
    fn wait(&self) -> (bool, Option<PathBuf>) {
        let f = self.flags();
        let (f, _) = self.0 .1.wait_timeout(f, LOOK).unwrap_or_else(|p| p.into_inner());
        (f.out && f.released, f.dir.clone())
    }
}

/// A request's way to the account.
pub(super) enum Turn<'a> {
    /// The held session, in its mutex.
    Held(MutexGuard<'a, Option<Session>>),
    /// A session of its own on the store, opened while the lender let the account go.
    Session(Box<Session>),
    /// For a read while the lender let the account go: the store as it left it.
    Store(PathBuf),
}

impl State {
    /// Lends the held session to `f` outside its mutex, so requests can come
    /// in whenever `f`'s operation lets the account go; `started` runs once
    /// it has the session. `None`: it never came back (a panic lost it).
    pub(super) fn lend<T>(
        &self,
        m: &Mutex<Option<Session>>,
        started: impl FnOnce(),
        f: impl FnOnce(Session) -> (Session, T),
    ) -> Option<T> {
        let mut session = loop {
            let mut guard = m.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(s) = guard.take() {
                self.lent.set(true, false);
                break s;
            }
            drop(guard);
            // Another lender has it: wait for it to come back.
            let _ = self.lent.wait();
        };
        started();
        let lent = self.lent.clone();
        session.set_lending(Some(Arc::new(move |released| lent.set(true, released))));
        let (mut session, out) = f(session);
        session.set_lending(None);
        *m.lock().unwrap_or_else(|p| p.into_inner()) = Some(session);
        self.lent.set(false, false);
        Some(out)
    }

    /// Waits for the held session, or for its lender to let the account go.
    pub(super) fn held<'a>(&self, m: &'a Mutex<Option<Session>>, write: bool) -> Result<Turn<'a>, WireError> {
        let deadline = Instant::now() + SHARED_WAIT;
        loop {
            let guard = m.lock().unwrap_or_else(|p| p.into_inner());
            if guard.is_some() {
                return Ok(Turn::Held(guard));
            }
            drop(guard);
            let (released, dir) = self.lent.wait();
            if let (true, Some(dir)) = (released, dir) {
                if !write {
                    return Ok(Turn::Store(dir));
                }
                match Session::open_waiting(Some(&dir), "serve", TRY_LOCK) {
                    Ok(mut s) => {
                        self.equip(&mut s);
                        return Ok(Turn::Session(Box::new(s)));
                    }
                    // The lender took it back meanwhile: look again.
                    Err(e) if e.is_busy() => {}
                    Err(e) => return Err(super::not_opened(&e)),
                }
            }
            if Instant::now() >= deadline {
                return Err(super::unavailable());
            }
        }
    }

    /// Gives a session what the server lends every session: its function host and runtime file.
    pub(super) fn equip(&self, s: &mut Session) {
        if s.runtime.is_none() {
            s.runtime = self.runtime_file.clone();
        }
        if let Some(f) = &self.functions {
            s.set_functions(Arc::clone(f));
        }
    }
}
