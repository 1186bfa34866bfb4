//! What to execute for one container: argv, environment and directory, from
//! the runtime file's entry and the task definition, with Docker's rules.
//!
//! - argv: if the task definition gives `entryPoint`, it replaces the image's
//!   ENTRYPOINT and the image's CMD is dropped (Docker resets CMD when the
//!   entrypoint is overridden); argv is then `entryPoint + command`. Otherwise
//!   argv is the image's ENTRYPOINT followed by the task definition's
//!   `command` if given, else the image's CMD.
//! - environment, later wins: a minimal base (PATH, HOME from tasknet's own
//!   environment; the process does not inherit the rest, as a container would
//!   not), the image's ENV, tasknet's extras, the task definition's
//!   `environment`. That the task definition wins over the extras is inferred.
//!   The extras carry what ECS sets for the SDKs (the credentials URI of a
//!   task with a task role, the region: `runtime`'s `sdk_environment`);
//!   tasknet serves no task metadata endpoint, so ECS_CONTAINER_METADATA_URI(_V4) is
//!   not set.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::runtime::{bad_env, ImageRuntime};

/// Docker's PATH for images that set none.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The parts of an ECS container definition that decide what runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerSpec {
    /// Container name.
    pub name: String,
    /// The image, as in the task definition.
    pub image: String,
    /// `entryPoint`; empty means not given.
    pub entry_point: Vec<String>,
    /// `command`; empty means not given.
    pub command: Vec<String>,
    /// `environment`, in task definition order.
    pub environment: Vec<(String, String)>,
    /// Whether the task stops when this container exits.
    pub essential: bool,
}

/// Errors resolving a launch.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LaunchError {
    /// Neither the image nor the task definition says what to run.
    #[error("container {container}: no command specified")]
    NoCommand {
        /// The container.
        container: String,
    },
    /// An environment variable that cannot be passed to a process.
    #[error("container {container}: environment variable {name:?}: {message}")]
    BadEnvironment {
        /// The container.
        container: String,
        /// The variable.
        name: String,
        /// What is wrong.
        message: &'static str,
    },
    /// An argument with a NUL character, which exec cannot pass.
    #[error("container {container}: an argument contains a NUL character")]
    BadArgument {
        /// The container.
        container: String,
    },
}

impl LaunchError {
    /// The container's stopped reason as ECS would report it (inferred: the
    /// daemon's own error behind ECS's `CannotCreateContainerError:` prefix).
    pub fn stopped_reason(&self) -> String {
        match self {
            LaunchError::NoCommand { .. } => {
                "CannotCreateContainerError: Error response from daemon: No command specified".to_string()
            }
            LaunchError::BadEnvironment { name, .. } => {
                format!("CannotCreateContainerError: Error response from daemon: invalid environment variable: {name}")
            }
            LaunchError::BadArgument { .. } => {
                "CannotCreateContainerError: Error response from daemon: invalid argument".to_string()
            }
        }
    }
}

/// A resolved process launch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Launch {
    /// The container this runs as.
    pub container: String,
    /// Program and arguments; never empty.
    pub argv: Vec<String>,
    /// The complete environment, sorted by name.
    pub env: Vec<(String, String)>,
    /// Where to run; None keeps tasknet's directory.
    pub working_directory: Option<PathBuf>,
    /// A file bind-mounted over `/etc/resolv.conf` in the process's own mount
    /// namespace (naming its VPC's resolver, as a task's resolv.conf does on
    /// AWS); None keeps the host's.
    pub resolv_conf: Option<PathBuf>,
}

