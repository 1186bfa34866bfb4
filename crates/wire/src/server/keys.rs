//! The keys requests may be signed with: the account's declared keys (or
//! the default one), and the temporary keys of its STS role sessions, which
//! need their session token and expire.
//!
//! A key the server does not know may have been minted after it last
//! looked: by this process (an invocation prepared in a stack operation
//! that still holds the account, `runtime::functions::issued_session`) or by
//! another one (a `tasknet deploy` beside `up`), so an unknown `ASIA…` key
//! makes the server read the account's sessions again before refusing.

use super::{Backend, State, DEFAULT_KEY};
use std::collections::BTreeMap;

/// One key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Key {
    /// The secret.
    pub secret: String,
    /// A temporary key's session token and expiry (epoch seconds).
    pub session: Option<(String, i64)>,
}

fn session_key(s: &account::RoleSession) -> Key {
    let expires = i64::try_from(s.expiration_ms / 1000).unwrap_or(i64::MAX);
    Key { secret: s.secret_access_key.clone(), session: Some((s.session_token.clone(), expires)) }
}

/// The keys of `account`: its declared ones (none declared: the default
/// key) and its role sessions'.
pub(super) fn keys_of(account: &account::Account) -> BTreeMap<String, Key> {
    let long_term = |id: &str, secret: &str| (id.to_string(), Key { secret: secret.to_string(), session: None });
    let mut keys: BTreeMap<String, Key> = if account.access_keys.is_empty() {
        BTreeMap::from([long_term(DEFAULT_KEY.0, DEFAULT_KEY.1)])
    } else {
        account.access_keys.values().map(|k| long_term(&k.access_key_id, &k.secret_access_key)).collect()
    };
    for s in account.role_sessions.values() {
        keys.insert(s.access_key_id.clone(), session_key(s));
    }
    keys
}

impl State {
    /// The key `id`, looking again (this process's minted sessions, then
    /// the account) when it is an unknown temporary key.
    pub(super) fn key(&self, id: &str) -> Option<Key> {
        if let Some(k) = self.keys.lock().unwrap_or_else(|p| p.into_inner()).get(id) {
            return Some(k.clone());
        }
        if !id.starts_with("ASIA") {
            return None;
        }
        if let Some(s) = runtime::functions::issued_session(id) {
            let k = session_key(&s);
            self.keys.lock().unwrap_or_else(|p| p.into_inner()).insert(id.to_string(), k.clone());
            return Some(k);
        }
        let sessions = match &self.backend {
            // A job (a stack operation) may hold it for minutes: never wait for it here.
            Backend::Held(m) => match m.try_lock() {
                Ok(guard) => guard.as_ref().map(|s| s.account.role_sessions.clone()),
                Err(_) => None,
            },
            Backend::Shared(dir) => {
                runtime::state::account_for_reading(Some(dir), None).ok().map(|(a, _)| a.role_sessions)
            }
        }?;
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        for s in sessions.values() {
            keys.insert(s.access_key_id.clone(), session_key(s));
        }
        keys.get(id).cloned()
    }

    /// Whether only the default key opens the account (then anyone who can
    /// reach the server can change it); temporary keys do not count, the
    /// server mints them itself.
    pub fn only_default_key(&self) -> bool {
        self.keys
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .all(|(k, v)| k == DEFAULT_KEY.0 || v.session.is_some())
    }

    /// Reads the keys again from the account (after `account load`, a mutation that minted sessions).
    pub(super) fn refresh_keys(&self, account: &account::Account) {
        *self.keys.lock().unwrap_or_else(|p| p.into_inner()) = keys_of(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_keys_with_their_tokens() {
        let mut a = account::Account::default();
        let s = a.assume_role("arn:aws:iam::123456789012:role/r", "s1", None, 5_000_000).expect("assumed");
        let keys = keys_of(&a);
        assert_eq!(keys[DEFAULT_KEY.0].session, None);
        let k = &keys[&s.access_key_id];
        assert_eq!(k.secret, s.secret_access_key);
        assert_eq!(k.session, Some((s.session_token.clone(), 5_000 + 3_600)));
    }
}
