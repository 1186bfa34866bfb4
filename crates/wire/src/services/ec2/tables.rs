//! Each Describe call's filters, as the EC2 API reference lists them under
//! the operation's `Filter.N` parameter, and the member path of the
//! document each one reads. A filter for something tasknet does not model
//! (IPv6, Outposts, block devices) reads a member its documents never
//! carry, written "" here: the name is accepted, as EC2 accepts it, and
//! matches nothing, as nothing here has that attribute. `tag:<key>`,
//! `tag-key` and `tag-value` are the filter engine's, for every call.

/// A filter table: (filter name, member path).
pub type Table = &'static [(&'static str, &'static str)];

/// No member in tasknet's documents.
const NONE: &str = "";

// EC2 API reference, "DescribeVpcs": Filter.N.
pub const VPC: Table = &[
    ("cidr", "CidrBlock"),
    ("cidr-block-association.cidr-block", "CidrBlockAssociationSet[].CidrBlock"),
    ("cidr-block-association.association-id", "CidrBlockAssociationSet[].AssociationId"),
    ("cidr-block-association.state", "CidrBlockAssociationSet[].CidrBlockState.State"),
    ("dhcp-options-id", "DhcpOptionsId"),
    ("ipv6-cidr-block-association.ipv6-cidr-block", NONE),
    ("ipv6-cidr-block-association.ipv6-pool", NONE),
    ("ipv6-cidr-block-association.association-id", NONE),
    ("ipv6-cidr-block-association.state", NONE),
    ("is-default", "IsDefault"),
    ("owner-id", "OwnerId"),
    ("state", "State"),
    ("vpc-id", "VpcId"),
];

// EC2 API reference, "DescribeSubnets": Filter.N.
pub const SUBNET: Table = &[
    ("availability-zone", "AvailabilityZone"),
    ("availability-zone-id", "AvailabilityZoneId"),
    ("available-ip-address-count", "AvailableIpAddressCount"),
    ("cidr-block", "CidrBlock"),
    ("customer-owned-ipv4-pool", NONE),
    ("default-for-az", "DefaultForAz"),
    ("enable-dns64", "EnableDns64"),
    ("enable-lni-at-device-index", NONE),
    ("ipv6-cidr-block-association.ipv6-cidr-block", NONE),
    ("ipv6-cidr-block-association.association-id", NONE),
    ("ipv6-cidr-block-association.state", NONE),
    ("ipv6-native", "Ipv6Native"),
    ("map-customer-owned-ip-on-launch", "MapCustomerOwnedIpOnLaunch"),
    ("map-public-ip-on-launch", "MapPublicIpOnLaunch"),
    ("outpost-arn", NONE),
    ("owner-id", "OwnerId"),
    ("private-dns-name-options-on-launch.hostname-type", NONE),
    ("private-dns-name-options-on-launch.enable-resource-name-dns-a-record", NONE),
    ("private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record", NONE),
    ("state", "State"),
    ("subnet-arn", "SubnetArn"),
    ("subnet-id", "SubnetId"),
    ("vpc-id", "VpcId"),
];

// EC2 API reference, "DescribeRouteTables": Filter.N.
pub const ROUTE_TABLE: Table = &[
    ("association.gateway-id", "Associations[].GatewayId"),
    ("association.route-table-association-id", "Associations[].RouteTableAssociationId"),
    ("association.route-table-id", "Associations[].RouteTableId"),
    ("association.subnet-id", "Associations[].SubnetId"),
    ("association.main", "Associations[].Main"),
    ("owner-id", "OwnerId"),
    ("route-table-id", "RouteTableId"),
    ("route.destination-cidr-block", "Routes[].DestinationCidrBlock"),
    ("route.destination-ipv6-cidr-block", "Routes[].DestinationIpv6CidrBlock"),
    ("route.destination-prefix-list-id", "Routes[].DestinationPrefixListId"),
    ("route.egress-only-internet-gateway-id", NONE),
    ("route.gateway-id", "Routes[].GatewayId"),
    ("route.instance-id", "Routes[].InstanceId"),
    ("route.nat-gateway-id", "Routes[].NatGatewayId"),
    ("route.transit-gateway-id", "Routes[].TransitGatewayId"),
    ("route.origin", "Routes[].Origin"),
    ("route.state", "Routes[].State"),
    ("route.vpc-peering-connection-id", "Routes[].VpcPeeringConnectionId"),
    ("vpc-id", "VpcId"),
];

