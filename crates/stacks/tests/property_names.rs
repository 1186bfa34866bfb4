//! Every top-level property a handler reads by name (`props.str("X")`,
//! `.u32`, `.bool`, `.strs`, `.child`, `.children`, `.items`, `.get`,
//! `.pos`, `.path`, `.tags()`, `ec2_error(props, "X", …)`) exists in its type's
//! table in `cfn::spec`. A misspelt name reads as absent and the handler
//! silently takes its default, so no other test notices it.
//!
//! The handlers are read as text: each service file's `Kind` records map a
//! type to its create (and refresh) function, and the functions it passes
//! `props` to are followed.
//! Reads on child properties (`d.u32("MaximumPercent")`) are checked more
//! loosely, against every name in the type's structures; names held in
//! variables (`props.str(group_key)`) are not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Reads of a name the type lacks that are deliberate: `(type, name, why)`.
const DELIBERATE: &[(&str, &str, &str)] = &[
    (
        "AWS::EC2::SecurityGroupEgress",
        "SourceSecurityGroupName",
        "read_rule is shared with Ingress and reads it only when not egress",
    ),
    (
        "AWS::EC2::SecurityGroupEgress",
        "GroupName",
        "rule_group is shared with Ingress; Egress has only GroupId, so the read finds nothing",
    ),
];

const READERS: &[&str] = &["str", "u32", "bool", "strs", "child", "children", "items", "get", "pos", "path"];

/// One `fn` of a handler file: its name, parameter list and body.
struct Func {
    name: String,
    params: String,
    body: String,
}

/// The index just past the string, char literal or comment starting at `i`,
/// or `None` when `i` starts none of them.
fn skip_literal(s: &[u8], i: usize) -> Option<usize> {
    match s[i] {
        b'/' if s.get(i + 1) == Some(&b'/') => Some(s[i..].iter().position(|&c| c == b'\n').map_or(s.len(), |n| i + n)),
        b'"' => {
            let mut j = i + 1;
            while j < s.len() && s[j] != b'"' {
                j += if s[j] == b'\\' { 2 } else { 1 };
            }
            Some(j + 1)
        }
        // A char literal ('x', '\n'); a lifetime ('a, '_) is not one.
        b'\'' if s.get(i + 1) == Some(&b'\\') => Some(i + 4),
        b'\'' if s.get(i + 2) == Some(&b'\'') => Some(i + 3),
        _ => None,
    }
}

