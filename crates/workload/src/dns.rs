//! A minimal authoritative DNS server for the emulated internet (RFC 1035
//! wire format over UDP).
//!
//! It answers A queries for its zone's names (case-insensitive, a trailing dot
//! or not) with TTL 60; a known name asked for another type gets an empty
//! NOERROR answer, an unknown name NXDOMAIN, another opcode NOTIMP, a
//! malformed question FORMERR, a class other than IN or ANY REFUSED.
//! Responses and packets too short for a header are ignored. ANY is answered
//! with the A records. No EDNS: answers stay within 512 bytes, with TC set
//! when records had to be left out.

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::sync::Arc;

/// Rcode: no error.
pub const NOERROR: u8 = 0;
/// Rcode: the query could not be read.
pub const FORMERR: u8 = 1;
/// Rcode: the name does not exist.
pub const NXDOMAIN: u8 = 3;
/// Rcode: the opcode is not implemented.
pub const NOTIMP: u8 = 4;
/// Rcode: the server will not answer (here: a class other than IN).
pub const REFUSED: u8 = 5;
/// Type A.
pub const TYPE_A: u16 = 1;
/// Type AAAA.
pub const TYPE_AAAA: u16 = 28;
/// Type ANY.
const TYPE_ANY: u16 = 255;
const CLASS_IN: u16 = 1;
const CLASS_ANY: u16 = 255;
/// TTL of every answer, in seconds.
pub const TTL: u32 = 60;
/// RFC 1035's limit for UDP messages without EDNS.
const MAX_UDP: usize = 512;
const HEADER_LEN: usize = 12;
const MAX_NAME: usize = 255;
const MAX_LABEL: usize = 63;
/// More pointers than a 512-byte message can hold without a loop.
const MAX_POINTERS: usize = 128;

/// Errors reading or writing DNS messages.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DnsError {
    /// The message ends early.
    #[error("DNS message truncated")]
    Truncated,
    /// A label is empty or longer than 63 bytes.
    #[error("bad DNS label")]
    BadLabel,
    /// A name longer than 255 bytes.
    #[error("DNS name too long")]
    NameTooLong,
    /// Compression pointers that loop or point forward.
    #[error("bad DNS compression pointer")]
    BadPointer,
    /// The reserved label types 0x40 and 0x80.
    #[error("unknown DNS label type")]
    BadLabelType,
}

/// The names the server knows, with their addresses.
///
/// A name whose first label is `*` stands for any one label there
/// (`*.dkr.ecr.us-east-1.amazonaws.com`), and one whose first label ends in
/// `*` for any label starting so (`ecs-a-*.us-east-1.amazonaws.com`). A name
/// the zone holds exactly wins over a pattern, and of two patterns the one
/// with the longer prefix. Unlike RFC 4592's wildcards, a pattern covers
/// exactly one label, as a certificate's does: the names AWS's endpoints
/// answer to are that shape.
#[derive(Clone, Debug, Default)]
pub struct Zone {
    /// Keyed by the lowercased wire-format name, so labels compare exactly.
    records: HashMap<Vec<u8>, Vec<Ipv4Addr>>,
    /// Patterns, keyed by the wire form of what follows the first label:
    /// (the first label's lowercased prefix, the addresses).
    patterns: HashMap<Vec<u8>, Vec<Pattern>>,
}

/// A pattern's first-label prefix (lowercased) and its addresses.
type Pattern = (Vec<u8>, Vec<Ipv4Addr>);

impl Zone {
    /// A zone from (name, address) pairs; a name may appear more than once.
    pub fn new(entries: Vec<(String, Ipv4Addr)>) -> Zone {
        let mut zone = Zone::default();
        for (name, address) in entries {
            let labels = split_labels(&name);
            let pattern = labels.split_first().and_then(|(first, rest)| {
                let prefix = first.strip_suffix(b"*")?;
                // A `*` elsewhere is an ordinary (if odd) character, as in DNS.
                (!prefix.contains(&b'*')).then(|| (prefix.to_ascii_lowercase(), wire_key(rest)))
            });
            match pattern {
                Some((prefix, rest)) => {
                    let list = zone.patterns.entry(rest).or_default();
                    match list.iter_mut().find(|(p, _)| *p == prefix) {
                        Some((_, addresses)) => addresses.push(address),
                        None => list.push((prefix, vec![address])),
                    }
                }
                None => zone.records.entry(wire_key(&labels)).or_default().push(address),
            }
        }
        zone
    }

    /// The addresses of `name`, if the zone knows it.
    pub fn lookup(&self, name: &str) -> Option<&[Ipv4Addr]> {
        self.find(&split_labels(name))
    }

