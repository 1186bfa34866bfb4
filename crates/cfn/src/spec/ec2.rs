//! EC2 networking: VPCs, subnets, routing, gateways, security groups, ACLs, ENIs.
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

const SUBNET_PRIVATE_DNS_NAME_OPTIONS_ON_LAUNCH_STRUCT: T = T::Struct(&[
    opt("EnableResourceNameDnsAAAARecord", B),
    opt("EnableResourceNameDnsARecord", B),
    opt("HostnameType", S),
]);

const AVAILABILITY_ZONE_ADDRESS: T =
    T::Struct(&[req("AllocationIds", T::List(&S)), opt("AvailabilityZone", S), opt("AvailabilityZoneId", S)]);

const EGRESS: T = T::Struct(&[
    opt("CidrIp", S),
    opt("CidrIpv6", S),
    opt("Description", S),
    opt("DestinationPrefixListId", S),
    opt("DestinationSecurityGroupId", S),
    opt("FromPort", I),
    req("IpProtocol", S),
    opt("ToPort", I),
]);

const INGRESS: T = T::Struct(&[
    opt("CidrIp", S),
    opt("CidrIpv6", S),
    opt("Description", S),
    opt("FromPort", I),
    req("IpProtocol", S),
    opt("SourcePrefixListId", S),
    opt("SourceSecurityGroupId", S),
    opt("SourceSecurityGroupName", S),
    opt("SourceSecurityGroupOwnerId", S),
    opt("ToPort", I),
]);

const ICMP: T = T::Struct(&[opt("Code", I), opt("Type", I)]);

const PORT_RANGE: T = T::Struct(&[opt("From", I), opt("To", I)]);

const CONNECTION_TRACKING_SPECIFICATION: T =
    T::Struct(&[opt("TcpEstablishedTimeout", I), opt("UdpStreamTimeout", I), opt("UdpTimeout", I)]);

const IPV4_PREFIX_SPECIFICATION: T = T::Struct(&[req("Ipv4Prefix", S)]);

const INSTANCE_IPV6_ADDRESS: T = T::Struct(&[req("Ipv6Address", S)]);

const IPV6_PREFIX_SPECIFICATION: T = T::Struct(&[req("Ipv6Prefix", S)]);

const PRIVATE_IP_ADDRESS_SPECIFICATION: T = T::Struct(&[req("Primary", B), req("PrivateIpAddress", S)]);

const DNS_OPTIONS_SPECIFICATION: T = T::Struct(&[
    opt("DnsRecordIpType", S),
    opt("PrivateDnsOnlyForInboundResolverEndpoint", S),
    opt("PrivateDnsPreference", S),
    opt("PrivateDnsSpecifiedDomains", T::List(&S)),
]);

// AWS doc: "AWS::EC2::VPC"
pub(super) static VPC_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::VPC",
    properties: &[
        opt("CidrBlock", S),
        opt("EnableDnsHostnames", B),
        opt("EnableDnsSupport", B),
        opt("InstanceTenancy", S),
        opt("Ipv4IpamPoolId", S),
        opt("Ipv4NetmaskLength", I),
        opt("Tags", T::List(&TAG)),
    ],
    attributes: &[
        "CidrBlock",
        "CidrBlockAssociations",
        "DefaultNetworkAcl",
        "DefaultSecurityGroup",
        "EnableDnsHostnames",
        "EnableDnsSupport",
        "InstanceTenancy",
        "Ipv4IpamPoolId",
        "Ipv4NetmaskLength",
        "Ipv6CidrBlocks",
        "Tags",
        "VpcId",
    ],
    ref_returns: "the VPC ID, e.g. `vpc-0123456789abcdef0`",
};

