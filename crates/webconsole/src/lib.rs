//! The web console (`http://127.0.0.1:4566/_console/`): the account, its
//! VPCs and every task's network as pages a user can look at, click and
//! watch change, served by the wire endpoint's own server.
//!
//! Why a crate of its own and not part of `wire`: the console is another
//! front door over the same account and the same actions. It reads the
//! account through [`Host::read`] (rendering from `shapes`' Describe
//! documents and `reach`'s engine, as the CLI does) and changes it only by
//! calling the API's own operations through [`Host::call`], so scaling a
//! service here is exactly `aws ecs update-service`. The server that embeds
//! it implements [`Host`]; the console knows nothing of sessions, stores or
//! sockets, so its pages render and its rules test without a server.
//!
//! Pages are HTML rendered on the server, with one small embedded script
//! for live updates (server-sent events carrying the re-rendered `<main>`),
//! highlights and the map's details; no build chain, no CDN, no outside
//! network.

pub mod actions;
mod assets;
pub mod auth;
pub mod html;
pub mod live;
pub mod pages;

use account::Account;
use std::collections::BTreeMap;

/// Where the console is served.
pub const PREFIX: &str = "/_console";

/// An HTTP request as the server received it.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The method.
    pub method: &'a str,
    /// The path, still percent-encoded.
    pub path: &'a str,
    /// The query string (no `?`).
    pub query: &'a str,
    /// The headers in arrival order.
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
}

impl Request<'_> {
    /// A header's value, by name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// What the console answers.
pub enum Reply {
    /// A whole answer.
    Full(Response),
    /// A stream of server-sent events: the server calls [`live::Live::step`]
    /// until it answers [`live::Step::End`] or the client left.
    Live(Box<live::Live>),
}

/// A whole HTTP answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// The status.
    pub status: u16,
    /// The content type.
    pub content_type: &'static str,
    /// More headers (`Location`, `Set-Cookie`, caching).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A page or fragment of HTML.
    pub fn html(status: u16, body: String) -> Response {
        Response { status, content_type: "text/html; charset=utf-8", headers: no_store(), body: body.into_bytes() }
    }

    /// A redirect after a form (303: the browser follows with a GET).
    pub fn see_other(location: &str) -> Response {
        let mut headers = no_store();
        headers.push(("Location".into(), location.into()));
        Response { status: 303, content_type: "text/plain; charset=utf-8", headers, body: Vec::new() }
    }

    /// Plain text (errors before a page can be drawn).
    pub fn text(status: u16, body: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            headers: no_store(),
            body: body.as_bytes().to_vec(),
        }
    }

    /// A header's value, by name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Pages show the account as it is now: never from a cache, never framed by
/// another site.
fn no_store() -> Vec<(String, String)> {
    vec![
        ("Cache-Control".into(), "no-store".into()),
        ("X-Frame-Options".into(), "DENY".into()),
        ("X-Content-Type-Options".into(), "nosniff".into()),
        ("Content-Security-Policy".into(), CSP.into()),
    ]
}

/// Everything the page loads comes from the console itself.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";

/// An API operation's refusal, as the API answers it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiFailure {
    /// AWS's error code (`InvalidPermission.NotFound`).
    pub code: String,
    /// AWS's message.
    pub message: String,
    /// The HTTP status the API answers with.
    pub status: u16,
}

/// The data plane's counters of one security group rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleCounter {
    /// Packets that matched the rule (the first packets of connections: replies ride the connection's state).
    pub packets: u64,
    /// Their bytes.
    pub bytes: u64,
}

/// Rule ID (`sgr-…`) → its counter, summed over the VPC routers that enforce it.
pub type RuleCounters = BTreeMap<String, RuleCounter>;

/// What the server embedding the console gives it.
pub trait Host: Send + Sync {
    /// Runs `f` on the account as of now (the control plane caught up, as for any API read).
    fn read(&self, f: &mut dyn FnMut(&Account)) -> Result<(), ApiFailure>;
    /// Calls one of the API's operations (`service` by botocore's name:
    /// `ecs`, `ec2`; `operation` by the model's: `UpdateService`) as the
    /// holder of `access_key`, with the input shape's members as JSON; the
    /// answer is the output shape's.
    fn call(
        &self,
        access_key: &str,
        service: &str,
        operation: &str,
        input: serde_json::Value,
    ) -> Result<serde_json::Value, ApiFailure>;
    /// The secret of an access key the account has (its declared keys, or the default `test`).
    fn secret_of(&self, access_key: &str) -> Option<String>;
    /// The data plane's counters of security group rules; `None` when no data plane runs (`serve` alone).
    fn rule_counters(&self) -> Option<RuleCounters>;
}

/// The console of one server: its login sessions.
#[derive(Default)]
pub struct Console {
    sessions: auth::Sessions,
}

impl Console {
    /// A console with nobody logged in.
    pub fn new() -> Console {
        Console::default()
    }

    /// Whether a request is the console's (its path under [`PREFIX`]).
    pub fn is_console(path: &str) -> bool {
        path == PREFIX || path.starts_with("/_console/")
    }

    /// Answers one request under [`PREFIX`].
    pub fn handle(&self, host: &dyn Host, req: &Request<'_>) -> Reply {
        pages::route(self, host, req)
    }

    /// The login sessions.
    pub fn sessions(&self) -> &auth::Sessions {
        &self.sessions
    }
}
