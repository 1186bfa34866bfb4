//! EC2 and VPC resources, named and cased as the EC2 API describes them.

use crate::cidr::Ipv4Cidr;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// Resource tags, key to value.
pub type Tags = BTreeMap<String, String>;

/// A VPC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Vpc {
    /// `vpc-…`.
    pub vpc_id: String,
    /// The primary IPv4 block.
    pub cidr_block: Ipv4Cidr,
    /// True for the account's default VPC.
    pub is_default: bool,
    /// `available` (emulated VPCs are ready at once).
    pub state: String,
    /// The account that owns it.
    pub owner_id: String,
    /// Whether the Amazon DNS server (VPC+2) answers.
    pub enable_dns_support: bool,
    /// Whether instances get public DNS names.
    pub enable_dns_hostnames: bool,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// A subnet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subnet {
    /// `subnet-…`.
    pub subnet_id: String,
    /// `arn:aws:ec2:REGION:ACCT:subnet/ID`.
    pub subnet_arn: String,
    /// The VPC it belongs to.
    pub vpc_id: String,
    /// Its IPv4 block, inside the VPC's.
    pub cidr_block: Ipv4Cidr,
    /// Zone name, e.g. `us-east-1a`.
    pub availability_zone: String,
    /// Zone ID, e.g. `use1-az6`, when known.
    pub availability_zone_id: Option<String>,
    /// "Unused private IPv4 addresses": size − 5 reserved − addresses in use.
    pub available_ip_address_count: u64,
    /// True for a default VPC's subnets.
    pub default_for_az: bool,
    /// Whether interfaces launched here get a public IPv4 address.
    pub map_public_ip_on_launch: bool,
    /// `available`.
    pub state: String,
    /// The owning account.
    pub owner_id: String,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// Where a rule, route or ACL entry was declared in a template. Not part of
/// the item's identity: two rules that differ only in origin are the same rule.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Origin(pub Option<Declared>);

impl Origin {
    /// No declaration: created by AWS itself, through the API or by an account file.
    pub fn none() -> Self {
        Origin(None)
    }

    /// True when there is no declaration (what serde leaves out).
    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }

    /// The declaration, if any.
    pub fn declared(&self) -> Option<&Declared> {
        self.0.as_ref()
    }
}

impl From<Declared> for Origin {
    fn from(d: Declared) -> Self {
        Origin(Some(d))
    }
}

// Equal, equally ordered and hashed alike whatever the declaration: moving a
// rule in its template changes neither the rule nor AWS's duplicate check.
impl PartialEq for Origin {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Origin {}

impl PartialOrd for Origin {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Origin {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl std::hash::Hash for Origin {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

/// A declaration's place: stack, resource, template path, line and column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Declared {
    /// The stack whose template declares it.
    pub stack_name: String,
    /// The resource that declares it.
    pub logical_id: String,
    /// Its template path, e.g. `Resources/AppSg/Properties/SecurityGroupEgress/1`.
    pub path: String,
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
}

/// Where a route sends traffic.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RouteTarget {
    /// The implicit route for the VPC's own block.
    Local,
    /// `GatewayId: igw-…`.
    InternetGateway(String),
    /// `NatGatewayId: nat-…`.
    NatGateway(String),
    /// `NetworkInterfaceId: eni-…`.
    NetworkInterface(String),
    /// `InstanceId: i-…`.
    Instance(String),
    /// `VpcPeeringConnectionId: pcx-…`.
    VpcPeeringConnection(String),
    /// `TransitGatewayId: tgw-…`.
    TransitGateway(String),
    /// `GatewayId: vpce-…`: a gateway endpoint's prefix-list route (or a
    /// route a caller sent to an endpoint with `VpcEndpointId`).
    VpcEndpoint(String),
    /// `GatewayId: vgw-…` and anything else with no behaviour here.
    OtherGateway(String),
}

impl RouteTarget {
    /// The target's ID (`local` for the local route), as the API prints it.
    pub fn id(&self) -> &str {
        match self {
            RouteTarget::Local => "local",
            RouteTarget::InternetGateway(id)
            | RouteTarget::NatGateway(id)
            | RouteTarget::NetworkInterface(id)
            | RouteTarget::Instance(id)
            | RouteTarget::VpcPeeringConnection(id)
            | RouteTarget::TransitGateway(id)
            | RouteTarget::VpcEndpoint(id)
            | RouteTarget::OtherGateway(id) => id,
        }
    }
}

/// One route of a route table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Route {
    /// The IPv4 destination (absent for prefix-list or IPv6 routes).
    pub destination_cidr_block: Option<Ipv4Cidr>,
    /// An IPv6 destination, kept as text (no IPv6 behaviour yet).
    #[serde(default)]
    pub destination_ipv6_cidr_block: Option<String>,
    /// A prefix-list destination (`pl-…`).
    #[serde(default)]
    pub destination_prefix_list_id: Option<String>,
    /// Where it sends traffic.
    pub target: RouteTarget,
    /// `CreateRouteTable` (the local route) or `CreateRoute`.
    pub origin: String,
    /// `active` or `blackhole`.
    pub state: String,
    /// Where a template declared it (`origin` is taken by the API's field).
    #[serde(default, skip_serializing_if = "Origin::is_none")]
    pub template_origin: Origin,
}

/// A route table's association with a subnet, or the VPC's main mark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTableAssociation {
    /// `rtbassoc-…`.
    pub route_table_association_id: String,
    /// The subnet, for an explicit association.
    pub subnet_id: Option<String>,
    /// True for the VPC's main route table (then there is no subnet).
    pub main: bool,
}

