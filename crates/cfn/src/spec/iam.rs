//! IAM (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const POLICY: T = T::Struct(&[req("PolicyDocument", T::OneOf(&[S, J])), req("PolicyName", S)]);

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

const LOGIN_PROFILE: T = T::Struct(&[req("Password", S), opt("PasswordResetRequired", B)]);

const POLICY_2: T = T::Struct(&[req("PolicyDocument", T::OneOf(&[J, S])), req("PolicyName", S)]);

// AWS doc: "AWS::IAM::Role"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static ROLE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::IAM::Role",
    properties: &[
        req("AssumeRolePolicyDocument", T::OneOf(&[J, S])),
        opt("Description", S),
        opt("ManagedPolicyArns", T::List(&S)),
        opt("MaxSessionDuration", I),
        opt("Path", S),
        opt("PermissionsBoundary", S),
        opt("Policies", T::List(&POLICY)),
        opt("RoleName", S),
        opt("Tags", T::List(&TAG)),
    ],
    attributes: &["Arn", "RoleId"],
    ref_returns: "the role name",
};

// AWS doc: "AWS::IAM::Policy"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static POLICY_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::IAM::Policy",
    properties: &[
        opt("Groups", T::List(&S)),
        req("PolicyDocument", T::OneOf(&[J, S])),
        req("PolicyName", S),
        opt("Roles", T::List(&S)),
        opt("Users", T::List(&S)),
    ],
    attributes: &["Id"],
    ref_returns: "the policy's physical ID",
};

// AWS doc: "AWS::IAM::ManagedPolicy"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static MANAGED_POLICY_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::IAM::ManagedPolicy",
    properties: &[
        opt("Description", S),
        opt("Groups", T::List(&S)),
        opt("ManagedPolicyName", S),
        opt("Path", S),
        req("PolicyDocument", ANY),
        opt("Roles", T::List(&S)),
        opt("Users", T::List(&S)),
    ],
    attributes: &[
        "AttachmentCount",
        "CreateDate",
        "DefaultVersionId",
        "IsAttachable",
        "PermissionsBoundaryUsageCount",
        "PolicyArn",
        "PolicyId",
        "UpdateDate",
    ],
    ref_returns: "the managed policy ARN",
};

// AWS doc: "AWS::IAM::InstanceProfile"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static INSTANCE_PROFILE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::IAM::InstanceProfile",
    properties: &[opt("InstanceProfileName", S), opt("Path", S), req("Roles", T::List(&S))],
    attributes: &["Arn"],
    ref_returns: "the instance profile name",
};

// AWS doc: "AWS::IAM::User"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static USER_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::IAM::User",
    properties: &[
        opt("Groups", T::List(&S)),
        opt("LoginProfile", LOGIN_PROFILE),
        opt("ManagedPolicyArns", T::List(&S)),
        opt("Path", S),
        opt("PermissionsBoundary", S),
        opt("Policies", T::List(&POLICY_2)),
        opt("Tags", T::List(&TAG)),
        opt("UserName", S),
    ],
    attributes: &["Arn"],
    ref_returns: "the user name",
};

// AWS doc: "AWS::IAM::Group"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static GROUP_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::IAM::Group",
    properties: &[
        opt("GroupName", S),
        opt("ManagedPolicyArns", T::List(&S)),
        opt("Path", S),
        opt("Policies", T::List(&POLICY)),
    ],
    attributes: &["Arn"],
    ref_returns: "the group name",
};
