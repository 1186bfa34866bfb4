//! What `up` needs before it touches the kernel, with how to get it.

use std::path::Path;

/// Something the data plane needs and does not have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PreflightError {
    /// Not running as root.
    #[error("tasknet up needs root to create network namespaces: run it with sudo (sudo tasknet up)")]
    NotRoot,
    /// A program is missing.
    #[error("tasknet up needs `{program}`, which is not installed: {hint}")]
    Missing {
        /// The program.
        program: String,
        /// How to install it.
        hint: String,
    },
}

/// Checks root, `ip` (iproute2) and `nft` (nftables).
pub fn check() -> Result<(), PreflightError> {
    if !is_root() {
        return Err(PreflightError::NotRoot);
    }
    for (program, package) in [("ip", "iproute2"), ("nft", "nftables")] {
        if find(program).is_none() {
            return Err(PreflightError::Missing {
                program: program.into(),
                hint: format!("install the {package} package (Debian/Ubuntu: apt-get install {package}; Fedora: dnf install {package})"),
            });
        }
    }
    Ok(())
}

/// Whether the effective user is root (read from /proc, no libc needed).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("Uid:")).and_then(|l| l.split_whitespace().nth(2)).map(|u| u == "0")
        })
        .unwrap_or(false)
}

/// A program on PATH (or in the sbin directories sudo's PATH may lack).
pub fn find(program: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    let found = path
        .split(':')
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
        .map(|d| Path::new(d).join(program))
        .find(|p| p.is_file());
    found
}
