//! The account-wide EC2 documents: DescribeAvailabilityZones,
//! DescribeAccountAttributes and DescribeTags.

use crate::Selection;
use account::{Account, Tags};
use serde_json::{json, Value};

/// DescribeAvailabilityZones: the region's zones, all `available`, none
/// needing opt-in (tasknet models only the region's standard zones).
pub fn describe_availability_zones(account: &Account) -> Value {
    let zones: Vec<Value> = account
        .availability_zones
        .iter()
        .map(|z| {
            json!({
                "OptInStatus": "opt-in-not-required",
                "Messages": [],
                "RegionName": account.region,
                "ZoneName": z.zone_name,
                "ZoneId": z.zone_id,
                "GroupName": account.region,
                "NetworkBorderGroup": account.region,
                "ZoneType": "availability-zone",
                "State": "available",
            })
        })
        .collect();
    json!({ "AvailabilityZones": zones })
}

/// DescribeAccountAttributes: the attributes that are facts of the account
/// (`supported-platforms`, VPC only since EC2-Classic's retirement, and
/// `default-vpc`, `none` without one). The quota attributes
/// (`max-instances`, `max-elastic-ips`, …) are left out: tasknet enforces no
/// such quotas, so no number would be true of it.
pub fn describe_account_attributes(account: &Account) -> Value {
    let default_vpc = account.default_vpc().map_or("none", |v| v.vpc_id.as_str());
    let attribute =
        |name: &str, value: &str| json!({"AttributeName": name, "AttributeValues": [{"AttributeValue": value}]});
    json!({"AccountAttributes": [attribute("supported-platforms", "VPC"), attribute("default-vpc", default_vpc)]})
}

/// One resource's tags as `TagDescription`s.
fn tagged(list: &mut Vec<Value>, id: &str, kind: &str, tags: &Tags) {
    for (k, v) in tags {
        list.push(json!({"Key": k, "ResourceId": id, "ResourceType": kind, "Value": v}));
    }
}

/// DescribeTags: every tag of the EC2 resources in view, by resource type
/// (EC2's `ResourceType` names), then resource ID, then key.
pub fn describe_tags(sel: &Selection) -> Value {
    let a = sel.account;
    let mut list = Vec::new();
    let mut add = |id: &str, kind: &str, tags: &Tags| {
        if sel.owns(id) {
            tagged(&mut list, id, kind, tags);
        }
    };
    a.vpcs.values().for_each(|v| add(&v.vpc_id, "vpc", &v.tags));
    a.subnets.values().for_each(|s| add(&s.subnet_id, "subnet", &s.tags));
    a.security_groups.values().for_each(|g| add(&g.group_id, "security-group", &g.tags));
    a.route_tables.values().for_each(|t| add(&t.route_table_id, "route-table", &t.tags));
    a.internet_gateways.values().for_each(|g| add(&g.internet_gateway_id, "internet-gateway", &g.tags));
    a.nat_gateways.values().for_each(|n| add(&n.nat_gateway_id, "natgateway", &n.tags));
    a.addresses.values().for_each(|e| add(&e.allocation_id, "elastic-ip", &e.tags));
    a.network_acls.values().for_each(|n| add(&n.network_acl_id, "network-acl", &n.tags));
    a.network_interfaces.values().for_each(|n| add(&n.network_interface_id, "network-interface", &n.tags));
    a.instances.values().for_each(|i| add(&i.instance_id, "instance", &i.tags));
    a.vpc_endpoints.values().for_each(|e| add(&e.vpc_endpoint_id, "vpc-endpoint", &e.tags));
    list.sort_by(|x, y| {
        let key = |v: &Value| (v["ResourceType"].to_string(), v["ResourceId"].to_string(), v["Key"].to_string());
        key(x).cmp(&key(y))
    });
    json!({ "Tags": list })
}
