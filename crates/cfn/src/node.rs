//! The template tree: every node keeps the line and column it came from.
//!
//! YAML and JSON load into the same tree. Short-form tags (`!Ref X`) are
//! rewritten to their long form (`{"Ref": X}`) at load time, which is what
//! CloudFormation itself does, so everything downstream sees one form.

use std::fmt;

/// A place in a source file: line and column, both counted from 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub col: u32,
}

impl Pos {
    /// A position at `line`, `col` (both from 1).
    pub fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A value in the template with the position where it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What the node holds.
    pub value: Value,
    /// Where it starts in the source.
    pub pos: Pos,
}

/// The kinds of value a template holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as written (CloudFormation mostly treats numbers as strings).
    Number(String),
    /// A string.
    String(String),
    /// A sequence.
    List(Vec<Node>),
    /// A mapping, keys unique and in source order.
    Map(Map),
}

/// A mapping key with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// Where the key starts.
    pub pos: Pos,
}

/// An ordered mapping with unique keys.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map {
    /// Entries in source order.
    pub entries: Vec<(Key, Node)>,
}

impl Map {
    /// The value under `key`, if any.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
    }

    /// The key and value under `key`, if any.
    pub fn get_entry(&self, key: &str) -> Option<(&Key, &Node)> {
        self.entries.iter().find(|(k, _)| k.name == key).map(|(k, v)| (k, v))
    }

    /// Iterates over the entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&Key, &Node)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds or replaces an entry.
    pub fn insert(&mut self, key: Key, value: Node) {
        if let Some(slot) = self.entries.iter_mut().find(|(k, _)| k.name == key.name) {
            *slot = (key, value);
        } else {
            self.entries.push((key, value));
        }
    }

    /// The single entry of a one-key map: how intrinsic functions look.
    pub fn single(&self) -> Option<(&Key, &Node)> {
        match self.entries.as_slice() {
            [(k, v)] => Some((k, v)),
            _ => None,
        }
    }
}

impl Node {
    /// A node holding `value` at `pos`.
    pub fn new(value: Value, pos: Pos) -> Self {
        Node { value, pos }
    }

    /// A string node.
    pub fn string(s: impl Into<String>, pos: Pos) -> Self {
        Node::new(Value::String(s.into()), pos)
    }

    /// The map inside, if this is a map.
    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The list inside, if this is a list.
    pub fn as_list(&self) -> Option<&[Node]> {
        match &self.value {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The text of a string node only.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A scalar as CloudFormation coerces it to a string (numbers and
    /// booleans where strings are expected are accepted).
    pub fn scalar_string(&self) -> Option<String> {
        match &self.value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.clone()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The value under `key` when this is a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// When this node is an intrinsic function (a one-key map whose key is
    /// `Ref`, `Condition` or starts with `Fn::`), its name and argument.
    pub fn intrinsic(&self) -> Option<(&str, &Node)> {
        let (k, v) = self.as_map()?.single()?;
        let name = k.name.as_str();
        if name == "Ref" || name == "Condition" || name.starts_with("Fn::") {
            Some((name, v))
        } else {
            None
        }
    }

    /// A short word for the node's kind, as CloudFormation's messages name them.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "Null",
            Value::Bool(_) => "Boolean",
            Value::Number(_) => "Number",
            Value::String(_) => "String",
            Value::List(_) => "JSONArray",
            Value::Map(_) => "JSONObject",
        }
    }

    /// Converts to plain JSON, dropping positions.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => n.parse::<serde_json::Number>().map(J::Number).unwrap_or_else(|_| J::String(n.clone())),
            Value::String(s) => J::String(s.clone()),
            Value::List(l) => J::Array(l.iter().map(Node::to_json).collect()),
            Value::Map(m) => J::Object(m.iter().map(|(k, v)| (k.name.clone(), v.to_json())).collect()),
        }
    }

    /// Builds a node tree from plain JSON, every node at `pos`.
    pub fn from_json(v: &serde_json::Value, pos: Pos) -> Node {
        use serde_json::Value as J;
        let value = match v {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => Value::Number(n.to_string()),
            J::String(s) => Value::String(s.clone()),
            J::Array(a) => Value::List(a.iter().map(|x| Node::from_json(x, pos)).collect()),
            J::Object(o) => Value::Map(Map {
                entries: o.iter().map(|(k, x)| (Key { name: k.clone(), pos }, Node::from_json(x, pos))).collect(),
            }),
        };
        Node::new(value, pos)
    }
}
