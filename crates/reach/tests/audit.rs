//! The audit of the deployed example: who reaches the database, and the dangers.

use testkit::example as support;

use reach::audit::audit;
use reach::endpoint::resolve;
use reach::query::parse_flow;
use reach::topology::Topology;

#[test]
fn only_the_tasks_reach_the_database() {
    let a = support::example();
    let topo = Topology::new(&a);
    let db = resolve(&topo, "ApplicationDatabase", None).expect("resolves");
    let r = audit(&topo, Some(&db), None);
    assert_eq!(r.destinations.len(), 1);
    let access = &r.destinations[0].access;
    assert_eq!(access.len(), 1, "{access:#?}");
    assert_eq!(access[0].protocol, "tcp");
    assert_eq!(access[0].ports, "3306");
    assert_eq!(access[0].holders, ["ApplicationService"]);
    assert!(access[0].rule.text.contains("ApplicationSecurityGroup"), "{:?}", access[0].rule);
}

#[test]
fn the_whole_account_shows_the_internet_on_the_load_balancer_and_ssh_open_to_the_world() {
    let a = support::example();
    let topo = Topology::new(&a);
    let r = audit(&topo, None, None);
    let lb = r.destinations.iter().find(|d| d.destination == "ApplicationLoadBalancer").expect("the load balancer");
    assert!(lb.access.iter().any(|x| x.holders.contains(&"internet".to_string()) && x.ports == "80"), "{lb:#?}");
    let codes: Vec<&str> = r.findings.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"TN5102"), "{codes:?}");
    assert!(!codes.contains(&"TN5101"), "{codes:?}");
    let with_port = audit(&topo, None, Some(&parse_flow("tcp", "8000").expect("flow")));
    let svc = with_port.destinations.iter().find(|d| d.destination == "ApplicationService").expect("the service");
    assert_eq!(svc.access.len(), 1, "{svc:#?}");
    assert_eq!(svc.access[0].holders, ["ApplicationLoadBalancer"]);
}
