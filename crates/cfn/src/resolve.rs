//! Intrinsic functions and conditions, evaluated against parameter values,
//! pseudo parameters and whatever the caller knows about resources.
//!
//! AWS doc: "Intrinsic function reference", "Condition functions",
//! "Pseudo parameters reference". A resolved node keeps the position of the
//! intrinsic it came from, so findings on resolved properties still point at
//! the template line.

use crate::funcs;
use crate::node::{Key, Map, Node, Pos, Value};
use crate::params::ParamValue;
use crate::template::Template;
use indexmap::IndexMap;
use std::cell::RefCell;
use std::collections::HashMap;

/// What resolution needs to know about resources, exports and the region;
/// the planner answers with the physical IDs it assigned.
pub trait ResolveContext {
    /// `Ref` of a resource: its physical ID (or ARN, name: whatever the type's
    /// Ref returns). `None` when the resource is not (yet) known.
    fn resource_ref(&self, logical_id: &str) -> Option<Node>;
    /// `Fn::GetAtt`: the attribute's value, or a message saying why not.
    fn resource_attr(&self, logical_id: &str, attribute: &str) -> Result<Node, String>;
    /// `Fn::ImportValue`: the exported value.
    fn import_value(&self, name: &str) -> Option<String>;
    /// `Fn::GetAZs`: the zones of `region` that the account can use.
    fn availability_zones(&self, region: &str) -> Vec<String>;
}

/// A context that knows no resources and no exports: for conditions and
/// for tests. Zones are those of the region as letters a–f.
pub struct NoResources;

impl ResolveContext for NoResources {
    fn resource_ref(&self, _: &str) -> Option<Node> {
        None
    }
    fn resource_attr(&self, id: &str, attr: &str) -> Result<Node, String> {
        Err(format!("{id}.{attr} is not known here"))
    }
    fn import_value(&self, _: &str) -> Option<String> {
        None
    }
    fn availability_zones(&self, region: &str) -> Vec<String> {
        ["a", "b", "c", "d", "e", "f"].iter().map(|z| format!("{region}{z}")).collect()
    }
}

/// The pseudo parameters of one stack.
/// AWS doc: "Pseudo parameters reference".
#[derive(Clone, Debug)]
pub struct Pseudo {
    /// AWS::AccountId.
    pub account_id: String,
    /// AWS::Region.
    pub region: String,
    /// AWS::StackName.
    pub stack_name: String,
    /// AWS::StackId.
    pub stack_id: String,
    /// AWS::NotificationARNs.
    pub notification_arns: Vec<String>,
}

impl Pseudo {
    /// The pseudo parameters for `stack_name` in `region` of `account_id`;
    /// the stack ID's UUID is derived from the name so plans are repeatable.
    pub fn new(account_id: &str, region: &str, stack_name: &str) -> Self {
        let h = funcs::fnv(format!("{account_id}/{region}/{stack_name}").as_bytes());
        let h2 = funcs::fnv(&h.to_le_bytes());
        let uuid = format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            h >> 32,
            (h >> 16) & 0xffff,
            h & 0xffff,
            h2 >> 48,
            h2 & 0xffff_ffff_ffff
        );
        Pseudo {
            account_id: account_id.to_string(),
            region: region.to_string(),
            stack_name: stack_name.to_string(),
            stack_id: format!(
                "arn:{}:cloudformation:{region}:{account_id}:stack/{stack_name}/{uuid}",
                partition(region)
            ),
            notification_arns: Vec::new(),
        }
    }

    /// The value of `AWS::X`, if X is a pseudo parameter.
    pub fn get(&self, name: &str) -> Option<ParamValue> {
        let s = |v: &str| Some(ParamValue::String(v.to_string()));
        match name {
            "AWS::AccountId" => s(&self.account_id),
            "AWS::Region" => s(&self.region),
            "AWS::StackName" => s(&self.stack_name),
            "AWS::StackId" => s(&self.stack_id),
            "AWS::Partition" => s(partition(&self.region)),
            "AWS::URLSuffix" => s(if self.region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" }),
            "AWS::NotificationARNs" => Some(ParamValue::List(self.notification_arns.clone())),
            _ => None,
        }
    }
}

/// The partition a region belongs to.
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The names `Ref` accepts besides parameters and resources.
/// AWS doc: "Pseudo parameters reference".
pub const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NoValue",
    "AWS::NotificationARNs",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// True for the names `Ref` accepts besides parameters and resources.
pub fn is_pseudo(name: &str) -> bool {
    PSEUDO_PARAMETERS.contains(&name)
}

/// Why an intrinsic could not be evaluated.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ResolveError {
    /// CloudFormation's text where it has one.
    pub message: String,
    /// Where the failing intrinsic is.
    pub pos: Pos,
}

