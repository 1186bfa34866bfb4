//! Tests of the EC2 actions, with AWS's texts asserted exactly.

use crate::cidr::Ipv4Cidr;
use crate::ec2::CreateNetworkInterface;
use crate::model::*;
use crate::Account;

mod addresses;
mod modify;

pub(super) fn vpc_with_subnet(a: &mut Account) -> (String, String) {
    let vpc = a.create_vpc("10.0.0.0/16").unwrap();
    let subnet = a.create_subnet(&vpc.vpc_id, "10.0.0.0/24", Some("us-east-1a")).unwrap();
    (vpc.vpc_id, subnet.subnet_id)
}

fn err_text<T: std::fmt::Debug>(r: Result<T, crate::Ec2Error>) -> (&'static str, String) {
    let e = r.unwrap_err();
    (e.code(), e.to_string())
}

#[test]
fn create_vpc_makes_main_table_default_group_and_acl() {
    let mut a = Account::default();
    let vpc = a.create_vpc("10.0.0.0/16").unwrap();
    assert!(vpc.vpc_id.starts_with("vpc-") && vpc.vpc_id.len() == 21);
    let main = a.main_route_table(&vpc.vpc_id).unwrap();
    assert_eq!(main.routes.len(), 1);
    assert_eq!(main.routes[0].destination_cidr_block, Some(vpc.cidr_block));
    assert!(a.default_security_group(&vpc.vpc_id).is_ok());
    assert!(a.default_network_acl(&vpc.vpc_id).is_ok());
    assert_eq!(err_text(a.create_vpc("10.0.0.0/8")), ("InvalidVpc.Range", "The CIDR '10.0.0.0/8' is invalid.".into()));
}

#[test]
fn create_subnet_errors_are_aws_texts() {
    let mut a = Account::default();
    let (vpc, _) = vpc_with_subnet(&mut a);
    assert_eq!(
        err_text(a.create_subnet("vpc-nope", "10.0.1.0/24", None)),
        ("InvalidVpcID.NotFound", "The vpc ID 'vpc-nope' does not exist".into())
    );
    assert_eq!(
        err_text(a.create_subnet(&vpc, "10.30.1.0/24", None)),
        ("InvalidSubnet.Range", "The CIDR '10.30.1.0/24' is invalid.".into())
    );
    assert_eq!(
        err_text(a.create_subnet(&vpc, "10.0.0.128/25", None)),
        ("InvalidSubnet.Conflict", "The CIDR '10.0.0.128/25' conflicts with another subnet".into())
    );
    assert_eq!(err_text(a.create_subnet(&vpc, "10.0.1.0/29", None)).0, "InvalidSubnet.Range");
    assert_eq!(
        err_text(a.create_subnet(&vpc, "banana", None)),
        ("InvalidSubnet.Range", "The CIDR 'banana' is invalid.".into())
    );
    assert_eq!(err_text(a.create_subnet(&vpc, "10.0.1.0/24", Some("us-east-1z"))).0, "InvalidParameterValue");
    let s = a.create_subnet(&vpc, "10.0.1.0/28", None).unwrap();
    assert_eq!(s.available_ip_address_count, 11);
    assert_eq!(s.availability_zone, "us-east-1a");
    assert!(!a.is_public_subnet(&s.subnet_id).unwrap());
    // The new subnet is associated with the default ACL.
    assert!(a.network_acl_for_subnet(&s.subnet_id).unwrap().is_default);
    assert!(a.network_acl_association_id(&s.subnet_id).unwrap().starts_with("aclassoc-"));
}

#[test]
fn lookups_return_not_found_texts() {
    let a = Account::default();
    assert_eq!(
        err_text(a.subnet("subnet-x")),
        ("InvalidSubnetID.NotFound", "The subnet ID 'subnet-x' does not exist".into())
    );
    assert_eq!(err_text(a.vpc("vpc-x")), ("InvalidVpcID.NotFound", "The vpc ID 'vpc-x' does not exist".into()));
    assert_eq!(
        err_text(a.security_group("sg-x")),
        ("InvalidGroup.NotFound", "The security group 'sg-x' does not exist".into())
    );
}

