//! A task's statuses on the clock, its ENI and address coming and going,
//! RunTask/StopTask/DescribeTasks/ListTasks, Fargate, address exhaustion,
//! essential containers and lost instances.

use account::{Account, AwsvpcConfiguration, CreateNetworkInterface, NetworkConfiguration};
use control::clock::advance_by;
use control::ecs::{self, testkit, RunTaskRequest, StopTaskRequest};

fn awsvpc(subnets: &[String], public: bool) -> Option<NetworkConfiguration> {
    let assign_public_ip = if public { "ENABLED" } else { "DISABLED" }.to_string();
    Some(NetworkConfiguration {
        awsvpc_configuration: Some(AwsvpcConfiguration {
            subnets: subnets.to_vec(),
            security_groups: vec![],
            assign_public_ip,
        }),
    })
}

fn setup() -> (Account, Vec<String>) {
    let mut a = Account::default();
    testkit::cluster(&mut a, "prod");
    let subnets = testkit::default_subnets(&a);
    testkit::task_definition(
        &mut a,
        "web",
        "awsvpc",
        Some(("256", "512")),
        vec![testkit::container("app", 128, 80, None)],
    );
    (a, subnets)
}

fn run(a: &mut Account, subnets: &[String], launch_type: &str, count: u32, public: bool) -> ecs::RunTaskResponse {
    let req = RunTaskRequest {
        cluster: Some("prod".into()),
        task_definition: "web".into(),
        count: Some(count),
        launch_type: Some(launch_type.into()),
        network_configuration: awsvpc(subnets, public),
        ..Default::default()
    };
    ecs::run_task(a, &req).expect("run task")
}

/// Steps the clock by half a second until `until` holds, recording each new status.
fn statuses(a: &mut Account, task: &str, until: &str) -> Vec<(String, String)> {
    let mut seen: Vec<(String, String)> = Vec::new();
    for _ in 0..1000 {
        let t = &a.tasks[task];
        let now = (t.last_status.to_string(), t.attachments.first().map(|x| x.status.clone()).unwrap_or_default());
        if seen.last() != Some(&now) {
            seen.push(now.clone());
        }
        if now.0 == until {
            break;
        }
        advance_by(a, 500);
    }
    seen
}

