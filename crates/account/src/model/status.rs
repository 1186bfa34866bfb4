//! Lifecycle states as enums, serialized exactly as AWS spells them (and as
//! the store has always held them), so the compiler sees every transition.

use serde::{Deserialize, Serialize};

/// A task's or container's `lastStatus`/`desiredStatus`.
///
/// AWS doc "Amazon ECS task lifecycle": PROVISIONING → PENDING → ACTIVATING →
/// RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED. Containers
/// use PENDING, RUNNING and STOPPED; `desiredStatus` RUNNING or STOPPED.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskStatus {
    /// ECS is setting up the task's network (awsvpc: its ENI).
    Provisioning,
    /// Waiting for the agent to start it.
    Pending,
    /// Registering with load balancers and service discovery.
    Activating,
    /// Running.
    Running,
    /// Deregistering from load balancers.
    Deactivating,
    /// Its containers are being stopped.
    Stopping,
    /// Its network is being torn down.
    Deprovisioning,
    /// Stopped.
    Stopped,
}

impl TaskStatus {
    /// AWS's spelling, e.g. `RUNNING`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Provisioning => "PROVISIONING",
            TaskStatus::Pending => "PENDING",
            TaskStatus::Activating => "ACTIVATING",
            TaskStatus::Running => "RUNNING",
            TaskStatus::Deactivating => "DEACTIVATING",
            TaskStatus::Stopping => "STOPPING",
            TaskStatus::Deprovisioning => "DEPROVISIONING",
            TaskStatus::Stopped => "STOPPED",
        }
    }

    /// The status AWS spells `text`, if any.
    pub fn parse(text: &str) -> Option<TaskStatus> {
        ALL.iter().copied().find(|s| s.as_str() == text)
    }

    /// Between PROVISIONING and ACTIVATING: what `pendingCount` counts.
    pub fn is_pending(self) -> bool {
        matches!(self, TaskStatus::Provisioning | TaskStatus::Pending | TaskStatus::Activating)
    }
}

/// Every status, in lifecycle order.
const ALL: [TaskStatus; 8] = [
    TaskStatus::Provisioning,
    TaskStatus::Pending,
    TaskStatus::Activating,
    TaskStatus::Running,
    TaskStatus::Deactivating,
    TaskStatus::Stopping,
    TaskStatus::Deprovisioning,
    TaskStatus::Stopped,
];

impl std::fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Comparing with AWS's spelling reads like the API (`t.last_status == "RUNNING"`).
impl PartialEq<&str> for TaskStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for TaskStatus {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialized_as_aws_spells_them() {
        for s in ALL {
            assert_eq!(serde_json::to_string(&s).ok(), Some(format!("\"{}\"", s.as_str())));
            assert_eq!(TaskStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(TaskStatus::parse("running"), None);
        assert!(TaskStatus::Activating.is_pending() && !TaskStatus::Running.is_pending());
    }
}