#[test]
fn routes_and_public_subnets() {
    let mut a = Account::default();
    let (vpc, subnet) = vpc_with_subnet(&mut a);
    let rtb = a.create_route_table(&vpc).unwrap().route_table_id;
    a.associate_route_table(&rtb, &subnet).unwrap();
    assert_eq!(a.route_table_for_subnet(&subnet).unwrap().route_table_id, rtb);
    assert_eq!(err_text(a.associate_route_table(&rtb, &subnet)).0, "Resource.AlreadyAssociated");

    let igw = a.create_internet_gateway().internet_gateway_id;
    // Not attached yet: belongs to no network.
    assert_eq!(
        err_text(a.create_route(&rtb, "0.0.0.0/0", RouteTarget::InternetGateway(igw.clone()))),
        ("InvalidParameterValue", format!("route table {rtb} and network gateway {igw} belong to different networks"))
    );
    a.attach_internet_gateway(&igw, &vpc).unwrap();
    assert!(!a.is_public_subnet(&subnet).unwrap());
    a.create_route(&rtb, "0.0.0.0/0", RouteTarget::InternetGateway(igw.clone())).unwrap();
    assert!(a.is_public_subnet(&subnet).unwrap());
    assert_eq!(
        err_text(a.create_route(&rtb, "0.0.0.0/0", RouteTarget::InternetGateway(igw.clone()))),
        ("RouteAlreadyExists", "The route identified by 0.0.0.0/0 already exists.".into())
    );
    assert_eq!(
        err_text(a.create_route(&rtb, "10.0.0.0/16", RouteTarget::InternetGateway(igw.clone()))),
        ("RouteAlreadyExists", "The route identified by 10.0.0.0/16 already exists.".into())
    );
    // The default VPC's gateway is in another network.
    let default_igw =
        a.internet_gateway_for_vpc(&a.default_vpc().unwrap().vpc_id.clone()).unwrap().internet_gateway_id.clone();
    assert_eq!(
        err_text(a.create_route(&rtb, "192.168.0.0/16", RouteTarget::InternetGateway(default_igw.clone()))).1,
        format!("route table {rtb} and network gateway {default_igw} belong to different networks")
    );
    assert_eq!(err_text(a.attach_internet_gateway(&igw, &vpc)).0, "Resource.AlreadyAssociated");
}

#[test]
fn nat_gateway_fails_by_state() {
    let mut a = Account::default();
    let (vpc, subnet) = vpc_with_subnet(&mut a);
    let eip = a.allocate_address().unwrap();
    assert_eq!(eip.public_ip.to_string(), "192.0.2.1");
    let nat = a.create_nat_gateway(&subnet, Some(&eip.allocation_id), "public").unwrap();
    assert_eq!(nat.state, NatGatewayState::Failed);
    assert_eq!(nat.failure_code.as_deref(), Some("Gateway.NotAttached"));
    assert_eq!(nat.failure_message, Some(format!("Network {vpc} has no Internet gateway attached")));

    let nat = a.create_nat_gateway(&subnet, Some("eipalloc-0123456789abcdef0"), "public").unwrap();
    assert_eq!(nat.failure_code.as_deref(), Some("InvalidAllocationID.NotFound"));
    assert_eq!(
        nat.failure_message.as_deref(),
        Some("Elastic IP address eipalloc-0123456789abcdef0 could not be associated with this NAT gateway")
    );

    let igw = a.create_internet_gateway().internet_gateway_id;
    a.attach_internet_gateway(&igw, &vpc).unwrap();
    let nat = a.create_nat_gateway(&subnet, Some(&eip.allocation_id), "public").unwrap();
    assert_eq!(nat.state, NatGatewayState::Available);
    let addr = &nat.nat_gateway_addresses[0];
    assert_eq!(addr.public_ip, Some(eip.public_ip));
    assert_eq!(addr.private_ip.map(|i| i.to_string()).as_deref(), Some("10.0.0.4"));
    let eni = a.network_interface(addr.network_interface_id.as_deref().unwrap()).unwrap();
    assert_eq!(eni.interface_type, "natGateway");
    assert!(eni.groups.is_empty());

    let again = a.create_nat_gateway(&subnet, Some(&eip.allocation_id), "public").unwrap();
    assert_eq!(again.failure_code.as_deref(), Some("Resource.AlreadyAssociated"));
    assert_eq!(again.failure_message, Some(format!("Elastic IP address {} is already associated", eip.allocation_id)));

    // A route to the gateway from another VPC's table.
    let other_rtb = a.main_route_table(&a.default_vpc().unwrap().vpc_id.clone()).unwrap().route_table_id.clone();
    assert_eq!(
        err_text(a.create_route(&other_rtb, "10.9.0.0/16", RouteTarget::NatGateway(nat.nat_gateway_id.clone()))).1,
        format!("route table {other_rtb} and network gateway {} belong to different networks", nat.nat_gateway_id)
    );
}