#[test]
fn every_status_and_the_eni_and_its_address_go_back() {
    let (mut a, subnets) = setup();
    testkit::container_instance(&mut a, "prod", "m5.large", &subnets[0]).expect("instance");
    let free_before = a.subnets[&subnets[0]].available_ip_address_count;
    let out = run(&mut a, &subnets[..1], "EC2", 1, false);
    assert!(out.failures.is_empty());
    let task = out.tasks[0].task_arn.clone();
    assert!(
        task.starts_with("arn:aws:ecs:us-east-1:123456789012:task/prod/")
            && task.rsplit('/').next().map(str::len) == Some(32)
    );
    assert_eq!(out.tasks[0].group, "family:web");
    assert_eq!(a.subnets[&subnets[0]].available_ip_address_count, free_before - 1);

    let t = &a.tasks[&task];
    let att = &t.attachments[0];
    let names: Vec<&str> = att.details.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["subnetId", "networkInterfaceId", "macAddress", "privateDnsName", "privateIPv4Address"]);
    assert_eq!(att.attachment_type, "ElasticNetworkInterface");
    let eni = &a.network_interfaces[t.eni_id.as_deref().unwrap()];
    assert_eq!(eni.description, format!("arn:aws:ecs:us-east-1:123456789012:attachment/{}", att.id));
    assert!(eni.requester_managed && eni.status == "in-use");
    assert_eq!(eni.attachment.as_ref().map(|x| x.device_index), Some(1));
    assert_eq!(t.containers[0].network_interfaces[0].private_ipv4_address, eni.private_ip_address.to_string());
    assert_eq!(t.connectivity, "CONNECTED");

    let up = statuses(&mut a, &task, "RUNNING");
    let expected_up: Vec<(String, String)> =
        [("PROVISIONING", "PRECREATED"), ("PENDING", "ATTACHED"), ("ACTIVATING", "ATTACHED"), ("RUNNING", "ATTACHED")]
            .iter()
            .map(|(x, y)| (x.to_string(), y.to_string()))
            .collect();
    assert_eq!(up, expected_up);
    assert_eq!(a.container_instances.values().next().map(|c| c.running_tasks_count), Some(1));

    let stopped = ecs::stop_task(
        &mut a,
        &StopTaskRequest { cluster: Some("prod".into()), task: task.rsplit('/').next().unwrap().into(), reason: None },
    )
    .expect("stop");
    assert_eq!(
        (stopped.desired_status.as_str(), stopped.stop_code.as_deref(), stopped.stopped_reason.as_deref()),
        ("STOPPED", Some("UserInitiated"), Some("Task stopped by user"))
    );
    let down = statuses(&mut a, &task, "STOPPED");
    let expected_down: Vec<(String, String)> = [
        ("RUNNING", "ATTACHED"),
        ("DEACTIVATING", "ATTACHED"),
        ("STOPPING", "ATTACHED"),
        ("DEPROVISIONING", "ATTACHED"),
        ("STOPPED", "DELETED"),
    ]
    .iter()
    .map(|(x, y)| (x.to_string(), y.to_string()))
    .collect();
    assert_eq!(down, expected_down);
    assert_eq!(a.subnets[&subnets[0]].available_ip_address_count, free_before);
    let ci = a.container_instances.values().next().unwrap();
    assert_eq!(
        (ci.remaining_resources.cpu, ci.remaining_resources.memory),
        (ci.registered_resources.cpu, ci.registered_resources.memory)
    );
    assert!(a.tasks[&task].containers.iter().all(|c| c.last_status == "STOPPED"));
    // Visible for an hour, then forgotten.
    advance_by(&mut a, 3_500_000);
    assert!(a.tasks.contains_key(&task));
    advance_by(&mut a, 200_000);
    assert!(!a.tasks.contains_key(&task));
}

#[test]
fn fargate_tasks_get_their_own_eni_and_spread_over_zones() {
    let (mut a, subnets) = setup();
    let out = run(&mut a, &subnets[..2], "FARGATE", 3, true);
    assert_eq!(out.tasks.len(), 3);
    let zones: Vec<&str> = out.tasks.iter().map(|t| t.availability_zone.as_str()).collect();
    assert_eq!(zones, ["us-east-1a", "us-east-1b", "us-east-1a"]);
    for t in &out.tasks {
        assert_eq!((t.launch_type.as_str(), t.container_instance_arn.as_deref()), ("FARGATE", None));
        let eni = &a.network_interfaces[t.eni_id.as_deref().unwrap()];
        let att = eni.attachment.as_ref().unwrap();
        assert_eq!((att.instance_id.as_deref(), att.device_index), (None, 1));
        assert!(eni.association.is_some(), "assignPublicIp ENABLED gives a public address");
    }
    let private = run(&mut a, &subnets[..1], "FARGATE", 1, false);
    assert!(a.network_interfaces[private.tasks[0].eni_id.as_deref().unwrap()].association.is_none());
}

#[test]
fn a_full_subnet_makes_the_task_fail_to_start_and_leaves_nothing_behind() {
    let (mut a, _) = setup();
    let vpc = a.default_vpc().unwrap().vpc_id.clone();
    let small = a.create_subnet(&vpc, "172.31.96.0/28", Some("us-east-1a")).expect("subnet").subnet_id;
    for _ in 0..11 {
        a.create_network_interface(CreateNetworkInterface::new(&small)).expect("eni");
    }
    let enis = a.network_interfaces.len();
    let out = run(&mut a, std::slice::from_ref(&small), "FARGATE", 1, false);
    let task = out.tasks[0].task_arn.clone();
    assert_eq!(a.tasks[&task].last_status, "PROVISIONING");
    advance_by(&mut a, 10_000);
    let t = &a.tasks[&task];
    assert_eq!((t.last_status.as_str(), t.stop_code.as_deref()), ("STOPPED", Some("TaskFailedToStart")));
    assert!(t
        .stopped_reason
        .as_deref()
        .unwrap()
        .starts_with("InsufficientFreeAddressesInSubnet: There are not enough free addresses in subnet"));
    assert_eq!(a.network_interfaces.len(), enis);
    assert_eq!(a.subnets[&small].available_ip_address_count, 0);
}

