//! Shared by the data plane's root tests: a scope that is swept when the test
//! ends (also when it fails), and the root check. The example deployed is
//! `testkit::example::example`.

#![allow(dead_code)]

use dataplane::{Kernel, Scope};

/// A kernel in a scope of its own, swept on drop.
pub struct Scoped {
    /// The kernel side.
    pub kernel: Kernel,
}

impl Scoped {
    /// A fresh scope named after the test (and the process, so parallel runs never meet).
    pub fn new(tag: &str) -> Scoped {
        Scoped::with_driver(tag, Box::new(dataplane::linux::driver::InProcess::new()))
    }

    /// The same, applying through the `ip` and `nft` programs (the first path).
    pub fn with_commands(tag: &str) -> Scoped {
        Scoped::with_driver(tag, Box::new(dataplane::linux::driver::Commands))
    }

    fn with_driver(tag: &str, driver: Box<dyn dataplane::linux::driver::Driver>) -> Scoped {
        let scope = Scope::test(&format!("{tag}{}", std::process::id() % 10_000));
        let _ = dataplane::linux::sweep(&scope);
        Scoped { kernel: Kernel::with_driver(scope, driver) }
    }
}

impl Drop for Scoped {
    fn drop(&mut self) {
        if std::env::var_os("TASKNET_KEEP").is_none() {
            if let Err(e) = self.kernel.teardown() {
                eprintln!("teardown: {e}");
            }
        }
    }
}

/// Fails the test unless it can touch the kernel (root, ip and nft). The
/// root-only tests are `#[ignore]`d, so a plain `cargo test` lists them as
/// ignored; run without root with `--include-ignored`, they fail here, never
/// pass silently.
pub fn require_root() {
    if let Err(e) = dataplane::preflight::check() {
        panic!("run as root, with ip and nft installed: {e}");
    }
}
