//! Lifecycle states as enums, serialized exactly as AWS spells them (and as
//! the store has always held them), so the compiler sees every transition.
//! Each compares equal to its AWS spelling (`t.last_status == "RUNNING"`), so
//! code and tests read like the API.

use serde::{Deserialize, Serialize};

/// Declares a state enum with AWS's spelling of each variant.
macro_rules! aws_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every state, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// AWS's spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The state AWS spells `text`, if any.
            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|s| s.as_str() == text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }
    };
}

aws_enum! {
    /// A task's or container's `lastStatus`/`desiredStatus`.
    ///
    /// AWS doc "Amazon ECS task lifecycle": PROVISIONING → PENDING → ACTIVATING →
    /// RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED. Containers
    /// use PENDING, RUNNING and STOPPED; `desiredStatus` RUNNING or STOPPED.
    TaskStatus {
        /// ECS is setting up the task's network (awsvpc: its ENI).
        Provisioning = "PROVISIONING",
        /// Waiting for the agent to start it.
        Pending = "PENDING",
        /// Registering with load balancers and service discovery.
        Activating = "ACTIVATING",
        /// Running.
        Running = "RUNNING",
        /// Deregistering from load balancers.
        Deactivating = "DEACTIVATING",
        /// Its containers are being stopped.
        Stopping = "STOPPING",
        /// Its network is being torn down.
        Deprovisioning = "DEPROVISIONING",
        /// Stopped.
        Stopped = "STOPPED",
    }
}

impl TaskStatus {
    /// Between PROVISIONING and ACTIVATING: what `pendingCount` counts.
    pub fn is_pending(self) -> bool {
        matches!(self, TaskStatus::Provisioning | TaskStatus::Pending | TaskStatus::Activating)
    }
}

aws_enum! {
    /// An ECS service's `status` (AWS doc "DeleteService": ACTIVE → DRAINING → INACTIVE).
    ServiceStatus {
        /// In use.
        Active = "ACTIVE",
        /// Deleted, its tasks stopping.
        Draining = "DRAINING",
        /// Deleted; still described for a while.
        Inactive = "INACTIVE",
    }
}

aws_enum! {
    /// A service deployment's `status` (AWS doc "Deployment" in the ECS API Reference).
    DeploymentStatus {
        /// The newest deployment.
        Primary = "PRIMARY",
        /// An older deployment whose tasks are still being replaced.
        Active = "ACTIVE",
        /// Replaced.
        Inactive = "INACTIVE",
    }
}

aws_enum! {
    /// A deployment's `rolloutState` (the deployment circuit breaker's view).
    RolloutState {
        /// Rolling out.
        InProgress = "IN_PROGRESS",
        /// Steady.
        Completed = "COMPLETED",
        /// The circuit breaker stopped it.
        Failed = "FAILED",
    }
}

aws_enum! {
    /// An ECS cluster's `status` (AWS doc "Cluster" in the ECS API Reference).
    ClusterStatus {
        /// Ready for tasks.
        Active = "ACTIVE",
        /// Capacity providers being created.
        Provisioning = "PROVISIONING",
        /// Capacity providers being deleted.
        Deprovisioning = "DEPROVISIONING",
        /// Provisioning failed.
        Failed = "FAILED",
        /// Deleted; still described for a while.
        Inactive = "INACTIVE",
    }
}

aws_enum! {
    /// A task definition revision's `status`.
    TaskDefinitionStatus {
        /// Registered.
        Active = "ACTIVE",
        /// Deregistered: running tasks keep it, new ones cannot use it.
        Inactive = "INACTIVE",
        /// Being deleted.
        DeleteInProgress = "DELETE_IN_PROGRESS",
    }
}

aws_enum! {
    /// A container instance's `status` (AWS doc "Container instance draining" and "ContainerInstance").
    ContainerInstanceStatus {
        /// Its trunk ENI is being provisioned (ENI trunking).
        Registering = "REGISTERING",
        /// Takes tasks.
        Active = "ACTIVE",
        /// Takes no new tasks; its service tasks are being replaced.
        Draining = "DRAINING",
        /// Leaving the cluster.
        Deregistering = "DEREGISTERING",
        /// Gone from the cluster.
        Inactive = "INACTIVE",
        /// Registration failed.
        RegistrationFailed = "REGISTRATION_FAILED",
    }
}

aws_enum! {
    /// An EC2 instance's state name (AWS doc "Amazon EC2 instance state changes").
    InstanceState {
        /// Booting.
        Pending = "pending",
        /// Running.
        Running = "running",
        /// Being terminated.
        ShuttingDown = "shutting-down",
        /// Terminated; still described for about an hour.
        Terminated = "terminated",
        /// Being stopped.
        Stopping = "stopping",
        /// Stopped.
        Stopped = "stopped",
    }
}

