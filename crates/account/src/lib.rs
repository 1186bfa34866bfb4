//! The local AWS account: its model, IDs and ARNs, EC2 actions, the account
//! file, `describe-*` import, and the SQLite store.
//!
//! Pure logic: nothing here touches the network or the host's interfaces.

#![warn(missing_docs)]

pub mod account;
pub mod acm;
pub mod aws_error;
pub mod cidr;
pub mod credentials;
pub mod custom_resources;
pub mod defaults;
pub mod delete_services;
pub mod ec2;
pub mod endpoints;
pub mod error;
pub mod file;
pub mod ids;
pub mod import;
pub mod instance_types;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod model;
pub mod password;
pub mod rds;
pub mod s3;
pub mod secrets;
pub mod services;
pub mod ssm;
pub mod store;
pub mod sts;

pub use account::{inert_key, Account, AvailabilityZone};
pub use aws_error::{AwsError, AwsService, Fault};
pub use cidr::{CidrError, Ipv4Cidr};
pub use ec2::{CreateNetworkInterface, CreateVpcEndpoint, ModifyVpcEndpoint, PrefixList, VpcAttribute};
pub use error::{Ec2Error, ServiceError};
pub use kms::{KeyManager, KeyState, KmsAlias, KmsKey};
pub use lambda::{ConfigurationUpdate, CreateFunction};
pub use model::*;
pub use password::PasswordRequest;
pub use rds::{CreateDbInstance, CreateDbSubnetGroup};
pub use s3::S3Error;
pub use secrets::{
    CreateSecret, GenerateSecretString, Secret, SecretFilter, SecretValue, SecretVersion, SecretWritten,
};
pub use store::{Store, StoreError};
