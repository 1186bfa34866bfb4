//! Python environments: AWS's runtime interface client `awslambdaric` (PyPI) and boto3 in a
//! venv per interpreter under the cache dir, built once under a file lock.

use crate::util::sha256_hex;
use crate::RunnerError;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the venv holds; boto3 pinned as tasknet's tests pin it. The stamp records this line,
/// so changing it rebuilds the venv.
const PACKAGES: &[&str] = &["awslambdaric", "boto3==1.44.8"];
/// Our cfnresponse module, written beside `Code.ZipFile` functions' PYTHONPATH.
const CFNRESPONSE_PY: &str = include_str!("../assets/cfnresponse.py");

/// The interpreter a `python3.x` runtime runs on.
#[derive(Debug, Clone)]
pub struct Interpreter {
    /// `sys.executable` of the interpreter found.
    pub executable: PathBuf,
    /// Its `X.Y`.
    pub version: String,
}

fn probe(program: &str) -> Option<Interpreter> {
    let out = Command::new(program)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    let version = lines.next()?.trim().to_string();
    let executable = PathBuf::from(lines.next()?.trim());
    (!executable.as_os_str().is_empty()).then_some(Interpreter { executable, version })
}

/// The interpreter for `runtime` (`python3.12`): the exact `python3.12` on PATH when it runs
/// and is that version, else the machine's `python3` (python3.x identifiers run on the
/// machine's Python), logged either way.
///
/// Probing costs a few hundred ms (pyenv shims), so the answer is remembered under
/// `cache/python/interpreters/<runtime>.json` for as long as PATH is the same and the
/// interpreter is still there; delete that folder to probe again.
pub fn find_interpreter(cache: &Path, runtime: &str) -> Result<Interpreter, RunnerError> {
    let path_var = std::env::var("PATH").unwrap_or_default();
    let memo = cache.join("python").join("interpreters").join(format!("{runtime}.json"));
    if let Some(i) = std::fs::read(&memo)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .filter(|v| v["path"] == path_var.as_str())
        .and_then(|v| {
            Some(Interpreter {
                executable: PathBuf::from(v["executable"].as_str()?),
                version: v["version"].as_str()?.to_string(),
            })
        })
        .filter(|i| i.executable.is_file())
    {
        tracing::info!(runtime, python = %i.executable.display(), "Lambda {runtime} runs on Python {} ({})", i.version, i.executable.display());
        return Ok(i);
    }
    let found = probe_interpreter(runtime)?;
    let record = serde_json::json!({
        "path": path_var,
        "executable": found.executable.display().to_string(),
        "version": found.version,
    });
    if let Some(dir) = memo.parent() {
        let _ = std::fs::create_dir_all(dir)
            .and_then(|_| crate::util::write_atomically(&memo, record.to_string().as_bytes()));
    }
    Ok(found)
}

fn probe_interpreter(runtime: &str) -> Result<Interpreter, RunnerError> {
    let wanted = runtime.trim_start_matches("python");
    if let Some(i) = probe(runtime).filter(|i| i.version == wanted) {
        tracing::info!(runtime, python = %i.executable.display(), "Lambda {runtime} runs on {}", i.executable.display());
        return Ok(i);
    }
    match probe("python3") {
        Some(i) => {
            tracing::info!(
                runtime,
                python = %i.executable.display(),
                "Lambda {runtime}: no working {runtime} on PATH, running on the machine's python3 ({} {})",
                i.version,
                i.executable.display()
            );
            Ok(i)
        }
        // Our own words: Lambda's runtimes are always installed, so it has no such error.
        None => Err(RunnerError::RuntimeNotInstalled {
            runtime: runtime.to_string(),
            detail: format!("neither {runtime} nor python3 runs on this machine (PATH)"),
        }),
    }
}

/// An exclusive `flock` held until dropped.
struct FileLock(File);

