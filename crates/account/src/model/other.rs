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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
}

/// A launch configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
}

/// A launch template (its default version's network-relevant data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