impl Launch {
    /// Combines the image's runtime entry with the task definition's container.
    pub fn resolve(
        image: &ImageRuntime,
        spec: &ContainerSpec,
        extra_env: &[(String, String)],
    ) -> Result<Launch, LaunchError> {
        let argv: Vec<String> = if spec.entry_point.is_empty() {
            let command = if spec.command.is_empty() { &image.command } else { &spec.command };
            image.entry_point.iter().chain(command).cloned().collect()
        } else {
            spec.entry_point.iter().chain(&spec.command).cloned().collect()
        };
        if argv.first().is_none_or(|program| program.is_empty()) {
            return Err(LaunchError::NoCommand { container: spec.name.clone() });
        }
        if argv.iter().any(|a| a.contains('\0')) {
            return Err(LaunchError::BadArgument { container: spec.name.clone() });
        }

        let mut env = BTreeMap::new();
        env.insert("PATH".to_string(), std::env::var("PATH").unwrap_or_else(|_| DEFAULT_PATH.to_string()));
        if let Ok(home) = std::env::var("HOME") {
            env.insert("HOME".to_string(), home);
        }
        let layers = image.environment.iter().chain(extra_env.iter().map(|(k, v)| (k, v)));
        for (name, value) in layers.chain(spec.environment.iter().map(|(k, v)| (k, v))) {
            if let Some(message) = bad_env(name, value) {
                return Err(LaunchError::BadEnvironment { container: spec.name.clone(), name: name.clone(), message });
            }
            env.insert(name.clone(), value.clone());
        }

        Ok(Launch {
            container: spec.name.clone(),
            argv,
            env: env.into_iter().collect(),
            working_directory: image.working_directory.clone(),
            resolv_conf: None,
        })
    }

    /// The value of variable `name`, if set.
    pub fn env_var(&self, name: &str) -> Option<&str> {
        self.env.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn image() -> ImageRuntime {
        ImageRuntime {
            entry_point: strings(&["python3", "-m"]),
            command: strings(&["http.server", "8000"]),
            working_directory: Some(PathBuf::from("/srv")),
            environment: [("A", "image"), ("B", "image")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Default::default()
        }
    }

    fn spec() -> ContainerSpec {
        ContainerSpec { name: "web".into(), image: "todobackend".into(), essential: true, ..Default::default() }
    }

    #[test]
    fn the_image_decides_when_the_task_definition_says_nothing() {
        let launch = Launch::resolve(&image(), &spec(), &[]).unwrap();
        assert_eq!(launch.argv, ["python3", "-m", "http.server", "8000"]);
        assert_eq!(launch.working_directory, Some(PathBuf::from("/srv")));
    }

    #[test]
    fn command_replaces_cmd_and_keeps_the_entrypoint() {
        let spec = ContainerSpec { command: strings(&["json.tool"]), ..spec() };
        assert_eq!(Launch::resolve(&image(), &spec, &[]).unwrap().argv, ["python3", "-m", "json.tool"]);
    }

    #[test]
    fn entry_point_replaces_the_entrypoint_and_drops_cmd() {
        let spec = ContainerSpec { entry_point: strings(&["sleep"]), ..spec() };
        assert_eq!(Launch::resolve(&image(), &spec, &[]).unwrap().argv, ["sleep"]);
        let spec = ContainerSpec { entry_point: strings(&["sleep"]), command: strings(&["5"]), ..spec };
        assert_eq!(Launch::resolve(&image(), &spec, &[]).unwrap().argv, ["sleep", "5"]);
    }

    #[test]
    fn nothing_to_run_is_an_error() {
        let err = Launch::resolve(&ImageRuntime::default(), &spec(), &[]).unwrap_err();
        assert_eq!(err, LaunchError::NoCommand { container: "web".into() });
        assert!(err.stopped_reason().contains("No command specified"));
    }

    #[test]
    fn task_environment_wins_over_extras_over_image() {
        let spec = ContainerSpec { environment: vec![("B".into(), "task".into())], ..spec() };
        let extra = vec![("A".to_string(), "extra".to_string()), ("B".to_string(), "extra".to_string())];
        let launch = Launch::resolve(&image(), &spec, &extra).unwrap();
        assert_eq!(launch.env_var("A"), Some("extra"));
        assert_eq!(launch.env_var("B"), Some("task"));
        assert!(launch.env_var("PATH").is_some());
        assert_eq!(launch.env_var("ECS_CONTAINER_METADATA_URI"), None);
        assert_eq!(launch.env_var("ECS_CONTAINER_METADATA_URI_V4"), None);
    }

    #[test]
    fn unusable_task_environment_is_an_error() {
        let spec = ContainerSpec { environment: vec![("A=B".into(), "x".into())], ..spec() };
        assert!(matches!(Launch::resolve(&image(), &spec, &[]), Err(LaunchError::BadEnvironment { .. })));
    }
}
