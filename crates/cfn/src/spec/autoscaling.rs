//! EC2 Auto Scaling: groups, launch configurations, policies, hooks.
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const AVAILABILITY_ZONE_DISTRIBUTION: T = T::Struct(&[opt("CapacityDistributionStrategy", S)]);

const AVAILABILITY_ZONE_IMPAIRMENT_POLICY: T =
    T::Struct(&[req("ImpairedZoneHealthCheckBehavior", S), req("ZonalShiftEnabled", B)]);

const CAPACITY_RESERVATION_TARGET: T =
    T::Struct(&[opt("CapacityReservationIds", T::List(&S)), opt("CapacityReservationResourceGroupArns", T::List(&S))]);

const CAPACITY_RESERVATION_SPECIFICATION: T = T::Struct(&[
    req("CapacityReservationPreference", S),
    opt("CapacityReservationTarget", CAPACITY_RESERVATION_TARGET),
]);

const RETENTION_TRIGGERS: T = T::Struct(&[opt("TerminateHookAbandon", S)]);

const INSTANCE_LIFECYCLE_POLICY: T = T::Struct(&[opt("RetentionTriggers", RETENTION_TRIGGERS)]);

const INSTANCE_MAINTENANCE_POLICY: T = T::Struct(&[opt("MaxHealthyPercentage", I), opt("MinHealthyPercentage", I)]);

const LAUNCH_TEMPLATE_SPECIFICATION: T =
    T::Struct(&[opt("LaunchTemplateId", S), opt("LaunchTemplateName", S), req("Version", S)]);

const LIFECYCLE_HOOK_SPECIFICATION: T = T::Struct(&[
    opt("DefaultResult", S),
    opt("HeartbeatTimeout", I),
    req("LifecycleHookName", S),
    req("LifecycleTransition", S),
    opt("NotificationMetadata", S),
    opt("NotificationTargetARN", S),
    opt("RoleARN", S),
]);

const METRICS_COLLECTION: T = T::Struct(&[req("Granularity", S), opt("Metrics", T::List(&S))]);

const INSTANCES_DISTRIBUTION: T = T::Struct(&[
    opt("OnDemandAllocationStrategy", S),
    opt("OnDemandBaseCapacity", I),
    opt("OnDemandPercentageAboveBaseCapacity", I),
    opt("SpotAllocationStrategy", S),
    opt("SpotInstancePools", I),
    opt("SpotMaxPrice", S),
]);

const ACCELERATOR_COUNT_REQUEST: T = T::Struct(&[opt("Max", I), opt("Min", I)]);

const PERFORMANCE_FACTOR_REFERENCE_REQUEST: T = T::Struct(&[opt("InstanceFamily", S)]);

const CPU_PERFORMANCE_FACTOR_REQUEST: T =
    T::Struct(&[opt("References", T::List(&PERFORMANCE_FACTOR_REFERENCE_REQUEST))]);

const BASELINE_PERFORMANCE_FACTORS_REQUEST: T = T::Struct(&[opt("Cpu", CPU_PERFORMANCE_FACTOR_REQUEST)]);

const MEMORY_GI_B_PER_V_CPU_REQUEST: T = T::Struct(&[opt("Max", N), opt("Min", N)]);

