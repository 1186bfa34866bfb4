//! The planner: creates a stack's resources, in dependency order, in a
//! scratch copy of the account, and answers `Ref` and `Fn::GetAtt` with the
//! physical IDs and attributes it assigned.

use account::Account;
use cfn::resolve::{Pseudo, ResolveContext};
use cfn::{Diagnostic, Node, Pos, Value};
use indexmap::IndexMap;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A resource after its intrinsics were resolved.
#[derive(Clone, Debug)]
pub struct ResolvedResource {
    /// Logical ID.
    pub logical_id: String,
    /// Resource type.
    pub resource_type: String,
    /// Resolved `Properties` (an empty mapping when there are none).
    pub properties: Node,
    /// Resolved `Metadata`, if any (cfn-init files live here).
    pub metadata: Option<Node>,
    /// Where the resource is declared.
    pub pos: Pos,
}

/// What planning one resource produced.
#[derive(Clone, Debug, Default)]
pub struct Planned {
    /// What `Ref` returns.
    pub ref_value: String,
    /// `Fn::GetAtt` values by attribute name.
    pub attributes: BTreeMap<String, Node>,
    /// Facts for the plan listing.
    pub details: Vec<(String, String)>,
}

impl Planned {
    /// A resource whose Ref is `ref_value`.
    pub fn new(ref_value: impl Into<String>) -> Self {
        Planned { ref_value: ref_value.into(), ..Planned::default() }
    }

    /// Adds a string attribute.
    pub fn attr(mut self, name: &str, value: impl Into<String>) -> Self {
        self.attributes.insert(name.to_string(), Node::string(value, Pos::default()));
        self
    }

    /// Adds a list attribute.
    pub fn attr_list(mut self, name: &str, values: &[String]) -> Self {
        let items = values.iter().map(|v| Node::string(v.clone(), Pos::default())).collect();
        self.attributes.insert(name.to_string(), Node::new(Value::List(items), Pos::default()));
        self
    }

    /// Adds a plan detail.
    pub fn detail(mut self, key: &str, value: impl Into<String>) -> Self {
        self.details.push((key.to_string(), value.into()));
        self
    }
}

/// The planner's state while a stack is planned.
pub struct Planner {
    /// The scratch account the stack is created in.
    pub account: Account,
    /// The stack's pseudo parameters.
    pub pseudo: Pseudo,
    /// The template file, for diagnostics.
    pub file: Option<PathBuf>,
    /// What each planned resource produced, in creation order.
    pub planned: IndexMap<String, Planned>,
    /// Resolved resources, in creation order.
    pub resolved: IndexMap<String, ResolvedResource>,
    /// `Properties` as written, before resolution, by logical ID: where list
    /// items are in the template once resolution has dropped some.
    pub written: BTreeMap<String, Node>,
    /// Attributes of custom resources, given by the user (logical ID → name → value).
    pub custom_attributes: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    /// Findings so far.
    pub diagnostics: Vec<Diagnostic>,
    /// Physical IDs handed to resources whose creation failed.
    pub failed_ids: Vec<String>,
    /// Export names read with `Fn::ImportValue` (a stack that imports an export keeps it from being deleted).
    pub imports: std::cell::RefCell<std::collections::BTreeSet<String>>,
    /// `--allow-deprecated-runtimes`: a Lambda runtime past its block-create date is a warning, not an error.
    pub allow_deprecated_runtimes: bool,
    /// The folder of the template being planned (local paths in it are relative to it).
    pub template_dir: Option<std::path::PathBuf>,
}

impl Planner {
    /// A planner over a scratch copy of `account`.
    pub fn new(account: Account, pseudo: Pseudo, file: Option<PathBuf>) -> Self {
        Planner {
            account,
            pseudo,
            file,
            planned: IndexMap::new(),
            resolved: IndexMap::new(),
            written: BTreeMap::new(),
            custom_attributes: BTreeMap::new(),
            diagnostics: Vec::new(),
            failed_ids: Vec::new(),
            imports: Default::default(),
            allow_deprecated_runtimes: false,
            template_dir: None,
        }
    }

    /// Records a finding about `logical_id` at `pos`.
    pub fn report(&mut self, d: Diagnostic) {
        // A resource that failed already has its finding; AWS would stop
        // there and roll back, so findings that only repeat the failure on
        // its dependents (its stand-in ID "does not exist") are left out.
        if self.failed_ids.iter().any(|id| d.message.contains(id.as_str())) {
            return;
        }
        let d = d.file(self.file.clone());
        self.diagnostics.push(d);
    }

