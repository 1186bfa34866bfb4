//! Listener and rule actions: forward, fixed-response, redirect.
//!
//! AWS doc: "Listeners for your Application Load Balancers" (action types,
//! order), API reference "FixedResponseActionConfig" and
//! "RedirectActionConfig" (fields, `#{...}` keywords, status codes).
//! The account keeps an action's settings in `config` as given: either the
//! CloudFormation/API wrapper (`{"RedirectConfig": {...}}`) or the fields
//! themselves; both are read.

use serde_json::Value;

/// One target group of a forward action and its weight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeightedGroup {
    /// Index into [`crate::LbConfig::target_groups`].
    pub target_group: usize,
    /// Relative share of requests (0 gets none).
    pub weight: u32,
}

/// A `fixed-response` action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedResponse {
    /// 2XX, 4XX or 5XX.
    pub status: u16,
    /// `ContentType`, when given.
    pub content_type: Option<String>,
    /// `MessageBody` (empty when not given).
    pub body: String,
}

/// A `redirect` action: each part may hold `#{...}` keywords.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// `HTTP`, `HTTPS` or `#{protocol}`.
    pub protocol: String,
    /// The host.
    pub host: String,
    /// The port.
    pub port: String,
    /// The absolute path.
    pub path: String,
    /// The query, without `?`.
    pub query: String,
    /// 301 or 302.
    pub status: u16,
}

/// What a listener or rule does with a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteAction {
    /// Send it to a target of one of these groups.
    Forward(Vec<WeightedGroup>),
    /// Answer with a fixed response.
    FixedResponse(FixedResponse),
    /// Answer with a redirect.
    Redirect(Redirect),
    /// Nothing usable (e.g. a fixed response without a status code):
    /// answered with 503 (inferred; AWS refuses such actions at creation).
    Unusable {
        /// Why.
        reason: String,
    },
}

/// The settings object `key` of an action, or the config itself when it
/// holds the fields directly.
fn section<'a>(config: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    let c = config?;
    c.get(key).or(if c.is_object() { Some(c) } else { None })
}

fn field(obj: Option<&Value>, key: &str) -> Option<String> {
    match obj?.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl RouteAction {
    /// Reads the terminal action of `actions` (the first forward,
    /// fixed-response or redirect by `Order`); `group` maps a target group
    /// ARN to its index. Notes on what was ignored go to `notes`.
    pub fn from_actions(
        actions: &[account::Action],
        group: &dyn Fn(&str) -> Option<usize>,
        notes: &mut Vec<String>,
    ) -> RouteAction {
        let mut sorted: Vec<&account::Action> = actions.iter().collect();
        // Actions without an Order keep their place after ordered ones.
        sorted.sort_by_key(|a| a.order.unwrap_or(u32::MAX));
        for a in sorted {
            match a.action_type.as_str() {
                "forward" => return forward(a, group, notes),
                "fixed-response" => return fixed_response(a.config.as_ref()),
                "redirect" => return redirect(a.config.as_ref()),
                other => notes.push(format!("action '{other}' is not emulated; requests pass it")),
            }
        }
        RouteAction::Unusable { reason: "no forward, fixed-response or redirect action".into() }
    }
}

fn forward(a: &account::Action, group: &dyn Fn(&str) -> Option<usize>, notes: &mut Vec<String>) -> RouteAction {
    let mut tuples: Vec<(String, Option<u32>)> =
        a.forward_target_groups.iter().map(|t| (t.target_group_arn.clone(), t.weight)).collect();
    if tuples.is_empty() {
        // The raw ForwardConfig, should the account keep it in `config`.
        let listed =
            section(a.config.as_ref(), "ForwardConfig").and_then(|f| f.get("TargetGroups")).and_then(Value::as_array);
        for t in listed.into_iter().flatten() {
            if let Some(arn) = t.get("TargetGroupArn").and_then(Value::as_str) {
                let weight = t.get("Weight").and_then(Value::as_u64).and_then(|w| u32::try_from(w).ok());
                tuples.push((arn.to_string(), weight));
            }
        }
    }
    if tuples.is_empty() {
        if let Some(arn) = &a.target_group_arn {
            tuples.push((arn.clone(), None));
        }
    }
    let mut groups = Vec::new();
    for (arn, weight) in tuples {
        match group(&arn) {
            // inferred: a group without a weight gets weight 1 (AWS requires
            // weights only when there are several groups).
            Some(i) => groups.push(WeightedGroup { target_group: i, weight: weight.unwrap_or(1) }),
            None => notes.push(format!("forward to unknown target group {arn}")),
        }
    }
    RouteAction::Forward(groups)
}

fn fixed_response(config: Option<&Value>) -> RouteAction {
    let c = section(config, "FixedResponseConfig");
    let code = field(c, "StatusCode");
    // API reference: StatusCode pattern `^(2|4|5)\d\d$`.
    let status = code.as_deref().and_then(|s| {
        let ok = s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()) && matches!(s.as_bytes()[0], b'2' | b'4' | b'5');
        if ok {
            s.parse::<u16>().ok()
        } else {
            None
        }
    });
    match status {
        Some(status) => RouteAction::FixedResponse(FixedResponse {
            status,
            content_type: field(c, "ContentType"),
            body: field(c, "MessageBody").unwrap_or_default(),
        }),
        None => RouteAction::Unusable { reason: format!("fixed-response without a valid StatusCode ({code:?})") },
    }
}

