//! Task placement on EC2 container instances: which instances have room for
//! a task (CPU, memory, host ports, a network interface for awsvpc) and,
//! among those, where the default strategy puts it.
//!
//! AWS doc: "Amazon ECS task placement" (services without a strategy spread
//! over `attribute:ecs.availability-zone`, then over instances), "Amazon ECS
//! task networking options for the EC2 launch type" (awsvpc tasks per
//! instance), "Elastic network interface trunking".

use super::resources::{TaskNeeds, DYNAMIC_PORTS, MAX_RESERVED_PORTS};
use account::{instance_types, Account, ContainerInstance, Task};
use std::collections::{BTreeMap, BTreeSet};

/// Why an instance cannot take a task, in the order the checks run. The
/// order is inferred (AWS does not document it): an instance that fails a
/// later check met more requirements and is the "closest matching" one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shortfall {
    /// It is in no zone of the task's subnets (awsvpc).
    Attribute,
    /// Not enough CPU units left.
    Cpu,
    /// Not enough memory left.
    Memory,
    /// A static host port is taken, or the 100 reserved ports are used up.
    Ports,
    /// Its network interfaces (or trunk branches) are all used by awsvpc tasks.
    Eni,
    /// Its instance type is not in tasknet's table, so its ENI limit is unknown.
    UnknownInstanceType(String),
}

impl Shortfall {
    /// The reason RunTask's `failures[]` gives (`RESOURCE:…` texts are seen;
    /// `ATTRIBUTE` is inferred).
    pub fn failure_reason(&self) -> &'static str {
        match self {
            Shortfall::Attribute => "ATTRIBUTE",
            Shortfall::Cpu => "RESOURCE:CPU",
            Shortfall::Memory => "RESOURCE:MEMORY",
            Shortfall::Ports => "RESOURCE:PORTS",
            Shortfall::Eni | Shortfall::UnknownInstanceType(_) => "RESOURCE:ENI",
        }
    }
}

/// Why a task could not be placed at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlacementFailure {
    /// The cluster has no ACTIVE container instance.
    NoInstances,
    /// The closest matching instance (its ARN) and what it lacks.
    Closest(String, Shortfall),
}

/// What is left on one ACTIVE container instance.
#[derive(Clone, Debug)]
pub struct InstanceRoom {
    /// The container instance's ARN.
    pub arn: String,
    /// Its EC2 instance.
    pub instance_id: String,
    /// `ecs.availability-zone`.
    pub zone: String,
    /// `ecs.instance-type`.
    pub instance_type: String,
    /// CPU units left.
    pub cpu_left: u32,
    /// Memory (MiB) left.
    pub memory_left: u32,
    /// TCP host ports in use (reserved, static and dynamic).
    pub tcp_used: BTreeSet<u16>,
    /// UDP host ports in use.
    pub udp_used: BTreeSet<u16>,
    /// Reserved ports counted against the 100-port limit (dynamic ones do not count).
    pub reserved_count: usize,
    /// awsvpc tasks on it.
    pub awsvpc_used: u32,
    /// How many awsvpc tasks fit (`None` for an unknown instance type).
    pub awsvpc_limit: Option<u32>,
    /// Tasks per task group, for spreading.
    pub groups: BTreeMap<String, u32>,
}

/// Room on every ACTIVE container instance of one cluster, in ARN order.
#[derive(Clone, Debug, Default)]
pub struct Room {
    /// The instances.
    pub instances: Vec<InstanceRoom>,
}

/// True when awsvpc tasks on this instance use trunk branch interfaces: the
/// instance registered with a trunk interface, which the agent names in
/// `ecs.awsvpc-trunk-id`. AWS trunks only instances launched after the
/// account opted in to `awsvpcTrunking` and whose type supports it; the EC2
/// controller checks both when it registers the instance.
pub fn uses_trunking(ci: &ContainerInstance) -> bool {
    ci.attributes.contains_key("ecs.awsvpc-trunk-id")
}

/// True while a task still holds what it reserved on its instance.
pub fn holds_resources(t: &Task) -> bool {
    t.is_live()
}

