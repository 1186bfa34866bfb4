//! What `plan` predicts about each service without running the clock: will
//! its tasks fit on the cluster's instances (present ones and those its Auto
//! Scaling groups will launch), will its subnets have the addresses, and can
//! a rolling deployment make progress under its percentages.
//!
//! AWS doc: "Amazon ECS task networking options for the EC2 launch type"
//! (awsvpc tasks per instance = ENIs − 1, or the trunking figure), "Elastic
//! network interface trunking", "Deploy Amazon ECS services by replacing
//! tasks" (maximumPercent rounded down, minimumHealthyPercent rounded up).

use super::launch::subnet_zones;
use super::placement::uses_trunking;
use super::resources::{task_needs, TaskNeeds, DYNAMIC_PORTS};
use account::{instance_types, Account, AwsvpcConfiguration, Service};
use std::collections::BTreeMap;

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FindingKind {
    /// The desired tasks do not fit on the cluster's instances.
    Placement,
    /// The service's subnets lack addresses for the tasks' ENIs.
    Addresses,
    /// A rolling deployment cannot make progress.
    Deployment,
}

/// One predicted capacity problem of a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapacityFinding {
    /// The service.
    pub service_arn: String,
    /// What it is about.
    pub kind: FindingKind,
    /// What will happen, in numbers.
    pub message: String,
}

/// A container instance, present or to be launched, as room for one service's tasks.
#[derive(Clone, Debug)]
struct Host {
    instance_type: String,
    /// The Auto Scaling group that will launch it, for instances not there yet.
    from_group: Option<String>,
    room: u32,
    why: String,
}

/// The capacity findings of every ACTIVE service with desired tasks.
pub fn capacity_findings(account: &Account) -> Vec<CapacityFinding> {
    let mut out = Vec::new();
    for svc in account.services.values().filter(|s| s.status == account::ServiceStatus::Active && s.desired_count > 0) {
        let Some(td) = account.task_definition(&svc.task_definition) else {
            continue;
        };
        let Ok(needs) = task_needs(td) else {
            continue;
        };
        let cfg = svc.network_configuration.as_ref().and_then(|n| n.awsvpc_configuration.as_ref());
        let n = svc.desired_count;
        let dc = &svc.deployment_configuration;
        let cap = n * dc.maximum_percent / 100;
        let min_healthy = (n * dc.minimum_healthy_percent).div_ceil(100);
        let find = |kind, message| CapacityFinding { service_arn: svc.service_arn.clone(), kind, message };
        let blocked = min_healthy >= n && cap <= n;
        if blocked {
            out.push(find(
                FindingKind::Deployment,
                format!(
                    "a rolling deployment cannot replace any task: minimumHealthyPercent {} keeps all {n} tasks running and maximumPercent {} allows no task beside them; ECS will report that it was unable to stop or start tasks during a deployment",
                    dc.minimum_healthy_percent, dc.maximum_percent
                ),
            ));
        }
        if svc.launch_type.as_deref().unwrap_or("EC2") == "EC2" {
            let hosts = hosts_for(account, svc, &needs, cfg);
            // An instance type whose limits tasknet does not know: no
            // prediction at all rather than a claim of "room for 0".
            if hosts.iter().any(|h| instance_types::instance_type(&h.instance_type).is_none()) {
                if let Some(cfg) = cfg {
                    out.extend(addresses(account, svc, cfg, cap).map(|m| find(FindingKind::Addresses, m)));
                }
                continue;
            }
            let room: u32 = hosts.iter().map(|h| h.room).sum();
            let mode = &td.network_mode;
            if n > room {
                out.push(find(
                    FindingKind::Placement,
                    format!("desired {n} {mode} tasks, room for {room} ({})", describe_hosts(svc, &hosts)),
                ));
            } else if !blocked && min_healthy >= n && room < n + 1 {
                out.push(find(
                    FindingKind::Deployment,
                    format!(
                        "a rolling deployment needs room for {cap} tasks ({n} running + {} new, maximumPercent {}) but the cluster has room for {room}; with minimumHealthyPercent {} no running task may stop first, so the deployment cannot make progress",
                        cap - n,
                        dc.maximum_percent,
                        dc.minimum_healthy_percent
                    ),
                ));
            }
        }
        if let Some(cfg) = cfg {
            out.extend(addresses(account, svc, cfg, cap).map(|m| find(FindingKind::Addresses, m)));
        }
    }
    out
}