const INSTANCE_REQUIREMENTS: T = T::Struct(&[
    opt("AcceleratorCount", ACCELERATOR_COUNT_REQUEST),
    opt("AcceleratorManufacturers", T::List(&S)),
    opt("AcceleratorNames", T::List(&S)),
    opt("AcceleratorTotalMemoryMiB", ACCELERATOR_COUNT_REQUEST),
    opt("AcceleratorTypes", T::List(&S)),
    opt("AllowedInstanceTypes", T::List(&S)),
    opt("BareMetal", S),
    opt("BaselineEbsBandwidthMbps", ACCELERATOR_COUNT_REQUEST),
    opt("BaselinePerformanceFactors", BASELINE_PERFORMANCE_FACTORS_REQUEST),
    opt("BurstablePerformance", S),
    opt("CpuManufacturers", T::List(&S)),
    opt("ExcludedInstanceTypes", T::List(&S)),
    opt("InstanceGenerations", T::List(&S)),
    opt("LocalStorage", S),
    opt("LocalStorageTypes", T::List(&S)),
    opt("MaxSpotPriceAsPercentageOfOptimalOnDemandPrice", I),
    opt("MemoryGiBPerVCpu", MEMORY_GI_B_PER_V_CPU_REQUEST),
    req("MemoryMiB", ACCELERATOR_COUNT_REQUEST),
    opt("NetworkBandwidthGbps", MEMORY_GI_B_PER_V_CPU_REQUEST),
    opt("NetworkInterfaceCount", ACCELERATOR_COUNT_REQUEST),
    opt("OnDemandMaxPricePercentageOverLowestPrice", I),
    opt("RequireHibernateSupport", B),
    opt("SpotMaxPricePercentageOverLowestPrice", I),
    opt("TotalLocalStorageGB", MEMORY_GI_B_PER_V_CPU_REQUEST),
    req("VCpuCount", ACCELERATOR_COUNT_REQUEST),
]);

const LAUNCH_TEMPLATE_OVERRIDES: T = T::Struct(&[
    opt("ImageId", S),
    opt("InstanceRequirements", INSTANCE_REQUIREMENTS),
    opt("InstanceType", S),
    opt("LaunchTemplateSpecification", LAUNCH_TEMPLATE_SPECIFICATION),
    opt("WeightedCapacity", S),
]);

const LAUNCH_TEMPLATE: T = T::Struct(&[
    req("LaunchTemplateSpecification", LAUNCH_TEMPLATE_SPECIFICATION),
    opt("Overrides", T::List(&LAUNCH_TEMPLATE_OVERRIDES)),
]);

const MIXED_INSTANCES_POLICY: T =
    T::Struct(&[opt("InstancesDistribution", INSTANCES_DISTRIBUTION), req("LaunchTemplate", LAUNCH_TEMPLATE)]);

const NOTIFICATION_CONFIGURATION: T =
    T::Struct(&[opt("NotificationTypes", T::List(&S)), req("TopicARN", T::OneOf(&[S, T::List(&S)]))]);

const TAG_PROPERTY: T = T::Struct(&[req("Key", S), req("PropagateAtLaunch", B), req("Value", S)]);

const TRAFFIC_SOURCE_IDENTIFIER: T = T::Struct(&[req("Identifier", S), req("Type", S)]);

const BLOCK_DEVICE: T = T::Struct(&[
    opt("DeleteOnTermination", B),
    opt("Encrypted", B),
    opt("Iops", I),
    opt("SnapshotId", S),
    opt("Throughput", I),
    opt("VolumeSize", I),
    opt("VolumeType", S),
]);

const BLOCK_DEVICE_MAPPING: T =
    T::Struct(&[req("DeviceName", S), opt("Ebs", BLOCK_DEVICE), opt("NoDevice", B), opt("VirtualName", S)]);

const METADATA_OPTIONS: T =
    T::Struct(&[opt("HttpEndpoint", S), opt("HttpPutResponseHopLimit", I), opt("HttpTokens", S)]);

const PREDICTIVE_SCALING_CONFIGURATION: T = T::Struct(&[
    opt("MaxCapacityBreachBehavior", S),
    opt("MaxCapacityBuffer", I),
    req("MetricSpecifications", T::List(&J)),
    opt("Mode", S),
    opt("SchedulingBufferTime", I),
]);

const STEP_ADJUSTMENT: T =
    T::Struct(&[opt("MetricIntervalLowerBound", N), opt("MetricIntervalUpperBound", N), req("ScalingAdjustment", I)]);

const TARGET_TRACKING_CONFIGURATION: T = T::Struct(&[
    opt("CustomizedMetricSpecification", J),
    opt("DisableScaleIn", B),
    opt("PredefinedMetricSpecification", J),
    req("TargetValue", N),
]);

