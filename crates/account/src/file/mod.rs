//! The account file: YAML that declares an account's pre-existing resources
//! with their real IDs, for users whose `dev.cfg` names real VPCs, subnets
//! and groups. `load` turns it into an `Account`; `to_yaml` prints an account
//! back in the same form (what `tasknet account show` prints).
//!
//! ```yaml
//! account_id: "123456789012"
//! region: us-east-1
//! vpcs:
//!   - id: vpc-0a1b2c3d4e5f60718
//!     cidr: 10.0.0.0/16
//! subnets:
//!   - id: subnet-0a1b2c3d4e5f60718
//!     vpc: vpc-0a1b2c3d4e5f60718
//!     cidr: 10.0.1.0/24
//!     availability_zone: us-east-1a
//! ```
//!
//! Keys are snake_case; unknown keys are errors (a typo must not silently
//! drop a route). Every VPC gets what AWS always gives one (main route table,
//! default network ACL, default security group) when the file leaves it out.

mod dump;
mod load;

pub use dump::to_yaml;
pub use load::load;

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// Why an account file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Not YAML, or not of the file's shape (the message names the key and position).
    #[error("account file: {0}")]
    Yaml(String),
    /// A value is wrong; `field` is its path, e.g. `subnets[1].cidr`.
    #[error("account file: {field}: {message}")]
    Invalid {
        /// Path of the offending value.
        field: String,
        /// What is wrong, in AWS's words where AWS has them.
        message: String,
    },
    /// The account could not be printed.
    #[error("account file: cannot write YAML: {0}")]
    Write(String),
}

/// The whole file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountFile {
    /// 12-digit account ID (default 123456789012).
    #[serde(default, deserialize_with = "opt_string_or_number", skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Region (default us-east-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Whether to add the emulated default VPC; by default yes, unless a declared VPC is the default one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_vpc: Option<bool>,
    /// Zones of the region with their IDs (default: the known ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub availability_zones: Vec<FileZone>,
    /// VPCs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpcs: Vec<FileVpc>,
    /// Subnets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<FileSubnet>,
    /// Internet gateways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub internet_gateways: Vec<FileInternetGateway>,
    /// Elastic IPs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elastic_ips: Vec<FileElasticIp>,
    /// NAT gateways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nat_gateways: Vec<FileNatGateway>,
    /// Route tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_tables: Vec<FileRouteTable>,
    /// Security groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<FileSecurityGroup>,
    /// Network ACLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_acls: Vec<FileNetworkAcl>,
    /// SSM parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ssm_parameters: Vec<FileSsmParameter>,
    /// Secrets Manager secrets (their current value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<FileSecret>,
    /// CloudFormation exports of stacks not managed here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exports: Vec<FileExport>,
    /// Access keys the wire endpoint accepts instead of the default `test`/`test`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_keys: Vec<FileAccessKey>,
}

/// An access key for the wire endpoint.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileAccessKey {
    /// The access key ID clients send.
    pub id: String,
    /// Its secret.
    pub secret: String,
    /// The IAM user it belongs to (none: the root user).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// A zone and its ID.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileZone {
    /// e.g. `us-east-1a`.
    pub name: String,
    /// e.g. `use1-az6`.
    pub id: String,
}

/// A VPC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileVpc {
    /// `vpc-…`.
    pub id: String,
    /// Its primary block.
    pub cidr: String,
    /// True for the account's default VPC.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    /// DNS hostnames (default: on for the default VPC, else off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_dns_hostnames: Option<bool>,
    /// Tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// A subnet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSubnet {
    /// `subnet-…`.
    pub id: String,
    /// Its VPC.
    pub vpc: String,
    /// Its block.
    pub cidr: String,
    /// Its zone (default: the region's first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    /// Public IPs on launch (default: true for default subnets, else false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_public_ip_on_launch: Option<bool>,
    /// True for a default VPC's subnets.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default_for_az: bool,
    /// Tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// An internet gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileInternetGateway {
    /// `igw-…`.
    pub id: String,
    /// The VPC it is attached to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// An Elastic IP.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileElasticIp {
    /// `eipalloc-…`.
    pub allocation_id: String,
    /// The address.
    pub public_ip: String,
}

