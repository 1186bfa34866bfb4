//! One loader for YAML and JSON templates (JSON is YAML 1.2), built on
//! saphyr's event parser so that every node keeps its line and column,
//! short-form tags survive, and duplicate keys can name both places.
//!
//! The tree is built with an explicit stack, never by recursion, so a
//! deeply nested document is an error rather than a stack overflow.

use crate::node::{Key, Map, Node, Pos, Value};
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use std::collections::HashMap;

/// How deep a document may nest. CloudFormation templates rarely pass 30;
/// the limit keeps every later recursive walk (resolution, drop) safe.
pub const MAX_DEPTH: usize = 200;

/// How many nodes aliases may expand to, against "billion laughs" documents.
pub const MAX_NODES: usize = 2_000_000;

/// Why a document could not be read. Every variant carries a position.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadError {
    /// The bytes are not text.
    #[error("this is a binary file, not a template (NUL byte at {pos})")]
    Binary {
        /// Where the first NUL byte is.
        pos: Pos,
    },
    /// The bytes are not valid UTF-8.
    #[error("the file is not valid UTF-8 (at {pos})")]
    InvalidUtf8 {
        /// Where the first invalid byte is.
        pos: Pos,
    },
    /// YAML or JSON syntax error.
    #[error("Template format error: YAML not well-formed. ({message})")]
    Syntax {
        /// The parser's own words.
        message: String,
        /// Where it stopped.
        pos: Pos,
    },
    /// A key appears twice in one mapping.
    #[error("duplicate key '{key}' (first at line {first}), CloudFormation rejects the template")]
    DuplicateKey {
        /// The key.
        key: String,
        /// Its first occurrence.
        first: Pos,
        /// The second occurrence.
        pos: Pos,
    },
    /// A mapping key that is itself a list or a map.
    #[error("a mapping key must be a string")]
    ComplexKey {
        /// Where the key starts.
        pos: Pos,
    },
    /// A tag that is neither an intrinsic function nor a YAML core tag.
    #[error("unknown tag '{tag}': not a CloudFormation intrinsic function")]
    UnknownTag {
        /// The tag as written.
        tag: String,
        /// Where it is.
        pos: Pos,
    },
    /// An alias names an anchor that was not defined.
    #[error("alias refers to an undefined anchor")]
    UnknownAnchor {
        /// Where the alias is.
        pos: Pos,
    },
    /// Nesting deeper than [`MAX_DEPTH`].
    #[error("the document nests deeper than {MAX_DEPTH} levels")]
    TooDeep {
        /// Where the limit was passed.
        pos: Pos,
    },
    /// Aliases expand past [`MAX_NODES`].
    #[error("the document expands to more than {MAX_NODES} nodes")]
    TooLarge {
        /// Where the limit was passed.
        pos: Pos,
    },
    /// More than one YAML document in the file.
    #[error("a template is one document; found a second one")]
    MultipleDocuments {
        /// Where the second starts.
        pos: Pos,
    },
}

impl LoadError {
    /// Where the problem is.
    pub fn pos(&self) -> Pos {
        match self {
            LoadError::Binary { pos }
            | LoadError::InvalidUtf8 { pos }
            | LoadError::Syntax { pos, .. }
            | LoadError::DuplicateKey { pos, .. }
            | LoadError::ComplexKey { pos }
            | LoadError::UnknownTag { pos, .. }
            | LoadError::UnknownAnchor { pos }
            | LoadError::TooDeep { pos }
            | LoadError::TooLarge { pos }
            | LoadError::MultipleDocuments { pos } => *pos,
        }
    }
}

/// Loads a template from raw bytes: checks it is UTF-8 text, then parses.
/// An empty document loads as `Null`.
pub fn load_bytes(bytes: &[u8]) -> Result<Node, LoadError> {
    if let Some(i) = bytes.iter().position(|&b| b == 0) {
        return Err(LoadError::Binary { pos: pos_of_byte(bytes, i) });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => load_str(s),
        Err(e) => Err(LoadError::InvalidUtf8 { pos: pos_of_byte(bytes, e.valid_up_to()) }),
    }
}

