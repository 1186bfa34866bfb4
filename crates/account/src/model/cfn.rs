//! CloudFormation stacks as the account keeps them, cased as the
//! CloudFormation API describes them (PascalCase).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A stack output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StackOutput {
    /// The output's logical name.
    pub output_key: String,
    /// Its value.
    pub output_value: String,
    /// Its description.
    pub description: Option<String>,
    /// The export name, when exported.
    pub export_name: Option<String>,
}

/// One resource of a stack (`StackResource`), with what the engine needs to update or delete it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StackResource {
    /// The logical ID.
    pub logical_resource_id: String,
    /// What Ref returns; absent until created.
    pub physical_resource_id: Option<String>,
    /// e.g. `AWS::ECS::Service`.
    pub resource_type: String,
    /// CREATE_COMPLETE, UPDATE_COMPLETE, DELETE_FAILED, …
    pub resource_status: String,
    /// Why, when it failed.
    pub resource_status_reason: Option<String>,
    /// When it last changed (clock milliseconds).
    pub last_updated_timestamp: u64,
    /// The resolved properties it was created or last updated with.
    #[serde(default)]
    pub properties: serde_json::Value,
    /// `Fn::GetAtt` values by attribute name.
    #[serde(default)]
    pub attributes: BTreeMap<String, serde_json::Value>,
    /// `Delete` (default), `Retain` or `Snapshot`.
    #[serde(default)]
    pub deletion_policy: Option<String>,
    /// A custom resource answered `NoEcho`: its attributes are masked where CloudFormation shows them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_echo: bool,
}

/// A stack event (`StackEvent`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StackEvent {
    /// The stack's ID.
    pub stack_id: String,
    /// A UUID (the logical ID and the UUID for resource events).
    pub event_id: String,
    /// The stack's name.
    pub stack_name: String,
    /// The resource (the stack's name for stack events).
    pub logical_resource_id: String,
    /// Its physical ID, once it has one.
    pub physical_resource_id: Option<String>,
    /// Its type (`AWS::CloudFormation::Stack` for the stack).
    pub resource_type: String,
    /// When (clock milliseconds).
    pub timestamp: u64,
    /// The status it reached.
    pub resource_status: String,
    /// Why.
    pub resource_status_reason: Option<String>,
}

/// One change of a change set (`ResourceChange`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceChange {
    /// Add, Modify or Remove.
    pub action: String,
    /// The logical ID.
    pub logical_resource_id: String,
    /// The physical ID (Modify, Remove).
    pub physical_resource_id: Option<String>,
    /// The type.
    pub resource_type: String,
    /// True, False or Conditional (Modify only).
    pub replacement: Option<String>,
    /// Properties, Metadata, … (Modify only).
    #[serde(default)]
    pub scope: Vec<String>,
    /// The changed properties and whether each forces replacement.
    #[serde(default)]
    pub details: Vec<ResourceChangeDetail>,
}

/// One changed property (`ResourceChangeDetail`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceChangeDetail {
    /// The property's name.
    pub name: String,
    /// Never, Conditionally or Always.
    pub requires_recreation: String,
    /// Static or Dynamic.
    pub evaluation: String,
    /// DirectModification, ParameterReference, ResourceReference, ….
    pub change_source: String,
}

/// A change set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangeSet {
    /// `arn:aws:cloudformation:REGION:ACCT:changeSet/NAME/UUID`.
    pub change_set_id: String,
    /// Its name.
    pub change_set_name: String,
    /// `CREATE` or `UPDATE`.
    pub change_set_type: String,
    /// CREATE_COMPLETE, FAILED, …
    pub status: String,
    /// AVAILABLE, EXECUTE_COMPLETE, OBSOLETE, …
    pub execution_status: String,
    /// Why it failed (e.g. the "didn't contain changes" text).
    pub status_reason: Option<String>,
    /// When (clock milliseconds).
    pub creation_time: u64,
    /// The changes.
    pub changes: Vec<ResourceChange>,
    /// The change set's own description (`--description`).
    #[serde(default)]
    pub description: Option<String>,
    /// The template file it was made from, which executing it deploys.
    #[serde(default)]
    pub template_path: Option<String>,
    /// The parameter values it was made with (resolved: defaults included).
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    /// The capabilities acknowledged when it was made.
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Attributes of custom resources it was made with (tasknet's own).
    #[serde(default)]
    pub custom_attributes: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    /// Made with `--allow-deprecated-runtimes` (tasknet's own): executing it allows them too.
    #[serde(default)]
    pub allow_deprecated_runtimes: bool,
    /// The stack tags it sets when executed (none: the stack keeps its own).
    #[serde(default)]
    pub tags: super::Tags,
}

