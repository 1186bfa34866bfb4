//! VPC endpoints: each rule of CreateVpcEndpoint, ModifyVpcEndpoint and
//! DeleteVpcEndpoints, with AWS's codes and texts.

use super::{CreateVpcEndpoint, ModifyVpcEndpoint, DEFAULT_ENDPOINT_POLICY};
use crate::model::*;
use crate::{Account, Ec2Error, VpcAttribute};

const SM: &str = "com.amazonaws.us-east-1.secretsmanager";
const S3: &str = "com.amazonaws.us-east-1.s3";

/// A VPC with DNS hostnames on, two subnets in two zones and one more in
/// the first zone, and a route table.
struct Net {
    vpc: String,
    a: String,
    b: String,
    a2: String,
    rtb: String,
}

fn net(acct: &mut Account) -> Net {
    let vpc = acct.create_vpc("10.0.0.0/16").unwrap().vpc_id;
    acct.modify_vpc_attribute(&vpc, VpcAttribute::EnableDnsHostnames(true)).unwrap();
    let a = acct.create_subnet(&vpc, "10.0.0.0/24", Some("us-east-1a")).unwrap().subnet_id;
    let b = acct.create_subnet(&vpc, "10.0.1.0/24", Some("us-east-1b")).unwrap().subnet_id;
    let a2 = acct.create_subnet(&vpc, "10.0.2.0/24", Some("us-east-1a")).unwrap().subnet_id;
    let rtb = acct.create_route_table(&vpc).unwrap().route_table_id;
    Net { vpc, a, b, a2, rtb }
}

fn interface(n: &Net, subnets: &[&String]) -> CreateVpcEndpoint {
    let mut req = CreateVpcEndpoint::new(&n.vpc, SM);
    req.vpc_endpoint_type = VpcEndpointType::Interface;
    req.subnet_ids = subnets.iter().map(|s| s.to_string()).collect();
    req
}

fn gateway(n: &Net) -> CreateVpcEndpoint {
    let mut req = CreateVpcEndpoint::new(&n.vpc, S3);
    req.route_table_ids = vec![n.rtb.clone()];
    req
}

fn err<T: std::fmt::Debug>(r: Result<T, Ec2Error>) -> (&'static str, String) {
    let e = r.unwrap_err();
    (e.code(), e.to_string())
}

#[test]
fn an_interface_endpoint_gets_an_eni_per_subnet_and_dns_names() {
    let mut acct = Account::default();
    let n = net(&mut acct);
    let e = acct.create_vpc_endpoint(interface(&n, &[&n.a, &n.b])).unwrap();
    assert!(e.vpc_endpoint_id.starts_with("vpce-") && e.vpc_endpoint_id.len() == 22);
    assert_eq!(e.state, "available");
    assert!(e.private_dns_enabled, "the API's default for an interface endpoint");
    assert_eq!(e.policy_document.as_deref(), Some(DEFAULT_ENDPOINT_POLICY));
    let default_group = acct.default_security_group(&n.vpc).unwrap().group_id.clone();
    assert_eq!(e.security_group_ids, vec![default_group.clone()]);
    assert_eq!(e.network_interface_ids.len(), 2);
    for (eni, subnet) in e.network_interface_ids.iter().zip([&n.a, &n.b]) {
        let i = acct.network_interface(eni).unwrap();
        assert_eq!(&i.subnet_id, subnet);
        assert_eq!(i.interface_type, "vpc_endpoint");
        assert!(i.requester_managed);
        assert_eq!(i.description, format!("VPC Endpoint Interface {}", e.vpc_endpoint_id));
        assert_eq!(i.groups, vec![default_group.clone()]);
        assert_eq!(i.owner, EniOwner::VpcEndpoint { vpc_endpoint_id: e.vpc_endpoint_id.clone() });
    }
    let names: Vec<&str> = e.dns_entries.iter().map(|d| d.dns_name.as_str()).collect();
    assert_eq!(names.len(), 4);
    let token = names[0].split('.').next().unwrap();
    assert!(token.starts_with(&format!("{}-", e.vpc_endpoint_id)) && token.len() == e.vpc_endpoint_id.len() + 9);
    assert_eq!(names[0], format!("{token}.secretsmanager.us-east-1.vpce.amazonaws.com"));
    assert_eq!(names[1], format!("{token}-us-east-1a.secretsmanager.us-east-1.vpce.amazonaws.com"));
    assert_eq!(names[2], format!("{token}-us-east-1b.secretsmanager.us-east-1.vpce.amazonaws.com"));
    assert_eq!(names[3], "secretsmanager.us-east-1.amazonaws.com");
    assert_eq!(e.dns_entries[0].hosted_zone_id, "Z7HUB22UULQXV");
    // The VPC's DNS answers the service's name with the endpoint's addresses.
    let sm = crate::endpoints::by_name("secretsmanager").unwrap();
    let addrs = crate::endpoints::resolve(&acct, &n.vpc, sm).unwrap();
    assert_eq!(addrs.len(), 2);
    assert_eq!(acct.vpc_endpoint(&e.vpc_endpoint_id).unwrap(), &e);
}

