//! `Account` → account file, for `tasknet account show`. Interfaces other
//! than NAT gateways', instances and ECS/ELB/RDS resources are not part of the
//! file and are not printed.

use super::*;
use crate::account::Account;
use crate::model::*;

/// The account as account-file YAML; loading it gives back the same EC2 resources.
pub fn to_yaml(account: &Account) -> Result<String, FileError> {
    serde_saphyr::to_string(&AccountFile::from_account(account)).map_err(|e| FileError::Write(e.to_string()))
}

fn rule(r: &SecurityGroupRule) -> FileRule {
    let mut f = FileRule {
        protocol: r.ip_protocol.clone(),
        from_port: r.from_port,
        to_port: r.to_port,
        description: r.description.clone(),
        ..Default::default()
    };
    match &r.peer {
        Peer::Cidr(c) => f.cidr = Some(c.to_string()),
        Peer::Ipv6Cidr(c) => f.cidr_ipv6 = Some(c.clone()),
        Peer::SecurityGroup(g) => f.group = Some(g.clone()),
        Peer::PrefixList(p) => f.prefix_list = Some(p.clone()),
    }
    f
}

fn route(r: &Route) -> Option<FileRoute> {
    let mut f = FileRoute {
        destination: r.destination_cidr_block.map(|c| c.to_string()),
        destination_ipv6: r.destination_ipv6_cidr_block.clone(),
        destination_prefix_list_id: r.destination_prefix_list_id.clone(),
        ..Default::default()
    };
    match &r.target {
        RouteTarget::Local => return None,
        RouteTarget::InternetGateway(id) | RouteTarget::VpcEndpoint(id) | RouteTarget::OtherGateway(id) => {
            f.gateway_id = Some(id.clone())
        }
        RouteTarget::NatGateway(id) => f.nat_gateway_id = Some(id.clone()),
        RouteTarget::NetworkInterface(id) => f.network_interface_id = Some(id.clone()),
        RouteTarget::Instance(id) => f.instance_id = Some(id.clone()),
        RouteTarget::VpcPeeringConnection(id) => f.vpc_peering_connection_id = Some(id.clone()),
        RouteTarget::TransitGateway(id) => f.transit_gateway_id = Some(id.clone()),
    }
    Some(f)
}

fn nat_state(s: NatGatewayState) -> &'static str {
    match s {
        NatGatewayState::Pending => "pending",
        NatGatewayState::Failed => "failed",
        NatGatewayState::Available => "available",
        NatGatewayState::Deleting => "deleting",
        NatGatewayState::Deleted => "deleted",
    }
}

