//! `tasknet validate` end to end: exit codes, the three output formats, the
//! parameter inputs, and every broken todobackend stack.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn todobackend_is_clean() {
    let run = validate_todobackend("stack.yml", &[]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    let last: Vec<&str> = run.stdout.lines().rev().take(2).collect();
    assert!(
        last[0].starts_with("validated stack.yml: ") && last[0].ends_with(" resources, 6 parameters"),
        "{}",
        run.all()
    );
    assert!(last[1].starts_with("no errors"), "{}", run.all());
}

#[test]
fn every_broken_stack_reports_its_code() {
    let dir = todobackend().join("broken");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    assert!(files.len() >= 20, "expected the broken stacks in {}", dir.display());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let Some(expect) = text.lines().find_map(|l| l.strip_prefix("# Expect: ")) else { continue };
        if expect.starts_with("TN5") {
            // Reachability findings come from plan and deploy (tests/reach.rs), not validate.
            continue;
        }
        let rel = format!("broken/{}", path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        let run = validate_todobackend(&rel, &["--output", "json"]);
        let json = run.json();
        let codes: Vec<&str> =
            json["findings"].as_array().into_iter().flatten().filter_map(|f| f["code"].as_str()).collect();
        assert!(codes.contains(&expect.trim()), "{rel}: expected {expect}, got {codes:?}");
        assert_eq!(run.code, Some(1), "{rel}: {}", run.all());
        assert!(json["errors"].as_u64() >= Some(1), "{rel}");
    }
}

#[test]
fn text_output_is_compiler_style() {
    let run = validate_todobackend("broken/target-group-instance-type.yml", &[]);
    assert_eq!(run.code, Some(1), "{}", run.all());
    let out = &run.stdout;
    assert!(out.starts_with("error[TN2004]: Invalid request provided: CreateService error:"), "{out}");
    assert!(out.contains(" --> broken/target-group-instance-type.yml:"), "{out}");
    assert!(out.contains("          ^^^^^^^^^^^^^^\n"), "caret under TargetGroupArn:\n{out}");
    assert!(
        out.contains(
            "= resource: ApplicationService (Resources/ApplicationService/Properties/LoadBalancers/0/TargetGroupArn)"
        ),
        "{out}"
    );
    assert!(out.contains("= help: "), "{out}");
    assert!(out.ends_with("1 error, 0 warnings\n"), "{out}");
    assert!(!out.contains('\x1b'), "no colours in a pipe");
}

#[test]
fn json_shape() {
    let run = validate_todobackend("broken/unresolved-ref.yml", &["--output", "json"]);
    assert_eq!(run.code, Some(1));
    let json = run.json();
    let keys: Vec<&str> = json.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    assert_eq!(keys, ["findings", "errors", "warnings"]);
    let f = &json["findings"][0];
    let keys: Vec<&str> = f.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    assert_eq!(keys, ["code", "severity", "message", "resource", "path", "file", "line", "column", "hint"]);
    assert_eq!(f["code"], "TN1002");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], "broken/unresolved-ref.yml");
    assert!(f["line"].as_u64() > Some(1) && f["column"].as_u64() >= Some(1), "{f}");
    assert_eq!(json["errors"], 1);
    assert_eq!(json["warnings"], 0);

    let clean = validate_todobackend("stack.yml", &["--output", "json"]);
    assert_eq!(clean.code, Some(0));
    assert_eq!(clean.json(), serde_json::json!({"findings": [], "errors": 0, "warnings": 0}));
}

#[test]
fn absent_fields_are_null() {
    // A file-level finding has no resource; a parameter finding has no hint.
    let st = state();
    let run = run_in(
        &bad_input(),
        st.path(),
        &args(&["validate", "--template-file", "resources-not-map.yml", "--output", "json"]),
    );
    let f = &run.json()["findings"][0];
    assert_eq!(f["resource"], Value::Null, "{f}");
    assert!(f.as_object().is_some_and(|o| o.contains_key("resource") && o.contains_key("hint")));
}