/// Line and column of byte `index`, counting characters of the valid prefix.
fn pos_of_byte(bytes: &[u8], index: usize) -> Pos {
    let prefix = &bytes[..index.min(bytes.len())];
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = prefix.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&prefix[line_start..]).chars().count() + 1;
    Pos::new(to_u32(line), to_u32(col))
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn pos_of(span: &Span) -> Pos {
    Pos::new(to_u32(span.start.line()), to_u32(span.start.col() + 1))
}

/// A collection being built.
enum Frame {
    List { items: Vec<Node>, pos: Pos, tag: Option<String>, anchor: usize },
    Map { map: Map, key: Option<Key>, seen: HashMap<String, Pos>, pos: Pos, tag: Option<String>, anchor: usize },
}

/// Loads a template from text.
pub fn load_str(src: &str) -> Result<Node, LoadError> {
    // A byte-order mark is legal at the start of JSON and YAML files saved by
    // Windows editors; the parser does not expect it.
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    let mut nodes = 0usize;

    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| LoadError::Syntax {
            message: e.info().to_string(),
            pos: Pos::new(to_u32(e.marker().line()), to_u32(e.marker().col() + 1)),
        })?;
        let pos = pos_of(&span);
        let finished: Option<(Node, usize)> = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(LoadError::MultipleDocuments { pos });
                }
                None
            }
            Event::Alias(id) => {
                let node = anchors.get(&id).cloned().ok_or(LoadError::UnknownAnchor { pos })?;
                nodes = nodes.saturating_add(count_nodes(&node));
                Some((Node { pos, ..node }, 0))
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map(|t| tag_name(&t));
                Some((scalar(&text, style, tag.as_deref(), pos)?, anchor))
            }
            Event::SequenceStart(anchor, tag) => {
                push(&mut stack, Frame::List { items: Vec::new(), pos, tag: tag.map(|t| tag_name(&t)), anchor }, pos)?;
                None
            }
            Event::MappingStart(anchor, tag) => {
                let frame = Frame::Map {
                    map: Map::default(),
                    key: None,
                    seen: HashMap::new(),
                    pos,
                    tag: tag.map(|t| tag_name(&t)),
                    anchor,
                };
                push(&mut stack, frame, pos)?;
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::List { items, pos, tag, anchor }) => {
                    Some((apply_tag(Node::new(Value::List(items), pos), tag.as_deref())?, anchor))
                }
                Some(Frame::Map { map, pos, tag, anchor, .. }) => {
                    Some((apply_tag(Node::new(Value::Map(map), pos), tag.as_deref())?, anchor))
                }
                None => None,
            },
        };
        let Some((node, anchor)) = finished else { continue };
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(LoadError::TooLarge { pos });
        }
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::List { items, .. }) => items.push(node),
            Some(Frame::Map { map, key, seen, .. }) => match key.take() {
                Some(k) => map.entries.push((k, node)),
                None => {
                    let name = match &node.value {
                        Value::String(s) | Value::Number(s) => s.clone(),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => String::new(),
                        _ => return Err(LoadError::ComplexKey { pos: node.pos }),
                    };
                    if let Some(first) = seen.get(&name) {
                        return Err(LoadError::DuplicateKey { key: name, first: *first, pos: node.pos });
                    }
                    seen.insert(name.clone(), node.pos);
                    *key = Some(Key { name, pos: node.pos });
                }
            },
        }
    }
    Ok(root.unwrap_or(Node::new(Value::Null, Pos::new(1, 1))))
}

fn push(stack: &mut Vec<Frame>, frame: Frame, pos: Pos) -> Result<(), LoadError> {
    if stack.len() >= MAX_DEPTH {
        return Err(LoadError::TooDeep { pos });
    }
    stack.push(frame);
    Ok(())
}