// EC2 API reference, "DescribeInternetGateways": Filter.N.
pub const INTERNET_GATEWAY: Table = &[
    ("attachment.state", "Attachments[].State"),
    ("attachment.vpc-id", "Attachments[].VpcId"),
    ("internet-gateway-id", "InternetGatewayId"),
    ("owner-id", "OwnerId"),
];

// EC2 API reference, "DescribeNatGateways": Filter.N.
pub const NAT_GATEWAY: Table =
    &[("nat-gateway-id", "NatGatewayId"), ("state", "State"), ("subnet-id", "SubnetId"), ("vpc-id", "VpcId")];

// EC2 API reference, "DescribeAddresses": Filter.N.
pub const ADDRESS: Table = &[
    ("allocation-id", "AllocationId"),
    ("association-id", "AssociationId"),
    ("instance-id", "InstanceId"),
    ("network-border-group", "NetworkBorderGroup"),
    ("network-interface-id", "NetworkInterfaceId"),
    ("network-interface-owner-id", "NetworkInterfaceOwnerId"),
    ("private-ip-address", "PrivateIpAddress"),
    ("public-ip", "PublicIp"),
    // Not in the list, but the one filter every other call has and AWS accepts here (inferred).
    ("domain", "Domain"),
];

// EC2 API reference, "DescribeSecurityGroups": Filter.N.
pub const SECURITY_GROUP: Table = &[
    ("description", "Description"),
    ("egress.ip-permission.cidr", "IpPermissionsEgress[].IpRanges[].CidrIp"),
    ("egress.ip-permission.from-port", "IpPermissionsEgress[].FromPort"),
    ("egress.ip-permission.group-id", "IpPermissionsEgress[].UserIdGroupPairs[].GroupId"),
    ("egress.ip-permission.group-name", "IpPermissionsEgress[].UserIdGroupPairs[].GroupName"),
    ("egress.ip-permission.ipv6-cidr", "IpPermissionsEgress[].Ipv6Ranges[].CidrIpv6"),
    ("egress.ip-permission.prefix-list-id", "IpPermissionsEgress[].PrefixListIds[].PrefixListId"),
    ("egress.ip-permission.protocol", "IpPermissionsEgress[].IpProtocol"),
    ("egress.ip-permission.to-port", "IpPermissionsEgress[].ToPort"),
    ("egress.ip-permission.user-id", "IpPermissionsEgress[].UserIdGroupPairs[].UserId"),
    ("group-id", "GroupId"),
    ("group-name", "GroupName"),
    ("ip-permission.cidr", "IpPermissions[].IpRanges[].CidrIp"),
    ("ip-permission.from-port", "IpPermissions[].FromPort"),
    ("ip-permission.group-id", "IpPermissions[].UserIdGroupPairs[].GroupId"),
    ("ip-permission.group-name", "IpPermissions[].UserIdGroupPairs[].GroupName"),
    ("ip-permission.ipv6-cidr", "IpPermissions[].Ipv6Ranges[].CidrIpv6"),
    ("ip-permission.prefix-list-id", "IpPermissions[].PrefixListIds[].PrefixListId"),
    ("ip-permission.protocol", "IpPermissions[].IpProtocol"),
    ("ip-permission.to-port", "IpPermissions[].ToPort"),
    ("ip-permission.user-id", "IpPermissions[].UserIdGroupPairs[].UserId"),
    ("owner-id", "OwnerId"),
    ("vpc-id", "VpcId"),
];

// EC2 API reference, "DescribeSecurityGroupRules": Filter.N.
pub const SECURITY_GROUP_RULE: Table = &[("group-id", "GroupId"), ("security-group-rule-id", "SecurityGroupRuleId")];

// EC2 API reference, "DescribeNetworkAcls": Filter.N.
pub const NETWORK_ACL: Table = &[
    ("association.association-id", "Associations[].NetworkAclAssociationId"),
    ("association.network-acl-id", "Associations[].NetworkAclId"),
    ("association.subnet-id", "Associations[].SubnetId"),
    ("default", "IsDefault"),
    ("entry.cidr", "Entries[].CidrBlock"),
    ("entry.icmp.code", "Entries[].IcmpTypeCode.Code"),
    ("entry.icmp.type", "Entries[].IcmpTypeCode.Type"),
    ("entry.ipv6-cidr", "Entries[].Ipv6CidrBlock"),
    ("entry.port-range.from", "Entries[].PortRange.From"),
    ("entry.port-range.to", "Entries[].PortRange.To"),
    ("entry.protocol", "Entries[].Protocol"),
    ("entry.rule-action", "Entries[].RuleAction"),
    ("entry.egress", "Entries[].Egress"),
    ("entry.rule-number", "Entries[].RuleNumber"),
    ("network-acl-id", "NetworkAclId"),
    ("owner-id", "OwnerId"),
    ("vpc-id", "VpcId"),
];

