//! Real packets for the differential test against the reachability engine.
//!
//! A [`Responder`] holds ports open at an address inside a namespace; probes
//! from another namespace then say what happened to a packet:
//! [`ProbeResult::Delivered`] (the responder answered), [`ProbeResult::Refused`]
//! (the destination host said no one listens: TCP RST or ICMP port
//! unreachable) or [`ProbeResult::TimedOut`] (nothing came back). Host and
//! network unreachable count as TimedOut: in a VPC such packets are dropped
//! silently, and an address no one holds is only an ARP failure here.
//!
//! Probes are async and use one socket each, so hundreds can run at once
//! (mind the process's open-file limit).

use std::io;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::netns::{connect_tcp, tcp_listener, udp_socket, NetNs};

/// The byte a TCP responder writes before closing.
pub const TCP_GREETING: u8 = b'R';
const TOKEN_LEN: usize = 16;

/// What happened to a probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProbeResult {
    /// The responder answered.
    Delivered,
    /// The destination refused (TCP RST, ICMP port unreachable).
    Refused,
    /// Nothing came back in time (dropped, or no one holds the address).
    TimedOut,
}

/// Listeners that answer probes; they stop when this is dropped.
#[derive(Debug)]
pub struct Responder {
    tasks: Vec<JoinHandle<()>>,
}

