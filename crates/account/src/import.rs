//! `tasknet account import <folder>`: an `Account` from the JSON that
//! `aws ec2 describe-vpcs`, `describe-subnets`, `describe-route-tables`,
//! `describe-internet-gateways`, `describe-nat-gateways`,
//! `describe-security-groups`, `describe-network-acls` and
//! `describe-addresses` print.
//!
//! Each file is recognized by its top-level key (`Vpcs`, `Subnets`, …), not
//! its name; one file may hold several. Fields AWS adds over time are
//! ignored. What AWS printed is taken as true: no EC2 creation rule is
//! re-checked, only what the model needs (blocks parse, references resolve).

use crate::account::{Account, AvailabilityZone};
use crate::cidr::Ipv4Cidr;
use crate::defaults::{known_zones, DEFAULT_ACCOUNT_ID, DEFAULT_REGION};
use crate::ec2::groups::canonical_protocol;
use crate::ids;
use crate::model::*;
use serde::Deserialize;
use std::path::{Path, PathBuf};

mod shapes;
use shapes::*;

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The folder or a file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A file is not JSON, or a recognized key does not have AWS's shape.
    #[error("{file}: {message}")]
    Json {
        /// The file.
        file: String,
        /// serde's message (names the field and position).
        message: String,
    },
    /// A value is unusable; `field` is its path, e.g. `Subnets[2].VpcId`.
    #[error("{file}: {field}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// Path of the value.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// No file in the folder had any describe-* key.
    #[error("no describe-* output found (looked for {})", KEYS.join(", "))]
    Nothing,
}

/// The top-level keys recognized, in the order they are applied.
pub const KEYS: [&str; 8] =
    ["Vpcs", "InternetGateways", "Subnets", "Addresses", "NatGateways", "RouteTables", "SecurityGroups", "NetworkAcls"];

/// What an import produced.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The account.
    pub account: Account,
    /// Each file used and the keys found in it.
    pub used: Vec<(String, Vec<&'static str>)>,
    /// Files that had none of the keys (or were not `.json`).
    pub skipped: Vec<String>,
}

/// Imports every `*.json` file of `dir`.
pub fn import_dir(dir: &Path) -> Result<Imported, ImportError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ImportError::Io { path: dir.to_path_buf(), source })?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for e in entries {
        let e = e.map_err(|source| ImportError::Io { path: dir.to_path_buf(), source })?;
        paths.push(e.path());
    }
    paths.sort();
    let mut docs = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("json")) {
            let text = std::fs::read_to_string(&p).map_err(|source| ImportError::Io { path: p.clone(), source })?;
            docs.push((name, text));
        } else {
            skipped.push(name);
        }
    }
    let mut imported = import_documents(&docs)?;
    imported.skipped.extend(skipped);
    imported.skipped.sort();
    Ok(imported)
}

/// Imports named JSON documents (file name, text).
pub fn import_documents(docs: &[(String, String)]) -> Result<Imported, ImportError> {
    let mut all = Documents::default();
    let mut used = Vec::new();
    let mut skipped = Vec::new();
    for (name, text) in docs {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ImportError::Json { file: name.clone(), message: e.to_string() })?;
        let Some(object) = value.as_object() else {
            skipped.push(name.clone());
            continue;
        };
        let found: Vec<&'static str> = KEYS.iter().copied().filter(|k| object.contains_key(*k)).collect();
        if found.is_empty() {
            skipped.push(name.clone());
            continue;
        }
        let doc = Document::deserialize(&value)
            .map_err(|e| ImportError::Json { file: name.clone(), message: e.to_string() })?;
        all.add(name, doc);
        used.push((name.clone(), found));
    }
    if used.is_empty() {
        return Err(ImportError::Nothing);
    }
    let account = all.build()?;
    Ok(Imported { account, used, skipped })
}

