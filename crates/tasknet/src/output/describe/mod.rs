//! `tasknet describe …`: the account's stacks, ECS, EC2 and ELB state, as
//! JSON in the AWS API's response shapes (what `aws … describe-*` prints) or
//! as aligned columns for people.
//!
//! One module per family of views; [`select`] resolves the filters
//! (`--stack-name`, `--cluster`, `--service`, `--target-group`, `--all`)
//! once so every view narrows the same way.

pub mod ec2;
pub mod ecs;
pub mod elb;
pub mod groups;
pub mod instances;
pub mod json;
pub mod select;
pub mod stacks;
pub mod table;
pub mod tasks;
pub mod time;

use crate::cli::{DescribeFormat, DescribeWhat};
use account::Account;
pub use select::{Query, Scope};

/// An AWS API error, as the aws CLI reports it:
/// `An error occurred (CODE) when calling the OPERATION operation: MESSAGE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The error code, e.g. `ValidationError`.
    pub code: &'static str,
    /// The API action the view stands for, e.g. `DescribeStacks`.
    pub operation: &'static str,
    /// AWS's text.
    pub message: String,
}

/// A rendered view: a JSON document (serialized by the caller) or text.
#[derive(Clone, Debug, PartialEq)]
pub enum Doc {
    /// The API's response document.
    Json(serde_json::Value),
    /// Aligned columns, newline-terminated.
    Text(String),
}

impl Doc {
    /// `json()` or `text()` of a view, whichever `format` asks for; the
    /// closures keep the other one from being built.
    pub fn of(format: DescribeFormat, json: impl FnOnce() -> serde_json::Value, text: impl FnOnce() -> String) -> Doc {
        match format {
            DescribeFormat::Json => Doc::Json(json::prune(json())),
            DescribeFormat::Text => Doc::Text(text()),
        }
    }
}

/// Renders one view of the account.
pub fn render(account: &Account, what: DescribeWhat, query: &Query, format: DescribeFormat) -> Result<Doc, ApiError> {
    match what {
        DescribeWhat::Stacks => stacks::stacks(account, query, format),
        DescribeWhat::StackEvents => stacks::events(account, query, format),
        DescribeWhat::StackResources => stacks::resources(account, query, format),
        DescribeWhat::Services => ecs::services(&Scope::new(account, query, "DescribeServices")?, format),
        DescribeWhat::Tasks => tasks::tasks(&Scope::new(account, query, "DescribeTasks")?, format),
        DescribeWhat::ContainerInstances => {
            tasks::container_instances(&Scope::new(account, query, "DescribeContainerInstances")?, format)
        }
        DescribeWhat::NetworkInterfaces => {
            Ok(ec2::network_interfaces(&Scope::new(account, query, "DescribeNetworkInterfaces")?, format))
        }
        DescribeWhat::Subnets => Ok(ec2::subnets(&Scope::new(account, query, "DescribeSubnets")?, format)),
        DescribeWhat::NatGateways => Ok(ec2::nat_gateways(&Scope::new(account, query, "DescribeNatGateways")?, format)),
        DescribeWhat::RouteTables => Ok(ec2::route_tables(&Scope::new(account, query, "DescribeRouteTables")?, format)),
        DescribeWhat::SecurityGroups => {
            Ok(groups::security_groups(&Scope::new(account, query, "DescribeSecurityGroups")?, format))
        }
        DescribeWhat::Instances => Ok(instances::instances(&Scope::new(account, query, "DescribeInstances")?, format)),
        DescribeWhat::TargetHealth => elb::target_health(&Scope::new(account, query, "DescribeTargetHealth")?, format),
    }
}