/// A route table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTable {
    /// `rtb-…`.
    pub route_table_id: String,
    /// The VPC it belongs to.
    pub vpc_id: String,
    /// Its routes (the local route first).
    pub routes: Vec<Route>,
    /// Its associations.
    pub associations: Vec<RouteTableAssociation>,
    /// The owning account.
    pub owner_id: String,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

impl RouteTable {
    /// True when this is its VPC's main route table.
    pub fn is_main(&self) -> bool {
        self.associations.iter().any(|a| a.main)
    }
}

/// An internet gateway's attachment to a VPC.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InternetGatewayAttachment {
    /// The VPC.
    pub vpc_id: String,
    /// `available` once attached (what DescribeInternetGateways prints).
    pub state: String,
}

/// An internet gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InternetGateway {
    /// `igw-…`.
    pub internet_gateway_id: String,
    /// At most one attachment.
    pub attachments: Vec<InternetGatewayAttachment>,
    /// The owning account.
    pub owner_id: String,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

impl InternetGateway {
    /// The VPC it is attached to, if any.
    pub fn vpc_id(&self) -> Option<&str> {
        self.attachments.first().map(|a| a.vpc_id.as_str())
    }
}

/// An Elastic IP address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Address {
    /// `eipalloc-…`.
    pub allocation_id: String,
    /// The public address. Emulated ones come from the documentation ranges
    /// (RFC 5737), never from AWS's real ones.
    pub public_ip: Ipv4Addr,
    /// `vpc`.
    pub domain: String,
    /// `eipassoc-…` while associated.
    pub association_id: Option<String>,
    /// The interface it maps to while associated.
    pub network_interface_id: Option<String>,
    /// The private address it maps to while associated.
    pub private_ip_address: Option<Ipv4Addr>,
    /// The instance, when associated with one.
    pub instance_id: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// A NAT gateway's state (facts: pending, failed, available, deleting, deleted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NatGatewayState {
    /// Being created.
    Pending,
    /// Creation failed; see the failure code and message.
    Failed,
    /// Working.
    Available,
    /// Being deleted.
    Deleting,
    /// Deleted.
    Deleted,
}

/// One address of a NAT gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGatewayAddress {
    /// The Elastic IP (public gateways).
    pub allocation_id: Option<String>,
    /// The gateway's interface.
    pub network_interface_id: Option<String>,
    /// Its private address in the subnet.
    pub private_ip: Option<Ipv4Addr>,
    /// Its public address (public gateways).
    pub public_ip: Option<Ipv4Addr>,
    /// `eipassoc-…`.
    pub association_id: Option<String>,
}

