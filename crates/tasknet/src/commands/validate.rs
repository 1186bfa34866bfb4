//! `tasknet validate`: every finding about a template, as text, JSON or SARIF.

use super::emit;
use super::stack::{check_stack_name, stack_input};
use crate::cli::{Cli, ValidateArgs, ValidateFormat};
use crate::error::CliError;
use crate::output::{self, text::plural, text::Style, FindingsJson};
use runtime::state;
use std::path::Path;

/// Runs validate; the exit code is 1 when there are errors, 2 when the
/// template is malformed or cannot be read (in JSON and SARIF, stdout then
/// still gets one document, with the error as its finding).
pub fn run(cli: &Cli, args: &ValidateArgs) -> Result<u8, CliError> {
    let result = findings(cli, args);
    if let Err(e) = &result {
        let doc = match args.output {
            ValidateFormat::Text => None,
            ValidateFormat::Json => Some(output::to_json(&FindingsJson::new(&[e.diagnostic()]))),
            ValidateFormat::Sarif => {
                let cwd = std::env::current_dir().ok();
                Some(output::to_json(&output::sarif::log(&[e.diagnostic()], cwd.as_deref())))
            }
        };
        super::emit_error_document(e, doc);
    }
    result
}

/// validate itself.
fn findings(cli: &Cli, args: &ValidateArgs) -> Result<u8, CliError> {
    let template = &args.stack.template_file;
    // A name the user gave must be valid; a file stem is only a stand-in, used as it is.
    if let Some(name) = &args.stack_name {
        check_stack_name(name)?;
    }
    let stack_name = args.stack_name.clone().unwrap_or_else(|| default_stack_name(template));
    let input = stack_input(&args.stack, stack_name)?;
    let (account, _) = state::account_for_reading(cli.state_dir.as_deref(), cli.account_file.as_deref())?;
    let analysis = stacks::engine::preview(&account, &input)?;
    let (errors, warnings) = output::counts(&analysis.diagnostics);
    let text = match args.output {
        ValidateFormat::Text => {
            let mut out = output::diagnostics_text(&analysis.diagnostics, &analysis.sources, Style::stdout());
            out.push_str(&output::text::summary(errors, warnings));
            out.push('\n');
            if errors == 0 {
                let resources = analysis.plan.resources.len() + analysis.plan.skipped.len();
                let parameters = analysis.plan.parameters.len();
                let (resources, parameters) = (plural(resources, "resource"), plural(parameters, "parameter"));
                out.push_str(&format!("validated {}: {resources}, {parameters}\n", template.display()));
            }
            out
        }
        ValidateFormat::Json => output::to_json(&FindingsJson::new(&analysis.diagnostics))?,
        ValidateFormat::Sarif => {
            let cwd = std::env::current_dir().ok();
            output::to_json(&output::sarif::log(&analysis.diagnostics, cwd.as_deref()))?
        }
    };
    emit(&text)?;
    Ok(output::exit_code(&analysis.diagnostics))
}

/// The template file's stem, as `aws cloudformation` users name stacks after files.
pub fn default_stack_name(template: &Path) -> String {
    template
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "stack".into())
}
