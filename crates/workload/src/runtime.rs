//! The runtime file: which local process stands for a container image.
//!
//! tasknet has no container engine. By default a container is played by the
//! built-in stand-in (see [`crate::standin`]); the runtime file lets a user run
//! their real application instead, as a local process inside the task's
//! network namespace. It is TOML:
//!
//! ```toml
//! # tasknet runtime file
//! [images."todobackend"]            # which images this entry is for (below)
//! entry_point = ["python3", "-m"]    # the image's ENTRYPOINT
//! command = ["http.server", "8000"]  # the image's CMD
//! working_directory = "/srv/app"     # the image's WORKDIR (absolute)
//! [images."todobackend".environment] # the image's ENV
//! DJANGO_SETTINGS_MODULE = "todobackend.settings"
//!
//! [images."todobackend-migrate"]    # a one-off task's image (see below)
//! exit_code = 1                      # what it exits with (default 0)
//! run_seconds = 30                   # how long it runs (default 5)
//! ```
//!
//! An entry's key matches a task definition's `image` when it equals, first
//! match wins: the image string exactly (`ghcr.io/o/app:1.2`); its registry and
//! repository (`ghcr.io/o/app`); its repository alone (`o/app`); for Docker
//! Hub images, the official-image name with or without `library/`
//! (`nginx` ≡ `library/nginx` ≡ `docker.io/library/nginx:1.25`).
//!
//! The task definition then applies Docker's rules on top (see
//! [`crate::launch`]): its `entryPoint`/`command` override the entry's, and
//! its `environment` overrides the entry's `environment`. Every key is
//! optional; unknown keys are errors, so a typo does not go unnoticed.
//!
//! `exit_code` (0..=255) and `run_seconds` say how a *one-off* container of
//! the image ends when no real process plays it (without `up`, on the
//! simulated clock): a container with a command and no port mappings, in a
//! task started by RunTask, runs `run_seconds` once its task is RUNNING and
//! then exits with `exit_code`, which stops its task if it is essential.
//! Under `up` a mapped image runs as a real process and its own exit code
//! is reported instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::image::ImageRef;

/// Errors reading a runtime file; each names the line and, where it can, the field.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The file could not be read.
    #[error("cannot read runtime file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not TOML, or not the runtime file's shape.
    #[error("runtime file line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line (0 if unknown).
        line: usize,
        /// 1-based column (0 if unknown).
        column: usize,
        /// What is wrong, from the TOML reader.
        message: String,
    },
    /// A value that is well-formed TOML but cannot be used.
    #[error("runtime file line {line}: {field}: {message}")]
    Field {
        /// 1-based line.
        line: usize,
        /// The field, e.g. `images."web".working_directory`.
        field: String,
        /// What is wrong.
        message: String,
    },
}

/// How to run one image as a local process.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageRuntime {
    /// The image's ENTRYPOINT.
    pub entry_point: Vec<String>,
    /// The image's CMD.
    pub command: Vec<String>,
    /// The image's WORKDIR; None runs in tasknet's own directory.
    pub working_directory: Option<PathBuf>,
    /// The image's ENV, by name.
    pub environment: BTreeMap<String, String>,
    /// What a one-off container of the image exits with on the simulated clock (default 0).
    pub exit_code: Option<i32>,
    /// How long such a container runs on the simulated clock, in seconds (default 5).
    pub run_seconds: Option<u64>,
}

/// A parsed runtime file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuntimeFile {
    /// Entries by key as written.
    pub images: BTreeMap<String, ImageRuntime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    images: BTreeMap<Spanned<String>, RawImage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImage {
    #[serde(default)]
    entry_point: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    command: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    working_directory: Option<Spanned<String>>,
    #[serde(default)]
    environment: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    exit_code: Option<Spanned<i64>>,
    #[serde(default)]
    run_seconds: Option<Spanned<i64>>,
}

