//! What the ECS container agent does on an instance: RegisterContainerInstance
//! when it starts (with the instance's CPU, memory, reserved ports and
//! attributes), and the deregistration that follows the instance's end.
//!
//! AWS doc: "Amazon ECS container agent configuration" (ECS_CLUSTER,
//! ECS_RESERVED_PORTS), "Amazon ECS container instances" (attributes) and
//! "Elastic network interface trunking" (the trunk interface,
//! `ecs.awsvpc-trunk-id`).

use crate::account::Account;
use crate::ec2::CreateNetworkInterface;
use crate::ids;
use crate::instance_types;
use crate::model::*;

/// How long after the instance is running its agent registers; tasknet's choice.
pub const AGENT_START_MS: u64 = 10_000;
/// How long a container instance stays REGISTERING while its trunk
/// interface is provisioned; tasknet's choice.
pub const TRUNK_PROVISION_MS: u64 = 10_000;
/// The agent's default ECS_RESERVED_PORTS: SSH, the Docker daemon's two
/// ports, the agent's introspection and credentials ports.
// AWS doc: "Amazon ECS container agent configuration" — default [22, 2375, 2376, 51678, 51679].
pub const RESERVED_PORTS: [u16; 5] = [22, 2375, 2376, 51678, 51679];
/// The cluster the agent joins when ECS_CLUSTER is not set.
pub const DEFAULT_CLUSTER: &str = "default";
/// The trunk interface's InterfaceType (a value of DescribeNetworkInterfaces' InterfaceType).
pub const TRUNK_INTERFACE_TYPE: &str = "trunk";

impl Account {
    /// The agent's RegisterContainerInstance for a running instance; the
    /// new container instance's ARN, or `None` when it cannot register:
    /// - with ECS_CLUSTER unset the agent joins `default` and creates it if
    ///   missing; a named cluster that does not exist makes registration
    ///   fail (the instance keeps running; the agent retries, so a cluster
    ///   created later gets it). Inferred from the agent's behaviour: it
    ///   calls CreateCluster only when no cluster was configured.
    /// - an instance type outside `instance_types` is not registered: its
    ///   CPU and memory are unknown and a guess would mislead placement.
    ///
    /// With `awsvpcTrunking` opted in at launch on a type that supports it,
    /// a trunk interface is created and attached and the container instance
    /// stays REGISTERING until [`Account::activate_container_instance`].
    pub fn register_container_instance(&mut self, instance_id: &str) -> Option<String> {
        let inst = self
            .instances
            .get(instance_id)
            .filter(|i| i.ecs_agent && i.state == crate::InstanceState::Running)?
            .clone();
        let cpu = instance_types::ecs_registered_cpu(&inst.instance_type)?;
        let memory = instance_types::ecs_registered_memory(&inst.instance_type)?;
        let cluster_name = inst.ecs_cluster.clone().unwrap_or_else(|| DEFAULT_CLUSTER.to_string());
        match self.clusters.get(&cluster_name) {
            Some(c) if c.status == crate::ClusterStatus::Active => {}
            None if inst.ecs_cluster.is_none() => {
                let cluster = self.new_cluster(DEFAULT_CLUSTER);
                self.put_cluster(cluster);
            }
            _ => return None,
        }
        let cluster_arn = self.clusters.get(&cluster_name)?.cluster_arn.clone();
        let id = self.new_hex("container-instance", 32);
        let arn = ids::ecs_container_instance_arn(&self.region, &self.account_id, &cluster_name, &id);
        let resources = InstanceResources { cpu, memory, ports: RESERVED_PORTS.to_vec(), ports_udp: Vec::new() };
        let mut attributes = std::collections::BTreeMap::new();
        attributes.insert("ecs.ami-id".to_string(), inst.image_id.clone().unwrap_or_default());
        attributes.insert("ecs.availability-zone".to_string(), inst.availability_zone.clone());
        attributes.insert("ecs.instance-type".to_string(), inst.instance_type.clone());
        attributes.insert("ecs.os-type".to_string(), "linux".to_string());
        let trunking = inst.awsvpc_trunking && instance_types::supports_trunking(&inst.instance_type) == Some(true);
        let status = if !trunking {
            crate::ContainerInstanceStatus::Active
        } else if self.create_trunk_interface(&inst).is_some() {
            crate::ContainerInstanceStatus::Registering
        } else {
            // No address for the trunk interface. REGISTRATION_FAILED is a
            // documented status; that a failed trunk ends there is inferred.
            crate::ContainerInstanceStatus::RegistrationFailed
        };
        let ci = ContainerInstance {
            container_instance_arn: arn.clone(),
            ec2_instance_id: instance_id.to_string(),
            cluster_arn,
            status,
            agent_connected: status != crate::ContainerInstanceStatus::RegistrationFailed,
            registered_resources: resources.clone(),
            remaining_resources: resources,
            attributes,
            running_tasks_count: 0,
            pending_tasks_count: 0,
            registered_at: self.clock_ms,
        };
        self.container_instances.insert(arn.clone(), ci);
        Some(arn)
    }

