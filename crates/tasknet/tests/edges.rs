//! The runtime's edges that need no root: a busy account's exit code, what
//! read-only commands show of a dead writer's stack, JSON on stdout for
//! unreadable input, and an override without a key.

mod common;

use common::*;
use std::path::Path;

fn tasknet(state: &Path, a: &[&str]) -> Run {
    run_in(&todobackend(), state, &args(a))
}

/// What a writer killed halfway leaves: every stack in progress, its process gone.
fn leave_in_progress(state: &Path) {
    let path = state.join("account.db");
    let mut store = account::Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut a = store.load_account().ok().flatten().unwrap_or_else(|| panic!("stored"));
    for s in a.stacks.values_mut() {
        s.stack_status = account::StackStatus::CreateInProgress;
        s.operation_pid = Some(999_999);
    }
    store.save_account(&a).unwrap_or_else(|e| panic!("{e}"));
}

fn stack_status(state: &Path) -> serde_json::Value {
    let run = tasknet(state, &["describe", "stacks", "--stack-name", "todobackend", "--output", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    run.json()["Stacks"][0]["StackStatus"].clone()
}

#[test]
fn a_busy_account_exits_3_not_2() {
    let st = state();
    let _lock = hold_account_lock(st.path());
    let me = std::process::id();
    for command in ["deploy", "delete-stack"] {
        let run = if command == "deploy" {
            deploy_example(st.path(), &["--quiet"])
        } else {
            tasknet(st.path(), &["delete-stack", "--stack-name", "todobackend"])
        };
        assert_eq!(run.code, Some(3), "{command}: {}", run.all());
        assert!(
            run.stderr.contains(&format!("cannot {command}: `tasknet deploy` (pid {me}) is changing this account")),
            "{command} names the holder: {}",
            run.all()
        );
    }
    // Unreadable input still exits 2.
    let run = tasknet(st.path(), &["validate", "--template-file", "nope.yml"]);
    assert_eq!(run.code, Some(2), "{}", run.all());
}

#[test]
fn a_deploy_waits_for_ups_tick_instead_of_being_refused() {
    let st = state();
    // An `up` tick that (unluckily) holds the lock past deploy's one-second grace.
    let lock = hold_account_lock_as_up(st.path());
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(1500));
        drop(lock);
    });
    let run = deploy_example(st.path(), &["--quiet"]);
    release.join().unwrap_or_else(|_| panic!("the releasing thread panicked"));
    assert_eq!(run.code, Some(0), "a deploy queues behind up's ticks: {}", run.all());
    // Another command's operation is still a refusal (exit 3), not a queue.
    let _deploying = hold_account_lock(st.path());
    let run = deploy_example(st.path(), &["--quiet"]);
    assert_eq!(run.code, Some(3), "{}", run.all());
}

#[test]
fn a_lock_held_by_another_program_is_named_as_such_not_as_a_tasknet_command() {
    let st = state();
    std::fs::create_dir_all(st.path()).unwrap_or_else(|e| panic!("{e}"));
    // flock(1) or any tool: the lock without tasknet's holder record.
    let lock = std::fs::File::create(st.path().join("account.lock")).unwrap_or_else(|e| panic!("{e}"));
    lock.lock().unwrap_or_else(|e| panic!("{e}"));
    let run = deploy_example(st.path(), &["--quiet"]);
    assert_eq!(run.code, Some(3), "{}", run.all());
    assert!(run.stderr.contains("cannot deploy: another process (holding account.lock) is changing"), "{}", run.all());
    assert!(!run.stderr.contains("pid ?"), "{}", run.all());
}

#[test]
fn read_only_commands_show_a_dead_writers_stack_rolled_back() {
    let st = state();
    let run = deploy_example(st.path(), &["--quiet"]);
    assert_eq!(run.code, Some(0), "{}", run.all());
    leave_in_progress(st.path());

    // No live writer: shown as the next changing command will leave it.
    assert_eq!(stack_status(st.path()), "ROLLBACK_COMPLETE");
    let enis = tasknet(st.path(), &["describe", "network-interfaces", "--output", "json"]).json();
    assert_eq!(enis["NetworkInterfaces"].as_array().map(Vec::len), Some(0), "{enis}");
    let events = tasknet(st.path(), &["describe", "stack-events", "--stack-name", "todobackend"]);
    assert!(events.stdout.contains("(pid 999999) stopped before it finished"), "{}", events.all());

    // A live writer holds the lock: in progress is the truth.
    let lock = hold_account_lock(st.path());
    assert_eq!(stack_status(st.path()), "CREATE_IN_PROGRESS");
    drop(lock);

    // Reading never wrote the store: the next changing command does the repair and says so.
    let run = tasknet(st.path(), &["stop-task", "--cluster", "nosuch", "--task", "nosuch"]);
    assert!(run.stderr.contains("stack todobackend was left in progress by a process that stopped"), "{}", run.all());
    assert_eq!(stack_status(st.path()), "ROLLBACK_COMPLETE");
}

