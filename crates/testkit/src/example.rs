//! Accounts for the integration tests and benchmarks: the chapter's example
//! (or one of its variants) deployed or planned into a fresh default account.

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
    text.lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect()
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

/// `template` planned (not deployed) as stack `todobackend` into a fresh
/// account: the planned account, and who owns what in it.
pub fn plan(template: &str) -> (Account, Vec<(String, reach::topology::Owner)>) {
    let a = Account::default();
    let input = StackInput {
        template_path: root().join(template),
        stack_name: "todobackend".into(),
        overrides: example_params(),
        ..StackInput::default()
    };
    let analysis = engine::preview(&a, &input).expect("the template reads");
    let owners = analysis
        .plan
        .resources
        .iter()
        .map(|r| {
            let owner = reach::topology::Owner {
                stack_name: "todobackend".into(),
                logical_id: r.logical_id.clone(),
                resource_type: r.resource_type.clone(),
            };
            (r.physical_id.clone(), owner)
        })
        .collect();
    (analysis.plan.account, owners)
}

/// The reachability findings of a planned template, as `CODE resource: message` lines.
pub fn planned_findings(template: &str) -> Vec<String> {
    let (a, owners) = plan(template);
    let mut topo = reach::topology::Topology::new(&a);
    for (id, o) in owners {
        topo.add_owner(&id, o);
    }
    reach::findings::stack_findings(&topo, "todobackend")
        .iter()
        .map(|d| format!("{} {}: {}", d.code, d.resource.clone().unwrap_or_default(), d.message))
        .collect()
}
