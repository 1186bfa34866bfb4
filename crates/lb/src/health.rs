//! Health check probes of targets, and the success-code matcher.
//!
//! AWS doc: "Health checks for Application Load Balancer target groups"
//! (a GET of the path on the health check port, `traffic-port` meaning the
//! target's port, within the timeout) and API reference "Matcher" (HttpCode:
//! "For Application Load Balancers, you can specify values between 200 and
//! 499, with the default value being 200. You can specify multiple values
//! (for example, "200,202") or a range of values (for example,
//! "200-299")."). Mixing lists and ranges ("200,300-399") is inferred.

use crate::connector::Connector;
use account::{HealthCheck, HealthCheckOutcome};
use bytes::Bytes;
use http_body_util::Empty;
use hyper::header::{HeaderValue, CONNECTION, HOST, USER_AGENT};
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::net::SocketAddrV4;
use std::time::Duration;

/// The lowest code an ALB matcher accepts.
const MIN_CODE: u16 = 200;
/// The highest code an ALB matcher accepts.
const MAX_CODE: u16 = 499;

/// Why a matcher text was rejected (our wording: AWS's ValidationError
/// texts for these are not in the facts).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MatcherError {
    /// Nothing given.
    #[error("the matcher is empty")]
    Empty,
    /// A part is not a number or a `low-high` range.
    #[error("'{0}' is not an HTTP code or a range of codes")]
    Syntax(String),
    /// A code outside 200..=499.
    #[error("HTTP code {0} is outside 200-499")]
    OutOfRange(u16),
    /// A range whose end is below its start.
    #[error("'{0}' ends below its start")]
    Reversed(String),
}

/// The HTTP codes that count as a passed health check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matcher {
    /// Inclusive ranges; a single code is a range of one.
    ranges: Vec<(u16, u16)>,
}

fn code(text: &str) -> Result<u16, MatcherError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MatcherError::Syntax(text.to_string()));
    }
    let n: u16 = text.parse().map_err(|_| MatcherError::Syntax(text.to_string()))?;
    if (MIN_CODE..=MAX_CODE).contains(&n) {
        Ok(n)
    } else {
        Err(MatcherError::OutOfRange(n))
    }
}

impl Matcher {
    /// Parses `200`, `200,202` or `200-299` (and lists of those).
    pub fn parse(text: &str) -> Result<Matcher, MatcherError> {
        if text.is_empty() {
            return Err(MatcherError::Empty);
        }
        let mut ranges = Vec::new();
        for part in text.split(',') {
            let range = match part.split_once('-') {
                Some((lo, hi)) => {
                    let (lo, hi) = (code(lo)?, code(hi)?);
                    if hi < lo {
                        return Err(MatcherError::Reversed(part.to_string()));
                    }
                    (lo, hi)
                }
                None => {
                    let c = code(part)?;
                    (c, c)
                }
            };
            ranges.push(range);
        }
        Ok(Matcher { ranges })
    }

    /// Whether `status` passes.
    pub fn matches(&self, status: u16) -> bool {
        self.ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&status))
    }
}

/// The port a health check goes to: `traffic-port` is the target's own.
fn check_port(hc: &HealthCheck, target: SocketAddrV4) -> Option<u16> {
    if hc.health_check_port == "traffic-port" {
        Some(target.port())
    } else {
        hc.health_check_port.parse().ok()
    }
}

