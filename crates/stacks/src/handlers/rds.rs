//! RDS DB subnet groups and DB instances: properties mapped to RDS's
//! requests and recorded through the account's RDS actions (which give the
//! instance its ENI); refusals become findings at their property.

use super::kind::{kind, svc, Kind};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{CreateDbInstance, CreateDbSubnetGroup};

/// The CreateDBSubnetGroup request a subnet group's properties make.
pub fn db_subnet_group_request(props: &Props<'_>, name: String) -> CreateDbSubnetGroup {
    CreateDbSubnetGroup {
        name,
        description: props.str("DBSubnetGroupDescription").unwrap_or_default(),
        subnet_ids: props.strs("SubnetIds"),
    }
}

/// AWS::RDS::DBSubnetGroup: Ref is the (lower-case) name.
pub fn db_subnet_group(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name = props.str("DBSubnetGroupName").unwrap_or_else(|| p.generated_name(props.logical_id, 255));
    let req = db_subnet_group_request(props, name);
    for e in p.account.check_db_subnet_group(&req) {
        p.report(super::ec2_error(props, "SubnetIds", &e));
    }
    let group = p.account.record_db_subnet_group(&req);
    Planned::new(group.db_subnet_group_name).detail("Subnets", group.subnet_ids.join(", "))
}

/// The CreateDBInstance request an instance's properties make.
pub fn db_instance_request(props: &Props<'_>, identifier: String) -> CreateDbInstance {
    CreateDbInstance {
        identifier,
        engine: props.str("Engine"),
        port: props.u32("Port").and_then(|x| u16::try_from(x).ok()),
        db_subnet_group_name: props.str("DBSubnetGroupName"),
        vpc_security_groups: props.strs("VPCSecurityGroups"),
        db_instance_class: props.str("DBInstanceClass").unwrap_or_default(),
        publicly_accessible: props.bool("PubliclyAccessible").unwrap_or(false),
        master_username: props.str("MasterUsername"),
        master_user_password: props.str("MasterUserPassword"),
    }
}

/// AWS::RDS::DBInstance: Ref is the instance identifier.
pub fn db_instance(p: &mut Planner, props: &Props<'_>) -> Planned {
    let identifier = props.str("DBInstanceIdentifier").unwrap_or_else(|| p.generated_name(props.logical_id, 63));
    let (db, failure) = p.account.record_db_instance(&db_instance_request(props, identifier));
    if let Some(e) = failure {
        p.report(super::ec2_error(props, "VPCSecurityGroups", &e));
    }
    let private_ip = db
        .network_interface_id
        .as_ref()
        .and_then(|id| p.account.network_interfaces.get(id))
        .map(|e| e.private_ip_address.to_string())
        .unwrap_or_default();
    let (host, port) = (db.endpoint_address.clone(), db.endpoint_port);
    Planned::new(db.db_instance_identifier)
        .attr("Endpoint.Address", host.clone())
        .attr("Endpoint.Port", port.to_string())
        .attr("DBInstanceArn", db.db_instance_arn)
        .attr("DbiResourceId", format!("db-{}", p.account.new_hex("dbi", 26).to_ascii_uppercase()))
        .detail("Endpoint", format!("{host}:{port}"))
        .detail("PrivateIp", private_ip)
}

/// The RDS types' records.
pub(super) const KINDS: &[Kind] = &[
    Kind {
        replacing: &["DBSubnetGroupName"],
        ..kind("AWS::RDS::DBSubnetGroup", db_subnet_group, |a, _, id| {
            if a.db_subnet_group(id).is_some() {
                svc(a.delete_db_subnet_group(id))
            } else {
                Ok(())
            }
        })
    },
    Kind {
        replacing: &["DBSubnetGroupName", "DBInstanceIdentifier", "DBName", "MasterUsername"],
        // ModifyDBInstance of the class, the groups (which its ENI carries) and the password.
        update: Some(|a, scratch, m| match scratch.db_instances.get(m.new_id) {
            Some(new) if a.db_instances.contains_key(m.id) => a
                .modify_db_instance(
                    m.id,
                    Some(&new.db_instance_class),
                    Some(&new.vpc_security_groups),
                    new.master_user_password.as_deref(),
                )
                .map(drop)
                .map_err(|e| e.message),
            _ => Ok(()),
        }),
        ..kind("AWS::RDS::DBInstance", db_instance, |a, _, id| {
            if a.db_instance(id).is_some() {
                svc(a.delete_db_instance(id))
            } else {
                Ok(())
            }
        })
    },
];
