//! The little HTTP/1.1 the Runtime API needs: read a request (Content-Length or chunked
//! bodies, `Expect: 100-continue`), write a response; keep-alive by default.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// Request heads larger than this are refused (the runtime clients send a few hundred bytes).
const MAX_HEAD: usize = 64 * 1024;
/// The largest body kept: Lambda's synchronous response limit, 6291556 bytes as its
/// Runtime API states it ("Exceeded maximum allowed payload size (6291556 bytes).", observed).
/// A larger body is read and dropped, and the request marked `too_large`.
pub const MAX_BODY: usize = 6_291_556;

/// One parsed request.
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path without the query.
    pub path: String,
    /// Header names lowercased, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Whether the client asked to close after this request.
    pub close: bool,
    /// The body was over [`MAX_BODY`] and was dropped.
    pub too_large: bool,
}

impl Request {
    /// The first value of a header (name lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

fn read_line(r: &mut BufReader<TcpStream>, budget: &mut usize) -> io::Result<String> {
    let mut line = Vec::new();
    let n = r.by_ref().take(*budget as u64 + 1).read_until(b'\n', &mut line)?;
    if n == 0 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "closed"));
    }
    if n > *budget {
        return Err(bad("request head too large"));
    }
    *budget -= n;
    while line.last().is_some_and(|c| *c == b'\n' || *c == b'\r') {
        line.pop();
    }
    String::from_utf8(line).map_err(|_| bad("request head is not UTF-8"))
}

/// Reads one request; `Ok(None)` when the client closed the connection between requests.
pub fn read_request(r: &mut BufReader<TcpStream>, w: &mut TcpStream) -> io::Result<Option<Request>> {
    let mut budget = MAX_HEAD;
    let start = match read_line(r, &mut budget) {
        Ok(l) => l,
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut parts = start.split(' ');
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().ok_or_else(|| bad("no request target"))?;
    let version = parts.next().unwrap_or("HTTP/1.0");
    let path = target.split('?').next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let line = read_line(r, &mut budget)?;
        if line.is_empty() {
            break;
        }
        let (n, v) = line.split_once(':').ok_or_else(|| bad("bad header line"))?;
        headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    let mut req = Request { method, path, headers, body: Vec::new(), close: false, too_large: false };
    let conn = req.header("connection").map(str::to_ascii_lowercase);
    req.close = match version {
        "HTTP/1.0" => conn.as_deref() != Some("keep-alive"),
        _ => conn.as_deref() == Some("close"),
    };
    if req.header("expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue")) {
        w.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let chunked = req.header("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    if chunked {
        loop {
            let size_line = read_line(r, &mut budget)?;
            let size_hex = size_line.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size_hex, 16).map_err(|_| bad("bad chunk size"))?;
            if size == 0 {
                // Trailers, then the empty line.
                while !read_line(r, &mut budget)?.is_empty() {}
                break;
            }
            if req.too_large || req.body.len() + size > MAX_BODY {
                req.too_large = true;
                req.body = Vec::new();
                discard(r, size)?;
            } else {
                let at = req.body.len();
                req.body.resize(at + size, 0);
                r.read_exact(&mut req.body[at..])?;
            }
            budget = MAX_HEAD;
            read_line(r, &mut budget)?;
        }
    } else if let Some(len) = req.header("content-length") {
        let len: usize = len.parse().map_err(|_| bad("bad content-length"))?;
        if len > MAX_BODY {
            req.too_large = true;
            discard(r, len)?;
        } else {
            req.body.resize(len, 0);
            r.read_exact(&mut req.body)?;
        }
    }
    Ok(Some(req))
}

/// Reads and drops `n` bytes of a body.
fn discard(r: &mut BufReader<TcpStream>, n: usize) -> io::Result<()> {
    let copied = io::copy(&mut r.by_ref().take(n as u64), &mut io::sink())?;
    if copied < n as u64 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "body cut short"));
    }
    Ok(())
}

/// Writes one response with a Content-Length body.
pub fn write_response(w: &mut TcpStream, status: u16, headers: &[(&str, &str)], body: &[u8]) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        413 => "Request Entity Too Large",
        500 => "Internal Server Error",
        _ => "Status",
    };
    let mut out = Vec::with_capacity(256 + body.len());
    out.extend_from_slice(format!("HTTP/1.1 {status} {reason}\r\n").as_bytes());
    for (n, v) in headers {
        // Header values come from the caller's ids and JSON; CR/LF would split the head.
        let v: String = v.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        out.extend_from_slice(format!("{n}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    w.write_all(&out)?;
    w.flush()
}