#[test]
fn nat_gateway_in_a_full_subnet() {
    let mut a = Account::default();
    let vpc = a.create_vpc("10.0.0.0/16").unwrap().vpc_id;
    let subnet = a.create_subnet(&vpc, "10.0.0.0/28", None).unwrap().subnet_id;
    for _ in 0..11 {
        a.create_network_interface(CreateNetworkInterface::new(&subnet)).unwrap();
    }
    let nat = a.create_nat_gateway(&subnet, None, "private").unwrap();
    assert_eq!(nat.failure_code.as_deref(), Some("InsufficientFreeAddressesInSubnet"));
    assert_eq!(
        nat.failure_message.as_deref(),
        Some("Subnet has insufficient free addresses to create this NAT gateway")
    );
}

#[test]
fn interfaces_take_free_addresses_and_run_out() {
    let mut a = Account::default();
    let vpc = a.create_vpc("10.0.0.0/16").unwrap().vpc_id;
    let subnet = a.create_subnet(&vpc, "10.0.0.0/28", None).unwrap().subnet_id;
    let mut ips = Vec::new();
    for _ in 0..11 {
        let eni = a.create_network_interface(CreateNetworkInterface::new(&subnet)).unwrap();
        assert!(eni.private_dns_name.ends_with(".ec2.internal"));
        assert_eq!(eni.groups, vec![a.default_security_group(&vpc).unwrap().group_id.clone()]);
        ips.push(eni.private_ip_address.to_string());
    }
    assert_eq!(ips.first().map(String::as_str), Some("10.0.0.4"));
    assert_eq!(ips.last().map(String::as_str), Some("10.0.0.14"));
    assert_eq!(a.subnet(&subnet).unwrap().available_ip_address_count, 0);
    assert_eq!(
        err_text(a.create_network_interface(CreateNetworkInterface::new(&subnet))),
        (
            "InsufficientFreeAddressesInSubnet",
            format!("There are not enough free addresses in subnet '{subnet}' to satisfy the requested number of instances.")
        )
    );
    // Freeing one makes it the next one given.
    let some = a
        .network_interfaces
        .values()
        .find(|n| n.private_ip_address.to_string() == "10.0.0.7")
        .unwrap()
        .network_interface_id
        .clone();
    a.delete_network_interface(&some).unwrap();
    assert_eq!(a.subnet(&subnet).unwrap().available_ip_address_count, 1);
    let eni = a.create_network_interface(CreateNetworkInterface::new(&subnet)).unwrap();
    assert_eq!(eni.private_ip_address.to_string(), "10.0.0.7");
}

#[test]
fn interface_groups_must_be_in_the_subnets_vpc() {
    let mut a = Account::default();
    let (_, subnet) = vpc_with_subnet(&mut a);
    let default_sg = a.default_security_group(&a.default_vpc().unwrap().vpc_id.clone()).unwrap().group_id.clone();
    let mut req = CreateNetworkInterface::new(&subnet);
    req.groups = vec![default_sg.clone()];
    assert_eq!(
        err_text(a.create_network_interface(req)),
        ("InvalidParameter", format!("Security group {default_sg} and subnet {subnet} belong to different networks."))
    );
    let mut req = CreateNetworkInterface::new(&subnet);
    req.private_ip_address = Some("10.0.0.2".parse().unwrap());
    assert_eq!(err_text(a.create_network_interface(req)).0, "InvalidParameterValue");
    let mut req = CreateNetworkInterface::new(&subnet);
    req.private_ip_address = Some("10.0.0.50".parse().unwrap());
    req.assign_public_ip = true;
    let eni = a.create_network_interface(req.clone()).unwrap();
    assert_eq!(eni.private_ip_address.to_string(), "10.0.0.50");
    assert_eq!(
        eni.association.as_ref().map(|x| x.public_dns_name.as_str()),
        Some("ec2-192-0-2-1.compute-1.amazonaws.com")
    );
    assert_eq!(err_text(a.create_network_interface(req)).0, "InvalidIPAddress.InUse");
}

