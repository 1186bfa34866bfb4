//! `tasknet deploy`, the ECS commands and `delete-stack` on the example, each
//! command its own process sharing the store, as users run them.

mod common;

use common::*;
use std::path::Path;

fn tasknet(state: &Path, a: &[&str]) -> Run {
    run_in(&todobackend(), state, &args(a))
}

fn private_subnet_cidrs(state: &Path) -> Vec<String> {
    let subnets = tasknet(state, &["describe", "subnets", "--stack-name", "todobackend", "--output", "json"]).json();
    subnets["Subnets"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|s| s["MapPublicIpOnLaunch"] == false)
                .filter_map(|s| s["CidrBlock"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn in_cidr(ip: &str, cidr: &str) -> bool {
    let parse = |s: &str| s.parse::<std::net::Ipv4Addr>().map(u32::from).ok();
    let Some((net, bits)) = cidr.split_once('/') else { return false };
    let (Some(ip), Some(net), Ok(bits)) = (parse(ip), parse(net), bits.parse::<u32>()) else { return false };
    let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
    ip & mask == net & mask
}

#[test]
fn the_example_deploys_scales_and_is_deleted() {
    let st = state();
    let out = deploy_example(st.path(), &[]);
    assert_eq!(out.code, Some(0), "{}", out.all());
    assert!(
        out.stdout
            .starts_with("\nWaiting for changeset to be created..\nWaiting for stack create/update to complete\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("CREATE_COMPLETE") && out.stdout.contains("AWS::ECS::Service"),
        "events are streamed:\n{}",
        out.stdout
    );
    assert!(out.stdout.ends_with("Successfully created/updated stack - todobackend\n"), "{}", out.stdout);

    // Each task has its ENI attachment with an address in a private subnet.
    let private = private_subnet_cidrs(st.path());
    assert_eq!(private.len(), 2, "{private:?}");
    let tasks = tasknet(st.path(), &["describe", "tasks", "--stack-name", "todobackend", "--output", "json"]).json();
    let tasks = tasks["tasks"].as_array().cloned().unwrap_or_default();
    assert_eq!(tasks.len(), 2);
    let mut ips = Vec::new();
    for t in &tasks {
        assert_eq!(t["lastStatus"], "RUNNING");
        let att = &t["attachments"][0];
        assert_eq!(att["type"], "ElasticNetworkInterface");
        assert_eq!(att["status"], "ATTACHED");
        let names: Vec<&str> = att["details"]
            .as_array()
            .map(|d| d.iter().filter_map(|x| x["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, ["subnetId", "networkInterfaceId", "macAddress", "privateDnsName", "privateIPv4Address"]);
        let ip = att["details"][4]["value"].as_str().unwrap_or_default().to_string();
        assert!(private.iter().any(|c| in_cidr(&ip, c)), "{ip} not in {private:?}");
        ips.push(ip);
    }
    // The target group has the task IPs on port 8000, healthy.
    let health = tasknet(st.path(), &["describe", "target-health", "--output", "json"]).json();
    let mut targets: Vec<(String, u64, String)> = health["TargetHealthDescriptions"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    (
                        t["Target"]["Id"].as_str().unwrap_or("").to_string(),
                        t["Target"]["Port"].as_u64().unwrap_or(0),
                        t["TargetHealth"]["State"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    targets.sort();
    ips.sort();
    assert_eq!(targets, ips.iter().map(|ip| (ip.clone(), 8000, "healthy".to_string())).collect::<Vec<_>>());

    // plan and validate against the deployed stack: no conflicts with itself.
    let mut plan =
        args(&["plan", "--template-file", "stack.yml", "--stack-name", "todobackend", "--parameter-overrides"]);
    plan.extend(dev_cfg());
    let planned = run_in(&todobackend(), st.path(), &plan);
    assert_eq!(planned.code, Some(0), "{}", planned.all());
    assert!(
        planned.stdout.contains("\nKeep     ApplicationService ") && !planned.stdout.contains("\nAdd "),
        "{}",
        planned.stdout
    );
    let mut bigger = plan.clone();
    bigger.push("ApplicationDesiredCount=3".into());
    let planned = run_in(&todobackend(), st.path(), &bigger);
    assert!(planned.stdout.contains("\nModify   ApplicationService "), "{}", planned.stdout);

    // The same stack again: nothing to do.
    let again = deploy_example(st.path(), &[]);
    assert_eq!(again.code, Some(0), "{}", again.all());
    assert!(again.stdout.contains("No changes to deploy. Stack todobackend is up to date"), "{}", again.stdout);

    // A third task does not fit on two t2.micro instances: ECS says why, word for word.
    let services =
        tasknet(st.path(), &["describe", "services", "--stack-name", "todobackend", "--output", "json"]).json();
    let (cluster, service) = (
        services["services"][0]["clusterArn"].as_str().unwrap_or("").to_string(),
        services["services"][0]["serviceName"].as_str().unwrap_or("").to_string(),
    );
    let scaled =
        tasknet(st.path(), &["update-service", "--cluster", &cluster, "--service", &service, "--desired-count", "3"]);
    assert_eq!(scaled.code, Some(1), "not steady: {}", scaled.all());
    assert!(
        scaled.stdout.contains("was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ")
            && scaled.stdout.contains("encountered error \"RESOURCE:ENI\". For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."),
        "{}",
        scaled.stdout
    );
    // Back to two, answered as UpdateService's output shape: absent members left out, not null.
    let back = tasknet(
        st.path(),
        &["update-service", "--cluster", &cluster, "--service", &service, "--desired-count", "2", "--output", "json"],
    );
    assert_eq!(back.code, Some(0), "{}", back.all());
    assert!(!back.stdout.contains("null"), "{}", back.stdout);
    let answer = back.json();
    assert_eq!(answer.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()), Some(vec!["service".to_string()]));
    assert_eq!(answer["service"]["desiredCount"], 2, "{answer}");

    // Delete: every interface and address goes back.
    let deleted = tasknet(st.path(), &["delete-stack", "--stack-name", "todobackend"]);
    assert_eq!(deleted.code, Some(0), "{}", deleted.all());
    assert!(deleted.stdout.contains("DELETE_COMPLETE"), "{}", deleted.stdout);
    let enis = tasknet(st.path(), &["describe", "network-interfaces", "--output", "json"]).json();
    assert_eq!(enis["NetworkInterfaces"].as_array().map(Vec::len), Some(0), "{enis}");
    let subnets = tasknet(st.path(), &["describe", "subnets", "--output", "json"]).json();
    for s in subnets["Subnets"].as_array().cloned().unwrap_or_default() {
        assert_eq!(s["AvailableIpAddressCount"], 4091, "{s}");
    }
}

#[test]
fn a_second_deploy_while_one_runs_is_refused() {
    let st = state();
    std::fs::create_dir_all(st.path()).unwrap_or_else(|e| panic!("{e}"));
    // Hold the lock as a running deploy would.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(st.path().join("account.lock"))
        .unwrap_or_else(|e| panic!("{e}"));
    lock.lock().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(st.path().join("account.lock"), "4242 deploy").unwrap_or_else(|e| panic!("{e}"));
    let out = deploy_example(st.path(), &[]);
    // Busy (3), not unreadable input (2).
    assert_eq!(out.code, Some(3), "{}", out.all());
    assert!(
        out.stderr.contains("cannot deploy: `tasknet deploy` (pid 4242) is changing this account right now"),
        "{}",
        out.all()
    );
    drop(lock);
    let out = deploy_example(st.path(), &[]);
    assert_eq!(out.code, Some(0), "{}", out.all());
}

#[test]
fn a_stack_left_in_progress_by_a_killed_deploy_is_rolled_back_by_the_next_command() {
    let st = state();
    assert_eq!(deploy_example(st.path(), &[]).code, Some(0));
    // What a deploy killed halfway leaves: the stack in progress in the store.
    let path = st.path().join("account.db");
    let mut store = account::Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut a = store.load_account().ok().flatten().unwrap_or_else(|| panic!("stored"));
    for s in a.stacks.values_mut() {
        s.stack_status = account::StackStatus::CreateInProgress;
        s.operation_pid = Some(999_999);
    }
    store.save_account(&a).unwrap_or_else(|e| panic!("{e}"));
    drop(store);
    assert_the_next_command_rolls_back(st.path());
}

/// The next command that changes the account says it rolled the stack back,
/// which is then ROLLBACK_COMPLETE with no interface left.
fn assert_the_next_command_rolls_back(st: &Path) {
    let out = tasknet(st, &["run-task", "--task-definition", "nosuch"]);
    assert!(
        out.stderr
            .contains("stack todobackend was left in progress by a process that stopped; it has been rolled back"),
        "{}",
        out.all()
    );
    let stacks = tasknet(st, &["describe", "stacks", "--stack-name", "todobackend", "--output", "json"]).json();
    assert_eq!(stacks["Stacks"][0]["StackStatus"], "ROLLBACK_COMPLETE", "{stacks}");
    let enis = tasknet(st, &["describe", "network-interfaces", "--output", "json"]).json();
    assert_eq!(enis["NetworkInterfaces"].as_array().map(Vec::len), Some(0), "{enis}");
}

#[test]
fn a_service_aws_refuses_fails_with_createservice_text_and_rolls_back() {
    let st = state();
    let mut a = args(&[
        "deploy",
        "--template-file",
        "broken/target-group-instance-type.yml",
        "--stack-name",
        "broken",
        "--capabilities",
        "CAPABILITY_NAMED_IAM",
        "--custom-outputs",
        "file://custom-outputs.json",
        "--parameter-overrides",
    ]);
    a.extend(dev_cfg());
    let out = run_in(&todobackend(), st.path(), &a);
    assert_eq!(out.code, Some(1), "{}", out.all());
    assert!(out.stdout.contains("Failed to create the stack (ROLLBACK_COMPLETE: The following resource(s) failed to create: [ApplicationService]. Rollback requested by user.)"), "{}", out.stdout);
    let events = tasknet(st.path(), &["describe", "stack-events", "--stack-name", "broken", "--output", "json"]).json();
    let failed: Vec<&serde_json::Value> = events["StackEvents"]
        .as_array()
        .map(|e| e.iter().filter(|e| e["ResourceStatus"] == "CREATE_FAILED").collect())
        .unwrap_or_default();
    assert_eq!(failed.len(), 1);
    let reason = failed[0]["ResourceStatusReason"].as_str().unwrap_or_default();
    assert!(
        reason.starts_with(
            "Invalid request provided: CreateService error: The provided target group arn:aws:elasticloadbalancing:"
        ),
        "{reason}"
    );
    assert!(reason.ends_with("has target type instance, which is incompatible with the awsvpc network mode specified in the task definition."), "{reason}");
    let enis = tasknet(st.path(), &["describe", "network-interfaces", "--output", "json"]).json();
    assert_eq!(enis["NetworkInterfaces"].as_array().map(Vec::len), Some(0), "{enis}");
}

/// A real `deploy` killed (SIGKILL) in the middle of a create: the next
/// command rolls the stack back and nothing of it is left. The deploy is
/// made slow enough to catch mid-create by holding `up.lock` (as a running
/// `up` would): its waits then pass in wall time, with progress in the store.
#[test]
fn a_deploy_killed_in_the_middle_of_a_create_is_rolled_back_by_the_next_command() {
    let st = state();
    let up = hold_up_lock(st.path());
    let mut deploy = spawn_deploy_example(st.path(), &[]);
    // Polls the store until the create waits for the auto scaling group's
    // instances (everything before it made, interfaces included); at most a few minutes.
    let mut midway = false;
    for _ in 0..3_000 {
        let a = stored_account(st.path());
        let stack = a.as_ref().and_then(|a| a.stacks.values().next());
        if let Some(s) = stack.filter(|s| s.stack_status == account::StackStatus::CreateInProgress) {
            let made = s.resources.iter().filter(|r| r.resource_status == "CREATE_COMPLETE").count();
            let waiting = s.resources.iter().any(|r| {
                r.resource_type == "AWS::AutoScaling::AutoScalingGroup" && r.resource_status == "CREATE_IN_PROGRESS"
            });
            if waiting && made >= 3 && a.as_ref().is_some_and(|a| !a.network_interfaces.is_empty()) {
                midway = true;
                break;
            }
        }
        if let Ok(Some(exit)) = deploy.try_wait() {
            panic!("the deploy ended ({exit}) before it was seen in the middle of its create");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = deploy.kill();
    // Reaped: a zombie would still count as the stack's live owner.
    let _ = deploy.wait();
    assert!(midway, "never saw the create under way");
    drop(up);
    assert_the_next_command_rolls_back(st.path());
}
