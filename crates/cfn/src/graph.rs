//! The dependency graph of a template's resources: `DependsOn` plus every
//! `Ref`, `Fn::GetAtt` and `Fn::Sub` variable, checked for names that do not
//! exist and for cycles, and ordered for creation.
//!
//! AWS doc: "DependsOn attribute" and "Ref" (implicit dependencies).

use crate::diag::Diagnostic;
use crate::node::{Node, Pos, Value};
use crate::resolve::{is_pseudo, sub_pieces, SubPiece};
use crate::template::Template;
use indexmap::{IndexMap, IndexSet};

/// A reference from one place in the template to a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The logical ID or parameter named.
    pub target: String,
    /// `Fn::GetAtt` attribute, when it is one.
    pub attribute: Option<String>,
    /// Where the reference is.
    pub pos: Pos,
}

/// Collects every Ref, GetAtt and Sub variable in `node`.
pub fn references(node: &Node) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        if let Some((name, arg)) = n.intrinsic() {
            match name {
                "Ref" => {
                    if let Some(t) = arg.as_str() {
                        out.push(Reference { target: t.to_string(), attribute: None, pos: n.pos });
                    }
                }
                "Fn::GetAtt" => {
                    let pair = match &arg.value {
                        Value::String(s) => s.split_once('.').map(|(a, b)| (a.to_string(), Some(b.to_string()))),
                        Value::List(l) if !l.is_empty() => l[0]
                            .as_str()
                            .map(|a| (a.to_string(), l.get(1).and_then(|x| x.as_str()).map(str::to_string))),
                        _ => None,
                    };
                    if let Some((target, attribute)) = pair {
                        out.push(Reference { target, attribute, pos: n.pos });
                    }
                    if let Some(l) = arg.as_list() {
                        todo.extend(l.iter().skip(1));
                    }
                    continue;
                }
                "Fn::Sub" => {
                    let (text, vars) = match &arg.value {
                        Value::String(s) => (Some(s.as_str()), None),
                        Value::List(l) => (l.first().and_then(Node::as_str), l.get(1)),
                        _ => (None, None),
                    };
                    let local = vars.and_then(Node::as_map);
                    for piece in text.map(sub_pieces).unwrap_or_default() {
                        let SubPiece::Var(v) = piece else { continue };
                        if local.is_some_and(|m| m.get(v).is_some()) {
                            continue;
                        }
                        let (target, attribute) = match v.split_once('.') {
                            Some((a, b)) if !v.starts_with("AWS::") => (a.to_string(), Some(b.to_string())),
                            _ => (v.to_string(), None),
                        };
                        out.push(Reference { target, attribute, pos: n.pos });
                    }
                    if let Some(v) = vars {
                        todo.push(v);
                    }
                    continue;
                }
                _ => {}
            }
        }
        match &n.value {
            Value::List(l) => todo.extend(l.iter().rev()),
            Value::Map(m) => todo.extend(m.entries.iter().rev().map(|(_, v)| v)),
            _ => {}
        }
    }
    out
}

/// Resources in creation order, with each one's dependencies.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// For each resource, the resources it depends on.
    pub depends: IndexMap<String, IndexSet<String>>,
    /// A creation order (dependencies first), ties in template order.
    pub order: Vec<String>,
}

