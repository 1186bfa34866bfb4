//! The EC2 instances table, with the ECS cluster each one joined.

use super::table::{arn_tail, or_none, Table};
use shapes::Selection;

/// `describe instances`: one line per instance.
pub fn instances(sel: &Selection) -> String {
    let account = sel.account;
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
    for i in shapes::ec2::instances(sel) {
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
}
