//! What a task needs from a container instance: CPU units, memory, host ports
//! and a network interface.
//!
//! AWS doc: "Task definition parameters" (task size: `cpu` as units or
//! `1 vCPU`, `memory` as MiB or `1 GB`; container `cpu`, `memory`,
//! `memoryReservation`), "PortMapping" (hostPort, dynamic ports).

use account::TaskDefinition;

/// CPU units per vCPU (AWS doc: "Task definition parameters").
pub const UNITS_PER_VCPU: u32 = 1024;

/// The dynamic host port range a bridge container gets when hostPort is 0
/// or absent. AWS doc "PortMapping": the agent uses the instance's
/// `/proc/sys/net/ipv4/ip_local_port_range`, and 49153–65535 only when that
/// is unavailable. Unverified: that the ECS-optimized AMI keeps the Linux
/// default of 32768–60999, which is what we use.
pub const DYNAMIC_PORTS: std::ops::RangeInclusive<u16> = 32768..=60999;

/// How many static host ports a container instance can reserve (documented:
/// "A container instance reserves at most 100 host ports"; dynamic ports do
/// not count, per "PortMapping").
pub const MAX_RESERVED_PORTS: usize = 100;

/// Parses a task-level CPU value: units (`256`) or vCPUs (`1 vCPU`, `0.25 vcpu`).
pub fn parse_cpu(text: &str) -> Option<u32> {
    parse_scaled(text, &["vcpu"], UNITS_PER_VCPU)
}

/// Parses a task-level memory value: MiB (`512`) or GB (`1 GB`, `2gb`).
pub fn parse_memory(text: &str) -> Option<u32> {
    parse_scaled(text, &["gb"], 1024)
}

/// A number, optionally followed by one of `units` (case and spaces ignored),
/// which multiplies it by `scale`.
fn parse_scaled(text: &str, units: &[&str], scale: u32) -> Option<u32> {
    let lower = text.trim().to_ascii_lowercase();
    let (number, factor) = match units.iter().find_map(|u| lower.strip_suffix(u)) {
        Some(n) => (n.trim(), f64::from(scale)),
        None => (lower.as_str(), 1.0),
    };
    let value: f64 = number.parse().ok()?;
    let scaled = value * factor;
    if !scaled.is_finite() || scaled < 0.0 || scaled > f64::from(u32::MAX) || scaled.fract() != 0.0 {
        return None;
    }
    Some(scaled as u32)
}

/// A host port a container asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPortNeed {
    /// Index of the container in the task definition.
    pub container: usize,
    /// The container's port.
    pub container_port: u16,
    /// The host port, or `None` for a dynamic one (bridge, hostPort 0 or absent).
    pub host_port: Option<u16>,
    /// `tcp` or `udp`.
    pub protocol: String,
}

/// Everything one task of a task definition reserves on an EC2 container instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskNeeds {
    /// CPU units.
    pub cpu: u32,
    /// Memory in MiB.
    pub memory: u32,
    /// Host ports (bridge and host modes).
    pub ports: Vec<HostPortNeed>,
    /// True for awsvpc: one ENI (or trunk branch) per task.
    pub awsvpc: bool,
}

impl TaskNeeds {
    /// The static host ports, as (port, protocol).
    pub fn static_ports(&self) -> impl Iterator<Item = (u16, &str)> {
        self.ports.iter().filter_map(|p| p.host_port.map(|h| (h, p.protocol.as_str())))
    }
}

/// Why a task definition's size cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SizeError {
    /// The task-level CPU text is not a number of units or vCPUs.
    #[error("the task definition's cpu '{0}' is not a number of CPU units or vCPUs")]
    Cpu(String),
    /// The task-level memory text is not a number of MiB or GB.
    #[error("the task definition's memory '{0}' is not a number of MiB or GB")]
    Memory(String),
}

