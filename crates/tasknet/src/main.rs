//! The `tasknet` command: validate and plan CloudFormation stacks against a
//! local model of an AWS account, and manage that account.

mod cli;
mod commands;
mod error;
mod output;
mod session;
mod state;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap's own codes: 2 for usage errors, 0 for --help and --version.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let result = match &cli.command {
        Command::Validate(args) => commands::validate::run(&cli, args),
        Command::Plan(args) => commands::plan::run(&cli, args),
        Command::Account(command) => commands::account::run(&cli, command),
        Command::Deploy(args) => commands::deploy::run(&cli, args),
        Command::DeleteStack(args) => commands::deploy::delete(&cli, args),
        Command::Describe(args) => commands::describe::run(&cli, args),
        Command::RunTask(args) => commands::ecs::run_task(&cli, args),
        Command::StopTask(args) => commands::ecs::stop_task(&cli, args),
        Command::UpdateService(args) => commands::ecs::update_service(&cli, args),
        Command::Reach(args) => commands::reach::run(&cli, args),
        Command::Audit(args) => commands::audit::run(&cli, args),
        Command::Graph(args) => commands::graph::run(&cli, args),
        Command::Up(args) => commands::up::up(&cli, args),
        Command::Down(args) => commands::up::down(&cli, args),
        Command::Exec(args) => commands::up::exec(&cli, args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprint!("{}", e.render(output::text::Style::stderr()));
            ExitCode::from(2)
        }
    }
}
