//! The proxy end to end: real backends and the load balancer on 127.0.0.1.

mod support;

use serde_json::json;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use support::*;
use tokio::sync::Notify;

const PAGE_503: &str = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn round_robin_alternates_over_two_healthy_targets() {
    let (a, b) = (Backend::start(Behaviour::Echo).await, Backend::start(Behaviour::Echo).await);
    let setup = Setup::new(forward("tg")).group("tg", &[(a.addr, "healthy"), (b.addr, "healthy")]);
    let lb = start_lb(setup.config()).await;
    let mut seen = Vec::new();
    for _ in 0..6 {
        let r = get(lb.addr, "/").await;
        assert_eq!(r.status(), 200, "{r:?}");
        seen.push(r.body);
    }
    for pair in seen.windows(2) {
        assert_ne!(pair[0], pair[1], "not alternating: {seen:?}");
    }
    assert_eq!(seen.iter().filter(|s| **s == a.addr.port().to_string()).count(), 3, "{seen:?}");
}

#[tokio::test]
async fn path_rule_routes_to_the_other_group() {
    let (a, b) = (Backend::start(Behaviour::Echo).await, Backend::start(Behaviour::Echo).await);
    let setup = Setup::new(forward("tg-a"))
        .group("tg-a", &[(a.addr, "healthy")])
        .group("tg-b", &[(b.addr, "healthy")])
        .rule(10, vec![json!({"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}})], forward("tg-b"));
    let lb = start_lb(setup.config()).await;
    assert_eq!(get(lb.addr, "/api/users").await.body, b.addr.port().to_string());
    assert_eq!(get(lb.addr, "/index.html").await.body, a.addr.port().to_string());
    // Case sensitive: /API/ is not /api/.
    assert_eq!(get(lb.addr, "/API/users").await.body, a.addr.port().to_string());
}

#[tokio::test]
async fn no_registered_targets_gives_the_exact_503() {
    let setup = Setup::new(forward("tg")).group("tg", &[]);
    let lb = start_lb(setup.config()).await;
    let r = get(lb.addr, "/").await;
    assert_eq!(r.status_line, "HTTP/1.1 503 Service Temporarily Unavailable");
    assert_eq!(r.header("server"), Some("awselb/2.0"));
    assert_eq!(r.header("content-type"), Some("text/html"));
    assert_eq!(r.header("content-length"), Some("162"));
    assert_eq!(r.body, PAGE_503);
}

#[tokio::test]
async fn backend_closing_without_an_answer_gives_502() {
    let bad = Backend::start(Behaviour::CloseWithoutAnswer).await;
    let lb = start_lb(Setup::new(forward("tg")).group("tg", &[(bad.addr, "healthy")]).config()).await;
    let r = get(lb.addr, "/").await;
    assert_eq!(r.status_line, "HTTP/1.1 502 Bad Gateway");
    assert_eq!(r.header("server"), Some("awselb/2.0"));
    assert_eq!(r.body, PAGE_503.replace("503 Service Temporarily Unavailable", "502 Bad Gateway"));
    assert!(bad.requests.load(Ordering::SeqCst) >= 1, "the request reached the backend");
}

#[tokio::test]
async fn malformed_answer_gives_502() {
    let bad = Backend::start(Behaviour::Garbage).await;
    let lb = start_lb(Setup::new(forward("tg")).group("tg", &[(bad.addr, "healthy")]).config()).await;
    assert_eq!(get(lb.addr, "/").await.status_line, "HTTP/1.1 502 Bad Gateway");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_chunked_bodies_stream_through_and_the_connection_is_reused() {
    let a = Backend::start(Behaviour::Chunked { chunks: 64, size: 16 * 1024 }).await;
    let lb = start_lb(Setup::new(forward("tg")).group("tg", &[(a.addr, "healthy")]).config()).await;
    let mut client = KeepAlive::connect(lb.addr).await;
    for _ in 0..3 {
        let (status, body) = client.get("/big").await;
        assert_eq!(status, 200);
        assert_eq!(body.len(), 64 * 16 * 1024);
        assert!(body.bytes().all(|b| b == b'x'));
    }
    assert_eq!(a.connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn head_requests_do_not_stall_the_connection() {
    let a = Backend::start(Behaviour::Echo).await;
    let lb = start_lb(Setup::new(forward("tg")).group("tg", &[(a.addr, "healthy")]).config()).await;
    for _ in 0..3 {
        let r = raw(lb.addr, b"HEAD / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").await;
        assert_eq!((r.status(), r.body.as_str()), (200, ""), "{r:?}");
        assert_eq!(get(lb.addr, "/").await.status(), 200);
    }
    assert_eq!(a.requests.load(Ordering::SeqCst), 6);
    assert_eq!(a.connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn refused_connection_gives_502() {
    let nobody = closed_port().await;
    let lb = start_lb(Setup::new(forward("tg")).group("tg", &[(nobody, "healthy")]).config()).await;
    assert_eq!(get(lb.addr, "/").await.status_line, "HTTP/1.1 502 Bad Gateway");
}

#[tokio::test]
async fn backend_never_answering_gives_504_after_the_idle_timeout() {
    let slow = Backend::start(Behaviour::NeverAnswer).await;
    let lb = start_lb(Setup::new(forward("tg")).group("tg", &[(slow.addr, "healthy")]).config()).await;
    let r = get(lb.addr, "/").await;
    assert_eq!(r.status_line, "HTTP/1.1 504 Gateway Time-out");
    assert_eq!(r.body, PAGE_503.replace("503 Service Temporarily Unavailable", "504 Gateway Time-out"));
    assert_eq!(r.header("content-type"), Some("text/html"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_unhealthy_targets_still_get_requests() {
    let (a, b) = (Backend::start(Behaviour::Echo).await, Backend::start(Behaviour::Echo).await);
    let lb =
        start_lb(Setup::new(forward("tg")).group("tg", &[(a.addr, "unhealthy"), (b.addr, "unhealthy")]).config()).await;
    for _ in 0..4 {
        assert_eq!(get(lb.addr, "/").await.status(), 200);
    }
    assert_eq!(a.requests.load(Ordering::SeqCst), 2);
    assert_eq!(b.requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn unhealthy_target_beside_a_healthy_one_gets_nothing() {
    let (a, b) = (Backend::start(Behaviour::Echo).await, Backend::start(Behaviour::Echo).await);
    let lb =
        start_lb(Setup::new(forward("tg")).group("tg", &[(a.addr, "healthy"), (b.addr, "unhealthy")]).config()).await;
    for _ in 0..4 {
        assert_eq!(get(lb.addr, "/").await.body, a.addr.port().to_string());
    }
    assert_eq!(b.requests.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draining_target_gets_no_new_requests_but_finishes_its_own() {
    let gate = Arc::new(Notify::new());
    let a = Backend::start(Behaviour::Gate(gate.clone())).await;
    let b = Backend::start(Behaviour::Echo).await;
    let mut setup = Setup::new(forward("tg")).group("tg", &[(a.addr, "healthy")]);
    let lb = start_lb(setup.config()).await;
    // A request in flight to `a`...
    let addr = lb.addr;
    let in_flight = tokio::spawn(async move { get(addr, "/slow").await });
    eventually("the request reached a", || a.requests.load(Ordering::SeqCst) == 1).await;
    // ...then `a` starts draining and `b` joins.
    setup.set_group("tg", &[(a.addr, "draining"), (b.addr, "healthy")]);
    lb.shared.update(setup.config());
    for _ in 0..4 {
        assert_eq!(get(lb.addr, "/").await.body, b.addr.port().to_string());
    }
    assert_eq!(a.requests.load(Ordering::SeqCst), 1, "no new request went to the draining target");
    gate.notify_one();
    let done = in_flight.await.unwrap();
    assert_eq!(done.status(), 200);
    assert_eq!(done.body, a.addr.port().to_string());
}

#[tokio::test]
async fn config_update_takes_effect_and_drops_old_pooled_connections() {
    let (a, b) = (Backend::start(Behaviour::Echo).await, Backend::start(Behaviour::Echo).await);
    let mut setup = Setup::new(forward("tg")).group("tg", &[(a.addr, "healthy")]);
    let lb = start_lb(setup.config()).await;
    assert_eq!(get(lb.addr, "/").await.body, a.addr.port().to_string());
    // The proxy keeps its connection to `a` open for reuse...
    eventually("a pooled connection to a", || a.open.load(Ordering::SeqCst) == 1).await;
    setup.set_group("tg", &[(b.addr, "healthy")]);
    lb.shared.update(setup.config());
    assert_eq!(get(lb.addr, "/").await.body, b.addr.port().to_string());
    // ...until `a` leaves the configuration.
    eventually("the pooled connection to a closed", || a.open.load(Ordering::SeqCst) == 0).await;
    assert_eq!(a.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn keep_alive_reuses_target_connections() {
    let a = Backend::start(Behaviour::Echo).await;
    let lb = start_lb(Setup::new(forward("tg")).group("tg", &[(a.addr, "healthy")]).config()).await;
    let mut client = KeepAlive::connect(lb.addr).await;
    for _ in 0..20 {
        assert_eq!(client.get("/").await, (200, a.addr.port().to_string()));
    }
    // And across client connections too.
    for _ in 0..5 {
        assert_eq!(get(lb.addr, "/").await.status(), 200);
    }
    assert_eq!(a.requests.load(Ordering::SeqCst), 25);
    let conns = a.connections.load(Ordering::SeqCst);
    assert!(conns < 25, "{conns} connections for 25 requests");
    assert_eq!(conns, 1, "sequential requests share one connection");
}

#[tokio::test]
async fn a_pooled_connection_the_target_closed_is_not_used() {
    let a = Backend::start(Behaviour::AnswerOnceThenClose).await;
    let lb = start_lb(Setup::new(forward("tg")).group("tg", &[(a.addr, "healthy")]).config()).await;
    for i in 1..=3 {
        let r = get(lb.addr, "/").await;
        assert_eq!((r.status(), r.body.as_str()), (200, "ok"), "request {i}: {r:?}");
        eventually("the target closed its side", || a.open.load(Ordering::SeqCst) == 0).await;
    }
    assert_eq!(a.connections.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn forwarded_headers_are_added_and_host_kept() {
    let a = Backend::start(Behaviour::Echo).await;
    let lb = start_lb(Setup::new(forward("tg")).group("tg", &[(a.addr, "healthy")]).config()).await;
    let r = raw(
        lb.addr,
        b"GET /p?q=1 HTTP/1.1\r\nHost: app.example.com\r\nX-Forwarded-For: 203.0.113.9\r\nX-Custom: kept\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(r.status(), 200, "{r:?}");
    assert_eq!(r.header("x-echo-x-forwarded-for"), Some("203.0.113.9, 127.0.0.1"));
    assert_eq!(r.header("x-echo-x-forwarded-proto"), Some("http"));
    assert_eq!(r.header("x-echo-x-forwarded-port"), Some("80"));
    assert_eq!(r.header("x-echo-host"), Some("app.example.com"));
    assert_eq!(r.header("x-echo-x-custom"), Some("kept"));
    assert_eq!(r.header("x-echo-uri"), Some("/p?q=1"));
    assert_eq!(r.header("x-echo-connection"), None, "hop-by-hop headers stay with the client connection");
}

#[tokio::test]
async fn fixed_response_action() {
    let config = json!({"FixedResponseConfig": {"StatusCode": "404", "ContentType": "application/json", "MessageBody": "{\"error\":\"none here\"}"}});
    let setup = Setup::new(forward("tg")).group("tg", &[]).rule(
        5,
        vec![json!({"Field": "path-pattern", "Values": ["/missing"]})],
        action("fixed-response", config),
    );
    let lb = start_lb(setup.config()).await;
    let r = get(lb.addr, "/missing").await;
    assert_eq!(r.status_line, "HTTP/1.1 404 Not Found");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("server"), Some("awselb/2.0"));
    assert_eq!(r.body, "{\"error\":\"none here\"}");
    assert_eq!(get(lb.addr, "/other").await.status(), 503);
}

#[tokio::test]
async fn redirect_action() {
    let config = json!({"RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}});
    let lb = start_lb(Setup::new(action("redirect", config)).config()).await;
    let r = get(lb.addr, "/a/b?c=d").await;
    assert_eq!(r.status_line, "HTTP/1.1 301 Moved Permanently");
    assert_eq!(r.header("location"), Some("https://app.example.com:443/a/b?c=d"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_400_and_the_proxy_carries_on() {
    let a = Backend::start(Behaviour::Echo).await;
    let lb = start_lb(Setup::new(forward("tg")).group("tg", &[(a.addr, "healthy")]).config()).await;
    let garbage: [&[u8]; 5] = [
        b"\x00\x01\x02 nonsense\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nBad Header\r\n\r\n",
        b"G@T / HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
    ];
    for g in garbage {
        let r = raw(lb.addr, g).await;
        assert_eq!(r.status(), 400, "{:?} -> {r:?}", String::from_utf8_lossy(g));
    }
    // HTTP/1.1 requires Host: the load balancer's own 400 page.
    let r = raw(lb.addr, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").await;
    assert_eq!(r.status_line, "HTTP/1.1 400 Bad Request");
    assert_eq!(r.header("server"), Some("awselb/2.0"));
    assert!(r.body.contains("<center><h1>400 Bad Request</h1></center>"));
    assert_eq!(a.requests.load(Ordering::SeqCst), 0, "nothing bad reached the target");
    assert_eq!(get(lb.addr, "/").await.status(), 200);
}

#[tokio::test]
async fn http10_client_and_request_body_are_relayed() {
    let a = Backend::start(Behaviour::Echo).await;
    let lb = start_lb(Setup::new(forward("tg")).group("tg", &[(a.addr, "healthy")]).config()).await;
    let r = raw(lb.addr, b"GET / HTTP/1.0\r\n\r\n").await;
    assert_eq!(r.status(), 200, "{r:?}");
    let r = raw(lb.addr, b"POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello").await;
    assert_eq!(r.status(), 200, "{r:?}");
}