#[test]
fn security_group_rules() {
    let mut a = Account::default();
    let (vpc, _) = vpc_with_subnet(&mut a);
    let sg = a.create_security_group(&vpc, "web", "web servers").unwrap();
    assert!(sg.ingress.is_empty());
    assert_eq!(sg.egress, vec![SecurityGroupRule::all_to_cidr(Ipv4Cidr::any())]);
    assert_eq!(err_text(a.create_security_group(&vpc, "web", "again")).0, "InvalidGroup.Duplicate");

    let http = SecurityGroupRule::tcp(80, 80, Peer::Cidr(Ipv4Cidr::any()));
    a.authorize_security_group_ingress(&sg.group_id, std::slice::from_ref(&http)).unwrap();
    assert_eq!(
        err_text(a.authorize_security_group_ingress(&sg.group_id, std::slice::from_ref(&http))),
        (
            "InvalidPermission.Duplicate",
            "the specified rule \"peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW\" already exists".into()
        )
    );
    // Same rule written with protocol number 6 is still a duplicate.
    let mut six = http.clone();
    six.ip_protocol = "6".into();
    six.description = Some("other text".into());
    assert_eq!(err_text(a.authorize_security_group_ingress(&sg.group_id, &[six])).0, "InvalidPermission.Duplicate");
    assert_eq!(
        err_text(a.authorize_security_group_ingress(
            &sg.group_id,
            &[SecurityGroupRule::tcp(1, 2, Peer::SecurityGroup("sg-nope".into()))]
        )),
        ("InvalidGroup.NotFound", "The security group 'sg-nope' does not exist".into())
    );
    // Revoking the allow-all egress, as CloudFormation does when egress rules are listed.
    a.revoke_security_group_egress(&sg.group_id, &[SecurityGroupRule::all_to_cidr(Ipv4Cidr::any())]).unwrap();
    assert!(a.security_group(&sg.group_id).unwrap().egress.is_empty());
    assert_eq!(
        err_text(a.revoke_security_group_egress(&sg.group_id, &[SecurityGroupRule::all_to_cidr(Ipv4Cidr::any())])).0,
        "InvalidPermission.NotFound"
    );
    a.authorize_security_group_egress(
        &sg.group_id,
        &[SecurityGroupRule::tcp(5432, 5432, Peer::SecurityGroup(sg.group_id.clone()))],
    )
    .unwrap();
    assert_eq!(a.security_group(&sg.group_id).unwrap().egress.len(), 1);
}

fn declared(line: u32) -> Origin {
    Origin::from(Declared {
        stack_name: "app".into(),
        logical_id: "WebSg".into(),
        path: "Resources/WebSg/Properties/SecurityGroupIngress/0".into(),
        line,
        column: 11,
    })
}

#[test]
fn rules_differing_only_in_origin_are_the_same_rule() {
    let mut a = Account::default();
    let (vpc, _) = vpc_with_subnet(&mut a);
    let sg = a.create_security_group(&vpc, "web", "web servers").unwrap().group_id;
    let mut first = SecurityGroupRule::tcp(443, 443, Peer::Cidr(Ipv4Cidr::any()));
    first.origin = declared(12);
    let mut second = first.clone();
    second.origin = declared(40);
    let mut bare = first.clone();
    bare.origin = Origin::none();
    assert_eq!(first, second);
    assert_eq!(first, bare);
    assert_eq!(first.cmp(&second), std::cmp::Ordering::Equal);
    a.authorize_security_group_ingress(&sg, std::slice::from_ref(&first)).unwrap();
    assert_eq!(
        err_text(a.authorize_security_group_ingress(&sg, std::slice::from_ref(&second))).0,
        "InvalidPermission.Duplicate"
    );
    // The group keeps the first declaration.
    assert_eq!(a.security_group(&sg).unwrap().ingress[0].origin.declared().map(|d| d.line), Some(12));
    // Revoking matches whatever the origin.
    a.revoke_security_group_ingress(&sg, &[bare]).unwrap();
    assert!(a.security_group(&sg).unwrap().ingress.is_empty());
}