/// The index of the bracket closing the one at `open`.
fn matching(s: &[u8], open: usize) -> usize {
    let (o, c) = (s[open], if s[open] == b'(' { b')' } else { b'}' });
    let (mut depth, mut i) = (0, open);
    while i < s.len() {
        if let Some(next) = skip_literal(s, i) {
            i = next;
            continue;
        }
        if s[i] == o {
            depth += 1;
        } else if s[i] == c {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
        i += 1;
    }
    panic!("unbalanced brackets")
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn functions(src: &str) -> Vec<Func> {
    let s = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = src[i..].find("fn ") {
        let start = i + at;
        i = start + 3;
        if start > 0 && is_ident(s[start - 1]) {
            continue;
        }
        let name: String = src[i..].bytes().take_while(|&c| is_ident(c)).map(char::from).collect();
        let Some(open) = src[i..].find('(').map(|n| i + n) else { break };
        let close = matching(s, open);
        let Some(brace) = src[close..].find(['{', ';']).map(|n| close + n) else { break };
        if s[brace] == b';' {
            continue; // a declaration without a body
        }
        let end = matching(s, brace);
        out.push(Func { name, params: src[open + 1..close].into(), body: src[brace..=end].into() });
        i = brace + 1; // nested fns and closures are searched as well
    }
    out
}

/// The names `text` reads from the `Props` called `props` (also across a
/// line break: `props\n    .children("X")`).
fn reads(text: &str) -> BTreeSet<String> {
    let mut out = reads_on(text, |r| r == "props");
    // `ec2_error(props, "X", …)` places a finding at property X.
    for (at, _) in text.match_indices("ec2_error(props, \"") {
        let lit = &text[at + "ec2_error(props, \"".len()..];
        out.insert(lit.split('"').next().unwrap_or_default().to_string());
    }
    out
}

/// The names `text` reads through a reader method on a receiver (a bare
/// identifier) that `receiver` accepts.
fn reads_on(text: &str, receiver: impl Fn(&str) -> bool) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let s = text.as_bytes();
    let mut i = 0;
    while i < s.len() {
        if let Some(next) = skip_literal(s, i) {
            i = next;
            continue;
        }
        let at = i;
        i += 1;
        if !is_ident(s[at]) || (at > 0 && (is_ident(s[at - 1]) || s[at - 1] == b'.')) {
            continue;
        }
        let ident: String = text[at..].bytes().take_while(|&c| is_ident(c)).map(char::from).collect();
        i = at + ident.len();
        if !receiver(&ident) {
            continue;
        }
        let Some(rest) = text[i..].trim_start().strip_prefix('.') else { continue };
        let method: String = rest.bytes().take_while(|&c| is_ident(c)).map(char::from).collect();
        let after = &rest[method.len()..];
        if method == "tags" && after.starts_with("()") {
            out.insert("Tags".to_string());
        } else if READERS.contains(&method.as_str()) {
            if let Some(lit) = after.strip_prefix("(\"").and_then(|r| r.split('"').next()) {
                out.insert(lit.to_string());
            }
        }
    }
    out
}

/// The functions `body` calls with `props` as an argument, as `(module, name)`
/// (`module` is `None` for a call without a path).
fn calls_with_props(body: &str) -> Vec<(Option<String>, String)> {
    calls(body, true)
}

/// The functions `body` calls (only those given `props` when `with_props`).
fn calls(body: &str, with_props: bool) -> Vec<(Option<String>, String)> {
    let s = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        if let Some(next) = skip_literal(s, i) {
            i = next;
            continue;
        }
        let open = i;
        i += 1;
        if s[open] != b'(' {
            continue;
        }
        let close = matching(s, open);
        let passes = body[open + 1..close].split(',').any(|a| matches!(a.trim(), "props" | "&props"));
        let path: String = body[..open]
            .bytes()
            .rev()
            .take_while(|&c| is_ident(c) || c == b':')
            .map(char::from)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let method = open > path.len() && s[open - path.len() - 1] == b'.';
        if (with_props && !passes) || path.is_empty() || method {
            continue;
        }
        let mut parts: Vec<&str> =
            path.split("::").filter(|p| !matches!(*p, "" | "super" | "self" | "crate")).collect();
        let name = parts.pop().unwrap_or_default().to_string();
        out.push((parts.pop().map(String::from), name));
    }
    out
}

/// The functions reachable from `module::name` by any call (same module
/// unless the call names another handler module).
fn reachable<'f>(files: &'f BTreeMap<String, Vec<Func>>, module: &str, name: &str) -> Vec<&'f Func> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![(module.to_string(), name.to_string())];
    let mut out = Vec::new();
    while let Some((m, n)) = todo.pop() {
        if !seen.insert((m.clone(), n.clone())) {
            continue;
        }
        let Some(f) = files.get(&m).into_iter().flatten().find(|f| f.name == n) else { continue };
        out.push(f);
        for (cm, cn) in calls(&f.body, false) {
            todo.push((cm.filter(|c| files.contains_key(c)).unwrap_or_else(|| m.clone()), cn));
        }
        // A function passed by name (`.map(container)`) is reached too.
        for g in files.get(&m).into_iter().flatten() {
            if mentions(&f.body, &g.name) {
                todo.push((m.clone(), g.name.clone()));
            }
        }
    }
    out
}

/// True when `text` passes the function `word` by name, as in `.map(word)`.
fn mentions(text: &str, word: &str) -> bool {
    text.contains(&format!("({word})"))
}

