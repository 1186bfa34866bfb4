//! ECS clusters and services.
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const CLUSTER_SETTINGS: T = T::Struct(&[opt("Name", S), opt("Value", S)]);

const EXECUTE_COMMAND_LOG_CONFIGURATION: T = T::Struct(&[
    opt("CloudWatchEncryptionEnabled", B),
    opt("CloudWatchLogGroupName", S),
    opt("S3BucketName", S),
    opt("S3EncryptionEnabled", B),
    opt("S3KeyPrefix", S),
]);

const EXECUTE_COMMAND_CONFIGURATION: T =
    T::Struct(&[opt("KmsKeyId", S), opt("LogConfiguration", EXECUTE_COMMAND_LOG_CONFIGURATION), opt("Logging", S)]);

const MANAGED_STORAGE_CONFIGURATION: T = T::Struct(&[opt("FargateEphemeralStorageKmsKeyId", S), opt("KmsKeyId", S)]);

const CLUSTER_CONFIGURATION: T = T::Struct(&[
    opt("ExecuteCommandConfiguration", EXECUTE_COMMAND_CONFIGURATION),
    opt("ManagedStorageConfiguration", MANAGED_STORAGE_CONFIGURATION),
]);

const CAPACITY_PROVIDER_STRATEGY_ITEM: T = T::Struct(&[opt("Base", I), opt("CapacityProvider", S), opt("Weight", I)]);

const SERVICE_CONNECT_DEFAULTS: T = T::Struct(&[opt("Namespace", S)]);

const TAG: T = T::Struct(&[opt("Key", S), opt("Value", S)]);

const DEPLOYMENT_ALARMS: T = T::Struct(&[req("AlarmNames", T::List(&S)), req("Enable", B), req("Rollback", B)]);

const CANARY_CONFIGURATION: T = T::Struct(&[opt("CanaryBakeTimeInMinutes", I), opt("CanaryPercent", N)]);

const DEPLOYMENT_CIRCUIT_BREAKER: T = T::Struct(&[req("Enable", B), req("Rollback", B)]);

const DEPLOYMENT_LIFECYCLE_HOOK: T = T::Struct(&[
    opt("HookDetails", T::OneOf(&[S, J])),
    req("HookTargetArn", S),
    req("LifecycleStages", T::List(&S)),
    req("RoleArn", S),
]);

const LINEAR_CONFIGURATION: T = T::Struct(&[opt("StepBakeTimeInMinutes", I), opt("StepPercent", N)]);

const DEPLOYMENT_CONFIGURATION: T = T::Struct(&[
    opt("Alarms", DEPLOYMENT_ALARMS),
    opt("BakeTimeInMinutes", I),
    opt("CanaryConfiguration", CANARY_CONFIGURATION),
    opt("DeploymentCircuitBreaker", DEPLOYMENT_CIRCUIT_BREAKER),
    opt("LifecycleHooks", T::List(&DEPLOYMENT_LIFECYCLE_HOOK)),
    opt("LinearConfiguration", LINEAR_CONFIGURATION),
    opt("MaximumPercent", I),
    opt("MinimumHealthyPercent", I),
    opt("Strategy", S),
]);

const DEPLOYMENT_CONTROLLER: T = T::Struct(&[opt("Type", S)]);

const FORCE_NEW_DEPLOYMENT: T = T::Struct(&[req("EnableForceNewDeployment", B), opt("ForceNewDeploymentNonce", S)]);

const ADVANCED_CONFIGURATION: T = T::Struct(&[
    req("AlternateTargetGroupArn", S),
    opt("ProductionListenerRule", S),
    opt("RoleArn", S),
    opt("TestListenerRule", S),
]);

const LOAD_BALANCER: T = T::Struct(&[
    opt("AdvancedConfiguration", ADVANCED_CONFIGURATION),
    opt("ContainerName", S),
    opt("ContainerPort", I),
    opt("LoadBalancerName", S),
    opt("TargetGroupArn", S),
]);

const AWS_VPC_CONFIGURATION: T =
    T::Struct(&[opt("AssignPublicIp", S), opt("SecurityGroups", T::List(&S)), opt("Subnets", T::List(&S))]);

const NETWORK_CONFIGURATION: T = T::Struct(&[opt("AwsvpcConfiguration", AWS_VPC_CONFIGURATION)]);

const PLACEMENT_CONSTRAINT: T = T::Struct(&[opt("Expression", S), req("Type", S)]);

const PLACEMENT_STRATEGY: T = T::Struct(&[opt("Field", S), req("Type", S)]);

const SERVICE_CONNECT_ACCESS_LOG_CONFIGURATION: T = T::Struct(&[req("Format", S), opt("IncludeQueryParameters", S)]);

const SECRET: T = T::Struct(&[req("Name", S), req("ValueFrom", S)]);

const LOG_CONFIGURATION: T =
    T::Struct(&[opt("LogDriver", S), opt("Options", T::Map(&S)), opt("SecretOptions", T::List(&SECRET))]);

const SERVICE_CONNECT_TEST_TRAFFIC_RULES_HEADER_VALUE: T = T::Struct(&[req("Exact", S)]);

const SERVICE_CONNECT_TEST_TRAFFIC_RULES_HEADER: T =
    T::Struct(&[req("Name", S), opt("Value", SERVICE_CONNECT_TEST_TRAFFIC_RULES_HEADER_VALUE)]);

const SERVICE_CONNECT_TEST_TRAFFIC_RULES: T = T::Struct(&[req("Header", SERVICE_CONNECT_TEST_TRAFFIC_RULES_HEADER)]);