// AWS doc: "AWS::EC2::Subnet"
pub(super) static SUBNET_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::Subnet",
    properties: &[
        opt("AssignIpv6AddressOnCreation", B),
        opt("AvailabilityZone", S),
        opt("AvailabilityZoneId", S),
        opt("CidrBlock", S),
        opt("EnableDns64", B),
        opt("EnableLniAtDeviceIndex", I),
        opt("Ipv4IpamPoolId", S),
        opt("Ipv4NetmaskLength", I),
        opt("Ipv6CidrBlock", S),
        opt("Ipv6IpamPoolId", S),
        opt("Ipv6Native", B),
        opt("Ipv6NetmaskLength", I),
        opt("MapPublicIpOnLaunch", B),
        opt("OutpostArn", S),
        opt("PrivateDnsNameOptionsOnLaunch", SUBNET_PRIVATE_DNS_NAME_OPTIONS_ON_LAUNCH_STRUCT),
        opt("Tags", T::List(&TAG)),
        req("VpcId", S),
    ],
    attributes: &[
        "AssignIpv6AddressOnCreation",
        "AvailabilityZone",
        "AvailabilityZoneId",
        "BlockPublicAccessStates.InternetGatewayBlockMode",
        "CidrBlock",
        "EnableDns64",
        "EnableLniAtDeviceIndex",
        "Ipv4IpamPoolId",
        "Ipv4NetmaskLength",
        "Ipv6CidrBlock",
        "Ipv6CidrBlocks",
        "Ipv6IpamPoolId",
        "Ipv6Native",
        "Ipv6NetmaskLength",
        "MapPublicIpOnLaunch",
        "NetworkAclAssociationId",
        "OutpostArn",
        "PrivateDnsNameOptionsOnLaunch.EnableResourceNameDnsAAAARecord",
        "PrivateDnsNameOptionsOnLaunch.EnableResourceNameDnsARecord",
        "PrivateDnsNameOptionsOnLaunch.HostnameType",
        "SubnetId",
        "Tags",
        "VpcId",
    ],
    ref_returns: "the subnet ID, e.g. `subnet-0123456789abcdef0`",
};

// AWS doc: "AWS::EC2::RouteTable"
pub(super) static ROUTE_TABLE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::RouteTable",
    properties: &[opt("Tags", T::List(&TAG)), req("VpcId", S)],
    attributes: &["RouteTableId"],
    ref_returns: "the route table ID, e.g. `rtb-0123456789abcdef0`",
};

// AWS doc: "AWS::EC2::Route"
pub(super) static ROUTE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::Route",
    properties: &[
        opt("CarrierGatewayId", S),
        opt("CoreNetworkArn", S),
        opt("DestinationCidrBlock", S),
        opt("DestinationIpv6CidrBlock", S),
        opt("DestinationPrefixListId", S),
        opt("EgressOnlyInternetGatewayId", S),
        opt("GatewayId", S),
        opt("InstanceId", S),
        opt("LocalGatewayId", S),
        opt("NatGatewayId", S),
        opt("NetworkInterfaceId", S),
        req("RouteTableId", S),
        opt("TransitGatewayId", S),
        opt("VpcEndpointId", S),
        opt("VpcPeeringConnectionId", S),
    ],
    attributes: &["CidrBlock"],
    ref_returns: "the route's physical ID (route table ID and destination)",
};

// AWS doc: "AWS::EC2::SubnetRouteTableAssociation"
pub(super) static SUBNET_ROUTE_TABLE_ASSOCIATION_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::SubnetRouteTableAssociation",
    properties: &[req("RouteTableId", S), req("SubnetId", S)],
    attributes: &["Id"],
    ref_returns: "the association ID, e.g. `rtbassoc-0123456789abcdef0`",
};

// AWS doc: "AWS::EC2::InternetGateway"
pub(super) static INTERNET_GATEWAY_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::InternetGateway",
    properties: &[opt("Tags", T::List(&TAG))],
    attributes: &["InternetGatewayId"],
    ref_returns: "the internet gateway ID, e.g. `igw-0123456789abcdef0`",
};

// AWS doc: "AWS::EC2::VPCGatewayAttachment"
pub(super) static VPC_GATEWAY_ATTACHMENT_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::VPCGatewayAttachment",
    properties: &[opt("InternetGatewayId", S), req("VpcId", S), opt("VpnGatewayId", S)],
    attributes: &["AttachmentType"],
    ref_returns: "the attachment's physical ID",
};

