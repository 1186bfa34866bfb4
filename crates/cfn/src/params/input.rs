//! The parameter values a user gives: `--parameter-overrides` words (the
//! aws CLI's `cloudformation deploy` rules), a `--parameters` JSON file
//! (the `create-stack` form) and a `dev.cfg` file used as
//! `--parameter-overrides $(cat dev.cfg)`.
//!
//! These are input errors (exit code 2), not findings about the template,
//! so they are a [`ParamInputError`] rather than diagnostics.

use super::pyfmt::{repr_json, repr_str_list, str_json, type_json};
use crate::node::{Node, Pos, Value};
use serde_json::Value as J;

/// The aws CLI's own text when the first `--parameter-overrides` word is
/// JSON of none of the accepted shapes. Seen: aws-cli
/// `awscli/customizations/cloudformation/deploy.py` (its unbalanced
/// `["Parameters": …]` is the CLI's typo, kept).
pub const BAD_OVERRIDE_JSON: &str = "JSON passed to --parameter-overrides must be one of the formats: \
[\"Key1=Value1\",\"Key2=Value2\", ...] , \
[{\"ParameterKey\": \"Key1\", \"ParameterValue\": \"Value1\"}, ...] , \
[\"Parameters\": {\"Key1\": \"Value1\", \"Key2\": \"Value2\", ...}]";

/// The members of CloudFormation's `Parameter` structure, in the API
/// model's order (botocore lists them in this order in its messages).
const PARAMETER_MEMBERS: &[&str] = &["ParameterKey", "ParameterValue", "UsePreviousValue", "ResolvedValue"];

/// Why the values given could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamInputError {
    /// A `--parameter-overrides` word without `=`. Seen: aws-cli
    /// `InvalidKeyValuePairArgumentError`, whose `{value}` is the Python
    /// list the word split into, hence `['Word']`.
    #[error("{} value passed to --parameter-overrides must be of format Key=Value", repr_str_list(&[.word.as_str()]))]
    BadOverride {
        /// The word as given.
        word: String,
        /// Where it is, when it came from a file.
        pos: Option<Pos>,
    },
    /// A `--parameter-overrides` word with nothing before its `=`. tasknet's
    /// own: the aws CLI passes the empty key on and CloudFormation refuses
    /// the stack later, far from the word that caused it.
    #[error(
        "'{word}' passed to --parameter-overrides has no key before the '=': each override must be of format Key=Value"
    )]
    EmptyOverrideKey {
        /// The word as given.
        word: String,
        /// Where it is, when it came from a file.
        pos: Option<Pos>,
    },
    /// The first `--parameter-overrides` word is JSON of an unknown shape.
    #[error("{BAD_OVERRIDE_JSON}")]
    BadOverrideJson,
    /// The parameters file is not JSON.
    #[error("the parameters file is not valid JSON: {message}")]
    Json {
        /// serde_json's words, with line and column.
        message: String,
        /// Where parsing stopped.
        pos: Pos,
    },
    /// The parameters file is JSON of the wrong shape. The message is
    /// botocore's parameter validation report (one line per problem).
    #[error("Parameter validation failed:\n{message}")]
    Shape {
        /// One line per problem, botocore's wording.
        message: String,
        /// Where the first problem is.
        pos: Option<Pos>,
    },
    /// `UsePreviousValue: true` in the parameters file: tasknet validates a
    /// template as a new stack, which has no previous values.
    #[error("Parameters[{index}] ({key}): UsePreviousValue is true, but there is no previous stack here to take a value from")]
    UsePreviousValue {
        /// The entry's index in the file.
        index: usize,
        /// Its `ParameterKey`.
        key: String,
        /// Where the entry is.
        pos: Option<Pos>,
    },
}

impl ParamInputError {
    /// Where in the input the problem is, when known.
    pub fn pos(&self) -> Option<Pos> {
        match self {
            ParamInputError::BadOverride { pos, .. }
            | ParamInputError::EmptyOverrideKey { pos, .. }
            | ParamInputError::Shape { pos, .. }
            | ParamInputError::UsePreviousValue { pos, .. } => *pos,
            ParamInputError::Json { pos, .. } => Some(*pos),
            ParamInputError::BadOverrideJson => None,
        }
    }

