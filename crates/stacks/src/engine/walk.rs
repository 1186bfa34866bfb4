//! The walk over a stack's resources during a change set preview and during
//! its execution: per resource, add, keep, update in place or replace, with
//! the events, waits and failures CloudFormation shows.

use super::changes;
use super::events::{self, Observer};
use super::update::update_in_place;
use crate::analyze::{Hooks, StackInput, Step};
use crate::handlers::Wait;
use crate::planner::{Planned, Planner, ResolvedResource};
use account::{Account, ResourceChange, StackResource};
use cfn::{Node, Pos};
use std::collections::BTreeMap;

/// How long creating one resource takes on the control plane's clock
/// (tasknet's choice, so that instances boot and tasks start while the
/// stack proceeds, as they do on AWS).
pub const STEP_MS: u64 = 1_000;

/// The default wait for an auto scaling group's signals (CreationPolicy
/// ResourceSignal Timeout's documented default, PT5M).
const DEFAULT_SIGNAL_TIMEOUT_MS: u64 = 5 * 60 * 1000;

/// The walk's state.
pub struct Walk<'o> {
    /// True to act on the real account; false to preview on a scratch copy.
    pub execute: bool,
    /// The stack being worked on.
    pub stack_id: String,
    /// Its resources before this operation (empty on create).
    pub existing: Vec<StackResource>,
    /// Findings of the preview that fail a resource: logical ID → AWS's message.
    pub errors: BTreeMap<String, String>,
    /// The changes, in the order they happen.
    pub changes: Vec<ResourceChange>,
    /// Logical IDs the new template still has.
    pub seen: Vec<String>,
    /// Old resources replaced by new ones (deleted in the cleanup phase).
    pub replaced: Vec<StackResource>,
    /// Logical IDs updated in place (reverted on rollback).
    pub updated: Vec<String>,
    /// The resource that failed, and why.
    pub failed: Option<(String, String)>,
    /// Who watches.
    pub observer: &'o mut dyn Observer,
    /// How long a service may take to become steady.
    pub service_timeout_ms: u64,
    /// `CreationPolicy` of auto scaling groups: logical ID → (count, timeout ms).
    pub creation_policies: BTreeMap<String, (u32, u64)>,
    /// The account before the current resource's create, for undoing a failed create.
    snapshot: Option<Account>,
    /// The options nested stacks are deployed with.
    pub opts: super::DeployOptions,
    /// `DeletionPolicy` by logical ID.
    pub deletion_policies: BTreeMap<String, String>,
}

impl<'o> Walk<'o> {
    /// A walk over a stack whose resources were `existing`.
    pub fn new(execute: bool, stack_id: &str, existing: Vec<StackResource>, observer: &'o mut dyn Observer) -> Self {
        Walk {
            execute,
            stack_id: stack_id.to_string(),
            existing,
            errors: BTreeMap::new(),
            changes: Vec::new(),
            seen: Vec::new(),
            replaced: Vec::new(),
            updated: Vec::new(),
            failed: None,
            observer,
            service_timeout_ms: 180 * 60 * 1000,
            creation_policies: BTreeMap::new(),
            snapshot: None,
            opts: super::DeployOptions::default(),
            deletion_policies: BTreeMap::new(),
        }
    }

