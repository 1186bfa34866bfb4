//! The built-in stand-in that answers for a container when no runtime entry
//! maps its image to a local process.
//!
//! Every HTTP path answers 200 with who answered (task, container, address)
//! and who asked, so a test can see which task a load balancer picked. It is a
//! benchmark target, so the constant part of the body is built once and a
//! request takes no lock.

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use bytes::{BufMut, Bytes, BytesMut};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE, SERVER};
use hyper::{Method, Request, Response};
use serde::{Deserialize, Serialize};

use crate::http::{accept_loop, json_str};

/// The `Server` header of the stand-in's answers.
pub const SERVER_NAME: &str = "tasknet-standin";

/// Body of `GET /health`.
pub const HEALTH_BODY: &str = r#"{"status":"ok"}"#;

/// Who the stand-in answers as.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The task's ARN.
    pub task_arn: String,
    /// The task's ID (last part of the ARN).
    pub task_id: String,
    /// The container's name in the task definition.
    pub container: String,
    /// The task's private address.
    pub address: Ipv4Addr,
    /// The container port this socket serves.
    pub port: u16,
    /// The cluster's name.
    pub cluster: String,
    /// `FAMILY:REVISION` of the task definition.
    pub family_revision: String,
}

impl Identity {
    /// The JSON object's opening and constant members, ending with a comma.
    fn prefix(&self) -> Bytes {
        let text = format!(
            "{{\"task\":{},\"task_id\":{},\"container\":{},\"address\":\"{}\",\"port\":{},\"cluster\":{},\"family_revision\":{},",
            json_str(&self.task_arn),
            json_str(&self.task_id),
            json_str(&self.container),
            self.address,
            self.port,
            json_str(&self.cluster),
            json_str(&self.family_revision),
        );
        Bytes::from(text)
    }
}

/// Answers HTTP/1.1 (keep-alive) on `listener` until the future is dropped.
pub async fn serve_http(listener: tokio::net::TcpListener, identity: Arc<Identity>) {
    let prefix = identity.prefix();
    accept_loop(listener, move |peer| {
        // Per connection: the constant members plus the client.
        let prefix = connection_prefix(&prefix, peer);
        move |req: Request<Incoming>| {
            let response = answer(&prefix, &req);
            async move { Ok::<_, Infallible>(response) }
        }
    })
    .await
}

/// Builds the answer to one request.
fn answer(prefix: &Bytes, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    let body = if req.method() == Method::GET && req.uri().path() == "/health" {
        Bytes::from_static(HEALTH_BODY.as_bytes())
    } else {
        request_body(prefix, req.method().as_str(), req.uri().path())
    };
    let mut response = Response::new(Full::new(body));
    let headers = response.headers_mut();
    headers.insert(SERVER, HeaderValue::from_static(SERVER_NAME));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The identity's prefix followed by the `client` member, ending with a comma.
fn connection_prefix(prefix: &Bytes, peer: SocketAddr) -> Bytes {
    let client = format!("\"client\":\"{peer}\",");
    let mut out = BytesMut::with_capacity(prefix.len() + client.len());
    out.put_slice(prefix);
    out.put_slice(client.as_bytes());
    out.freeze()
}

/// The connection's prefix plus the members that vary per request.
fn request_body(prefix: &Bytes, method: &str, path: &str) -> Bytes {
    let mut body = BytesMut::with_capacity(prefix.len() + 32 + path.len());
    body.put_slice(prefix);
    body.put_slice(b"\"method\":");
    body.put_slice(json_str(method).as_bytes());
    body.put_slice(b",\"path\":");
    body.put_slice(json_str(path).as_bytes());
    body.put_slice(b"}");
    body.freeze()
}

/// The JSON a UDP datagram gets back: the identity and the sender.
fn udp_body(identity: &Identity, peer: SocketAddr) -> Vec<u8> {
    let value = serde_json::json!({
        "task": identity.task_arn,
        "task_id": identity.task_id,
        "container": identity.container,
        "address": identity.address.to_string(),
        "port": identity.port,
        "client": peer.to_string(),
        "protocol": "udp",
    });
    value.to_string().into_bytes()
}

/// Answers each datagram on `socket` with the identity JSON, until dropped.
pub async fn serve_udp(socket: tokio::net::UdpSocket, identity: Arc<Identity>) {
    let mut buf = vec![0u8; 65_536];
    loop {
        let peer = match socket.recv_from(&mut buf).await {
            Ok((_, peer)) => peer,
            // ICMP errors from earlier sends surface here; they concern one peer only.
            Err(_) => continue,
        };
        // A lost answer is what UDP promises; the sender retries if it cares.
        let _ = socket.send_to(&udp_body(&identity, peer), peer).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> Identity {
        Identity {
            task_arn: "arn:aws:ecs:us-east-1:123456789012:task/c/0123456789abcdef0123456789abcdef".into(),
            task_id: "0123456789abcdef0123456789abcdef".into(),
            container: "web \"quoted\"".into(),
            address: Ipv4Addr::new(10, 0, 1, 5),
            port: 8080,
            cluster: "c".into(),
            family_revision: "web:3".into(),
        }
    }

    #[test]
    fn the_body_is_valid_json_with_every_member() {
        let id = identity();
        let peer: SocketAddr = "10.0.0.9:40000".parse().unwrap();
        let body = request_body(&connection_prefix(&id.prefix(), peer), "POST", "/a\"b\\c");
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["task"], id.task_arn.as_str());
        assert_eq!(v["container"], "web \"quoted\"");
        assert_eq!(v["address"], "10.0.1.5");
        assert_eq!(v["port"], 8080);
        assert_eq!(v["client"], "10.0.0.9:40000");
        assert_eq!(v["method"], "POST");
        assert_eq!(v["path"], "/a\"b\\c");
    }

    #[test]
    fn the_udp_answer_names_the_sender() {
        let peer: SocketAddr = "10.0.0.9:53000".parse().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&udp_body(&identity(), peer)).unwrap();
        assert_eq!(v["client"], "10.0.0.9:53000");
        assert_eq!(v["protocol"], "udp");
    }
}