// EC2 API reference, "DescribeNetworkInterfaces": Filter.N.
pub const NETWORK_INTERFACE: Table = &[
    ("association.allocation-id", "Association.AllocationId"),
    ("association.association-id", "Association.AssociationId"),
    ("addresses.association.owner-id", "PrivateIpAddresses[].Association.IpOwnerId"),
    ("addresses.association.public-ip", "PrivateIpAddresses[].Association.PublicIp"),
    ("addresses.primary", "PrivateIpAddresses[].Primary"),
    ("addresses.private-ip-address", "PrivateIpAddresses[].PrivateIpAddress"),
    ("association.ip-owner-id", "Association.IpOwnerId"),
    ("association.public-ip", "Association.PublicIp"),
    ("association.public-dns-name", "Association.PublicDnsName"),
    ("attachment.attach-time", "Attachment.AttachTime"),
    ("attachment.attachment-id", "Attachment.AttachmentId"),
    ("attachment.delete-on-termination", "Attachment.DeleteOnTermination"),
    ("attachment.device-index", "Attachment.DeviceIndex"),
    ("attachment.instance-id", "Attachment.InstanceId"),
    ("attachment.instance-owner-id", "Attachment.InstanceOwnerId"),
    ("attachment.status", "Attachment.Status"),
    ("availability-zone", "AvailabilityZone"),
    ("availability-zone-id", "AvailabilityZoneId"),
    ("description", "Description"),
    ("group-id", "Groups[].GroupId"),
    // Not in the current list: kept from earlier versions of the reference (inferred), clients still send it.
    ("group-name", "Groups[].GroupName"),
    ("ipv6-addresses.ipv6-address", "Ipv6Addresses[].Ipv6Address"),
    ("interface-type", "InterfaceType"),
    ("mac-address", "MacAddress"),
    ("network-interface-id", "NetworkInterfaceId"),
    ("operator.managed", NONE),
    ("operator.principal", NONE),
    ("owner-id", "OwnerId"),
    ("private-dns-name", "PrivateDnsName"),
    ("private-ip-address", "PrivateIpAddress"),
    ("requester-id", "RequesterId"),
    ("requester-managed", "RequesterManaged"),
    ("source-dest-check", "SourceDestCheck"),
    ("status", "Status"),
    ("subnet-id", "SubnetId"),
    ("vpc-id", "VpcId"),
];

// EC2 API reference, "DescribeAvailabilityZones": Filter.N.
pub const AVAILABILITY_ZONE: Table = &[
    ("group-long-name", "GroupLongName"),
    ("group-name", "GroupName"),
    ("message", "Messages[].Message"),
    ("opt-in-status", "OptInStatus"),
    ("parent-zone-id", "ParentZoneId"),
    ("parent-zone-name", "ParentZoneName"),
    ("region-name", "RegionName"),
    ("state", "State"),
    ("zone-id", "ZoneId"),
    ("zone-name", "ZoneName"),
    ("zone-type", "ZoneType"),
];

// EC2 API reference, "DescribeTags": Filter.N.
pub const TAG: Table =
    &[("key", "Key"), ("resource-id", "ResourceId"), ("resource-type", "ResourceType"), ("value", "Value")];

