//! Pagination of list answers: a page of at most `max` items from where the
//! token says, and the token of the next page when there is one. Tokens are
//! opaque to clients (AWS documents them only as "the token for the next
//! set of results"); tasknet's carry the offset.

use crate::error::WireError;
use serde_json::Value;

/// How one API pages: its default and largest page size.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The page size when the request names none.
    pub default: usize,
    /// The largest page size the API accepts.
    pub max: usize,
}

/// The prefix that marks tasknet's tokens.
const PREFIX: &str = "tasknet-page-";

/// The token that resumes at `offset`.
fn token(offset: usize) -> String {
    format!("{PREFIX}{offset}")
}

/// Where the page that `token_in` and `size` ask for lies in a list of
/// `len` items, and the next page's token.
fn window(
    len: usize,
    token_in: Option<&str>,
    size: Option<i64>,
    limits: Limits,
    bad: impl Fn(String) -> WireError,
) -> Result<(std::ops::Range<usize>, Option<String>), WireError> {
    let start = match token_in.filter(|t| !t.is_empty()) {
        None => 0,
        Some(t) => t
            .strip_prefix(PREFIX)
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= len)
            .ok_or_else(|| bad(format!("Invalid token: {t}")))?,
    };
    let size = match size {
        None => limits.default,
        Some(n) => usize::try_from(n)
            .ok()
            .filter(|n| (1..=limits.max).contains(n))
            .ok_or_else(|| bad(format!("The page size {n} is not between 1 and {}.", limits.max)))?,
    };
    let end = start.saturating_add(size).min(len);
    Ok((start..end, (end < len).then(|| token(end))))
}

/// The page of `items` that `token` and `size` ask for, and the next
/// page's token. `bad` words the refusal of a token that is not one of
/// ours or of a page size out of range (each API has its own code).
pub fn page<'a, T>(
    items: &'a [T],
    token_in: Option<&str>,
    size: Option<i64>,
    limits: Limits,
    bad: impl Fn(String) -> WireError,
) -> Result<(&'a [T], Option<String>), WireError> {
    let (range, next) = window(items.len(), token_in, size, limits, bad)?;
    Ok((&items[range], next))
}

/// [`page`] over the list member `list` of an answer document: the list cut
/// to the page, and the next page's token put at `token_member`.
pub fn page_doc(
    mut doc: Value,
    list: &str,
    token_member: &str,
    token_in: Option<&str>,
    size: Option<i64>,
    limits: Limits,
    bad: impl Fn(String) -> WireError,
) -> Result<Value, WireError> {
    let Some(items) = doc.get_mut(list).and_then(Value::as_array_mut) else { return Ok(doc) };
    let (range, next) = window(items.len(), token_in, size, limits, bad)?;
    let kept: Vec<Value> = items.drain(range).collect();
    *items = kept;
    if let (Some(next), Some(map)) = (next, doc.as_object_mut()) {
        map.insert(token_member.to_string(), Value::String(next));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(m: String) -> WireError {
        WireError::bad("InvalidParameterException", m)
    }

    #[test]
    fn pages_walk_the_list_and_refuse_foreign_tokens() {
        let items: Vec<u32> = (0..5).collect();
        let limits = Limits { default: 2, max: 3 };
        let (first, next) = page(&items, None, None, limits, bad).expect("first");
        assert_eq!((first, next.as_deref()), (&[0, 1][..], Some("tasknet-page-2")));
        let (second, next) = page(&items, next.as_deref(), Some(3), limits, bad).expect("second");
        assert_eq!((second, next), (&[2, 3, 4][..], None));
        assert!(page(&items, Some("abc"), None, limits, bad).is_err());
        assert!(page(&items, Some("tasknet-page-99"), None, limits, bad).is_err());
        assert!(page(&items, None, Some(4), limits, bad).is_err());
        assert!(page(&items, None, Some(0), limits, bad).is_err());
    }
}
