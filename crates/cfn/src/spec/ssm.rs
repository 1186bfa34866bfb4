//! Systems Manager parameters (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

// AWS doc: "AWS::SSM::Parameter"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static PARAMETER_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::SSM::Parameter",
    properties: &[
        opt("AllowedPattern", S),
        opt("DataType", S),
        opt("Description", S),
        opt("Name", S),
        opt("Policies", S),
        opt("Tags", T::Map(&S)),
        opt("Tier", S),
        req("Type", S),
        req("Value", S),
    ],
    attributes: &["AllowedPattern", "DataType", "Description", "Name", "Policies", "Tier", "Type", "Value"],
    ref_returns: "the parameter name",
};
