//! Everything that stops a command before it can report findings: unreadable
//! or malformed input, a broken account store (exit code 2), an account
//! another command holds (exit code 3). The application layer's own errors
//! ([`RuntimeError`]) pass through with their texts.

use crate::output::text::{Level, Report, Style};
use cfn::params::ParamInputError;
use cfn::Pos;
use runtime::RuntimeError;
use std::path::PathBuf;

/// Why a command could not run.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A file named on the command line could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The template could not be analyzed at all.
    #[error(transparent)]
    Input(#[from] stacks::InputError),
    /// Parameter values could not be read.
    #[error("{source}")]
    Params {
        /// What is wrong.
        source: ParamInputError,
        /// The file the values came from (none for command-line words).
        file: Option<PathBuf>,
        /// Its text, for a snippet.
        text: Option<String>,
    },
    /// `--custom-outputs` is not of the expected shape.
    #[error("{message}")]
    CustomOutputs {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        message: String,
        /// Where, when known.
        pos: Option<Pos>,
        /// Its text, for a snippet.
        text: String,
    },
    /// The application layer failed: the state folder, the store, an
    /// account file, the locks (busy: exit code 3), the data plane.
    #[error(transparent)]
    Runtime(RuntimeError),
    /// `--stack-name` is not a name CloudFormation accepts.
    #[error("{0}")]
    StackName(String),
    /// Flags that cannot be used together.
    #[error("{0}")]
    Usage(String),
    /// AWS refused the request (its error text), or the machine cannot do it.
    #[error("{0}")]
    Refused(String),
    /// `account import` failed.
    #[error("cannot import {}: {source}", folder.display())]
    Import {
        /// The folder.
        folder: PathBuf,
        /// What went wrong.
        source: account::import::ImportError,
    },
    /// The output could not be produced.
    #[error("cannot write the output: {0}")]
    Output(String),
}

impl From<RuntimeError> for CliError {
    /// The application layer's errors, with their texts unchanged (the
    /// machine's failures read as the binary always put them).
    fn from(e: RuntimeError) -> Self {
        match e {
            RuntimeError::System(m) => CliError::Output(m),
            e => CliError::Runtime(e),
        }
    }
}

/// The exit code of a command that found the account busy.
pub const EXIT_BUSY: u8 = 3;

/// The exit code of unreadable input, a usage error and every other failure to run.
pub const EXIT_INPUT: u8 = 2;

impl CliError {
    /// The process's exit code for this error: 3 busy, else 2.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Runtime(e) if e.is_busy() => EXIT_BUSY,
            _ => EXIT_INPUT,
        }
    }

    /// The error as one finding, for `--output json` and `sarif`: a script
    /// that parses stdout gets a document, not nothing. Codes: TN0001 input
    /// that cannot be read (not text, YAML/JSON not well formed, past the
    /// loader's limits, a broken parameter, custom outputs or account file),
    /// TN1008 a document that is not a template (as CloudFormation's "Template
    /// format error"s), TN0002 any other reason the command could not run.
    pub fn diagnostic(&self) -> cfn::Diagnostic {
        let mut d = cfn::Diagnostic::error("TN0002", self.to_string());
        match self {
            CliError::Read { path, .. }
            | CliError::Runtime(RuntimeError::Read { path, .. })
            | CliError::Input(stacks::InputError::Read { path, .. }) => {
                d.code = "TN0001";
                d.file = Some(path.clone());
            }
            CliError::Input(stacks::InputError::Load { path, error, .. }) => {
                d.code = "TN0001";
                // The file and the position have keys of their own.
                d.message = error.to_string();
                d.file = Some(path.clone());
                d.pos = Some(error.pos());
            }
            CliError::Input(stacks::InputError::NotATemplate { path, message }) => {
                d.code = "TN1008";
                d.message = message.clone();
                d.file = Some(path.clone());
            }
            CliError::Params { source, file, .. } => {
                d.code = "TN0001";
                d.file = file.clone();
                d.pos = source.pos();
                d.hint = Some(source.hint().to_string());
            }
            CliError::CustomOutputs { file, message, pos, .. } => {
                d.code = "TN0001";
                d.message = message.clone();
                d.file = Some(file.clone());
                d.pos = *pos;
            }
            CliError::Runtime(RuntimeError::AccountFile { file, .. }) => {
                d.code = "TN0001";
                d.file = Some(file.clone());
            }
            _ => {}
        }
        d
    }

    /// The report printed on stderr: `error: …`, with a snippet when the input is text.
    pub fn render(&self, style: Style) -> String {
        let mut report = Report {
            level: Level::Error,
            code: None,
            message: "",
            file: None,
            pos: None,
            source: None,
            notes: Vec::new(),
        };
        let message;
        match self {
            CliError::Input(stacks::InputError::Load { path, error, source_text }) => {
                message = error.to_string();
                report.file = Some(path);
                report.pos = Some(error.pos());
                report.source = (!source_text.is_empty()).then_some(source_text.as_str());
            }
            CliError::Input(stacks::InputError::NotATemplate { path, message: m }) => {
                message = m.clone();
                report.file = Some(path);
            }
            CliError::Params { source, file, text } => {
                message = source.to_string();
                report.file = file.as_deref();
                report.pos = source.pos();
                report.source = text.as_deref();
                report.notes.push(("help", source.hint().to_string()));
            }
            CliError::CustomOutputs { file, message: m, pos, text } => {
                message = m.clone();
                report.file = Some(file);
                report.pos = *pos;
                report.source = Some(text);
                report.notes.push(("help", "the file must be a JSON object: {\"LogicalId\": {\"Attribute\": \"value\", \"PhysicalResourceId\": \"id\"}}".into()));
            }
            CliError::StackName(m) => {
                message = m.clone();
                report.notes.push(("help", "a stack name starts with a letter and has only letters, digits and hyphens, at most 128 characters".into()));
            }
            CliError::Runtime(RuntimeError::NoStateDir) => {
                message = self.to_string();
                report.notes.push(("help", "pass --state-dir DIR or set TASKNET_STATE_DIR".into()));
            }
            other => message = other.to_string(),
        }
        report.message = &message;
        report.render(style)
    }
}
