//! How Python prints values, because the aws CLI's messages are Python
//! `str()` / `repr()` of what it parsed and users grep for them.

use serde_json::Value as J;

/// `repr(s)` for a Python 3 `str`: single quotes unless the text holds a
/// single quote and no double quote; backslash, the quote and
/// non-printable characters escaped.
pub(crate) fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            // Python's str.isprintable() is false for controls and for
            // separators other than the plain space.
            c if c.is_control() || (c.is_whitespace() && c != ' ') => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr(list_of_str)`: `['a', 'b']`.
pub(crate) fn repr_str_list(items: &[&str]) -> String {
    let inner: Vec<String> = items.iter().map(|s| repr_str(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// `str(v)` for what `json.loads` returns: strings as they are, `True`,
/// `False`, `None`, and containers as their `repr`.
pub(crate) fn str_json(v: &J) -> String {
    match v {
        J::String(s) => s.clone(),
        other => repr_json(other),
    }
}

/// `repr(v)` for what `json.loads` returns.
pub(crate) fn repr_json(v: &J) -> String {
    match v {
        J::Null => "None".into(),
        J::Bool(true) => "True".into(),
        J::Bool(false) => "False".into(),
        J::Number(n) => n.to_string(),
        J::String(s) => repr_str(s),
        J::Array(a) => format!("[{}]", a.iter().map(repr_json).collect::<Vec<_>>().join(", ")),
        J::Object(o) => format!(
            "{{{}}}",
            o.iter().map(|(k, v)| format!("{}: {}", repr_str(k), repr_json(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// `str(type(v))` for what `json.loads` returns, as botocore prints it.
pub(crate) fn type_json(v: &J) -> &'static str {
    match v {
        J::Null => "<class 'NoneType'>",
        J::Bool(_) => "<class 'bool'>",
        J::Number(n) if n.is_f64() => "<class 'float'>",
        J::Number(_) => "<class 'int'>",
        J::String(_) => "<class 'str'>",
        J::Array(_) => "<class 'list'>",
        J::Object(_) => "<class 'dict'>",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprs_like_python() {
        assert_eq!(repr_str("abc"), "'abc'");
        assert_eq!(repr_str("it's"), "\"it's\"");
        assert_eq!(repr_str("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(repr_str("a\\b\n\u{1}é"), "'a\\\\b\\n\\x01é'");
        assert_eq!(repr_str_list(&["Foo"]), "['Foo']");
        let v: J = serde_json::json!({"a": [1, 2.5, true, null, "x"]});
        assert_eq!(repr_json(&v), "{'a': [1, 2.5, True, None, 'x']}");
        assert_eq!(str_json(&J::String("x".into())), "x");
        assert_eq!(type_json(&serde_json::json!(3)), "<class 'int'>");
    }
}
