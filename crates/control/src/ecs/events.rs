//! Service events (DescribeServices `events[].message`), worded as the API
//! writes them, and the rule that keeps identical ones from repeating.
//!
//! AWS doc: "Service event messages" (the texts, the 100 most recent events,
//! duplicates omitted "until either the cause is resolved or six hours
//! passes"). The texts are in shared/aws-facts.md (seen unless marked).

use super::placement::{PlacementFailure, Shortfall};
use account::{ids, Account, ServiceEvent};

/// How many events DescribeServices keeps (documented: the 100 most recent).
pub const MAX_EVENTS: usize = 100;

/// How long an identical message stays suppressed (documented: six hours).
pub const REPEAT_AFTER_MS: u64 = 6 * 3600 * 1000;

/// How many tasks one "has started"/"has stopped" message lists. Inferred:
/// real events list tasks in groups; tasknet caps one message at ten.
pub const TASKS_PER_MESSAGE: usize = 10;

const TROUBLESHOOTING: &str =
    "For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.";

/// The last segment of an ARN (a task's or container instance's ID).
pub fn arn_id(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// `(task ID) (task ID)…` for the tasks' ARNs.
fn task_list(arns: &[String]) -> String {
    arns.iter().map(|a| format!("(task {})", arn_id(a))).collect::<Vec<_>>().join(" ")
}

/// `(service S) has started N tasks: (task …) (task …).` — with, when some
/// replaced unhealthy tasks, ` Amazon ECS replaced N tasks due to an unhealthy status.`
pub fn started(service: &str, tasks: &[String], replaced_unhealthy: usize) -> String {
    let mut text = format!("(service {service}) has started {} tasks: {}.", tasks.len(), task_list(tasks));
    if replaced_unhealthy > 0 {
        text.push_str(&format!(" Amazon ECS replaced {replaced_unhealthy} tasks due to an unhealthy status."));
    }
    text
}

/// `(service S) has stopped N running tasks: (task …).`
pub fn stopped(service: &str, tasks: &[String]) -> String {
    format!("(service {service}) has stopped {} running tasks: {}.", tasks.len(), task_list(tasks))
}

/// `(service S) registered N targets in (target-group ARN)` (no final period, as seen).
pub fn registered(service: &str, count: usize, target_group: &str) -> String {
    format!("(service {service}) registered {count} targets in (target-group {target_group})")
}

/// `(service S) deregistered N targets in (target-group ARN)` (no final period, as seen).
pub fn deregistered(service: &str, count: usize, target_group: &str) -> String {
    format!("(service {service}) deregistered {count} targets in (target-group {target_group})")
}

/// `(service S, taskSet ecs-svc/N) has begun draining connections on N tasks.`
pub fn draining(service: &str, deployment: &str, count: usize) -> String {
    format!("(service {service}, taskSet {deployment}) has begun draining connections on {count} tasks.")
}

/// `(service S) (deployment ecs-svc/N) deployment completed.`
pub fn deployment_completed(service: &str, deployment: &str) -> String {
    format!("(service {service}) (deployment {deployment}) deployment completed.")
}

/// `(service S) has reached a steady state.`
pub fn steady(service: &str) -> String {
    format!("(service {service}) has reached a steady state.")
}

/// `(service S) (task ID) (port P) is unhealthy in (target-group ARN) due to (reason …).`
pub fn unhealthy(service: &str, task: &str, port: u16, target_group: &str, reason: &str) -> String {
    format!("(service {service}) (task {}) (port {port}) is unhealthy in (target-group {target_group}) due to (reason {reason}).", arn_id(task))
}

/// `(service S) (deployment ecs-svc/N) deployment failed: tasks failed to start.`
pub fn deployment_failed(service: &str, deployment: &str) -> String {
    format!("(service {service}) (deployment {deployment}) deployment failed: tasks failed to start.")
}

/// `(service S) rolling back to deployment ecs-svc/M.`
pub fn rolling_back(service: &str, deployment: &str) -> String {
    format!("(service {service}) rolling back to deployment {deployment}.")
}

/// The documented text for a deployment the percentages allow no progress in
/// (the `(service S)` prefix is inferred from the other events).
pub fn deployment_stuck(service: &str) -> String {
    format!(
        "(service {service}) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again."
    )
}

/// The placement failure event. The "closest matching" container instance is
/// named by the last segment of its ARN.
pub fn unable_to_place(service: &str, failure: &PlacementFailure) -> String {
    let detail = match failure {
        PlacementFailure::NoInstances => "Reason: No Container Instances were found in your cluster.".to_string(),
        PlacementFailure::Closest(arn, shortfall) => {
            let ci = arn_id(arn);
            match shortfall {
                Shortfall::Ports => format!("The closest matching (container-instance {ci}) is already using a port required by your task."),
                Shortfall::Cpu => format!("The closest matching (container-instance {ci}) has insufficient CPU units available."),
                Shortfall::Memory => format!("The closest matching (container-instance {ci}) has insufficient memory available."),
                Shortfall::Eni => format!("The closest matching (container-instance {ci}) encountered error \"RESOURCE:ENI\"."),
                // Inferred: ECS's text for an unmet placement attribute.
                Shortfall::Attribute => format!("The closest matching (container-instance {ci}) is missing an attribute required by your task."),
                // tasknet's words: AWS knows every type's limit; tasknet refuses to guess one.
                Shortfall::UnknownInstanceType(t) => format!(
                    "The closest matching (container-instance {ci}) has instance type '{t}', whose network interface limit tasknet does not know, so tasknet places no awsvpc task on it."
                ),
            }
        }
    };
    format!("(service {service}) was unable to place a task because no container instance met all of its requirements. {detail} {TROUBLESHOOTING}")
}

/// Adds an event to the service (newest first, at most 100 kept).
pub fn post(account: &mut Account, service_arn: &str, message: String) {
    let id = ids::uuid(account.next_words("ecs-event"));
    let now = account.clock_ms;
    if let Some(s) = account.services.get_mut(service_arn) {
        s.events.insert(0, ServiceEvent { id, created_at: now, message });
        s.events.truncate(MAX_EVENTS);
    }
}

/// Adds an event unless the same message was posted less than six hours ago
/// and nothing else happened to the service since (the cause did not
/// change). Returns whether it was posted.
pub fn post_unless_repeated(account: &mut Account, service_arn: &str, message: String) -> bool {
    let now = account.clock_ms;
    let repeated = account
        .services
        .get(service_arn)
        .and_then(|s| s.events.first())
        .is_some_and(|e| e.message == message && now < e.created_at.saturating_add(REPEAT_AFTER_MS));
    if !repeated {
        post(account, service_arn, message);
    }
    !repeated
}

/// True for the messages that report a problem the scheduler keeps running
/// into (placement failures, stuck deployments, tasks it cannot start).
fn is_problem(message: &str) -> bool {
    message.contains(") was unable to ") || message.contains(") cannot start tasks")
}

/// Posts a problem message unless the same one was posted less than six
/// hours ago and the cause did not change since: no task was started or
/// stopped and no other problem was reported in between (events about
/// targets or health do not count). Returns whether it was posted.
pub fn post_problem(account: &mut Account, service_arn: &str, message: String) -> bool {
    let now = account.clock_ms;
    let mut repeated = false;
    if let Some(s) = account.services.get(service_arn) {
        for e in &s.events {
            if e.message == message {
                repeated = now < e.created_at.saturating_add(REPEAT_AFTER_MS);
                break;
            }
            if is_problem(&e.message) || e.message.contains(") has started ") || e.message.contains(") has stopped ") {
                break;
            }
        }
    }
    if !repeated {
        post(account, service_arn, message);
    }
    !repeated
}

/// When the latest event's six hours end (a suppressed message may then repeat).
pub fn repeat_due(account: &Account, service_arn: &str) -> Option<u64> {
    account
        .services
        .get(service_arn)
        .and_then(|s| s.events.first())
        .map(|e| e.created_at.saturating_add(REPEAT_AFTER_MS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_match_the_facts() {
        let arns = vec!["arn:aws:ecs:r:1:task/c/9ac2".to_string(), "arn:aws:ecs:r:1:task/c/51b3".to_string()];
        assert_eq!(started("web", &arns, 0), "(service web) has started 2 tasks: (task 9ac2) (task 51b3).");
        assert_eq!(
            started("web", &arns[..1], 1),
            "(service web) has started 1 tasks: (task 9ac2). Amazon ECS replaced 1 tasks due to an unhealthy status."
        );
        assert_eq!(stopped("web", &arns[1..]), "(service web) has stopped 1 running tasks: (task 51b3).");
        assert_eq!(registered("web", 1, "arn:tg"), "(service web) registered 1 targets in (target-group arn:tg)");
        assert_eq!(
            draining("web", "ecs-svc/1", 1),
            "(service web, taskSet ecs-svc/1) has begun draining connections on 1 tasks."
        );
        let eni = unable_to_place(
            "web",
            &PlacementFailure::Closest("arn:aws:ecs:r:1:container-instance/c/abc".into(), Shortfall::Eni),
        );
        assert_eq!(eni, "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance abc) encountered error \"RESOURCE:ENI\". For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.");
        assert!(unable_to_place("web", &PlacementFailure::NoInstances)
            .contains("Reason: No Container Instances were found in your cluster. For more"));
    }

    #[test]
    fn identical_messages_wait_six_hours() {
        let mut a = Account::default();
        let arn = "arn:svc".to_string();
        a.services.insert(arn.clone(), test_service(&arn));
        assert!(post_unless_repeated(&mut a, &arn, "x".into()));
        a.clock_ms += 1000;
        assert!(!post_unless_repeated(&mut a, &arn, "x".into()));
        assert!(post_unless_repeated(&mut a, &arn, "y".into()));
        assert!(post_unless_repeated(&mut a, &arn, "x".into()));
        a.clock_ms += REPEAT_AFTER_MS;
        assert!(post_unless_repeated(&mut a, &arn, "x".into()));
        assert_eq!(a.services[&arn].events.len(), 4);
    }

    #[test]
    fn problems_repeat_only_when_the_cause_changed() {
        let mut a = Account::default();
        let arn = "arn:svc".to_string();
        a.services.insert(arn.clone(), test_service(&arn));
        let problem = "(service s) was unable to place a task".to_string();
        assert!(post_problem(&mut a, &arn, problem.clone()));
        post(&mut a, &arn, "(service s) registered 1 targets in (target-group x)".into());
        assert!(!post_problem(&mut a, &arn, problem.clone()));
        post(&mut a, &arn, "(service s) has started 1 tasks: (task t).".into());
        assert!(post_problem(&mut a, &arn, problem.clone()));
        a.clock_ms += REPEAT_AFTER_MS;
        assert!(post_problem(&mut a, &arn, problem));
    }

    fn test_service(arn: &str) -> account::Service {
        account::Service {
            service_name: "s".into(),
            service_arn: arn.into(),
            cluster_arn: "c".into(),
            task_definition: "td".into(),
            desired_count: 0,
            launch_type: None,
            network_configuration: None,
            load_balancers: vec![],
            role_arn: None,
            deployment_configuration: Default::default(),
            status: account::ServiceStatus::Active,
            deployments: vec![],
            events: vec![],
            running_count: 0,
            pending_count: 0,
            created_at: 0,
            start_failures: Default::default(),
        }
    }
}
