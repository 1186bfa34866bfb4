//! S3 (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const ACCELERATE_CONFIGURATION: T = T::Struct(&[req("AccelerationStatus", S)]);

const ANALYTICS_CONFIGURATION: T =
    T::Struct(&[req("Id", S), opt("Prefix", S), req("StorageClassAnalysis", J), opt("TagFilters", T::List(&J))]);

const BUCKET_ENCRYPTION: T = T::Struct(&[req("ServerSideEncryptionConfiguration", T::List(&J))]);

const CORS_CONFIGURATION: T = T::Struct(&[req("CorsRules", T::List(&J))]);

const INTELLIGENT_TIERING_CONFIGURATION: T = T::Struct(&[
    req("Id", S),
    opt("Prefix", S),
    req("Status", S),
    opt("TagFilters", T::List(&J)),
    req("Tierings", T::List(&J)),
]);

const INVENTORY_CONFIGURATION: T = T::Struct(&[
    req("Destination", J),
    req("Enabled", B),
    req("Id", S),
    req("IncludedObjectVersions", S),
    opt("OptionalFields", T::List(&S)),
    opt("Prefix", S),
    req("ScheduleFrequency", S),
]);

const LIFECYCLE_CONFIGURATION: T =
    T::Struct(&[req("Rules", T::List(&J)), opt("TransitionDefaultMinimumObjectSize", S)]);

const LOGGING_CONFIGURATION: T =
    T::Struct(&[opt("DestinationBucketName", S), opt("LogFilePrefix", S), opt("TargetObjectKeyFormat", J)]);

const METADATA_CONFIGURATION: T =
    T::Struct(&[opt("Destination", J), opt("InventoryTableConfiguration", J), req("JournalTableConfiguration", J)]);

const METADATA_TABLE_CONFIGURATION: T = T::Struct(&[req("S3TablesDestination", J)]);

const METRICS_CONFIGURATION: T =
    T::Struct(&[opt("AccessPointArn", S), req("Id", S), opt("Prefix", S), opt("TagFilters", T::List(&J))]);

const NOTIFICATION_CONFIGURATION: T = T::Struct(&[
    opt("EventBridgeConfiguration", J),
    opt("LambdaConfigurations", T::List(&J)),
    opt("QueueConfigurations", T::List(&J)),
    opt("TopicConfigurations", T::List(&J)),
]);

const OBJECT_LOCK_CONFIGURATION: T = T::Struct(&[opt("ObjectLockEnabled", S), opt("Rule", J)]);

const OWNERSHIP_CONTROLS: T = T::Struct(&[req("Rules", T::List(&J))]);

const PUBLIC_ACCESS_BLOCK_CONFIGURATION: T = T::Struct(&[
    opt("BlockPublicAcls", B),
    opt("BlockPublicPolicy", B),
    opt("IgnorePublicAcls", B),
    opt("RestrictPublicBuckets", B),
]);

const REPLICATION_CONFIGURATION: T = T::Struct(&[req("Role", S), req("Rules", T::List(&J))]);

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

const VERSIONING_CONFIGURATION: T = T::Struct(&[req("Status", S)]);

const WEBSITE_CONFIGURATION: T = T::Struct(&[
    opt("ErrorDocument", S),
    opt("IndexDocument", S),
    opt("RedirectAllRequestsTo", J),
    opt("RoutingRules", T::List(&J)),
]);

// AWS doc: "AWS::S3::Bucket"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static BUCKET_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::S3::Bucket",
    properties: &[
        opt("AbacStatus", S),
        opt("AccelerateConfiguration", ACCELERATE_CONFIGURATION),
        opt("AccessControl", S),
        opt("AnalyticsConfigurations", T::List(&ANALYTICS_CONFIGURATION)),
        opt("BucketEncryption", BUCKET_ENCRYPTION),
        opt("BucketName", S),
        opt("BucketNamePrefix", S),
        opt("BucketNamespace", S),
        opt("CorsConfiguration", CORS_CONFIGURATION),
        opt("IntelligentTieringConfigurations", T::List(&INTELLIGENT_TIERING_CONFIGURATION)),
        opt("InventoryConfigurations", T::List(&INVENTORY_CONFIGURATION)),
        opt("LifecycleConfiguration", LIFECYCLE_CONFIGURATION),
        opt("LoggingConfiguration", LOGGING_CONFIGURATION),
        opt("MetadataConfiguration", METADATA_CONFIGURATION),
        opt("MetadataTableConfiguration", METADATA_TABLE_CONFIGURATION),
        opt("MetricsConfigurations", T::List(&METRICS_CONFIGURATION)),
        opt("NotificationConfiguration", NOTIFICATION_CONFIGURATION),
        opt("ObjectLockConfiguration", OBJECT_LOCK_CONFIGURATION),
        opt("ObjectLockEnabled", B),
        opt("OwnershipControls", OWNERSHIP_CONTROLS),
        opt("PublicAccessBlockConfiguration", PUBLIC_ACCESS_BLOCK_CONFIGURATION),
        opt("ReplicationConfiguration", REPLICATION_CONFIGURATION),
        opt("Tags", T::List(&TAG)),
        opt("VersioningConfiguration", VERSIONING_CONFIGURATION),
        opt("WebsiteConfiguration", WEBSITE_CONFIGURATION),
    ],
    attributes: &[
        "Arn",
        "DomainName",
        "DualStackDomainName",
        "MetadataConfiguration.Destination",
        "MetadataConfiguration.InventoryTableConfiguration.TableArn",
        "MetadataConfiguration.InventoryTableConfiguration.TableName",
        "MetadataConfiguration.JournalTableConfiguration.TableArn",
        "MetadataConfiguration.JournalTableConfiguration.TableName",
        "MetadataTableConfiguration.S3TablesDestination.TableArn",
        "MetadataTableConfiguration.S3TablesDestination.TableNamespace",
        "RegionalDomainName",
        "WebsiteURL",
    ],
    ref_returns: "the bucket name",
};

// AWS doc: "AWS::S3::BucketPolicy"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static BUCKET_POLICY_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::S3::BucketPolicy",
    properties: &[req("Bucket", S), req("PolicyDocument", T::OneOf(&[J, S]))],
    attributes: &[],
    ref_returns: "the policy's physical ID",
};
