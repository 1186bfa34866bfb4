//! RDS, Auto Scaling, SSM parameters, CloudFormation exports, and inert resources.

use serde::{Deserialize, Serialize};

/// An RDS DB instance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DbInstance {
    /// `DBInstanceIdentifier` (lowercase).
    #[serde(rename = "DBInstanceIdentifier")]
    pub db_instance_identifier: String,
    /// `arn:aws:rds:REGION:ACCT:db:ID`.
    #[serde(rename = "DBInstanceArn")]
    pub db_instance_arn: String,
    /// Endpoint host name.
    pub endpoint_address: String,
    /// Endpoint port.
    pub endpoint_port: u16,
    /// Its DB subnet group.
    #[serde(rename = "DBSubnetGroupName")]
    pub db_subnet_group_name: Option<String>,
    /// Its VPC security groups.
    #[serde(default)]
    pub vpc_security_groups: Vec<String>,
    /// e.g. `postgres`, `mysql`.
    pub engine: String,
    /// e.g. `db.t3.micro`.
    #[serde(rename = "DBInstanceClass")]
    pub db_instance_class: String,
    /// The interface RDS placed in its subnet (tasknet keeps it to delete it with the instance).
    #[serde(default)]
    pub network_interface_id: Option<String>,
    /// `MasterUsername`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_username: Option<String>,
    /// `MasterUserPassword`: kept for the database stand-in, never shown
    /// (RDS's DescribeDBInstances does not return it either).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_user_password: Option<String>,
}

/// An RDS DB subnet group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DbSubnetGroup {
    /// The name (lowercase).
    #[serde(rename = "DBSubnetGroupName")]
    pub db_subnet_group_name: String,
    /// `arn:aws:rds:REGION:ACCT:subgrp:NAME`.
    #[serde(rename = "DBSubnetGroupArn")]
    pub db_subnet_group_arn: String,
    /// Free text.
    #[serde(rename = "DBSubnetGroupDescription")]
    pub description: String,
    /// Its VPC.
    pub vpc_id: String,
    /// Its subnets.
    pub subnet_ids: Vec<String>,
}

/// An Auto Scaling group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AutoScalingGroup {
    /// The name.
    pub auto_scaling_group_name: String,
    /// Its ARN.
    #[serde(rename = "AutoScalingGroupARN")]
    pub auto_scaling_group_arn: String,
    /// Subnet IDs (`VPCZoneIdentifier`).
    pub subnets: Vec<String>,
    /// Its launch configuration, by name.
    pub launch_configuration_name: Option<String>,
    /// Its launch template ID and version.
    pub launch_template: Option<(String, String)>,
    /// Minimum size.
    pub min_size: u32,
    /// Maximum size.
    pub max_size: u32,
    /// Desired capacity.
    pub desired_capacity: Option<u32>,
    /// Target groups it registers instances in.
    #[serde(default)]
    pub target_group_arns: Vec<String>,
    /// Tags; those with `PropagateAtLaunch` go on its instances.
    #[serde(default)]
    pub tags: Vec<AutoScalingTag>,
    /// When it was created (clock milliseconds).
    #[serde(default)]
    pub created_time: u64,
    /// `Delete in progress` while a forced delete terminates its instances.
    #[serde(default)]
    pub status: Option<String>,
    /// Processes suspended, e.g. `Launch` after a day of failed launches.
    #[serde(default)]
    pub suspended_processes: Vec<String>,
    /// Its scaling activities, newest first (DescribeScalingActivities).
    #[serde(default)]
    pub activities: Vec<ScalingActivity>,
    /// What changed its desired capacity last, as the next activity's Cause
    /// begins (e.g. `At … a user request created an AutoScalingGroup …`).
    #[serde(default)]
    pub pending_cause: Option<String>,
    /// When the next launch may be tried after failures (clock milliseconds).
    #[serde(default)]
    pub next_launch_at: Option<u64>,
    /// Launch failures in a row.
    #[serde(default)]
    pub launch_failures: u32,
    /// When launches started failing without a success since (clock milliseconds).
    #[serde(default)]
    pub failing_since: Option<u64>,
}

impl AutoScalingGroup {
    /// The desired capacity in effect: DesiredCapacity, else MinSize.
    // AWS doc: "AWS::AutoScaling::AutoScalingGroup" — DesiredCapacity defaults to the minimum size.
    pub fn desired(&self) -> u32 {
        self.desired_capacity.unwrap_or(self.min_size)
    }
}

/// A tag of an Auto Scaling group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AutoScalingTag {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
    /// Whether instances launched by the group get it.
    pub propagate_at_launch: bool,
}

