//! The command line, as clap derive types. Flag names mirror
//! `aws cloudformation deploy` so a user's muscle memory (and scripts) carry over.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Local emulation of AWS ECS task networking: validate and plan CloudFormation stacks.
#[derive(Debug, Parser)]
#[command(name = "tasknet", version, about, propagate_version = true)]
pub struct Cli {
    /// Folder that holds the account store (default: the user's state dir, e.g. ~/.local/state/tasknet).
    #[arg(long, global = true, env = "TASKNET_STATE_DIR", value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Use this account file instead of the stored account (read only).
    #[arg(long, global = true, value_name = "FILE")]
    pub account_file: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report every mistake AWS would report for a template, in AWS's words.
    Validate(ValidateArgs),
    /// Show what creating the stack would add to the account, and its findings.
    Plan(PlanArgs),
    /// Show or replace the account that templates are checked against.
    #[command(subcommand)]
    Account(AccountCommand),
}

/// The stack inputs shared by `validate` and `plan`.
#[derive(Debug, Args)]
pub struct StackArgs {
    /// The CloudFormation template (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    pub template_file: PathBuf,
    /// Parameter values as Key=Value words, e.g. `--parameter-overrides $(cat dev.cfg)`.
    #[arg(long, num_args = 1.., value_name = "KEY=VALUE", action = clap::ArgAction::Append)]
    pub parameter_overrides: Vec<String>,
    /// A parameters file in the create-stack JSON form (`file://` prefix accepted).
    #[arg(long, value_name = "FILE")]
    pub parameters: Option<String>,
    /// Attributes of custom resources: {"LogicalId": {"Attr": "value", "PhysicalResourceId": "..."}} (`file://` accepted).
    #[arg(long, value_name = "FILE")]
    pub custom_outputs: Option<String>,
}

/// `tasknet validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Template and parameters.
    #[command(flatten)]
    pub stack: StackArgs,
    /// Stack name for AWS::StackName (default: the template file's stem).
    #[arg(long, value_name = "NAME")]
    pub stack_name: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub output: ValidateFormat,
}

/// `tasknet plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Template and parameters.
    #[command(flatten)]
    pub stack: StackArgs,
    /// Stack name (AWS::StackName, and the prefix of generated names).
    #[arg(long, value_name = "NAME")]
    pub stack_name: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub output: PlanFormat,
}

/// Output formats of `validate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// Compiler-style text with source snippets.
    Text,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// Output formats of `plan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// A change-set table, then the findings.
    Text,
    /// One JSON document.
    Json,
}

/// `tasknet account …`.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Print the account as an account file (edit it, then `account load` it).
    Show {
        /// Output format.
        #[arg(long, value_enum, default_value_t = AccountFormat::Yaml)]
        output: AccountFormat,
    },
    /// Replace the stored account with one imported from a folder of `aws ec2 describe-*` JSON.
    Import {
        /// Folder holding the describe-* outputs.
        folder: PathBuf,
    },
    /// Replace the stored account with an account file.
    Load {
        /// The account file (YAML).
        file: PathBuf,
    },
    /// Replace the stored account with the built-in default account.
    Reset,
}

/// Output formats of `account show`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AccountFormat {
    /// The account-file YAML.
    Yaml,
    /// The same structure as JSON.
    Json,
}
