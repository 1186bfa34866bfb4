//! Listener rule conditions, read from the condition objects the account
//! keeps as CloudFormation (or the API) gave them, and matched against a
//! request.
//!
//! AWS doc: "Condition types for listener rules" and the CloudFormation pages
//! "AWS::ElasticLoadBalancingV2::ListenerRule PathPatternConfig",
//! "... HttpHeaderConfig", "... HttpRequestMethodConfig",
//! "... QueryStringConfig", "... SourceIpConfig". Within one condition any
//! value may match; a rule needs all its conditions.

use crate::wildcard::Wildcard;
use account::Ipv4Cidr;
use hyper::header::{HeaderMap, HeaderName};
use serde_json::Value;
use std::net::IpAddr;

/// The parts of a request that conditions look at.
#[derive(Clone, Copy, Debug)]
pub struct RequestInfo<'a> {
    /// The method, e.g. `GET`.
    pub method: &'a str,
    /// The path, without the query string.
    pub path: &'a str,
    /// The query string, without `?`.
    pub query: Option<&'a str>,
    /// The host the request names (Host header or absolute URI), port included.
    pub host: Option<&'a str>,
    /// All request headers.
    pub headers: &'a HeaderMap,
    /// The client's address.
    pub client: IpAddr,
}

/// One key/value pattern of a query-string condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryPattern {
    /// The key pattern; `None` matches any key (or none).
    pub key: Option<Wildcard>,
    /// The value pattern.
    pub value: Wildcard,
}

/// A parsed rule condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// `host-header`: host names, case insensitive, wildcards.
    HostHeader(Vec<Wildcard>),
    /// `path-pattern`: paths, case sensitive, wildcards.
    PathPattern(Vec<Wildcard>),
    /// `http-header`: a header's values, case insensitive, wildcards.
    HttpHeader {
        /// The header (names are case insensitive).
        name: HeaderName,
        /// Value patterns.
        values: Vec<Wildcard>,
    },
    /// `http-request-method`: exact, case sensitive names.
    HttpRequestMethod(Vec<String>),
    /// `query-string`: key/value patterns, case insensitive, `\` escapes.
    QueryString(Vec<QueryPattern>),
    /// `source-ip`: client address blocks (IPv6 blocks never match here).
    SourceIp(Vec<Ipv4Cidr>),
    /// A condition this load balancer cannot evaluate: it never matches.
    Never {
        /// Why.
        reason: String,
    },
}

/// The strings of `Values` at the top level and in `config_key`'s object.
fn values<'a>(c: &'a Value, config_key: &str) -> Vec<&'a Value> {
    let top = c.get("Values").and_then(Value::as_array).into_iter().flatten();
    let nested = c.get(config_key).and_then(|x| x.get("Values")).and_then(Value::as_array).into_iter().flatten();
    top.chain(nested).collect()
}

/// A scalar as text (templates sometimes give numbers where strings belong).
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn strings(c: &Value, config_key: &str) -> Vec<String> {
    values(c, config_key).into_iter().filter_map(text).collect()
}

fn never(reason: impl Into<String>) -> Condition {
    Condition::Never { reason: reason.into() }
}

