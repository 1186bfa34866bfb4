//! Starting a container's local process inside its task's namespace.
//!
//! The process gets the task's network namespace, its VPC's resolver in
//! `/etc/resolv.conf` when the launch names one (a mount namespace of its
//! own, so the host's file never changes), its own process group (so
//! stopping the container reaches its children), stdin from /dev/null, and
//! stdout and stderr appended to a log file. It is killed if the thread that
//! started it ends (PR_SET_PDEATHSIG is tied to that thread, not the process,
//! which is why [`crate::supervisor::Supervisor`] starts processes from a
//! thread of its own).
//!
//! The program is looked up before forking, the way runc does inside a
//! container, so a missing executable becomes ECS's `CannotStartContainerError`
//! rather than a bare ENOENT.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::launch::Launch;
use crate::netns::NetNs;

/// Task `stopCode` when a container could not start (seen).
pub const STOP_CODE_FAILED_TO_START: &str = "TaskFailedToStart";
/// Task `stoppedReason` when a container could not start (seen); the
/// container's own `reason` carries [`SpawnError::stopped_reason`].
pub const TASK_FAILED_TO_START: &str = "Task failed to start";

/// How Fargate (platform 1.4+) words a container that runc could not start (seen).
const FARGATE_PREFIX: &str = "CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ";
/// The same through Docker on EC2: ECS's prefix plus Docker's text (inferred composition).
const EC2_PREFIX: &str = "CannotStartContainerError: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ";

/// Where the task runs, which changes how start failures are worded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// Fargate, platform version 1.4.0 or later (containerd).
    Fargate,
    /// The EC2 launch type (Docker).
    Ec2,
}

