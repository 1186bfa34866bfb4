//! What the wire crate's integration tests share: a server on a fresh state
//! folder (removed when the test ends) and requests signed with the default
//! key as botocore signs them, sent to `State::handle`.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};
use std::sync::Arc;
use wire::dispatch::{HttpRequest, HttpResponse};
use wire::server::State;

/// A state folder under the system's temporary folder, removed on drop.
pub struct Folder(PathBuf);

impl Folder {
    /// A folder at `path`, removed on drop.
    pub fn at(path: PathBuf) -> Folder {
        Folder(path)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        // Best effort: a leftover folder in the temp dir harms nothing.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A server holding the account of a fresh state folder named after `name`.
pub fn server(name: &str) -> (Arc<State>, Folder) {
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("tasknet-wire-{name}-{}-{n}", std::process::id()));
    let config = wire::Config::new(([127, 0, 0, 1], 0).into(), Some(dir.clone()));
    (State::open(&config).unwrap_or_else(|e| panic!("{e}")), Folder(dir))
}

/// Percent-encodes a form value as botocore does.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `request` signed with the default key for the signing name `service`, now.
pub fn signed(mut request: HttpRequest, service: &str) -> HttpRequest {
    let now = i64::try_from(runtime::clock::wall_clock_ms() / 1000).unwrap_or(0);
    request.sign("test", "test", "us-east-1", service, now);
    request
}

/// A signed POST of `body` with `headers` (and the host) for `service`.
fn post(state: &Arc<State>, service: &str, headers: &[(&str, &str)], body: &[u8]) -> HttpResponse {
    let mut all = vec![("host".to_string(), "127.0.0.1".to_string())];
    all.extend(headers.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let req = HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        query: String::new(),
        headers: all,
        body: body.to_vec(),
    };
    state.handle(&signed(req, service))
}

/// A query/EC2 form request of `form` (already encoded) for `service`.
pub fn form(state: &Arc<State>, service: &str, form: &str) -> HttpResponse {
    post(state, service, &[("content-type", "application/x-www-form-urlencoded; charset=utf-8")], form.as_bytes())
}

/// `Action=action&Version=version` and `params` (encoded here) for `service`.
pub fn action(state: &Arc<State>, service: &str, version: &str, action: &str, params: &[(&str, &str)]) -> HttpResponse {
    let mut body = format!("Action={action}&Version={version}");
    for (k, v) in params {
        body.push_str(&format!("&{k}={}", enc(v)));
    }
    form(state, service, &body)
}

/// A JSON 1.1 request to `target` for `service`.
pub fn json(state: &Arc<State>, target: &str, service: &str, body: &str) -> HttpResponse {
    post(state, service, &[("content-type", "application/x-amz-json-1.1"), ("x-amz-target", target)], body.as_bytes())
}

/// The text of the first `<tag>` in `xml`.
pub fn tag<'x>(xml: &'x str, tag: &str) -> Option<&'x str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(&xml[start..end])
}

/// A request of any method, signed with `key` (access key, secret, and a
/// session token sent as `X-Amz-Security-Token` when given), for `service`.
pub struct Call<'a> {
    /// The method.
    pub method: &'a str,
    /// The path, percent-encoded.
    pub path: &'a str,
    /// The query string.
    pub query: &'a str,
    /// Headers besides the host.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

/// Sends `call` signed with `key` for the signing name `service`.
pub fn call_as(state: &Arc<State>, service: &str, key: (&str, &str, Option<&str>), call: &Call<'_>) -> HttpResponse {
    let mut headers = vec![("host".to_string(), "127.0.0.1".to_string())];
    headers.extend(call.headers.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    if let Some(token) = key.2 {
        headers.push(("x-amz-security-token".into(), token.into()));
    }
    let mut req = HttpRequest {
        method: call.method.into(),
        path: call.path.into(),
        query: call.query.into(),
        headers,
        body: call.body.to_vec(),
    };
    let now = i64::try_from(runtime::clock::wall_clock_ms() / 1000).unwrap_or(0);
    req.sign(key.0, key.1, "us-east-1", service, now);
    state.handle(&req)
}

/// Sends `call` signed with the default key.
pub fn call(state: &Arc<State>, service: &str, call: &Call<'_>) -> HttpResponse {
    call_as(state, service, ("test", "test", None), call)
}
