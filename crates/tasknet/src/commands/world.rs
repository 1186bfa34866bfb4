//! The account reachability questions read: the deployed account, or a
//! planned stack on top of it (plan = deploy into a scratch copy).

use super::stack::{check_stack_name, stack_input};
use crate::cli::{Cli, StackArgs, WorldArgs};
use crate::error::CliError;
use account::Account;
use reach::topology::{Owner, Topology};
use runtime::state;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// An account to ask about, with the names and files of its stacks.
pub struct World {
    /// The account (planned or deployed).
    pub account: Account,
    /// Owners of a planned stack's resources (the account's stacks name theirs).
    owners: Vec<(String, Owner)>,
    /// Each stack's template file, for `file:line`.
    pub files: BTreeMap<String, PathBuf>,
    /// The stack that narrows logical IDs.
    pub stack: Option<String>,
}

impl World {
    /// The topology of the world's account, with the planned stack's names.
    pub fn topology(&self) -> Topology<'_> {
        let mut topo = Topology::new(&self.account);
        for (id, o) in &self.owners {
            topo.add_owner(id, o.clone());
        }
        topo
    }
}

/// Loads the world the flags name.
pub fn load(cli: &Cli, args: &WorldArgs) -> Result<World, CliError> {
    let (account, _) = state::account_for_reading(cli.state_dir.as_deref(), cli.account_file.as_deref())?;
    let mut files: BTreeMap<String, PathBuf> = account
        .stacks
        .values()
        .filter_map(|s| Some((s.stack_name.clone(), PathBuf::from(s.template_path.clone()?))))
        .collect();
    let Some(template) = &args.template_file else {
        if let Some(s) = &args.stack {
            if stacks::engine::find_stack(&account, s).is_none() {
                return Err(CliError::Usage(shapes::error::stack_not_found(s, "DescribeStacks").message));
            }
        }
        return Ok(World { account, owners: Vec::new(), files, stack: args.stack.clone() });
    };
    let name = args.stack.clone().unwrap_or_else(|| {
        template.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "stack".into())
    });
    check_stack_name(&name)?;
    let stack_args = StackArgs {
        template_file: template.clone(),
        parameter_overrides: args.parameter_overrides.clone(),
        parameters: args.parameters.clone(),
        custom_outputs: None,
        allow_deprecated_runtimes: false,
    };
    let input = stack_input(&stack_args, name.clone())?;
    let analysis = stacks::engine::preview(&account, &input)?;
    let errors = analysis.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!(
            "note: the template has {errors} error(s) (tasknet plan lists them); answering for what it would create"
        );
    }
    let owners = planned_owners(&analysis.plan);
    files.insert(name.clone(), template.clone());
    Ok(World { account: analysis.plan.account, owners, files, stack: Some(name) })
}

/// Who owns what in a planned stack (the account's stacks name their own).
pub fn planned_owners(plan: &stacks::plan::Plan) -> Vec<(String, Owner)> {
    plan.resources
        .iter()
        .map(|r| {
            let o = Owner {
                stack_name: plan.stack_name.clone(),
                logical_id: r.logical_id.clone(),
                resource_type: r.resource_type.clone(),
            };
            (r.physical_id.clone(), o)
        })
        .collect()
}

/// Resolves an endpoint, or says what would match.
pub fn endpoint(topo: &Topology<'_>, world: &World, name: &str) -> Result<reach::endpoint::Endpoint, CliError> {
    reach::endpoint::resolve(topo, name, world.stack.as_deref()).map_err(|e| CliError::Usage(e.to_string()))
}