fn count_nodes(node: &Node) -> usize {
    let mut n = 0;
    let mut todo = vec![node];
    while let Some(x) = todo.pop() {
        n += 1;
        match &x.value {
            Value::List(l) => todo.extend(l.iter()),
            Value::Map(m) => todo.extend(m.entries.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    n
}

/// `!Ref` stays `!Ref`; `!!str` becomes `tag:yaml.org,2002:str`.
fn tag_name(tag: &Tag) -> String {
    format!("{}{}", tag.handle, tag.suffix)
}

/// Short-form intrinsic tags and the long-form key each stands for.
/// AWS doc: "Intrinsic function reference" (each function's YAML short form).
const SHORT_FORMS: &[(&str, &str)] = &[
    ("!Ref", "Ref"),
    ("!Condition", "Condition"),
    ("!GetAtt", "Fn::GetAtt"),
    ("!Sub", "Fn::Sub"),
    ("!Join", "Fn::Join"),
    ("!Select", "Fn::Select"),
    ("!Split", "Fn::Split"),
    ("!GetAZs", "Fn::GetAZs"),
    ("!If", "Fn::If"),
    ("!Equals", "Fn::Equals"),
    ("!And", "Fn::And"),
    ("!Or", "Fn::Or"),
    ("!Not", "Fn::Not"),
    ("!FindInMap", "Fn::FindInMap"),
    ("!ImportValue", "Fn::ImportValue"),
    ("!Base64", "Fn::Base64"),
    ("!Cidr", "Fn::Cidr"),
    ("!Transform", "Fn::Transform"),
    ("!Length", "Fn::Length"),
    ("!ToJsonString", "Fn::ToJsonString"),
];

/// Wraps a tagged node into its long form, or applies a YAML core tag.
fn apply_tag(node: Node, tag: Option<&str>) -> Result<Node, LoadError> {
    let Some(tag) = tag else { return Ok(node) };
    if let Some((_, long)) = SHORT_FORMS.iter().find(|(short, _)| *short == tag) {
        let pos = node.pos;
        let mut map = Map::default();
        map.entries.push((Key { name: (*long).to_string(), pos }, node));
        return Ok(Node::new(Value::Map(map), pos));
    }
    if let Some(core) = tag.strip_prefix("tag:yaml.org,2002:") {
        return Ok(match (core, node.value) {
            ("str", Value::Number(s) | Value::String(s)) => Node::string(s, node.pos),
            ("str", Value::Bool(b)) => Node::string(b.to_string(), node.pos),
            ("str", Value::Null) => Node::string("", node.pos),
            (_, value) => Node::new(value, node.pos),
        });
    }
    Err(LoadError::UnknownTag { tag: tag.to_string(), pos: node.pos })
}

fn scalar(text: &str, style: ScalarStyle, tag: Option<&str>, pos: Pos) -> Result<Node, LoadError> {
    let value = if style == ScalarStyle::Plain { plain_scalar(text) } else { Value::String(text.to_string()) };
    apply_tag(Node::new(value, pos), tag)
}

/// YAML 1.2 core schema for plain scalars, as CloudFormation reads them.
fn plain_scalar(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ if is_number(text) => Value::Number(text.to_string()),
        _ => Value::String(text.to_string()),
    }
}

fn is_number(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    if t.is_empty() {
        return false;
    }
    if let Some(hex) = t.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(oct) = t.strip_prefix("0o") {
        return !oct.is_empty() && oct.chars().all(|c| ('0'..='7').contains(&c));
    }
    let mut digits = 0;
    let mut dot = false;
    let mut exp = false;
    let mut prev = ' ';
    for c in t.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' if !dot && !exp => dot = true,
            'e' | 'E' if digits > 0 && !exp => exp = true,
            '+' | '-' if matches!(prev, 'e' | 'E') => {}
            _ => return false,
        }
        prev = c;
    }
    digits > 0 && !matches!(prev, 'e' | 'E' | '+' | '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(s: &str) -> Node {
        match load_str(s) {
            Ok(n) => n,
            Err(e) => panic!("load failed: {e} at {}", e.pos()),
        }
    }

    #[test]
    fn positions_on_every_node() {
        let n = load("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n");
        let vpc = n.get("Resources").and_then(|r| r.get("Vpc")).expect("vpc");
        assert_eq!(vpc.pos, Pos::new(3, 5));
        let (k, v) = vpc.as_map().and_then(|m| m.get_entry("Type")).expect("type");
        assert_eq!(k.pos, Pos::new(3, 5));
        assert_eq!(v.pos, Pos::new(3, 11));
        assert_eq!(v.as_str(), Some("AWS::EC2::VPC"));
    }

    #[test]
    fn short_forms_become_long_forms() {
        let n = load("a: !Ref X\nb: !GetAtt A.B.C\nc: !Sub\n  - '${x}'\n  - x: 1\nd: !If [C, 1, 2]\n");
        assert_eq!(n.get("a").and_then(|a| a.intrinsic()).map(|(k, _)| k), Some("Ref"));
        let (name, arg) = n.get("b").and_then(|b| b.intrinsic()).expect("getatt");
        assert_eq!((name, arg.as_str()), ("Fn::GetAtt", Some("A.B.C")));
        let (name, arg) = n.get("c").and_then(|c| c.intrinsic()).expect("sub");
        assert_eq!(name, "Fn::Sub");
        assert_eq!(arg.as_list().map(<[Node]>::len), Some(2));
        assert_eq!(n.get("d").and_then(|d| d.intrinsic()).map(|(k, _)| k), Some("Fn::If"));
    }

    #[test]
    fn json_loads_with_positions() {
        let n = load("{\n  \"Resources\": {\n\t\"A\": {\"Type\": \"AWS::EC2::VPC\", \"Port\": 80}\n  }\n}\n");
        let a = n.get("Resources").and_then(|r| r.get("A")).expect("a");
        assert_eq!(a.pos.line, 3);
        assert_eq!(a.get("Port").map(|p| p.value.clone()), Some(Value::Number("80".into())));
    }

    #[test]
    fn yaml_quirks_load() {
        let n =
            load("Value : 30\nTags: [{ Key: Name, Value: x }]\nIf: !If\n  - C\n  - {a: 1}\n  - !Ref AWS::NoValue\n");
        assert_eq!(n.get("Value").and_then(Node::scalar_string).as_deref(), Some("30"));
        assert!(n.get("Tags").and_then(Node::as_list).is_some());
    }

    #[test]
    fn duplicate_keys_name_both_places() {
        let e = load_str("Resources:\n  A: 1\n  A: 2\n").expect_err("dup");
        assert_eq!(e, LoadError::DuplicateKey { key: "A".into(), first: Pos::new(2, 3), pos: Pos::new(3, 3) });
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        assert!(matches!(load_bytes(b"ab\0c"), Err(LoadError::Binary { .. })));
        assert!(matches!(load_bytes(b"a: \xff\xfe"), Err(LoadError::InvalidUtf8 { pos }) if pos == Pos::new(1, 4)));
        assert!(matches!(load_str("a: [1, 2"), Err(LoadError::Syntax { .. })));
        assert!(matches!(load_str("a: !Bogus x"), Err(LoadError::UnknownTag { .. })));
        let deep = "[".repeat(10_000);
        assert!(matches!(load_str(&deep), Err(LoadError::TooDeep { .. }) | Err(LoadError::Syntax { .. })));
        let deep_ok = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        assert!(load_str(&deep_ok).is_ok());
        assert!(matches!(load_str("a: 1\n---\nb: 2\n"), Err(LoadError::MultipleDocuments { .. })));
    }

    #[test]
    fn anchors_expand_and_are_bounded() {
        let n = load("a: &x {k: v}\nb: *x\n");
        assert_eq!(n.get("b").and_then(|b| b.get("k")).and_then(Node::as_str), Some("v"));
        let mut laughs = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = format!("*a{}", i - 1);
            laughs.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 10].join(", ")));
        }
        assert!(matches!(load_str(&laughs), Err(LoadError::TooLarge { .. })));
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        assert_eq!(plain_scalar("30"), Value::Number("30".into()));
        assert_eq!(plain_scalar("1.5e3"), Value::Number("1.5e3".into()));
        assert_eq!(plain_scalar("0.0.0.0/0"), Value::String("0.0.0.0/0".into()));
        assert_eq!(plain_scalar("1e"), Value::String("1e".into()));
        assert_eq!(plain_scalar("true"), Value::Bool(true));
        assert_eq!(plain_scalar("~"), Value::Null);
        let n = load("a: '30'\nb: !!str 30\n");
        assert_eq!(n.get("a").map(|x| x.value.clone()), Some(Value::String("30".into())));
        assert_eq!(n.get("b").map(|x| x.value.clone()), Some(Value::String("30".into())));
    }
}
