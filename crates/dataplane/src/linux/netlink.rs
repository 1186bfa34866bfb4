//! A small rtnetlink client for the few requests the data plane makes:
//! veths, link state, addresses, routes and policy rules.
//!
//! Why not a crate: the data plane needs a dozen message shapes, sent in
//! batches (many requests in one datagram, one acknowledgement each), on a
//! socket that belongs to the namespace it was opened in. That is a page of
//! code over `libc`, and it keeps the messages exactly those `ip` sends.

use super::cmd::CmdError;
use crate::wiring::route::{Hop, Route, Rule, RuleAction, Selector};
use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

const NLMSG_ERROR: u16 = 2;
const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_ACK: u16 = 0x4;
const NLM_F_REPLACE: u16 = 0x100;
const NLM_F_EXCL: u16 = 0x200;
pub(super) const NLM_F_CREATE: u16 = 0x400;
/// In an error message's flags: extended-ack attributes follow (and the request is capped).
const NLM_F_ACK_TLVS: u16 = 0x200;
const NLM_F_CAPPED: u16 = 0x100;
const NLMSGERR_ATTR_MSG: u16 = 1;
const SOL_NETLINK: i32 = 270;
const NETLINK_CAP_ACK: i32 = 10;
const NETLINK_EXT_ACK: i32 = 11;

const RTM_NEWLINK: u16 = 16;
const RTM_DELLINK: u16 = 17;
const RTM_GETLINK: u16 = 18;
const RTM_NEWADDR: u16 = 20;
const RTM_DELADDR: u16 = 21;
const RTM_NEWROUTE: u16 = 24;
const RTM_DELROUTE: u16 = 25;
const RTM_NEWRULE: u16 = 32;
const RTM_DELRULE: u16 = 33;
const RTM_SETNEIGHTBL: u16 = 67;
const NDTA_NAME: u16 = 1;
const NDTA_PARMS: u16 = 6;
const NDTPA_IFINDEX: u16 = 1;
const NDTPA_PROXY_DELAY: u16 = 13;

const IFLA_ADDRESS: u16 = 1;
const IFLA_IFNAME: u16 = 3;
const IFLA_LINKINFO: u16 = 18;
const IFLA_NET_NS_FD: u16 = 28;
const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
const VETH_INFO_PEER: u16 = 1;
const IFF_UP: u32 = 1;
const NLA_F_NESTED: u16 = 0x8000;
const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
const RTA_DST: u16 = 1;
const RTA_OIF: u16 = 4;
const RTA_GATEWAY: u16 = 5;
const RTA_TABLE: u16 = 15;
const RTN_UNICAST: u8 = 1;
const RTN_BLACKHOLE: u8 = 6;
const RT_SCOPE_UNIVERSE: u8 = 0;
const RT_SCOPE_LINK: u8 = 253;
const RT_SCOPE_NOWHERE: u8 = 255;
const RTPROT_BOOT: u8 = 3;
const RTNH_F_ONLINK: u32 = 4;
const FRA_DST: u16 = 1;
const FRA_SRC: u16 = 2;
const FRA_PRIORITY: u16 = 6;
const FRA_TABLE: u16 = 15;
const FR_ACT_TO_TBL: u8 = 1;
const FR_ACT_BLACKHOLE: u8 = 6;
const AF_INET: u8 = 2;
/// The loopback's index, the same in every namespace.
pub const LO: i32 = 1;
/// Requests per datagram are capped so their acknowledgements fit the
/// receive buffer (each is an skb of its own, charged far above its 36 bytes).
const CHUNK_BYTES: usize = 32 * 1024;
const CHUNK_REQUESTS: usize = 128;
/// The receive buffer asked for (root may exceed `rmem_max`).
const RCVBUF: libc::c_int = 1 << 20;
/// How long to wait for an acknowledgement before calling the kernel silent.
const ACK_TIMEOUT_S: libc::time_t = 10;

