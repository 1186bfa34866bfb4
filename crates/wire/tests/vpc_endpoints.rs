//! VPC endpoints and prefix lists through the server's front door: signed
//! EC2 form requests to `wire::server::State`, answers read from EC2's XML.

mod support;

use std::sync::Arc;
use support::Folder;
use wire::dispatch::HttpResponse;
use wire::server::State;

fn call(state: &Arc<State>, action: &str, params: &[(&str, &str)]) -> HttpResponse {
    support::action(state, "ec2", "2016-11-15", action, params)
}

fn first(xml: &str, tag: &str) -> String {
    support::tag(xml, tag).map(str::to_string).unwrap_or_else(|| panic!("no <{tag}> in {xml}"))
}

/// A VPC with DNS hostnames, two subnets in two zones and a route table.
fn network(s: &Arc<State>) -> (String, String, String, String) {
    let vpc = first(&call(s, "CreateVpc", &[("CidrBlock", "10.9.0.0/16")]).body, "vpcId");
    let on = call(s, "ModifyVpcAttribute", &[("VpcId", &vpc), ("EnableDnsHostnames.Value", "true")]);
    assert_eq!(on.status, 200, "{}", on.body);
    let subnet = |cidr: &str, zone: &str| {
        let r = call(s, "CreateSubnet", &[("VpcId", &vpc), ("CidrBlock", cidr), ("AvailabilityZone", zone)]);
        first(&r.body, "subnetId")
    };
    let (a, b) = (subnet("10.9.0.0/24", "us-east-1a"), subnet("10.9.1.0/24", "us-east-1b"));
    let rtb = first(&call(s, "CreateRouteTable", &[("VpcId", &vpc)]).body, "routeTableId");
    (vpc, a, b, rtb)
}

