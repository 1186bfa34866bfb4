//! Launch configurations, launch templates and auto scaling groups. The
//! groups' instances are started by the control plane (a later issue); the
//! plan records the group and where its instances would go.

use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{AutoScalingGroup, LaunchConfiguration, LaunchTemplate};

/// AWS::AutoScaling::LaunchConfiguration: Ref is the name.
pub fn launch_configuration(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props
        .str("LaunchConfigurationName")
        .unwrap_or_else(|| p.generated_name(props.logical_id, 255));
    let arn = p.account.new_launch_configuration_arn(&name);
    let instance_type = props.str("InstanceType").unwrap_or_default();
    p.account.put_launch_configuration(LaunchConfiguration {
        launch_configuration_name: name.clone(),
        launch_configuration_arn: arn,
        instance_type: instance_type.clone(),
        image_id: props.str("ImageId"),
        security_groups: props.strs("SecurityGroups"),
        associate_public_ip_address: props.bool("AssociatePublicIpAddress"),
        iam_instance_profile: props.str("IamInstanceProfile"),
    });
    Planned::new(name).detail("InstanceType", instance_type)
}

/// AWS::EC2::LaunchTemplate: Ref is the template ID.
pub fn launch_template(p: &mut Planner, props: &Props<'_>) -> Planned {
    let id = p.account.new_id("lt");
    let name = props
        .str("LaunchTemplateName")
        .unwrap_or_else(|| p.generated_name(props.logical_id, 128));
    let data = props.child("LaunchTemplateData");
    let mut groups = data
        .as_ref()
        .map(|d| d.strs("SecurityGroupIds"))
        .unwrap_or_default();
    if let Some(d) = &data {
        for nic in d.children("NetworkInterfaces") {
            groups.extend(nic.strs("Groups"));
        }
    }
    let instance_type = data.as_ref().and_then(|d| d.str("InstanceType"));
    p.account.put_launch_template(LaunchTemplate {
        launch_template_id: id.clone(),
        launch_template_name: name.clone(),
        latest_version_number: 1,
        instance_type: instance_type.clone(),
        image_id: data.as_ref().and_then(|d| d.str("ImageId")),
        security_group_ids: groups,
    });
    Planned::new(id.clone())
        .attr("LaunchTemplateId", id)
        .attr("LatestVersionNumber", "1")
        .attr("DefaultVersionNumber", "1")
        .detail("InstanceType", instance_type.unwrap_or_default())
}

/// AWS::AutoScaling::AutoScalingGroup: Ref is the name.
pub fn auto_scaling_group(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props
        .str("AutoScalingGroupName")
        .unwrap_or_else(|| p.generated_name(props.logical_id, 255));
    let arn = p.account.new_auto_scaling_group_arn(&name);
    let mut subnets = props.strs("VPCZoneIdentifier");
    if subnets.is_empty() {
        // Only zones given: the default subnets of those zones.
        let zones = props.strs("AvailabilityZones");
        subnets = p
            .account
            .subnets
            .values()
            .filter(|s| s.default_for_az && zones.contains(&s.availability_zone))
            .map(|s| s.subnet_id.clone())
            .collect();
    }
    for s in &subnets {
        if let Err(e) = p.account.subnet(s) {
            p.report(super::ec2_error(props, "VPCZoneIdentifier", &e));
        }
    }
    let launch_template = props.child("LaunchTemplate").map(|lt| {
        (
            lt.str("LaunchTemplateId")
                .or_else(|| lt.str("LaunchTemplateName"))
                .unwrap_or_default(),
            lt.str("Version").unwrap_or_else(|| "$Default".into()),
        )
    });
    let desired = props.u32("DesiredCapacity");
    let min = props.u32("MinSize").unwrap_or(0);
    let instance_type = props
        .str("LaunchConfigurationName")
        .and_then(|n| {
            p.account
                .launch_configuration(&n)
                .map(|l| l.instance_type.clone())
        })
        .or_else(|| {
            launch_template
                .as_ref()
                .and_then(|(id, _)| p.account.launch_template(id))
                .and_then(|t| t.instance_type.clone())
        })
        .unwrap_or_default();
    p.account.put_auto_scaling_group(AutoScalingGroup {
        auto_scaling_group_name: name.clone(),
        auto_scaling_group_arn: arn,
        subnets: subnets.clone(),
        launch_configuration_name: props.str("LaunchConfigurationName"),
        launch_template,
        min_size: min,
        max_size: props.u32("MaxSize").unwrap_or(0),
        desired_capacity: desired,
        target_group_arns: props.strs("TargetGroupARNs"),
    });
    Planned::new(name)
        .detail(
            "Instances",
            format!("{} × {instance_type}", desired.unwrap_or(min)),
        )
        .detail("Subnets", subnets.join(", "))
}