// EC2 API reference, "DescribeInstances": Filter.N. `owner-id` reads the
// reservation's owner, which the handler copies onto each instance it filters.
pub const INSTANCE: Table = &[
    ("affinity", NONE),
    ("architecture", NONE),
    ("availability-zone", "Placement.AvailabilityZone"),
    ("availability-zone-id", NONE),
    ("block-device-mapping.attach-time", NONE),
    ("block-device-mapping.delete-on-termination", NONE),
    ("block-device-mapping.device-name", NONE),
    ("block-device-mapping.status", NONE),
    ("block-device-mapping.volume-id", NONE),
    ("boot-mode", NONE),
    ("capacity-reservation-id", NONE),
    ("capacity-reservation-specification.capacity-reservation-preference", NONE),
    ("capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id", NONE),
    ("capacity-reservation-specification.capacity-reservation-target.capacity-reservation-resource-group-arn", NONE),
    ("client-token", NONE),
    ("current-instance-boot-mode", NONE),
    ("dns-name", "PublicDnsName"),
    ("ebs-optimized", NONE),
    ("ena-support", NONE),
    ("enclave-options.enabled", NONE),
    ("hibernation-options.configured", NONE),
    ("host-id", NONE),
    ("hypervisor", NONE),
    ("iam-instance-profile.arn", NONE),
    ("iam-instance-profile.id", NONE),
    ("image-id", "ImageId"),
    ("instance-id", "InstanceId"),
    ("instance-lifecycle", NONE),
    ("instance-state-code", "State.Code"),
    ("instance-state-name", "State.Name"),
    ("instance-type", "InstanceType"),
    ("instance.group-id", "SecurityGroups[].GroupId"),
    ("instance.group-name", "SecurityGroups[].GroupName"),
    ("ip-address", "PublicIpAddress"),
    ("ipv6-address", NONE),
    ("kernel-id", NONE),
    ("key-name", NONE),
    ("launch-index", "AmiLaunchIndex"),
    ("launch-time", "LaunchTime"),
    ("maintenance-options.auto-recovery", NONE),
    ("metadata-options.http-endpoint", NONE),
    ("metadata-options.http-protocol-ipv4", NONE),
    ("metadata-options.http-protocol-ipv6", NONE),
    ("metadata-options.http-put-response-hop-limit", NONE),
    ("metadata-options.http-tokens", NONE),
    ("metadata-options.instance-metadata-tags", NONE),
    ("metadata-options.state", NONE),
    ("monitoring-state", NONE),
    ("network-interface.addresses.association.allocation-id", NONE),
    ("network-interface.addresses.association.association-id", NONE),
    ("network-interface.addresses.association.carrier-ip", NONE),
    ("network-interface.addresses.association.customer-owned-ip", NONE),
    (
        "network-interface.addresses.association.ip-owner-id",
        "NetworkInterfaces[].PrivateIpAddresses[].Association.IpOwnerId",
    ),
    (
        "network-interface.addresses.association.public-dns-name",
        "NetworkInterfaces[].PrivateIpAddresses[].Association.PublicDnsName",
    ),
    (
        "network-interface.addresses.association.public-ip",
        "NetworkInterfaces[].PrivateIpAddresses[].Association.PublicIp",
    ),
    ("network-interface.addresses.primary", "NetworkInterfaces[].PrivateIpAddresses[].Primary"),
    ("network-interface.addresses.private-dns-name", "NetworkInterfaces[].PrivateIpAddresses[].PrivateDnsName"),
    ("network-interface.addresses.private-ip-address", "NetworkInterfaces[].PrivateIpAddresses[].PrivateIpAddress"),
    ("network-interface.association.allocation-id", NONE),
    ("network-interface.association.association-id", NONE),
    ("network-interface.association.carrier-ip", NONE),
    ("network-interface.association.customer-owned-ip", NONE),
    ("network-interface.association.ip-owner-id", "NetworkInterfaces[].Association.IpOwnerId"),
    ("network-interface.association.public-dns-name", "NetworkInterfaces[].Association.PublicDnsName"),
    ("network-interface.association.public-ip", "NetworkInterfaces[].Association.PublicIp"),
    ("network-interface.attachment.attach-time", NONE),
    ("network-interface.attachment.attachment-id", "NetworkInterfaces[].Attachment.AttachmentId"),
    ("network-interface.attachment.delete-on-termination", "NetworkInterfaces[].Attachment.DeleteOnTermination"),
    ("network-interface.attachment.device-index", "NetworkInterfaces[].Attachment.DeviceIndex"),
    ("network-interface.attachment.instance-id", NONE),
    ("network-interface.attachment.instance-owner-id", NONE),
    ("network-interface.attachment.network-card-index", "NetworkInterfaces[].Attachment.NetworkCardIndex"),
    ("network-interface.attachment.status", "NetworkInterfaces[].Attachment.Status"),
    ("network-interface.availability-zone", NONE),
    ("network-interface.deny-all-igw-traffic", NONE),
    ("network-interface.description", "NetworkInterfaces[].Description"),
    ("network-interface.group-id", "NetworkInterfaces[].Groups[].GroupId"),
    ("network-interface.group-name", "NetworkInterfaces[].Groups[].GroupName"),
    ("network-interface.ipv4-prefixes.ipv4-prefix", NONE),
    ("network-interface.ipv6-address", NONE),
    ("network-interface.ipv6-addresses.ipv6-address", NONE),
    ("network-interface.ipv6-addresses.is-primary-ipv6", NONE),
    ("network-interface.ipv6-native", NONE),
    ("network-interface.ipv6-prefixes.ipv6-prefix", NONE),
    ("network-interface.mac-address", "NetworkInterfaces[].MacAddress"),
    ("network-interface.network-interface-id", "NetworkInterfaces[].NetworkInterfaceId"),
    ("network-interface.operator.managed", NONE),
    ("network-interface.operator.principal", NONE),
    ("network-interface.outpost-arn", NONE),
    ("network-interface.owner-id", "NetworkInterfaces[].OwnerId"),
    ("network-interface.private-dns-name", "NetworkInterfaces[].PrivateDnsName"),
    ("network-interface.private-ip-address", "NetworkInterfaces[].PrivateIpAddress"),
    ("network-interface.public-dns-name", NONE),
    ("network-interface.requester-id", NONE),
    ("network-interface.requester-managed", NONE),
    ("network-interface.status", "NetworkInterfaces[].Status"),
    ("network-interface.source-dest-check", "NetworkInterfaces[].SourceDestCheck"),
    ("network-interface.subnet-id", "NetworkInterfaces[].SubnetId"),
    ("network-interface.tag-key", NONE),
    ("network-interface.tag-value", NONE),
    ("network-interface.vpc-id", "NetworkInterfaces[].VpcId"),
    ("network-performance-options.bandwidth-weighting", NONE),
    ("operator.managed", NONE),
    ("operator.principal", NONE),
    ("outpost-arn", NONE),
    ("owner-id", "OwnerId"),
    ("placement-group-name", "Placement.GroupName"),
    ("placement-partition-number", NONE),
    ("platform", NONE),
    ("platform-details", NONE),
    ("private-dns-name", "PrivateDnsName"),
    ("private-dns-name-options.enable-resource-name-dns-a-record", NONE),
    ("private-dns-name-options.enable-resource-name-dns-aaaa-record", NONE),
    ("private-dns-name-options.hostname-type", NONE),
    ("private-ip-address", "PrivateIpAddress"),
    ("product-code", NONE),
    ("product-code.type", NONE),
    ("ramdisk-id", NONE),
    ("reason", NONE),
    ("requester-id", NONE),
    ("reservation-id", NONE),
    ("root-device-name", NONE),
    ("root-device-type", NONE),
    ("source-dest-check", "SourceDestCheck"),
    ("spot-instance-request-id", NONE),
    ("state-reason-code", NONE),
    ("state-reason-message", NONE),
    ("subnet-id", "SubnetId"),
    ("tenancy", "Placement.Tenancy"),
    ("tpm-support", NONE),
    ("usage-operation", NONE),
    ("usage-operation-update-time", NONE),
    ("virtualization-type", NONE),
    ("vpc-id", "VpcId"),
];

// EC2 API reference, "DescribeVpcEndpoints": Filter.N.
pub const VPC_ENDPOINT: Table = &[
    ("ip-address-type", "IpAddressType"),
    ("service-name", "ServiceName"),
    ("service-region", NONE),
    ("vpc-id", "VpcId"),
    ("vpc-endpoint-id", "VpcEndpointId"),
    ("vpc-endpoint-state", "State"),
    ("vpc-endpoint-type", "VpcEndpointType"),
];

// EC2 API reference, "DescribePrefixLists": Filter.N.
pub const PREFIX_LIST: Table = &[("prefix-list-id", "PrefixListId"), ("prefix-list-name", "PrefixListName")];

// EC2 API reference, "DescribeVpcEndpointServices": Filter.N.
pub const VPC_ENDPOINT_SERVICE: Table = &[
    ("owner", "Owner"),
    ("service-name", "ServiceName"),
    ("service-region", NONE),
    ("service-type", "ServiceType[].ServiceType"),
    ("supported-ip-address-types", "SupportedIpAddressTypes[]"),
];
