//! The filters of `describe`, resolved against the account once: which stack
//! `--stack-name` means and what it owns, which cluster `--cluster` means,
//! which services `--service` names, and who an interface belongs to.

use super::ApiError;
use account::{Account, LoadBalancer, NetworkInterface, Stack, Task};
use std::collections::BTreeSet;

/// The status of a deleted stack, hidden unless `--all`.
pub const DELETE_COMPLETE: account::StackStatus = account::StackStatus::DeleteComplete;

/// The tag Auto Scaling puts on the instances it launches.
const ASG_TAG: &str = "aws:autoscaling:groupName";

/// What the user narrowed the view to (the `describe` flags).
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

/// CloudFormation's answer for a stack it does not know (seen:
/// `ValidationError`, `Stack with id NAME does not exist`, for names and IDs alike).
pub fn stack_not_found(name: &str, operation: &'static str) -> ApiError {
    ApiError { code: "ValidationError", operation, message: format!("Stack with id {name} does not exist") }
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

/// The filters resolved against one account.
#[derive(Clone, Debug)]
pub struct Scope<'a> {
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

impl<'a> Scope<'a> {
    /// Resolves `--stack-name` (a missing stack is CloudFormation's
    /// ValidationError, as `describe-stack-resources` would answer).
    pub fn new(account: &'a Account, query: &'a Query, operation: &'static str) -> Result<Scope<'a>, ApiError> {
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
        Ok(Scope { account, query, owned, operation })
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
        self.account.cluster(wanted).map(|c| Some(c.cluster_arn.as_str())).ok_or(ApiError {
            code: "ClusterNotFoundException",
            operation: self.operation,
            message: "Cluster not found.".into(),
        })
    }

    /// True when `cluster_arn` passes `--cluster` (resolved by [`Scope::cluster_arn`]).
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
mod tests {
    use super::*;
    use serde_json::json;

    fn stack(id: &str, name: &str, status: &str, created: u64, parent: Option<&str>, physical: &[&str]) -> Stack {
        let resources: Vec<_> = physical
            .iter()
            .map(|p| json!({"LogicalResourceId": p, "PhysicalResourceId": p, "ResourceType": "AWS::EC2::Subnet", "ResourceStatus": "CREATE_COMPLETE", "LastUpdatedTimestamp": 0}))
            .collect();
        let v = json!({"StackId": id, "StackName": name, "StackStatus": status, "CreationTime": created, "ParentId": parent, "Resources": resources});
        serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"))
    }

    fn account() -> Account {
        let mut a = Account::empty("111122223333", "us-east-1");
        for s in [
            stack("arn:1", "app", DELETE_COMPLETE.as_str(), 1, None, &["subnet-old"]),
            stack("arn:2", "app", DELETE_COMPLETE.as_str(), 2, None, &[]),
            stack("arn:3", "app", "CREATE_COMPLETE", 3, None, &["subnet-a", "asg-web"]),
            stack("arn:4", "app-Nested-X", "CREATE_COMPLETE", 4, Some("arn:3"), &["subnet-b"]),
            stack("arn:5", "gone", DELETE_COMPLETE.as_str(), 5, None, &[]),
            stack("arn:6", "gone", DELETE_COMPLETE.as_str(), 6, None, &[]),
        ] {
            a.stacks.insert(s.stack_id.clone(), s);
        }
        a
    }

    #[test]
    fn names_find_live_stacks_and_ids_find_any() {
        let a = account();
        assert_eq!(find_stack(&a, "app", false).map(|s| s.stack_id.as_str()), Some("arn:3"));
        assert_eq!(
            find_stack(&a, "app", true).map(|s| s.stack_id.as_str()),
            Some("arn:3"),
            "a live stack wins over deleted ones"
        );
        assert!(find_stack(&a, "gone", false).is_none());
        assert_eq!(find_stack(&a, "gone", true).map(|s| s.stack_id.as_str()), Some("arn:6"), "the newest deleted one");
        assert_eq!(find_stack(&a, "arn:1", false).map(|s| s.stack_name.as_str()), Some("app"));
        assert_eq!(stack_not_found("x", "DescribeStacks").message, "Stack with id x does not exist");
    }

    #[test]
    fn a_stack_owns_its_nested_stacks_resources_and_its_groups_instances() {
        let mut a = account();
        let instance = json!({"InstanceId": "i-1", "InstanceType": "t3.micro", "SubnetId": "subnet-a", "VpcId": "vpc-1", "AvailabilityZone": "us-east-1a",
                              "PrivateIpAddress": "10.0.0.9", "NetworkInterfaceIds": [], "SecurityGroupIds": [], "State": "running",
                              "Tags": {ASG_TAG: "asg-web"}});
        a.instances.insert("i-1".into(), serde_json::from_value(instance).unwrap_or_else(|e| panic!("{e}")));
        let family: Vec<&str> = stack_family(&a, find_stack(&a, "app", false).unwrap_or_else(|| panic!("app")))
            .iter()
            .map(|s| s.stack_id.as_str())
            .collect();
        assert_eq!(family, ["arn:3", "arn:4"]);
        let query = Query { stack_name: Some("app".into()), ..Query::default() };
        let scope = Scope::new(&a, &query, "DescribeSubnets").unwrap_or_else(|e| panic!("{e:?}"));
        assert!(scope.owns("subnet-a") && scope.owns("subnet-b") && !scope.owns("subnet-old"));
        assert!(scope.owns_instance("i-1"), "launched by the stack's Auto Scaling group");
        let everything = Query::default();
        let scope = Scope::new(&a, &everything, "DescribeSubnets").unwrap_or_else(|e| panic!("{e:?}"));
        assert!(scope.owns("anything") && !scope.narrowed());
    }

    #[test]
    fn clusters_resolve_by_name_or_arn() {
        let mut a = account();
        a.put_cluster(a.new_cluster("todo"));
        let arn = "arn:aws:ecs:us-east-1:111122223333:cluster/todo";
        for name in ["todo", arn] {
            let query = Query { cluster: Some(name.into()), ..Query::default() };
            let scope = Scope::new(&a, &query, "DescribeTasks").unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(scope.cluster_arn(), Ok(Some(arn)));
        }
        let query = Query { cluster: Some("nope".into()), ..Query::default() };
        let scope = Scope::new(&a, &query, "DescribeTasks").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            scope.cluster_arn().map_err(|e| (e.code, e.operation)),
            Err(("ClusterNotFoundException", "DescribeTasks"))
        );
    }
}
