//! The example's wiring, without touching the kernel.

use account::Account;
use dataplane::{EniKind, Scope, Wiring};
use std::net::Ipv4Addr;

fn example() -> Account {
    testkit::example::example()
}

#[test]
fn every_eni_gets_a_namespace_of_the_right_kind() {
    let a = example();
    let w = Wiring::from_account(&a, &Scope::production());
    assert_eq!(w.enis.len(), a.network_interfaces.len());
    let count = |f: fn(&EniKind) -> bool| w.enis.values().filter(|e| f(&e.kind)).count();
    let running = a.tasks.values().filter(|t| t.last_status != "STOPPED" && t.eni_id.is_some()).count();
    assert_eq!(count(|k| matches!(k, EniKind::Task { .. })), running);
    assert_eq!(count(|k| matches!(k, EniKind::NatGateway { .. })), a.nat_gateways.len());
    assert_eq!(count(|k| matches!(k, EniKind::Database { .. })), a.db_instances.len());
    assert!(count(|k| matches!(k, EniKind::LoadBalancer { .. })) >= 2, "one node per zone");
    assert_eq!(count(|k| matches!(k, EniKind::Instance { .. })), a.instances.len());
    for e in w.enis.values() {
        assert!(e.ns.starts_with("tn-eni-"), "{}", e.ns);
        assert!(e.host_if.len() <= 15);
        let translates = matches!(e.kind, EniKind::NatGateway { .. } | EniKind::Task { .. } | EniKind::Instance { .. });
        assert_eq!(e.nft.is_some(), translates);
    }
    let names: std::collections::BTreeSet<&str> = w.enis.values().map(|e| e.host_if.as_str()).collect();
    assert_eq!(names.len(), w.enis.len(), "interface names are unique");
}

#[test]
fn only_instances_reach_metadata_and_tasks_and_instances_carry_the_credentials_address() {
    let a = example();
    let w = Wiring::from_account(&a, &Scope::production());
    let (creds, imds) = (dataplane::wiring::CREDENTIALS_ADDR, dataplane::wiring::IMDS_ADDR);
    for e in w.enis.values() {
        match e.kind {
            EniKind::Instance { .. } => {
                assert!(e.serves_imds());
                assert_eq!(e.link_local(), [creds, imds]);
                let nft = e.nft.as_deref().unwrap_or_default();
                assert!(nft.contains("ip daddr 169.254.170.2 tcp dport 80 dnat to 169.254.170.2:51679"), "{nft}");
                assert!(nft.contains("ip daddr 169.254.169.254 tcp dport 80 dnat to 169.254.169.254:51680"), "{nft}");
            }
            EniKind::Task { .. } => {
                assert!(!e.serves_imds(), "awsvpc tasks keep metadata blackholed");
                assert_eq!(e.link_local(), [creds]);
            }
            _ => assert!(!e.serves_imds() && e.link_local().is_empty()),
        }
    }
}

#[test]
fn the_examples_container_instances_get_their_profiles_role_keys() {
    let mut a = example();
    assert!(!a.instances.is_empty());
    a.refresh_credentials(1_000);
    let ids: Vec<String> = a.instances.keys().cloned().collect();
    for id in ids {
        let role = a.instance_role_arn(&id).expect("the launch configuration's instance profile names a role");
        assert!(role.contains(":role/") && role.contains("ApplicationAutoscalingInstanceRole"), "{role}");
        let tree = account::credentials::instance_metadata(&a, &id, 1_000).expect("metadata");
        let name = account::credentials::role_name(&role);
        assert!(tree.contains_key(&format!("meta-data/iam/security-credentials/{name}")), "{tree:?}");
    }
}

/// Routes, rules or addresses as `ip` prints them.
fn lines<T: ToString>(set: &std::collections::BTreeSet<T>) -> std::collections::BTreeSet<String> {
    set.iter().map(T::to_string).collect()
}

