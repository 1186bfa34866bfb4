//! Tests of the EC2 deletes: each refusal's code and text, and that a
//! create followed by its delete leaves the account as it was.

use crate::account::Account;
use crate::ec2::CreateNetworkInterface;
use crate::error::Ec2Error;
use crate::model::*;

/// The account without the ID counter, which every create advances.
fn same(a: &Account, b: &Account) -> bool {
    let mut x = a.clone();
    x.id_counter = b.id_counter;
    x == *b
}

fn vpc_and_subnet(a: &mut Account) -> (String, String) {
    let vpc = a.create_vpc("10.0.0.0/16").expect("vpc").vpc_id;
    let subnet = a.create_subnet(&vpc, "10.0.1.0/24", None).expect("subnet").subnet_id;
    (vpc, subnet)
}

#[test]
fn vpc_and_subnet_go_back_to_nothing_in_order() {
    let mut a = Account::empty("123456789012", "us-east-1");
    let before = a.clone();
    let (vpc, subnet) = vpc_and_subnet(&mut a);
    let e = a.delete_vpc(&vpc).expect_err("subnet left");
    assert_eq!(
        (e.code(), e.to_string()),
        ("DependencyViolation", format!("The vpc '{vpc}' has dependencies and cannot be deleted."))
    );
    let eni = a.create_network_interface(CreateNetworkInterface::new(&subnet)).expect("eni");
    let e = a.delete_subnet(&subnet).expect_err("eni left");
    assert_eq!(e.to_string(), format!("The subnet '{subnet}' has dependencies and cannot be deleted."));
    a.delete_network_interface(&eni.network_interface_id).expect("eni");
    a.delete_subnet(&subnet).expect("subnet");
    a.delete_vpc(&vpc).expect("vpc");
    assert!(same(&a, &before));
    assert_eq!(a.delete_vpc(&vpc).map_err(|e| e.code()), Err("InvalidVpcID.NotFound"));
}

#[test]
fn route_tables_routes_and_associations() {
    let mut a = Account::empty("123456789012", "us-east-1");
    let (vpc, subnet) = vpc_and_subnet(&mut a);
    let main = a.main_route_table(&vpc).expect("main").route_table_id.clone();
    assert_eq!(
        a.delete_route_table(&main).map_err(|e| e.to_string()),
        Err(format!("The routeTable '{main}' has dependencies and cannot be deleted."))
    );
    let before = a.clone();
    let rt = a.create_route_table(&vpc).expect("rt").route_table_id;
    let assoc = a.associate_route_table(&rt, &subnet).expect("assoc");
    let igw = a.create_internet_gateway().internet_gateway_id;
    a.attach_internet_gateway(&igw, &vpc).expect("attach");
    a.create_route(&rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw.clone())).expect("route");
    assert_eq!(a.delete_route_table(&rt).map_err(|e| e.code()), Err("DependencyViolation"));
    assert_eq!(a.delete_route(&rt, "10.0.0.0/16").map_err(|e| e.code()), Err("InvalidParameterValue"));
    assert_eq!(a.delete_route(&rt, "192.168.0.0/16").map_err(|e| e.code()), Err("InvalidRoute.NotFound"));
    a.delete_route(&rt, "0.0.0.0/0").expect("route");
    let main_assoc = a.route_tables[&main].associations[0].route_table_association_id.clone();
    assert_eq!(a.disassociate_route_table(&main_assoc).map_err(|e| e.code()), Err("InvalidParameterValue"));
    a.disassociate_route_table(&assoc).expect("disassociate");
    assert_eq!(a.route_table_for_subnet(&subnet).map(|t| t.route_table_id.clone()), Ok(main.clone()));
    a.delete_route_table(&rt).expect("rt");
    assert_eq!(
        a.delete_internet_gateway(&igw).map_err(|e| e.to_string()),
        Err(format!("The internetGateway '{igw}' has dependencies and cannot be deleted."))
    );
    a.detach_internet_gateway(&igw, &vpc).expect("detach");
    assert_eq!(a.detach_internet_gateway(&igw, &vpc).map_err(|e| e.code()), Err("Gateway.NotAttached"));
    a.delete_internet_gateway(&igw).expect("igw");
    assert!(same(&a, &before));
}

#[test]
fn mapped_addresses_hold_the_gateway_and_the_elastic_ip() {
    let mut a = Account::empty("123456789012", "us-east-1");
    let (vpc, subnet) = vpc_and_subnet(&mut a);
    let igw = a.create_internet_gateway().internet_gateway_id;
    a.attach_internet_gateway(&igw, &vpc).expect("attach");
    let before = a.clone();
    let eni = a.create_network_interface(CreateNetworkInterface::new(&subnet)).expect("eni").network_interface_id;
    let eip = a.allocate_address().expect("eip");
    let assoc = a.associate_address(&eip.allocation_id, &eni).expect("assoc");
    let e = a.detach_internet_gateway(&igw, &vpc).expect_err("mapped");
    assert_eq!(
        e.to_string(),
        format!("Network {vpc} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.")
    );
    let e = a.release_address(&eip.allocation_id).expect_err("in use");
    assert_eq!((e.code(), e.to_string()), ("InvalidIPAddress.InUse", format!("Address {} is in use.", eip.public_ip)));
    a.disassociate_address(&assoc).expect("disassociate");
    assert!(a.network_interfaces[&eni].association.is_none());
    a.release_address(&eip.allocation_id).expect("release");
    a.delete_network_interface(&eni).expect("eni");
    assert!(same(&a, &before));
}

