//! Rendering: text for people, JSON for scripts, SARIF for code scanning.

pub mod codes;
pub mod describe;
pub mod plan;
pub mod reach;
pub mod sarif;
pub mod text;

use cfn::{Diagnostic, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use text::{Level, Report, Style};

/// The exit code for a finished analysis: 2 malformed template, 1 errors, 0 none.
pub fn exit_code(diagnostics: &[Diagnostic]) -> u8 {
    // A malformed template (CloudFormation's structural "Template format
    // error"s) is rejected before anything else is looked at: unreadable
    // input, like a YAML error.
    if diagnostics.iter().any(|d| d.is_error() && d.code == stacks::analyze::MALFORMED) {
        2
    } else {
        u8::from(diagnostics.iter().any(Diagnostic::is_error))
    }
}

/// Counts of errors and warnings.
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

/// Every diagnostic as compiler-style text, separated by blank lines.
pub fn diagnostics_text(diagnostics: &[Diagnostic], sources: &BTreeMap<PathBuf, String>, style: Style) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&diagnostic_report(d, sources).render(style));
        out.push('\n');
    }
    out
}

/// The text report of one diagnostic.
pub fn diagnostic_report<'a>(d: &'a Diagnostic, sources: &'a BTreeMap<PathBuf, String>) -> Report<'a> {
    let mut notes = Vec::new();
    match (&d.resource, d.path.is_empty()) {
        (Some(id), false) => notes.push(("resource", format!("{id} ({})", d.path))),
        (Some(id), true) => notes.push(("resource", id.clone())),
        (None, false) => notes.push(("path", d.path.clone())),
        (None, true) => {}
    }
    if let Some(hint) = &d.hint {
        notes.push(("help", hint.clone()));
    }
    Report {
        level: if d.is_error() { Level::Error } else { Level::Warning },
        code: Some(d.code),
        message: &d.message,
        file: d.file.as_deref(),
        pos: d.pos,
        source: d.file.as_ref().and_then(|f| sources.get(f)).map(String::as_str),
        notes,
    }
}

/// One finding in the JSON output; every key is always present.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The code, e.g. `TN2004`.
    pub code: String,
    /// `error` or `warning`.
    pub severity: Severity,
    /// AWS's words.
    pub message: String,
    /// The logical ID concerned.
    pub resource: Option<String>,
    /// The template path, e.g. `Resources/X/Properties/Y`.
    pub path: Option<String>,
    /// The template file.
    pub file: Option<String>,
    /// Line, from 1.
    pub line: Option<u32>,
    /// Column, from 1.
    pub column: Option<u32>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl From<&Diagnostic> for Finding {
    fn from(d: &Diagnostic) -> Self {
        Finding {
            code: d.code.to_string(),
            severity: d.severity,
            message: d.message.clone(),
            resource: d.resource.clone(),
            path: (!d.path.is_empty()).then(|| d.path.clone()),
            file: d.file.as_ref().map(|f| f.display().to_string()),
            line: d.pos.map(|p| p.line),
            column: d.pos.map(|p| p.col),
            hint: d.hint.clone(),
        }
    }
}

/// `{"findings": […], "errors": N, "warnings": M}`.
#[derive(Clone, Debug, Serialize)]
pub struct FindingsJson {
    /// Every finding, in the text output's order.
    pub findings: Vec<Finding>,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
}

impl FindingsJson {
    /// The findings document for `diagnostics`.
    pub fn new(diagnostics: &[Diagnostic]) -> Self {
        let (errors, warnings) = counts(diagnostics);
        FindingsJson { findings: diagnostics.iter().map(Finding::from).collect(), errors, warnings }
    }
}

/// Pretty JSON with a final newline.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, crate::error::CliError> {
    serde_json::to_string_pretty(value).map(|s| s + "\n").map_err(|e| crate::error::CliError::Output(e.to_string()))
}
