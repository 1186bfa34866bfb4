//! The whole pipeline behind `validate` and `plan`: read, check the
//! template's structure, resolve parameters and conditions, plan every
//! resource into a scratch account, then apply the cross-resource rules.

use crate::handlers;
use crate::plan::{Plan, PlannedOutput, PlannedResource};
use crate::planner::{Planner, ResolvedResource};
use crate::rules;
use account::Account;
use cfn::load::LoadError;
use cfn::params::{self, ParamLookup};
use cfn::resolve::{Pseudo, ResolveError, Resolver};
use cfn::template::Template;
use cfn::{Diagnostic, Node, Pos, Value};
use indexmap::IndexMap;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How deep nested stacks may go (CloudFormation's own limit is not in our facts;
/// this only guards against a template that nests itself).
const MAX_NESTING: usize = 8;

/// The code of structural template errors (see [`Analysis::is_malformed`]).
pub const MALFORMED: &str = "TN1008";

/// What to analyze.
#[derive(Clone, Debug, Default)]
pub struct StackInput {
    /// The template file.
    pub template_path: PathBuf,
    /// The stack name (`--stack-name`); validate uses the file's stem.
    pub stack_name: String,
    /// `--parameter-overrides` pairs.
    pub overrides: Vec<(String, String)>,
    /// `--parameters` file pairs.
    pub file_params: Vec<(String, String)>,
    /// Attributes of custom resources, by logical ID.
    pub custom_attributes: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    /// The stack's ID when it already exists (updates keep it); `None` makes one up.
    pub stack_id: Option<String>,
    /// `--allow-deprecated-runtimes`: Lambda functions on runtimes past their
    /// block-create date are created (a warning) instead of refused.
    pub allow_deprecated_runtimes: bool,
}

/// What the engine decides for a resource before its handler runs.
pub enum Step {
    /// Run the handler (create it).
    Create,
    /// Do not run the handler: the resource exists (unchanged, or updated in
    /// place by the hook) and answers Ref and GetAtt with this.
    Keep(crate::planner::Planned),
    /// Stop the walk here (the operation failed).
    Stop,
}

/// Hooks into the walk over a stack's resources: how `deploy` turns the same
/// pipeline that plans a stack into one that creates and updates it.
pub trait Hooks {
    /// Called once a resource's properties are resolved, before its handler runs.
    fn before(&mut self, _planner: &mut Planner, _r: &ResolvedResource, _input: &StackInput) -> Step {
        Step::Create
    }

    /// Called after the handler ran (not for kept resources); `false` stops the walk.
    fn after(&mut self, _planner: &mut Planner, _r: &ResolvedResource, _planned: &crate::planner::Planned) -> bool {
        true
    }
}

/// The hooks of `validate` and `plan`: create everything, never stop.
pub struct NoHooks;

impl Hooks for NoHooks {}

/// Input that cannot be analyzed at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a readable YAML or JSON document.
    #[error("{path}:{}: {error}", error.pos())]
    Load {
        /// The file.
        path: PathBuf,
        /// Why, with where.
        error: LoadError,
        /// The text, for a snippet (empty when it was not text).
        source_text: String,
    },
    /// The document is not a template at all (not a mapping).
    #[error("{path}: {message}")]
    NotATemplate {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// The result of analyzing a stack.
#[derive(Debug)]
pub struct Analysis {
    /// Every finding, errors and warnings, in template order within each stage.
    pub diagnostics: Vec<Diagnostic>,
    /// The plan (complete as far as the findings allowed).
    pub plan: Plan,
    /// The text of every template read, for snippets.
    pub sources: BTreeMap<PathBuf, String>,
}

impl Analysis {
    /// True when any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// True when the file parses but is not a well-formed template (wrong
    /// types for sections, unknown top-level keys, a resource without a
    /// Type: code TN1008). Such input is unreadable: exit code 2, not 1.
    pub fn is_malformed(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error() && d.code == MALFORMED)
    }
}

/// Analyzes a stack against `account` (which is not changed).
pub fn analyze(input: &StackInput, account: &Account) -> Result<Analysis, InputError> {
    analyze_with(input, account.clone(), &mut NoHooks)
}

/// Analyzes a stack into `account` (taken, and returned as the plan's
/// account), letting `hooks` decide per resource; the engine's entry point.
pub fn analyze_with(input: &StackInput, account: Account, hooks: &mut dyn Hooks) -> Result<Analysis, InputError> {
    let mut sources = BTreeMap::new();
    let (plan, mut diagnostics) = analyze_one(input, account, &mut sources, 0, hooks)?;
    // Stable order: by file, then line, then column; the stages' order breaks ties.
    diagnostics
        .sort_by(|a, b| (&a.file, a.pos.map(|p| (p.line, p.col))).cmp(&(&b.file, b.pos.map(|p| (p.line, p.col)))));
    Ok(Analysis { diagnostics, plan, sources })
}

fn read_template(
    path: &Path,
    sources: &mut BTreeMap<PathBuf, String>,
) -> Result<(Template, Vec<Diagnostic>), InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Read { path: path.to_path_buf(), source })?;
    if let Some(message) = cfn::quotas::too_big(bytes.len()) {
        return Err(InputError::NotATemplate { path: path.to_path_buf(), message });
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let root = cfn::load::load_bytes(&bytes).map_err(|error| InputError::Load {
        path: path.to_path_buf(),
        error,
        source_text: if std::str::from_utf8(&bytes).is_ok() { text.clone() } else { String::new() },
    })?;
    if !matches!(root.value, Value::Map(_)) {
        return Err(InputError::NotATemplate {
            path: path.to_path_buf(),
            message: format!(
                "Template format error: unsupported structure. (the document is a {}, not a mapping)",
                root.kind_name()
            ),
        });
    }
    sources.insert(path.to_path_buf(), text);
    Ok(Template::from_node(&root, Some(path.to_path_buf())))
}

