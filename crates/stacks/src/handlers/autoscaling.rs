//! Launch configurations, launch templates and auto scaling groups. The
//! groups' instances are launched by the control plane (`control::ec2`) on
//! its clock; the plan records the group, where its instances would go and
//! which ECS cluster their agent would join.

use super::kind::{kind, svc, Kind, Moved, Wait};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{Account, AutoScalingGroup, AutoScalingTag, LaunchConfiguration, LaunchTemplate};
use cfn::Diagnostic;

/// The resource whose cfn-init metadata the user data runs: the one named
/// by `cfn-init … --resource X` (or `-r X`), else the resource itself.
fn cfn_init_resource(user_data: &str, own: &str) -> String {
    let words: Vec<&str> = user_data.split_whitespace().collect();
    words
        .iter()
        .position(|w| *w == "--resource" || *w == "-r")
        .and_then(|at| words.get(at + 1))
        .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
        .unwrap_or_else(|| own.to_string())
}

/// ECS_CLUSTER as a launch configuration, launch template or instance
/// configures it: its user data, then the cfn-init metadata (AWS doc:
/// "AWS::CloudFormation::Init") of the resource its user data runs cfn-init for.
pub(crate) fn configured_ecs_cluster(p: &Planner, logical_id: &str, user_data: Option<&str>) -> Option<String> {
    let text = user_data.map(account::ec2::ecs_config::user_data_text).unwrap_or_default();
    let source = cfn_init_resource(&text, logical_id);
    let metadata = p
        .resolved
        .get(&source)
        .or_else(|| p.resolved.get(logical_id))
        .and_then(|r| r.metadata.as_ref())
        .map(cfn::Node::to_json);
    account::ec2::ecs_config::configured_cluster(user_data, metadata.as_ref())
}

/// Adds the agent's cluster to a plan listing, when one is configured.
pub(crate) fn with_ecs_cluster(planned: Planned, cluster: Option<&str>) -> Planned {
    match cluster {
        Some(c) => planned.detail("EcsCluster", c),
        None => planned,
    }
}

/// A create the service refused, as a finding at `property`.
fn refused(props: &Props<'_>, property: &str, code: &str, message: String) -> Diagnostic {
    Diagnostic::error("TN3000", message)
        .resource(props.logical_id)
        .path(props.path(property))
        .at(props.pos(property))
        .hint(format!("change the resource so AWS accepts it (error code {code})"))
}

/// AWS::AutoScaling::LaunchConfiguration: Ref is the name.
pub fn launch_configuration(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("LaunchConfigurationName").unwrap_or_else(|| p.generated_name(props.logical_id, 255));
    let arn = p.account.new_launch_configuration_arn(&name);
    let instance_type = props.str("InstanceType").unwrap_or_default();
    let user_data = props.str("UserData");
    let ecs_cluster = configured_ecs_cluster(p, props.logical_id, user_data.as_deref());
    let created = p.account.create_launch_configuration(LaunchConfiguration {
        launch_configuration_name: name.clone(),
        launch_configuration_arn: arn,
        instance_type: instance_type.clone(),
        image_id: props.str("ImageId"),
        security_groups: props.strs("SecurityGroups"),
        associate_public_ip_address: props.bool("AssociatePublicIpAddress"),
        iam_instance_profile: props.str("IamInstanceProfile"),
        user_data,
        ecs_cluster: ecs_cluster.clone(),
        created_time: p.account.clock_ms,
        http_tokens: props.child("MetadataOptions").and_then(|m| m.str("HttpTokens")),
    });
    if let Err(e) = created {
        p.report(refused(props, "LaunchConfigurationName", &e.code, e.message));
    }
    with_ecs_cluster(Planned::new(name).detail("InstanceType", instance_type), ecs_cluster.as_deref())
}