    fn find(&self, labels: &[&[u8]]) -> Option<&[Ipv4Addr]> {
        if let Some(exact) = self.records.get(&wire_key(labels)) {
            return Some(exact);
        }
        let (first, rest) = labels.split_first()?;
        let first = first.to_ascii_lowercase();
        self.patterns
            .get(&wire_key(rest))?
            .iter()
            .filter(|(prefix, _)| first.starts_with(prefix))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, addresses)| addresses.as_slice())
    }
}

/// A name's labels (a trailing dot or not; the root has none).
fn split_labels(name: &str) -> Vec<&[u8]> {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    if trimmed.is_empty() {
        Vec::new()
    } else {
        trimmed.split('.').map(str::as_bytes).collect()
    }
}

fn wire_key(labels: &[&[u8]]) -> Vec<u8> {
    let mut key = Vec::new();
    for label in labels {
        key.push(u8::try_from(label.len()).unwrap_or(u8::MAX));
        key.extend(label.iter().map(u8::to_ascii_lowercase));
    }
    key
}

/// Reads big-endian fields from a message, never past its end.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize) -> Result<&'a [u8], DnsError> {
        let end = self.pos.checked_add(n).ok_or(DnsError::Truncated)?;
        let out = self.buf.get(self.pos..end).ok_or(DnsError::Truncated)?;
        self.pos = end;
        Ok(out)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], DnsError> {
        self.bytes(N)?.try_into().map_err(|_| DnsError::Truncated)
    }
    fn u8(&mut self) -> Result<u8, DnsError> {
        Ok(u8::from_be_bytes(self.array()?))
    }
    fn u16(&mut self) -> Result<u16, DnsError> {
        Ok(u16::from_be_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, DnsError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// Reads a possibly compressed name; leaves `pos` after it.
    fn name(&mut self) -> Result<Vec<&'a [u8]>, DnsError> {
        let mut labels = Vec::new();
        let mut wire_len = 1;
        let mut cursor = Reader { buf: self.buf, pos: self.pos };
        let mut resume = None;
        let mut pointers = 0;
        loop {
            let len = cursor.u8()?;
            match len & 0xC0 {
                0x00 if len == 0 => break,
                0x00 => {
                    let label = cursor.bytes(usize::from(len))?;
                    wire_len += label.len() + 1;
                    if wire_len > MAX_NAME {
                        return Err(DnsError::NameTooLong);
                    }
                    labels.push(label);
                }
                0xC0 => {
                    let target = usize::from(u16::from_be_bytes([len & 0x3F, cursor.u8()?]));
                    pointers += 1;
                    // Pointers must go backwards; that and the count bar loops.
                    if pointers > MAX_POINTERS || target >= cursor.pos - 2 {
                        return Err(DnsError::BadPointer);
                    }
                    resume.get_or_insert(cursor.pos);
                    cursor.pos = target;
                }
                _ => return Err(DnsError::BadLabelType),
            }
        }
        self.pos = resume.unwrap_or(cursor.pos);
        Ok(labels)
    }
}

fn put_name(out: &mut Vec<u8>, labels: &[&[u8]]) {
    for label in labels {
        out.push(label.len() as u8); // labels are checked to be at most 63 bytes
        out.extend_from_slice(label);
    }
    out.push(0);
}

fn header(out: &mut Vec<u8>, id: u16, flags: u16, counts: [u16; 4]) {
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&flags.to_be_bytes());
    for count in counts {
        out.extend_from_slice(&count.to_be_bytes());
    }
}

/// The server's answer to one datagram, or None if it gets no answer.
pub fn answer(query: &[u8], zone: &Zone) -> Option<Vec<u8>> {
    let mut reader = Reader { buf: query, pos: 0 };
    let id = reader.u16().ok()?;
    let flags = reader.u16().ok()?;
    let qdcount = reader.u16().ok()?;
    reader.bytes(6).ok()?;
    if flags & 0x8000 != 0 {
        return None; // a response: answering could start a loop
    }
    let opcode = (flags >> 11) & 0xF;
    // QR, AA, the client's RD and its opcode.
    let base = 0x8000 | 0x0400 | (flags & 0x0100) | (opcode << 11);
    let bare = |rcode: u8| {
        let mut out = Vec::with_capacity(HEADER_LEN);
        header(&mut out, id, base | u16::from(rcode), [0; 4]);
        Some(out)
    };
    if opcode != 0 {
        return bare(NOTIMP);
    }
    if qdcount != 1 {
        return bare(FORMERR);
    }
    let Ok(labels) = reader.name() else { return bare(FORMERR) };
    let (Ok(qtype), Ok(qclass)) = (reader.u16(), reader.u16()) else { return bare(FORMERR) };

    let addresses = zone.find(&labels);
    let (rcode, records): (u8, &[Ipv4Addr]) = match addresses {
        _ if qclass != CLASS_IN && qclass != CLASS_ANY => (REFUSED, &[]),
        None => (NXDOMAIN, &[]),
        Some(a) if qtype == TYPE_A || qtype == TYPE_ANY => (NOERROR, a),
        Some(_) => (NOERROR, &[]),
    };
    let mut question = Vec::with_capacity(MAX_NAME + 5);
    put_name(&mut question, &labels);
    question.extend_from_slice(&qtype.to_be_bytes());
    question.extend_from_slice(&qclass.to_be_bytes());
    let room = (MAX_UDP - HEADER_LEN - question.len()) / 16;
    let shown = records.get(..room).unwrap_or(records);
    let truncated = if shown.len() < records.len() { 0x0200 } else { 0 };
    let mut out = Vec::with_capacity(HEADER_LEN + question.len() + 16 * shown.len());
    header(&mut out, id, base | truncated | u16::from(rcode), [1, shown.len() as u16, 0, 0]);
    out.extend_from_slice(&question);
    for address in shown {
        out.extend_from_slice(&[0xC0, 0x0C]); // the question's name, at offset 12
        out.extend_from_slice(&TYPE_A.to_be_bytes());
        out.extend_from_slice(&CLASS_IN.to_be_bytes());
        out.extend_from_slice(&TTL.to_be_bytes());
        out.extend_from_slice(&4u16.to_be_bytes());
        out.extend_from_slice(&address.octets());
    }
    Some(out)
}