    /// One line that says how to fix it.
    pub fn hint(&self) -> &'static str {
        match self {
            ParamInputError::BadOverride { .. } => "write each override as Key=Value (quote values that contain spaces)",
            ParamInputError::EmptyOverrideKey { .. } => "put the parameter's name before the '=' (Key=Value)",
            ParamInputError::BadOverrideJson => {
                "give Key=Value words, or one JSON word in one of the three forms shown"
            }
            ParamInputError::Json { .. } => "fix the JSON syntax at the position shown",
            ParamInputError::Shape { .. } => {
                "the file must be a list of {\"ParameterKey\": \"Name\", \"ParameterValue\": \"text\"} objects with string values"
            }
            ParamInputError::UsePreviousValue { .. } => "give a ParameterValue instead of UsePreviousValue",
        }
    }
}

/// A dict that keeps the first position of a key and its last value, the
/// way a Python dict built by assignment does.
#[derive(Default)]
struct PyDict(Vec<(String, String)>);

impl PyDict {
    fn set(&mut self, k: String, v: String) {
        match self.0.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v,
            None => self.0.push((k, v)),
        }
    }
}

/// Parses `--parameter-overrides` words exactly as `aws cloudformation
/// deploy` does (aws-cli `deploy.py`, `parse_parameter_overrides`):
///
/// - if the first word is JSON (v2, and v1 since 1.27), it alone is used,
///   as `["K=V", …]`, `[{"ParameterKey": …, "ParameterValue": …}]` or
///   `{"Parameters": {"K": "V"}}`, values turned to text by Python's
///   `str()`; the other words are ignored, as the CLI ignores them;
/// - otherwise every word is `Key=Value`, split at the first `=`.
///
/// A key given twice keeps its first place and its last value.
pub fn parse_overrides(words: &[String]) -> Result<Vec<(String, String)>, ParamInputError> {
    parse_words(words.iter().map(|w| (w.as_str(), None)))
}

fn parse_words<'a>(
    mut words: impl Iterator<Item = (&'a str, Option<Pos>)> + Clone,
) -> Result<Vec<(String, String)>, ParamInputError> {
    let mut dict = PyDict::default();
    let Some((first, _)) = words.clone().next() else { return Ok(dict.0) };
    // `_parse_input_as_json`: a JSON decode error means "not JSON"; a JSON
    // `null` also falls through to the Key=Value path.
    match serde_json::from_str::<J>(first) {
        Ok(J::Null) | Err(_) => {}
        Ok(data) => return parse_override_json(&data),
    }
    for (word, pos) in words.by_ref() {
        match word.split_once('=') {
            Some(("", _)) => return Err(ParamInputError::EmptyOverrideKey { word: word.to_string(), pos }),
            Some((k, v)) => dict.set(k.to_string(), v.to_string()),
            None => return Err(ParamInputError::BadOverride { word: word.to_string(), pos }),
        }
    }
    Ok(dict.0)
}

/// The three JSON parsers of `deploy.py`, tried in its order. Where the
/// CLI would crash on a shape (a number, a list of numbers), this is the
/// CLI's own "must be one of the formats" error instead.
fn parse_override_json(data: &J) -> Result<Vec<(String, String)>, ParamInputError> {
    let mut dict = PyDict::default();
    // CloudFormationLikeParameterOverrideParser: a list of objects with
    // exactly ParameterKey and ParameterValue (an empty list qualifies).
    if let J::Array(items) = data {
        let cfn_like = items.iter().all(|i| {
            i.as_object()
                .is_some_and(|o| o.contains_key("ParameterKey") && o.contains_key("ParameterValue") && o.len() <= 2)
        });
        if cfn_like {
            for i in items {
                if let (Some(k), Some(v)) = (i.get("ParameterKey"), i.get("ParameterValue")) {
                    dict.set(str_json(k), str_json(v));
                }
            }
            return Ok(dict.0);
        }
    }
    // CodePipelineLikeParameterOverrideParser: {"Parameters": {…}}.
    if let J::Object(o) = data {
        if let Some(params) = o.get("Parameters") {
            let J::Object(params) = params else { return Err(ParamInputError::BadOverrideJson) };
            for (k, v) in params {
                dict.set(k.clone(), str_json(v));
            }
            return Ok(dict.0);
        }
    }
    // StringEqualsParameterOverrideParser: every item a "K=V" string. Python
    // iterates a dict's keys and a string's characters, so those count too.
    let items: Vec<Option<&str>> = match data {
        J::Array(a) => a.iter().map(J::as_str).collect(),
        J::Object(o) => o.keys().map(|k| Some(k.as_str())).collect(),
        J::String(s) => s.char_indices().map(|(i, c)| s.get(i..i + c.len_utf8())).collect(),
        _ => return Err(ParamInputError::BadOverrideJson),
    };
    for item in items {
        let Some((k, v)) = item.and_then(|s| s.split_once('=')) else {
            return Err(ParamInputError::BadOverrideJson);
        };
        dict.set(k.to_string(), v.to_string());
    }
    Ok(dict.0)
}

