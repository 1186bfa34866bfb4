//! The pages: routing below [`crate::PREFIX`], the layout every page shares
//! (header, navigation, the action's outcome, `<main>` and the live script),
//! and login.
//!
//! A page module draws only its `<main>` from a [`View`] of the account
//! (`render(path, view) -> Option<Page>`, `None` for a path it does not
//! know); the same function serves the first load and every live redraw.

pub mod ecs;
pub mod lb;
mod map;
pub mod overview;
pub mod reach;
pub mod sg;
pub mod vpc;

use crate::html::{esc, field, form_pairs};
use crate::{actions, assets, auth, live, Console, Host, Reply, Request, Response, RuleCounters};
use account::Account;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

/// What a page module draws from.
pub struct View<'a> {
    /// The account as of now.
    pub account: &'a Account,
    /// The query's pairs, decoded.
    pub query: &'a [(String, String)],
    /// The session's form token (every form that changes something carries it).
    pub csrf: &'a str,
    /// The page's own URL (forms come back to it).
    pub here: &'a str,
    /// The data plane's rule counters (`None` without `up`; only the security group pages get them).
    pub counters: Option<&'a RuleCounters>,
}

impl View<'_> {
    /// A query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        field(self.query, name).filter(|v| !v.is_empty())
    }
}

/// A drawn page.
pub struct Page {
    /// The `<title>` and the heading's text.
    pub title: String,
    /// The navigation entry it belongs to.
    pub section: Section,
    /// The `<main>` content.
    pub body: String,
}

/// The navigation's entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Stacks, services and findings.
    Overview,
    /// The VPC map.
    Vpc,
    /// Clusters, services, tasks, container instances.
    Ecs,
    /// Load balancers, listeners, target groups.
    Lb,
    /// Security groups and their rules.
    Sg,
    /// The reachability form and the audit.
    Reach,
}

const NAV: [(Section, &str, &str); 6] = [
    (Section::Overview, "/", "Overview"),
    (Section::Vpc, "/vpc", "VPC map"),
    (Section::Ecs, "/ecs", "ECS"),
    (Section::Lb, "/lb", "Load balancing"),
    (Section::Sg, "/sg", "Security groups"),
    (Section::Reach, "/reach", "Reachability"),
];

/// A `<main>` drawn for a live stream, with its revision.
pub struct Drawn {
    /// The HTML of `<main>`'s content.
    pub main: String,
    /// A fingerprint of it.
    pub rev: String,
}

/// Answers one request under the prefix.
pub fn route(console: &Console, host: &dyn Host, req: &Request<'_>) -> Reply {
    let rest = req.path.strip_prefix(crate::PREFIX).unwrap_or("");
    if rest.is_empty() {
        return Reply::Full(Response::see_other(&format!("{}/", crate::PREFIX)));
    }
    if let Some(name) = rest.strip_prefix("/assets/") {
        return Reply::Full(assets::serve(name));
    }
    match (req.method, rest) {
        ("GET", "/login") => return Reply::Full(login_page(host, None, 200)),
        ("POST", "/login") => return Reply::Full(login(console, host, req)),
        ("POST", "/logout") => return Reply::Full(logout(console, req)),
        _ => {}
    }
    let Some((token, session)) = console.sessions().get(req) else {
        if req.method == "GET" && rest != "/live" {
            return Reply::Full(Response::see_other(&format!("{}/login", crate::PREFIX)));
        }
        return Reply::Full(Response::text(401, "Log in to the tasknet console first."));
    };
    if let Some(name) = rest.strip_prefix("/actions/") {
        if req.method != "POST" {
            return Reply::Full(Response::text(405, "Actions are POSTed from the console's forms."));
        }
        return Reply::Full(actions::perform(console, host, req, name));
    }
    if req.method != "GET" {
        return Reply::Full(Response::text(405, "Method not allowed."));
    }
    if rest == "/live" {
        let q = form_pairs(req.query);
        let page = field(&q, "page").unwrap_or("/").to_string();
        let (path, query) = page.split_once('?').unwrap_or((&page, ""));
        let rev = field(&q, "rev").unwrap_or("").to_string();
        return Reply::Live(Box::new(live::Live::new(token, path.to_string(), query.to_string(), rev)));
    }
    let here = if req.query.is_empty() { req.path.to_string() } else { format!("{}?{}", req.path, req.query) };
    let drawn = match draw(host, rest, req.query, &session.csrf, &here) {
        Ok(d) => d,
        Err(resp) => return Reply::Full(resp),
    };
    let flash = console.sessions().take_flash(&token);
    Reply::Full(Response::html(200, layout(&drawn, &session, flash.as_ref(), &here)))
}