#[test]
fn endpoints_of_both_types_are_made_described_modified_and_deleted() {
    let (s, _folder): (Arc<State>, Folder) = support::server("ec2");
    let (vpc, a, b, rtb) = network(&s);
    let created = call(
        &s,
        "CreateVpcEndpoint",
        &[
            ("VpcEndpointType", "Interface"),
            ("VpcId", &vpc),
            ("ServiceName", "com.amazonaws.us-east-1.secretsmanager"),
            ("SubnetId.1", &a),
            ("SubnetId.2", &b),
            ("TagSpecification.1.ResourceType", "vpc-endpoint"),
            ("TagSpecification.1.Tag.1.Key", "Name"),
            ("TagSpecification.1.Tag.1.Value", "secrets"),
        ],
    );
    assert_eq!(created.status, 200, "{}", created.body);
    let interface = first(&created.body, "vpcEndpointId");
    assert!(created.body.contains("<privateDnsEnabled>true</privateDnsEnabled>"), "{}", created.body);
    assert!(created.body.contains("<dnsName>secretsmanager.us-east-1.amazonaws.com</dnsName>"), "{}", created.body);
    assert_eq!(created.body.matches("<networkInterfaceIdSet>").count(), 1);
    let enis = call(
        &s,
        "DescribeNetworkInterfaces",
        &[("Filter.1.Name", "interface-type"), ("Filter.1.Value.1", "vpc_endpoint")],
    );
    assert_eq!(enis.body.matches("<networkInterfaceId>").count(), 2, "{}", enis.body);
    assert!(enis.body.contains(&format!("VPC Endpoint Interface {interface}")));

    let gateway = call(
        &s,
        "CreateVpcEndpoint",
        &[("VpcId", &vpc), ("ServiceName", "com.amazonaws.us-east-1.s3"), ("RouteTableId.1", &rtb)],
    );
    assert_eq!(gateway.status, 200, "{}", gateway.body);
    let gateway_id = first(&gateway.body, "vpcEndpointId");
    assert_eq!(first(&gateway.body, "vpcEndpointType"), "Gateway");
    let tables = call(&s, "DescribeRouteTables", &[("RouteTableId.1", &rtb)]);
    assert!(tables.body.contains("<destinationPrefixListId>pl-63a5400a</destinationPrefixListId>"), "{}", tables.body);
    assert!(tables.body.contains(&format!("<gatewayId>{gateway_id}</gatewayId>")), "{}", tables.body);

    // Filters as EC2's: by type, by tag; an unknown ID is NotFound.
    let by_type =
        call(&s, "DescribeVpcEndpoints", &[("Filter.1.Name", "vpc-endpoint-type"), ("Filter.1.Value.1", "Gateway")]);
    assert_eq!(by_type.body.matches("<vpcEndpointId>").count(), 1);
    assert_eq!(first(&by_type.body, "vpcEndpointId"), gateway_id);
    let by_tag = call(&s, "DescribeVpcEndpoints", &[("Filter.1.Name", "tag:Name"), ("Filter.1.Value.1", "secrets")]);
    assert_eq!(first(&by_tag.body, "vpcEndpointId"), interface);
    let missing = call(&s, "DescribeVpcEndpoints", &[("VpcEndpointId.1", "vpce-0123456789abcdef0")]);
    assert_eq!((missing.status, first(&missing.body, "Code")), (400, "InvalidVpcEndpointId.NotFound".to_string()));

    let lists = call(
        &s,
        "DescribePrefixLists",
        &[("Filter.1.Name", "prefix-list-name"), ("Filter.1.Value.1", "com.amazonaws.us-east-1.s3")],
    );
    assert_eq!(first(&lists.body, "prefixListId"), "pl-63a5400a");
    assert!(lists.body.contains("<item>203.0.113.192/28</item>"), "{}", lists.body);
    let services = call(&s, "DescribeVpcEndpointServices", &[("ServiceName.1", "com.amazonaws.us-east-1.s3")]);
    assert!(services.body.contains("<serviceType>Gateway</serviceType>"), "{}", services.body);
    assert!(services.body.contains("<serviceType>Interface</serviceType>"), "{}", services.body);

    let modified = call(&s, "ModifyVpcEndpoint", &[("VpcEndpointId", &interface), ("RemoveSubnetId.1", &b)]);
    assert_eq!(modified.status, 200, "{}", modified.body);
    let after = call(&s, "DescribeVpcEndpoints", &[("VpcEndpointId.1", &interface)]);
    assert!(!after.body.contains(&b) && after.body.contains(&a), "{}", after.body);

    let refused = call(
        &s,
        "CreateVpcEndpoint",
        &[("VpcId", &vpc), ("ServiceName", "com.amazonaws.us-east-1.s3"), ("RouteTableId.1", &rtb)],
    );
    assert_eq!(refused.status, 400);
    assert_eq!(first(&refused.body, "Code"), "RouteAlreadyExists");
    let wrong = call(&s, "CreateVpcEndpoint", &[("VpcId", &vpc), ("ServiceName", "com.amazonaws.us-east-1.ssm")]);
    assert_eq!(
        first(&wrong.body, "Message"),
        "Endpoint type (Gateway) does not match available service types ([Interface])."
    );

    let deleted = call(
        &s,
        "DeleteVpcEndpoints",
        &[
            ("VpcEndpointId.1", &interface),
            ("VpcEndpointId.2", &gateway_id),
            ("VpcEndpointId.3", "vpce-0123456789abcdef0"),
        ],
    );
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert_eq!(first(&deleted.body, "resourceId"), "vpce-0123456789abcdef0");
    assert_eq!(first(&deleted.body, "code"), "InvalidVpcEndpointId.NotFound");
    let gone = call(&s, "DescribeVpcEndpoints", &[]);
    assert!(!gone.body.contains("<vpcEndpointId>"), "{}", gone.body);
    let tables = call(&s, "DescribeRouteTables", &[("RouteTableId.1", &rtb)]);
    assert!(!tables.body.contains("destinationPrefixListId"), "{}", tables.body);
}
