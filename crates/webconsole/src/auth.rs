//! Logging in with the account's access key, the session cookie, and the
//! guards on every change: a request that changes the account needs a
//! session, the session's own form token, and (when the browser says where
//! it comes from) an `Origin` of this very server.
//!
//! Why a login with the access key and not an open page: the console can do
//! whatever the API can (stop tasks, revoke rules), so it asks for the same
//! credentials the API's signatures prove. The secret is checked once at
//! login and never stored in the browser; the cookie holds a random token
//! that is `HttpOnly` (no script reads it) and `SameSite=Strict` (no other
//! site's page sends it).

use crate::Request;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const COOKIE: &str = "tasknet_console";

/// How long a session lasts without use (the AWS console's default session is 12 hours; tasknet's own choice).
const IDLE: Duration = Duration::from_secs(12 * 3600);

/// At most this many sessions are kept (the oldest is dropped): a bound on what logins can allocate.
const MAX_SESSIONS: usize = 256;

/// One logged-in browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The access key it logged in with (every action is called as its holder).
    pub access_key: String,
    /// The token its forms carry (`csrf`), different from the cookie's.
    pub csrf: String,
    /// A message for the next page drawn (an action's outcome), shown once.
    pub flash: Option<Flash>,
    last_used: Instant,
}

/// An action's outcome, shown on the next page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flash {
    /// Whether the action was refused.
    pub error: bool,
    /// What to say.
    pub text: String,
}

/// The console's sessions, in memory for the server's life (a restart logs everyone out).
#[derive(Default)]
pub struct Sessions {
    by_token: Mutex<BTreeMap<String, Session>>,
}

/// Why a request may not go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No valid session: log in first.
    NotLoggedIn,
    /// A change without the session's form token, or from another origin.
    Forged,
}

impl Sessions {
    /// Starts a session for `access_key`; returns its cookie token.
    pub fn start(&self, access_key: &str) -> String {
        let token = random_token();
        let session =
            Session { access_key: access_key.into(), csrf: random_token(), flash: None, last_used: Instant::now() };
        let mut all = self.lock();
        all.retain(|_, s| s.last_used.elapsed() < IDLE);
        if all.len() >= MAX_SESSIONS {
            if let Some(oldest) = all.iter().min_by_key(|(_, s)| s.last_used).map(|(t, _)| t.clone()) {
                all.remove(&oldest);
            }
        }
        all.insert(token.clone(), session);
        token
    }

    /// The session a request's cookie names, refreshed; `None` when it has none or it expired.
    pub fn get(&self, req: &Request<'_>) -> Option<(String, Session)> {
        let token = cookie(req, COOKIE)?;
        let mut all = self.lock();
        let s = all.get_mut(token)?;
        if s.last_used.elapsed() >= IDLE {
            all.remove(token);
            return None;
        }
        s.last_used = Instant::now();
        Some((token.to_string(), s.clone()))
    }

    /// Whether the session of `token` still exists (not ended, not expired).
    pub fn alive(&self, token: &str) -> bool {
        self.by_token(token).is_some()
    }

    /// The session of `token`, if it is alive.
    pub fn by_token(&self, token: &str) -> Option<Session> {
        self.lock().get(token).filter(|s| s.last_used.elapsed() < IDLE).cloned()
    }

    /// Ends the session of `token`.
    pub fn end(&self, token: &str) {
        self.lock().remove(token);
    }

    /// Leaves a message for the session's next page.
    pub fn set_flash(&self, token: &str, flash: Flash) {
        if let Some(s) = self.lock().get_mut(token) {
            s.flash = Some(flash);
        }
    }

    /// Takes the session's message (it is shown once).
    pub fn take_flash(&self, token: &str) -> Option<Flash> {
        self.lock().get_mut(token).and_then(|s| s.flash.take())
    }

