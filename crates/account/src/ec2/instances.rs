//! Instances: RunInstances and TerminateInstances, and the state changes
//! the control plane makes on the clock (pending → running, shutting-down →
//! terminated, and forgetting terminated instances).
//!
//! AWS doc: "Amazon EC2 instance state changes" (pending, running,
//! shutting-down, terminated) and "Terminate Amazon EC2 instances" (the
//! interfaces with DeleteOnTermination go with the instance; a terminated
//! instance stays listed for a while).

use crate::account::Account;
use crate::ec2::CreateNetworkInterface;
use crate::error::Ec2Error;
use crate::ids::prefix;
use crate::model::*;
use std::net::Ipv4Addr;

/// How long an instance stays `pending` before it is `running`. AWS
/// documents no figure; tasknet's choice.
pub const BOOT_MS: u64 = 15_000;
/// How long `shutting-down` lasts before `terminated`; tasknet's choice.
pub const SHUTDOWN_MS: u64 = 30_000;
/// How long a terminated instance stays listed. AWS doc "Terminate Amazon
/// EC2 instances" says "a short while"; one hour is inferred (what users see).
pub const TERMINATED_LISTED_MS: u64 = 60 * 60 * 1000;

/// The parameters of RunInstances for one instance, plus the ECS_CLUSTER a
/// template's cfn-init metadata sets (the instance's configuration that
/// RunInstances itself never sees).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunInstances {
    /// The AMI.
    pub image_id: Option<String>,
    /// e.g. `t3.micro`.
    pub instance_type: String,
    /// The subnet of its primary interface.
    pub subnet_id: String,
    /// Security groups of its primary interface; none means the VPC's default group.
    pub security_group_ids: Vec<String>,
    /// A chosen primary private address.
    pub private_ip_address: Option<Ipv4Addr>,
    /// `AssociatePublicIpAddress`; absent means the subnet's MapPublicIpOnLaunch.
    pub associate_public_ip_address: Option<bool>,
    /// `UserData` (base64 or plain text).
    pub user_data: Option<String>,
    /// Tags.
    pub tags: Tags,
    /// ECS_CLUSTER as configured outside the user data (cfn-init metadata);
    /// when absent the user data is searched for it.
    pub ecs_cluster: Option<String>,
    /// The Auto Scaling group launching it.
    pub auto_scaling_group_name: Option<String>,
    /// The launch configuration it comes from.
    pub launch_configuration_name: Option<String>,
    /// The launch template (ID, version) it comes from.
    pub launch_template: Option<(String, String)>,
    /// `IamInstanceProfile` (a name or an ARN).
    pub iam_instance_profile: Option<String>,
    /// `MetadataOptions.HttpTokens`.
    pub http_tokens: Option<String>,
}

/// One entry of TerminateInstances' `TerminatingInstances`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceStateChange {
    /// The instance.
    pub instance_id: String,
    /// Its state before the call.
    pub previous_state: String,
    /// Its state after the call.
    pub current_state: String,
}

impl Account {
    /// True when `image_id` is one of the ECS-optimized AMIs the account's
    /// public SSM parameters name (those images start the ECS agent at boot).
    // AWS doc: "Retrieving Amazon ECS-optimized Linux AMI metadata".
    pub fn is_ecs_optimized_image(&self, image_id: &str) -> bool {
        self.ssm_parameters
            .values()
            .any(|p| p.name.starts_with("/aws/service/ecs/optimized-ami/") && p.value == image_id)
    }

