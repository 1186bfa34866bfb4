//! Shared by the data plane's root tests: the example deployed, a scope that
//! is swept when the test ends (also when it fails), and a root check.

#![allow(dead_code)]

use account::Account;
use dataplane::{Kernel, Scope};
use stacks::engine::{self, events::Quiet, DeployOptions};
use stacks::StackInput;
use std::path::{Path, PathBuf};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The example deployed into a fresh default account as `todobackend`.
pub fn example() -> Account {
    let text = std::fs::read_to_string(root().join("examples/todobackend/dev.cfg")).expect("dev.cfg");
    let overrides = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let input = StackInput {
        template_path: root().join("examples/todobackend/stack.yml"),
        stack_name: "todobackend".into(),
        overrides,
        ..StackInput::default()
    };
    let mut a = Account::default();
    let opts = DeployOptions { capabilities: vec!["CAPABILITY_IAM".into()], ..DeployOptions::default() };
    let out = engine::deploy(&mut a, &input, &opts, &mut Quiet).expect("the engine runs");
    assert!(matches!(&out, engine::Outcome::Complete { status, .. } if status == "CREATE_COMPLETE"), "{out:?}");
    a
}

/// A kernel in a scope of its own, swept on drop.
pub struct Scoped {
    /// The kernel side.
    pub kernel: Kernel,
}

impl Scoped {
    /// A fresh scope named after the test (and the process, so parallel runs never meet).
    pub fn new(tag: &str) -> Scoped {
        let scope = Scope::test(&format!("{tag}{}", std::process::id() % 10_000));
        let _ = dataplane::linux::sweep(&scope);
        Scoped { kernel: Kernel::new(scope) }
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

/// True when the test can touch the kernel; says why not otherwise.
pub fn can_run() -> bool {
    if dataplane::preflight::check().is_ok() {
        return true;
    }
    eprintln!("skipped: needs root, ip and nft ({:?})", dataplane::preflight::check());
    false
}
