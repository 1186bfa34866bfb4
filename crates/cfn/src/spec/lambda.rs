//! Lambda (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const CAPACITY_PROVIDER_CONFIG: T = T::Struct(&[req("LambdaManagedInstancesCapacityProviderConfig", J)]);

const CODE: T = T::Struct(&[
    opt("ImageUri", S),
    opt("S3Bucket", S),
    opt("S3Key", S),
    opt("S3ObjectStorageMode", S),
    opt("S3ObjectVersion", S),
    opt("SourceKMSKeyArn", S),
    opt("ZipFile", S),
]);

const DEAD_LETTER_CONFIG: T = T::Struct(&[opt("TargetArn", S)]);

const DURABLE_CONFIG: T = T::Struct(&[req("ExecutionTimeout", I), opt("RetentionPeriodInDays", I)]);

const ENVIRONMENT: T = T::Struct(&[opt("Variables", T::Map(&T::OneOf(&[S, N, I, J, T::List(&ANY), B])))]);

const EPHEMERAL_STORAGE: T = T::Struct(&[req("Size", I)]);

const FILE_SYSTEM_CONFIG: T = T::Struct(&[req("Arn", S), req("LocalMountPath", S)]);

const FUNCTION_SCALING_CONFIG: T = T::Struct(&[opt("MaxExecutionEnvironments", I), opt("MinExecutionEnvironments", I)]);

const IMAGE_CONFIG: T =
    T::Struct(&[opt("Command", T::List(&S)), opt("EntryPoint", T::List(&S)), opt("WorkingDirectory", S)]);

const LOGGING_CONFIG: T =
    T::Struct(&[opt("ApplicationLogLevel", S), opt("LogFormat", S), opt("LogGroup", S), opt("SystemLogLevel", S)]);

const RUNTIME_MANAGEMENT_CONFIG: T = T::Struct(&[opt("RuntimeVersionArn", S), req("UpdateRuntimeOn", S)]);

const SNAP_START: T = T::Struct(&[req("ApplyOn", S)]);

const TAG: T = T::Struct(&[req("Key", S), opt("Value", S)]);

const TENANCY_CONFIG: T = T::Struct(&[req("TenantIsolationMode", S)]);

const TRACING_CONFIG: T = T::Struct(&[opt("Mode", S)]);

const VPC_CONFIG: T = T::Struct(&[
    opt("Ipv6AllowedForDualStack", B),
    opt("SecurityGroupIds", T::List(&S)),
    opt("SubnetIds", T::List(&S)),
]);

const PROVISIONED_CONCURRENCY_CONFIGURATION: T = T::Struct(&[req("ProvisionedConcurrentExecutions", I)]);

const ALIAS_ROUTING_CONFIGURATION: T = T::Struct(&[opt("AdditionalVersionWeights", T::List(&J))]);

const AMAZON_MANAGED_KAFKA_EVENT_SOURCE_CONFIG: T =
    T::Struct(&[opt("ConsumerGroupId", S), opt("SchemaRegistryConfig", J)]);

const DESTINATION_CONFIG: T = T::Struct(&[opt("OnFailure", J)]);

const DOCUMENT_DB_EVENT_SOURCE_CONFIG: T =
    T::Struct(&[opt("CollectionName", S), opt("DatabaseName", S), opt("FullDocument", S)]);

const FILTER_CRITERIA: T = T::Struct(&[opt("Filters", T::List(&J))]);

const LOGGING_CONFIG_2: T = T::Struct(&[opt("SystemLogLevel", S)]);

const METRICS_CONFIG: T = T::Struct(&[opt("Metrics", T::List(&S))]);

const PROVISIONED_POLLER_CONFIG: T =
    T::Struct(&[opt("MaximumPollers", I), opt("MinimumPollers", I), opt("PollerGroupName", S)]);

const SCALING_CONFIG: T = T::Struct(&[opt("MaximumConcurrency", I)]);

const SELF_MANAGED_EVENT_SOURCE: T = T::Struct(&[opt("Endpoints", J)]);

const SOURCE_ACCESS_CONFIGURATION: T = T::Struct(&[opt("Type", S), opt("URI", S)]);

