//! VPC endpoints (AWS doc "VpcEndpoint", Amazon EC2 API Reference; "Access
//! AWS services through AWS PrivateLink"; "Gateway endpoints").

use super::Tags;
use serde::{Deserialize, Serialize};

/// `VpcEndpointType`, spelled as EC2 spells it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum VpcEndpointType {
    /// PrivateLink: an ENI per subnet, with security groups and optional private DNS.
    #[default]
    Interface,
    /// S3 and DynamoDB: a prefix-list route in each chosen route table.
    Gateway,
    /// A Gateway Load Balancer endpoint (stored; no behaviour here).
    GatewayLoadBalancer,
}

impl VpcEndpointType {
    /// The API's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            VpcEndpointType::Interface => "Interface",
            VpcEndpointType::Gateway => "Gateway",
            VpcEndpointType::GatewayLoadBalancer => "GatewayLoadBalancer",
        }
    }
}

/// One DNS name of an interface endpoint (`DnsEntries`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DnsEntry {
    /// e.g. `vpce-0abc-1234abcd.secretsmanager.us-east-1.vpce.amazonaws.com`.
    pub dns_name: String,
    /// The Route 53 hosted zone of the name.
    pub hosted_zone_id: String,
}

/// A VPC endpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcEndpoint {
    /// `vpce-…`.
    pub vpc_endpoint_id: String,
    /// Interface, Gateway or GatewayLoadBalancer.
    pub vpc_endpoint_type: VpcEndpointType,
    /// Its VPC.
    pub vpc_id: String,
    /// `com.amazonaws.<region>.<service>`.
    pub service_name: String,
    /// `pendingAcceptance`, `pending`, `available`, `deleting`, `deleted`, … (EC2's spelling).
    pub state: String,
    /// The endpoint policy (JSON text); AWS's full-access default when none was given.
    pub policy_document: Option<String>,
    /// Gateway endpoints: the route tables that got its prefix-list route.
    #[serde(default)]
    pub route_table_ids: Vec<String>,
    /// Interface endpoints: one subnet per zone.
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// Interface endpoints: the groups of its ENIs.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// Interface endpoints: whether the service's own hostname resolves to its ENIs inside the VPC.
    #[serde(default)]
    pub private_dns_enabled: bool,
    /// Interface endpoints: its ENIs, one per subnet.
    #[serde(default)]
    pub network_interface_ids: Vec<String>,
    /// Interface endpoints: its DNS names.
    #[serde(default)]
    pub dns_entries: Vec<DnsEntry>,
    /// When it was made (the account's clock, milliseconds).
    pub creation_timestamp_ms: u64,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}
