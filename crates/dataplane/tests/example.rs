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