impl AccountFile {
    /// The file form of an account's EC2 resources, parameters and exports,
    /// everything explicit (so `default_vpc: false`).
    pub fn from_account(a: &Account) -> Self {
        let vpcs = a
            .vpcs
            .values()
            .map(|v| FileVpc {
                id: v.vpc_id.clone(),
                cidr: v.cidr_block.to_string(),
                default: v.is_default,
                enable_dns_hostnames: Some(v.enable_dns_hostnames),
                tags: v.tags.clone(),
            })
            .collect();
        let subnets = a
            .subnets
            .values()
            .map(|s| FileSubnet {
                id: s.subnet_id.clone(),
                vpc: s.vpc_id.clone(),
                cidr: s.cidr_block.to_string(),
                availability_zone: Some(s.availability_zone.clone()),
                map_public_ip_on_launch: Some(s.map_public_ip_on_launch),
                default_for_az: s.default_for_az,
                tags: s.tags.clone(),
            })
            .collect();
        let internet_gateways = a
            .internet_gateways
            .values()
            .map(|g| FileInternetGateway {
                id: g.internet_gateway_id.clone(),
                vpc: g.vpc_id().map(str::to_string),
                tags: g.tags.clone(),
            })
            .collect();
        let elastic_ips = a
            .addresses
            .values()
            .map(|e| FileElasticIp { allocation_id: e.allocation_id.clone(), public_ip: e.public_ip.to_string() })
            .collect();
        let nat_gateways = a
            .nat_gateways
            .values()
            .map(|n| {
                let addr = n.nat_gateway_addresses.first();
                FileNatGateway {
                    id: n.nat_gateway_id.clone(),
                    subnet: n.subnet_id.clone(),
                    connectivity: Some(n.connectivity_type.clone()),
                    allocation_id: addr.and_then(|x| x.allocation_id.clone()),
                    association_id: addr.and_then(|x| x.association_id.clone()),
                    private_ip: addr.and_then(|x| x.private_ip).map(|ip| ip.to_string()),
                    network_interface_id: addr.and_then(|x| x.network_interface_id.clone()),
                    state: Some(nat_state(n.state).to_string()),
                    failure_code: n.failure_code.clone(),
                    failure_message: n.failure_message.clone(),
                    tags: n.tags.clone(),
                }
            })
            .collect();
        let route_tables = a
            .route_tables
            .values()
            .map(|t| {
                let main = t.associations.iter().find(|x| x.main);
                let explicit: Vec<_> = t
                    .associations
                    .iter()
                    .filter_map(|x| x.subnet_id.as_ref().map(|s| (s.clone(), x.route_table_association_id.clone())))
                    .collect();
                FileRouteTable {
                    id: t.route_table_id.clone(),
                    vpc: t.vpc_id.clone(),
                    main: main.is_some(),
                    main_association_id: main.map(|x| x.route_table_association_id.clone()),
                    routes: t.routes.iter().filter_map(route).collect(),
                    subnets: explicit.iter().map(|(s, _)| s.clone()).collect(),
                    association_ids: explicit.into_iter().collect(),
                    tags: t.tags.clone(),
                }
            })
            .collect();
        let security_groups = a
            .security_groups
            .values()
            .map(|g| FileSecurityGroup {
                id: g.group_id.clone(),
                name: g.group_name.clone(),
                description: Some(g.description.clone()),
                vpc: g.vpc_id.clone(),
                ingress: g.ingress.iter().map(rule).collect(),
                egress: Some(g.egress.iter().map(rule).collect()),
                tags: g.tags.clone(),
            })
            .collect();
        let network_acls = a
            .network_acls
            .values()
            .map(|n| FileNetworkAcl {
                id: n.network_acl_id.clone(),
                vpc: n.vpc_id.clone(),
                default: n.is_default,
                entries: n
                    .entries
                    .iter()
                    .filter(|e| e.rule_number != IMPLICIT_DENY_RULE)
                    .filter_map(|e| {
                        Some(FileAclEntry {
                            rule: e.rule_number,
                            protocol: e.protocol.clone(),
                            action: match e.rule_action {
                                RuleAction::Allow => "allow".into(),
                                RuleAction::Deny => "deny".into(),
                            },
                            egress: e.egress,
                            // IPv6 entries have no file form yet.
                            cidr: e.cidr_block?.to_string(),
                            from_port: e.port_range.map(|p| p.from),
                            to_port: e.port_range.map(|p| p.to),
                        })
                    })
                    .collect(),
                subnets: n.associations.iter().map(|x| x.subnet_id.clone()).collect(),
                association_ids: n
                    .associations
                    .iter()
                    .map(|x| (x.subnet_id.clone(), x.network_acl_association_id.clone()))
                    .collect(),
                tags: n.tags.clone(),
            })
            .collect();
        AccountFile {
            account_id: Some(a.account_id.clone()),
            region: Some(a.region.clone()),
            default_vpc: Some(false),
            availability_zones: a
                .availability_zones
                .iter()
                .map(|z| FileZone { name: z.zone_name.clone(), id: z.zone_id.clone() })
                .collect(),
            vpcs,
            subnets,
            internet_gateways,
            elastic_ips,
            nat_gateways,
            route_tables,
            security_groups,
            network_acls,
            ssm_parameters: a
                .ssm_parameters
                .values()
                // AWS's public parameters are in every account; they are not the user's to declare.
                .filter(|p| !p.name.starts_with("/aws/service/"))
                .map(|p| FileSsmParameter {
                    name: p.name.clone(),
                    param_type: Some(p.param_type.clone()),
                    // A SecureString is declared in plain text; the loader encrypts it again.
                    value: a.ssm_parameter_value(&p.name, true).unwrap_or_else(|_| p.value.clone()),
                })
                .collect(),
            secrets: a
                .secrets
                .values()
                .filter(|s| s.deleted_date.is_none())
                .filter_map(|s| match &s.version_with_stage(crate::secrets::AWSCURRENT)?.value {
                    crate::SecretValue::String(text) => Some(FileSecret {
                        name: s.name.clone(),
                        secret_string: text.clone(),
                        description: s.description.clone(),
                    }),
                    // Binary secrets have no place in the file (tasknet's choice).
                    crate::SecretValue::Binary(_) => None,
                })
                .collect(),
            exports: a
                .exports
                .values()
                .map(|e| FileExport {
                    name: e.name.clone(),
                    value: e.value.clone(),
                    stack: e.exporting_stack_name.clone(),
                    stack_id: Some(e.exporting_stack_id.clone()),
                })
                .collect(),
            access_keys: a
                .access_keys
                .values()
                .map(|k| FileAccessKey {
                    id: k.access_key_id.clone(),
                    secret: k.secret_access_key.clone(),
                    user: k.user_name.clone(),
                })
                .collect(),
        }
    }
}
