//! `tasknet graph`: the VPC drawn, as Graphviz DOT or SVG.

use super::{emit, world};
use crate::cli::{Cli, GraphArgs, GraphFormat};
use crate::error::CliError;

/// Runs graph.
pub fn run(cli: &Cli, args: &GraphArgs) -> Result<u8, CliError> {
    let w = world::load(cli, &args.world)?;
    if let Some(v) = &args.vpc {
        // EC2's own words for an unknown VPC.
        w.account.vpc(v).map_err(|e| CliError::Usage(e.to_string()))?;
    }
    let opts = reach::graph::GraphOptions { vpc_id: args.vpc.clone(), interactive: None };
    let topo = w.topology();
    let text = match args.format {
        GraphFormat::Dot => reach::graph::dot(&topo, &opts),
        GraphFormat::Svg => reach::graph::svg(&topo, &opts),
    };
    emit(&text)?;
    Ok(0)
}
