//! One-off tasks (a command, no port mappings, started by RunTask) on the
//! simulated clock: they run a few seconds and exit with their code, and
//! the task stops as ECS reports it; a non-essential one-off exiting leaves
//! its task running; services' tasks keep running (and are replaced when
//! their essential container exits). The awslogs driver's check at start.

use account::{Account, AwsvpcConfiguration, ContainerDefinition, LogConfiguration, NetworkConfiguration, TaskStatus};
use control::clock::{advance_by, run_until};
use control::ecs::{self, testkit, CreateServiceRequest, RunTaskRequest};

fn migrate(name: &str) -> ContainerDefinition {
    let mut c = testkit::container(name, 128, 80, None);
    c.port_mappings.clear();
    c.command = vec!["python3".into(), "manage.py".into(), "migrate".into()];
    c
}

fn setup(containers: Vec<ContainerDefinition>) -> (Account, Option<NetworkConfiguration>) {
    let mut a = Account::default();
    testkit::cluster(&mut a, "prod");
    let subnets = testkit::default_subnets(&a);
    testkit::task_definition(&mut a, "job", "awsvpc", Some(("256", "512")), containers);
    let net = NetworkConfiguration {
        awsvpc_configuration: Some(AwsvpcConfiguration {
            subnets,
            security_groups: vec![],
            // The default VPC's subnets are public: without a public IP a Fargate task
            // could not reach CloudWatch Logs for its awslogs driver.
            assign_public_ip: "ENABLED".into(),
        }),
    };
    (a, Some(net))
}

fn run(a: &mut Account, net: Option<NetworkConfiguration>) -> String {
    let req = RunTaskRequest {
        cluster: Some("prod".into()),
        task_definition: "job".into(),
        launch_type: Some("FARGATE".into()),
        network_configuration: net,
        ..Default::default()
    };
    ecs::run_task(a, &req).expect("run task").tasks[0].task_arn.clone()
}

fn stopped(a: &Account, arn: &str) -> bool {
    a.tasks.get(arn).is_some_and(|t| t.last_status == TaskStatus::Stopped)
}

#[test]
fn a_one_off_task_exits_with_its_code_and_stops_as_ecs_reports_it() {
    let (mut a, net) = setup(vec![migrate("migrate")]);
    let started = a.clock_ms;
    let arn = run(&mut a, net);
    assert!(a.tasks[&arn].containers[0].simulated_exit.is_some());
    let deadline = a.clock_ms + 600_000;
    assert!(run_until(&mut a, deadline, |a| stopped(a, &arn)), "the task stops by itself");
    let t = &a.tasks[&arn];
    let c = &t.containers[0];
    assert_eq!((c.last_status, c.exit_code), (TaskStatus::Stopped, Some(0)));
    assert_eq!(t.stop_code.as_deref(), Some("EssentialContainerExited"));
    assert_eq!(t.stopped_reason.as_deref(), Some("Essential container in task exited"));
    assert_eq!(t.desired_status, TaskStatus::Stopped);
    let (started_at, stopping, exec_stopped, stopped_at) =
        (t.started_at.unwrap(), t.stopping_at.unwrap(), t.execution_stopped_at.unwrap(), t.stopped_at.unwrap());
    assert_eq!(stopping - started_at, control::ecs::launch::ONE_OFF_RUN_MS, "it ran its few seconds");
    assert!(started < started_at && stopping <= exec_stopped && exec_stopped <= stopped_at);
}

#[test]
fn the_planned_exit_code_and_run_time_are_kept() {
    let (mut a, net) = setup(vec![migrate("migrate")]);
    let arn = run(&mut a, net);
    // What the runtime layer does with a runtime file's `exit_code` / `run_seconds` for the image.
    if let Some(sim) = a.tasks.get_mut(&arn).and_then(|t| t.containers[0].simulated_exit.as_mut()) {
        sim.exit_code = 1;
        sim.run_ms = 60_000;
        sim.planned = true;
    }
    let deadline = a.clock_ms + 600_000;
    assert!(run_until(&mut a, deadline, |a| stopped(a, &arn)));
    let t = &a.tasks[&arn];
    assert_eq!(t.containers[0].exit_code, Some(1));
    assert_eq!(t.stopping_at.unwrap() - t.started_at.unwrap(), 60_000);
}

