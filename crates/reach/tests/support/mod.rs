//! Accounts for the integration tests: the chapter's example (or one of its
//! variants) deployed into a fresh default account.

#![allow(dead_code)]

use account::Account;
use stacks::engine::{self, events::Quiet, DeployOptions, Outcome};
use stacks::StackInput;
use std::path::{Path, PathBuf};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The example's parameters (`examples/todobackend/dev.cfg`).
pub fn example_params() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("examples/todobackend/dev.cfg")).expect("dev.cfg");
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Deploys `template` (a path under the repository root) as stack `todobackend`
/// with the example's parameters and `extra` overrides; returns the account
/// whatever the outcome, and the outcome.
pub fn deploy(template: &str, extra: &[(&str, &str)]) -> (Account, Outcome) {
    let mut a = Account::default();
    let mut overrides = example_params();
    for (k, v) in extra {
        overrides.retain(|(name, _)| name != k);
        overrides.push((k.to_string(), v.to_string()));
    }
    let input = StackInput {
        template_path: root().join(template),
        stack_name: "todobackend".into(),
        overrides,
        ..StackInput::default()
    };
    let opts = DeployOptions { capabilities: vec!["CAPABILITY_IAM".into()], ..DeployOptions::default() };
    let out = engine::deploy(&mut a, &input, &opts, &mut Quiet).expect("the engine runs");
    (a, out)
}

/// The example deployed (it must succeed).
pub fn example() -> Account {
    let (a, out) = deploy("examples/todobackend/stack.yml", &[]);
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "CREATE_COMPLETE"), "{out:?}");
    a
}