impl Condition {
    /// Reads one condition object; what cannot be understood never matches.
    pub fn parse(c: &Value) -> Condition {
        let Some(field) = c.get("Field").and_then(Value::as_str) else {
            return never("condition without a Field");
        };
        let config_key = match field {
            "host-header" => "HostHeaderConfig",
            "path-pattern" => "PathPatternConfig",
            "http-header" => "HttpHeaderConfig",
            "http-request-method" => "HttpRequestMethodConfig",
            "query-string" => "QueryStringConfig",
            "source-ip" => "SourceIpConfig",
            other => return never(format!("condition field '{other}' is not known")),
        };
        let has_regex =
            c.get("RegexValues").is_some() || c.get(config_key).and_then(|x| x.get("RegexValues")).is_some();
        if has_regex {
            // The regex dialect and anchoring are not documented in our facts.
            return never(format!("{field} condition with RegexValues is not emulated"));
        }
        match field {
            "host-header" => {
                Condition::HostHeader(strings(c, config_key).iter().map(|s| Wildcard::new(s, true, false)).collect())
            }
            "path-pattern" => {
                Condition::PathPattern(strings(c, config_key).iter().map(|s| Wildcard::new(s, false, false)).collect())
            }
            "http-header" => {
                let name =
                    c.get(config_key).and_then(|x| x.get("HttpHeaderName")).and_then(Value::as_str).unwrap_or("");
                match HeaderName::from_bytes(name.as_bytes()) {
                    Ok(name) => Condition::HttpHeader {
                        name,
                        values: strings(c, config_key).iter().map(|s| Wildcard::new(s, true, false)).collect(),
                    },
                    Err(_) => never(format!("http-header condition with invalid HttpHeaderName '{name}'")),
                }
            }
            "http-request-method" => Condition::HttpRequestMethod(strings(c, config_key)),
            "query-string" => Condition::QueryString(
                values(c, config_key)
                    .into_iter()
                    .filter_map(|kv| {
                        let value = kv.get("Value").and_then(text)?;
                        let key = kv.get("Key").and_then(text);
                        Some(QueryPattern {
                            key: key.map(|k| Wildcard::new(&k, true, true)),
                            value: Wildcard::new(&value, true, true),
                        })
                    })
                    .collect(),
            ),
            // inferred: host bits are cleared rather than rejected; IPv6
            // blocks are dropped because clients here are IPv4.
            _ => Condition::SourceIp(
                strings(c, config_key).iter().filter_map(|s| Ipv4Cidr::parse_truncating(s).ok()).collect(),
            ),
        }
    }

    /// Whether `req` satisfies this condition.
    pub fn matches(&self, req: &RequestInfo<'_>) -> bool {
        match self {
            Condition::HostHeader(pats) => {
                let host = req.host.map(strip_port).unwrap_or("");
                pats.iter().any(|p| p.matches(host.as_bytes()))
            }
            Condition::PathPattern(pats) => pats.iter().any(|p| p.matches(req.path.as_bytes())),
            Condition::HttpHeader { name, values } => {
                // "If the same header appears multiple times in the request,
                // we search them in order until a match is found."
                req.headers.get_all(name).iter().any(|v| values.iter().any(|p| p.matches(v.as_bytes())))
            }
            Condition::HttpRequestMethod(methods) => methods.iter().any(|m| m == req.method),
            Condition::QueryString(pats) => {
                let query = req.query.unwrap_or("");
                query.split('&').filter(|s| !s.is_empty()).any(|pair| {
                    // inferred: a bare `token` is a value without a key.
                    let (key, value) = match pair.split_once('=') {
                        Some((k, v)) => (Some(k), v),
                        None => (None, pair),
                    };
                    pats.iter().any(|p| {
                        let key_ok = match (&p.key, key) {
                            (None, _) => true,
                            (Some(pk), Some(k)) => pk.matches(k.as_bytes()),
                            (Some(_), None) => false,
                        };
                        key_ok && p.value.matches(value.as_bytes())
                    })
                })
            }
            Condition::SourceIp(blocks) => {
                let v4 = match req.client {
                    IpAddr::V4(a) => Some(a),
                    IpAddr::V6(a) => a.to_ipv4_mapped(),
                };
                v4.is_some_and(|a| blocks.iter().any(|b| b.contains_addr(a)))
            }
            Condition::Never { .. } => false,
        }
    }
}

