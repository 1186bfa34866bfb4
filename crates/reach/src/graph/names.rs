//! Names for what a stack created: the drawing labels resources by their
//! logical IDs, which say what they are for, where physical IDs do not.

use account::Account;
use std::collections::BTreeMap;

/// Logical IDs by physical ID, from every stack that still exists.
#[derive(Clone, Debug, Default)]
pub struct Names {
    logical: BTreeMap<String, String>,
}

impl Names {
    /// Collects the logical IDs of every live stack's resources.
    pub fn new(account: &Account) -> Self {
        let mut logical = BTreeMap::new();
        for stack in account.stacks.values().filter(|s| s.stack_status != "DELETE_COMPLETE") {
            for r in stack.resources.iter().filter(|r| r.resource_status != "DELETE_COMPLETE") {
                if let Some(physical) = &r.physical_resource_id {
                    // The first stack (by stack ID) wins, so the name is stable.
                    logical.entry(physical.clone()).or_insert_with(|| r.logical_resource_id.clone());
                }
            }
        }
        Names { logical }
    }

    /// The logical ID of a stack's resource, by physical ID (an ID, ARN or name).
    pub fn logical(&self, physical: &str) -> Option<&str> {
        self.logical.get(physical).map(String::as_str)
    }

    /// The logical ID when a stack created it, else the physical ID.
    pub fn short(&self, physical: &str) -> String {
        self.logical(physical).unwrap_or(physical).to_string()
    }
}

/// The last `/`-separated part of an ARN: a task's ID, a service's name.
pub fn tail(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}