    /// The session of a request that changes something, checked against
    /// cross-site forgery: its form's `csrf` must be the session's, and an
    /// `Origin` header, when the browser sends one, must be this server.
    pub fn check_change(&self, req: &Request<'_>, form_csrf: Option<&str>) -> Result<(String, Session), Refusal> {
        let (token, s) = self.get(req).ok_or(Refusal::NotLoggedIn)?;
        if !same_origin(req) {
            return Err(Refusal::Forged);
        }
        match form_csrf {
            Some(c) if constant_time_eq(c.as_bytes(), s.csrf.as_bytes()) => Ok((token, s)),
            _ => Err(Refusal::Forged),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Session>> {
        self.by_token.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Whether the request's `Origin` (when sent) names the host it was sent to.
pub fn same_origin(req: &Request<'_>) -> bool {
    let Some(origin) = req.header("origin") else { return true };
    let Some(host) = req.header("host") else { return false };
    let origin = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")).unwrap_or("");
    origin.eq_ignore_ascii_case(host)
}

/// The `Set-Cookie` value that starts a session.
pub fn set_cookie(token: &str) -> String {
    format!("{COOKIE}={token}; Path={}; HttpOnly; SameSite=Strict", crate::PREFIX)
}

/// The `Set-Cookie` value that ends it.
pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path={}; HttpOnly; SameSite=Strict; Max-Age=0", crate::PREFIX)
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie<'a>(req: &Request<'a>, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        .flat_map(|(_, v)| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// Whether a login's secret is the key's (compared in constant time).
pub fn secret_matches(given: &str, expected: &str) -> bool {
    constant_time_eq(given.as_bytes(), expected.as_bytes())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 32 random bytes as hex, from the operating system.
fn random_token() -> String {
    let mut buf = [0u8; 32];
    if getrandom::getrandom(&mut buf).is_err() {
        // No randomness from the OS: fall back to the hasher's random keys and the time.
        use std::hash::{BuildHasher, Hasher};
        for chunk in buf.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()),
            );
            chunk.copy_from_slice(&h.finish().to_le_bytes()[..chunk.len()]);
        }
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(headers: &'a [(String, String)]) -> Request<'a> {
        Request { method: "POST", path: "/_console/actions/x", query: "", headers, body: b"" }
    }

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_started_session_is_found_by_its_cookie_and_ended() {
        let s = Sessions::default();
        let token = s.start("test");
        let headers = h(&[("Cookie", &format!("other=1; {COOKIE}={token}"))]);
        let (t, found) = s.get(&req(&headers)).expect("the session");
        assert_eq!((t.as_str(), found.access_key.as_str()), (token.as_str(), "test"));
        s.end(&token);
        assert!(s.get(&req(&headers)).is_none());
    }

    #[test]
    fn changes_need_the_forms_token_and_the_same_origin() {
        let s = Sessions::default();
        let token = s.start("test");
        let cookie = format!("{COOKIE}={token}");
        let ok = h(&[("Cookie", &cookie), ("Host", "127.0.0.1:4566"), ("Origin", "http://127.0.0.1:4566")]);
        let csrf = s.get(&req(&ok)).expect("session").1.csrf;
        assert!(s.check_change(&req(&ok), Some(&csrf)).is_ok());
        assert_eq!(s.check_change(&req(&ok), Some("nope")), Err(Refusal::Forged));
        assert_eq!(s.check_change(&req(&ok), None), Err(Refusal::Forged));
        let other = h(&[("Cookie", &cookie), ("Host", "127.0.0.1:4566"), ("Origin", "http://evil.example")]);
        assert_eq!(s.check_change(&req(&other), Some(&csrf)), Err(Refusal::Forged));
        let none = h(&[("Host", "127.0.0.1:4566")]);
        assert_eq!(s.check_change(&req(&none), Some(&csrf)), Err(Refusal::NotLoggedIn));
    }

    #[test]
    fn tokens_are_random_and_long() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn flash_is_shown_once() {
        let s = Sessions::default();
        let token = s.start("test");
        s.set_flash(&token, Flash { error: false, text: "done".into() });
        assert_eq!(s.take_flash(&token).map(|f| f.text), Some("done".into()));
        assert_eq!(s.take_flash(&token), None);
    }
}
