//! Typed reading of a resource's resolved properties. Type errors were
//! already reported by the property validator (`cfn::spec`), so a value of
//! the wrong shape here reads as absent rather than failing twice.

use cfn::{Node, Pos, Value};

/// The resolved properties of one resource, with where they came from.
#[derive(Clone, Debug)]
pub struct Props<'a> {
    /// Logical ID of the resource.
    pub logical_id: &'a str,
    /// The resolved `Properties` mapping (an empty mapping when absent).
    pub node: &'a Node,
    /// Where the resource is declared, for findings about missing properties.
    pub resource_pos: Pos,
}

impl<'a> Props<'a> {
    /// The property node, if present.
    pub fn get(&self, name: &str) -> Option<&'a Node> {
        self.node.get(name)
    }

    /// Position of a property, or of the resource when it is absent.
    pub fn pos(&self, name: &str) -> Pos {
        self.node.as_map().and_then(|m| m.get_entry(name)).map_or(self.resource_pos, |(k, _)| k.pos)
    }

    /// Template path of a property.
    pub fn path(&self, name: &str) -> String {
        format!("Resources/{}/Properties/{name}", self.logical_id)
    }

    /// A scalar property as a string.
    pub fn str(&self, name: &str) -> Option<String> {
        self.get(name).and_then(Node::scalar_string)
    }

    /// A property that is a list of scalars (a lone scalar counts as one).
    pub fn strs(&self, name: &str) -> Vec<String> {
        self.get(name).map(strings).unwrap_or_default()
    }

    /// A boolean property (`true`, `"true"`).
    pub fn bool(&self, name: &str) -> Option<bool> {
        self.get(name).and_then(as_bool)
    }

    /// A whole-number property.
    pub fn u32(&self, name: &str) -> Option<u32> {
        self.str(name).and_then(|s| s.trim().parse().ok())
    }

    /// A nested struct property, read the same way.
    pub fn child(&self, name: &str) -> Option<Props<'a>> {
        let node = self.get(name)?;
        node.as_map()?;
        Some(Props { logical_id: self.logical_id, node, resource_pos: self.pos(name) })
    }

    /// A list of structs.
    pub fn children(&self, name: &str) -> Vec<Props<'a>> {
        let pos = self.pos(name);
        self.get(name)
            .and_then(Node::as_list)
            .map(|l| {
                l.iter()
                    .filter(|n| n.as_map().is_some())
                    .map(|n| Props { logical_id: self.logical_id, node: n, resource_pos: pos })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A list of structs with their resolved indexes, each at its own position (`children` uses the list's).
    pub fn items(&self, name: &str) -> Vec<(usize, Props<'a>)> {
        self.get(name)
            .and_then(Node::as_list)
            .map(|l| {
                l.iter()
                    .enumerate()
                    .filter(|(_, n)| n.as_map().is_some())
                    .map(|(i, n)| {
                        let item = Props { logical_id: self.logical_id, node: n, resource_pos: n.pos };
                        (i, item)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `Tags: [{Key, Value}]` as pairs.
    pub fn tags(&self) -> Vec<(String, String)> {
        self.children("Tags").iter().filter_map(|t| Some((t.str("Key")?, t.str("Value")?))).collect()
    }
}

/// Scalars of a list node (or the node itself when scalar).
pub fn strings(n: &Node) -> Vec<String> {
    match &n.value {
        Value::List(l) => l.iter().filter_map(Node::scalar_string).collect(),
        _ => n.scalar_string().into_iter().collect(),
    }
}

/// CloudFormation's boolean coercion.
pub fn as_bool(n: &Node) -> Option<bool> {
    match &n.value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}
