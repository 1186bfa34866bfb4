//! The CloudFormation engine against the default account: create, no-op
//! update, in-place update, replacement, failure and rollback, exports in
//! use, delete.

use account::Account;
use stacks::engine::{self, events::Quiet, DeployOptions, EngineError, Outcome};
use stacks::StackInput;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deploy").join(name)
}

fn input(file: &str, stack: &str, overrides: &[(&str, &str)]) -> StackInput {
    StackInput {
        template_path: fixture(file),
        stack_name: stack.into(),
        overrides: overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..StackInput::default()
    }
}

fn deploy(a: &mut Account, file: &str, stack: &str, overrides: &[(&str, &str)]) -> Result<Outcome, EngineError> {
    engine::deploy(a, &input(file, stack, overrides), &DeployOptions::default(), &mut Quiet)
}

fn statuses(a: &Account, stack: &str) -> Vec<String> {
    let s = engine::find_stack(a, stack).expect("stack exists");
    s.events.iter().map(|e| format!("{} {}", e.logical_resource_id, e.resource_status)).collect()
}

/// The account without the engine's own bookkeeping, and without what AWS
/// keeps listing for a while after deletion (deleted NAT gateways, INACTIVE services,
/// clusters and task definitions, stopped tasks, terminated instances), for
/// before/after comparisons.
fn resources_only(a: &Account) -> Account {
    let mut a = a.clone();
    a.stacks.clear();
    a.id_counter = 0;
    a.clock_ms = 0;
    a.nat_gateways.retain(|_, n| n.state != account::NatGatewayState::Deleted);
    a.clusters.retain(|_, c| c.status != "INACTIVE");
    a.services.retain(|_, s| s.status != "INACTIVE");
    a.task_definitions.retain(|_, t| t.status != "INACTIVE");
    a.tasks.retain(|_, t| t.last_status != "STOPPED");
    a.instances.retain(|_, i| i.state != "terminated");
    a
}

#[test]
fn create_then_no_changes_then_in_place_update_then_replacement_then_delete() {
    let mut a = Account::default();
    let before = resources_only(&a);
    let out = deploy(&mut a, "network.yml", "net", &[]).expect("deploys");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "CREATE_COMPLETE"), "{out:?}");
    let events = statuses(&a, "net");
    assert_eq!(events.first().map(String::as_str), Some("net CREATE_IN_PROGRESS"));
    assert!(events.contains(&"Subnet CREATE_COMPLETE".to_string()));
    assert_eq!(events.last().map(String::as_str), Some("net CREATE_COMPLETE"));
    let stack = engine::find_stack(&a, "net").expect("stack").clone();
    let subnet = stack.resource("Subnet").and_then(|r| r.physical_resource_id.clone()).expect("subnet id");
    assert!(a.subnets.contains_key(&subnet));
    assert_eq!(a.export("net-subnet").map(|e| e.value.clone()), Some(subnet.clone()));

    // Unchanged: no change set to execute.
    assert!(matches!(deploy(&mut a, "network.yml", "net", &[]), Ok(Outcome::NoChanges { .. })));

    // A rule change updates the group in place: same ID, new rule.
    let group = stack.resource("WebGroup").and_then(|r| r.physical_resource_id.clone()).expect("group id");
    let out = deploy(&mut a, "network.yml", "net", &[("WebPort", "8080")]).expect("updates");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "UPDATE_COMPLETE"), "{out:?}");
    let g = &a.security_groups[&group];
    assert_eq!(g.ingress.len(), 1);
    assert_eq!(g.ingress[0].from_port, Some(8080));

    // A new CIDR replaces the subnet: a new ID, the old one deleted in cleanup.
    let out =
        deploy(&mut a, "network.yml", "net", &[("WebPort", "8080"), ("SubnetCidr", "10.20.2.0/24")]).expect("replaces");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "UPDATE_COMPLETE"), "{out:?}");
    let new_subnet = engine::find_stack(&a, "net")
        .and_then(|s| s.resource("Subnet"))
        .and_then(|r| r.physical_resource_id.clone())
        .expect("subnet");
    assert_ne!(new_subnet, subnet);
    assert!(!a.subnets.contains_key(&subnet) && a.subnets.contains_key(&new_subnet));
    let cs = &engine::find_stack(&a, "net").expect("stack").change_sets;
    let last = cs.last().expect("change set");
    assert!(last.changes.iter().any(|c| c.logical_resource_id == "Subnet" && c.replacement.as_deref() == Some("True")));
    assert!(statuses(&a, "net").contains(&"net UPDATE_COMPLETE_CLEANUP_IN_PROGRESS".to_string()));

    // Delete returns the account to what it was.
    let out = engine::delete_stack(&mut a, "net", &mut Quiet).expect("deletes");
    assert!(matches!(out, Some(Outcome::Complete { .. })), "{out:?}");
    assert_eq!(resources_only(&a), before);
    assert!(engine::find_stack(&a, "net").is_none());
}