/// A CloudFormation stack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Stack {
    /// `arn:aws:cloudformation:REGION:ACCT:stack/NAME/UUID`.
    pub stack_id: String,
    /// The name.
    pub stack_name: String,
    /// The template's description.
    pub description: Option<String>,
    /// CREATE_COMPLETE, ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE, DELETE_COMPLETE, …
    pub stack_status: super::StackStatus,
    /// Why it reached that status.
    pub stack_status_reason: Option<String>,
    /// When it was created (clock milliseconds).
    pub creation_time: u64,
    /// When it was last updated.
    pub last_updated_time: Option<u64>,
    /// When it was deleted.
    pub deletion_time: Option<u64>,
    /// Parameter values in effect.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    /// Capabilities acknowledged.
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Its outputs.
    #[serde(default)]
    pub outputs: Vec<StackOutput>,
    /// Whether failures leave resources in place.
    #[serde(default)]
    pub disable_rollback: bool,
    /// The template file it was last deployed from.
    pub template_path: Option<String>,
    /// The template text it was last deployed from.
    #[serde(default)]
    pub template_body: String,
    /// Its resources, in creation order.
    #[serde(default)]
    pub resources: Vec<StackResource>,
    /// Its events, oldest first (`describe-stack-events` prints them newest first).
    #[serde(default)]
    pub events: Vec<StackEvent>,
    /// Its change sets.
    #[serde(default)]
    pub change_sets: Vec<ChangeSet>,
    /// Its tags (`Tags` of CreateStack, UpdateStack, CreateChangeSet).
    #[serde(default)]
    pub tags: super::Tags,
    /// Export names it imports with `Fn::ImportValue`.
    #[serde(default)]
    pub imports: Vec<String>,
    /// The parent stack's ID, for nested stacks.
    pub parent_id: Option<String>,
    /// The process holding the stack while an operation runs (tasknet's own; not an AWS field).
    #[serde(default)]
    pub operation_pid: Option<u32>,
    /// During an update: the resources as they were before it, which a
    /// rollback restores (tasknet's own bookkeeping).
    #[serde(default)]
    pub previous_resources: Vec<StackResource>,
    /// During an update: the outputs before it.
    #[serde(default)]
    pub previous_outputs: Vec<StackOutput>,
    /// During an update: the parameters before it.
    #[serde(default)]
    pub previous_parameters: BTreeMap<String, String>,
}

impl Stack {
    /// A resource by logical ID.
    pub fn resource(&self, logical_id: &str) -> Option<&StackResource> {
        self.resources.iter().find(|r| r.logical_resource_id == logical_id)
    }

    /// True while an operation is running (any `*_IN_PROGRESS` status but
    /// REVIEW_IN_PROGRESS, which is a stack waiting for its first change set
    /// to be executed, with nothing running).
    pub fn in_progress(&self) -> bool {
        self.stack_status.in_progress()
    }
}

/// A parameter a template declares, as GetTemplateSummary and
/// ValidateTemplate describe it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateParameter {
    /// Its logical name.
    pub key: String,
    /// `Default`, as text.
    pub default: Option<String>,
    /// `Type`.
    pub ty: String,
    /// `NoEcho`.
    pub no_echo: bool,
    /// `Description`.
    pub description: Option<String>,
    /// `AllowedValues`.
    pub allowed_values: Vec<String>,
}

/// What a template declares, without deploying it (GetTemplateSummary, ValidateTemplate).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSummary {
    /// Its parameters, in template order.
    pub parameters: Vec<TemplateParameter>,
    /// Its `Description`.
    pub description: Option<String>,
    /// The capability its IAM resources need, if any.
    pub capabilities: Vec<String>,
    /// Why (AWS's sentence naming the resources).
    pub capabilities_reason: Option<String>,
    /// The resource types it declares, each once, in template order.
    pub resource_types: Vec<String>,
    /// `AWSTemplateFormatVersion`.
    pub version: Option<String>,
    /// Its `Transform`s.
    pub transforms: Vec<String>,
}
