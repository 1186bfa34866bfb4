//! `tasknet audit`: who can reach what, summarized, and the usual dangers.

use super::{emit, world};
use crate::cli::{AuditArgs, Cli, ReachFormat};
use crate::error::CliError;
use crate::output;
use serde::Serialize;

/// audit's JSON: the destinations and the findings.
#[derive(Serialize)]
struct AuditJson<'a> {
    destinations: &'a [reach::audit::Destination],
    findings: Vec<output::Finding>,
}

/// Runs audit; exit 1 when it finds a danger.
pub fn run(cli: &Cli, args: &AuditArgs) -> Result<u8, CliError> {
    let flow = match (&args.port, &args.protocol) {
        (None, None) => None,
        (port, protocol) => Some(
            reach::query::parse_flow(protocol.as_deref().unwrap_or("tcp"), port.as_deref().unwrap_or("all"))
                .map_err(|e| CliError::Usage(e.to_string()))?,
        ),
    };
    let w = world::load(cli, &args.world)?;
    let topo = w.topology();
    let to = match &args.to {
        Some(name) => Some(world::endpoint(&topo, &w, name)?),
        None => None,
    };
    let report = reach::audit::audit(&topo, to.as_ref(), flow.as_ref());
    let findings = output::reach::with_files(report.findings.clone(), &w.files);
    let text = match args.output {
        ReachFormat::Text => output::reach::audit_text(&report, &findings),
        ReachFormat::Json => output::to_json(&AuditJson {
            destinations: &report.destinations,
            findings: output::FindingsJson::new(&findings).findings,
        })?,
    };
    emit(&text)?;
    Ok(u8::from(!findings.is_empty()))
}