/// The host name without `:port` (inferred: host conditions name hosts, not ports).
pub fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_once(']').map_or(host, |(h, _)| &host[..h.len() + 1]);
    }
    match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::net::Ipv4Addr;

    fn req<'a>(headers: &'a HeaderMap, path: &'a str, query: Option<&'a str>) -> RequestInfo<'a> {
        RequestInfo {
            method: "GET",
            path,
            query,
            host: Some("API.example.com:8080"),
            headers,
            client: IpAddr::V4(Ipv4Addr::new(10, 0, 1, 7)),
        }
    }

    #[test]
    fn path_pattern_in_both_shapes() {
        let h = HeaderMap::new();
        let legacy = Condition::parse(&json!({"Field": "path-pattern", "Values": ["/api/*"]}));
        let config = Condition::parse(&json!({"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}));
        for c in [legacy, config] {
            assert!(c.matches(&req(&h, "/api/x", None)));
            assert!(!c.matches(&req(&h, "/API/x", None)));
        }
    }

    #[test]
    fn host_header_ignores_case_and_port() {
        let h = HeaderMap::new();
        let c = Condition::parse(&json!({"Field": "host-header", "HostHeaderConfig": {"Values": ["*.example.com"]}}));
        assert!(c.matches(&req(&h, "/", None)));
        let other = Condition::parse(&json!({"Field": "host-header", "Values": ["example.org"]}));
        assert!(!other.matches(&req(&h, "/", None)));
    }

    #[test]
    fn http_header_any_of_repeated_headers() {
        let mut h = HeaderMap::new();
        h.append("x-env", "prod".parse().unwrap());
        h.append("x-env", "Canary-1".parse().unwrap());
        let c = Condition::parse(
            &json!({"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Env", "Values": ["canary-?"]}}),
        );
        assert!(c.matches(&req(&h, "/", None)));
        let bad = Condition::parse(
            &json!({"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "bad name", "Values": ["x"]}}),
        );
        assert!(matches!(bad, Condition::Never { .. }));
    }

    #[test]
    fn method_is_exact() {
        let h = HeaderMap::new();
        let c = Condition::parse(
            &json!({"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["GET", "HEAD"]}}),
        );
        assert!(c.matches(&req(&h, "/", None)));
        let lower =
            Condition::parse(&json!({"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["get"]}}));
        assert!(!lower.matches(&req(&h, "/", None)));
    }

    #[test]
    fn query_string_pairs_and_values() {
        let h = HeaderMap::new();
        let c = Condition::parse(
            &json!({"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "version", "Value": "V1"}]}}),
        );
        assert!(c.matches(&req(&h, "/", Some("a=b&version=v1"))));
        assert!(!c.matches(&req(&h, "/", Some("a=b&version=v2"))));
        assert!(!c.matches(&req(&h, "/", None)));
        let any_key =
            Condition::parse(&json!({"Field": "query-string", "QueryStringConfig": {"Values": [{"Value": "*lang*"}]}}));
        assert!(any_key.matches(&req(&h, "/", Some("x=golang"))));
    }

    #[test]
    fn source_ip_blocks() {
        let h = HeaderMap::new();
        let c = Condition::parse(
            &json!({"Field": "source-ip", "SourceIpConfig": {"Values": ["10.0.0.0/16", "2001:db8::/32"]}}),
        );
        assert!(c.matches(&req(&h, "/", None)));
        let other = Condition::parse(&json!({"Field": "source-ip", "SourceIpConfig": {"Values": ["192.168.0.0/16"]}}));
        assert!(!other.matches(&req(&h, "/", None)));
    }

    #[test]
    fn unknown_or_malformed_conditions_never_match() {
        let h = HeaderMap::new();
        for c in [
            json!({"Field": "cookie", "Values": ["x"]}),
            json!({"Values": ["/"]}),
            json!("path-pattern"),
            json!(null),
            json!({"Field": "path-pattern", "PathPatternConfig": {"RegexValues": ["^/.*"]}}),
        ] {
            let parsed = Condition::parse(&c);
            assert!(matches!(parsed, Condition::Never { .. }), "{c}");
            assert!(!parsed.matches(&req(&h, "/", None)));
        }
    }

    #[test]
    fn strip_port_cases() {
        assert_eq!(strip_port("a.example.com:80"), "a.example.com");
        assert_eq!(strip_port("a.example.com"), "a.example.com");
        assert_eq!(strip_port("[::1]:80"), "[::1]");
    }
}