impl Room {
    /// The room left on the cluster's ACTIVE container instances.
    pub fn of_cluster(account: &Account, cluster_arn: &str) -> Room {
        let mut by_instance: BTreeMap<&str, Vec<&Task>> = BTreeMap::new();
        for t in account.tasks.values().filter(|t| t.cluster_arn == cluster_arn && holds_resources(t)) {
            if let Some(ci) = &t.container_instance_arn {
                by_instance.entry(ci.as_str()).or_default().push(t);
            }
        }
        let instances = account
            .container_instances
            .values()
            .filter(|ci| ci.cluster_arn == cluster_arn && ci.status == account::ContainerInstanceStatus::Active)
            .map(|ci| {
                instance_room(ci, by_instance.get(ci.container_instance_arn.as_str()).map(Vec::as_slice).unwrap_or(&[]))
            })
            .collect();
        Room { instances }
    }

    /// Where the default strategy puts a task of `group` that needs `needs`,
    /// only on instances in `zones` when given: the zone with the fewest tasks
    /// of the group, then the instance there with the fewest; ties go to the
    /// first zone name and the first ARN.
    pub fn choose(&self, needs: &TaskNeeds, group: &str, zones: Option<&[String]>) -> Result<usize, PlacementFailure> {
        if self.instances.is_empty() {
            return Err(PlacementFailure::NoInstances);
        }
        let mut closest: Option<(usize, Shortfall)> = None;
        let mut fits = Vec::new();
        for (i, inst) in self.instances.iter().enumerate() {
            match inst.check(needs, zones) {
                Ok(()) => fits.push(i),
                Err(s) => {
                    if closest.as_ref().is_none_or(|(_, best)| s > *best) {
                        closest = Some((i, s));
                    }
                }
            }
        }
        if fits.is_empty() {
            return Err(match closest {
                Some((i, s)) => PlacementFailure::Closest(self.instances[i].arn.clone(), s),
                None => PlacementFailure::NoInstances,
            });
        }
        let mut zone_counts: BTreeMap<&str, u32> = BTreeMap::new();
        for inst in &self.instances {
            *zone_counts.entry(inst.zone.as_str()).or_default() += inst.groups.get(group).copied().unwrap_or(0);
        }
        let key = |i: &usize| {
            let inst = &self.instances[*i];
            (
                zone_counts.get(inst.zone.as_str()).copied().unwrap_or(0),
                inst.zone.clone(),
                inst.groups.get(group).copied().unwrap_or(0),
                *i,
            )
        };
        fits.into_iter().min_by_key(key).ok_or(PlacementFailure::NoInstances)
    }

    /// Takes what the task needs from instance `index`; returns the host port
    /// given to each of `needs.ports`, in order (dynamic ones from the
    /// ephemeral range, lowest free first, as Docker hands them out).
    pub fn take(&mut self, index: usize, needs: &TaskNeeds, group: &str) -> Vec<u16> {
        let Some(inst) = self.instances.get_mut(index) else {
            return Vec::new();
        };
        inst.cpu_left = inst.cpu_left.saturating_sub(needs.cpu);
        inst.memory_left = inst.memory_left.saturating_sub(needs.memory);
        if needs.awsvpc {
            inst.awsvpc_used += 1;
        }
        *inst.groups.entry(group.to_string()).or_default() += 1;
        let mut given = Vec::with_capacity(needs.ports.len());
        for p in &needs.ports {
            let used = if p.protocol == "udp" { &mut inst.udp_used } else { &mut inst.tcp_used };
            let port = match p.host_port {
                Some(h) => {
                    inst.reserved_count += 1;
                    h
                }
                None => DYNAMIC_PORTS.clone().find(|c| !used.contains(c)).unwrap_or(*DYNAMIC_PORTS.start()),
            };
            used.insert(port);
            given.push(port);
        }
        given
    }
}

