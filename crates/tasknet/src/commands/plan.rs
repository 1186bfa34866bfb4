//! `tasknet plan`: what creating the stack would add, then the findings.

use super::emit;
use super::stack::{check_stack_name, stack_input};
use crate::cli::{Cli, PlanArgs, PlanFormat};
use crate::error::CliError;
use crate::output::{self, plan::PlanJson, text::Style, Finding};
use runtime::state;
use serde::Serialize;

/// plan's JSON: the findings document plus the plan.
#[derive(Serialize)]
struct PlanOutput {
    findings: Vec<Finding>,
    errors: usize,
    warnings: usize,
    plan: PlanJson,
}

/// Runs plan; the exit code is 1 when there are errors, 2 when the template
/// is malformed or cannot be read (in JSON, stdout then still gets one
/// document, with the error as its finding and `"plan": null`).
pub fn run(cli: &Cli, args: &PlanArgs) -> Result<u8, CliError> {
    let result = plan(cli, args);
    if let Err(e) = &result {
        if args.output == PlanFormat::Json {
            let doc = output::FindingsJson::new(&[e.diagnostic()]);
            let doc = PlanError { findings: doc.findings, errors: doc.errors, warnings: doc.warnings, plan: None };
            super::emit_error_document(e, Some(output::to_json(&doc)));
        }
    }
    result
}

/// plan's JSON when there is no plan: the same keys, `plan` null.
#[derive(Serialize)]
struct PlanError {
    findings: Vec<Finding>,
    errors: usize,
    warnings: usize,
    plan: Option<PlanJson>,
}

/// plan itself.
fn plan(cli: &Cli, args: &PlanArgs) -> Result<u8, CliError> {
    check_stack_name(&args.stack_name)?;
    let input = stack_input(&args.stack, args.stack_name.clone())?;
    let (account, _) = state::account_for_reading(cli.state_dir.as_deref(), cli.account_file.as_deref())?;
    let mut analysis = stacks::engine::preview(&account, &input)?;
    if !analysis.has_errors() {
        analysis.diagnostics.extend(reachability(&analysis, &input));
    }
    let (errors, warnings) = output::counts(&analysis.diagnostics);
    let text = match args.output {
        PlanFormat::Text => {
            let mut out = output::plan::text(&analysis.plan);
            out.push_str(&output::diagnostics_text(&analysis.diagnostics, &analysis.sources, Style::stdout()));
            out.push_str(&output::text::summary(errors, warnings));
            out.push('\n');
            out
        }
        PlanFormat::Json => {
            let doc = output::FindingsJson::new(&analysis.diagnostics);
            output::to_json(&PlanOutput {
                findings: doc.findings,
                errors,
                warnings,
                plan: PlanJson::from(&analysis.plan),
            })?
        }
    };
    emit(&text)?;
    Ok(output::exit_code(&analysis.diagnostics))
}

/// The reachability findings of the planned stack (run only when AWS would
/// accept it: a template with errors creates nothing to reach).
fn reachability(analysis: &stacks::Analysis, input: &stacks::StackInput) -> Vec<cfn::Diagnostic> {
    let plan = &analysis.plan;
    let mut topo = reach::topology::Topology::new(&plan.account);
    for (id, owner) in super::world::planned_owners(plan) {
        topo.add_owner(&id, owner);
    }
    let mut found = reach::findings::stack_findings(&topo, &plan.stack_name);
    let template =
        analysis.sources.get(&input.template_path).and_then(|text| cfn::load::load_bytes(text.as_bytes()).ok());
    let resources =
        template.map(|root| cfn::template::Template::from_node(&root, None).0.resources).unwrap_or_default();
    for d in &mut found {
        d.file = Some(input.template_path.clone());
        if d.pos.is_none() {
            // Findings about a resource as a whole point at its declaration.
            d.pos = d.resource.as_ref().and_then(|r| resources.get(r)).map(|r| r.pos);
        }
    }
    found
}
