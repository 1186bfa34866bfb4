//! CloudFormation's pagination: the operations botocore's paginators-1.json
//! pages by `NextToken` (DescribeStacks, DescribeStackEvents, ListStacks,
//! ListStackResources, ListChangeSets, ListExports, ListImports, and
//! DescribeChangeSet's `Changes`) take no page size from the caller; the
//! service chooses it.

use super::input;
use crate::error::WireError;
use crate::model::Service;
use crate::services::pages;
use serde_json::Value;

/// Items per page. AWS does not document its page sizes for these
/// operations; 100 is tasknet's choice (unverified against AWS).
pub const PAGE: usize = 100;

/// `doc` with its list `key` cut to the page `input`'s `NextToken` asks
/// for, and a `NextToken` when more follow.
pub fn page(doc: Value, key: &str, input: &Value) -> Result<Value, WireError> {
    page_of(doc, key, input::text(input, "NextToken"), PAGE)
}

/// [`page`] with its page size.
pub fn page_of(doc: Value, key: &str, token: Option<&str>, size: usize) -> Result<Value, WireError> {
    let limits = pages::Limits { default: size, max: size };
    // tasknet's words: AWS's text for a token it did not issue is unverified.
    let bad = |m: String| WireError::validation(Service::CloudFormation, m);
    pages::page_doc(doc, key, "NextToken", token, None, limits, bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_follow_the_token_to_the_end() {
        let doc = json!({"Exports": [1, 2, 3, 4, 5]});
        let first = page_of(doc.clone(), "Exports", None, 2).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first["Exports"], json!([1, 2]));
        let token = first["NextToken"].as_str().map(str::to_string);
        let second = page_of(doc.clone(), "Exports", token.as_deref(), 2).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(second["Exports"], json!([3, 4]));
        let token = second["NextToken"].as_str().map(str::to_string);
        let last = page_of(doc.clone(), "Exports", token.as_deref(), 2).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(last["Exports"], json!([5]));
        assert!(last.get("NextToken").is_none());
        let bad = page_of(doc, "Exports", Some("nope"), 2).expect_err("not a token of ours");
        assert_eq!(bad.code, "ValidationError");
    }
}