/// The account as a source of SSM parameters and ID existence.
struct AccountLookup<'a>(&'a Account);

impl ParamLookup for AccountLookup<'_> {
    fn ssm_parameter(&self, name: &str) -> Option<String> {
        self.0.ssm_parameters.get(name).map(|p| p.value.clone())
    }

    fn aws_id_exists(&self, param_type: &str, id: &str) -> Option<bool> {
        let a = self.0;
        let kind = param_type.trim_start_matches("List<").trim_end_matches('>');
        match kind {
            "AWS::EC2::VPC::Id" => Some(a.vpcs.contains_key(id)),
            "AWS::EC2::Subnet::Id" => Some(a.subnets.contains_key(id)),
            "AWS::EC2::SecurityGroup::Id" => Some(a.security_groups.contains_key(id)),
            "AWS::EC2::Instance::Id" => Some(a.instances.contains_key(id)),
            "AWS::EC2::AvailabilityZone::Name" => Some(a.zone_names().iter().any(|z| z == id)),
            // Images, key pairs, volumes, hosted zones: the account does not model them.
            _ => None,
        }
    }
}

fn diag_from_resolve(e: ResolveError, id: &str, path: &str) -> Diagnostic {
    let code = if e.message.contains("Unresolved resource dependencies") { "TN1002" } else { "TN1009" };
    Diagnostic::error(code, e.message).resource(id).path(path).at(e.pos)
}

