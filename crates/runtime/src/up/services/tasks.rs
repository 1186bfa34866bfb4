//! Tasks: a stand-in per container port, or the container's own process when
//! the runtime file maps its image.

use super::{Report, Services};
use account::{Account, Task};
use dataplane::wiring::EniNs;
use std::collections::BTreeSet;

/// Task states whose containers run (the ENI exists from PROVISIONING to DEPROVISIONING).
fn containers_run(t: &Task) -> bool {
    matches!(
        t.last_status,
        account::TaskStatus::Pending
            | account::TaskStatus::Activating
            | account::TaskStatus::Running
            | account::TaskStatus::Deactivating
    )
}

impl Services {
    /// An awsvpc task: its containers in its own namespace.
    pub(super) fn sync_task(&mut self, account: &Account, task_arn: &str, eni: &EniNs, wanted: &mut BTreeSet<String>) {
        let Some(task) = account.tasks.get(task_arn).filter(|t| containers_run(t)) else { return };
        self.run_containers(account, task, eni, false, wanted);
    }

    /// Bridge and host tasks on an instance: they share its namespace, on
    /// their host ports. (Docker's bridge and its source NAT are not
    /// emulated: the stand-in listens on the host port directly.)
    pub(super) fn sync_bridge_tasks(
        &mut self,
        account: &Account,
        instance_id: &str,
        eni: &EniNs,
        wanted: &mut BTreeSet<String>,
    ) {
        let Some(ci) = account.container_instances.values().find(|c| c.ec2_instance_id == instance_id) else { return };
        let tasks: Vec<&Task> = account
            .tasks
            .values()
            .filter(|t| {
                t.container_instance_arn.as_deref() == Some(ci.container_instance_arn.as_str())
                    && t.eni_id.is_none()
                    && containers_run(t)
            })
            .collect();
        for t in tasks {
            self.run_containers(account, t, eni, true, wanted);
        }
    }

    fn run_containers(
        &mut self,
        account: &Account,
        task: &Task,
        eni: &EniNs,
        on_host_ports: bool,
        wanted: &mut BTreeSet<String>,
    ) {
        let (ns, address) = (eni.ns.as_str(), eni.address);
        let key = format!("task {}", task.task_arn);
        let td = account.task_definitions.get(&task.task_definition_arn);
        let mapped = self.runtime.is_some()
            && td.is_some_and(|td| {
                td.container_definitions
                    .iter()
                    .any(|c| c.image.as_deref().and_then(|i| self.runtime.as_ref().and_then(|r| r.lookup(i))).is_some())
            });
        if mapped {
            wanted.insert(task.task_arn.clone());
            if !self.processes.contains(&task.task_arn) {
                self.processes.insert(task.task_arn.clone());
                self.spawn_processes(account, task, eni);
            }
            return;
        }
        wanted.insert(key.clone());
        if self.servers.contains_key(&key) {
            return;
        }
        self.servers.insert(key.clone(), Vec::new());
        let cluster = task.cluster_arn.rsplit('/').next().unwrap_or("").to_string();
        let family_revision = task.task_definition_arn.rsplit('/').next().unwrap_or("").to_string();
        let task_id = task.task_arn.rsplit('/').next().unwrap_or("").to_string();
        for c in &task.containers {
            let ports: Vec<(u16, u16, String)> = if on_host_ports {
                c.network_bindings.iter().map(|b| (b.host_port, b.container_port, b.protocol.clone())).collect()
            } else {
                td.and_then(|td| td.container_definitions.iter().find(|d| d.name == c.name))
                    .map(|d| {
                        d.port_mappings
                            .iter()
                            .map(|m| (m.container_port, m.container_port, m.protocol.clone()))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            for (listen, container_port, protocol) in ports {
                let identity = workload::Identity {
                    task_arn: task.task_arn.clone(),
                    task_id: task_id.clone(),
                    container: c.name.clone(),
                    address,
                    port: container_port,
                    cluster: cluster.clone(),
                    family_revision: family_revision.clone(),
                };
                if protocol == "udp" {
                    self.start_udp(&key, ns, listen, identity);
                } else {
                    self.start_http(&key, ns, listen, identity);
                }
            }
        }
    }

    /// The task's containers as local processes in its namespace, with their
    /// VPC's resolver and trust in tasknet's CA (as a task on AWS resolves and
    /// trusts AWS's endpoints).
    fn spawn_processes(&mut self, account: &Account, task: &Task, eni: &EniNs) {
        let Some(td) = account.task_definitions.get(&task.task_definition_arn) else { return };
        let Some(netns) = self.ns(&eni.ns) else { return };
        let address = eni.address;
        let vpc_id = account.network_interfaces.get(&eni.eni_id).map(|n| n.vpc_id.clone()).unwrap_or_default();
        let resolv_conf = self.resolv_conf(account, &vpc_id);
        let platform =
            if task.launch_type == "FARGATE" { workload::Platform::Fargate } else { workload::Platform::Ec2 };
        let task_id = task.task_arn.rsplit('/').next().unwrap_or("task").to_string();
        for c in &td.container_definitions {
            let spec = workload::ContainerSpec {
                name: c.name.clone(),
                image: c.image.clone().unwrap_or_default(),
                entry_point: c.entry_point.clone(),
                command: c.command.clone(),
                environment: c.environment.iter().map(|kv| (kv.name.clone(), kv.value.clone())).collect(),
                essential: c.essential,
            };
            let mut extra = vec![
                ("TASKNET_TASK_ARN".to_string(), task.task_arn.clone()),
                ("TASKNET_ADDRESS".to_string(), address.to_string()),
            ];
            extra.extend(super::metadata::sdk_environment(account, task));
            extra.extend(self.api_trust_env());
            extra.extend(secret_environment(account, c));
            let image = self.runtime.as_ref().and_then(|r| r.lookup(&spec.image)).cloned();
            let launch = match image {
                Some(image) => workload::Launch::resolve(&image, &spec, &extra),
                // Containers whose image the runtime file does not map get no process.
                None => continue,
            };
            let log = self.logs.join(format!("{task_id}-{}.log", c.name));
            // Followed before the process starts, so its first lines are not missed.
            self.follower.follow(&log);
            self.followed.insert((task.task_arn.clone(), c.name.clone()), log.clone());
            let launch = launch.map(|l| workload::Launch { resolv_conf: resolv_conf.clone(), ..l });
            let result = launch.map_err(|e| e.stopped_reason()).and_then(|l| {
                self.supervisor.spawn(&task.task_arn, &netns, &l, &log).map_err(|e| e.stopped_reason_for(platform))
            });
            if let Err(reason) = result {
                self.reports.push(Report::CannotStart {
                    task_arn: task.task_arn.clone(),
                    container: c.name.clone(),
                    reason,
                });
            }
        }
    }
}

/// A container's `secrets` as the agent puts them in its environment: the
/// values fetched when the task started (the pulls checked the connections;
/// a value that cannot be read stopped the task before this).
fn secret_environment(account: &Account, c: &account::ContainerDefinition) -> Vec<(String, String)> {
    c.secrets
        .iter()
        .filter_map(|s| Some((s.name.clone(), account.container_secret_value(&s.value_from).ok()?)))
        .collect()
}