    /// A nested stack (`AWS::CloudFormation::Stack` with a local template):
    /// deployed as a stack of its own, whose outputs answer `Outputs.X`.
    fn nested(
        &mut self,
        p: &mut Planner,
        r: &ResolvedResource,
        input: &StackInput,
        old: Option<&StackResource>,
    ) -> Step {
        let mut child = match crate::analyze::nested_input(p, r, input) {
            Ok(child) => child,
            // Not a local template: the resource is recorded, nothing is deployed.
            Err(_) => {
                return match old {
                    Some(o) => Step::Keep(planned_from(o)),
                    None => Step::Create,
                }
            }
        };
        if !self.execute {
            // The preview of an existing nested stack is its own deploy's business.
            return match old {
                Some(o) => Step::Keep(planned_from(o)),
                None => Step::Create,
            };
        }
        if let Some(name) = old
            .and_then(|o| o.physical_resource_id.as_deref())
            .and_then(|id| p.account.stacks.get(id))
            .map(|s| s.stack_name.clone())
        {
            child.stack_name = name;
        }
        let physical = old.and_then(|o| o.physical_resource_id.clone());
        let (progress, complete, failed) = statuses(old.is_some());
        if old.is_none() {
            self.put_record(&mut p.account, r, None, progress, BTreeMap::new());
        }
        self.status(&mut p.account, r, physical.as_deref(), progress, None);
        let opts = super::DeployOptions { change_set: None, ..self.opts.clone() };
        let outcome = super::deploy(&mut p.account, &child, &opts, &mut *self.observer);
        let (child_id, error) = match outcome {
            Ok(super::Outcome::Complete { stack_id, .. }) | Ok(super::Outcome::NoChanges { stack_id }) => {
                (Some(stack_id), None)
            }
            Ok(super::Outcome::Failed { stack_id, reason, .. }) => {
                // Inferred text (the form CloudFormation reports a failed nested stack in).
                (
                    Some(stack_id.clone()),
                    Some(format!("Embedded stack {stack_id} was not successfully created: {reason}")),
                )
            }
            Ok(super::Outcome::ChangeSetCreated(_)) => (None, None),
            Err(e) => (None, Some(e.to_string())),
        };
        if let Some(reason) = error {
            self.fail(&mut p.account, r, child_id.as_deref(), failed, &reason);
            return Step::Stop;
        }
        let Some(child_id) = child_id else { return Step::Stop };
        let mut planned = Planned::new(child_id.clone());
        if let Some(stack) = p.account.stacks.get_mut(&child_id) {
            stack.parent_id = Some(self.stack_id.clone());
            for o in &stack.outputs {
                planned = planned.attr(&format!("Outputs.{}", o.output_key), o.output_value.clone());
            }
        }
        self.put_record(&mut p.account, r, Some(&child_id), progress, attributes_of(&planned));
        self.status(&mut p.account, r, Some(&child_id), complete, None);
        self.observer.checkpoint(&p.account);
        Step::Keep(planned)
    }

    pub(crate) fn status(
        &mut self,
        a: &mut Account,
        r: &ResolvedResource,
        physical: Option<&str>,
        status: &str,
        reason: Option<&str>,
    ) {
        if self.execute {
            events::resource_status(
                a,
                self.observer,
                &self.stack_id,
                &r.logical_id,
                &r.resource_type,
                physical,
                status,
                reason,
            );
        }
    }

    pub(crate) fn fail(
        &mut self,
        a: &mut Account,
        r: &ResolvedResource,
        physical: Option<&str>,
        status: &str,
        reason: &str,
    ) {
        self.status(a, r, physical, status, Some(reason));
        self.failed = Some((r.logical_id.clone(), reason.to_string()));
    }

    /// Adds or refreshes the stack's record of a resource.
    pub(crate) fn put_record(
        &self,
        a: &mut Account,
        r: &ResolvedResource,
        physical: Option<&str>,
        status: &str,
        attributes: BTreeMap<String, serde_json::Value>,
    ) {
        let now = a.clock_ms;
        let Some(stack) = a.stacks.get_mut(&self.stack_id) else { return };
        let record = StackResource {
            logical_resource_id: r.logical_id.clone(),
            physical_resource_id: physical.map(str::to_string),
            resource_type: r.resource_type.clone(),
            resource_status: status.to_string(),
            resource_status_reason: None,
            last_updated_timestamp: now,
            properties: r.properties.to_json(),
            attributes,
            deletion_policy: self.deletion_policies.get(&r.logical_id).cloned(),
            no_echo: false,
        };
        // From the end: the record being written is almost always the newest.
        match stack.resources.iter_mut().rev().find(|x| x.logical_resource_id == r.logical_id) {
            Some(x) => *x = record,
            None => stack.resources.push(record),
        }
    }

