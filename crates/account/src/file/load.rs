//! Account file → `Account`, with the records' IDs as given: each resource
//! passes the same check its EC2 action applies (blocks, names, route
//! targets, rule repeats, entry numbers), and the error names the field.

use super::*;
use crate::account::{Account, AvailabilityZone};
use crate::cidr::Ipv4Cidr;
use crate::defaults::{known_zones, DEFAULT_ACCOUNT_ID, DEFAULT_REGION};
use crate::ec2::acl::{acl_protocol, check_acl_entry};
use crate::ec2::groups::{canonical_protocol, first_duplicate, normalize};
use crate::ec2::vpc::check_vpc_block;
use crate::error::Ec2Error;
use crate::ids::{self, prefix};
use crate::model::*;
use std::net::Ipv4Addr;

fn bad(field: impl Into<String>, message: impl ToString) -> FileError {
    FileError::Invalid { field: field.into(), message: message.to_string() }
}

/// Reads an account file. Empty text is an account with only the default VPC.
pub fn load(text: &str) -> Result<Account, FileError> {
    let file: AccountFile = if text.trim().is_empty() {
        AccountFile::default()
    } else {
        serde_saphyr::from_str(text).map_err(|e| FileError::Yaml(e.to_string()))?
    };
    file.into_account()
}

fn check_id(field: String, kind: &str, id: &str, account: &Account) -> Result<(), FileError> {
    if !ids::is_ec2_id(kind, id) {
        return Err(bad(
            field,
            format!("'{id}' is not a {kind} ID ({kind}- followed by 8 or 17 lowercase hex digits)"),
        ));
    }
    if account.id_in_use(id) {
        return Err(bad(field, format!("'{id}' is declared twice")));
    }
    Ok(())
}