#[test]
fn essential_containers_stop_their_task_and_others_do_not() {
    let (mut a, subnets) = setup();
    testkit::container_instance(&mut a, "prod", "m5.large", &subnets[0]).expect("instance");
    let mut sidecar = testkit::container("log", 64, 9000, None);
    sidecar.essential = false;
    testkit::task_definition(
        &mut a,
        "web",
        "awsvpc",
        Some(("256", "512")),
        vec![testkit::container("app", 128, 80, None), sidecar],
    );
    let task = run(&mut a, &subnets[..1], "EC2", 1, false).tasks[0].task_arn.clone();
    advance_by(&mut a, 10_000);
    ecs::container_exited(&mut a, &task, "log", 0).expect("exit");
    advance_by(&mut a, 10_000);
    assert_eq!(a.tasks[&task].last_status, "RUNNING");
    ecs::container_exited(&mut a, &task, "app", 137).expect("exit");
    let t = &a.tasks[&task];
    assert_eq!(
        (t.stop_code.as_deref(), t.stopped_reason.as_deref()),
        (Some("EssentialContainerExited"), Some("Essential container in task exited"))
    );
    assert_eq!(t.containers[0].exit_code, Some(137));
    assert!(ecs::container_exited(&mut a, &task, "nope", 1).is_err());
}

#[test]
fn a_container_that_cannot_start_stops_its_task_with_its_reason() {
    let (mut a, subnets) = setup();
    testkit::container_instance(&mut a, "prod", "m5.large", &subnets[0]).expect("instance");
    testkit::task_definition(
        &mut a,
        "web",
        "awsvpc",
        Some(("256", "512")),
        vec![testkit::container("app", 128, 80, None)],
    );
    let task = run(&mut a, &subnets[..1], "EC2", 1, false).tasks[0].task_arn.clone();
    advance_by(&mut a, 10_000);
    let reason = "CannotStartContainerError: exec: \"nope\": executable file not found in $PATH: unknown";
    ecs::container_failed_to_start(&mut a, &task, "app", reason).expect("reported");
    advance_by(&mut a, 60_000);
    let t = &a.tasks[&task];
    assert_eq!(
        (t.last_status.as_str(), t.stop_code.as_deref(), t.stopped_reason.as_deref()),
        ("STOPPED", Some("TaskFailedToStart"), Some(reason))
    );
    assert_eq!(t.containers[0].reason.as_deref(), Some(reason));
    assert!(ecs::container_failed_to_start(&mut a, &task, "app", reason).is_err(), "a stopped task is not found");
}

#[test]
fn tasks_of_a_lost_instance_stop_and_nothing_is_placed_there() {
    let (mut a, subnets) = setup();
    let ci = testkit::container_instance(&mut a, "prod", "m5.large", &subnets[0]).expect("instance");
    let task = run(&mut a, &subnets[..1], "EC2", 1, false).tasks[0].task_arn.clone();
    advance_by(&mut a, 10_000);
    if let Some(c) = a.container_instances.get_mut(&ci) {
        c.status = account::ContainerInstanceStatus::Inactive;
    }
    advance_by(&mut a, 1000);
    let t = &a.tasks[&task];
    assert_eq!(t.last_status, "STOPPED");
    assert!(t.stopped_reason.as_deref().unwrap().starts_with("Host EC2 (instance i-"));
    assert!(t.eni_id.is_none());
    let err = ecs::run_task(
        &mut a,
        &RunTaskRequest {
            cluster: Some("prod".into()),
            task_definition: "web".into(),
            network_configuration: awsvpc(&subnets[..1], false),
            ..Default::default()
        },
    )
    .expect_err("no instances");
    assert_eq!(err.message, "No Container Instances were found in your cluster.");
}