/// Templates that cannot be read, and the code their JSON finding carries.
const UNREADABLE: &[(&str, &str, bool)] = &[
    // (file, code, has a position)
    ("empty.yml", "TN1008", false),
    ("binary.yml", "TN0001", true),
    ("invalid-utf8.yml", "TN0001", true),
    ("syntax-error.yml", "TN0001", true),
    ("bad-tag.yml", "TN0001", true),
    ("deep-nesting.yml", "TN0001", true),
    ("list-not-map.yml", "TN1008", false),
];

#[test]
fn unreadable_input_prints_one_json_error_document() {
    for (file, code, positioned) in UNREADABLE {
        for command in ["validate", "plan"] {
            let st = state();
            let run = run_in(
                &bad_input(),
                st.path(),
                &args(&[command, "--template-file", file, "--stack-name", "bad", "--output", "json"]),
            );
            assert_eq!(run.code, Some(2), "{command} {file}: {}", run.all());
            let doc = run.json();
            assert_eq!(doc["errors"], 1, "{command} {file}: {doc}");
            assert_eq!(doc["warnings"], 0, "{command} {file}: {doc}");
            let finding = &doc["findings"][0];
            assert_eq!(finding["code"], *code, "{command} {file}: {doc}");
            assert_eq!(finding["severity"], "error", "{command} {file}: {doc}");
            assert_eq!(finding["file"], *file, "{command} {file}: {doc}");
            assert!(finding["message"].as_str().is_some_and(|m| !m.is_empty()), "{command} {file}: {doc}");
            for key in ["resource", "path", "line", "column", "hint"] {
                assert!(finding.get(key).is_some(), "{command} {file}: every key is present: {doc}");
            }
            assert_eq!(finding["line"].is_u64(), *positioned, "{command} {file}: {doc}");
            assert_eq!(finding["column"].is_u64(), *positioned, "{command} {file}: {doc}");
            if command == "plan" {
                assert!(doc.get("plan").is_some_and(serde_json::Value::is_null), "{file}: {doc}");
            }
            // People still get the text on stderr.
            assert!(run.stderr.starts_with("error"), "{command} {file}: {}", run.all());
        }
    }
    // The syntax error's position is the text output's.
    let st = state();
    let run =
        run_in(&bad_input(), st.path(), &args(&["validate", "--template-file", "bad-tag.yml", "--output", "json"]));
    let finding = &run.json()["findings"][0];
    assert_eq!((finding["line"].as_u64(), finding["column"].as_u64()), (Some(6), Some(18)), "{finding}");
}

#[test]
fn unreadable_parameters_and_sarif_give_a_document_too() {
    let st = state();
    let stack = todobackend().join("stack.yml").to_string_lossy().into_owned();
    let run = run_in(
        &bad_input(),
        st.path(),
        &args(&[
            "validate",
            "--template-file",
            &stack,
            "--parameters",
            "file://bad-syntax.params.json",
            "--output",
            "json",
        ]),
    );
    assert_eq!(run.code, Some(2), "{}", run.all());
    let doc = run.json();
    assert_eq!(doc["findings"][0]["code"], "TN0001", "{doc}");
    assert_eq!(doc["findings"][0]["file"], "bad-syntax.params.json", "{doc}");

    let run =
        run_in(&bad_input(), st.path(), &args(&["validate", "--template-file", "binary.yml", "--output", "sarif"]));
    assert_eq!(run.code, Some(2), "{}", run.all());
    let log = run.json();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "TN0001", "{log}");
}

#[test]
fn an_override_without_a_key_is_a_usage_error() {
    for words in [&["=x"][..], &["Environment=dev", "="][..]] {
        let st = state();
        let mut a = args(&["validate", "--template-file", "stack.yml", "--parameter-overrides"]);
        a.extend(args(words));
        let run = run_in(&todobackend(), st.path(), &a);
        assert_eq!(run.code, Some(2), "{words:?}: {}", run.all());
        assert!(run.stderr.contains("has no key before the '='"), "{words:?}: {}", run.all());
    }
}
