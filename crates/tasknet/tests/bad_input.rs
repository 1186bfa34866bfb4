//! Every file in `tests/fixtures/bad-input` exits 2 with a message that
//! names the file, in every output format, and never panics.

mod common;

use common::*;
use std::path::Path;

fn files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(bad_input())
        .map(|d| d.flatten().filter_map(|e| e.file_name().to_str().map(String::from)).collect())
        .unwrap_or_default();
    names.retain(|n| n != "README.md");
    names.sort();
    assert!(names.len() >= 20, "expected the bad-input fixtures in {}", bad_input().display());
    names
}

/// Arguments that feed `name` to validate the way the README says.
fn validate_args(name: &str) -> Vec<String> {
    let stack = todobackend().join("stack.yml").to_string_lossy().into_owned();
    if name.ends_with(".params.json") {
        args(&["validate", "--template-file", &stack, "--parameters", &format!("file://{name}")])
    } else if name.ends_with(".cfg") {
        let mut a = args(&["validate", "--template-file", &stack, "--parameter-overrides"]);
        a.extend(words_of(&bad_input().join(name)));
        a
    } else {
        args(&["validate", "--template-file", name])
    }
}

fn check(name: &str, a: &[String], what: &str) {
    let st = state();
    let run = run_in(&bad_input(), st.path(), a);
    assert_eq!(run.code, Some(2), "{name} ({what}) must exit 2:\n{}", run.all());
    let text = format!("{}{}", run.stdout, run.stderr);
    assert!(text.contains("error"), "{name} ({what}) says error:\n{}", run.all());
    // A .cfg's words reach tasknet without their file's name, as with the real CLI.
    if !name.ends_with(".cfg") {
        assert!(text.contains(name), "{name} ({what}) names the file:\n{}", run.all());
    }
}

#[test]
fn every_bad_input_exits_2_in_text() {
    for name in files() {
        check(&name, &validate_args(&name), "text");
    }
}

#[test]
fn every_bad_input_exits_2_in_json_and_sarif() {
    for name in files() {
        for format in ["json", "sarif"] {
            let mut a = validate_args(&name);
            a.extend(args(&["--output", format]));
            check(&name, &a, format);
        }
    }
}

#[test]
fn every_bad_template_exits_2_in_plan() {
    for name in files().into_iter().filter(|n| !n.ends_with(".params.json") && !n.ends_with(".cfg")) {
        check(&name, &args(&["plan", "--template-file", &name, "--stack-name", "bad"]), "plan");
    }
}

#[test]
fn load_errors_point_at_the_line() {
    let st = state();
    let run = run_in(&bad_input(), st.path(), &args(&["validate", "--template-file", "bad-tag.yml"]));
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.starts_with("error: unknown tag '!Reff'"), "{}", run.all());
    assert!(run.stderr.contains(" --> bad-tag.yml:6:18\n"), "{}", run.all());
    assert!(run.stderr.contains("|                  ^^^^^\n"), "caret under !Reff:\n{}", run.all());
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    name.to_string()
}

#[test]
fn generated_huge_documents_exit_2() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Alias expansion past the loader's node limit ("billion laughs").
    let mut laughs = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        laughs.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    laughs.push_str("Resources: *a8\n");
    // Plain size: one list of 2.5 million numbers, past CloudFormation's 1 MB before the loader's node limit.
    let mut big = String::from("Resources:\n  Q:\n    Type: AWS::SQS::Queue\nMetadata:\n  Big: [");
    big.push_str(&"0,".repeat(2_500_000));
    big.push_str("0]\n");
    for name in [write(dir.path(), "laughs.yml", &laughs), write(dir.path(), "big.yml", &big)] {
        let st = state();
        let run = run_in(dir.path(), st.path(), &args(&["validate", "--template-file", &name]));
        assert_eq!(run.code, Some(2), "{name}:\n{}", run.all());
        let why = if name == "big.yml" { "Template may not exceed 1000000 bytes in size." } else { "more than" };
        assert!(run.stderr.contains(&name) && run.stderr.contains(why), "{name}:\n{}", run.all());
        assert!(run.stderr.len() < 2000, "{name}: the snippet of a huge line is cut:\n{}", run.all());
    }
}
