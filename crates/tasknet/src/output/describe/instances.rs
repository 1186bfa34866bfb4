//! EC2 instances: `aws ec2 describe-instances`, one reservation per instance.

use super::ec2::{group_refs, interface_json};
use super::json::{ec2_tags, timestamp};
use super::table::{arn_tail, or_none, Table};
use super::{Doc, Scope};
use crate::cli::DescribeFormat;
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

/// Members of a `NetworkInterface` that an instance's `NetworkInterfaces`
/// entries (`InstanceNetworkInterface`) do not have.
const NOT_IN_INSTANCE_INTERFACE: [&str; 4] = ["AvailabilityZone", "RequesterId", "RequesterManaged", "TagSet"];

/// An instance's interface in the `InstanceNetworkInterface` shape.
fn instance_interface_json(account: &Account, eni: &NetworkInterface) -> Value {
    let mut v = interface_json(account, eni);
    if let Value::Object(map) = &mut v {
        for key in NOT_IN_INSTANCE_INTERFACE {
            map.shift_remove(key);
        }
    }
    v
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
        "AmiLaunchIndex": 0,
        "ImageId": i.image_id,
        "InstanceId": i.instance_id,
        "InstanceType": i.instance_type,
        // Zero is a record from before launch times were kept: unknown, left out.
        "LaunchTime": (i.launch_time > 0).then(|| timestamp(i.launch_time)),
        "Placement": {"AvailabilityZone": i.availability_zone, "GroupName": "", "Tenancy": "default"},
        "PrivateDnsName": private_dns,
        "PrivateIpAddress": i.private_ip_address.to_string(),
        "PublicDnsName": public_dns,
        "PublicIpAddress": i.public_ip_address.map(|ip| ip.to_string()),
        "State": {"Code": state_code(i.state.as_str()), "Name": i.state},
        "SubnetId": i.subnet_id,
        "VpcId": i.vpc_id,
        "NetworkInterfaces": interfaces.iter().map(|e| instance_interface_json(account, e)).collect::<Vec<_>>(),
        "SecurityGroups": group_refs(account, &i.security_group_ids),
        "SourceDestCheck": primary.map(|e| e.source_dest_check),
        "Tags": ec2_tags(&i.tags),
    })
}

/// `describe instances`: `{"Reservations": [{"Instances": [one]}, …]}`.
/// Tasknet launches instances one at a time, so each is its own reservation;
/// reservation IDs are not modelled and are left out.
pub fn instances(scope: &Scope, format: DescribeFormat) -> Doc {
    let account = scope.account;
    let mut list: Vec<&Instance> = account.instances.values().filter(|i| scope.owns_instance(&i.instance_id)).collect();
    list.sort_by_key(|i| (&i.vpc_id, i.private_ip_address));
    Doc::of(
        format,
        || {
            let reservations: Vec<Value> = list
                .iter()
                .map(|i| json!({"Groups": [], "Instances": [instance_json(account, i)], "OwnerId": account.account_id}))
                .collect();
            json!({"Reservations": reservations})
        },
        || {
            let mut t = Table::new(&[
                "INSTANCE",
                "TYPE",
                "STATE",
                "AZ",
                "SUBNET",
                "PRIVATE IP",
                "PUBLIC IP",
                "SECURITY GROUPS",
                "ECS CLUSTER",
                "NAME",
            ]);
            for i in &list {
                let cluster = account
                    .container_instances
                    .values()
                    .find(|c| c.ec2_instance_id == i.instance_id)
                    .map(|c| arn_tail(&c.cluster_arn));
                t.row(vec![
                    i.instance_id.clone(),
                    i.instance_type.clone(),
                    i.state.to_string(),
                    i.availability_zone.clone(),
                    i.subnet_id.clone(),
                    i.private_ip_address.to_string(),
                    or_none(i.public_ip_address),
                    i.security_group_ids.join(","),
                    or_none(cluster),
                    or_none(i.tags.get("Name")),
                ]);
            }
            t.render_or("no instances")
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_codes_are_ec2s() {
        assert_eq!(state_code("running"), Some(16));
        assert_eq!(state_code("stopped"), Some(80));
        assert_eq!(state_code("unknown"), None);
    }
}