    /// Waits for what CloudFormation waits for after creating or updating
    /// `r`; an `Err` is the resource's failure reason.
    fn wait(&mut self, a: &mut Account, r: &ResolvedResource, physical: &str) -> Result<(), String> {
        match crate::handlers::kind_of(&r.resource_type).map_or(Wait::Nothing, |k| k.wait) {
            Wait::SteadyService => wait_for_service(a, &mut *self.observer, physical, self.service_timeout_ms),
            Wait::Signals => match self.creation_policies.get(&r.logical_id) {
                Some(&(count, timeout)) => wait_for_signals(a, &mut *self.observer, physical, count, timeout),
                None => Ok(()),
            },
            Wait::Nothing => Ok(()),
        }
    }
}

/// Holds a service resource until the service is steady (facts: "ECS
/// services" under CloudFormation statuses).
pub fn wait_for_service(
    a: &mut Account,
    observer: &mut dyn Observer,
    service_arn: &str,
    timeout_ms: u64,
) -> Result<(), String> {
    let deadline = a.clock_ms.saturating_add(timeout_ms);
    let arn = service_arn.to_string();
    let broke = |a: &Account| {
        a.services.get(&arn).is_some_and(|s| {
            s.deployments.iter().any(|d| {
                d.status == account::DeploymentStatus::Primary && d.rollout_state == account::RolloutState::Failed
            })
        })
    };
    let steady =
        super::clock::wait_until(observer, a, deadline, |a| control::ecs::service_is_steady(a, &arn) || broke(a));
    if steady && !broke(a) {
        return Ok(());
    }
    let token = account::ids::uuid(a.next_words("request-token"));
    if broke(a) {
        // Facts: with the circuit breaker the handler fails at once with this
        // operation name; the surrounding framing is the registry handlers' (inferred).
        return Err(format!("Resource handler returned message: \"Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.\" (RequestToken: {token}, HandlerErrorCode: GeneralServiceException)"));
    }
    // Facts: the current handler gives up with "Exceeded attempts to wait"
    // and NotStabilized; the service's own events say why.
    Err(format!("Resource handler returned message: \"Exceeded attempts to wait\" (RequestToken: {token}, HandlerErrorCode: NotStabilized)"))
}

/// Holds an auto scaling group until `count` instances have booted (each
/// booted instance counts as one SUCCESS signal).
fn wait_for_signals(
    a: &mut Account,
    observer: &mut dyn Observer,
    group: &str,
    count: u32,
    timeout_ms: u64,
) -> Result<(), String> {
    let deadline = a.clock_ms.saturating_add(timeout_ms);
    let name = group.to_string();
    if super::clock::wait_until(observer, a, deadline, |a| control::ec2::instances_in_service(a, &name) >= count) {
        return Ok(());
    }
    let got = control::ec2::instances_in_service(a, &name);
    // Inferred text (the form users paste from the console).
    Err(format!("Received {got} SUCCESS signal(s) out of {count}.  Unable to satisfy 100% MinSuccessfulInstancesPercent requirement"))
}

/// A resource's in-progress, complete and failed statuses: UPDATE_* when
/// an existing logical resource gets a new physical one, else CREATE_*.
fn statuses(updating: bool) -> (&'static str, &'static str, &'static str) {
    if updating {
        ("UPDATE_IN_PROGRESS", "UPDATE_COMPLETE", "UPDATE_FAILED")
    } else {
        ("CREATE_IN_PROGRESS", "CREATE_COMPLETE", "CREATE_FAILED")
    }
}

/// What a kept resource answers for Ref and GetAtt.
pub fn planned_from(record: &StackResource) -> Planned {
    let mut p = Planned::new(record.physical_resource_id.clone().unwrap_or_default());
    for (k, v) in &record.attributes {
        p.attributes.insert(k.clone(), Node::from_json(v, Pos::default()));
    }
    p
}

