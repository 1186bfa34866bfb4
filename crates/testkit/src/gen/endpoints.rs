//! VPC endpoints built directly into an account (until the EC2 actions for
//! them are merged): the record, and a gateway endpoint's prefix-list route.

use account::{Account, Route, RouteTarget, VpcEndpoint, VpcEndpointType};

/// An available endpoint for `com.amazonaws.us-east-1.<service>` with nothing attached yet.
pub fn vpc_endpoint(id: &str, vpc: &str, service: &str, kind: VpcEndpointType) -> VpcEndpoint {
    VpcEndpoint {
        vpc_endpoint_id: id.into(),
        vpc_endpoint_type: kind,
        vpc_id: vpc.into(),
        service_name: format!("com.amazonaws.us-east-1.{service}"),
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

/// The route an S3 gateway endpoint adds to `table`: us-east-1's S3 prefix list to `vpce`.
// Until `RouteTarget::VpcEndpoint` exists the endpoint is an `OtherGateway`; reach looks it up by ID.
pub fn s3_gateway_route(a: &mut Account, table: &str, vpce: &str) {
    if let Some(t) = a.route_tables.get_mut(table) {
        t.routes.push(Route {
            destination_cidr_block: None,
            destination_ipv6_cidr_block: None,
            destination_prefix_list_id: Some("pl-63a5400a".into()),
            target: RouteTarget::OtherGateway(vpce.into()),
            origin: "CreateRoute".into(),
            state: "active".into(),
            template_origin: Default::default(),
        });
    }
}
