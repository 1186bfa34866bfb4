//! Credentials that AWS hands to what runs inside a VPC: a task's
//! `TaskRoleArn` keys (served by the ECS agent at 169.254.170.2) and an
//! instance profile's keys (served by instance metadata), each an STS role
//! session ([`crate::sts`]) that is renewed ahead of its expiry; plus the
//! rest of what instance metadata tells an instance about itself.
//!
//! Times are the wall clock's, given by the caller, as in [`crate::sts`].

use crate::ec2::autoscaling::iso_time;
use crate::model::RoleSession;
use crate::Account;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How long task role keys last: six hours (AWS doc "Amazon ECS task IAM
/// role", formerly: "The default expiration time for the generated IAM role
/// credentials is 6 hours").
pub const TASK_CREDENTIALS_SECS: i64 = 6 * 3600;
/// How long instance profile keys last. Unverified: six hours is what
/// instances are seen to get (LastUpdated to Expiration); AWS documents no figure.
pub const INSTANCE_CREDENTIALS_SECS: i64 = 6 * 3600;
/// New keys are served this long before the old ones expire. AWS doc
/// "Retrieve security credentials from instance metadata": "We make new
/// credentials available at least five minutes before the expiration of
/// the old credentials"; for the ECS agent AWS gives no figure (unverified).
/// Fifteen minutes, because the SDKs refresh that long ahead (botocore's
/// advisory refresh) and must then get the new keys, not the old again.
pub const ROTATE_BEFORE_MS: u64 = 15 * 60 * 1000;

/// The credentials ID ECS gives a task with a task role: what its
/// containers' `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaskCredentials {
    /// A UUID.
    pub credentials_id: String,
    /// The task.
    pub task_arn: String,
    /// The role its keys are for.
    pub role_arn: String,
}

impl TaskCredentials {
    /// `/v2/credentials/<id>`: the container's `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
    /// (AWS doc "Amazon ECS task IAM role").
    pub fn relative_uri(&self) -> String {
        format!("/v2/credentials/{}", self.credentials_id)
    }
}

/// Keys as the credential endpoints serve them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServedCredentials {
    /// The role.
    pub role_arn: String,
    /// The session's keys.
    pub session: RoleSession,
    /// When these keys were issued (wall ms): IMDS's `LastUpdated`.
    pub issued_ms: u64,
}

impl ServedCredentials {
    /// `Expiration` as both endpoints write it (`2026-01-01T06:00:00Z`).
    pub fn expiration(&self) -> String {
        iso_time(self.session.expiration_ms)
    }

    /// `LastUpdated` as IMDS writes it.
    pub fn last_updated(&self) -> String {
        iso_time(self.issued_ms)
    }
}

/// The role's name: the last part of its ARN's path.
pub fn role_name(role_arn: &str) -> &str {
    role_arn.rsplit('/').next().unwrap_or(role_arn)
}

impl Account {
    /// A role given as a name or an ARN, as an ARN (ECS's `taskRoleArn`
    /// takes either: AWS doc "Task definition parameters").
    fn role_arn_of(&self, given: &str) -> String {
        if given.starts_with("arn:") {
            given.to_string()
        } else {
            format!("arn:aws:iam::{}:role/{given}", self.account_id)
        }
    }

    /// The role a task's keys are for: its task definition's `taskRoleArn`.
    pub fn task_role_arn(&self, task_arn: &str) -> Option<String> {
        let task = self.tasks.get(task_arn)?;
        let given = self.task_definitions.get(&task.task_definition_arn)?.task_role_arn.as_deref()?;
        (!given.is_empty()).then(|| self.role_arn_of(given))
    }

    /// The role an instance's profile holds: `IamInstanceProfile` (a name or
    /// an ARN) names an `AWS::IAM::InstanceProfile`, whose `Roles` (at most
    /// one, AWS doc "AWS::IAM::InstanceProfile") name the role.
    pub fn instance_role_arn(&self, instance_id: &str) -> Option<String> {
        let profile = self.instance_profile(instance_id)?;
        let roles =
            self.stacks.values().filter(|s| s.stack_status != crate::StackStatus::DeleteComplete).find_map(|s| {
                s.resources.iter().find(|r| {
                    r.resource_type == "AWS::IAM::InstanceProfile"
                        && r.physical_resource_id.as_deref() == Some(profile.physical_id.as_str())
                })
            })?;
        let role = roles.properties.get("Roles")?.as_array()?.first()?.as_str()?;
        Some(self.role_arn_of(role))
    }

    /// The instance profile an instance was launched with, when the account has it.
    pub fn instance_profile(&self, instance_id: &str) -> Option<&crate::InertResource> {
        let given = self.instances.get(instance_id)?.iam_instance_profile.as_deref()?;
        self.inert.values().find(|r| {
            r.resource_type == "AWS::IAM::InstanceProfile"
                && (r.physical_id == given || r.arn.as_deref() == Some(given))
        })
    }