/// A NAT gateway.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGateway {
    /// `nat-…`.
    pub nat_gateway_id: String,
    /// The subnet it lives in.
    pub subnet_id: String,
    /// That subnet's VPC.
    pub vpc_id: String,
    /// Its state.
    pub state: NatGatewayState,
    /// `public` or `private`.
    pub connectivity_type: String,
    /// Its addresses (one, here).
    pub nat_gateway_addresses: Vec<NatGatewayAddress>,
    /// Set when `state` is failed, e.g. `Gateway.NotAttached`.
    pub failure_code: Option<String>,
    /// Set when `state` is failed: AWS's text.
    pub failure_message: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
    /// `DeleteTime`: when a gateway being deleted is (or was) deleted (clock milliseconds).
    #[serde(default)]
    pub delete_time: Option<u64>,
}

/// Who a security group rule admits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Peer {
    /// `CidrIp`.
    Cidr(Ipv4Cidr),
    /// `CidrIpv6`, kept as text (no IPv6 behaviour yet).
    Ipv6Cidr(String),
    /// `SourceSecurityGroupId` / `DestinationSecurityGroupId`.
    SecurityGroup(String),
    /// `SourcePrefixListId` / `DestinationPrefixListId`.
    PrefixList(String),
}

impl std::fmt::Display for Peer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Peer::Cidr(c) => write!(f, "{c}"),
            Peer::Ipv6Cidr(s) | Peer::SecurityGroup(s) | Peer::PrefixList(s) => f.write_str(s),
        }
    }
}

/// One ingress or egress rule of a security group.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroupRule {
    /// `-1` (all), `tcp`, `udp`, `icmp`, `icmpv6` or a protocol number, canonical form.
    pub ip_protocol: String,
    /// First port (ICMP type for ICMP); absent for all protocols.
    pub from_port: Option<i32>,
    /// Last port (ICMP code for ICMP); absent for all protocols.
    pub to_port: Option<i32>,
    /// Who it admits.
    pub peer: Peer,
    /// Free text.
    pub description: Option<String>,
    /// Where a template declared it.
    #[serde(default, skip_serializing_if = "Origin::is_none")]
    pub origin: Origin,
}

impl SecurityGroupRule {
    /// A rule allowing all traffic to or from `cidr`.
    pub fn all_to_cidr(cidr: Ipv4Cidr) -> Self {
        SecurityGroupRule {
            ip_protocol: "-1".into(),
            from_port: None,
            to_port: None,
            peer: Peer::Cidr(cidr),
            description: None,
            origin: Origin::none(),
        }
    }

    /// A TCP rule for one port range and one peer.
    pub fn tcp(from: i32, to: i32, peer: Peer) -> Self {
        SecurityGroupRule {
            ip_protocol: "tcp".into(),
            from_port: Some(from),
            to_port: Some(to),
            peer,
            description: None,
            origin: Origin::none(),
        }
    }

    /// True when both rules admit the same traffic (neither the description nor the origin counts).
    pub fn same_permission(&self, other: &SecurityGroupRule) -> bool {
        let ports = |r: &SecurityGroupRule| if r.ip_protocol == "-1" { (None, None) } else { (r.from_port, r.to_port) };
        self.ip_protocol == other.ip_protocol && ports(self) == ports(other) && self.peer == other.peer
    }
}

/// A security group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroup {
    /// `sg-…`.
    pub group_id: String,
    /// Unique within the VPC; `default` for the VPC's default group.
    pub group_name: String,
    /// `GroupDescription`.
    pub description: String,
    /// The VPC it belongs to.
    pub vpc_id: String,
    /// The owning account.
    pub owner_id: String,
    /// `IpPermissions`.
    pub ingress: Vec<SecurityGroupRule>,
    /// `IpPermissionsEgress`.
    pub egress: Vec<SecurityGroupRule>,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// Allow or deny, for a network ACL entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleAction {
    /// `allow`.
    Allow,
    /// `deny`.
    Deny,
}

/// An inclusive port range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortRange {
    /// First port.
    pub from: u16,
    /// Last port.
    pub to: u16,
}