/// Runs one health check of `target` and reports its outcome.
///
/// HTTP: a GET of `health_check_path`, `Host: host_header`, passed when the
/// status matches the matcher. HTTPS: no certificates here, so only the
/// TCP connection is checked (tasknet's choice). The whole check must finish
/// within `health_check_timeout_seconds`, else `Timeout`.
pub async fn probe(
    connector: &dyn Connector,
    target: SocketAddrV4,
    hc: &HealthCheck,
    host_header: &str,
) -> HealthCheckOutcome {
    let Some(port) = check_port(hc, target) else {
        // inferred: AWS refuses such a port at creation; treat as unreachable.
        return HealthCheckOutcome::ConnectionError;
    };
    let addr = SocketAddrV4::new(*target.ip(), port);
    let timeout = Duration::from_secs(u64::from(hc.health_check_timeout_seconds));
    // inferred: an unparsable matcher falls back to the default, 200.
    let matcher = Matcher::parse(&hc.matcher).unwrap_or(Matcher { ranges: vec![(200, 200)] });
    let http = hc.health_check_protocol.eq_ignore_ascii_case("HTTP");
    let check = async {
        let stream = connector.connect(addr).await.map_err(|_| HealthCheckOutcome::ConnectionError)?;
        if !http {
            return Ok(HealthCheckOutcome::Pass);
        }
        let _ = stream.set_nodelay(true);
        let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, Empty<Bytes>>(TokioIo::new(stream))
            .await
            .map_err(|_| HealthCheckOutcome::ConnectionError)?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let path = if hc.health_check_path.starts_with('/') { hc.health_check_path.as_str() } else { "/" };
        let mut req = Request::get(path).body(Empty::new()).map_err(|_| HealthCheckOutcome::ConnectionError)?;
        let h = req.headers_mut();
        if let Ok(v) = HeaderValue::from_str(host_header) {
            h.insert(HOST, v);
        }
        // inferred: the user agent real checks send.
        h.insert(USER_AGENT, HeaderValue::from_static("ELB-HealthChecker/2.0"));
        h.insert(CONNECTION, HeaderValue::from_static("close"));
        let resp = sender.send_request(req).await.map_err(|_| HealthCheckOutcome::ConnectionError)?;
        let status = resp.status().as_u16();
        Ok(if matcher.matches(status) { HealthCheckOutcome::Pass } else { HealthCheckOutcome::Fail(status) })
    };
    match tokio::time::timeout(timeout, check).await {
        Err(_) => HealthCheckOutcome::Timeout,
        Ok(Ok(outcome)) | Ok(Err(outcome)) => outcome,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    #[test]
    fn documented_forms() {
        let one = Matcher::parse("200").unwrap();
        assert!(one.matches(200) && !one.matches(201));
        let list = Matcher::parse("200,202").unwrap();
        assert!(list.matches(202) && !list.matches(201));
        let range = Matcher::parse("200-299").unwrap();
        assert!(range.matches(200) && range.matches(299) && !range.matches(300));
    }

    #[test]
    fn bad_syntax_is_an_error() {
        assert_eq!(Matcher::parse(""), Err(MatcherError::Empty));
        assert_eq!(Matcher::parse("200,"), Err(MatcherError::Syntax(String::new())));
        assert_eq!(Matcher::parse("abc"), Err(MatcherError::Syntax("abc".into())));
        assert_eq!(Matcher::parse(" 200"), Err(MatcherError::Syntax(" 200".into())));
        assert_eq!(Matcher::parse("200-"), Err(MatcherError::Syntax(String::new())));
        assert_eq!(Matcher::parse("200-250-299"), Err(MatcherError::Syntax("250-299".into())));
        assert_eq!(Matcher::parse("299-200"), Err(MatcherError::Reversed("299-200".into())));
        assert_eq!(Matcher::parse("500"), Err(MatcherError::OutOfRange(500)));
        assert_eq!(Matcher::parse("99999999"), Err(MatcherError::Syntax("99999999".into())));
    }

    #[test]
    fn traffic_port_or_a_number() {
        let t = SocketAddrV4::new([10, 0, 0, 1].into(), 8000);
        let mut hc = HealthCheck::default();
        assert_eq!(check_port(&hc, t), Some(8000));
        hc.health_check_port = "9000".into();
        assert_eq!(check_port(&hc, t), Some(9000));
        hc.health_check_port = "x".into();
        assert_eq!(check_port(&hc, t), None);
    }

    /// A matcher text and the set of codes it stands for.
    fn spec() -> impl Strategy<Value = (String, BTreeSet<u16>)> {
        let part = (200u16..=499, 0u16..40).prop_map(|(lo, len)| {
            let hi = (lo + len).min(499);
            if lo == hi {
                (lo.to_string(), lo, hi)
            } else {
                (format!("{lo}-{hi}"), lo, hi)
            }
        });
        proptest::collection::vec(part, 1..5).prop_map(|parts| {
            let text = parts.iter().map(|p| p.0.as_str()).collect::<Vec<_>>().join(",");
            let set = parts.iter().flat_map(|p| p.1..=p.2).collect();
            (text, set)
        })
    }

    proptest! {
        #[test]
        fn matcher_agrees_with_a_plain_set((text, set) in spec(), probe in 100u16..600) {
            let m = Matcher::parse(&text).unwrap();
            prop_assert_eq!(m.matches(probe), set.contains(&probe));
        }

        #[test]
        fn parse_never_panics(text in "[0-9,\\- a]{0,12}") {
            let _ = Matcher::parse(&text);
        }
    }
}