#[test]
fn an_in_place_update_of_inline_rules_keeps_the_rules_standalone_resources_added() {
    // AWS::EC2::SecurityGroup: only the inline lists are reconciled; rules added by
    // AWS::EC2::SecurityGroupIngress/Egress resources stay (they are other resources).
    let mut a = Account::default();
    deploy(&mut a, "standalone-rules.yml", "rules", &[]).expect("deploys");
    let stack = engine::find_stack(&a, "rules").expect("stack").clone();
    let group = stack.resource("WebGroup").and_then(|r| r.physical_resource_id.clone()).expect("group id");
    let ports = |a: &Account, egress: bool| {
        let g = &a.security_groups[&group];
        let mut p: Vec<Option<i64>> =
            if egress { &g.egress } else { &g.ingress }.iter().map(|r| r.from_port.map(i64::from)).collect();
        p.sort();
        p
    };
    assert_eq!(ports(&a, false), [Some(22), Some(80)]);
    // The default allow-all egress (no port) and the standalone 3306.
    assert_eq!(ports(&a, true), [None, Some(3306)]);
    let out = deploy(&mut a, "standalone-rules.yml", "rules", &[("WebPort", "8080")]).expect("updates");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "UPDATE_COMPLETE"), "{out:?}");
    assert_eq!(ports(&a, false), [Some(22), Some(8080)]);
    assert_eq!(ports(&a, true), [None, Some(3306)]);
    // Deleting the stack still removes everything.
    let before = resources_only(&Account::default());
    engine::delete_stack(&mut a, "rules", &mut Quiet).expect("deletes");
    assert_eq!(resources_only(&a), before);
}

#[test]
fn a_failed_create_rolls_back_and_leaves_nothing() {
    let mut a = Account::default();
    let before = resources_only(&a);
    let out = deploy(&mut a, "broken-subnet.yml", "broken", &[]).expect("runs");
    let Outcome::Failed { status, reason, .. } = out else { panic!("should fail: {out:?}") };
    assert_eq!(status, "ROLLBACK_COMPLETE");
    assert_eq!(reason, "The following resource(s) failed to create: [Outside]. Rollback requested by user.");
    let events = statuses(&a, "broken");
    assert!(events.contains(&"Good CREATE_COMPLETE".to_string()), "{events:?}");
    assert!(events.contains(&"Outside CREATE_FAILED".to_string()));
    assert!(events.contains(&"Good DELETE_COMPLETE".to_string()));
    let failed = engine::find_stack(&a, "broken")
        .and_then(|s| s.events.iter().find(|e| e.resource_status == "CREATE_FAILED").cloned())
        .expect("event");
    assert!(failed.resource_status_reason.as_deref().is_some_and(|r| r.contains("is invalid")), "{failed:?}");
    assert_eq!(resources_only(&a), before);
    // A stack in ROLLBACK_COMPLETE cannot be updated, only deleted.
    let again = deploy(&mut a, "broken-subnet.yml", "broken", &[]);
    assert!(matches!(again, Err(EngineError::Validation { .. })), "{again:?}");
    assert!(engine::delete_stack(&mut a, "broken", &mut Quiet).is_ok());
}

