//! RDS DB subnet groups and DB instances. The instance gets an ENI in one of
//! its subnet group's subnets, carrying its VPC security groups, so the
//! database is a place packets can reach.

use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{CreateNetworkInterface, DbInstance, DbSubnetGroup};

/// AWS::RDS::DBSubnetGroup: Ref is the (lower-case) name.
pub fn db_subnet_group(p: &mut Planner, props: &Props<'_>) -> Planned {
    let name =
        props.str("DBSubnetGroupName").unwrap_or_else(|| p.generated_name(props.logical_id, 255)).to_ascii_lowercase();
    let subnets = props.strs("SubnetIds");
    for s in &subnets {
        if let Err(e) = p.account.subnet(s) {
            p.report(super::ec2_error(props, "SubnetIds", &e));
        }
    }
    let vpc = subnets.iter().find_map(|s| p.account.subnets.get(s)).map(|s| s.vpc_id.clone()).unwrap_or_default();
    let arn = p.account.db_subnet_group_arn(&name);
    p.account.put_db_subnet_group(DbSubnetGroup {
        db_subnet_group_name: name.clone(),
        db_subnet_group_arn: arn,
        description: props.str("DBSubnetGroupDescription").unwrap_or_default(),
        vpc_id: vpc,
        subnet_ids: subnets.clone(),
    });
    Planned::new(name).detail("Subnets", subnets.join(", "))
}

/// Default port per engine (AWS doc: "AWS::RDS::DBInstance", Port).
fn default_port(engine: &str) -> u16 {
    match engine {
        e if e.starts_with("postgres") || e.contains("postgresql") => 5432,
        e if e.starts_with("oracle") => 1521,
        e if e.starts_with("sqlserver") => 1433,
        _ => 3306,
    }
}

/// AWS::RDS::DBInstance: Ref is the instance identifier.
pub fn db_instance(p: &mut Planner, props: &Props<'_>) -> Planned {
    let identifier = props
        .str("DBInstanceIdentifier")
        .unwrap_or_else(|| p.generated_name(props.logical_id, 63))
        .to_ascii_lowercase();
    let engine = props.str("Engine").unwrap_or_else(|| "mysql".into()).to_ascii_lowercase();
    let port = props.u32("Port").and_then(|x| u16::try_from(x).ok()).unwrap_or_else(|| default_port(&engine));
    let group_name = props.str("DBSubnetGroupName").map(|n| n.to_ascii_lowercase());
    let subnets =
        group_name.as_ref().and_then(|g| p.account.db_subnet_group(g)).map(|g| g.subnet_ids.clone()).unwrap_or_else(
            || {
                // Without a subnet group RDS uses the default VPC's default subnets.
                p.account.subnets.values().filter(|s| s.default_for_az).map(|s| s.subnet_id.clone()).collect()
            },
        );
    let mut groups = props.strs("VPCSecurityGroups");
    let vpc = subnets.iter().find_map(|s| p.account.subnets.get(s)).map(|s| s.vpc_id.clone()).unwrap_or_default();
    if groups.is_empty() {
        if let Ok(g) = p.account.default_security_group(&vpc) {
            groups.push(g.group_id.clone());
        }
    }
    let mut private_ip = String::new();
    let mut eni_id = None;
    if let Some(subnet) = subnets.first() {
        let mut req = CreateNetworkInterface::new(subnet);
        req.groups = groups.clone();
        req.description = "RDSNetworkInterface".into();
        req.requester_managed = true;
        req.requester_id = Some("amazon-rds".into());
        req.assign_public_ip = props.bool("PubliclyAccessible").unwrap_or(false);
        req.owner = account::EniOwner::DbInstance { db_instance_identifier: identifier.clone() };
        match p.account.create_network_interface(req) {
            Ok(eni) => {
                private_ip = eni.private_ip_address.to_string();
                eni_id = Some(eni.network_interface_id);
            }
            Err(e) => p.report(super::ec2_error(props, "VPCSecurityGroups", &e)),
        }
    }
    let host = p.account.db_endpoint_address(&identifier);
    let arn = p.account.db_instance_arn(&identifier);
    p.account.put_db_instance(DbInstance {
        db_instance_identifier: identifier.clone(),
        db_instance_arn: arn.clone(),
        endpoint_address: host.clone(),
        endpoint_port: port,
        db_subnet_group_name: group_name,
        vpc_security_groups: groups,
        engine: engine.clone(),
        db_instance_class: props.str("DBInstanceClass").unwrap_or_default(),
        network_interface_id: eni_id,
    });
    Planned::new(identifier)
        .attr("Endpoint.Address", host.clone())
        .attr("Endpoint.Port", port.to_string())
        .attr("DBInstanceArn", arn)
        .attr("DbiResourceId", format!("db-{}", p.account.new_hex("dbi", 26).to_ascii_uppercase()))
        .detail("Endpoint", format!("{host}:{port}"))
        .detail("PrivateIp", private_ip)
}
