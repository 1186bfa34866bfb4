//! VPC endpoints for reach's tests, in us-east-1: the record, and an S3
//! gateway endpoint's prefix-list route (thin forms of `crate::endpoints`).

use account::{Account, VpcEndpoint, VpcEndpointType};

/// An available endpoint for `com.amazonaws.us-east-1.<service>` with nothing attached yet.
pub fn vpc_endpoint(id: &str, vpc: &str, service: &str, kind: VpcEndpointType) -> VpcEndpoint {
    crate::endpoints::record(id, vpc, "us-east-1", service, kind)
}

/// The route an S3 gateway endpoint adds to `table`: us-east-1's S3 prefix list to `vpce`.
pub fn s3_gateway_route(a: &mut Account, table: &str, vpce: &str) {
    crate::endpoints::prefix_list_route(a, table, "pl-63a5400a", vpce);
}
