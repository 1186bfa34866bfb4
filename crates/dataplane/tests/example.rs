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

/// A line of `ip` output without what differs between two equal kernels:
/// interface indexes (`3:`, `@if2`), peers' namespace numbers, the randomized
/// ARP reachable time, random MACs (only an ENI's is set), and the scope's prefix.
fn normalized(line: &str, prefix: &str, random_macs: bool) -> String {
    let mut words: Vec<&str> = Vec::new();
    let mut skip = false;
    for w in line.split_whitespace() {
        if std::mem::take(&mut skip) {
            continue;
        }
        if w == "reachable" || w == "link-netns" || w == "link-netnsid" || (random_macs && w == "link/ether") {
            skip = true;
            continue;
        }
        if w.strip_suffix(':').is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())) {
            continue;
        }
        words.push(w.split("@if").next().unwrap_or(w));
    }
    words.join(" ").replace(prefix, "PREFIX-")
}

/// A listed ruleset with its sets, maps, chains and counters in name order:
/// the kernel lists them in the order they were made, which a change by
/// difference and a whole swap make differently.
fn sorted_blocks(listed: &str) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let mut outside = String::new();
    let mut current: Option<String> = None;
    for line in listed.lines().filter(|l| !l.trim().is_empty()) {
        match current.as_mut() {
            Some(b) => {
                b.push_str(line);
                b.push('\n');
                if line == "\t}" {
                    blocks.extend(current.take());
                }
            }
            None if line.starts_with('\t') && line.ends_with('{') => current = Some(format!("{line}\n")),
            None => {
                outside.push_str(line);
                outside.push('\n');
            }
        }
    }
    blocks.sort();
    format!("{outside}{}", blocks.concat())
}

/// What `ip` and `nft` show of every namespace of a kernel, by the name after the scope's prefix.
fn kernel_state(k: &dataplane::Kernel, w: &Wiring) -> Vec<(String, String)> {
    let prefix = k.scope().prefix().to_string();
    let mut out = Vec::new();
    for ns in w.namespaces() {
        let mut text = String::new();
        for args in [
            &["-o", "link", "show"][..],
            &["-o", "addr", "show"],
            &["route", "show", "table", "all"],
            &["rule", "show"],
            &["ntable", "show", "name", "arp_cache"],
        ] {
            let shown = dataplane::linux::ip_in(&ns, args).unwrap_or_else(|e| e.to_string());
            // IPv6 (link-local addresses, multicast routes in index order) is the kernel's own, not ours.
            for line in shown.lines().filter(|l| !l.contains("inet6") && !l.contains("fe80::") && !l.contains("ff00::"))
            {
                text.push_str(&normalized(line, &prefix, !ns.contains("-eni-")));
                text.push('\n');
            }
        }
        let nft = std::process::Command::new("ip")
            .args(["netns", "exec", &ns, "nft", "list", "ruleset"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        text.push_str(&sorted_blocks(&nft));
        out.push((ns.replace(&prefix, "PREFIX-"), text));
    }
    out.sort();
    out
}

#[test]
#[ignore = "needs root: realizes the example in network namespaces twice"]
fn the_in_process_path_leaves_the_kernel_as_the_ip_and_nft_programs_do() {
    support::require_root();
    let account = testkit::example::example();
    let mut new = support::Scoped::new("dnew");
    let mut old = support::Scoped::with_commands("dold");
    // Applied, then changed (a group dropped from an ENI, one ENI gone), so both first and later passes compare.
    let task = |a: &account::Account| {
        a.network_interfaces
            .values()
            .find(|e| matches!(e.owner, account::EniOwner::Task { .. }))
            .map(|e| e.network_interface_id.clone())
    };
    let mut changed = account.clone();
    if let Some(eni) = changed.network_interfaces.values_mut().find(|e| e.groups.len() > 1) {
        eni.groups.pop();
    }
    if let Some(id) = task(&changed) {
        changed.network_interfaces.remove(&id);
    }
    // Then one more ENI gone and nothing else: elements only, which go straight to the kernel.
    let mut fewer = changed.clone();
    if let Some(id) = task(&fewer) {
        fewer.network_interfaces.remove(&id);
    }
    // And one ENI more beside a task's, with its groups: elements only again, added.
    let mut more = fewer.clone();
    let beside = more
        .network_interfaces
        .values()
        .find(|e| matches!(e.owner, account::EniOwner::Task { .. }) && !e.groups.is_empty())
        .map(|e| (e.subnet_id.clone(), e.groups.clone()));
    if let Some((subnet, groups)) = beside {
        let mut req = account::CreateNetworkInterface::new(&subnet);
        req.groups = groups;
        more.create_network_interface(req).expect("an ENI beside a task's");
    }
    for a in [&account, &changed, &fewer, &more, &account] {
        let (wn, wo) = (Wiring::from_account(a, new.kernel.scope()), Wiring::from_account(a, old.kernel.scope()));
        new.kernel.apply(&wn).expect("the in-process path applies");
        old.kernel.apply(&wo).expect("the command path applies");
        let (n, o) = (kernel_state(&new.kernel, &wn), kernel_state(&old.kernel, &wo));
        assert_eq!(n.len(), o.len());
        for ((ns, a), (_, b)) in n.iter().zip(&o) {
            assert_eq!(a, b, "{ns}: in process (left) and with ip/nft (right) differ");
        }
    }
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