#[test]
fn run_task_refusals_and_placement_failures() {
    let (mut a, subnets) = setup();
    testkit::container_instance(&mut a, "prod", "t2.micro", &subnets[0]).expect("instance");
    testkit::task_definition(
        &mut a,
        "tiny",
        "awsvpc",
        Some(("256", "128")),
        vec![testkit::container("app", 128, 80, None)],
    );
    let base = RunTaskRequest {
        cluster: Some("prod".into()),
        task_definition: "tiny".into(),
        network_configuration: awsvpc(&subnets[..1], false),
        ..Default::default()
    };
    let err = |a: &mut Account, r: RunTaskRequest| ecs::run_task(a, &r).expect_err("refused");
    assert_eq!(
        err(&mut a, RunTaskRequest { network_configuration: None, ..base.clone() }).message,
        "Network Configuration must be provided when networkMode 'awsvpc' is specified."
    );
    assert_eq!(
        err(&mut a, RunTaskRequest { network_configuration: awsvpc(&subnets[..1], true), ..base.clone() }).message,
        "Assign public IP is not supported for this launch type."
    );
    assert_eq!(err(&mut a, RunTaskRequest { count: Some(11), ..base.clone() }).code, "InvalidParameterException");
    assert_eq!(
        err(&mut a, RunTaskRequest { task_definition: "nope".into(), ..base.clone() }).message,
        "TaskDefinition not found."
    );
    assert_eq!(
        err(&mut a, RunTaskRequest { cluster: Some("nope".into()), ..base.clone() }).message,
        "Cluster not found."
    );
    let out = ecs::run_task(&mut a, &RunTaskRequest { count: Some(3), ..base.clone() }).expect("run");
    assert_eq!(out.tasks.len(), 1);
    let reasons: Vec<&str> = out.failures.iter().map(|f| f.reason.as_str()).collect();
    assert_eq!(reasons, ["RESOURCE:ENI", "RESOURCE:ENI"]);
    assert!(out.failures[0].arn.as_deref().unwrap().contains(":container-instance/prod/"));
    testkit::task_definition(
        &mut a,
        "huge",
        "awsvpc",
        Some(("256", "4 GB")),
        vec![testkit::container("app", 128, 80, None)],
    );
    let out = ecs::run_task(&mut a, &RunTaskRequest { task_definition: "huge".into(), ..base }).expect("run");
    assert_eq!(out.failures[0].reason, "RESOURCE:MEMORY");
}

#[test]
fn stop_task_and_the_counts_it_leaves() {
    let (mut a, subnets) = setup();
    testkit::container_instance(&mut a, "prod", "m5.large", &subnets[0]).expect("instance");
    let tasks: Vec<String> =
        run(&mut a, &subnets[..1], "EC2", 2, false).tasks.iter().map(|t| t.task_arn.clone()).collect();
    ecs::stop_task(
        &mut a,
        &StopTaskRequest { cluster: Some("prod".into()), task: tasks[0].clone(), reason: Some("done".into()) },
    )
    .expect("stop");
    // The stopped task's desired status is STOPPED at once; the other keeps RUNNING.
    let desired = |a: &Account, status: account::TaskStatus| -> Vec<String> {
        a.tasks.values().filter(|t| t.desired_status == status).map(|t| t.task_arn.clone()).collect()
    };
    assert_eq!(desired(&a, account::TaskStatus::Running), vec![tasks[1].clone()]);
    assert_eq!(desired(&a, account::TaskStatus::Stopped), vec![tasks[0].clone()]);
    let err =
        ecs::stop_task(&mut a, &StopTaskRequest { cluster: Some("prod".into()), task: "0123".into(), reason: None })
            .expect_err("missing");
    assert_eq!(err.message, "The referenced task was not found");
    let ci = a.container_instances.values().next().expect("the container instance");
    assert_eq!(ci.pending_tasks_count + ci.running_tasks_count, 2);
    assert_eq!(
        ecs::put_account_setting(&mut a, "awsvpcTrunking", "maybe").expect_err("value").code,
        "InvalidParameterException"
    );
}
