//! The filters of a Describe call, resolved against the account once: which
//! stack `--stack-name` means and what it owns, which cluster `--cluster`
//! means, which services `--service` names, and who an interface belongs to.

use crate::error::{cluster_not_found, stack_not_found, ApiError};
use account::{Account, LoadBalancer, NetworkInterface, Stack, Task};
use std::collections::BTreeSet;

/// The status of a deleted stack, hidden unless `--all`.
pub const DELETE_COMPLETE: account::StackStatus = account::StackStatus::DeleteComplete;

/// The tag Auto Scaling puts on the instances it launches.
const ASG_TAG: &str = "aws:autoscaling:groupName";

/// What the caller narrowed the documents to (the `describe` flags, the
/// request's filters).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// `--stack-name`: a stack name or stack ID.
    pub stack_name: Option<String>,
    /// `--cluster`: a cluster name or ARN.
    pub cluster: Option<String>,
    /// `--service`: a service name or ARN.
    pub service: Option<String>,
    /// `--target-group`: a target group ARN or name.
    pub target_group: Option<String>,
    /// `--all`: stopped tasks and deleted stacks too.
    pub all: bool,
}

/// The stack `name` means: a stack ID names exactly that stack (deleted ones
/// too, as DescribeStacks by ID finds them); a name means the live stack of
/// that name, or with `all` and none live, the most recently created deleted one.
pub fn find_stack<'a>(account: &'a Account, name: &str, all: bool) -> Option<&'a Stack> {
    if name.starts_with("arn:") {
        return account.stacks.values().find(|s| s.stack_id == name);
    }
    let named = || account.stacks.values().filter(|s| s.stack_name == name);
    named().find(|s| s.stack_status != DELETE_COMPLETE).or_else(|| {
        if all {
            named().max_by_key(|s| s.creation_time)
        } else {
            None
        }
    })
}

/// A stack and its nested stacks, the stack first (a nested stack's
/// resources belong to its root's deployment too).
pub fn stack_family<'a>(account: &'a Account, root: &'a Stack) -> Vec<&'a Stack> {
    let mut family = vec![root];
    let mut next = 0;
    while next < family.len() {
        let parent = family[next].stack_id.as_str();
        // The membership check keeps a malformed store (a parent cycle) from looping.
        let children: Vec<&Stack> = account
            .stacks
            .values()
            .filter(|s| s.parent_id.as_deref() == Some(parent) && !family.iter().any(|f| f.stack_id == s.stack_id))
            .collect();
        family.extend(children);
        next += 1;
    }
    family
}

/// The filters resolved against one account (named so as not to be
/// confused with the data plane's `dataplane::Scope`, a namespace prefix).
#[derive(Clone, Debug)]
pub struct Selection<'a> {
    /// The account being described.
    pub account: &'a Account,
    /// The flags.
    pub query: &'a Query,
    /// The physical IDs of `--stack-name`'s resources (nested stacks
    /// included); `None` when no stack narrows the view.
    owned: Option<BTreeSet<&'a str>>,
    /// The API action of the view, for error messages.
    operation: &'static str,
}

