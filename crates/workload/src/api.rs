//! AWS's APIs as hosts: a listener at a service's address (on the emulated
//! internet, an interface endpoint's ENI, a gateway endpoint) that hands
//! every connection's bytes to tasknet's wire endpoint on 127.0.0.1.
//!
//! HTTPS is terminated here with the local CA's certificate
//! ([`crate::ca`]); what is inside (HTTP/1.1 with the client's own `Host`
//! header, which its SigV4 signature covers) goes to the endpoint unchanged,
//! so the endpoint sees the request exactly as the client sent it. The
//! connection to 127.0.0.1 is made by this process in the root namespace:
//! loopback, never an emulated address.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

/// A TLS server configuration ([`crate::ca::LocalCa::server_config`] makes one).
pub use tokio_rustls::rustls::ServerConfig;

/// How long a client has to finish its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a listener's connections go and whether it speaks TLS.
#[derive(Clone)]
pub struct Upstream {
    /// The wire endpoint (127.0.0.1:<port>).
    pub endpoint: SocketAddr,
    /// TLS (port 443), or plain HTTP (port 80).
    pub tls: Option<Arc<ServerConfig>>,
}

/// Serves `listener` until dropped: each connection is forwarded to the endpoint.
pub async fn serve_api(listener: TcpListener, upstream: Upstream) {
    let acceptor = upstream.tls.clone().map(TlsAcceptor::from);
    loop {
        let Ok((client, _peer)) = listener.accept().await else { continue };
        let acceptor = acceptor.clone();
        let endpoint = upstream.endpoint;
        tokio::spawn(async move {
            let _ = client.set_nodelay(true);
            match acceptor {
                Some(acceptor) => {
                    let Ok(Ok(tls)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(client)).await else {
                        return;
                    };
                    forward(tls, endpoint).await;
                }
                None => forward(client, endpoint).await,
            }
        });
    }
}

/// Copies both ways between the client and the endpoint until either side closes.
async fn forward<S: AsyncRead + AsyncWrite + Unpin>(mut client: S, endpoint: SocketAddr) {
    let Ok(mut server) = TcpStream::connect(endpoint).await else {
        // No endpoint (`up --no-endpoint`, or its port taken): the client sees the connection close.
        return;
    };
    let _ = server.set_nodelay(true);
    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
}