    /// RunInstances (one instance): its primary interface is created in the
    /// subnet (lowest free address, the subnet's MapPublicIpOnLaunch unless
    /// AssociatePublicIpAddress says otherwise) and attached at device index
    /// 0 with DeleteOnTermination; the instance starts `pending`.
    pub fn run_instances(&mut self, req: RunInstances) -> Result<Instance, Ec2Error> {
        let subnet = self.subnet(&req.subnet_id)?.clone();
        let mut eni_req = CreateNetworkInterface::new(&subnet.subnet_id);
        eni_req.groups = req.security_group_ids.clone();
        eni_req.private_ip_address = req.private_ip_address;
        eni_req.assign_public_ip = req.associate_public_ip_address.unwrap_or(subnet.map_public_ip_on_launch);
        let eni = self.create_network_interface(eni_req)?;
        let instance_id = self.new_id(prefix::INSTANCE);
        // The instance's ID exists only now.
        if let Some(e) = self.network_interfaces.get_mut(&eni.network_interface_id) {
            e.owner = crate::EniOwner::Instance { instance_id: instance_id.clone() };
        }
        let ecs_cluster =
            req.ecs_cluster.clone().or_else(|| super::ecs_config::configured_cluster(req.user_data.as_deref(), None));
        let ecs_agent =
            ecs_cluster.is_some() || req.image_id.as_deref().is_some_and(|i| self.is_ecs_optimized_image(i));
        let mut tags = req.tags.clone();
        if let Some(group) = &req.auto_scaling_group_name {
            // AWS doc: "Tag Auto Scaling groups and instances" — instances carry aws:autoscaling:groupName.
            tags.insert("aws:autoscaling:groupName".into(), group.clone());
        }
        let instance = Instance {
            instance_id: instance_id.clone(),
            instance_type: req.instance_type.clone(),
            image_id: req.image_id.clone(),
            subnet_id: subnet.subnet_id.clone(),
            vpc_id: subnet.vpc_id.clone(),
            availability_zone: subnet.availability_zone.clone(),
            private_ip_address: eni.private_ip_address,
            public_ip_address: eni.association.as_ref().map(|a| a.public_ip),
            // AttachNetworkInterface below adds the primary interface.
            network_interface_ids: Vec::new(),
            security_group_ids: eni.groups.clone(),
            state: crate::InstanceState::Pending,
            tags,
            private_dns_name: eni.private_dns_name.clone(),
            public_dns_name: eni.association.as_ref().map(|a| a.public_dns_name.clone()),
            launch_time: self.clock_ms,
            next_transition_at: Some(self.clock_ms + BOOT_MS),
            user_data: req.user_data.clone(),
            ecs_agent,
            ecs_cluster,
            awsvpc_trunking: self.account_settings.get("awsvpcTrunking").is_some_and(|v| v == "enabled"),
            lifecycle_state: req.auto_scaling_group_name.as_ref().map(|_| "Pending".to_string()),
            auto_scaling_group_name: req.auto_scaling_group_name.clone(),
            launch_configuration_name: req.launch_configuration_name.clone(),
            launch_template: req.launch_template.clone(),
            iam_instance_profile: req.iam_instance_profile.clone(),
            http_tokens: req.http_tokens.clone(),
        };
        self.instances.insert(instance_id.clone(), instance);
        if let Err(e) = self.attach_network_interface(&eni.network_interface_id, Some(&instance_id), 0) {
            // Cannot happen for a fresh interface; undo rather than leave half an instance.
            self.instances.remove(&instance_id);
            self.delete_network_interface(&eni.network_interface_id)?;
            return Err(e);
        }
        if let Some(att) =
            self.network_interfaces.get_mut(&eni.network_interface_id).and_then(|n| n.attachment.as_mut())
        {
            att.delete_on_termination = true;
        }
        self.instance(&instance_id).cloned()
    }

    /// TerminateInstances: every ID must exist (else nothing changes);
    /// running and pending instances go `shutting-down`, and their ECS
    /// container instances are deregistered at once (AWS doc
    /// "DeregisterContainerInstance": a terminated container instance is
    /// deregistered automatically). Terminating a terminated instance is not an error.
    pub fn terminate_instances(&mut self, instance_ids: &[String]) -> Result<Vec<InstanceStateChange>, Ec2Error> {
        for id in instance_ids {
            self.instance(id)?;
        }
        let now = self.clock_ms;
        let mut changes = Vec::new();
        for id in instance_ids {
            let Some(inst) = self.instances.get_mut(id) else { continue };
            let previous = inst.state;
            if matches!(
                previous,
                crate::InstanceState::Pending
                    | crate::InstanceState::Running
                    | crate::InstanceState::Stopping
                    | crate::InstanceState::Stopped
            ) {
                inst.state = crate::InstanceState::ShuttingDown;
                inst.next_transition_at = Some(now + SHUTDOWN_MS);
            }
            let current = inst.state;
            self.deregister_container_instances_of(id);
            changes.push(InstanceStateChange {
                instance_id: id.clone(),
                previous_state: previous.to_string(),
                current_state: current.to_string(),
            });
        }
        Ok(changes)
    }

