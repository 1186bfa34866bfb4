//! Idle keep-alive connections to targets, per target address, so that a
//! request usually reuses a connection instead of opening one.
//!
//! A connection is driven by the task of the request using it (no task of
//! its own): a request costs no hand-off between threads.

use hyper::body::Incoming;
use hyper::client::conn::http1::{Connection, SendRequest};
use hyper_util::rt::TokioIo;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::net::SocketAddrV4;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use tokio::net::TcpStream;

/// One HTTP/1.1 connection to a target: the handle requests go in by, and
/// the connection itself, which whoever uses it must poll. Boxed once per
/// connection, so that requests move a pointer around.
#[derive(Debug)]
pub(crate) struct Upstream {
    pub(crate) sender: SendRequest<Incoming>,
    pub(crate) conn: Connection<TokioIo<TcpStream>, Incoming>,
}

impl Upstream {
    /// Polls the connection once, so that it notices a close by the target
    /// or finishes its previous exchange; true while it can take a request.
    fn usable(&mut self) -> bool {
        let mut cx = Context::from_waker(Waker::noop());
        match Pin::new(&mut self.conn).poll(&mut cx) {
            Poll::Ready(_) => false,
            Poll::Pending => self.sender.is_ready(),
        }
    }
}

std::thread_local! {
    static WORKER: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Marks the calling thread as load balancer worker `n`: requests served on
/// it reuse the connections it opened (see [`crate::serve`]).
pub fn set_worker(n: usize) {
    WORKER.with(|w| w.set(n));
}

fn worker() -> usize {
    WORKER.with(std::cell::Cell::get)
}

/// More idle connections than this to one target are closed (tasknet's choice).
const MAX_IDLE_PER_TARGET: usize = 512;

/// Idle connections by target.
#[derive(Debug, Default)]
pub(crate) struct Pool {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    // Boxed: a connection moves between pool, request and body many times
    // and is allocated once.
    // Keyed by worker too: a connection is registered with the reactor of the
    // runtime that opened it and is best driven from that runtime's thread.
    #[allow(clippy::vec_box)]
    idle: HashMap<(usize, SocketAddrV4), Vec<Box<Upstream>>>,
    /// Targets that may keep idle connections: the configured ones.
    allowed: HashSet<SocketAddrV4>,
}

impl Pool {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere must not take the proxy down: the map stays usable.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// An idle, still usable connection to `addr`, most recently used first.
    pub(crate) fn take(&self, addr: SocketAddrV4) -> Option<Box<Upstream>> {
        loop {
            let mut up = self.lock().idle.get_mut(&(worker(), addr))?.pop()?;
            // Checked outside the lock; an unusable one just closes.
            if up.usable() {
                return Some(up);
            }
        }
    }

    /// Keeps `up` for the next request to `addr`, unless the target left
    /// the configuration.
    pub(crate) fn put(&self, addr: SocketAddrV4, up: Box<Upstream>) {
        let mut inner = self.lock();
        if !inner.allowed.contains(&addr) {
            return;
        }
        let list = inner.idle.entry((worker(), addr)).or_default();
        if list.len() < MAX_IDLE_PER_TARGET {
            list.push(up);
        }
    }

    /// Only these targets keep idle connections from now on; the others'
    /// are closed.
    pub(crate) fn set_allowed(&self, allowed: HashSet<SocketAddrV4>) {
        let removed: Vec<Vec<Box<Upstream>>> = {
            let mut inner = self.lock();
            let gone: Vec<(usize, SocketAddrV4)> =
                inner.idle.keys().filter(|(_, a)| !allowed.contains(a)).copied().collect();
            inner.allowed = allowed;
            gone.iter().filter_map(|k| inner.idle.remove(k)).collect()
        };
        drop(removed);
    }
}

/// A connection in use, to be handed back when its response has ended.
#[derive(Debug)]
pub(crate) struct Release {
    pool: Arc<Pool>,
    addr: SocketAddrV4,
    pub(crate) up: Box<Upstream>,
    /// False once the connection has ended (closed by the target, error).
    pub(crate) alive: bool,
}

impl Release {
    /// Remembers that `up` to `addr` belongs back in `pool`.
    pub(crate) fn new(pool: Arc<Pool>, addr: SocketAddrV4, up: Box<Upstream>, alive: bool) -> Release {
        Release { pool, addr, up, alive }
    }

    /// Drives the connection: it reads the target's bytes into the body.
    pub(crate) fn drive(&mut self, cx: &mut Context<'_>) {
        if self.alive && Pin::new(&mut self.up.conn).poll(cx).is_ready() {
            self.alive = false;
        }
    }

    /// Hands the connection back, if it can serve again.
    pub(crate) fn give_back(self) {
        if self.alive {
            self.pool.put(self.addr, self.up);
        }
    }
}
