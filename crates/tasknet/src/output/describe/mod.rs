//! `tasknet describe …`: the account's stacks, ECS, EC2 and ELB state, as
//! JSON in the AWS API's response shapes (what `aws … describe-*` prints,
//! built by the `shapes` library) or as aligned columns for people (here).
//!
//! One module per family of tables; each reads the items in view from
//! `shapes` (its `Selection` resolves `--stack-name`, `--cluster`,
//! `--service`, `--target-group` and `--all` once), so both views narrow the
//! same way.

pub mod ec2;
pub mod ecs;
pub mod elb;
pub mod groups;
pub mod instances;
pub mod stacks;
pub mod table;
pub mod tasks;

use crate::cli::{DescribeFormat, DescribeWhat};
use account::Account;
pub use shapes::{ApiError, Query, Selection};

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
    pub fn of(
        format: DescribeFormat,
        json: impl FnOnce() -> Result<serde_json::Value, ApiError>,
        text: impl FnOnce() -> Result<String, ApiError>,
    ) -> Result<Doc, ApiError> {
        match format {
            DescribeFormat::Json => json().map(Doc::Json),
            DescribeFormat::Text => text().map(Doc::Text),
        }
    }
}

/// Renders one view of the account.
pub fn render(account: &Account, what: DescribeWhat, query: &Query, format: DescribeFormat) -> Result<Doc, ApiError> {
    use shapes::{cloudformation as cfn, ec2 as aws_ec2, ecs as aws_ecs, elbv2};
    let sel = |operation| Selection::new(account, query, operation);
    match what {
        DescribeWhat::Stacks => {
            Doc::of(format, || cfn::describe_stacks(account, query), || stacks::stacks(account, query))
        }
        DescribeWhat::StackEvents => {
            Doc::of(format, || cfn::describe_stack_events(account, query), || stacks::events(account, query))
        }
        DescribeWhat::StackResources => {
            Doc::of(format, || cfn::describe_stack_resources(account, query), || stacks::resources(account, query))
        }
        DescribeWhat::Services => {
            let s = sel("DescribeServices")?;
            Doc::of(format, || aws_ecs::describe_services(&s), || ecs::services(&s))
        }
        DescribeWhat::Tasks => {
            let s = sel("DescribeTasks")?;
            Doc::of(format, || aws_ecs::describe_tasks(&s), || tasks::tasks(&s))
        }
        DescribeWhat::ContainerInstances => {
            let s = sel("DescribeContainerInstances")?;
            Doc::of(format, || aws_ecs::describe_container_instances(&s), || tasks::container_instances(&s))
        }
        DescribeWhat::NetworkInterfaces => {
            let s = sel("DescribeNetworkInterfaces")?;
            Doc::of(format, || Ok(aws_ec2::describe_network_interfaces(&s)), || Ok(ec2::network_interfaces(&s)))
        }
        DescribeWhat::Subnets => {
            let s = sel("DescribeSubnets")?;
            Doc::of(format, || Ok(aws_ec2::describe_subnets(&s)), || Ok(ec2::subnets(&s)))
        }
        DescribeWhat::NatGateways => {
            let s = sel("DescribeNatGateways")?;
            Doc::of(format, || Ok(aws_ec2::describe_nat_gateways(&s)), || Ok(ec2::nat_gateways(&s)))
        }
        DescribeWhat::RouteTables => {
            let s = sel("DescribeRouteTables")?;
            Doc::of(format, || Ok(aws_ec2::describe_route_tables(&s)), || Ok(ec2::route_tables(&s)))
        }
        DescribeWhat::SecurityGroups => {
            let s = sel("DescribeSecurityGroups")?;
            Doc::of(format, || Ok(aws_ec2::describe_security_groups(&s)), || Ok(groups::security_groups(&s)))
        }
        DescribeWhat::Instances => {
            let s = sel("DescribeInstances")?;
            Doc::of(format, || Ok(aws_ec2::describe_instances(&s)), || Ok(instances::instances(&s)))
        }
        DescribeWhat::TargetHealth => {
            let s = sel("DescribeTargetHealth")?;
            Doc::of(format, || elbv2::describe_target_health(&s), || elb::target_health(&s))
        }
    }
}
