//! Deleting security groups, network ACLs and their entries.
//!
//! AWS doc: "Delete a security group" (not the default group; not while an
//! interface uses it or another group's rule names it) and "Delete a
//! network ACL" (not the default ACL; not while subnets use it).

use crate::account::Account;
use crate::error::Ec2Error;
use crate::model::*;

impl Account {
    /// DeleteSecurityGroup: the VPC's default group cannot go; a group an
    /// interface carries, or another group's rule names, is refused with
    /// `resource sg-… has a dependent object` (seen). A group's rules naming
    /// itself do not count.
    pub fn delete_security_group(&mut self, group_id: &str) -> Result<(), Ec2Error> {
        let group = self.security_group(group_id)?;
        if group.group_name == "default" {
            return Err(Ec2Error::CannotDeleteDefaultGroup(group_id.to_string()));
        }
        // No allocation per rule: this scans every rule of the account, once per deleted group.
        let names = |r: &SecurityGroupRule| matches!(&r.peer, Peer::SecurityGroup(g) if g == group_id);
        let referenced = self
            .security_groups
            .values()
            .any(|g| g.group_id != group_id && g.ingress.iter().chain(&g.egress).any(names));
        let in_use = self.network_interfaces.values().any(|n| n.groups.iter().any(|g| g == group_id));
        if referenced || in_use {
            return Err(Ec2Error::DependencyViolation(format!("resource {group_id} has a dependent object")));
        }
        self.security_groups.remove(group_id);
        Ok(())
    }

    /// DeleteNetworkAcl: not the default ACL, not while subnets are associated.
    pub fn delete_network_acl(&mut self, acl_id: &str) -> Result<(), Ec2Error> {
        let acl = self.network_acl(acl_id)?;
        if acl.is_default {
            // Inferred text.
            return Err(Ec2Error::InvalidParameterValue(format!("cannot delete default network ACL {acl_id}")));
        }
        if !acl.associations.is_empty() {
            // Inferred text, the seen `has dependencies` form.
            return Err(Ec2Error::DependencyViolation(format!(
                "The networkAcl '{acl_id}' has dependencies and cannot be deleted."
            )));
        }
        self.network_acls.remove(acl_id);
        Ok(())
    }

    /// DeleteNetworkAclEntry: one numbered entry of one direction; the
    /// implicit final deny (32767) is not a user entry.
    pub fn delete_network_acl_entry(&mut self, acl_id: &str, rule_number: u16, egress: bool) -> Result<(), Ec2Error> {
        let acl = self.network_acl(acl_id)?;
        let found = rule_number != IMPLICIT_DENY_RULE
            && acl.entries.iter().any(|e| e.rule_number == rule_number && e.egress == egress);
        if !found {
            return Err(Ec2Error::NetworkAclEntryNotFound(rule_number));
        }
        if let Some(a) = self.network_acls.get_mut(acl_id) {
            a.entries.retain(|e| !(e.rule_number == rule_number && e.egress == egress));
        }
        Ok(())
    }

    /// Moves a subnet's ACL association back to its VPC's default ACL (what
    /// deleting an `AWS::EC2::SubnetNetworkAclAssociation` does); returns the new association ID.
    pub fn reset_network_acl_association(&mut self, association_id: &str) -> Result<String, Ec2Error> {
        let subnet_id = self
            .network_acls
            .values()
            .find_map(|a| {
                a.associations
                    .iter()
                    .find(|s| s.network_acl_association_id == association_id)
                    .map(|s| s.subnet_id.clone())
            })
            .ok_or_else(|| Ec2Error::AssociationNotFound(association_id.to_string()))?;
        let vpc_id = self.subnet(&subnet_id)?.vpc_id.clone();
        let default_acl = self.default_network_acl(&vpc_id)?.network_acl_id.clone();
        self.replace_network_acl_association(association_id, &default_acl)
    }
}
