//! `tasknet reach`: can these reach those, hop by hop, and if not, every
//! setting that blocks it and the change that opens it.

use super::{emit, world};
use crate::cli::{Cli, ReachArgs, ReachFormat};
use crate::error::CliError;
use crate::output;

/// Runs reach; exit 0 when reachable, 1 when blocked.
pub fn run(cli: &Cli, args: &ReachArgs) -> Result<u8, CliError> {
    let flow = reach::query::parse_flow(&args.protocol, &args.port).map_err(|e| CliError::Usage(e.to_string()))?;
    let w = world::load(cli, &args.world)?;
    let topo = w.topology();
    let from = world::endpoint(&topo, &w, &args.from)?;
    let to = world::endpoint(&topo, &w, &args.to)?;
    let answer = reach::query::ask(&topo, &from, &to, &flow);
    let text = match args.output {
        ReachFormat::Text => output::reach::answer_text(&answer, &w.files),
        ReachFormat::Json => output::to_json(&answer)?,
    };
    emit(&text)?;
    Ok(if answer.reachable { 0 } else { 1 })
}