impl RuntimeFile {
    /// Reads and parses the file at `path`.
    pub fn load(path: &Path) -> Result<RuntimeFile, RuntimeError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| RuntimeError::Read { path: path.to_path_buf(), source })?;
        RuntimeFile::parse(&text)
    }

    /// Parses the text of a runtime file.
    pub fn parse(text: &str) -> Result<RuntimeFile, RuntimeError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((0, 0), |s| line_col(text, s.start));
            RuntimeError::Syntax { line, column, message: e.message().trim_end().to_string() }
        })?;
        let mut images = BTreeMap::new();
        for (key, entry) in raw.images {
            let at = |start: usize| line_col(text, start).0;
            let field = |name: &str| format!("images.{}.{name}", crate::http::json_str(key.get_ref()));
            let key_line = at(key.span().start);
            if key.get_ref().is_empty() || key.get_ref().chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(RuntimeError::Field {
                    line: key_line,
                    field: format!("images.{}", crate::http::json_str(key.get_ref())),
                    message: "an image key must be a non-empty image name without spaces".into(),
                });
            }
            let mut image = ImageRuntime::default();
            for (name, list, slot) in [
                ("entry_point", entry.entry_point, &mut image.entry_point),
                ("command", entry.command, &mut image.command),
            ] {
                let Some(list) = list else { continue };
                let line = at(list.span().start);
                if list.get_ref().iter().any(|a| a.contains('\0')) {
                    return Err(field_error(line, field(name), "arguments cannot contain NUL characters"));
                }
                *slot = list.into_inner();
            }
            if let Some(dir) = entry.working_directory {
                let line = at(dir.span().start);
                let path = PathBuf::from(dir.get_ref());
                if !path.is_absolute() || dir.get_ref().contains('\0') {
                    return Err(field_error(line, field("working_directory"), "must be an absolute path"));
                }
                image.working_directory = Some(path);
            }
            for (name, value) in entry.environment {
                let line = at(name.span().start);
                let env_field = format!("{}.{}", field("environment"), crate::http::json_str(name.get_ref()));
                if let Some(message) = bad_env(name.get_ref(), value.get_ref()) {
                    return Err(field_error(line, env_field, message));
                }
                image.environment.insert(name.into_inner(), value.into_inner());
            }
            if let Some(code) = entry.exit_code {
                let line = at(code.span().start);
                let value = i32::try_from(*code.get_ref()).ok().filter(|c| (0..=255).contains(c));
                image.exit_code =
                    Some(value.ok_or_else(|| field_error(line, field("exit_code"), "must be between 0 and 255"))?);
            }
            if let Some(secs) = entry.run_seconds {
                let line = at(secs.span().start);
                let value = u64::try_from(*secs.get_ref()).ok().filter(|s| *s <= 86_400);
                image.run_seconds =
                    Some(value.ok_or_else(|| field_error(line, field("run_seconds"), "must be between 0 and 86400"))?);
            }
            images.insert(key.into_inner(), image);
        }
        Ok(RuntimeFile { images })
    }

    /// The entry for a task definition's `image`, if any (matching rules above).
    pub fn lookup(&self, image: &str) -> Option<&ImageRuntime> {
        match ImageRef::parse(image) {
            Ok(parsed) => parsed.candidate_names(image).iter().find_map(|name| self.images.get(name)),
            Err(_) => self.images.get(image),
        }
    }
}

fn field_error(line: usize, field: String, message: &str) -> RuntimeError {
    RuntimeError::Field { line, field, message: message.to_string() }
}