fn analyze_one(
    input: &StackInput,
    account: Account,
    sources: &mut BTreeMap<PathBuf, String>,
    depth: usize,
    hooks: &mut dyn Hooks,
) -> Result<(Plan, Vec<Diagnostic>), InputError> {
    let path = input.template_path.as_path();
    let (template, mut diags) = read_template(path, sources)?;
    let file = Some(path.to_path_buf());

    // Resource types first: CloudFormation refuses the whole template.
    let serverless = template.transforms.iter().any(|t| t == "AWS::Serverless-2016-10-31");
    let unknown: Vec<(&str, Pos, &str)> = template
        .resources
        .values()
        .filter(|r| !cfn::spec::is_known_type(&r.type_name, serverless))
        .map(|r| (r.type_name.as_str(), r.type_pos, r.logical_id.as_str()))
        .collect();
    if let Some((_, pos, id)) = unknown.first() {
        // Each type once, in template order (dedup alone keeps non-adjacent repeats).
        let mut names: Vec<&str> = Vec::new();
        for (t, _, _) in &unknown {
            if !names.contains(t) {
                names.push(t);
            }
        }
        diags.push(
            Diagnostic::error(
                "TN1001",
                format!("Template format error: Unrecognized resource types: [{}]", names.join(", ")),
            )
            .resource(*id)
            .path(format!("Resources/{id}/Type"))
            .at(*pos)
            .file(file.clone())
            .hint(handlers::type_hint(names.iter().copied())),
        );
    }
    let (graph, graph_diags) = cfn::graph::build(&template);
    diags.extend(graph_diags);

    let (decls, decl_diags) = params::read_decls(&template);
    diags.extend(decl_diags.into_iter().map(|d| d.file(file.clone())));
    let (values, param_diags) =
        params::resolve_parameters(&decls, &input.overrides, &input.file_params, &AccountLookup(&account));
    diags.extend(param_diags.into_iter().map(|d| d.file(file.clone())));
    let shown: Vec<(String, String)> = decls
        .iter()
        .filter_map(|d| values.get(&d.name).map(|v| (d.name.clone(), params::display_value(d, v))))
        .collect();

    let mut pseudo = Pseudo::new(&account.account_id, &account.region, &input.stack_name);
    if let Some(id) = &input.stack_id {
        pseudo.stack_id = id.clone();
    }
    let mut planner = Planner::new(account, pseudo.clone(), file.clone());
    planner.custom_attributes = input.custom_attributes.clone();
    planner.allow_deprecated_runtimes = input.allow_deprecated_runtimes;
    planner.template_dir = input.template_path.parent().map(Path::to_path_buf);
    planner.written =
        template.resources.iter().filter_map(|(id, d)| Some((id.clone(), d.properties.clone()?))).collect();
    // Conditions see no resources; the planner takes over for properties.
    let no_resources = cfn::resolve::NoResources;
    let base = Resolver::new(&template, &values, &pseudo, &no_resources);
    let (conditions, cond_errors) = base.evaluate_all_conditions();
    for (name, e) in cond_errors {
        diags.push(diag_from_resolve(e, &name, &format!("Conditions/{name}")).file(file.clone()));
    }
    // Structural or parameter errors make resolution meaningless: AWS stops there too.
    let blocking = diags.iter().any(|d| d.is_error());
    let mut skipped = Vec::new();
    let mut stopped = false;
    if !blocking {
        for id in &graph.order {
            let Some(decl) = template.resources.get(id) else {
                continue;
            };
            if let Some((cond, cpos)) = &decl.condition {
                match conditions.get(cond) {
                    Some(true) => {}
                    Some(false) => {
                        skipped.push(id.clone());
                        continue;
                    }
                    None => {
                        planner.report(
                            Diagnostic::error("TN1002", format!("Template format error: Unresolved dependencies [{cond}]. Cannot reference resources in the Conditions block of the template"))
                                .resource(id.clone())
                                .path(format!("Resources/{id}/Condition"))
                                .at(*cpos),
                        );
                        continue;
                    }
                }
            }
            let resolver = base.with_context(&planner);
            let props = match &decl.properties {
                Some(p) => resolver.resolve_value(p),
                None => Ok(Node::new(Value::Map(Default::default()), decl.pos)),
            };
            let metadata = decl.node.get("Metadata").map(|m| resolver.resolve_value(m));
            drop(resolver);
            let (properties, resolved_ok) = match props {
                Ok(p) => (p, true),
                Err(e) => {
                    let d = diag_from_resolve(e, id, &format!("Resources/{id}/Properties"));
                    planner.report(d);
                    (Node::new(Value::Map(Default::default()), decl.pos), false)
                }
            };
            let metadata = match metadata {
                Some(Ok(m)) => Some(m),
                Some(Err(e)) => {
                    planner.report(diag_from_resolve(e, id, &format!("Resources/{id}/Metadata")));
                    None
                }
                None => None,
            };
            let path = format!("Resources/{id}/Properties");
            // Properties that failed to resolve were already reported; checking
            // the empty stand-in would only add false "required" findings.
            let mut invalid = !resolved_ok;
            if resolved_ok {
                for d in cfn::spec::validate_properties(id, &decl.type_name, &properties, &path) {
                    // A function's `Code: ./folder` is `aws cloudformation package`'s input, which
                    // tasknet's own deploy runs in place: a warning that AWS needs it packaged.
                    let d = match crate::handlers::local_code_folder(&planner, &decl.type_name, &properties, &d) {
                        Some(warning) => warning,
                        None => d,
                    };
                    invalid |= d.is_error();
                    planner.report(d);
                }
            }
            let resource = ResolvedResource {
                logical_id: id.clone(),
                resource_type: decl.type_name.clone(),
                properties,
                metadata,
                pos: decl.pos,
            };
            planner.resolved.insert(id.clone(), resource.clone());
            match hooks.before(&mut planner, &resource, input) {
                Step::Create => {}
                Step::Keep(planned) => {
                    planner.planned.insert(id.clone(), planned);
                    continue;
                }
                Step::Stop => {
                    stopped = true;
                    break;
                }
            }
            let planned = if decl.type_name == "AWS::CloudFormation::Stack" && depth < MAX_NESTING {
                plan_nested(&mut planner, &resource, input, sources, depth)?
            } else {
                handlers::plan(&mut planner, &resource)
            };
            if !hooks.after(&mut planner, &resource, &planned) {
                planner.planned.insert(id.clone(), planned);
                stopped = true;
                break;
            }
            if invalid {
                // CloudFormation would fail this resource and roll back:
                // its dependents' findings about it are consequences.
                planner.failed_ids.push(planned.ref_value.clone());
            }
            planner.planned.insert(id.clone(), planned);
        }
        rules::check(&mut planner);
    }
    let outputs = if blocking || stopped {
        Vec::new()
    } else {
        plan_outputs(&template, &base, &mut planner, &conditions, &input.stack_name)
    };
    diags.append(&mut planner.diagnostics);
    let resources = planner
        .planned
        .iter()
        .map(|(id, p)| PlannedResource {
            action: "Add".into(),
            logical_id: id.clone(),
            resource_type: planner.resolved.get(id).map(|r| r.resource_type.clone()).unwrap_or_default(),
            physical_id: p.ref_value.clone(),
            details: p.details.clone(),
        })
        .collect();
    let imports = planner.imports.borrow().iter().cloned().collect();
    let plan = Plan {
        stack_name: input.stack_name.clone(),
        imports,
        parameters: shown,
        resources,
        skipped,
        outputs,
        account: planner.account,
    };
    Ok((plan, diags))
}

