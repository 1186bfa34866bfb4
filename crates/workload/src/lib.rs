//! What runs inside the emulated namespaces: the stand-in that answers for a
//! container, the local processes that replace it (runtime file, launch,
//! spawning, supervision), the emulated internet's echo and DNS servers,
//! AWS's APIs as hosts ([`api`], with the local CA of [`ca`]), and the
//! probes of the differential reachability test.
//!
//! Everything that touches the network works through [`netns::NetNs`]: the
//! sockets are made inside a task's namespace and served from this process.

#![warn(missing_docs)]

mod http;

pub mod api;
pub mod ca;
pub mod dns;
pub mod image;
pub mod internet;
pub mod launch;
pub mod logtail;
pub mod metadata;
pub mod netns;
pub mod probe;
pub mod process;
pub mod runtime;
pub mod standin;
pub mod supervisor;

pub use launch::{ContainerSpec, Launch, LaunchError};
pub use logtail::LogFollower;
pub use netns::{connect_tcp, tcp_listener, tcp_listener_shared, udp_socket, NetNs, NetNsError};
pub use probe::{probe_tcp, probe_udp, ProbeResult, Responder};
pub use process::{spawn, Platform, SpawnError};
pub use runtime::{ImageRuntime, RuntimeError, RuntimeFile};
pub use standin::Identity;
pub use supervisor::{Exited, Supervisor};
