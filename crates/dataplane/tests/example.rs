//! The example realized in namespaces (root only).

mod support;

use dataplane::Wiring;

#[test]
fn the_example_gets_one_namespace_per_eni_and_a_clean_teardown() {
    if !support::can_run() {
        return;
    }
    let account = support::example();
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
}
