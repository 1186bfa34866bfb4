//! The service scheduler: rolling deployments within maximumPercent and
//! minimumHealthyPercent (seen in the events), stuck deployments, the
//! circuit breaker, ELB health replacements, DeleteService and services
//! CloudFormation recorded without a deployment.

use account::{
    Account, AwsvpcConfiguration, DeploymentConfiguration, HealthCheckOutcome, NetworkConfiguration,
    ServiceLoadBalancer,
};
use control::clock::{advance_by, run_until};
use control::ecs::{self, testkit, CreateServiceRequest, UpdateServiceRequest};

const MINUTE: u64 = 60_000;

struct World {
    a: Account,
    svc: String,
    tg: String,
}

fn world(instance_type: &str, instances: usize, desired: u32, max: u32, min: u32, breaker: bool) -> World {
    let mut a = Account::default();
    testkit::cluster(&mut a, "prod");
    let subnets = testkit::default_subnets(&a);
    for i in 0..instances {
        testkit::container_instance(&mut a, "prod", instance_type, &subnets[i % 2]).expect("instance");
    }
    testkit::task_definition(&mut a, "web", "awsvpc", None, vec![testkit::container("app", 128, 80, None)]);
    let tg = testkit::target_group(&mut a, "web", "ip", 80);
    let req = CreateServiceRequest {
        cluster: Some("prod".into()),
        service_name: "web".into(),
        task_definition: "web".into(),
        desired_count: Some(desired),
        network_configuration: Some(NetworkConfiguration {
            awsvpc_configuration: Some(AwsvpcConfiguration {
                subnets: subnets[..2].to_vec(),
                security_groups: vec![],
                assign_public_ip: "DISABLED".into(),
            }),
        }),
        load_balancers: vec![ServiceLoadBalancer {
            target_group_arn: Some(tg.clone()),
            load_balancer_name: None,
            container_name: "app".into(),
            container_port: 80,
        }],
        deployment_configuration: Some(DeploymentConfiguration {
            maximum_percent: max,
            minimum_healthy_percent: min,
            circuit_breaker_enable: breaker,
            circuit_breaker_rollback: breaker,
        }),
        ..Default::default()
    };
    let svc = ecs::create_service(&mut a, &req).expect("create").service_arn;
    let deadline = a.clock_ms + 30 * MINUTE;
    assert!(
        run_until(&mut a, deadline, |a| ecs::service_is_steady(a, &svc)),
        "{}",
        ecs::service_stability_report(&a, &svc)
    );
    World { a, svc, tg }
}

/// Registers revision 2 of the task definition and deploys it.
fn deploy_revision_2(w: &mut World) -> String {
    testkit::task_definition(&mut w.a, "web", "awsvpc", None, vec![testkit::container("app", 96, 80, None)]);
    let s = ecs::update_service(
        &mut w.a,
        &UpdateServiceRequest {
            cluster: Some("prod".into()),
            service: "web".into(),
            task_definition: Some("web:2".into()),
            ..Default::default()
        },
    )
    .expect("update");
    s.deployments[0].id.clone()
}

/// Event messages newer than `since`, oldest first.
fn events_since(a: &Account, svc: &str, since: u64) -> Vec<String> {
    a.services[svc].events.iter().rev().filter(|e| e.created_at >= since).map(|e| e.message.clone()).collect()
}

fn position(events: &[String], needle: &str) -> usize {
    events.iter().position(|e| e.contains(needle)).unwrap_or_else(|| panic!("no event with {needle:?} in {events:#?}"))
}