    /// pending → running (the control plane calls it when the boot time has passed).
    pub fn complete_instance_launch(&mut self, instance_id: &str) {
        if let Some(i) = self.instances.get_mut(instance_id).filter(|i| i.state == crate::InstanceState::Pending) {
            i.state = crate::InstanceState::Running;
            i.next_transition_at = None;
        }
    }

    /// shutting-down → terminated: interfaces with DeleteOnTermination are
    /// deleted (their addresses return to the subnet, an Elastic IP on them
    /// is disassociated), the others are detached; the public address goes.
    pub fn complete_instance_termination(&mut self, instance_id: &str) -> Result<(), Ec2Error> {
        let inst = self.instance(instance_id)?.clone();
        if inst.state != crate::InstanceState::ShuttingDown {
            return Ok(());
        }
        let attached: Vec<(String, bool)> = self
            .network_interfaces
            .values()
            .filter_map(|n| {
                n.attachment
                    .as_ref()
                    .filter(|a| a.instance_id.as_deref() == Some(instance_id))
                    .map(|a| (n.network_interface_id.clone(), a.delete_on_termination))
            })
            .collect();
        for (eni_id, delete) in attached {
            if let Some(n) = self.network_interfaces.get_mut(&eni_id) {
                n.attachment = None;
                n.status = "available".into();
            }
            if delete {
                self.delete_network_interface(&eni_id)?;
            }
        }
        // An Elastic IP associated with the instance itself is disassociated too.
        for a in self.addresses.values_mut().filter(|a| a.instance_id.as_deref() == Some(instance_id)) {
            a.association_id = None;
            a.network_interface_id = None;
            a.private_ip_address = None;
            a.instance_id = None;
        }
        self.deregister_container_instances_of(instance_id);
        let now = self.clock_ms;
        if let Some(i) = self.instances.get_mut(instance_id) {
            i.state = crate::InstanceState::Terminated;
            i.network_interface_ids.clear();
            i.public_ip_address = None;
            i.public_dns_name = None;
            i.next_transition_at = Some(now + TERMINATED_LISTED_MS);
        }
        Ok(())
    }

    /// Stops listing a terminated instance (and its deregistered container
    /// instance, which ECS also stops listing; inferred).
    pub fn forget_terminated_instance(&mut self, instance_id: &str) {
        if self.instances.get(instance_id).is_some_and(|i| i.state == crate::InstanceState::Terminated) {
            self.instances.remove(instance_id);
            self.container_instances.retain(|_, c| {
                !(c.ec2_instance_id == instance_id && c.status == crate::ContainerInstanceStatus::Inactive)
            });
        }
    }

