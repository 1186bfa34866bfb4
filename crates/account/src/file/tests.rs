//! Tests of the account file.

use super::*;
use crate::model::*;
use crate::Account;

const SAMPLE: &str = r#"
account_id: 210987654321
region: us-east-1
vpcs:
  - id: vpc-0a1b2c3d4e5f60718
    cidr: 10.0.0.0/16
    tags: {Name: prod}
subnets:
  - id: subnet-0aaaaaaaaaaaaaaa1
    vpc: vpc-0a1b2c3d4e5f60718
    cidr: 10.0.0.0/24
    availability_zone: us-east-1a
    map_public_ip_on_launch: true
  - id: subnet-0aaaaaaaaaaaaaaa2
    vpc: vpc-0a1b2c3d4e5f60718
    cidr: 10.0.1.0/24
    availability_zone: us-east-1b
internet_gateways:
  - id: igw-0bbbbbbbbbbbbbbb1
    vpc: vpc-0a1b2c3d4e5f60718
elastic_ips:
  - allocation_id: eipalloc-0ccccccccccccccc1
    public_ip: 203.0.113.10
nat_gateways:
  - id: nat-0ddddddddddddddd1
    subnet: subnet-0aaaaaaaaaaaaaaa1
    allocation_id: eipalloc-0ccccccccccccccc1
route_tables:
  - id: rtb-0eeeeeeeeeeeeeee1
    vpc: vpc-0a1b2c3d4e5f60718
    routes:
      - destination: 0.0.0.0/0
        gateway_id: igw-0bbbbbbbbbbbbbbb1
    subnets: [subnet-0aaaaaaaaaaaaaaa1]
  - id: rtb-0eeeeeeeeeeeeeee2
    vpc: vpc-0a1b2c3d4e5f60718
    main: true
    routes:
      - destination: 0.0.0.0/0
        nat_gateway_id: nat-0ddddddddddddddd1
security_groups:
  - id: sg-0fffffffffffffff1
    name: web
    vpc: vpc-0a1b2c3d4e5f60718
    ingress:
      - {protocol: tcp, from_port: 443, to_port: 443, cidr: 0.0.0.0/0}
  - id: sg-0fffffffffffffff2
    name: app
    vpc: vpc-0a1b2c3d4e5f60718
    ingress:
      - {protocol: tcp, from_port: 8080, to_port: 8080, group: sg-0fffffffffffffff1, description: from web}
    egress: []
network_acls:
  - id: acl-0123456789abcdef0
    vpc: vpc-0a1b2c3d4e5f60718
    entries:
      - {rule: 100, protocol: -1, action: allow, cidr: 0.0.0.0/0}
      - {rule: 100, protocol: -1, action: allow, egress: true, cidr: 0.0.0.0/0}
    subnets: [subnet-0aaaaaaaaaaaaaaa2]
ssm_parameters:
  - {name: /app/port, value: 8080}
  - {name: /app/db-password, type: SecureString, value: s3cret}
secrets:
  - {name: todobackend/credentials, secret_string: '{"MYSQL_PASSWORD":"pw"}', description: made by hand}
exports:
  - {name: shared-vpc, value: vpc-0a1b2c3d4e5f60718, stack: network}
access_keys:
  - {id: AKIAIOSFODNN7EXAMPLE, secret: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, user: alice}
"#;

