//! The `tasknet` command: validate and plan CloudFormation stacks against a
//! local model of an AWS account, and manage that account.

mod cli;
mod commands;
mod error;
mod output;

use clap::Parser;
use cli::{Cli, Command};
use std::io::IsTerminal as _;
use std::process::ExitCode;

/// The log's filter when neither `TASKNET_LOG` nor `RUST_LOG` is set: what
/// `up` drops and survives shows in its log, other commands stay quiet.
const DEFAULT_LOG: &str = "warn,runtime::up=info";

/// Logs to stderr at the level `TASKNET_LOG` (else `RUST_LOG`) names.
fn init_log() {
    let directives =
        std::env::var("TASKNET_LOG").or_else(|_| std::env::var("RUST_LOG")).unwrap_or_else(|_| DEFAULT_LOG.to_string());
    // A filter that does not parse falls back to the default rather than stopping the command.
    let filter = tracing_subscriber::EnvFilter::try_new(&directives)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .try_init();
}

fn main() -> ExitCode {
    init_log();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap's own codes: 2 for usage errors, 0 for --help and --version.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let args: Vec<String> = std::env::args_os().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    let result = match commands::forward::to_server(&cli, &args) {
        Some(result) => result,
        None => run(&cli),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprint!("{}", e.render(output::text::Style::stderr()));
            ExitCode::from(e.exit_code())
        }
    }
}

/// Runs the parsed command here (also a command the running server was sent).
fn run(cli: &Cli) -> Result<u8, error::CliError> {
    match &cli.command {
        Command::Validate(args) => commands::validate::run(cli, args),
        Command::Plan(args) => commands::plan::run(cli, args),
        Command::Account(command) => commands::account::run(cli, command),
        Command::Deploy(args) => commands::deploy::run(cli, args),
        Command::DeleteStack(args) => commands::deploy::delete(cli, args),
        Command::Describe(args) => commands::describe::run(cli, args),
        Command::RunTask(args) => commands::ecs::run_task(cli, args),
        Command::StopTask(args) => commands::ecs::stop_task(cli, args),
        Command::UpdateService(args) => commands::ecs::update_service(cli, args),
        Command::Reach(args) => commands::reach::run(cli, args),
        Command::Audit(args) => commands::audit::run(cli, args),
        Command::Graph(args) => commands::graph::run(cli, args),
        Command::Up(args) => commands::up::up(cli, args),
        Command::Down(args) => commands::up::down(cli, args),
        Command::Exec(args) => commands::up::exec(cli, args),
        Command::Serve(args) => commands::serve::run(cli, args),
        Command::Logs(args) => commands::logs::run(cli, args),
    }
}