/// Add (fail if present), replace (create or overwrite) or delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    /// Create; fail if it exists.
    Add,
    /// Create or overwrite.
    Replace,
    /// Delete.
    Del,
}

impl Verb {
    /// `ip`'s word for it.
    pub fn word(self) -> &'static str {
        match self {
            Verb::Add => "add",
            Verb::Replace => "replace",
            Verb::Del => "del",
        }
    }

    /// The message type (`new` or `del`) and the flags that do it.
    fn message(self, new: u16, del: u16) -> (u16, u16) {
        match self {
            Verb::Add => (new, NLM_F_CREATE | NLM_F_EXCL),
            Verb::Replace => (new, NLM_F_CREATE | NLM_F_REPLACE),
            Verb::Del => (del, 0),
        }
    }
}

/// One request: its bytes and what it does, for error messages.
#[derive(Clone, Debug)]
pub struct Request {
    buf: Vec<u8>,
    nests: Vec<usize>,
    what: String,
}

impl Request {
    pub(super) fn new(ty: u16, flags: u16, what: String) -> Request {
        let mut buf = Vec::with_capacity(128);
        buf.extend_from_slice(&0u32.to_ne_bytes());
        buf.extend_from_slice(&ty.to_ne_bytes());
        buf.extend_from_slice(&(flags | NLM_F_REQUEST | NLM_F_ACK).to_ne_bytes());
        buf.extend_from_slice(&[0; 8]); // seq and pid, set on sending
        Request { buf, nests: Vec::new(), what }
    }

    pub(super) fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(bytes);
        self
    }

    fn align(&mut self) {
        while !self.buf.len().is_multiple_of(4) {
            self.buf.push(0);
        }
    }

    pub(super) fn attr(&mut self, ty: u16, data: &[u8]) -> &mut Self {
        let len = u16::try_from(4 + data.len()).unwrap_or(u16::MAX);
        self.buf.extend_from_slice(&len.to_ne_bytes());
        self.buf.extend_from_slice(&ty.to_ne_bytes());
        self.buf.extend_from_slice(data);
        self.align();
        self
    }

    fn attr_u32(&mut self, ty: u16, v: u32) -> &mut Self {
        self.attr(ty, &v.to_ne_bytes())
    }

    pub(super) fn attr_str(&mut self, ty: u16, s: &str) -> &mut Self {
        let mut b = s.as_bytes().to_vec();
        b.push(0);
        self.attr(ty, &b)
    }

    pub(super) fn begin(&mut self, ty: u16) -> &mut Self {
        self.nests.push(self.buf.len());
        self.buf.extend_from_slice(&0u16.to_ne_bytes());
        // Marked nested, as libmnl marks them; rtnetlink and nftables both accept the flag.
        self.buf.extend_from_slice(&(ty | NLA_F_NESTED).to_ne_bytes());
        self
    }

    pub(super) fn end(&mut self) -> &mut Self {
        if let Some(at) = self.nests.pop() {
            let len = u16::try_from(self.buf.len() - at).unwrap_or(u16::MAX);
            self.buf[at..at + 2].copy_from_slice(&len.to_ne_bytes());
        }
        self
    }

    pub(super) fn sealed(mut self, seq: u32) -> Vec<u8> {
        let len = u32::try_from(self.buf.len()).unwrap_or(u32::MAX);
        self.buf[0..4].copy_from_slice(&len.to_ne_bytes());
        self.buf[8..12].copy_from_slice(&seq.to_ne_bytes());
        self.buf
    }
}

/// `struct ifinfomsg` (16 bytes).
fn ifinfomsg(index: i32, flags: u32, change: u32) -> [u8; 16] {
    let mut m = [0u8; 16];
    m[4..8].copy_from_slice(&index.to_ne_bytes());
    m[8..12].copy_from_slice(&flags.to_ne_bytes());
    m[12..16].copy_from_slice(&change.to_ne_bytes());
    m
}