fn plan_outputs(
    template: &Template,
    base: &Resolver<'_>,
    planner: &mut Planner,
    conditions: &IndexMap<String, bool>,
    stack_name: &str,
) -> Vec<PlannedOutput> {
    let mut out = Vec::new();
    for (name, o) in &template.outputs {
        if let Some((cond, _)) = &o.condition {
            if conditions.get(cond) != Some(&true) {
                continue;
            }
        }
        let resolver = base.with_context(&*planner);
        let value = resolver.resolve_string(&o.value, "Outputs");
        let export = o.export_name.as_ref().map(|e| resolver.resolve_string(e, "Export"));
        drop(resolver);
        let value = match value {
            Ok(v) => v,
            Err(e) => {
                planner.report(diag_from_resolve(e, name, &format!("Outputs/{name}/Value")));
                continue;
            }
        };
        let export = match export {
            Some(Ok(x)) => Some(x),
            Some(Err(e)) => {
                planner.report(diag_from_resolve(e, name, &format!("Outputs/{name}/Export/Name")));
                None
            }
            None => None,
        };
        if let Some(x) = &export {
            // AWS doc: "Exporting stack output values": names are unique per region.
            if let Some(existing) = planner.account.export(x) {
                if existing.exporting_stack_name != stack_name {
                    planner.report(
                        Diagnostic::error(
                            "TN1010",
                            format!(
                                "Export with name {x} is already exported by stack {}",
                                existing.exporting_stack_name
                            ),
                        )
                        .resource(name.clone())
                        .path(format!("Outputs/{name}/Export/Name"))
                        .at(o.pos)
                        .hint("choose an export name no other stack uses, e.g. prefix it with ${AWS::StackName}"),
                    );
                }
            }
            planner.account.put_export(account::Export {
                name: x.clone(),
                value: value.clone(),
                exporting_stack_id: planner.pseudo.stack_id.clone(),
                exporting_stack_name: stack_name.to_string(),
            });
        }
        out.push(PlannedOutput { name: name.clone(), value, export });
    }
    out
}