/// Builds the graph and reports unresolved names (TN1002), GetAtt on
/// unknown resources, references from conditions to resources, and cycles
/// (TN1003).
pub fn build(t: &Template) -> (Graph, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut graph = Graph::default();
    let known = |name: &str| is_pseudo(name) || t.parameters.contains_key(name) || t.resources.contains_key(name);
    let mut unresolved: IndexMap<String, (String, Pos)> = IndexMap::new();

    for (id, r) in &t.resources {
        let mut deps = IndexSet::new();
        for (d, pos) in &r.depends_on {
            if t.resources.contains_key(d) {
                deps.insert(d.clone());
            } else {
                unresolved.entry(d.clone()).or_insert((id.clone(), *pos));
            }
        }
        for reference in references(&r.node) {
            if reference.attribute.is_some() && !t.resources.contains_key(&reference.target) {
                diags.push(
                    Diagnostic::error(
                        "TN1002",
                        format!(
                            "Template error: instance of Fn::GetAtt references undefined resource {}",
                            reference.target
                        ),
                    )
                    .resource(id.clone())
                    .path(format!("Resources/{id}"))
                    .at(reference.pos)
                    .hint(format!("declare a resource named {} or fix the name", reference.target)),
                );
                continue;
            }
            if t.resources.contains_key(&reference.target) {
                // A resource that refers to itself is a cycle of one, as in AWS.
                deps.insert(reference.target.clone());
            } else if !known(&reference.target) {
                unresolved.entry(reference.target.clone()).or_insert((id.clone(), reference.pos));
            }
        }
        graph.depends.insert(id.clone(), deps);
    }
    if !unresolved.is_empty() {
        let names: Vec<&str> = unresolved.keys().map(String::as_str).collect();
        let (first_id, first_pos) = unresolved.values().next().cloned().unwrap_or_default();
        diags.push(
            Diagnostic::error(
                "TN1002",
                format!("Template format error: Unresolved resource dependencies [{}] in the Resources block of the template", names.join(", ")),
            )
            .resource(first_id.clone())
            .path(format!("Resources/{first_id}"))
            .at(first_pos)
            .hint("declare the missing resources or parameters, or fix the names"),
        );
    }
    for (name, o) in &t.outputs {
        let mut missing = Vec::new();
        for reference in references(&o.value).into_iter().chain(o.export_name.iter().flat_map(references)) {
            if !known(&reference.target) && !missing.contains(&reference.target) {
                missing.push(reference.target.clone());
            }
        }
        if !missing.is_empty() {
            diags.push(
                Diagnostic::error(
                    "TN1002",
                    format!("Template format error: Unresolved resource dependencies [{}] in the Outputs block of the template", missing.join(", ")),
                )
                .resource(name.clone())
                .path(format!("Outputs/{name}"))
                .at(o.pos),
            );
        }
        // AWS doc: "Outputs": an export's name may not depend on resources.
        if let Some(export) = &o.export_name {
            let on_resources = references(export).iter().any(|r| t.resources.contains_key(&r.target))
                || contains_function(export, &["Fn::ImportValue", "Fn::GetAZs", "Fn::GetAtt"]);
            if on_resources {
                diags.push(
                    Diagnostic::error(
                        "TN1009",
                        format!("Template format error: Output {name} is malformed.  The Name field of Export must not depend on any resources, imported values, or Fn::GetAZs."),
                    )
                    .resource(name.clone())
                    .path(format!("Outputs/{name}/Export/Name"))
                    .at(export.pos)
                    .hint("build the export name from parameters and AWS::StackName only"),
                );
            }
        }
    }
    for (name, cond) in &t.conditions {
        let bad: Vec<String> = references(cond)
            .into_iter()
            .filter(|r| !is_pseudo(&r.target) && !t.parameters.contains_key(&r.target))
            .map(|r| r.target)
            .collect();
        if !bad.is_empty() {
            diags.push(
                Diagnostic::error(
                    "TN1002",
                    format!("Template format error: Unresolved dependencies [{}]. Cannot reference resources in the Conditions block of the template", bad.join(", ")),
                )
                .resource(name.clone())
                .path(format!("Conditions/{name}"))
                .at(cond.pos),
            );
        }
    }
    let cycles = cycles(&graph.depends);
    if !cycles.is_empty() {
        let members: Vec<&str> = cycles.iter().flatten().map(String::as_str).collect();
        let first = members.first().map(|s| s.to_string()).unwrap_or_default();
        let pos = t.resources.get(&first).map(|r| r.pos).unwrap_or_default();
        diags.push(
            Diagnostic::error("TN1003", format!("Circular dependency between resources: [{}]", members.join(", ")))
                .resource(first.clone())
                .path(format!("Resources/{first}"))
                .at(pos)
                .hint("break the loop: remove a DependsOn or move a rule into its own SecurityGroupIngress/Egress resource"),
        );
    }
    graph.order = topological_order(&graph.depends);
    let file = t.file.clone();
    (graph, diags.into_iter().map(|d| d.file(file.clone())).collect())
}