    /// The instance IDs whose state is due to change at or before `now`, in ID order.
    pub fn instances_due(&self, now: u64) -> Vec<String> {
        self.instances
            .values()
            .filter(|i| i.next_transition_at.is_some_and(|t| t <= now))
            .map(|i| i.instance_id.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account_with_subnet(map_public: bool) -> (Account, String) {
        let mut a = Account::empty("123456789012", "us-east-1");
        let vpc = a.create_vpc("10.0.0.0/16").expect("vpc");
        let s = a.create_subnet(&vpc.vpc_id, "10.0.1.0/24", Some("us-east-1a")).expect("subnet").subnet_id;
        a.set_map_public_ip_on_launch(&s, map_public).expect("attr");
        (a, s)
    }

    #[test]
    fn run_instances_gives_a_primary_interface_and_names() {
        let (mut a, s) = account_with_subnet(true);
        let before = a.subnets[&s].available_ip_address_count;
        let i = a
            .run_instances(RunInstances {
                instance_type: "t3.micro".into(),
                subnet_id: s.clone(),
                ..RunInstances::default()
            })
            .expect("run");
        assert!(crate::ids::is_ec2_id("i", &i.instance_id));
        assert_eq!(i.state, "pending");
        assert_eq!(i.private_ip_address, Ipv4Addr::new(10, 0, 1, 4));
        assert_eq!(i.private_dns_name, "ip-10-0-1-4.ec2.internal");
        assert!(
            i.public_ip_address.is_some()
                && i.public_dns_name.as_deref().is_some_and(|d| d.ends_with(".compute-1.amazonaws.com"))
        );
        assert_eq!(i.network_interface_ids.len(), 1);
        let eni = &a.network_interfaces[&i.network_interface_ids[0]];
        let att = eni.attachment.as_ref().expect("attached");
        assert_eq!(
            (att.device_index, att.delete_on_termination, att.instance_id.as_deref()),
            (0, true, Some(i.instance_id.as_str()))
        );
        assert_eq!(a.subnets[&s].available_ip_address_count, before - 1);
        assert!(!i.ecs_agent, "a plain AMI runs no agent");
        // AssociatePublicIpAddress overrides the subnet.
        let j = a
            .run_instances(RunInstances {
                subnet_id: s,
                associate_public_ip_address: Some(false),
                ..RunInstances::default()
            })
            .expect("run");
        assert!(j.public_ip_address.is_none());
    }

    #[test]
    fn ecs_agent_from_image_or_configuration() {
        let (mut a, s) = account_with_subnet(false);
        a.add_public_parameters();
        let ami = a.ssm_parameters["/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"].value.clone();
        let i = a
            .run_instances(RunInstances { image_id: Some(ami), subnet_id: s.clone(), ..RunInstances::default() })
            .expect("run");
        assert!(i.ecs_agent && i.ecs_cluster.is_none());
        let ud = "#!/bin/bash\necho ECS_CLUSTER=web >> /etc/ecs/ecs.config";
        let j = a
            .run_instances(RunInstances { user_data: Some(ud.into()), subnet_id: s, ..RunInstances::default() })
            .expect("run");
        assert!(j.ecs_agent);
        assert_eq!(j.ecs_cluster.as_deref(), Some("web"));
    }

    #[test]
    fn termination_returns_the_address_and_releases_the_elastic_ip() {
        let (mut a, s) = account_with_subnet(false);
        let before = a.clone();
        let i = a.run_instances(RunInstances { subnet_id: s.clone(), ..RunInstances::default() }).expect("run");
        let eip = a.allocate_address().expect("eip");
        a.associate_address(&eip.allocation_id, &i.network_interface_ids[0]).expect("assoc");
        let changes = a.terminate_instances(std::slice::from_ref(&i.instance_id)).expect("terminate");
        assert_eq!(
            (changes[0].previous_state.as_str(), changes[0].current_state.as_str()),
            ("pending", "shutting-down")
        );
        a.complete_instance_termination(&i.instance_id).expect("done");
        assert_eq!(a.instances[&i.instance_id].state, "terminated");
        assert!(a.network_interfaces.is_empty());
        assert_eq!(a.subnets[&s].available_ip_address_count, before.subnets[&s].available_ip_address_count);
        assert!(a.addresses[&eip.allocation_id].association_id.is_none());
        let again = a.terminate_instances(std::slice::from_ref(&i.instance_id)).expect("idempotent");
        assert_eq!(again[0].current_state, "terminated");
        a.forget_terminated_instance(&i.instance_id);
        assert!(a.instances.is_empty());
        let missing = a.terminate_instances(&["i-0123456789abcdef0".to_string()]);
        assert_eq!(missing.map_err(|e| e.code()), Err("InvalidInstanceID.NotFound"));
    }

    #[test]
    fn exhausted_subnet_refuses_with_awss_text() {
        let mut a = Account::empty("123456789012", "us-east-1");
        let vpc = a.create_vpc("10.0.0.0/16").expect("vpc");
        let s = a.create_subnet(&vpc.vpc_id, "10.0.0.0/28", None).expect("subnet").subnet_id;
        for _ in 0..11 {
            a.run_instances(RunInstances { subnet_id: s.clone(), ..RunInstances::default() }).expect("fits");
        }
        let e = a.run_instances(RunInstances { subnet_id: s.clone(), ..RunInstances::default() }).expect_err("full");
        assert_eq!(
            e.to_string(),
            format!(
                "There are not enough free addresses in subnet '{s}' to satisfy the requested number of instances."
            )
        );
        assert_eq!(a.instances.len(), 11);
    }
}