/// A page drawn, before the layout.
struct Full {
    page: Page,
    rev: String,
    live: String,
}

/// Draws the page at `rest?query` (`rest` below the prefix).
fn draw(host: &dyn Host, rest: &str, query: &str, csrf: &str, here: &str) -> Result<Full, Response> {
    let pairs = form_pairs(query);
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let counters = if segs.first() == Some(&"sg") { host.rule_counters() } else { None };
    let mut page: Option<Page> = None;
    let read = host.read(&mut |account| {
        let view = View { account, query: &pairs, csrf, here, counters: counters.as_ref() };
        page = render(&segs, &view);
    });
    if let Err(e) = read {
        return Err(Response::text(e.status.max(500), &format!("The account cannot be read: {e}")));
    }
    let Some(page) = page else {
        return Err(Response::html(404, not_found(rest)));
    };
    let rev = fingerprint(&page.body);
    let live = if query.is_empty() { rest.to_string() } else { format!("{rest}?{query}") };
    Ok(Full { page, rev, live })
}

/// The page module for a path's first segment.
fn render(segs: &[&str], view: &View<'_>) -> Option<Page> {
    match segs.split_first() {
        None => overview::render(&[], view),
        Some((&"stacks", _)) => overview::render(segs, view),
        Some((&"vpc", rest)) => vpc::render(rest, view),
        Some((&"ecs", rest)) => ecs::render(rest, view),
        Some((&"lb", rest)) => lb::render(rest, view),
        Some((&"sg", rest)) => sg::render(rest, view),
        Some((&"reach", rest)) => reach::render(rest, view),
        Some(_) => None,
    }
}

/// A live redraw of the page at `path?query` for the session `token`; `None` ends the stream.
pub fn draw_main(console: &Console, host: &dyn Host, token: &str, path: &str, query: &str) -> Option<Drawn> {
    let session = console.sessions().by_token(token)?;
    let rest = path.strip_prefix(crate::PREFIX).unwrap_or(path);
    let here =
        if query.is_empty() { format!("{}{rest}", crate::PREFIX) } else { format!("{}{rest}?{query}", crate::PREFIX) };
    let full = draw(host, rest, query, &session.csrf, &here).ok()?;
    Some(Drawn { main: full.page.body, rev: full.rev })
}

/// A short fingerprint of a page's content (whether the browser's copy is current).
fn fingerprint(body: &str) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// The page around its `<main>`.
fn layout(full: &Full, session: &auth::Session, flash: Option<&auth::Flash>, here: &str) -> String {
    let mut nav = String::new();
    for (section, path, name) in NAV {
        let current = if section == full.page.section { " aria-current=\"page\"" } else { "" };
        let _ = write!(nav, "<li><a href=\"{}{path}\"{current}>{name}</a></li>", crate::PREFIX);
    }
    let flash = flash.map_or(String::new(), |f| {
        let (class, role) = if f.error { ("flash bad", "alert") } else { ("flash good", "status") };
        format!("<div class=\"{class}\" role=\"{role}\">{}</div>", esc(&f.text))
    });
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} · tasknet</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"{p}/assets/console.css\"></head><body>\
<a class=\"skip\" href=\"#main\">Skip to content</a>\
<header class=\"top\"><a class=\"brand\" href=\"{p}/\">tasknet</a>\
<nav aria-label=\"Sections\"><ul>{nav}</ul></nav>\
<div class=\"who\"><span class=\"live-state\" id=\"live-state\" role=\"status\">live</span> \
<span>{key}</span><form method=\"post\" action=\"{p}/logout\">{guard}<button type=\"submit\">Log out</button></form></div></header>\
{flash}<main id=\"main\" tabindex=\"-1\" data-live=\"{live}\" data-rev=\"{rev}\">{body}</main>\
<script src=\"{p}/assets/console.js\"></script></body></html>",
        title = esc(&full.page.title),
        p = crate::PREFIX,
        key = esc(&session.access_key),
        guard = crate::html::form_guard(&session.csrf, here),
        live = esc(&full.live),
        rev = full.rev,
        body = full.page.body,
    )
}

