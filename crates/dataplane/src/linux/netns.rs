//! Named network namespaces in process, as `ip netns` keeps them: a bind
//! mount of the namespace on a file under /var/run/netns (so `ip netns`,
//! `ip -n` and every tool see them), created with `unshare` on a thread of
//! our own, entered with `setns` on a thread of our own, removed by killing
//! what runs inside, then unmounting and unlinking.
//!
//! Threads, not the caller's: a namespace is a property of the thread, and
//! the caller's (a tokio worker) must never change namespace.

use super::cmd::CmdError;
use std::collections::HashSet;
use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Where `ip netns` keeps named namespaces.
pub const RUN_DIR: &str = "/var/run/netns";

fn path(ns: &str) -> PathBuf {
    Path::new(RUN_DIR).join(ns)
}

fn err(command: String, e: std::io::Error) -> CmdError {
    CmdError { command, stderr: e.to_string() }
}

fn last(command: impl FnOnce() -> String) -> CmdError {
    err(command(), std::io::Error::last_os_error())
}

/// The named namespaces (none when the directory does not exist).
pub fn list() -> Result<Vec<String>, CmdError> {
    match std::fs::read_dir(RUN_DIR) {
        Ok(dir) => Ok(dir.filter_map(Result::ok).filter_map(|e| e.file_name().into_string().ok()).collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(err(format!("list {RUN_DIR}"), e)),
    }
}

/// Whether a named namespace exists.
pub fn exists(ns: &str) -> bool {
    path(ns).exists()
}

/// Makes /var/run/netns a shared mount point once, as `ip netns add` does,
/// so a namespace mounted later is seen in mount namespaces made before it.
fn run_dir_ready() -> Result<(), CmdError> {
    static READY: OnceLock<Result<(), CmdError>> = OnceLock::new();
    READY
        .get_or_init(|| {
            std::fs::create_dir_all(RUN_DIR).map_err(|e| err(format!("mkdir {RUN_DIR}"), e))?;
            let dir = cstr(RUN_DIR)?;
            let none = cstr("none")?;
            // SAFETY: mount(2) with valid C strings.
            let shared = |_: ()| unsafe {
                libc::mount(
                    none.as_ptr(),
                    dir.as_ptr(),
                    none.as_ptr(),
                    libc::MS_SHARED | libc::MS_REC,
                    std::ptr::null(),
                )
            };
            if shared(()) == 0 {
                return Ok(());
            }
            // Not a mount point yet: bind it onto itself, then share it.
            // SAFETY: as above.
            let bound = unsafe {
                libc::mount(dir.as_ptr(), dir.as_ptr(), none.as_ptr(), libc::MS_BIND | libc::MS_REC, std::ptr::null())
            };
            if bound != 0 || shared(()) != 0 {
                return Err(last(|| format!("mount --make-shared {RUN_DIR}")));
            }
            Ok(())
        })
        .clone()
}

fn cstr(s: &str) -> Result<CString, CmdError> {
    CString::new(s).map_err(|_| CmdError { command: format!("path {s:?}"), stderr: "contains a NUL byte".into() })
}

/// Creates each named namespace and runs `inside` in it, on one thread of
/// its own that moves from each new namespace to the next; returns, per
/// name, `inside`'s result (or why the namespace could not be made).
pub fn create<T: Send>(
    names: &[&str],
    inside: impl Fn(&str) -> Result<T, CmdError> + Sync,
) -> Vec<Result<T, CmdError>> {
    if let Err(e) = run_dir_ready() {
        return names.iter().map(|_| Err(e.clone())).collect();
    }
    std::thread::scope(|s| {
        s.spawn(|| names.iter().map(|ns| create_here(ns).and_then(|()| inside(ns))).collect())
            .join()
            .unwrap_or_else(|_| names.iter().map(|ns| Err(panicked(ns))).collect())
    })
}

fn panicked(ns: &str) -> CmdError {
    CmdError { command: format!("netns {ns}"), stderr: "the namespace's thread panicked".into() }
}

/// Moves the calling thread into a new namespace and mounts it as `ns`.
fn create_here(ns: &str) -> Result<(), CmdError> {
    let target = path(ns);
    let what = || format!("netns add {ns}");
    std::fs::OpenOptions::new().write(true).create_new(true).open(&target).map_err(|e| err(what(), e))?;
    // SAFETY: unshare(2) of this thread's network namespace.
    if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
        let e = last(what);
        let _ = std::fs::remove_file(&target);
        return Err(e);
    }
    let source = cstr("/proc/thread-self/ns/net")?;
    let dest = cstr(&target.to_string_lossy())?;
    let none = cstr("none")?;
    // SAFETY: mount(2) with valid C strings.
    if unsafe { libc::mount(source.as_ptr(), dest.as_ptr(), none.as_ptr(), libc::MS_BIND, std::ptr::null()) } != 0 {
        let e = last(what);
        let _ = std::fs::remove_file(&target);
        return Err(e);
    }
    Ok(())
}