/// Address shortfall of the service's subnets, if any.
fn addresses(account: &Account, svc: &Service, cfg: &AwsvpcConfiguration, cap: u32) -> Option<String> {
    let n = svc.desired_count;
    let mut subnets: Vec<&account::Subnet> = Vec::new();
    for s in cfg.subnets.iter().filter_map(|s| account.subnets.get(s)) {
        if !subnets.iter().any(|x| x.subnet_id == s.subnet_id) {
            subnets.push(s);
        }
    }
    let free: u64 = subnets.iter().map(|s| s.available_ip_address_count).sum();
    let holding = account
        .tasks
        .values()
        .filter(|t| t.service_arn.as_deref() == Some(svc.service_arn.as_str()) && t.eni_id.is_some() && t.is_live())
        .count() as u64;
    let list = subnets
        .iter()
        .map(|s| format!("{} {} free", s.subnet_id, s.available_ip_address_count))
        .collect::<Vec<_>>()
        .join(", ");
    let missing = u64::from(n).saturating_sub(holding);
    if missing > free {
        return Some(format!("desired {n} awsvpc tasks need {missing} more addresses for their ENIs, but the service's subnets have {free} free ({list})"));
    }
    let peak = u64::from(cap.max(n));
    if peak > free + holding {
        return Some(format!(
            "a rolling deployment (maximumPercent {}) runs up to {peak} tasks at once, each with an ENI address, but the service's subnets have {} ({list}, plus {holding} held by running tasks)",
            svc.deployment_configuration.maximum_percent,
            free + holding
        ));
    }
    None
}

/// Every container instance that can take the service's tasks, present or
/// to be launched by the Auto Scaling groups whose instances join its cluster.
fn hosts_for(account: &Account, svc: &Service, needs: &TaskNeeds, cfg: Option<&AwsvpcConfiguration>) -> Vec<Host> {
    let zones = cfg.map(|c| subnet_zones(account, c));
    let mut hosts = Vec::new();
    let mut registered_by_group: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for ci in account.container_instances.values().filter(|c| {
        c.cluster_arn == svc.cluster_arn
            && matches!(
                c.status,
                account::ContainerInstanceStatus::Active | account::ContainerInstanceStatus::Registering
            )
    }) {
        let instance = account.instances.get(&ci.ec2_instance_id);
        if let Some(g) = instance.and_then(|i| i.tags.get("aws:autoscaling:groupName")) {
            registered_by_group.entry(g.clone()).or_default().push(ci.ec2_instance_id.as_str());
        }
        let instance_type = ci.attributes.get("ecs.instance-type").cloned().unwrap_or_default();
        let zone = ci.attributes.get("ecs.availability-zone").cloned().unwrap_or_default();
        let others: Vec<&account::Task> = account
            .tasks
            .values()
            .filter(|t| {
                t.container_instance_arn.as_deref() == Some(ci.container_instance_arn.as_str())
                    && t.is_live()
                    && t.service_arn.as_deref() != Some(svc.service_arn.as_str())
            })
            .collect();
        let used_ports: Vec<u16> = ci
            .registered_resources
            .ports
            .iter()
            .copied()
            .chain(
                others
                    .iter()
                    .flat_map(|t| t.containers.iter().flat_map(|c| c.network_bindings.iter().map(|b| b.host_port))),
            )
            .collect();
        let left = Left {
            cpu: ci.registered_resources.cpu.saturating_sub(others.iter().map(|t| t.cpu).sum()),
            memory: ci.registered_resources.memory.saturating_sub(others.iter().map(|t| t.memory).sum()),
            eni_used: others.iter().filter(|t| !t.attachments.is_empty()).count() as u32,
            trunking: uses_trunking(ci),
        };
        let (room, why) = if zones.as_ref().is_some_and(|z| !z.contains(&zone)) {
            (0, format!("in {zone}, where the service has no subnet"))
        } else {
            host_room(&instance_type, needs, &left, &used_ports)
        };
        hosts.push(Host { instance_type, from_group: None, room, why });
    }
    for g in account.auto_scaling_groups.values() {
        let (instance_type, cluster) = match (&g.launch_configuration_name, &g.launch_template) {
            (Some(lc), _) => match account.launch_configurations.get(lc) {
                Some(l) => (Some(l.instance_type.clone()), l.ecs_cluster.clone()),
                None => continue,
            },
            (None, Some((lt, _))) => match account.launch_template(lt) {
                Some(l) => (l.instance_type.clone(), l.ecs_cluster.clone()),
                None => continue,
            },
            (None, None) => continue,
        };
        let joins = account.cluster(cluster.as_deref().unwrap_or("default")).map(|c| c.cluster_arn.as_str())
            == Some(svc.cluster_arn.as_str())
            || super::launch::cluster_name(&svc.cluster_arn) == cluster.as_deref().unwrap_or("default");
        if !joins {
            continue;
        }
        let instance_type = instance_type.unwrap_or_default();
        let registered = registered_by_group.get(&g.auto_scaling_group_name).map_or(&[][..], Vec::as_slice);
        let coming = g.desired().saturating_sub(registered.len() as u32);
        let mut coming_zones = crate::ec2::coming_instance_zones(account, g, registered).into_iter();
        let left = Left {
            cpu: instance_types::ecs_registered_cpu(&instance_type).unwrap_or(0),
            memory: instance_types::ecs_registered_memory(&instance_type).unwrap_or(0),
            eni_used: 0,
            // Instances launched after opting in get a trunk when their type supports it.
            trunking: account.account_settings.get("awsvpcTrunking").map(String::as_str) == Some("enabled"),
        };
        let (room, why) = host_room(&instance_type, needs, &left, &account::ec2::RESERVED_PORTS);
        for _ in 0..coming {
            // An ENI attaches only to an instance in its own zone (AWS doc
            // "Elastic network interfaces"): a coming instance outside the
            // zones of the service's subnets has no room for its tasks.
            let zone = coming_zones.next();
            // A subnet the account lacks is CreateService's refusal already; no zone claim then.
            let known = cfg.is_some_and(|c| c.subnets.iter().all(|s| account.subnets.contains_key(s)));
            let (room, why) = match (zones.as_ref().filter(|_| known), zone) {
                (Some(z), Some(zone)) if !z.contains(&zone) => {
                    (0, format!("in {zone}, where the service has no subnet"))
                }
                _ => (room, why.clone()),
            };
            hosts.push(Host {
                instance_type: instance_type.clone(),
                from_group: Some(g.auto_scaling_group_name.clone()),
                room,
                why,
            });
        }
    }
    hosts
}

