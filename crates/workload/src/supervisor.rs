//! Keeps the containers' processes, reports their exits, stops them.
//!
//! Exit codes follow Docker: the process's code, or 128 + N when signal N
//! killed it (so SIGTERM shows as 143, SIGKILL as 137). When a container's
//! main process ends, whatever it left in its process group is killed, as a
//! container's other processes die with its init.
//!
//! A group is only signalled while its leader is unreaped (a zombie holds its
//! pid), so the group id can never have been reused by then.

use std::collections::BTreeMap;
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::launch::Launch;
use crate::netns::NetNs;
use crate::process::{spawn, SpawnError};

/// How often stopping checks whether processes are gone.
const STOP_POLL: Duration = Duration::from_millis(10);
/// How long to wait for SIGKILL to take effect before leaving it to `poll_exits`.
const KILL_WAIT: Duration = Duration::from_secs(10);

/// A container process that ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exited {
    /// The task's ARN.
    pub task_arn: String,
    /// The container's name.
    pub container: String,
    /// Docker's exit code: the process's, or 128 + signal.
    pub exit_code: i32,
}

struct SpawnRequest {
    ns: NetNs,
    launch: Launch,
    log: PathBuf,
    reply: mpsc::SyncSender<Result<Child, SpawnError>>,
}

/// The running container processes, by (task ARN, container name).
pub struct Supervisor {
    children: BTreeMap<(String, String), Child>,
    requests: Option<mpsc::Sender<SpawnRequest>>,
    spawner: Option<JoinHandle<()>>,
}

impl Supervisor {
    /// Starts the supervisor and its spawning thread, which lives as long as
    /// the supervisor so that PR_SET_PDEATHSIG does not fire early.
    pub fn new() -> io::Result<Supervisor> {
        let (tx, rx) = mpsc::channel::<SpawnRequest>();
        let spawner = std::thread::Builder::new().name("tasknet-spawner".into()).spawn(move || {
            for request in rx {
                // The requester may have given up; the child is then killed with this thread.
                let _ = request.reply.send(spawn(&request.ns, &request.launch, &request.log));
            }
        })?;
        Ok(Supervisor { children: BTreeMap::new(), requests: Some(tx), spawner: Some(spawner) })
    }

    /// Starts `launch` as container `launch.container` of `task_arn`; gives its pid.
    pub fn spawn(&mut self, task_arn: &str, ns: &NetNs, launch: &Launch, log_path: &Path) -> Result<u32, SpawnError> {
        let key = (task_arn.to_string(), launch.container.clone());
        if self.children.contains_key(&key) {
            let message = format!("container {} of {task_arn} is already running", launch.container);
            return Err(SpawnError::Spawn(io::Error::new(io::ErrorKind::AlreadyExists, message)));
        }
        let gone = || SpawnError::Spawn(io::Error::new(io::ErrorKind::BrokenPipe, "the spawner thread is gone"));
        let (reply, answer) = mpsc::sync_channel(1);
        let request = SpawnRequest { ns: ns.clone(), launch: launch.clone(), log: log_path.to_path_buf(), reply };
        self.requests.as_ref().ok_or_else(gone)?.send(request).map_err(|_| gone())?;
        let child = answer.recv().map_err(|_| gone())??;
        let pid = child.id();
        self.children.insert(key, child);
        Ok(pid)
    }

    /// The pid of a running container process.
    pub fn pid(&self, task_arn: &str, container: &str) -> Option<u32> {
        self.children.get(&(task_arn.to_string(), container.to_string())).map(Child::id)
    }

    /// How many container processes are kept.
    pub fn len(&self) -> usize {
        self.children.len()
    }

    /// Whether no container process is kept.
    pub fn is_empty(&self) -> bool {
        self.children.is_empty()
    }

    /// The processes that ended since the last call, each reported once.
    pub fn poll_exits(&mut self) -> Vec<Exited> {
        let ended: Vec<_> = self.children.iter().filter(|(_, c)| has_exited(c)).map(|(k, _)| k.clone()).collect();
        ended.into_iter().filter_map(|key| self.reap(key)).collect()
    }

    /// Stops the task's processes: SIGTERM to each group, SIGKILL to those
    /// still there after `grace`. Gives their exits (not reported again).
    pub async fn stop_task(&mut self, task_arn: &str, grace: Duration) -> Vec<Exited> {
        let keys = self.children.keys().filter(|(task, _)| task == task_arn).cloned().collect();
        self.stop(keys, grace).await
    }

    /// Stops every process as `stop_task` does.
    pub async fn stop_all(&mut self, grace: Duration) -> Vec<Exited> {
        let keys = self.children.keys().cloned().collect();
        self.stop(keys, grace).await
    }

    async fn stop(&mut self, mut keys: Vec<(String, String)>, grace: Duration) -> Vec<Exited> {
        for key in &keys {
            if let Some(child) = self.children.get(key) {
                signal_group(child, libc::SIGTERM);
            }
        }
        let mut exits = Vec::new();
        let mut deadline = Instant::now() + grace;
        let mut killed = false;
        loop {
            let (done, running): (Vec<_>, Vec<_>) =
                keys.into_iter().partition(|k| self.children.get(k).is_none_or(has_exited));
            exits.extend(done.into_iter().filter_map(|k| self.reap(k)));
            keys = running;
            if keys.is_empty() {
                return exits;
            }
            if Instant::now() >= deadline {
                if killed {
                    // Left for poll_exits: a process stuck in the kernel.
                    return exits;
                }
                for key in &keys {
                    if let Some(child) = self.children.get(key) {
                        signal_group(child, libc::SIGKILL);
                    }
                }
                killed = true;
                deadline = Instant::now() + KILL_WAIT;
            }
            tokio::time::sleep(STOP_POLL).await;
        }
    }

    /// Kills what is left of the group, reaps the leader and reports it.
    fn reap(&mut self, key: (String, String)) -> Option<Exited> {
        let mut child = self.children.remove(&key)?;
        signal_group(&child, libc::SIGKILL);
        let exit_code = match child.wait() {
            Ok(status) => status.code().or_else(|| status.signal().map(|n| 128 + n)).unwrap_or(-1),
            // Reaped by someone else: the code is lost (never expected).
            Err(_) => -1,
        };
        Some(Exited { task_arn: key.0, container: key.1, exit_code })
    }
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        for child in self.children.values() {
            signal_group(child, libc::SIGKILL);
        }
        for child in self.children.values_mut() {
            let _ = child.wait();
        }
        // Closing the channel ends the spawner thread.
        self.requests = None;
        if let Some(thread) = self.spawner.take() {
            let _ = thread.join();
        }
    }
}

/// Sends `signal` to the child's process group (its pgid is its pid).
fn signal_group(child: &Child, signal: libc::c_int) {
    let Ok(pgid) = libc::pid_t::try_from(child.id()) else { return };
    // SAFETY: plain syscall; ESRCH (group already empty) is fine to ignore.
    unsafe {
        libc::kill(-pgid, signal);
    }
}

/// Whether the child has ended, without reaping it (WNOWAIT keeps the zombie).
fn has_exited(child: &Child) -> bool {
    let pid: libc::id_t = child.id();
    // SAFETY: zeroed siginfo_t is a valid out-parameter for waitid.
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::waitid(libc::P_PID, pid, &mut info, libc::WEXITED | libc::WNOHANG | libc::WNOWAIT) };
    if rc != 0 {
        // ECHILD: already reaped elsewhere; reporting it beats keeping it forever.
        return true;
    }
    // SAFETY: waitid filled the child fields, or left si_pid 0 when nothing exited.
    unsafe { info.si_pid() != 0 }
}