impl FileLock {
    fn acquire(path: &Path) -> std::io::Result<FileLock> {
        let f = File::options().create(true).truncate(false).write(true).open(path)?;
        loop {
            // SAFETY: flock on a descriptor we own.
            if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) } == 0 {
                return Ok(FileLock(f));
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // SAFETY: unlocking our own descriptor.
        unsafe {
            libc::flock(self.0.as_raw_fd(), libc::LOCK_UN);
        }
    }
}

fn tail(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

fn build_err(runtime: &str, detail: String) -> RunnerError {
    RunnerError::EnvironmentBuild { runtime: runtime.to_string(), detail }
}

fn run(runtime: &str, cmd: &mut Command) -> Result<(), RunnerError> {
    let out = cmd.output().map_err(|e| build_err(runtime, format!("{cmd:?}: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    Err(build_err(runtime, format!("{cmd:?} failed ({}):\n{}{}", out.status, tail(&out.stdout), tail(&out.stderr))))
}

/// The venv's python for `interp`, building the venv on first use: `python -m venv`, then
/// `pip install --only-binary=:all: awslambdaric boto3==…`. A file lock keeps two processes
/// (or threads) from building it at once; a stamp marks it complete, so it is reused.
pub fn ensure_venv(cache: &Path, runtime: &str, interp: &Interpreter) -> Result<PathBuf, RunnerError> {
    let key = sha256_hex(interp.executable.as_os_str().as_encoded_bytes());
    let base = cache.join("python");
    let dir = base.join(format!("{}-{}", interp.version, &key[..12]));
    let python = dir.join("bin").join("python");
    let stamp = dir.join(".tasknet-stamp");
    let want = PACKAGES.join(" ");
    let ready = || python.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == want);
    if ready() {
        return Ok(python);
    }
    std::fs::create_dir_all(&base).map_err(|e| build_err(runtime, format!("{}: {e}", base.display())))?;
    let _lock = FileLock::acquire(&base.join(format!("{}-{}.lock", interp.version, &key[..12])))
        .map_err(|e| build_err(runtime, format!("lock: {e}")))?;
    if ready() {
        return Ok(python);
    }
    tracing::info!(
        runtime,
        venv = %dir.display(),
        "building the Python environment for Lambda (awslambdaric, boto3) from PyPI; once per interpreter"
    );
    let _ = std::fs::remove_dir_all(&dir);
    run(runtime, Command::new(&interp.executable).arg("-m").arg("venv").arg(&dir))?;
    run(
        runtime,
        Command::new(&python)
            .args(["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q", "--only-binary=:all:"])
            .args(PACKAGES),
    )?;
    std::fs::write(&stamp, &want).map_err(|e| build_err(runtime, format!("stamp: {e}")))?;
    Ok(python)
}

/// A folder holding `cfnresponse.py`, for the PYTHONPATH of `Code.ZipFile` functions.
pub fn cfnresponse_dir(cache: &Path) -> Result<PathBuf, RunnerError> {
    let dir = cache.join("python").join(format!("cfnresponse-{}", &sha256_hex(CFNRESPONSE_PY.as_bytes())[..12]));
    let file = dir.join("cfnresponse.py");
    if !file.is_file() {
        std::fs::create_dir_all(&dir)
            .and_then(|_| crate::util::write_atomically(&file, CFNRESPONSE_PY.as_bytes()))
            .map_err(|e| RunnerError::Io(format!("cannot write {}: {e}", file.display())))?;
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn the_file_lock_excludes_other_holders() {
        let path = std::env::temp_dir().join(format!("tn-lambda-lock-{}", std::process::id()));
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (path, inside, most) = (path.clone(), inside.clone(), most.clone());
                std::thread::spawn(move || {
                    for _ in 0..5 {
                        let _l = FileLock::acquire(&path).unwrap();
                        let n = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(n, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(2));
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 1, "one holder at a time");
        let _ = std::fs::remove_file(&path);
    }
}
