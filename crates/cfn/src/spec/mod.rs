//! CloudFormation resource type specifications: which type names exist, what
//! properties the modelled types take, what `Ref` and `Fn::GetAtt` give, and
//! the validation of a resource's resolved properties against them.
//!
//! All tables are `&'static` data: nothing is built at startup.

mod known_types;
mod registry;
mod types;
mod validate;

mod acm;
mod applicationautoscaling;
mod autoscaling;
mod cloudformation;
mod cloudwatch;
mod ec2;
mod ec2_compute;
mod ecr;
mod ecs;
mod ecs_task;
mod efs;
mod elb;
mod elbv2;
mod events;
mod iam;
mod kms;
mod lambda;
mod logs;
mod rds;
mod route53;
mod s3;
mod secretsmanager;
mod servicediscovery;
mod sns;
mod sqs;
mod ssm;

pub use known_types::KNOWN_TYPES;
pub use validate::validate_properties;

/// The transform that makes the `AWS::Serverless::*` types exist.
pub const SERVERLESS_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// The SAM resource types, valid only under [`SERVERLESS_TRANSFORM`]
/// (from aws-sam-translator 1.110.0).
pub static SERVERLESS_TYPES: &[&str] = &[
    "AWS::Serverless::Api",
    "AWS::Serverless::Application",
    "AWS::Serverless::CapacityProvider",
    "AWS::Serverless::Connector",
    "AWS::Serverless::Function",
    "AWS::Serverless::GraphQLApi",
    "AWS::Serverless::HttpApi",
    "AWS::Serverless::LayerVersion",
    "AWS::Serverless::SimpleTable",
    "AWS::Serverless::StateMachine",
    "AWS::Serverless::WebSocketApi",
];

/// The type of a property's value, as the resource schema declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropType {
    /// A string; numbers and booleans are accepted (CloudFormation coerces them).
    String,
    /// An integer; numeric strings are accepted.
    Integer,
    /// A number; numeric strings are accepted.
    Number,
    /// A boolean; the strings `true` and `false` are accepted.
    Boolean,
    /// A free-form JSON object (contents not checked).
    Json,
    /// Any value: the schema leaves it open.
    Any,
    /// A list whose items have the given type.
    List(&'static PropType),
    /// An object with arbitrary string keys whose values have the given type.
    Map(&'static PropType),
    /// An object with exactly these properties (unknown keys are rejected).
    Struct(&'static [PropSpec]),
    /// Any one of these types (the schema lists several).
    OneOf(&'static [PropType]),
}

/// One property of a resource or of a nested structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PropSpec {
    /// The property name, e.g. `NetworkConfiguration`.
    pub name: &'static str,
    /// Its type.
    pub ty: PropType,
    /// Whether the schema lists it in `required`.
    pub required: bool,
}

/// What CloudFormation knows about one resource type.
#[derive(Debug, PartialEq, Eq)]
pub struct ResourceSpec {
    /// The type name, e.g. `AWS::ECS::Service`.
    pub type_name: &'static str,
    /// The properties a template may set (read-only ones are left out).
    pub properties: &'static [PropSpec],
    /// Valid `Fn::GetAtt` attribute names, dotted ones included (`Endpoint.Address`).
    pub attributes: &'static [&'static str],
    /// What `Ref` returns, in a few words.
    pub ref_returns: &'static str,
}

impl ResourceSpec {
    /// The top-level property called `name`, if the type has one.
    pub fn property(&self, name: &str) -> Option<&'static PropSpec> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// True when `Fn::GetAtt` accepts `name` on this type.
    pub fn has_attribute(&self, name: &str) -> bool {
        self.attributes.contains(&name)
    }
}

/// The property table of a modelled type; `None` for types without one.
pub fn resource_spec(type_name: &str) -> Option<&'static ResourceSpec> {
    let specs = registry::SPECS;
    specs.binary_search_by(|s| s.type_name.cmp(type_name)).ok().and_then(|i| specs.get(i).copied())
}

/// Every type that has a property table, sorted by name.
pub fn modelled_types() -> impl Iterator<Item = &'static str> {
    registry::SPECS.iter().map(|s| s.type_name)
}

/// True for custom resources: `Custom::NAME` and `AWS::CloudFormation::CustomResource`.
pub fn is_custom_type(type_name: &str) -> bool {
    type_name == "AWS::CloudFormation::CustomResource"
        || type_name.strip_prefix("Custom::").is_some_and(is_custom_suffix)
}

// CloudFormation allows letters, digits and `_@-` after `Custom::` (AWS doc:
// "AWS::CloudFormation::CustomResource"), up to 60 characters in all.
fn is_custom_suffix(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 60 - "Custom::".len()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '@' | '-'))
}

/// True when CloudFormation in us-east-1 recognises the type; the
/// `AWS::Serverless::*` types count only when the template declares
/// `Transform: AWS::Serverless-2016-10-31` (`serverless_transform`).
pub fn is_known_type(type_name: &str, serverless_transform: bool) -> bool {
    if is_custom_type(type_name) || KNOWN_TYPES.binary_search(&type_name).is_ok() {
        return true;
    }
    serverless_transform && SERVERLESS_TYPES.binary_search(&type_name).is_ok()
}

#[cfg(test)]
mod tests;