pub(crate) fn fail<T>(pos: Pos, message: impl Into<String>) -> Result<T, ResolveError> {
    Err(ResolveError { message: message.into(), pos })
}

/// Evaluates intrinsics and conditions for one template.
pub struct Resolver<'a> {
    template: &'a Template,
    params: &'a IndexMap<String, ParamValue>,
    pseudo: &'a Pseudo,
    ctx: &'a dyn ResolveContext,
    conditions: RefCell<HashMap<String, Option<bool>>>,
}

impl<'a> Resolver<'a> {
    /// A resolver over `template` with the given parameter values.
    pub fn new(
        template: &'a Template,
        params: &'a IndexMap<String, ParamValue>,
        pseudo: &'a Pseudo,
        ctx: &'a dyn ResolveContext,
    ) -> Self {
        Resolver { template, params, pseudo, ctx, conditions: RefCell::new(HashMap::new()) }
    }

    /// The same parameters and conditions with another resource context.
    pub fn with_context<'b>(&'b self, ctx: &'b dyn ResolveContext) -> Resolver<'b>
    where
        'a: 'b,
    {
        Resolver {
            template: self.template,
            params: self.params,
            pseudo: self.pseudo,
            ctx,
            conditions: RefCell::new(self.conditions.borrow().clone()),
        }
    }

    /// The template being resolved.
    pub fn template(&self) -> &Template {
        self.template
    }

    /// The pseudo parameters.
    pub fn pseudo(&self) -> &Pseudo {
        self.pseudo
    }