fn not_found(rest: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found · tasknet</title>\
<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"{p}/assets/console.css\"></head><body><main id=\"main\">\
<h1>Not found</h1><p>The console has no page <code>{}</code>, or what it names does not exist (any more).</p>\
<p><a href=\"{p}/\">Overview</a></p></main></body></html>",
        esc(rest),
        p = crate::PREFIX
    )
}

/// The login form; `error` says why the last attempt failed.
fn login_page(host: &dyn Host, error: Option<&str>, status: u16) -> Response {
    // The server's default key (`test`/`test`), when the account still accepts it.
    let hint = if host.secret_of("test").is_some_and(|s| s == "test") {
        "<p class=\"hint\">This account accepts the default key: access key <code>test</code>, secret <code>test</code>.</p>"
    } else {
        ""
    };
    let error = error.map_or(String::new(), |e| format!("<div class=\"flash bad\" role=\"alert\">{}</div>", esc(e)));
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Log in · tasknet</title>\
<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"{p}/assets/console.css\"></head><body class=\"login\"><main id=\"main\">\
<h1>tasknet console</h1><p>Log in with an access key of the account, as the API's clients sign with it.</p>{error}\
<form method=\"post\" action=\"{p}/login\" class=\"stack\">\
<label for=\"access-key\">Access key ID</label><input id=\"access-key\" name=\"access_key\" autocomplete=\"username\" required>\
<label for=\"secret-key\">Secret access key</label><input id=\"secret-key\" name=\"secret_key\" type=\"password\" autocomplete=\"current-password\" required>\
<button type=\"submit\">Log in</button></form>{hint}</main></body></html>",
        p = crate::PREFIX
    );
    Response::html(status, body)
}

fn login(console: &Console, host: &dyn Host, req: &Request<'_>) -> Response {
    if !auth::same_origin(req) {
        return Response::text(403, "The login came from another site.");
    }
    let form = form_pairs(&String::from_utf8_lossy(req.body));
    let key = field(&form, "access_key").unwrap_or("").trim();
    let secret = field(&form, "secret_key").unwrap_or("");
    match host.secret_of(key) {
        Some(expected) if !key.is_empty() && auth::secret_matches(secret, &expected) => {
            let token = console.sessions().start(key);
            let mut resp = Response::see_other(&format!("{}/", crate::PREFIX));
            resp.headers.push(("Set-Cookie".into(), auth::set_cookie(&token)));
            resp
        }
        // One answer for an unknown key and a wrong secret, as the API gives neither away.
        _ => login_page(host, Some("The access key ID or the secret access key is not right."), 401),
    }
}

fn logout(console: &Console, req: &Request<'_>) -> Response {
    let form = form_pairs(&String::from_utf8_lossy(req.body));
    if let Ok((token, _)) = console.sessions().check_change(req, field(&form, "csrf")) {
        console.sessions().end(&token);
    }
    let mut resp = Response::see_other(&format!("{}/login", crate::PREFIX));
    resp.headers.push(("Set-Cookie".into(), auth::clear_cookie()));
    resp
}
