//! STS role sessions: AssumeRole's temporary credentials (AWS doc
//! "Temporary security credentials in IAM", "AssumeRole"), also what a
//! Lambda function's environment gets for its execution role.
//!
//! Times are the wall clock's, given by the caller (the endpoint checks
//! expiry against the wall, and the account's clock may run ahead of it).

use crate::model::RoleSession;
use crate::{Account, AwsService, ServiceError};
use std::hash::{BuildHasher, Hasher};

/// AssumeRole's default duration: one hour (AWS doc "AssumeRole": DurationSeconds defaults to 3600).
pub const DEFAULT_DURATION_SECS: i64 = 3600;
/// The shortest session (900 s, AWS doc "AssumeRole").
pub const MIN_DURATION_SECS: i64 = 900;
/// A role's default MaxSessionDuration (one hour; AWS doc "AWS::IAM::Role").
pub const DEFAULT_MAX_SESSION_SECS: i64 = 3600;

fn err(code: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::new(AwsService::Sts, code, message)
}

/// `n` characters of `alphabet`, from the OS-seeded hasher (std's
/// `RandomState` draws its keys from the OS): secrets must not be
/// derivable from the account's ID counter as its resource IDs are.
fn random_chars(alphabet: &[u8], n: usize) -> String {
    let mut out = String::with_capacity(n);
    let state = std::collections::hash_map::RandomState::new();
    let mut i = 0u64;
    while out.len() < n {
        let mut h = state.build_hasher();
        h.write_u64(i);
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        let mut word = h.finish();
        for _ in 0..8 {
            if out.len() == n {
                break;
            }
            out.push(alphabet[(word % alphabet.len() as u64) as usize] as char);
            word /= alphabet.len() as u64;
        }
        i += 1;
    }
    out
}

const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The role name of a role ARN (after the last `/`).
fn role_name(role_arn: &str) -> &str {
    role_arn.rsplit('/').next().unwrap_or(role_arn)
}