#[test]
fn template_errors_fail_the_change_set_and_change_nothing() {
    let mut a = Account::default();
    let before = resources_only(&a);
    let out = deploy(&mut a, "unresolved.yml", "bad", &[]);
    let Err(EngineError::ChangeSetFailed { reason, .. }) = out else { panic!("{out:?}") };
    assert!(reason.contains("Unresolved resource dependencies [NoSuchVpc]"), "{reason}");
    assert_eq!(resources_only(&a), before);
}

#[test]
fn an_export_in_use_cannot_be_deleted() {
    let mut a = Account::default();
    deploy(&mut a, "network.yml", "net", &[]).expect("network");
    let out = deploy(&mut a, "consumer.yml", "app", &[]).expect("consumer");
    assert!(matches!(out, Outcome::Complete { .. }), "{out:?}");
    let out = engine::delete_stack(&mut a, "net", &mut Quiet).expect("runs");
    let Some(Outcome::Failed { status, reason, .. }) = out else { panic!("{out:?}") };
    assert_eq!(status, "CREATE_COMPLETE");
    assert_eq!(reason, "Export net-subnet cannot be deleted as it is in use by app");
    assert!(a.subnets.values().any(|s| s.cidr_block.to_string() == "10.20.1.0/24"), "nothing was deleted");
    // Changing the exported value is refused too, and rolled back.
    let out = deploy(&mut a, "network.yml", "net", &[("SubnetCidr", "10.20.3.0/24")]).expect("runs");
    assert!(matches!(&out, Outcome::Failed { status, .. } if status == "UPDATE_ROLLBACK_COMPLETE"), "{out:?}");
    // Once the importer is gone, the exporter goes too.
    engine::delete_stack(&mut a, "app", &mut Quiet).expect("app");
    let out = engine::delete_stack(&mut a, "net", &mut Quiet).expect("net");
    assert!(matches!(out, Some(Outcome::Complete { .. })), "{out:?}");
    assert!(a.exports.is_empty());
}

#[test]
fn a_stack_left_in_progress_is_repaired() {
    let mut a = Account::default();
    let before = resources_only(&a);
    deploy(&mut a, "network.yml", "net", &[]).expect("deploys");
    // As if the process had died in the middle of the create.
    let id = engine::find_stack(&a, "net").map(|s| s.stack_id.clone()).expect("id");
    if let Some(s) = a.stacks.get_mut(&id) {
        s.stack_status = account::StackStatus::CreateInProgress;
        s.operation_pid = Some(99999);
    }
    let repaired = engine::repair(&mut a, &mut Quiet);
    assert_eq!(repaired, ["net"]);
    assert_eq!(a.stacks[&id].stack_status, "ROLLBACK_COMPLETE");
    assert_eq!(resources_only(&a), before);
}

fn service_events(a: &Account) -> Vec<String> {
    let svc = a.services.values().find(|s| s.service_name.starts_with("capacity-Service")).expect("service");
    let mut events = svc.events.clone();
    events.sort_by_key(|e| e.created_at);
    events.into_iter().map(|e| e.message).collect()
}

fn free_addresses(a: &Account) -> Vec<u64> {
    a.subnets.values().map(|s| s.available_ip_address_count).collect()
}