/// Reads a `dev.cfg` used as `--parameter-overrides $(cat dev.cfg)`: an
/// unquoted command substitution is split on spaces, tabs and newlines,
/// and quotes in the file stay in the words (the shell removes only quotes
/// it saw itself), so `Name="my app"` is two words and the second is an
/// error, exactly as with the real CLI. `#` starts no comment either.
/// The shell would also expand `*`, `?` and `[…]` against file names;
/// tasknet doesn't.
pub fn parse_cfg_file(text: &str) -> Result<Vec<(String, String)>, ParamInputError> {
    let words = shell_words(text);
    parse_words(words.iter().map(|(w, p)| (w.as_str(), Some(*p))))
}

/// The words of `$(cat file)` with the position each starts at. A
/// trailing newline is dropped by the substitution; others separate words.
fn shell_words(text: &str) -> Vec<(String, Pos)> {
    let mut words = Vec::new();
    let (mut line, mut col) = (1u32, 1u32);
    let mut cur: Option<(String, Pos)> = None;
    for c in text.chars() {
        // Default IFS: space, tab, newline.
        if matches!(c, ' ' | '\t' | '\n') {
            if let Some(w) = cur.take() {
                words.push(w);
            }
        } else {
            cur.get_or_insert_with(|| (String::new(), Pos::new(line, col))).0.push(c);
        }
        if c == '\n' {
            line = line.saturating_add(1);
            col = 1;
        } else {
            col = col.saturating_add(1);
        }
    }
    words.extend(cur);
    words
}

