//! A table as data: rendered whole for a first load ([`Table::render`]), or
//! diffed against the table the kernel holds ([`Table::diff`]) so a change
//! touches only its own elements, chains and counters, and traffic through
//! the rest never sees a flushed table.

use super::{replace, TABLE};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// An nftables table: its named counters, sets and maps, and chains.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Named counters (declared with zero counts).
    pub counters: BTreeSet<String>,
    /// Named sets and maps, by name (they share one namespace in nftables).
    pub sets: BTreeMap<String, Set>,
    /// Chains, by name.
    pub chains: BTreeMap<String, Chain>,
}

/// A named set, or a map when its declaration has a key and a value type.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Set {
    /// The declaration before the elements: `type ipv4_addr;`, `type ifname : verdict;`.
    pub decl: String,
    /// Key → value for a map (`"veth1"` → `jump out_veth1`), key → None for a set, as nft literals.
    pub elements: BTreeMap<String, Option<String>>,
}

/// A chain: a base chain's hook, then its rules in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chain {
    /// The hook line of a base chain (`type filter hook forward priority filter; policy drop;`).
    pub hook: Option<String>,
    /// Rules, as nft text without indentation or newline.
    pub rules: Vec<String>,
}

impl Set {
    /// Whether it is a map (its declaration reads `type K : V;`).
    pub fn is_map(&self) -> bool {
        self.decl.contains(" : ")
    }

    /// What turns its elements into `new`'s: the keys to delete (gone, or
    /// mapped to another value), then the elements to add (new, or remapped).
    pub fn changes<'a>(&'a self, new: &'a Set) -> (Vec<&'a str>, Vec<(&'a str, Option<&'a str>)>) {
        let delete =
            self.elements.iter().filter(|(k, v)| new.elements.get(*k) != Some(*v)).map(|(k, _)| k.as_str()).collect();
        let add = new
            .elements
            .iter()
            .filter(|(k, v)| self.elements.get(*k) != Some(*v))
            .map(|(k, v)| (k.as_str(), v.as_deref()))
            .collect();
        (delete, add)
    }

    /// The keyword declaring it.
    fn keyword(&self) -> &'static str {
        if self.is_map() {
            "map"
        } else {
            "set"
        }
    }
}

/// One element as nft writes it: `k`, or `k : v` in a map.
fn element(key: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("{key} : {v}"),
        None => key.to_string(),
    }
}

impl Table {
    /// The `nft -f` text that replaces the table with this one whole, atomically.
    pub fn render(&self) -> String {
        let mut body = String::new();
        for c in &self.counters {
            let _ = writeln!(body, "  counter {c} {{ packets 0 bytes 0 }}");
        }
        for (name, s) in &self.sets {
            let _ = writeln!(body, "  {} {name} {{\n    {}", s.keyword(), s.decl);
            if !s.elements.is_empty() {
                let list: Vec<String> = s.elements.iter().map(|(k, v)| element(k, v.as_deref())).collect();
                let _ = writeln!(body, "    elements = {{ {} }}", list.join(", "));
            }
            body.push_str("  }\n");
        }
        for (name, c) in &self.chains {
            let _ = writeln!(body, "  chain {name} {{");
            for line in c.hook.iter().chain(&c.rules) {
                let _ = writeln!(body, "    {line}");
            }
            body.push_str("  }\n");
        }
        replace(&body)
    }