/// One numbered entry of a network ACL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclEntry {
    /// 1..=32766 for user entries; 32767 is the implicit final deny (`*`).
    pub rule_number: u16,
    /// `-1` or a protocol number as text (the API prints numbers, e.g. `6`).
    pub protocol: String,
    /// Allow or deny.
    pub rule_action: RuleAction,
    /// True for outbound entries.
    pub egress: bool,
    /// IPv4 block it matches.
    pub cidr_block: Option<Ipv4Cidr>,
    /// IPv6 block, kept as text.
    #[serde(default)]
    pub ipv6_cidr_block: Option<String>,
    /// Ports, for TCP and UDP.
    pub port_range: Option<PortRange>,
    /// ICMP type and code, for ICMP (`-1` means all).
    #[serde(default)]
    pub icmp_type_code: Option<(i32, i32)>,
    /// Where a template declared it.
    #[serde(default, skip_serializing_if = "Origin::is_none")]
    pub origin: Origin,
}

/// The rule number of the implicit final deny, printed `*` by the console.
pub const IMPLICIT_DENY_RULE: u16 = 32767;

/// A network ACL's association with a subnet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclAssociation {
    /// `aclassoc-…`.
    pub network_acl_association_id: String,
    /// The subnet.
    pub subnet_id: String,
}

/// A network ACL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAcl {
    /// `acl-…`.
    pub network_acl_id: String,
    /// The VPC it belongs to.
    pub vpc_id: String,
    /// True for the VPC's default ACL.
    pub is_default: bool,
    /// Its entries, both directions, including the 32767 denies.
    pub entries: Vec<NetworkAclEntry>,
    /// The subnets it applies to.
    pub associations: Vec<NetworkAclAssociation>,
    /// The owning account.
    pub owner_id: String,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// A network interface's attachment to an instance (or a service).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkInterfaceAttachment {
    /// `eni-attach-…` (`ela-attach-…` for load balancers' interfaces).
    pub attachment_id: String,
    /// The instance; absent for Fargate tasks.
    pub instance_id: Option<String>,
    /// The owner of the instance (`amazon-aws` for service-managed ones).
    pub instance_owner_id: Option<String>,
    /// 0 for the primary interface; ECS task interfaces use 1.
    pub device_index: u32,
    /// `attaching`, `attached`, `detaching`, `detached`.
    pub status: String,
    /// Whether the interface goes when the instance does.
    pub delete_on_termination: bool,
}

/// A network interface's public address, when it has one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkInterfaceAssociation {
    /// The public address.
    pub public_ip: Ipv4Addr,
    /// Its DNS name.
    pub public_dns_name: String,
    /// `eipalloc-…` when it is an Elastic IP.
    pub allocation_id: Option<String>,
    /// `eipassoc-…` when it is an Elastic IP.
    pub association_id: Option<String>,
    /// `amazon` for auto-assigned addresses, the account for Elastic IPs.
    pub ip_owner_id: String,
}

/// What an ENI belongs to. Recorded when the interface is made, so nothing
/// has to recognise an interface by its description text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "Kind")]
pub enum EniOwner {
    /// Made through the API (`AWS::EC2::NetworkInterface`, an account file), or unknown.
    #[default]
    None,
    /// An awsvpc task's interface.
    Task {
        /// The task.
        task_arn: String,
    },
    /// A load balancer node's interface.
    LoadBalancer {
        /// The load balancer.
        load_balancer_arn: String,
    },
    /// A NAT gateway's interface.
    NatGateway {
        /// The gateway.
        nat_gateway_id: String,
    },
    /// An RDS instance's interface.
    DbInstance {
        /// The instance's identifier.
        db_instance_identifier: String,
    },
    /// An EC2 instance's primary interface.
    Instance {
        /// The instance.
        instance_id: String,
    },
    /// A container instance's trunk interface (awsvpc trunking).
    Trunk {
        /// The instance.
        instance_id: String,
    },
    /// An interface VPC endpoint's interface in one subnet.
    VpcEndpoint {
        /// The endpoint.
        vpc_endpoint_id: String,
    },
}

impl EniOwner {
    /// True for [`EniOwner::None`] (what serde leaves out).
    pub fn is_none(&self) -> bool {
        *self == EniOwner::None
    }
}

