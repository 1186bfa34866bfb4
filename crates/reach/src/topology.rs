//! The account read once for reachability: each subnet's route table and
//! ACL, each group's member addresses, each ENI by address, and the names
//! stacks gave to what they created. Built per question (cheap) and shared
//! by every trace of it.

use crate::role::Roles;
use crate::sets::AddrSet;
use account::{Account, Ipv4Cidr, NetworkAcl, NetworkInterface, RouteTable, Subnet, Vpc};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// Who created a resource: a stack and the resource's logical ID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    /// The stack's name.
    pub stack_name: String,
    /// The logical ID.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
}

/// An account prepared for questions.
pub struct Topology<'a> {
    /// The account.
    pub account: &'a Account,
    /// Every ENI's role.
    pub roles: Roles,
    owners: BTreeMap<String, Owner>,
    members: BTreeMap<String, AddrSet>,
    by_private: BTreeMap<(String, u32), String>,
    by_public: BTreeMap<u32, String>,
    subnet_table: BTreeMap<String, String>,
    subnet_acl: BTreeMap<String, String>,
}

/// The address set of a CIDR block.
pub fn cidr_set(c: &Ipv4Cidr) -> AddrSet {
    AddrSet::range(u32::from(c.network()), u32::from(c.broadcast()))
}

/// Addresses that are never on the internet: private, shared, loopback,
/// link-local, multicast and reserved ranges (RFC 6890's IPv4 table).
pub fn non_internet() -> AddrSet {
    let blocks = [
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/3",
    ];
    blocks.iter().filter_map(|b| b.parse::<Ipv4Cidr>().ok()).fold(AddrSet::empty(), |acc, c| acc.union(&cidr_set(&c)))
}

/// A subnet's addresses without the five AWS reserves (network, router, DNS, future, broadcast).
pub fn usable(c: &Ipv4Cidr) -> AddrSet {
    match cidr_set(c).intervals().first() {
        Some(&(lo, hi)) if hi - lo >= 4 => AddrSet::range(lo + 4, hi - 1),
        _ => AddrSet::empty(),
    }
}

/// The groups an awsvpc configuration gives its ENIs: its own, or the
/// VPC's default group when it names none (AWS doc "AwsVpcConfiguration").
pub fn awsvpc_groups(account: &Account, cfg: &account::AwsvpcConfiguration, vpc_id: &str) -> Vec<String> {
    if !cfg.security_groups.is_empty() {
        return cfg.security_groups.clone();
    }
    account.default_security_group(vpc_id).map(|g| vec![g.group_id.clone()]).unwrap_or_default()
}

/// The groups an auto scaling group's instances get in `vpc_id`: its launch
/// configuration's or launch template's, else the VPC's default group.
pub fn launch_groups(account: &Account, asg: &account::AutoScalingGroup, vpc_id: &str) -> Vec<String> {
    let lc = asg.launch_configuration_name.as_ref().and_then(|n| account.launch_configurations.get(n));
    let groups = match (lc, &asg.launch_template) {
        (Some(lc), _) => lc.security_groups.clone(),
        (None, Some((id, _))) => account
            .launch_templates
            .values()
            .find(|t| &t.launch_template_id == id || &t.launch_template_name == id)
            .map(|t| t.security_group_ids.clone())
            .unwrap_or_default(),
        (None, None) => Vec::new(),
    };
    if !groups.is_empty() {
        return groups;
    }
    account.default_security_group(vpc_id).map(|g| vec![g.group_id.clone()]).unwrap_or_default()
}

/// Every address the emulated internet can hold.
pub fn internet() -> AddrSet {
    non_internet().complement()
}