    /// The trunk interface ECS adds to a container instance: in the
    /// instance's subnet with its groups, attached at device index 1 and
    /// deleted with the instance (the index and the empty description are
    /// inferred; AWS doc "Elastic network interface trunking" says ECS
    /// creates, attaches and deletes it).
    fn create_trunk_interface(&mut self, inst: &Instance) -> Option<String> {
        let mut req = CreateNetworkInterface::new(&inst.subnet_id);
        req.groups = inst.security_group_ids.clone();
        req.interface_type = TRUNK_INTERFACE_TYPE.into();
        req.owner = crate::EniOwner::Trunk { instance_id: inst.instance_id.clone() };
        let eni = self.create_network_interface(req).ok()?;
        let id = eni.network_interface_id;
        if self.attach_network_interface(&id, Some(&inst.instance_id), 1).is_err() {
            let _ = self.delete_network_interface(&id);
            return None;
        }
        if let Some(att) = self.network_interfaces.get_mut(&id).and_then(|n| n.attachment.as_mut()) {
            att.delete_on_termination = true;
        }
        Some(id)
    }

    /// REGISTERING → ACTIVE once the trunk interface is ready: the
    /// `ecs.awsvpc-trunk-id` attribute names it.
    pub fn activate_container_instance(&mut self, container_instance_arn: &str) {
        let Some(ci) = self
            .container_instances
            .get(container_instance_arn)
            .filter(|c| c.status == crate::ContainerInstanceStatus::Registering)
        else {
            return;
        };
        let instance_id = ci.ec2_instance_id.clone();
        let trunk = self
            .network_interfaces
            .values()
            .find(|n| {
                n.interface_type == TRUNK_INTERFACE_TYPE
                    && n.attachment.as_ref().is_some_and(|a| a.instance_id.as_deref() == Some(instance_id.as_str()))
            })
            .map(|n| n.network_interface_id.clone());
        if let Some(ci) = self.container_instances.get_mut(container_instance_arn) {
            ci.status = crate::ContainerInstanceStatus::Active;
            if let Some(t) = trunk {
                ci.attributes.insert("ecs.awsvpc-trunk-id".into(), t);
            }
        }
    }

    /// Deregisters the container instances of an instance that is going
    /// away: INACTIVE, agent disconnected (the ECS control plane then stops
    /// their tasks).
    pub fn deregister_container_instances_of(&mut self, instance_id: &str) {
        for c in self
            .container_instances
            .values_mut()
            .filter(|c| c.ec2_instance_id == instance_id && c.status != crate::ContainerInstanceStatus::Inactive)
        {
            c.status = crate::ContainerInstanceStatus::Inactive;
            c.agent_connected = false;
        }
    }