#[test]
fn the_router_keeps_vpc_traffic_local_and_routes_the_rest_by_subnet() {
    let a = example();
    let w = Wiring::from_account(&a, &Scope::production());
    let vpc = a.vpcs.values().next().map(|v| v.vpc_id.clone()).unwrap_or_default();
    let r = &w.routers[&vpc];
    let (rules, routes) = (lines(&r.rules), lines(&r.routes));
    assert!(rules.contains(&format!("pref 100 to {} lookup 100", a.vpcs[&vpc].cidr_block)));
    for s in a.subnets.values() {
        assert!(rules.iter().any(|l| l.starts_with(&format!("pref 1000 from {} ", s.cidr_block))), "{}", s.subnet_id);
        assert!(r.local.contains(&s.cidr_block.nth(1).unwrap_or(Ipv4Addr::UNSPECIFIED)));
    }
    // The private subnets' default route goes to the NAT gateway's ENI, the public ones' to the gateway.
    let nat = w.enis.values().find(|e| matches!(e.kind, EniKind::NatGateway { .. })).map(|e| e.address);
    assert!(routes.iter().any(|l| nat.is_some_and(|n| l.starts_with(&format!("default via {n} ")))));
    assert!(routes.iter().any(|l| l.starts_with("default via 169.254.0.1 dev igw0 onlink")));
    // Every task ENI has its /32, its source check and its groups' chains; the NAT gateway's ENI has neither.
    for e in w.enis.values() {
        assert!(routes.contains(&format!("{}/32 dev {} table 100", e.address, e.host_if)));
        let checked = r.nft.sets["src_ok"].elements.contains_key(&format!("\"{}\" . {}", e.host_if, e.address));
        assert_eq!(checked, e.filtered(), "{}", e.eni_id);
        assert_eq!(r.nft.sets["out_if"].elements.contains_key(&format!("\"{}\"", e.host_if)), e.filtered());
    }
}

#[test]
fn the_internet_gateway_maps_every_public_ip_and_the_internet_routes_them() {
    let a = example();
    let w = Wiring::from_account(&a, &Scope::production());
    let g = w.igws.values().next().expect("the default VPC's gateway");
    let publics: Vec<Ipv4Addr> =
        a.network_interfaces.values().filter_map(|e| e.association.as_ref().map(|x| x.public_ip)).collect();
    assert_eq!(g.mappings.len(), publics.len());
    for p in &publics {
        assert!(g.nft.render().contains(&p.to_string()));
        assert!(lines(&w.internet.routes).contains(&format!("{p}/32 via 169.254.0.1 dev {} onlink", g.internet_if)));
    }
}

#[test]
fn a_scope_prefixes_every_namespace() {
    let a = example();
    let w = Wiring::from_account(&a, &Scope::test("t1"));
    assert!(w.namespaces().iter().all(|n| n.starts_with("tn-xt1-")));
}

/// The default account with an S3 gateway endpoint on the main route table
/// and a Secrets Manager interface endpoint: (account, the gateway endpoint, the route table).
fn with_endpoints() -> (Account, String, String) {
    let mut a = Account::new_default();
    let vpc = a.vpcs.keys().next().cloned().unwrap_or_default();
    let rtb = a.route_tables.values().find(|t| t.vpc_id == vpc).map(|t| t.route_table_id.clone()).unwrap_or_default();
    let vpce = testkit::endpoints::gateway_endpoint(&mut a, &vpc, "s3", &[&rtb]);
    let subnet = a.subnets.keys().next().cloned().unwrap_or_default();
    testkit::endpoints::interface_endpoint(&mut a, &subnet, "secretsmanager", &[], true);
    (a, vpce, rtb)
}

