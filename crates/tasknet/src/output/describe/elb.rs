//! The target health table, naming the task behind an ip target.

use super::table::{arn_tail, or_none, Table};
use shapes::ecs::task_ip;
use shapes::{ApiError, Selection};

/// `describe target-health`: one line per target, with its group (the API
/// has no member naming the group; people need it).
pub fn target_health(sel: &Selection) -> Result<String, ApiError> {
    let groups = shapes::elbv2::target_groups(sel)?;
    let mut t = Table::new(&["TARGET GROUP", "TARGET", "PORT", "AZ", "STATE", "REASON", "TASK", "DESCRIPTION"]);
    for g in &groups {
        for d in &g.targets {
            // An ip target of an awsvpc service is a task's address: name the task.
            let task = sel
                .account
                .tasks
                .values()
                .filter(|task| task.is_live() && task_ip(task) == Some(d.target.id.as_str()))
                .max_by_key(|task| task.created_at);
            t.row(vec![
                g.target_group_name.clone(),
                d.target.id.clone(),
                d.target.port.to_string(),
                or_none(d.target.availability_zone.as_deref()),
                d.target_health.state.to_string(),
                or_none(d.target_health.reason.as_deref()),
                or_none(task.map(|task| arn_tail(&task.task_arn))),
                or_none(d.target_health.description.as_deref()),
            ]);
        }
    }
    Ok(t.render_or("no targets"))
}
