//! DescribeInstances, one reservation per instance.

use super::group_refs;
use crate::json::{ec2_tags, prune, timestamp};
use crate::Selection;
use account::{Account, Instance, NetworkInterface};
use serde_json::{json, Value};

/// `State.Code` of an instance state name, as EC2 documents them (the high
/// byte is internal and always zero here).
fn state_code(name: &str) -> Option<u16> {
    match name {
        "pending" => Some(0),
        "running" => Some(16),
        "shutting-down" => Some(32),
        "terminated" => Some(48),
        "stopping" => Some(64),
        "stopped" => Some(80),
        _ => None,
    }
}

/// An instance's interface in the `InstanceNetworkInterface` shape. Built on
/// its own rather than cut down from DescribeNetworkInterfaces' document: the
/// shape's members come in another order, and its association and attachment
/// shapes lack members of the interface's (`AllocationId`, `AssociationId`,
/// `InstanceId`, `InstanceOwnerId`), which AWS does not send here.
fn instance_interface_json(account: &Account, eni: &NetworkInterface) -> Value {
    let association = eni.association.as_ref().map(|a| {
        json!({
            "IpOwnerId": a.ip_owner_id,
            "PublicDnsName": a.public_dns_name,
            "PublicIp": a.public_ip.to_string(),
        })
    });
    let attachment = eni.attachment.as_ref().map(|a| {
        json!({
            "AttachmentId": a.attachment_id,
            "DeleteOnTermination": a.delete_on_termination,
            "DeviceIndex": a.device_index,
            "Status": a.status,
            "NetworkCardIndex": 0,
        })
    });
    json!({
        "Association": association,
        "Attachment": attachment,
        "Description": eni.description,
        "Groups": group_refs(account, &eni.groups),
        "Ipv6Addresses": [],
        "MacAddress": eni.mac_address,
        "NetworkInterfaceId": eni.network_interface_id,
        "OwnerId": eni.owner_id,
        "PrivateDnsName": eni.private_dns_name,
        "PrivateIpAddress": eni.private_ip_address.to_string(),
        "PrivateIpAddresses": [{
            "Association": association,
            "Primary": true,
            "PrivateDnsName": eni.private_dns_name,
            "PrivateIpAddress": eni.private_ip_address.to_string(),
        }],
        "SourceDestCheck": eni.source_dest_check,
        "Status": eni.status,
        "SubnetId": eni.subnet_id,
        "VpcId": eni.vpc_id,
        "InterfaceType": eni.interface_type,
    })
}

/// One `Instance` of DescribeInstances. There is no placement group or
/// dedicated tenancy here, so Placement says so.
fn instance_json(account: &Account, i: &Instance) -> Value {
    let interfaces: Vec<&NetworkInterface> =
        i.network_interface_ids.iter().filter_map(|id| account.network_interfaces.get(id)).collect();
    let primary = interfaces.first();
    // The instance's own record first; older stores lack it, and then the
    // primary interface (or the address) says the same.
    let private_dns = if i.private_dns_name.is_empty() {
        primary.map_or_else(
            || account::ids::private_dns_name(i.private_ip_address, &account.region),
            |e| e.private_dns_name.clone(),
        )
    } else {
        i.private_dns_name.clone()
    };
    // EC2 prints an empty PublicDnsName for an instance without a public address.
    let public_dns = match (&i.public_dns_name, primary.and_then(|e| e.association.as_ref()), i.public_ip_address) {
        (Some(name), _, _) => name.clone(),
        (None, Some(a), _) => a.public_dns_name.clone(),
        (None, None, Some(ip)) => account::ids::public_dns_name(ip, &account.region),
        (None, None, None) => String::new(),
    };
    json!({
        "NetworkInterfaces": interfaces.iter().map(|e| instance_interface_json(account, e)).collect::<Vec<_>>(),
        "SecurityGroups": group_refs(account, &i.security_group_ids),
        "SourceDestCheck": primary.map(|e| e.source_dest_check),
        "Tags": ec2_tags(&i.tags),
        "InstanceId": i.instance_id,
        "ImageId": i.image_id,
        "State": {"Code": state_code(i.state.as_str()), "Name": i.state},
        "PrivateDnsName": private_dns,
        "PublicDnsName": public_dns,
        "AmiLaunchIndex": 0,
        "InstanceType": i.instance_type,
        // Zero is a record from before launch times were kept: unknown, left out.
        "LaunchTime": (i.launch_time > 0).then(|| timestamp(i.launch_time)),
        "Placement": {"GroupName": "", "Tenancy": "default", "AvailabilityZone": i.availability_zone},
        "SubnetId": i.subnet_id,
        "VpcId": i.vpc_id,
        "PrivateIpAddress": i.private_ip_address.to_string(),
        "PublicIpAddress": i.public_ip_address.map(|ip| ip.to_string()),
    })
}

/// The instances in view (the stack's, its Auto Scaling groups' too), by VPC and address.
pub fn instances<'a>(sel: &Selection<'a>) -> Vec<&'a Instance> {
    let mut list: Vec<&Instance> =
        sel.account.instances.values().filter(|i| sel.owns_instance(&i.instance_id)).collect();
    list.sort_by_key(|i| (&i.vpc_id, i.private_ip_address));
    list
}

/// DescribeInstances: `{"Reservations": [{"Instances": [one]}, …]}`.
/// Tasknet launches instances one at a time, so each is its own reservation;
/// reservation IDs are not modelled and are left out.
pub fn describe_instances(sel: &Selection) -> Value {
    let account = sel.account;
    let reservations: Vec<Value> = instances(sel)
        .iter()
        .map(|i| json!({"OwnerId": account.account_id, "Groups": [], "Instances": [instance_json(account, i)]}))
        .collect();
    prune(json!({ "Reservations": reservations }))
}

#[cfg(test)]
mod tests;