    /// The newest session of `role_arn` named `session_name` that has not expired at `now_ms`.
    fn current_session(&self, role_arn: &str, session_name: &str, now_ms: u64) -> Option<&RoleSession> {
        self.role_sessions
            .values()
            .filter(|s| s.role_arn == role_arn && s.session_name == session_name && s.expiration_ms > now_ms)
            .max_by_key(|s| s.expiration_ms)
    }

    /// What ECS and EC2 do in the background for credentials at `now_ms`:
    /// every live task with a task role gets a credentials ID (once) and keys
    /// that last more than [`ROTATE_BEFORE_MS`], renewed before; every running
    /// instance with an instance profile likewise. Credentials of tasks that
    /// stopped are forgotten, as the agent removes them.
    pub fn refresh_credentials(&mut self, now_ms: u64) {
        let live: Vec<(String, String)> = self
            .tasks
            .values()
            .filter(|t| t.is_live())
            .filter_map(|t| Some((t.task_arn.clone(), self.task_role_arn(&t.task_arn)?)))
            .collect();
        self.task_credentials.retain(|arn, _| live.iter().any(|(t, _)| t == arn));
        for (task_arn, role_arn) in live {
            if self.task_credentials.get(&task_arn).is_none_or(|c| c.role_arn != role_arn) {
                let credentials_id = crate::ids::uuid(self.next_words("credentials"));
                let c = TaskCredentials { credentials_id, task_arn: task_arn.clone(), role_arn: role_arn.clone() };
                self.task_credentials.insert(task_arn.clone(), c);
            }
            // ECS names a task role's session after the task ID (seen: the
            // ECS agent's issue #3498, "the session ID is the task ID"; not in a doc page).
            let session = task_id(&task_arn).to_string();
            self.role_credentials_for(&role_arn, &session, TASK_CREDENTIALS_SECS, now_ms, ROTATE_BEFORE_MS);
        }
        let instances: Vec<(String, String)> = self
            .instances
            .values()
            .filter(|i| i.state == crate::InstanceState::Running)
            .filter_map(|i| Some((i.instance_id.clone(), self.instance_role_arn(&i.instance_id)?)))
            .collect();
        for (instance_id, role_arn) in instances {
            // An instance profile's session is named after the instance ID
            // (seen in CloudTrail's assumed-role ARNs; not stated in a doc page).
            self.role_credentials_for(&role_arn, &instance_id, INSTANCE_CREDENTIALS_SECS, now_ms, ROTATE_BEFORE_MS);
        }
    }

    /// The credentials ID of a task with a task role (after [`Account::refresh_credentials`]).
    pub fn task_credentials_of(&self, task_arn: &str) -> Option<&TaskCredentials> {
        self.task_credentials.get(task_arn)
    }

    /// The keys the ECS agent serves for `credentials_id` at `now_ms`.
    pub fn served_task_credentials(&self, credentials_id: &str, now_ms: u64) -> Option<ServedCredentials> {
        let c = self.task_credentials.values().find(|c| c.credentials_id == credentials_id)?;
        let session = self.current_session(&c.role_arn, task_id(&c.task_arn), now_ms)?.clone();
        let issued_ms = issued(&session, TASK_CREDENTIALS_SECS);
        Some(ServedCredentials { role_arn: c.role_arn.clone(), session, issued_ms })
    }

    /// The keys instance metadata serves for an instance's profile at `now_ms`.
    pub fn served_instance_credentials(&self, instance_id: &str, now_ms: u64) -> Option<ServedCredentials> {
        let role_arn = self.instance_role_arn(instance_id)?;
        let session = self.current_session(&role_arn, instance_id, now_ms)?.clone();
        let issued_ms = issued(&session, INSTANCE_CREDENTIALS_SECS);
        Some(ServedCredentials { role_arn, session, issued_ms })
    }
}

/// The task ID: the last part of the task's ARN.
pub fn task_id(task_arn: &str) -> &str {
    task_arn.rsplit('/').next().unwrap_or(task_arn)
}

/// When a session that lasts `secs` was issued.
fn issued(s: &RoleSession, secs: i64) -> u64 {
    s.expiration_ms.saturating_sub(u64::try_from(secs).unwrap_or(0) * 1000)
}

/// What instance metadata answers for one instance: every leaf of the
/// `meta-data` and `dynamic` trees by its path under `/latest/` (AWS doc
/// "Instance metadata categories"), the credentials included as of the time
/// it was made.
pub type MetadataTree = BTreeMap<String, String>;

mod metadata;
pub use metadata::{credentials_document, identity_document, instance_metadata, IdentityDocument};

#[cfg(test)]
mod tests;
