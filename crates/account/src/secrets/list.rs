//! ListSecrets' filters and order. AWS doc: "Filter" (Secrets Manager API
//! Reference): `description` is a prefix match ignoring case; `name`,
//! `tag-key`, `tag-value`, `primary-region` and `owning-service` are
//! case-sensitive prefix matches; `all` breaks the value into words and
//! matches any attribute ignoring case; a value starting with `!` negates.

use super::{err, Secret};
use crate::{Account, ServiceError};

/// One `Filter`: a key and its values (any value may match).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretFilter {
    /// The key (`name`, `description`, `tag-key`, `tag-value`, `primary-region`, `owning-service`, `all`).
    pub key: String,
    /// The values.
    pub values: Vec<String>,
}

/// The words of a search text: split at every change between letters,
/// digits and the rest, and from lower to upper case (AWS doc: "Find
/// secrets in Secrets Manager").
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let class = |c: char| {
        if c.is_ascii_digit() {
            1
        } else if c.is_alphabetic() {
            2
        } else {
            0
        }
    };
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let split = prev.is_some_and(|p| class(p) != class(c) || (p.is_lowercase() && c.is_uppercase()));
        if split && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if class(c) != 0 {
            cur.push(c);
        }
        prev = Some(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter().map(|w| w.to_lowercase()).collect()
}

/// True when one of the secret's attributes of `key` matches `value`.
fn matches(s: &Secret, key: &str, value: &str) -> bool {
    let prefix = |field: &str| field.starts_with(value);
    match key {
        "name" => prefix(&s.name),
        "description" => s.description.as_deref().is_some_and(|d| d.to_lowercase().starts_with(&value.to_lowercase())),
        "tag-key" => s.tags.iter().any(|(k, _)| prefix(k)),
        "tag-value" => s.tags.iter().any(|(_, v)| prefix(v)),
        // Secrets are not replicated, and none is owned by another service.
        "primary-region" | "owning-service" => false,
        _ => {
            let mut fields = vec![s.name.clone()];
            fields.extend(s.description.clone());
            fields.extend(s.tags.iter().flat_map(|(k, v)| [k.clone(), v.clone()]));
            let have: Vec<String> = fields.iter().flat_map(|f| words(f)).collect();
            words(value).iter().all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
        }
    }
}

impl Account {
    /// ListSecrets: the secrets every filter matches, deleted ones only with
    /// `include_planned_deletion`, by creation date (`desc` reverses).
    pub fn list_secrets(
        &self,
        filters: &[SecretFilter],
        include_planned_deletion: bool,
        sort_order: Option<&str>,
    ) -> Result<Vec<&Secret>, ServiceError> {
        const KEYS: &[&str] =
            &["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];
        for f in filters {
            if !KEYS.contains(&f.key.as_str()) {
                // The model's enum; the text is inferred from AWS's validation form.
                return Err(err(
                    "InvalidParameterException",
                    format!("Invalid filter key {}. Valid filter keys: {}", f.key, KEYS.join(", ")),
                ));
            }
        }
        let now = self.clock_ms;
        let mut out: Vec<&Secret> = self
            .secrets
            .values()
            .filter(|s| s.deletion_date.is_none_or(|d| d > now))
            .filter(|s| include_planned_deletion || s.deleted_date.is_none())
            .filter(|s| {
                filters.iter().all(|f| {
                    f.values.iter().any(|v| match v.strip_prefix('!') {
                        Some(neg) => !matches(s, &f.key, neg),
                        None => matches(s, &f.key, v),
                    })
                })
            })
            .collect();
        // AWS doc: "ListSecrets": SortOrder orders by CreatedDate; that `asc` is the default is inferred.
        out.sort_by(|a, b| (a.created_date, &a.name).cmp(&(b.created_date, &b.name)));
        if sort_order == Some("desc") {
            out.reverse();
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_words_split_as_aws_documents() {
        assert_eq!(super::words("credsDatabase#892"), ["creds", "database", "892"]);
        assert_eq!(super::words("todobackend/credentials"), ["todobackend", "credentials"]);
    }
}
