use super::*;

const LISTED: &str = r#"{"nftables": [{"metainfo": {"version": "1.0.6"}},
{"counter": {"family": "ip", "name": "c_sgr_0123456789abcdef0", "table": "tn", "handle": 2, "packets": 5, "bytes": 300}},
{"counter": {"family": "ip", "name": "c_sgr_1111", "table": "tn", "handle": 3, "packets": 0, "bytes": 0}},
{"counter": {"family": "ip", "name": "someone_elses", "table": "tn", "handle": 4, "packets": 9, "bytes": 9}}]}"#;

#[test]
fn counts_are_read_by_counter_name_and_other_counters_are_left_out() {
    let c = counts_of_json(LISTED);
    assert_eq!(c.len(), 2);
    assert_eq!(c["sgr-0123456789abcdef0"], Count { packets: 5, bytes: 300 });
    assert_eq!(c["sgr-1111"], Count::default());
    assert!(counts_of_json("not json").is_empty());
    assert!(counts_of_json(r#"{"nftables": 3}"#).is_empty());
    assert_eq!(rule_of_counter(&counter_name("sgr-0a1b2c")).as_deref(), Some("sgr-0a1b2c"));
}

#[test]
fn a_swap_flushes_and_deletes_what_the_old_table_had_but_keeps_the_counters_both_declare() {
    let old = replace("  counter c_sgr_1 { packets 0 bytes 0 }\n  counter c_sgr_2 { packets 0 bytes 0 }\n  set g_a {\n    type ipv4_addr;\n  }\n  chain sgin_a {\n    counter name \"c_sgr_1\" accept comment \"sgr-1\"\n  }\n  chain forward {\n    jump sgin_a\n  }\n");
    let new = replace("  counter c_sgr_1 { packets 0 bytes 0 }\n  chain sgin_b {\n    counter name \"c_sgr_1\" accept comment \"sgr-1\"\n  }\n");
    let text = swap(&old, &new);
    assert_eq!(
        text,
        "table ip tn {}\nflush table ip tn\ndelete chain ip tn sgin_a\ndelete chain ip tn forward\ndelete set ip tn g_a\ndelete counter ip tn c_sgr_2\ntable ip tn {\n  counter c_sgr_1 { packets 0 bytes 0 }\n  chain sgin_b {\n    counter name \"c_sgr_1\" accept comment \"sgr-1\"\n  }\n}\n"
    );
    assert!(!text.contains("delete table"), "the table and its counters stay");
    assert_eq!(swap("", &new), new, "a first table is the replace text itself");
}

/// The example's router with the most ENIs, with its account and ENIs.
fn example_router() -> (Account, Vec<EniNs>) {
    let a = testkit::example::example();
    let w = super::super::Wiring::from_account(&a, &crate::names::Scope::production());
    let count = |ns: &str| w.enis.values().filter(|e| e.router_ns == ns).count();
    let ns = w.routers.values().map(|r| r.ns.clone()).max_by_key(|ns| count(ns)).unwrap_or_default();
    let enis = w.enis.values().filter(|e| e.router_ns == ns).cloned().collect();
    (a, enis)
}

/// The router's table without, then with, a filtered ENI that shares its
/// subnet (and, when `alone`, holds groups no other ENI holds; else groups
/// another ENI holds), and that ENI.
fn with_and_without_one_eni(alone: bool) -> (Table, Table, EniNs) {
    let (mut a, mut enis) = example_router();
    if alone {
        // A group of its own, on an ENI that shares its subnet with another.
        let shares = |e: &EniNs| enis.iter().any(|o| o.eni_id != e.eni_id && o.subnet_id == e.subnet_id);
        let at = enis.iter().position(|e| e.filtered() && shares(e)).expect("two ENIs in one subnet");
        let e = &mut enis[at];
        let vpc = a.subnets[&e.subnet_id].vpc_id.clone();
        let g = a.create_security_group(&vpc, "alone", "only this ENI").expect("group").group_id;
        e.groups = vec![g];
    }
    let shares = |e: &EniNs| {
        enis.iter().any(|o| o.eni_id != e.eni_id && o.subnet_id == e.subnet_id)
            && (alone != enis.iter().any(|o| o.eni_id != e.eni_id && o.filtered() && o.groups == e.groups))
    };
    let e = enis.iter().find(|e| e.filtered() && shares(e)).cloned().expect("an ENI as asked");
    let all: Vec<&EniNs> = enis.iter().collect();
    let without: Vec<&EniNs> = enis.iter().filter(|o| o.eni_id != e.eni_id).collect();
    (router(&a, &without), router(&a, &all), e)
}

/// The chain name part of an ENI's groups in `t` (`c…`).
fn combo_of(t: &Table, e: &EniNs) -> String {
    let v = t.sets["out_if"].elements[&format!("\"{}\"", e.host_if)].clone().unwrap_or_default();
    v.trim_start_matches("jump out_").to_string()
}

#[test]
fn an_eni_that_comes_adds_set_and_map_elements_only() {
    let (before, after, e) = with_and_without_one_eni(false);
    let script = Table::diff(&before, &after).expect("the same declarations");
    let (i, s, c) = (&e.host_if, nft_ident(&e.subnet_id), combo_of(&after, &e));
    for line in [
        format!("add element ip tn if_{s} {{ \"{i}\" }}"),
        format!("add element ip tn from_if {{ \"{i}\" : jump from_{s} }}"),
        format!("add element ip tn to_if {{ \"{i}\" : jump to_{s} }}"),
        format!("add element ip tn out_if {{ \"{i}\" : jump out_{c} }}"),
        format!("add element ip tn in_if {{ \"{i}\" : goto in_{c} }}"),
        format!("add element ip tn src_ok {{ \"{i}\" . {} }}", e.address),
    ] {
        assert!(script.lines().any(|l| l == line), "{line} missing from:\n{script}");
    }
    assert!(script.lines().all(|l| l.starts_with("add element ")), "{script}");
}

#[test]
fn an_eni_with_groups_of_its_own_adds_their_chains_with_its_source_check() {
    let (before, after, e) = with_and_without_one_eni(true);
    let script = Table::diff(&before, &after).expect("the same declarations");
    let c = combo_of(&after, &e);
    for line in [
        format!("add chain ip tn out_{c}"),
        format!("add rule ip tn out_{c} iifname . ip saddr != @src_ok drop"),
        format!("add chain ip tn in_{c}"),
        format!("add rule ip tn in_{c} drop"),
    ] {
        assert!(script.lines().any(|l| l == line), "{line} missing from:\n{script}");
    }
    assert!(!script.contains("flush") && !script.contains("delete"), "{script}");
    for l in script.lines() {
        assert!(l.starts_with("add "), "{l}");
        assert!(!l.starts_with("add rule ip tn forward ") && !l.starts_with("add rule ip tn ingress "), "{l}");
    }
}

#[test]
fn an_eni_that_goes_leaves_the_maps_before_its_groups_chains_are_flushed_and_deleted() {
    let (before, after, e) = with_and_without_one_eni(false);
    let script = Table::diff(&after, &before).expect("the same declarations");
    assert!(script.lines().all(|l| l.starts_with("delete element ")), "others share its chains:\n{script}");
    let (before, after, e2) = with_and_without_one_eni(true);
    let script = Table::diff(&after, &before).expect("the same declarations");
    assert!(!script.contains("table"), "{script}");
    let at = |line: String| script.lines().position(|l| l == line).unwrap_or_else(|| panic!("{line}:\n{script}"));
    let (i, c) = (&e2.host_if, combo_of(&after, &e2));
    for (map, chain) in [("out_if", format!("out_{c}")), ("in_if", format!("in_{c}"))] {
        let unmapped = at(format!("delete element ip tn {map} {{ \"{i}\" }}"));
        let flushed = at(format!("flush chain ip tn {chain}"));
        let deleted = at(format!("delete chain ip tn {chain}"));
        assert!(unmapped < flushed && flushed < deleted, "{script}");
    }
    assert!(!script.lines().any(|l| l.contains(" ip tn forward") || l.contains(" ip tn ingress")), "{script}");
    assert_ne!(e.eni_id, String::new());
}

#[test]
fn a_groups_changed_rules_change_its_chain_and_its_old_rules_come_back_with_it() {
    let (a, enis) = example_router();
    let refs: Vec<&EniNs> = enis.iter().collect();
    let before = router(&a, &refs);
    let g = enis.iter().find(|e| e.filtered() && !e.groups.is_empty()).map(|e| e.groups[0].clone()).expect("a group");
    let rule = SecurityGroupRule {
        ip_protocol: "tcp".into(),
        from_port: Some(7777),
        to_port: Some(7777),
        peer: Peer::Cidr(account::Ipv4Cidr::any()),
        description: None,
        origin: account::Origin::none(),
    };
    let mut changed = a.clone();
    changed.authorize_security_group_ingress(&g, std::slice::from_ref(&rule)).expect("authorize");
    let after = router(&changed, &refs);
    let chain = format!("sgin_{}", nft_ident(&g));
    assert_eq!(after.chains[&chain].rules.len(), before.chains[&chain].rules.len() + 1);
    assert!(after.chains[&chain].rules.iter().any(|r| r.contains("th dport 7777 ")), "{:?}", after.chains[&chain]);
    assert_eq!(after.counters.len(), before.counters.len() + 1);
    changed.revoke_security_group_ingress(&g, &[rule]).expect("revoke");
    assert_eq!(router(&changed, &refs), before, "the same rules, the same table");
}

#[test]
fn the_base_chains_dispatch_through_named_maps_even_without_enis() {
    let t = router(&Account::default(), &[]);
    let forward = [
        "iifname vmap @from_if",
        "oifname vmap @to_if",
        "ct state established,related accept",
        "iifname vmap @out_if",
        "jump ingress",
    ];
    assert_eq!(t.chains["forward"].rules, forward);
    assert_eq!(t.chains["forward"].hook.as_deref(), Some("type filter hook forward priority filter; policy drop;"));
    assert_eq!(t.chains["ingress"].rules, ["oifname vmap @in_if", "accept"]);
    for m in ["from_if", "to_if", "out_if", "in_if"] {
        assert_eq!(t.sets[m], verdict_map(), "{m}");
    }
    assert!(t.sets["src_ok"].elements.is_empty());
    assert_eq!(t.sets.len(), 5);
    assert_eq!(t.chains.len(), 2);
}

#[test]
fn a_public_ip_that_comes_adds_one_element_to_each_of_the_gateway_sets() {
    let one = BTreeMap::from([(Ipv4Addr::new(203, 0, 113, 5), Ipv4Addr::new(10, 0, 0, 5))]);
    let mut two = one.clone();
    two.insert(Ipv4Addr::new(203, 0, 113, 6), Ipv4Addr::new(10, 0, 1, 6));
    assert_eq!(
        Table::diff(&internet_gateway(&one), &internet_gateway(&two)).as_deref(),
        Some(
            "add element ip tn privates { 10.0.1.6 }\nadd element ip tn publics { 203.0.113.6 }\n\
             add element ip tn to_private { 203.0.113.6 : 10.0.1.6 }\n\
             add element ip tn to_public { 10.0.1.6 : 203.0.113.6 }\n"
        )
    );
    assert!(internet_gateway(&one).render().contains("    elements = { 203.0.113.5 : 10.0.0.5 }\n"));
}

#[test]
fn a_swap_empties_the_maps_before_it_deletes_the_chains_they_jump_to() {
    let (_, table, e) = with_and_without_one_eni(false);
    let text = swap(&table.render(), &table.render());
    let at = |line: &str| text.lines().position(|l| l == line).unwrap_or_else(|| panic!("{line}:\n{text}"));
    let chain = format!("delete chain ip tn out_{}", combo_of(&table, &e));
    assert!(at("flush table ip tn") < at("flush map ip tn out_if"));
    assert!(at("flush map ip tn out_if") < at(&chain));
    assert!(at(&chain) < at("delete map ip tn out_if"));
    assert!(at("delete map ip tn out_if") < at("  map out_if {"), "declared again after");
}
