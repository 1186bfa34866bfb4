//! Shared helpers of the lambda crate's integration tests (real python and node).
#![allow(dead_code)]

use lambda::{Code, FunctionSpec, InvokeContext, Runner};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// The cache under target/, shared by every test run so the venv is built once.
pub fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lambda-cache")
}

pub fn runner() -> Runner {
    Runner::new(cache_dir())
}

pub fn spec(name: &str, runtime: &str, code: Code, handler: &str) -> FunctionSpec {
    FunctionSpec {
        name: name.to_string(),
        arn: format!("arn:aws:lambda:us-east-1:123456789012:function:{name}"),
        version: "$LATEST".into(),
        runtime: runtime.into(),
        handler: handler.into(),
        code,
        code_sha256: String::new(),
        timeout_s: 10,
        memory_mb: 128,
        environment: BTreeMap::new(),
    }
}

pub fn inline(name: &str, runtime: &str, source: &str) -> FunctionSpec {
    spec(name, runtime, Code::Inline(source.to_string()), "index.handler")
}

pub fn ctx() -> InvokeContext {
    InvokeContext {
        endpoint_url: "http://127.0.0.1:4566".into(),
        region: "us-east-1".into(),
        access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        session_token: Some("token-1".into()),
        request_id: None,
    }
}

pub fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

/// A request the test server received.
#[derive(Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A one-request HTTP server on 127.0.0.1:0 (a stand-in for CloudFormation's pre-signed
/// response URL). Returns its base URL and where the request arrives.
pub fn one_shot_server() -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((conn, _)) = listener.accept() else { return };
        conn.set_read_timeout(Some(Duration::from_secs(20))).ok();
        let mut w = conn.try_clone().unwrap();
        let mut r = BufReader::new(conn);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            r.read_line(&mut h).unwrap();
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (n, v) = h.split_once(':').unwrap();
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
        let len: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(0);
        let mut body = vec![0; len];
        r.read_exact(&mut body).unwrap();
        w.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
        let _ = tx.send(Received { method, path, headers, body });
    });
    (url, rx)
}

/// Checks the START/END/REPORT lines of an invocation as Lambda writes them.
pub fn assert_platform_lines(inv: &lambda::Invocation, memory_mb: u32, cold: bool) {
    let id = &inv.request_id;
    let lines: Vec<&str> = inv.log_lines.iter().map(|(_, l)| l.as_str()).collect();
    let start = lines
        .iter()
        .position(|l| *l == format!("START RequestId: {id} Version: $LATEST"))
        .unwrap_or_else(|| panic!("no START in {lines:#?}"));
    let end = lines
        .iter()
        .position(|l| *l == format!("END RequestId: {id}"))
        .unwrap_or_else(|| panic!("no END in {lines:#?}"));
    assert!(start < end, "{lines:#?}");
    let report = lines[end + 1];
    let re = regex_lite(report, id, memory_mb);
    assert!(re, "REPORT line has Lambda's shape: {report:?}");
    assert_eq!(report.contains("\tInit Duration: "), cold, "{report:?}");
    assert_eq!(inv.init_duration_ms.is_some(), cold);
    let mut last = 0;
    for (t, _) in &inv.log_lines {
        assert!(*t >= last && *t > 1_600_000_000_000, "times ascend");
        last = *t;
    }
}

/// `REPORT RequestId: <id>\tDuration: X.XX ms\tBilled Duration: N ms\tMemory Size: M MB\tMax Memory Used: U MB\t[Init Duration: Z.ZZ ms\t]`
fn regex_lite(report: &str, id: &str, memory_mb: u32) -> bool {
    let Some(rest) = report.strip_prefix(&format!("REPORT RequestId: {id}\tDuration: ")) else {
        return false;
    };
    let fields: Vec<&str> = rest.split('\t').collect();
    let num = |s: &str, unit: &str| s.strip_suffix(unit).is_some_and(|n| n.parse::<f64>().is_ok());
    let two_decimals = |s: &str| s.split(' ').next().is_some_and(|n| n.split('.').nth(1).is_some_and(|d| d.len() == 2));
    fields.len() >= 5
        && num(fields[0], " ms")
        && two_decimals(fields[0])
        && fields[1]
            .strip_prefix("Billed Duration: ")
            .is_some_and(|b| b.strip_suffix(" ms").is_some_and(|n| n.parse::<u64>().is_ok()))
        && fields[2] == format!("Memory Size: {memory_mb} MB")
        && fields[3]
            .strip_prefix("Max Memory Used: ")
            .is_some_and(|b| b.strip_suffix(" MB").is_some_and(|n| n.parse::<u64>().is_ok_and(|n| n > 0)))
        && match fields.len() {
            5 => fields[4].is_empty(),
            6 => {
                fields[4].strip_prefix("Init Duration: ").is_some_and(|f| num(f, " ms") && two_decimals(f))
                    && fields[5].is_empty()
            }
            _ => false,
        }
}