impl<'a> Topology<'a> {
    /// Reads `account`.
    pub fn new(account: &'a Account) -> Self {
        let mut owners = BTreeMap::new();
        for stack in account.stacks.values().filter(|s| s.stack_status != account::StackStatus::DeleteComplete) {
            for r in stack.resources.iter().filter(|r| r.resource_status != "DELETE_COMPLETE") {
                if let Some(id) = &r.physical_resource_id {
                    // The first stack (by stack ID) wins, so names are stable.
                    owners.entry(id.clone()).or_insert_with(|| Owner {
                        stack_name: stack.stack_name.clone(),
                        logical_id: r.logical_resource_id.clone(),
                        resource_type: r.resource_type.clone(),
                    });
                }
            }
        }
        let mut members: BTreeMap<String, AddrSet> = BTreeMap::new();
        let mut by_private = BTreeMap::new();
        let mut by_public = BTreeMap::new();
        let mut per_group: BTreeMap<&str, Vec<(u32, u32)>> = BTreeMap::new();
        for eni in account.network_interfaces.values() {
            let ip = u32::from(eni.private_ip_address);
            by_private.insert((eni.vpc_id.clone(), ip), eni.network_interface_id.clone());
            if let Some(a) = &eni.association {
                by_public.insert(u32::from(a.public_ip), eni.network_interface_id.clone());
            }
            for g in &eni.groups {
                per_group.entry(g.as_str()).or_default().push((ip, ip));
            }
        }
        // A service without task ENIs yet (a planned stack) stands for any
        // address of its subnets, so rules naming its groups match those.
        let with_enis: std::collections::BTreeSet<&str> = account
            .tasks
            .values()
            .filter(|t| t.eni_id.is_some() && t.is_live())
            .filter_map(|t| t.service_arn.as_deref())
            .collect();
        let mut prospective: Vec<(String, AddrSet)> = Vec::new();
        for svc in account
            .services
            .values()
            .filter(|s| s.status == account::ServiceStatus::Active && !with_enis.contains(s.service_arn.as_str()))
        {
            let Some(cfg) = svc.network_configuration.as_ref().and_then(|n| n.awsvpc_configuration.as_ref()) else {
                continue;
            };
            for subnet in cfg.subnets.iter().filter_map(|s| account.subnets.get(s)) {
                let addrs = usable(&subnet.cidr_block);
                for g in awsvpc_groups(account, cfg, &subnet.vpc_id) {
                    prospective.push((g, addrs.clone()));
                }
            }
        }
        // Likewise an auto scaling group with no instance yet stands for any
        // address of its subnets, with its launch configuration's or template's groups.
        for asg in account.auto_scaling_groups.values() {
            let launched = account.instances.values().any(|i| {
                i.auto_scaling_group_name.as_deref() == Some(asg.auto_scaling_group_name.as_str())
                    && i.state != account::InstanceState::Terminated
            });
            if launched {
                continue;
            }
            for subnet in asg.subnets.iter().filter_map(|s| account.subnets.get(s)) {
                for g in launch_groups(account, asg, &subnet.vpc_id) {
                    prospective.push((g, usable(&subnet.cidr_block)));
                }
            }
        }
        for (g, ips) in per_group {
            members.insert(g.to_string(), AddrSet::from_intervals(ips));
        }
        for (g, addrs) in prospective {
            let m = members.entry(g).or_default();
            *m = m.union(&addrs);
        }
        let mut subnet_table = BTreeMap::new();
        for t in account.route_tables.values() {
            for a in &t.associations {
                if let Some(s) = &a.subnet_id {
                    subnet_table.insert(s.clone(), t.route_table_id.clone());
                }
            }
        }
        let mut subnet_acl = BTreeMap::new();
        for acl in account.network_acls.values() {
            for a in &acl.associations {
                subnet_acl.insert(a.subnet_id.clone(), acl.network_acl_id.clone());
            }
        }
        Topology {
            account,
            roles: Roles::new(account),
            owners,
            members,
            by_private,
            by_public,
            subnet_table,
            subnet_acl,
        }
    }

    /// Names a resource the account's stacks do not list (a planned stack's).
    pub fn add_owner(&mut self, physical_id: &str, owner: Owner) {
        self.owners.insert(physical_id.to_string(), owner);
    }

