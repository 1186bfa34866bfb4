//! EC2's `Filter.N.Name` / `Filter.N.Value.M`, applied to the Describe
//! documents themselves: each operation names its filters and the member
//! path each one reads (`vpc-id` → `VpcId`, `attachment.instance-id` →
//! `Attachment.InstanceId`), so a filter matches exactly what the client is
//! shown. Values match as EC2 matches them: any value of a filter, all
//! filters, with `*` and `?` wildcards (EC2 API reference, "Filter").

use crate::error::WireError;
use serde_json::Value;

/// One filter of the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// Its name.
    pub name: String,
    /// The values, any of which may match.
    pub values: Vec<String>,
}

/// The request's filters (the decoded `Filters` member; DescribeNatGateways'
/// model names it `Filter`).
pub fn of(input: &Value) -> Vec<Filter> {
    input
        .get("Filters")
        .or_else(|| input.get("Filter"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|f| Filter {
            name: f.get("Name").and_then(Value::as_str).unwrap_or_default().to_string(),
            values: super::input::texts(f, "Values"),
        })
        .collect()
}

/// Whether `pattern` (with `*` and `?`) matches `text`.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The scalar texts at `path` in `item` (`a.b`, `a[].b`).
fn values_at(item: &Value, path: &str) -> Vec<String> {
    let mut current = vec![item];
    for step in path.split('.') {
        let (key, all) = match step.strip_suffix("[]") {
            Some(k) => (k, true),
            None => (step, false),
        };
        let mut next = Vec::new();
        for v in current {
            let Some(child) = v.get(key) else { continue };
            match (all, child) {
                (true, Value::Array(items)) => next.extend(items.iter()),
                _ => next.push(child),
            }
        }
        current = next;
    }
    current
        .into_iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

/// The values a filter looks at in `item`: `tag:<key>` and `tag-key`/`tag-value`
/// read `Tags` (or `TagSet`); the rest by `table`.
fn looked_at(item: &Value, name: &str, table: &[(&str, &str)]) -> Option<Vec<String>> {
    let tags = || item.get("Tags").or_else(|| item.get("TagSet")).and_then(Value::as_array);
    if let Some(key) = name.strip_prefix("tag:") {
        let values = tags()
            .into_iter()
            .flatten()
            .filter(|t| t.get("Key").and_then(Value::as_str) == Some(key))
            .filter_map(|t| t.get("Value").and_then(Value::as_str).map(str::to_string))
            .collect();
        return Some(values);
    }
    let member = match name {
        "tag-key" => "Key",
        "tag-value" => "Value",
        _ => {
            let path = table.iter().find(|(n, _)| *n == name)?.1;
            return Some(values_at(item, path));
        }
    };
    Some(
        tags()
            .into_iter()
            .flatten()
            .filter_map(|t| t.get(member).and_then(Value::as_str).map(str::to_string))
            .collect(),
    )
}

/// Whether every filter has a name the operation knows; EC2's error otherwise.
pub fn check(filters: &[Filter], table: &[(&str, &str)]) -> Result<(), WireError> {
    for f in filters {
        let known = f.name.starts_with("tag:")
            || f.name == "tag-key"
            || f.name == "tag-value"
            || table.iter().any(|(n, _)| *n == f.name);
        if !known {
            return Err(WireError::bad("InvalidParameterValue", format!("The filter '{}' is invalid", f.name)));
        }
    }
    Ok(())
}

/// Whether `item` passes every filter.
pub fn keep(item: &Value, filters: &[Filter], table: &[(&str, &str)]) -> bool {
    filters.iter().all(|f| {
        let Some(have) = looked_at(item, &f.name, table) else { return false };
        f.values.iter().any(|want| have.iter().any(|h| wildcard(want, h)))
    })
}

/// Filters the list `member` of the document `doc` in place.
pub fn apply(doc: &mut Value, member: &str, filters: &[Filter], table: &[(&str, &str)]) -> Result<(), WireError> {
    check(filters, table)?;
    if let Some(items) = doc.get_mut(member).and_then(Value::as_array_mut) {
        items.retain(|item| keep(item, filters, table));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const TABLE: &[(&str, &str)] =
        &[("vpc-id", "VpcId"), ("attachment.instance-id", "Attachment.InstanceId"), ("cidr", "Ranges[].Cidr")];

    #[test]
    fn filters_read_members_tags_and_lists() {
        let item = json!({"VpcId": "vpc-1", "Attachment": {"InstanceId": "i-9"},
            "Ranges": [{"Cidr": "10.0.0.0/16"}, {"Cidr": "10.1.0.0/16"}],
            "Tags": [{"Key": "Name", "Value": "web"}]});
        let f = |n: &str, v: &str| vec![Filter { name: n.into(), values: vec![v.into()] }];
        assert!(keep(&item, &f("vpc-id", "vpc-1"), TABLE));
        assert!(!keep(&item, &f("vpc-id", "vpc-2"), TABLE));
        assert!(keep(&item, &f("attachment.instance-id", "i-*"), TABLE));
        assert!(keep(&item, &f("cidr", "10.1.0.0/16"), TABLE));
        assert!(keep(&item, &f("tag:Name", "w?b"), TABLE));
        assert!(!keep(&item, &f("tag:Env", "*"), TABLE));
        assert!(keep(&item, &f("tag-key", "Name"), TABLE));
    }

    #[test]
    fn an_unknown_filter_is_ec2s_error() {
        let e = check(&[Filter { name: "colour".into(), values: vec![] }], TABLE).unwrap_err();
        assert_eq!(e.code, "InvalidParameterValue");
        assert_eq!(e.message, "The filter 'colour' is invalid");
    }

    proptest! {
        #[test]
        fn a_text_matches_itself_and_a_star(s in "[a-z0-9./-]{0,12}") {
            prop_assert!(wildcard(&s, &s));
            prop_assert!(wildcard("*", &s));
            let prefixed = format!("{}*", s.chars().take(2).collect::<String>());
            prop_assert!(wildcard(&prefixed, &s));
        }
    }
}
