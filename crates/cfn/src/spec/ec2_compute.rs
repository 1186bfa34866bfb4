//! EC2 compute: instances and launch templates.
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const EBS: T = T::Struct(&[
    opt("DeleteOnTermination", B),
    opt("Encrypted", B),
    opt("Iops", I),
    opt("KmsKeyId", S),
    opt("SnapshotId", S),
    opt("VolumeSize", I),
    opt("VolumeType", S),
]);

const BLOCK_DEVICE_MAPPING: T =
    T::Struct(&[req("DeviceName", S), opt("Ebs", EBS), opt("NoDevice", J), opt("VirtualName", S)]);

const INSTANCE_CPU_OPTIONS_STRUCT: T = T::Struct(&[opt("CoreCount", I), opt("ThreadsPerCore", I)]);

const INSTANCE_CREDIT_SPECIFICATION_STRUCT: T = T::Struct(&[opt("CPUCredits", S)]);

const ELASTIC_GPU_SPECIFICATION: T = T::Struct(&[req("Type", S)]);

const ELASTIC_INFERENCE_ACCELERATOR: T = T::Struct(&[opt("Count", I), req("Type", S)]);

const INSTANCE_ENCLAVE_OPTIONS_STRUCT: T = T::Struct(&[opt("Enabled", B)]);

const INSTANCE_HIBERNATION_OPTIONS_STRUCT: T = T::Struct(&[opt("Configured", B)]);

const INSTANCE_IPV6_ADDRESS: T = T::Struct(&[req("Ipv6Address", S)]);

const LAUNCH_TEMPLATE_SPECIFICATION: T =
    T::Struct(&[opt("LaunchTemplateId", S), opt("LaunchTemplateName", S), opt("Version", S)]);

const LICENSE_SPECIFICATION: T = T::Struct(&[req("LicenseConfigurationArn", S)]);

const METADATA_OPTIONS: T = T::Struct(&[
    opt("HttpEndpoint", S),
    opt("HttpProtocolIpv6", S),
    opt("HttpPutResponseHopLimit", I),
    opt("HttpTokens", S),
    opt("InstanceMetadataTags", S),
]);

const ENA_SRD_UDP_SPECIFICATION: T = T::Struct(&[opt("EnaSrdUdpEnabled", B)]);

const ENA_SRD_SPECIFICATION: T =
    T::Struct(&[opt("EnaSrdEnabled", B), opt("EnaSrdUdpSpecification", ENA_SRD_UDP_SPECIFICATION)]);

const PRIVATE_IP_ADDRESS_SPECIFICATION: T = T::Struct(&[req("Primary", B), req("PrivateIpAddress", S)]);

const NETWORK_INTERFACE: T = T::Struct(&[
    opt("AssociateCarrierIpAddress", B),
    opt("AssociatePublicIpAddress", B),
    opt("DeleteOnTermination", B),
    opt("Description", S),
    req("DeviceIndex", S),
    opt("EnaSrdSpecification", ENA_SRD_SPECIFICATION),
    opt("GroupSet", T::List(&S)),
    opt("Ipv6AddressCount", I),
    opt("Ipv6Addresses", T::List(&INSTANCE_IPV6_ADDRESS)),
    opt("NetworkInterfaceId", S),
    opt("PrivateIpAddress", S),
    opt("PrivateIpAddresses", T::List(&PRIVATE_IP_ADDRESS_SPECIFICATION)),
    opt("SecondaryPrivateIpAddressCount", I),
    opt("SubnetId", S),
]);

const PRIVATE_DNS_NAME_OPTIONS: T = T::Struct(&[
    opt("EnableResourceNameDnsAAAARecord", B),
    opt("EnableResourceNameDnsARecord", B),
    opt("HostnameType", S),
]);

const ASSOCIATION_PARAMETER: T = T::Struct(&[req("Key", S), req("Value", T::List(&S))]);

const SSM_ASSOCIATION: T =
    T::Struct(&[opt("AssociationParameters", T::List(&ASSOCIATION_PARAMETER)), req("DocumentName", S)]);

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

const VOLUME: T = T::Struct(&[req("Device", S), req("VolumeId", S)]);

const EBS_2: T = T::Struct(&[
    opt("DeleteOnTermination", B),
    opt("EbsCardIndex", I),
    opt("Encrypted", B),
    opt("Iops", I),
    opt("KmsKeyId", S),
    opt("SnapshotId", S),
    opt("Throughput", I),
    opt("VolumeInitializationRate", I),
    opt("VolumeSize", I),
    opt("VolumeType", S),
]);