/// Why a container's process could not start.
#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    /// A program name without `/` not found in the launch's PATH.
    #[error("exec: {0:?}: executable file not found in $PATH")]
    ExecutableNotFound(String),
    /// A program path that does not exist.
    #[error("exec: {0:?}: stat {0}: no such file or directory")]
    NoSuchFile(String),
    /// A program that exists but cannot be executed.
    #[error("exec: {0:?}: permission denied")]
    PermissionDenied(String),
    /// The working directory does not exist.
    #[error("chdir to cwd ({0:?}) failed: no such file or directory")]
    WorkingDirectory(PathBuf),
    /// The log file could not be opened.
    #[error("cannot open log file {path}: {source}")]
    Log {
        /// The log file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The launch has no program (only possible for hand-built launches).
    #[error("no command specified")]
    NoCommand,
    /// The resolver configuration cannot be put in place.
    #[error("cannot use {path} as /etc/resolv.conf: {source}")]
    ResolvConf {
        /// The file meant for /etc/resolv.conf.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// fork/exec failed for another reason (namespace gone, limits).
    #[error("cannot start process: {0}")]
    Spawn(io::Error),
}

impl SpawnError {
    /// The container's `reason` as Fargate reports it.
    pub fn stopped_reason(&self) -> String {
        self.stopped_reason_for(Platform::Fargate)
    }

    /// The container's `reason` as ECS reports it on `platform`. Seen for a
    /// missing executable on Fargate (a user's report, 2025); the other
    /// variants follow runc's wording with the same prefix (inferred).
    pub fn stopped_reason_for(&self, platform: Platform) -> String {
        let prefix = match platform {
            Platform::Fargate => FARGATE_PREFIX,
            Platform::Ec2 => EC2_PREFIX,
        };
        match self {
            SpawnError::ExecutableNotFound(_) | SpawnError::NoSuchFile(_) | SpawnError::PermissionDenied(_) => {
                format!("{prefix}{self}: unknown")
            }
            SpawnError::WorkingDirectory(dir) => format!(
                "{prefix}chdir to cwd ({:?}) set in config.json failed: no such file or directory: unknown",
                dir.display().to_string()
            ),
            SpawnError::NoCommand => match platform {
                Platform::Fargate => "CannotCreateContainerError: No command specified".to_string(),
                Platform::Ec2 => {
                    "CannotCreateContainerError: Error response from daemon: No command specified".to_string()
                }
            },
            // tasknet's own failures have no AWS counterpart: keep ECS's category.
            SpawnError::Log { .. } | SpawnError::ResolvConf { .. } | SpawnError::Spawn(_) => {
                format!("CannotStartContainerError: {self}")
            }
        }
    }

    /// The container's exit code: none, it never ran.
    pub fn exit_code(&self) -> Option<i32> {
        None
    }
}

/// Starts `launch` inside `ns`, appending its output to `log_path`.
pub fn spawn(ns: &NetNs, launch: &Launch, log_path: &Path) -> Result<Child, SpawnError> {
    let log = open_log(log_path)?;
    let log_err = log.try_clone().map_err(|source| SpawnError::Log { path: log_path.to_path_buf(), source })?;
    if let Some(dir) = &launch.working_directory {
        if !dir.is_dir() {
            return Err(SpawnError::WorkingDirectory(dir.clone()));
        }
    }
    let program = launch.argv.first().ok_or(SpawnError::NoCommand)?;
    let path_var = launch.env.iter().find(|(k, _)| k == "PATH").map_or("", |(_, v)| v.as_str());
    let executable = find_executable(program, path_var, launch.working_directory.as_deref())?;

    let mut command = Command::new(&executable);
    command
        .arg0(program)
        .args(launch.argv.iter().skip(1))
        .env_clear()
        .envs(launch.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .process_group(0);
    if let Some(dir) = &launch.working_directory {
        command.current_dir(dir);
    }
    let ns = ns.clone();
    let resolv = launch.resolv_conf.as_deref().map(resolv_conf_mount).transpose()?;
    // SAFETY: getpid before fork; in the child only setns, unshare, mount,
    // prctl and getppid, all async-signal-safe, run between fork and exec
    // (the mount's paths are C strings made before the fork).
    let parent = unsafe { libc::getpid() };
    unsafe {
        command.pre_exec(move || {
            ns.pre_exec_enter()?;
            if let Some(m) = &resolv {
                m.apply()?;
            }
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong, 0, 0, 0) != 0 {
                return Err(io::Error::last_os_error());
            }
            // The parent may have died before prctl took effect: then no signal would come.
            if libc::getppid() != parent {
                return Err(io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
    command.spawn().map_err(|e| match e.kind() {
        // The file vanished between lookup and exec.
        io::ErrorKind::NotFound if program.contains('/') => SpawnError::NoSuchFile(program.clone()),
        io::ErrorKind::NotFound => SpawnError::ExecutableNotFound(program.clone()),
        io::ErrorKind::PermissionDenied => SpawnError::PermissionDenied(program.clone()),
        _ => SpawnError::Spawn(e),
    })
}

/// The bind mount of a resolv.conf over the host's, prepared before the fork.
struct ResolvMount {
    source: std::ffi::CString,
    target: std::ffi::CString,
}

/// Where `/etc/resolv.conf` really is (it is often a symlink, which a bind
/// mount follows) and the file to put there; both must exist.
fn resolv_conf_mount(path: &Path) -> Result<ResolvMount, SpawnError> {
    use std::os::unix::ffi::OsStrExt as _;
    let err = |source| SpawnError::ResolvConf { path: path.to_path_buf(), source };
    let target = std::fs::canonicalize("/etc/resolv.conf").map_err(err)?;
    let source = std::fs::canonicalize(path).map_err(err)?;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(|e| err(io::Error::other(e)));
    Ok(ResolvMount { source: c(&source)?, target: c(&target)? })
}

impl ResolvMount {
    /// In the child: a mount namespace of its own whose mounts never
    /// propagate back to the host's (what `ip netns exec` does for
    /// /etc/netns/NAME/resolv.conf), then the bind mount.
    fn apply(&self) -> io::Result<()> {
        let check = |rc: libc::c_int| if rc == 0 { Ok(()) } else { Err(io::Error::last_os_error()) };
        // SAFETY: plain syscalls on C strings that outlive them.
        unsafe {
            check(libc::unshare(libc::CLONE_NEWNS))?;
            check(libc::mount(
                std::ptr::null(),
                c"/".as_ptr(),
                std::ptr::null(),
                libc::MS_REC | libc::MS_SLAVE,
                std::ptr::null(),
            ))?;
            check(libc::mount(
                self.source.as_ptr(),
                self.target.as_ptr(),
                std::ptr::null(),
                libc::MS_BIND,
                std::ptr::null(),
            ))
        }
    }
}

fn open_log(path: &Path) -> Result<File, SpawnError> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o640)
        .open(path)
        .map_err(|source| SpawnError::Log { path: path.to_path_buf(), source })
}

/// Finds `program` as runc would: a name with `/` is a path (relative to the
/// working directory), any other name is searched in `path_var`.
fn find_executable(program: &str, path_var: &str, cwd: Option<&Path>) -> Result<PathBuf, SpawnError> {
    if program.contains('/') {
        let path = match cwd {
            Some(dir) if !program.starts_with('/') => dir.join(program),
            _ => PathBuf::from(program),
        };
        return match std::fs::metadata(&path) {
            Err(_) => Err(SpawnError::NoSuchFile(program.to_string())),
            Ok(meta) if is_executable(&meta) => Ok(path),
            Ok(_) => Err(SpawnError::PermissionDenied(program.to_string())),
        };
    }
    for dir in path_var.split(':') {
        // An empty PATH entry means the working directory.
        let dir = if dir.is_empty() { cwd.unwrap_or(Path::new(".")) } else { Path::new(dir) };
        let candidate = dir.join(program);
        if std::fs::metadata(&candidate).is_ok_and(|m| is_executable(&m)) {
            return Ok(candidate);
        }
    }
    Err(SpawnError::ExecutableNotFound(program.to_string()))
}

fn is_executable(meta: &std::fs::Metadata) -> bool {
    meta.is_file() && meta.permissions().mode() & 0o111 != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_name_is_searched_in_path() {
        let err = find_executable("surely-not-a-program-tn", "/usr/bin:/bin", None).unwrap_err();
        assert!(matches!(err, SpawnError::ExecutableNotFound(_)));
        assert_eq!(
            err.stopped_reason(),
            "CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: \
             failed to create shim task: OCI runtime create failed: runc create failed: unable to start container \
             process: exec: \"surely-not-a-program-tn\": executable file not found in $PATH: unknown"
        );
        assert_eq!(err.exit_code(), None);
    }

    #[test]
    fn found_names_resolve_to_a_path() {
        assert!(find_executable("sh", "/nonexistent:/usr/bin:/bin", None).unwrap().ends_with("sh"));
    }

    #[test]
    fn paths_are_not_searched() {
        let err = find_executable("/nonexistent/app", "/usr/bin:/bin", None).unwrap_err();
        assert!(err
            .stopped_reason()
            .ends_with("exec: \"/nonexistent/app\": stat /nonexistent/app: no such file or directory: unknown"));
        let plain = std::env::temp_dir().join(format!("tn-test-not-executable-{}", std::process::id()));
        std::fs::write(&plain, "data").unwrap();
        let result = find_executable(plain.to_str().unwrap(), "", None);
        let _ = std::fs::remove_file(&plain);
        assert!(matches!(result, Err(SpawnError::PermissionDenied(_))));
        assert!(matches!(find_executable("/etc", "", None), Err(SpawnError::PermissionDenied(_))));
    }

    #[test]
    fn ec2_wording_goes_through_docker() {
        let reason = SpawnError::ExecutableNotFound("x".into()).stopped_reason_for(Platform::Ec2);
        assert!(reason.starts_with("CannotStartContainerError: Error response from daemon: "), "{reason}");
        assert!(reason.ends_with("exec: \"x\": executable file not found in $PATH: unknown"), "{reason}");
    }
}
