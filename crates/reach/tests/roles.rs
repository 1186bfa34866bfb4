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

#[test]
fn every_interface_of_the_example_records_its_owner_and_a_store_without_owners_gets_them_back() {
    use account::EniOwner;
    let a = support::example();
    let mut kinds: Vec<&str> = a
        .network_interfaces
        .values()
        .map(|e| match &e.owner {
            EniOwner::None => "none",
            EniOwner::Task { .. } => "task",
            EniOwner::LoadBalancer { .. } => "load-balancer",
            EniOwner::NatGateway { .. } => "nat-gateway",
            EniOwner::DbInstance { .. } => "database",
            EniOwner::Instance { .. } => "instance",
            EniOwner::Trunk { .. } => "trunk",
            EniOwner::VpcEndpoint { .. } => "vpc-endpoint",
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        ["database", "instance", "instance", "load-balancer", "load-balancer", "nat-gateway", "task", "task"]
    );
    // As a store written before owners were recorded holds it: loading gives them back.
    let mut old = a.clone();
    for e in old.network_interfaces.values_mut() {
        e.owner = EniOwner::None;
    }
    let mut store = account::Store::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
    store.save_account(&old).unwrap_or_else(|e| panic!("{e}"));
    let loaded = store.load_account().unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("saved"));
    assert_eq!(loaded.network_interfaces, a.network_interfaces);
}
