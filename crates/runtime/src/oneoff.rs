//! One-off containers' simulated exits and the runtime file: the control
//! plane plans every one-off container (a command, no port mappings, in a
//! task RunTask started) to exit 0 after a few seconds of RUNNING
//! (`control::ecs::launch::one_off`); the runtime file's `exit_code` and
//! `run_seconds` for the container's image change that plan, and under
//! `up` an image the runtime file maps to a local command runs as a real
//! process, whose own exit is reported instead (the plan is dropped).

use account::Account;
pub use workload::RuntimeFile;

/// Applies `runtime` to the live tasks' simulated exits: each plan is
/// adjusted once; with `real_processes` (under `up`) a container whose image
/// the file maps runs for real, so its plan is dropped.
pub fn plan(a: &mut Account, runtime: Option<&RuntimeFile>, real_processes: bool) {
    let defs = &a.task_definitions;
    for t in a.tasks.values_mut().filter(|t| t.is_live()) {
        let started = t.started_at;
        let Some(td) = defs.get(&t.task_definition_arn) else { continue };
        let mut changed = false;
        for c in &mut t.containers {
            if c.last_status == account::TaskStatus::Stopped {
                continue;
            }
            let image = td.container_definitions.iter().find(|d| d.name == c.name).and_then(|d| d.image.as_deref());
            let entry = runtime.zip(image).and_then(|(r, i)| r.lookup(i));
            if real_processes && entry.is_some() {
                changed |= c.simulated_exit.take().is_some();
                continue;
            }
            let Some(sim) = c.simulated_exit.as_mut().filter(|s| !s.planned) else { continue };
            sim.planned = true;
            if let Some(e) = entry {
                sim.exit_code = e.exit_code.unwrap_or(sim.exit_code);
                sim.run_ms = e.run_seconds.map_or(sim.run_ms, |s| s * 1000);
                if let (Some(at), Some(started)) = (sim.at.as_mut(), started) {
                    *at = started + sim.run_ms;
                }
                changed = true;
            }
        }
        if changed && t.last_status == account::TaskStatus::Running && t.wants_running() {
            t.next_transition_at = t
                .containers
                .iter()
                .filter(|c| c.last_status != account::TaskStatus::Stopped)
                .filter_map(|c| c.simulated_exit.as_ref()?.at)
                .min();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use control::ecs::{self, testkit, RunTaskRequest};

    fn setup() -> (Account, String) {
        let mut a = Account::default();
        testkit::cluster(&mut a, "c");
        let mut c = testkit::container("migrate", 128, 80, None);
        c.port_mappings.clear();
        c.image = Some("example/migrate:1".into());
        c.command = vec!["migrate".into()];
        testkit::task_definition(&mut a, "job", "awsvpc", Some(("256", "512")), vec![c]);
        let net = account::NetworkConfiguration {
            awsvpc_configuration: Some(account::AwsvpcConfiguration {
                subnets: testkit::default_subnets(&a),
                security_groups: vec![],
                assign_public_ip: "DISABLED".into(),
            }),
        };
        let req = RunTaskRequest {
            cluster: Some("c".into()),
            task_definition: "job".into(),
            launch_type: Some("FARGATE".into()),
            network_configuration: Some(net),
            ..Default::default()
        };
        let arn = ecs::run_task(&mut a, &req).expect("runs").tasks[0].task_arn.clone();
        (a, arn)
    }

    #[test]
    fn the_runtime_file_sets_the_exit_code_and_run_time() {
        let (mut a, arn) = setup();
        let file = RuntimeFile::parse("[images.\"example/migrate\"]\nexit_code = 1\nrun_seconds = 20\n").unwrap();
        plan(&mut a, Some(&file), false);
        let deadline = a.clock_ms + 600_000;
        assert!(control::clock::run_until(&mut a, deadline, |a| !a.tasks[&arn].is_live()));
        let t = &a.tasks[&arn];
        assert_eq!(t.containers[0].exit_code, Some(1));
        assert_eq!(t.stopping_at.unwrap() - t.started_at.unwrap(), 20_000);
    }

    #[test]
    fn under_up_a_mapped_image_is_left_to_its_process() {
        let (mut a, arn) = setup();
        let file = RuntimeFile::parse("[images.\"example/migrate\"]\ncommand = [\"true\"]\n").unwrap();
        plan(&mut a, Some(&file), true);
        assert!(a.tasks[&arn].containers[0].simulated_exit.is_none());
        // Without a mapping the plan stays (a stand-in plays the container).
        let (mut b, arn) = setup();
        plan(&mut b, Some(&RuntimeFile::default()), true);
        assert!(b.tasks[&arn].containers[0].simulated_exit.as_ref().is_some_and(|s| s.planned));
    }
}
