//! The web console through the server that embeds it: logging in with the
//! account's key, actions that are the API's own operations (what the
//! console did is what `describe-security-group-rules` shows), the guards
//! against forged requests, and a live page that sees a change.

mod support;

use std::sync::Arc;
use wire::server::{ConsoleHost, State};

fn get<'a>(path: &'a str, query: &'a str, headers: &'a [(String, String)]) -> webconsole::Request<'a> {
    webconsole::Request { method: "GET", path, query, headers, body: b"" }
}

fn full(reply: webconsole::Reply) -> webconsole::Response {
    match reply {
        webconsole::Reply::Full(r) => r,
        webconsole::Reply::Live(_) => panic!("a whole answer was expected, not a stream"),
    }
}

fn text(r: &webconsole::Response) -> String {
    String::from_utf8_lossy(&r.body).into_owned()
}

/// Logs in through the form; returns the cookie header and the session's form token.
fn login(state: &Arc<State>, host: &ConsoleHost) -> (Vec<(String, String)>, String) {
    let headers = vec![("Host".to_string(), "127.0.0.1:4566".to_string())];
    let req = webconsole::Request {
        method: "POST",
        path: "/_console/login",
        query: "",
        headers: &headers,
        body: b"access_key=test&secret_key=test",
    };
    let r = full(state.console().handle(host, &req));
    assert_eq!(r.status, 303, "{}", text(&r));
    let cookie = r.header("set-cookie").expect("a session cookie").split(';').next().expect("name=value").to_string();
    let mut with_cookie = headers.clone();
    with_cookie.push(("Cookie".into(), cookie));
    let page = text(&full(state.console().handle(host, &get("/_console/", "", &with_cookie))));
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page's form token")
        .to_string();
    (with_cookie, csrf)
}

/// A form POSTed to the action `name` with the session's headers.
fn post<'a>(path: &'a str, headers: &'a [(String, String)], body: &'a str) -> webconsole::Request<'a> {
    webconsole::Request { method: "POST", path, query: "", headers, body: body.as_bytes() }
}

fn ec2(state: &Arc<State>, action: &str, params: &[(&str, &str)]) -> String {
    let r = support::action(state, "ec2", "2016-11-15", action, params);
    assert_eq!(r.status, 200, "{action}: {}", r.body);
    r.body
}

fn group_rules(state: &Arc<State>, group: &str) -> String {
    ec2(state, "DescribeSecurityGroupRules", &[("Filter.1.Name", "group-id"), ("Filter.1.Value.1", group)])
}

#[test]
fn a_rule_authorized_and_revoked_from_the_console_is_the_apis() {
    let (state, _folder) = support::server("console-rules");
    let host = ConsoleHost(Arc::clone(&state));
    let created = ec2(&state, "CreateSecurityGroup", &[("GroupName", "web"), ("GroupDescription", "web")]);
    let group = created.split("<groupId>").nth(1).and_then(|r| r.split('<').next()).expect("groupId").to_string();
    let (headers, csrf) = login(&state, &host);
    let body = format!(
        "csrf={csrf}&back=%2F_console%2Fsg%2F{group}&group={group}&direction=ingress&protocol=tcp&from_port=8443&to_port=8443&peer=10.9.0.0%2F16&description=from+the+console"
    );
    let r = full(state.console().handle(&host, &post("/_console/actions/authorize-rule", &headers, &body)));
    assert_eq!((r.status, r.header("location")), (303, Some(format!("/_console/sg/{group}").as_str())));
    let rules = group_rules(&state, &group);
    assert!(rules.contains("<cidrIpv4>10.9.0.0/16</cidrIpv4>") && rules.contains("from the console"), "{rules}");
    // The ingress rule is the one with the console's CIDR.
    let ingress = rules
        .split("<item>")
        .find(|item| item.contains("10.9.0.0/16"))
        .and_then(|item| item.split("<securityGroupRuleId>").nth(1))
        .and_then(|r| r.split('<').next())
        .expect("the new rule's ID")
        .to_string();
    let body = format!("csrf={csrf}&back=%2F_console%2Fsg&group={group}&rule={ingress}&direction=ingress");
    assert_eq!(
        full(state.console().handle(&host, &post("/_console/actions/revoke-rule", &headers, &body))).status,
        303
    );
    assert!(!group_rules(&state, &group).contains("10.9.0.0/16"));
    // The outcome is shown once on the next page.
    let page = text(&full(state.console().handle(&host, &get("/_console/", "", &headers))));
    assert!(page.contains(&format!("Rule {ingress} revoked from {group}.")), "{page}");
}

