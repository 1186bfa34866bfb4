//! CloudWatch Logs: AWS::Logs::LogGroup and AWS::Logs::LogStream as real
//! groups and streams through the account's actions (`account::logs`).
//! AWS doc "AWS::Logs::LogGroup": Ref is the name, GetAtt Arn is
//! `arn:aws:logs:REGION:ACCT:log-group:NAME:*`; LogGroupName replaces,
//! RetentionInDays changes in place. "AWS::Logs::LogStream": Ref is the
//! stream's name; both names replace it.

use super::kind::{kind, svc, Kind, Moved};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::Account;
use cfn::Diagnostic;

/// Whether the group `name` is this stack's own resource `logical_id`
/// (the real one an in-place update's scratch copy still holds).
fn own(p: &Planner, logical_id: &str, name: &str) -> bool {
    p.account.stacks.values().any(|s| {
        s.stack_name == p.pseudo.stack_name
            && s.resources
                .iter()
                .any(|r| r.logical_resource_id == logical_id && r.physical_resource_id.as_deref() == Some(name))
    })
}

/// A refusal of CloudWatch Logs as a finding at `property`.
fn refused(p: &mut Planner, props: &Props<'_>, property: &str, message: String, code: &str) {
    p.report(
        Diagnostic::error("TN3000", message)
            .resource(props.logical_id)
            .path(props.path(property))
            .at(props.pos(property))
            .hint(format!("change the resource so CloudWatch Logs accepts it (error code {code})")),
    );
}

/// AWS::Logs::LogGroup.
pub fn log_group(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("LogGroupName").unwrap_or_else(|| p.generated_name(props.logical_id, 512));
    let tags = props.tags().into_iter().collect();
    let exists = p.account.log_groups.contains_key(&name);
    if exists && !own(p, props.logical_id, &name) {
        // Seen (CloudFormation's message for a group that is already there).
        let message = format!(
            "Resource of type 'AWS::Logs::LogGroup' with identifier '{{\"/properties/LogGroupName\":\"{name}\"}}' already exists."
        );
        refused(p, props, "LogGroupName", message, "AlreadyExists");
    } else if !exists {
        if let Err(e) = p.account.create_log_group(&name, props.str("KmsKeyId").as_deref(), tags) {
            refused(p, props, "LogGroupName", e.message, &e.code);
        }
    }
    let retention = props.str("RetentionInDays").map(|d| d.trim().parse::<i64>().unwrap_or(-1));
    if let Some(days) = retention {
        if let Err(e) = p.account.put_retention_policy(&name, days) {
            refused(p, props, "RetentionInDays", e.message, &e.code);
        }
    } else if p.account.log_groups.contains_key(&name) {
        let _ = p.account.delete_retention_policy(&name);
    }
    let arn = account::logs::group_arn(&p.account, &name);
    let mut planned = Planned::new(name).attr("Arn", arn);
    if let Some(days) = retention {
        planned = planned.detail("RetentionInDays", days.to_string());
    }
    planned
}

/// RetentionInDays in place: PutRetentionPolicy, or DeleteRetentionPolicy when it was removed.
fn update_log_group(a: &mut Account, scratch: &Account, m: &Moved<'_>) -> Result<(), String> {
    let Some(new) = scratch.log_groups.get(m.new_id) else { return Ok(()) };
    match new.retention_in_days {
        Some(days) => svc(a.put_retention_policy(m.id, i64::from(days))),
        None => svc(a.delete_retention_policy(m.id)),
    }
}

/// AWS::Logs::LogStream: Ref is the stream's name.
pub fn log_stream(p: &mut Planner, props: &Props<'_>) -> Planned {
    let group = props.str("LogGroupName").unwrap_or_default();
    let name = props.str("LogStreamName").unwrap_or_else(|| p.generated_name(props.logical_id, 512));
    let key = account::logs::stream_key(&group, &name);
    if !(p.account.log_streams.contains_key(&key) && own(p, props.logical_id, &name)) {
        if let Err(e) = p.account.create_log_stream(&group, &name) {
            let property = if e.message.contains("group") { "LogGroupName" } else { "LogStreamName" };
            refused(p, props, property, e.message, &e.code);
        }
    }
    Planned::new(name).detail("LogGroupName", group)
}

/// Deletes a stream of the group its properties named (gone already is fine).
fn delete_stream(a: &mut Account, r: &account::StackResource, id: &str) -> Result<(), String> {
    let group = r.properties.get("LogGroupName").and_then(|v| v.as_str()).unwrap_or_default();
    match a.log_streams.contains_key(&account::logs::stream_key(group, id)) {
        true => svc(a.delete_log_stream(group, id)),
        false => Ok(()),
    }
}

/// CloudWatch Logs' types.
pub(super) const KINDS: &[Kind] = &[
    Kind {
        replacing: &["LogGroupName"],
        update: Some(update_log_group),
        ..kind("AWS::Logs::LogGroup", log_group, |a, _, id| {
            // A group some other path already deleted is fine (CloudFormation's delete is idempotent).
            match a.log_groups.contains_key(id) {
                true => svc(a.delete_log_group(id)),
                false => Ok(()),
            }
        })
    },
    Kind { replacing: &["LogGroupName", "LogStreamName"], ..kind("AWS::Logs::LogStream", log_stream, delete_stream) },
];