#[test]
fn an_origin_is_stored_but_never_printed_when_absent() {
    let mut rule = SecurityGroupRule::tcp(80, 80, Peer::Cidr(Ipv4Cidr::any()));
    let json = serde_json::to_value(&rule).unwrap();
    assert!(json.get("Origin").is_none(), "{json}");
    rule.origin = declared(7);
    let json = serde_json::to_value(&rule).unwrap();
    assert_eq!(json["Origin"]["Line"], 7);
    let back: SecurityGroupRule = serde_json::from_value(json).unwrap();
    assert_eq!(back.origin.declared(), rule.origin.declared());
    // Routes have the API's own `Origin`; the declaration is beside it.
    let mut a = Account::default();
    let (vpc, _) = vpc_with_subnet(&mut a);
    let mut route = a.main_route_table(&vpc).unwrap().routes[0].clone();
    assert!(route.template_origin.is_none());
    route.template_origin = declared(9);
    let json = serde_json::to_value(&route).unwrap();
    assert_eq!((json["Origin"].as_str(), json["TemplateOrigin"]["Line"].as_u64()), (Some("CreateRouteTable"), Some(9)));
    let back: Route = serde_json::from_value(json).unwrap();
    assert_eq!(back.template_origin.declared().map(|d| d.line), Some(9));
}

#[test]
fn network_acls() {
    let mut a = Account::default();
    let (vpc, subnet) = vpc_with_subnet(&mut a);
    let acl = a.create_network_acl(&vpc).unwrap();
    assert!(acl.entries.iter().all(|e| e.rule_action == RuleAction::Deny && e.rule_number == 32767));
    let entry = NetworkAclEntry {
        rule_number: 100,
        protocol: "tcp".into(),
        rule_action: RuleAction::Allow,
        egress: false,
        cidr_block: Some(Ipv4Cidr::any()),
        ipv6_cidr_block: None,
        port_range: Some(PortRange { from: 443, to: 443 }),
        icmp_type_code: None,
        origin: Origin::none(),
    };
    a.create_network_acl_entry(&acl.network_acl_id, entry.clone()).unwrap();
    assert_eq!(a.network_acl(&acl.network_acl_id).unwrap().entries[0].protocol, "6");
    assert_eq!(
        err_text(a.create_network_acl_entry(&acl.network_acl_id, entry.clone())).0,
        "NetworkAclEntryAlreadyExists"
    );
    let mut egress = entry.clone();
    egress.egress = true;
    a.create_network_acl_entry(&acl.network_acl_id, egress).unwrap();
    let mut bad = entry;
    bad.rule_number = 32767;
    assert_eq!(err_text(a.create_network_acl_entry(&acl.network_acl_id, bad)).0, "InvalidParameterValue");

    let assoc = a.network_acl_association_id(&subnet).unwrap();
    let new_assoc = a.replace_network_acl_association(&assoc, &acl.network_acl_id).unwrap();
    assert_ne!(assoc, new_assoc);
    assert_eq!(a.network_acl_for_subnet(&subnet).unwrap().network_acl_id, acl.network_acl_id);
    assert_eq!(
        err_text(a.replace_network_acl_association(&assoc, &acl.network_acl_id)).0,
        "InvalidAssociationID.NotFound"
    );
}

#[test]
fn scratch_copies_diverge_deterministically() {
    let base = Account::default();
    let mut one = base.clone();
    let mut two = base.clone();
    let v1 = one.create_vpc("10.1.0.0/16").unwrap();
    let v2 = two.create_vpc("10.1.0.0/16").unwrap();
    assert_eq!(v1.vpc_id, v2.vpc_id);
    assert!(base.vpcs.len() == 1 && one.vpcs.len() == 2);
}
