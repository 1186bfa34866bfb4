//! The chapter's example, deployed: the questions the issue names.

use testkit::example as support;

use reach::endpoint::resolve;
use reach::query::{ask, parse_flow, Answer};
use reach::topology::Topology;

fn question(a: &account::Account, from: &str, to: &str, protocol: &str, port: &str) -> Answer {
    let topo = Topology::new(a);
    let from = resolve(&topo, from, None).expect("source resolves");
    let to = resolve(&topo, to, None).expect("destination resolves");
    ask(&topo, &from, &to, &parse_flow(protocol, port).expect("flow"))
}

fn steps(a: &Answer) -> Vec<String> {
    a.paths[0].hops.iter().map(|h| format!("{}{}", h.step, if h.blocked { " BLOCKED" } else { "" })).collect()
}

#[test]
fn load_balancer_reaches_the_tasks_on_8000() {
    let a = support::example();
    let ans = question(&a, "ApplicationLoadBalancer", "ApplicationService", "tcp", "8000");
    assert!(ans.reachable, "{ans:#?}");
    assert_eq!(ans.paths.len(), 4, "2 nodes × 2 tasks");
    assert!(ans.paths.iter().all(|p| p.reachable));
    let hops = &ans.paths[0].hops;
    let ingress = hops.iter().find(|h| h.step == "security-group-ingress").expect("ingress hop");
    assert!(ingress.rules[0].text.contains("tcp 8000 from"), "{:?}", ingress.rules);
    assert!(ingress.rules[0].text.contains("ApplicationLoadBalancerSecurityGroup"), "{:?}", ingress.rules);
}

#[test]
fn tasks_reach_the_internet_on_443_through_the_nat_gateway() {
    let a = support::example();
    let ans = question(&a, "ApplicationService", "internet", "tcp", "443");
    assert!(ans.reachable, "{ans:#?}");
    assert!(steps(&ans).contains(&"nat-gateway".to_string()), "{:?}", steps(&ans));
    let ans = question(&a, "ApplicationService", "internet", "tcp", "80");
    assert!(!ans.reachable);
    assert!(ans.paths[0].blockers[0].reason.contains("no egress rule"), "{:?}", ans.paths[0].blockers);
}

#[test]
fn nothing_on_the_internet_reaches_a_task_and_every_reason_is_given() {
    let a = support::example();
    let task_ip = a
        .network_interfaces
        .values()
        .find(|e| e.description.starts_with("arn:aws:ecs"))
        .expect("task ENI")
        .private_ip_address;
    let ans = question(&a, "internet", &task_ip.to_string(), "tcp", "8000");
    assert!(!ans.reachable);
    let reasons: Vec<&str> = ans.paths[0].blockers.iter().map(|b| b.reason.as_str()).collect();
    assert_eq!(reasons.len(), 3, "{reasons:#?}");
    assert!(reasons[0].contains("has no public IP address"), "{reasons:?}");
    assert!(reasons[1].contains("no ingress rule"), "{reasons:?}");
    assert!(reasons[2].contains("NAT gateway rewrites their source"), "{reasons:?}");
}

#[test]
fn tasks_reach_the_database_and_the_load_balancer_does_not() {
    let a = support::example();
    let ans = question(&a, "ApplicationService", "ApplicationDatabase", "tcp", "3306");
    assert!(ans.reachable, "{ans:#?}");
    let ans = question(&a, "ApplicationLoadBalancer", "ApplicationDatabase", "tcp", "3306");
    assert!(!ans.reachable);
    let reasons: Vec<&str> = ans.paths[0].blockers.iter().map(|b| b.reason.as_str()).collect();
    assert!(reasons.iter().any(|r| r.contains("no egress rule")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("no ingress rule")), "{reasons:?}");
}

#[test]
fn the_internet_reaches_the_load_balancer_and_through_it_the_tasks() {
    let a = support::example();
    let ans = question(&a, "internet", "ApplicationLoadBalancer", "tcp", "80");
    assert!(ans.reachable, "{ans:#?}");
    let p = &ans.paths[0];
    assert!(p.hops.iter().any(|h| h.step == "listener"));
    assert_eq!(p.next.len(), 2);
    assert!(p.next.iter().all(|n| n.reachable));
    let ans = question(&a, "internet", "ApplicationLoadBalancer", "tcp", "8080");
    assert!(!ans.reachable);
}
