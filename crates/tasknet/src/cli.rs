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
    /// Create or update a stack in the local account and run it to a steady state.
    Deploy(DeployArgs),
    /// Delete a stack and everything it created.
    DeleteStack(DeleteStackArgs),
    /// Show stacks, events, ECS, EC2 and ELB state, as the aws CLI's describe calls do.
    Describe(DescribeArgs),
    /// Start tasks outside a service (ECS RunTask).
    RunTask(RunTaskArgs),
    /// Stop a task (ECS StopTask).
    StopTask(StopTaskArgs),
    /// Change a service's desired count or task definition (ECS UpdateService).
    UpdateService(UpdateServiceArgs),
    /// Explain whether one thing can reach another, hop by hop, with every blocking setting and its fix.
    Reach(ReachArgs),
    /// Who can reach what: sources, protocols and ports per destination, and the usual dangers.
    Audit(AuditArgs),
    /// Draw the VPC (subnets, ENIs, gateways, routes) as Graphviz DOT or SVG.
    Graph(GraphArgs),
    /// Run the account for real: every ENI in its own network namespace, security groups in nftables (root).
    Up(UpArgs),
    /// Stop `up` and remove every namespace it made (also after a crash).
    Down(DownArgs),
    /// Run a command inside a task's (or any ENI's, or the internet's) network namespace.
    Exec(ExecArgs),
    /// Serve the AWS APIs on one endpoint for the aws CLI, boto3 and the SDKs (AWS_ENDPOINT_URL).
    Serve(ServeArgs),
    /// Print a log group's, a Lambda function's or a task's CloudWatch Logs events, as `aws logs tail` does.
    Logs(LogsArgs),
}

/// `logs`' arguments.
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// A log group, a Lambda function (its `/aws/lambda/<name>` group) or a task (ARN or ID; its awslogs streams).
    pub target: String,
    /// From when: a number and a unit (s, m, h, d, w), e.g. 10m; an ISO 8601 time (UTC); or epoch seconds.
    #[arg(long, default_value = "10m")]
    pub since: String,
    /// Keep printing new events until Ctrl-C.
    #[arg(long)]
    pub follow: bool,
    /// With --follow, seconds between looks (the aws CLI's is 5).
    #[arg(long, default_value_t = 5.0)]
    pub interval: f64,
}

/// `serve`'s flags.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port (4566, as the other local AWS emulators use).
    #[arg(long, default_value_t = 4566)]
    pub port: u16,
    /// The address to listen on (loopback unless you ask otherwise).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Let Lambda functions use runtimes past their block-create date (one warning each) instead of refusing them.
    #[arg(long)]
    pub allow_deprecated_runtimes: bool,
    /// A runtime file (as `up --runtime`): here its `exit_code` and `run_seconds` per image say how one-off tasks end.
    #[arg(long, value_name = "FILE")]
    pub runtime: Option<PathBuf>,
}

/// `up`'s flags.
#[derive(Debug, Args)]
pub struct UpArgs {
    /// Forward 127.0.0.1 only to this stack's internet-facing load balancers (default: every one).
    #[arg(long)]
    pub stack: Option<String>,
    /// A runtime file mapping images to local commands (TOML; default: a built-in stand-in per container).
    #[arg(long, value_name = "FILE")]
    pub runtime: Option<PathBuf>,
    /// The first port on 127.0.0.1 forwarded to a load balancer listener.
    #[arg(long, default_value_t = 8080)]
    pub publish: u16,
    /// Run in the background; print where to curl once it is up.
    #[arg(long)]
    pub detach: bool,
    /// Stop by itself after this many seconds (and remove everything).
    #[arg(long = "for", value_name = "SECONDS")]
    pub duration: Option<u64>,
    /// The port on 127.0.0.1 where the AWS endpoint is also served (as by `tasknet serve`, in real time).
    #[arg(long, default_value_t = 4566)]
    pub endpoint_port: u16,
    /// Do not serve the AWS endpoint.
    #[arg(long)]
    pub no_endpoint: bool,
    /// Let Lambda functions use runtimes past their block-create date (one warning each) instead of refusing them.
    #[arg(long)]
    pub allow_deprecated_runtimes: bool,
}

/// `down`'s flags (none yet).
#[derive(Debug, Args)]
pub struct DownArgs {}

/// `exec`'s arguments.
#[derive(Debug, Args)]
pub struct ExecArgs {
    /// Where: a service or task (logical ID, name, ARN or ID), an ENI, an IP, or `internet`.
    pub target: String,
    /// Narrow logical IDs to this stack.
    #[arg(long)]
    pub stack: Option<String>,
    /// The command and its arguments (after `--`).
    #[arg(last = true, required = true)]
    pub command: Vec<String>,
}