/// Every recognized item, with the file it came from.
#[derive(Default)]
struct Documents {
    vpcs: Vec<(String, DVpc)>,
    igws: Vec<(String, DInternetGateway)>,
    subnets: Vec<(String, DSubnet)>,
    addresses: Vec<(String, DAddress)>,
    nats: Vec<(String, DNatGateway)>,
    route_tables: Vec<(String, DRouteTable)>,
    groups: Vec<(String, DSecurityGroup)>,
    acls: Vec<(String, DNetworkAcl)>,
}

fn tagged<T>(file: &str, items: Option<Vec<T>>) -> Vec<(String, T)> {
    items.unwrap_or_default().into_iter().map(|x| (file.to_string(), x)).collect()
}

fn bad(file: &str, field: String, message: impl ToString) -> ImportError {
    ImportError::Invalid { file: file.to_string(), field, message: message.to_string() }
}

fn cidr(file: &str, field: String, text: &str) -> Result<Ipv4Cidr, ImportError> {
    Ipv4Cidr::parse(text).map_err(|e| bad(file, field, e))
}

fn tags(t: &[DTag]) -> Tags {
    t.iter().map(|t| (t.key.clone(), t.value.clone())).collect()
}

impl Documents {
    fn add(&mut self, file: &str, d: Document) {
        self.vpcs.extend(tagged(file, d.vpcs));
        self.igws.extend(tagged(file, d.internet_gateways));
        self.subnets.extend(tagged(file, d.subnets));
        self.addresses.extend(tagged(file, d.addresses));
        self.nats.extend(tagged(file, d.nat_gateways));
        self.route_tables.extend(tagged(file, d.route_tables));
        self.groups.extend(tagged(file, d.security_groups));
        self.acls.extend(tagged(file, d.network_acls));
    }

    /// The account ID and region the documents show.
    fn identity(&self) -> (String, String) {
        let owner = self
            .vpcs
            .iter()
            .find_map(|(_, v)| v.owner_id.clone())
            .or_else(|| self.subnets.iter().find_map(|(_, s)| s.owner_id.clone()));
        let region = self
            .subnets
            .iter()
            .find_map(|(_, s)| s.subnet_arn.as_deref().and_then(|a| a.split(':').nth(3)).map(str::to_string))
            .or_else(|| {
                self.subnets
                    .first()
                    .map(|(_, s)| s.availability_zone.trim_end_matches(|c: char| c.is_ascii_alphabetic()).to_string())
            });
        (
            owner.unwrap_or_else(|| DEFAULT_ACCOUNT_ID.into()),
            region.filter(|r| !r.is_empty()).unwrap_or_else(|| DEFAULT_REGION.into()),
        )
    }

