//! Filter patterns (AWS doc "Filter pattern syntax for metric filters,
//! subscription filters, filter log events, and Live Tail"), the parts
//! tasknet evaluates: an empty pattern (every event); terms, all of which
//! must appear (case-sensitive); `"quoted phrases"`; `?term`, of which at
//! least one must appear; `-term`, none of which may appear; and JSON
//! patterns `{ $.a.b = value }` with `=`, `!=`, `<`, `<=`, `>`, `>=`,
//! strings (a `*` wildcard in them), numbers, joined by `&&` or `||` (not
//! mixed, no parentheses). Space-delimited `[a, b]` patterns are refused.

use super::invalid;
use crate::ServiceError;
use serde_json::Value;

/// A parsed filter pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    /// Matches every event.
    All,
    /// Text terms.
    Terms {
        /// Every one must appear.
        all: Vec<String>,
        /// At least one must appear, when there are any.
        any: Vec<String>,
        /// None may appear.
        none: Vec<String>,
    },
    /// A JSON pattern: comparisons, all of which (`&&`) or any of which (`||`) hold.
    Json {
        /// The comparisons.
        tests: Vec<JsonTest>,
        /// `||` rather than `&&`.
        any: bool,
    },
}

/// One JSON comparison `$.path OP value`.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonTest {
    /// The path's keys after `$.`.
    pub path: Vec<String>,
    /// The operator.
    pub op: String,
    /// The value: a string or a number.
    pub value: Value,
}

/// The refusal of a pattern tasknet cannot read (text inferred).
fn bad(pattern: &str) -> ServiceError {
    invalid(format!("Invalid character(s) in term '{pattern}'"))
}

impl Pattern {
    /// Parses `text`.
    pub fn parse(text: &str) -> Result<Pattern, ServiceError> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(Pattern::All);
        }
        if let Some(inner) = t.strip_prefix('{') {
            let inner = inner.strip_suffix('}').ok_or_else(|| bad(text))?;
            return parse_json(inner).ok_or_else(|| bad(text));
        }
        if t.starts_with('[') {
            // tasknet's words: space-delimited patterns are not evaluated.
            return Err(invalid("tasknet does not evaluate space-delimited filter patterns ([...])."));
        }
        let (mut all, mut any, mut none) = (Vec::new(), Vec::new(), Vec::new());
        for (sign, word) in words(t).ok_or_else(|| bad(text))? {
            match sign {
                Some('?') => any.push(word),
                Some('-') => none.push(word),
                _ => all.push(word),
            }
        }
        Ok(Pattern::Terms { all, any, none })
    }

    /// Whether `message` matches.
    pub fn matches(&self, message: &str) -> bool {
        match self {
            Pattern::All => true,
            Pattern::Terms { all, any, none } => {
                all.iter().all(|w| message.contains(w.as_str()))
                    && (any.is_empty() || any.iter().any(|w| message.contains(w.as_str())))
                    && !none.iter().any(|w| message.contains(w.as_str()))
            }
            Pattern::Json { tests, any } => {
                let Ok(doc) = serde_json::from_str::<Value>(message) else { return false };
                if *any {
                    tests.iter().any(|t| t.holds(&doc))
                } else {
                    tests.iter().all(|t| t.holds(&doc))
                }
            }
        }
    }
}

/// The words of a term pattern, each with its `?`/`-` sign; quotes keep spaces.
fn words(t: &str) -> Option<Vec<(Option<char>, String)>> {
    let mut out = Vec::new();
    let mut chars = t.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let sign = if c == '?' || c == '-' {
            chars.next();
            Some(c)
        } else {
            None
        };
        let mut word = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == '"' {
                    closed = true;
                    break;
                }
                word.push(c);
            }
            if !closed {
                return None;
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
        }
        if word.is_empty() {
            return None;
        }
        out.push((sign, word));
    }
    Some(out)
}

/// `$.a = 1 && $.b = "x"` (or `||`).
fn parse_json(inner: &str) -> Option<Pattern> {
    let (parts, any): (Vec<&str>, bool) = if inner.contains("&&") && inner.contains("||") {
        return None;
    } else if inner.contains("||") {
        (inner.split("||").collect(), true)
    } else {
        (inner.split("&&").collect(), false)
    };
    let tests = parts.into_iter().map(parse_test).collect::<Option<Vec<_>>>()?;
    Some(Pattern::Json { tests, any })
}