/// One scaling activity (`Activity` of DescribeScalingActivities).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ScalingActivity {
    /// A UUID.
    pub activity_id: String,
    /// e.g. `Launching a new EC2 instance: i-…`.
    pub description: String,
    /// Why, e.g. `At … an instance was started in response to a difference between desired and actual capacity, …`.
    pub cause: String,
    /// When it started (clock milliseconds).
    pub start_time: u64,
    /// When it ended.
    pub end_time: Option<u64>,
    /// `InProgress`, `Successful`, `Failed`, `Cancelled`, …
    pub status_code: String,
    /// Why it failed.
    pub status_message: Option<String>,
    /// The instance it launched or terminated.
    #[serde(rename = "EC2InstanceId")]
    pub ec2_instance_id: Option<String>,
    /// The zone it happened in.
    pub availability_zone: Option<String>,
    /// The subnet it happened in.
    pub subnet_id: Option<String>,
}

/// A launch configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LaunchConfiguration {
    /// The name.
    pub launch_configuration_name: String,
    /// Its ARN.
    #[serde(rename = "LaunchConfigurationARN")]
    pub launch_configuration_arn: String,
    /// e.g. `t3.micro`.
    pub instance_type: String,
    /// AMI.
    pub image_id: Option<String>,
    /// Security groups.
    #[serde(default)]
    pub security_groups: Vec<String>,
    /// Whether instances get a public address.
    pub associate_public_ip_address: Option<bool>,
    /// IAM instance profile.
    pub iam_instance_profile: Option<String>,
    /// `UserData` as given (base64 or plain text).
    #[serde(default)]
    pub user_data: Option<String>,
    /// ECS_CLUSTER as its user data or cfn-init metadata configure it.
    #[serde(default)]
    pub ecs_cluster: Option<String>,
    /// When it was created (clock milliseconds); the termination policy prefers instances of older ones.
    #[serde(default)]
    pub created_time: u64,
    /// `MetadataOptions.HttpTokens`.
    #[serde(default)]
    pub http_tokens: Option<String>,
}

/// A launch template (its default version's network-relevant data).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LaunchTemplate {
    /// `lt-…`.
    pub launch_template_id: String,
    /// The name.
    pub launch_template_name: String,
    /// Latest version number.
    pub latest_version_number: u32,
    /// e.g. `t3.micro`.
    pub instance_type: Option<String>,
    /// AMI.
    pub image_id: Option<String>,
    /// Security groups.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// `AssociatePublicIpAddress` of its first network interface.
    #[serde(default)]
    pub associate_public_ip_address: Option<bool>,
    /// `UserData` as given (base64 or plain text).
    #[serde(default)]
    pub user_data: Option<String>,
    /// ECS_CLUSTER as its user data or cfn-init metadata configure it.
    #[serde(default)]
    pub ecs_cluster: Option<String>,
    /// When it was created (clock milliseconds).
    #[serde(default)]
    pub created_time: u64,
    /// `IamInstanceProfile` (its `Arn` or `Name`).
    #[serde(default)]
    pub iam_instance_profile: Option<String>,
    /// `MetadataOptions.HttpTokens`.
    #[serde(default)]
    pub http_tokens: Option<String>,
}

/// An IAM user's access key: what the wire endpoint checks signatures
/// against, and who `GetCallerIdentity` says the caller is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessKey {
    /// `AKIA…` (any text the user's tools send).
    pub access_key_id: String,
    /// The secret.
    pub secret_access_key: String,
    /// The IAM user it belongs to (`None`: the account's root user).
    #[serde(default)]
    pub user_name: Option<String>,
}

/// An SSM parameter (for `{{resolve:ssm:…}}` and SSM parameter types).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SsmParameter {
    /// The name, e.g. `/app/db/host`.
    pub name: String,
    /// `String`, `StringList` or `SecureString`.
    #[serde(rename = "Type")]
    pub param_type: String,
    /// The value.
    pub value: String,
    /// The version, from 1.
    pub version: u32,
    /// A SecureString's KMS key, as given (its value is then the base64 ciphertext).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
}

/// A CloudFormation export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Export {
    /// The export name, unique in the region.
    pub name: String,
    /// The value.
    pub value: String,
    /// The exporting stack's ID.
    pub exporting_stack_id: String,
    /// The exporting stack's name.
    pub exporting_stack_name: String,
}

/// A resource of a type with no behaviour here (IAM roles, log groups, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InertResource {
    /// The CloudFormation type, e.g. `AWS::IAM::Role`.
    pub resource_type: String,
    /// What `Ref` returns.
    pub physical_id: String,
    /// Its ARN, when it has one.
    pub arn: Option<String>,
    /// Other attributes for `Fn::GetAtt`, by name.
    #[serde(default)]
    pub attributes: std::collections::BTreeMap<String, String>,
}
