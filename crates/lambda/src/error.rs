//! Why an invocation could not even start.

/// Why an invocation could not even start (bad zip, runtime not installed, environment build failed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunnerError {
    /// The deployment package is not a zip archive. Text of Lambda's CreateFunction
    /// (InvalidParameterValueException, 400).
    #[error("Could not unzip uploaded file. Please check your file, then try to upload again.")]
    InvalidZip,
    /// The package unpacks to more than Lambda's 250 MB ("Lambda quotas"; CreateFunction's
    /// InvalidParameterValueException text, observed).
    #[error("Unzipped size must be smaller than {0} bytes")]
    UnzippedTooLarge(u64),
    /// The runtime identifier is not one tasknet can run (neither `python3.*` nor `nodejs*`).
    /// Our own words: Lambda's texts are about deprecated runtimes, not unknown ones here.
    #[error("The runtime parameter of {0} is not supported by tasknet's Lambda (only python3.x and nodejs runtimes run locally).")]
    UnsupportedRuntime(String),
    /// The runtime's interpreter is not installed on this machine. Our own words: Lambda has
    /// no such case, since its runtimes are always there.
    #[error("The runtime {runtime} cannot run here: {detail}")]
    RuntimeNotInstalled {
        /// The runtime identifier, e.g. `python3.12`.
        runtime: String,
        /// What is missing, e.g. `no python3 on PATH`.
        detail: String,
    },
    /// Building the runtime's environment (the venv with awslambdaric and boto3) failed.
    #[error("Could not build the {runtime} environment: {detail}")]
    EnvironmentBuild {
        /// The runtime identifier.
        runtime: String,
        /// What failed (the command and its output's tail).
        detail: String,
    },
    /// A local I/O failure (cache dir, process spawn, listener).
    #[error("{0}")]
    Io(String),
}

impl RunnerError {
    /// AWS's error code for this failure (Lambda's where it has one).
    pub fn code(&self) -> &'static str {
        match self {
            RunnerError::InvalidZip | RunnerError::UnzippedTooLarge(_) | RunnerError::UnsupportedRuntime(_) => {
                "InvalidParameterValueException"
            }
            // Lambda reports failures of its own service as ServiceException (500).
            RunnerError::RuntimeNotInstalled { .. } | RunnerError::EnvironmentBuild { .. } | RunnerError::Io(_) => {
                "ServiceException"
            }
        }
    }

    /// The HTTP status Lambda answers with for this code.
    pub fn status(&self) -> u16 {
        match self {
            RunnerError::InvalidZip | RunnerError::UnzippedTooLarge(_) | RunnerError::UnsupportedRuntime(_) => 400,
            _ => 500,
        }
    }

    /// The message, as the error's Display.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl From<std::io::Error> for RunnerError {
    fn from(e: std::io::Error) -> Self {
        RunnerError::Io(e.to_string())
    }
}