/// An open handle on a named namespace (for `IFLA_NET_NS_FD`, or to enter it).
pub fn open(ns: &str) -> Result<OwnedFd, CmdError> {
    std::fs::File::open(path(ns)).map(OwnedFd::from).map_err(|e| err(format!("open netns {ns}"), e))
}

/// Runs `f` on a thread of its own inside namespace `ns`.
pub fn enter<T: Send>(ns: &str, f: impl FnOnce() -> Result<T, CmdError> + Send) -> Result<T, CmdError> {
    let fd = open(ns)?;
    std::thread::scope(|s| {
        s.spawn(|| {
            // SAFETY: setns(2) of this (short-lived) thread into a namespace we hold open.
            if unsafe { libc::setns(fd.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
                return Err(last(|| format!("setns {ns}")));
            }
            f()
        })
        .join()
        .unwrap_or_else(|_| Err(panicked(ns)))
    })
}

/// Writes sysctls (`net.ipv4.ip_forward=1`) of the calling thread's namespace.
pub fn sysctl(settings: &[&str]) -> Result<(), CmdError> {
    for s in settings {
        let Some((key, value)) = s.split_once('=') else { continue };
        let file = Path::new("/proc/sys").join(key.replace('.', "/"));
        std::fs::write(&file, value).map_err(|e| err(format!("sysctl -w {s}"), e))?;
    }
    Ok(())
}

/// Removes named namespaces: kills what runs inside each (one pass over
/// /proc for all of them), then unmounts and unlinks. Keeps going past
/// failures; one result per name, in order.
pub fn delete(names: &[String]) -> Vec<Result<(), CmdError>> {
    let inodes: HashSet<(u64, u64)> =
        names.iter().filter_map(|ns| std::fs::metadata(path(ns)).ok()).map(|m| (m.dev(), m.ino())).collect();
    if !inodes.is_empty() {
        for pid in pids_in(&inodes) {
            // SAFETY: kill(2); a process already gone is no error here.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
    names.iter().map(|ns| unmount(ns)).collect()
}

/// Unmounts and unlinks one namespace's file; one not mounted or gone is fine.
fn unmount(ns: &str) -> Result<(), CmdError> {
    let target = path(ns);
    let dest = cstr(&target.to_string_lossy())?;
    // SAFETY: umount2(2) of a path we own.
    if unsafe { libc::umount2(dest.as_ptr(), libc::MNT_DETACH) } != 0 {
        let e = std::io::Error::last_os_error();
        if !matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOENT)) {
            return Err(err(format!("netns del {ns}"), e));
        }
    }
    match std::fs::remove_file(&target) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(err(format!("netns del {ns}"), e)),
        _ => Ok(()),
    }
}

/// The processes whose network namespace is one of `wanted` (by device and inode).
fn pids_in(wanted: &HashSet<(u64, u64)>) -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    let me = std::process::id() as i32;
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()))
        .filter(|pid| *pid != me)
        .filter(|pid| {
            std::fs::metadata(format!("/proc/{pid}/ns/net")).is_ok_and(|m| wanted.contains(&(m.dev(), m.ino())))
        })
        .collect()
}