#[test]
fn an_s3_interface_endpoints_names_start_with_a_wildcard_label() {
    let mut acct = Account::default();
    let n = net(&mut acct);
    let mut req = interface(&n, &[&n.a]);
    req.service_name = S3.to_string();
    req.private_dns_enabled = Some(false);
    let e = acct.create_vpc_endpoint(req).unwrap();
    let names: Vec<&str> = e.dns_entries.iter().map(|d| d.dns_name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names.iter().all(|d| d.starts_with("*.vpce-") && d.ends_with(".s3.us-east-1.vpce.amazonaws.com")),
        "{names:?}"
    );
    // A modification keeps the token behind the wildcard.
    let m = crate::ModifyVpcEndpoint {
        vpc_endpoint_id: e.vpc_endpoint_id.clone(),
        add_subnet_ids: vec![n.b.clone()],
        ..Default::default()
    };
    acct.modify_vpc_endpoint(&m).unwrap();
    let after: Vec<String> =
        acct.vpc_endpoint(&e.vpc_endpoint_id).unwrap().dns_entries.iter().map(|d| d.dns_name.clone()).collect();
    assert_eq!(after[0], names[0]);
    let token = names[0].trim_end_matches(".s3.us-east-1.vpce.amazonaws.com");
    assert_eq!(after[2], format!("{token}-us-east-1b.s3.us-east-1.vpce.amazonaws.com"), "{after:?}");
}

#[test]
fn a_gateway_endpoint_routes_its_prefix_list() {
    let mut acct = Account::default();
    let n = net(&mut acct);
    let e = acct.create_vpc_endpoint(gateway(&n)).unwrap();
    assert_eq!(e.vpc_endpoint_type, VpcEndpointType::Gateway);
    assert!(e.network_interface_ids.is_empty() && e.dns_entries.is_empty());
    let route = acct.route_table(&n.rtb).unwrap().routes.last().cloned().unwrap();
    assert_eq!(route.destination_prefix_list_id.as_deref(), Some("pl-63a5400a"));
    assert_eq!(route.destination_cidr_block, None);
    assert_eq!(route.target, RouteTarget::VpcEndpoint(e.vpc_endpoint_id.clone()));
    // A second S3 endpoint in the same table: the route exists.
    assert_eq!(
        err(acct.create_vpc_endpoint(gateway(&n))),
        ("RouteAlreadyExists", "The route identified by pl-63a5400a already exists.".into())
    );
    let lists = acct.prefix_lists();
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0].prefix_list_name, S3);
    assert_eq!(lists[0].cidrs, vec!["203.0.113.192/28".to_string()]);
}