// AWS doc: "AWS::EC2::NatGateway"
pub(super) static NAT_GATEWAY_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::NatGateway",
    properties: &[
        opt("AllocationId", S),
        opt("AvailabilityMode", S),
        opt("AvailabilityZoneAddresses", T::List(&AVAILABILITY_ZONE_ADDRESS)),
        opt("ConnectivityType", S),
        opt("MaxDrainDurationSeconds", I),
        opt("PrivateIpAddress", S),
        opt("SecondaryAllocationIds", T::List(&S)),
        opt("SecondaryPrivateIpAddressCount", I),
        opt("SecondaryPrivateIpAddresses", T::List(&S)),
        opt("SubnetId", S),
        opt("Tags", T::List(&TAG)),
        opt("VpcId", S),
    ],
    attributes: &["AutoProvisionZones", "AutoScalingIps", "EniId", "NatGatewayId", "RouteTableId"],
    ref_returns: "the NAT gateway ID, e.g. `nat-0123456789abcdef0`",
};

// AWS doc: "AWS::EC2::EIP"
pub(super) static EIP_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::EIP",
    properties: &[
        opt("Address", S),
        opt("Domain", S),
        opt("InstanceId", S),
        opt("IpamPoolId", S),
        opt("NetworkBorderGroup", S),
        opt("PublicIpv4Pool", S),
        opt("Tags", T::List(&TAG)),
        opt("TransferAddress", S),
    ],
    attributes: &["AllocationId", "PublicIp"],
    ref_returns: "the Elastic IP address itself, e.g. `3.80.3.41`",
};

// AWS doc: "AWS::EC2::SecurityGroup"
pub(super) static SECURITY_GROUP_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::SecurityGroup",
    properties: &[
        req("GroupDescription", S),
        opt("GroupName", S),
        opt("SecurityGroupEgress", T::List(&EGRESS)),
        opt("SecurityGroupIngress", T::List(&INGRESS)),
        opt("Tags", T::List(&TAG)),
        opt("VpcId", S),
    ],
    attributes: &[
        "GroupDescription",
        "GroupId",
        "GroupName",
        "Id",
        "SecurityGroupEgress",
        "SecurityGroupIngress",
        "Tags",
        "VpcId",
    ],
    ref_returns: "the security group ID, e.g. `sg-0123456789abcdef0` (the name for a default-VPC group without VpcId)",
};

// AWS doc: "AWS::EC2::SecurityGroupIngress"
pub(super) static SECURITY_GROUP_INGRESS_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::SecurityGroupIngress",
    properties: &[
        opt("CidrIp", S),
        opt("CidrIpv6", S),
        opt("Description", S),
        opt("FromPort", I),
        opt("GroupId", S),
        opt("GroupName", S),
        req("IpProtocol", S),
        opt("SourcePrefixListId", S),
        opt("SourceSecurityGroupId", S),
        opt("SourceSecurityGroupName", S),
        opt("SourceSecurityGroupOwnerId", S),
        opt("ToPort", I),
    ],
    attributes: &["Id"],
    ref_returns: "the rule's ID, e.g. `sgr-0123456789abcdef0`",
};

// AWS doc: "AWS::EC2::SecurityGroupEgress"
pub(super) static SECURITY_GROUP_EGRESS_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::SecurityGroupEgress",
    properties: &[
        opt("CidrIp", S),
        opt("CidrIpv6", S),
        opt("Description", S),
        opt("DestinationPrefixListId", S),
        opt("DestinationSecurityGroupId", S),
        opt("FromPort", I),
        req("GroupId", S),
        req("IpProtocol", S),
        opt("ToPort", I),
    ],
    attributes: &["Id"],
    ref_returns: "the rule's ID, e.g. `sgr-0123456789abcdef0`",
};