#[test]
fn a_gateway_endpoint_is_a_namespace_its_route_tables_route_the_prefix_list_to() {
    let (mut a, vpce, rtb) = with_endpoints();
    let w = Wiring::from_account(&a, &Scope::test("gw"));
    let g = &w.gateway_endpoints[&vpce];
    assert_eq!(g.ns, format!("tn-xgw-{vpce}"));
    assert_eq!((g.service, g.block.to_string().as_str()), ("s3", "203.0.113.192/28"));
    let r = &w.routers[&g.vpc_id];
    let from_subnet = |l: &String| Some(l.strip_prefix("pref 1000 from ")?.rsplit_once("lookup ")?.1.to_string());
    let table = lines(&r.rules).iter().find_map(from_subnet).expect("a subnet's table");
    let want = format!("203.0.113.192/28 via 169.254.0.5 dev {} onlink table {table}", g.router_if);
    assert!(lines(&r.routes).contains(&want), "{:?}", r.routes);
    assert!(lines(&g.routes).contains(&format!("{} dev vpc0", a.vpcs[&g.vpc_id].cidr_block)));
    // The endpoint's interface carries the service API with its groups enforced.
    assert!(w
        .enis
        .values()
        .any(|e| matches!(&e.kind, EniKind::VpcEndpoint { service, .. } if service == "secretsmanager")));
    // An endpoint that is gone leaves a blackhole, as AWS marks the route.
    a.vpc_endpoints.remove(&vpce);
    let w = Wiring::from_account(&a, &Scope::test("gw"));
    assert!(w.gateway_endpoints.is_empty());
    assert!(
        w.routers.values().any(|r| lines(&r.routes).contains(&format!("blackhole 203.0.113.192/28 table {table}"))),
        "{rtb}"
    );
}

#[test]
fn aws_service_addresses_live_only_on_the_emulated_internet_and_behind_endpoints() {
    let (a, _, _) = with_endpoints();
    let scope = Scope::test("svc");
    let w = Wiring::from_account(&a, &scope);
    // The internet holds every service address (gateway services: their whole block).
    for s in account::endpoints::SERVICES {
        let held = match s.gateway {
            Some(g) => g.cidr.to_string(),
            None => format!("{}/32", s.address),
        };
        assert!(lines(&w.internet.local).contains(&held), "{held}");
    }
    // Every namespace that routes or holds them is the scope's: the root namespace never does.
    assert!(w.namespaces().iter().all(|n| scope.owns(n)), "{:?}", w.namespaces());
    let block = account::endpoints::SERVICES_BLOCK;
    let in_block = |line: &str| {
        line.split([' ', '/']).filter_map(|t| t.parse::<Ipv4Addr>().ok()).any(|ip| block.contains_addr(ip))
    };
    for r in w.routers.values() {
        for l in lines(&r.routes).iter().filter(|l| in_block(l)) {
            // Only a gateway endpoint's route (or a blackhole) names the block in a router.
            assert!(l.contains(" via 169.254.0.5 dev v") || l.starts_with("blackhole "), "{l}");
        }
    }
    for g in w.igws.values() {
        assert!(!lines(&g.routes).iter().any(|l| in_block(l)), "the gateway sends them on by its default route only");
    }
    assert!(
        !lines(&w.internet.routes).iter().any(|l| in_block(l)),
        "the internet holds them, it routes none of them on"
    );
}

#[test]
fn every_enforced_security_group_rule_is_counted_under_its_rule_id() {
    let a = example();
    let w = Wiring::from_account(&a, &Scope::production());
    let text: String = w.routers.values().map(|r| r.nft.render()).collect();
    let held: std::collections::BTreeSet<&str> =
        w.enis.values().filter(|e| e.filtered()).flat_map(|e| e.groups.iter().map(String::as_str)).collect();
    let mut counted = 0;
    for g in held {
        let sg = &a.security_groups[g];
        for (egress, rules) in [(false, &sg.ingress), (true, &sg.egress)] {
            for r in rules.iter().filter(|r| !matches!(r.peer, account::Peer::Ipv6Cidr(_))) {
                let id = account::ec2::security_group_rule_id(g, egress, r);
                let lines: Vec<&str> = text.lines().filter(|l| l.ends_with(&format!("comment \"{id}\""))).collect();
                assert_eq!(lines.len(), 1, "{id} of {g} once, counted: {lines:?}");
                assert!(lines[0].contains(&format!(" counter name \"c_{}\" ", id.replace('-', "_"))), "{}", lines[0]);
                assert!(
                    text.contains(&format!("  counter c_{} {{ packets 0 bytes 0 }}", id.replace('-', "_"))),
                    "{id} declared"
                );
                counted += 1;
            }
        }
    }
    assert!(counted >= 4, "the example's groups have rules: {counted}");
}
