//! HTML building blocks shared by the pages: escaping, links, badges, the
//! forms' hidden fields, and reading queries and form bodies.
//!
//! Every text that comes from the account (names, tags, descriptions, event
//! messages) goes through [`esc`]: a tag value is user input.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Text escaped for HTML content and quoted attribute values.
pub fn esc(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A link to a console page (`path` below the prefix, e.g. `/ecs`).
pub fn link(path: &str, text: &str) -> String {
    format!("<a href=\"{}{}\">{}</a>", crate::PREFIX, esc(path), esc(text))
}

/// A console URL for `path` below the prefix.
pub fn url(path: &str) -> String {
    format!("{}{}", crate::PREFIX, path)
}

/// How a state reads at a glance. The palette is Okabe and Ito's, safe for
/// the common colour blindnesses, and every badge also says its state in words
/// and a shape, so colour is never the only sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Working as wanted (ACTIVE, RUNNING, healthy, available).
    Good,
    /// On its way (PENDING, PROVISIONING, initial, draining).
    Busy,
    /// Failed or blocked (STOPPED with an error, unhealthy, *_FAILED).
    Bad,
    /// Neither (INACTIVE, unused, unknown).
    Plain,
}

impl Tone {
    /// The CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Busy => "busy",
            Tone::Bad => "bad",
            Tone::Plain => "plain",
        }
    }

    /// The shape before the word (for readers who cannot tell the colours apart).
    fn mark(self) -> &'static str {
        match self {
            Tone::Good => "●",
            Tone::Busy => "◐",
            Tone::Bad => "✕",
            Tone::Plain => "○",
        }
    }

    /// The tone of a state AWS spells in words (`RUNNING`, `CREATE_COMPLETE`, `unhealthy`, …).
    pub fn of(state: &str) -> Tone {
        let s = state.to_ascii_uppercase();
        if s.contains("FAIL") || s.contains("ROLLBACK") || s == "UNHEALTHY" || s == "BLOCKED" || s == "IMPAIRED" {
            Tone::Bad
        } else if s.ends_with("IN_PROGRESS")
            || ["PENDING", "PROVISIONING", "ACTIVATING", "DEACTIVATING", "DEPROVISIONING", "STOPPING"]
                .contains(&s.as_str())
            || ["INITIAL", "DRAINING", "CREATING", "DELETING", "ATTACHING", "DETACHING"].contains(&s.as_str())
        {
            Tone::Busy
        } else if s.ends_with("_COMPLETE")
            || ["ACTIVE", "RUNNING", "HEALTHY", "AVAILABLE", "IN-USE", "COMPLETED", "ATTACHED", "REACHABLE"]
                .contains(&s.as_str())
        {
            Tone::Good
        } else {
            Tone::Plain
        }
    }
}

/// A state badge: its shape and its word, coloured by its tone.
pub fn badge(state: &str) -> String {
    badge_as(state, Tone::of(state))
}

/// A badge of a given tone.
pub fn badge_as(text: &str, tone: Tone) -> String {
    format!(
        "<span class=\"badge {}\"><span aria-hidden=\"true\">{}</span> {}</span>",
        tone.class(),
        tone.mark(),
        esc(text)
    )
}

/// The hidden fields every form that changes something carries: the
/// session's token and the page to come back to.
pub fn form_guard(csrf: &str, back: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"back\" value=\"{}\">",
        esc(csrf),
        esc(back)
    )
}

/// A table: a header row and rows of ready HTML cells; `empty` when there are none.
pub fn table(headers: &[&str], rows: &[Vec<String>], empty: &str) -> String {
    if rows.is_empty() {
        return format!("<p class=\"empty\">{}</p>", esc(empty));
    }
    let mut out = String::from("<div class=\"scroll\"><table><thead><tr>");
    for h in headers {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

/// A definition list of label → ready HTML value.
pub fn facts(pairs: &[(&str, String)]) -> String {
    let mut out = String::from("<dl class=\"facts\">");
    for (k, v) in pairs {
        let _ = write!(out, "<dt>{}</dt><dd>{v}</dd>", esc(k));
    }
    out.push_str("</dl>");
    out
}

/// An ID or address in monospace.
pub fn code(s: &str) -> String {
    format!("<code>{}</code>", esc(s))
}

/// A time in milliseconds since the epoch, as the AWS console shows it (UTC).
pub fn time_ms(ms: u64) -> String {
    shapes::time::text(ms)
}

/// The `key=value&…` pairs of a query string or a form body, decoded.
pub fn form_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// One field of decoded pairs.
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// `application/x-www-form-urlencoded` decoding (`+` is a space); bad escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A value for a URL's query or path segment.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(esc("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
        assert!(matches!(esc("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn forms_decode_and_bad_escapes_stay() {
        let p = form_pairs("a=1+2&b=%2Fx%zz&c");
        assert_eq!(field(&p, "a"), Some("1 2"));
        assert_eq!(field(&p, "b"), Some("/x%zz"));
        assert_eq!(field(&p, "c"), Some(""));
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode(&percent_encode("sg-1 /é")), "sg-1 /é");
    }

    #[test]
    fn tones_follow_aws_words() {
        assert_eq!(Tone::of("RUNNING"), Tone::Good);
        assert_eq!(Tone::of("CREATE_IN_PROGRESS"), Tone::Busy);
        assert_eq!(Tone::of("UPDATE_ROLLBACK_COMPLETE"), Tone::Bad);
        assert_eq!(Tone::of("unhealthy"), Tone::Bad);
        assert_eq!(Tone::of("STOPPED"), Tone::Plain);
    }
}
