//! Imports the sample `aws ec2 describe-*` output under tests/fixtures/import.

use account::import::{import_dir, import_documents, ImportError};
use account::{CreateNetworkInterface, NatGatewayState, Peer, RouteTarget};
use std::path::Path;

fn fixtures() -> account::import::Imported {
    import_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")).expect("fixtures import")
}

#[test]
fn imports_the_fixtures() {
    let imported = fixtures();
    assert_eq!(imported.skipped, vec!["describe-instances.json".to_string()]);
    assert_eq!(imported.used.len(), 8);
    let a = imported.account;
    assert_eq!((a.account_id.as_str(), a.region.as_str()), ("111122223333", "us-east-1"));
    assert_eq!(
        (a.vpcs.len(), a.subnets.len(), a.route_tables.len(), a.security_groups.len(), a.network_acls.len()),
        (2, 6, 4, 5, 3)
    );
    assert_eq!(a.default_vpc().map(|v| v.vpc_id.as_str()), Some("vpc-0c1f2e3d4a5b6c7d8"));
    assert_eq!(a.vpc("vpc-0a9b8c7d6e5f40312").unwrap().tags.get("Name").map(String::as_str), Some("orders-prod"));

    // Routing: public subnets via the public table, private ones through the NAT gateway.
    assert!(a.is_public_subnet("subnet-0a1a1a1a1a1a10002").unwrap());
    assert!(!a.is_public_subnet("subnet-0b2b2b2b2b2b20001").unwrap());
    assert!(a.is_public_subnet("subnet-0d1e2f3a4b5c60001").unwrap());
    let private = a.route_table_for_subnet("subnet-0b2b2b2b2b2b20002").unwrap();
    assert_eq!(private.routes[1].target, RouteTarget::NatGateway("nat-0a0b0c0d0e0f00001".into()));
    assert_eq!(private.routes[2].destination_prefix_list_id.as_deref(), Some("pl-63a5400a"));
    assert_eq!(a.main_route_table("vpc-0a9b8c7d6e5f40312").unwrap().route_table_id, "rtb-0f0f0f0f0f0f00002");

    let nat = a.nat_gateway("nat-0a0b0c0d0e0f00001").unwrap();
    assert_eq!(nat.state, NatGatewayState::Available);
    assert_eq!(nat.nat_gateway_addresses[0].public_ip.map(|i| i.to_string()).as_deref(), Some("54.210.33.17"));
    let failed = a.nat_gateway("nat-0a0b0c0d0e0f00000").unwrap();
    assert_eq!(failed.failure_code.as_deref(), Some("Gateway.NotAttached"));
    assert_eq!(a.network_interface("eni-0c0c0c0c0c0c00001").unwrap().interface_type, "natGateway");

    // Security groups: one IpPermission with several peers becomes several rules.
    let alb = a.security_group("sg-0bbb0bbb0bbb00002").unwrap();
    assert_eq!(alb.ingress.len(), 4);
    assert!(alb.ingress.iter().any(|r| r.peer == Peer::Ipv6Cidr("::/0".into())));
    let app = a.security_group("sg-0bbb0bbb0bbb00003").unwrap();
    assert_eq!(app.ingress[0].peer, Peer::SecurityGroup("sg-0bbb0bbb0bbb00002".into()));
    assert_eq!(app.ingress[0].description.as_deref(), Some("from the load balancer"));
    let db = a.security_group("sg-0bbb0bbb0bbb00004").unwrap();
    assert_eq!(db.ingress.len(), 3);
    assert_eq!(db.egress[0].peer, Peer::PrefixList("pl-63a5400a".into()));

    // ACLs: the private subnets use the custom one, entries in evaluation order.
    let acl = a.network_acl_for_subnet("subnet-0b2b2b2b2b2b20001").unwrap();
    assert_eq!(acl.network_acl_id, "acl-0d0d0d0d0d0d00003");
    let inbound: Vec<u16> = acl.entries.iter().filter(|e| !e.egress).map(|e| e.rule_number).collect();
    assert_eq!(inbound, [100, 110, 120, 32767]);

    // Subnets keep AWS's zone IDs and count.
    let s = a.subnet("subnet-0a1a1a1a1a1a10001").unwrap();
    assert_eq!((s.availability_zone_id.as_deref(), s.available_ip_address_count), (Some("use1-az6"), 250));
}

#[test]
fn imported_account_takes_actions() {
    let mut a = fixtures().account;
    // The NAT gateway's address 10.20.0.91 is taken; new interfaces start at .4.
    let eni = a.create_network_interface(CreateNetworkInterface::new("subnet-0a1a1a1a1a1a10001")).unwrap();
    assert_eq!(eni.private_ip_address.to_string(), "10.20.0.4");
    assert_eq!(eni.groups, vec!["sg-0bbb0bbb0bbb00001".to_string()]);
    let e = a.create_subnet("vpc-0a9b8c7d6e5f40312", "10.20.10.128/25", None).unwrap_err();
    assert_eq!(
        (e.code(), e.to_string().as_str()),
        ("InvalidSubnet.Conflict", "The CIDR '10.20.10.128/25' conflicts with another subnet")
    );
    // And prints as an account file that loads back.
    let text = account::file::to_yaml(&a).unwrap();
    let back = account::file::load(&text).unwrap();
    assert_eq!(back.route_tables, a.route_tables);
    assert_eq!(back.security_groups, a.security_groups);
}

#[test]
fn bad_input_is_an_error() {
    let docs = |t: &str| vec![("x.json".to_string(), t.to_string())];
    assert!(matches!(import_documents(&docs("{")), Err(ImportError::Json { .. })));
    assert!(matches!(import_documents(&docs("{\"Reservations\": []}")), Err(ImportError::Nothing)));
    let e = import_documents(&docs(r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/99"}]}"#)).unwrap_err();
    assert_eq!(e.to_string(), "x.json: Vpcs[0].CidrBlock: '10.0.0.0/99' has a prefix length outside 0..=32");
    let e = import_documents(&docs(r#"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"}]}"#)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.json: Subnets[0].VpcId: The vpc ID 'vpc-1' does not exist (import describe-vpcs output too)"
    );
    let e = import_documents(&docs(r#"{"Vpcs": [{"CidrBlock": "10.0.0.0/16"}]}"#)).unwrap_err();
    assert!(e.to_string().contains("VpcId"), "{e}");
    assert!(import_dir(Path::new("/nonexistent/folder")).is_err());
}