/// Which account reachability reads: the deployed one, or a planned stack on top of it.
#[derive(Debug, Args)]
pub struct WorldArgs {
    /// Ask about a planned stack: its template (with --parameter-overrides or --parameters) on top of the account.
    #[arg(long, value_name = "FILE")]
    pub template_file: Option<PathBuf>,
    /// Parameter values of the planned stack, as Key=Value words.
    #[arg(long, num_args = 1.., value_name = "KEY=VALUE", action = clap::ArgAction::Append, requires = "template_file")]
    pub parameter_overrides: Vec<String>,
    /// A parameters file of the planned stack (`file://` accepted).
    #[arg(long, value_name = "FILE", requires = "template_file")]
    pub parameters: Option<String>,
    /// The stack whose logical IDs name endpoints (and the planned stack's name; default: the template's stem).
    #[arg(long, value_name = "NAME")]
    pub stack: Option<String>,
}

/// Output formats of `reach` and `audit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReachFormat {
    /// Like a traceroute, with reasons.
    Text,
    /// The same as data.
    Json,
}

/// `tasknet reach`.
#[derive(Debug, Args)]
pub struct ReachArgs {
    /// Where packets start: a logical or physical ID, an ENI, an IP or CIDR, or `internet`.
    #[arg(long, value_name = "ENDPOINT")]
    pub from: String,
    /// Where they go: the same kinds of name, or an AWS service (`secretsmanager`, `ssm`, `ecr.api`, `ecr.dkr`, `s3`, `logs`, …, or its hostname): what the source's VPC DNS answers for it.
    #[arg(long, value_name = "ENDPOINT")]
    pub to: String,
    /// Destination port or range (`443`, `1024-65535`, `all`).
    #[arg(long, default_value = "all", value_name = "PORT")]
    pub port: String,
    /// tcp, udp, icmp, all, or a protocol number.
    #[arg(long, default_value = "tcp", value_name = "PROTOCOL")]
    pub protocol: String,
    /// Which account.
    #[command(flatten)]
    pub world: WorldArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReachFormat::Text)]
    pub output: ReachFormat,
}

/// `tasknet audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this destination (default: every ENI, grouped by owner).
    #[arg(long, value_name = "ENDPOINT")]
    pub to: Option<String>,
    /// Only this destination port or range.
    #[arg(long, value_name = "PORT")]
    pub port: Option<String>,
    /// Only this protocol (with --port; default tcp).
    #[arg(long, value_name = "PROTOCOL")]
    pub protocol: Option<String>,
    /// Which account.
    #[command(flatten)]
    pub world: WorldArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReachFormat::Text)]
    pub output: ReachFormat,
}

/// Formats of `graph`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// SVG, drawn by tasknet itself.
    Svg,
}

/// `tasknet graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Only this VPC.
    #[arg(long, value_name = "VPC_ID")]
    pub vpc: Option<String>,
    /// Which account.
    #[command(flatten)]
    pub world: WorldArgs,
}

/// `tasknet deploy`: the flags of `aws cloudformation deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// Template and parameters.
    #[command(flatten)]
    pub stack: StackArgs,
    /// The stack's name.
    #[arg(long, value_name = "NAME")]
    pub stack_name: String,
    /// CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND.
    #[arg(long, num_args = 1.., value_name = "CAPABILITY")]
    pub capabilities: Vec<String>,
    /// Create the change set and print it, without executing it.
    #[arg(long)]
    pub no_execute_changeset: bool,
    /// Leave created resources in place when the operation fails.
    #[arg(long)]
    pub disable_rollback: bool,
    /// Exit 255 when there are no changes (the aws CLI's v1 behaviour).
    #[arg(long, overrides_with = "no_fail_on_empty_changeset")]
    pub fail_on_empty_changeset: bool,
    /// Exit 0 when there are no changes (the default).
    #[arg(long)]
    pub no_fail_on_empty_changeset: bool,
    /// How long (minutes of the control plane's clock) a service may take to
    /// become steady before its resource fails. AWS's current handler waits
    /// 2160 minutes; older ones about three hours.
    #[arg(long, default_value_t = 180, value_name = "MINUTES")]
    pub service_timeout: u64,
    /// Tags (accepted for compatibility; tasknet does not propagate them yet).
    #[arg(long, num_args = 1.., value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
    /// Do not stream stack events while working.
    #[arg(long)]
    pub quiet: bool,
}