impl<'a> Selection<'a> {
    /// Resolves `--stack-name` (a missing stack is CloudFormation's
    /// ValidationError, as `describe-stack-resources` would answer).
    pub fn new(account: &'a Account, query: &'a Query, operation: &'static str) -> Result<Selection<'a>, ApiError> {
        let owned = match &query.stack_name {
            None => None,
            Some(name) => {
                let stack = find_stack(account, name, query.all)
                    .ok_or_else(|| stack_not_found(name, "DescribeStackResources"))?;
                let family = stack_family(account, stack);
                Some(
                    family
                        .iter()
                        .flat_map(|s| s.resources.iter().filter_map(|r| r.physical_resource_id.as_deref()))
                        .collect(),
                )
            }
        };
        Ok(Selection { account, query, owned, operation })
    }

    /// True when `id` is in view: no stack narrows it, or the stack lists it.
    pub fn owns(&self, id: &str) -> bool {
        self.owned.as_ref().is_none_or(|ids| ids.contains(id))
    }

    /// True when a stack narrows the view.
    pub fn narrowed(&self) -> bool {
        self.owned.is_some()
    }

    /// An instance is the stack's when the stack created it or one of the
    /// stack's Auto Scaling groups launched it (the record names the group;
    /// imported instances carry only Auto Scaling's tag).
    pub fn owns_instance(&self, instance_id: &str) -> bool {
        if self.owns(instance_id) {
            return true;
        }
        let Some(i) = self.account.instances.get(instance_id).filter(|_| self.narrowed()) else { return false };
        i.auto_scaling_group_name.as_ref().or_else(|| i.tags.get(ASG_TAG)).is_some_and(|group| self.owns(group))
    }

    /// An interface is the stack's when the stack created it or what it is
    /// attached to (a task of its services, its NAT gateway, load balancer or instance).
    pub fn owns_interface(&self, eni: &NetworkInterface) -> bool {
        if self.owns(&eni.network_interface_id) {
            return true;
        }
        match owner(self.account, eni) {
            Owner::Task(task) => task.service_arn.as_deref().is_some_and(|s| self.owns(s)),
            Owner::Instance(id) => self.owns_instance(id),
            Owner::NatGateway(id) => self.owns(id),
            Owner::LoadBalancer(lb) => self.owns(&lb.load_balancer_arn),
            Owner::Nobody => false,
        }
    }

    /// The cluster ARN `--cluster` names, or `None` for every cluster. An
    /// unknown cluster is ECS's ClusterNotFoundException (seen: `Cluster not found.`).
    pub fn cluster_arn(&self) -> Result<Option<&'a str>, ApiError> {
        let Some(wanted) = &self.query.cluster else { return Ok(None) };
        self.account
            .cluster(wanted)
            .map(|c| Some(c.cluster_arn.as_str()))
            .ok_or_else(|| cluster_not_found(self.operation))
    }

    /// True when `cluster_arn` passes `--cluster` (resolved by [`Selection::cluster_arn`]).
    pub fn in_cluster(wanted: Option<&str>, cluster_arn: &str) -> bool {
        wanted.is_none_or(|w| w == cluster_arn)
    }

    /// True when the service is the one `--service` names (or none is named).
    pub fn is_service(&self, name: &str, arn: &str) -> bool {
        self.query.service.as_deref().is_none_or(|s| s == name || s == arn)
    }

    /// True when the task is shown: running unless `--all`, of `--service`
    /// (by its service ARN or its `service:NAME` group), of the stack's services.
    pub fn shows_task(&self, task: &Task) -> bool {
        let live = self.query.all || task.is_live();
        let of_service = match &self.query.service {
            None => true,
            Some(s) => {
                task.service_arn.as_deref() == Some(s.as_str())
                    || task.group.strip_prefix("service:") == Some(s.as_str())
                    || task
                        .service_arn
                        .as_deref()
                        .is_some_and(|arn| self.account.services.get(arn).is_some_and(|svc| &svc.service_name == s))
            }
        };
        let of_stack = !self.narrowed() || task.service_arn.as_deref().is_some_and(|s| self.owns(s));
        live && of_service && of_stack
    }
}

/// Who an interface serves, for "attached to" columns and stack membership.
#[derive(Clone, Copy, Debug)]
pub enum Owner<'a> {
    /// An awsvpc task (the newest one that used it).
    Task(&'a Task),
    /// The instance it is attached to.
    Instance(&'a str),
    /// The NAT gateway it belongs to.
    NatGateway(&'a str),
    /// The load balancer node it belongs to.
    LoadBalancer(&'a LoadBalancer),
    /// Nothing we know of.
    Nobody,
}

/// Who `eni` serves: the owner it records (a task's interface on an EC2
/// instance is attached to that instance too, but it is the task's), else
/// the instance it is attached to.
pub fn owner<'a>(account: &'a Account, eni: &'a NetworkInterface) -> Owner<'a> {
    match &eni.owner {
        account::EniOwner::Task { task_arn } => {
            if let Some(task) = account.tasks.get(task_arn) {
                return Owner::Task(task);
            }
        }
        account::EniOwner::NatGateway { nat_gateway_id } => return Owner::NatGateway(nat_gateway_id),
        account::EniOwner::LoadBalancer { load_balancer_arn } => {
            if let Some(lb) = account.load_balancers.get(load_balancer_arn) {
                return Owner::LoadBalancer(lb);
            }
        }
        _ => {}
    }
    match eni.attachment.as_ref().and_then(|a| a.instance_id.as_deref()) {
        Some(instance) => Owner::Instance(instance),
        None => Owner::Nobody,
    }
}

#[cfg(test)]
mod tests;