    /// The `nft -f` script (one transaction) that turns `old`, applied, into
    /// `new`, touching only what changed: empty when they are equal, None when
    /// a set or chain of the same name changed its declaration or hook (the
    /// caller then replaces the table whole).
    ///
    /// The kernel refuses to delete what a rule or a map element still
    /// references, and to add a rule or element referencing what does not
    /// exist yet, so: what is new is declared first, empty; elements that go
    /// (they may jump to chains that go) are deleted; changed and gone chains
    /// are flushed and changed and new ones refilled; new elements are added
    /// (their chains exist by then); last, what is gone is deleted, chains
    /// before the sets and counters their rules referenced.
    pub fn diff(old: &Table, new: &Table) -> Option<String> {
        let redeclared = new.sets.iter().any(|(n, s)| old.sets.get(n).is_some_and(|o| o.decl != s.decl))
            || new.chains.iter().any(|(n, c)| old.chains.get(n).is_some_and(|o| o.hook != c.hook));
        if redeclared {
            return None;
        }
        let mut out = String::new();
        for c in new.counters.difference(&old.counters) {
            let _ = writeln!(out, "add counter {TABLE} {c}");
        }
        for (name, s) in new.sets.iter().filter(|(n, _)| !old.sets.contains_key(*n)) {
            let _ = writeln!(out, "add {} {TABLE} {name} {{ {} }}", s.keyword(), s.decl);
        }
        for (name, c) in new.chains.iter().filter(|(n, _)| !old.chains.contains_key(*n)) {
            let _ = match &c.hook {
                Some(hook) => writeln!(out, "add chain {TABLE} {name} {{ {hook} }}"),
                None => writeln!(out, "add chain {TABLE} {name}"),
            };
        }
        for (name, o) in &old.sets {
            let gone: Vec<&str> = match new.sets.get(name) {
                Some(n) => o.changes(n).0,
                // A map that goes may still jump to chains that go: emptied before they are deleted.
                None if o.is_map() => o.elements.keys().map(String::as_str).collect(),
                None => Vec::new(),
            };
            if !gone.is_empty() {
                let _ = writeln!(out, "delete element {TABLE} {name} {{ {} }}", gone.join(", "));
            }
        }
        let flushed = old.chains.iter().filter(|(n, o)| new.chains.get(*n).is_none_or(|c| c.rules != o.rules));
        for (name, _) in flushed {
            let _ = writeln!(out, "flush chain {TABLE} {name}");
        }
        let refilled = new.chains.iter().filter(|(n, c)| old.chains.get(*n).is_none_or(|o| o.rules != c.rules));
        for (name, c) in refilled {
            for r in &c.rules {
                let _ = writeln!(out, "add rule {TABLE} {name} {r}");
            }
        }
        let empty = Set::default();
        for (name, n) in &new.sets {
            let added: Vec<String> =
                old.sets.get(name).unwrap_or(&empty).changes(n).1.into_iter().map(|(k, v)| element(k, v)).collect();
            if !added.is_empty() {
                let _ = writeln!(out, "add element {TABLE} {name} {{ {} }}", added.join(", "));
            }
        }
        for name in old.chains.keys().filter(|n| !new.chains.contains_key(*n)) {
            let _ = writeln!(out, "delete chain {TABLE} {name}");
        }
        for (name, s) in old.sets.iter().filter(|(n, _)| !new.sets.contains_key(*n)) {
            let _ = writeln!(out, "delete {} {TABLE} {name}", s.keyword());
        }
        for c in old.counters.difference(&new.counters) {
            let _ = writeln!(out, "delete counter {TABLE} {c}");
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chain(hook: Option<&str>, rules: &[&str]) -> Chain {
        Chain { hook: hook.map(str::to_string), rules: rules.iter().map(|r| r.to_string()).collect() }
    }

    fn set(decl: &str, elements: &[(&str, Option<&str>)]) -> Set {
        let elements = elements.iter().map(|(k, v)| (k.to_string(), v.map(str::to_string))).collect();
        Set { decl: decl.to_string(), elements }
    }

    const FORWARD: &str = "type filter hook forward priority filter; policy drop;";

    /// A router's table in small: a counted rule, a group's set, one ENI's chain behind a verdict map.
    fn small() -> Table {
        Table {
            counters: BTreeSet::from(["c_sgr_1".to_string()]),
            sets: BTreeMap::from([
                ("g_a".to_string(), set("type ipv4_addr;", &[("10.0.0.5", None)])),
                ("in_if".to_string(), set("type ifname : verdict;", &[])),
                ("out_if".to_string(), set("type ifname : verdict;", &[("\"e1\"", Some("jump out_e1"))])),
            ]),
            chains: BTreeMap::from([
                ("forward".to_string(), chain(Some(FORWARD), &["iifname vmap @out_if", "oifname vmap @in_if"])),
                (
                    "out_e1".to_string(),
                    chain(
                        None,
                        &["ip saddr != 10.0.0.5 drop", "ip daddr @g_a counter name \"c_sgr_1\" accept", "drop"],
                    ),
                ),
            ]),
        }
    }

    #[test]
    fn a_table_renders_as_one_replace_text() {
        let expected = "table ip tn {}
delete table ip tn
table ip tn {
  counter c_sgr_1 { packets 0 bytes 0 }
  set g_a {
    type ipv4_addr;
    elements = { 10.0.0.5 }
  }
  map in_if {
    type ifname : verdict;
  }
  map out_if {
    type ifname : verdict;
    elements = { \"e1\" : jump out_e1 }
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
    iifname vmap @out_if
    oifname vmap @in_if
  }
  chain out_e1 {
    ip saddr != 10.0.0.5 drop
    ip daddr @g_a counter name \"c_sgr_1\" accept
    drop
  }
}
";
        assert_eq!(small().render(), expected);
    }

    #[test]
    fn equal_tables_differ_by_nothing() {
        assert_eq!(Table::diff(&small(), &small()).as_deref(), Some(""));
        assert_eq!(Table::diff(&Table::default(), &Table::default()).as_deref(), Some(""));
    }

    #[test]
    fn a_chain_that_goes_loses_its_map_elements_then_its_rules_then_itself() {
        let mut new = small();
        new.chains.remove("out_e1");
        new.sets.remove("g_a");
        new.counters.clear();
        if let Some(s) = new.sets.get_mut("out_if") {
            s.elements.clear();
        }
        let script = Table::diff(&small(), &new);
        assert_eq!(
            script.as_deref(),
            Some(
                "delete element ip tn out_if { \"e1\" }\nflush chain ip tn out_e1\ndelete chain ip tn out_e1\n\
                 delete set ip tn g_a\ndelete counter ip tn c_sgr_1\n"
            )
        );
        // And back: declared empty, filled, then referenced.
        assert_eq!(
            Table::diff(&new, &small()).as_deref(),
            Some(
                "add counter ip tn c_sgr_1\nadd set ip tn g_a { type ipv4_addr; }\nadd chain ip tn out_e1\n\
                 add rule ip tn out_e1 ip saddr != 10.0.0.5 drop\n\
                 add rule ip tn out_e1 ip daddr @g_a counter name \"c_sgr_1\" accept\nadd rule ip tn out_e1 drop\n\
                 add element ip tn g_a { 10.0.0.5 }\nadd element ip tn out_if { \"e1\" : jump out_e1 }\n"
            )
        );
    }

    #[test]
    fn a_changed_declaration_or_hook_is_no_diff() {
        let mut new = small();
        if let Some(s) = new.sets.get_mut("g_a") {
            s.decl = "type ipv4_addr; flags interval;".into();
        }
        assert_eq!(Table::diff(&small(), &new), None);
        for hook in [Some("type filter hook input priority filter; policy drop;"), None] {
            let mut new = small();
            if let Some(c) = new.chains.get_mut("forward") {
                c.hook = hook.map(str::to_string);
            }
            assert_eq!(Table::diff(&small(), &new), None, "{hook:?}");
        }
    }

    /// What a rule or a map element's value names.
    #[derive(Debug, PartialEq, Eq)]
    enum Ref {
        Chain(String),
        Set(String),
        Counter(String),
    }

    /// The chains (`jump X`, `goto X`), sets (`@X`) and counters (`counter name "X"`) `text` names.
    fn refs(text: &str) -> Vec<Ref> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let next = words.get(i + 1).copied();
            match (*w, next) {
                ("jump" | "goto", Some(c)) => out.push(Ref::Chain(c.to_string())),
                ("counter", Some("name")) => {
                    out.extend(words.get(i + 2).map(|c| Ref::Counter(c.trim_matches('"').to_string())));
                }
                _ => out.extend(w.strip_prefix('@').map(|s| Ref::Set(s.to_string()))),
            }
        }
        out
    }

    fn exists(t: &Table, r: &Ref) -> bool {
        match r {
            Ref::Chain(c) => t.chains.contains_key(c),
            Ref::Set(s) => t.sets.contains_key(s),
            Ref::Counter(c) => t.counters.contains(c),
        }
    }

    /// Whether a rule or a map element of `t` names `r`.
    fn referenced(t: &Table, r: &Ref) -> bool {
        let rules = t.chains.values().flat_map(|c| &c.rules);
        let values = t.sets.values().flat_map(|s| s.elements.values().flatten());
        rules.chain(values).any(|text| refs(text).contains(r))
    }

    /// Checks that everything `text` names exists in `t`, as the kernel does for a new rule or element.
    fn resolves(t: &Table, text: &str) -> Result<(), String> {
        match refs(text).into_iter().find(|r| !exists(t, r)) {
            Some(r) => Err(format!("{r:?} does not exist")),
            None => Ok(()),
        }
    }

    /// Checks that nothing in `t` names `r` any more, as the kernel does before deleting it.
    fn unreferenced(t: &Table, r: Ref) -> Result<(), String> {
        if referenced(t, &r) {
            return Err(format!("{r:?} is still referenced"));
        }
        Ok(())
    }

    /// One command of a diff's script run on `t` as the kernel would, or why the kernel would refuse it.
    fn apply(t: &mut Table, line: &str) -> Result<(), String> {
        let mut words = line.splitn(5, ' ');
        let (verb, kind) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
        if (words.next(), words.next()) != (Some("ip"), Some("tn")) {
            return Err("not table ip tn".into());
        }
        let rest = words.next().unwrap_or("");
        let (name, arg) = rest.split_once(' ').unwrap_or((rest, ""));
        let braced = || arg.strip_prefix("{ ").and_then(|a| a.strip_suffix(" }")).ok_or("no braces".to_string());
        let key = name.to_string();
        match (verb, kind) {
            ("add", "counter") if arg.is_empty() => {
                if !t.counters.insert(key) {
                    return Err("exists".into());
                }
            }
            ("add", "set" | "map") => {
                let decl = braced()?.to_string();
                if t.sets.contains_key(name) || (kind == "map") != decl.contains(" : ") {
                    return Err("exists, or the wrong keyword".into());
                }
                t.sets.insert(key, Set { decl, elements: BTreeMap::new() });
            }
            ("add", "chain") => {
                let hook = if arg.is_empty() { None } else { Some(braced()?.to_string()) };
                if t.chains.insert(key, Chain { hook, rules: Vec::new() }).is_some() {
                    return Err("exists".into());
                }
            }
            ("add", "rule") => {
                resolves(t, arg)?;
                t.chains.get_mut(name).ok_or("no such chain")?.rules.push(arg.to_string());
            }
            ("flush", "chain") if arg.is_empty() => t.chains.get_mut(name).ok_or("no such chain")?.rules.clear(),
            ("add", "element") => {
                for e in braced()?.split(", ") {
                    let (k, v) = e.split_once(" : ").map_or((e, None), |(k, v)| (k, Some(v.to_string())));
                    resolves(t, v.as_deref().unwrap_or(""))?;
                    let s = t.sets.get_mut(name).ok_or("no such set")?;
                    if s.is_map() != v.is_some() || s.elements.insert(k.to_string(), v).is_some() {
                        return Err(format!("{e}: exists, or the wrong kind"));
                    }
                }
            }
            ("delete", "element") => {
                let s = t.sets.get_mut(name).ok_or("no such set")?;
                for k in braced()?.split(", ") {
                    s.elements.remove(k).ok_or(format!("no element {k}"))?;
                }
            }
            ("delete", "chain") if arg.is_empty() => {
                unreferenced(t, Ref::Chain(key))?;
                if !t.chains.remove(name).ok_or("no such chain")?.rules.is_empty() {
                    return Err("not flushed".into());
                }
            }
            ("delete", "set" | "map") if arg.is_empty() => {
                unreferenced(t, Ref::Set(key))?;
                if t.sets.remove(name).ok_or("no such set")?.is_map() != (kind == "map") {
                    return Err("the wrong keyword".into());
                }
            }
            ("delete", "counter") if arg.is_empty() => {
                unreferenced(t, Ref::Counter(key))?;
                if !t.counters.remove(name) {
                    return Err("no such counter".into());
                }
            }
            _ => return Err("not a command a diff writes".into()),
        }
        Ok(())
    }

    /// Whether `line` is about something `old` and `new` hold differently.
    fn touches_a_change(old: &Table, new: &Table, line: &str) -> bool {
        let words: Vec<&str> = line.split(' ').collect();
        let (Some(kind), Some(name)) = (words.get(1), words.get(4)) else { return false };
        let name = name.to_string();
        match *kind {
            "counter" => old.counters.contains(&name) != new.counters.contains(&name),
            "set" | "map" | "element" => old.sets.get(&name) != new.sets.get(&name),
            _ => old.chains.get(&name) != new.chains.get(&name),
        }
    }

    const HOOKS: [&str; 2] = [FORWARD, "type filter hook input priority filter; policy accept;"];

    /// A table's random makings: its counters; for sets s0, s1 and maps m0, m1, their elements
    /// (key → value choice) if present; for chains c0…c3 and base chain b0, their rules
    /// (template, target) if present; whether b0's hook and s0's declaration are the rare ones.
    type Makings = (BTreeSet<usize>, Vec<Option<BTreeMap<usize, usize>>>, Vec<Option<Vec<(usize, usize)>>>, bool, bool);

    /// A table that holds together: what it names exists, its jumps only go to later chains (no loops).
    fn build((counters, sets, chains, rare_hook, rare_decl): Makings) -> Table {
        let mut t = Table { counters: counters.iter().map(|i| format!("k{i}")).collect(), ..Table::default() };
        let names: Vec<String> = (0..4).map(|i| format!("c{i}")).chain(["b0".to_string()]).collect();
        for (name, rules) in names.iter().zip(&chains) {
            if rules.is_some() {
                let hook = (name == "b0").then(|| HOOKS[usize::from(rare_hook)].to_string());
                t.chains.insert(name.clone(), Chain { hook, rules: Vec::new() });
            }
        }
        for (i, elements) in sets.iter().enumerate() {
            let Some(elements) = elements else { continue };
            let (name, decl) = match i {
                0 if rare_decl => ("s0".to_string(), "type ipv4_addr; flags interval;"),
                0 | 1 => (format!("s{i}"), "type ipv4_addr;"),
                _ => (format!("m{}", i - 2), "type ifname : verdict;"),
            };
            let mut s = Set { decl: decl.to_string(), elements: BTreeMap::new() };
            for (&k, &v) in elements {
                if !s.is_map() {
                    s.elements.insert(format!("10.0.0.{k}"), None);
                    continue;
                }
                let value = match v {
                    0 => "accept".to_string(),
                    1 => "drop".to_string(),
                    2..=5 => format!("jump c{}", v - 2),
                    _ => format!("goto c{}", v % 4),
                };
                if resolves(&t, &value).is_ok() {
                    s.elements.insert(format!("\"v{k}\""), Some(value));
                }
            }
            t.sets.insert(name, s);
        }
        for (name, made) in names.iter().zip(&chains) {
            let Some(made) = made else { continue };
            let mut rules = Vec::new();
            for &(template, n) in made {
                let text = match template {
                    0 => "accept".to_string(),
                    1 => format!("jump c{n}"),
                    2 => format!("goto c{n}"),
                    3 => format!("ip saddr @s{} accept", n % 2),
                    4 => format!("iifname vmap @m{}", n % 2),
                    _ => format!("counter name \"k{}\" accept", n % 3),
                };
                let forward = refs(&text).iter().all(|r| !matches!(r, Ref::Chain(c) if name != "b0" && c <= name));
                if forward && resolves(&t, &text).is_ok() {
                    rules.push(text);
                }
            }
            if let Some(c) = t.chains.get_mut(name) {
                c.rules = rules;
            }
        }
        t
    }

    fn table() -> impl Strategy<Value = Table> {
        let sets = prop::collection::vec(prop::option::of(prop::collection::btree_map(0..5usize, 0..10usize, 0..4)), 4);
        let chains = prop::collection::vec(prop::option::of(prop::collection::vec((0..6usize, 0..4usize), 0..4)), 5);
        let counters = prop::collection::btree_set(0..3usize, 0..=3);
        (counters, sets, chains, prop::bool::weighted(0.1), prop::bool::weighted(0.1)).prop_map(build)
    }

    proptest! {
        #[test]
        fn a_diff_run_on_the_old_table_makes_the_new_one_touching_only_what_changed(old in table(), new in table()) {
            let redeclared = new.sets.iter().any(|(n, s)| old.sets.get(n).is_some_and(|o| o.decl != s.decl))
                || new.chains.iter().any(|(n, c)| old.chains.get(n).is_some_and(|o| o.hook != c.hook));
            let Some(script) = Table::diff(&old, &new) else {
                prop_assert!(redeclared, "no diff, yet the declarations are the same");
                return Ok(());
            };
            prop_assert!(!redeclared);
            prop_assert_eq!(script.is_empty(), old == new);
            let mut t = old.clone();
            for line in script.lines() {
                apply(&mut t, line).map_err(|e| TestCaseError::fail(format!("{line}: {e}\n{script}")))?;
                prop_assert!(touches_a_change(&old, &new, line), "{} touches nothing that changed", line);
            }
            prop_assert_eq!(t, new);
        }
    }
}