fn redirect(config: Option<&Value>) -> RouteAction {
    let c = section(config, "RedirectConfig");
    let status = match field(c, "StatusCode").as_deref() {
        Some("HTTP_301") => 301,
        Some("HTTP_302") => 302,
        other => {
            return RouteAction::Unusable {
                reason: format!("redirect without StatusCode HTTP_301 or HTTP_302 ({other:?})"),
            }
        }
    };
    // "Any components that you do not modify retain their original values."
    RouteAction::Redirect(Redirect {
        protocol: field(c, "Protocol").unwrap_or_else(|| "#{protocol}".into()),
        host: field(c, "Host").unwrap_or_else(|| "#{host}".into()),
        port: field(c, "Port").unwrap_or_else(|| "#{port}".into()),
        path: field(c, "Path").unwrap_or_else(|| "/#{path}".into()),
        query: field(c, "Query").unwrap_or_else(|| "#{query}".into()),
        status,
    })
}

/// The parts of the original request that `#{...}` keywords stand for.
#[derive(Clone, Copy, Debug)]
pub struct RedirectInput<'a> {
    /// `http` (the only protocol served here).
    pub protocol: &'a str,
    /// The host, without port.
    pub host: &'a str,
    /// The listener port.
    pub port: u16,
    /// The path, with its leading `/`.
    pub path: &'a str,
    /// The query, without `?`.
    pub query: &'a str,
}

impl Redirect {
    /// The `Location` for a request.
    pub fn location(&self, input: &RedirectInput<'_>) -> String {
        let fill = |template: &str| -> String {
            template
                .replace("#{protocol}", input.protocol)
                .replace("#{host}", input.host)
                .replace("#{port}", &input.port.to_string())
                // "#{path} (the leading "/" is removed)"
                .replace("#{path}", input.path.strip_prefix('/').unwrap_or(input.path))
                .replace("#{query}", input.query)
        };
        let protocol = fill(&self.protocol).to_ascii_lowercase();
        let path = fill(&self.path);
        let slash = if path.starts_with('/') { "" } else { "/" };
        let query = fill(&self.query);
        // inferred: the ALB always writes the port, and no `?` for an empty query.
        let mut loc = format!("{protocol}://{}:{}{slash}{path}", fill(&self.host), fill(&self.port));
        if !query.is_empty() {
            loc.push('?');
            loc.push_str(&query);
        }
        loc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn action(kind: &str, config: Value) -> account::Action {
        account::Action {
            action_type: kind.into(),
            order: None,
            target_group_arn: None,
            forward_target_groups: vec![],
            config: Some(config),
        }
    }

    fn read(a: account::Action) -> RouteAction {
        RouteAction::from_actions(&[a], &|_| None, &mut Vec::new())
    }

    #[test]
    fn fixed_response_in_both_shapes() {
        let wrapped =
            json!({"FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain", "MessageBody": "nope"}});
        let flat = json!({"StatusCode": "404", "ContentType": "text/plain", "MessageBody": "nope"});
        for c in [wrapped, flat] {
            let expected = FixedResponse { status: 404, content_type: Some("text/plain".into()), body: "nope".into() };
            assert_eq!(read(action("fixed-response", c)), RouteAction::FixedResponse(expected));
        }
    }

    #[test]
    fn fixed_response_status_must_be_2xx_4xx_5xx() {
        for bad in [json!({"StatusCode": "302"}), json!({"StatusCode": "20"}), json!({}), json!(null)] {
            assert!(matches!(read(action("fixed-response", bad)), RouteAction::Unusable { .. }));
        }
    }

    #[test]
    fn redirect_defaults_keep_the_request_parts() {
        let RouteAction::Redirect(r) = read(action(
            "redirect",
            json!({"RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}),
        )) else {
            panic!("not a redirect");
        };
        let input = RedirectInput { protocol: "http", host: "example.com", port: 80, path: "/a/b", query: "x=1" };
        assert_eq!(r.location(&input), "https://example.com:443/a/b?x=1");
        assert_eq!(r.status, 301);
        let no_query = RedirectInput { query: "", ..input };
        assert_eq!(r.location(&no_query), "https://example.com:443/a/b");
    }

    #[test]
    fn redirect_keywords_in_custom_parts() {
        let c = json!({"Host": "new.#{host}", "Path": "/v2/#{path}", "Query": "#{query}&from=#{port}", "StatusCode": "HTTP_302"});
        let RouteAction::Redirect(r) = read(action("redirect", c)) else { panic!("not a redirect") };
        let input = RedirectInput { protocol: "http", host: "example.com", port: 8080, path: "/x", query: "a=b" };
        assert_eq!(r.location(&input), "http://new.example.com:8080/v2/x?a=b&from=8080");
    }

    #[test]
    fn terminal_action_by_order_and_unknown_groups_noted() {
        let mut auth = action("authenticate-oidc", json!({}));
        auth.order = Some(1);
        let mut fwd = action("forward", json!(null));
        fwd.order = Some(2);
        fwd.target_group_arn = Some("arn:tg/a".into());
        let mut notes = Vec::new();
        let got = RouteAction::from_actions(&[fwd.clone(), auth], &|arn| (arn == "arn:tg/a").then_some(3), &mut notes);
        assert_eq!(got, RouteAction::Forward(vec![WeightedGroup { target_group: 3, weight: 1 }]));
        assert_eq!(notes.len(), 1, "{notes:?}");
        let mut notes = Vec::new();
        assert_eq!(RouteAction::from_actions(&[fwd], &|_| None, &mut notes), RouteAction::Forward(vec![]));
        assert!(notes[0].contains("unknown target group"));
        assert!(matches!(RouteAction::from_actions(&[], &|_| None, &mut notes), RouteAction::Unusable { .. }));
    }
}
