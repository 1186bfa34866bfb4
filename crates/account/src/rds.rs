//! RDS's network-facing actions: CreateDBSubnetGroup, CreateDBInstance (an
//! ENI in one of the group's subnets carrying the instance's VPC security
//! groups, so the database is a place packets can reach) and
//! ModifyDBInstance. Each is a record (what RDS does once it accepted the
//! request; a plan records refused resources too) and, for API doors, a
//! check in front of it.
//!
//! AWS doc: "CreateDBSubnetGroup", "CreateDBInstance", "ModifyDBInstance"
//! (Amazon RDS API Reference).

use crate::delete_services::{db_instance_not_found, db_subnet_group_not_found};
use crate::{Account, AwsService, CreateNetworkInterface, DbInstance, DbSubnetGroup, Ec2Error, EniOwner, ServiceError};

/// CreateDBSubnetGroup's parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateDbSubnetGroup {
    /// The name (stored lower-case, as RDS does).
    pub name: String,
    /// The description.
    pub description: String,
    /// Its subnets (one VPC).
    pub subnet_ids: Vec<String>,
}

/// CreateDBInstance's network-facing parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateDbInstance {
    /// The identifier (stored lower-case).
    pub identifier: String,
    /// `mysql` (the default), `postgres`, …
    pub engine: Option<String>,
    /// The port (the engine's default when absent).
    pub port: Option<u16>,
    /// The subnet group; the default VPC's default subnets when absent.
    pub db_subnet_group_name: Option<String>,
    /// Its VPC security groups; the VPC's default group when none.
    pub vpc_security_groups: Vec<String>,
    /// `db.t3.micro`, …
    pub db_instance_class: String,
    /// Whether its ENI gets a public IP.
    pub publicly_accessible: bool,
    /// `MasterUsername`.
    pub master_username: Option<String>,
    /// `MasterUserPassword` (kept, never shown).
    pub master_user_password: Option<String>,
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

impl Account {
    /// The refusals CreateDBSubnetGroup gives `req`: each subnet EC2 lacks.
    pub fn check_db_subnet_group(&self, req: &CreateDbSubnetGroup) -> Vec<Ec2Error> {
        req.subnet_ids.iter().filter_map(|s| self.subnet(s).err()).collect()
    }

    /// CreateDBSubnetGroup, recorded.
    pub fn record_db_subnet_group(&mut self, req: &CreateDbSubnetGroup) -> DbSubnetGroup {
        let name = req.name.to_ascii_lowercase();
        let vpc_id =
            req.subnet_ids.iter().find_map(|s| self.subnets.get(s)).map(|s| s.vpc_id.clone()).unwrap_or_default();
        let group = DbSubnetGroup {
            db_subnet_group_arn: self.db_subnet_group_arn(&name),
            db_subnet_group_name: name,
            description: req.description.clone(),
            vpc_id,
            subnet_ids: req.subnet_ids.clone(),
        };
        self.put_db_subnet_group(group.clone());
        group
    }