aws_enum! {
    /// A load balancer target's health state (AWS doc "Target health status").
    TargetHealthState {
        /// Being registered; the first checks are not in.
        Initial = "initial",
        /// Passing health checks.
        Healthy = "healthy",
        /// Failing health checks.
        Unhealthy = "unhealthy",
        /// Failing, and being deregistered.
        UnhealthyDraining = "unhealthy.draining",
        /// Not used by any listener, or its zone is not enabled.
        Unused = "unused",
        /// Being deregistered.
        Draining = "draining",
        /// Health checks are disabled (IP targets outside the VPC, …).
        Unavailable = "unavailable",
    }
}

aws_enum! {
    /// A stack's `StackStatus` (AWS doc "Stack status codes" in the CloudFormation User Guide).
    StackStatus {
        /// `CREATE_IN_PROGRESS`.
        CreateInProgress = "CREATE_IN_PROGRESS",
        /// `CREATE_FAILED`.
        CreateFailed = "CREATE_FAILED",
        /// `CREATE_COMPLETE`.
        CreateComplete = "CREATE_COMPLETE",
        /// `ROLLBACK_IN_PROGRESS`.
        RollbackInProgress = "ROLLBACK_IN_PROGRESS",
        /// `ROLLBACK_FAILED`.
        RollbackFailed = "ROLLBACK_FAILED",
        /// `ROLLBACK_COMPLETE`.
        RollbackComplete = "ROLLBACK_COMPLETE",
        /// `DELETE_IN_PROGRESS`.
        DeleteInProgress = "DELETE_IN_PROGRESS",
        /// `DELETE_FAILED`.
        DeleteFailed = "DELETE_FAILED",
        /// `DELETE_COMPLETE`.
        DeleteComplete = "DELETE_COMPLETE",
        /// `UPDATE_IN_PROGRESS`.
        UpdateInProgress = "UPDATE_IN_PROGRESS",
        /// `UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`.
        UpdateCompleteCleanupInProgress = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
        /// `UPDATE_COMPLETE`.
        UpdateComplete = "UPDATE_COMPLETE",
        /// `UPDATE_FAILED`.
        UpdateFailed = "UPDATE_FAILED",
        /// `UPDATE_ROLLBACK_IN_PROGRESS`.
        UpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS",
        /// `UPDATE_ROLLBACK_FAILED`.
        UpdateRollbackFailed = "UPDATE_ROLLBACK_FAILED",
        /// `UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS`.
        UpdateRollbackCompleteCleanupInProgress = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
        /// `UPDATE_ROLLBACK_COMPLETE`.
        UpdateRollbackComplete = "UPDATE_ROLLBACK_COMPLETE",
        /// `REVIEW_IN_PROGRESS`.
        ReviewInProgress = "REVIEW_IN_PROGRESS",
        /// `IMPORT_IN_PROGRESS`.
        ImportInProgress = "IMPORT_IN_PROGRESS",
        /// `IMPORT_COMPLETE`.
        ImportComplete = "IMPORT_COMPLETE",
        /// `IMPORT_ROLLBACK_IN_PROGRESS`.
        ImportRollbackInProgress = "IMPORT_ROLLBACK_IN_PROGRESS",
        /// `IMPORT_ROLLBACK_FAILED`.
        ImportRollbackFailed = "IMPORT_ROLLBACK_FAILED",
        /// `IMPORT_ROLLBACK_COMPLETE`.
        ImportRollbackComplete = "IMPORT_ROLLBACK_COMPLETE",
    }
}

impl StackStatus {
    /// An operation is running: any `*_IN_PROGRESS` but REVIEW_IN_PROGRESS
    /// (a stack made by a change set that was never executed).
    pub fn in_progress(self) -> bool {
        self.as_str().ends_with("_IN_PROGRESS") && self != StackStatus::ReviewInProgress
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialized_as_aws_spells_them() {
        for s in TaskStatus::ALL {
            assert_eq!(serde_json::to_string(s).ok(), Some(format!("\"{}\"", s.as_str())));
            assert_eq!(TaskStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(serde_json::to_string(&RolloutState::InProgress).ok().as_deref(), Some("\"IN_PROGRESS\""));
        assert_eq!(serde_json::from_str::<ServiceStatus>("\"DRAINING\"").ok(), Some(ServiceStatus::Draining));
        assert_eq!(TaskStatus::parse("running"), None);
        assert!(TaskStatus::Activating.is_pending() && !TaskStatus::Running.is_pending());
        assert!(DeploymentStatus::Primary == "PRIMARY");
    }
}
