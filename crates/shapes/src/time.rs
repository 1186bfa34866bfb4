//! Timestamps. The account's clock counts milliseconds since the Unix epoch;
//! AWS shows times as ISO 8601. Written here (no date crate) because all we
//! need is UTC: no zones, no parsing.
//!
//! JSON output prints every timestamp the way the aws CLI v2 prints it with
//! its default `cli_timestamp_format` (`iso8601`), i.e. Python's
//! `datetime.isoformat()`: `2026-11-24T10:15:30.123000+00:00`, the fraction
//! left out when it is zero. That holds for ECS too, whose wire format is
//! epoch seconds (the CLI converts them, to the local zone; we always use UTC
//! so output does not depend on the machine).

/// Milliseconds in a day.
const MS_PER_DAY: u64 = 86_400_000;

/// A UTC instant split into calendar fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Utc {
    /// Year (proleptic Gregorian).
    pub year: i64,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of the month, 1..=31.
    pub day: u32,
    /// Hour, 0..=23.
    pub hour: u32,
    /// Minute, 0..=59.
    pub minute: u32,
    /// Second, 0..=59 (the clock has no leap seconds, like Unix time).
    pub second: u32,
    /// Millisecond, 0..=999.
    pub milli: u32,
}

impl Utc {
    /// The calendar fields of `ms` milliseconds after 1970-01-01T00:00:00Z.
    pub fn from_epoch_ms(ms: u64) -> Utc {
        // u64::MAX / MS_PER_DAY is about 2.1e11, far inside i64.
        let days = i64::try_from(ms / MS_PER_DAY).unwrap_or(i64::MAX);
        let (year, month, day) = civil_from_days(days);
        // Every remainder below is < 86_400_000, so the casts cannot truncate.
        let in_day = (ms % MS_PER_DAY) as u32;
        Utc {
            year,
            month,
            day,
            hour: in_day / 3_600_000,
            minute: in_day / 60_000 % 60,
            second: in_day / 1000 % 60,
            milli: in_day % 1000,
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS`, the part every format shares.
    pub fn date_time(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// The proleptic Gregorian date of a count of days since 1970-01-01.
///
/// Counts years from 0000-03-01 so the leap day is the last day of the
/// counted year, then splits days into 400-year eras (146 097 days each,
/// a whole number of weeks and leap cycles), years of the era, and
/// month-long runs of 153 days per five months (Mar–Jul, Aug–Dec).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // 719 468 days from 0000-03-01 to 1970-01-01.
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    // Remove the leap days before this day: one per 4 years (1460 days), minus
    // one per century (36 524 days), plus the era's last day (day 146 096).
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Month index from March = 0; 153 days cover each five-month run.
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // month is 1..=12 and day 1..=31 by construction.
    (year, month as u32, day as u32)
}

/// A timestamp as the aws CLI v2 prints it: `2026-11-24T10:15:30.123000+00:00`
/// (no fraction when the milliseconds are zero, as Python's `isoformat` does).
pub fn aws_cli(ms: u64) -> String {
    let t = Utc::from_epoch_ms(ms);
    if t.milli == 0 {
        format!("{}+00:00", t.date_time())
    } else {
        format!("{}.{:03}000+00:00", t.date_time(), t.milli)
    }
}

/// A timestamp for the text tables: `2026-11-24T10:15:30Z`. Seconds are
/// enough for people; the order of rows carries finer differences.
pub fn text(ms: u64) -> String {
    format!("{}Z", Utc::from_epoch_ms(ms).date_time())
}

#[cfg(test)]
mod tests;