/// A MAC address's six bytes (`0a:1b:…`), when it is one.
fn mac_bytes(mac: &str) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    let mut parts = mac.split(':');
    for b in &mut out {
        *b = u8::from_str_radix(parts.next()?, 16).ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// A veth pair: `name` (with `mac`, if given) in the socket's namespace, `peer` in `peer_ns_fd`'s.
pub fn veth(name: &str, mac: Option<&str>, peer: &str, peer_ns_fd: RawFd) -> Request {
    let mut r =
        Request::new(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, format!("link add {name} type veth peer name {peer}"));
    r.raw(&ifinfomsg(0, 0, 0)).attr_str(IFLA_IFNAME, name);
    if let Some(mac) = mac.and_then(mac_bytes) {
        r.attr(IFLA_ADDRESS, &mac);
    }
    r.begin(IFLA_LINKINFO).attr_str(IFLA_INFO_KIND, "veth").begin(IFLA_INFO_DATA).begin(VETH_INFO_PEER);
    r.raw(&ifinfomsg(0, 0, 0)).attr_str(IFLA_IFNAME, peer).attr_u32(IFLA_NET_NS_FD, peer_ns_fd as u32);
    r.end().end().end();
    r
}

/// Sets a link up, by name.
pub fn link_up(name: &str) -> Request {
    let mut r = Request::new(RTM_NEWLINK, 0, format!("link set {name} up"));
    r.raw(&ifinfomsg(0, IFF_UP, IFF_UP)).attr_str(IFLA_IFNAME, name);
    r
}

/// Deletes a link, by name.
pub fn link_del(name: &str) -> Request {
    let mut r = Request::new(RTM_DELLINK, 0, format!("link del {name}"));
    r.raw(&ifinfomsg(0, 0, 0)).attr_str(IFLA_IFNAME, name);
    r
}

/// Clears the ARP proxy delay of the link of `index` (`ip ntable change
/// name arp_cache dev … proxy_delay 0`).
pub fn no_proxy_delay(index: i32) -> Request {
    let mut r = Request::new(RTM_SETNEIGHTBL, 0, format!("ntable change name arp_cache (link {index}) proxy_delay 0"));
    r.raw(&[AF_INET, 0, 0, 0]).attr_str(NDTA_NAME, "arp_cache");
    r.begin(NDTA_PARMS).attr_u32(NDTPA_IFINDEX, index as u32).attr(NDTPA_PROXY_DELAY, &0u64.to_ne_bytes()).end();
    r
}

/// An address on the link of `index`.
pub fn addr(verb: Verb, index: i32, addr: Ipv4Addr, prefix: u8) -> Request {
    let (ty, flags) = verb.message(RTM_NEWADDR, RTM_DELADDR);
    let mut r = Request::new(ty, flags, format!("addr {} {addr}/{prefix} (link {index})", verb.word()));
    let mut m = [0u8; 8];
    m[0] = AF_INET;
    m[1] = prefix;
    m[4..8].copy_from_slice(&index.to_ne_bytes());
    r.raw(&m).attr(IFA_LOCAL, &addr.octets()).attr(IFA_ADDRESS, &addr.octets());
    r
}

/// A route; `oif` is the index of the route's device, when it has one.
pub fn route(verb: Verb, route: &Route, oif: Option<i32>) -> Request {
    let (ty, flags) = verb.message(RTM_NEWROUTE, RTM_DELROUTE);
    let mut r = Request::new(ty, flags, format!("route {} {route}", verb.word()));
    let blackhole = route.hop == Hop::Blackhole;
    // As `ip route` fills `struct rtmsg`: deletes match any scope and protocol.
    let (protocol, scope, kind) = match (verb, &route.hop) {
        (Verb::Del, _) => (0, RT_SCOPE_NOWHERE, if blackhole { RTN_BLACKHOLE } else { 0 }),
        (_, Hop::Dev(_)) => (RTPROT_BOOT, RT_SCOPE_LINK, RTN_UNICAST),
        (_, Hop::Via { .. }) => (RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST),
        (_, Hop::Blackhole) => (RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_BLACKHOLE),
    };
    let flags = if matches!(route.hop, Hop::Via { .. }) { RTNH_F_ONLINK } else { 0 };
    let table = u8::try_from(route.table).unwrap_or(0);
    let mut m = [AF_INET, route.dst.prefix(), 0, 0, table, protocol, scope, kind, 0, 0, 0, 0];
    m[8..12].copy_from_slice(&flags.to_ne_bytes());
    r.raw(&m).attr_u32(RTA_TABLE, route.table);
    if route.dst.prefix() > 0 {
        r.attr(RTA_DST, &route.dst.network().octets());
    }
    if let Hop::Via { gateway, .. } = &route.hop {
        r.attr(RTA_GATEWAY, &gateway.octets());
    }
    if let Some(i) = oif {
        r.attr_u32(RTA_OIF, i as u32);
    }
    r
}

/// A policy rule (`Verb::Replace` adds).
pub fn rule(verb: Verb, rule: &Rule) -> Request {
    // Rules cannot be replaced: a replace adds.
    let verb = if verb == Verb::Replace { Verb::Add } else { verb };
    let (ty, flags) = verb.message(RTM_NEWRULE, RTM_DELRULE);
    let mut r = Request::new(ty, flags, format!("rule {} {rule}", verb.word()));
    let (dst_len, src_len) = match rule.selector {
        Selector::All => (0, 0),
        Selector::From(c) => (0, c.prefix()),
        Selector::To(c) => (c.prefix(), 0),
    };
    let (table, action) = match rule.action {
        RuleAction::Lookup(t) => (t, FR_ACT_TO_TBL),
        RuleAction::Blackhole => (0, FR_ACT_BLACKHOLE),
    };
    let small = u8::try_from(table).unwrap_or(0);
    r.raw(&[AF_INET, dst_len, src_len, 0, small, 0, 0, action, 0, 0, 0, 0]).attr_u32(FRA_PRIORITY, rule.pref);
    match rule.selector {
        Selector::All => {}
        Selector::From(c) => {
            r.attr(FRA_SRC, &c.network().octets());
        }
        Selector::To(c) => {
            r.attr(FRA_DST, &c.network().octets());
        }
    }
    if table != 0 {
        r.attr_u32(FRA_TABLE, table);
    }
    r
}

/// An rtnetlink socket of one namespace (the one its opener's thread was in).
#[derive(Debug)]
pub struct Rtnl {
    fd: OwnedFd,
    seq: u32,
    /// The namespace, for error messages.
    ns: String,
    /// Interface indexes looked up so far in this batch (see [`Rtnl::forget`]).
    index: HashMap<String, i32>,
}

impl Rtnl {
    /// A socket in the calling thread's network namespace, called `ns` in errors.
    pub fn open(ns: &str) -> Result<Rtnl, CmdError> {
        let err = |e: std::io::Error| CmdError { command: format!("netlink socket in {ns}"), stderr: e.to_string() };
        let fd = socket(libc::NETLINK_ROUTE).map_err(err)?;
        let one: libc::c_int = 1;
        let int = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: a valid socket and int options. Failure only loses error
        // texts or buffer room (then ENOBUFS is reported, not hung on).
        unsafe {
            for opt in [NETLINK_CAP_ACK, NETLINK_EXT_ACK] {
                libc::setsockopt(fd.as_raw_fd(), SOL_NETLINK, opt, (&one as *const libc::c_int).cast(), int);
            }
            let buf = (&RCVBUF as *const libc::c_int).cast();
            if libc::setsockopt(fd.as_raw_fd(), libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, buf, int) != 0 {
                libc::setsockopt(fd.as_raw_fd(), libc::SOL_SOCKET, libc::SO_RCVBUF, buf, int);
            }
        }
        Ok(Rtnl { fd, seq: 1, ns: ns.to_string(), index: HashMap::new() })
    }

    /// Forgets the interface indexes looked up so far (links may have come and gone since).
    pub fn forget(&mut self) {
        self.index.clear();
    }

    /// Sends `requests` (batched into few datagrams) and waits for every
    /// acknowledgement; all are tried, and every failure is reported.
    pub fn send(&mut self, requests: Vec<Request>) -> Result<(), CmdError> {
        let mut failures = Vec::new();
        let mut batch = Vec::new();
        let mut pending: HashMap<u32, String> = HashMap::new();
        for mut r in requests {
            let seq = self.seq;
            self.seq = self.seq.wrapping_add(1);
            pending.insert(seq, std::mem::take(&mut r.what));
            batch.extend_from_slice(&r.sealed(seq));
            if batch.len() >= CHUNK_BYTES || pending.len() >= CHUNK_REQUESTS {
                self.round_trip(&batch, &mut pending, &mut failures, |_| {})?;
                batch.clear();
            }
        }
        if !batch.is_empty() {
            self.round_trip(&batch, &mut pending, &mut failures, |_| {})?;
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(CmdError { command: format!("netlink in {}", self.ns), stderr: failures.join("; ") })
        }
    }

    /// One datagram out, its acknowledgements in.
    fn round_trip(
        &mut self,
        batch: &[u8],
        pending: &mut HashMap<u32, String>,
        failures: &mut Vec<String>,
        other: impl FnMut(&Message<'_>),
    ) -> Result<(), CmdError> {
        exchange(self.fd.as_raw_fd(), batch, pending, failures, false, other)
            .map_err(|e| CmdError { command: format!("netlink in {}", self.ns), stderr: e.to_string() })
    }

    /// The index of link `name` in this namespace.
    pub fn index(&mut self, name: &str) -> Result<i32, CmdError> {
        if let Some(i) = self.index.get(name) {
            return Ok(*i);
        }
        let mut r = Request::new(RTM_GETLINK, 0, format!("link show {name}"));
        r.raw(&ifinfomsg(0, 0, 0)).attr_str(IFLA_IFNAME, name);
        let seq = self.seq;
        self.seq = self.seq.wrapping_add(1);
        let mut pending = HashMap::from([(seq, std::mem::take(&mut r.what))]);
        let mut failures = Vec::new();
        let mut found = None;
        self.round_trip(&r.sealed(seq), &mut pending, &mut failures, |m| {
            // The link's description comes before the acknowledgement; its index follows the family.
            if m.ty == RTM_NEWLINK && m.seq == seq && m.payload.len() >= 16 {
                found = Some(i32::from_ne_bytes([m.payload[4], m.payload[5], m.payload[6], m.payload[7]]));
            }
        })?;
        match (failures.is_empty(), found) {
            (true, Some(i)) => {
                self.index.insert(name.to_string(), i);
                Ok(i)
            }
            _ => Err(CmdError {
                command: format!("netlink in {}", self.ns),
                stderr: failures.first().cloned().unwrap_or_else(|| format!("link show {name}: no such device")),
            }),
        }
    }
}

/// A netlink socket of `protocol` in the calling thread's namespace, with a
/// receive timeout, so a lost acknowledgement is an error and never a hang.
pub(super) fn socket(protocol: i32) -> std::io::Result<OwnedFd> {
    // SAFETY: a plain socket call; the descriptor is owned from here on.
    let fd = unsafe { libc::socket(libc::AF_NETLINK, libc::SOCK_RAW | libc::SOCK_CLOEXEC, protocol) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: just opened, owned once.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let timeout = libc::timeval { tv_sec: ACK_TIMEOUT_S, tv_usec: 0 };
    // SAFETY: a valid socket and a timeval option of its size.
    unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&timeout as *const libc::timeval).cast(),
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        );
    }
    Ok(fd)
}

