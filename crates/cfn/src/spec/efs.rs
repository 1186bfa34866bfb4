//! EFS (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const BACKUP_POLICY: T = T::Struct(&[req("Status", S)]);

const FILE_SYSTEM_PROTECTION: T = T::Struct(&[opt("ReplicationOverwriteProtection", S)]);

const ELASTIC_FILE_SYSTEM_TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

const LIFECYCLE_POLICY: T =
    T::Struct(&[opt("TransitionToArchive", S), opt("TransitionToIA", S), opt("TransitionToPrimaryStorageClass", S)]);

const REPLICATION_CONFIGURATION: T = T::Struct(&[opt("Destinations", T::List(&J))]);

// AWS doc: "AWS::EFS::FileSystem"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static FILE_SYSTEM_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EFS::FileSystem",
    properties: &[
        opt("AvailabilityZoneName", S),
        opt("BackupPolicy", BACKUP_POLICY),
        opt("BypassPolicyLockoutSafetyCheck", B),
        opt("Encrypted", B),
        opt("FileSystemPolicy", T::OneOf(&[J, S])),
        opt("FileSystemProtection", FILE_SYSTEM_PROTECTION),
        opt("FileSystemTags", T::List(&ELASTIC_FILE_SYSTEM_TAG)),
        opt("KmsKeyId", S),
        opt("LifecyclePolicies", T::List(&LIFECYCLE_POLICY)),
        opt("PerformanceMode", S),
        opt("ProvisionedThroughputInMibps", N),
        opt("ReplicationConfiguration", REPLICATION_CONFIGURATION),
        opt("ThroughputMode", S),
    ],
    attributes: &[
        "Arn",
        "FileSystemId",
        "ReplicationConfiguration.Destinations.*.Status",
        "ReplicationConfiguration.Destinations.*.StatusMessage",
    ],
    ref_returns: "the file system ID, e.g. `fs-0123456789abcdef0`",
};

// AWS doc: "AWS::EFS::MountTarget"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static MOUNT_TARGET_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::EFS::MountTarget",
    properties: &[
        req("FileSystemId", S),
        opt("IpAddress", S),
        opt("IpAddressType", S),
        opt("Ipv6Address", S),
        req("SecurityGroups", T::List(&S)),
        req("SubnetId", S),
    ],
    attributes: &["FileSystemId", "Id", "IpAddress", "IpAddressType", "Ipv6Address", "SecurityGroups", "SubnetId"],
    ref_returns: "the mount target ID, e.g. `fsmt-0123456789abcdef0`",
};