#[test]
fn a_non_essential_one_off_exits_and_its_task_runs_on() {
    let mut sidecar = migrate("init");
    sidecar.essential = false;
    let (mut a, net) = setup(vec![testkit::container("web", 128, 80, None), sidecar]);
    let arn = run(&mut a, net);
    assert!(a.tasks[&arn].containers[0].simulated_exit.is_none(), "a container with ports is not a one-off");
    advance_by(&mut a, 60_000);
    let t = &a.tasks[&arn];
    assert_eq!(t.last_status, TaskStatus::Running);
    assert_eq!((t.containers[1].last_status, t.containers[1].exit_code), (TaskStatus::Stopped, Some(0)));
    assert_eq!(t.containers[0].last_status, TaskStatus::Running);
    assert_eq!(t.next_transition_at, None, "nothing more is due");
}

#[test]
fn service_tasks_keep_running_and_are_replaced_when_their_essential_container_exits() {
    let (mut a, net) = setup(vec![migrate("worker")]);
    let req = CreateServiceRequest {
        cluster: Some("prod".into()),
        service_name: "workers".into(),
        task_definition: "job".into(),
        desired_count: Some(1),
        launch_type: Some("FARGATE".into()),
        network_configuration: net,
        ..Default::default()
    };
    let svc = ecs::create_service(&mut a, &req).expect("service").service_arn;
    let deadline = a.clock_ms + 600_000;
    assert!(run_until(&mut a, deadline, |a| ecs::service_is_steady(a, &svc)));
    advance_by(&mut a, 120_000);
    let live: Vec<String> = a
        .tasks
        .values()
        .filter(|t| t.is_live() && t.service_arn.as_deref() == Some(&svc))
        .map(|t| t.task_arn.clone())
        .collect();
    assert_eq!(live.len(), 1, "a service task does not exit on the simulated clock");
    assert!(a.tasks[&live[0]].containers[0].simulated_exit.is_none());
    ecs::container_exited(&mut a, &live[0], "worker", 2).expect("reported");
    let first = live[0].clone();
    let deadline = a.clock_ms + 600_000;
    assert!(run_until(&mut a, deadline, |a| {
        stopped(a, &first) && a.tasks.values().any(|t| t.task_arn != first && t.last_status == TaskStatus::Running)
    }));
    assert_eq!(a.tasks[&first].stop_code.as_deref(), Some("EssentialContainerExited"));
}

fn with_awslogs(c: &mut ContainerDefinition, group: &str, create: bool) {
    let mut options = std::collections::BTreeMap::new();
    options.insert("awslogs-group".to_string(), group.to_string());
    options.insert("awslogs-stream-prefix".to_string(), "ecs".to_string());
    if create {
        options.insert("awslogs-create-group".to_string(), "true".to_string());
    }
    c.log_configuration = Some(LogConfiguration { log_driver: "awslogs".into(), options });
}

#[test]
fn awslogs_needs_its_group_unless_it_may_create_it() {
    let mut c = migrate("migrate");
    with_awslogs(&mut c, "/ecs/job", false);
    let (mut a, net) = setup(vec![c]);
    let arn = run(&mut a, net.clone());
    let deadline = a.clock_ms + 600_000;
    assert!(run_until(&mut a, deadline, |a| stopped(a, &arn)));
    let t = &a.tasks[&arn];
    assert_eq!(t.stop_code.as_deref(), Some("TaskFailedToStart"));
    let reason = t.stopped_reason.clone().unwrap_or_default();
    assert!(reason.starts_with("ResourceInitializationError: failed to validate logger args:"), "{reason}");
    assert!(reason.contains("The specified log group does not exist."), "{reason}");
    assert_eq!(t.started_at, None);

    let mut c = migrate("migrate");
    with_awslogs(&mut c, "/ecs/created", true);
    testkit::task_definition(&mut a, "job", "awsvpc", Some(("256", "512")), vec![c]);
    let arn = run(&mut a, net);
    let deadline = a.clock_ms + 600_000;
    assert!(run_until(&mut a, deadline, |a| stopped(a, &arn)));
    assert_eq!(a.tasks[&arn].stop_code.as_deref(), Some("EssentialContainerExited"));
    assert!(a.log_groups.contains_key("/ecs/created"), "awslogs-create-group made the group");
    let task = a.tasks[&arn].clone();
    let target = account::logs::awslogs::target(&a, &task, "migrate").expect("awslogs");
    let id = arn.rsplit('/').next().unwrap_or_default();
    assert_eq!(target.stream, format!("ecs/migrate/{id}"));
}
