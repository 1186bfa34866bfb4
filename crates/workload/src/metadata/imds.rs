//! Instance metadata (169.254.169.254), versions 1 and 2 (AWS doc "Use the
//! Instance Metadata Service to access instance metadata", "Instance
//! metadata categories"):
//!
//! - `PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds`
//!   (1–21,600) answers a session token, echoing the TTL in that header; a
//!   missing or bad TTL is 400, and a PUT with `X-Forwarded-For` is refused
//!   (403), as IMDS refuses tokens to requests that came through a proxy.
//! - A GET with `X-aws-ec2-metadata-token` must carry a token this endpoint
//!   issued that has not expired, else 401. Without the header it is
//!   answered only when the instance's `HttpTokens` is `optional` (v1).
//! - `/latest/meta-data/…` and `/latest/dynamic/…` answer a leaf's text, or a
//!   folder's listing (one child a line, folders with a trailing `/`);
//!   anything else is 404.
//!
//! Error bodies are IMDS's XHTML page for the status (as instances are seen
//! to answer; not in a doc page).

use super::{Answer, Ask, Endpoint};
use account::credentials::MetadataTree;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;

/// The header a token request gives its TTL in, and a token answer echoes.
pub const TTL_HEADER: &str = "X-aws-ec2-metadata-token-ttl-seconds";
/// The header a request carries its token in.
pub const TOKEN_HEADER: &str = "X-aws-ec2-metadata-token";
/// The longest token TTL: six hours (AWS doc "Use the Instance Metadata Service").
pub const MAX_TTL_SECS: u64 = 21_600;
/// Tokens kept at most; the oldest go first (a bound tasknet chose).
const MAX_TOKENS: usize = 4096;

/// What the endpoint answers for its instance right now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InstanceView {
    /// The items by path under `/latest/` (`account::credentials::instance_metadata`).
    pub tree: MetadataTree,
    /// `MetadataOptions.HttpTokens` is `required`: version 1 requests are refused.
    pub tokens_required: bool,
}

/// Where the endpoint reads its instance's view and the wall clock.
pub type ViewSource = dyn Fn() -> Option<InstanceView> + Send + Sync;

/// Instance metadata for one instance.
pub struct Imds {
    view: Box<ViewSource>,
    now_ms: Box<dyn Fn() -> u64 + Send + Sync>,
    /// Issued tokens and when each expires (wall ms).
    tokens: Mutex<HashMap<String, u64>>,
}

impl Imds {
    /// An endpoint answering from `view`, with tokens timed by `now_ms`.
    pub fn new(
        view: impl Fn() -> Option<InstanceView> + Send + Sync + 'static,
        now_ms: impl Fn() -> u64 + Send + Sync + 'static,
    ) -> Imds {
        Imds { view: Box::new(view), now_ms: Box::new(now_ms), tokens: Mutex::new(HashMap::new()) }
    }

    fn token(&self, ask: &Ask, now: u64) -> Answer {
        if ask.get("x-forwarded-for").is_some() {
            return page(403);
        }
        let Some(ttl) = ask.get(TTL_HEADER).and_then(|t| t.trim().parse::<u64>().ok()) else { return page(400) };
        if !(1..=MAX_TTL_SECS).contains(&ttl) {
            return page(400);
        }
        let token = random_token();
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        tokens.retain(|_, expires| *expires > now);
        if tokens.len() >= MAX_TOKENS {
            if let Some(oldest) = tokens.iter().min_by_key(|(_, e)| **e).map(|(t, _)| t.clone()) {
                tokens.remove(&oldest);
            }
        }
        tokens.insert(token.clone(), now + ttl * 1000);
        let mut a = Answer::new(200, "text/plain", token);
        a.headers.push((TTL_HEADER, ttl.to_string()));
        a
    }

    /// Whether the request may read: a live token of ours, or none where v1 is allowed.
    fn authorized(&self, ask: &Ask, view: &InstanceView, now: u64) -> bool {
        match ask.get(TOKEN_HEADER) {
            Some(t) => {
                let tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
                tokens.get(t).is_some_and(|expires| *expires > now)
            }
            None => !view.tokens_required,
        }
    }
}

impl Endpoint for Imds {
    fn answer(&self, ask: &Ask) -> Answer {
        let now = (self.now_ms)();
        let path = ask.path();
        let Some(view) = (self.view)() else { return page(404) };
        match ask.method.as_str() {
            "PUT" if path == "/latest/api/token" => return self.token(ask, now),
            "GET" | "HEAD" => {}
            _ => return page(405),
        }
        if !self.authorized(ask, &view, now) {
            return page(401);
        }
        let Some(under) = path.strip_prefix("/latest") else { return page(404) };
        let key = under.trim_start_matches('/');
        match lookup(&view.tree, key) {
            Some(text) => Answer::new(200, "text/plain", text),
            None => page(404),
        }
    }
}

/// A leaf's text, or a folder's listing (`""` is the root: `dynamic`, `meta-data`).
fn lookup(tree: &MetadataTree, key: &str) -> Option<String> {
    if let Some(v) = tree.get(key).filter(|_| !key.ends_with('/')) {
        return Some(v.clone());
    }
    let folder = key.trim_end_matches('/');
    let prefix = if folder.is_empty() { String::new() } else { format!("{folder}/") };
    let mut children: Vec<String> = Vec::new();
    for k in tree.keys().filter(|k| k.starts_with(&prefix)) {
        let rest = &k[prefix.len()..];
        let child = match rest.split_once('/') {
            Some((dir, _)) => format!("{dir}/"),
            None => rest.to_string(),
        };
        // A folder's keys are next to each other in the sorted tree.
        if children.last() != Some(&child) {
            children.push(child);
        }
    }
    if children.is_empty() {
        return None;
    }
    if folder.is_empty() {
        // The root lists its folders without the slash, as IMDS lists `/latest/`.
        children.iter_mut().for_each(|c| *c = c.trim_end_matches('/').to_string());
    }
    Some(children.join("\n"))
}

/// IMDS's error page for `status`.
fn page(status: u16) -> Answer {
    let title = match status {
        400 => "400 - Bad Request",
        401 => "401 - Unauthorized",
        403 => "403 - Forbidden",
        405 => "405 - Method Not Allowed",
        _ => "404 - Not Found",
    };
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n\t\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n <head>\n  <title>{title}</title>\n </head>\n <body>\n  <h1>{title}</h1>\n </body>\n</html>\n"
    );
    Answer::new(status, "text/html", body)
}

/// A fresh token: 56 characters of base64's alphabet from the OS-seeded
/// hasher (tokens must not be guessable; real ones are opaque base64).
fn random_token() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let state = std::collections::hash_map::RandomState::new();
    let mut out = String::with_capacity(56);
    let mut i = 0u64;
    while out.len() < 56 {
        let mut h = state.build_hasher();
        h.write_u64(i);
        let mut word = h.finish();
        for _ in 0..10 {
            out.push(ALPHABET[(word % 64) as usize] as char);
            word >>= 6;
        }
        i += 1;
    }
    out.truncate(56);
    out
}

#[cfg(test)]
mod tests;
