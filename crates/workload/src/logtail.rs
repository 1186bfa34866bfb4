//! Reading what container processes write to their log files as it comes:
//! each call gives the complete lines added since the last one (a line
//! still being written waits for its newline; a file cut shorter starts
//! over). This is how `up` hands a container's stdout and stderr to the
//! awslogs driver's stream.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// At most this much is read from one file per call, so one chatty
/// container cannot stall a tick (the rest comes next time).
const MAX_READ: u64 = 4 << 20;

/// The files followed and how far each was read.
#[derive(Debug, Default)]
pub struct LogFollower {
    files: BTreeMap<PathBuf, u64>,
}

impl LogFollower {
    /// Follows nothing yet.
    pub fn new() -> LogFollower {
        LogFollower::default()
    }

    /// Starts following `path` from its current end (what an earlier run wrote is not news).
    pub fn follow(&mut self, path: &Path) {
        let at = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        self.files.entry(path.to_path_buf()).or_insert(at);
    }

    /// Stops following `path`.
    pub fn forget(&mut self, path: &Path) {
        self.files.remove(path);
    }

    /// The complete lines `path` gained since the last call (without their
    /// newlines; invalid UTF-8 replaced). A file not followed, or missing, gives none.
    pub fn read_new(&mut self, path: &Path) -> Vec<String> {
        let Some(at) = self.files.get_mut(path) else { return Vec::new() };
        let Ok(mut f) = std::fs::File::open(path) else { return Vec::new() };
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        if len < *at {
            // Truncated or replaced: read it from the start.
            *at = 0;
        }
        if len == *at || f.seek(SeekFrom::Start(*at)).is_err() {
            return Vec::new();
        }
        let mut buf = Vec::new();
        if f.take(MAX_READ).read_to_end(&mut buf).is_err() {
            return Vec::new();
        }
        let Some(last_newline) = buf.iter().rposition(|b| *b == b'\n') else {
            // No complete line yet; a full read without one is a line too long to wait for.
            if buf.len() as u64 == MAX_READ {
                *at += MAX_READ;
                return vec![String::from_utf8_lossy(&buf).into_owned()];
            }
            return Vec::new();
        };
        *at += last_newline as u64 + 1;
        buf[..last_newline]
            .split(|b| *b == b'\n')
            .map(|l| String::from_utf8_lossy(l.strip_suffix(b"\r").unwrap_or(l)).into_owned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn new_complete_lines_come_once_and_partial_ones_wait() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("task-app.log");
        std::fs::write(&path, "from an earlier run\n").expect("write");
        let mut f = LogFollower::new();
        f.follow(&path);
        assert!(f.read_new(&path).is_empty(), "what was there before is not news");
        let mut file = std::fs::OpenOptions::new().append(true).open(&path).expect("open");
        file.write_all(b"one\ntwo\r\nthr").expect("append");
        assert_eq!(f.read_new(&path), ["one", "two"]);
        assert!(f.read_new(&path).is_empty(), "the unfinished line waits");
        file.write_all(b"ee\n").expect("append");
        assert_eq!(f.read_new(&path), ["three"]);
        std::fs::write(&path, "after a cut\n").expect("truncate");
        assert_eq!(f.read_new(&path), ["after a cut"]);
        f.forget(&path);
        std::fs::write(&path, "x\ny\n").expect("write");
        assert!(f.read_new(&path).is_empty(), "a forgotten file is not read");
        assert!(f.read_new(&dir.path().join("missing.log")).is_empty());
    }
}
