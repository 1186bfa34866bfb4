//! The names of ECS's create-time checks and of the request members they
//! are about. The API answers with the first refusal's code and text; a
//! template door reports every refusal at the property the member came from,
//! with its own finding code and fix. Both read the same checks
//! ([`super::validate`]), so a template and an API call are judged alike.

/// One create-time check of CreateService, RunTask or RegisterTaskDefinition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// The cluster named does not exist.
    ClusterNotFound,
    /// The task definition named does not exist.
    TaskDefinitionNotFound,
    /// A launch type ECS does not know.
    InvalidLaunchType,
    /// FARGATE with a task definition that is not Fargate-compatible.
    FargateIncompatible,
    /// RunTask's count outside 1..=10.
    TaskCount,
    /// An awsvpc task definition with no network configuration.
    NetworkConfigurationRequired,
    /// A network configuration for a task definition that is not awsvpc.
    NetworkConfigurationNotValid,
    /// A service role on an awsvpc service.
    RoleWithServiceLinkedRole,
    /// A service role on a service without load balancers.
    RoleWithoutLoadBalancers,
    /// AssignPublicIp ENABLED on the EC2 launch type.
    AssignPublicIp,
    /// No subnets in the awsvpc configuration.
    SubnetsEmpty,
    /// More than 16 subnets.
    TooManySubnets,
    /// More than 5 security groups.
    TooManySecurityGroups,
    /// A subnet EC2 does not have.
    SubnetNotFound,
    /// A security group EC2 does not have.
    SecurityGroupNotFound,
    /// Subnets, or a group and the subnets, of different VPCs.
    DifferentNetworks,
    /// More than 5 target groups on a service.
    TooManyLoadBalancers,
    /// A load balancer entry naming a container the task definition lacks.
    ContainerNotFound,
    /// A load balancer entry naming a port the container does not map.
    ContainerPortNotDefined,
    /// A target group that does not exist.
    TargetGroupNotFound,
    /// An `instance` target group behind an awsvpc service.
    TargetTypeInstance,
    /// An `ip` target group behind a bridge or host service.
    TargetTypeIp,
    /// A target group no load balancer forwards to.
    TargetGroupWithoutLoadBalancer,
    /// A target group in another VPC than the service's tasks.
    TargetGroupInOtherVpc,
    /// awsvpc port mappings whose host port differs from the container port.
    HostPortMismatch,
    /// More than 10 containers in a task definition.
    TooManyContainers,
}

/// The request member a refusal is about (the API's member names; indexes
/// count the request's own lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// `cluster`.
    Cluster,
    /// `taskDefinition`.
    TaskDefinition,
    /// `launchType`.
    LaunchType,
    /// `count` (RunTask).
    Count,
    /// `networkConfiguration`.
    NetworkConfiguration,
    /// `networkConfiguration.awsvpcConfiguration.assignPublicIp`.
    AssignPublicIp,
    /// `networkConfiguration.awsvpcConfiguration.subnets`, the item when one is at fault.
    Subnets(Option<usize>),
    /// `networkConfiguration.awsvpcConfiguration.securityGroups`, the item when one is at fault.
    SecurityGroups(Option<usize>),
    /// `role`.
    Role,
    /// `loadBalancers`.
    LoadBalancers,
    /// A member of `loadBalancers[index]`.
    LoadBalancer(usize, LbMember),
    /// `containerDefinitions` (RegisterTaskDefinition).
    ContainerDefinitions,
    /// `containerDefinitions[container].portMappings[mapping].hostPort`.
    HostPort {
        /// Index of the container definition.
        container: usize,
        /// Index of the port mapping.
        mapping: usize,
    },
}

/// A member of a service's `loadBalancers` item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LbMember {
    /// `containerName`.
    ContainerName,
    /// `containerPort`.
    ContainerPort,
    /// `targetGroupArn`.
    TargetGroupArn,
}
