//! Network ACLs: CreateNetworkAcl, CreateNetworkAclEntry, ReplaceNetworkAclAssociation.

use crate::account::Account;
use crate::cidr::Ipv4Cidr;
use crate::error::Ec2Error;
use crate::ids::prefix;
use crate::model::*;

fn entry(rule_number: u16, action: RuleAction, egress: bool) -> NetworkAclEntry {
    NetworkAclEntry {
        rule_number,
        protocol: "-1".into(),
        rule_action: action,
        egress,
        cidr_block: Some(Ipv4Cidr::any()),
        ipv6_cidr_block: None,
        port_range: None,
        icmp_type_code: None,
        origin: Origin::none(),
    }
}

/// A default ACL's entries: rule 100 allows all, 32767 (`*`) denies, both ways.
// AWS doc: "Default network ACL"
pub(crate) fn default_acl_entries() -> Vec<NetworkAclEntry> {
    vec![
        entry(100, RuleAction::Allow, false),
        entry(IMPLICIT_DENY_RULE, RuleAction::Deny, false),
        entry(100, RuleAction::Allow, true),
        entry(IMPLICIT_DENY_RULE, RuleAction::Deny, true),
    ]
}

/// A new custom ACL's entries: only the 32767 denies, both ways.
// AWS doc: "Custom network ACLs" — a new custom network ACL denies all traffic until you add rules.
pub(crate) fn custom_acl_entries() -> Vec<NetworkAclEntry> {
    vec![entry(IMPLICIT_DENY_RULE, RuleAction::Deny, false), entry(IMPLICIT_DENY_RULE, RuleAction::Deny, true)]
}

impl Account {
    /// CreateNetworkAcl: a custom ACL that denies everything, with no subnets.
    pub fn create_network_acl(&mut self, vpc_id: &str) -> Result<NetworkAcl, Ec2Error> {
        self.vpc(vpc_id)?;
        let id = self.new_id(prefix::NETWORK_ACL);
        let acl = NetworkAcl {
            network_acl_id: id.clone(),
            vpc_id: vpc_id.to_string(),
            is_default: false,
            entries: custom_acl_entries(),
            associations: Vec::new(),
            owner_id: self.account_id.clone(),
            tags: Tags::new(),
        };
        self.network_acls.insert(id, acl.clone());
        Ok(acl)
    }

    /// CreateNetworkAclEntry: rule numbers 1 to 32766, unique per direction.
    pub fn create_network_acl_entry(&mut self, acl_id: &str, mut new: NetworkAclEntry) -> Result<(), Ec2Error> {
        check_acl_entry(&self.network_acl(acl_id)?.entries, &new)?;
        new.protocol = acl_protocol(&new.protocol);
        if let Some(a) = self.network_acls.get_mut(acl_id) {
            a.entries.push(new);
            // Keep them in evaluation order: direction, then rule number.
            a.entries.sort_by_key(|e| (e.egress, e.rule_number));
        }
        Ok(())
    }

    /// ReplaceNetworkAclAssociation: moves the subnet of an association to
    /// another ACL of the same VPC; returns the new `aclassoc-…`.
    pub fn replace_network_acl_association(&mut self, association_id: &str, acl_id: &str) -> Result<String, Ec2Error> {
        let target_vpc = self.network_acl(acl_id)?.vpc_id.clone();
        let (old_acl, subnet_id) = self
            .network_acls
            .values()
            .find_map(|a| {
                a.associations
                    .iter()
                    .find(|s| s.network_acl_association_id == association_id)
                    .map(|s| (a.network_acl_id.clone(), s.subnet_id.clone()))
            })
            .ok_or_else(|| Ec2Error::AssociationNotFound(association_id.to_string()))?;
        if self.subnet(&subnet_id).map(|s| s.vpc_id.clone()).ok() != Some(target_vpc) {
            // Inferred text.
            return Err(Ec2Error::InvalidParameterValue(format!(
                "Network ACL {acl_id} and subnet {subnet_id} belong to different networks"
            )));
        }
        let new_id = self.new_id(prefix::NETWORK_ACL_ASSOCIATION);
        if let Some(a) = self.network_acls.get_mut(&old_acl) {
            a.associations.retain(|s| s.network_acl_association_id != association_id);
        }
        if let Some(a) = self.network_acls.get_mut(acl_id) {
            a.associations.push(NetworkAclAssociation { network_acl_association_id: new_id.clone(), subnet_id });
        }
        Ok(new_id)
    }

    /// The ACL association ID of a subnet (GetAtt NetworkAclAssociationId).
    pub fn network_acl_association_id(&self, subnet_id: &str) -> Result<String, Ec2Error> {
        let acl = self.network_acl_for_subnet(subnet_id)?;
        acl.associations
            .iter()
            .find(|s| s.subnet_id == subnet_id)
            .map(|s| s.network_acl_association_id.clone())
            .ok_or_else(|| Ec2Error::AssociationNotFound(subnet_id.to_string()))
    }
}

/// CreateNetworkAclEntry's check: a rule number from 1 to 32766 that the
/// direction does not use yet.
pub(crate) fn check_acl_entry(entries: &[NetworkAclEntry], new: &NetworkAclEntry) -> Result<(), Ec2Error> {
    if new.rule_number == 0 || new.rule_number >= IMPLICIT_DENY_RULE {
        // Inferred text; the range 1–32766 is documented ("Network ACL rules").
        return Err(Ec2Error::InvalidParameterValue(format!(
            "Value ({}) for parameter ruleNumber is invalid. The rule number must be between 1 and 32766.",
            new.rule_number
        )));
    }
    if entries.iter().any(|e| e.rule_number == new.rule_number && e.egress == new.egress) {
        return Err(Ec2Error::NetworkAclEntryAlreadyExists(new.rule_number));
    }
    Ok(())
}

/// The protocol as the API prints it: numbers (`6`), `-1` for all; names are accepted on input.
pub(crate) fn acl_protocol(given: &str) -> String {
    match given.to_ascii_lowercase().as_str() {
        "tcp" => "6".into(),
        "udp" => "17".into(),
        "icmp" => "1".into(),
        "all" => "-1".into(),
        other => other.to_string(),
    }
}