    fn build(self) -> Result<Account, ImportError> {
        let (account_id, region) = self.identity();
        let mut a = Account::empty(&account_id, &region);
        let mut zones = known_zones(&region).unwrap_or_default();
        for (_, s) in &self.subnets {
            if !zones.iter().any(|z| z.zone_name == s.availability_zone) {
                let zone_id = s.availability_zone_id.clone().unwrap_or_default();
                zones.push(AvailabilityZone { zone_name: s.availability_zone.clone(), zone_id });
            }
        }
        zones.sort_by(|x, y| x.zone_name.cmp(&y.zone_name));
        a.availability_zones = zones;

        for (i, (f, v)) in self.vpcs.iter().enumerate() {
            let block = cidr(f, format!("Vpcs[{i}].CidrBlock"), &v.cidr_block)?;
            a.vpcs.insert(
                v.vpc_id.clone(),
                Vpc {
                    vpc_id: v.vpc_id.clone(),
                    cidr_block: block,
                    is_default: v.is_default,
                    state: v.state.clone().unwrap_or_else(|| "available".into()),
                    owner_id: v.owner_id.clone().unwrap_or_else(|| account_id.clone()),
                    // describe-vpcs does not print the DNS attributes; AWS's defaults apply.
                    enable_dns_support: true,
                    enable_dns_hostnames: v.is_default,
                    tags: tags(&v.tags),
                },
            );
        }
        for (_, g) in &self.igws {
            a.internet_gateways.insert(
                g.internet_gateway_id.clone(),
                InternetGateway {
                    internet_gateway_id: g.internet_gateway_id.clone(),
                    attachments: g
                        .attachments
                        .iter()
                        .map(|x| InternetGatewayAttachment { vpc_id: x.vpc_id.clone(), state: x.state.clone() })
                        .collect(),
                    owner_id: g.owner_id.clone().unwrap_or_else(|| account_id.clone()),
                    tags: tags(&g.tags),
                },
            );
        }
        for (i, (f, s)) in self.subnets.iter().enumerate() {
            a.vpc(&s.vpc_id)
                .map_err(|e| bad(f, format!("Subnets[{i}].VpcId"), format!("{e} (import describe-vpcs output too)")))?;
            let block = cidr(f, format!("Subnets[{i}].CidrBlock"), &s.cidr_block)?;
            a.subnets.insert(
                s.subnet_id.clone(),
                Subnet {
                    subnet_id: s.subnet_id.clone(),
                    subnet_arn: s
                        .subnet_arn
                        .clone()
                        .unwrap_or_else(|| ids::subnet_arn(&region, &account_id, &s.subnet_id)),
                    vpc_id: s.vpc_id.clone(),
                    cidr_block: block,
                    availability_zone: s.availability_zone.clone(),
                    availability_zone_id: s.availability_zone_id.clone().or_else(|| a.zone_id(&s.availability_zone)),
                    available_ip_address_count: s.available_ip_address_count.unwrap_or(0),
                    default_for_az: s.default_for_az,
                    map_public_ip_on_launch: s.map_public_ip_on_launch,
                    state: s.state.clone().unwrap_or_else(|| "available".into()),
                    owner_id: s.owner_id.clone().unwrap_or_else(|| account_id.clone()),
                    tags: tags(&s.tags),
                },
            );
        }
        for (i, (f, e)) in self.addresses.iter().enumerate() {
            let Some(alloc) = &e.allocation_id else { continue };
            let ip = e.public_ip.parse().map_err(|_| {
                bad(f, format!("Addresses[{i}].PublicIp"), format!("'{}' is not an IPv4 address", e.public_ip))
            })?;
            a.addresses.insert(
                alloc.clone(),
                Address {
                    allocation_id: alloc.clone(),
                    public_ip: ip,
                    domain: e.domain.clone().unwrap_or_else(|| "vpc".into()),
                    association_id: e.association_id.clone(),
                    network_interface_id: e.network_interface_id.clone(),
                    private_ip_address: e.private_ip_address.as_deref().and_then(|p| p.parse().ok()),
                    instance_id: e.instance_id.clone(),
                    tags: tags(&e.tags),
                },
            );
        }
        for (i, (f, n)) in self.nats.iter().enumerate() {
            self.add_nat(&mut a, i, f, n)?;
        }
        for (i, (f, t)) in self.route_tables.iter().enumerate() {
            add_route_table(&mut a, i, f, t)?;
        }
        for (i, (f, g)) in self.groups.iter().enumerate() {
            add_security_group(&mut a, i, f, g)?;
        }
        for (i, (f, n)) in self.acls.iter().enumerate() {
            add_network_acl(&mut a, i, f, n)?;
        }
        a.ensure_vpc_defaults();
        // Every account can read AWS's public parameters.
        a.add_public_parameters();
        Ok(a)
    }

