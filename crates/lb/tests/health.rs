//! Health check probes against real backends on 127.0.0.1.

mod support;

use account::{HealthCheck, HealthCheckOutcome};
use lb::{probe, PlainConnector};
use std::sync::atomic::Ordering;
use support::*;

fn check(timeout_seconds: u32) -> HealthCheck {
    HealthCheck { health_check_timeout_seconds: timeout_seconds, ..HealthCheck::default() }
}

#[tokio::test]
async fn healthy_backend_passes() {
    let a = Backend::start(Behaviour::Echo).await;
    assert_eq!(probe(&PlainConnector, a.addr, &check(5), "10.0.0.1:8000").await, HealthCheckOutcome::Pass);
    assert_eq!(a.requests.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn unexpected_code_fails_with_that_code() {
    let a = Backend::start(Behaviour::Status(503)).await;
    assert_eq!(probe(&PlainConnector, a.addr, &check(5), "h").await, HealthCheckOutcome::Fail(503));
}

#[tokio::test]
async fn matcher_range_decides() {
    let a = Backend::start(Behaviour::Status(204)).await;
    let mut hc = check(5);
    assert_eq!(probe(&PlainConnector, a.addr, &hc, "h").await, HealthCheckOutcome::Fail(204));
    hc.matcher = "200-299".into();
    assert_eq!(probe(&PlainConnector, a.addr, &hc, "h").await, HealthCheckOutcome::Pass);
}

#[tokio::test]
async fn silent_backend_times_out() {
    let a = Backend::start(Behaviour::NeverAnswer).await;
    assert_eq!(probe(&PlainConnector, a.addr, &check(1), "h").await, HealthCheckOutcome::Timeout);
}

#[tokio::test]
async fn refused_or_closed_connections_are_connection_errors() {
    let nobody = closed_port().await;
    assert_eq!(probe(&PlainConnector, nobody, &check(5), "h").await, HealthCheckOutcome::ConnectionError);
    let closer = Backend::start(Behaviour::CloseWithoutAnswer).await;
    assert_eq!(probe(&PlainConnector, closer.addr, &check(5), "h").await, HealthCheckOutcome::ConnectionError);
}

#[tokio::test]
async fn explicit_port_and_path() {
    let a = Backend::start(Behaviour::Echo).await;
    let hc =
        HealthCheck { health_check_port: a.addr.port().to_string(), health_check_path: "/health".into(), ..check(5) };
    // The target's own port is closed; the health check port is not.
    let target = std::net::SocketAddrV4::new(localhost(), closed_port().await.port());
    assert_eq!(probe(&PlainConnector, target, &hc, "h").await, HealthCheckOutcome::Pass);
}

#[tokio::test]
async fn https_checks_only_connect() {
    let a = Backend::start(Behaviour::NeverAnswer).await;
    let hc = HealthCheck { health_check_protocol: "HTTPS".into(), ..check(1) };
    assert_eq!(probe(&PlainConnector, a.addr, &hc, "h").await, HealthCheckOutcome::Pass);
    let nobody = closed_port().await;
    assert_eq!(probe(&PlainConnector, nobody, &hc, "h").await, HealthCheckOutcome::ConnectionError);
}