#[test]
fn an_api_refusal_is_shown_with_its_code_and_message() {
    let (state, _folder) = support::server("console-refusal");
    let host = ConsoleHost(Arc::clone(&state));
    let (headers, csrf) = login(&state, &host);
    let body = format!("csrf={csrf}&back=%2F_console%2F&cluster=nope&service=gone&desired=3");
    assert_eq!(
        full(state.console().handle(&host, &post("/_console/actions/scale-service", &headers, &body))).status,
        303
    );
    let page = text(&full(state.console().handle(&host, &get("/_console/", "", &headers))));
    assert!(page.contains("UpdateService refused: ClusterNotFoundException: Cluster not found."), "{page}");
}

#[test]
fn forged_and_anonymous_changes_are_refused_and_change_nothing() {
    let (state, _folder) = support::server("console-forged");
    let host = ConsoleHost(Arc::clone(&state));
    let created = ec2(&state, "CreateSecurityGroup", &[("GroupName", "web"), ("GroupDescription", "web")]);
    let group = created.split("<groupId>").nth(1).and_then(|r| r.split('<').next()).expect("groupId").to_string();
    let (headers, csrf) = login(&state, &host);
    let form = |token: &str| {
        format!("csrf={token}&group={group}&direction=ingress&protocol=tcp&from_port=22&peer=0.0.0.0%2F0")
    };
    // No token, a wrong token, another site's origin, no session at all.
    let mut foreign = headers.clone();
    foreign.push(("Origin".into(), "http://evil.example".into()));
    let anonymous = vec![("Host".to_string(), "127.0.0.1:4566".to_string())];
    for (h, body, status) in [
        (&headers, format!("group={group}&protocol=tcp&peer=0.0.0.0%2F0"), 403),
        (&headers, form("0000"), 403),
        (&foreign, form(&csrf), 403),
        (&anonymous, form(&csrf), 401),
    ] {
        let req = webconsole::Request {
            method: "POST",
            path: "/_console/actions/authorize-rule",
            query: "",
            headers: h,
            body: body.as_bytes(),
        };
        assert_eq!(full(state.console().handle(&host, &req)).status, status, "{body}");
    }
    assert!(!group_rules(&state, &group).contains("<fromPort>22</fromPort>"));
    // A wrong secret is refused with one answer, whatever was wrong.
    let req = webconsole::Request {
        method: "POST",
        path: "/_console/login",
        query: "",
        headers: &anonymous,
        body: b"access_key=test&secret_key=wrong",
    };
    let r = full(state.console().handle(&host, &req));
    assert_eq!(r.status, 401);
    assert!(r.header("set-cookie").is_none());
    // Pages without a session go to the login page.
    let r = full(state.console().handle(&host, &get("/_console/ecs", "", &anonymous)));
    assert_eq!((r.status, r.header("location")), (303, Some("/_console/login")));
}

#[test]
fn a_live_page_sends_its_main_again_when_the_account_changes() {
    let (state, _folder) = support::server("console-live");
    let host = ConsoleHost(Arc::clone(&state));
    let (headers, _) = login(&state, &host);
    let page = text(&full(state.console().handle(&host, &get("/_console/sg", "", &headers))));
    let rev =
        page.split("data-rev=\"").nth(1).and_then(|r| r.split('"').next()).expect("the page's revision").to_string();
    let query = format!("page=%2Fsg&rev={rev}");
    let mut live = match state.console().handle(&host, &get("/_console/live", &query, &headers)) {
        webconsole::Reply::Live(l) => l,
        webconsole::Reply::Full(r) => panic!("a stream was expected: {} {}", r.status, text(&r)),
    };
    assert!(matches!(live.step(state.console(), &host), webconsole::live::Step::Send(s) if s.starts_with("retry:")));
    // Nothing changed: the stream waits.
    assert!(matches!(live.step(state.console(), &host), webconsole::live::Step::Wait(_)));
    ec2(&state, "CreateSecurityGroup", &[("GroupName", "seen-live"), ("GroupDescription", "new")]);
    match live.step(state.console(), &host) {
        webconsole::live::Step::Send(s) => {
            assert!(s.starts_with("event: main\ndata: ") && s.contains("seen-live"), "{s}")
        }
        other => panic!("the change was not sent: {other:?}"),
    }
}