const BLOCK_DEVICE_MAPPING_2: T =
    T::Struct(&[opt("DeviceName", S), opt("Ebs", EBS_2), opt("NoDevice", S), opt("VirtualName", S)]);

const CAPACITY_RESERVATION_TARGET: T =
    T::Struct(&[opt("CapacityReservationId", S), opt("CapacityReservationResourceGroupArn", S)]);

const CAPACITY_RESERVATION_SPECIFICATION: T = T::Struct(&[
    opt("CapacityReservationPreference", S),
    opt("CapacityReservationTarget", CAPACITY_RESERVATION_TARGET),
]);

const CPU_OPTIONS: T = T::Struct(&[opt("AmdSevSnp", S), opt("CoreCount", I), opt("ThreadsPerCore", I)]);

const CREDIT_SPECIFICATION: T = T::Struct(&[opt("CpuCredits", S)]);

const IAM_INSTANCE_PROFILE: T = T::Struct(&[opt("Arn", S), opt("Name", S)]);

const SPOT_OPTIONS: T = T::Struct(&[
    opt("BlockDurationMinutes", I),
    opt("InstanceInterruptionBehavior", S),
    opt("MaxPrice", S),
    opt("SpotInstanceType", S),
    opt("ValidUntil", S),
]);

const INSTANCE_MARKET_OPTIONS: T = T::Struct(&[opt("MarketType", S), opt("SpotOptions", SPOT_OPTIONS)]);

const ACCELERATOR_COUNT: T = T::Struct(&[opt("Max", I), opt("Min", I)]);

const REFERENCE: T = T::Struct(&[opt("InstanceFamily", S)]);

const CPU: T = T::Struct(&[opt("References", T::List(&REFERENCE))]);

const BASELINE_PERFORMANCE_FACTORS: T = T::Struct(&[opt("Cpu", CPU)]);

const MEMORY_GI_B_PER_V_CPU: T = T::Struct(&[opt("Max", N), opt("Min", N)]);

const INSTANCE_REQUIREMENTS: T = T::Struct(&[
    opt("AcceleratorCount", ACCELERATOR_COUNT),
    opt("AcceleratorManufacturers", T::List(&S)),
    opt("AcceleratorNames", T::List(&S)),
    opt("AcceleratorTotalMemoryMiB", ACCELERATOR_COUNT),
    opt("AcceleratorTypes", T::List(&S)),
    opt("AllowedInstanceTypes", T::List(&S)),
    opt("BareMetal", S),
    opt("BaselineEbsBandwidthMbps", ACCELERATOR_COUNT),
    opt("BaselinePerformanceFactors", BASELINE_PERFORMANCE_FACTORS),
    opt("BurstablePerformance", S),
    opt("CpuManufacturers", T::List(&S)),
    opt("ExcludedInstanceTypes", T::List(&S)),
    opt("InstanceGenerations", T::List(&S)),
    opt("LocalStorage", S),
    opt("LocalStorageTypes", T::List(&S)),
    opt("MaxSpotPriceAsPercentageOfOptimalOnDemandPrice", I),
    opt("MemoryGiBPerVCpu", MEMORY_GI_B_PER_V_CPU),
    opt("MemoryMiB", ACCELERATOR_COUNT),
    opt("NetworkBandwidthGbps", MEMORY_GI_B_PER_V_CPU),
    opt("NetworkInterfaceCount", ACCELERATOR_COUNT),
    opt("OnDemandMaxPricePercentageOverLowestPrice", I),
    opt("RequireHibernateSupport", B),
    opt("SpotMaxPricePercentageOverLowestPrice", I),
    opt("TotalLocalStorageGB", MEMORY_GI_B_PER_V_CPU),
    opt("VCpuCount", ACCELERATOR_COUNT),
]);

const LICENSE_SPECIFICATION_2: T = T::Struct(&[opt("LicenseConfigurationArn", S)]);

const MAINTENANCE_OPTIONS: T = T::Struct(&[opt("AutoRecovery", S)]);

const CONNECTION_TRACKING_SPECIFICATION: T =
    T::Struct(&[opt("TcpEstablishedTimeout", I), opt("UdpStreamTimeout", I), opt("UdpTimeout", I)]);

const IPV4_PREFIX_SPECIFICATION: T = T::Struct(&[opt("Ipv4Prefix", S)]);

const IPV6_ADD: T = T::Struct(&[opt("Ipv6Address", S)]);