/// `tasknet delete-stack`.
#[derive(Debug, Args)]
pub struct DeleteStackArgs {
    /// The stack's name or ID.
    #[arg(long, value_name = "NAME")]
    pub stack_name: String,
    /// Do not stream stack events while working.
    #[arg(long)]
    pub quiet: bool,
}

/// What `tasknet describe` shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DescribeWhat {
    /// describe-stacks.
    Stacks,
    /// describe-stack-events.
    StackEvents,
    /// describe-stack-resources.
    StackResources,
    /// ecs describe-services.
    Services,
    /// ecs describe-tasks.
    Tasks,
    /// ecs describe-container-instances.
    ContainerInstances,
    /// ec2 describe-network-interfaces.
    NetworkInterfaces,
    /// ec2 describe-subnets.
    Subnets,
    /// ec2 describe-nat-gateways.
    NatGateways,
    /// ec2 describe-route-tables.
    RouteTables,
    /// ec2 describe-security-groups.
    SecurityGroups,
    /// ec2 describe-instances.
    Instances,
    /// elbv2 describe-target-health (every target group, or --target-group).
    TargetHealth,
}

/// `tasknet describe`.
#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// What to show.
    #[arg(value_enum)]
    pub what: DescribeWhat,
    /// Only this stack (name or ID): stacks, stack-events, stack-resources; for
    /// the others, only resources the stack created.
    #[arg(long, value_name = "NAME")]
    pub stack_name: Option<String>,
    /// Only this cluster (services, tasks, container-instances).
    #[arg(long, value_name = "CLUSTER")]
    pub cluster: Option<String>,
    /// Only this service's tasks or this service (name or ARN).
    #[arg(long, value_name = "SERVICE")]
    pub service: Option<String>,
    /// Only this target group (ARN or name).
    #[arg(long, value_name = "ARN")]
    pub target_group: Option<String>,
    /// Include stopped tasks and deleted stacks.
    #[arg(long)]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DescribeFormat::Text)]
    pub output: DescribeFormat,
}

/// Output formats of `describe` and the ECS commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DescribeFormat {
    /// Aligned columns for people.
    Text,
    /// The AWS API's response shape.
    Json,
}

/// `tasknet run-task`.
#[derive(Debug, Args)]
pub struct RunTaskArgs {
    /// The cluster (default `default`).
    #[arg(long, default_value = "default")]
    pub cluster: String,
    /// `family`, `family:revision` or ARN.
    #[arg(long)]
    pub task_definition: String,
    /// How many (1..=10).
    #[arg(long, default_value_t = 1)]
    pub count: u32,
    /// EC2 (default) or FARGATE.
    #[arg(long)]
    pub launch_type: Option<String>,
    /// awsvpc settings, in the aws CLI's shorthand
    /// (`awsvpcConfiguration={subnets=[subnet-1],securityGroups=[sg-1],assignPublicIp=DISABLED}`) or JSON.
    #[arg(long)]
    pub network_configuration: Option<String>,
    /// The task group (default `family:FAMILY`).
    #[arg(long)]
    pub group: Option<String>,
    /// Free text recorded as startedBy.
    #[arg(long)]
    pub started_by: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DescribeFormat::Text)]
    pub output: DescribeFormat,
}

/// `tasknet stop-task`.
#[derive(Debug, Args)]
pub struct StopTaskArgs {
    /// The cluster (default `default`).
    #[arg(long, default_value = "default")]
    pub cluster: String,
    /// The task's ARN or ID.
    #[arg(long)]
    pub task: String,
    /// Why (shown as the stopped reason).
    #[arg(long)]
    pub reason: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DescribeFormat::Text)]
    pub output: DescribeFormat,
}

/// `tasknet update-service`.
#[derive(Debug, Args)]
pub struct UpdateServiceArgs {
    /// The cluster (default `default`).
    #[arg(long, default_value = "default")]
    pub cluster: String,
    /// The service's name or ARN.
    #[arg(long)]
    pub service: String,
    /// The new desired count.
    #[arg(long)]
    pub desired_count: Option<u32>,
    /// The new task definition (`family`, `family:revision` or ARN).
    #[arg(long)]
    pub task_definition: Option<String>,
    /// Start a new deployment even without changes.
    #[arg(long)]
    pub force_new_deployment: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DescribeFormat::Text)]
    pub output: DescribeFormat,
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
    /// Report a Lambda runtime past its block-create date as a warning (and create the function) instead of an error.
    #[arg(long)]
    pub allow_deprecated_runtimes: bool,
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