/// AWS::EC2::LaunchTemplate: Ref is the template ID.
pub fn launch_template(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("LaunchTemplateName").unwrap_or_else(|| p.generated_name(props.logical_id, 128));
    let data = props.child("LaunchTemplateData");
    let mut groups = data.as_ref().map(|d| d.strs("SecurityGroupIds")).unwrap_or_default();
    let mut public = None;
    if let Some(d) = &data {
        for nic in d.children("NetworkInterfaces") {
            groups.extend(nic.strs("Groups"));
            public = public.or(nic.bool("AssociatePublicIpAddress"));
        }
    }
    let instance_type = data.as_ref().and_then(|d| d.str("InstanceType"));
    let user_data = data.as_ref().and_then(|d| d.str("UserData"));
    let ecs_cluster = configured_ecs_cluster(p, props.logical_id, user_data.as_deref());
    let created = p.account.create_launch_template(LaunchTemplate {
        launch_template_id: String::new(),
        launch_template_name: name.clone(),
        latest_version_number: 1,
        instance_type: instance_type.clone(),
        image_id: data.as_ref().and_then(|d| d.str("ImageId")),
        security_group_ids: groups,
        associate_public_ip_address: public,
        user_data,
        ecs_cluster: ecs_cluster.clone(),
        created_time: p.account.clock_ms,
        iam_instance_profile: data
            .as_ref()
            .and_then(|d| d.child("IamInstanceProfile"))
            .and_then(|i| i.str("Arn").or_else(|| i.str("Name"))),
        http_tokens: data.as_ref().and_then(|d| d.child("MetadataOptions")).and_then(|m| m.str("HttpTokens")),
    });
    let id = match created {
        Ok(t) => t.launch_template_id,
        Err(e) => {
            p.report(refused(props, "LaunchTemplateName", e.code(), e.to_string()));
            p.failed_id("lt")
        }
    };
    let planned = Planned::new(id.clone())
        .attr("LaunchTemplateId", id)
        .attr("LatestVersionNumber", "1")
        .attr("DefaultVersionNumber", "1")
        .detail("InstanceType", instance_type.unwrap_or_default());
    with_ecs_cluster(planned, ecs_cluster.as_deref())
}

/// AWS::AutoScaling::AutoScalingGroup: Ref is the name. CreateAutoScalingGroup
/// checks the limits; the control plane launches the instances.
pub fn auto_scaling_group(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("AutoScalingGroupName").unwrap_or_else(|| p.generated_name(props.logical_id, 255));
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
            lt.str("LaunchTemplateId").or_else(|| lt.str("LaunchTemplateName")).unwrap_or_default(),
            lt.str("Version").unwrap_or_else(|| "$Default".into()),
        )
    });
    let min = props.u32("MinSize").unwrap_or(0);
    let launch_configuration_name = props.str("LaunchConfigurationName");
    let instance_type = launch_configuration_name
        .as_ref()
        .and_then(|n| p.account.launch_configuration(n).map(|l| l.instance_type.clone()))
        .or_else(|| {
            launch_template
                .as_ref()
                .and_then(|(id, _)| p.account.launch_template(id))
                .and_then(|t| t.instance_type.clone())
        })
        .unwrap_or_default();
    let tags = props
        .children("Tags")
        .iter()
        .filter_map(|t| {
            Some(AutoScalingTag {
                key: t.str("Key")?,
                value: t.str("Value").unwrap_or_default(),
                propagate_at_launch: t.bool("PropagateAtLaunch").unwrap_or(false),
            })
        })
        .collect();
    let group = AutoScalingGroup {
        auto_scaling_group_name: name.clone(),
        auto_scaling_group_arn: arn,
        subnets: subnets.clone(),
        launch_configuration_name,
        launch_template,
        min_size: min,
        max_size: props.u32("MaxSize").unwrap_or(0),
        desired_capacity: props.u32("DesiredCapacity"),
        target_group_arns: props.strs("TargetGroupARNs"),
        tags,
        ..AutoScalingGroup::default()
    };
    let desired = group.desired();
    if let Err(e) = p.account.create_auto_scaling_group(group) {
        let prop = match e.message.split_whitespace().next() {
            _ if e.code == "AlreadyExists" => "AutoScalingGroupName",
            Some("Desired") => "DesiredCapacity",
            Some("Launch") => "LaunchConfigurationName",
            Some("The") => "LaunchTemplate",
            _ => "MaxSize",
        };
        p.report(
            Diagnostic::error("TN3000", e.message.clone())
                .resource(props.logical_id)
                .path(props.path(prop))
                .at(props.pos(prop))
                .hint(format!("change the group so EC2 Auto Scaling accepts it (error code {})", e.code)),
        );
        p.failed_ids.push(name.clone());
    }
    Planned::new(name).detail("Instances", format!("{desired} × {instance_type}")).detail("Subnets", subnets.join(", "))
}

