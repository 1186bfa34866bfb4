//! Instance type limits and sizes, only for types in the facts table.
//! An unknown type returns `None`: a guess would silently mislead placement.

/// Network limits and size of one instance type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceTypeInfo {
    /// vCPUs.
    pub vcpus: u32,
    /// Installed memory in MiB.
    pub memory_mib: u32,
    /// Maximum network interfaces.
    pub max_enis: u32,
    /// IPv4 addresses per interface.
    pub ipv4_per_eni: u32,
    /// awsvpc tasks with ENI trunking on, when the type supports trunking.
    pub trunk_tasks: Option<u32>,
}

/// One row of the table.
const fn row(
    vcpus: u32,
    memory_mib: u32,
    max_enis: u32,
    ipv4_per_eni: u32,
    trunk_tasks: Option<u32>,
) -> InstanceTypeInfo {
    InstanceTypeInfo { vcpus, memory_mib, max_enis, ipv4_per_eni, trunk_tasks }
}

// AWS doc: "Maximum IP addresses per network interface" (ENIs / IPv4 per ENI)
// and "Elastic network interface trunking" (supported types and task counts).
// t2/t3 not supporting trunking is inferred from their absence in that list.
// vCPUs and memory (GiB × 1024): AWS doc "Amazon EC2 instance types" (the
// published specifications of each type).
// row(vCPUs, memory MiB, ENIs, IPv4 per ENI, trunk tasks)
const TABLE: &[(&str, InstanceTypeInfo)] = &[
    ("t2.micro", row(1, 1024, 2, 2, None)),
    ("t2.small", row(1, 2048, 3, 4, None)),
    ("t2.medium", row(2, 4096, 3, 6, None)),
    ("t3.micro", row(2, 1024, 2, 2, None)),
    ("t3.medium", row(2, 4096, 3, 6, None)),
    ("m5.large", row(2, 8192, 3, 10, Some(10))),
    ("m5.xlarge", row(4, 16384, 4, 15, Some(20))),
    ("c5.large", row(2, 4096, 3, 10, Some(10))),
    ("c5.xlarge", row(4, 8192, 4, 15, Some(20))),
    ("r5.large", row(2, 16384, 3, 10, Some(10))),
];

/// The limits of `instance_type`, or `None` when the facts do not cover it.
pub fn instance_type(instance_type: &str) -> Option<InstanceTypeInfo> {
    TABLE.iter().find(|(n, _)| *n == instance_type).map(|(_, info)| *info)
}

/// The CPU units the ECS agent registers: 1,024 per vCPU.
// AWS doc: "Amazon ECS task definition parameters" (cpu): a container instance has 1,024 CPU units per vCPU.
pub fn ecs_registered_cpu(instance_type_name: &str) -> Option<u32> {
    instance_type(instance_type_name).map(|i| i.vcpus * 1024)
}

/// The memory in MiB the ECS agent registers, before ECS_RESERVED_MEMORY
/// (default 0). The operating system sees less than the installed memory;
/// AWS doc "Reserving Amazon ECS Linux container instance memory" gives one
/// figure, an m4.large (8 GiB installed) offering 7,985 MiB. Scaling every
/// type by that ratio is inferred: the real figure depends on the kernel.
pub fn ecs_registered_memory(instance_type_name: &str) -> Option<u32> {
    instance_type(instance_type_name).map(|i| (u64::from(i.memory_mib) * 7985 / 8192) as u32)
}

/// How many awsvpc tasks fit on one instance: ENIs − 1 (the primary
/// interface is the instance's own), or the trunking figure when `trunking`
/// is on and the type supports it. `None` for an unknown type.
// AWS doc: "Amazon ECS task networking options for the EC2 launch type".
pub fn awsvpc_tasks_per_instance(instance_type_name: &str, trunking: bool) -> Option<u32> {
    let info = instance_type(instance_type_name)?;
    match (trunking, info.trunk_tasks) {
        (true, Some(n)) => Some(n),
        _ => Some(info.max_enis.saturating_sub(1)),
    }
}

/// True when the type supports ENI trunking; `None` for an unknown type.
pub fn supports_trunking(instance_type_name: &str) -> Option<bool> {
    instance_type(instance_type_name).map(|i| i.trunk_tasks.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_and_task_counts() {
        assert_eq!(
            instance_type("t2.micro"),
            Some(InstanceTypeInfo { vcpus: 1, memory_mib: 1024, max_enis: 2, ipv4_per_eni: 2, trunk_tasks: None })
        );
        assert_eq!(instance_type("m5.xlarge").map(|i| (i.max_enis, i.ipv4_per_eni)), Some((4, 15)));
        assert_eq!(awsvpc_tasks_per_instance("t2.micro", false), Some(1));
        assert_eq!(awsvpc_tasks_per_instance("t2.micro", true), Some(1));
        assert_eq!(awsvpc_tasks_per_instance("c5.large", false), Some(2));
        assert_eq!(awsvpc_tasks_per_instance("c5.large", true), Some(10));
        assert_eq!(awsvpc_tasks_per_instance("c5.xlarge", true), Some(20));
        assert_eq!(awsvpc_tasks_per_instance("m5.xlarge", false), Some(3));
        assert_eq!(supports_trunking("t3.medium"), Some(false));
        assert_eq!(instance_type("x9.huge"), None);
        assert_eq!(awsvpc_tasks_per_instance("x9.huge", true), None);
    }

    #[test]
    fn ecs_registration_sizes() {
        assert_eq!(ecs_registered_cpu("t2.micro"), Some(1024));
        assert_eq!(ecs_registered_cpu("m5.xlarge"), Some(4096));
        // The documented m4.large figure, through the same ratio.
        assert_eq!((8192u64 * 7985 / 8192) as u32, 7985);
        assert_eq!(ecs_registered_memory("m5.large"), Some(7985));
        assert_eq!(ecs_registered_memory("t2.micro"), Some(998));
        assert_eq!(ecs_registered_memory("x9.huge"), None);
    }
}
