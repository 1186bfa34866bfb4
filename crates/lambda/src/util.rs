//! Small helpers: wall-clock times in Lambda's formats, random IDs, hashing.

use sha2::{Digest, Sha256};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the epoch, now.
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `YYYY/MM/DD` (UTC) of a time in ms, as log stream names start.
pub fn date_slashes(ms: u64) -> String {
    let (y, m, d) = civil_from_days((ms / 86_400_000) as i64);
    format!("{y:04}/{m:02}/{d:02}")
}

/// ISO 8601 with milliseconds and `Z` (`2020-11-10T05:46:57.874Z`), as Lambda's timeout line.
pub fn iso_ms(ms: u64) -> String {
    let (y, mo, d) = civil_from_days((ms / 86_400_000) as i64);
    let in_day = ms % 86_400_000;
    let (h, mi, s, milli) = (in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1000 % 60, in_day % 1000);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// `n` random bytes from the kernel.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    let mut filled = 0;
    while filled < N {
        // SAFETY: the pointer and length describe the unfilled tail of `buf`.
        let r = unsafe { libc::getrandom(buf[filled..].as_mut_ptr().cast(), N - filled, 0) };
        if r <= 0 {
            // getrandom cannot fail on Linux ≥ 3.17 short of EINTR; fall back to the clock.
            let t = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
            for (i, b) in buf[filled..].iter_mut().enumerate() {
                *b = (t >> ((i % 16) * 8)) as u8 ^ (i as u8).wrapping_mul(151);
            }
            break;
        }
        filled += r as usize;
    }
    buf
}

/// Writes `bytes` to `file` through a uniquely named temporary beside it and a rename, so
/// concurrent writers (threads of one process included) never see or clobber a partial file.
pub fn write_atomically(file: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = tmp_beside(file);
    let done = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, file));
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

/// A name beside `dest` that no other writer uses (pid and random bytes), for
/// building a file or folder and renaming it into place.
pub fn tmp_beside(dest: &std::path::Path) -> std::path::PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}-{}", std::process::id(), hex(&random_bytes::<4>())));
    dest.with_file_name(name)
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A version 4 UUID, the shape of Lambda's request IDs.
pub fn uuid4() -> String {
    let mut b = random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// Lowercase hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A log stream name as Lambda makes one per environment: `YYYY/MM/DD/[<version>]<32 hex>`.
pub fn log_stream_name(version: &str, at_ms: u64) -> String {
    format!("{}/[{}]{}", date_slashes(at_ms), version, hex(&random_bytes::<16>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_lambdas_formats() {
        // 2020-11-10T05:46:57.874Z, from a Lambda timeout line.
        let ms = 1_604_987_217_874;
        assert_eq!(iso_ms(ms), "2020-11-10T05:46:57.874Z");
        assert_eq!(date_slashes(ms), "2020/11/10");
        assert_eq!(iso_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(date_slashes(951_782_400_000), "2000/02/29");
    }

    #[test]
    fn stream_names_and_ids_have_lambdas_shape() {
        let s = log_stream_name("$LATEST", 1_604_987_217_874);
        assert!(s.starts_with("2020/11/10/[$LATEST]"), "{s}");
        let tail = &s["2020/11/10/[$LATEST]".len()..];
        assert_eq!(tail.len(), 32);
        assert!(tail.chars().all(|c| c.is_ascii_hexdigit()));
        let a = uuid4();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert_ne!(a, uuid4());
    }
}