    /// CreateDBInstance, recorded with its ENI; the error is EC2's when the
    /// ENI could not be made (the instance is recorded without one).
    pub fn record_db_instance(&mut self, req: &CreateDbInstance) -> (DbInstance, Option<Ec2Error>) {
        let identifier = req.identifier.to_ascii_lowercase();
        let engine = req.engine.clone().unwrap_or_else(|| "mysql".into()).to_ascii_lowercase();
        let port = req.port.unwrap_or_else(|| default_port(&engine));
        let group_name = req.db_subnet_group_name.as_ref().map(|n| n.to_ascii_lowercase());
        let subnets = match group_name.as_ref().and_then(|g| self.db_subnet_group(g)) {
            Some(g) => g.subnet_ids.clone(),
            // Without a subnet group RDS uses the default VPC's default subnets.
            None => self.subnets.values().filter(|s| s.default_for_az).map(|s| s.subnet_id.clone()).collect(),
        };
        let mut groups = req.vpc_security_groups.clone();
        let vpc = subnets.iter().find_map(|s| self.subnets.get(s)).map(|s| s.vpc_id.clone()).unwrap_or_default();
        if groups.is_empty() {
            if let Ok(g) = self.default_security_group(&vpc) {
                groups.push(g.group_id.clone());
            }
        }
        let mut eni_id = None;
        let mut failure = None;
        if let Some(subnet) = subnets.first() {
            let mut eni = CreateNetworkInterface::new(subnet);
            eni.groups = groups.clone();
            eni.description = "RDSNetworkInterface".into();
            eni.requester_managed = true;
            eni.requester_id = Some("amazon-rds".into());
            eni.assign_public_ip = req.publicly_accessible;
            eni.owner = EniOwner::DbInstance { db_instance_identifier: identifier.clone() };
            match self.create_network_interface(eni) {
                Ok(eni) => eni_id = Some(eni.network_interface_id),
                Err(e) => failure = Some(e),
            }
        }
        let db = DbInstance {
            endpoint_address: self.db_endpoint_address(&identifier),
            db_instance_arn: self.db_instance_arn(&identifier),
            db_instance_identifier: identifier,
            endpoint_port: port,
            db_subnet_group_name: group_name,
            vpc_security_groups: groups,
            engine,
            db_instance_class: req.db_instance_class.clone(),
            network_interface_id: eni_id,
            master_username: req.master_username.clone(),
            master_user_password: req.master_user_password.clone(),
        };
        self.put_db_instance(db.clone());
        (db, failure)
    }

    /// CreateDBInstance for API doors: the subnet group must exist, the ENI must be made.
    pub fn create_db_instance(&mut self, req: &CreateDbInstance) -> Result<DbInstance, ServiceError> {
        if let Some(g) = &req.db_subnet_group_name {
            if self.db_subnet_group(g).is_none() {
                return Err(db_subnet_group_not_found(g));
            }
        }
        if self.db_instance(&req.identifier).is_some() {
            // Seen in botocore's model: DBInstanceAlreadyExists; the text is inferred.
            return Err(ServiceError::new(AwsService::Rds, "DBInstanceAlreadyExists", "DB instance already exists"));
        }
        match self.record_db_instance(req) {
            (db, None) => Ok(db),
            (db, Some(e)) => {
                // The interface was refused, so the record is all there is to take back.
                self.db_instances.remove(&db.db_instance_identifier);
                // Inferred: RDS reports EC2's refusal under its own code.
                Err(ServiceError::new(AwsService::Rds, "InvalidSubnet", e.to_string()))
            }
        }
    }

    /// ModifyDBInstance of the class, the VPC security groups (which its ENI
    /// carries) and the master user's password.
    pub fn modify_db_instance(
        &mut self,
        identifier: &str,
        db_instance_class: Option<&str>,
        vpc_security_groups: Option<&[String]>,
        master_user_password: Option<&str>,
    ) -> Result<DbInstance, ServiceError> {
        let key = self
            .db_instance(identifier)
            .ok_or_else(|| db_instance_not_found(identifier))?
            .db_instance_identifier
            .clone();
        let d = self.db_instances.get_mut(&key).ok_or_else(|| db_instance_not_found(identifier))?;
        if let Some(class) = db_instance_class {
            d.db_instance_class = class.to_string();
        }
        if let Some(password) = master_user_password {
            d.master_user_password = Some(password.to_string());
        }
        if let Some(groups) = vpc_security_groups {
            d.vpc_security_groups = groups.to_vec();
            let owner = EniOwner::DbInstance { db_instance_identifier: key.clone() };
            for eni in self.network_interfaces.values_mut().filter(|e| e.owner == owner) {
                eni.groups = groups.to_vec();
            }
        }
        self.db_instances.get(&key).cloned().ok_or_else(|| db_instance_not_found(identifier))
    }
}