fn parse_test(part: &str) -> Option<JsonTest> {
    let part = part.trim();
    let rest = part.strip_prefix("$.")?;
    let op_at = rest.find(['=', '!', '<', '>'])?;
    let (path, rest) = rest.split_at(op_at);
    let op_len = if rest.get(1..2) == Some("=") { 2 } else { 1 };
    let (op, value) = rest.split_at(op_len);
    if !matches!(op, "=" | "!=" | "<" | "<=" | ">" | ">=") {
        return None;
    }
    let path: Vec<String> = path.trim().split('.').map(str::to_string).collect();
    if path.iter().any(|k| k.is_empty()) {
        return None;
    }
    let value = value.trim();
    let value = if let Some(s) = value.strip_prefix('"') {
        Value::String(s.strip_suffix('"')?.to_string())
    } else if let Ok(n) = value.parse::<f64>() {
        serde_json::Number::from_f64(n).map(Value::Number)?
    } else if value.is_empty() {
        return None;
    } else {
        Value::String(value.to_string())
    };
    Some(JsonTest { path, op: op.to_string(), value })
}

impl JsonTest {
    fn holds(&self, doc: &Value) -> bool {
        let mut at = doc;
        for k in &self.path {
            match at.get(k) {
                Some(v) => at = v,
                None => return false,
            }
        }
        match (&self.value, at) {
            (Value::Number(want), found) => {
                let (Some(w), Some(f)) = (want.as_f64(), found.as_f64()) else { return false };
                match self.op.as_str() {
                    "=" => f == w,
                    "!=" => f != w,
                    "<" => f < w,
                    "<=" => f <= w,
                    ">" => f > w,
                    _ => f >= w,
                }
            }
            (Value::String(want), found) => {
                let text = match found {
                    Value::String(s) => s.clone(),
                    Value::Bool(b) => b.to_string(),
                    Value::Null => "null".to_string(),
                    Value::Number(n) => n.to_string(),
                    _ => return false,
                };
                match self.op.as_str() {
                    "=" => wildcard(want, &text),
                    "!=" => !wildcard(want, &text),
                    _ => false,
                }
            }
            _ => false,
        }
    }
}

/// `want` with `*` matching any run of characters.
fn wildcard(want: &str, text: &str) -> bool {
    let parts: Vec<&str> = want.split('*').collect();
    if parts.len() == 1 {
        return want == text;
    }
    let mut rest = text;
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(p) else { return false };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(p);
        } else {
            let Some(at) = rest.find(p) else { return false };
            rest = &rest[at + p.len()..];
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, msg: &str) -> bool {
        Pattern::parse(p).expect("parses").matches(msg)
    }

    #[test]
    fn terms_phrases_or_and_exclusion() {
        assert!(m("", "anything"));
        assert!(m("ERROR", "an ERROR here"));
        assert!(!m("ERROR", "an error here"), "terms are case-sensitive");
        assert!(m("ERROR db", "ERROR in db"));
        assert!(!m("ERROR db", "ERROR in cache"));
        assert!(m("\"in db\"", "ERROR in db"));
        assert!(!m("\"in db\"", "db in"));
        assert!(m("?ERROR ?WARN", "a WARN"));
        assert!(!m("?ERROR ?WARN", "an INFO"));
        assert!(m("ERROR -timeout", "ERROR disk"));
        assert!(!m("ERROR -timeout", "ERROR timeout"));
        assert!(Pattern::parse("\"unclosed").is_err());
        assert!(Pattern::parse("[a, b]").is_err());
    }

    #[test]
    fn json_patterns() {
        let msg = r#"{"level":"ERROR","code":503,"req":{"path":"/api/x"}}"#;
        assert!(m(r#"{ $.level = "ERROR" }"#, msg));
        assert!(m(r#"{ $.level = ERROR }"#, msg));
        assert!(!m(r#"{ $.level != "ERROR" }"#, msg));
        assert!(m("{ $.code >= 500 }", msg));
        assert!(!m("{ $.code < 500 }", msg));
        assert!(m(r#"{ $.req.path = "/api/*" }"#, msg));
        assert!(m(r#"{ $.code = 503 && $.level = "ERROR" }"#, msg));
        assert!(m(r#"{ $.code = 1 || $.level = "ERROR" }"#, msg));
        assert!(!m(r#"{ $.missing = 1 }"#, msg));
        assert!(!m(r#"{ $.level = "ERROR" }"#, "not json"));
        assert!(Pattern::parse("{ level = 1 }").is_err());
        assert!(Pattern::parse("{ $.a = 1 && $.b = 2 || $.c = 3 }").is_err());
    }
}
