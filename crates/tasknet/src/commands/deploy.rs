//! `tasknet deploy` and `tasknet delete-stack`: what `aws cloudformation
//! deploy` and `delete-stack` (with its waiter) print, against the local
//! account, with the stack events streamed as they happen.

use super::stack::{check_stack_name, stack_input};
use super::{emit, open_session};
use crate::cli::{Cli, DeleteStackArgs, DeployArgs};
use crate::error::CliError;
use crate::output::{self, text::Style};
use account::StackEvent;
use shapes::time;
use stacks::engine::{DeployOptions, EngineError, Outcome};

/// Streams events to stdout.
struct Printer {
    quiet: bool,
    /// A line printed once, before the first event (also when quiet): the
    /// aws CLI's waiter line comes once the change set exists.
    before_first_event: Option<&'static str>,
}

impl Printer {
    fn event(&mut self, e: &StackEvent) {
        if let Some(line) = self.before_first_event.take() {
            let _ = emit(line);
        }
        if self.quiet {
            return;
        }
        let line = format!(
            "{}  {:<44} {:<42} {:<36} {}",
            time::text(e.timestamp),
            e.resource_status,
            e.resource_type,
            e.logical_resource_id,
            e.resource_status_reason.as_deref().unwrap_or("")
        );
        let _ = emit(&format!("{}\n", line.trim_end()));
    }
}

/// Runs `deploy`: 0 when the stack is created, updated or unchanged; 1 when
/// the change set or the stack operation failed.
pub fn run(cli: &Cli, args: &DeployArgs) -> Result<u8, CliError> {
    check_stack_name(&args.stack_name)?;
    let input = stack_input(&args.stack, args.stack_name.clone())?;
    let mut session = open_session(cli, "deploy", true)?;
    equip(cli, &mut session);
    let opts = DeployOptions {
        capabilities: args.capabilities.clone(),
        disable_rollback: args.disable_rollback,
        service_timeout_ms: args.service_timeout.saturating_mul(60_000),
        execute: !args.no_execute_changeset,
        change_set: None,
    };
    emit("\nWaiting for changeset to be created..\n")?;
    let mut printer =
        Printer { quiet: args.quiet, before_first_event: Some("Waiting for stack create/update to complete\n") };
    let result = runtime::cloudformation::deploy(&mut session, &input, &opts, &mut |e| printer.event(e));
    session.save()?;
    let name = &args.stack_name;
    match result {
        Ok(Outcome::NoChanges { .. }) => {
            emit(&format!("\nNo changes to deploy. Stack {name} is up to date\n"))?;
            Ok(if args.fail_on_empty_changeset { 1 } else { 0 })
        }
        Ok(Outcome::ChangeSetCreated(cs)) => {
            let mut out =
                String::from("Changeset created successfully. Run the following command to review changes:\n");
            out.push_str(&format!(
                "tasknet describe stacks --stack-name {name} --output json   # change set {}\n\n",
                cs.change_set_id
            ));
            for c in &cs.changes {
                out.push_str(&format!(
                    "{:<7} {:<36} {:<42} {}\n",
                    c.action,
                    c.logical_resource_id,
                    c.resource_type,
                    c.replacement.as_deref().map(|r| format!("Replacement: {r}")).unwrap_or_default()
                ));
            }
            emit(&out)?;
            Ok(0)
        }
        Ok(Outcome::Complete { .. }) => {
            // The aws CLI prints this same line for a create and for an update.
            emit(&format!("Successfully created/updated stack - {name}\n"))?;
            let topo = reach::topology::Topology::new(&session.account);
            let findings = reach::findings::stack_findings(&topo, name);
            emit(&crate::output::reach::findings_lines(&findings, Some(&input.template_path)))?;
            Ok(0)
        }
        Ok(Outcome::Failed { status, reason, .. }) => {
            let verb = if status.starts_with("UPDATE") { "update" } else { "create" };
            emit(&format!(
                "\nFailed to {verb} the stack ({status}: {reason}). Run the following command\nto fetch the list of events leading up to the failure\ntasknet describe stack-events --stack-name {name}\n"
            ))?;
            Ok(1)
        }
        Err(EngineError::ChangeSetFailed { reason, diagnostics, sources }) => {
            let mut out = format!(
                "\nFailed to create the changeset: Waiter ChangeSetCreateComplete failed: Waiter encountered a terminal failure state: For expression \"Status\" we matched expected path: \"FAILED\" Status: FAILED. Reason: {reason}\n\n"
            );
            out.push_str(&output::diagnostics_text(&diagnostics, &sources, Style::stdout()));
            emit(&out)?;
            Ok(1)
        }
        Err(EngineError::Input(e)) => Err(CliError::Input(e)),
        Err(e) => {
            emit(&format!("\n{e}\n"))?;
            Ok(1)
        }
    }
}

/// Runs `delete-stack` and waits for it, as `aws cloudformation delete-stack`
/// followed by `wait stack-delete-complete` would.
pub fn delete(cli: &Cli, args: &DeleteStackArgs) -> Result<u8, CliError> {
    let mut session = open_session(cli, "delete-stack", true)?;
    equip(cli, &mut session);
    let mut printer = Printer { quiet: args.quiet, before_first_event: None };
    let result = runtime::cloudformation::delete_stack(&mut session, &args.stack_name, &mut |e| printer.event(e));
    session.save()?;
    let name = &args.stack_name;
    match result {
        Ok(None) => {
            // AWS's DeleteStack succeeds silently for a stack that does not exist.
            emit(&format!("Stack {name} does not exist; nothing to delete\n"))?;
            Ok(0)
        }
        Ok(Some(Outcome::Complete { .. })) => {
            emit(&format!("Successfully deleted stack - {name}\n"))?;
            Ok(0)
        }
        Ok(Some(Outcome::Failed { status, reason, .. })) => {
            emit(&format!("\nFailed to delete the stack ({status}: {reason})\n"))?;
            Ok(1)
        }
        Ok(Some(_)) => Ok(0),
        Err(e) => Err(CliError::Refused(e.to_string())),
    }
}

/// Custom resources' functions run: a session of a server has the server's
/// host already; a command's own runs them against an endpoint it serves for
/// its run. Running a function the account holds is always allowed (AWS
/// blocks creating and updating functions on old runtimes, not invoking
/// them; creating one was checked by its template's TN2301).
fn equip(cli: &Cli, session: &mut runtime::Session) {
    if session.functions().is_none() {
        let host = wire::functions::Host::for_command(cli.state_dir.clone(), true);
        session.set_functions(std::sync::Arc::new(host));
    }
}