#[test]
fn rolling_deployment_respects_both_percentages() {
    let mut w = world("m5.large", 2, 2, 200, 100, false);
    let start = w.a.clock_ms;
    let old: Vec<String> = w.a.tasks.keys().cloned().collect();
    let new_id = deploy_revision_2(&mut w);
    let mut steps = 0;
    while !ecs::service_is_steady(&w.a, &w.svc) {
        advance_by(&mut w.a, 1000);
        steps += 1;
        assert!(steps < 3000, "{}", ecs::service_stability_report(&w.a, &w.svc));
        let live: Vec<&account::Task> = w.a.tasks.values().filter(|t| t.desired_status == "RUNNING").collect();
        assert!(live.len() <= 4, "maximumPercent 200 of 2: at most 4 tasks RUNNING or PENDING, saw {}", live.len());
        let healthy = live.iter().filter(|t| ecs::health::is_healthy(&w.a, t)).count();
        assert!(healthy >= 2, "minimumHealthyPercent 100 of 2: at least 2 healthy, saw {healthy}");
    }
    let ev = events_since(&w.a, &w.svc, start);
    let started = position(&ev, "has started 2 tasks");
    let registered = position(&ev, &format!("registered 2 targets in (target-group {})", w.tg));
    let stopped = position(&ev, "has stopped 2 running tasks");
    let draining = position(&ev, ", taskSet ecs-svc/");
    let deregistered = position(&ev, "deregistered 2 targets");
    let completed = position(&ev, &format!("(service web) (deployment {new_id}) deployment completed."));
    assert!(
        started < registered
            && registered < stopped
            && stopped < draining
            && draining < deregistered
            && deregistered < completed,
        "{ev:#?}"
    );
    assert!(ev[draining].ends_with("has begun draining connections on 2 tasks."));
    assert_eq!(ev.last().map(String::as_str), Some("(service web) has reached a steady state."));
    let t = &w.a.tasks[&old[0]];
    assert_eq!(t.stop_code.as_deref(), Some("ServiceSchedulerInitiated"));
    assert!(t.stopped_reason.as_deref().unwrap().starts_with("Scaling activity initiated by (deployment ecs-svc/"));
    let d = &w.a.services[&w.svc].deployments;
    assert_eq!(
        (d.len(), d[0].id.as_str(), d[0].rollout_state_reason.clone()),
        (1, new_id.as_str(), format!("ECS deployment {new_id} completed."))
    );
    // The old tasks drained for the target group's 300 s before stopping.
    assert!(w.a.clock_ms - start >= 300_000);
}

#[test]
fn percentages_that_allow_nothing_get_the_stuck_event() {
    let mut w = world("m5.large", 2, 2, 100, 100, false);
    let start = w.a.clock_ms;
    deploy_revision_2(&mut w);
    advance_by(&mut w.a, 10 * MINUTE);
    let ev = events_since(&w.a, &w.svc, start);
    let stuck = "(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.";
    assert_eq!(ev.iter().filter(|e| *e == stuck).count(), 1, "{ev:#?}");
    assert!(!ecs::service_is_steady(&w.a, &w.svc));
}

#[test]
fn room_for_only_the_desired_tasks_leaves_the_deployment_waiting_for_an_eni() {
    let mut w = world("t2.micro", 2, 2, 200, 100, false);
    let start = w.a.clock_ms;
    deploy_revision_2(&mut w);
    advance_by(&mut w.a, 30 * MINUTE);
    let ev = events_since(&w.a, &w.svc, start);
    assert!(
        ev.iter().any(|e| e
            .contains("was unable to place a task because no container instance met all of its requirements.")
            && e.contains("encountered error \"RESOURCE:ENI\".")),
        "{ev:#?}"
    );
    assert_eq!(w.a.services[&w.svc].deployments.len(), 2);
    assert_eq!(w.a.services[&w.svc].running_count, 2);
}

#[test]
fn minimum_zero_stops_before_it_starts() {
    let mut w = world("t2.micro", 2, 2, 100, 0, false);
    let start = w.a.clock_ms;
    deploy_revision_2(&mut w);
    let deadline = w.a.clock_ms + 30 * MINUTE;
    assert!(run_until(&mut w.a, deadline, |a| ecs::service_is_steady(
        a,
        "arn:aws:ecs:us-east-1:123456789012:service/prod/web"
    )));
    let ev = events_since(&w.a, &w.svc, start);
    assert!(position(&ev, "has stopped 2 running tasks") < position(&ev, "has started 2 tasks"), "{ev:#?}");
}

#[test]
fn the_circuit_breaker_fails_the_deployment_and_rolls_back() {
    let mut w = world("m5.large", 2, 2, 200, 100, true);
    let old_id = w.a.services[&w.svc].deployments[0].id.clone();
    let new_id = deploy_revision_2(&mut w);
    for _ in 0..600 {
        let starting: Vec<String> =
            w.a.tasks
                .values()
                .filter(|t| {
                    t.started_by.as_deref() == Some(new_id.as_str())
                        && t.desired_status == "RUNNING"
                        && t.last_status == "PENDING"
                })
                .map(|t| t.task_arn.clone())
                .collect();
        for t in starting {
            ecs::container_exited(&mut w.a, &t, "app", 1).expect("exit");
        }
        if w.a.services[&w.svc].deployments.iter().any(|d| d.rollout_state == "FAILED") {
            break;
        }
        advance_by(&mut w.a, 1000);
    }
    let d = w.a.services[&w.svc].deployments.clone();
    let failed = d.iter().find(|d| d.id == new_id).expect("failed deployment");
    assert_eq!(
        (failed.rollout_state.as_str(), failed.rollout_state_reason.as_str()),
        ("FAILED", "ECS deployment circuit breaker: tasks failed to start.")
    );
    assert!(failed.failed_tasks >= 3, "the threshold for 2 desired tasks is 3");
    assert_eq!(d[0].id, old_id);
    let msgs: Vec<&str> = w.a.services[&w.svc].events.iter().map(|e| e.message.as_str()).collect();
    assert!(msgs
        .contains(&format!("(service web) (deployment {new_id}) deployment failed: tasks failed to start.").as_str()));
    assert!(msgs.contains(&format!("(service web) rolling back to deployment {old_id}.").as_str()));
    let deadline = w.a.clock_ms + 30 * MINUTE;
    assert!(run_until(&mut w.a, deadline, |a| ecs::service_is_steady(
        a,
        "arn:aws:ecs:us-east-1:123456789012:service/prod/web"
    )));
    assert!(w.a.services[&w.svc].task_definition.ends_with("web:1"));
}