    /// The container instance of an EC2 instance (any status), if its agent registered.
    pub fn container_instance_of(&self, instance_id: &str) -> Option<&ContainerInstance> {
        self.container_instances.values().find(|c| c.ec2_instance_id == instance_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec2::RunInstances;

    fn running(a: &mut Account, instance_type: &str, user_data: Option<&str>) -> String {
        let vpc = a.vpcs.keys().next().cloned().unwrap_or_else(|| a.create_vpc("10.0.0.0/16").expect("vpc").vpc_id);
        let subnet = match a.subnets.keys().next().cloned() {
            Some(s) => s,
            None => a.create_subnet(&vpc, "10.0.0.0/24", Some("us-east-1b")).expect("subnet").subnet_id,
        };
        let req = RunInstances {
            instance_type: instance_type.into(),
            subnet_id: subnet,
            user_data: user_data.map(str::to_string),
            image_id: Some("ami-0123".into()),
            ..RunInstances::default()
        };
        let id = a.run_instances(req).expect("run").instance_id;
        a.complete_instance_launch(&id);
        id
    }

    #[test]
    fn registers_with_the_instances_resources_and_attributes() {
        let mut a = Account::empty("123456789012", "us-east-1");
        let c = a.new_cluster("web");
        a.put_cluster(c);
        let id = running(&mut a, "t2.micro", Some("echo ECS_CLUSTER=web >> /etc/ecs/ecs.config"));
        let arn = a.register_container_instance(&id).expect("registered");
        let ci = &a.container_instances[&arn];
        assert!(arn.starts_with("arn:aws:ecs:us-east-1:123456789012:container-instance/web/"));
        assert_eq!(arn.rsplit('/').next().map(str::len), Some(32));
        assert_eq!(ci.status, "ACTIVE");
        assert_eq!((ci.registered_resources.cpu, ci.registered_resources.memory), (1024, 998));
        assert_eq!(ci.registered_resources.ports, vec![22, 2375, 2376, 51678, 51679]);
        assert_eq!(ci.attributes["ecs.availability-zone"], "us-east-1b");
        assert_eq!(ci.attributes["ecs.instance-type"], "t2.micro");
        assert_eq!(ci.attributes["ecs.ami-id"], "ami-0123");
        a.deregister_container_instances_of(&id);
        assert_eq!(a.container_instances[&arn].status, "INACTIVE");
    }

    #[test]
    fn default_is_created_but_a_named_cluster_must_exist() {
        let mut a = Account::empty("123456789012", "us-east-1");
        let named = running(&mut a, "t3.micro", Some("ECS_CLUSTER=missing"));
        assert_eq!(a.register_container_instance(&named), None);
        assert!(a.clusters.is_empty());
        let c = a.new_cluster("missing");
        a.put_cluster(c);
        assert!(a.register_container_instance(&named).is_some(), "the agent retries and joins once it exists");
        a.add_public_parameters();
        let ami =
            a.ssm_parameters["/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"].value.clone();
        let subnet = a.subnets.keys().next().cloned().unwrap_or_default();
        let plain = a
            .run_instances(RunInstances {
                instance_type: "t3.micro".into(),
                image_id: Some(ami),
                subnet_id: subnet,
                ..RunInstances::default()
            })
            .expect("run")
            .instance_id;
        a.complete_instance_launch(&plain);
        let arn = a.register_container_instance(&plain).expect("default");
        assert!(arn.contains(":container-instance/default/"));
        assert_eq!(a.clusters["default"].status, "ACTIVE");
        let unknown = running(&mut a, "x9.huge", Some("ECS_CLUSTER=missing"));
        assert_eq!(a.register_container_instance(&unknown), None);
    }

    #[test]
    fn trunking_registers_then_activates_with_the_trunk_id() {
        let mut a = Account::empty("123456789012", "us-east-1");
        a.account_settings.insert("awsvpcTrunking".into(), "enabled".into());
        let c = a.new_cluster("t");
        a.put_cluster(c);
        let id = running(&mut a, "c5.large", Some("ECS_CLUSTER=t"));
        let arn = a.register_container_instance(&id).expect("registered");
        assert_eq!(a.container_instances[&arn].status, "REGISTERING");
        assert_eq!(a.instances[&id].network_interface_ids.len(), 2);
        a.activate_container_instance(&arn);
        let ci = &a.container_instances[&arn];
        assert_eq!(ci.status, "ACTIVE");
        let trunk = &a.network_interfaces[&ci.attributes["ecs.awsvpc-trunk-id"]];
        assert_eq!(trunk.interface_type, "trunk");
        // t3 does not support trunking: plain ACTIVE.
        let t3 = running(&mut a, "t3.medium", Some("ECS_CLUSTER=t"));
        let arn = a.register_container_instance(&t3).expect("registered");
        assert_eq!(a.container_instances[&arn].status, "ACTIVE");
        assert!(!a.container_instances[&arn].attributes.contains_key("ecs.awsvpc-trunk-id"));
    }
}
