//! Node.js environments: the machine's `node` running our bootstrap (assets/bootstrap.js).

use crate::util::sha256_hex;
use crate::RunnerError;
use std::path::{Path, PathBuf};

/// The Runtime API loop for Node.js, written out to the cache.
const BOOTSTRAP_JS: &str = include_str!("../assets/bootstrap.js");

/// The `node` on PATH, or the error saying it is missing.
pub fn find_node(runtime: &str) -> Result<PathBuf, RunnerError> {
    find_node_in(runtime, &std::env::var_os("PATH").unwrap_or_default())
}

fn find_node_in(runtime: &str, path: &std::ffi::OsStr) -> Result<PathBuf, RunnerError> {
    for dir in std::env::split_paths(path) {
        let candidate = dir.join("node");
        if is_executable(&candidate) {
            let version = std::process::Command::new(&candidate)
                .arg("--version")
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
            if let Some(v) = version {
                tracing::info!(runtime, node = %candidate.display(), "Lambda {runtime} runs on the machine's node {v}");
                return Ok(candidate);
            }
        }
    }
    // Our own words: Lambda's runtimes are always installed, so it has no such error.
    Err(RunnerError::RuntimeNotInstalled { runtime: runtime.to_string(), detail: "no node on PATH".to_string() })
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The bootstrap script's path under the cache (named by its hash, so versions never mix).
pub fn bootstrap(cache: &Path) -> Result<PathBuf, RunnerError> {
    let dir = cache.join("node");
    let file = dir.join(format!("bootstrap-{}.js", &sha256_hex(BOOTSTRAP_JS.as_bytes())[..12]));
    if !file.is_file() {
        std::fs::create_dir_all(&dir)
            .and_then(|_| crate::util::write_atomically(&file, BOOTSTRAP_JS.as_bytes()))
            .map_err(|e| RunnerError::Io(format!("cannot write {}: {e}", file.display())))?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_node_on_path_is_a_clear_error() {
        let e = find_node_in("nodejs20.x", std::ffi::OsStr::new("/nonexistent-tn-dir")).unwrap_err();
        assert_eq!(e.to_string(), "The runtime nodejs20.x cannot run here: no node on PATH");
        assert_eq!(e.code(), "ServiceException");
    }

    #[test]
    fn threads_writing_the_bootstrap_at_once_all_get_it() {
        // Tests run in threads of one process; a temporary named by the pid alone was
        // renamed away by one thread while another still meant to rename it.
        let cache = std::env::temp_dir()
            .join(format!("tn-lambda-boot-{}", crate::util::hex(&crate::util::random_bytes::<6>())));
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (cache, barrier) = (cache.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    bootstrap(&cache)
                })
            })
            .collect();
        let results: Vec<_> = threads.into_iter().map(|t| t.join().expect("no panic")).collect();
        let _ = std::fs::remove_dir_all(&cache);
        for r in results {
            let file = r.expect("every writer succeeds");
            assert!(file.ends_with(format!("bootstrap-{}.js", &sha256_hex(BOOTSTRAP_JS.as_bytes())[..12])));
        }
    }
}