// AWS doc: "AWS::EC2::NetworkAcl"
pub(super) static NETWORK_ACL_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::NetworkAcl",
    properties: &[opt("Tags", T::List(&TAG)), req("VpcId", S)],
    attributes: &["Id"],
    ref_returns: "the network ACL ID, e.g. `acl-0123456789abcdef0`",
};

// AWS doc: "AWS::EC2::NetworkAclEntry"
pub(super) static NETWORK_ACL_ENTRY_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::NetworkAclEntry",
    properties: &[
        opt("CidrBlock", S),
        opt("Egress", B),
        opt("Icmp", ICMP),
        opt("Ipv6CidrBlock", S),
        req("NetworkAclId", S),
        opt("PortRange", PORT_RANGE),
        req("Protocol", I),
        req("RuleAction", S),
        req("RuleNumber", I),
    ],
    attributes: &["Id"],
    ref_returns: "the entry's physical ID",
};

// AWS doc: "AWS::EC2::SubnetNetworkAclAssociation"
pub(super) static SUBNET_NETWORK_ACL_ASSOCIATION_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::SubnetNetworkAclAssociation",
    properties: &[req("NetworkAclId", S), req("SubnetId", S)],
    attributes: &["AssociationId"],
    ref_returns: "the association ID, e.g. `aclassoc-0123456789abcdef0`",
};

// AWS doc: "AWS::EC2::NetworkInterface"
pub(super) static NETWORK_INTERFACE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::NetworkInterface",
    properties: &[
        opt("ConnectionTrackingSpecification", CONNECTION_TRACKING_SPECIFICATION),
        opt("Description", S),
        opt("EnablePrimaryIpv6", B),
        opt("GroupSet", T::List(&S)),
        opt("InterfaceType", S),
        opt("Ipv4PrefixCount", I),
        opt("Ipv4Prefixes", T::List(&IPV4_PREFIX_SPECIFICATION)),
        opt("Ipv6AddressCount", I),
        opt("Ipv6Addresses", T::List(&INSTANCE_IPV6_ADDRESS)),
        opt("Ipv6PrefixCount", I),
        opt("Ipv6Prefixes", T::List(&IPV6_PREFIX_SPECIFICATION)),
        opt("PrivateIpAddress", S),
        opt("PrivateIpAddresses", T::List(&PRIVATE_IP_ADDRESS_SPECIFICATION)),
        opt("PublicIpDnsHostnameTypeSpecification", S),
        opt("SecondaryPrivateIpAddressCount", I),
        opt("SourceDestCheck", B),
        req("SubnetId", S),
        opt("Tags", T::List(&TAG)),
    ],
    attributes: &[
        "Id",
        "PrimaryIpv6Address",
        "PrimaryPrivateIpAddress",
        "PublicIpDnsNameOptions",
        "SecondaryPrivateIpAddresses",
        "VpcId",
    ],
    ref_returns: "the network interface ID, e.g. `eni-0123456789abcdef0`",
};

// AWS doc: "AWS::EC2::VPCEndpoint"
pub(super) static VPC_ENDPOINT_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::VPCEndpoint",
    properties: &[
        opt("DnsOptions", DNS_OPTIONS_SPECIFICATION),
        opt("IpAddressType", S),
        opt("PolicyDocument", T::OneOf(&[S, J])),
        opt("PrivateDnsEnabled", B),
        opt("ResourceConfigurationArn", S),
        opt("RouteTableIds", T::List(&S)),
        opt("SecurityGroupIds", T::List(&S)),
        opt("ServiceName", S),
        opt("ServiceNetworkArn", S),
        opt("ServiceRegion", S),
        opt("SubnetIds", T::List(&S)),
        opt("Tags", T::List(&TAG)),
        opt("VpcEndpointType", S),
        req("VpcId", S),
    ],
    attributes: &["CreationTimestamp", "DnsEntries", "Id", "NetworkInterfaceIds"],
    ref_returns: "the VPC endpoint ID, e.g. `vpce-0123456789abcdef0`",
};