#[test]
fn tasks_beyond_eni_capacity_fail_the_update_until_instances_are_added() {
    let mut a = Account::default();
    let before = free_addresses(&a);
    let out = deploy(&mut a, "ecs-capacity.yml", "capacity", &[]).expect("creates");
    assert!(matches!(&out, Outcome::Complete { .. }), "{out:?}");
    let running: Vec<_> = a.tasks.values().filter(|t| t.last_status == "RUNNING").collect();
    assert_eq!(running.len(), 1);
    // The task's ENI has an address of one of the service's subnets.
    let eni = &a.network_interfaces[running[0].eni_id.as_deref().expect("eni")];
    assert!(["subnet-7c960731b0e636d6d", "subnet-6f62900ff031618a3"].contains(&eni.subnet_id.as_str()));

    // A t2.micro has 2 ENIs: one awsvpc task. A second task cannot be placed.
    let out = deploy(&mut a, "ecs-capacity.yml", "capacity", &[("ServiceCount", "2")]).expect("runs");
    let Outcome::Failed { status, reason, .. } = &out else { panic!("{out:?}") };
    assert_eq!(status, "UPDATE_ROLLBACK_COMPLETE");
    assert_eq!(reason, "The following resource(s) failed to update: [Service]. Rollback requested by user.");
    let events = service_events(&a);
    assert!(
        events.iter().any(|e| e
            .contains("was unable to place a task because no container instance met all of its requirements.")
            && e.contains("encountered error \"RESOURCE:ENI\"")),
        "{events:#?}"
    );
    let failed = engine::find_stack(&a, "capacity")
        .and_then(|s| s.events.iter().find(|e| e.resource_status == "UPDATE_FAILED").cloned())
        .expect("UPDATE_FAILED");
    assert!(failed.resource_status_reason.as_deref().is_some_and(|r| r.contains("NotStabilized")), "{failed:?}");
    let svc = a.services.values().next().expect("service");
    assert_eq!((svc.desired_count, svc.running_count), (1, 1), "rolled back to one task");

    // With a second instance the same change succeeds.
    let out =
        deploy(&mut a, "ecs-capacity.yml", "capacity", &[("ServiceCount", "2"), ("InstanceCount", "2")]).expect("runs");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "UPDATE_COMPLETE"), "{out:?}");
    assert_eq!(a.tasks.values().filter(|t| t.last_status == "RUNNING").count(), 2);

    // A new image is a new task definition revision, rolled out within the
    // percentages: with 200/50 ECS stops one old task before starting a new one.
    let out = deploy(
        &mut a,
        "ecs-capacity.yml",
        "capacity",
        &[("ServiceCount", "2"), ("InstanceCount", "2"), ("Image", "app:2")],
    )
    .expect("runs");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "UPDATE_COMPLETE"), "{out:?}");
    let svc = a.services.values().next().expect("service").clone();
    assert!(svc.task_definition.ends_with("task-definition/app:2"), "{}", svc.task_definition);
    let running: Vec<_> = a.tasks.values().filter(|t| t.last_status == "RUNNING").collect();
    assert_eq!(running.len(), 2);
    assert!(running.iter().all(|t| t.task_definition_arn.ends_with(":2")));
    let events = service_events(&a);
    assert!(events.iter().any(|e| e.contains("has stopped 1 running tasks")), "{events:#?}");
    assert!(events.iter().any(|e| e.contains("deployment completed.")), "{events:#?}");

    // Deleting the stack gives every address back.
    let out = engine::delete_stack(&mut a, "capacity", &mut Quiet).expect("deletes");
    assert!(matches!(out, Some(Outcome::Complete { .. })), "{out:?}");
    assert_eq!(free_addresses(&a), before);
    assert!(a.network_interfaces.is_empty(), "{:?}", a.network_interfaces.keys().collect::<Vec<_>>());
}

#[test]
fn a_nested_stack_is_a_stack_of_its_own_and_goes_with_its_parent() {
    let mut a = Account::default();
    let before = resources_only(&a);
    let parent = StackInput {
        template_path: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/realworld/nested-parent.yml"),
        stack_name: "outer".into(),
        ..StackInput::default()
    };
    let opts = DeployOptions { capabilities: vec!["CAPABILITY_IAM".into()], ..DeployOptions::default() };
    let out = engine::deploy(&mut a, &parent, &opts, &mut Quiet).expect("deploys");
    assert!(matches!(&out, Outcome::Complete { .. }), "{out:?}");
    let outer = engine::find_stack(&a, "outer").expect("outer").clone();
    let child_id = outer
        .resources
        .iter()
        .find(|r| r.resource_type == "AWS::CloudFormation::Stack")
        .and_then(|r| r.physical_resource_id.clone())
        .expect("child");
    let child = &a.stacks[&child_id];
    assert_eq!(child.stack_status, "CREATE_COMPLETE");
    assert_eq!(child.parent_id.as_deref(), Some(outer.stack_id.as_str()));
    assert!(child.stack_name.starts_with("outer-"), "{}", child.stack_name);
    assert!(!child.resources.is_empty());
    // Unchanged: nothing to do, nested stack included.
    let again = engine::deploy(&mut a, &parent, &opts, &mut Quiet);
    assert!(matches!(again, Ok(Outcome::NoChanges { .. })), "{again:?}");
    let out = engine::delete_stack(&mut a, "outer", &mut Quiet).expect("deletes");
    assert!(matches!(out, Some(Outcome::Complete { .. })), "{out:?}");
    assert_eq!(a.stacks[&child_id].stack_status, "DELETE_COMPLETE");
    assert_eq!(resources_only(&a), before);
}

