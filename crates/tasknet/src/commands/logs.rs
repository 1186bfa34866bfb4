//! `tasknet logs <log group | Lambda function | task>`: the events as
//! `aws logs tail` (CLI v2) prints them (`<timestamp> <stream> <message>`),
//! from `--since` (default ten minutes ago, by the wall clock as the CLI
//! counts it; or an ISO 8601 time, or epoch seconds); `--follow` reads the account again every `--interval`
//! seconds until Ctrl-C, skipping events already printed, as the CLI does.

use super::emit;
use crate::cli::{Cli, LogsArgs};
use crate::error::CliError;
use account::logs::tail::{self, TailEvent};
use account::Account;
use runtime::state;
use std::collections::BTreeSet;
use std::time::Duration;

/// Milliseconds of a `--since` like `10m`, `2h`, `30s`, `1d`, `1w` (CLI v2's units).
fn relative_ms(text: &str) -> Option<u64> {
    let unit = text.chars().last()?;
    let n: u64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    let per = match unit {
        's' => 1_000,
        'm' => 60_000,
        'h' => 3_600_000,
        'd' => 86_400_000,
        'w' => 604_800_000,
        _ => return None,
    };
    n.checked_mul(per)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of `shapes::time::civil_from_days`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (a `Z` or `+00:00` after it), in UTC, as epoch ms.
fn iso_ms(text: &str) -> Option<u64> {
    let t = text.trim_end_matches('Z').trim_end_matches("+00:00");
    let (date, time) = t.split_once(['T', ' ']).unwrap_or((t, "00:00:00"));
    let d: Vec<&str> = date.split('-').collect();
    let h: Vec<&str> = time.split(':').collect();
    if d.len() != 3 || h.len() != 3 {
        return None;
    }
    let (year, month, day): (i64, u32, u32) = (d[0].parse().ok()?, d[1].parse().ok()?, d[2].parse().ok()?);
    let (hour, minute, second): (u64, u64, f64) = (h[0].parse().ok()?, h[1].parse().ok()?, h[2].parse().ok()?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || !(0.0..60.0).contains(&second)
    {
        return None;
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    Some(days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + (second * 1000.0) as u64)
}

/// When `--since` starts, as CLI v2 reads it: relative to `now_ms`, an ISO 8601 time (UTC), or epoch seconds.
fn since_ms(text: &str, now_ms: u64) -> Result<u64, CliError> {
    if let Some(ms) = relative_ms(text) {
        return Ok(now_ms.saturating_sub(ms));
    }
    if let Some(ms) = iso_ms(text) {
        return Ok(ms);
    }
    match text.parse::<f64>() {
        Ok(secs) if secs >= 0.0 => Ok((secs * 1000.0) as u64),
        _ => Err(CliError::Usage(format!(
            "--since {text}: give a number and one unit (s, m, h, d, w), e.g. 10m, an ISO 8601 time (2026-01-01T12:00:00Z) or epoch seconds"
        ))),
    }
}

/// One line as CLI v2's detailed format prints it (the message's trailing whitespace trimmed).
fn line(e: &TailEvent) -> String {
    format!("{} {} {}\n", shapes::time::aws_cli(e.timestamp), e.stream, e.message.trim_end())
}

/// The events of `target` in the stored account from `since` on.
fn read(cli: &Cli, target: &str, since: u64) -> Result<Vec<TailEvent>, CliError> {
    let (account, _) = state::account_for_reading(cli.state_dir.as_deref(), cli.account_file.as_deref())?;
    events(&account, target, since)
}

fn events(account: &Account, target: &str, since: u64) -> Result<Vec<TailEvent>, CliError> {
    // The aws CLI's wording of the API error.
    let refused = |e: account::ServiceError| {
        CliError::Refused(format!(
            "An error occurred ({}) when calling the FilterLogEvents operation: {}",
            e.code, e.message
        ))
    };
    let sources = tail::resolve(account, target).map_err(refused)?;
    tail::events_since(account, &sources, since).map_err(refused)
}

/// Runs `logs`: 0 when the events were printed (none too).
pub fn run(cli: &Cli, args: &LogsArgs) -> Result<u8, CliError> {
    let since = since_ms(&args.since, runtime::clock::wall_clock_ms())?;
    let first = read(cli, &args.target, since)?;
    let mut out = String::new();
    for e in &first {
        out.push_str(&line(e));
    }
    emit(&out)?;
    if !args.follow {
        return Ok(0);
    }
    // As CLI v2 follows: from the newest timestamp seen, skipping the events seen at it.
    let mut newest = first.last().map_or(since, |e| e.timestamp);
    let mut seen: BTreeSet<String> =
        first.iter().filter(|e| e.timestamp == newest).map(|e| e.event_id.clone()).collect();
    let interval = Duration::from_secs_f64(args.interval.clamp(0.05, 3600.0));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Output(e.to_string()))?;
    rt.block_on(async {
        let mut stop = std::pin::pin!(tokio::signal::ctrl_c());
        loop {
            tokio::select! {
                _ = &mut stop => return Ok(0),
                _ = tokio::time::sleep(interval) => {}
            }
            let fresh: Vec<TailEvent> =
                read(cli, &args.target, newest)?.into_iter().filter(|e| !seen.contains(&e.event_id)).collect();
            let mut out = String::new();
            for e in &fresh {
                if e.timestamp > newest {
                    newest = e.timestamp;
                    seen.clear();
                }
                if e.timestamp == newest {
                    seen.insert(e.event_id.clone());
                }
                out.push_str(&line(e));
            }
            emit(&out)?;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_cli_v2_units_or_epoch_milliseconds() {
        assert_eq!(since_ms("10m", 1_000_000).ok(), Some(400_000));
        assert_eq!(since_ms("2h", 10_000_000).ok(), Some(2_800_000));
        assert_eq!(since_ms("1w", 1).ok(), Some(0));
        assert_eq!(since_ms("1234", 99_999).ok(), Some(1_234_000));
        assert_eq!(since_ms("2026-01-01T00:00:00Z", 0).ok(), Some(1_767_225_600_000));
        assert_eq!(since_ms("2026-01-01T00:00:01.5+00:00", 0).ok(), Some(1_767_225_601_500));
        assert_eq!(since_ms("2024-02-29", 0).ok(), Some(1_709_164_800_000));
        assert!(since_ms("2026-13-01T00:00:00", 0).is_err());
        assert!(since_ms("5h30m", 0).is_err());
        assert!(since_ms("m", 0).is_err());
        assert!(since_ms("10x", 0).is_err());
    }

    #[test]
    fn lines_are_cli_v2s_detailed_format() {
        let e = TailEvent {
            timestamp: 1_767_225_600_123,
            stream: "s".into(),
            message: "hi \n".into(),
            event_id: String::new(),
        };
        assert_eq!(line(&e), "2026-01-01T00:00:00.123000+00:00 s hi\n");
        let whole = TailEvent { timestamp: 1_767_225_600_000, ..e };
        assert_eq!(line(&whole), "2026-01-01T00:00:00+00:00 s hi\n");
    }
}