/// The parts of SARIF 2.1.0's schema a consumer relies on.
fn check_sarif(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    let runs = log["runs"].as_array().unwrap_or_else(|| panic!("runs must be an array: {log}"));
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "tasknet");
    assert!(driver["version"].is_string());
    let rules = driver["rules"].as_array().unwrap_or_else(|| panic!("rules: {driver}"));
    let rule_ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(rule_ids.len(), rules.len(), "every rule has an id");
    for r in rules {
        assert!(r["shortDescription"]["text"].as_str().is_some_and(|t| !t.is_empty()), "{r}");
    }
    let results = run["results"].as_array().unwrap_or_else(|| panic!("results: {run}"));
    for r in results {
        let rule = r["ruleId"].as_str().unwrap_or_else(|| panic!("ruleId: {r}"));
        assert!(rule_ids.contains(&rule), "{rule} is in the rules");
        if let Some(i) = r["ruleIndex"].as_u64() {
            assert_eq!(rules.get(i as usize).and_then(|x| x["id"].as_str()), Some(rule));
        }
        assert!(matches!(r["level"].as_str(), Some("none" | "note" | "warning" | "error")), "{r}");
        assert!(r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()), "{r}");
        for loc in r["locations"].as_array().into_iter().flatten() {
            let phys = &loc["physicalLocation"];
            let uri = phys["artifactLocation"]["uri"].as_str().unwrap_or_else(|| panic!("uri: {loc}"));
            assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
            if let Some(region) = phys.get("region") {
                assert!(region["startLine"].as_u64() >= Some(1), "{region}");
                assert!(region["startColumn"].as_u64().is_none_or(|c| c >= 1), "{region}");
            }
        }
    }
}

#[test]
fn sarif_shape() {
    let run = validate_todobackend("broken/unsupported-property.yml", &["--output", "sarif"]);
    assert_eq!(run.code, Some(1), "{}", run.all());
    let log = run.json();
    check_sarif(&log);
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "TN1004");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "broken/unsupported-property.yml"
    );

    let clean = validate_todobackend("stack.yml", &["--output", "sarif"]);
    assert_eq!(clean.code, Some(0));
    check_sarif(&clean.json());
    assert_eq!(clean.json()["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn sarif_uri_is_relative_for_absolute_paths_under_cwd() {
    let path = todobackend().join("broken/unresolved-ref.yml");
    let run = validate_todobackend(&path.to_string_lossy(), &["--output", "sarif"]);
    let log = run.json();
    check_sarif(&log);
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "broken/unresolved-ref.yml"
    );
}