/// The Auto Scaling types' records (and EC2's launch templates, which they launch from).
pub(super) const KINDS: &[Kind] = &[
    Kind {
        replacing: &["*"],
        ..kind("AWS::AutoScaling::LaunchConfiguration", launch_configuration, |a, _, id| {
            if a.launch_configurations.contains_key(id) {
                svc(a.delete_launch_configuration(id))
            } else {
                Ok(())
            }
        })
    },
    Kind {
        // A data change is a new version of the same template.
        update: Some(|a, scratch, m| match scratch.launch_templates.get(m.new_id) {
            Some(new) if a.launch_templates.contains_key(m.id) => {
                a.create_launch_template_version(m.id, new.clone()).map(drop).map_err(|e| e.to_string())
            }
            _ => Ok(()),
        }),
        ..kind("AWS::EC2::LaunchTemplate", launch_template, |a, _, id| {
            if a.launch_templates.contains_key(id) {
                svc(a.delete_launch_template(id))
            } else {
                Ok(())
            }
        })
    },
    Kind {
        update: Some(update_group),
        deleted: |a, _, id| !a.auto_scaling_groups.contains_key(id),
        wait: Wait::Signals,
        ..kind("AWS::AutoScaling::AutoScalingGroup", auto_scaling_group, |a, _, id| {
            if a.auto_scaling_groups.contains_key(id) {
                svc(control::ec2::delete_auto_scaling_group(a, id, true))
            } else {
                Ok(())
            }
        })
    },
];

