//! Named network namespaces (`ip netns add NAME`) and sockets made inside them.
//!
//! A socket belongs to the namespace its creating thread was in at `socket()`
//! time and keeps it afterwards, so one process can serve every emulated task:
//! the current thread enters the namespace, creates the socket and comes back.

use std::fs::File;
use std::io;
use std::net::{SocketAddrV4, TcpListener, UdpSocket};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::Arc;
use std::time::Duration;

use socket2::{Domain, Protocol, Socket, Type};

/// Where iproute2 keeps the bind mounts of named namespaces.
pub const NETNS_DIR: &str = "/var/run/netns";

/// Backlog of listening sockets: the stand-in is a load-balancer benchmark target.
const LISTEN_BACKLOG: i32 = 4096;

/// Errors opening or entering a namespace.
#[derive(Debug, thiserror::Error)]
pub enum NetNsError {
    /// The name cannot be a file under /var/run/netns.
    #[error("invalid network namespace name {0:?}")]
    InvalidName(String),
    /// /var/run/netns/NAME could not be opened.
    #[error("cannot open network namespace {name:?}: {source}")]
    Open {
        /// The namespace name.
        name: String,
        /// The OS error.
        source: io::Error,
    },
    /// The thread's own namespace could not be saved.
    #[error("cannot open this thread's network namespace: {0}")]
    SaveCurrent(io::Error),
    /// setns into the namespace failed.
    #[error("cannot enter network namespace {name:?}: {source}")]
    Enter {
        /// The namespace name.
        name: String,
        /// The OS error.
        source: io::Error,
    },
}

impl From<NetNsError> for io::Error {
    fn from(e: NetNsError) -> io::Error {
        let kind = match &e {
            NetNsError::InvalidName(_) => io::ErrorKind::InvalidInput,
            NetNsError::Open { source, .. } | NetNsError::SaveCurrent(source) | NetNsError::Enter { source, .. } => {
                source.kind()
            }
        };
        io::Error::new(kind, e)
    }
}

/// An open handle on a named network namespace; cheap to clone.
#[derive(Clone, Debug)]
pub struct NetNs {
    name: Arc<str>,
    fd: Arc<OwnedFd>,
}

impl NetNs {
    /// Opens /var/run/netns/NAME.
    pub fn open(name: &str) -> Result<NetNs, NetNsError> {
        if name.is_empty() || name == "." || name == ".." || name.contains('/') || name.contains('\0') {
            return Err(NetNsError::InvalidName(name.to_string()));
        }
        let path = format!("{NETNS_DIR}/{name}");
        // std opens with O_CLOEXEC, so spawned children never inherit the fd.
        let file = File::open(&path).map_err(|source| NetNsError::Open { name: name.to_string(), source })?;
        Ok(NetNs { name: name.into(), fd: Arc::new(OwnedFd::from(file)) })
    }

    /// The namespace's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs `f` with the current thread inside this namespace, then puts the
    /// thread back where it was. Sockets created by `f` stay in this namespace.
    pub fn run<R>(&self, f: impl FnOnce() -> R) -> Result<R, NetNsError> {
        let original = File::open("/proc/thread-self/ns/net").map_err(NetNsError::SaveCurrent)?;
        setns(self.fd.as_raw_fd()).map_err(|source| NetNsError::Enter { name: self.name.to_string(), source })?;
        // The guard restores even if `f` unwinds.
        let _restore = Restore(OwnedFd::from(original));
        Ok(f())
    }

    /// Enters this namespace from a `Command::pre_exec` hook. Only calls
    /// setns(2) on an already open fd, so it is async-signal-safe.
    pub fn pre_exec_enter(&self) -> io::Result<()> {
        setns(self.fd.as_raw_fd())
    }
}

impl AsRawFd for NetNs {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// Puts the thread back into its saved namespace on drop.
struct Restore(OwnedFd);

impl Drop for Restore {
    fn drop(&mut self) {
        if setns(self.0.as_raw_fd()).is_err() {
            // A thread left in a task's namespace would silently create later
            // sockets there (tokio reuses its threads): stopping is the only safe choice.
            eprintln!("tasknet: cannot restore a thread's network namespace; aborting");
            std::process::abort();
        }
    }
}

fn setns(fd: RawFd) -> io::Result<()> {
    // SAFETY: setns only reads the fd number; a bad fd yields EBADF.
    let rc = unsafe { libc::setns(fd, libc::CLONE_NEWNET) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Runs `f` in `ns`, folding the namespace error into the io error.
fn in_ns<T>(ns: &NetNs, f: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    ns.run(f)?
}

/// A listening TCP socket inside `ns` (SO_REUSEADDR, nonblocking), ready for
/// `tokio::net::TcpListener::from_std`.
pub fn tcp_listener(ns: &NetNs, addr: SocketAddrV4) -> io::Result<TcpListener> {
    listener(ns, addr, false)
}

/// A listening TCP socket like [`tcp_listener`], with `SO_REUSEPORT`, so
/// that several of them (one per thread) share `addr` and the kernel spreads
/// new connections over them.
pub fn tcp_listener_shared(ns: &NetNs, addr: SocketAddrV4) -> io::Result<TcpListener> {
    listener(ns, addr, true)
}

fn listener(ns: &NetNs, addr: SocketAddrV4, reuse_port: bool) -> io::Result<TcpListener> {
    in_ns(ns, || {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
        socket.set_reuse_address(true)?;
        if reuse_port {
            socket.set_reuse_port(true)?;
        }
        socket.set_nonblocking(true)?;
        socket.bind(&addr.into())?;
        socket.listen(LISTEN_BACKLOG)?;
        Ok(socket.into())
    })
}

/// A UDP socket bound to `addr` inside `ns`, nonblocking, ready for
/// `tokio::net::UdpSocket::from_std`.
pub fn udp_socket(ns: &NetNs, addr: SocketAddrV4) -> io::Result<UdpSocket> {
    in_ns(ns, || {
        let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
        socket.set_nonblocking(true)?;
        socket.bind(&addr.into())?;
        Ok(socket.into())
    })
}

/// Connects from inside `ns` to `dest`, optionally from `bind`, giving up after
/// `timeout` with `ErrorKind::TimedOut`. Must be called within a tokio runtime.
pub async fn connect_tcp(
    ns: &NetNs,
    dest: SocketAddrV4,
    bind: Option<SocketAddrV4>,
    timeout: Duration,
) -> io::Result<tokio::net::TcpStream> {
    let socket = in_ns(ns, || {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
        socket.set_nonblocking(true)?;
        socket.set_nodelay(true)?;
        if let Some(bind) = bind {
            socket.bind(&bind.into())?;
        }
        Ok(socket)
    })?;
    let std_stream: std::net::TcpStream = socket.into();
    let socket = tokio::net::TcpSocket::from_std_stream(std_stream);
    match tokio::time::timeout(timeout, socket.connect(dest.into())).await {
        Ok(result) => result,
        Err(_) => Err(io::Error::new(io::ErrorKind::TimedOut, format!("connecting to {dest} timed out"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_escape_the_directory_are_refused() {
        for name in ["", ".", "..", "a/b", "../x", "a\0b"] {
            assert!(matches!(NetNs::open(name), Err(NetNsError::InvalidName(_))), "{name:?}");
        }
    }

    #[test]
    fn a_missing_namespace_is_an_open_error() {
        let err = NetNs::open("tn-test-surely-absent-namespace").unwrap_err();
        assert!(matches!(err, NetNsError::Open { .. }), "{err}");
        assert_eq!(io::Error::from(err).kind(), io::ErrorKind::NotFound);
    }
}