#[test]
fn create_refuses_what_ec2_refuses() {
    let mut acct = Account::default();
    let n = net(&mut acct);
    let mut bad = CreateVpcEndpoint::new(&n.vpc, "com.amazonaws.us-east-1.nope");
    assert_eq!(
        err(acct.create_vpc_endpoint(bad.clone())),
        ("InvalidServiceName", "The Vpc Endpoint Service 'com.amazonaws.us-east-1.nope' does not exist".into())
    );
    bad.service_name = SM.into();
    assert_eq!(
        err(acct.create_vpc_endpoint(bad.clone())),
        ("InvalidParameter", "Endpoint type (Gateway) does not match available service types ([Interface]).".into())
    );
    bad.vpc_id = "vpc-nope".into();
    assert_eq!(err(acct.create_vpc_endpoint(bad)).0, "InvalidVpcID.NotFound");
    assert_eq!(
        err(acct.create_vpc_endpoint(interface(&n, &[&n.a, &n.a2]))),
        (
            "DuplicateSubnetsInSameZone",
            format!("Found another VPC endpoint subnet in the availability zone of {}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.", n.a2)
        )
    );
    let mut with_tables = interface(&n, &[&n.a]);
    with_tables.route_table_ids = vec![n.rtb.clone()];
    assert_eq!(
        err(acct.create_vpc_endpoint(with_tables)),
        ("InvalidParameter", "Route table IDs are only supported for Gateway type VPC Endpoint.".into())
    );
    let mut with_subnets = gateway(&n);
    with_subnets.subnet_ids = vec![n.a.clone()];
    assert_eq!(
        err(acct.create_vpc_endpoint(with_subnets)),
        (
            "InvalidParameter",
            "Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.".into()
        )
    );
    assert_eq!(
        err(acct.create_vpc_endpoint(interface(&n, &[&"subnet-nope".to_string()]))).0,
        "InvalidSubnetID.NotFound"
    );
    let other = acct.create_vpc("10.1.0.0/16").unwrap().vpc_id;
    let foreign = acct.create_subnet(&other, "10.1.0.0/24", None).unwrap().subnet_id;
    assert_eq!(err(acct.create_vpc_endpoint(interface(&n, &[&foreign]))).0, "InvalidParameter");
    let mut groups = interface(&n, &[&n.a]);
    groups.security_group_ids = vec!["sg-nope".into()];
    assert_eq!(err(acct.create_vpc_endpoint(groups)).0, "InvalidGroup.NotFound");
    let mut table = gateway(&n);
    table.route_table_ids = vec!["rtb-nope".into()];
    assert_eq!(err(acct.create_vpc_endpoint(table)).0, "InvalidRouteTableID.NotFound");
    let mut policy = gateway(&n);
    policy.policy_document = Some("{not json".into());
    assert_eq!(err(acct.create_vpc_endpoint(policy)).0, "InvalidParameterValue");
    // Nothing of the refused requests stayed.
    assert!(acct.vpc_endpoints.is_empty());
    assert!(acct.network_interfaces.values().all(|e| e.interface_type != "vpc_endpoint"));
}

#[test]
fn private_dns_needs_the_vpc_attributes_and_one_endpoint_per_service() {
    let mut acct = Account::default();
    let n = net(&mut acct);
    acct.modify_vpc_attribute(&n.vpc, VpcAttribute::EnableDnsHostnames(false)).unwrap();
    assert_eq!(
        err(acct.create_vpc_endpoint(interface(&n, &[&n.a]))),
        (
            "InvalidParameter",
            format!("Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for {}", n.vpc)
        )
    );
    let mut off = interface(&n, &[&n.a]);
    off.private_dns_enabled = Some(false);
    let quiet = acct.create_vpc_endpoint(off).unwrap();
    assert!(!quiet.dns_entries.iter().any(|d| d.dns_name == "secretsmanager.us-east-1.amazonaws.com"));
    acct.modify_vpc_attribute(&n.vpc, VpcAttribute::EnableDnsHostnames(true)).unwrap();
    acct.create_vpc_endpoint(interface(&n, &[&n.b])).unwrap();
    assert_eq!(
        err(acct.create_vpc_endpoint(interface(&n, &[&n.a]))),
        (
            "InvalidParameter",
            format!("private-dns-enabled cannot be set because there is already a conflicting DNS domain for secretsmanager.us-east-1.amazonaws.com in the VPC {}", n.vpc)
        )
    );
    let on = ModifyVpcEndpoint {
        vpc_endpoint_id: quiet.vpc_endpoint_id.clone(),
        private_dns_enabled: Some(true),
        ..Default::default()
    };
    assert_eq!(err(acct.modify_vpc_endpoint(&on)).0, "InvalidParameter");
}