/// A NAT gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileNatGateway {
    /// `nat-…`.
    pub id: String,
    /// Its subnet.
    pub subnet: String,
    /// `public` (default) or `private`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connectivity: Option<String>,
    /// Its Elastic IP (public gateways).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_id: Option<String>,
    /// The Elastic IP association's ID (default: generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association_id: Option<String>,
    /// Its private address (default: the subnet's lowest free one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<String>,
    /// Its interface's ID (default: generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_interface_id: Option<String>,
    /// `available` (default), `pending`, `failed`, `deleting`, `deleted`.
    /// Failed and deleted gateways hold no address in the subnet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// For a failed gateway, e.g. `Gateway.NotAttached`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_code: Option<String>,
    /// For a failed gateway, AWS's message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_message: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// A route of a route table: exactly one destination and exactly one target.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRoute {
    /// IPv4 destination block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// IPv6 destination block (kept as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_ipv6: Option<String>,
    /// Prefix list destination (`pl-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_prefix_list_id: Option<String>,
    /// `igw-…` (or `vgw-…`, `vpce-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_id: Option<String>,
    /// `nat-…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nat_gateway_id: Option<String>,
    /// `eni-…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_interface_id: Option<String>,
    /// `i-…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// `pcx-…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpc_peering_connection_id: Option<String>,
    /// `tgw-…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_gateway_id: Option<String>,
}

/// A route table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRouteTable {
    /// `rtb-…`.
    pub id: String,
    /// Its VPC.
    pub vpc: String,
    /// True for the VPC's main route table.
    #[serde(default, skip_serializing_if = "is_false")]
    pub main: bool,
    /// The main association's ID (default: generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_association_id: Option<String>,
    /// Routes besides the local one (which is implicit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<FileRoute>,
    /// Explicitly associated subnets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    /// Association IDs by subnet (default: generated).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub association_ids: BTreeMap<String, String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// A security group rule: protocol, ports and exactly one peer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRule {
    /// `-1`, `tcp`, `udp`, `icmp` or a number.
    #[serde(deserialize_with = "string_or_number")]
    pub protocol: String,
    /// First port (ICMP type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_port: Option<i32>,
    /// Last port (ICMP code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_port: Option<i32>,
    /// IPv4 peer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// IPv6 peer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cidr_ipv6: Option<String>,
    /// Security group peer (`sg-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Prefix list peer (`pl-…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_list: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A security group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSecurityGroup {
    /// `sg-…`.
    pub id: String,
    /// Group name, unique in the VPC.
    pub name: String,
    /// Description (default: the name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its VPC.
    pub vpc: String,
    /// Inbound rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingress: Vec<FileRule>,
    /// Outbound rules; absent means AWS's default allow-all, `[]` means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress: Option<Vec<FileRule>>,
    /// Tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// A network ACL entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileAclEntry {
    /// Rule number, 1 to 32766.
    pub rule: u16,
    /// `-1`, `tcp`, `udp`, `icmp` or a number.
    #[serde(deserialize_with = "string_or_number")]
    pub protocol: String,
    /// `allow` or `deny`.
    pub action: String,
    /// True for outbound.
    #[serde(default, skip_serializing_if = "is_false")]
    pub egress: bool,
    /// The block it matches.
    pub cidr: String,
    /// First port (TCP, UDP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_port: Option<u16>,
    /// Last port (TCP, UDP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_port: Option<u16>,
}

/// A network ACL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileNetworkAcl {
    /// `acl-…`.
    pub id: String,
    /// Its VPC.
    pub vpc: String,
    /// True for the VPC's default ACL.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    /// Entries (the final 32767 denies are implicit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<FileAclEntry>,
    /// Associated subnets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
    /// Association IDs by subnet (default: generated).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub association_ids: BTreeMap<String, String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// An SSM parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSsmParameter {
    /// Its name.
    pub name: String,
    /// `String` (default), `StringList` or `SecureString`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub param_type: Option<String>,
    /// Its value.
    #[serde(deserialize_with = "string_or_number")]
    pub value: String,
}

/// A Secrets Manager secret: its name and current SecretString (AWSCURRENT).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSecret {
    /// Its name.
    pub name: String,
    /// Its value.
    pub secret_string: String,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An export of a stack not managed here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileExport {
    /// Export name.
    pub name: String,
    /// Its value.
    #[serde(deserialize_with = "string_or_number")]
    pub value: String,
    /// The exporting stack's name.
    pub stack: String,
    /// The exporting stack's ID (default: generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack_id: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Accepts `"-1"` and `-1` alike: YAML users rarely quote numbers.
fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(V)
}

fn opt_string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    string_or_number(d).map(Some)
}

#[cfg(test)]
mod tests;
