use super::*;

#[test]
fn epoch_and_known_days() {
    assert_eq!(civil_from_days(0), (1970, 1, 1));
    assert_eq!(civil_from_days(-1), (1969, 12, 31));
    assert_eq!(civil_from_days(59), (1970, 3, 1));
    // 2000 is a leap year (divisible by 400), 1900 and 2100 are not.
    assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    assert_eq!(civil_from_days(11_017), (2000, 3, 1));
    assert_eq!(civil_from_days(-25_509), (1900, 2, 28));
    assert_eq!(civil_from_days(-25_508), (1900, 3, 1));
    assert_eq!(civil_from_days(47_540), (2100, 2, 28));
    assert_eq!(civil_from_days(47_541), (2100, 3, 1));
    assert_eq!(civil_from_days(20_454), (2026, 1, 1));
}

#[test]
fn every_day_follows_the_previous_one() {
    // Walk 1960..2400 day by day and check the calendar rules directly.
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_len = |y: i64, m: u32| match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let mut prev = civil_from_days(-3653);
    assert_eq!(prev, (1960, 1, 1));
    for d in -3652..157_000 {
        let cur = civil_from_days(d);
        let (y, m, day) = prev;
        let expected = if day < month_len(y, m) {
            (y, m, day + 1)
        } else if m < 12 {
            (y, m + 1, 1)
        } else {
            (y + 1, 1, 1)
        };
        assert_eq!(cur, expected, "day {d}");
        prev = cur;
    }
}

#[test]
fn aws_cli_format() {
    // 2026-01-01T00:00:00Z is the account clock's epoch.
    assert_eq!(aws_cli(1_767_225_600_000), "2026-01-01T00:00:00+00:00");
    assert_eq!(aws_cli(1_767_225_600_001), "2026-01-01T00:00:00.001000+00:00");
    // 2026-11-24T10:15:30.123Z.
    assert_eq!(aws_cli(1_795_515_330_123), "2026-11-24T10:15:30.123000+00:00");
    assert_eq!(aws_cli(0), "1970-01-01T00:00:00+00:00");
    assert_eq!(aws_cli(951_782_399_999), "2000-02-28T23:59:59.999000+00:00");
}

#[test]
fn text_format_and_fields() {
    assert_eq!(text(1_795_515_330_123), "2026-11-24T10:15:30Z");
    let t = Utc::from_epoch_ms(1_795_515_330_123);
    assert_eq!((t.hour, t.minute, t.second, t.milli), (10, 15, 30, 123));
    // The largest clock value still formats (a far-future year, no panic).
    assert!(text(u64::MAX).ends_with('Z'));
}