impl AccountFile {
    /// Builds the account the file describes.
    pub fn into_account(&self) -> Result<Account, FileError> {
        let account_id = self.account_id.clone().unwrap_or_else(|| DEFAULT_ACCOUNT_ID.to_string());
        if account_id.len() != 12 || !account_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("account_id", format!("'{account_id}' is not a 12-digit account ID")));
        }
        let region = self.region.clone().unwrap_or_else(|| DEFAULT_REGION.to_string());
        let zones: Vec<AvailabilityZone> = if self.availability_zones.is_empty() {
            known_zones(&region).unwrap_or_default()
        } else {
            self.availability_zones
                .iter()
                .map(|z| AvailabilityZone { zone_name: z.name.clone(), zone_id: z.id.clone() })
                .collect()
        };
        let want_default = self.default_vpc.unwrap_or(!self.vpcs.iter().any(|v| v.default));
        let mut a = if want_default {
            Account::with_default_vpc(&account_id, &region, zones).map_err(|e| bad("default_vpc", e))?
        } else {
            let mut a = Account::empty(&account_id, &region);
            a.availability_zones = zones;
            a
        };
        // Every account can read AWS's public parameters, whatever the file says.
        a.add_public_parameters();
        self.load_vpcs(&mut a)?;
        self.load_internet_gateways(&mut a)?;
        self.load_subnets(&mut a)?;
        self.load_elastic_ips(&mut a)?;
        self.load_nat_gateways(&mut a)?;
        self.load_route_tables(&mut a)?;
        self.load_security_groups(&mut a)?;
        self.load_network_acls(&mut a)?;
        a.ensure_vpc_defaults();
        for (i, p) in self.ssm_parameters.iter().enumerate() {
            let t = p.param_type.as_deref().unwrap_or("String");
            if !matches!(t, "String" | "StringList" | "SecureString") {
                return Err(bad(
                    format!("ssm_parameters[{i}].type"),
                    format!("'{t}' is not String, StringList or SecureString"),
                ));
            }
            // A SecureString is stored as SSM stores it: encrypted with alias/aws/ssm.
            match t {
                "SecureString" => {
                    a.put_parameter(&p.name, Some(t), &p.value, true, None)
                        .map_err(|e| bad(format!("ssm_parameters[{i}]"), e.message))?;
                }
                _ => {
                    a.put_ssm_parameter(&p.name, t, &p.value);
                }
            }
        }
        for (i, s) in self.secrets.iter().enumerate() {
            let req = crate::CreateSecret {
                name: s.name.clone(),
                description: s.description.clone(),
                value: Some(crate::SecretValue::String(s.secret_string.clone())),
                ..crate::CreateSecret::default()
            };
            a.create_secret(&req).map_err(|e| bad(format!("secrets[{i}]"), e.message))?;
        }
        for (i, k) in self.access_keys.iter().enumerate() {
            // IAM's access key IDs are 16 to 128 characters ("AccessKey", IAM API reference);
            // local tools send anything, so only emptiness and repeats are refused.
            if k.id.is_empty() || k.secret.is_empty() {
                return Err(bad(format!("access_keys[{i}]"), "an access key needs an id and a secret".to_string()));
            }
            if a.access_keys.contains_key(&k.id) {
                return Err(bad(format!("access_keys[{i}].id"), format!("the access key {} is declared twice", k.id)));
            }
            let key = crate::AccessKey {
                access_key_id: k.id.clone(),
                secret_access_key: k.secret.clone(),
                user_name: k.user.clone(),
            };
            a.access_keys.insert(k.id.clone(), key);
        }
        for (i, e) in self.exports.iter().enumerate() {
            if a.exports.contains_key(&e.name) {
                return Err(bad(
                    format!("exports[{i}].name"),
                    format!(
                        "Export with name {} is already exported by stack {}",
                        e.name, a.exports[&e.name].exporting_stack_name
                    ),
                ));
            }
            let stack_id = match &e.stack_id {
                Some(id) => id.clone(),
                None => {
                    let uuid = ids::uuid(a.next_words("stack"));
                    format!("arn:aws:cloudformation:{}:{}:stack/{}/{uuid}", a.region, a.account_id, e.stack)
                }
            };
            a.put_export(Export {
                name: e.name.clone(),
                value: e.value.clone(),
                exporting_stack_id: stack_id,
                exporting_stack_name: e.stack.clone(),
            });
        }
        Ok(a)
    }

    fn load_vpcs(&self, a: &mut Account) -> Result<(), FileError> {
        for (i, v) in self.vpcs.iter().enumerate() {
            check_id(format!("vpcs[{i}].id"), prefix::VPC, &v.id, a)?;
            let cidr = check_vpc_block(&v.cidr).map_err(|e| bad(format!("vpcs[{i}].cidr"), e))?;
            if v.default && a.default_vpc().is_some() {
                return Err(bad(format!("vpcs[{i}].default"), "an account has one default VPC per region"));
            }
            a.vpcs.insert(
                v.id.clone(),
                Vpc {
                    vpc_id: v.id.clone(),
                    cidr_block: cidr,
                    is_default: v.default,
                    state: "available".into(),
                    owner_id: a.account_id.clone(),
                    enable_dns_support: true,
                    enable_dns_hostnames: v.enable_dns_hostnames.unwrap_or(v.default),
                    tags: v.tags.clone(),
                },
            );
        }
        Ok(())
    }

    fn load_internet_gateways(&self, a: &mut Account) -> Result<(), FileError> {
        for (i, g) in self.internet_gateways.iter().enumerate() {
            check_id(format!("internet_gateways[{i}].id"), prefix::INTERNET_GATEWAY, &g.id, a)?;
            let mut attachments = Vec::new();
            if let Some(vpc) = &g.vpc {
                a.vpc(vpc).map_err(|e| bad(format!("internet_gateways[{i}].vpc"), e))?;
                if let Some(other) = a.internet_gateway_for_vpc(vpc) {
                    return Err(bad(
                        format!("internet_gateways[{i}].vpc"),
                        format!("{vpc} already has internet gateway {}", other.internet_gateway_id),
                    ));
                }
                attachments.push(InternetGatewayAttachment { vpc_id: vpc.clone(), state: "available".into() });
            }
            a.internet_gateways.insert(
                g.id.clone(),
                InternetGateway {
                    internet_gateway_id: g.id.clone(),
                    attachments,
                    owner_id: a.account_id.clone(),
                    tags: g.tags.clone(),
                },
            );
        }
        Ok(())
    }

    fn load_subnets(&self, a: &mut Account) -> Result<(), FileError> {
        for (i, s) in self.subnets.iter().enumerate() {
            let f = |k: &str| format!("subnets[{i}].{k}");
            check_id(f("id"), prefix::SUBNET, &s.id, a)?;
            a.vpc(&s.vpc).map_err(|e| bad(f("vpc"), e))?;
            // CreateSubnet's own checks, so a file and the API refuse the same blocks.
            let cidr = a.check_subnet_block(&s.vpc, &s.cidr).map_err(|e| bad(f("cidr"), e))?;
            let zone = match &s.availability_zone {
                Some(z) if !a.availability_zones.is_empty() && a.zone_id(z).is_none() => {
                    return Err(bad(
                        f("availability_zone"),
                        format!("'{z}' is not a zone of {} (known: {})", a.region, a.zone_names().join(", ")),
                    ));
                }
                Some(z) => z.clone(),
                None => a.zone_names().first().cloned().unwrap_or_else(|| format!("{}a", a.region)),
            };
            a.subnets.insert(
                s.id.clone(),
                Subnet {
                    subnet_id: s.id.clone(),
                    subnet_arn: ids::subnet_arn(&a.region, &a.account_id, &s.id),
                    vpc_id: s.vpc.clone(),
                    cidr_block: cidr,
                    availability_zone_id: a.zone_id(&zone),
                    availability_zone: zone,
                    available_ip_address_count: 0,
                    default_for_az: s.default_for_az,
                    map_public_ip_on_launch: s.map_public_ip_on_launch.unwrap_or(s.default_for_az),
                    state: "available".into(),
                    owner_id: a.account_id.clone(),
                    tags: s.tags.clone(),
                },
            );
            a.refresh_available_count(&s.id);
        }
        Ok(())
    }

    fn load_elastic_ips(&self, a: &mut Account) -> Result<(), FileError> {
        for (i, e) in self.elastic_ips.iter().enumerate() {
            check_id(format!("elastic_ips[{i}].allocation_id"), prefix::EIP_ALLOCATION, &e.allocation_id, a)?;
            let ip: Ipv4Addr = e.public_ip.parse().map_err(|_| {
                bad(format!("elastic_ips[{i}].public_ip"), format!("'{}' is not an IPv4 address", e.public_ip))
            })?;
            a.addresses.insert(
                e.allocation_id.clone(),
                Address {
                    allocation_id: e.allocation_id.clone(),
                    public_ip: ip,
                    domain: "vpc".into(),
                    association_id: None,
                    network_interface_id: None,
                    private_ip_address: None,
                    instance_id: None,
                    tags: Tags::new(),
                },
            );
        }
        Ok(())
    }

    fn load_nat_gateways(&self, a: &mut Account) -> Result<(), FileError> {
        for (i, n) in self.nat_gateways.iter().enumerate() {
            let f = |k: &str| format!("nat_gateways[{i}].{k}");
            check_id(f("id"), prefix::NAT_GATEWAY, &n.id, a)?;
            let subnet = a.subnet(&n.subnet).map_err(|e| bad(f("subnet"), e))?.clone();
            let state = match n.state.as_deref().unwrap_or("available") {
                "available" => NatGatewayState::Available,
                "pending" => NatGatewayState::Pending,
                "failed" => NatGatewayState::Failed,
                "deleting" => NatGatewayState::Deleting,
                "deleted" => NatGatewayState::Deleted,
                other => {
                    return Err(bad(
                        f("state"),
                        format!("'{other}' is not a NAT gateway state (pending, failed, available, deleting, deleted)"),
                    ))
                }
            };
            let connectivity = n.connectivity.clone().unwrap_or_else(|| "public".into());
            if connectivity != "public" && connectivity != "private" {
                return Err(bad(f("connectivity"), format!("'{connectivity}' is neither public nor private")));
            }
            if let Some(alloc) = &n.allocation_id {
                a.address(alloc).map_err(|e| bad(f("allocation_id"), e))?;
            }
            let holds_address = !matches!(state, NatGatewayState::Failed | NatGatewayState::Deleted);
            let entry = if holds_address {
                self.nat_interface(a, i, n, &subnet)?
            } else {
                NatGatewayAddress {
                    allocation_id: n.allocation_id.clone(),
                    network_interface_id: None,
                    private_ip: None,
                    public_ip: None,
                    association_id: None,
                }
            };
            a.nat_gateways.insert(
                n.id.clone(),
                NatGateway {
                    nat_gateway_id: n.id.clone(),
                    subnet_id: subnet.subnet_id.clone(),
                    vpc_id: subnet.vpc_id.clone(),
                    state,
                    connectivity_type: connectivity,
                    nat_gateway_addresses: vec![entry],
                    failure_code: n.failure_code.clone(),
                    failure_message: n.failure_message.clone(),
                    tags: n.tags.clone(),
                    delete_time: None,
                },
            );
        }
        Ok(())
    }

    /// The interface (and Elastic IP association) of a working NAT gateway.
    fn nat_interface(
        &self,
        a: &mut Account,
        i: usize,
        n: &FileNatGateway,
        subnet: &Subnet,
    ) -> Result<NatGatewayAddress, FileError> {
        let f = |k: &str| format!("nat_gateways[{i}].{k}");
        if let Some(alloc) = &n.allocation_id {
            if a.address(alloc).map_err(|e| bad(f("allocation_id"), e))?.association_id.is_some() {
                return Err(bad(f("allocation_id"), Ec2Error::already_associated_text(alloc)));
            }
        }
        let mut req = crate::ec2::CreateNetworkInterface::new(&subnet.subnet_id);
        req.interface_type = "natGateway".into();
        // Inferred description text.
        req.description = format!("Interface for NAT Gateway {}", n.id);
        req.requester_managed = true;
        req.no_groups = true;
        req.owner = crate::EniOwner::NatGateway { nat_gateway_id: n.id.clone() };
        if let Some(ip) = &n.private_ip {
            req.private_ip_address =
                Some(ip.parse().map_err(|_| bad(f("private_ip"), format!("'{ip}' is not an IPv4 address")))?);
        }
        let eni = a.create_network_interface(req).map_err(|e| bad(f("private_ip"), e))?;
        let mut eni_id = eni.network_interface_id.clone();
        if let Some(wanted) = &n.network_interface_id {
            a.network_interfaces.remove(&eni_id);
            check_id(f("network_interface_id"), prefix::NETWORK_INTERFACE, wanted, a)?;
            let mut renamed = eni.clone();
            renamed.network_interface_id = wanted.clone();
            a.network_interfaces.insert(wanted.clone(), renamed);
            eni_id = wanted.clone();
        }
        let mut entry = NatGatewayAddress {
            allocation_id: None,
            network_interface_id: Some(eni_id.clone()),
            private_ip: Some(eni.private_ip_address),
            public_ip: None,
            association_id: None,
        };
        if let Some(alloc) = &n.allocation_id {
            let assoc = a
                .associate_address_as(alloc, &eni_id, n.association_id.as_deref())
                .map_err(|e| bad(f("allocation_id"), e))?;
            entry.allocation_id = Some(alloc.clone());
            entry.association_id = Some(assoc);
            entry.public_ip = a.addresses.get(alloc).map(|x| x.public_ip);
        }
        Ok(entry)
    }

    fn load_route_tables(&self, a: &mut Account) -> Result<(), FileError> {
        for (i, t) in self.route_tables.iter().enumerate() {
            let f = |k: &str| format!("route_tables[{i}].{k}");
            check_id(f("id"), prefix::ROUTE_TABLE, &t.id, a)?;
            let vpc = a.vpc(&t.vpc).map_err(|e| bad(f("vpc"), e))?.clone();
            if t.main && a.route_tables.values().any(|o| o.vpc_id == t.vpc && o.is_main()) {
                return Err(bad(f("main"), format!("{} already has a main route table", t.vpc)));
            }
            let mut table = a.new_route_table_value(&t.vpc, &t.id, vpc.cidr_block);
            table.tags = t.tags.clone();
            for (j, r) in t.routes.iter().enumerate() {
                let rf = |k: &str| format!("route_tables[{i}].routes[{j}].{k}");
                let given =
                    [r.destination.is_some(), r.destination_ipv6.is_some(), r.destination_prefix_list_id.is_some()];
                if given.iter().filter(|x| **x).count() != 1 {
                    return Err(bad(
                        format!("route_tables[{i}].routes[{j}]"),
                        "give exactly one of destination, destination_ipv6, destination_prefix_list_id",
                    ));
                }
                let dest = match &r.destination {
                    Some(d) => Some(Ipv4Cidr::parse(d).map_err(|e| bad(rf("destination"), e))?),
                    None => None,
                };
                let target = route_target(r).map_err(|m| bad(format!("route_tables[{i}].routes[{j}]"), m))?;
                if target == RouteTarget::Local {
                    continue;
                }
                let same = |x: &Route| match dest {
                    Some(d) => x.destination_cidr_block == Some(d),
                    None => {
                        x.destination_cidr_block.is_none()
                            && x.destination_ipv6_cidr_block == r.destination_ipv6
                            && x.destination_prefix_list_id == r.destination_prefix_list_id
                    }
                };
                if table.routes.iter().any(same) {
                    let shown = r
                        .destination
                        .clone()
                        .or_else(|| r.destination_ipv6.clone())
                        .or_else(|| r.destination_prefix_list_id.clone())
                        .unwrap_or_default();
                    return Err(bad(rf("destination"), Ec2Error::RouteAlreadyExists(shown)));
                }
                // CreateRoute's target check, for the targets a file declares (gateways);
                // the others (interfaces, peerings) are outside the file and taken as given.
                let field = match &target {
                    RouteTarget::InternetGateway(_) => Some("gateway_id"),
                    RouteTarget::NatGateway(_) => Some("nat_gateway_id"),
                    _ => None,
                };
                if let Some(field) = field {
                    a.check_route_target(&t.id, &t.vpc, &target).map_err(|e| match e {
                        Ec2Error::InvalidParameterValue(_) => bad(format!("route_tables[{i}].routes[{j}]"), e),
                        e => bad(rf(field), e),
                    })?;
                }
                table.routes.push(Route {
                    destination_cidr_block: dest,
                    destination_ipv6_cidr_block: r.destination_ipv6.clone(),
                    destination_prefix_list_id: r.destination_prefix_list_id.clone(),
                    target,
                    origin: "CreateRoute".into(),
                    state: "active".into(),
                    template_origin: Origin::none(),
                });
            }
            if t.main {
                let id = match &t.main_association_id {
                    Some(id) => id.clone(),
                    None => a.new_id(prefix::ROUTE_TABLE_ASSOCIATION),
                };
                table.associations.push(RouteTableAssociation {
                    route_table_association_id: id,
                    subnet_id: None,
                    main: true,
                });
            }
            for (j, s) in t.subnets.iter().enumerate() {
                let sf = format!("route_tables[{i}].subnets[{j}]");
                if a.subnet(s).map_err(|e| bad(sf.clone(), e))?.vpc_id != t.vpc {
                    return Err(bad(sf, format!("Route table {} and subnet {s} belong to different networks", t.id)));
                }
                let taken = a
                    .route_tables
                    .values()
                    .chain(std::iter::once(&table))
                    .any(|o| o.associations.iter().any(|x| x.subnet_id.as_deref() == Some(s)));
                if taken {
                    return Err(bad(sf, format!("subnet {s} is associated with more than one route table")));
                }
                let id = match t.association_ids.get(s) {
                    Some(id) => id.clone(),
                    None => a.new_id(prefix::ROUTE_TABLE_ASSOCIATION),
                };
                table.associations.push(RouteTableAssociation {
                    route_table_association_id: id,
                    subnet_id: Some(s.clone()),
                    main: false,
                });
            }
            a.route_tables.insert(t.id.clone(), table);
        }
        Ok(())
    }

    fn load_security_groups(&self, a: &mut Account) -> Result<(), FileError> {
        // Groups first, rules second: a rule may name a group declared after it.
        for (i, g) in self.security_groups.iter().enumerate() {
            check_id(format!("security_groups[{i}].id"), prefix::SECURITY_GROUP, &g.id, a)?;
            a.vpc(&g.vpc).map_err(|e| bad(format!("security_groups[{i}].vpc"), e))?;
            a.check_new_group(&g.vpc, &g.name).map_err(|e| bad(format!("security_groups[{i}].name"), e))?;
            a.security_groups.insert(
                g.id.clone(),
                SecurityGroup {
                    group_id: g.id.clone(),
                    group_name: g.name.clone(),
                    description: g.description.clone().unwrap_or_else(|| g.name.clone()),
                    vpc_id: g.vpc.clone(),
                    owner_id: a.account_id.clone(),
                    ingress: Vec::new(),
                    egress: Vec::new(),
                    tags: g.tags.clone(),
                },
            );
        }
        for (i, g) in self.security_groups.iter().enumerate() {
            let ingress = self.rules(a, &g.ingress, &format!("security_groups[{i}].ingress"))?;
            let egress = match &g.egress {
                None => vec![SecurityGroupRule::all_to_cidr(Ipv4Cidr::any())],
                Some(rules) => self.rules(a, rules, &format!("security_groups[{i}].egress"))?,
            };
            if let Some(sg) = a.security_groups.get_mut(&g.id) {
                sg.ingress = ingress;
                sg.egress = egress;
            }
        }
        Ok(())
    }

    fn rules(&self, a: &Account, rules: &[FileRule], field: &str) -> Result<Vec<SecurityGroupRule>, FileError> {
        let mut out: Vec<SecurityGroupRule> = Vec::new();
        for (j, r) in rules.iter().enumerate() {
            let f = format!("{field}[{j}]");
            let peers = [r.cidr.is_some(), r.cidr_ipv6.is_some(), r.group.is_some(), r.prefix_list.is_some()]
                .iter()
                .filter(|x| **x)
                .count();
            if peers != 1 {
                return Err(bad(f, "give exactly one of cidr, cidr_ipv6, group, prefix_list"));
            }
            let peer = if let Some(c) = &r.cidr {
                Peer::Cidr(Ipv4Cidr::parse(c).map_err(|e| bad(format!("{f}.cidr"), e))?)
            } else if let Some(g) = &r.group {
                a.security_group(g).map_err(|e| bad(format!("{f}.group"), e))?;
                Peer::SecurityGroup(g.clone())
            } else if let Some(p) = &r.prefix_list {
                Peer::PrefixList(p.clone())
            } else {
                Peer::Ipv6Cidr(r.cidr_ipv6.clone().unwrap_or_default())
            };
            out.push(normalize(&SecurityGroupRule {
                ip_protocol: r.protocol.clone(),
                from_port: r.from_port,
                to_port: r.to_port,
                peer,
                description: r.description.clone(),
                origin: Origin::none(),
            }));
        }
        // Authorize's own check, so a file and the API refuse the same repeats.
        if let Some((j, e)) = first_duplicate(&[], &out) {
            return Err(bad(format!("{field}[{j}]"), e));
        }
        Ok(out)
    }

    fn load_network_acls(&self, a: &mut Account) -> Result<(), FileError> {
        for (i, n) in self.network_acls.iter().enumerate() {
            let f = |k: &str| format!("network_acls[{i}].{k}");
            check_id(f("id"), prefix::NETWORK_ACL, &n.id, a)?;
            a.vpc(&n.vpc).map_err(|e| bad(f("vpc"), e))?;
            if n.default && a.network_acls.values().any(|o| o.vpc_id == n.vpc && o.is_default) {
                return Err(bad(f("default"), format!("{} already has a default network ACL", n.vpc)));
            }
            let mut entries: Vec<NetworkAclEntry> = Vec::new();
            for (j, e) in n.entries.iter().enumerate() {
                let ef = |k: &str| format!("network_acls[{i}].entries[{j}].{k}");
                if e.rule == IMPLICIT_DENY_RULE {
                    continue; // the implicit deny, listed as AWS describes it
                }

                let action = match e.action.to_ascii_lowercase().as_str() {
                    "allow" => RuleAction::Allow,
                    "deny" => RuleAction::Deny,
                    other => return Err(bad(ef("action"), format!("'{other}' is neither allow nor deny"))),
                };
                let port_range = match (e.from_port, e.to_port) {
                    (Some(from), Some(to)) => Some(PortRange { from, to }),
                    (Some(p), None) | (None, Some(p)) => Some(PortRange { from: p, to: p }),
                    (None, None) => None,
                };
                let entry = NetworkAclEntry {
                    rule_number: e.rule,
                    protocol: acl_protocol(&canonical_protocol(&e.protocol)),
                    rule_action: action,
                    egress: e.egress,
                    cidr_block: Some(Ipv4Cidr::parse(&e.cidr).map_err(|x| bad(ef("cidr"), x))?),
                    ipv6_cidr_block: None,
                    port_range,
                    icmp_type_code: None,
                    origin: Origin::none(),
                };
                // CreateNetworkAclEntry's own check (number range, repeats).
                check_acl_entry(&entries, &entry).map_err(|x| bad(ef("rule"), x))?;
                entries.push(entry);
            }
            entries.extend(crate::ec2::acl::custom_acl_entries());
            entries.sort_by_key(|e| (e.egress, e.rule_number));
            let mut acl = NetworkAcl {
                network_acl_id: n.id.clone(),
                vpc_id: n.vpc.clone(),
                is_default: n.default,
                entries,
                associations: Vec::new(),
                owner_id: a.account_id.clone(),
                tags: n.tags.clone(),
            };
            for (j, s) in n.subnets.iter().enumerate() {
                let sf = format!("network_acls[{i}].subnets[{j}]");
                if a.subnet(s).map_err(|e| bad(sf.clone(), e))?.vpc_id != n.vpc {
                    return Err(bad(sf, format!("Network ACL {} and subnet {s} belong to different networks", n.id)));
                }
                if a.network_acls
                    .values()
                    .chain(std::iter::once(&acl))
                    .any(|o| o.associations.iter().any(|x| &x.subnet_id == s))
                {
                    return Err(bad(sf, format!("subnet {s} is associated with more than one network ACL")));
                }
                let id = match n.association_ids.get(s) {
                    Some(id) => id.clone(),
                    None => a.new_id(prefix::NETWORK_ACL_ASSOCIATION),
                };
                acl.associations.push(NetworkAclAssociation { network_acl_association_id: id, subnet_id: s.clone() });
            }
            a.network_acls.insert(n.id.clone(), acl);
        }
        Ok(())
    }
}