/// Sends `datagram` on `fd` and reads until every request of `pending` is
/// acknowledged, each refusal's text (with the kernel's own words, when it
/// gave some) going to `failures`; with `abort`, the first refusal ends the
/// wait (the kernel aborts the rest of an nfnetlink batch and acknowledges
/// none of it). `other` sees every message that is not an acknowledgement.
/// A receive error (a timeout, lost acknowledgements: what happened to the
/// rest is unknown) clears `pending`.
pub(super) fn exchange(
    fd: RawFd,
    datagram: &[u8],
    pending: &mut HashMap<u32, String>,
    failures: &mut Vec<String>,
    abort: bool,
    mut other: impl FnMut(&Message<'_>),
) -> std::io::Result<()> {
    send(fd, datagram)?;
    let mut buf = vec![0u8; 64 * 1024];
    while !pending.is_empty() {
        let n = match recv(fd, &mut buf) {
            Ok(n) => n,
            Err(e) => {
                pending.clear();
                return Err(e);
            }
        };
        for m in messages(&buf[..n]) {
            if m.ty != NLMSG_ERROR || m.payload.len() < 4 {
                other(&m);
                continue;
            }
            let Some(what) = pending.remove(&m.seq) else { continue };
            let errno = -i32::from_ne_bytes([m.payload[0], m.payload[1], m.payload[2], m.payload[3]]);
            if errno != 0 {
                let text = std::io::Error::from_raw_os_error(errno).to_string();
                match ext_ack_message(m.flags, m.payload) {
                    Some(msg) => failures.push(format!("{what}: {text} ({msg})")),
                    None => failures.push(format!("{what}: {text}")),
                }
            }
        }
        if abort && !failures.is_empty() {
            break;
        }
    }
    Ok(())
}

/// Sends one datagram to the kernel.
pub(super) fn send(fd: RawFd, datagram: &[u8]) -> std::io::Result<()> {
    // SAFETY: sending a buffer we own; a zeroed sockaddr_nl is the kernel.
    let sent = unsafe {
        let mut to: libc::sockaddr_nl = std::mem::zeroed();
        to.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        libc::sendto(
            fd,
            datagram.as_ptr().cast(),
            datagram.len(),
            0,
            (&to as *const libc::sockaddr_nl).cast(),
            std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
        )
    };
    if sent < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Receives one datagram (retrying an interrupted wait); its length.
pub(super) fn recv(fd: RawFd, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        // SAFETY: receiving into a buffer we own.
        let n = unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), 0) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// One netlink message of a datagram.
pub(super) struct Message<'a> {
    /// Its type.
    pub(super) ty: u16,
    /// Its flags.
    pub(super) flags: u16,
    /// Its sequence number.
    pub(super) seq: u32,
    /// What follows the header.
    pub(super) payload: &'a [u8],
}