    fn add_nat(&self, a: &mut Account, i: usize, f: &str, n: &DNatGateway) -> Result<(), ImportError> {
        let subnet = a.subnet(&n.subnet_id).map_err(|e| bad(f, format!("NatGateways[{i}].SubnetId"), e))?.clone();
        let state = match n.state.as_str() {
            "pending" => NatGatewayState::Pending,
            "failed" => NatGatewayState::Failed,
            "deleting" => NatGatewayState::Deleting,
            "deleted" => NatGatewayState::Deleted,
            _ => NatGatewayState::Available,
        };
        let mut addresses = Vec::new();
        for (j, x) in n.nat_gateway_addresses.iter().enumerate() {
            let field = |k: &str| format!("NatGateways[{i}].NatGatewayAddresses[{j}].{k}");
            let private_ip = match &x.private_ip {
                Some(p) => {
                    Some(p.parse().map_err(|_| bad(f, field("PrivateIp"), format!("'{p}' is not an IPv4 address")))?)
                }
                None => None,
            };
            let public_ip = match &x.public_ip {
                Some(p) => {
                    Some(p.parse().map_err(|_| bad(f, field("PublicIp"), format!("'{p}' is not an IPv4 address")))?)
                }
                None => None,
            };
            // The gateway's interface holds its address in the subnet; record it so it is not handed out again.
            if let (Some(eni_id), Some(ip)) = (&x.network_interface_id, private_ip) {
                if !a.network_interfaces.contains_key(eni_id) && state != NatGatewayState::Deleted {
                    let eni = nat_interface(a, eni_id, &subnet, ip, &n.nat_gateway_id, public_ip, x);
                    a.network_interfaces.insert(eni_id.clone(), eni);
                }
            }
            addresses.push(NatGatewayAddress {
                allocation_id: x.allocation_id.clone(),
                network_interface_id: x.network_interface_id.clone(),
                private_ip,
                public_ip,
                association_id: x.association_id.clone(),
            });
        }
        a.nat_gateways.insert(
            n.nat_gateway_id.clone(),
            NatGateway {
                nat_gateway_id: n.nat_gateway_id.clone(),
                subnet_id: n.subnet_id.clone(),
                vpc_id: n.vpc_id.clone().unwrap_or_else(|| subnet.vpc_id.clone()),
                state,
                connectivity_type: n.connectivity_type.clone().unwrap_or_else(|| "public".into()),
                nat_gateway_addresses: addresses,
                failure_code: n.failure_code.clone(),
                failure_message: n.failure_message.clone(),
                tags: tags(&n.tags),
                delete_time: None,
            },
        );
        Ok(())
    }
}

fn nat_interface(
    a: &mut Account,
    eni_id: &str,
    subnet: &Subnet,
    ip: std::net::Ipv4Addr,
    nat_id: &str,
    public_ip: Option<std::net::Ipv4Addr>,
    x: &DNatAddress,
) -> NetworkInterface {
    let mac = ids::mac_address(a.next_words("mac"));
    NetworkInterface {
        network_interface_id: eni_id.to_string(),
        subnet_id: subnet.subnet_id.clone(),
        vpc_id: subnet.vpc_id.clone(),
        availability_zone: subnet.availability_zone.clone(),
        private_ip_address: ip,
        private_dns_name: ids::private_dns_name(ip, &a.region),
        association: public_ip.map(|p| NetworkInterfaceAssociation {
            public_ip: p,
            public_dns_name: ids::public_dns_name(p, &a.region),
            allocation_id: x.allocation_id.clone(),
            association_id: x.association_id.clone(),
            ip_owner_id: a.account_id.clone(),
        }),
        groups: Vec::new(),
        mac_address: mac,
        interface_type: "natGateway".into(),
        // Inferred description text.
        description: format!("Interface for NAT Gateway {nat_id}"),
        status: "in-use".into(),
        requester_managed: true,
        requester_id: None,
        attachment: None,
        source_dest_check: false,
        owner: crate::EniOwner::NatGateway { nat_gateway_id: nat_id.to_string() },
        owner_id: a.account_id.clone(),
        tags: Tags::new(),
    }
}

