//! The ECS agent's credentials endpoint (169.254.170.2): `GET
//! /v2/credentials/<id>` (and the older `/v1/credentials?id=<id>`) answers
//! the task role's keys for a credentials ID.
//!
//! AWS doc "Amazon ECS task IAM role" names the endpoint; the answers'
//! shapes, codes and texts are the open-source ECS agent's (`tmds` handlers:
//! the keys as `RoleArn`, `AccessKeyId`, `SecretAccessKey`, `Token`,
//! `Expiration`; errors as 400 with `{"code","message","HTTPErrorCode"}`).
//! Which IDs one endpoint knows is its owner's business: under `up` a task's
//! own namespace knows only that task's ID (as Fargate's per-task endpoint
//! does), an instance's the IDs of the bridge and host tasks on it (as the
//! agent there does).

use super::{Answer, Ask, Endpoint};
use crate::http::json_str;
use account::credentials::ServedCredentials;

/// The keys of a credentials ID, when this endpoint serves it.
pub type Lookup = dyn Fn(&str) -> Option<ServedCredentials> + Send + Sync;

/// The credentials endpoint over a lookup.
pub struct CredentialsEndpoint {
    lookup: Box<Lookup>,
}

impl CredentialsEndpoint {
    /// An endpoint serving what `lookup` finds.
    pub fn new(lookup: impl Fn(&str) -> Option<ServedCredentials> + Send + Sync + 'static) -> CredentialsEndpoint {
        CredentialsEndpoint { lookup: Box::new(lookup) }
    }
}

/// The agent's error codes (`tmds/handlers/v1`).
const NO_ID: &str = "NoIdInRequest";
const INVALID_ID: &str = "InvalidIdInRequest";

/// The agent's error body: Go's encoding of its `ErrorMessage` (the status
/// field has no JSON tag, so it is spelled as the field).
fn error(version: u8, code: &str, text: &str) -> Answer {
    let message = format!("CredentialsV{version}Request: {text}");
    let body = format!("{{\"code\":{},\"message\":{},\"HTTPErrorCode\":400}}", json_str(code), json_str(&message));
    Answer::new(400, "application/json", body)
}

/// The keys as the agent writes them (its `IAMRoleCredentials`' JSON: field order and names).
pub fn credentials_json(c: &ServedCredentials) -> String {
    format!(
        "{{\"RoleArn\":{},\"AccessKeyId\":{},\"SecretAccessKey\":{},\"Token\":{},\"Expiration\":{}}}",
        json_str(&c.role_arn),
        json_str(&c.session.access_key_id),
        json_str(&c.session.secret_access_key),
        json_str(&c.session.session_token),
        json_str(&c.expiration()),
    )
}

impl Endpoint for CredentialsEndpoint {
    fn answer(&self, ask: &Ask) -> Answer {
        let path = ask.path();
        let (version, id) = if path == "/v1/credentials" {
            (1, ask.query("id").unwrap_or(""))
        } else if path == "/v2/credentials" {
            (2, "")
        } else if let Some(id) = path.strip_prefix("/v2/credentials/") {
            (2, id)
        } else {
            // Go's router answers unknown paths with its own 404 text.
            return Answer::new(404, "text/plain; charset=utf-8", "404 page not found\n");
        };
        if id.is_empty() {
            return error(version, NO_ID, "No Credential ID in the request");
        }
        match (self.lookup)(id) {
            Some(c) => Answer::new(200, "application/json", credentials_json(&c)),
            None => error(version, INVALID_ID, "Credentials not found"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use account::RoleSession;

    fn served() -> ServedCredentials {
        ServedCredentials {
            role_arn: "arn:aws:iam::123456789012:role/app".into(),
            session: RoleSession {
                access_key_id: "ASIAEXAMPLEEXAMPLE12".into(),
                secret_access_key: "secret".into(),
                session_token: "token".into(),
                role_arn: "arn:aws:iam::123456789012:role/app".into(),
                session_name: "task".into(),
                assumed_role_arn: "arn:aws:sts::123456789012:assumed-role/app/task".into(),
                assumed_role_id: "AROAEXAMPLE:task".into(),
                expiration_ms: 1_767_247_200_000,
            },
            issued_ms: 1_767_225_600_000,
        }
    }

    fn endpoint() -> CredentialsEndpoint {
        CredentialsEndpoint::new(|id| (id == "7e5c8a0e-0000-4000-8000-000000000001").then(served))
    }

    #[test]
    fn a_known_id_gets_its_keys_in_the_agents_shape() {
        let a = endpoint().answer(&Ask::new("GET", "/v2/credentials/7e5c8a0e-0000-4000-8000-000000000001"));
        assert_eq!((a.status, a.content_type), (200, "application/json"));
        let v: serde_json::Value = serde_json::from_str(&a.body).expect("JSON");
        assert_eq!(v["RoleArn"], "arn:aws:iam::123456789012:role/app");
        assert_eq!(v["AccessKeyId"], "ASIAEXAMPLEEXAMPLE12");
        assert_eq!(v["SecretAccessKey"], "secret");
        assert_eq!(v["Token"], "token");
        assert_eq!(v["Expiration"], "2026-01-01T06:00:00Z");
        let v1 = endpoint().answer(&Ask::new("GET", "/v1/credentials?id=7e5c8a0e-0000-4000-8000-000000000001"));
        assert_eq!(v1.body, a.body);
    }

    #[test]
    fn missing_and_unknown_ids_are_the_agents_400s() {
        for path in ["/v2/credentials", "/v2/credentials/"] {
            let a = endpoint().answer(&Ask::new("GET", path));
            assert_eq!(a.status, 400);
            assert_eq!(
                a.body,
                r#"{"code":"NoIdInRequest","message":"CredentialsV2Request: No Credential ID in the request","HTTPErrorCode":400}"#
            );
        }
        let a = endpoint().answer(&Ask::new("GET", "/v2/credentials/another-tasks-id"));
        assert_eq!(a.status, 400);
        assert_eq!(
            a.body,
            r#"{"code":"InvalidIdInRequest","message":"CredentialsV2Request: Credentials not found","HTTPErrorCode":400}"#
        );
        let a = endpoint().answer(&Ask::new("GET", "/v1/credentials"));
        assert!(a.body.contains("CredentialsV1Request: No Credential ID"));
        assert_eq!(endpoint().answer(&Ask::new("GET", "/")).status, 404);
    }
}