#[test]
fn tasks_failing_elb_health_checks_are_replaced() {
    let mut w = world("m5.large", 2, 2, 200, 100, false);
    let start = w.a.clock_ms;
    let task = w.a.tasks.values().find(|t| t.last_status == "RUNNING").map(|t| t.task_arn.clone()).unwrap();
    let ip = w.a.tasks[&task].attachments[0]
        .details
        .iter()
        .find(|d| d.name == "privateIPv4Address")
        .map(|d| d.value.clone())
        .unwrap();
    control::elb::report_health_check(&mut w.a, &w.tg, &ip, 80, HealthCheckOutcome::Fail(503)).expect("report");
    advance_by(&mut w.a, MINUTE);
    let id = task.rsplit('/').next().unwrap();
    let ev = events_since(&w.a, &w.svc, start);
    let unhealthy = format!("(service web) (task {id}) (port 80) is unhealthy in (target-group {}) due to (reason Health checks failed with these codes: [503]).", w.tg);
    let replaced = position(&ev, "Amazon ECS replaced 1 tasks due to an unhealthy status.");
    assert!(position(&ev, &unhealthy) < replaced, "{ev:#?}");
    assert!(ev[replaced].starts_with("(service web) has started 1 tasks: (task "));
    assert_eq!(
        w.a.tasks[&task].stopped_reason.as_deref(),
        Some(format!("Task failed ELB health checks in (target-group {})", w.tg).as_str())
    );
    let deadline = w.a.clock_ms + 30 * MINUTE;
    let svc = w.svc.clone();
    assert!(run_until(&mut w.a, deadline, |a| ecs::service_is_steady(a, &svc)));
}

#[test]
fn tasks_on_a_draining_instance_are_replaced_elsewhere_first() {
    let mut w = world("m5.large", 3, 2, 200, 100, false);
    let ci = w.a.tasks.values().next().and_then(|t| t.container_instance_arn.clone()).unwrap();
    let on_it: Vec<String> =
        w.a.tasks
            .values()
            .filter(|t| t.container_instance_arn.as_deref() == Some(ci.as_str()))
            .map(|t| t.task_arn.clone())
            .collect();
    let network_configuration = w.a.services[&w.svc].network_configuration.clone();
    let req = ecs::RunTaskRequest {
        cluster: Some("prod".into()),
        task_definition: "web".into(),
        network_configuration,
        ..Default::default()
    };
    let standalone = ecs::run_task(&mut w.a, &req).expect("run").tasks;
    if let Some(c) = w.a.container_instances.get_mut(&ci) {
        c.status = account::ContainerInstanceStatus::Draining;
    }
    let deadline = w.a.clock_ms + 30 * MINUTE;
    let svc = w.svc.clone();
    let done = |a: &Account| {
        ecs::service_is_steady(a, &svc)
            && a.tasks
                .values()
                .filter(|t| t.service_arn.is_some() && t.last_status != "STOPPED")
                .all(|t| t.container_instance_arn.as_deref() != Some(ci.as_str()))
    };
    assert!(run_until(&mut w.a, deadline, done), "{}", ecs::service_stability_report(&w.a, &w.svc));
    assert!(on_it.iter().all(|t| w.a.tasks[t].desired_status == "STOPPED"));
    assert!(
        standalone.iter().all(|t| w.a.tasks[&t.task_arn].desired_status == "RUNNING"),
        "RunTask's tasks stay on a draining instance"
    );
}