/// Whether `name` matches STS's `[\w+=,.@-]*` and is 2–64 long.
fn valid_session_name(name: &str) -> bool {
    (2..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

impl Account {
    /// The role's unique ID: its `RoleId` when CloudFormation made it, else
    /// an `AROA…` derived from its ARN (IAM's prefix for roles, "IAM identifiers").
    pub fn role_id(&self, role_arn: &str) -> String {
        self.inert
            .values()
            .find(|r| r.resource_type == "AWS::IAM::Role" && r.arn.as_deref() == Some(role_arn))
            .and_then(|r| r.attributes.get("RoleId").cloned())
            .unwrap_or_else(|| {
                let [a, b] = crate::ids::hash_words(&self.account_id, 0, role_arn);
                format!("AROA{}", crate::ids::hex_chars([a, b], 17).to_ascii_uppercase())
            })
    }

    /// The role's MaxSessionDuration: its template's, else one hour.
    fn max_session_secs(&self, role_arn: &str) -> i64 {
        self.inert
            .values()
            .find(|r| r.resource_type == "AWS::IAM::Role" && r.arn.as_deref() == Some(role_arn))
            .and_then(|r| r.attributes.get("MaxSessionDuration")?.parse().ok())
            .unwrap_or(DEFAULT_MAX_SESSION_SECS)
    }

    /// AssumeRole at `now_ms` (wall clock): fresh credentials for
    /// `role_arn` as `session_name`, valid `duration_secs` (default one
    /// hour). Sessions that have expired are forgotten. tasknet's IAM keeps
    /// no trust policies, so any caller may assume any role.
    pub fn assume_role(
        &mut self,
        role_arn: &str,
        session_name: &str,
        duration_secs: Option<i64>,
        now_ms: u64,
    ) -> Result<RoleSession, ServiceError> {
        if !valid_session_name(session_name) {
            // AWS's constraint text (the model's pattern).
            return Err(err(
                "ValidationError",
                format!("1 validation error detected: Value '{session_name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
            ));
        }
        if !role_arn.starts_with("arn:") || !role_arn.contains(":role/") {
            // Seen: `Invalid ARN` forms are ValidationError; this text is inferred.
            return Err(err("ValidationError", format!("{role_arn} is invalid")));
        }
        let duration = duration_secs.unwrap_or(DEFAULT_DURATION_SECS);
        if duration < MIN_DURATION_SECS {
            return Err(err(
                "ValidationError",
                format!("1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to {MIN_DURATION_SECS}"),
            ));
        }
        if duration > self.max_session_secs(role_arn) {
            // Seen: AWS's text for a duration past the role's maximum.
            return Err(err(
                "ValidationError",
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
            ));
        }
        Ok(self.mint_session(role_arn, session_name, duration, now_ms))
    }

    /// A new session, its inputs already checked.
    fn mint_session(&mut self, role_arn: &str, session_name: &str, duration: i64, now_ms: u64) -> RoleSession {
        self.role_sessions.retain(|_, s| s.expiration_ms > now_ms);
        let role = role_name(role_arn);
        let session = RoleSession {
            access_key_id: format!("ASIA{}", random_chars(UPPER_DIGITS, 16)),
            secret_access_key: random_chars(SECRET, 40),
            // Real tokens are opaque base64 of a few hundred characters.
            session_token: format!("IQoJb3JpZ2luX2Vj{}", random_chars(SECRET, 300)),
            role_arn: role_arn.to_string(),
            session_name: session_name.to_string(),
            assumed_role_arn: format!("arn:aws:sts::{}:assumed-role/{role}/{session_name}", self.account_id),
            assumed_role_id: format!("{}:{session_name}", self.role_id(role_arn)),
            expiration_ms: now_ms.saturating_add(u64::try_from(duration).unwrap_or(0) * 1000),
        };
        self.role_sessions.insert(session.access_key_id.clone(), session.clone());
        session
    }

    /// Credentials for `role_arn` as `session_name` that last at least
    /// `min_left_ms` more: a session already issued, else a new one-hour one.
    pub fn role_credentials(
        &mut self,
        role_arn: &str,
        session_name: &str,
        now_ms: u64,
        min_left_ms: u64,
    ) -> RoleSession {
        self.role_credentials_for(role_arn, session_name, DEFAULT_DURATION_SECS, now_ms, min_left_ms)
    }

    /// [`Account::role_credentials`] with new sessions lasting
    /// `duration_secs`: what a service hands out for a role on its own
    /// (ECS for task roles, EC2 for instance profiles), unbound by the role's
    /// MaxSessionDuration.
    pub fn role_credentials_for(
        &mut self,
        role_arn: &str,
        session_name: &str,
        duration_secs: i64,
        now_ms: u64,
        min_left_ms: u64,
    ) -> RoleSession {
        let reuse = self.role_sessions.values().find(|s| {
            s.role_arn == role_arn
                && s.session_name == session_name
                && s.expiration_ms > now_ms.saturating_add(min_left_ms)
        });
        match reuse {
            Some(s) => s.clone(),
            // Lambda names the session after the function, which may be shorter than AssumeRole allows.
            None => self.mint_session(role_arn, session_name, duration_secs, now_ms),
        }
    }

    /// The session an access key belongs to.
    pub fn role_session(&self, access_key_id: &str) -> Option<&RoleSession> {
        self.role_sessions.get(access_key_id)
    }
}

#[cfg(test)]
mod tests {
    use crate::Account;

    #[test]
    fn sessions_have_aws_forms_and_expire() {
        let mut a = Account::default();
        let role = "arn:aws:iam::123456789012:role/app-role";
        let s = a.assume_role(role, "worker", None, 1_000).expect("assumed");
        assert_eq!(s.access_key_id.len(), 20);
        assert!(s.access_key_id.starts_with("ASIA"));
        assert_eq!(s.secret_access_key.len(), 40);
        assert_eq!(s.assumed_role_arn, "arn:aws:sts::123456789012:assumed-role/app-role/worker");
        assert!(s.assumed_role_id.starts_with("AROA") && s.assumed_role_id.ends_with(":worker"));
        assert_eq!(s.expiration_ms, 1_000 + 3_600_000);
        assert_eq!(a.role_session(&s.access_key_id), Some(&s));
        // Reused while it lasts long enough, renewed after.
        assert_eq!(a.role_credentials(role, "worker", 2_000, 60_000).access_key_id, s.access_key_id);
        let later = a.role_credentials(role, "worker", 3_600_000, 60_000);
        assert_ne!(later.access_key_id, s.access_key_id);
        // A new session forgets the expired ones.
        a.assume_role(role, "other", None, 3_700_000).expect("assumed");
        assert!(a.role_session(&s.access_key_id).is_none());
    }

    #[test]
    fn bad_names_and_durations_are_refused() {
        let mut a = Account::default();
        let role = "arn:aws:iam::123456789012:role/r";
        assert_eq!(a.assume_role(role, "a b", None, 0).unwrap_err().code, "ValidationError");
        let e = a.assume_role(role, "ok", Some(7200), 0).unwrap_err();
        assert_eq!(e.message, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        assert!(a.assume_role(role, "ok", Some(899), 0).is_err());
        assert!(a.assume_role("nonsense", "ok", None, 0).is_err());
    }
}