/// Reads a `--parameters` file in the `create-stack` form:
/// `[{"ParameterKey": "Name", "ParameterValue": "text"}, …]`. Shape errors
/// use botocore's parameter validation texts (seen: botocore
/// `validate.py`) with the line and column of the first one.
pub fn parse_parameters_file(text: &str) -> Result<Vec<(String, String)>, ParamInputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json: J = serde_json::from_str(text).map_err(|e| ParamInputError::Json {
        message: e.to_string(),
        pos: Pos::new(u32::try_from(e.line()).unwrap_or(u32::MAX), u32::try_from(e.column()).unwrap_or(u32::MAX)),
    })?;
    // The loader keeps positions; JSON is YAML, so it reads the same file.
    // Should it refuse (a duplicate key, which JSON allows), fall back to
    // the plain JSON without positions.
    let (root, have_pos) = match crate::load::load_str(text) {
        Ok(n) if n.to_json() == json => (n, true),
        _ => (Node::from_json(&json, Pos::new(1, 1)), false),
    };
    let pos = |p: Pos| have_pos.then_some(p);
    let mut problems: Vec<(String, Pos)> = Vec::new();
    let Some(items) = root.as_list() else {
        return Err(ParamInputError::Shape {
            message: format!(
                "Invalid type for parameter Parameters, value: {}, type: {}, valid types: <class 'list'>, <class 'tuple'>",
                repr_json(&json),
                type_json(&json)
            ),
            pos: pos(root.pos),
        });
    };
    let mut dict = PyDict::default();
    for (index, item) in items.iter().enumerate() {
        let name = format!("Parameters[{index}]");
        let Some(map) = item.as_map() else {
            let j = item.to_json();
            problems.push((
                format!(
                    "Invalid type for parameter {name}, value: {}, type: {}, valid types: <class 'dict'>",
                    repr_json(&j),
                    type_json(&j)
                ),
                item.pos,
            ));
            continue;
        };
        let mut key = None;
        let mut value = None;
        let mut use_previous = false;
        for (k, v) in map.iter() {
            let expect = |what: &str, ok: bool, problems: &mut Vec<(String, Pos)>| {
                if !ok {
                    let j = v.to_json();
                    problems.push((
                        format!(
                            "Invalid type for parameter {name}.{}, value: {}, type: {}, valid types: {what}",
                            k.name,
                            repr_json(&j),
                            type_json(&j)
                        ),
                        v.pos,
                    ));
                }
                ok
            };
            match k.name.as_str() {
                "ParameterKey" => {
                    if expect("<class 'str'>", v.as_str().is_some(), &mut problems) {
                        key = v.as_str().map(str::to_string);
                    }
                }
                "ParameterValue" => {
                    if expect("<class 'str'>", v.as_str().is_some(), &mut problems) {
                        value = v.as_str().map(str::to_string);
                    }
                }
                "UsePreviousValue" => {
                    if expect("<class 'bool'>", matches!(v.value, Value::Bool(_)), &mut problems) {
                        use_previous = matches!(v.value, Value::Bool(true));
                    }
                }
                // Output-only in the API; botocore accepts it and the
                // service ignores it.
                "ResolvedValue" => {
                    expect("<class 'str'>", v.as_str().is_some(), &mut problems);
                }
                other => problems.push((
                    format!(
                        "Unknown parameter in {name}: \"{other}\", must be one of: {}",
                        PARAMETER_MEMBERS.join(", ")
                    ),
                    k.pos,
                )),
            }
        }
        let Some(key) = key else {
            if !map.iter().any(|(k, _)| k.name == "ParameterKey") {
                // The API model marks nothing required; this is botocore's
                // "missing" wording for what the stack can't do without.
                problems.push((format!("Missing required parameter in {name}: \"ParameterKey\""), item.pos));
            }
            continue;
        };
        if use_previous && problems.is_empty() {
            return Err(ParamInputError::UsePreviousValue { index, key, pos: pos(item.pos) });
        }
        // An entry with neither a value nor UsePreviousValue gives nothing.
        if let Some(v) = value {
            dict.set(key, v);
        }
    }
    if let Some((_, first)) = problems.first() {
        return Err(ParamInputError::Shape {
            pos: pos(*first),
            message: problems.iter().map(|(m, _)| m.as_str()).collect::<Vec<_>>().join("\n"),
        });
    }
    Ok(dict.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(ws: &[&str]) -> Vec<String> {
        ws.iter().map(|s| s.to_string()).collect()
    }

    fn pairs(ps: &[(&str, &str)]) -> Vec<(String, String)> {
        ps.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn key_value_words_split_at_the_first_equals() {
        let got = parse_overrides(&words(&["A=1", "B=x=y", "C=", "A=2"])).unwrap();
        assert_eq!(got, pairs(&[("A", "2"), ("B", "x=y"), ("C", "")]));
        assert_eq!(parse_overrides(&[]).unwrap(), vec![]);
    }

    #[test]
    fn a_word_without_equals_uses_the_cli_text() {
        let e = parse_overrides(&words(&["A=1", "Foo"])).unwrap_err();
        assert_eq!(e.to_string(), "['Foo'] value passed to --parameter-overrides must be of format Key=Value");
        let e = parse_overrides(&words(&["it's"])).unwrap_err();
        assert_eq!(e.to_string(), "[\"it's\"] value passed to --parameter-overrides must be of format Key=Value");
        // JSON null falls through to the Key=Value path.
        let e = parse_overrides(&words(&["null"])).unwrap_err();
        assert_eq!(e.to_string(), "['null'] value passed to --parameter-overrides must be of format Key=Value");
    }

    #[test]
    fn an_override_without_a_key_is_refused() {
        let e = parse_overrides(&words(&["A=1", "=x"])).unwrap_err();
        assert_eq!(e, ParamInputError::EmptyOverrideKey { word: "=x".into(), pos: None });
        assert!(e.to_string().contains("'=x'") && e.to_string().contains("no key"), "{e}");
        let e = parse_cfg_file("A=1\n=\n").unwrap_err();
        assert_eq!(e.pos(), Some(Pos::new(2, 1)));
    }

    #[test]
    fn json_forms_of_overrides() {
        let got = parse_overrides(&words(&[r#"["A=1","B=2=3"]"#])).unwrap();
        assert_eq!(got, pairs(&[("A", "1"), ("B", "2=3")]));
        let got = parse_overrides(&words(&[
            r#"[{"ParameterKey":"A","ParameterValue":"x"},{"ParameterKey":"N","ParameterValue":3}]"#,
        ]))
        .unwrap();
        assert_eq!(got, pairs(&[("A", "x"), ("N", "3")]));
        let got = parse_overrides(&words(&[r#"{"Parameters":{"B":"2","A":true,"C":null}}"#])).unwrap();
        assert_eq!(got, pairs(&[("B", "2"), ("A", "True"), ("C", "None")]));
        // The CLI uses only the first word once it is JSON.
        let got = parse_overrides(&words(&[r#"["A=1"]"#, "B=2", "junk"])).unwrap();
        assert_eq!(got, pairs(&[("A", "1")]));
        assert_eq!(parse_overrides(&words(&["[]"])).unwrap(), vec![]);
    }

    #[test]
    fn json_of_another_shape_uses_the_cli_text() {
        for w in
            [r#"["A"]"#, r#"{"X": 1}"#, "3", "true", r#"[{"ParameterKey":"A"}]"#, r#"{"Parameters":[1]}"#, r#""a=b""#]
        {
            let e = parse_overrides(&words(&[w])).unwrap_err();
            assert_eq!(e, ParamInputError::BadOverrideJson, "{w}");
        }
        assert!(BAD_OVERRIDE_JSON
            .starts_with("JSON passed to --parameter-overrides must be one of the formats: [\"Key1=Value1\""));
    }

    #[test]
    fn cfg_file_splits_like_an_unquoted_substitution() {
        let got = parse_cfg_file("Env=dev  Count=2\n\tImage=nginx:1.25\n").unwrap();
        assert_eq!(got, pairs(&[("Env", "dev"), ("Count", "2"), ("Image", "nginx:1.25")]));
        // Quotes are not removed and do not group words.
        let e = parse_cfg_file("A=1\nName=\"my app\"\n").unwrap_err();
        assert_eq!(e.to_string(), "['app\"'] value passed to --parameter-overrides must be of format Key=Value");
        assert_eq!(e.pos(), Some(Pos::new(2, 10)));
        let got = parse_cfg_file("Q='x'").unwrap();
        assert_eq!(got, pairs(&[("Q", "'x'")]));
        // No comments in $(cat …).
        let e = parse_cfg_file("# settings\nA=1\n").unwrap_err();
        assert_eq!(e.pos(), Some(Pos::new(1, 1)));
        assert_eq!(parse_cfg_file(" \n\n").unwrap(), vec![]);
        // A JSON word works through the file too, as through the CLI.
        assert_eq!(parse_cfg_file(r#"["A=1"]"#).unwrap(), pairs(&[("A", "1")]));
    }

    #[test]
    fn parameters_file_form() {
        let got = parse_parameters_file(
            "[\n  {\"ParameterKey\": \"Env\", \"ParameterValue\": \"dev\"},\n  {\"ParameterKey\": \"N\", \"ParameterValue\": \"2\", \"UsePreviousValue\": false}\n]\n",
        )
        .unwrap();
        assert_eq!(got, pairs(&[("Env", "dev"), ("N", "2")]));
        assert_eq!(parse_parameters_file("[]").unwrap(), vec![]);
        assert_eq!(parse_parameters_file("\u{feff}[]").unwrap(), vec![]);
    }

    #[test]
    fn parameters_file_syntax_error_has_a_position() {
        let e = parse_parameters_file("[\n  {\"ParameterKey\": \"A\",}\n]").unwrap_err();
        let ParamInputError::Json { pos, .. } = &e else { panic!("{e:?}") };
        assert_eq!(pos.line, 2);
        assert!(e.to_string().starts_with("the parameters file is not valid JSON: "), "{e}");
        assert!(matches!(parse_parameters_file(""), Err(ParamInputError::Json { .. })));
    }

    #[test]
    fn parameters_file_shape_errors_use_botocore_texts() {
        let e = parse_parameters_file("[\n  {\"ParameterKey\": \"N\",\n   \"ParameterValue\": 3}\n]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Parameter validation failed:\nInvalid type for parameter Parameters[0].ParameterValue, value: 3, type: <class 'int'>, valid types: <class 'str'>"
        );
        assert_eq!(e.pos(), Some(Pos::new(3, 22)));
        let e = parse_parameters_file("[{\"ParameterKey\": \"A\", \"ParameterValu\": \"x\"}, {\"Key\": \"B\"}]")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Parameter validation failed:\n\
             Unknown parameter in Parameters[0]: \"ParameterValu\", must be one of: ParameterKey, ParameterValue, UsePreviousValue, ResolvedValue\n\
             Unknown parameter in Parameters[1]: \"Key\", must be one of: ParameterKey, ParameterValue, UsePreviousValue, ResolvedValue\n\
             Missing required parameter in Parameters[1]: \"ParameterKey\""
        );
        let e = parse_parameters_file("{\"Parameters\": {\"A\": \"1\"}}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Parameter validation failed:\nInvalid type for parameter Parameters, value: {'Parameters': {'A': '1'}}, type: <class 'dict'>, valid types: <class 'list'>, <class 'tuple'>"
        );
        assert_eq!(e.pos(), Some(Pos::new(1, 1)));
        let e = parse_parameters_file("[\"A=1\"]").unwrap_err();
        assert!(
            e.to_string().ends_with("Parameters[0], value: 'A=1', type: <class 'str'>, valid types: <class 'dict'>"),
            "{e}"
        );
    }

    #[test]
    fn use_previous_value_has_no_previous_stack() {
        let e = parse_parameters_file("[{\"ParameterKey\": \"A\", \"UsePreviousValue\": true}]").unwrap_err();
        assert!(matches!(&e, ParamInputError::UsePreviousValue { index: 0, key, .. } if key == "A"));
        assert!(e.to_string().contains("no previous stack"), "{e}");
        assert_eq!(e.hint(), "give a ParameterValue instead of UsePreviousValue");
    }

    #[test]
    fn duplicate_keys_in_the_file_still_parse() {
        // JSON allows duplicate keys (the CLI's json.loads keeps the last);
        // the positions are then unknown.
        let got =
            parse_parameters_file("[{\"ParameterKey\": \"A\", \"ParameterValue\": \"1\", \"ParameterValue\": \"2\"}]")
                .unwrap();
        assert_eq!(got, pairs(&[("A", "2")]));
    }

    proptest! {
        #[test]
        fn key_value_words_round_trip(kvs in proptest::collection::btree_map("[A-Za-z0-9]{1,12}", "\\PC{0,20}", 0..8)) {
            let ws: Vec<String> = kvs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let got = parse_overrides(&ws).unwrap();
            let want: Vec<(String, String)> = kvs.into_iter().collect();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn overrides_never_panic(ws in proptest::collection::vec("\\PC{0,30}", 0..5)) {
            let _ = parse_overrides(&ws);
        }

        #[test]
        fn json_like_overrides_never_panic(w in "[\\[\\]{}\",:=a-zA-Z0-9 ]{0,40}") {
            let _ = parse_overrides(&[w]);
        }

        #[test]
        fn files_never_panic(s in "\\PC{0,80}") {
            let _ = parse_parameters_file(&s);
            let _ = parse_cfg_file(&s);
        }

        #[test]
        fn json_like_files_never_panic(s in "[\\[\\]{}\",: \\nA-Za-z0-9]{0,80}") {
            let _ = parse_parameters_file(&s);
        }
    }
}