/// Every property name anywhere in `ty`, at any depth.
fn all_names(ty: &cfn::spec::PropType, out: &mut BTreeSet<&'static str>) {
    use cfn::spec::PropType as T;
    match ty {
        T::List(t) | T::Map(t) => all_names(t, out),
        T::OneOf(ts) => ts.iter().for_each(|t| all_names(t, out)),
        T::Struct(fields) => {
            for f in *fields {
                out.insert(f.name);
                all_names(&f.ty, out);
            }
        }
        _ => {}
    }
}

/// Everything `module::name` reads from its `props`, following the calls it passes `props` to.
fn handler_reads(files: &BTreeMap<String, Vec<Func>>, module: &str, name: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![(module.to_string(), name.to_string())];
    let mut out = BTreeSet::new();
    while let Some((m, n)) = todo.pop() {
        if !seen.insert((m.clone(), n.clone())) {
            continue;
        }
        // A helper counts only if it takes a `Props` called `props`, like the handlers.
        let Some(f) = files.get(&m).into_iter().flatten().find(|f| f.name == n && f.params.contains("props: &Props"))
        else {
            continue;
        };
        out.extend(reads(&f.body));
        for (cm, cn) in calls_with_props(&f.body) {
            let cm = cm.filter(|c| files.contains_key(c)).unwrap_or_else(|| m.clone());
            todo.push((cm, cn));
        }
    }
    out
}

fn handlers_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/handlers")
}

/// The function a `Kind` field names: `name` itself, or the one the
/// closure `|p, props, …| name(p, props, …)` calls.
fn called(text: &str) -> Option<String> {
    let text = text.trim_start();
    let body = match text.strip_prefix('|') {
        Some(rest) => rest.split_once('|')?.1.trim_start(),
        None => text,
    };
    let name: String = body.bytes().take_while(|&c| is_ident(c)).map(char::from).collect();
    (!name.is_empty()).then_some(name)
}

/// `(type, module, function)` for every create and refresh function the
/// service files' `Kind` records name (`kind("AWS::…", create, …)`, with
/// `refresh: …` earlier in the same record). inert.rs is read by [`inert_arms`].
fn dispatch(dir: &Path) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("handlers dir") {
        let path = entry.expect("entry").path();
        let module = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        if module == "inert" || module == "mod" || module == "kind" {
            continue;
        }
        let src = std::fs::read_to_string(&path).expect("handler source");
        let mut refresh: Vec<String> = Vec::new();
        let mut i = 0;
        while i < src.len() {
            let rest = &src[i..];
            // `kind(` then the type's literal, maybe on the next line (rustfmt).
            let k = rest.match_indices("kind(").map(|(k, _)| k).find(|k| rest[k + 5..].trim_start().starts_with('"'));
            let r = rest.find("refresh: ");
            match (r, k) {
                (Some(r), Some(k)) if r < k => {
                    refresh.extend(called(&rest[r + "refresh: ".len()..]));
                    i += r + 1;
                }
                (_, Some(k)) => {
                    let after = rest[k + 5..].trim_start().trim_start_matches('"');
                    let Some((ty, tail)) = after.split_once('"') else { break };
                    let tail = tail.trim_start().strip_prefix(',').unwrap_or(tail);
                    for f in called(tail).into_iter().chain(refresh.drain(..)) {
                        out.push((ty.to_string(), module.clone(), f));
                    }
                    i += k + 1;
                }
                _ => break,
            }
        }
    }
    out
}

/// For inert.rs: `(types, reads)` for each `"AWS::…" => { … }` arm of `plan`.
fn inert_arms(body: &str) -> Vec<(Vec<String>, BTreeSet<String>)> {
    let mut arms: Vec<(usize, Vec<String>)> = Vec::new();
    for (at, _) in body.match_indices("\" => ") {
        let line_start = body[..at].rfind('\n').map_or(0, |n| n + 1);
        let head = body[line_start..at + 1].trim();
        let types: Vec<String> = head.split('|').map(|t| t.trim().trim_matches('"').to_string()).collect();
        if types.iter().all(|t| t.contains("::")) {
            arms.push((at, types));
        }
    }
    let ends: Vec<usize> = arms.iter().skip(1).map(|(at, _)| *at).chain([body.len()]).collect();
    arms.into_iter()
        .zip(ends)
        .map(|((at, types), end)| {
            let text = &body[at..end];
            let mut r = reads(text);
            // `name_or(p, "RoleName", 64)` reads the name property or generates one.
            for (n, _) in text.match_indices("name_or(p, \"") {
                r.insert(text[n + "name_or(p, \"".len()..].split('"').next().unwrap_or_default().to_string());
            }
            (types, r)
        })
        .collect()
}

