//! VPC endpoints built straight into an account, as EC2's
//! CreateVpcEndpoint leaves them (available), for the data plane's tests:
//! a gateway endpoint with its prefix-list route in each chosen route table,
//! an interface endpoint with one ENI (made by `create_network_interface`).

use account::{endpoints, Account, CreateNetworkInterface, EniOwner, Route, RouteTarget, VpcEndpoint, VpcEndpointType};

/// An available endpoint record `id` for `com.amazonaws.<region>.<service>` with nothing attached yet.
pub fn record(id: &str, vpc_id: &str, region: &str, service: &str, kind: VpcEndpointType) -> VpcEndpoint {
    VpcEndpoint {
        vpc_endpoint_id: id.to_string(),
        vpc_endpoint_type: kind,
        vpc_id: vpc_id.to_string(),
        service_name: format!("com.amazonaws.{region}.{service}"),
        state: "available".into(),
        policy_document: None,
        route_table_ids: Vec::new(),
        subnet_ids: Vec::new(),
        security_group_ids: Vec::new(),
        private_dns_enabled: false,
        network_interface_ids: Vec::new(),
        dns_entries: Vec::new(),
        creation_timestamp_ms: 0,
        tags: Default::default(),
    }
}

fn endpoint(a: &mut Account, vpc_id: &str, service: &str, kind: VpcEndpointType) -> VpcEndpoint {
    let id = a.new_id("vpce");
    VpcEndpoint { creation_timestamp_ms: a.clock_ms, ..record(&id, vpc_id, &a.region, service, kind) }
}

/// Adds the route a gateway endpoint `vpce` puts in `table`: prefix list `pl` to the endpoint.
pub fn prefix_list_route(a: &mut Account, table: &str, pl: &str, vpce: &str) {
    let table = a.route_tables.get_mut(table).expect("the route table");
    table.routes.push(Route {
        destination_cidr_block: None,
        destination_ipv6_cidr_block: None,
        destination_prefix_list_id: Some(pl.to_string()),
        // EC2 names the endpoint as the route's gateway.
        target: RouteTarget::VpcEndpoint(vpce.to_string()),
        origin: "CreateRoute".into(),
        state: "active".into(),
        template_origin: Default::default(),
    });
}

/// A gateway endpoint for `service` (`s3`, `dynamodb`) in `vpc_id` whose
/// prefix-list route goes into each of `route_tables`; its ID.
pub fn gateway_endpoint(a: &mut Account, vpc_id: &str, service: &str, route_tables: &[&str]) -> String {
    let mut e = endpoint(a, vpc_id, service, VpcEndpointType::Gateway);
    let pl = endpoints::by_name(service).and_then(|s| s.prefix_list_id(&a.region)).expect("a gateway service");
    for rtb in route_tables {
        prefix_list_route(a, rtb, &pl, &e.vpc_endpoint_id);
        e.route_table_ids.push(rtb.to_string());
    }
    let id = e.vpc_endpoint_id.clone();
    a.vpc_endpoints.insert(id.clone(), e);
    id
}

/// An interface endpoint for `service` with one ENI in `subnet_id` holding
/// `groups` (none: the VPC's default group); (its ID, its ENI's ID).
pub fn interface_endpoint(
    a: &mut Account,
    subnet_id: &str,
    service: &str,
    groups: &[&str],
    private_dns: bool,
) -> (String, String) {
    let vpc_id = a.subnets.get(subnet_id).expect("the subnet").vpc_id.clone();
    let mut e = endpoint(a, &vpc_id, service, VpcEndpointType::Interface);
    let mut req = CreateNetworkInterface::new(subnet_id);
    req.groups = groups.iter().map(|g| g.to_string()).collect();
    req.description = format!("VPC Endpoint Interface {}", e.vpc_endpoint_id);
    req.interface_type = "vpc_endpoint".into();
    req.requester_managed = true;
    req.owner = EniOwner::VpcEndpoint { vpc_endpoint_id: e.vpc_endpoint_id.clone() };
    let eni = a.create_network_interface(req).expect("the endpoint's ENI");
    e.private_dns_enabled = private_dns;
    e.subnet_ids.push(subnet_id.to_string());
    e.security_group_ids = eni.groups.clone();
    e.network_interface_ids.push(eni.network_interface_id.clone());
    let id = e.vpc_endpoint_id.clone();
    a.vpc_endpoints.insert(id.clone(), e);
    (id, eni.network_interface_id)
}
