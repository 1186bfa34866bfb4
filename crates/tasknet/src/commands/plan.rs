//! `tasknet plan`: what creating the stack would add, then the findings.

use super::emit;
use super::stack::{check_stack_name, stack_input};
use crate::cli::{Cli, PlanArgs, PlanFormat};
use crate::error::CliError;
use crate::output::{self, plan::PlanJson, text::Style, Finding};
use crate::state;
use serde::Serialize;

/// plan's JSON: the findings document plus the plan.
#[derive(Serialize)]
struct PlanOutput {
    findings: Vec<Finding>,
    errors: usize,
    warnings: usize,
    plan: PlanJson,
}

/// Runs plan; the exit code is 1 when there are errors, 2 when the template is malformed.
pub fn run(cli: &Cli, args: &PlanArgs) -> Result<u8, CliError> {
    check_stack_name(&args.stack_name)?;
    let input = stack_input(&args.stack, args.stack_name.clone())?;
    let (account, _) = state::account_for_reading(cli.state_dir.as_deref(), cli.account_file.as_deref())?;
    let analysis = stacks::engine::preview(&account, &input)?;
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
            output::to_json(&PlanOutput { findings: doc.findings, errors, warnings, plan: PlanJson::from(&analysis.plan) })?
        }
    };
    emit(&text)?;
    Ok(output::exit_code(&analysis.diagnostics))
}
