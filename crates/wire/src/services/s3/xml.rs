//! S3's XML, written and read by hand: S3 is `rest-xml` with a handful of
//! documents, so a few writers and a reader of flat elements do, where the
//! model-driven encoder serves the query protocols.

/// The namespace of S3's documents.
pub const NS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";

/// Escapes text for an element.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Undoes [`escape`] and numeric character references; `None` on a broken entity.
pub fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';')? + i;
        let entity = &rest[i + 1..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            e if e.starts_with("#x") => char::from_u32(u32::from_str_radix(&e[2..], 16).ok()?)?,
            e if e.starts_with('#') => char::from_u32(e[1..].parse().ok()?)?,
            _ => return None,
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// `<name>text</name>` with the text escaped.
pub fn el(name: &str, text: &str) -> String {
    format!("<{name}>{}</{name}>", escape(text))
}

/// A document: the XML declaration and the root element with S3's namespace.
pub fn doc(root: &str, inner: &str) -> Vec<u8> {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"{NS}\">{inner}</{root}>").into_bytes()
}

/// The texts of every `<name>` element in `xml` (any depth, in order), unescaped.
pub fn texts(xml: &str, name: &str) -> Option<Vec<String>> {
    blocks(xml, name).into_iter().map(|b| unescape(b.trim())).collect()
}

/// The inner text of every `<name>…</name>` (or `<name attr…>`) in `xml`, raw.
pub fn blocks<'x>(xml: &'x str, name: &str) -> Vec<&'x str> {
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        // `<Key>` must not match `<KeyMarker>`.
        match after.chars().next() {
            Some('>') | Some(' ') | Some('\t') | Some('\n') | Some('\r') => {}
            Some('/') if after.starts_with("/>") => {
                out.push("");
                rest = &after[2..];
                continue;
            }
            _ => {
                rest = after;
                continue;
            }
        }
        let Some(gt) = after.find('>') else { break };
        let body = &after[gt + 1..];
        let Some(end) = body.find(&close) else { break };
        out.push(&body[..end]);
        rest = &body[end + close.len()..];
    }
    out
}

/// The first `<name>` text, if any.
pub fn text(xml: &str, name: &str) -> Option<String> {
    texts(xml, name)?.into_iter().next()
}

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// RFC 7231's IMF-fixdate, as S3 writes `Last-Modified`: `Wed, 12 Oct 2009 17:50:00 GMT`.
pub fn http_date(ms: u64) -> String {
    let t = shapes::time::Utc::from_epoch_ms(ms);
    let day = DAYS[((ms / 86_400_000) % 7) as usize];
    let month = MONTHS[(t.month.clamp(1, 12) - 1) as usize];
    format!("{day}, {:02} {month} {} {:02}:{:02}:{:02} GMT", t.day, t.year, t.hour, t.minute, t.second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_found_by_exact_name_and_unescaped() {
        let x = "<Delete><Object><Key>a&amp;b</Key></Object><Object><Key>c&#x41;</Key><KeyMarker>no</KeyMarker></Object><Quiet>true</Quiet></Delete>";
        assert_eq!(texts(x, "Key"), Some(vec!["a&b".to_string(), "cA".to_string()]));
        assert_eq!(text(x, "Quiet").as_deref(), Some("true"));
        assert_eq!(blocks(x, "Object").len(), 2);
        assert_eq!(unescape("&bogus;"), None);
        assert_eq!(escape("<a & 'b'>"), "&lt;a &amp; &apos;b&apos;&gt;");
    }

    #[test]
    fn http_dates_are_imf_fixdates() {
        // 2009-10-12T17:50:00Z was a Monday.
        assert_eq!(http_date(1_255_369_800_000), "Mon, 12 Oct 2009 17:50:00 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }
}