/// The one target of a file route.
fn route_target(r: &FileRoute) -> Result<RouteTarget, String> {
    let mut targets = Vec::new();
    if let Some(g) = &r.gateway_id {
        targets.push(if g == "local" {
            RouteTarget::Local
        } else if g.starts_with("igw-") {
            RouteTarget::InternetGateway(g.clone())
        } else if g.starts_with("vpce-") {
            RouteTarget::VpcEndpoint(g.clone())
        } else {
            RouteTarget::OtherGateway(g.clone())
        });
    }
    if let Some(x) = &r.nat_gateway_id {
        targets.push(RouteTarget::NatGateway(x.clone()));
    }
    if let Some(x) = &r.network_interface_id {
        targets.push(RouteTarget::NetworkInterface(x.clone()));
    }
    if let Some(x) = &r.instance_id {
        targets.push(RouteTarget::Instance(x.clone()));
    }
    if let Some(x) = &r.vpc_peering_connection_id {
        targets.push(RouteTarget::VpcPeeringConnection(x.clone()));
    }
    if let Some(x) = &r.transit_gateway_id {
        targets.push(RouteTarget::TransitGateway(x.clone()));
    }
    match targets.len() {
        1 => Ok(targets.remove(0)),
        _ => Err("give exactly one of gateway_id, nat_gateway_id, network_interface_id, instance_id, vpc_peering_connection_id, transit_gateway_id".into()),
    }
}