/// The input of a nested stack whose `TemplateURL` is a local file next to
/// the parent template; `Err` with a warning when it is not local.
pub(crate) fn nested_input(
    planner: &mut Planner,
    r: &ResolvedResource,
    parent: &StackInput,
) -> Result<StackInput, Option<Box<Diagnostic>>> {
    let props = crate::props::Props { logical_id: &r.logical_id, node: &r.properties, resource_pos: r.pos };
    let Some(url) = props.str("TemplateURL") else {
        return Err(None);
    };
    let local = url.strip_prefix("file://").unwrap_or(&url);
    let base = parent.template_path.parent().unwrap_or(Path::new("."));
    let mut path = base.join(local);
    if crate::template_url::location(&url).is_ok() {
        // An object of the account's S3: AWS reads it, or fails the nested stack with S3's error.
        path = crate::template_url::file(&planner.account, &url).map_err(|e| {
            Some(Box::new(
                Diagnostic::error("TN1012", e.to_string())
                    .resource(r.logical_id.clone())
                    .path(props.path("TemplateURL"))
                    .at(props.pos("TemplateURL"))
                    .hint("upload the template first (aws s3 cp, aws cloudformation package), or point TemplateURL at a local file"),
            ))
        })?;
    } else if url.starts_with("https://") || url.starts_with("http://") || url.starts_with("s3://") || !path.is_file() {
        return Err(Some(Box::new(
            Diagnostic::warning(
                "TN1011",
                format!("nested stack template {url} is not a local file; its resources are not planned"),
            )
            .resource(r.logical_id.clone())
            .path(props.path("TemplateURL"))
            .at(props.pos("TemplateURL"))
            .hint("point TemplateURL at a file relative to the parent template to have it checked"),
        )));
    }
    let name = format!(
        "{}-{}-{}",
        parent.stack_name,
        r.logical_id,
        planner.account.new_hex(&r.logical_id, 12).to_ascii_uppercase()
    );
    let overrides: Vec<(String, String)> = props
        .get("Parameters")
        .and_then(Node::as_map)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| {
                    let value = match &v.value {
                        Value::List(_) => crate::props::strings(v).join(","),
                        _ => v.scalar_string()?,
                    };
                    Some((k.name.clone(), value))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(StackInput {
        template_path: path,
        stack_name: name,
        overrides,
        file_params: Vec::new(),
        custom_attributes: parent.custom_attributes.clone(),
        stack_id: None,
        allow_deprecated_runtimes: parent.allow_deprecated_runtimes,
    })
}

/// `AWS::CloudFormation::Stack`: its TemplateURL maps to a local file next to
/// the parent; it is planned into the same scratch account, and its outputs
/// become the parent's `Outputs.X` attributes.
fn plan_nested(
    planner: &mut Planner,
    r: &ResolvedResource,
    parent: &StackInput,
    sources: &mut BTreeMap<PathBuf, String>,
    depth: usize,
) -> Result<crate::planner::Planned, InputError> {
    let child = match nested_input(planner, r, parent) {
        Ok(child) => child,
        Err(warning) => {
            if let Some(w) = warning {
                planner.report(*w);
            }
            return Ok(handlers::plan(planner, r));
        }
    };
    let name = child.stack_name.clone();
    // The child is planned into the same scratch account: lend it, take it back.
    let account = std::mem::replace(&mut planner.account, Account::empty("0", "none"));
    let (plan, diags) = analyze_one(&child, account, sources, depth + 1, &mut NoHooks)?;
    planner.account = plan.account;
    for d in diags {
        planner.diagnostics.push(d);
    }
    let arn = format!(
        "arn:aws:cloudformation:{}:{}:stack/{name}/{}",
        planner.pseudo.region,
        planner.pseudo.account_id,
        account::ids::uuid(planner.account.next_words(&name))
    );
    let mut planned = crate::planner::Planned::new(arn).detail("nested", plan.stack_name.clone());
    for o in &plan.outputs {
        planned = planned.attr(&format!("Outputs.{}", o.name), o.value.clone());
    }
    for res in plan.resources {
        planned = planned.detail(&format!("{}/{}", res.logical_id, res.resource_type), res.physical_id);
    }
    Ok(planned)
}
