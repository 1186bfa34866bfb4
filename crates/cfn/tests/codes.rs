//! The registry of codes against the sources and the README: every code a
//! crate can report is registered, and the README's tables list exactly the
//! registered codes.

use cfn::codes::{lookup, CODES};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, except unit test files (`tests.rs` and whatever is below a `tests/` folder).
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "tests" {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") && name != "tests.rs" {
            out.push(path);
        }
    }
}

/// The code literals (`"TN1234"`) of a source file outside its inline test
/// module, which by the layout rule (docs/architecture.md) comes last and may
/// use made-up codes.
fn code_literals(text: &str) -> Vec<String> {
    let mut code = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" && lines.peek().is_some_and(|next| next.contains("mod tests")) {
            break;
        }
        code.push_str(line);
        code.push('\n');
    }
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    for (i, _) in code.match_indices("\"TN") {
        let digits = &bytes[i + 3..];
        if digits.len() > 4 && digits[..4].iter().all(u8::is_ascii_digit) && digits[4] == b'"' {
            found.push(code[i + 1..i + 7].to_string());
        }
    }
    found
}

#[test]
fn every_code_in_the_sources_is_registered() {
    let mut files = Vec::new();
    for krate in std::fs::read_dir(workspace().join("crates")).expect("crates/").flatten() {
        sources(&krate.path().join("src"), &mut files);
    }
    assert!(files.len() > 50, "found the sources: {files:?}");
    let mut missing = Vec::new();
    for file in &files {
        if file.ends_with("cfn/src/codes.rs") {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read source");
        for code in code_literals(&text) {
            if lookup(&code).is_none() {
                missing.push(format!("{code} in {}", file.display()));
            }
        }
    }
    assert!(missing.is_empty(), "codes used but not in cfn::codes::CODES:\n{}", missing.join("\n"));
}

/// The codes a table row's first cell names: `TN1001`, `TN2009 / TN2010`,
/// `TN1101–TN1109` (a range, every code in it), `TN2101 (warning)`.
fn row_codes(cell: &str) -> Vec<String> {
    let numbers: Vec<u32> = cell
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter_map(|w| w.strip_prefix("TN"))
        .map(|n| n.parse().unwrap_or_else(|_| panic!("a code in {cell:?}")))
        .collect();
    match numbers[..] {
        [from, to] if cell.contains('–') => (from..=to).map(|n| format!("TN{n:04}")).collect(),
        _ => numbers.iter().map(|n| format!("TN{n:04}")).collect(),
    }
}

#[test]
fn the_readme_lists_exactly_the_registered_codes() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("README.md");
    let mut listed = Vec::new();
    for line in readme.lines() {
        if let Some(row) = line.strip_prefix("| TN") {
            let cell = format!("TN{}", row.split('|').next().unwrap_or_default());
            listed.extend(row_codes(&cell));
        }
    }
    let unique: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
    assert_eq!(unique.len(), listed.len(), "a code listed twice: {listed:?}");
    let registered: BTreeSet<&str> = CODES.iter().map(|c| c.code).collect();
    let not_listed: Vec<&&str> = registered.difference(&unique).collect();
    let not_registered: Vec<&&str> = unique.difference(&registered).collect();
    assert!(
        not_listed.is_empty() && not_registered.is_empty(),
        "registered but not in the README: {not_listed:?}; in the README but not registered: {not_registered:?}"
    );
}

#[test]
fn rows_expand_ranges_and_pairs() {
    assert_eq!(row_codes("TN4001–TN4003 "), ["TN4001", "TN4002", "TN4003"]);
    assert_eq!(row_codes("TN2009 / TN2010 "), ["TN2009", "TN2010"]);
    assert_eq!(row_codes("TN2101 (warning) "), ["TN2101"]);
}
