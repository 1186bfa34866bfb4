//! CloudFormation tables: stacks (a named one's parameters and outputs
//! under it), stack events, stack resources.

use super::table::{or_none, Table};
use account::{Account, Stack};
use shapes::cloudformation::stacks as stacks_in_view;
use shapes::{time, ApiError, Query};

/// `describe stacks`: one line per stack, newest first.
pub fn stacks(account: &Account, query: &Query) -> Result<String, ApiError> {
    let stacks = stacks_in_view(account, query, "DescribeStacks")?;
    let mut t = Table::new(&["NAME", "STATUS", "CREATED", "UPDATED", "REASON"]);
    for s in &stacks {
        t.row(vec![
            s.stack_name.clone(),
            s.stack_status.to_string(),
            time::text(s.creation_time),
            or_none(s.last_updated_time.map(time::text)),
            or_none(s.stack_status_reason.as_deref()),
        ]);
    }
    let mut out = t.render_or("no stacks");
    if let (Some(_), [one]) = (&query.stack_name, stacks.as_slice()) {
        out.push_str(&details_text(one));
    }
    Ok(out)
}

/// A named stack's parameters and outputs, as sections under its row.
fn details_text(s: &Stack) -> String {
    let mut out = String::new();
    if !s.parameters.is_empty() {
        let mut t = Table::new(&["PARAMETER", "VALUE"]);
        for (k, v) in &s.parameters {
            t.row(vec![k.clone(), v.clone()]);
        }
        out.push('\n');
        out.push_str(&t.render());
    }
    if !s.outputs.is_empty() {
        let mut t = Table::new(&["OUTPUT", "VALUE", "EXPORT", "DESCRIPTION"]);
        for o in &s.outputs {
            t.row(vec![
                o.output_key.clone(),
                o.output_value.clone(),
                or_none(o.export_name.as_deref()),
                or_none(o.description.as_deref()),
            ]);
        }
        out.push('\n');
        out.push_str(&t.render());
    }
    out
}

/// `describe stack-events`: newest first; without `--stack-name`, every
/// shown stack's, with a STACK column.
pub fn events(account: &Account, query: &Query) -> Result<String, ApiError> {
    let events = shapes::cloudformation::stack_events(account, query)?;
    let one_stack = query.stack_name.is_some();
    let mut header = vec!["TIMESTAMP", "LOGICAL ID", "TYPE", "STATUS", "REASON"];
    if !one_stack {
        header.insert(0, "STACK");
    }
    let mut t = Table::new(&header);
    for e in &events {
        let mut row = vec![
            time::text(e.timestamp),
            e.logical_resource_id.clone(),
            e.resource_type.clone(),
            e.resource_status.clone(),
            or_none(e.resource_status_reason.as_deref()),
        ];
        if !one_stack {
            row.insert(0, e.stack_name.clone());
        }
        t.row(row);
    }
    Ok(t.render_or("no stack events"))
}

/// `describe stack-resources`: in creation order; without `--stack-name`,
/// every shown stack's, with a STACK column.
pub fn resources(account: &Account, query: &Query) -> Result<String, ApiError> {
    let stacks = stacks_in_view(account, query, "DescribeStackResources")?;
    let one_stack = query.stack_name.is_some();
    let mut header = vec!["LOGICAL ID", "TYPE", "PHYSICAL ID", "STATUS", "UPDATED", "REASON"];
    if !one_stack {
        header.insert(0, "STACK");
    }
    let mut t = Table::new(&header);
    for s in &stacks {
        for r in &s.resources {
            let mut row = vec![
                r.logical_resource_id.clone(),
                r.resource_type.clone(),
                or_none(r.physical_resource_id.as_deref()),
                r.resource_status.clone(),
                time::text(r.last_updated_timestamp),
                or_none(r.resource_status_reason.as_deref()),
            ];
            if !one_stack {
                row.insert(0, s.stack_name.clone());
            }
            t.row(row);
        }
    }
    Ok(t.render_or("no stack resources"))
}