#[test]
fn handlers_read_only_properties_their_types_have() {
    let dir = handlers_dir();
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("handlers dir") {
        let path = entry.expect("entry").path();
        let module = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let src = std::fs::read_to_string(&path).expect("handler source");
        files.insert(module, functions(&src));
    }
    let arms = dispatch(&dir);
    assert!(
        arms.len() >= 30,
        "found only {} create and refresh functions in the handlers' Kind records: has their shape changed?",
        arms.len()
    );

    let mut checked = Vec::new(); // (type, function, names)
    for (ty, module, func) in &arms {
        let names = handler_reads(&files, module, func);
        assert!(!names.is_empty(), "{module}::{func} ({ty}) reads no property: has its signature changed?");
        checked.push((ty.clone(), format!("{module}::{func}"), names));
    }
    let inert = files["inert"].iter().find(|f| f.name == "plan").expect("inert::plan");
    for (types, names) in inert_arms(&inert.body) {
        for ty in types {
            checked.push((ty, "inert::plan".into(), names.clone()));
        }
    }

    let mut errs = Vec::new();
    let mut count = 0;
    let mut used = BTreeSet::new();
    for (ty, func, names) in &checked {
        let Some(spec) = cfn::spec::resource_spec(ty) else {
            errs.push(format!("{ty} ({func}): no table in cfn::spec"));
            continue;
        };
        for name in names {
            count += 1;
            if std::env::var_os("PROPERTY_NAMES_LIST").is_some() {
                eprintln!("{func} {ty} {name}");
            }
            if let Some(d) = DELIBERATE.iter().find(|(t, n, _)| t == ty && n == name) {
                used.insert(d.0.to_string() + "." + d.1);
                continue;
            }
            if spec.property(name).is_none() {
                errs.push(format!("{func} reads {name:?}, which {ty} does not have"));
            }
        }
    }
    for (t, n, _) in DELIBERATE {
        // An entry no longer needed should go, so the list stays true.
        assert!(used.contains(&format!("{t}.{n}")), "DELIBERATE lists {t} {n}, which no handler reads any more");
    }
    assert!(count >= 150, "checked only {count} reads: is the scan still finding them?");
    assert!(errs.is_empty(), "handlers read properties their types lack:\n{}", errs.join("\n"));
}

/// Reads on child properties (`d.u32("MaximumPercent")`, in the handler or
/// any function it calls) name a property that exists somewhere in the type's
/// structures. Weaker than a check per structure (which would need the
/// bindings followed), but it still catches a misspelling.
#[test]
fn nested_reads_name_properties_of_their_types() {
    let dir = handlers_dir();
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("handlers dir") {
        let path = entry.expect("entry").path();
        let module = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        files.insert(module, functions(&std::fs::read_to_string(&path).expect("handler source")));
    }
    let arms = dispatch(&dir);
    let (mut errs, mut count) = (Vec::new(), 0);
    for (ty, module, func) in &arms {
        let spec = cfn::spec::resource_spec(ty).expect("a table for every handled type");
        let mut names = BTreeSet::new();
        spec.properties.iter().for_each(|p| all_names(&p.ty, &mut names));
        for f in reachable(&files, module, func) {
            // `p` is the planner, `props` the top level (checked above).
            for name in reads_on(&f.body, |r| r != "props" && r != "p" && r != "self") {
                count += 1;
                if !names.contains(name.as_str()) {
                    errs.push(format!("{module}::{func} (via {}) reads {name:?}, in no structure of {ty}", f.name));
                }
            }
        }
    }
    assert!(count >= 50, "checked only {count} nested reads: is the scan still finding them?");
    assert!(errs.is_empty(), "handlers read child properties their types lack:\n{}", errs.join("\n"));
}