#[test]
fn modify_moves_subnets_groups_tables_and_policy() {
    let mut acct = Account::default();
    let n = net(&mut acct);
    let e = acct.create_vpc_endpoint(interface(&n, &[&n.a])).unwrap();
    let first_eni = e.network_interface_ids[0].clone();
    let sg = acct.create_security_group(&n.vpc, "endpoints", "endpoints").unwrap().group_id;
    let m = ModifyVpcEndpoint {
        vpc_endpoint_id: e.vpc_endpoint_id.clone(),
        add_subnet_ids: vec![n.b.clone()],
        remove_subnet_ids: vec![n.a.clone()],
        add_security_group_ids: vec![sg.clone()],
        remove_security_group_ids: e.security_group_ids.clone(),
        policy_document: Some(r#"{"Statement":[]}"#.into()),
        ..Default::default()
    };
    acct.modify_vpc_endpoint(&m).unwrap();
    let after = acct.vpc_endpoint(&e.vpc_endpoint_id).unwrap().clone();
    assert_eq!(after.subnet_ids, vec![n.b.clone()]);
    assert!(acct.network_interface(&first_eni).is_err(), "the removed subnet's ENI is gone");
    let eni = acct.network_interface(&after.network_interface_ids[0]).unwrap();
    assert_eq!((eni.subnet_id.as_str(), eni.groups.clone()), (n.b.as_str(), vec![sg.clone()]));
    assert_eq!(after.dns_entries[0].dns_name, e.dns_entries[0].dns_name, "the regional name stays");
    assert!(after.dns_entries[1].dns_name.contains("-us-east-1b."));
    assert_eq!(after.policy_document.as_deref(), Some(r#"{"Statement":[]}"#));
    let dup = ModifyVpcEndpoint {
        vpc_endpoint_id: e.vpc_endpoint_id.clone(),
        add_subnet_ids: vec![n.a.clone(), n.a2.clone()],
        ..Default::default()
    };
    assert_eq!(err(acct.modify_vpc_endpoint(&dup)).0, "DuplicateSubnetsInSameZone");
    let reset =
        ModifyVpcEndpoint { vpc_endpoint_id: e.vpc_endpoint_id.clone(), reset_policy: true, ..Default::default() };
    acct.modify_vpc_endpoint(&reset).unwrap();
    assert_eq!(
        acct.vpc_endpoint(&e.vpc_endpoint_id).unwrap().policy_document.as_deref(),
        Some(DEFAULT_ENDPOINT_POLICY)
    );
    let tables = ModifyVpcEndpoint {
        vpc_endpoint_id: e.vpc_endpoint_id.clone(),
        add_route_table_ids: vec![n.rtb.clone()],
        ..Default::default()
    };
    assert_eq!(err(acct.modify_vpc_endpoint(&tables)).0, "InvalidParameter");

    let g = acct.create_vpc_endpoint(gateway(&n)).unwrap();
    let main = acct.main_route_table(&n.vpc).unwrap().route_table_id.clone();
    let swap = ModifyVpcEndpoint {
        vpc_endpoint_id: g.vpc_endpoint_id.clone(),
        add_route_table_ids: vec![main.clone()],
        remove_route_table_ids: vec![n.rtb.clone()],
        ..Default::default()
    };
    acct.modify_vpc_endpoint(&swap).unwrap();
    assert_eq!(acct.vpc_endpoint(&g.vpc_endpoint_id).unwrap().route_table_ids, vec![main.clone()]);
    let has_route =
        |a: &Account, t: &str| a.route_table(t).unwrap().routes.iter().any(|r| r.destination_prefix_list_id.is_some());
    assert!(has_route(&acct, &main) && !has_route(&acct, &n.rtb));
    let missing = ModifyVpcEndpoint { vpc_endpoint_id: "vpce-nope".into(), ..Default::default() };
    assert_eq!(
        err(acct.modify_vpc_endpoint(&missing)),
        ("InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id 'vpce-nope' does not exist".into())
    );
}

#[test]
fn delete_takes_enis_and_routes_and_reports_unknown_ids() {
    let mut acct = Account::default();
    let n = net(&mut acct);
    let i = acct.create_vpc_endpoint(interface(&n, &[&n.a, &n.b])).unwrap();
    let g = acct.create_vpc_endpoint(gateway(&n)).unwrap();
    let unsuccessful =
        acct.delete_vpc_endpoints(&[i.vpc_endpoint_id.clone(), "vpce-nope".into(), g.vpc_endpoint_id.clone()]);
    assert_eq!(unsuccessful.len(), 1);
    assert_eq!(unsuccessful[0].0, "vpce-nope");
    assert_eq!(unsuccessful[0].1.code(), "InvalidVpcEndpointId.NotFound");
    assert!(acct.vpc_endpoints.is_empty());
    assert!(i.network_interface_ids.iter().all(|e| acct.network_interface(e).is_err()));
    assert!(acct.route_table(&n.rtb).unwrap().routes.iter().all(|r| r.destination_prefix_list_id.is_none()));
}

#[test]
fn what_an_endpoint_uses_cannot_be_deleted() {
    let mut acct = Account::default();
    let n = net(&mut acct);
    let sg = acct.create_security_group(&n.vpc, "endpoints", "endpoints").unwrap().group_id;
    let mut req = interface(&n, &[&n.a]);
    req.security_group_ids = vec![sg.clone()];
    acct.create_vpc_endpoint(req).unwrap();
    acct.create_vpc_endpoint(gateway(&n)).unwrap();
    assert_eq!(
        err(acct.delete_subnet(&n.a)),
        ("DependencyViolation", format!("The subnet '{}' has dependencies and cannot be deleted.", n.a))
    );
    assert_eq!(
        err(acct.delete_route_table(&n.rtb)),
        ("DependencyViolation", format!("The routeTable '{}' has dependencies and cannot be deleted.", n.rtb))
    );
    assert_eq!(
        err(acct.delete_security_group(&sg)),
        ("DependencyViolation", format!("resource {sg} has a dependent object"))
    );
    // A VPC with only a gateway endpoint left is still in use.
    let ids: Vec<String> = acct
        .vpc_endpoints
        .values()
        .filter(|e| e.vpc_endpoint_type == VpcEndpointType::Interface)
        .map(|e| e.vpc_endpoint_id.clone())
        .collect();
    acct.delete_vpc_endpoints(&ids);
    for s in [&n.a, &n.b, &n.a2] {
        acct.delete_subnet(s).unwrap();
    }
    acct.delete_security_group(&sg).unwrap();
    assert_eq!(
        err(acct.delete_vpc(&n.vpc)),
        ("DependencyViolation", format!("The vpc '{}' has dependencies and cannot be deleted.", n.vpc))
    );
}

#[test]
fn create_route_to_an_endpoint_checks_it() {
    let mut acct = Account::default();
    let n = net(&mut acct);
    assert_eq!(
        err(acct.create_route(&n.rtb, "0.0.0.0/0", RouteTarget::VpcEndpoint("vpce-nope".into()))).0,
        "InvalidVpcEndpointId.NotFound"
    );
    let e = acct.create_vpc_endpoint(gateway(&n)).unwrap();
    acct.create_route(&n.rtb, "0.0.0.0/0", RouteTarget::VpcEndpoint(e.vpc_endpoint_id.clone())).unwrap();
    // Tags reach endpoints too.
    acct.create_tags(std::slice::from_ref(&e.vpc_endpoint_id), &[("Name".into(), "s3".into())]).unwrap();
    assert_eq!(acct.vpc_endpoint(&e.vpc_endpoint_id).unwrap().tags.get("Name").map(String::as_str), Some("s3"));
}