/// A network interface (ENI).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkInterface {
    /// `eni-…`.
    pub network_interface_id: String,
    /// Its subnet.
    pub subnet_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Its subnet's zone.
    pub availability_zone: String,
    /// Its primary private address.
    pub private_ip_address: Ipv4Addr,
    /// Its private DNS name.
    pub private_dns_name: String,
    /// Its public address, if any.
    pub association: Option<NetworkInterfaceAssociation>,
    /// Security group IDs.
    pub groups: Vec<String>,
    /// MAC address.
    pub mac_address: String,
    /// `interface`, `natGateway`, `load_balancer`, …
    pub interface_type: String,
    /// Free text; ECS writes the attachment ARN here.
    pub description: String,
    /// `available`, `associated`, `attaching`, `in-use`, `detaching`.
    pub status: String,
    /// True when a service (ECS, ELB, NAT) manages it.
    pub requester_managed: bool,
    /// Which service, for requester-managed interfaces.
    pub requester_id: Option<String>,
    /// Its attachment, if attached.
    pub attachment: Option<NetworkInterfaceAttachment>,
    /// Whether it drops traffic not addressed to it (off for NAT instances).
    pub source_dest_check: bool,
    /// What it belongs to (tasknet's record, not part of the API's shape).
    #[serde(default, skip_serializing_if = "EniOwner::is_none")]
    pub owner: EniOwner,
    /// The owning account.
    pub owner_id: String,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
}

/// An EC2 instance (what tasks and rules need of it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Instance {
    /// `i-…`.
    pub instance_id: String,
    /// e.g. `t3.micro`.
    pub instance_type: String,
    /// AMI, as given.
    pub image_id: Option<String>,
    /// Its primary interface's subnet.
    pub subnet_id: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Its zone.
    pub availability_zone: String,
    /// Primary private address.
    pub private_ip_address: Ipv4Addr,
    /// Public address, if any.
    pub public_ip_address: Option<Ipv4Addr>,
    /// Attached interfaces, primary first.
    pub network_interface_ids: Vec<String>,
    /// Security groups of the primary interface.
    pub security_group_ids: Vec<String>,
    /// `pending`, `running`, `stopped`, `terminated`, …
    pub state: super::InstanceState,
    /// Tags.
    #[serde(default)]
    pub tags: Tags,
    /// Its primary interface's private DNS name.
    #[serde(default)]
    pub private_dns_name: String,
    /// Its public DNS name, when it has a public address.
    #[serde(default)]
    pub public_dns_name: Option<String>,
    /// When it was launched (clock milliseconds).
    #[serde(default)]
    pub launch_time: u64,
    /// When the control plane next moves its state on (clock milliseconds):
    /// pending → running, shutting-down → terminated, and when a terminated
    /// instance stops being listed.
    #[serde(default)]
    pub next_transition_at: Option<u64>,
    /// `UserData` as given (base64 from `Fn::Base64`, or plain text).
    #[serde(default)]
    pub user_data: Option<String>,
    /// True when it runs the ECS container agent (an ECS-optimized AMI, or
    /// ECS_CLUSTER configured in its user data or cfn-init metadata).
    #[serde(default)]
    pub ecs_agent: bool,
    /// ECS_CLUSTER as configured; absent means the agent's default (`default`).
    #[serde(default)]
    pub ecs_cluster: Option<String>,
    /// True when the account had opted in to `awsvpcTrunking` when it launched.
    #[serde(default)]
    pub awsvpc_trunking: bool,
    /// The Auto Scaling group that launched it.
    #[serde(default)]
    pub auto_scaling_group_name: Option<String>,
    /// Its lifecycle state in that group: `Pending`, `InService`, `Terminating`, `Terminated`.
    #[serde(default)]
    pub lifecycle_state: Option<String>,
    /// The launch configuration it was launched from.
    #[serde(default)]
    pub launch_configuration_name: Option<String>,
    /// The launch template (ID, version) it was launched from.
    #[serde(default)]
    pub launch_template: Option<(String, String)>,
    /// `IamInstanceProfile` as given (a name or an ARN): whose role IMDS serves keys for.
    #[serde(default)]
    pub iam_instance_profile: Option<String>,
    /// `MetadataOptions.HttpTokens` (`optional` or `required`). Absent means
    /// `optional`: AWS's default unless the AMI declares `ImdsSupport: v2.0`
    /// (AWS doc "LaunchTemplateInstanceMetadataOptionsRequest"), which tasknet
    /// does not know of AMIs.
    #[serde(default)]
    pub http_tokens: Option<String>,
}