/// What one task of `td` reserves. Task-level sizes win; otherwise the sum of
/// the containers' `cpu` and `memoryReservation` (or `memory` when no soft
/// limit is given), as the scheduler reserves them.
pub fn task_needs(td: &TaskDefinition) -> Result<TaskNeeds, SizeError> {
    let cpu = match &td.cpu {
        Some(text) => parse_cpu(text).ok_or_else(|| SizeError::Cpu(text.clone()))?,
        None => td.container_definitions.iter().filter_map(|c| c.cpu).sum(),
    };
    let memory = match &td.memory {
        Some(text) => parse_memory(text).ok_or_else(|| SizeError::Memory(text.clone()))?,
        None => td.container_definitions.iter().filter_map(|c| c.memory_reservation.or(c.memory)).sum(),
    };
    let mode = td.network_mode.as_str();
    let mut ports = Vec::new();
    if mode == "bridge" || mode == "host" {
        for (i, c) in td.container_definitions.iter().enumerate() {
            for m in &c.port_mappings {
                let host_port = match (mode, m.host_port) {
                    // Host mode binds the container port itself.
                    ("host", Some(h)) if h != 0 => Some(h),
                    ("host", _) => Some(m.container_port),
                    (_, Some(h)) if h != 0 => Some(h),
                    _ => None,
                };
                ports.push(HostPortNeed {
                    container: i,
                    container_port: m.container_port,
                    host_port,
                    protocol: m.protocol.clone(),
                });
            }
        }
    }
    Ok(TaskNeeds { cpu, memory, ports, awsvpc: mode == "awsvpc" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use account::{ContainerDefinition, PortMapping};
    use proptest::prelude::*;

    fn container(
        cpu: Option<u32>,
        memory: Option<u32>,
        reservation: Option<u32>,
        ports: &[(u16, Option<u16>)],
    ) -> ContainerDefinition {
        ContainerDefinition {
            name: "c".into(),
            image: None,
            essential: true,
            port_mappings: ports
                .iter()
                .map(|&(c, h)| PortMapping { container_port: c, host_port: h, protocol: "tcp".into() })
                .collect(),
            cpu,
            memory,
            memory_reservation: reservation,
            environment: vec![],
            entry_point: vec![],
            command: vec![],
            log_configuration: None,
            secrets: vec![],
        }
    }

    fn td(mode: &str, cpu: Option<&str>, memory: Option<&str>, containers: Vec<ContainerDefinition>) -> TaskDefinition {
        TaskDefinition {
            family: "f".into(),
            revision: 1,
            task_definition_arn: "arn".into(),
            network_mode: mode.into(),
            requires_compatibilities: vec![],
            cpu: cpu.map(str::to_string),
            memory: memory.map(str::to_string),
            container_definitions: containers,
            task_role_arn: None,
            execution_role_arn: None,
            status: account::TaskDefinitionStatus::Active,
        }
    }

    #[test]
    fn cpu_and_memory_texts() {
        assert_eq!(parse_cpu("256"), Some(256));
        assert_eq!(parse_cpu("1 vCPU"), Some(1024));
        assert_eq!(parse_cpu("0.25 vcpu"), Some(256));
        assert_eq!(parse_cpu("2vCPU"), Some(2048));
        assert_eq!(parse_cpu("lots"), None);
        assert_eq!(parse_cpu("-1"), None);
        assert_eq!(parse_memory("512"), Some(512));
        assert_eq!(parse_memory("1 GB"), Some(1024));
        assert_eq!(parse_memory("0.5GB"), Some(512));
        assert_eq!(parse_memory("1.5"), None);
    }

    #[test]
    fn task_level_sizes_win_over_containers() {
        let t = td("awsvpc", Some("1 vCPU"), Some("2 GB"), vec![container(Some(10), Some(100), None, &[(80, None)])]);
        let n = task_needs(&t).unwrap();
        assert_eq!((n.cpu, n.memory, n.awsvpc, n.ports.len()), (1024, 2048, true, 0));
    }

    #[test]
    fn container_sums_prefer_the_soft_limit() {
        let t = td(
            "bridge",
            None,
            None,
            vec![
                container(Some(128), Some(512), Some(256), &[(80, None)]),
                container(None, Some(300), None, &[(81, Some(8081))]),
            ],
        );
        let n = task_needs(&t).unwrap();
        assert_eq!((n.cpu, n.memory), (128, 556));
        assert_eq!(n.ports[0].host_port, None);
        assert_eq!(n.static_ports().collect::<Vec<_>>(), vec![(8081, "tcp")]);
    }

    #[test]
    fn host_mode_binds_the_container_port() {
        let t = td("host", None, None, vec![container(None, Some(64), None, &[(8080, None), (9090, Some(0))])]);
        let n = task_needs(&t).unwrap();
        assert_eq!(n.static_ports().map(|p| p.0).collect::<Vec<_>>(), vec![8080, 9090]);
    }

    #[test]
    fn unreadable_sizes_are_errors() {
        let t = td("awsvpc", Some("fast"), None, vec![]);
        assert_eq!(task_needs(&t), Err(SizeError::Cpu("fast".into())));
    }

    proptest! {
        #[test]
        fn units_round_trip(units in 0u32..1_000_000) {
            prop_assert_eq!(parse_cpu(&units.to_string()), Some(units));
            prop_assert_eq!(parse_memory(&units.to_string()), Some(units));
        }

        #[test]
        fn whole_vcpus_scale_by_1024(v in 0u32..64) {
            prop_assert_eq!(parse_cpu(&format!("{v} vCPU")), Some(v * 1024));
            prop_assert_eq!(parse_memory(&format!("{v} GB")), Some(v * 1024));
        }

        #[test]
        fn parsing_never_panics(s in ".{0,20}") {
            let _ = parse_cpu(&s);
            let _ = parse_memory(&s);
        }
    }
}
