//! Timestamps between the documents' forms (the aws CLI's
//! `2026-11-24T13:44:45.123000+00:00`, ISO 8601, epoch numbers) and the
//! wire's (ISO 8601 in XML, epoch seconds in JSON).

use serde_json::Value;

/// Milliseconds since the epoch of a document timestamp: an ISO 8601 text
/// (`Z` or `±hh:mm`), or a number of epoch seconds.
pub fn millis(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_f64().filter(|s| *s >= 0.0).map(|s| (s * 1000.0).round() as u64),
        Value::String(s) => parse_iso(s),
        _ => None,
    }
}

/// Epoch seconds, as the JSON protocols write timestamps.
pub fn epoch_seconds(ms: u64) -> Value {
    serde_json::Number::from_f64(ms as f64 / 1000.0).map_or(Value::Null, Value::Number)
}

/// `2026-12-05T00:48:53.000Z`.
pub fn iso(ms: u64) -> String {
    let t = shapes::time::Utc::from_epoch_ms(ms);
    format!("{}.{:03}Z", t.date_time(), t.milli)
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff…][Z|±hh:mm]` (a space for `T` too).
pub fn parse_iso(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse().ok() };
    let (y, mo, d) = (num(0..4)?, num(5..7)? as u32, num(8..10)? as u32);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut i = 19;
    let mut frac_ms = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let digits = s.get(start..i)?;
        let mut three: String = digits.chars().take(3).collect();
        while three.len() < 3 {
            three.push('0');
        }
        frac_ms = three.parse().ok()?;
    }
    let offset_s = match s.get(i..) {
        None | Some("") | Some("Z") | Some("z") => 0,
        Some(tz) if tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) => {
            let sign = if tz.starts_with('-') { -1 } else { 1 };
            sign * (tz.get(1..3)?.parse::<i64>().ok()? * 3600 + tz.get(4..6)?.parse::<i64>().ok()? * 60)
        }
        _ => return None,
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset_s;
    u64::try_from(secs * 1000 + frac_ms).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_form_and_iso_agree() {
        let a = parse_iso("2026-11-24T13:44:45.123000+00:00").unwrap();
        let b = parse_iso("2026-11-24T13:44:45.123Z").unwrap();
        assert_eq!(a, b);
        assert_eq!(iso(a), "2026-11-24T13:44:45.123Z");
        assert_eq!(parse_iso("2026-11-24T14:44:45.123+01:00"), Some(a));
    }

    #[test]
    fn garbage_is_not_a_time() {
        assert_eq!(parse_iso("yesterday at noon"), None);
        assert_eq!(parse_iso("2026-13-01T00:00:00Z"), None);
    }

    proptest::proptest! {
        #[test]
        fn iso_round_trips(ms in 0u64..4_102_444_800_000) {
            proptest::prop_assert_eq!(parse_iso(&iso(ms)), Some(ms));
        }
    }
}