    /// Resolves a node; `Ok(None)` means `AWS::NoValue` (the property or list
    /// element disappears).
    pub fn resolve(&self, node: &Node) -> Result<Option<Node>, ResolveError> {
        if let Some((name, arg)) = node.intrinsic() {
            return self.intrinsic(name, arg, node.pos);
        }
        match &node.value {
            Value::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(n) = self.resolve(item)? {
                        out.push(n);
                    }
                }
                Ok(Some(Node::new(Value::List(out), node.pos)))
            }
            Value::Map(m) => {
                let mut out = Map::default();
                for (k, v) in m.iter() {
                    if let Some(n) = self.resolve(v)? {
                        out.entries.push((k.clone(), n));
                    }
                }
                Ok(Some(Node::new(Value::Map(out), node.pos)))
            }
            _ => Ok(Some(node.clone())),
        }
    }

    /// Resolves a node that must not vanish.
    pub fn resolve_value(&self, node: &Node) -> Result<Node, ResolveError> {
        match self.resolve(node)? {
            Some(n) => Ok(n),
            None => fail(node.pos, "AWS::NoValue is not allowed here"),
        }
    }

    /// Resolves to a string (numbers and booleans coerce).
    pub fn resolve_string(&self, node: &Node, func: &str) -> Result<String, ResolveError> {
        let n = self.resolve_value(node)?;
        n.scalar_string().map_or_else(
            || {
                fail(
                    node.pos,
                    format!("Template error: every value of {func} must resolve to a string, found {}", n.kind_name()),
                )
            },
            Ok,
        )
    }

    /// Resolves to a list of strings.
    pub fn resolve_string_list(&self, node: &Node, func: &str) -> Result<Vec<String>, ResolveError> {
        let n = self.resolve_value(node)?;
        match &n.value {
            Value::List(items) => items
                .iter()
                .map(|i| {
                    i.scalar_string()
                        .map_or_else(|| fail(i.pos, format!("Template error: {func} expects a list of strings")), Ok)
                })
                .collect(),
            _ => fail(node.pos, format!("Template error: {func} expects a list of strings, found {}", n.kind_name())),
        }
    }

    fn param_node(&self, value: &ParamValue, pos: Pos) -> Node {
        match value {
            ParamValue::String(s) => Node::string(s.clone(), pos),
            ParamValue::List(l) => {
                Node::new(Value::List(l.iter().map(|s| Node::string(s.clone(), pos)).collect()), pos)
            }
        }
    }

    /// `Ref name`.
    pub fn reference(&self, name: &str, pos: Pos) -> Result<Option<Node>, ResolveError> {
        if name == "AWS::NoValue" {
            return Ok(None);
        }
        if let Some(v) = self.pseudo.get(name) {
            return Ok(Some(self.param_node(&v, pos)));
        }
        if let Some(v) = self.params.get(name) {
            return Ok(Some(self.param_node(v, pos)));
        }
        if self.template.resources.contains_key(name) {
            return match self.ctx.resource_ref(name) {
                Some(n) => Ok(Some(Node { pos, ..n })),
                None => fail(pos, format!("Template format error: Unresolved resource dependencies [{name}] in the Resources block of the template")),
            };
        }
        fail(pos, format!("Template format error: Unresolved resource dependencies [{name}] in the Resources block of the template"))
    }

    /// `Fn::GetAtt [id, attr]`.
    pub fn get_att(&self, id: &str, attr: &str, pos: Pos) -> Result<Node, ResolveError> {
        if !self.template.resources.contains_key(id) {
            return fail(pos, format!("Template error: instance of Fn::GetAtt references undefined resource {id}"));
        }
        match self.ctx.resource_attr(id, attr) {
            Ok(n) => Ok(Node { pos, ..n }),
            Err(msg) => fail(pos, msg),
        }
    }

    fn intrinsic(&self, name: &str, arg: &Node, pos: Pos) -> Result<Option<Node>, ResolveError> {
        let some = |n: Node| Ok(Some(n));
        match name {
            "Ref" => match arg.as_str() {
                Some(target) => self.reference(target, pos),
                None => fail(pos, "Template error: every Ref object must have a single String value."),
            },
            "Condition" => fail(pos, "Template error: Condition is only valid inside condition functions and Fn::If"),
            "Fn::GetAtt" => {
                let (id, attr) = self.get_att_args(arg, pos)?;
                some(self.get_att(&id, &attr, pos)?)
            }
            "Fn::Sub" => some(Node::string(self.sub(arg, pos)?, pos)),
            "Fn::If" => {
                let items = arg.as_list().filter(|l| l.len() == 3);
                let Some([cond, yes, no]) = items else {
                    return fail(pos, "Template error: Fn::If requires a list argument with three elements");
                };
                let Some(cname) = cond.as_str() else {
                    return fail(cond.pos, "Template error: Fn::If requires a condition name as its first element");
                };
                if self.condition(cname, cond.pos)? {
                    self.resolve(yes)
                } else {
                    self.resolve(no)
                }
            }
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                let b = self.condition_expr(&Node::new(Value::Map(single(name, arg.clone(), pos)), pos))?;
                some(Node::new(Value::Bool(b), pos))
            }
            "Fn::Transform" => {
                fail(pos, "tasknet cannot run CloudFormation macros (Fn::Transform); expand the macro first")
            }
            _ => funcs::call(self, name, arg, pos),
        }
    }

    /// The two arguments of `Fn::GetAtt`, in either form.
    pub fn get_att_args(&self, arg: &Node, pos: Pos) -> Result<(String, String), ResolveError> {
        match &arg.value {
            Value::String(s) => match s.split_once('.') {
                Some((id, attr)) => Ok((id.to_string(), attr.to_string())),
                None => fail(pos, "Template error: every Fn::GetAtt object requires two non-empty parameters"),
            },
            Value::List(l) if l.len() == 2 => {
                let id = l[0].as_str().map(str::to_string);
                let attr = self.resolve_string(&l[1], "Fn::GetAtt")?;
                match id {
                    Some(id) if !id.is_empty() && !attr.is_empty() => Ok((id, attr)),
                    _ => fail(pos, "Template error: every Fn::GetAtt object requires two non-empty parameters"),
                }
            }
            _ => fail(pos, "Template error: every Fn::GetAtt object requires two non-empty parameters"),
        }
    }

    /// `Fn::Sub`, both forms.
    fn sub(&self, arg: &Node, pos: Pos) -> Result<String, ResolveError> {
        let (text, vars) = match &arg.value {
            Value::String(s) => (s.clone(), None),
            Value::List(l) if l.len() == 2 => match (&l[0].value, l[1].as_map()) {
                (Value::String(s), Some(m)) => (s.clone(), Some(m)),
                _ => return fail(pos, "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string"),
            },
            _ => return fail(pos, "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string"),
        };
        let mut out = String::with_capacity(text.len());
        for piece in sub_pieces(&text) {
            match piece {
                SubPiece::Text(t) => out.push_str(t),
                SubPiece::Var(v) => {
                    if let Some(node) = vars.and_then(|m| m.get(v)) {
                        out.push_str(&self.resolve_string(node, "Fn::Sub")?);
                        continue;
                    }
                    let resolved = match v.split_once('.') {
                        Some((id, attr)) if !self.params.contains_key(v) && !v.starts_with("AWS::") => {
                            self.get_att(id, attr, pos)?
                        }
                        _ => match self.reference(v, pos)? {
                            Some(n) => n,
                            None => return fail(pos, "Template error: AWS::NoValue is not allowed in Fn::Sub"),
                        },
                    };
                    match resolved.scalar_string() {
                        Some(s) => out.push_str(&s),
                        None => {
                            return fail(
                                pos,
                                format!(
                                    "Template error: variable {v} in Fn::Sub expression does not resolve to a string"
                                ),
                            )
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    /// Evaluates the named condition (memoised; a cycle is an error).
    pub fn condition(&self, name: &str, pos: Pos) -> Result<bool, ResolveError> {
        if let Some(state) = self.conditions.borrow().get(name) {
            return match state {
                Some(b) => Ok(*b),
                None => fail(pos, format!("Template error: Circular dependency between conditions: [{name}]")),
            };
        }
        let Some(expr) = self.template.conditions.get(name) else {
            // Inferred wording: AWS's text for a missing condition is not in our facts.
            return fail(pos, format!("Template error: unresolved condition dependency {name}"));
        };
        self.conditions.borrow_mut().insert(name.to_string(), None);
        let value = self.condition_expr(expr);
        match value {
            Ok(b) => {
                self.conditions.borrow_mut().insert(name.to_string(), Some(b));
                Ok(b)
            }
            Err(e) => {
                self.conditions.borrow_mut().remove(name);
                Err(e)
            }
        }
    }

    /// Evaluates a condition expression.
    /// AWS doc: "Condition functions".
    pub fn condition_expr(&self, expr: &Node) -> Result<bool, ResolveError> {
        let Some((name, arg)) = expr.intrinsic() else {
            return match &expr.value {
                Value::Bool(b) => Ok(*b),
                Value::String(s) if s == "true" || s == "false" => Ok(s == "true"),
                _ => fail(
                    expr.pos,
                    "Template error: Conditions can only be boolean operations on parameters and other conditions",
                ),
            };
        };
        let list = |min: usize, max: usize| -> Result<&[Node], ResolveError> {
            match arg.as_list() {
                Some(l) if l.len() >= min && l.len() <= max => Ok(l),
                _ => fail(expr.pos, format!("Template error: {name} requires a list of {min} to {max} elements")),
            }
        };
        match name {
            "Condition" => match arg.as_str() {
                Some(c) => self.condition(c, arg.pos),
                None => fail(arg.pos, "Template error: Condition must name a condition"),
            },
            "Fn::Equals" => {
                let l = list(2, 2)?;
                let a = self.resolve_value(&l[0])?;
                let b = self.resolve_value(&l[1])?;
                Ok(equal_values(&a, &b))
            }
            "Fn::Not" => Ok(!self.condition_expr(&list(1, 1)?[0])?),
            "Fn::And" => {
                let mut all = true;
                for c in list(2, 10)? {
                    all &= self.condition_expr(c)?;
                }
                Ok(all)
            }
            "Fn::Or" => {
                let mut any = false;
                for c in list(2, 10)? {
                    any |= self.condition_expr(c)?;
                }
                Ok(any)
            }
            _ => fail(expr.pos, format!("Template error: {name} is not a condition function")),
        }
    }

    /// Evaluates every condition of the template; errors come back with the
    /// condition's name.
    pub fn evaluate_all_conditions(&self) -> (IndexMap<String, bool>, Vec<(String, ResolveError)>) {
        let mut values = IndexMap::new();
        let mut errors = Vec::new();
        for (name, node) in &self.template.conditions {
            match self.condition(name, node.pos) {
                Ok(b) => {
                    values.insert(name.clone(), b);
                }
                Err(e) => errors.push((name.clone(), e)),
            }
        }
        (values, errors)
    }

    pub(crate) fn ctx(&self) -> &dyn ResolveContext {
        self.ctx
    }

    pub(crate) fn mappings(&self) -> Option<&Node> {
        self.template.mappings.as_ref()
    }
}

fn single(name: &str, arg: Node, pos: Pos) -> Map {
    Map { entries: vec![(Key { name: name.to_string(), pos }, arg)] }
}

/// Fn::Equals compares resolved values; scalars compare as strings, as
/// CloudFormation does (`Equals [2, "2"]` is true).
fn equal_values(a: &Node, b: &Node) -> bool {
    match (a.scalar_string(), b.scalar_string()) {
        (Some(x), Some(y)) => x == y,
        _ => a.to_json() == b.to_json(),
    }
}

/// A piece of an `Fn::Sub` string.
#[derive(Debug, PartialEq, Eq)]
pub enum SubPiece<'s> {
    /// Literal text (`${!x}` already turned into `${x}`).
    Text(&'s str),
    /// A `${Name}` or `${Res.Attr}` variable.
    Var(&'s str),
}

/// Splits an `Fn::Sub` string into text and variables.
/// AWS doc: "Fn::Sub": `${!Literal}` stands for the literal `${Literal}`.
pub fn sub_pieces(s: &str) -> Vec<SubPiece<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        if start > 0 {
            out.push(SubPiece::Text(&rest[..start]));
        }
        let inner = &after[..end];
        if let Some(lit) = inner.strip_prefix('!') {
            out.push(SubPiece::Text("${"));
            out.push(SubPiece::Text(lit));
            out.push(SubPiece::Text("}"));
        } else {
            out.push(SubPiece::Var(inner.trim()));
        }
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        out.push(SubPiece::Text(rest));
    }
    out
}

#[cfg(test)]
mod tests;
