//! One diagnostic type for every layer: template errors, parameter errors,
//! rule findings and plan errors all become a `Diagnostic`, rendered as text,
//! JSON or SARIF at the edge (the `tasknet` binary).

use crate::node::Pos;
use serde::Serialize;
use std::path::PathBuf;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// AWS would reject the stack (or the input cannot be read).
    Error,
    /// AWS accepts it, but it will not work as the stack evidently means.
    Warning,
}

/// A finding about a template, its parameters or the stack it describes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `TN4001`; documented in the README.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// The message, AWS's text verbatim where AWS has one.
    pub message: String,
    /// Logical ID of the resource (or parameter, output) concerned.
    pub resource: Option<String>,
    /// Path inside the template, e.g. `Resources/ApplicationService/Properties/Role`.
    pub path: String,
    /// The template file.
    pub file: Option<PathBuf>,
    /// Line and column in the file.
    #[serde(flatten)]
    pub pos: Option<Pos>,
    /// One line that says how to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error with a code and message; fill in the rest with the builders.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            resource: None,
            path: String::new(),
            file: None,
            pos: None,
            hint: None,
        }
    }

    /// A warning with a code and message.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    /// Sets the logical ID concerned.
    pub fn resource(mut self, logical_id: impl Into<String>) -> Self {
        self.resource = Some(logical_id.into());
        self
    }

    /// Sets the template path.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Sets the position.
    pub fn at(mut self, pos: Pos) -> Self {
        self.pos = Some(pos);
        self
    }

    /// Sets the fix.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the file (done once per template by whoever knows it).
    pub fn file(mut self, file: Option<PathBuf>) -> Self {
        self.file = file;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
