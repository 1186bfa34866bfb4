//! The EC2 and Auto Scaling controller (being written).

use crate::clock::Wake;
use account::Account;

/// Does the EC2 work due now; returns when it next has work.
pub fn reconcile(_account: &mut Account) -> Wake {
    None
}

/// How many of the group's instances are InService (what a CreationPolicy counts).
pub fn instances_in_service(account: &Account, group_name: &str) -> u32 {
    account.instances.values().filter(|i| i.state == "running" && i.tags.get("aws:autoscaling:groupName").map(String::as_str) == Some(group_name)).count() as u32
}