// AWS doc: "AWS::Lambda::Function"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static FUNCTION_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::Lambda::Function",
    properties: &[
        opt("Architectures", T::List(&S)),
        opt("CapacityProviderConfig", CAPACITY_PROVIDER_CONFIG),
        req("Code", CODE),
        opt("CodeSigningConfigArn", S),
        opt("DeadLetterConfig", DEAD_LETTER_CONFIG),
        opt("Description", S),
        opt("DurableConfig", DURABLE_CONFIG),
        opt("Environment", ENVIRONMENT),
        opt("EphemeralStorage", EPHEMERAL_STORAGE),
        opt("FileSystemConfigs", T::List(&FILE_SYSTEM_CONFIG)),
        opt("FunctionName", S),
        opt("FunctionScalingConfig", FUNCTION_SCALING_CONFIG),
        opt("Handler", S),
        opt("ImageConfig", IMAGE_CONFIG),
        opt("KmsKeyArn", S),
        opt("Layers", T::List(&S)),
        opt("LoggingConfig", LOGGING_CONFIG),
        opt("MemorySize", I),
        opt("PackageType", S),
        opt("PublishToLatestPublished", B),
        opt("RecursiveLoop", S),
        opt("ReservedConcurrentExecutions", I),
        req("Role", S),
        opt("Runtime", S),
        opt("RuntimeManagementConfig", RUNTIME_MANAGEMENT_CONFIG),
        opt("SnapStart", SNAP_START),
        opt("Tags", T::List(&TAG)),
        opt("TenancyConfig", TENANCY_CONFIG),
        opt("Timeout", I),
        opt("TracingConfig", TRACING_CONFIG),
        opt("VpcConfig", VPC_CONFIG),
    ],
    attributes: &["Arn", "SnapStartResponse", "SnapStartResponse.ApplyOn", "SnapStartResponse.OptimizationStatus"],
    ref_returns: "the function name",
};

// AWS doc: "AWS::Lambda::Permission"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static PERMISSION_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::Lambda::Permission",
    properties: &[
        req("Action", S),
        opt("EventSourceToken", S),
        req("FunctionName", S),
        opt("FunctionUrlAuthType", S),
        opt("InvokedViaFunctionUrl", B),
        req("Principal", S),
        opt("PrincipalOrgID", S),
        opt("SourceAccount", S),
        opt("SourceArn", S),
    ],
    attributes: &["Id"],
    ref_returns: "the permission's physical ID",
};

// AWS doc: "AWS::Lambda::Version"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static VERSION_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::Lambda::Version",
    properties: &[
        opt("CodeSha256", S),
        opt("Description", S),
        req("FunctionName", S),
        opt("FunctionScalingConfig", FUNCTION_SCALING_CONFIG),
        opt("ProvisionedConcurrencyConfig", PROVISIONED_CONCURRENCY_CONFIGURATION),
        opt("RuntimePolicy", RUNTIME_MANAGEMENT_CONFIG),
    ],
    attributes: &["FunctionArn", "Version"],
    ref_returns: "the version ARN",
};

// AWS doc: "AWS::Lambda::Alias"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static ALIAS_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::Lambda::Alias",
    properties: &[
        opt("Description", S),
        req("FunctionName", S),
        req("FunctionVersion", S),
        req("Name", S),
        opt("ProvisionedConcurrencyConfig", PROVISIONED_CONCURRENCY_CONFIGURATION),
        opt("RoutingConfig", ALIAS_ROUTING_CONFIGURATION),
    ],
    attributes: &["AliasArn"],
    ref_returns: "the alias ARN",
};

// AWS doc: "AWS::Lambda::EventSourceMapping"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static EVENT_SOURCE_MAPPING_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::Lambda::EventSourceMapping",
    properties: &[
        opt("AmazonManagedKafkaEventSourceConfig", AMAZON_MANAGED_KAFKA_EVENT_SOURCE_CONFIG),
        opt("BatchSize", I),
        opt("BisectBatchOnFunctionError", B),
        opt("DestinationConfig", DESTINATION_CONFIG),
        opt("DocumentDBEventSourceConfig", DOCUMENT_DB_EVENT_SOURCE_CONFIG),
        opt("Enabled", B),
        opt("EventSourceArn", S),
        opt("FilterCriteria", FILTER_CRITERIA),
        req("FunctionName", S),
        opt("FunctionResponseTypes", T::List(&S)),
        opt("KmsKeyArn", S),
        opt("LoggingConfig", LOGGING_CONFIG_2),
        opt("MaximumBatchingWindowInSeconds", I),
        opt("MaximumRecordAgeInSeconds", I),
        opt("MaximumRetryAttempts", I),
        opt("MetricsConfig", METRICS_CONFIG),
        opt("ParallelizationFactor", I),
        opt("ProvisionedPollerConfig", PROVISIONED_POLLER_CONFIG),
        opt("Queues", T::List(&S)),
        opt("ScalingConfig", SCALING_CONFIG),
        opt("SelfManagedEventSource", SELF_MANAGED_EVENT_SOURCE),
        opt("SelfManagedKafkaEventSourceConfig", AMAZON_MANAGED_KAFKA_EVENT_SOURCE_CONFIG),
        opt("SourceAccessConfigurations", T::List(&SOURCE_ACCESS_CONFIGURATION)),
        opt("StartingPosition", S),
        opt("StartingPositionTimestamp", N),
        opt("Tags", T::List(&TAG)),
        opt("Topics", T::List(&S)),
        opt("TumblingWindowInSeconds", I),
    ],
    attributes: &["EventSourceMappingArn", "Id"],
    ref_returns: "the mapping ID (a UUID)",
};