// AWS doc: "AWS::AutoScaling::AutoScalingGroup"
pub(super) static AUTO_SCALING_GROUP_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::AutoScaling::AutoScalingGroup",
    properties: &[
        opt("AutoScalingGroupName", S),
        opt("AvailabilityZoneDistribution", AVAILABILITY_ZONE_DISTRIBUTION),
        opt("AvailabilityZoneIds", T::List(&S)),
        opt("AvailabilityZoneImpairmentPolicy", AVAILABILITY_ZONE_IMPAIRMENT_POLICY),
        opt("AvailabilityZones", T::List(&S)),
        opt("CapacityRebalance", B),
        opt("CapacityReservationSpecification", CAPACITY_RESERVATION_SPECIFICATION),
        opt("Context", S),
        opt("Cooldown", S),
        opt("DefaultInstanceWarmup", I),
        opt("DeletionProtection", S),
        opt("DesiredCapacity", S),
        opt("DesiredCapacityType", S),
        opt("HealthCheckGracePeriod", I),
        opt("HealthCheckType", S),
        opt("InstanceId", S),
        opt("InstanceLifecyclePolicy", INSTANCE_LIFECYCLE_POLICY),
        opt("InstanceMaintenancePolicy", INSTANCE_MAINTENANCE_POLICY),
        opt("LaunchConfigurationName", S),
        opt("LaunchTemplate", LAUNCH_TEMPLATE_SPECIFICATION),
        opt("LifecycleHookSpecificationList", T::List(&LIFECYCLE_HOOK_SPECIFICATION)),
        opt("LoadBalancerNames", T::List(&S)),
        opt("MaxInstanceLifetime", I),
        req("MaxSize", S),
        opt("MetricsCollection", T::List(&METRICS_COLLECTION)),
        req("MinSize", S),
        opt("MixedInstancesPolicy", MIXED_INSTANCES_POLICY),
        opt("NewInstancesProtectedFromScaleIn", B),
        opt("NotificationConfiguration", NOTIFICATION_CONFIGURATION),
        opt("NotificationConfigurations", T::List(&NOTIFICATION_CONFIGURATION)),
        opt("PlacementGroup", S),
        opt("ServiceLinkedRoleARN", S),
        opt("SkipZonalShiftValidation", B),
        opt("Tags", T::List(&TAG_PROPERTY)),
        opt("TargetGroupARNs", T::List(&S)),
        opt("TerminationPolicies", T::List(&S)),
        opt("TrafficSources", T::List(&TRAFFIC_SOURCE_IDENTIFIER)),
        opt("VPCZoneIdentifier", T::List(&S)),
    ],
    attributes: &[
        "AutoScalingGroupARN",
        "AutoScalingGroupName",
        "AvailabilityZoneDistribution.CapacityDistributionStrategy",
        "AvailabilityZoneIds",
        "AvailabilityZoneImpairmentPolicy.ImpairedZoneHealthCheckBehavior",
        "AvailabilityZoneImpairmentPolicy.ZonalShiftEnabled",
        "AvailabilityZones",
        "CapacityRebalance",
        "CapacityReservationSpecification.CapacityReservationPreference",
        "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationIds",
        "CapacityReservationSpecification.CapacityReservationTarget.CapacityReservationResourceGroupArns",
        "Context",
        "Cooldown",
        "DefaultInstanceWarmup",
        "DeletionProtection",
        "DesiredCapacity",
        "DesiredCapacityType",
        "HealthCheckGracePeriod",
        "HealthCheckType",
        "InstanceId",
        "InstanceLifecyclePolicy.RetentionTriggers.TerminateHookAbandon",
        "InstanceMaintenancePolicy.MaxHealthyPercentage",
        "InstanceMaintenancePolicy.MinHealthyPercentage",
        "LaunchConfigurationName",
        "LaunchTemplate.LaunchTemplateId",
        "LaunchTemplate.LaunchTemplateName",
        "LaunchTemplate.Version",
        "LifecycleHookSpecificationList",
        "LoadBalancerNames",
        "MaxInstanceLifetime",
        "MaxSize",
        "MetricsCollection",
        "MinSize",
        "MixedInstancesPolicy.InstancesDistribution.OnDemandAllocationStrategy",
        "MixedInstancesPolicy.InstancesDistribution.OnDemandBaseCapacity",
        "MixedInstancesPolicy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity",
        "MixedInstancesPolicy.InstancesDistribution.SpotAllocationStrategy",
        "MixedInstancesPolicy.InstancesDistribution.SpotInstancePools",
        "MixedInstancesPolicy.InstancesDistribution.SpotMaxPrice",
        "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId",
        "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateName",
        "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.Version",
        "MixedInstancesPolicy.LaunchTemplate.Overrides",
        "NewInstancesProtectedFromScaleIn",
        "NotificationConfiguration.NotificationTypes",
        "NotificationConfiguration.TopicARN",
        "NotificationConfigurations",
        "PlacementGroup",
        "ServiceLinkedRoleARN",
        "SkipZonalShiftValidation",
        "Tags",
        "TargetGroupARNs",
        "TerminationPolicies",
        "TrafficSources",
        "VPCZoneIdentifier",
    ],
    ref_returns: "the group name",
};

