//! CreateTags/DeleteTags, ModifyVpcAttribute, ReplaceRoute and CreateLaunchTemplateVersion.

use super::vpc_with_subnet;
use crate::model::*;
use crate::{Account, Origin, VpcAttribute};

#[test]
fn tags_are_added_overwritten_and_deleted_all_or_none() {
    let mut a = Account::default();
    let (vpc, subnet) = vpc_with_subnet(&mut a);
    let ids = [vpc.clone(), subnet.clone()];
    a.create_tags(&ids, &[("Name".into(), "one".into()), ("Team".into(), "net".into())]).unwrap();
    a.create_tags(std::slice::from_ref(&subnet), &[("Name".into(), "two".into())]).unwrap();
    assert_eq!(a.subnets[&subnet].tags.get("Name").map(String::as_str), Some("two"));
    assert_eq!(a.vpcs[&vpc].tags.get("Name").map(String::as_str), Some("one"));
    // An unknown ID fails the whole call: the VPC keeps its tags.
    let e = a.delete_tags(&[vpc.clone(), "vpc-0000000000000000f".into()], &["Team".into()]).unwrap_err();
    assert_eq!(e.to_string(), "The ID 'vpc-0000000000000000f' is not valid");
    assert!(a.vpcs[&vpc].tags.contains_key("Team"));
    let mut wanted = Tags::new();
    wanted.insert("Owner".into(), "me".into());
    a.retag(&vpc, &wanted).unwrap();
    assert_eq!(a.vpcs[&vpc].tags, wanted);
}

#[test]
fn modify_vpc_attribute_sets_one_attribute() {
    let mut a = Account::default();
    let (vpc, _) = vpc_with_subnet(&mut a);
    a.modify_vpc_attribute(&vpc, VpcAttribute::EnableDnsHostnames(true)).unwrap();
    a.modify_vpc_attribute(&vpc, VpcAttribute::EnableDnsSupport(false)).unwrap();
    assert!(a.vpcs[&vpc].enable_dns_hostnames && !a.vpcs[&vpc].enable_dns_support);
    let e = a.modify_vpc_attribute("vpc-0000000000000000f", VpcAttribute::EnableDnsSupport(true)).unwrap_err();
    assert_eq!(e.code(), "InvalidVpcID.NotFound");
}

#[test]
fn replace_route_changes_the_target_of_an_existing_route_only() {
    let mut a = Account::default();
    let (vpc, _) = vpc_with_subnet(&mut a);
    let igw = a.create_internet_gateway().internet_gateway_id;
    a.attach_internet_gateway(&igw, &vpc).unwrap();
    let rtb = a.create_route_table(&vpc).unwrap().route_table_id;
    let e = a.replace_route(&rtb, "0.0.0.0/0", RouteTarget::InternetGateway(igw.clone()), Origin::none()).unwrap_err();
    assert_eq!(e.to_string(), format!("no route with destination-cidr-block 0.0.0.0/0 in route table {rtb}"));
    let other = a.create_internet_gateway().internet_gateway_id;
    a.create_route(&rtb, "0.0.0.0/0", RouteTarget::InternetGateway(igw)).unwrap();
    // The new target is checked as CreateRoute checks it: a detached gateway is refused.
    assert!(a.replace_route(&rtb, "0.0.0.0/0", RouteTarget::InternetGateway(other), Origin::none()).is_err());
}