#[test]
fn overrides_stop_at_the_next_flag() {
    // `--output json` after the words must not be taken as parameter values.
    let run = validate_todobackend("stack.yml", &["--output", "json", "--stack-name", "todobackend"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert_eq!(run.json()["errors"], 0);
}

#[test]
fn missing_parameters_are_errors() {
    let st = state();
    let run = run_in(&todobackend(), st.path(), &args(&["validate", "--template-file", "stack.yml"]));
    assert_eq!(run.code, Some(1), "{}", run.all());
    assert!(run.stdout.contains("error[TN1101]: Parameters: ["), "{}", run.all());
}

#[test]
fn parameters_file_forms() {
    let dir = root().join("tests/fixtures/realworld");
    let st = state();
    for form in ["file://fargate-alb-vpc.params.json", "fargate-alb-vpc.params.json"] {
        let run = run_in(
            &dir,
            st.path(),
            &args(&["validate", "--template-file", "fargate-alb-vpc.yml", "--parameters", form]),
        );
        assert_eq!(run.code, Some(0), "{form}: {}", run.all());
    }
    let cfg = words_of(&dir.join("ec2-cluster-launch-template.cfg"));
    let mut a = args(&["validate", "--template-file", "ec2-cluster-launch-template.yml", "--parameter-overrides"]);
    a.extend(cfg);
    let run = run_in(&dir, st.path(), &a);
    assert_eq!(run.code, Some(0), "{}", run.all());
}

#[test]
fn warnings_alone_exit_0() {
    // `aws cloudformation deploy` ignores overrides the template lacks: a warning, not an error.
    let run = validate_todobackend("stack.yml", &["--parameter-overrides", "NoSuchParameter=1"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    assert!(run.stdout.starts_with("warning[TN1106]"), "{}", run.all());
    assert!(run.stdout.contains("\nno errors, 1 warning\nvalidated stack.yml: "), "{}", run.all());
}

#[test]
fn usage_errors_exit_2() {
    let st = state();
    let cwd = todobackend();
    for a in [
        vec!["validate"],
        vec!["validate", "--template-file", "stack.yml", "--output", "xml"],
        vec!["validate", "--template-file", "stack.yml", "--no-such-flag"],
        vec!["validate", "--template-file", "stack.yml", "--parameter-overrides"],
        vec!["plan", "--template-file", "stack.yml"],
        vec!["frobnicate"],
        vec!["validate", "--template-file", "stack.yml", "--stack-name", "my_stack"],
        vec!["plan", "--template-file", "stack.yml", "--stack-name", "2nd"],
        vec![],
    ] {
        let run = run_in(&cwd, st.path(), &args(&a));
        assert_eq!(run.code, Some(2), "{a:?}: {}", run.all());
        assert!(!run.stderr.is_empty(), "{a:?} says why");
    }
    let help = run_in(&cwd, st.path(), &args(&["validate", "--help"]));
    assert_eq!(help.code, Some(0));
    assert!(help.stdout.contains("--parameter-overrides"));
}

#[test]
fn missing_files_exit_2() {
    let st = state();
    let cwd = todobackend();
    let cases: [(&[&str], &str); 4] = [
        (&["validate", "--template-file", "nope.yml"], "cannot read nope.yml"),
        (&["validate", "--template-file", "stack.yml", "--parameters", "file://nope.json"], "cannot read nope.json"),
        (&["validate", "--template-file", "stack.yml", "--custom-outputs", "nope.json"], "cannot read nope.json"),
        (&["--account-file", "nope.yml", "validate", "--template-file", "stack.yml"], "cannot read nope.yml"),
    ];
    for (a, message) in cases {
        let run = run_in(&cwd, st.path(), &args(a));
        assert_eq!(run.code, Some(2), "{a:?}: {}", run.all());
        assert!(run.stderr.starts_with(&format!("error: {message}")), "{a:?}: {}", run.all());
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn bad_custom_outputs_exit_2_with_position() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("outs.json");
    std::fs::write(&file, "{\n  \"MigrateTask\": [1]\n}\n").unwrap_or_else(|e| panic!("{e}"));
    let run = validate_todobackend("stack.yml", &["--custom-outputs", &file.to_string_lossy()]);
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(run.stderr.starts_with("error: custom outputs of MigrateTask must be a JSON object"), "{}", run.all());
    assert!(run.stderr.contains("outs.json:2:3"), "{}", run.all());
}

#[test]
fn cloudformation_quotas_are_refused_with_its_text() {
    let st = state();
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Resources:\n");
    for i in 0..501 {
        text.push_str(&format!("  Topic{i}:\n    Type: AWS::SNS::Topic\n"));
    }
    std::fs::write(dir.path().join("big.yml"), &text).unwrap();
    let run = run_in(dir.path(), st.path(), &args(&["validate", "--template-file", "big.yml"]));
    assert_eq!(run.code, Some(2), "{}", run.all());
    assert!(
        run.stdout.contains("Template format error: Number of resources, 501, is greater than maximum allowed, 500"),
        "{}",
        run.all()
    );
    text.truncate(text.len() - "  Topic500:\n    Type: AWS::SNS::Topic\n".len());
    std::fs::write(dir.path().join("ok.yml"), &text).unwrap();
    let run = run_in(dir.path(), st.path(), &args(&["validate", "--template-file", "ok.yml"]));
    assert_eq!(run.code, Some(0), "500 resources are allowed: {}", run.all());
}