fn attributes_of(planned: &Planned) -> BTreeMap<String, serde_json::Value> {
    planned.attributes.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()
}

/// Parses an ISO 8601 duration like `PT15M` or `PT1H30M` into milliseconds.
pub fn iso_duration_ms(s: &str) -> Option<u64> {
    let rest = s.strip_prefix("PT")?;
    let (mut total, mut digits) = (0u64, String::new());
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            'H' | 'M' | 'S' => {
                let n: u64 = digits.parse().ok()?;
                digits.clear();
                total += n * match c {
                    'H' => 3_600_000,
                    'M' => 60_000,
                    _ => 1_000,
                };
            }
            _ => return None,
        }
    }
    digits.is_empty().then_some(total)
}

/// `DeletionPolicy` of each resource that sets one as plain text.
pub fn deletion_policies(template: &cfn::template::Template) -> BTreeMap<String, String> {
    template
        .resources
        .iter()
        .filter_map(|(id, r)| Some((id.clone(), r.node.get("DeletionPolicy")?.scalar_string()?)))
        .collect()
}

/// The creation policies of a template's auto scaling groups; `Count` may
/// be a `Ref` to one of `parameters`.
pub fn creation_policies(
    template: &cfn::template::Template,
    parameters: &BTreeMap<String, String>,
) -> BTreeMap<String, (u32, u64)> {
    let mut out = BTreeMap::new();
    for (id, r) in &template.resources {
        let Some(signal) = r.node.get("CreationPolicy").and_then(|c| c.get("ResourceSignal")) else { continue };
        let count_node = signal.get("Count");
        let count_text = count_node.and_then(Node::scalar_string).or_else(|| {
            let (name, arg) = count_node?.intrinsic()?;
            (name == "Ref").then(|| arg.as_str().and_then(|p| parameters.get(p).cloned()))?
        });
        // CreationPolicy ResourceSignal Count's documented default is 1.
        let count = count_text.and_then(|c| c.parse().ok()).unwrap_or(1);
        let timeout = signal
            .get("Timeout")
            .and_then(Node::scalar_string)
            .and_then(|t| iso_duration_ms(&t))
            .unwrap_or(DEFAULT_SIGNAL_TIMEOUT_MS);
        out.insert(id.clone(), (count, timeout));
    }
    out
}

impl Walk<'_> {
    /// Keeps the account as it is before a create that the preview says AWS
    /// refuses, so `after` can put it back (AWS created nothing). Only then:
    /// a copy per resource would make a deploy quadratic in the stack's size.
    fn snapshot_if_refused(&mut self, p: &Planner, r: &ResolvedResource) {
        if self.errors.contains_key(&r.logical_id) {
            self.snapshot = Some(p.account.clone());
        }
    }
}