/// AWS::AutoScaling::AutoScalingGroup in place: UpdateAutoScalingGroup of
/// the limits, then of where and from what its new instances launch.
fn update_group(a: &mut Account, scratch: &Account, m: &Moved<'_>) -> Result<(), String> {
    let Some(new) = scratch.auto_scaling_groups.get(m.new_id) else { return Ok(()) };
    let new = new.clone();
    a.update_auto_scaling_group(m.id, Some(new.min_size), Some(new.max_size), new.desired_capacity)
        .map_err(|e| e.message)?;
    a.update_auto_scaling_group_sources(
        m.id,
        new.subnets,
        new.launch_configuration_name,
        new.launch_template,
        new.target_group_arns,
    )
    .map_err(|e| e.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cfn_init_resource_from_user_data() {
        let ud = "#!/bin/bash\n/opt/aws/bin/cfn-init -v --stack s \\\n  --resource ContainerLC --region us-east-1";
        assert_eq!(cfn_init_resource(ud, "Own"), "ContainerLC");
        assert_eq!(cfn_init_resource("cfn-init -s s -r 'Other'", "Own"), "Other");
        assert_eq!(cfn_init_resource("#!/bin/bash", "Own"), "Own");
    }

    #[test]
    fn the_agents_cluster_comes_from_user_data_or_cfn_init() {
        let a = account::Account::default();
        let pseudo = cfn::resolve::Pseudo::new(&a.account_id, &a.region, "s");
        let mut p = Planner::new(a, pseudo, None);
        // Base64 of a user data script running cfn-init for resource Lc.
        let ud = "IyEvYmluL2Jhc2gKL29wdC9hd3MvYmluL2Nmbi1pbml0IC12IC0tc3RhY2sgcyAtLXJlc291cmNlIExjIC0tcmVnaW9uIHVzLWVhc3QtMQo=";
        let files =
            "AWS::CloudFormation::Init: {config: {files: {/etc/ecs/ecs.config: {content: \"ECS_CLUSTER=todo\\n\"}}}}";
        let planned = crate::delete::tests::plan_yaml(
            &mut p,
            "Lc",
            "AWS::AutoScaling::LaunchConfiguration",
            &format!("{{ImageId: ami-1, InstanceType: t2.micro, UserData: {ud}}}"),
            Some(files),
        );
        let lc = &p.account.launch_configurations[&planned.ref_value];
        assert_eq!(lc.ecs_cluster.as_deref(), Some("todo"));
        assert!(planned.details.contains(&("EcsCluster".to_string(), "todo".to_string())));
        let commands = "AWS::CloudFormation::Init: {config: {commands: {01: {command: 'echo ECS_CLUSTER=$C >> /etc/ecs/ecs.config', env: {C: fromcmd}}}}}";
        let planned = crate::delete::tests::plan_yaml(
            &mut p,
            "Tpl",
            "AWS::EC2::LaunchTemplate",
            "LaunchTemplateData: {InstanceType: t3.micro}",
            Some(commands),
        );
        let lt = &p.account.launch_templates[&planned.ref_value];
        assert_eq!(lt.ecs_cluster.as_deref(), Some("fromcmd"));
        let subnet =
            p.account.subnets.values().find(|s| s.default_for_az).map(|s| s.subnet_id.clone()).unwrap_or_default();
        let planned = crate::delete::tests::plan_yaml(
            &mut p,
            "Host",
            "AWS::EC2::Instance",
            &format!("{{SubnetId: {subnet}, InstanceType: t3.micro, UserData: 'echo ECS_CLUSTER=direct >> /etc/ecs/ecs.config'}}"),
            None,
        );
        let i = &p.account.instances[&planned.ref_value];
        assert_eq!((i.ecs_agent, i.ecs_cluster.as_deref(), i.state.as_str()), (true, Some("direct"), "pending"));
        assert!(i.public_ip_address.is_some(), "default subnets map public IPs on launch");
    }

    #[test]
    fn instance_profiles_and_metadata_options_reach_the_launch_records() {
        let a = account::Account::default();
        let pseudo = cfn::resolve::Pseudo::new(&a.account_id, &a.region, "s");
        let mut p = Planner::new(a, pseudo, None);
        let plan =
            |p: &mut Planner, id: &str, t: &str, props: &str| crate::delete::tests::plan_yaml(p, id, t, props, None);
        let lc = plan(
            &mut p,
            "Lc",
            "AWS::AutoScaling::LaunchConfiguration",
            "{ImageId: ami-1, InstanceType: t3.micro, IamInstanceProfile: prof, MetadataOptions: {HttpTokens: required}}",
        );
        let lc = &p.account.launch_configurations[&lc.ref_value];
        assert_eq!((lc.iam_instance_profile.as_deref(), lc.http_tokens.as_deref()), (Some("prof"), Some("required")));
        let lt = plan(
            &mut p,
            "Lt",
            "AWS::EC2::LaunchTemplate",
            "LaunchTemplateData: {IamInstanceProfile: {Arn: 'arn:aws:iam::123456789012:instance-profile/p'}, MetadataOptions: {HttpTokens: optional}}",
        );
        let lt = &p.account.launch_templates[&lt.ref_value];
        assert_eq!(lt.iam_instance_profile.as_deref(), Some("arn:aws:iam::123456789012:instance-profile/p"));
        assert_eq!(lt.http_tokens.as_deref(), Some("optional"));
        let subnet =
            p.account.subnets.values().find(|s| s.default_for_az).map(|s| s.subnet_id.clone()).unwrap_or_default();
        let i = plan(
            &mut p,
            "Host",
            "AWS::EC2::Instance",
            &format!("{{SubnetId: {subnet}, IamInstanceProfile: direct, MetadataOptions: {{HttpTokens: required}}}}"),
        );
        let i = &p.account.instances[&i.ref_value];
        assert_eq!((i.iam_instance_profile.as_deref(), i.http_tokens.as_deref()), (Some("direct"), Some("required")));
    }
}
