//! How the load balancer opens connections to targets. The data plane
//! supplies one that connects from inside the load balancer's network
//! namespace; tests use [`PlainConnector`].

use std::future::Future;
use std::net::SocketAddrV4;
use std::pin::Pin;
use tokio::net::TcpStream;

/// The future of one connection attempt.
pub type ConnectFuture = Pin<Box<dyn Future<Output = std::io::Result<TcpStream>> + Send>>;

/// Opens TCP connections to targets.
pub trait Connector: Send + Sync + 'static {
    /// Connects to `addr`.
    fn connect(&self, addr: SocketAddrV4) -> ConnectFuture;
}

/// Connects from the calling process's own network namespace.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlainConnector;

impl Connector for PlainConnector {
    fn connect(&self, addr: SocketAddrV4) -> ConnectFuture {
        Box::pin(TcpStream::connect(addr))
    }
}
