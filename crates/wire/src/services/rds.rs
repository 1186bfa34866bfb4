//! RDS: DescribeDBInstances and DescribeDBSubnetGroups over the account's
//! records (what CreateDBInstance and CreateDBSubnetGroup, through
//! CloudFormation, made).

use super::{input, pages};
use crate::dispatch::{read, Operation, Read};
use crate::error::WireError;
use account::delete_services::{db_instance_not_found, db_subnet_group_not_found};
use account::{Account, DbInstance, DbSubnetGroup};
use serde_json::{json, Value};

/// RDS's operations.
pub const OPERATIONS: &[Operation] =
    &[read("DescribeDBInstances", describe_db_instances), read("DescribeDBSubnetGroups", describe_db_subnet_groups)];

/// A page by RDS's `Marker` and `MaxRecords` (AWS doc: "DescribeDBInstances":
/// MaxRecords 20..=100, default 100).
fn rds_page<'a, T>(items: &'a [T], input: &Value) -> Result<(&'a [T], Option<String>), WireError> {
    // RDS documents a minimum of 20; a smaller MaxRecords is refused (inferred
    // from the documented constraint; the text is tasknet's).
    if input::int(input, "MaxRecords").is_some_and(|n| n < 20) {
        return Err(WireError::bad("InvalidParameterValue", "MaxRecords must be between 20 and 100."));
    }
    let limits = pages::Limits { default: 100, max: 100 };
    let bad = |m: String| WireError::bad("InvalidParameterValue", m);
    pages::page(items, input::text(input, "Marker"), input::int(input, "MaxRecords"), limits, bad)
}

/// Filters are not evaluated; refused rather than ignored.
fn no_filters(input: &Value) -> Result<(), WireError> {
    match input.get("Filters").and_then(Value::as_array) {
        Some(f) if !f.is_empty() => Err(WireError::bad("InvalidParameterValue", "tasknet does not evaluate Filters.")),
        _ => Ok(()),
    }
}

/// One `DBSubnetGroup`: its subnets with their zones.
fn subnet_group_json(a: &Account, g: &DbSubnetGroup) -> Value {
    let subnets: Vec<Value> = g
        .subnet_ids
        .iter()
        .map(|s| {
            let zone = a.subnets.get(s).map(|x| x.availability_zone.as_str());
            json!({"SubnetIdentifier": s, "SubnetAvailabilityZone": {"Name": zone}, "SubnetStatus": "Active"})
        })
        .collect();
    json!({
        "DBSubnetGroupName": g.db_subnet_group_name,
        "DBSubnetGroupDescription": g.description,
        "VpcId": g.vpc_id,
        "SubnetGroupStatus": "Complete",
        "Subnets": subnets,
        "DBSubnetGroupArn": g.db_subnet_group_arn,
    })
}

/// One `DBInstance`. tasknet's instances are available as soon as they are
/// created (no creating/backing-up phases); its zone is its interface's subnet's.
fn instance_json(a: &Account, d: &DbInstance) -> Value {
    let eni = d.network_interface_id.as_ref().and_then(|id| a.network_interfaces.get(id));
    let zone = eni.and_then(|e| a.subnets.get(&e.subnet_id)).map(|s| s.availability_zone.as_str());
    let group = d.db_subnet_group_name.as_ref().and_then(|g| a.db_subnet_group(g)).map(|g| subnet_group_json(a, g));
    json!({
        "DBInstanceIdentifier": d.db_instance_identifier,
        "DBInstanceClass": d.db_instance_class,
        "Engine": d.engine,
        // RDS answers the master user's name, never the password (AWS doc: "DBInstance").
        "MasterUsername": d.master_username,
        "DBInstanceStatus": "available",
        "Endpoint": {"Address": d.endpoint_address, "Port": d.endpoint_port},
        "VpcSecurityGroups": d.vpc_security_groups.iter()
            .map(|g| json!({"VpcSecurityGroupId": g, "Status": "active"})).collect::<Vec<_>>(),
        "AvailabilityZone": zone,
        "DBSubnetGroup": group,
        "PubliclyAccessible": eni.map(|e| e.association.is_some()),
        "DBInstanceArn": d.db_instance_arn,
    })
}

fn describe_db_instances(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    no_filters(input)?;
    let list: Vec<&DbInstance> = match input::text(input, "DBInstanceIdentifier") {
        Some(id) => vec![r.account.db_instance(id).ok_or_else(|| WireError::from_aws(&db_instance_not_found(id)))?],
        None => r.account.db_instances.values().collect(),
    };
    let (page, marker) = rds_page(&list, input)?;
    let docs: Vec<Value> = page.iter().map(|d| instance_json(r.account, d)).collect();
    Ok(shapes::json::prune(json!({ "DBInstances": docs, "Marker": marker })))
}

fn describe_db_subnet_groups(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    no_filters(input)?;
    let list: Vec<&DbSubnetGroup> = match input::text(input, "DBSubnetGroupName") {
        Some(n) => {
            vec![r.account.db_subnet_group(n).ok_or_else(|| WireError::from_aws(&db_subnet_group_not_found(n)))?]
        }
        None => r.account.db_subnet_groups.values().collect(),
    };
    let (page, marker) = rds_page(&list, input)?;
    let docs: Vec<Value> = page.iter().map(|g| subnet_group_json(r.account, g)).collect();
    Ok(shapes::json::prune(json!({ "DBSubnetGroups": docs, "Marker": marker })))
}