    /// A stand-in physical ID for a resource whose creation failed.
    pub fn failed_id(&mut self, prefix: &str) -> String {
        let id = self.account.new_id(prefix);
        self.failed_ids.push(id.clone());
        id
    }

    /// The physical ID assigned to a logical ID.
    pub fn physical_id(&self, logical_id: &str) -> Option<&str> {
        self.planned.get(logical_id).map(|p| p.ref_value.as_str())
    }

    /// The logical ID whose Ref is `physical_id` (for naming resources in findings).
    pub fn logical_id_of(&self, physical_id: &str) -> Option<&str> {
        self.planned.iter().find(|(_, p)| p.ref_value == physical_id).map(|(k, _)| k.as_str())
    }

    /// The written index of the item of list property `list` whose resolved node (index `resolved`) is at `pos`.
    pub fn written_index(&self, logical_id: &str, list: &str, pos: Pos, resolved: usize) -> usize {
        // Items that resolved to `AWS::NoValue` are gone from the resolved
        // list, so the item is found by position: the last written item
        // starting at or before `pos`, if it starts there or is an intrinsic
        // (an `Fn::If` resolves to a branch inside it). Otherwise (a list
        // written as an intrinsic, an item from `Fn::FindInMap`) the
        // resolved index stands.
        let items = self.written.get(logical_id).and_then(|props| props.get(list)).and_then(Node::as_list);
        items
            .and_then(|items| {
                let i = items.iter().rposition(|n| n.pos <= pos)?;
                (items[i].pos == pos || items[i].intrinsic().is_some()).then_some(i)
            })
            .unwrap_or(resolved)
    }

    /// A name CloudFormation would generate: `STACK-LOGICAL-RANDOM`, the
    /// random part 12 upper-case characters (deterministic here).
    /// AWS doc: "Name type" (generated physical names). Exact shape inferred.
    pub fn generated_name(&mut self, logical_id: &str, max_len: usize) -> String {
        let suffix = self.account.new_hex(logical_id, 12).to_ascii_uppercase();
        let full = format!("{}-{}-{}", self.pseudo.stack_name, logical_id, suffix);
        if full.len() <= max_len {
            return full;
        }
        // Too long (load balancers, target groups: 32): shorten both parts.
        let room = max_len.saturating_sub(suffix.len() + 2);
        let stack: String = self.pseudo.stack_name.chars().take(room / 2).collect();
        let logical: String = logical_id.chars().take(room - stack.len()).collect();
        format!("{stack}-{logical}-{suffix}")
    }
}

impl ResolveContext for Planner {
    fn resource_ref(&self, logical_id: &str) -> Option<Node> {
        self.planned.get(logical_id).map(|p| Node::string(p.ref_value.clone(), Pos::default()))
    }

    fn resource_attr(&self, logical_id: &str, attribute: &str) -> Result<Node, String> {
        let Some(planned) = self.planned.get(logical_id) else {
            return Err(format!(
                "Template format error: Unresolved resource dependencies [{logical_id}] in the Resources block of the template"
            ));
        };
        if let Some(v) = planned.attributes.get(attribute) {
            return Ok(v.clone());
        }
        let resource_type = self.resolved.get(logical_id).map(|r| r.resource_type.as_str()).unwrap_or("");
        if cfn::spec::is_custom_type(resource_type) {
            // Known only once its function answers (deploy runs it; a plan
            // does not): a stable placeholder keeps resolution going, as for
            // unmodelled attributes. `--custom-outputs` gives real values.
            return Ok(Node::string(format!("tasknet-custom:{logical_id}.{attribute}"), Pos::default()));
        }
        if resource_type == "AWS::CloudFormation::Stack" && attribute.starts_with("Outputs.") {
            return Err(format!("nested stack {logical_id} has no output {}", &attribute[8..]));
        }
        match cfn::spec::resource_spec(resource_type) {
            Some(spec) if spec.attributes.contains(&attribute) => {
                // A real attribute that tasknet does not model: a stable
                // placeholder keeps resolution going without inventing a value.
                Ok(Node::string(format!("tasknet-unmodelled:{logical_id}.{attribute}"), Pos::default()))
            }
            _ => Err(format!(
                "Template error: resource {logical_id} does not support attribute type {attribute} in Fn::GetAtt"
            )),
        }
    }

    fn import_value(&self, name: &str) -> Option<String> {
        self.imports.borrow_mut().insert(name.to_string());
        self.account.export(name).map(|e| e.value.clone())
    }

    fn availability_zones(&self, region: &str) -> Vec<String> {
        if region == self.account.region {
            self.account.zone_names()
        } else {
            Vec::new()
        }
    }
}