/// Why an environment variable cannot be passed to a process, if it cannot.
pub(crate) fn bad_env(name: &str, value: &str) -> Option<&'static str> {
    if name.is_empty() || name.contains('=') || name.contains('\0') {
        Some("a variable name must be non-empty, without '=' or NUL")
    } else if value.contains('\0') {
        Some("a value cannot contain NUL characters")
    } else {
        None
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"# tasknet runtime file
[images."todobackend"]
entry_point = ["python3", "-m"]
command = ["http.server", "8000"]
working_directory = "/srv/app"
[images."todobackend".environment]
DJANGO_SETTINGS_MODULE = "todobackend.settings"

[images."ghcr.io/o/app:1.2"]
command = ["app-1.2"]

[images."ghcr.io/o/app"]
command = ["app-any"]

[images.nginx]
command = ["nginx-local"]
"#;

    #[test]
    fn the_documented_example_parses() {
        let file = RuntimeFile::parse(EXAMPLE).unwrap();
        let todo = &file.images["todobackend"];
        assert_eq!(todo.entry_point, ["python3", "-m"]);
        assert_eq!(todo.command, ["http.server", "8000"]);
        assert_eq!(todo.working_directory.as_deref(), Some(Path::new("/srv/app")));
        assert_eq!(todo.environment["DJANGO_SETTINGS_MODULE"], "todobackend.settings");
    }

    #[test]
    fn lookup_prefers_the_most_specific_key() {
        let file = RuntimeFile::parse(EXAMPLE).unwrap();
        let command = |image: &str| file.lookup(image).map(|r| r.command[0].clone());
        assert_eq!(command("ghcr.io/o/app:1.2").as_deref(), Some("app-1.2"));
        assert_eq!(command("ghcr.io/o/app:1.3").as_deref(), Some("app-any"));
        assert_eq!(command("ghcr.io/o/app@sha256:00").as_deref(), Some("app-any"));
        assert_eq!(
            command("123456789012.dkr.ecr.us-east-1.amazonaws.com/todobackend:v1").as_deref(),
            Some("http.server")
        );
        assert_eq!(command("docker.io/library/nginx:1.25").as_deref(), Some("nginx-local"));
        assert_eq!(command("nginx").as_deref(), Some("nginx-local"));
        assert_eq!(command("quay.io/nginx").as_deref(), Some("nginx-local"), "the repository alone matches");
        assert_eq!(command("quay.io/o/other"), None);
        assert_eq!(command("redis"), None);
        assert_eq!(command(""), None);
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let err = RuntimeFile::parse("[images.a]\ncommand = [\"x\" \"y\"]\n").unwrap_err();
        assert!(matches!(err, RuntimeError::Syntax { line: 2, .. }), "{err}");
    }

    #[test]
    fn unknown_fields_are_errors_with_their_name_and_line() {
        let err = RuntimeFile::parse("[images.a]\ncommand = [\"x\"]\nentrypoint = [\"y\"]\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("entrypoint") && text.contains("line 3"), "{text}");
    }

    #[test]
    fn a_wrong_type_is_an_error() {
        let err = RuntimeFile::parse("[images.a]\ncommand = \"x y\"\n").unwrap_err();
        assert!(matches!(err, RuntimeError::Syntax { line: 2, .. }), "{err}");
    }

    #[test]
    fn a_relative_working_directory_is_an_error_naming_the_field() {
        let err = RuntimeFile::parse("[images.a]\n\nworking_directory = \"srv\"\n").unwrap_err();
        match err {
            RuntimeError::Field { line, field, .. } => {
                assert_eq!(line, 3);
                assert_eq!(field, r#"images."a".working_directory"#);
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn bad_environment_names_and_empty_keys_are_errors() {
        let err = RuntimeFile::parse("[images.a.environment]\n\"A=B\" = \"x\"\n").unwrap_err();
        assert!(matches!(&err, RuntimeError::Field { line: 2, field, .. } if field.contains("A=B")), "{err}");
        let err = RuntimeFile::parse("[images.\"\"]\ncommand = [\"x\"]\n").unwrap_err();
        assert!(matches!(err, RuntimeError::Field { line: 1, .. }), "{err}");
        let err = RuntimeFile::parse("[images.a]\ncommand = [\"a\\u0000b\"]\n").unwrap_err();
        assert!(matches!(err, RuntimeError::Field { line: 2, .. }), "{err}");
    }

    #[test]
    fn one_off_exit_codes_and_run_times() {
        let file = RuntimeFile::parse("[images.migrate]\nexit_code = 3\nrun_seconds = 40\n").unwrap();
        assert_eq!((file.images["migrate"].exit_code, file.images["migrate"].run_seconds), (Some(3), Some(40)));
        let err = RuntimeFile::parse("[images.a]\nexit_code = 256\n").unwrap_err();
        assert!(matches!(&err, RuntimeError::Field { line: 2, field, .. } if field.ends_with("exit_code")), "{err}");
        let err = RuntimeFile::parse("[images.a]\n\nrun_seconds = -1\n").unwrap_err();
        assert!(matches!(&err, RuntimeError::Field { line: 3, .. }), "{err}");
    }

    #[test]
    fn an_empty_file_has_no_entries() {
        assert_eq!(RuntimeFile::parse("# nothing\n").unwrap(), RuntimeFile::default());
    }
}