impl InstanceRoom {
    /// Whether a task fits here; the first shortfall otherwise.
    pub fn check(&self, needs: &TaskNeeds, zones: Option<&[String]>) -> Result<(), Shortfall> {
        if zones.is_some_and(|z| !z.contains(&self.zone)) {
            return Err(Shortfall::Attribute);
        }
        if needs.cpu > self.cpu_left {
            return Err(Shortfall::Cpu);
        }
        if needs.memory > self.memory_left {
            return Err(Shortfall::Memory);
        }
        let mut wanted: BTreeSet<(u16, &str)> = BTreeSet::new();
        for (port, proto) in needs.static_ports() {
            let used = if proto == "udp" { &self.udp_used } else { &self.tcp_used };
            if used.contains(&port) || !wanted.insert((port, proto)) {
                return Err(Shortfall::Ports);
            }
        }
        if self.reserved_count + wanted.len() > MAX_RESERVED_PORTS {
            return Err(Shortfall::Ports);
        }
        if needs.awsvpc {
            match self.awsvpc_limit {
                None => return Err(Shortfall::UnknownInstanceType(self.instance_type.clone())),
                Some(limit) if self.awsvpc_used >= limit => return Err(Shortfall::Eni),
                Some(_) => {}
            }
        }
        Ok(())
    }
}