const SERVICE_CONNECT_CLIENT_ALIAS: T =
    T::Struct(&[opt("DnsName", S), req("Port", I), opt("TestTrafficRules", SERVICE_CONNECT_TEST_TRAFFIC_RULES)]);

const TIMEOUT_CONFIGURATION: T = T::Struct(&[opt("IdleTimeoutSeconds", I), opt("PerRequestTimeoutSeconds", I)]);

const SERVICE_CONNECT_TLS_CERTIFICATE_AUTHORITY: T = T::Struct(&[opt("AwsPcaAuthorityArn", S)]);

const SERVICE_CONNECT_TLS_CONFIGURATION: T = T::Struct(&[
    req("IssuerCertificateAuthority", SERVICE_CONNECT_TLS_CERTIFICATE_AUTHORITY),
    opt("KmsKey", S),
    opt("RoleArn", S),
]);

const SERVICE_CONNECT_SERVICE: T = T::Struct(&[
    opt("ClientAliases", T::List(&SERVICE_CONNECT_CLIENT_ALIAS)),
    opt("DiscoveryName", S),
    opt("IngressPortOverride", I),
    req("PortName", S),
    opt("Timeout", TIMEOUT_CONFIGURATION),
    opt("Tls", SERVICE_CONNECT_TLS_CONFIGURATION),
]);

const SERVICE_CONNECT_CONFIGURATION: T = T::Struct(&[
    opt("AccessLogConfiguration", SERVICE_CONNECT_ACCESS_LOG_CONFIGURATION),
    req("Enabled", B),
    opt("LogConfiguration", LOG_CONFIGURATION),
    opt("Namespace", S),
    opt("Services", T::List(&SERVICE_CONNECT_SERVICE)),
]);

const SERVICE_REGISTRY: T =
    T::Struct(&[opt("ContainerName", S), opt("ContainerPort", I), opt("Port", I), opt("RegistryArn", S)]);

const EBS_TAG_SPECIFICATION: T =
    T::Struct(&[opt("PropagateTags", S), req("ResourceType", S), opt("Tags", T::List(&TAG))]);

const SERVICE_MANAGED_EBS_VOLUME_CONFIGURATION: T = T::Struct(&[
    opt("Encrypted", B),
    opt("FilesystemType", S),
    opt("Iops", I),
    opt("KmsKeyId", S),
    req("RoleArn", S),
    opt("SizeInGiB", I),
    opt("SnapshotId", S),
    opt("TagSpecifications", T::List(&EBS_TAG_SPECIFICATION)),
    opt("Throughput", I),
    opt("VolumeInitializationRate", I),
    opt("VolumeType", S),
]);

const SERVICE_VOLUME_CONFIGURATION: T =
    T::Struct(&[opt("ManagedEBSVolume", SERVICE_MANAGED_EBS_VOLUME_CONFIGURATION), req("Name", S)]);

const VPC_LATTICE_CONFIGURATION: T = T::Struct(&[req("PortName", S), req("RoleArn", S), req("TargetGroupArn", S)]);

// AWS doc: "AWS::ECS::Cluster"
pub(super) static CLUSTER_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ECS::Cluster",
    properties: &[
        opt("CapacityProviders", T::List(&S)),
        opt("ClusterName", S),
        opt("ClusterSettings", T::List(&CLUSTER_SETTINGS)),
        opt("Configuration", CLUSTER_CONFIGURATION),
        opt("DefaultCapacityProviderStrategy", T::List(&CAPACITY_PROVIDER_STRATEGY_ITEM)),
        opt("ServiceConnectDefaults", SERVICE_CONNECT_DEFAULTS),
        opt("Tags", T::List(&TAG)),
    ],
    attributes: &["Arn"],
    ref_returns: "the cluster name",
};

// AWS doc: "AWS::ECS::Service"
pub(super) static SERVICE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ECS::Service",
    properties: &[
        opt("AvailabilityZoneRebalancing", S),
        opt("CapacityProviderStrategy", T::List(&CAPACITY_PROVIDER_STRATEGY_ITEM)),
        opt("Cluster", S),
        opt("DeploymentConfiguration", DEPLOYMENT_CONFIGURATION),
        opt("DeploymentController", DEPLOYMENT_CONTROLLER),
        opt("DesiredCount", I),
        opt("EnableECSManagedTags", B),
        opt("EnableExecuteCommand", B),
        opt("ForceNewDeployment", FORCE_NEW_DEPLOYMENT),
        opt("HealthCheckGracePeriodSeconds", I),
        opt("LaunchType", S),
        opt("LoadBalancers", T::List(&LOAD_BALANCER)),
        opt("NetworkConfiguration", NETWORK_CONFIGURATION),
        opt("PlacementConstraints", T::List(&PLACEMENT_CONSTRAINT)),
        opt("PlacementStrategies", T::List(&PLACEMENT_STRATEGY)),
        opt("PlatformVersion", S),
        opt("PropagateTags", S),
        opt("Role", S),
        opt("SchedulingStrategy", S),
        opt("ServiceConnectConfiguration", SERVICE_CONNECT_CONFIGURATION),
        opt("ServiceName", S),
        opt("ServiceRegistries", T::List(&SERVICE_REGISTRY)),
        opt("Tags", T::List(&TAG)),
        opt("TaskDefinition", S),
        opt("VolumeConfigurations", T::List(&SERVICE_VOLUME_CONFIGURATION)),
        opt("VpcLatticeConfigurations", T::List(&VPC_LATTICE_CONFIGURATION)),
    ],
    attributes: &["Name", "ServiceArn"],
    ref_returns: "the service ARN",
};
