//! Object bodies, apart from the account's rows: an object's row holds its
//! metadata and the SHA-256 of its body; the body itself is a file named by
//! that hash in the store's folder (`<store folder>/s3-bodies/<sha256>`), so
//! a save writes only the rows that changed and never re-reads megabytes of
//! JSON, and the same body put twice is one file.
//!
//! A body put since the last save is held in memory; the store's save writes
//! it to its file before committing the object's row (written whole, then
//! renamed), so a row never names a body that is not on disk. An account
//! that was never saved (tests, plans) keeps its bodies in memory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where an account's object bodies are. Clones (the planner's scratch
/// copies) share it: bodies are named by their content, so sharing is safe.
#[derive(Clone, Default)]
pub struct Bodies {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    /// The folder of the bodies already saved, once the account has a store.
    dir: Option<PathBuf>,
    /// Bodies not written to the folder yet, by SHA-256.
    fresh: HashMap<String, Arc<Vec<u8>>>,
}

impl std::fmt::Debug for Bodies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.lock();
        f.debug_struct("Bodies").field("dir", &inner.dir).field("fresh", &inner.fresh.len()).finish()
    }
}

/// Bodies are not part of the account's value: two accounts with the same
/// objects (same hashes) are equal wherever their bodies are kept.
impl PartialEq for Bodies {
    fn eq(&self, _: &Bodies) -> bool {
        true
    }
}

/// The folder beside a store file where its bodies go.
pub fn dir_beside(store_file: &Path) -> PathBuf {
    store_file.parent().unwrap_or(Path::new(".")).join("s3-bodies")
}

impl Bodies {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps `data` (until the next save, in memory) and returns its SHA-256 hex.
    pub fn put(&self, data: Vec<u8>) -> String {
        let hash = crate::s3::sha256_hex(&data);
        let mut inner = self.lock();
        let saved = inner.dir.as_ref().is_some_and(|d| d.join(&hash).is_file());
        if !saved {
            inner.fresh.insert(hash.clone(), Arc::new(data));
        }
        hash
    }

    /// The body with this hash, if it is kept anywhere.
    pub fn get(&self, hash: &str) -> Option<Arc<Vec<u8>>> {
        let inner = self.lock();
        if let Some(b) = inner.fresh.get(hash) {
            return Some(Arc::clone(b));
        }
        let dir = inner.dir.clone()?;
        drop(inner);
        // A hash is 64 hex characters; anything else names no file.
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        std::fs::read(dir.join(hash)).ok().map(Arc::new)
    }

    /// A file holding the body with this hash: its saved file, or (not
    /// saved yet) a copy written to `fallback` (for readers that need a path,
    /// as the template reader does).
    pub fn file(&self, hash: &str, fallback: &Path) -> Option<PathBuf> {
        if let Some(dir) = self.lock().dir.clone() {
            let path = dir.join(hash);
            if path.is_file() {
                return Some(path);
            }
        }
        let body = self.get(hash)?;
        std::fs::create_dir_all(fallback).ok()?;
        let path = fallback.join(hash);
        if !path.is_file() {
            write_whole(&path, &body).ok()?;
        }
        Some(path)
    }

    /// Where saved bodies are (set by the store on load and save).
    pub fn set_dir(&self, dir: PathBuf) {
        self.lock().dir = Some(dir);
    }

    /// Writes the bodies put since the last save into `dir` and forgets them
    /// from memory; called by the store before it commits the rows naming them.
    pub fn flush(&self, dir: &Path) -> std::io::Result<usize> {
        let fresh: Vec<(String, Arc<Vec<u8>>)> = {
            let mut inner = self.lock();
            inner.dir = Some(dir.to_path_buf());
            inner.fresh.iter().map(|(h, b)| (h.clone(), Arc::clone(b))).collect()
        };
        if fresh.is_empty() {
            return Ok(0);
        }
        std::fs::create_dir_all(dir)?;
        for (hash, body) in &fresh {
            let path = dir.join(hash);
            if !path.is_file() {
                write_whole(&path, body)?;
            }
        }
        let mut inner = self.lock();
        for (hash, _) in &fresh {
            inner.fresh.remove(hash);
        }
        Ok(fresh.len())
    }
}

impl Bodies {
    /// Removes the saved bodies no object or part names any more (`keep`):
    /// called by the store after it committed a save that changed objects.
    /// Saves are serialized by the account's lock, so no other writer has a
    /// body on disk that its rows do not name yet. Best effort: a file that
    /// cannot be removed only takes space.
    pub fn collect(&self, dir: &Path, keep: &std::collections::HashSet<String>) -> usize {
        let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let is_body = name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit());
            if is_body && !keep.contains(name) && std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

/// Writes a file whole, then renames it into place: a reader never sees half a body.
fn write_whole(path: &Path, data: &[u8]) -> std::io::Result<()> {
    let partial = path.with_extension(format!("partial-{}", std::process::id()));
    std::fs::write(&partial, data)?;
    std::fs::rename(&partial, path)
}