impl Responder {
    /// Listens at `addr` in `ns` on each TCP and UDP port. Must be called
    /// within a tokio runtime. Also lifts the namespace's ICMP rate limit, or
    /// a burst of UDP probes to closed ports would see only a few refusals.
    pub fn start(ns: &NetNs, addr: Ipv4Addr, tcp_ports: &[u16], udp_ports: &[u16]) -> io::Result<Responder> {
        let runtime = tokio::runtime::Handle::try_current().map_err(io::Error::other)?;
        if !udp_ports.is_empty() {
            lift_icmp_rate_limit(ns)?;
        }
        let mut responder = Responder { tasks: Vec::new() };
        // `responder` aborts what was started if a later port fails.
        for &port in tcp_ports {
            let listener = {
                let _guard = runtime.enter();
                tokio::net::TcpListener::from_std(tcp_listener(ns, SocketAddrV4::new(addr, port))?)?
            };
            responder.tasks.push(runtime.spawn(answer_tcp(listener)));
        }
        for &port in udp_ports {
            let socket = {
                let _guard = runtime.enter();
                tokio::net::UdpSocket::from_std(udp_socket(ns, SocketAddrV4::new(addr, port))?)?
            };
            responder.tasks.push(runtime.spawn(echo_udp(socket)));
        }
        Ok(responder)
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Sets net.ipv4.icmp_ratemask to 0 in `ns` (per-namespace: /proc/sys/net
/// follows the opening thread's namespace).
pub fn lift_icmp_rate_limit(ns: &NetNs) -> io::Result<()> {
    ns.run(|| std::fs::write("/proc/sys/net/ipv4/icmp_ratemask", "0"))?
}

async fn answer_tcp(listener: tokio::net::TcpListener) {
    loop {
        match listener.accept().await {
            // A fresh socket's send buffer is empty, so the write cannot block;
            // dropping the stream then closes it.
            Ok((stream, _)) => {
                let _ = stream.try_write(&[TCP_GREETING]);
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
        }
    }
}

async fn echo_udp(socket: tokio::net::UdpSocket) {
    let mut buf = vec![0u8; 65_536];
    loop {
        // Errors are ICMP reports about earlier answers; they concern one sender.
        if let Ok((len, peer)) = socket.recv_from(&mut buf).await {
            let _ = socket.send_to(buf.get(..len).unwrap_or_default(), peer).await;
        }
    }
}

/// Where a probe binds: None for 0.0.0.0:0 (the kernel picks both).
fn bind_of(src: SocketAddrV4) -> Option<SocketAddrV4> {
    (src != SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0)).then_some(src)
}

/// Maps a socket error to a result; errors that are not about the packet's
/// fate (bad source address, fd limits) stay errors.
fn classify(e: io::Error) -> io::Result<ProbeResult> {
    match (e.kind(), e.raw_os_error()) {
        (io::ErrorKind::ConnectionRefused, _) => Ok(ProbeResult::Refused),
        (io::ErrorKind::TimedOut, _) => Ok(ProbeResult::TimedOut),
        (_, Some(libc::EHOSTUNREACH | libc::ENETUNREACH | libc::EHOSTDOWN)) => Ok(ProbeResult::TimedOut),
        _ => Err(e),
    }
}

/// Connects from `src` in `ns` to `dst` and reads the responder's byte.
pub async fn probe_tcp(ns: &NetNs, src: SocketAddrV4, dst: SocketAddrV4, timeout: Duration) -> io::Result<ProbeResult> {
    let deadline = Instant::now() + timeout;
    let mut stream = match connect_tcp(ns, dst, bind_of(src), timeout).await {
        Ok(stream) => stream,
        Err(e) => return classify(e),
    };
    let mut byte = [0u8; 1];
    match tokio::time::timeout_at(deadline, stream.read(&mut byte)).await {
        Err(_) => Ok(ProbeResult::TimedOut),
        Ok(Ok(1)) if byte[0] == TCP_GREETING => Ok(ProbeResult::Delivered),
        Ok(Ok(_)) => Err(io::Error::new(io::ErrorKind::InvalidData, format!("{dst} accepted but is not a responder"))),
        Ok(Err(e)) => Err(e),
    }
}

/// Sends a random token from `src` in `ns` to `dst` and waits for it to come back.
pub async fn probe_udp(ns: &NetNs, src: SocketAddrV4, dst: SocketAddrV4, timeout: Duration) -> io::Result<ProbeResult> {
    let deadline = Instant::now() + timeout;
    let bind = bind_of(src).unwrap_or(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0));
    let socket = tokio::net::UdpSocket::from_std(udp_socket(ns, bind)?)?;
    // Connected, so an ICMP port unreachable comes back as ECONNREFUSED.
    if let Err(e) = socket.connect(dst).await {
        return classify(e);
    }
    let token = token();
    if let Err(e) = socket.send(&token).await {
        return classify(e);
    }
    let mut buf = [0u8; 64];
    loop {
        match tokio::time::timeout_at(deadline, socket.recv(&mut buf)).await {
            Err(_) => return Ok(ProbeResult::TimedOut),
            Ok(Ok(len)) if buf.get(..len) == Some(&token[..]) => return Ok(ProbeResult::Delivered),
            Ok(Ok(_)) => continue, // not ours: a stray datagram
            Ok(Err(e)) => return classify(e),
        }
    }
}

/// A token no other probe of this process uses: a counter plus random bytes.
fn token() -> [u8; TOKEN_LEN] {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut token = [0u8; TOKEN_LEN];
    token[..8].copy_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_be_bytes());
    // SAFETY: getrandom writes at most 8 bytes into the given slice.
    let filled = unsafe { libc::getrandom(token[8..].as_mut_ptr().cast(), 8, libc::GRND_NONBLOCK) };
    if filled != 8 {
        // No entropy yet: the counter alone keeps tokens apart within this process.
        let pid = std::process::id().to_be_bytes();
        token[8..12].copy_from_slice(&pid);
    }
    token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_differ() {
        assert_ne!(token(), token());
    }

    #[test]
    fn errors_about_the_packet_are_results() {
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert_eq!(classify(refused).unwrap(), ProbeResult::Refused);
        assert_eq!(classify(io::Error::from_raw_os_error(libc::EHOSTUNREACH)).unwrap(), ProbeResult::TimedOut);
        assert!(classify(io::Error::from_raw_os_error(libc::EADDRNOTAVAIL)).is_err());
    }

    #[test]
    fn any_source_is_not_bound() {
        assert_eq!(bind_of(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0)), None);
        let src = SocketAddrV4::new(Ipv4Addr::new(10, 0, 0, 1), 0);
        assert_eq!(bind_of(src), Some(src));
    }
}
