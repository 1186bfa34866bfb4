//! A function's code on disk: inline source written as `index.<ext>`, zips unpacked into the
//! cache by their hash, folders used in place.

use crate::util::{sha256_hex, tmp_beside};
use crate::{Code, FunctionSpec, RunnerError};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The Node.js `cfn-response` module CloudFormation adds beside `Code.ZipFile` source.
const CFN_RESPONSE_JS: &str = include_str!("../assets/cfn-response.js");

/// Lambda's limit on a package's unzipped size, in bytes ("Lambda quotas": 250 MB unzipped,
/// the figure its error text names).
pub const MAX_UNZIPPED: u64 = 262_144_000;

/// Checks that a deployment package is a zip archive ("Could not unzip uploaded file…") whose
/// files add up to less than Lambda's unzipped limit, as CreateFunction does before storing it
/// (both InvalidParameterValueException).
pub fn check_zip(bytes: &[u8]) -> Result<(), RunnerError> {
    check_zip_within(bytes, MAX_UNZIPPED)
}

fn check_zip_within(bytes: &[u8], limit: u64) -> Result<(), RunnerError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| RunnerError::InvalidZip)?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| RunnerError::InvalidZip)?;
        total = total.saturating_add(entry.size());
    }
    if total >= limit {
        return Err(RunnerError::UnzippedTooLarge(limit));
    }
    Ok(())
}

/// Which language a runtime identifier runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Python,
    Node,
}

impl Language {
    /// The language of `python3.12`, `nodejs20.x`, …
    pub fn of(runtime: &str) -> Result<Language, RunnerError> {
        if runtime.strip_prefix("python3.").is_some_and(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_digit())) {
            Ok(Language::Python)
        } else if runtime.starts_with("nodejs") {
            Ok(Language::Node)
        } else {
            Err(RunnerError::UnsupportedRuntime(runtime.to_string()))
        }
    }

    fn inline_file(self) -> &'static str {
        match self {
            Language::Python => "index.py",
            Language::Node => "index.js",
        }
    }
}

/// Moves a freshly built `tmp` to `dest`; if another process got there first, keeps theirs.
fn publish(tmp: &Path, dest: &Path) -> Result<(), RunnerError> {
    match std::fs::rename(tmp, dest) {
        Ok(()) => Ok(()),
        Err(_) if dest.is_dir() => {
            let _ = std::fs::remove_dir_all(tmp);
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(tmp);
            Err(RunnerError::Io(format!("could not place code at {}: {e}", dest.display())))
        }
    }
}

fn io_err(what: &str, path: &Path, e: std::io::Error) -> RunnerError {
    RunnerError::Io(format!("{what} {}: {e}", path.display()))
}

/// The task root of `spec`'s code (LAMBDA_TASK_ROOT), created under `cache/code` if needed.
pub fn task_root(cache: &Path, spec: &FunctionSpec, lang: Language) -> Result<PathBuf, RunnerError> {
    let code_dir = cache.join("code");
    match &spec.code {
        Code::Dir(dir) => {
            if dir.is_dir() {
                Ok(dir.clone())
            } else {
                Err(RunnerError::Io(format!("the function's code folder {} does not exist", dir.display())))
            }
        }
        Code::Inline(source) => {
            let key = sha256_hex(format!("{}\0{source}", lang.inline_file()).as_bytes());
            let dest = code_dir.join(format!("inline-{}", &key[..32]));
            if dest.is_dir() {
                return Ok(dest);
            }
            std::fs::create_dir_all(&code_dir).map_err(|e| io_err("cannot create", &code_dir, e))?;
            let tmp = tmp_beside(&dest);
            let write = || -> std::io::Result<()> {
                std::fs::create_dir_all(&tmp)?;
                std::fs::write(tmp.join(lang.inline_file()), source)?;
                if lang == Language::Node {
                    // CloudFormation adds cfn-response to ZipFile code ("cfn-response module");
                    // in node_modules it resolves for both require and import.
                    let m = tmp.join("node_modules").join("cfn-response");
                    std::fs::create_dir_all(&m)?;
                    std::fs::write(m.join("index.js"), CFN_RESPONSE_JS)?;
                }
                Ok(())
            };
            if let Err(e) = write() {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(io_err("cannot write code to", &tmp, e));
            }
            publish(&tmp, &dest)?;
            Ok(dest)
        }
        Code::Zip(bytes) => {
            // The cache key is the package's own hash (Lambda's CodeSha256 is the same digest).
            let key = sha256_hex(bytes);
            let dest = code_dir.join(format!("zip-{}", &key[..32]));
            if dest.is_dir() {
                return Ok(dest);
            }
            check_zip(bytes)?;
            let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| RunnerError::InvalidZip)?;
            std::fs::create_dir_all(&code_dir).map_err(|e| io_err("cannot create", &code_dir, e))?;
            let tmp = tmp_beside(&dest);
            // `extract` refuses entries that would land outside the folder.
            if archive.extract(&tmp).is_err() {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(RunnerError::InvalidZip);
            }
            publish(&tmp, &dest)?;
            Ok(dest)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtimes_map_to_languages() {
        assert_eq!(Language::of("python3.12").ok(), Some(Language::Python));
        assert_eq!(Language::of("python3.9").ok(), Some(Language::Python));
        assert_eq!(Language::of("nodejs20.x").ok(), Some(Language::Node));
        for bad in ["python2.7", "java21", "python3.", "provided.al2023", ""] {
            assert!(matches!(Language::of(bad), Err(RunnerError::UnsupportedRuntime(_))), "{bad}");
        }
    }

    #[test]
    fn not_a_zip_is_lambdas_error() {
        let e = check_zip(b"print('hello')").unwrap_err();
        assert_eq!(e, RunnerError::InvalidZip);
        assert_eq!(e.code(), "InvalidParameterValueException");
        assert_eq!(e.status(), 400);
        assert_eq!(e.to_string(), "Could not unzip uploaded file. Please check your file, then try to upload again.");
    }

    #[test]
    fn a_zip_passes_and_unpacks() {
        use std::io::Write;
        let mut buf = Vec::new();
        {
            let mut w = zip::ZipWriter::new(Cursor::new(&mut buf));
            w.start_file("pkg/app.py", zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(b"def h(e, c):\n    return 1\n").unwrap();
            w.finish().unwrap();
        }
        check_zip(&buf).unwrap();
        let big = check_zip_within(&buf, 10).unwrap_err();
        assert_eq!(big, RunnerError::UnzippedTooLarge(10));
        assert_eq!(big.code(), "InvalidParameterValueException");
        assert_eq!(
            RunnerError::UnzippedTooLarge(MAX_UNZIPPED).to_string(),
            "Unzipped size must be smaller than 262144000 bytes"
        );
        let cache = std::env::temp_dir().join(format!("tn-lambda-code-{}", std::process::id()));
        let spec = FunctionSpec {
            name: "f".into(),
            arn: "arn:aws:lambda:us-east-1:000000000000:function:f".into(),
            version: "$LATEST".into(),
            runtime: "python3.12".into(),
            handler: "pkg/app.h".into(),
            code: Code::Zip(buf),
            code_sha256: String::new(),
            timeout_s: 3,
            memory_mb: 128,
            environment: Default::default(),
        };
        let root = task_root(&cache, &spec, Language::Python).unwrap();
        assert!(root.join("pkg/app.py").is_file());
        // A second call reuses the folder.
        assert_eq!(task_root(&cache, &spec, Language::Python).unwrap(), root);
        let _ = std::fs::remove_dir_all(&cache);
    }
}