#[test]
fn a_change_set_not_executed_then_executed_and_deleted() {
    let mut a = Account::default();
    let opts = DeployOptions { execute: false, ..DeployOptions::default() };
    let out = engine::deploy(&mut a, &input("network.yml", "net", &[]), &opts, &mut Quiet).expect("change set");
    let Outcome::ChangeSetCreated(cs) = out else { panic!("{out:?}") };
    assert_eq!(cs.change_set_type, "CREATE");
    assert_eq!(cs.changes.iter().filter(|c| c.action == "Add").count(), 3);
    assert_eq!(engine::find_stack(&a, "net").map(|s| s.stack_status.as_str()), Some("REVIEW_IN_PROGRESS"));
    assert!(a.vpcs.len() == 1, "nothing created yet");
    let out = deploy(&mut a, "network.yml", "net", &[]).expect("executes");
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "CREATE_COMPLETE"), "{out:?}");
    assert!(matches!(engine::delete_stack(&mut a, "net", &mut Quiet), Ok(Some(Outcome::Complete { .. }))));
}

#[test]
fn a_stack_in_progress_of_a_live_process_is_left_to_it() {
    let mut a = Account::default();
    deploy(&mut a, "network.yml", "net", &[]).expect("deploys");
    // As if a live process were waiting in the middle of the create, the store's lock let go.
    let id = engine::find_stack(&a, "net").map(|s| s.stack_id.clone()).expect("id");
    if let Some(s) = a.stacks.get_mut(&id) {
        s.stack_status = account::StackStatus::CreateInProgress;
        s.operation_pid = Some(4242);
    }
    assert!(engine::repair_stopped(&mut a, &mut Quiet, &|pid| pid == 4242).is_empty());
    assert_eq!(a.stacks[&id].stack_status, "CREATE_IN_PROGRESS");
    // Once it is gone, the stack is repaired.
    assert_eq!(engine::repair_stopped(&mut a, &mut Quiet, &|_| false), ["net"]);
    assert_eq!(a.stacks[&id].stack_status, "ROLLBACK_COMPLETE");
    assert_eq!(a.stacks[&id].operation_pid, None);
}

/// An observer that counts how the engine asks time to pass, and lets it
/// pass on the simulated clock.
#[derive(Default)]
struct CountingClock {
    waits: usize,
    steps: usize,
}

impl engine::clock::Clock for CountingClock {
    fn wait_until(&mut self, a: &mut Account, deadline_ms: u64, done: &mut dyn FnMut(&Account) -> bool) -> bool {
        self.waits += 1;
        engine::clock::Clock::wait_until(&mut engine::clock::Simulated, a, deadline_ms, done)
    }

    fn step(&mut self, a: &mut Account, ms: u64) {
        self.steps += 1;
        engine::clock::Clock::step(&mut engine::clock::Simulated, a, ms);
    }
}

impl engine::events::Observer for CountingClock {
    fn clock(&mut self) -> Option<&mut dyn engine::clock::Clock> {
        Some(self)
    }
}

#[test]
fn the_engines_waits_and_steps_pass_on_the_observers_clock() {
    let mut a = Account::default();
    let mut host = CountingClock::default();
    let out = engine::deploy(&mut a, &input("ecs-capacity.yml", "capacity", &[]), &DeployOptions::default(), &mut host)
        .expect("creates");
    assert!(matches!(&out, Outcome::Complete { .. }), "{out:?}");
    let resources = engine::find_stack(&a, "capacity").map_or(0, |s| s.resources.len());
    // A step per resource created, a wait for the service (and the group's signals, if any).
    assert_eq!(host.steps, resources);
    assert!(host.waits >= 1, "the service's wait");
    let waits = host.waits;
    engine::delete_stack(&mut a, "capacity", &mut host).expect("deletes");
    // A wait per resource deleted.
    assert_eq!(host.waits - waits, resources);
}
