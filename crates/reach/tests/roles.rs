//! Every ENI of the deployed example has the owner the stack gave it.

use testkit::example as support;

use reach::role::{EniRole, Roles};

#[test]
fn the_example_has_tasks_instances_balancer_nodes_a_nat_gateway_and_a_database() {
    let a = support::example();
    let roles = Roles::new(&a);
    let mut kinds: Vec<&str> = a.network_interfaces.keys().map(|id| roles.of(id).kind()).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        ["database", "instance", "instance", "load-balancer", "load-balancer", "nat-gateway", "task", "task"]
    );
    let task = a.network_interfaces.keys().find(|id| matches!(roles.of(id), EniRole::Task { .. })).expect("a task ENI");
    assert!(a.tasks.values().any(|t| t.eni_id.as_deref() == Some(task.as_str())));
}
