//! The link-local endpoints AWS runs beside a workload: the ECS agent's
//! credentials endpoint at 169.254.170.2 ([`credentials`]) and instance
//! metadata at 169.254.169.254 ([`imds`]). Each is a pure request → answer
//! function over what the account says (given as a closure or a table, so it
//! tests without namespaces), and [`serve`] puts one on a listener.

pub mod credentials;
pub mod imds;

use std::convert::Infallible;
use std::net::Ipv4Addr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};

use crate::http::accept_loop;

/// The ECS agent's credentials and task metadata address (AWS doc "Amazon ECS task IAM role").
pub const CREDENTIALS_ADDR: Ipv4Addr = Ipv4Addr::new(169, 254, 170, 2);
/// Instance metadata's address (AWS doc "Access instance metadata for an EC2 instance").
pub const IMDS_ADDR: Ipv4Addr = Ipv4Addr::new(169, 254, 169, 254);

/// One HTTP request as the endpoints read it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ask {
    /// `GET`, `PUT`, …
    pub method: String,
    /// The path with its query, as sent.
    pub target: String,
    /// Headers, names lowercase.
    pub headers: Vec<(String, String)>,
}

impl Ask {
    /// A request with no headers.
    pub fn new(method: &str, target: &str) -> Ask {
        Ask { method: method.to_string(), target: target.to_string(), headers: Vec::new() }
    }

    /// The same request with one more header.
    pub fn header(mut self, name: &str, value: &str) -> Ask {
        self.headers.push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    /// The first value of header `name` (any case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The path without its query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The value of query parameter `name`, when given.
    pub fn query(&self, name: &str) -> Option<&str> {
        let (_, q) = self.target.split_once('?')?;
        q.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then_some(v)
        })
    }
}

/// One HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Other headers.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: String,
}

impl Answer {
    /// An answer with no extra headers.
    pub fn new(status: u16, content_type: &'static str, body: impl Into<String>) -> Answer {
        Answer { status, content_type, headers: Vec::new(), body: body.into() }
    }
}

/// An endpoint's logic: the answer to one request from the peer.
pub trait Endpoint: Send + Sync + 'static {
    /// Answers `ask`.
    fn answer(&self, ask: &Ask) -> Answer;
}

/// Serves `endpoint` on `listener` until dropped.
pub async fn serve(listener: tokio::net::TcpListener, endpoint: Arc<dyn Endpoint>) {
    accept_loop(listener, move |_peer| {
        let endpoint = endpoint.clone();
        move |req: Request<Incoming>| {
            let endpoint = endpoint.clone();
            async move {
                let ask = read(req).await;
                Ok::<_, Infallible>(response(&endpoint.answer(&ask)))
            }
        }
    })
    .await
}

/// Bodies are not read: neither endpoint takes one (IMDS's PUT has none).
async fn read(req: Request<Incoming>) -> Ask {
    let method = req.method().as_str().to_string();
    let target = req.uri().path_and_query().map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    let headers = req
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    // Drained so a keep-alive connection can carry the next request.
    let _ = req.into_body().collect().await;
    Ask { method, target, headers }
}

fn response(a: &Answer) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(a.body.clone())));
    *r.status_mut() = StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(a.content_type));
    for (k, v) in &a.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::from_bytes(k.as_bytes()), HeaderValue::from_str(v)) {
            h.insert(k, v);
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::Ask;

    #[test]
    fn asks_read_paths_queries_and_headers() {
        let a = Ask::new("GET", "/v1/credentials?x=1&id=abc").header("X-Aws-Ec2-Metadata-Token", "t");
        assert_eq!(a.path(), "/v1/credentials");
        assert_eq!(a.query("id"), Some("abc"));
        assert_eq!(a.query("nope"), None);
        assert_eq!(a.get("x-aws-ec2-metadata-token"), Some("t"));
    }
}