/// What is left on an instance for the service's tasks.
struct Left {
    cpu: u32,
    memory: u32,
    eni_used: u32,
    trunking: bool,
}

/// How many of the service's tasks fit on one instance, and what limits it.
fn host_room(instance_type: &str, needs: &TaskNeeds, left: &Left, used_ports: &[u16]) -> (u32, String) {
    let mut limits: Vec<(u32, String)> = Vec::new();
    if instance_types::instance_type(instance_type).is_none() {
        // tasknet refuses to guess a type's limits (placement does the same).
        let what = if needs.awsvpc { "ENI limit" } else { "size" };
        return (0, format!("{what} unknown to tasknet"));
    }
    if let Some(n) = left.cpu.checked_div(needs.cpu) {
        limits.push((n, format!("{} CPU units for {} each", left.cpu, needs.cpu)));
    }
    if let Some(n) = left.memory.checked_div(needs.memory) {
        limits.push((n, format!("{} MiB for {} MiB each", left.memory, needs.memory)));
    }
    let static_ports: Vec<u16> = needs.static_ports().map(|(p, _)| p).collect();
    if let Some(p) = static_ports.first() {
        let free = static_ports.iter().all(|p| !used_ports.contains(p) || DYNAMIC_PORTS.contains(p));
        limits.push((u32::from(free), format!("host port {p} once per instance")));
    }
    if needs.awsvpc {
        let trunk = left.trunking && instance_types::supports_trunking(instance_type) == Some(true);
        let per = instance_types::awsvpc_tasks_per_instance(instance_type, trunk).unwrap_or(0);
        let enis = instance_types::instance_type(instance_type).map_or(0, |i| i.max_enis);
        let mut why =
            if trunk { format!("{per} awsvpc tasks with ENI trunking") } else { format!("{enis} ENIs − 1") };
        if left.eni_used > 0 {
            why.push_str(&format!(", {} used by other tasks", left.eni_used));
        }
        limits.push((per.saturating_sub(left.eni_used), why));
    }
    limits.into_iter().min_by_key(|(n, _)| *n).unwrap_or((u32::MAX, "no limit".into()))
}

/// `1 × t2.micro: 2 ENIs − 1, 2 × m5.large from group asg: …`, or why there is no host.
fn describe_hosts(svc: &Service, hosts: &[Host]) -> String {
    if hosts.is_empty() {
        return format!(
            "cluster {} has no container instances and no Auto Scaling group launches instances into it",
            super::launch::cluster_name(&svc.cluster_arn)
        );
    }
    // (instance type, Auto Scaling group, limit) → how many such hosts.
    type Key = (String, Option<String>, String);
    let mut groups: Vec<(Key, u32)> = Vec::new();
    for h in hosts {
        let key = (h.instance_type.clone(), h.from_group.clone(), h.why.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, c)) => *c += 1,
            None => groups.push((key, 1)),
        }
    }
    groups
        .into_iter()
        .map(|((t, g, why), c)| match g {
            Some(g) => format!("{c} × {t} from Auto Scaling group {g}: {why}"),
            None => format!("{c} × {t}: {why}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