fn contains_function(node: &Node, names: &[&str]) -> bool {
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        if let Some((name, _)) = n.intrinsic() {
            if names.contains(&name) {
                return true;
            }
        }
        match &n.value {
            Value::List(l) => todo.extend(l.iter()),
            Value::Map(m) => todo.extend(m.entries.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    false
}

/// Strongly connected components with more than one member, or a member
/// that depends on itself (Tarjan's algorithm, iterative).
pub fn cycles(depends: &IndexMap<String, IndexSet<String>>) -> Vec<Vec<String>> {
    let n = depends.len();
    let idx = |s: &str| depends.get_index_of(s);
    let edges: Vec<Vec<usize>> = depends.values().map(|d| d.iter().filter_map(|x| idx(x)).collect()).collect();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut ei)) = call.last_mut() {
            if *ei < edges[v].len() {
                let w = edges[v][*ei];
                *ei += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    if comp.len() > 1 || edges[v].contains(&v) {
                        comp.sort_unstable();
                        out.push(
                            comp.into_iter().filter_map(|i| depends.get_index(i).map(|(k, _)| k.clone())).collect(),
                        );
                    }
                }
            }
        }
    }
    out.sort();
    out
}

/// Dependencies first; among ready resources, template order. Members of
/// cycles come last, in template order, so callers can still go on.
pub fn topological_order(depends: &IndexMap<String, IndexSet<String>>) -> Vec<String> {
    let mut done: IndexSet<String> = IndexSet::new();
    loop {
        let before = done.len();
        for (id, deps) in depends {
            if !done.contains(id) && deps.iter().all(|d| done.contains(d) || d == id || !depends.contains_key(d)) {
                done.insert(id.clone());
            }
        }
        if done.len() == depends.len() {
            break;
        }
        if done.len() == before {
            for id in depends.keys() {
                done.insert(id.clone());
            }
            break;
        }
    }
    done.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_str;

    fn graph(s: &str) -> (Graph, Vec<Diagnostic>) {
        let n = load_str(s).expect("loads");
        let (t, d) = Template::from_node(&n, None);
        assert!(d.is_empty(), "{d:?}");
        build(&t)
    }

    #[test]
    fn orders_by_references() {
        let (g, d) = graph(
            "Parameters:\n  P: {Type: String}\nResources:\n  C:\n    Type: X\n    Properties: {A: !GetAtt B.Arn, S: !Sub '${A}-${P}-${AWS::Region}-${!Lit}'}\n  B:\n    Type: X\n    DependsOn: A\n  A:\n    Type: X\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(g.order, vec!["A", "B", "C"]);
        assert!(g.depends["C"].contains("A"));
    }

    #[test]
    fn unresolved_names_are_listed_together() {
        let (_, d) = graph(
            "Resources:\n  A:\n    Type: X\n    Properties: {V: !Ref Vpc, S: !Sub '${Subnet}'}\n    DependsOn: Gone\n",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "Template format error: Unresolved resource dependencies [Gone, Vpc, Subnet] in the Resources block of the template");
        assert_eq!(d[0].code, "TN1002");
    }

    #[test]
    fn cycles_name_their_members() {
        let (g, d) = graph("Resources:\n  A: {Type: X, DependsOn: C}\n  B: {Type: X, DependsOn: A}\n  C:\n    Type: X\n    Properties: {X: !Ref B}\n  D: {Type: X, DependsOn: A}\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "Circular dependency between resources: [A, B, C]");
        assert_eq!(g.order.len(), 4);
    }

    #[test]
    fn export_names_must_not_depend_on_resources() {
        let (_, d) =
            graph("Resources:\n  A: {Type: X}\nOutputs:\n  O:\n    Value: x\n    Export: {Name: !Sub '${A}-x'}\n");
        assert_eq!(d[0].message, "Template format error: Output O is malformed.  The Name field of Export must not depend on any resources, imported values, or Fn::GetAZs.");
    }
}