/// The room on one container instance, given the tasks holding resources on it.
fn instance_room(ci: &ContainerInstance, tasks: &[&Task]) -> InstanceRoom {
    let instance_type = ci.attributes.get("ecs.instance-type").cloned().unwrap_or_default();
    let zone = ci.attributes.get("ecs.availability-zone").cloned().unwrap_or_default();
    let mut tcp_used: BTreeSet<u16> = ci.registered_resources.ports.iter().copied().collect();
    let mut udp_used: BTreeSet<u16> = ci.registered_resources.ports_udp.iter().copied().collect();
    let mut reserved_count = tcp_used.len() + udp_used.len();
    let (mut cpu, mut memory, mut awsvpc_used) = (0u32, 0u32, 0u32);
    let mut groups: BTreeMap<String, u32> = BTreeMap::new();
    for t in tasks {
        cpu = cpu.saturating_add(t.cpu);
        memory = memory.saturating_add(t.memory);
        if !t.attachments.is_empty() {
            awsvpc_used += 1;
        }
        if t.wants_running() {
            *groups.entry(t.group.clone()).or_default() += 1;
        }
        for b in t.containers.iter().flat_map(|c| &c.network_bindings) {
            let used = if b.protocol == "udp" { &mut udp_used } else { &mut tcp_used };
            // Ports outside the ephemeral range were asked for by hostPort and
            // count against the reserved-port limit; dynamic ones do not.
            if used.insert(b.host_port) && !DYNAMIC_PORTS.contains(&b.host_port) {
                reserved_count += 1;
            }
        }
    }
    InstanceRoom {
        arn: ci.container_instance_arn.clone(),
        instance_id: ci.ec2_instance_id.clone(),
        awsvpc_limit: instance_types::awsvpc_tasks_per_instance(&instance_type, uses_trunking(ci)),
        zone,
        instance_type,
        cpu_left: ci.registered_resources.cpu.saturating_sub(cpu),
        memory_left: ci.registered_resources.memory.saturating_sub(memory),
        tcp_used,
        udp_used,
        reserved_count,
        awsvpc_used,
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::super::resources::HostPortNeed;
    use super::*;
    use proptest::prelude::*;

    fn room(arn: &str, zone: &str, cpu: u32, memory: u32, eni: Option<u32>) -> InstanceRoom {
        InstanceRoom {
            arn: arn.into(),
            instance_id: format!("i-{arn}"),
            zone: zone.into(),
            instance_type: "t".into(),
            cpu_left: cpu,
            memory_left: memory,
            tcp_used: [22].into_iter().collect(),
            udp_used: BTreeSet::new(),
            reserved_count: 1,
            awsvpc_used: 0,
            awsvpc_limit: eni,
            groups: BTreeMap::new(),
        }
    }

    fn needs(cpu: u32, memory: u32, awsvpc: bool, ports: &[Option<u16>]) -> TaskNeeds {
        let ports = ports
            .iter()
            .map(|&h| HostPortNeed { container: 0, container_port: 80, host_port: h, protocol: "tcp".into() })
            .collect();
        TaskNeeds { cpu, memory, ports, awsvpc }
    }

    #[test]
    fn one_eni_slot_fits_one_awsvpc_task() {
        let mut r = Room { instances: vec![room("a", "z1", 1024, 1000, Some(1))] };
        let n = needs(256, 256, true, &[]);
        assert_eq!(r.choose(&n, "g", None), Ok(0));
        r.take(0, &n, "g");
        assert_eq!(r.choose(&n, "g", None), Err(PlacementFailure::Closest("a".into(), Shortfall::Eni)));
    }

    #[test]
    fn closest_is_the_instance_that_passed_most_checks() {
        let r = Room { instances: vec![room("a", "z1", 10, 1000, Some(3)), room("b", "z2", 1024, 10, Some(3))] };
        assert_eq!(
            r.choose(&needs(256, 256, true, &[]), "g", None),
            Err(PlacementFailure::Closest("b".into(), Shortfall::Memory))
        );
        assert_eq!(Room::default().choose(&needs(1, 1, false, &[]), "g", None), Err(PlacementFailure::NoInstances));
    }

    #[test]
    fn spreads_over_zones_then_instances() {
        let mut r = Room {
            instances: vec![
                room("a", "z1", 4096, 4096, Some(9)),
                room("b", "z1", 4096, 4096, Some(9)),
                room("c", "z2", 4096, 4096, Some(9)),
            ],
        };
        let n = needs(1, 1, true, &[]);
        let mut order = Vec::new();
        for _ in 0..4 {
            let i = r.choose(&n, "g", None).unwrap();
            r.take(i, &n, "g");
            order.push(r.instances[i].arn.clone());
        }
        assert_eq!(order, ["a", "c", "b", "c"]);
    }

    #[test]
    fn static_ports_conflict_and_dynamic_ones_do_not() {
        let mut r = Room { instances: vec![room("a", "z1", 4096, 4096, None)] };
        let fixed = needs(1, 1, false, &[Some(8080)]);
        let i = r.choose(&fixed, "g", None).unwrap();
        assert_eq!(r.take(i, &fixed, "g"), vec![8080]);
        assert_eq!(r.choose(&fixed, "g", None), Err(PlacementFailure::Closest("a".into(), Shortfall::Ports)));
        let dynamic = needs(1, 1, false, &[None, None]);
        assert_eq!(r.take(0, &dynamic, "g"), vec![32768, 32769]);
        assert_eq!(
            r.choose(&needs(1, 1, false, &[Some(22)]), "g", None),
            Err(PlacementFailure::Closest("a".into(), Shortfall::Ports))
        );
    }

    #[test]
    fn unknown_types_take_no_awsvpc_task_and_zones_filter() {
        let r = Room { instances: vec![room("a", "z1", 4096, 4096, None)] };
        assert_eq!(
            r.choose(&needs(1, 1, true, &[]), "g", None),
            Err(PlacementFailure::Closest("a".into(), Shortfall::UnknownInstanceType("t".into())))
        );
        assert_eq!(
            r.choose(&needs(1, 1, false, &[]), "g", Some(&["z2".to_string()])),
            Err(PlacementFailure::Closest("a".into(), Shortfall::Attribute))
        );
    }

    proptest! {
        /// Whatever is placed, no instance ever goes over its ENI, CPU or memory room.
        #[test]
        fn placement_never_overcommits(slots in proptest::collection::vec((0u32..4, 0u32..3000, 0u32..3000), 1..6),
                                       tasks in proptest::collection::vec((0u32..1200, 0u32..1200, any::<bool>()), 0..40)) {
            let mut r = Room { instances: slots.iter().enumerate().map(|(i, &(e, c, m))| room(&format!("ci{i}"), if i % 2 == 0 { "z1" } else { "z2" }, c, m, Some(e))).collect() };
            let limits: Vec<(u32, u32, u32)> = slots.clone();
            let mut used = vec![(0u32, 0u32, 0u32); slots.len()];
            for (cpu, mem, awsvpc) in tasks {
                let n = needs(cpu, mem, awsvpc, &[]);
                if let Ok(i) = r.choose(&n, "g", None) {
                    r.take(i, &n, "g");
                    used[i].0 += u32::from(awsvpc);
                    used[i].1 += cpu;
                    used[i].2 += mem;
                }
            }
            for (u, l) in used.iter().zip(&limits) {
                prop_assert!(u.0 <= l.0 && u.1 <= l.1 && u.2 <= l.2);
            }
        }
    }
}
