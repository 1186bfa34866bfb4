//! The example stack, its broken variants and the real-world corpus,
//! analyzed against the default account.

use account::Account;
use cfn::params;
use stacks::{analyze, Analysis, StackInput};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dev_cfg() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo().join("examples/todobackend/dev.cfg")).expect("dev.cfg");
    params::parse_cfg_file(&text).expect("dev.cfg parses")
}

fn run(
    path: &Path,
    overrides: Vec<(String, String)>,
    file_params: Vec<(String, String)>,
    account: &Account,
) -> Analysis {
    let input = StackInput {
        template_path: path.to_path_buf(),
        stack_name: path.file_stem().map(|s| s.to_string_lossy().replace('.', "-")).unwrap_or_default(),
        overrides,
        file_params,
        ..StackInput::default()
    };
    analyze(&input, account).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn show(a: &Analysis) -> String {
    a.diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}[{}] {}:{} {} ({})",
                if d.is_error() { "error" } else { "warning" },
                d.code,
                d.pos.map_or(0, |p| p.line),
                d.resource.as_deref().unwrap_or(""),
                d.message,
                d.path
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_example_is_silent() {
    let a = run(&repo().join("examples/todobackend/stack.yml"), dev_cfg(), vec![], &Account::new_default());
    assert_eq!(a.plan.stack_name, "stack");
    assert!(a.diagnostics.is_empty(), "{}", show(&a));
    assert!(a.plan.resources.len() > 20);
}

/// The broken variants of the example, sorted.
fn broken_stacks() -> Vec<PathBuf> {
    let dir = repo().join("examples/todobackend/broken");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("broken/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    entries.sort();
    entries
}

#[test]
fn every_broken_stack_breaks_its_rule_and_only_that() {
    let entries = broken_stacks();
    let mut failures = Vec::new();
    let mut seen = 0;
    for path in &entries {
        let text = std::fs::read_to_string(path).expect("read");
        let Some(expect) = text.lines().find_map(|l| l.strip_prefix("# Expect: ")) else {
            failures.push(format!("{}: no '# Expect:' line", path.display()));
            continue;
        };
        // TN5xxx are reachability findings (crates/reach, printed by plan): the analysis itself finds nothing.
        let expect: Vec<&str> = expect.split([',', ' ']).filter(|s| !s.is_empty() && !s.starts_with("TN5")).collect();
        seen += 1;
        let a = run(path, dev_cfg(), vec![], &Account::new_default());
        let errors: Vec<&str> = a.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
        let missing: Vec<&&str> = expect.iter().filter(|c| !errors.contains(c)).collect();
        let extra: Vec<&&str> = errors.iter().filter(|c| !expect.contains(c)).collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{}: expected {expect:?}\n{}",
                path.file_name().map(|f| f.to_string_lossy()).unwrap_or_default(),
                show(&a)
            ));
        }
    }
    assert!(seen >= 20, "only {seen} broken stacks");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Key-value pairs, in the order given.
type Pairs = Vec<(String, String)>;

/// The overrides (`.cfg`) and parameters file (`.params.json`) next to a broken variant.
fn params_for(yml: &Path) -> (Pairs, Pairs) {
    let cfg = yml.with_extension("cfg");
    let json = yml.with_extension("params.json");
    let overrides = std::fs::read_to_string(&cfg).map(|t| params::parse_cfg_file(&t).expect("cfg")).unwrap_or_default();
    let file =
        std::fs::read_to_string(&json).map(|t| params::parse_parameters_file(&t).expect("params")).unwrap_or_default();
    (overrides, file)
}

#[test]
fn real_world_templates_load_without_false_errors() {
    let dir = repo().join("tests/fixtures/realworld");
    let mut account = Account::new_default();
    // The exporting stack first, so the importing one finds its exports.
    let exports = dir.join("network-exports.yml");
    let a = run(&exports, vec![], vec![], &account);
    assert!(a.diagnostics.is_empty(), "{}", show(&a));
    account = a.plan.account.clone();
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("dir").filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    let mut failures = Vec::new();
    for path in names.iter().filter(|p| {
        p.extension().is_some_and(|e| e == "yml" || e == "json") && !p.to_string_lossy().ends_with(".params.json")
    }) {
        if path.file_stem().is_some_and(|s| s == "vpc") {
            continue; // the nested child: planned through its parent
        }
        let (o, f) = params_for(path);
        let a = run(path, o, f, &account);
        if !a.diagnostics.is_empty() {
            failures.push(format!("{}:\n{}", path.display(), show(&a)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn yaml_and_json_twins_give_the_same_plan() {
    let dir = repo().join("tests/fixtures/realworld");
    let y = run(&dir.join("twin.yml"), vec![], vec![], &Account::new_default());
    let j = run(&dir.join("twin.json"), vec![], vec![], &Account::new_default());
    assert!(y.diagnostics.is_empty() && j.diagnostics.is_empty(), "{}\n{}", show(&y), show(&j));
    let shape = |a: &Analysis| serde_json::to_value(&a.plan.resources).expect("json");
    assert_eq!(shape(&y), shape(&j));
    let account = |a: &Analysis| {
        let mut v = serde_json::to_value(&a.plan.account).expect("json");
        without_lines(&mut v);
        v
    };
    assert_eq!(account(&y), account(&j));
}

/// Drops the line and column of every declaration: the twins declare the
/// same things at the same template paths, on different lines.
fn without_lines(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                // A route's `Origin` is the API's text; only objects are declarations.
                let declaration = key == "Origin" || key == "TemplateOrigin";
                if let Some(d) = child.as_object_mut().filter(|_| declaration) {
                    d.remove("Line");
                    d.remove("Column");
                }
                without_lines(child);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_lines),
        _ => {}
    }
}

#[test]
fn broken_stack_findings_snapshot() {
    let entries = broken_stacks();
    let mut out = String::new();
    for path in &entries {
        let a = run(path, dev_cfg(), vec![], &Account::new_default());
        out.push_str(&format!("## {}\n", path.file_name().map(|f| f.to_string_lossy()).unwrap_or_default()));
        for d in &a.diagnostics {
            let pos = d.pos.map_or(String::new(), |p| format!("{}:{}", p.line, p.col));
            out.push_str(&format!(
                "{}[{}] {pos} {} @ {}\n  {}\n  hint: {}\n",
                if d.is_error() { "error" } else { "warning" },
                d.code,
                d.resource.as_deref().unwrap_or("-"),
                d.path,
                d.message,
                d.hint.as_deref().unwrap_or("-")
            ));
        }
    }
    insta::assert_snapshot!(out);
}