// AWS doc: "AWS::AutoScaling::LaunchConfiguration"
pub(super) static LAUNCH_CONFIGURATION_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::AutoScaling::LaunchConfiguration",
    properties: &[
        opt("AssociatePublicIpAddress", B),
        opt("BlockDeviceMappings", T::List(&BLOCK_DEVICE_MAPPING)),
        opt("ClassicLinkVPCId", S),
        opt("ClassicLinkVPCSecurityGroups", T::List(&S)),
        opt("EbsOptimized", B),
        opt("IamInstanceProfile", S),
        req("ImageId", S),
        opt("InstanceId", S),
        opt("InstanceMonitoring", B),
        req("InstanceType", S),
        opt("KernelId", S),
        opt("KeyName", S),
        opt("LaunchConfigurationName", S),
        opt("MetadataOptions", METADATA_OPTIONS),
        opt("PlacementTenancy", S),
        opt("RamDiskId", S),
        opt("SecurityGroups", T::List(&S)),
        opt("SpotPrice", S),
        opt("UserData", S),
    ],
    attributes: &[],
    ref_returns: "the launch configuration name",
};

// AWS doc: "AWS::AutoScaling::ScalingPolicy"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static SCALING_POLICY_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::AutoScaling::ScalingPolicy",
    properties: &[
        opt("AdjustmentType", S),
        req("AutoScalingGroupName", S),
        opt("Cooldown", S),
        opt("EstimatedInstanceWarmup", I),
        opt("MetricAggregationType", S),
        opt("MinAdjustmentMagnitude", I),
        opt("PolicyType", S),
        opt("PredictiveScalingConfiguration", PREDICTIVE_SCALING_CONFIGURATION),
        opt("ScalingAdjustment", I),
        opt("StepAdjustments", T::List(&STEP_ADJUSTMENT)),
        opt("TargetTrackingConfiguration", TARGET_TRACKING_CONFIGURATION),
    ],
    attributes: &["Arn", "PolicyName"],
    ref_returns: "the policy ARN",
};

// AWS doc: "AWS::AutoScaling::LifecycleHook"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static LIFECYCLE_HOOK_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::AutoScaling::LifecycleHook",
    properties: &[
        req("AutoScalingGroupName", S),
        opt("DefaultResult", S),
        opt("HeartbeatTimeout", I),
        opt("LifecycleHookName", S),
        req("LifecycleTransition", S),
        opt("NotificationMetadata", S),
        opt("NotificationTargetARN", S),
        opt("RoleARN", S),
    ],
    attributes: &[],
    ref_returns: "the hook name",
};