const IPV6_PREFIX_SPECIFICATION: T = T::Struct(&[opt("Ipv6Prefix", S)]);

const PRIVATE_IP_ADD: T = T::Struct(&[opt("Primary", B), opt("PrivateIpAddress", S)]);

const NETWORK_INTERFACE_2: T = T::Struct(&[
    opt("AssociateCarrierIpAddress", B),
    opt("AssociatePublicIpAddress", B),
    opt("ConnectionTrackingSpecification", CONNECTION_TRACKING_SPECIFICATION),
    opt("DeleteOnTermination", B),
    opt("Description", S),
    opt("DeviceIndex", I),
    opt("EnaQueueCount", I),
    opt("EnaSrdSpecification", ENA_SRD_SPECIFICATION),
    opt("Groups", T::List(&S)),
    opt("InterfaceType", S),
    opt("Ipv4PrefixCount", I),
    opt("Ipv4Prefixes", T::List(&IPV4_PREFIX_SPECIFICATION)),
    opt("Ipv6AddressCount", I),
    opt("Ipv6Addresses", T::List(&IPV6_ADD)),
    opt("Ipv6PrefixCount", I),
    opt("Ipv6Prefixes", T::List(&IPV6_PREFIX_SPECIFICATION)),
    opt("NetworkCardIndex", I),
    opt("NetworkInterfaceId", S),
    opt("PrimaryIpv6", B),
    opt("PrivateIpAddress", S),
    opt("PrivateIpAddresses", T::List(&PRIVATE_IP_ADD)),
    opt("SecondaryPrivateIpAddressCount", I),
    opt("SubnetId", S),
]);

const PLACEMENT: T = T::Struct(&[
    opt("Affinity", S),
    opt("AvailabilityZone", S),
    opt("GroupId", S),
    opt("GroupName", S),
    opt("HostId", S),
    opt("HostResourceGroupArn", S),
    opt("PartitionNumber", I),
    opt("SpreadDomain", S),
    opt("Tenancy", S),
]);

const TAG_SPECIFICATION: T = T::Struct(&[opt("ResourceType", S), opt("Tags", T::List(&TAG))]);

const LAUNCH_TEMPLATE_DATA: T = T::Struct(&[
    opt("NetworkPerformanceOptions", J), // in AWS's schema; cfn-lint patches it out
    opt("BlockDeviceMappings", T::List(&BLOCK_DEVICE_MAPPING_2)),
    opt("CapacityReservationSpecification", CAPACITY_RESERVATION_SPECIFICATION),
    opt("CpuOptions", CPU_OPTIONS),
    opt("CreditSpecification", CREDIT_SPECIFICATION),
    opt("DisableApiStop", B),
    opt("DisableApiTermination", B),
    opt("EbsOptimized", B),
    opt("EnclaveOptions", INSTANCE_ENCLAVE_OPTIONS_STRUCT),
    opt("HibernationOptions", INSTANCE_HIBERNATION_OPTIONS_STRUCT),
    opt("IamInstanceProfile", IAM_INSTANCE_PROFILE),
    opt("ImageId", S),
    opt("InstanceInitiatedShutdownBehavior", S),
    opt("InstanceMarketOptions", INSTANCE_MARKET_OPTIONS),
    opt("InstanceRequirements", INSTANCE_REQUIREMENTS),
    opt("InstanceType", S),
    opt("KernelId", S),
    opt("KeyName", S),
    opt("LicenseSpecifications", T::List(&LICENSE_SPECIFICATION_2)),
    opt("MaintenanceOptions", MAINTENANCE_OPTIONS),
    opt("MetadataOptions", METADATA_OPTIONS),
    opt("Monitoring", INSTANCE_ENCLAVE_OPTIONS_STRUCT),
    opt("NetworkInterfaces", T::List(&NETWORK_INTERFACE_2)),
    opt("Placement", PLACEMENT),
    opt("PrivateDnsNameOptions", PRIVATE_DNS_NAME_OPTIONS),
    opt("RamDiskId", S),
    opt("SecurityGroupIds", T::List(&S)),
    opt("SecurityGroups", T::List(&S)),
    opt("TagSpecifications", T::List(&TAG_SPECIFICATION)),
    opt("UserData", S),
]);