#[test]
fn delete_service_needs_zero_tasks_unless_forced_then_drains_to_inactive() {
    let mut w = world("m5.large", 2, 2, 200, 100, false);
    let err = ecs::delete_service(&mut w.a, "prod", "web", false).expect_err("scaled above 0");
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("InvalidParameterException", "The service cannot be stopped while the primary deployment is scaled above 0")
    );
    let s = ecs::delete_service(&mut w.a, "prod", "web", true).expect("forced");
    assert_eq!((s.status.as_str(), s.desired_count), ("DRAINING", 0));
    advance_by(&mut w.a, 1000);
    assert_eq!(w.a.services[&w.svc].status, "DRAINING", "tasks are still draining their targets");
    advance_by(&mut w.a, 10 * MINUTE);
    assert_eq!(w.a.services[&w.svc].status, "INACTIVE");
    assert!(w.a.tasks.values().all(|t| t.last_status == "STOPPED"));
    assert_eq!(
        ecs::update_service(
            &mut w.a,
            &UpdateServiceRequest {
                cluster: Some("prod".into()),
                service: "web".into(),
                desired_count: Some(1),
                ..Default::default()
            }
        )
        .expect_err("inactive")
        .code,
        "ServiceNotActiveException"
    );
    assert_eq!(
        ecs::delete_service(&mut w.a, "prod", "nope", false).expect_err("missing").message,
        "Service not found."
    );
}

#[test]
fn a_service_recorded_without_deployments_is_adopted() {
    let mut a = Account::default();
    testkit::cluster(&mut a, "prod");
    let subnets = testkit::default_subnets(&a);
    testkit::container_instance(&mut a, "prod", "m5.large", &subnets[0]).expect("instance");
    let td = testkit::task_definition(&mut a, "web", "bridge", None, vec![testkit::container("app", 128, 80, None)]);
    let arn = a.service_arn("prod", "web");
    let cluster_arn = a.clusters["prod"].cluster_arn.clone();
    a.put_service(account::Service {
        service_name: "web".into(),
        service_arn: arn.clone(),
        cluster_arn,
        task_definition: td,
        desired_count: 2,
        launch_type: None,
        network_configuration: None,
        load_balancers: vec![],
        role_arn: None,
        deployment_configuration: DeploymentConfiguration::default(),
        status: account::ServiceStatus::Active,
        deployments: vec![],
        events: vec![],
        running_count: 0,
        pending_count: 0,
        created_at: a.clock_ms,
        start_failures: Default::default(),
    });
    let deadline = a.clock_ms + 10 * MINUTE;
    assert!(
        run_until(&mut a, deadline, |a| ecs::service_is_steady(a, &arn)),
        "{}",
        ecs::service_stability_report(&a, &arn)
    );
    let s = &a.services[&arn];
    assert!(s.deployments[0].id.starts_with("ecs-svc/"));
    assert!(a
        .tasks
        .values()
        .all(|t| t.group == "service:web" && t.started_by.as_deref() == Some(s.deployments[0].id.as_str())));
}

/// Every due time of a deployment, any percentages: never more tasks RUNNING
/// or PENDING than maximumPercent allows, never fewer healthy than
/// minimumHealthyPercent requires, and the deployment completes.
mod percentages {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn a_deployment_stays_within_its_percentages(desired in 1u32..4, max in prop::sample::select(vec![100u32, 150, 200]), min in prop::sample::select(vec![0u32, 50, 100])) {
            let d = desired as usize;
            let cap = d * max as usize / 100;
            let floor = (d * min as usize).div_ceil(100);
            // Rounded, these allow neither a stop nor a start: stuck on AWS too (tested above).
            prop_assume!(floor < d || cap > d);
            let mut w = world("m5.large", 3, desired, max, min, false);
            deploy_revision_2(&mut w);
            let deadline = w.a.clock_ms + 120 * MINUTE;
            while !ecs::service_is_steady(&w.a, &w.svc) {
                let next = control::clock::reconcile(&mut w.a);
                let live: Vec<&account::Task> = w.a.tasks.values().filter(|t| t.desired_status == "RUNNING").collect();
                prop_assert!(live.len() <= cap.max(d), "{} live with maximumPercent {max} of {d}", live.len());
                let healthy = live.iter().filter(|t| ecs::health::is_healthy(&w.a, t)).count();
                prop_assert!(healthy >= floor, "{healthy} healthy with minimumHealthyPercent {min} of {d}");
                match next {
                    Some(t) if t <= deadline => w.a.clock_ms = t.max(w.a.clock_ms + 1),
                    _ => prop_assert!(false, "stuck: {}", ecs::service_stability_report(&w.a, &w.svc)),
                }
            }
        }
    }
}
