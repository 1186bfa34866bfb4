//! What a stack would create in the account.

use account::Account;
use serde::Serialize;

/// One resource the stack would create.
#[derive(Clone, Debug, Serialize)]
pub struct PlannedResource {
    /// What happens to it: `Add`; for a deployed stack also `Modify`,
    /// `Replace`, `Keep` (unchanged) or `Remove`.
    pub action: String,
    /// Logical ID.
    pub logical_id: String,
    /// Resource type.
    pub resource_type: String,
    /// The physical ID it would get (what `Ref` returns).
    pub physical_id: String,
    /// Facts worth showing: CIDR, zone, subnets tasks land in, target type…
    pub details: Vec<(String, String)>,
}

/// An output of the stack.
#[derive(Clone, Debug, Serialize)]
pub struct PlannedOutput {
    /// Output name.
    pub name: String,
    /// Its value.
    pub value: String,
    /// Export name, if exported.
    pub export: Option<String>,
}

/// The plan of one stack (and its nested stacks, flattened with a prefix).
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    /// Stack name.
    pub stack_name: String,
    /// Parameter values as `describe-stacks` would show them (NoEcho masked).
    pub parameters: Vec<(String, String)>,
    /// Resources in creation order; resources whose condition is false are left out.
    pub resources: Vec<PlannedResource>,
    /// Resources skipped because their condition is false.
    pub skipped: Vec<String>,
    /// Outputs.
    pub outputs: Vec<PlannedOutput>,
    /// Export names the stack reads with `Fn::ImportValue`.
    pub imports: Vec<String>,
    /// The account as it would be after the stack is created.
    #[serde(skip)]
    pub account: Account,
}
