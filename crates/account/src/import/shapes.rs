//! The shapes of `aws ec2 describe-*` JSON output (the EC2 API's own field
//! names). Only the fields the model uses; everything else is ignored.

use serde::Deserialize;

/// One JSON document: any of the recognized top-level keys.
#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Document {
    pub(super) vpcs: Option<Vec<DVpc>>,
    pub(super) internet_gateways: Option<Vec<DInternetGateway>>,
    pub(super) subnets: Option<Vec<DSubnet>>,
    pub(super) addresses: Option<Vec<DAddress>>,
    pub(super) nat_gateways: Option<Vec<DNatGateway>>,
    pub(super) route_tables: Option<Vec<DRouteTable>>,
    pub(super) security_groups: Option<Vec<DSecurityGroup>>,
    pub(super) network_acls: Option<Vec<DNetworkAcl>>,
}

/// One `Tag` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DTag {
    pub(super) key: String,
    #[serde(default)]
    pub(super) value: String,
}

/// One `Vpc` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DVpc {
    pub(super) vpc_id: String,
    pub(super) cidr_block: String,
    #[serde(default)]
    pub(super) is_default: bool,
    pub(super) state: Option<String>,
    pub(super) owner_id: Option<String>,
    #[serde(default)]
    pub(super) tags: Vec<DTag>,
}

/// One `Attachment` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DAttachment {
    pub(super) vpc_id: String,
    pub(super) state: String,
}

/// One `InternetGateway` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DInternetGateway {
    pub(super) internet_gateway_id: String,
    #[serde(default)]
    pub(super) attachments: Vec<DAttachment>,
    pub(super) owner_id: Option<String>,
    #[serde(default)]
    pub(super) tags: Vec<DTag>,
}

/// One `Subnet` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DSubnet {
    pub(super) subnet_id: String,
    pub(super) subnet_arn: Option<String>,
    pub(super) vpc_id: String,
    pub(super) cidr_block: String,
    pub(super) availability_zone: String,
    pub(super) availability_zone_id: Option<String>,
    pub(super) available_ip_address_count: Option<u64>,
    #[serde(default)]
    pub(super) default_for_az: bool,
    #[serde(default)]
    pub(super) map_public_ip_on_launch: bool,
    pub(super) state: Option<String>,
    pub(super) owner_id: Option<String>,
    #[serde(default)]
    pub(super) tags: Vec<DTag>,
}

/// One `Address` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DAddress {
    pub(super) allocation_id: Option<String>,
    pub(super) public_ip: String,
    pub(super) domain: Option<String>,
    pub(super) association_id: Option<String>,
    pub(super) network_interface_id: Option<String>,
    pub(super) private_ip_address: Option<String>,
    pub(super) instance_id: Option<String>,
    #[serde(default)]
    pub(super) tags: Vec<DTag>,
}

/// One `NatAddress` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DNatAddress {
    pub(super) allocation_id: Option<String>,
    pub(super) network_interface_id: Option<String>,
    pub(super) private_ip: Option<String>,
    pub(super) public_ip: Option<String>,
    pub(super) association_id: Option<String>,
}

/// One `NatGateway` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DNatGateway {
    pub(super) nat_gateway_id: String,
    pub(super) subnet_id: String,
    pub(super) vpc_id: Option<String>,
    pub(super) state: String,
    pub(super) connectivity_type: Option<String>,
    #[serde(default)]
    pub(super) nat_gateway_addresses: Vec<DNatAddress>,
    pub(super) failure_code: Option<String>,
    pub(super) failure_message: Option<String>,
    #[serde(default)]
    pub(super) tags: Vec<DTag>,
}

/// One `Route` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DRoute {
    pub(super) destination_cidr_block: Option<String>,
    pub(super) destination_ipv6_cidr_block: Option<String>,
    pub(super) destination_prefix_list_id: Option<String>,
    pub(super) gateway_id: Option<String>,
    pub(super) nat_gateway_id: Option<String>,
    pub(super) instance_id: Option<String>,
    pub(super) network_interface_id: Option<String>,
    pub(super) vpc_peering_connection_id: Option<String>,
    pub(super) transit_gateway_id: Option<String>,
    pub(super) egress_only_internet_gateway_id: Option<String>,
    pub(super) local_gateway_id: Option<String>,
    pub(super) carrier_gateway_id: Option<String>,
    pub(super) core_network_arn: Option<String>,
    pub(super) origin: Option<String>,
    pub(super) state: Option<String>,
}