#[test]
fn nat_gateway_deletes_on_the_clock() {
    let mut a = Account::empty("123456789012", "us-east-1");
    let (vpc, subnet) = vpc_and_subnet(&mut a);
    let igw = a.create_internet_gateway().internet_gateway_id;
    a.attach_internet_gateway(&igw, &vpc).expect("attach");
    let eip = a.allocate_address().expect("eip").allocation_id;
    let before = a.clone();
    let nat = a.create_nat_gateway(&subnet, Some(&eip), "public").expect("nat");
    assert_eq!(nat.state, NatGatewayState::Available);
    let deleting = a.delete_nat_gateway(&nat.nat_gateway_id).expect("delete");
    assert_eq!(deleting.state, NatGatewayState::Deleting);
    assert_eq!(a.nat_gateways_due(a.clock_ms), Vec::<String>::new());
    let due = a.next_nat_gateway_change().expect("due");
    a.clock_ms = due;
    for id in a.nat_gateways_due(due) {
        a.advance_nat_gateway(&id).expect("advance");
    }
    assert_eq!(a.nat_gateways[&nat.nat_gateway_id].state, NatGatewayState::Deleted);
    assert!(a.network_interfaces.is_empty());
    assert!(a.addresses[&eip].association_id.is_none());
    a.clock_ms = a.next_nat_gateway_change().expect("listed for an hour");
    for id in a.nat_gateways_due(a.clock_ms) {
        a.advance_nat_gateway(&id).expect("forget");
    }
    a.clock_ms = before.clock_ms;
    assert!(same(&a, &before));
}

#[test]
fn security_groups_and_their_dependents() {
    let mut a = Account::empty("123456789012", "us-east-1");
    let (vpc, subnet) = vpc_and_subnet(&mut a);
    let default = a.default_security_group(&vpc).expect("default").group_id.clone();
    let e = a.delete_security_group(&default).expect_err("default");
    assert_eq!(
        (e.code(), e.to_string()),
        ("CannotDelete", format!("the specified group: \"{default}\" name: \"default\" cannot be deleted by a user"))
    );
    let before = a.clone();
    let web = a.create_security_group(&vpc, "web", "web").expect("sg").group_id;
    let db = a.create_security_group(&vpc, "db", "db").expect("sg").group_id;
    let self_rule = SecurityGroupRule {
        ip_protocol: "-1".into(),
        from_port: None,
        to_port: None,
        peer: Peer::SecurityGroup(web.clone()),
        description: None,
        origin: Origin::none(),
    };
    a.authorize_security_group_ingress(&web, std::slice::from_ref(&self_rule)).expect("self");
    let from_web = SecurityGroupRule::tcp(5432, 5432, Peer::SecurityGroup(web.clone()));
    a.authorize_security_group_ingress(&db, std::slice::from_ref(&from_web)).expect("rule");
    let e = a.delete_security_group(&web).expect_err("referenced");
    assert_eq!((e.code(), e.to_string()), ("DependencyViolation", format!("resource {web} has a dependent object")));
    a.revoke_security_group_ingress(&db, std::slice::from_ref(&from_web)).expect("revoke");
    let mut req = CreateNetworkInterface::new(&subnet);
    req.groups = vec![web.clone()];
    let eni = a.create_network_interface(req).expect("eni").network_interface_id;
    assert_eq!(a.delete_security_group(&web).map_err(|e| e.code()), Err("DependencyViolation"));
    a.delete_network_interface(&eni).expect("eni");
    a.delete_security_group(&web).expect("self-reference does not hold it");
    a.delete_security_group(&db).expect("db");
    assert!(same(&a, &before));
}

#[test]
fn network_acls_entries_and_associations() {
    let mut a = Account::empty("123456789012", "us-east-1");
    let (vpc, subnet) = vpc_and_subnet(&mut a);
    let default = a.default_network_acl(&vpc).expect("default").network_acl_id.clone();
    assert_eq!(a.delete_network_acl(&default).map_err(|e| e.code()), Err("InvalidParameterValue"));
    let acl = a.create_network_acl(&vpc).expect("acl").network_acl_id;
    let entry = NetworkAclEntry {
        rule_number: 100,
        protocol: "6".into(),
        rule_action: RuleAction::Allow,
        egress: false,
        cidr_block: Some(crate::cidr::Ipv4Cidr::any()),
        ipv6_cidr_block: None,
        port_range: Some(PortRange { from: 80, to: 80 }),
        icmp_type_code: None,
        origin: Origin::none(),
    };
    a.create_network_acl_entry(&acl, entry).expect("entry");
    let assoc = a.network_acl_association_id(&subnet).expect("assoc");
    let moved = a.replace_network_acl_association(&assoc, &acl).expect("replace");
    let e = a.delete_network_acl(&acl).expect_err("associated");
    assert_eq!(e.to_string(), format!("The networkAcl '{acl}' has dependencies and cannot be deleted."));
    a.reset_network_acl_association(&moved).expect("back to default");
    assert_eq!(a.network_acl_for_subnet(&subnet).map(|x| x.network_acl_id.clone()), Ok(default));
    assert_eq!(a.delete_network_acl_entry(&acl, 100, true), Err(Ec2Error::NetworkAclEntryNotFound(100)));
    assert_eq!(
        a.delete_network_acl_entry(&acl, IMPLICIT_DENY_RULE, false).map_err(|e| e.code()),
        Err("InvalidNetworkAclEntry.NotFound")
    );
    a.delete_network_acl_entry(&acl, 100, false).expect("entry");
    assert_eq!(a.network_acls[&acl].entries.len(), 2);
    a.delete_network_acl(&acl).expect("acl");
}
