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

#[test]
fn the_router_keeps_vpc_traffic_local_and_routes_the_rest_by_subnet() {
    let a = example();
    let w = Wiring::from_account(&a, &Scope::production());
    let vpc = a.vpcs.values().next().map(|v| v.vpc_id.clone()).unwrap_or_default();
    let r = &w.routers[&vpc];
    assert!(r.rules.contains(&format!("pref 100 to {} lookup 100", a.vpcs[&vpc].cidr_block)));
    for s in a.subnets.values() {
        assert!(r.rules.iter().any(|l| l.starts_with(&format!("pref 1000 from {} ", s.cidr_block))), "{}", s.subnet_id);
        assert!(r.local.contains(&s.cidr_block.nth(1).unwrap_or(Ipv4Addr::UNSPECIFIED)));
    }
    // The private subnets' default route goes to the NAT gateway's ENI, the public ones' to the gateway.
    let nat = w.enis.values().find(|e| matches!(e.kind, EniKind::NatGateway { .. })).map(|e| e.address);
    assert!(r.routes.iter().any(|l| nat.is_some_and(|n| l.starts_with(&format!("0.0.0.0/0 via {n} ")))));
    assert!(r.routes.iter().any(|l| l.starts_with("0.0.0.0/0 via 169.254.0.1 dev igw0 onlink")));
    // Every task ENI has its /32 and a chain; the NAT gateway's ENI has no security group chain.
    for e in w.enis.values() {
        assert!(r.routes.contains(&format!("{}/32 dev {} table 100", e.address, e.host_if)));
        assert_eq!(r.nft.contains(&format!("chain out_{} ", e.host_if)), e.filtered(), "{}", e.eni_id);
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
        assert!(g.nft.contains(&p.to_string()));
        assert!(w.internet.routes.contains(&format!("{p}/32 via 169.254.0.1 dev {} onlink", g.internet_if)));
    }
}

#[test]
fn a_scope_prefixes_every_namespace() {
    let a = example();
    let w = Wiring::from_account(&a, &Scope::test("t1"));
    assert!(w.namespaces().iter().all(|n| n.starts_with("tn-xt1-")));
}