fn add_route_table(a: &mut Account, i: usize, f: &str, t: &DRouteTable) -> Result<(), ImportError> {
    a.vpc(&t.vpc_id).map_err(|e| bad(f, format!("RouteTables[{i}].VpcId"), e))?;
    let mut routes = Vec::new();
    for (j, r) in t.routes.iter().enumerate() {
        let destination = match &r.destination_cidr_block {
            Some(d) => Some(cidr(f, format!("RouteTables[{i}].Routes[{j}].DestinationCidrBlock"), d)?),
            None => None,
        };
        let target = if r.gateway_id.as_deref() == Some("local") {
            RouteTarget::Local
        } else if let Some(id) = &r.nat_gateway_id {
            RouteTarget::NatGateway(id.clone())
        } else if let Some(id) = &r.instance_id {
            // describe-route-tables prints both InstanceId and NetworkInterfaceId for instance routes.
            RouteTarget::Instance(id.clone())
        } else if let Some(id) = &r.network_interface_id {
            RouteTarget::NetworkInterface(id.clone())
        } else if let Some(id) = &r.vpc_peering_connection_id {
            RouteTarget::VpcPeeringConnection(id.clone())
        } else if let Some(id) = &r.transit_gateway_id {
            RouteTarget::TransitGateway(id.clone())
        } else if let Some(id) = r.gateway_id.as_ref().filter(|g| g.starts_with("igw-")) {
            RouteTarget::InternetGateway(id.clone())
        } else if let Some(id) = r.gateway_id.as_ref().filter(|g| g.starts_with("vpce-")) {
            RouteTarget::VpcEndpoint(id.clone())
        } else if let Some(id) =
            r.gateway_id.clone().or_else(|| r.egress_only_internet_gateway_id.clone()).or_else(|| r.other_target())
        {
            RouteTarget::OtherGateway(id)
        } else {
            return Err(bad(f, format!("RouteTables[{i}].Routes[{j}]"), "the route has no target"));
        };
        routes.push(Route {
            destination_cidr_block: destination,
            destination_ipv6_cidr_block: r.destination_ipv6_cidr_block.clone(),
            destination_prefix_list_id: r.destination_prefix_list_id.clone(),
            target,
            origin: r.origin.clone().unwrap_or_else(|| "CreateRoute".into()),
            state: r.state.clone().unwrap_or_else(|| "active".into()),
            template_origin: Origin::none(),
        });
    }
    let associations = t
        .associations
        .iter()
        // Gateway (edge) associations have neither a subnet nor the main mark; they route nothing here.
        .filter(|x| x.main || x.subnet_id.is_some())
        .map(|x| RouteTableAssociation {
            route_table_association_id: x.route_table_association_id.clone(),
            subnet_id: x.subnet_id.clone(),
            main: x.main,
        })
        .collect();
    a.route_tables.insert(
        t.route_table_id.clone(),
        RouteTable {
            route_table_id: t.route_table_id.clone(),
            vpc_id: t.vpc_id.clone(),
            routes,
            associations,
            owner_id: t.owner_id.clone().unwrap_or_else(|| a.account_id.clone()),
            tags: tags(&t.tags),
        },
    );
    Ok(())
}

fn permissions(f: &str, field: String, perms: &[DIpPermission]) -> Result<Vec<SecurityGroupRule>, ImportError> {
    let mut rules = Vec::new();
    for (j, p) in perms.iter().enumerate() {
        let protocol = canonical_protocol(&p.ip_protocol);
        let (from_port, to_port) = if protocol == "-1" { (None, None) } else { (p.from_port, p.to_port) };
        let rule = |peer: Peer, description: &Option<String>| SecurityGroupRule {
            ip_protocol: protocol.clone(),
            from_port,
            to_port,
            peer,
            description: description.clone(),
            origin: Origin::none(),
        };
        // One IpPermission with several peers is several rules, as the console shows them.
        for (k, r) in p.ip_ranges.iter().enumerate() {
            rules.push(rule(
                Peer::Cidr(cidr(f, format!("{field}[{j}].IpRanges[{k}].CidrIp"), &r.cidr_ip)?),
                &r.description,
            ));
        }
        for r in &p.ipv6_ranges {
            rules.push(rule(Peer::Ipv6Cidr(r.cidr_ipv6.clone()), &r.description));
        }
        for r in &p.user_id_group_pairs {
            rules.push(rule(Peer::SecurityGroup(r.group_id.clone()), &r.description));
        }
        for r in &p.prefix_list_ids {
            rules.push(rule(Peer::PrefixList(r.prefix_list_id.clone()), &r.description));
        }
    }
    Ok(rules)
}