#[test]
fn loads_the_sample() {
    let a = load(SAMPLE).unwrap();
    assert_eq!(a.account_id, "210987654321");
    // The emulated default VPC is there too, since no declared VPC is the default.
    assert!(a.default_vpc().is_some());
    assert_eq!(a.vpcs.len(), 2);
    let public = "subnet-0aaaaaaaaaaaaaaa1";
    let private = "subnet-0aaaaaaaaaaaaaaa2";
    assert!(a.is_public_subnet(public).unwrap());
    assert!(!a.is_public_subnet(private).unwrap());
    assert_eq!(a.route_table_for_subnet(private).unwrap().route_table_id, "rtb-0eeeeeeeeeeeeeee2");
    let nat = a.nat_gateway("nat-0ddddddddddddddd1").unwrap();
    assert_eq!(nat.nat_gateway_addresses[0].public_ip.map(|i| i.to_string()).as_deref(), Some("203.0.113.10"));
    assert_eq!(nat.nat_gateway_addresses[0].private_ip.map(|i| i.to_string()).as_deref(), Some("10.0.0.4"));
    assert_eq!(a.subnet(public).unwrap().available_ip_address_count, 250);
    let app = a.security_group("sg-0fffffffffffffff2").unwrap();
    assert!(app.egress.is_empty());
    assert_eq!(app.ingress[0].peer, Peer::SecurityGroup("sg-0fffffffffffffff1".into()));
    let web = a.security_group("sg-0fffffffffffffff1").unwrap();
    assert_eq!(web.egress.len(), 1);
    // The VPC got its default group and ACL; the first subnet uses the default ACL.
    assert!(a.default_security_group("vpc-0a1b2c3d4e5f60718").is_ok());
    assert!(a.network_acl_for_subnet(public).unwrap().is_default);
    assert_eq!(a.network_acl_for_subnet(private).unwrap().network_acl_id, "acl-0123456789abcdef0");
    assert_eq!(a.ssm_parameter("/app/port").map(|p| p.value.as_str()), Some("8080"));
    // A SecureString is kept encrypted, as SSM keeps it.
    assert_ne!(a.ssm_parameter("/app/db-password").map(|p| p.value.as_str()), Some("s3cret"));
    assert_eq!(a.ssm_parameter_value("/app/db-password", true).as_deref(), Ok("s3cret"));
    let (secret, v) = a.get_secret_value("todobackend/credentials", None, None).unwrap();
    assert_eq!(secret.description.as_deref(), Some("made by hand"));
    assert_eq!(v.value, crate::SecretValue::String(r#"{"MYSQL_PASSWORD":"pw"}"#.into()));
    assert_eq!(a.export("shared-vpc").map(|e| e.exporting_stack_name.as_str()), Some("network"));
}

#[test]
fn yaml_roundtrip_keeps_the_resources() {
    let a = load(SAMPLE).unwrap();
    let text = to_yaml(&a).unwrap();
    let b = load(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(a.vpcs, b.vpcs);
    assert_eq!(a.subnets, b.subnets);
    assert_eq!(a.route_tables, b.route_tables);
    assert_eq!(a.internet_gateways, b.internet_gateways);
    assert_eq!(a.security_groups, b.security_groups);
    assert_eq!(a.network_acls, b.network_acls);
    assert_eq!(a.nat_gateways, b.nat_gateways);
    let values = |x: &Account| -> Vec<(String, String)> {
        x.ssm_parameters.keys().map(|k| (k.clone(), x.ssm_parameter_value(k, true).unwrap_or_default())).collect()
    };
    assert_eq!(values(&a), values(&b));
    let secrets = |x: &Account| -> Vec<(String, crate::SecretValue)> {
        x.secrets
            .values()
            .filter_map(|s| Some((s.name.clone(), s.version_with_stage("AWSCURRENT")?.value.clone())))
            .collect()
    };
    assert_eq!(secrets(&a), secrets(&b));
    assert_eq!(a.exports, b.exports);
    assert_eq!(a.access_keys, b.access_keys);
    assert_eq!(a.access_keys["AKIAIOSFODNN7EXAMPLE"].user_name.as_deref(), Some("alice"));
    assert_eq!(a.availability_zones, b.availability_zones);
    // The default account prints and reloads too.
    let d = Account::default();
    let back = load(&to_yaml(&d).unwrap()).unwrap();
    assert_eq!(
        (d.vpcs, d.subnets, d.security_groups, d.network_acls),
        (back.vpcs, back.subnets, back.security_groups, back.network_acls)
    );
}

fn err(text: &str) -> String {
    load(text).unwrap_err().to_string()
}

#[test]
fn errors_name_the_field() {
    assert_eq!(err("account_id: 12\n"), "account file: account_id: '12' is not a 12-digit account ID");
    assert_eq!(
        err("vpcs: [{id: vpc-0a1b2c3d4e5f60718, cidr: 10.0.0.0/16}]\nsubnets: [{id: subnet-0aaaaaaaaaaaaaaa1, vpc: vpc-0a1b2c3d4e5f60718, cidr: 10.30.1.0/24}]\n"),
        "account file: subnets[0].cidr: The CIDR '10.30.1.0/24' is invalid."
    );
    assert_eq!(
        err("subnets: [{id: subnet-0aaaaaaaaaaaaaaa1, vpc: vpc-0a1b2c3d4e5f60719, cidr: 10.0.1.0/24}]\n"),
        "account file: subnets[0].vpc: The vpc ID 'vpc-0a1b2c3d4e5f60719' does not exist"
    );
    assert_eq!(
        err("vpcs: [{id: vpc-XYZ, cidr: 10.0.0.0/16}]\n"),
        "account file: vpcs[0].id: 'vpc-XYZ' is not a vpc ID (vpc- followed by 8 or 17 lowercase hex digits)"
    );
    let two = "vpcs: [{id: vpc-0a1b2c3d4e5f60718, cidr: 10.0.0.0/16}]\nsubnets:\n  - {id: subnet-0aaaaaaaaaaaaaaa1, vpc: vpc-0a1b2c3d4e5f60718, cidr: 10.0.0.0/24}\n  - {id: subnet-0aaaaaaaaaaaaaaa2, vpc: vpc-0a1b2c3d4e5f60718, cidr: 10.0.0.128/25}\n";
    assert_eq!(err(two), "account file: subnets[1].cidr: The CIDR '10.0.0.128/25' conflicts with another subnet");
    let rule = "vpcs: [{id: vpc-0a1b2c3d4e5f60718, cidr: 10.0.0.0/16}]\nsecurity_groups:\n  - id: sg-0fffffffffffffff1\n    name: web\n    vpc: vpc-0a1b2c3d4e5f60718\n    ingress:\n      - {protocol: tcp, from_port: 80, to_port: 80, cidr: 0.0.0.0/0}\n      - {protocol: 6, from_port: 80, to_port: 80, cidr: 0.0.0.0/0}\n";
    assert_eq!(
        err(rule),
        "account file: security_groups[0].ingress[1]: the specified rule \"peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW\" already exists"
    );
    let route = "vpcs: [{id: vpc-0a1b2c3d4e5f60718, cidr: 10.0.0.0/16}]\nroute_tables:\n  - id: rtb-0eeeeeeeeeeeeeee1\n    vpc: vpc-0a1b2c3d4e5f60718\n    routes: [{destination: 0.0.0.0/0}]\n";
    assert!(err(route).starts_with("account file: route_tables[0].routes[0]: give exactly one of"));
}

#[test]
fn unknown_keys_and_bad_yaml_are_errors_not_panics() {
    let e = err("vpcs:\n  - id: vpc-0a1b2c3d4e5f60718\n    cidr: 10.0.0.0/16\n    cider: oops\n");
    assert!(e.contains("cider"), "{e}");
    for junk in ["[", ": :", "vpcs: 3", "vpcs: [{id: 1}]", "- a\n- b", "\t\tx: [", "subnets: [{}]", "account_id: [1]"] {
        assert!(load(junk).is_err(), "{junk}");
    }
    assert_eq!(load("").unwrap(), Account::default());
}

#[test]
fn an_access_key_declared_twice_is_refused() {
    let text = "access_keys:\n  - {id: K, secret: s}\n  - {id: K, secret: t}\n";
    let e = load(text).unwrap_err().to_string();
    assert!(e.contains("access_keys[1].id: the access key K is declared twice"), "{e}");
}
