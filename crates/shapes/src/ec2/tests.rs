use super::*;
use crate::Query;

#[test]
fn routes_name_their_target_by_its_member() {
    assert_eq!(target_member(&RouteTarget::Local), "GatewayId");
    assert_eq!(target_member(&RouteTarget::NatGateway("nat-1".into())), "NatGatewayId");
    assert_eq!(target_member(&RouteTarget::NetworkInterface("eni-1".into())), "NetworkInterfaceId");
}

#[test]
fn documents_are_pruned_and_narrowed_by_the_stack() {
    let account = testkit::example::example();
    let all = Query::default();
    let sel = Selection::new(&account, &all, "DescribeSubnets").unwrap_or_else(|e| panic!("{e}"));
    let every = subnets(&sel).len();
    let doc = describe_subnets(&sel);
    assert_eq!(doc["Subnets"].as_array().map_or(0, Vec::len), every);
    assert!(doc.to_string().find("null").is_none(), "absent optionals are left out");

    let query = Query { stack_name: Some("todobackend".into()), ..Query::default() };
    let sel = Selection::new(&account, &query, "DescribeSubnets").unwrap_or_else(|e| panic!("{e}"));
    let owned = subnets(&sel);
    assert!(!owned.is_empty() && owned.len() < every, "the stack's subnets, not the default VPC's");
    let interfaces = network_interfaces(&sel);
    assert!(interfaces
        .windows(2)
        .all(|w| (&w[0].vpc_id, w[0].private_ip_address) <= (&w[1].vpc_id, w[1].private_ip_address)));
    let tables = describe_route_tables(&sel);
    let routes = &tables["RouteTables"][0]["Routes"];
    assert_eq!(routes[0]["GatewayId"], "local", "the local route first, named by GatewayId");
}