fn add_security_group(a: &mut Account, i: usize, f: &str, g: &DSecurityGroup) -> Result<(), ImportError> {
    let vpc_id = g.vpc_id.clone().ok_or_else(|| {
        bad(f, format!("SecurityGroups[{i}].VpcId"), "EC2-Classic groups (without a VPC) are not supported")
    })?;
    a.vpc(&vpc_id).map_err(|e| bad(f, format!("SecurityGroups[{i}].VpcId"), e))?;
    let group = SecurityGroup {
        group_id: g.group_id.clone(),
        group_name: g.group_name.clone(),
        description: g.description.clone(),
        vpc_id,
        owner_id: g.owner_id.clone().unwrap_or_else(|| a.account_id.clone()),
        ingress: permissions(f, format!("SecurityGroups[{i}].IpPermissions"), &g.ip_permissions)?,
        egress: permissions(f, format!("SecurityGroups[{i}].IpPermissionsEgress"), &g.ip_permissions_egress)?,
        tags: tags(&g.tags),
    };
    a.security_groups.insert(g.group_id.clone(), group);
    Ok(())
}

fn add_network_acl(a: &mut Account, i: usize, f: &str, n: &DNetworkAcl) -> Result<(), ImportError> {
    a.vpc(&n.vpc_id).map_err(|e| bad(f, format!("NetworkAcls[{i}].VpcId"), e))?;
    let mut entries = Vec::new();
    for (j, e) in n.entries.iter().enumerate() {
        let block = match &e.cidr_block {
            Some(c) => Some(cidr(f, format!("NetworkAcls[{i}].Entries[{j}].CidrBlock"), c)?),
            None => None,
        };
        let action = match e.rule_action.as_str() {
            "allow" => RuleAction::Allow,
            "deny" => RuleAction::Deny,
            other => {
                return Err(bad(
                    f,
                    format!("NetworkAcls[{i}].Entries[{j}].RuleAction"),
                    format!("'{other}' is neither allow nor deny"),
                ))
            }
        };
        let rule_number = u16::try_from(e.rule_number)
            .map_err(|_| bad(f, format!("NetworkAcls[{i}].Entries[{j}].RuleNumber"), "out of range"))?;
        entries.push(NetworkAclEntry {
            rule_number,
            protocol: e.protocol.clone(),
            rule_action: action,
            egress: e.egress,
            cidr_block: block,
            ipv6_cidr_block: e.ipv6_cidr_block.clone(),
            port_range: e
                .port_range
                .as_ref()
                .and_then(|p| Some(PortRange { from: u16::try_from(p.from?).ok()?, to: u16::try_from(p.to?).ok()? })),
            icmp_type_code: e.icmp_type_code.as_ref().map(|c| (c.r#type.unwrap_or(-1), c.code.unwrap_or(-1))),
            origin: Origin::none(),
        });
    }
    entries.sort_by_key(|e| (e.egress, e.rule_number));
    a.network_acls.insert(
        n.network_acl_id.clone(),
        NetworkAcl {
            network_acl_id: n.network_acl_id.clone(),
            vpc_id: n.vpc_id.clone(),
            is_default: n.is_default,
            entries,
            associations: n
                .associations
                .iter()
                .map(|x| NetworkAclAssociation {
                    network_acl_association_id: x.network_acl_association_id.clone(),
                    subnet_id: x.subnet_id.clone(),
                })
                .collect(),
            owner_id: n.owner_id.clone().unwrap_or_else(|| a.account_id.clone()),
            tags: tags(&n.tags),
        },
    );
    Ok(())
}