/// The zone a running server answers from, replaced whole while it runs (so
/// a changed zone never needs the server's socket bound again).
#[derive(Debug, Default)]
pub struct LiveZone(std::sync::RwLock<Arc<Zone>>);

impl LiveZone {
    /// A live zone holding `zone`.
    pub fn new(zone: Zone) -> LiveZone {
        LiveZone(std::sync::RwLock::new(Arc::new(zone)))
    }

    /// Answers from `zone` from the next query on.
    pub fn replace(&self, zone: Zone) {
        let zone = Arc::new(zone);
        match self.0.write() {
            Ok(mut g) => *g = zone,
            Err(poisoned) => *poisoned.into_inner() = zone,
        }
    }

    /// The zone now.
    pub fn current(&self) -> Arc<Zone> {
        match self.0.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

/// Answers queries on `socket` from `zone` (as it is at each query) until dropped.
pub async fn serve_dns(socket: tokio::net::UdpSocket, zone: Arc<LiveZone>) {
    let mut buf = vec![0u8; 65_536];
    loop {
        let Ok((len, peer)) = socket.recv_from(&mut buf).await else { continue };
        let zone = zone.current();
        if let Some(response) = buf.get(..len).and_then(|query| answer(query, &zone)) {
            // A lost answer is retried by the client, as over any UDP.
            let _ = socket.send_to(&response, peer).await;
        }
    }
}

/// A recursion-desired query for `name` of type `qtype`, class IN.
pub fn build_query(id: u16, name: &str, qtype: u16) -> Result<Vec<u8>, DnsError> {
    let labels = split_labels(name);
    if labels.iter().any(|l| l.is_empty() || l.len() > MAX_LABEL) {
        return Err(DnsError::BadLabel);
    }
    if labels.iter().map(|l| l.len() + 1).sum::<usize>() + 1 > MAX_NAME {
        return Err(DnsError::NameTooLong);
    }
    let mut out = Vec::new();
    header(&mut out, id, 0x0100, [1, 0, 0, 0]);
    put_name(&mut out, &labels);
    out.extend_from_slice(&qtype.to_be_bytes());
    out.extend_from_slice(&CLASS_IN.to_be_bytes());
    Ok(out)
}

/// What a client needs from a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsResponse {
    /// The query's ID, echoed.
    pub id: u16,
    /// The response code.
    pub rcode: u8,
    /// Whether records were left out.
    pub truncated: bool,
    /// A records of the answer section, with their TTLs.
    pub answers: Vec<(Ipv4Addr, u32)>,
}

/// Reads a response's header and A answers.
pub fn parse_response(message: &[u8]) -> Result<DnsResponse, DnsError> {
    let mut r = Reader { buf: message, pos: 0 };
    let id = r.u16()?;
    let flags = r.u16()?;
    let (qdcount, ancount) = (r.u16()?, r.u16()?);
    r.bytes(4)?;
    for _ in 0..qdcount {
        r.name()?;
        r.bytes(4)?;
    }
    let mut answers = Vec::new();
    for _ in 0..ancount {
        r.name()?;
        let (rtype, class, ttl) = (r.u16()?, r.u16()?, r.u32()?);
        let len = r.u16()?;
        let data = r.bytes(usize::from(len))?;
        if let (TYPE_A, CLASS_IN, Ok(octets)) = (rtype, class, <[u8; 4]>::try_from(data)) {
            answers.push((Ipv4Addr::from(octets), ttl));
        }
    }
    Ok(DnsResponse { id, rcode: (flags & 0xF) as u8, truncated: flags & 0x0200 != 0, answers })
}

#[cfg(test)]
mod tests;
