//! The account's resources, one module per service.

pub mod cfn;
pub mod ec2;
pub mod ecs;
pub mod elb;
pub mod lambda;
pub mod logs;
pub mod other;
pub mod status;
pub mod vpce;

pub use cfn::*;
pub use ec2::*;
pub use ecs::*;
pub use elb::*;
pub use lambda::*;
pub use logs::*;
pub use other::*;
pub use status::{
    ClusterStatus, ContainerInstanceStatus, DeploymentStatus, InstanceState, RolloutState, ServiceStatus, StackStatus,
    TargetHealthState, TaskDefinitionStatus, TaskStatus,
};
pub use vpce::*;
