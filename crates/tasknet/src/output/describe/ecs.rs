//! The ECS services table, with a named service's deployments and latest
//! events under it.

use super::table::{arn_tail, or_none, task_definition_name, Table};
use account::Service;
use shapes::{time, ApiError, Selection};

/// How many events the text view shows under a named service (the console
/// shows the latest first, a page at a time).
const TEXT_EVENTS: usize = 10;

/// `describe services`: one line per service; a `--service` that matches
/// nothing says it is MISSING, as DescribeServices does.
pub fn services(sel: &Selection) -> Result<String, ApiError> {
    let found = shapes::ecs::services(sel)?;
    if let Some(arn) = &found.missing {
        return Ok(format!("no service {arn} (MISSING)\n"));
    }
    let services = &found.services;
    let mut t =
        Table::new(&["NAME", "STATUS", "DESIRED", "RUNNING", "PENDING", "TASK DEFINITION", "LAUNCH TYPE", "CLUSTER"]);
    for s in services {
        t.row(vec![
            s.service_name.clone(),
            s.status.to_string(),
            s.desired_count.to_string(),
            s.running_count.to_string(),
            s.pending_count.to_string(),
            task_definition_name(&s.task_definition).to_string(),
            or_none(s.launch_type.as_deref()),
            arn_tail(&s.cluster_arn).to_string(),
        ]);
    }
    let mut out = t.render_or("no services");
    if sel.query.service.is_some() {
        for s in services {
            if services.len() > 1 {
                out.push_str(&format!("\nservice {} (cluster {})\n", s.service_name, arn_tail(&s.cluster_arn)));
            }
            out.push_str(&details_text(s));
        }
    }
    Ok(out)
}

/// A named service's deployments and latest events, as sections under its row.
fn details_text(s: &Service) -> String {
    let mut deployments = Table::new(&[
        "DEPLOYMENT",
        "STATUS",
        "TASK DEFINITION",
        "DESIRED",
        "PENDING",
        "RUNNING",
        "FAILED",
        "ROLLOUT",
        "UPDATED",
    ]);
    for d in &s.deployments {
        deployments.row(vec![
            d.id.clone(),
            d.status.to_string(),
            task_definition_name(&d.task_definition).to_string(),
            d.desired_count.to_string(),
            d.pending_count.to_string(),
            d.running_count.to_string(),
            d.failed_tasks.to_string(),
            d.rollout_state.to_string(),
            time::text(d.updated_at),
        ]);
    }
    let mut events = Table::new(&["EVENT TIME", "MESSAGE"]);
    // The model keeps events newest first, as DescribeServices lists them.
    for e in s.events.iter().take(TEXT_EVENTS) {
        events.row(vec![time::text(e.created_at), e.message.clone()]);
    }
    format!("\n{}\n{}", deployments.render_or("no deployments"), events.render_or("no events"))
}