impl DRoute {
    /// Targets with no behaviour here.
    pub(super) fn other_target(&self) -> Option<String> {
        self.local_gateway_id
            .clone()
            .or_else(|| self.carrier_gateway_id.clone())
            .or_else(|| self.core_network_arn.clone())
    }
}

/// One `RouteTableAssociation` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DRouteTableAssociation {
    #[serde(default)]
    pub(super) main: bool,
    pub(super) route_table_association_id: String,
    pub(super) subnet_id: Option<String>,
}

/// One `RouteTable` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DRouteTable {
    pub(super) route_table_id: String,
    pub(super) vpc_id: String,
    #[serde(default)]
    pub(super) routes: Vec<DRoute>,
    #[serde(default)]
    pub(super) associations: Vec<DRouteTableAssociation>,
    pub(super) owner_id: Option<String>,
    #[serde(default)]
    pub(super) tags: Vec<DTag>,
}

/// One `IpRange` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DIpRange {
    pub(super) cidr_ip: String,
    pub(super) description: Option<String>,
}

/// One `Ipv6Range` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DIpv6Range {
    pub(super) cidr_ipv6: String,
    pub(super) description: Option<String>,
}

/// One `GroupPair` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DGroupPair {
    pub(super) group_id: String,
    pub(super) description: Option<String>,
}

/// One `PrefixListId` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DPrefixListId {
    pub(super) prefix_list_id: String,
    pub(super) description: Option<String>,
}

/// One `IpPermission` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DIpPermission {
    pub(super) ip_protocol: String,
    pub(super) from_port: Option<i32>,
    pub(super) to_port: Option<i32>,
    #[serde(default)]
    pub(super) ip_ranges: Vec<DIpRange>,
    #[serde(default)]
    pub(super) ipv6_ranges: Vec<DIpv6Range>,
    #[serde(default)]
    pub(super) user_id_group_pairs: Vec<DGroupPair>,
    #[serde(default)]
    pub(super) prefix_list_ids: Vec<DPrefixListId>,
}

/// One `SecurityGroup` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DSecurityGroup {
    pub(super) group_id: String,
    pub(super) group_name: String,
    #[serde(default)]
    pub(super) description: String,
    pub(super) vpc_id: Option<String>,
    pub(super) owner_id: Option<String>,
    #[serde(default)]
    pub(super) ip_permissions: Vec<DIpPermission>,
    #[serde(default)]
    pub(super) ip_permissions_egress: Vec<DIpPermission>,
    #[serde(default)]
    pub(super) tags: Vec<DTag>,
}

/// One `PortRange` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DPortRange {
    pub(super) from: Option<i64>,
    pub(super) to: Option<i64>,
}

/// One `IcmpTypeCode` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DIcmpTypeCode {
    pub(super) code: Option<i32>,
    pub(super) r#type: Option<i32>,
}

/// One `AclEntry` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DAclEntry {
    pub(super) rule_number: i64,
    pub(super) protocol: String,
    pub(super) rule_action: String,
    #[serde(default)]
    pub(super) egress: bool,
    pub(super) cidr_block: Option<String>,
    pub(super) ipv6_cidr_block: Option<String>,
    pub(super) port_range: Option<DPortRange>,
    pub(super) icmp_type_code: Option<DIcmpTypeCode>,
}

/// One `AclAssociation` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DAclAssociation {
    pub(super) network_acl_association_id: String,
    pub(super) subnet_id: String,
}

/// One `NetworkAcl` element of describe-* output.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DNetworkAcl {
    pub(super) network_acl_id: String,
    pub(super) vpc_id: String,
    #[serde(default)]
    pub(super) is_default: bool,
    #[serde(default)]
    pub(super) entries: Vec<DAclEntry>,
    #[serde(default)]
    pub(super) associations: Vec<DAclAssociation>,
    pub(super) owner_id: Option<String>,
    #[serde(default)]
    pub(super) tags: Vec<DTag>,
}