/// The messages of one datagram.
pub(super) fn messages(mut buf: &[u8]) -> Vec<Message<'_>> {
    let mut out = Vec::new();
    while buf.len() >= 16 {
        let len = u32::from_ne_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
        if len < 16 || len > buf.len() {
            break;
        }
        out.push(Message {
            ty: u16::from_ne_bytes([buf[4], buf[5]]),
            flags: u16::from_ne_bytes([buf[6], buf[7]]),
            seq: u32::from_ne_bytes([buf[8], buf[9], buf[10], buf[11]]),
            payload: &buf[16..len],
        });
        buf = &buf[((len + 3) & !3).min(buf.len())..];
    }
    out
}

/// The kernel's own words for an error (`NLMSGERR_ATTR_MSG`), when it gave some.
fn ext_ack_message(flags: u16, payload: &[u8]) -> Option<String> {
    if flags & NLM_F_ACK_TLVS == 0 {
        return None;
    }
    // After the error code: the request's header (capped) or the whole request.
    let orig_len = if flags & NLM_F_CAPPED != 0 {
        16
    } else {
        payload.get(4..8).map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as usize)?
    };
    let mut attrs = payload.get(4 + ((orig_len + 3) & !3)..)?;
    while attrs.len() >= 4 {
        let len = u16::from_ne_bytes([attrs[0], attrs[1]]) as usize;
        let ty = u16::from_ne_bytes([attrs[2], attrs[3]]);
        if len < 4 || len > attrs.len() {
            break;
        }
        if ty == NLMSGERR_ATTR_MSG {
            let text = &attrs[4..len];
            let text = text.split(|b| *b == 0).next().unwrap_or_default();
            return Some(String::from_utf8_lossy(text).into_owned());
        }
        attrs = &attrs[((len + 3) & !3).min(attrs.len())..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use account::Ipv4Cidr;

    #[test]
    fn a_route_request_is_the_header_rtmsg_and_attributes_ip_would_send() {
        let dst = Ipv4Cidr::parse("10.0.1.0/24").expect("block");
        let r = route(Verb::Replace, &Route::in_table(dst, Hop::Blackhole, 1000), None).sealed(7);
        assert_eq!(u32::from_ne_bytes([r[0], r[1], r[2], r[3]]) as usize, r.len());
        assert_eq!(u16::from_ne_bytes([r[4], r[5]]), RTM_NEWROUTE);
        assert_eq!(u32::from_ne_bytes([r[8], r[9], r[10], r[11]]), 7);
        // rtmsg: family, /24, table unspec (1000 > 255, so RTA_TABLE), boot, universe, blackhole.
        assert_eq!(&r[16..24], &[AF_INET, 24, 0, 0, 0, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_BLACKHOLE]);
        // RTA_TABLE 1000, then RTA_DST 10.0.1.0.
        assert_eq!(&r[28..36], &[8, 0, 15, 0, 0xe8, 0x03, 0, 0]);
        assert_eq!(&r[36..44], &[8, 0, 1, 0, 10, 0, 1, 0]);
        assert_eq!(r.len(), 44);
    }

    #[test]
    fn nested_attributes_carry_their_lengths_and_macs_are_parsed_strictly() {
        let r = veth("eth0", Some("0a:00:00:00:00:01"), "e1", 9).sealed(1);
        assert_eq!(u32::from_ne_bytes([r[0], r[1], r[2], r[3]]) as usize, r.len());
        let linkinfo =
            r.windows(4).position(|w| w[2..4] == (IFLA_LINKINFO | NLA_F_NESTED).to_ne_bytes()).expect("linkinfo");
        let len = u16::from_ne_bytes([r[linkinfo], r[linkinfo + 1]]) as usize;
        assert_eq!(linkinfo + len, r.len(), "the link info nest runs to the end");
        assert_eq!(mac_bytes("0a:1b:2c:3d:4e:5f"), Some([0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f]));
        assert_eq!(mac_bytes("0a:1b:2c:3d:4e"), None);
        assert_eq!(mac_bytes("0a:1b:2c:3d:4e:5f:00"), None);
        assert_eq!(mac_bytes("zz:1b:2c:3d:4e:5f"), None);
    }

    #[test]
    fn errors_carry_the_kernels_extended_message() {
        // error -17, capped request header, then NLMSGERR_ATTR_MSG "exists".
        let mut p = (-17i32).to_ne_bytes().to_vec();
        p.extend_from_slice(&[0; 16]);
        p.extend_from_slice(&[11, 0, 1, 0]);
        p.extend_from_slice(b"exists\0");
        assert_eq!(ext_ack_message(NLM_F_ACK_TLVS | NLM_F_CAPPED, &p).as_deref(), Some("exists"));
        assert_eq!(ext_ack_message(0, &p), None);
        assert_eq!(ext_ack_message(NLM_F_ACK_TLVS | NLM_F_CAPPED, &p[..6]), None);
        assert!(messages(&[1, 2, 3]).is_empty());
    }
}