// AWS doc: "AWS::EC2::Instance"
pub(super) static INSTANCE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::Instance",
    properties: &[
        opt("AdditionalInfo", S),
        opt("Affinity", S),
        opt("AvailabilityZone", S),
        opt("BlockDeviceMappings", T::List(&BLOCK_DEVICE_MAPPING)),
        opt("CpuOptions", INSTANCE_CPU_OPTIONS_STRUCT),
        opt("CreditSpecification", INSTANCE_CREDIT_SPECIFICATION_STRUCT),
        opt("DisableApiTermination", B),
        opt("EbsOptimized", B),
        opt("ElasticGpuSpecifications", T::List(&ELASTIC_GPU_SPECIFICATION)),
        opt("ElasticInferenceAccelerators", T::List(&ELASTIC_INFERENCE_ACCELERATOR)),
        opt("EnclaveOptions", INSTANCE_ENCLAVE_OPTIONS_STRUCT),
        opt("HibernationOptions", INSTANCE_HIBERNATION_OPTIONS_STRUCT),
        opt("HostId", S),
        opt("HostResourceGroupArn", S),
        opt("IamInstanceProfile", S),
        opt("ImageId", S),
        opt("InstanceInitiatedShutdownBehavior", S),
        opt("InstanceType", S),
        opt("Ipv6AddressCount", I),
        opt("Ipv6Addresses", T::List(&INSTANCE_IPV6_ADDRESS)),
        opt("KernelId", S),
        opt("KeyName", S),
        opt("LaunchTemplate", LAUNCH_TEMPLATE_SPECIFICATION),
        opt("LicenseSpecifications", T::List(&LICENSE_SPECIFICATION)),
        opt("MetadataOptions", METADATA_OPTIONS),
        opt("Monitoring", B),
        opt("NetworkInterfaces", T::List(&NETWORK_INTERFACE)),
        opt("PlacementGroupName", S),
        opt("PrivateDnsNameOptions", PRIVATE_DNS_NAME_OPTIONS),
        opt("PrivateIpAddress", S),
        opt("PropagateTagsToVolumeOnCreation", B),
        opt("RamdiskId", S),
        opt("SecurityGroupIds", T::List(&S)),
        opt("SecurityGroups", T::List(&S)),
        opt("SourceDestCheck", B),
        opt("SsmAssociations", T::List(&SSM_ASSOCIATION)),
        opt("SubnetId", S),
        opt("Tags", T::List(&TAG)),
        opt("Tenancy", S),
        opt("UserData", S),
        opt("Volumes", T::List(&VOLUME)),
    ],
    attributes: &[
        "AdditionalInfo",
        "Affinity",
        "AvailabilityZone",
        "BlockDeviceMappings",
        "CpuOptions.CoreCount",
        "CpuOptions.ThreadsPerCore",
        "CreditSpecification.CPUCredits",
        "DisableApiTermination",
        "EbsOptimized",
        "ElasticGpuSpecifications",
        "ElasticInferenceAccelerators",
        "EnclaveOptions.Enabled",
        "HibernationOptions.Configured",
        "HostId",
        "HostResourceGroupArn",
        "IamInstanceProfile",
        "ImageId",
        "InstanceId",
        "InstanceInitiatedShutdownBehavior",
        "InstanceType",
        "Ipv6AddressCount",
        "Ipv6Addresses",
        "KernelId",
        "KeyName",
        "LicenseSpecifications",
        "Monitoring",
        "NetworkInterfaces",
        "PlacementGroupName",
        "PrivateDnsName",
        "PrivateIp",
        "PrivateIpAddress",
        "PropagateTagsToVolumeOnCreation",
        "PublicDnsName",
        "PublicIp",
        "RamdiskId",
        "SecurityGroupIds",
        "SecurityGroups",
        "SourceDestCheck",
        "SsmAssociations",
        "SubnetId",
        "Tags",
        "Tenancy",
        "UserData",
        "Volumes",
        "VpcId",
    ],
    ref_returns: "the instance ID, e.g. `i-0123456789abcdef0`",
};

// AWS doc: "AWS::EC2::LaunchTemplate"
pub(super) static LAUNCH_TEMPLATE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EC2::LaunchTemplate",
    properties: &[
        req("LaunchTemplateData", LAUNCH_TEMPLATE_DATA),
        opt("LaunchTemplateName", S),
        opt("TagSpecifications", T::List(&TAG_SPECIFICATION)),
        opt("VersionDescription", S),
    ],
    attributes: &["DefaultVersionNumber", "LatestVersionNumber", "LaunchTemplateId"],
    ref_returns: "the launch template ID, e.g. `lt-0123456789abcdef0`",
};
