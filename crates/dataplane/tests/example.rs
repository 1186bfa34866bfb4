//! The example realized in namespaces (root only).

mod support;

use dataplane::Wiring;

#[test]
#[ignore = "needs root: realizes the example in network namespaces"]
fn the_example_gets_one_namespace_per_eni_and_a_clean_teardown() {
    support::require_root();
    let account = testkit::example::example();
    let mut s = support::Scoped::new("ex");
    let w = Wiring::from_account(&account, s.kernel.scope());
    let changes = s.kernel.apply(&w).expect("applies");
    assert_eq!(changes.created.len(), account.network_interfaces.len());
    let mut want = w.namespaces();
    want.sort();
    let mut have = dataplane::linux::existing(s.kernel.scope()).expect("lists");
    have.sort();
    assert_eq!(have, want);
    // A second pass changes nothing.
    let again = s.kernel.apply(&w).expect("applies again");
    assert!(again.is_empty(), "{again:?}");
    // A changed group list changes rules, not the ENI's namespace (its sockets live there).
    let mut changed = account.clone();
    if let Some(eni) = changed.network_interfaces.values_mut().find(|e| !e.groups.is_empty()) {
        eni.groups.pop();
    }
    let w = Wiring::from_account(&changed, s.kernel.scope());
    let third = s.kernel.apply(&w).expect("applies the change");
    assert!(third.created.is_empty() && third.removed.is_empty(), "{third:?}");
    assert!(!third.updated.is_empty(), "the router's table changed: {third:?}");
}

#[test]
#[ignore = "needs root: realizes the example in network namespaces and sends a real connection"]
fn a_security_group_rule_counts_the_connections_it_lets_in_across_table_swaps() {
    use dataplane::EniKind;
    use std::net::SocketAddrV4;
    use std::time::Duration;
    use workload::{probe_tcp, NetNs, ProbeResult, Responder};

    support::require_root();
    let account = testkit::example::example();
    let mut s = support::Scoped::new("cnt");
    let w = Wiring::from_account(&account, s.kernel.scope());
    s.kernel.apply(&w).expect("applies");
    let task = w.enis.values().find(|e| matches!(e.kind, EniKind::Task { .. })).expect("a task ENI");
    let lb = w.enis.values().find(|e| matches!(e.kind, EniKind::LoadBalancer { .. })).expect("a load balancer node");
    // The task's rule that lets the load balancer in on the container's port.
    let (group, rule) = task
        .groups
        .iter()
        .find_map(|g| {
            let sg = &account.security_groups[g];
            sg.ingress.iter().find(|r| r.from_port == Some(8000)).map(|r| (g.clone(), r.clone()))
        })
        .expect("a rule for port 8000");
    let id = account::ec2::security_group_rule_id(&group, false, &rule);
    let before = dataplane::linux::rule_counts(s.kernel.scope()).expect("reads counters");
    assert_eq!(before.get(&id).map(|c| c.packets), Some(0), "{id} is counted from zero: {before:?}");

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let outcome = rt.block_on(async {
        let tns = NetNs::open(&task.ns).expect("the task's namespace");
        let _responder = Responder::start(&tns, task.address, &[8000], &[]).expect("a responder");
        let lns = NetNs::open(&lb.ns).expect("the node's namespace");
        let (src, dst) = (SocketAddrV4::new(lb.address, 41000), SocketAddrV4::new(task.address, 8000));
        probe_tcp(&lns, src, dst, Duration::from_secs(3)).await
    });
    assert!(matches!(outcome, Ok(ProbeResult::Delivered)), "{outcome:?}");
    let after = dataplane::linux::rule_counts(s.kernel.scope()).expect("reads counters")[&id];
    // The connection's first packet; the rest rode its conntrack entry.
    assert!(after.packets >= 1 && after.bytes >= 40, "{after:?}");

    // A rule added to the same group: the router's table is swapped whole, the count stays.
    let mut changed = account.clone();
    let mut added = rule.clone();
    (added.from_port, added.to_port) = (Some(9999), Some(9999));
    changed.security_groups.get_mut(&group).expect("the group").ingress.push(added);
    let w2 = Wiring::from_account(&changed, s.kernel.scope());
    let changes = s.kernel.apply(&w2).expect("applies the change");
    assert!(!changes.updated.is_empty(), "the router's table changed: {changes:?}");
    let carried = dataplane::linux::rule_counts(s.kernel.scope()).expect("reads counters")[&id];
    assert_eq!(carried, after, "the swap carried the count");
}
