//! Placing and creating one task: on an EC2 container instance chosen by the
//! default strategy, or on Fargate in one of the configured subnets.
//! Shared by RunTask and the service scheduler.

use super::launch::{create_task, fargate_subnet, subnet_in_zone, subnet_zones, LaunchSpec, Target};
use super::lifecycle::provision_eni;
use super::placement::{PlacementFailure, Room};
use super::resources::TaskNeeds;
use account::{Account, AwsvpcConfiguration};

/// Where and how a task is to be started.
pub struct StartRequest<'a> {
    /// The task's description.
    pub spec: LaunchSpec<'a>,
    /// What it needs on an instance.
    pub needs: &'a TaskNeeds,
    /// The awsvpc settings, for awsvpc task definitions.
    pub awsvpc: Option<&'a AwsvpcConfiguration>,
}

/// Places and creates one task; `room` is the cluster's room (EC2 launch
/// type), updated with what the task takes. Returns the task's ARN.
pub fn start_one(account: &mut Account, req: &StartRequest<'_>, room: &mut Room) -> Result<String, PlacementFailure> {
    if req.spec.launch_type == "FARGATE" {
        let Some(cfg) = req.awsvpc else {
            return Err(PlacementFailure::NoInstances);
        };
        let (subnet_id, zone) = fargate_subnet(account, cfg, req.spec.group).ok_or(PlacementFailure::NoInstances)?;
        let arn = create_task(account, &req.spec, Target::Fargate { subnet_id, zone });
        provision_eni(account, &arn, cfg, None, true);
        return Ok(arn);
    }
    let zones = req.awsvpc.map(|cfg| subnet_zones(account, cfg));
    let index = room.choose(req.needs, req.spec.group, zones.as_deref())?;
    let host_ports = room.take(index, req.needs, req.spec.group);
    let inst = &room.instances[index];
    let (ci_arn, zone, instance_id) = (inst.arn.clone(), inst.zone.clone(), inst.instance_id.clone());
    let subnet_id = req.awsvpc.and_then(|cfg| subnet_in_zone(account, cfg, &zone));
    let arn =
        create_task(account, &req.spec, Target::Ec2 { container_instance_arn: ci_arn, zone, host_ports, subnet_id });
    if let Some(cfg) = req.awsvpc {
        provision_eni(account, &arn, cfg, Some(&instance_id), false);
    }
    Ok(arn)
}