impl Hooks for Walk<'_> {
    fn before(&mut self, p: &mut Planner, r: &ResolvedResource, input: &StackInput) -> Step {
        if self.failed.is_some() {
            return Step::Stop;
        }
        self.seen.push(r.logical_id.clone());
        let old = self
            .existing
            .iter()
            .find(|x| {
                x.logical_resource_id == r.logical_id
                    && x.resource_type == r.resource_type
                    && x.physical_resource_id.is_some()
            })
            .cloned();
        if r.resource_type == "AWS::CloudFormation::Stack" {
            let step = self.nested(p, r, input, old.as_ref());
            if matches!(step, Step::Create) {
                self.changes.push(changes::add_or_remove("Add", &r.logical_id, None, &r.resource_type));
            }
            return step;
        }
        let Some(old) = old else {
            self.changes.push(changes::add_or_remove("Add", &r.logical_id, None, &r.resource_type));
            if self.execute {
                self.put_record(&mut p.account, r, None, "CREATE_IN_PROGRESS", BTreeMap::new());
                self.status(&mut p.account, r, None, "CREATE_IN_PROGRESS", None);
                if self.sends(p, r) {
                    return self.custom_create(p, r);
                }
                self.snapshot_if_refused(p, r);
            }
            return Step::Create;
        };
        let physical = old.physical_resource_id.clone().unwrap_or_default();
        let changed = changes::changed_properties(&old.properties, &r.properties.to_json());
        if changed.is_empty() {
            let kept = planned_from(&old);
            // Unchanged, but lines above it may have moved.
            crate::handlers::refresh_origins(p, r, &kept);
            return Step::Keep(kept);
        }
        let change = changes::modify(&r.logical_id, Some(&physical), &r.resource_type, &changed);
        let replace = change.replacement.as_deref() == Some("True");
        self.changes.push(change);
        if self.sends(p, r) {
            return self.custom_update(p, r, &old);
        }
        if replace {
            self.replaced.push(old);
            if self.execute {
                self.status(
                    &mut p.account,
                    r,
                    Some(&physical),
                    "UPDATE_IN_PROGRESS",
                    Some("Requested update requires the creation of a new physical resource; hence creating one."),
                );
                self.snapshot_if_refused(p, r);
            }
            return Step::Create;
        }
        self.status(&mut p.account, r, Some(&physical), "UPDATE_IN_PROGRESS", None);
        self.updated.push(r.logical_id.clone());
        if let Err(reason) = update_in_place(p, r, &physical) {
            self.fail(&mut p.account, r, Some(&physical), "UPDATE_FAILED", &reason);
            return Step::Stop;
        }
        if self.execute {
            self.put_record(&mut p.account, r, Some(&physical), "UPDATE_IN_PROGRESS", old.attributes.clone());
            super::clock::step(&mut *self.observer, &mut p.account, STEP_MS);
            if let Err(reason) = self.wait(&mut p.account, r, &physical) {
                self.fail(&mut p.account, r, Some(&physical), "UPDATE_FAILED", &reason);
                return Step::Stop;
            }
            self.status(&mut p.account, r, Some(&physical), "UPDATE_COMPLETE", None);
            self.observer.checkpoint(&p.account);
        }
        Step::Keep(planned_from(&old))
    }

    fn after(&mut self, p: &mut Planner, r: &ResolvedResource, planned: &Planned) -> bool {
        if !self.execute {
            return true;
        }
        let replacing = self.replaced.iter().any(|x| x.logical_resource_id == r.logical_id);
        let (progress, complete, failed) = statuses(replacing);
        if let Some(reason) = self.errors.get(&r.logical_id).cloned() {
            // AWS refused the create: nothing of it exists.
            if let Some(before) = self.snapshot.take() {
                p.account = before;
            }
            let physical = if replacing {
                self.replaced
                    .iter()
                    .find(|x| x.logical_resource_id == r.logical_id)
                    .and_then(|x| x.physical_resource_id.clone())
            } else {
                None
            };
            self.fail(&mut p.account, r, physical.as_deref(), failed, &reason);
            return false;
        }
        self.snapshot = None;
        let physical = planned.ref_value.clone();
        self.put_record(&mut p.account, r, Some(&physical), progress, attributes_of(planned));
        self.status(&mut p.account, r, Some(&physical), progress, Some("Resource creation Initiated"));
        super::clock::step(&mut *self.observer, &mut p.account, STEP_MS);
        if let Err(reason) = self.wait(&mut p.account, r, &physical) {
            self.fail(&mut p.account, r, Some(&physical), failed, &reason);
            return false;
        }
        self.status(&mut p.account, r, Some(&physical), complete, None);
        self.observer.checkpoint(&p.account);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations() {
        assert_eq!(iso_duration_ms("PT15M"), Some(900_000));
        assert_eq!(iso_duration_ms("PT1H30M5S"), Some(5_405_000));
        assert_eq!(iso_duration_ms("15M"), None);
        assert_eq!(iso_duration_ms("PT15"), None);
    }
}