    /// The ENIs of a load balancer's nodes.
    pub fn load_balancer_enis(&self, arn: &str) -> Vec<&'a NetworkInterface> {
        let arn_matches = |id: &String| matches!(self.roles.of(id), crate::role::EniRole::LoadBalancer { load_balancer_arn } if load_balancer_arn == arn);
        self.account.network_interfaces.values().filter(|e| arn_matches(&e.network_interface_id)).collect()
    }

    /// The target groups a listener forwards to: its default actions' and its rules', in order, once each.
    pub fn listener_target_groups(&self, listener: &account::Listener) -> Vec<String> {
        let rules = self.account.listener_rules.values().filter(|r| r.listener_arn == listener.listener_arn);
        let mut out: Vec<String> = Vec::new();
        for arn in listener
            .default_actions
            .iter()
            .chain(rules.flat_map(|r| r.actions.iter()))
            .flat_map(|a| a.target_group_arns())
        {
            if !out.iter().any(|x| x == arn) {
                out.push(arn.to_string());
            }
        }
        out
    }

    /// The logical ID of a stack's resource, by physical ID.
    pub fn logical(&self, physical_id: &str) -> Option<&str> {
        self.owner(physical_id).map(|o| o.logical_id.as_str())
    }

    /// The stack resource that created `physical_id`, if one did.
    pub fn owner(&self, physical_id: &str) -> Option<&Owner> {
        self.owners.get(physical_id)
    }

    /// Every (physical ID, owner) pair.
    pub fn owners(&self) -> impl Iterator<Item = (&String, &Owner)> {
        self.owners.iter()
    }

    /// `sg-… (LogicalId)` or just the ID.
    pub fn named(&self, physical_id: &str) -> String {
        match self.owner(physical_id) {
            Some(o) => format!("{physical_id} ({})", o.logical_id),
            None => physical_id.to_string(),
        }
    }

    /// The logical ID when a stack created it, else the physical ID.
    pub fn short(&self, physical_id: &str) -> String {
        self.owner(physical_id).map_or_else(|| physical_id.to_string(), |o| o.logical_id.clone())
    }

    /// What a template would write to refer to it: `!Ref Logical` or the ID.
    pub fn reference(&self, physical_id: &str) -> String {
        match self.owner(physical_id) {
            Some(o) => format!("!Ref {}", o.logical_id),
            None => physical_id.to_string(),
        }
    }

    /// The private addresses of every ENI in a security group (what a rule
    /// naming the group matches, per "Security group rules").
    pub fn members(&self, group_id: &str) -> AddrSet {
        self.members.get(group_id).cloned().unwrap_or_else(AddrSet::empty)
    }

    /// The ENI holding a private address in a VPC.
    pub fn eni_at(&self, vpc_id: &str, ip: Ipv4Addr) -> Option<&'a NetworkInterface> {
        let id = self.by_private.get(&(vpc_id.to_string(), u32::from(ip)))?;
        self.account.network_interfaces.get(id)
    }

    /// The ENI holding a private address in any VPC.
    pub fn eni_at_any(&self, ip: Ipv4Addr) -> Option<&'a NetworkInterface> {
        self.account.vpcs.keys().find_map(|v| self.eni_at(v, ip))
    }

    /// The ENI a public address (public IP or Elastic IP) belongs to.
    pub fn eni_with_public(&self, ip: Ipv4Addr) -> Option<&'a NetworkInterface> {
        let id = self.by_public.get(&u32::from(ip))?;
        self.account.network_interfaces.get(id)
    }

    /// A subnet.
    pub fn subnet(&self, id: &str) -> Option<&'a Subnet> {
        self.account.subnets.get(id)
    }

    /// A VPC.
    pub fn vpc(&self, id: &str) -> Option<&'a Vpc> {
        self.account.vpcs.get(id)
    }

    /// The VPC whose CIDR holds `ip`, if any.
    pub fn vpc_holding(&self, ip: Ipv4Addr) -> Option<&'a Vpc> {
        self.account.vpcs.values().find(|v| v.cidr_block.contains_addr(ip))
    }

    /// The subnet whose CIDR holds `ip` in a VPC.
    pub fn subnet_holding(&self, vpc_id: &str, ip: Ipv4Addr) -> Option<&'a Subnet> {
        self.account.subnets.values().find(|s| s.vpc_id == vpc_id && s.cidr_block.contains_addr(ip))
    }

    /// The route table a subnet uses, and whether it is the VPC's main table by default.
    pub fn route_table(&self, subnet_id: &str) -> Option<(&'a RouteTable, bool)> {
        if let Some(t) = self.subnet_table.get(subnet_id).and_then(|id| self.account.route_tables.get(id)) {
            return Some((t, false));
        }
        let vpc = &self.subnet(subnet_id)?.vpc_id;
        self.account.route_tables.values().find(|t| &t.vpc_id == vpc && t.is_main()).map(|t| (t, true))
    }

    /// The network ACL a subnet uses (its association, else the VPC's default ACL).
    pub fn network_acl(&self, subnet_id: &str) -> Option<&'a NetworkAcl> {
        if let Some(a) = self.subnet_acl.get(subnet_id).and_then(|id| self.account.network_acls.get(id)) {
            return Some(a);
        }
        let vpc = &self.subnet(subnet_id)?.vpc_id;
        self.account.network_acls.values().find(|a| &a.vpc_id == vpc && a.is_default)
    }

    /// The Amazon DNS resolver's address in a VPC: the CIDR's base plus two.
    pub fn resolver(&self, vpc_id: &str) -> Option<Ipv4Addr> {
        let v = self.vpc(vpc_id)?;
        Some(Ipv4Addr::from(u32::from(v.cidr_block.network()).wrapping_add(2)))
    }
}
